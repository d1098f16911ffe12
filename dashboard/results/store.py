"""The versioned, append-only store of accepted results: what the dashboard serves, and its history.

Layout of ``data_dir``::

    CURRENT                      the served version number N (replaced atomically: temp file + os.replace)
    history.jsonl                one JSON line per version: version, time, file, sha256, kind, election
    versions/<N>/                a canonical package (write.py), built in versions/.tmp-* then renamed,
                                 plus .election.pickle, a fast-load cache of the same Election
    archive/<N>-<sha12>-<name>   each accepted upload, byte for byte (a folder upload: copied as a tree)
    quarantine/<stamp>-<sha12>-<name>            each refused upload, byte for byte
    quarantine/<stamp>-<sha12>-<name>.problems.txt   why (FILE:LINE: RULE: message, one per line)
    .lock                        fcntl.flock: one ingest/rollback at a time, across processes

A reader never sees half a version: version folders are complete before they are named, and CURRENT
switches in one rename. Nothing is ever deleted or rewritten except CURRENT. An empty or missing data
dir serves the embedded 2023 package as version 0.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import pickle
import shutil
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from dashboard.results import rules as R
from dashboard.results.embedded import embedded_election
from dashboard.results.model import Election
from dashboard.results.package import is_package, load_package, load_update
from dashboard.results.rules import Limits, Problem, Rejected
from dashboard.results.write import write_package

#: Fast-load cache of a version's Election (a dotfile: package loaders ignore it).
PICKLE = ".election.pickle"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def sha256_of(path: Path) -> str:
    """sha256 of a file's bytes; for a folder, of its manifest (``<sha256>  <relpath>`` lines, sorted)."""
    if path.is_file():
        h = hashlib.sha256()
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    lines = []
    for p in sorted(path.rglob("*")):
        if p.is_file() and not p.is_symlink():
            lines.append(f"{sha256_of(p)}  {p.relative_to(path).as_posix()}\n")
    return hashlib.sha256("".join(lines).encode()).hexdigest()


def _safe_name(name: str) -> str:
    return "".join(c if c.isalnum() or c in "._-" else "_" for c in name)[:100] or "upload"


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


