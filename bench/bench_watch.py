"""Drop-folder latency: from a file appearing in a watched folder to the store serving its version.

    python bench/bench_watch.py [--stations 10000] [--batches 12] [--speed 3600] [--poll 0.2]

A rehearsal night (``dashboard.rehearsal.replay``) is dropped file by file (atomic rename, as ``replay``
does) into a folder watched by a separate ``python -m dashboard ingest --watch`` process, at ``--speed``
times real time. For each file the time from its rename into the folder to ``CURRENT`` naming its
version is measured (polling ``CURRENT`` every 5 ms). This is the ingest half of the issue's
"file appears -> /api/v1/status shows it" goal (≤ 2 s at p95); the status endpoint adds its own poll.
Prints p50 / p95 / max per kind of file; exit code 0 when p95 over all files is ≤ 2 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.rehearsal.replay import drop_file, rehearsal_night  # noqa: E402

TARGET_P95 = 2.0


def _current(data: Path) -> int:
    """The rehearsal election's CURRENT (``DATA_DIR/elections/<id>/CURRENT``; 0 before its package)."""
    for path in data.glob("elections/*/CURRENT"):
        try:
            return int(path.read_text())
        except (FileNotFoundError, ValueError):
            return 0
    return 0


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=10_000)
    ap.add_argument("--batches", type=int, default=12)
    ap.add_argument("--speed", type=float, default=3600.0, help="times real time (the night is 26 h)")
    ap.add_argument("--seed", type=int, default=2023)
    args = ap.parse_args(argv)

    drops = rehearsal_night(args.stations, args.seed, args.batches)
    print(f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPUs; "
          f"{args.stations:,} stations, {len(drops)} files, speed {args.speed:g}x")
    with tempfile.TemporaryDirectory() as tmp:
        folder, data = Path(tmp) / "drop", Path(tmp) / "data"
        folder.mkdir()
        watcher = subprocess.Popen([sys.executable, "-m", "dashboard", "ingest", "--watch", str(folder),
                                    "--data-dir", str(data)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        latencies: dict[str, list[float]] = {}
        try:
            began = time.monotonic()
            for version, d in enumerate(drops, start=1):
                wait = d.at / args.speed - (time.monotonic() - began) if args.speed > 0 else 0
                if wait > 0:
                    time.sleep(wait)
                drop_file(folder, d.name, d.data)
                dropped = time.monotonic()
                while _current(data) < version:
                    if time.monotonic() - dropped > 120:
                        raise SystemExit(f"bench_watch: {d.name} not served after 120 s")
                    time.sleep(0.005)
                kind = d.name.split("-", 1)[1].split("-")[0].split(".")[0]
                latencies.setdefault(kind, []).append(time.monotonic() - dropped)
        finally:
            watcher.terminate()
            watcher.wait(10)
    every = [x for v in latencies.values() for x in v]
    print(f"{'file kind':<14} {'files':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for kind, values in [*latencies.items(), ("all", every)]:
        print(f"{kind:<14} {len(values):>5} {statistics.median(values):>7.2f} {_pct(values, 0.95):>7.2f} "
              f"{max(values):>7.2f}")
    p95 = _pct(every, 0.95)
    print(f"p95 file -> CURRENT: {p95:.2f} s (goal ≤ {TARGET_P95:.0f} s): {'met' if p95 <= TARGET_P95 else 'NOT met'}")
    return 0 if p95 <= TARGET_P95 else 1


if __name__ == "__main__":
    sys.exit(main())
