"""Election night end to end: a rehearsal night dropped into a watched folder while the production stack
(deploy/local.sh: nginx, two app instances, Redis) serves it under load.

    python bench/bench_live.py [--stations 10000] [--batches 8] [--clients 8]

- A separate ``python -m dashboard ingest --watch DROP`` process feeds the stack's data dir, as in the
  README's production section.
- Each file of ``dashboard.rehearsal.replay.rehearsal_night`` is renamed into DROP (atomically, as replay
  does); the bench then measures the time until the election's status (``/e/<id>/status.json``) *through
  nginx* names its version, and until an open headless Chromium page of that election (``/e/<id>/?lang=ru``)
  shows that version in its footer. The next file is dropped once the page has it (or after 15 s). The
  first file (the package) adds the rehearsal election beside the built-in 2023 one: it is dropped before
  the page is opened (there is no page of that election before it) and not timed.
- Meanwhile ``--clients`` threads request pages, the status route and the content callback through nginx
  (a unique junk query per request, so nginx's micro-cache does not answer for the app); every non-200
  answer or connection error is counted. The 10k-station result batches are ingested under that load.

The time to the store's ``CURRENT`` (the watcher's share: noticing the file, validating, writing
the version) is printed too. Prints p50/p95/max per measure and the failure count; goals: file -> status p95 ≤ 2 s, file -> page
p95 ≤ 5 s, 0 failed requests. Exit code 0 when all are met.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.rehearsal.replay import drop_file, rehearsal_night  # noqa: E402
from deploy.stack import LocalStack  # noqa: E402

GOAL_STATUS_P95, GOAL_PAGE_P95 = 2.0, 5.0
PAGE_VERSION = "var e = document.getElementById('footer-version'); return e ? e.textContent : null;"


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def status_version(base: str, election: str) -> int:
    """The version an election's status names through nginx (0 before the election exists)."""
    try:
        with urllib.request.urlopen(base + f"e/{election}/status.json", timeout=5) as r:
            return int(json.loads(r.read())["version"])
    except urllib.error.HTTPError as e:
        if e.code == 404:
            return 0
        raise


class Load:
    """``clients`` threads requesting app routes through nginx until stopped; counts every failure."""

    PATHS = ("?lang=ru&j={n}", "e/kz-2023-03-19/turnout?lang=kk&j={n}", "e/kz-2023-03-19/status.json?j={n}",
             "e/kz-2023-03-19/maslikhats?lang=en&j={n}")

    def __init__(self, base: str, clients: int):
        self.base, self.clients = base, clients
        self.stop = threading.Event()
        self.ok = self.failed = 0
        self.errors: dict[str, int] = {}
        self._lock = threading.Lock()
        self._n = itertools.count()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(clients)]

    def _run(self) -> None:
        paths = itertools.cycle(self.PATHS)
        while not self.stop.is_set():
            url = self.base + next(paths).format(n=next(self._n))
            try:
                with urllib.request.urlopen(url, timeout=10) as r:
                    r.read()
                    good, why = r.status == 200, str(r.status)
            except urllib.error.HTTPError as e:
                good, why = False, f"HTTP {e.code}"
            except OSError as e:
                good, why = False, type(e).__name__
            with self._lock:
                if good:
                    self.ok += 1
                else:
                    self.failed += 1
                    self.errors[why] = self.errors.get(why, 0) + 1

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(15)


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--no-first-run", "--window-size=1366,900"):  # fmt: skip
        options.add_argument(arg)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def wait_until(check, timeout: float, step: float) -> float | None:
    """Seconds until ``check()`` is true (None after ``timeout``)."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if check():
            return time.monotonic() - began
        time.sleep(step)
    return None


def stored_version(data_dir: Path) -> int:
    """The rehearsal election's CURRENT (``DATA_DIR/elections/<id>/CURRENT``; 0 before its package)."""
    for path in data_dir.glob("elections/*/CURRENT"):
        try:
            return int(path.read_text())
        except (OSError, ValueError):
            return 0
    return 0


