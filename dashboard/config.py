"""Runtime settings, from arguments first, then environment variables, then defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def default_data_dir() -> Path:
    return Path(os.environ.get("SAYLAU_DATA_DIR", "data"))


def default_election() -> str:
    return os.environ.get("SAYLAU_DEFAULT_ELECTION", "").strip()


def projection_enabled() -> bool:
    """Whether the night's estimate is computed and shown (``SAYLAU_PROJECTION=off`` switches it off; also
    ``0``, ``false``, ``no``): docs/projection.md."""
    return os.environ.get("SAYLAU_PROJECTION", "").strip().lower() not in ("off", "0", "false", "no")


@dataclass(frozen=True)
class Config:
    #: The versioned store; empty (or missing) means the embedded 2023 package is served.
    data_dir: Path = Path("data")
    #: Serve the simulated rehearsal election instead of the store (``serve --demo``).
    demo: bool = False
    #: Number of polling stations in the demo election.
    demo_stations: int = 2000
    #: ``redis://…`` for the production cache; empty means an in-process cache (one worker, dev).
    redis_url: str = ""
    #: Seconds a cached figure may live; entries are keyed by data version, so this only bounds memory.
    cache_timeout: int = 3600
    debug: bool = False
    #: Behind a reverse proxy (deploy/'s nginx, ``SAYLAU_TRUST_PROXY=1``): take the client's scheme, host and
    #: port from one hop of ``X-Forwarded-Proto/Host/Port`` (and ``-For``), so absolute URLs (``og:image``,
    #: the Atom feed) name the site as the reader sees it. Off by default: a client talking to the app
    #: directly could otherwise choose the host those URLs name.
    trust_proxy: bool = False
    #: The front page's election (``SAYLAU_DEFAULT_ELECTION``, ``serve --default-election``); empty (or an
    #: election the data dir does not hold) means the newest non-simulated election by date
    #: (``Library.default_id``).
    default_election: str = ""

    @classmethod
    def from_env(cls, **overrides) -> Config:
        values: dict[str, Any] = dict(
            data_dir=default_data_dir(),
            redis_url=os.environ.get("SAYLAU_REDIS_URL", os.environ.get("REDIS_URL", "")),
            demo=os.environ.get("SAYLAU_DEMO", "") not in ("", "0", "false"),
            trust_proxy=os.environ.get("SAYLAU_TRUST_PROXY", "") not in ("", "0", "false"),
            default_election=default_election(),
        )
        values.update({k: v for k, v in overrides.items() if v is not None})
        values["data_dir"] = Path(values["data_dir"])
        return cls(**values)
