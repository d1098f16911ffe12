"""``python -m dashboard ingest PATH`` and ``ingest --watch DIR`` / ``serve --watch DIR``: one watcher for
every election of the data dir, each file routed as ``ingest`` routes it (store/library.py)."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path

from dashboard.commands import library, usage
from dashboard.commands import store as store_commands
from dashboard.config import default_election
from dashboard.ingest.watch import POLL, SETTLE, say_stderr, watch
from dashboard.store.library import Ingested, Library


@dataclass(frozen=True)
class Routed:
    """The library as the watcher sees it: ``ingest(path)``, lone updates to ``election`` when given."""

    library: Library
    election: str | None = None

    @property
    def dir(self) -> Path:
        return self.library.dir

    @property
    def quarantine_dir(self) -> Path:
        return self.library.quarantine_dir

    def ingest(self, path: str | os.PathLike) -> Ingested:
        return self.library.ingest(path, election=self.election)


def start_watch_thread(data_dir: str | os.PathLike, folder: str | os.PathLike, poll: float = POLL,
                       default: str | None = None) -> tuple[threading.Thread, threading.Event]:
    """Run ``watch`` in a daemon thread of this process (``serve --watch``); returns (thread, stop)."""
    stop = threading.Event()
    target = Routed(Library(data_dir, default=default or default_election() or None))
    thread = threading.Thread(target=watch, args=(target, folder, stop, poll, SETTLE, say_stderr),
                              name=f"watch:{folder}", daemon=True)
    thread.start()
    return thread, stop


def ingest_command(args) -> int:
    """``ingest PATH`` (one upload) or ``ingest --watch DIR`` (the watch loop, foreground, until Ctrl-C)."""
    if getattr(args, "watch", None) and getattr(args, "path", None):
        return usage("ingest", "give a PATH or --watch DIR, not both")
    if not getattr(args, "watch", None):
        if not getattr(args, "path", None):
            return usage("ingest", "give a PATH to ingest, or --watch DIR")
        return store_commands.ingest_command(args)
    lib = library(args)
    election = getattr(args, "election", None)
    if election is not None and not lib.known(election):
        return usage("ingest", f"there is no election {election!r} (known: {', '.join(lib.ids())}); a package "
                               "adds its election by itself")
    stop = threading.Event()
    try:
        watch(Routed(lib, election), args.watch, stop, say=lambda line: print(line, flush=True))
    except KeyboardInterrupt:
        stop.set()
        print("stopped watching", flush=True)
    return 0

