"""An app serving one ingested election as its front page, for the tests written when the site served one
election: ``/`` (and a layout called outside an election's path) is then that election's, as
``SAYLAU_DEFAULT_ELECTION`` makes it in production (a simulated election is never the default by itself)."""

from __future__ import annotations

from pathlib import Path

from dashboard.store.library import Library


def ingest(data_dir: Path, package: Path) -> str:
    """Ingest ``package`` into the library of ``data_dir``; its election's id."""
    return Library(data_dir).ingest(package).election


def serve(data_dir: Path, package: Path | None = None, **config):
    """The app of ``data_dir`` with ``package`` ingested (if given) and its election as the front page's."""
    from dashboard.app import create_app
    from dashboard.config import Config

    if package is not None:
        config.setdefault("default_election", ingest(data_dir, package))
    return create_app(Config(data_dir=data_dir, **config))


#: The 2023 Mazhilis election, embedded. Since the six earlier and later votes are embedded too, the front
#: page is the newest (the 2026 referendum); tests about the 2023 election's pages or about the front page's
#: behaviour with 2023 on it serve it as the default (``default_election=E2023``), as
#: ``SAYLAU_DEFAULT_ELECTION`` would in production.
E2023 = "kz-2023-03-19"
