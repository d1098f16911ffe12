"""Bytes a browser transfers for a first visit and a repeat visit of the home page.

    python bench/bench_first_visit.py                 # through the deploy/ stack (deploy/local.sh)
    python bench/bench_first_visit.py --url URL       # any running site (e.g. `python -m dashboard serve`)

Headless Chromium (selenium, Debian's chromium + chromium-driver) with its DevTools network events
(performance log): for each request, ``Network.loadingFinished.encodedDataLength`` is what went over the
wire (headers + body as sent, i.e. compressed). The page counts as loaded when Dash has no pending
callbacks and every chart has drawn. The repeat visit opens the same URL in the same browser (warm HTTP
cache, as a visitor coming back), so immutable files cost nothing and revalidated ones a 304.

Targets (issue 8): first visit ≤ 1.0 MB, repeat visit ≤ 150 KB. Prints a per-request table and PASS/FAIL.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))

FIRST_TARGET = 1_000_000
REPEAT_TARGET = 150_000

SETTLED = """
    var loading = document.querySelector('[data-dash-is-loading="true"]');
    var graphs = document.querySelectorAll('.dash-graph').length;
    var plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
    var drawn = graphs > 0 && plots.length >= graphs && plots.every(function (p) { return p._fullLayout && p.querySelector('.main-svg'); });
    var pending = window.store && window.store.getState().pendingCallbacks;
    return !loading && drawn && (!pending || pending.length === 0);
"""


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-extensions",
                "--no-first-run", "--window-size=1366,900", "--lang=en-US"):  # fmt: skip
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def visit(driver, url: str, timeout: float = 60) -> list[dict]:
    """Load ``url`` until the page settles; the requests it made: url, status, bytes, from cache."""
    driver.get_log("performance")  # drop what came before
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if driver.execute_script(SETTLED):
            time.sleep(1.0)  # late requests (topojson, geojson) after the first draw
            if driver.execute_script(SETTLED):
                break
        time.sleep(0.1)
    else:
        raise SystemExit(f"bench_first_visit: {url} did not settle in {timeout} s")
    requests: dict[str, dict] = defaultdict(dict)
    for entry in driver.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        params = msg.get("params", {})
        rid = params.get("requestId")
        if msg["method"] == "Network.requestWillBeSent":
            requests[rid]["url"] = params["request"]["url"]
        elif msg["method"] == "Network.responseReceived":
            r = params["response"]
            headers = {k.lower(): v for k, v in (r.get("headers") or {}).items()}
            requests[rid].update(status=r["status"], cached=bool(r.get("fromDiskCache") or r.get("fromMemoryCache")),
                                 encoding=headers.get("content-encoding", ""))  # fmt: skip
        elif msg["method"] == "Network.loadingFinished":
            requests[rid]["bytes"] = int(params.get("encodedDataLength", 0))
        elif msg["method"] == "Network.requestServedFromCache":
            requests[rid]["cached"] = True
    return [r for r in requests.values() if "url" in r and not r["url"].startswith("data:")]


def report(title: str, requests: list[dict], base: str) -> int:
    total = sum(r.get("bytes", 0) for r in requests)
    print(f"\n{title}: {len(requests)} requests, {total:,} bytes transferred")
    print(f"{'bytes':>10}  {'status':>6}  {'enc':<5} {'cache':<5} url")
    for r in sorted(requests, key=lambda r: -r.get("bytes", 0)):
        url = r["url"].replace(base.rstrip("/"), "")
        print(f"{r.get('bytes', 0):>10,}  {r.get('status', '-'):>6}  {r.get('encoding', ''):<5} "
              f"{'yes' if r.get('cached') else '':<5} {url[:110]}")  # fmt: skip
    return total


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="measure this running site instead of starting deploy/local.sh")
    ap.add_argument("--path", default="/", help="the page to visit (default /)")
    args = ap.parse_args(argv)

    stack = None
    if args.url:
        base = args.url
    else:
        from stack import LocalStack

        stack = LocalStack(Path(tempfile.mkdtemp(prefix="saylau-bench-data-"))).start()
        base = stack.url
        print(f"deploy/local.sh stack at {base}")
    driver = browser()
    try:
        url = base.rstrip("/") + args.path
        first = report("first visit", visit(driver, url), base)
        repeat = report("repeat visit", visit(driver, url), base)
    finally:
        driver.quit()
        if stack is not None:
            stack.stop()
    ok = first <= FIRST_TARGET and repeat <= REPEAT_TARGET
    print(f"\nfirst visit {first / 1e6:.3f} MB (target ≤ {FIRST_TARGET / 1e6:.1f} MB), "
          f"repeat visit {repeat / 1e3:.1f} KB (target ≤ {REPEAT_TARGET / 1e3:.0f} KB): {'PASS' if ok else 'FAIL'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
