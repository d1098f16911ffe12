"""What ``GET /api/v1/status`` costs next to a bare Flask JSON route, in the same app and process.

    python bench/bench_status.py [--requests 5000] [--stations 10000]

Every open page polls the status every 3-4 s, so it must cost about as much as the cheapest route Flask
can serve. The app serves a real store holding one simulated version (``--stations`` polling stations, 30 %
counted); a route ``/bench-bare`` returning a constant ``jsonify`` body is added to the same server. Each
route is requested ``--requests`` times through the Flask test client (the WSGI stack without sockets), in
alternating rounds; printed: µs per request (median of rounds) for the bare route, the status 200, the
status revalidated (304), and the ratios to the bare route. Also how many status bodies were built (1:
the memo served the rest). No pass/fail: the figures are for reading.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from route_timing import BARE, per_request_us, simulated_server  # noqa: E402

ROUNDS = 5


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--stations", type=int, default=10_000)
    args = ap.parse_args()
    with simulated_server(args.stations, "saylau-bench-status-") as server:
        client = server.test_client()
        first = client.get("/e/kz-2023-03-19/status.json")  # builds the body (loads the version)
        etag = first.headers["ETag"]
        per_round = max(1, args.requests // ROUNDS)
        runs: dict[str, list[float]] = {"bare": [], "status 200": [], "status 304": []}
        for _ in range(ROUNDS):
            runs["bare"].append(per_request_us(client, BARE, per_round))
            runs["status 200"].append(per_request_us(client, "/e/kz-2023-03-19/status.json", per_round))
            runs["status 304"].append(
                per_request_us(client, "/e/kz-2023-03-19/status.json", per_round, {"If-None-Match": etag}, 304)
            )
        memo = server.extensions["saylau_status"]
        print(f"# {platform.system()} {platform.machine()}, Python {platform.python_version()}, "
              f"{args.stations:,} stations, {ROUNDS} rounds x {per_round:,} requests per route")
        bare = statistics.median(runs["bare"])
        for name, values in runs.items():
            median = statistics.median(values)
            print(f"{name:>11}: {median:7.1f} µs/request  ({median / bare:.2f}x bare)")
        print(f"status bodies built: {memo.computed} (for {1 + 2 * per_round * ROUNDS:,} status requests)")
        print(f"body: {first.data.decode()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
