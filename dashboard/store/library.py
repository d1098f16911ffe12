"""Several elections in one data dir: each one a ``Store`` of its own, side by side.

Layout of ``data_dir``::

    elections/<election-id>/     one election's store exactly as store.py describes it (CURRENT,
                                 history.jsonl, versions/, archive/, quarantine/, incoming/, .lock,
                                 public/status.json); version 0 is its embedded package, if it has one
    elections/.lock              fcntl.flock: one new election created at a time, across processes
    unrouted/quarantine/         uploads refused before any election could take them (no readable
                                 election.json, a bad id, one election too many), with their reports

An election is there when it is embedded (a folder of ``dashboard/data/`` with an election.json, always
listed) or when its folder has a history.jsonl (something was ingested for it). A package goes to the
election its election.json names, and a new id adds that election: its versions, history, rollback,
audit trail and quarantine are its own, so ingesting one election never changes another's answers. A
lone update (results/turnout/status file, no election.json) names no election: it goes to
``--election``, else to the election whose version was accepted most recently.

A new election's folder is created under ``elections/.lock`` and only for a package that its store then
accepts: a refused package of a new id leaves no folder behind (its copy is moved to unrouted/), so
refusals cannot pile up elections. At most ``MAX_ELECTIONS`` elections (embedded ones included): every
election is listed, checked and offered in the page header, so their number is bounded.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import json
import logging
import os
import re
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.ingest import rules as R
from dashboard.ingest.names import safe_text
from dashboard.ingest.package import is_package, read_package
from dashboard.ingest.rules import Limits, Problem, Rejected, StoreProblem
from dashboard.ingest.validate import parse_election_json
from dashboard.model import Election
from dashboard.store.embedded import embedded_of, embedded_packages
from dashboard.store.store import Store, refuse_own_dir, upload_source

log = logging.getLogger(__name__)

ELECTIONS = "elections"
UNROUTED = "unrouted"
#: The most elections one data dir holds (embedded ones included).
MAX_ELECTIONS = 64
#: An election id: its folder name and the ``/e/<id>/`` of its pages.
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")


def _names_of(doc: object) -> tuple[tuple[str, str], ...]:
    """An election.json's ``names`` as (language, text) pairs; only text values, bounded (shown as text)."""
    names = doc.get("names") if isinstance(doc, dict) else None
    if not isinstance(names, dict):
        return ()
    return tuple((str(k)[:8], v[:300]) for k, v in names.items() if isinstance(v, str))


def valid_id(election_id: object) -> bool:
    return isinstance(election_id, str) and ID_PATTERN.fullmatch(election_id) is not None


@dataclass(frozen=True)
class Ingested:
    """What an ingest did: which election got which version, and why that election (``route``:
    ``package`` its election.json, ``new`` its election.json added it, ``--election`` as told,
    ``latest`` the election accepted most recently, ``default`` the front page's, nothing being ingested)."""

    election: str
    version: int
    route: str

    def __str__(self) -> str:
        why = {"package": "", "new": " (a new election)", "--election": " (as --election said)",
               "latest": " (a lone update: the election accepted most recently)",
               "default": " (a lone update: the front page's election)"}.get(self.route, "")
        return f"election {self.election} version {self.version}{why}"


@dataclass(frozen=True)
class _Meta:
    date: str
    simulated: bool
    #: The election's names by language (election.json ``names``; {} when unreadable), for the picker.
    names: tuple[tuple[str, str], ...] = ()


