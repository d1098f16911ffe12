"""Which election and version a request reads: one of the library's elections (``DATA_DIR/elections/<id>/``,
each a store of its own) or the simulated rehearsal.

Every callback calls :func:`election` at request time — never a module-level snapshot — so a newly
ingested version shows without a restart. The source is attached to the Flask server by ``create_app``.

**Which election.** Every URL names its election (``/e/<id>/…``); ``/`` is the default election's home
(``Library.default_id()``). A request's election is, in this order: the one a handler selected
(:func:`use_election`: the pages' layouts from their ``election`` path variable, the shell callbacks from
the pathname, the page callbacks from their ``page-version`` store through :func:`use_version`), else the
one its own path names (``/e/<id>/download/…``, ``/e/<id>/status.json``, a page GET), else the default.

**Which version.** Within one request the version is fixed at first use (:func:`election`,
:func:`version`, :func:`status` and :func:`version_key` all answer for the same version), so one response
never mixes two versions even when an ingest switches ``CURRENT`` half-way. A callback of an open page
first calls :func:`use_version` with what the page was rendered with (its ``page-version`` store,
``{"election": id, "version": n}``), so a map recoloured after a new ingest still shows the figures of the
page around it, of its own election.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import UTC, datetime

from flask import current_app, g, has_request_context, request

from dashboard import live_status
from dashboard.config import Config
from dashboard.model import Election

EXTENSION = "saylau"
log = logging.getLogger(__name__)


#: How long the list of elections is trusted while the elections folder is unchanged (seconds).
IDS_FRESH_S = 1.0
#: The URL prefix of an election: ``/e/<id>/…``.
PREFIX = "/e/"


class UnknownElection(KeyError):
    """An election id the library does not have: a 404 wherever it is asked for."""


def election_in_path(path: str | None) -> str | None:
    """The election id a path names (``/e/<id>`` or ``/e/<id>/…``, whether served or not), or None: a path
    of no election (the default one's)."""
    if not path or not path.startswith(PREFIX):
        return None
    return path[len(PREFIX):].split("/", 1)[0][:100]


def versions_path(election_id: str) -> str:
    """Where an election's audit trail is (``dashboard.web.audit_api``)."""
    return f"/api/v1/elections/{election_id}/versions"


def feed_path(election_id: str) -> str:
    """Where an election's Atom feed of new versions is."""
    return f"{PREFIX}{election_id}/feeds/versions.atom"


def page_version_of(election_id: str, version: int) -> dict:
    """What a page's ``page-version`` (and the shell's ``data-version``) store holds."""
    return {"election": election_id, "version": version}


def _library(config: Config):
    """The library of the data dir (``dashboard.store.library``)."""
    from dashboard.store.library import Library

    return Library(config.data_dir, default=config.default_election or None)


class DataSource:
    """The elections a running app serves, given its :class:`Config`."""

    def __init__(self, config: Config):
        self.config = config
        self._lock = threading.Lock()
        self._demo: Election | None = None
        self._demo_built: str = ""
        self._library = None
        #: election id -> (signature of its CURRENT, (version, election, version key)): see :meth:`served`.
        self._served: dict[str, tuple[object, tuple[int, Election, str]]] = {}
        #: (signature of the elections folder, when read, ids, default id): see :meth:`_known`.
        self._ids: tuple[object, float, tuple[str, ...], str] | None = None

    @property
    def demo(self) -> bool:
        return self.config.demo

    def library(self):
        if self._library is None:
            with self._lock:
                if self._library is None:
                    self._library = _library(self.config)
        return self._library

    # --- which elections ---------------------------------------------------------------------------

    def _elections_signature(self) -> object:
        try:
            st = os.stat(os.path.join(self.config.data_dir, "elections"))
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def _known(self) -> tuple[tuple[str, ...], str]:
        """(ids newest first, default id), read again when the elections folder changed (one ``stat``: a
        new election is a new folder in it) or ``IDS_FRESH_S`` after it was read (the folder is created
        before its history: an election becomes known when its history is written). The HTTP cache asks
        this on every hit; the library reads a file per election."""
        if self.config.demo:
            demo = self.election_demo()
            return (demo.id,), demo.id
        signature, now = self._elections_signature(), time.monotonic()
        remembered = self._ids
        if remembered is not None and remembered[0] == signature and now - remembered[1] < IDS_FRESH_S:
            return remembered[2], remembered[3]
        library = self.library()
        ids, default = tuple(library.ids()), library.default_id()
        self._ids = (signature, now, ids, default)
        return ids, default

    def ids(self) -> tuple[str, ...]:
        """Every election served, newest election date first."""
        return self._known()[0]

    def default_id(self) -> str:
        """The front page's election."""
        return self._known()[1]

    def knows(self, election_id) -> bool:
        if not isinstance(election_id, str):
            return False
        if election_id in self._known()[0]:
            return True
        return self._published_since(election_id) and election_id in self._known()[0]

    def _published_since(self, election_id: str) -> bool:
        """Whether ``election_id`` was published after the ids were read — a new election's folder is
        created before its history, so a read in between (render on publish watches every 0.2 s) left it
        out for up to ``IDS_FRESH_S`` and its first requests answered 404. One ``stat`` of its history for
        a valid id not known; then the ids are read again."""
        from dashboard.store.library import ELECTIONS, valid_id

        if self.config.demo or not valid_id(election_id):
            return False
        if not os.path.isfile(os.path.join(self.config.data_dir, ELECTIONS, election_id, "history.jsonl")):
            return False
        self._ids = None
        return True

    def resolve(self, election_id: str | None) -> str:
        """``election_id`` if served, the default for None; :class:`UnknownElection` otherwise."""
        if election_id is None:
            return self.default_id()
        if not self.knows(election_id):
            raise UnknownElection(election_id)
        return election_id

    def store(self, election_id: str | None = None):
        """The store of an election (the default one for None); None for the demo election."""
        if self.config.demo:
            return None
        return self.library().store(self.resolve(election_id))

    # --- which version -----------------------------------------------------------------------------

    def election_demo(self) -> Election:
        if self._demo is None:
            from dashboard.rehearsal.simulate import simulate_election

            with self._lock:
                if self._demo is None:
                    self._demo = simulate_election(self.config.demo_stations)
                    self._demo_built = datetime.now(UTC).isoformat(timespec="seconds")
        return self._demo

    def election(self, election_id: str | None = None) -> Election:
        return self.served(election_id)[1]

    def version(self, election_id: str | None = None) -> int:
        """The data version; 0 for the demo election (it never changes while serving)."""
        return self.served(election_id)[0]

    def election_of(self, election_id: str | None, version: int, *, load: bool = False) -> Election | None:
        """The election ``election_id`` at ``version`` if this process holds it (or can read it, with
        ``load``), else None."""
        if self.config.demo:
            return self.election_demo() if version == 0 else None
        try:
            return self.store(election_id).election(int(version), load=load)
        except (KeyError, ValueError, TypeError, OverflowError):
            return None

    def content_id(self, election_id: str | None, version: int) -> str:
        """The served figures' content id (the store's manifest hash): a data dir wiped and re-ingested
        reuses version numbers, and a shared Redis must not answer for the old figures."""
        if self.config.demo:
            return f"demo{self.config.demo_stations}"
        try:
            return self.store(election_id).content_id(int(version))
        except Exception:  # a version that cannot be checked is never served, so its key is never read
            return "unknown"

    def key_of(self, version: int, election: Election) -> str:
        """The version key of ``version`` of ``election`` (see :func:`version_key`)."""
        return live_status.version_key(election.id, version, self.content_id(election.id, version))

    def served(self, election_id: str | None = None) -> tuple[int, Election, str]:
        """(version, election, version key) served of an election (the default one for None), checked
        with one ``stat`` of its CURRENT file per call and read again only when it changed.

        The HTTP cache asks this on every hit; two reads of CURRENT cost more than the rest of a hit's
        work. CURRENT is only ever replaced by a rename, so a new version is a new (inode, mtime): the
        file is stat-ed *before* it is read, so a version published in between is seen at the next call,
        never hidden. Each election has its own CURRENT: a publish of one never touches another's answer.
        """
        if self.config.demo:
            demo = self.election_demo()
            return 0, demo, self.key_of(0, demo)
        election_id = self.resolve(election_id)
        store = self.store(election_id)
        signature = _signature(store.dir / "CURRENT")
        remembered = self._served.get(election_id)
        if remembered is not None and remembered[0] == signature:
            return remembered[1]
        v, served = store.served()
        result = (v, served, self.key_of(v, served))
        self._served[election_id] = (signature, result)
        self._publish_status(store, v, served, result[2], signature)
        return result

    def _publish_status(self, store, v: int, election: Election, key: str, signature: object) -> None:
        """Make the status file nginx answers with (``DATA_DIR/elections/<id>/public/status.json``) say
        what this process serves (``live_status``): it already does after a publish; this mends it after
        a version is refused, or a crash between the switch and the write. Once per version and process;
        a read-only data dir is fine.

        Not when CURRENT moved on while this process loaded its version: the newer publish writes the
        file, and an older version written over it would hold every open page back until the next one.
        """
        if _signature(store.dir / "CURRENT") != signature:
            return
        try:
            updated = live_status.updated_of(store.status())
            live_status.publish(store.dir, live_status.encode(live_status.document(election, v, key, updated)))
        except Exception as e:  # never take a request down for the status file
            log.warning("status file not updated: %s", e)

    def status(self, election_id: str | None = None) -> dict:
        if self.config.demo:
            self.election_demo()
            return {"version": 0, "demo": True, "accepted_at": self._demo_built}
        try:
            return dict(self.store(election_id).status())
        except UnknownElection:
            raise
        except Exception:  # a status problem must never take a page down
            return {"version": self.version(election_id)}


def _signature(path) -> object:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def source() -> DataSource:
    return current_app.extensions[EXTENSION]


def source_of(server) -> DataSource:
    """The data source of a Flask server (outside its app context)."""
    return server.extensions[EXTENSION]


_PINS = "saylau_pins"
_ELECTION = "saylau_election"


def election_id() -> str:
    """The election of this request (see the module's docstring); the default one outside a request.
    Raises :class:`UnknownElection` when the path names an election that is not served."""
    if has_request_context():
        chosen = g.get(_ELECTION)
        if chosen is not None:
            return chosen
        chosen = source().resolve(election_in_path(request.path))
        setattr(g, _ELECTION, chosen)
        return chosen
    return source().default_id()


def use_election(election_id: str | None) -> str:
    """Serve the rest of this request from ``election_id`` (None: the default election); returns its id.
    :class:`UnknownElection` for an id that is not served (the caller answers 404)."""
    chosen = source().resolve(election_id)
    if has_request_context():
        setattr(g, _ELECTION, chosen)
    return chosen


def use_path(pathname: str | None) -> str:
    """Serve the rest of this request from the election a browser path names (``/``: the default)."""
    return use_election(election_in_path(pathname) if pathname and pathname.startswith(PREFIX) else None)


def _pinned() -> tuple[int, Election, str]:
    """(version, election, version key) this request serves of its election: fixed at first use inside a
    request, read afresh outside one (the CLI, tests calling layouts directly)."""
    chosen = election_id()
    if has_request_context():
        pins = g.get(_PINS)
        if pins is None:
            pins = {}
            setattr(g, _PINS, pins)
        pin = pins.get(chosen)
        if pin is None:
            pin = pins[chosen] = source().served(chosen)
        return pin
    return source().served(chosen)


def use_version(version, *, load: bool = False, select: bool = False) -> int:
    """Serve the rest of this request from ``version`` (what the page was rendered with) when the
    process holds it — or, with ``load``, when it is a published version that can be read; else from
    the current version. Returns the version served.

    ``version`` is a page's ``{"election": id, "version": n}`` or a bare number (of the request's
    election). With ``select`` (a page's own callbacks: the store is all they know of their page) the
    election it names becomes the request's; without (the routing callback: the path names the
    election), a version of another election is ignored. Anything else is ignored too, so a forged value
    can at worst select another published version."""
    if isinstance(version, dict):
        named = version.get("election")
        if select and source().knows(named):
            use_election(named)
        elif named != election_id():
            return _pinned()[0]
        version = version.get("version")
    election = None
    if isinstance(version, int) and not isinstance(version, bool) and version >= 0:
        election = source().election_of(election_id(), version, load=load)
    if election is None or not has_request_context():
        return _pinned()[0]
    pins = g.get(_PINS)
    if pins is None:
        pins = {}
        setattr(g, _PINS, pins)
    pins[election_id()] = (version, election, source().key_of(version, election))
    return version


def election() -> Election:
    return _pinned()[1]


def version() -> int:
    return _pinned()[0]


def page_version() -> dict:
    """``{"election": id, "version": n}`` of this request: what a page's ``page-version`` store holds."""
    v, served, _key = _pinned()
    return page_version_of(election_id(), v)


def version_key() -> str:
    """The identity of the served figures, ``<election id>@<data version>-<content id>``, for caches and
    ETags: it changes whenever they change, so caches key on it, never on the bare version number; the
    election id in it keeps the keys of two elections apart. The content id (the store's manifest hash)
    matters when a data dir is wiped and re-ingested: version numbers are then reused, and a shared Redis
    must not answer for the old figures."""
    return _pinned()[2]


def election_and_version_key() -> tuple[Election, str]:
    """The served election and its ``version_key()``, read together (a cache lookup needs both)."""
    _v, election, key = _pinned()
    return election, key


def served() -> tuple[int, Election, str]:
    """(version, election, version key) of this request, read together."""
    return _pinned()


def elections() -> list[tuple[str, str, dict]]:
    """(id, date, names) of every election served, newest first (the header's picker), from each
    election.json alone (``Library.meta``): with seven embedded elections, loading each one in full for the
    header cost every worker's first page all of their results. An election whose store cannot be read is
    left out here; its own pages say what is wrong."""
    src = source()
    if src.demo:
        e = src.election_demo()
        return [(e.id, e.date, dict(e.names))]
    library = src.library()
    listed = []
    for eid in src.ids():
        try:
            meta = library.meta(eid)
        except Exception as exc:  # never take the header down for one election
            log.warning("election %s not listed: %s", eid, exc)
            continue
        listed.append((eid, meta.date, dict(meta.names)))
    return listed


def status() -> dict:
    st = source().status(election_id())
    v = version()
    if st.get("version") != v:  # the request is pinned to an earlier version than CURRENT
        st = {k: val for k, val in st.items() if k != "accepted_at"}
        st["version"] = v
    return st
