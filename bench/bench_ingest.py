"""Ingest benchmark: how long ``Store.ingest`` takes for 1k / 10k / 100k polling stations.

    python bench/bench_ingest.py [--sizes 1000,10000,100000] [--repeat 3] [--keep DIR]

Simulated packages (``dashboard.rehearsal.simulate``) are written once into a temporary folder; each is
ingested into a fresh, empty store. Only ``Store.ingest`` is timed (best of ``--repeat`` for sizes up to
10k, one run above). Then ``Store.current()`` is timed on an unchanged store (should be microseconds:
the current election is cached), and the first ``current()`` after a new version.

Target: 10,000 stations ingest in under 2 s. Exit code 0 when met, 1 otherwise.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.rehearsal.simulate import write_simulated  # noqa: E402

TARGET_STATIONS = 10_000
TARGET_SECONDS = 2.0


def _store_class():
    try:
        from dashboard.store.store import Store
    except ImportError as exc:  # the store is written by another part of the project
        sys.exit(f"bench_ingest: dashboard.store.store is not available ({exc})")
    return Store


def _rows(package: Path) -> int:
    with open(package / "results.csv", "rb") as f:
        return sum(1 for _ in f) - 1


def _time_ingest(Store, package: Path, work: Path, repeat: int) -> tuple[float, list[float]]:
    runs = []
    for i in range(repeat):
        store_dir = work / f"store-{package.name}-{i}"
        store = Store(store_dir)
        t0 = time.perf_counter()
        store.ingest(package)
        runs.append(time.perf_counter() - t0)
        shutil.rmtree(store_dir, ignore_errors=True)
    return min(runs), runs


def _time_current(Store, package: Path, other: Path, work: Path) -> dict[str, float]:
    """current() on an unchanged store (cached) and the first current() after a new version."""
    store_dir = work / "store-current"
    store = Store(store_dir)
    store.ingest(package)
    store.current()  # warm
    n = 10_000
    t0 = time.perf_counter()
    for _ in range(n):
        store.current()
    unchanged = (time.perf_counter() - t0) / n

    # A second Store object on the same directory sees the new version (as another worker would).
    reader = Store(store_dir)
    reader.current()
    store.ingest(other)
    t0 = time.perf_counter()
    election = reader.current()
    first_after = time.perf_counter() - t0
    t0 = time.perf_counter()
    reader.current()
    second_after = time.perf_counter() - t0
    shutil.rmtree(store_dir, ignore_errors=True)
    return {
        "unchanged": unchanged,
        "first_after_new_version": first_after,
        "second_after_new_version": second_after,
        "new_id": election.id,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size up to 10k (best is kept)")
    parser.add_argument("--keep", default=None, help="write the packages here and keep them")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    Store = _store_class()

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    with tempfile.TemporaryDirectory(prefix="saylau-bench-") as tmp:
        work = Path(tmp)
        pkg_dir = Path(args.keep) if args.keep else work / "packages"
        packages = {}
        for n in sizes:
            t0 = time.perf_counter()
            packages[n] = write_simulated(pkg_dir / f"sim-{n}", n, seed=2023)
            print(f"  simulated {n:>7,} stations in {time.perf_counter() - t0:5.2f} s", file=sys.stderr)

        print()
        print(
            f"{'stations':>9} {'rows':>9} {'runs':>4} {'best s':>8} {'rows/s':>10} {'growth':>7}  all runs (s)"
        )
        results = {}
        previous = None
        for n in sizes:
            repeat = args.repeat if n <= TARGET_STATIONS else 1
            best, runs = _time_ingest(Store, packages[n], work, repeat)
            rows = _rows(packages[n])
            growth = f"{best / previous:6.1f}x" if previous else "      -"
            print(
                f"{n:>9,} {rows:>9,} {repeat:>4} {best:>8.3f} {rows / best:>10,.0f} {growth:>7}  "
                + " ".join(f"{r:.3f}" for r in runs)
            )
            results[n] = best
            previous = best

        base = sizes[min(1, len(sizes) - 1)]
        other = write_simulated(work / "packages-other" / "sim-other", base, seed=2024)
        cur = _time_current(Store, packages[base], other, work)
        print()
        print(
            f"Store.current(), unchanged store ({base:,} stations): {cur['unchanged'] * 1e6:,.1f} µs per call"
        )
        print(
            f"Store.current(), first call after a new version:  {cur['first_after_new_version'] * 1e3:,.1f} ms "
            f"(then {cur['second_after_new_version'] * 1e6:,.1f} µs; sees {cur['new_id']})"
        )

    print()
    if TARGET_STATIONS in results:
        ok = results[TARGET_STATIONS] < TARGET_SECONDS
        print(
            f"{'PASS' if ok else 'FAIL'}: {TARGET_STATIONS:,} stations ingest in "
            f"{results[TARGET_STATIONS]:.3f} s (target < {TARGET_SECONDS:.0f} s)"
        )
        return 0 if ok else 1
    print(f"(target size {TARGET_STATIONS:,} not measured)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
