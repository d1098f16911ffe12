"""What the route benches (``bench_status.py``, ``bench_api.py``) share: the app on a store holding one
simulated version, with a bare ``jsonify`` route beside the real ones, and a timer for one route.

Timed through the Flask test client (the WSGI stack without sockets), so the figures are the app's own
cost per request, comparable with the bare route in the same process.
"""

from __future__ import annotations

import contextlib
import tempfile
import time
from pathlib import Path

from flask import jsonify

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.store import Store

BARE = "/bench-bare"


@contextlib.contextmanager
def simulated_server(stations: int, prefix: str):
    """The Flask server of an app serving ``stations`` simulated polling stations, 30 % counted, plus
    ``BARE``: a constant ``jsonify`` answer, the cheapest route Flask serves."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        package = write_simulated(Path(tmp) / "sim", stations, 2023, reported_fraction=0.3)
        Store(Path(tmp) / "data").ingest(package)
        server = create_app(Config(data_dir=Path(tmp) / "data")).server

        @server.route(BARE)
        def bench_bare():
            return jsonify({"election": "x", "version": 1, "status": "counting"})

        yield server


def per_request_us(client, path: str, n: int, headers=None, status=200) -> float:
    """Mean µs per request over ``n`` GETs of ``path``; stops the bench on an unexpected status."""
    t0 = time.perf_counter()
    for _ in range(n):
        resp = client.get(path, headers=headers)
        if resp.status_code != status:
            raise SystemExit(f"{path}: {resp.status_code}, expected {status}")
    return (time.perf_counter() - t0) / n * 1e6
