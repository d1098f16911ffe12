"""What the public API (``/api/v1/elections/…``) costs per request once a body is in the memo, next to
a bare Flask JSON route, and what building a body costs (the first request for it per version).

    python bench/bench_api.py [--requests 5000] [--stations 10000]

The app serves a real store holding one simulated version (``--stations`` polling stations, 30 % counted).
Through the Flask test client (the WSGI stack without sockets), in alternating rounds, each route is
requested ``--requests`` times: a bare ``jsonify`` route, the national results (200, and 304 with
If-None-Match), and the results of every unit (no ``unit``). Printed: µs per request (median of rounds)
and the ratio to the bare route; then the time to build each body once (memo emptied first); and how
many bodies were built for all those requests. No pass/fail: the figures are for reading.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from route_timing import BARE, per_request_us, simulated_server  # noqa: E402

from dashboard.web.public_api import EXTENSION  # noqa: E402

ROUNDS = 5
IDENTITY = {"Accept-Encoding": "identity"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--stations", type=int, default=10_000)
    args = ap.parse_args()
    with simulated_server(args.stations, "saylau-bench-api-") as server:
        client = server.test_client()
        election = client.get("/api/v1/elections").get_json()["elections"][0]["id"]
        base = f"/api/v1/elections/{election}/contests/mazhilis_party_list"
        paths = {"results kz": base + "/results?unit=kz", "results all": base + "/results",
                 "seats": base + "/seats", "turnout all": f"/api/v1/elections/{election}/turnout"}
        memo = server.extensions[EXTENSION]
        build_ms = {}
        for name, path in paths.items():  # the first request per version builds the body
            t0 = time.perf_counter()
            client.get(path, headers=IDENTITY)
            build_ms[name] = (time.perf_counter() - t0) * 1e3
        etag = client.get(paths["results kz"], headers=IDENTITY).headers["ETag"]
        per_round = max(1, args.requests // ROUNDS)
        runs: dict[str, list[float]] = {"bare": [], "results kz 200": [], "results kz 304": [],
                                        "results all 200": []}
        for _ in range(ROUNDS):
            runs["bare"].append(per_request_us(client, BARE, per_round, IDENTITY))
            runs["results kz 200"].append(per_request_us(client, paths["results kz"], per_round, IDENTITY))
            runs["results kz 304"].append(
                per_request_us(client, paths["results kz"], per_round, {**IDENTITY, "If-None-Match": etag}, 304))
            runs["results all 200"].append(per_request_us(client, paths["results all"], per_round, IDENTITY))
        print(f"# {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
              f"{args.stations:,} stations, {ROUNDS} rounds x {per_round:,} requests per route")
        bare = statistics.median(runs["bare"])
        for name, values in runs.items():
            median = statistics.median(values)
            print(f"{name:>16}: {median:7.1f} µs/request  ({median / bare:.2f}x bare)")
        for name, ms in build_ms.items():
            size = len(client.get(paths[name], headers=IDENTITY).data)
            print(f"build {name:>11}: {ms:8.1f} ms once per version ({size:,} bytes)")
        print(f"bodies built: {memo.computed} for {len(paths) + 2 + 3 * per_round * ROUNDS:,} API requests; "
              f"memo holds {memo.bytes:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
