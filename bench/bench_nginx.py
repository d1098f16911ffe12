"""Through nginx (the deploy/ stack): a page's cacheable GET data against nginx serving a plain file.

    python bench/bench_nginx.py [--path PATH …] [--duration 10] [--connections 50]

Starts ``deploy/local.sh`` (nginx, two gunicorn instances with 2 workers each, Redis) on loopback, then for
each path (default: a CSV download, Dash's ``/_dash-dependencies``, the region GeoJSON and the live status) runs
``wrk -t2 -c50 -d10s --latency``:

1. **static** — nginx serving a file of exactly the size of the app's answer to the path (written into the
   stack's ``/_static-probe/``): the ceiling;
2. **via nginx** — the path through nginx: proxied paths are answered by the 5 s micro-cache (the app is
   asked about once per 5 s, ``proxy_cache_lock``); the GeoJSON and the live status (``DATA_DIR/public/
   status.json``, written on publish) are nginx's own static files;
3. **app alone** — the path straight to one gunicorn instance, no nginx (the production setup before
   deploy/: every request reaches a Python worker), for half the duration.

``--page`` adds the page content every page view asks for: the home page's routing callback
(``POST /_dash-update-component``, ``home_callback.json``, with ``Accept-Encoding: gzip`` as a browser
sends it), which nginx keeps by its body (``deploy/postcache.conf``), against a static file of the size of
its gzipped answer (also sent with ``Accept-Encoding: gzip``, so nginx serves both the same way).

Prints req/s, p50/p99 latency and errors for each, and the ratio via nginx / static (target ≥ 0.5).
GET requests carry no ``Accept-Encoding`` (identical bytes in all runs).
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))

TARGET = 0.5
PATHS = [
    "/e/kz-2023-03-19/download/maslikhats.csv?lang=en",
    "/_dash-dependencies",
    "/geodata/regions.geojson",
    "/e/kz-2023-03-19/status.json",
]


def fetch(port: int, path: str) -> bytes:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    conn.close()
    if resp.status != 200:
        raise SystemExit(f"bench_nginx: GET {path} answered {resp.status}")
    return body


def ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


HOME_BODY = (ROOT / "bench" / "home_callback.json").read_bytes()
CALLBACK = "/_dash-update-component"
POST_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip"
wrk.body = [==[%s]==]
"""
GZIP_LUA = """
wrk.headers["Accept-Encoding"] = "gzip"
"""


def post_gzipped(port: int) -> bytes:
    """The home page's content as nginx sends it to a browser (gzip), asked until nginx keeps it."""
    for _ in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"Content-Type": "application/json", "Accept-Encoding": "gzip"}
        conn.request("POST", CALLBACK, body=HOME_BODY, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        if resp.status != 200 or resp.getheader("Content-Encoding") != "gzip":
            raise SystemExit(
                f"bench_nginx: POST {CALLBACK} answered {resp.status} {resp.getheader('Content-Encoding')}"
            )
    return body


def wrk(url: str, duration: int, connections: int, script: str | None = None) -> dict:
    extra = []
    if script is not None:
        lua = Path(tempfile.mkdtemp(prefix="saylau-bench-lua-")) / "script.lua"
        lua.write_text(script)
        extra = ["-s", str(lua)]
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "5s", *extra, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(g) for g in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": ms(re.search(r"\s50%\s+(\S+)", out).group(1)),
        "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "errors": errors,
    }


def page_rows(stack, app_port: int, args, rows: list, ratios: list) -> tuple[list, list]:
    """The home page's content: through nginx (kept by body), against a static file of its gzipped size."""
    body = post_gzipped(stack.port)
    (Path(stack.info["RUN_DIR"]) / "static" / "page.bin").write_bytes(body)
    static = wrk(f"{stack.url}_static-probe/page.bin", args.duration, args.connections, GZIP_LUA)
    post = POST_LUA % HOME_BODY.decode()
    via = wrk(stack.url.rstrip("/") + CALLBACK, args.duration, args.connections, post)
    alone = wrk(f"http://127.0.0.1:{app_port}{CALLBACK}", max(1, args.duration // 2), args.connections, post)
    rows += [
        (f"POST {CALLBACK} home, gzip ({len(body):,} B): static file", static),
        ("  via nginx (kept by body)", via),
        ("  app alone", alone),
    ]
    ratios.append((f"POST {CALLBACK} (home)", via["rps"] / static["rps"], via["errors"]))
    return rows, ratios


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--path", action="append", help="repeatable; default: " + " ".join(PATHS))
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--page", action="store_true", help="also the home page's content (POST), see above")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("bench_nginx: wrk not found (Debian: apt-get install wrk)")

    from stack import LocalStack

    paths = args.path or PATHS
    data = Path(tempfile.mkdtemp(prefix="saylau-bench-data-"))
    rows, ratios = [], []
    with LocalStack(data, env={"SAYLAU_NGINX_WORKERS": "2"}) as stack:
        app_port = int(stack.info["APP1"].rsplit(":", 1)[1])
        print(f"deploy/local.sh stack at {stack.url}; wrk -t2 -c{args.connections} -d{args.duration}s")
        for i, path in enumerate(paths):
            body = fetch(stack.port, path)
            probe = f"probe{i}.bin"
            (Path(stack.info["RUN_DIR"]) / "static" / probe).write_bytes(body)
            assert fetch(stack.port, f"/_static-probe/{probe}") == body
            static = wrk(f"{stack.url}_static-probe/{probe}", args.duration, args.connections)
            via = wrk(stack.url.rstrip("/") + path, args.duration, args.connections)
            alone = wrk(f"http://127.0.0.1:{app_port}{path}", max(1, args.duration // 2), args.connections)
            rows += [
                (f"{path} ({len(body):,} B): static file", static),
                ("  via nginx", via),
                ("  app alone", alone),
            ]
            ratios.append((path, via["rps"] / static["rps"], via["errors"]))
        if args.page:
            rows, ratios = page_rows(stack, app_port, args, rows, ratios)
    print(f"\n{'run':<60} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for name, r in rows:
        print(f"{name:<60} {r['rps']:>9,.0f} {r['p50']:>8.2f} {r['p99']:>8.2f} {r['errors']:>7}")
    ok = all(ratio >= TARGET and errors == 0 for _p, ratio, errors in ratios)
    print()
    for path, ratio, errors in ratios:
        print(f"{path}: via nginx / static file = {ratio:.2f}× (target ≥ {TARGET}), {errors} errors")
    print("PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
