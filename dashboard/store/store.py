"""The versioned, append-only store of accepted results: what the dashboard serves, and its history.

Layout of ``data_dir``::

    CURRENT                      the served version number N (replaced atomically: temp file + os.replace)
    history.jsonl                one JSON line per version: version, time, file, sha256, kind, election,
                                 manifest_sha256 (the sha256 of versions/<N>/MANIFEST.json)
    versions/<N>/                a canonical package (write.py) + .frames.npz (fastload.py: its tables as
                                 plain numpy arrays, no pickle) + MANIFEST.json (sha256 of every file),
                                 built and fsynced in versions/.tmp-*, then renamed
    archive/<N>-<sha12>-<name>   each accepted upload, byte for byte (a folder upload: copied as a tree)
    quarantine/<stamp>-<sha12>-<name>            each refused upload, byte for byte
    quarantine/<stamp>-<sha12>-<name>.problems.txt   why (FILE:LINE: RULE: message, one per line)
    incoming/<random>/<name>     an upload being checked (removed when done, or at the next start)
    .lock                        fcntl.flock: one ingest/rollback at a time, across processes
    public/status.json           the live status of the served version (dashboard/live_status.py), written
                                 after CURRENT is switched; nginx answers the open pages' polls with it

Writing order (each step fsynced before the next): upload copied to incoming/ → version written in
versions/.tmp-* → renamed to versions/<N> → upload moved to archive/ → history line appended (the
commit: only now does N exist) → CURRENT switched → public/status.json rewritten (best effort: the app
mends it). A crash or a full disk anywhere leaves CURRENT, and so the served version, as it was; what
the failed attempt left (incoming/*, versions/.tmp-*, version folders and archive entries numbered above
the last history line) is removed under the lock at the next ingest, rollback or Store start, so the
retry gets the same number and succeeds. A history line whose
version never became current (a crash between the last two steps) stays in the history, unserved.

Every load checks every file of the version against its manifest and the manifest against history.jsonl,
then reads the tables from .frames.npz (~0.06 s for 10,000 stations; re-validating the CSVs takes 0.25-0.55 s
per web worker and version), or from the CSVs when there is no usable cache. A version failing its checks
is refused loudly (logged, reported by ``status``) and the previously served version stays served. An
empty or missing data dir serves the embedded 2023 package as version 0.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import json
import logging
import os
import shutil
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from dashboard import live_status  # the status nginx answers the open pages' polls with
from dashboard.ingest import rules as R
from dashboard.ingest.names import safe_text
from dashboard.ingest.package import is_package, load_files, load_update, read_package
from dashboard.ingest.rules import Limits, Problem, Rejected, StoreProblem
from dashboard.ingest.upload import TooLarge, Unsafe, copy_file, copy_tree
from dashboard.ingest.validate import parse_election_json
from dashboard.model import Election
from dashboard.store.durable import append_line, fault, fsync_dir, fsync_tree, write_atomic
from dashboard.store.embedded import embedded_election, embedded_path
from dashboard.store.fastload import FRAMES, NotCached, election_from, frames_bytes
from dashboard.store.manifest import (
    MANIFEST,
    IntegrityError,
    content_sha,
    sha256_bytes,
    verified_files,
    write_manifest,
)
from dashboard.store.write import write_package

log = logging.getLogger(__name__)

_CHUNK = 1 << 20  # hashing reads


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sha256_of(path: Path) -> str:
    """sha256 of a file's bytes; for a folder, of its manifest (``<sha256>  <relpath>`` lines, sorted)."""
    if path.is_file():
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(_CHUNK), b""):
                h.update(chunk)
        return h.hexdigest()
    lines = []
    for p in sorted(path.rglob("*")):
        if p.is_file() and not p.is_symlink():
            lines.append(f"{sha256_of(p)}  {p.relative_to(path).as_posix()}\n")
    return hashlib.sha256("".join(lines).encode("utf-8", "surrogateescape")).hexdigest()  # names' raw bytes


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:100] or "upload"


