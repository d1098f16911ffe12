"""Where the pages get their election: the store's current version, or the simulated rehearsal.

Every callback calls :func:`election` at request time — never a module-level snapshot — so a newly
ingested version shows without a restart. The source is attached to the Flask server by ``create_app``.
"""

from __future__ import annotations

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


def last_update(st: dict) -> str:
    """When the served version was accepted (ISO text), or "" when the store does not say (version 0 is
    the embedded package, which was never ingested)."""
    if st.get("accepted_at"):
        return str(st["accepted_at"])
    version = st.get("version")
    for record in reversed(st.get("history") or []):
        if record.get("version") == version and record.get("time"):
            return str(record["time"])
    return ""