class Library:
    """Every election of ``data_dir``; cheap to create, safe to share between threads and processes."""

    def __init__(self, data_dir: str | os.PathLike, limits: Limits | None = None, default: str | None = None,
                 embedded: dict[str, tuple[Path, str, bool]] | None = None):
        """``default``: the front page's election when known (``SAYLAU_DEFAULT_ELECTION``,
        ``serve --default-election``). ``embedded``: id -> (package folder, date, simulated), for tests
        (default: the folders of ``dashboard/data/``)."""
        self.dir = Path(data_dir)
        self.limits = limits or Limits.from_env()
        self.default = default or None
        self._embedded = embedded_packages() if embedded is None else embedded
        self._stores: dict[str, Store] = {}
        self._meta: dict[tuple[str, int], _Meta] = {}
        self._guard = threading.Lock()

    # --- which elections ----------------------------------------------------------------------------
    def folder(self, election_id: str) -> Path:
        return self.dir / ELECTIONS / election_id

    @property
    def quarantine_dir(self) -> Path:
        """Where an upload no election took is kept (the watcher sets aside what it cannot copy there)."""
        return self.dir / UNROUTED / "quarantine"

    def _ingested(self) -> list[str]:
        """Ids with a history of their own, in name order (at most MAX_ELECTIONS are read)."""
        try:
            names = sorted(os.listdir(self.dir / ELECTIONS))
        except (FileNotFoundError, NotADirectoryError):
            return []
        return [n for n in names if valid_id(n) and (self.dir / ELECTIONS / n / "history.jsonl").is_file()]

    def _known(self) -> list[str]:
        known = list(self._embedded)
        known += [n for n in self._ingested() if n not in self._embedded]
        return known[:MAX_ELECTIONS]

    def known(self, election_id: str) -> bool:
        return election_id in self._embedded or (
            valid_id(election_id) and (self.folder(election_id) / "history.jsonl").is_file())

    def ids(self) -> list[str]:
        """Every election (embedded ∪ ingested), newest election date first (ties: id, descending)."""
        known = self._known()
        return sorted(known, key=lambda e: (self.meta(e).date, e), reverse=True)

    def meta(self, election_id: str) -> _Meta:
        """Date and ``simulated`` of an election's current version, from its election.json alone (cheap:
        listing the elections loads none of them); cached per (election, CURRENT)."""
        pointer = self._pointer(election_id)
        got = self._meta.get((election_id, pointer))
        if got is None:
            got = self._read_meta(election_id, pointer)
            self._meta[(election_id, pointer)] = got
        return got

    def _pointer(self, election_id: str) -> int:
        try:
            text = (self.folder(election_id) / "CURRENT").read_text(encoding="ascii").strip()
        except (OSError, UnicodeDecodeError):
            return 0
        return int(text) if text.isdigit() else 0

    def _read_meta(self, election_id: str, pointer: int) -> _Meta:
        if pointer:
            path = self.folder(election_id) / "versions" / str(pointer) / "election.json"
            with contextlib.suppress(OSError, ValueError, AttributeError):
                doc = json.loads(path.read_bytes()[: self.limits.max_election_json_bytes])
                return _Meta(str(doc.get("date", "")), doc.get("simulated") is True, _names_of(doc))
        if election_id in self._embedded:
            folder, date, simulated = self._embedded[election_id]
            doc = {}
            with contextlib.suppress(OSError, ValueError):
                doc = json.loads((folder / "election.json").read_bytes()[: self.limits.max_election_json_bytes])
            return _Meta(date, simulated, _names_of(doc))
        return _Meta("", False)

    def default_id(self) -> str:
        """The front page's election: ``default`` if known, else the newest non-simulated election by
        date (the newest of all when every one is simulated)."""
        ids = self.ids()
        if self.default and self.default in ids:
            return self.default
        if self.default:
            log.warning("the default election %s is not in %s; using the newest", safe_text(self.default), self.dir)
        official = [e for e in ids if not self.meta(e).simulated]
        if official or ids:
            return (official or ids)[0]
        raise StoreProblem(f"{self.dir} holds no election and none is embedded; ingest a package")

    def latest_id(self) -> str | None:
        """The election whose upload was accepted most recently (None when nothing was ingested).

        Rollbacks do not count: rolling back another election on election night must not send the
        night's next lone update there. Times are whole seconds; the archived upload's mtime breaks a tie.
        """
        best: tuple[str, int, str] | None = None
        for eid in self._known():
            if not (self.folder(eid) / "history.jsonl").is_file():
                continue
            with contextlib.suppress(StoreProblem):
                accepted = [h for h in self.store(eid).history() if h.get("kind") != "rollback"]
                if not accepted or not accepted[-1].get("time"):
                    continue
                last = accepted[-1]
                try:  # the archived upload's mtime: when it was staged, to the nanosecond
                    mtime = (self.folder(eid) / str(last.get("archive", ""))).lstat().st_mtime_ns
                except OSError:
                    mtime = 0
                if best is None or (str(last["time"]), mtime) > best[:2]:
                    best = (str(last["time"]), mtime, eid)
        return best[2] if best else None

    # --- one election -------------------------------------------------------------------------------
    def store(self, election_id: str) -> Store:
        """The store of one election; ``KeyError`` for an election this data dir does not hold (never
        creates one: only ``ingest`` of its package does)."""
        got = self._stores.get(election_id)
        if got is not None:
            return got
        if not self.known(election_id):
            raise KeyError(f"there is no election {safe_text(str(election_id))!r} (known: {', '.join(self.ids())})")
        with self._guard:
            got = self._stores.get(election_id)
            if got is None:
                got = self._open(election_id)
                self._stores[election_id] = got
        return got

    def _open(self, election_id: str) -> Store:
        if election_id in self._embedded:
            path = self._embedded[election_id][0]
            return Store(self.folder(election_id), self.limits, functools.partial(embedded_of, election_id),
                         embedded_dir=path, election_id=election_id)
        return Store(self.folder(election_id), self.limits, None, election_id=election_id)

    def served(self, election_id: str) -> tuple[int, Election]:
        """(version, election) served now for one election (``KeyError`` when unknown)."""
        return self.store(election_id).served()

    # --- ingesting ----------------------------------------------------------------------------------
    def ingest(self, path: str | os.PathLike, *, election: str | None = None, sheet: str | None = None) -> Ingested:
        """Route an upload to its election and ingest it there; raises ``Rejected`` (kept in quarantine)
        or ``StoreProblem`` like ``Store.ingest``. A refused upload changes no election."""
        src, _ = upload_source(path)
        refuse_own_dir(src, self.dir)
        if is_package(src):
            return self._ingest_package(src, election, sheet)
        if election is not None:
            if not self.known(election):
                raise self._unrouted().keep_refused(src, [Problem(
                    src.name, 0, R.UNKNOWN_ELECTION,
                    f"--election {safe_text(election)} names no election of this data dir (known: "
                    f"{', '.join(self.ids())}); ingest its package first")])
            return Ingested(election, self.store(election).ingest(src, sheet=sheet), "--election")
        target, route = self.latest_id(), "latest"
        if target is None:
            target, route = self.default_id(), "default"  # serves its embedded package: the store refuses
        return Ingested(target, self.store(target).ingest(src, sheet=sheet), route)

    def _ingest_package(self, src: Path, election: str | None, sheet: str | None) -> Ingested:
        eid = self._package_id(src)
        if election is not None and election != eid:
            raise self._unrouted().keep_refused(src, [Problem(
                "election.json", 0, R.ELECTION_MISMATCH,
                f"this package is of election {eid}, not of --election {safe_text(election)}; leave --election "
                "out (a package goes to the election its election.json names) or give the right package")])
        if self.known(eid):
            return Ingested(eid, self.store(eid).ingest(src, sheet=sheet), "package")
        with self._creating():
            if self.known(eid):  # another process created it while this one waited
                return Ingested(eid, self.store(eid).ingest(src, sheet=sheet), "package")
            return Ingested(eid, self._add(eid, src, sheet), "new")

    def _package_id(self, src: Path) -> str:
        """The election id a package names, checked; raises Rejected (kept in unrouted/quarantine)."""
        try:
            files = read_package(src, self.limits)
        except Rejected as e:
            raise self._unrouted().keep_refused(src, e.problems) from None
        data = files.get("election.json")
        if data is None:
            raise self._unrouted().keep_refused(src, [Problem("election.json", 0, R.MISSING_FILE,
                                                              "the package has no election.json")])
        meta, problems = parse_election_json(data, limits=self.limits)
        if meta is None:
            raise self._unrouted().keep_refused(src, problems)
        if not valid_id(meta.id):
            raise self._unrouted().keep_refused(src, [Problem(
                "election.json", _line_of_id(data), R.BAD_ELECTION_ID,
                f"the id {safe_text(meta.id)!r} cannot name an election: use 1-63 lowercase Latin letters, digits "
                "and hyphens, starting with a letter or digit (e.g. kz-2024-10-06)")])
        return meta.id

    def _add(self, eid: str, src: Path, sheet: str | None) -> int:
        """Create election ``eid`` from its first package. Caller holds ``elections/.lock``."""
        self._remove_leftovers()
        if len(self._known()) >= MAX_ELECTIONS:
            raise self._unrouted().keep_refused(src, [Problem(
                "election.json", 0, R.TOO_MANY_ELECTIONS,
                f"election {eid} would be one more than the {MAX_ELECTIONS} elections a data dir holds; nothing "
                "was added")])
        folder = self.folder(eid)
        try:
            folder.mkdir()
        except OSError as e:
            raise StoreProblem(f"cannot create {folder} ({e.strerror or e}); nothing was added: check the disk "
                               "and its permissions, and run the same command again") from None
        store = self._open(eid)
        try:
            return store.ingest(src, sheet=sheet)
        except Rejected as e:
            e.quarantined = self._move_to_unrouted(e.quarantined)
            raise
        finally:
            if not (folder / "history.jsonl").is_file():
                shutil.rmtree(folder, ignore_errors=True)

    def _remove_leftovers(self) -> None:
        """Folders of elections that never got a version (a crash while one was created). Caller holds
        ``elections/.lock``, under which alone such a folder is made. A folder with a CURRENT was served
        once: its missing history is damage for the operator to see, never removed here."""
        with contextlib.suppress(OSError):
            for p in (self.dir / ELECTIONS).iterdir():
                if (valid_id(p.name) and p.name not in self._embedded and not (p / "history.jsonl").exists()
                        and not (p / "CURRENT").exists()):
                    log.warning("removing %s: an election created by an interrupted ingest", p)
                    shutil.rmtree(p, ignore_errors=True)

    def _move_to_unrouted(self, kept: str | None) -> str | None:
        """Move a refused new election's quarantined copy (and its report) into unrouted/quarantine."""
        if not kept:
            return kept
        target = self.quarantine_dir / Path(kept).name
        try:
            self.quarantine_dir.mkdir(parents=True, exist_ok=True)
            for suffix in ("", ".problems.txt"):
                if os.path.lexists(kept + suffix):
                    os.replace(kept + suffix, str(target) + suffix)
        except OSError as e:
            log.error("could not keep %s: %s", kept, e)
            return None
        return str(target)

    def _unrouted(self) -> Store:
        return Store(self.dir / UNROUTED, self.limits, None)

    @contextlib.contextmanager
    def _creating(self) -> Iterator[None]:
        """Hold ``elections/.lock``: one new election at a time, across processes."""
        root = self.dir / ELECTIONS
        try:
            root.mkdir(parents=True, exist_ok=True)
            fh = open(root / ".lock", "a+")  # noqa: SIM115 - closed below, after the flock
        except OSError as e:
            raise StoreProblem(f"cannot open {root} ({e.strerror or e}); nothing was added: check the disk and "
                               "its permissions") from None
        with fh:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)

    # --- the operator's view ------------------------------------------------------------------------
    def status(self) -> dict:
        """Every election (newest first) with its served version and history, and the front page's."""
        elections = []
        for eid in self.ids():
            meta = self.meta(eid)
            entry = {"id": eid, "date": meta.date, "simulated": meta.simulated,
                     "embedded": eid in self._embedded, **self.store(eid).status()}
            entry["election"] = entry.get("election") or eid
            elections.append(entry)
        out: dict[str, object] = {"default": None, "elections": elections}
        with contextlib.suppress(StoreProblem):
            out["default"] = self.default_id()
        legacy = self.legacy_problem()
        if legacy:
            out["problems"] = [legacy]
        return out

    def check(self) -> dict[str, list[str]]:
        """Election id -> what fails its checks (every stored version against manifest and history)."""
        return {eid: problems for eid in self.ids() if (problems := self.store(eid).check())}

    def legacy_problem(self) -> str | None:
        """A store of the one-election layout (CURRENT at the data dir's root, before issue #18) is not read."""
        if (self.dir / "CURRENT").exists() or (self.dir / "history.jsonl").exists():
            return (f"{self.dir} holds a store of the one-election layout (CURRENT and history.jsonl at its root), "
                    f"which is no longer read; move those files and folders into {self.dir / ELECTIONS}/<its "
                    "election id>/ (the id its status named), or ingest its packages again")
        return None


def _line_of_id(data: bytes) -> int:
    """The line of election.json holding its ``"id"`` key (1 when it cannot be told)."""
    for n, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
        if re.search(r'"id"\s*:', line):
            return n
    return 1
