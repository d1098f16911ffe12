"""Where the pages get their election: the store's current version, or the simulated rehearsal.

Every callback calls :func:`election` at request time — never a module-level snapshot — so a newly
ingested version shows without a restart. The source is attached to the Flask server by ``create_app``.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime

from flask import current_app

from dashboard.config import Config
from dashboard.results.model import Election

EXTENSION = "saylau"


class DataSource:
    """The election a running app serves, given its :class:`Config`."""

    def __init__(self, config: Config):
        self.config = config
        self._lock = threading.Lock()
        self._demo: Election | None = None
        self._demo_built: str = ""
        self._store = None
        self._served: tuple[object, tuple[Election, str]] | None = None
        self._current_file: str | None = None

    @property
    def demo(self) -> bool:
        return self.config.demo

    def store(self):
        if self._store is None:
            from dashboard.results.store import Store

            with self._lock:
                if self._store is None:
                    self._store = Store(self.config.data_dir)
        return self._store

    def election(self) -> Election:
        if self.config.demo:
            if self._demo is None:
                from dashboard.results.simulate import simulate_election

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

    def served(self) -> tuple[Election, str]:
        """(election, version key) of the served version, checked with one ``stat`` of the store's
        CURRENT file per call and read again only when it changed.

        The HTTP cache asks this on every hit; two reads of CURRENT cost more than the rest of a hit's
        work. CURRENT is only ever replaced by a rename, so a new version is a new (inode, mtime): the
        file is stat-ed *before* it is read, so a version published in between is seen at the next call,
        never hidden.
        """
        if self.config.demo:
            served = self.election()
            return served, f"{served.id}@0"
        if self._current_file is None:
            self._current_file = os.fspath(self.store().dir / "CURRENT")
        try:
            st = os.stat(self._current_file)
            signature: object = (st.st_ino, st.st_mtime_ns, st.st_size)
        except FileNotFoundError:
            signature = None
        remembered = self._served
        if remembered is not None and remembered[0] == signature:
            return remembered[1]
        served = self.store().current()
        result = (served, f"{served.id}@{self.version()}")
        self._served = (signature, result)
        return result

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


def election() -> Election:
    return source().election()


def version() -> int:
    return source().version()


def status() -> dict:
    return source().status()


def version_key() -> str:
    """The identity of the served figures, ``<election id>@<data version>``: it changes whenever they
    change, so caches key on it, never on the bare version number.

    The version is read after the election: when a version is published in between, the key names the
    new version, and whatever is rendered under it afterwards reads the new election too.
    """
    return source().served()[1]


def election_and_version_key() -> tuple[Election, str]:
    """The served election and its ``version_key()``, read together (a cache lookup needs both)."""
    return source().served()
