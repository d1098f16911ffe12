"""Where the pages get their election: the store's current version, or the simulated rehearsal.

Every callback calls :func:`election` at request time — never a module-level snapshot — so a newly
ingested version shows without a restart. The source is attached to the Flask server by ``create_app``.

Within one request the version is fixed at first use (:func:`election`, :func:`version`, :func:`status`
and :func:`version_key` all answer for the same version), so one response never mixes two versions even
when an ingest switches ``CURRENT`` half-way. A callback of an open page first calls
:func:`use_version` with the version the page was rendered with (its ``page-version`` store), so a map
recoloured after a new ingest still shows the figures of the page around it.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime

from flask import current_app, g, has_request_context

from dashboard import live_status
from dashboard.config import Config
from dashboard.model import Election

EXTENSION = "saylau"
log = logging.getLogger(__name__)


class DataSource:
    """The election a running app serves, given its :class:`Config`."""

    def __init__(self, config: Config):
        self.config = config
        self._lock = threading.Lock()
        self._demo: Election | None = None
        self._demo_built: str = ""
        self._store = None
        #: (signature of CURRENT, (version, election, version key)): see :meth:`served`.
        self._served: tuple[object, tuple[int, Election, str]] | None = None
        self._current_file: str | None = None

    @property
    def demo(self) -> bool:
        return self.config.demo

    def store(self):
        if self._store is None:
            from dashboard.store.store import Store

            with self._lock:
                if self._store is None:
                    self._store = Store(self.config.data_dir)
        return self._store

    def election(self) -> Election:
        if self.config.demo:
            if self._demo is None:
                from dashboard.rehearsal.simulate import simulate_election

                with self._lock:
                    if self._demo is None:
                        self._demo = simulate_election(self.config.demo_stations)
                        self._demo_built = datetime.now(UTC).isoformat(timespec="seconds")
            return self._demo
        return self.store().current()

    def version(self) -> int:
        """The data version; 0 for the demo election (it never changes while serving)."""
        if self.config.demo:
            return 0
        return int(self.store().version())

    def election_of(self, version: int, *, load: bool = False) -> Election | None:
        """The election of ``version`` if this process holds it (or can read it, with ``load``), else None."""
        if self.config.demo:
            return self.election() if version == 0 else None
        try:
            return self.store().election(int(version), load=load)
        except (KeyError, ValueError, TypeError, OverflowError):
            return None

    def content_id(self, version: int) -> str:
        """The served figures' content id (the store's manifest hash): a data dir wiped and re-ingested
        reuses version numbers, and a shared Redis must not answer for the old figures."""
        if self.config.demo:
            return f"demo{self.config.demo_stations}"
        try:
            return self.store().content_id(int(version))
        except Exception:  # a version that cannot be checked is never served, so its key is never read
            return "unknown"

    def key_of(self, version: int, election: Election) -> str:
        """The version key of ``version`` (see :func:`version_key`)."""
        return live_status.version_key(election.id, version, self.content_id(version))

    def served(self) -> tuple[int, Election, str]:
        """(version, election, version key) of the served version, checked with one ``stat`` of the
        store's CURRENT file per call and read again only when it changed.

        The HTTP cache asks this on every hit; two reads of CURRENT cost more than the rest of a hit's
        work. CURRENT is only ever replaced by a rename, so a new version is a new (inode, mtime): the
        file is stat-ed *before* it is read, so a version published in between is seen at the next call,
        never hidden.
        """
        if self.config.demo:
            demo = self.election()
            return 0, demo, self.key_of(0, demo)
        if self._current_file is None:
            self._current_file = os.fspath(self.store().dir / "CURRENT")
        signature = self._signature()
        remembered = self._served
        if remembered is not None and remembered[0] == signature:
            return remembered[1]
        v, served = self.store().served()
        result = (v, served, self.key_of(v, served))
        self._served = (signature, result)
        self._publish_status(v, served, result[2], signature)
        return result

    def _signature(self) -> object:
        try:
            st = os.stat(self._current_file)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _publish_status(self, v: int, election: Election, key: str, signature: object) -> None:
        """Make the status file nginx answers with say what this process serves (``live_status``): it
        already does after a publish; this mends it after a version is refused, or a crash between the
        switch and the write. Once per version and process; a read-only data dir is fine.

        Not when CURRENT moved on while this process loaded its version: the newer publish writes the
        file, and an older version written over it would hold every open page back until the next one.
        """
        if self._signature() != signature:
            return
        try:
            updated = live_status.updated_of(self.store().status())
            live_status.publish(self.store().dir, live_status.encode(live_status.document(election, v, key, updated)))
        except Exception as e:  # never take a request down for the status file
            log.warning("status file not updated: %s", e)

    def status(self) -> dict:
        if self.config.demo:
            self.election()
            return {"version": 0, "demo": True, "accepted_at": self._demo_built}
        try:
            return dict(self.store().status())
        except Exception:  # a status problem must never take a page down
            return {"version": self.version()}


def source() -> DataSource:
    return current_app.extensions[EXTENSION]


_PIN = "saylau_version"


def _pinned() -> tuple[int, Election, str]:
    """(version, election, version key) this request serves: fixed at first use inside a request, read
    afresh outside one (the CLI, tests calling layouts directly)."""
    if has_request_context():
        pin = g.get(_PIN)
        if pin is not None:
            return pin
    pin = source().served()
    if has_request_context():
        setattr(g, _PIN, pin)
    return pin


def use_version(version, *, load: bool = False) -> int:
    """Serve the rest of this request from ``version`` (what the page was rendered with) when the
    process holds it — or, with ``load``, when it is a published version that can be read; else from
    the current version. Returns the version served. Anything that is not a version number is ignored,
    so a forged value can at worst select another published version."""
    election = None
    if isinstance(version, int) and not isinstance(version, bool) and version >= 0:
        election = source().election_of(version, load=load)
    if election is None or not has_request_context():
        return _pinned()[0]
    setattr(g, _PIN, (version, election, source().key_of(version, election)))
    return version


def election() -> Election:
    return _pinned()[1]


def version() -> int:
    return _pinned()[0]


def version_key() -> str:
    """The identity of the served figures, ``<election id>@<data version>-<content id>``, for caches and
    ETags: it changes whenever they change, so caches key on it, never on the bare version number. The
    content id (the store's manifest hash) matters when a data dir is wiped and re-ingested: version
    numbers are then reused, and a shared Redis must not answer for the old figures."""
    return _pinned()[2]


def election_and_version_key() -> tuple[Election, str]:
    """The served election and its ``version_key()``, read together (a cache lookup needs both)."""
    _v, election, key = _pinned()
    return election, key


def served() -> tuple[int, Election, str]:
    """(version, election, version key) of this request, read together."""
    return _pinned()


def status() -> dict:
    st = source().status()
    v = version()
    if st.get("version") != v:  # the request is pinned to an earlier version than CURRENT
        st = {k: val for k, val in st.items() if k != "accepted_at"}
        st["version"] = v
    return st