def _staged_name(label: str) -> str:
    """The name an upload is checked under: its safe text, cut (keeping the suffix) to fit a file name."""
    if len(label.encode("utf-8")) <= 200:
        return label
    stem, suffix = os.path.splitext(label)
    return f"{stem[:40]}…{suffix[-10:]}"


def _history_line(record: dict) -> str:
    """One history.jsonl line; raises UnicodeEncodeError for text that cannot be stored as UTF-8."""
    line = json.dumps(record, ensure_ascii=False)
    line.encode("utf-8")
    return line


class Store:
    """The versioned store in ``data_dir``; cheap to create, safe to share between threads and processes."""

    def __init__(self, data_dir: str | os.PathLike, limits: Limits | None = None,
                 embedded: Callable[[], Election] | None = embedded_election, *,
                 embedded_dir: Path | None = None, election_id: str | None = None):
        """``embedded``: the loader of version 0 (None: this election has no embedded package, so no
        version 0; ``embedded_dir`` its folder, for its content id). ``election_id``: the one election
        this store holds (library.py); a package of another election is refused. None (a store made
        on its own): any election, as before issue #18.
        """
        self.dir = Path(data_dir)
        self.limits = limits or Limits.from_env()
        self._embedded = embedded
        self._embedded_dir = embedded_dir
        self.election_id = election_id
        #: CURRENT's value -> (the version served for it, its Election); a bad version maps to a good one.
        self._served: dict[int, tuple[int, Election]] = {}
        self._last: tuple[int, Election] | None = None
        #: Earlier versions loaded for pages rendered with them (``election(v)``), the newest few.
        self._pinned: dict[int, Election] = {}
        self._cache_lock = threading.Lock()
        #: Why a version (None: CURRENT itself) was refused when this process tried to serve it.
        self.refused: dict[int | None, str] = {}
        self._content: dict[int, str] = {}
        self._recover_if_free()

    # --- reading ------------------------------------------------------------------------------------
    def pointer(self) -> int:
        """The version CURRENT names (0 when there is none); raises StoreProblem when it is damaged."""
        path = self.dir / "CURRENT"
        try:
            text = path.read_text(encoding="ascii")
        except FileNotFoundError:
            return 0
        except (OSError, UnicodeDecodeError) as e:
            raise StoreProblem(f"{path} cannot be read ({e}); make a good version current with "
                               "'python -m dashboard rollback N' (N from 'python -m dashboard status')") from None
        if not text.strip().isdigit():
            raise StoreProblem(f"{path} is damaged (holds {text[:20]!r}, not a version number); make a good version "
                               "current with 'python -m dashboard rollback N' (N from 'python -m dashboard status')")
        return int(text)

    def served(self) -> tuple[int, Election]:
        """(version, election) served now, read together from one look at CURRENT."""
        return self._serve()

    def version(self) -> int:
        """The served version (0 = the embedded 2023 package): CURRENT's, unless that one failed its checks."""
        return self._serve()[0]

    def current(self) -> Election:
        """The served election; loaded once per version and process, then only CURRENT is re-read."""
        return self._serve()[1]

    def _serve(self) -> tuple[int, Election]:
        try:
            v = self.pointer()
        except StoreProblem as e:
            return self._fallback(None, e)
        got = self._served.get(v)
        if got is not None:
            return got
        with self._cache_lock:
            got = self._served.get(v)
            if got is None:
                try:
                    got = (v, self._load(v))
                except StoreProblem as e:
                    got = self._fallback(v, e)
                self._remember(v, got)
        return got

    def election(self, v: int, *, load: bool = True) -> Election | None:
        """The election of version ``v``: from memory (the served few or one pinned earlier), else read
        from its folder, checked like any load, when ``load`` (None when not ``load`` and not in memory).
        An open page keeps using the version it was rendered with, so its figures never mix two versions.
        ``KeyError`` for a version never published or one that fails its checks.
        """
        got = self._version_in_memory(v)
        if got is not None:
            return got
        if not load and v != self.version():
            return None
        if (v != 0 or self._embedded is None) and not (self.dir / "versions" / str(v)).is_dir():
            raise KeyError(f"there is no version {v}")
        with self._cache_lock:
            got = self._version_in_memory(v)
            if got is None:
                try:
                    got = self._load(v)
                except StoreProblem as e:
                    raise KeyError(f"version {v} cannot be served: {e}") from None
                self._pinned[v] = got
                for old in sorted(self._pinned)[:-3]:
                    self._pinned.pop(old, None)
        return got

    def _version_in_memory(self, v: int) -> Election | None:
        for served, got in list(self._served.values()):
            if served == v:
                return got
        return self._pinned.get(v)

    def _remember(self, pointer: int, got: tuple[int, Election]) -> None:
        # Keep the newest few: a web worker needs the current one; the previous helps during a switch.
        self._served[pointer] = got
        self._last = got
        for old in sorted(self._served)[:-3]:
            self._served.pop(old, None)

    def _fallback(self, bad: int | None, problem: StoreProblem) -> tuple[int, Election]:
        """What to serve when CURRENT (or the version it names) cannot be: never the bad version.

        The version this process served last; else (a fresh process) the newest earlier version that
        passes its checks, trying a rollback's source first. With none, the problem is raised.
        """
        message = str(problem)
        if self.refused.get(bad) != message:
            log.error("refusing to serve: %s", message)
        self.refused[bad] = message
        if self._last is not None and self._last[0] != bad:
            return self._last
        records = {h["version"]: h for h in self._history(strict=False)[0]}
        below = bad if bad or self._embedded is not None else None  # no version 0: any version is earlier
        order = sorted((n for n in records if below is None or n < below), reverse=True)
        source = records.get(bad, {}).get("rollback_to") if bad is not None else None
        if isinstance(source, int) and source in records:
            order = [source, *(n for n in order if n != source)]
        for n in order:
            with contextlib.suppress(StoreProblem):
                got = (n, self._load(n))
                log.error("serving version %s instead", n)
                return got
        raise problem

    def _load(self, v: int) -> Election:
        if v == 0:
            return self._version_zero()
        record = self._record(v)
        folder = self.dir / "versions" / str(v)
        files = verified_files(folder, record.get("manifest_sha256") if record else None, f"version {v}")
        cache = files.pop(FRAMES, None)
        files = {n: b for n, b in files.items() if not n.startswith(".")}
        if cache is not None:
            meta, _ = parse_election_json(files.get("election.json", b""), limits=self.limits)
            if meta is not None:
                try:
                    return election_from(cache, meta)
                except NotCached as e:
                    log.info("version %s: reading the CSVs (%s)", v, e)
        try:
            return load_files(files, limits=self.limits)
        except Rejected as e:
            raise IntegrityError(f"version {v} ({folder}) no longer passes validation ({e}); "
                                 "serve another version with 'python -m dashboard rollback N'") from None

    def _version_zero(self) -> Election:
        if self._embedded is None:
            raise StoreProblem(f"{self.dir} holds no version yet (CURRENT is missing) and its election has no "
                               "embedded package; ingest its package again")
        return self._embedded()

    def _record(self, v: int) -> dict | None:
        for h in reversed(self._history(strict=False)[0]):
            if h.get("version") == v:
                return h
        return None

    def content_id(self, v: int) -> str:
        """First 16 hex digits of version ``v``'s manifest sha256: equal ids mean byte-equal packages.

        Version 0 (the embedded package, which has no manifest) gets the sha256 of the manifest its files
        would have. Cache keys use this, never the bare version number (rollbacks reuse content).
        """
        got = self._content.get(v)
        if got is None:
            if v == 0:
                got = content_sha(self._embedded_dir or embedded_path())[:16]
            else:
                record = self._record(v)
                if not record or not record.get("manifest_sha256"):
                    raise IntegrityError(f"version {v} has no manifest sha256 in {self.dir / 'history.jsonl'}")
                got = str(record["manifest_sha256"])[:16]
            self._content[v] = got
        return got

    def _history(self, strict: bool) -> tuple[list[dict], str | None]:
        """(records, problem): the parsed history lines, and what is wrong with the file (raised if strict)."""
        path = self.dir / "history.jsonl"
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return [], None
        except (OSError, UnicodeDecodeError) as e:
            problem = f"{path} cannot be read ({e}); restore it from a backup"
            if strict:
                raise StoreProblem(problem) from None
            return [], problem
        records: list[dict] = []
        for n, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                if not isinstance(record, dict) or not isinstance(record.get("version"), int):
                    raise ValueError("not a version record")
            except ValueError:
                problem = (f"{path} line {n} is damaged (cut off or edited: {line[:40]!r}); restore the file from a "
                           "backup, or move that line out if it is the last one and no command is running")
                if strict:
                    raise StoreProblem(problem) from None
                return records, problem
            records.append(record)
        return records, None

    def history(self) -> list[dict]:
        """Every version record, oldest first; raises StoreProblem when history.jsonl is damaged."""
        return self._history(strict=True)[0]

    def serves_embedded(self) -> bool:
        """Whether the served version is the embedded default: version 0, or a rollback (chain) to it.

        A lone update names no election, so it may only apply to an election someone ingested; applied to
        the embedded 2023 data it would mix another election's rows into the real figures.
        """
        v = self.version()
        records = {h["version"]: h for h in self.history()}
        seen: set[int] = set()
        while v and v not in seen:
            seen.add(v)
            record = records.get(v)
            if not record or record.get("kind") != "rollback":
                return False
            v = int(record.get("rollback_to") or 0)
        return True

    def status(self) -> dict:
        """Served version, election, history, and ``problems`` (one line each; empty when all is well)."""
        problems: list[str] = []
        history, damaged = self._history(strict=False)
        try:
            v, election = self._serve()
            eid = election.id
        except StoreProblem as e:
            v, eid = None, None
            problems.append(str(e))
        try:
            pointer = self.pointer()
            if v is not None and v != pointer:
                problems.append(self.refused.get(pointer) or f"version {pointer} is refused; serving {v}")
        except StoreProblem as e:
            problems.append(str(e))
        if damaged:  # the versions the history no longer vouches for are refused too: one cause, one line
            problems = [damaged]
        out: dict[str, object] = {"version": v, "election": eid, "history": history}
        if problems:
            out["problems"] = problems
        return out

    def check(self) -> list[str]:
        """Verify CURRENT, history.jsonl and every stored version (manifest + sha256 of each file)."""
        problems: list[str] = []
        history, damaged = self._history(strict=False)
        if damaged:
            problems.append(damaged)
        try:
            pointer = self.pointer()
            if pointer and pointer not in {h["version"] for h in history}:
                problems.append(f"CURRENT names version {pointer}, which history.jsonl does not record")
        except StoreProblem as e:
            problems.append(str(e))
        for h in history:
            v = h["version"]
            try:
                verified_files(self.dir / "versions" / str(v), h.get("manifest_sha256"), f"version {v}")
            except (IntegrityError, OSError) as e:
                problems.append(str(e))
        return problems

    # --- writing ------------------------------------------------------------------------------------
    def _os_problem(self, e: OSError, doing: str) -> StoreProblem:
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            return StoreProblem(f"the disk holding {self.dir} is full ({doing}); the served version is unchanged: "
                                "free some space and run the same command again")
        if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return StoreProblem(f"the data dir {self.dir} is not writable for this user ({doing}: {e.strerror}); "
                                "run the command as the user who owns it, or fix its permissions")
        return StoreProblem(f"{doing} failed in {self.dir} ({e.strerror or e}); the served version is unchanged: "
                            "check the disk and run the same command again")

    @contextlib.contextmanager
    def _lock(self, blocking: bool = True):
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fh = open(self.dir / ".lock", "a+")  # noqa: SIM115 - closed below, after the flock
        except OSError as e:
            raise self._os_problem(e, "opening the store") from None
        with fh:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _recover_if_free(self) -> None:
        """At start: clean a crashed ingest's leftovers, if the store is writable and no ingest is running."""
        if not self.dir.is_dir():
            return
        try:
            with self._lock(blocking=False) as locked:
                if locked:
                    self._recover()
        except (StoreProblem, OSError) as e:  # a read-only web worker: the next ingest cleans up
            log.debug("no clean-up at start: %s", e)

    def _recover(self) -> None:
        """Remove what an interrupted ingest/rollback left. Caller holds the lock (so nothing is in flight)."""
        history, damaged = self._history(strict=False)
        shutil.rmtree(self.dir / "incoming", ignore_errors=True)
        for folder in (self.dir / "versions", self.dir / "archive"):
            if folder.is_dir():
                for p in folder.iterdir():
                    if p.name.startswith(".tmp-"):
                        _remove(p)
        for p in self.dir.glob(".CURRENT.*"):
            _remove(p)
        if damaged:
            return  # which versions are committed is unknown: delete nothing more
        last = max((h["version"] for h in history), default=0)
        # Numbers above the last history line were never committed (versions are numbered under the lock).
        for p in (self.dir / "versions").glob("*"):
            if p.name.isdigit() and int(p.name) > last:
                _remove(p)
        for p in (self.dir / "archive").glob("*"):
            head = p.name.split("-", 1)[0]
            if head.isdigit() and int(head) > last:
                _remove(p)

    def _next_version(self) -> int:
        seen = [h["version"] for h in self.history()]
        with contextlib.suppress(StoreProblem):
            seen.append(self.pointer())
        return max(seen, default=0) + 1

    def _refuse_own_dir(self, src: Path) -> None:
        refuse_own_dir(src, self.dir)

    def _stage(self, src: Path, name: str) -> Path:
        """Copy the upload into the store first (bounded), so what is validated is exactly what is archived."""
        # incoming/<random>/<name>: the file keeps its own name, which problems are reported under.
        incoming = self.dir / "incoming" / uuid.uuid4().hex
        incoming.mkdir(parents=True)
        staged = incoming / _staged_name(name)
        try:
            if src.is_dir():
                copy_tree(src, staged, [self.limits.max_total_bytes], self.limits.max_file_bytes)
            else:
                copy_file(src, staged, max(self.limits.max_total_bytes, self.limits.max_file_bytes), shown=name)
        except Unsafe as e:  # a link or an unreadable file: nothing was copied, nothing is kept
            shutil.rmtree(incoming, ignore_errors=True)
            raise Rejected([Problem(name, 0, e.rule, str(e))]) from None
        except TooLarge as e:
            shutil.rmtree(incoming, ignore_errors=True)
            problems = [Problem(name, 0, R.FILE_TOO_LARGE, str(e))]
            raise Rejected(problems, str(self._quarantine(None, name, e.sha, problems))) from None
        except BaseException:
            shutil.rmtree(incoming, ignore_errors=True)
            raise
        fsync_tree(incoming)
        fault("staged")
        return staged

    def _quarantine(self, staged: Path | None, name: str, sha: str, problems: list[Problem]) -> Path | None:
        q = self.dir / "quarantine"
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = q / f"{stamp}-{sha[:12]}-{_safe_name(name)}"
        report = "".join(f"{p}\n" for p in problems)
        try:
            q.mkdir(parents=True, exist_ok=True)
            if staged is not None:
                os.replace(staged, target)
            write_atomic(q / (target.name + ".problems.txt"),  # a message may quote content: never fail on it
                         (f"# {name} sha256 {sha} refused {_now()}\n" + report).encode("utf-8", "backslashreplace"))
        except OSError as e:  # a full disk must not hide the rejection itself
            log.error("could not quarantine %s: %s", name, e)
            return None
        finally:
            if staged is not None:
                shutil.rmtree(staged.parent, ignore_errors=True)
        return target

    def _publish(self, v: int, election: Election, record: dict, build: Callable[[Path], object],
                 upload: Path | None = None) -> int:
        """Write version ``v`` and its manifest, archive ``upload``, log it, switch CURRENT. Caller holds the lock."""
        record = {"version": v, "time": _now(), **record, "election": election.id}
        _history_line({**record, "manifest_sha256": ""})  # what cannot be logged fails before anything is written
        vdir = self.dir / "versions"
        vdir.mkdir(parents=True, exist_ok=True)
        tmp = vdir / f".tmp-{v}-{uuid.uuid4().hex[:8]}"
        try:
            msha = self._build(tmp, election, build)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        os.rename(tmp, vdir / str(v))
        fsync_dir(vdir)
        fault("renamed")
        if upload is not None:
            archive = self.dir / "archive"
            archive.mkdir(parents=True, exist_ok=True)
            archived = archive / f"{v}-{record['sha256'][:12]}-{_safe_name(record['file'])}"
            os.replace(upload, archived)
            fsync_dir(archive)
            shutil.rmtree(upload.parent, ignore_errors=True)
            record["archive"] = archived.relative_to(self.dir).as_posix()
            fault("archived")
        record["manifest_sha256"] = msha
        append_line(self.dir / "history.jsonl", _history_line(record))
        fault("logged")
        with self._cache_lock:
            self._content.pop(v, None)
            self._remember(v, (v, election))
        write_atomic(self.dir / "CURRENT", f"{v}\n".encode("ascii"))
        fault("switched")
        live_status.publish_version(self.dir, election, v, msha[:16], record["time"])
        return v

    @staticmethod
    def _build(tmp: Path, election: Election, build: Callable[[Path], object]) -> str:
        """Write a version into ``tmp`` (package, frames cache, manifest), fsynced; returns the manifest sha256."""
        build(tmp)
        if not (tmp / FRAMES).exists():
            with contextlib.suppress(NotCached):
                (tmp / FRAMES).write_bytes(frames_bytes(election))
        fault("written")
        manifest = tmp / MANIFEST
        msha = sha256_bytes(manifest.read_bytes()) if manifest.exists() else write_manifest(tmp)
        fsync_tree(tmp)
        fault("built")
        return msha

    @contextlib.contextmanager
    def _writing(self, doing: str, check_current: bool = True):
        """Hold the lock, clean leftovers first; an OSError (disk full, read-only) becomes a StoreProblem
        after everything this attempt wrote has been removed again.

        A damaged history.jsonl refuses every write; a damaged CURRENT refuses an ingest (what is served
        is unknown) but not a rollback, which is how the operator repairs it.
        """
        with self._lock():
            try:
                self.history()
                if check_current:
                    self.pointer()
                self._recover()
                yield
            except OSError as e:
                with contextlib.suppress(OSError):
                    self._recover()
                raise self._os_problem(e, doing) from None

    def ingest(self, path: str | os.PathLike, sheet: str | None = None) -> int:
        """Validate and publish an upload; returns the new version or raises ``Rejected`` (quarantined).

        A package (folder or .zip) replaces the served election; a lone results/turnout file updates it.
        Raises ``StoreProblem`` when the store itself cannot be written (nothing changed then).
        """
        src, name = upload_source(path)
        self._refuse_own_dir(src)
        with self._writing(f"ingesting {name}"):
            staged = self._stage(src, name)
            sha = sha256_of(staged)
            try:
                election, kind = self._validate(staged, name, sheet)
            except Rejected as e:
                kept = self._quarantine(staged, name, sha, e.problems)
                e.quarantined = str(kept) if kept else None
                raise
            v = self._next_version()
            return self._publish(v, election, {"file": name, "sha256": sha, "kind": kind},
                                 lambda tmp: write_package(election, tmp), upload=staged)

    def keep_refused(self, path: str | os.PathLike, problems: list[Problem]) -> Rejected:
        """Quarantine an upload refused before any store took it (library.py: a package no election can
        hold), byte for byte like any refusal; returns the rejection to raise, naming where it was kept."""
        src, name = upload_source(path)
        with self._writing(f"keeping {name}"):
            staged = self._stage(src, name)
            kept = self._quarantine(staged, name, sha256_of(staged), problems)
        return Rejected(problems, str(kept) if kept else None)

    def _validate(self, staged: Path, name: str, sheet: str | None) -> tuple[Election, str]:
        if is_package(staged):
            election = load_files(read_package(staged, self.limits), sheet, self.limits)
            if self.election_id is not None and election.id != self.election_id:
                raise Rejected([Problem("election.json", 0, R.ELECTION_MISMATCH,
                                        f"this package is of election {safe_text(election.id)}, but it was given "
                                        f"to the store of election {self.election_id} ({self.dir})")])
            return election, "package"
        if self.serves_embedded():
            raise Rejected([Problem(name, 0, R.UPDATE_WITHOUT_ELECTION,
                                    "this is a lone results/turnout file, but the store serves the embedded default "
                                    "data (nothing ingested yet, or rolled back to version 0); ingest the full "
                                    "package (election.json + results.csv) first")])
        return load_update(staged, self.current(), sheet, self.limits), "update"

    def rollback(self, version: int) -> int:
        """Serve an earlier version again, as a new version (history stays append-only)."""
        with self._writing(f"rolling back to {version}", check_current=False):
            known = {*([0] if self._embedded is not None else []), *(h["version"] for h in self.history())}
            if version not in known or (version and not (self.dir / "versions" / str(version)).is_dir()):
                raise KeyError(f"there is no version {version} (known: {', '.join(map(str, sorted(known)))})")
            build: Callable[[Path], None]
            if version == 0:
                election = self._version_zero()

                def build(tmp: Path) -> None:
                    write_package(election, tmp)
            else:
                election = self._load(version)  # verified: a bad version is not copied forward
                src = self.dir / "versions" / str(version)

                def build(tmp: Path, src=src) -> None:
                    shutil.copytree(src, tmp)

            return self._publish(self._next_version(), election,
                                 {"file": None, "sha256": None, "kind": "rollback", "rollback_to": version}, build)


