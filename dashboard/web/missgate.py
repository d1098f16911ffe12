"""Cache misses take turns, so they never take the capacity that cache hits need.

A hit costs a worker about a millisecond; a miss — a new chart image (kaleido, ~0.5 s of Chromium), an
XLSX, a page view nobody asked for yet — costs 50–800 ms of a core. A client asking for new images as
fast as it can used to hold every worker (each waiting up to 20 s for its process's renderer), and the
page content every visitor needs waited behind it: 2,650 req/s fell to 2.65 (issue "What the outside
checks found", 1).

So every miss first takes one of a few **slots shared by every worker of an instance** — or of every
instance of the machine, when ``SAYLAU_MISS_GATE`` names one folder for all of them, as ``deploy/local.sh``
and the README's production setup do: ``fcntl.flock`` on small files, one per slot. The kernel releases a
dead worker's lock, so a crash never leaks a slot. A miss that finds every slot taken does not queue:
at once (an image, a download), or after waiting at most ``VISITOR_WAIT_S`` (a page view, while
fewer than half of the worker's threads are waiting), it is answered 503 with ``Retry-After`` (the page's script tries again
after that, ``assets/saylau.js``), so a flood of misses holds at most half the threads and no worker,
and at most
``slots`` misses are drawn at once while hits are served beside them. Render on publish waits for a slot
instead: it has no visitor to answer.

Slots: ``SAYLAU_MISS_SLOTS`` (default one per core: misses are drawn at a lower CPU priority than hits,
``dashboard.web.renderpool``, so they use the cores hits leave idle).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import threading
import time
from pathlib import Path

#: A miss that finds no free slot is told to come back after this many seconds.
RETRY_AFTER_S = 2
#: How long a visitor's page view may wait for a slot: right after a publish, visitors' first views of
#: the new version take turns with render on publish and each other (a view is drawn in ~0.1–0.5 s).
VISITOR_WAIT_S = 5.0
POLL_S = 0.01


def default_slots() -> int:
    configured = os.environ.get("SAYLAU_MISS_SLOTS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    return max(1, os.cpu_count() or 1)


def default_waiters() -> int:
    """Half the threads of a gunicorn worker (``SAYLAU_THREADS``, default 4, ``gunicorn.conf.py``): the
    other half is always free for hits."""
    threads = os.environ.get("SAYLAU_THREADS", "")
    return max(1, (int(threads) if threads.isdigit() else 4) // 2)


def default_folder() -> Path:
    """``SAYLAU_MISS_GATE``, else a folder of this process (a preloaded gunicorn's workers share their
    master's), private to this user."""
    configured = os.environ.get("SAYLAU_MISS_GATE")
    if configured:
        return Path(configured)
    return Path(tempfile.gettempdir()) / f"saylau-{os.getuid()}-misses-{os.getpid()}"


class Slot:
    """A taken slot: its open lock file; :meth:`release` (or the process's death) frees it."""

    def __init__(self, fd: int):
        self._fd: int | None = fd

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops its flock


class MissGate:
    """``slots`` machine-wide turns for cache misses (see the module's docstring)."""

    def __init__(self, folder: Path, slots: int, waiters: int | None = None):
        self.folder = Path(folder)
        self.slots = max(1, int(slots))
        #: at most this many threads of this process wait for a slot at once; the others get none at once
        self.waiters = threading.BoundedSemaphore(max(1, default_waiters() if waiters is None else waiters))
        self.refused = 0  # misses answered 503 by this process (tests and logs read it)

    def _paths(self, spare_one: bool) -> list[Path]:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        first = 1 if spare_one and self.slots > 1 else 0
        return [self.folder / f"slot-{i}" for i in range(first, self.slots)]

    def try_take(self, spare_one: bool = False) -> Slot | None:
        """A free slot now, or None: never waits. ``spare_one``: never the first slot (background work
        leaves it to visitors), unless it is the only one."""
        for path in self._paths(spare_one):
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                continue
            except BaseException:
                os.close(fd)
                raise
            return Slot(fd)
        return None

    def take(self, wait_s: float, spare_one: bool = False) -> Slot | None:
        """A slot within ``wait_s`` seconds (polling, when fewer than ``waiters`` threads already
        wait), or None."""
        slot = self.try_take(spare_one)
        if slot is None and wait_s > 0 and self.waiters.acquire(blocking=False):
            try:
                deadline = time.monotonic() + wait_s
                while slot is None and time.monotonic() < deadline:
                    time.sleep(POLL_S)
                    slot = self.try_take(spare_one)
            finally:
                self.waiters.release()
        if slot is None:
            self.refused += 1
        return slot

    @contextlib.contextmanager
    def held(self, wait_s: float):
        """``with gate.held(5) as slot:`` — ``slot`` is None when none came free in time."""
        slot = self.take(wait_s)
        try:
            yield slot
        finally:
            if slot is not None:
                slot.release()
