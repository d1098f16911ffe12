"""Load benchmark: what a web worker pays the first time it serves a new version.

    python bench/bench_load.py [--stations 10000] [--repeat 5]

Ingests one simulated package into a fresh store, then times, in fresh ``Store`` objects (as a new web
worker would): the check of every file against the manifest; ``Store.current()`` reading the tables
from ``.frames.npz``; and the same with the cache removed, i.e. re-validating the canonical CSVs. This is
the measurement behind keeping the no-pickle fast-load copy (docs/format.md, "No code on load").
Prints figures only; exit code 0.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.rehearsal.simulate import write_simulated  # noqa: E402
from dashboard.store.fastload import FRAMES  # noqa: E402
from dashboard.store.manifest import verified_files  # noqa: E402
from dashboard.store.store import Store  # noqa: E402


def _times(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--stations", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        pkg = write_simulated(Path(tmp) / "pkg", args.stations)
        store = Store(Path(tmp) / "data")
        v = store.ingest(pkg)
        folder = store.dir / "versions" / str(v)
        record = store.history()[-1]
        rows = len(store.current().results)
        verify = _times(lambda: verified_files(folder, record["manifest_sha256"], "v"), args.repeat)
        cached = _times(lambda: Store(store.dir).current(), args.repeat)
        # Without the cache the manifest no longer matches; measure the CSV path through the same loader.
        from dashboard.ingest.package import load_package

        csv = _times(lambda: load_package(folder), args.repeat)
        size = (folder / FRAMES).stat().st_size
    print(f"{args.stations:,} stations ({rows:,} result rows), best / median of {args.repeat}:")
    for label, runs in (("verify every file against the manifest", verify),
                        ("Store.current() in a fresh worker (verify + .frames.npz)", cached),
                        ("validate the canonical CSVs (no cache)", csv)):
        print(f"  {label:<58} {min(runs) * 1000:8.1f} ms  {statistics.median(runs) * 1000:8.1f} ms")
    print(f"  .frames.npz size: {size / 2**20:.1f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