def upload_source(path: str | os.PathLike) -> tuple[Path, str]:
    """(path, its name as safe text) of an upload that exists and is no link; raises Rejected (not kept)."""
    src = Path(path)
    name = safe_text(src.name if src.name not in ("", ".", "..") else "upload")
    if src.is_symlink():
        raise Rejected([Problem(name, 0, R.SYMBOLIC_LINK, f"{safe_text(str(path))} is a symbolic link; links are "
                                "never followed: give the file itself (nothing copied, not kept)")])
    if not src.exists():
        raise Rejected([Problem(name, 0, R.MISSING_FILE, f"{safe_text(str(path))} does not exist")])
    return src, name


def refuse_own_dir(src: Path, data_dir: Path) -> None:
    """Refuse (not kept) a folder upload that is, holds or lies inside ``data_dir``."""
    if not src.is_dir():
        return
    s, d = src.resolve(), data_dir.resolve()
    if s == d or d.is_relative_to(s) or s.is_relative_to(d):
        raise Rejected([Problem(safe_text(src.name or str(src)), 0, R.DATA_DIR_UPLOAD,
                                f"{safe_text(str(src))} is, holds or lies inside the data dir {data_dir}; give the "
                                "package folder or .zip the commission sent (not kept)")])


def _remove(p: Path) -> None:
    log.warning("removing the leftover of an interrupted write: %s", p)
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        p.unlink(missing_ok=True)