def replay_night(stack_url: str, data_dir: Path, folder: Path, drops, driver, election: str, first: int = 1):
    """Per file: seconds from the drop to the store's CURRENT (the watcher's share), to the election's
    status through nginx, and to the open page; ``first`` is the version the first of ``drops`` makes."""
    to_store, to_status, to_page = [], [], []
    for version, d in enumerate(drops, start=first):
        drop_file(folder, d.name, d.data)
        dropped = time.monotonic()
        stored = None
        def published(v=version, t0=dropped) -> bool:
            nonlocal stored
            if stored is None and stored_version(data_dir) >= v:
                stored = time.monotonic() - t0
            return status_version(stack_url, election) >= v
        if wait_until(published, 60, 0.02) is None:
            raise SystemExit(f"bench_live: {d.name} not in the status after 60 s")
        to_status.append(time.monotonic() - dropped)
        to_store.append(stored if stored is not None else to_status[-1])
        seen = wait_until(lambda v=version: (driver.execute_script(PAGE_VERSION) or "") == str(v), 15, 0.05)
        # from the drop, not from the status: the page's own poll is what is being measured
        to_page.append((time.monotonic() - dropped) if seen is not None else float("inf"))
        print(f"  {d.name:<28} store {to_store[-1]:5.2f} s   status {to_status[-1]:5.2f} s   "
              f"page {to_page[-1]:5.2f} s", flush=True)
    return to_store, to_status, to_page


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stations", type=int, default=10_000)
    ap.add_argument("--batches", type=int, default=8)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seed", type=int, default=2023)
    args = ap.parse_args(argv)
    drops = rehearsal_night(args.stations, args.seed, args.batches)
    print(f"{platform.python_version()}, {os.cpu_count()} CPUs; {args.stations:,} stations, {len(drops)} files, "
          f"{args.clients} load clients through nginx")
    with tempfile.TemporaryDirectory() as tmp, LocalStack(Path(tmp) / "data") as stack:
        folder = Path(tmp) / "drop"
        folder.mkdir()
        watcher = subprocess.Popen([sys.executable, "-m", "dashboard", "ingest", "--watch", str(folder),
                                    "--data-dir", str(Path(tmp) / "data")], cwd=ROOT,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        driver = browser()
        election = f"sim-{args.seed}-{args.stations}"  # rehearsal_night's election id
        try:
            drop_file(folder, drops[0].name, drops[0].data)  # the package: adds the election (not timed)
            if wait_until(lambda: status_version(stack.url, election) >= 1, 120, 0.1) is None:
                raise SystemExit(f"bench_live: election {election} not served after 120 s")
            driver.get(stack.url + f"e/{election}/?lang=ru")
            wait_until(lambda: driver.execute_script(PAGE_VERSION) == "1", 60, 0.2)
            with Load(stack.url, args.clients) as load:
                to_store, to_status, to_page = replay_night(stack.url, Path(tmp) / "data", folder, drops[1:],
                                                            driver, election, first=2)
        finally:
            driver.quit()
            watcher.terminate()
            watcher.wait(10)
    print(f"{'measure':<22} {'files':>5} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for name, values in (("file -> store CURRENT", to_store), ("file -> status.json", to_status),
                         ("file -> open page", to_page)):
        print(f"{name:<22} {len(values):>5} {statistics.median(values):>7.2f} {_pct(values, 0.95):>7.2f} "
              f"{max(values):>7.2f}")
    print(f"requests under load: {load.ok:,} ok, {load.failed} failed {load.errors or ''}")
    met = (_pct(to_status, 0.95) <= GOAL_STATUS_P95 and _pct(to_page, 0.95) <= GOAL_PAGE_P95
           and load.failed == 0)
    print(f"goals (status p95 ≤ {GOAL_STATUS_P95:g} s, page p95 ≤ {GOAL_PAGE_P95:g} s, 0 failed): "
          f"{'met' if met else 'NOT met'}")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