class Store:
    """The versioned store in ``data_dir``; cheap to create, safe to share between threads and processes."""

    def __init__(self, data_dir: str | os.PathLike, limits: Limits | None = None,
                 embedded: Callable[[], Election] = embedded_election):
        self.dir = Path(data_dir)
        self.limits = limits or Limits.from_env()
        self._embedded = embedded
        self._cache: dict[int, Election] = {}
        self._cache_lock = threading.Lock()

    # --- reading ------------------------------------------------------------------------------------
    def version(self) -> int:
        """The served version (0 = the embedded 2023 package); one tiny file read."""
        try:
            # Never empty: CURRENT is only ever replaced whole, so a bad value is an error, not "0".
            return int((self.dir / "CURRENT").read_text(encoding="ascii"))
        except FileNotFoundError:
            return 0

    def current(self) -> Election:
        """The served election; loaded once per version and process, then only CURRENT is re-read."""
        v = self.version()
        got = self._cache.get(v)
        if got is not None:
            return got
        with self._cache_lock:
            got = self._cache.get(v)
            if got is None:
                got = self._load(v)
                self._remember(v, got)
        return got

    def election(self, v: int, *, load: bool = True) -> Election | None:
        """The election of version ``v``: from memory (the newest few), else read from its folder when
        ``load`` (None when not ``load`` and not in memory). An open page keeps using the version it was
        rendered with, so its figures never mix two versions. ``KeyError`` for a version never published.
        """
        got = self._cache.get(v)
        if got is not None:
            return got
        if not load and v != self.version():
            return None
        if v != 0 and not (self.dir / "versions" / str(v)).is_dir():
            raise KeyError(f"there is no version {v}")
        with self._cache_lock:
            got = self._cache.get(v)
            if got is None:
                got = self._load(v)
                self._remember(v, got)
        return got

    def _load(self, v: int) -> Election:
        if v == 0:
            return self._embedded()
        folder = self.dir / "versions" / str(v)
        # The pickle beside the canonical files is only a speed-up (a web worker switching to a new
        # 20k-row version in ~10 ms instead of re-validating the CSVs); it is written by this store
        # only, and any failure to read it (e.g. another pandas) falls back to the package itself.
        try:
            with open(folder / PICKLE, "rb") as fh:
                election = pickle.load(fh)
            if isinstance(election, Election):
                return election
        except Exception:  # a cache: any failure means "read the package"
            pass
        return load_package(folder, limits=self.limits)

    def _remember(self, v: int, election: Election) -> None:
        # Keep the newest few: a web worker needs the current one; the previous helps during a switch.
        self._cache[v] = election
        for old in sorted(self._cache)[:-3]:
            self._cache.pop(old, None)

    def history(self) -> list[dict]:
        try:
            text = (self.dir / "history.jsonl").read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in text.splitlines() if line.strip()]

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
        v = self.version()
        try:
            eid = self.current().id
        except (FileNotFoundError, Rejected):
            eid = None
        return {"version": v, "election": eid, "history": self.history()}

    # --- writing ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def _lock(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        with open(self.dir / ".lock", "a+") as fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    def _next_version(self) -> int:
        seen = [self.version(), *(h["version"] for h in self.history())]
        vdir = self.dir / "versions"
        if vdir.is_dir():
            seen += [int(p.name) for p in vdir.iterdir() if p.name.isdigit()]
        return max(seen, default=0) + 1

    def _stage(self, src: Path) -> Path:
        """Copy the upload into the store first, so what is validated is exactly what is archived."""
        # incoming/<random>/<name>: the file keeps its own name, which problems are reported under.
        incoming = self.dir / "incoming" / uuid.uuid4().hex
        incoming.mkdir(parents=True)
        staged = incoming / (src.name if src.name not in ("", ".", "..") else "upload")
        if src.is_dir():
            shutil.copytree(src, staged, symlinks=True)
        else:
            shutil.copyfile(src, staged)
        return staged

    def _quarantine(self, staged: Path | None, name: str, sha: str, problems: list[Problem]) -> Path:
        q = self.dir / "quarantine"
        q.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = q / f"{stamp}-{sha[:12]}-{_safe_name(name)}"
        if staged is not None:
            os.replace(staged, target)
            staged.parent.rmdir()
        report = "".join(f"{p}\n" for p in problems)
        (q / (target.name + ".problems.txt")).write_text(
            f"# {name} sha256 {sha} refused {_now()}\n" + report, encoding="utf-8")
        return target

    def _publish(self, election: Election, record: dict, build: Callable[[Path], None] | None = None,
                 v: int | None = None) -> int:
        """Write version N (temp dir + rename), log it, then switch CURRENT. Caller holds the lock."""
        v = v or self._next_version()
        vdir = self.dir / "versions"
        vdir.mkdir(parents=True, exist_ok=True)
        tmp = vdir / f".tmp-{v}-{uuid.uuid4().hex[:8]}"
        if build is None:
            write_package(election, tmp)
            (tmp / PICKLE).write_bytes(pickle.dumps(election, protocol=pickle.HIGHEST_PROTOCOL))
        else:
            build(tmp)
        os.rename(tmp, vdir / str(v))
        record = {"version": v, "time": _now(), **record, "election": election.id}
        with open(self.dir / "history.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        with self._cache_lock:
            self._remember(v, election)
        _write_atomic(self.dir / "CURRENT", f"{v}\n")
        return v

    def ingest(self, path: str | os.PathLike, sheet: str | None = None) -> int:
        """Validate and publish an upload; returns the new version or raises ``Rejected`` (quarantined).

        A package (folder or .zip) replaces the served election; a lone results/turnout file updates it.
        """
        src = Path(path)
        name = src.name or "upload"
        if not src.exists():
            raise Rejected([Problem(name, 0, R.MISSING_FILE, f"{path} does not exist")])
        size = src.stat().st_size if src.is_file() else 0
        with self._lock():
            if size > max(self.limits.max_total_bytes, self.limits.max_file_bytes):
                sha = sha256_of(src)
                problems = [Problem(name, 0, R.FILE_TOO_LARGE,
                                    f"{size:,} bytes; the cap is {self.limits.max_total_bytes:,} (file not kept)")]
                raise Rejected(problems, str(self._quarantine(None, name, sha, problems)))
            staged = self._stage(src)
            sha = sha256_of(staged)
            try:
                if is_package(staged):
                    kind = "package"
                    election = load_package(staged, sheet, self.limits)
                else:
                    kind = "update"
                    if self.serves_embedded():
                        raise Rejected([Problem(name, 0, R.UPDATE_WITHOUT_ELECTION,
                                                "this is a lone results/turnout file, but the store serves the "
                                                "embedded default data (nothing ingested yet, or rolled back "
                                                "to version 0); ingest the full package (election.json + "
                                                "results.csv) first")])
                    election = load_update(staged, self.current(), sheet, self.limits)
            except Rejected as e:
                e.quarantined = str(self._quarantine(staged, name, sha, e.problems))
                raise
            except BaseException:
                shutil.rmtree(staged.parent, ignore_errors=True)
                raise
            v = self._next_version()
            archive = self.dir / "archive"
            archive.mkdir(parents=True, exist_ok=True)
            archived = archive / f"{v}-{sha[:12]}-{_safe_name(name)}"
            os.replace(staged, archived)
            staged.parent.rmdir()
            return self._publish(election, {"file": name, "sha256": sha, "kind": kind,
                                            "archive": archived.relative_to(self.dir).as_posix()}, v=v)

    def rollback(self, version: int) -> int:
        """Serve an earlier version again, as a new version (history stays append-only)."""
        with self._lock():
            known = {0, *(h["version"] for h in self.history())}
            if version not in known or (version and not (self.dir / "versions" / str(version)).is_dir()):
                raise KeyError(f"there is no version {version} (known: {', '.join(map(str, sorted(known)))})")
            if version == 0:
                election = self._embedded()
                build = None
            else:
                election = self._load(version)
                src = self.dir / "versions" / str(version)

                def build(tmp: Path, src=src) -> None:
                    shutil.copytree(src, tmp)

            return self._publish(election, {"file": None, "sha256": None, "kind": "rollback",
                                            "rollback_to": version}, build)
