"""Watch a drop folder and ingest what arrives: ``ingest --watch DIR`` and ``serve --watch DIR``.

A file is taken only when it is whole. Files renamed into the folder (``replay`` does this) are whole
the moment they appear; for a file written in place, the watcher waits until its size and mtime are
the same on two polls, at least ``settle`` seconds have passed since its last change, and (on Linux)
no process holds it open for writing — checked with a read lease, which the kernel refuses while a
writer has the file open. Dotfiles, ``*.part``, ``*.tmp`` and editor lock files are never touched.

Files are taken strictly in name order (``replay`` numbers them, so name order is arrival order; a
status update must not overtake the results before it): a file waits while any file with a smaller
name is still in the folder. Each one is first *claimed* by renaming it into ``DIR/.claimed/<pid>/``
under a lock on the folder — so when several processes watch the same folder (gunicorn workers)
exactly one ingests it, and in order — then given to the library's ``ingest`` (``commands/ingest.py``:
routed to its election as ``ingest`` routes it; a ``Store`` works too), which
archives an accepted file and quarantines a refused one byte for byte; the claimed copy is then
removed. A bad file never stops the loop, nor holds up the files after it: one the store cannot copy
(a symbolic link — never followed — or an unreadable file) or fails on is moved as it is to
``quarantine/not-kept-*``. Only an operator problem (disk full, read-only store) puts the file back, to
be retried later. One log line per file; names in it are quoted and escaped (``names.quoted``), so a
name that is not UTF-8 or holds a newline can neither break nor forge a line.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import stat
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from dashboard.ingest.names import one_line, quoted
from dashboard.ingest.rules import Rejected, StoreProblem

log = logging.getLogger("dashboard.watch")

CLAIMED = ".claimed"
IGNORED_SUFFIXES = (".part", ".tmp", ".swp", ".crdownload", ".partial")
#: After an unexpected error (not a refusal) a file is retried this many seconds later.
RETRY_AFTER = 5.0
#: How often the folder is listed, and how long a file must stay unchanged before it is read. Both are
#: part of every file's delay on election night (file -> /api/v1/status, goal 2 s at p95): 0.2 s and
#: 0.5 s made 0.5-0.9 s of it. A listing every 0.1 s costs nothing measurable; 0.25 s of quiet still
#: outlasts a writer's pause between two writes, and a writer holding the file open is seen by the lease.
POLL = 0.1
SETTLE = 0.25


def ignored(name: str) -> bool:
    """Dotfiles, partial downloads and editor lock files are never ingested."""
    return name.startswith((".", "~$", "#")) or name.lower().endswith(IGNORED_SUFFIXES)


def _signature(path: Path) -> tuple[int, int, int] | None:
    """(size, newest mtime_ns, entries) of a file or a folder tree; None if it vanished.

    Links are never followed (``lstat``): a dangling link, or one to a folder outside, has a signature of
    its own, becomes ready and is refused by the store — it must not wait forever, holding up every file
    after it. A folder whose inside cannot be listed is signed by itself, and refused as unreadable.
    """
    try:
        top = path.lstat()
    except OSError:
        return None
    if not stat.S_ISDIR(top.st_mode):
        return (top.st_size, top.st_mtime_ns, 1)
    size = newest = count = 0
    try:
        for p in path.rglob("*"):
            st = p.lstat()
            size, newest, count = size + st.st_size, max(newest, st.st_mtime_ns), count + 1
    except OSError:
        return (0, top.st_mtime_ns, 0)
    return (size, max(newest, top.st_mtime_ns), count)


def open_for_writing(path: Path) -> bool:
    """Whether some process has ``path`` open for writing (Linux read lease); False when unknowable."""
    if path.is_symlink():
        return False
    if path.is_dir():
        return any(open_for_writing(p) for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW)
    except OSError:
        return False
    try:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_RDLCK)
    except OSError as e:
        return e.errno in (errno.EAGAIN, errno.EBUSY)  # EACCES/EINVAL: leases not available here
    else:
        fcntl.fcntl(fd, fcntl.F_SETLEASE, fcntl.F_UNLCK)
        return False
    finally:
        os.close(fd)


class DropFolder:
    """The state of one watched folder between polls: what was seen, and since when it is unchanged."""

    def __init__(self, folder: str | os.PathLike, settle: float = SETTLE):
        self.folder = Path(folder)
        self.settle = settle
        self._seen: dict[str, tuple[int, int, int]] = {}
        self._retry: dict[str, float] = {}
        self.claimed = self.folder / CLAIMED / str(os.getpid())

    def ready(self) -> list[Path]:
        """Entries that are whole now, in name order."""
        now = time.time()
        out, seen = [], {}
        try:
            names = sorted(os.listdir(self.folder))
        except FileNotFoundError:
            return []
        for name in names:
            if ignored(name) or self._retry.get(name, 0) > now:
                continue
            path = self.folder / name
            sig = _signature(path)
            if sig is None:
                continue
            seen[name] = sig
            quiet = now - sig[1] / 1e9 >= self.settle  # no change for `settle` seconds
            if self._seen.get(name) == sig and quiet and not open_for_writing(path):
                out.append(path)
        self._seen = seen
        return out

    def claim(self, path: Path) -> Path | None:
        """Move ``path`` into this process's claim folder (atomic); None if another process took it."""
        self.claimed.mkdir(parents=True, exist_ok=True)
        target = self.claimed / path.name
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        self._seen.pop(path.name, None)
        return target

    @contextlib.contextmanager
    def lock(self):
        """One claim-and-ingest at a time across every process watching this folder."""
        (self.folder / CLAIMED).mkdir(parents=True, exist_ok=True)
        with open(self.folder / CLAIMED / ".lock", "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def earlier_waiting(self, path: Path) -> bool:
        """Whether a file with a smaller name is still in the folder (not yet whole, or to be retried)."""
        try:
            return any(n < path.name and not ignored(n) for n in os.listdir(self.folder))
        except FileNotFoundError:
            return False

    def put_back(self, claimed: Path) -> None:
        with contextlib.suppress(OSError):
            os.rename(claimed, self.folder / claimed.name)
        self._retry[claimed.name] = time.time() + RETRY_AFTER

    def recover(self) -> None:
        """Files claimed by a watcher that died are put back, to be taken again."""
        root = self.folder / CLAIMED
        if not root.is_dir():
            return
        for pid_dir in root.iterdir():
            if pid_dir.name.isdigit() and not _alive(int(pid_dir.name)):
                for p in pid_dir.iterdir():
                    with contextlib.suppress(OSError):
                        os.rename(p, self.folder / p.name)
                with contextlib.suppress(OSError):
                    pid_dir.rmdir()


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # a claim folder of this very pid is a previous life's (pid reuse after a restart)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _set_aside(store, claimed: Path) -> str:
    """Move a file the store did not keep into quarantine/ as it is (a link stays a link, never followed);
    for a library of several elections, into the quarantine of uploads no election took."""
    if not (os.path.lexists(claimed) and store.dir.is_dir()):
        return ""
    raw = os.fsencode(claimed.name)
    name = claimed.name if len(raw) <= 200 else os.fsdecode(raw[:200])  # the raw bytes, cut to fit
    quarantine = getattr(store, "quarantine_dir", None) or store.dir / "quarantine"
    keep = quarantine / f"not-kept-{int(time.time())}-{name}"
    keep.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(claimed, keep)  # across file systems too; a link is moved as a link
    return f"; moved to {quoted(str(keep))}"


def ingest_one(store, drop: DropFolder, path: Path, say: Callable[[str], None]) -> str:
    """Claim, ingest and clear one ready entry; returns "accepted", "rejected", "failed", "retry" or "gone".

    Only an operator problem (disk full, read-only store) puts the file back to be retried; a file the
    store refuses, or fails on for any other reason, is set aside so that it never blocks the files after it.
    """
    claimed = drop.claim(path)
    if claimed is None:
        return "gone"
    try:
        v = store.ingest(claimed)
    except Rejected as e:
        first = e.problems[0] if e.problems else "refused"
        where = f"; quarantined: {quoted(e.quarantined)}" if e.quarantined else _set_aside(store, claimed)
        _remove(claimed)
        say(f"rejected {quoted(path.name)}: {len(e.problems)} problem(s), first: {first}{where}")
        return "rejected"
    except (StoreProblem, OSError) as e:  # an operator problem: keep the file, retry
        drop.put_back(claimed)
        say(f"error {quoted(path.name)}: {type(e).__name__}: {e}; left in the folder, "
            f"retrying in {RETRY_AFTER:.0f} s")
        return "retry"
    except Exception as e:  # not the store's fault, so the file's: set it aside, go on with the next
        where = _set_aside(store, claimed)
        _remove(claimed)
        say(f"failed {quoted(path.name)}: {type(e).__name__}: {e}{where}")
        return "failed"
    _remove(claimed)
    say(f"accepted {quoted(path.name)}: " + (f"version {v}" if isinstance(v, int) else str(v)))
    return "accepted"


def watch(store, folder: str | os.PathLike, stop: threading.Event, poll: float = POLL,
          settle: float = SETTLE, say: Callable[[str], None] | None = None) -> None:
    """Ingest every whole file dropped into ``folder`` until ``stop`` is set; never raises on a file."""
    say = _one_line(say or log.info)
    drop = DropFolder(folder, settle)
    drop.folder.mkdir(parents=True, exist_ok=True)
    drop.recover()
    say(f"watching {drop.folder} (store {store.dir})")
    while not stop.is_set():
        try:
            for path in drop.ready():
                if stop.is_set():
                    break
                with drop.lock():
                    if drop.earlier_waiting(path):
                        break  # taken in name order: wait for the earlier file
                    if ingest_one(store, drop, path, say) == "retry":
                        break
        except Exception as e:  # the loop itself must survive anything (a folder removed, a bad stat…)
            say(f"error watching {drop.folder}: {type(e).__name__}: {e}")
        stop.wait(poll)


def _one_line(say: Callable[[str], None]) -> Callable[[str], None]:
    """Every line said is one printable line, whatever names or file content it quotes."""
    return lambda line: say(one_line(line))


def say_stderr(line: str) -> None:
    """One line of the watch on the server's stderr (gunicorn's error log), written in one call with its
    newline: ``print`` writes the text and the newline separately, and the server's own banner, written
    from another thread in between, ran on after the text."""
    sys.stderr.write(f"watch: {line}\n")
    sys.stderr.flush()
