"""Cache benchmark: what a cached page costs next to the ceiling for a Python answer.

    python bench/bench_cache.py [--duration 10] [--connections 50] [--threads 2] [--workers 5] [--rounds 1]

Loopback only; everything it starts (a private redis-server, two gunicorns) is stopped at the end.

1. starts ``redis-server`` on a free port (no persistence) and, on free ports, two gunicorns with the repo's
   ``gunicorn.conf.py`` (``--workers``, default 5 sync workers): the dashboard on the embedded 2023 data
   (an empty store) with ``SAYLAU_REDIS_URL``, and ``bench/bare_app.py`` (a bare Flask JSON endpoint);
2. sends the home page's content request once: the routing callback ``POST /_dash-update-component``
   with the body headless Chromium sends for ``/`` (``home_callback.json``, captured from a real page
   load); the worker that answers sees the version first and renders the default views of every page
   and language in the background (render on publish): the bench waits until they are in Redis;
3. runs ``wrk -t2 -c50 -d10s --latency`` five times: (a) the bare endpoint, (p) a bare route answering the
   same bytes as (b), (b) the cached home-page callback, (c) the same with a unique junk parameter per
   request in the page URL (``?fbclid=<thread>-<n>``, as every link shared on Facebook carries), (g) (b)
   with a browser's ``Accept-Encoding`` (the answer's stored gzip);
4. prints requests/s, p99, errors, the ``X-Saylau-Cache`` header of a sample (b) and (c) request, and the
   ratios b/a (target >= 0.8, p99 <= 100 ms) and c/b (target >= 0.8); with ``--rounds N`` the three runs
   are repeated N times, interleaved, and the medians printed too (a shared machine's load drifts).

Printed figures, not a timed test: the machine is shared, so compare the ratios of one run.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench_http import HOST, free_port, request, start_redis, stop  # noqa: E402

CALLBACK = "/_dash-update-component"
HOME_BODY = (HERE / "home_callback.json").read_bytes()

LUA_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[%s]==]
"""

#: (g): as a browser asks: the same request with ``Accept-Encoding`` (the stored gzip is answered).
LUA_GZIP = (
    LUA_POST
    + """
wrk.headers["Accept-Encoding"] = "gzip, deflate, br, zstd"
"""
)

#: (c): the page URL's query carries ``fbclid=<thread>-<counter>``, unique per request.
LUA_JUNK = """
local prefix = [==[%s]==]
local suffix = [==[%s]==]
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  counter = 0
end
function request()
  counter = counter + 1
  local body = prefix .. "?fbclid=" .. tid .. "-" .. counter .. suffix
  return wrk.format("POST", nil, {["Content-Type"] = "application/json"}, body)
end
"""


def junk_parts(body: bytes) -> tuple[str, str]:
    """The body split around the (empty) ``search`` value, for the Lua script to insert a query."""
    text = body.decode()
    marker = '"property":"search","value":""'
    if marker not in text:
        sys.exit("bench_cache: home_callback.json has no empty search input")
    head, tail = text.split(marker, 1)
    return head + '"property":"search","value":"', '"' + tail


def start_gunicorn(app: str, port: int, env: dict, log: Path, ready_path: str, ready_body: bytes | None):
    env = {
        **os.environ,
        **env,
        "SAYLAU_BIND": f"{HOST}:{port}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(HERE)]),
    }
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), app],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"bench_cache: gunicorn {app} exited; see {log}:\n{log.read_text()[-3000:]}")
        try:
            status, _, _ = request(port, "POST", ready_path, body=ready_body, timeout=60)
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.25)
    stop(proc)
    sys.exit(f"bench_cache: gunicorn {app} did not answer within 180 s; see {log}")


def run_wrk(url: str, script: Path, args) -> dict:
    cmd = [
        "wrk",
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{args.duration}s",
        "--latency",
        "-s",
        str(script),
        url,
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=args.duration + 60).stdout
    return parse_wrk(out)


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def parse_wrk(out: str) -> dict:
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p99 = re.search(r"\n\s+99%\s+([\d.]+)(us|ms|s|m)\b", out)
    total = re.search(r"(\d+) requests in", out)
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = int(non2xx.group(1)) if non2xx else 0
    if sock:
        errors += sum(int(x) for x in sock.groups())
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p99_ms": float(p99.group(1)) * _UNITS[p99.group(2)] if p99 else float("nan"),
        "requests": int(total.group(1)) if total else 0,
        "errors": errors,
        "raw": out,
    }


def wait_for_prerender(redis_url: str, expected: int, limit: float = 300.0) -> tuple[int, float]:
    """Wait until the worker that saw the version first has rendered its default views (they are counted
    in Redis), so the load below measures hits, not hits beside a background render."""
    import redis

    client = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    count, last_change, last = 0, started, -1
    while time.monotonic() - started < limit:
        count = sum(1 for _ in client.scan_iter("saylau:http:*:page:*", count=1000))
        if count != last:
            last, last_change = count, time.monotonic()
        if count >= expected or time.monotonic() - last_change > 20:
            break
        time.sleep(0.5)
    return count, time.monotonic() - started


def cache_header(port: int, body: bytes) -> str:
    status, headers, _ = request(port, "POST", CALLBACK, body=body)
    return f"{status} X-Saylau-Cache={dict(headers).get('X-Saylau-Cache', '(none)')}"


def report(targets, results: dict, title: str) -> None:
    print(f"\n{title}")
    print(f"{'request':<26} {'req/s':>9} {'p99 ms':>9} {'requests':>9} {'errors':>7}")
    for letter, name, *_ in sorted(targets, key=lambda t: "apbcg".index(t[0])):
        r = results[letter]
        label = f"{letter} {name}"
        print(f"{label:<26} {r['rps']:>9.0f} {r['p99_ms']:>9.1f} {r['requests']:>9} {r['errors']:>7}")
    a, b, c, p = (results[k]["rps"] for k in "abcp")
    ba = b / a if a else 0.0
    cb = c / b if b else 0.0
    print(f"b/p = {b / p if p else 0.0:.2f} (the lookup's cost: the same bytes from a bare route)")
    g = results["g"]["rps"]
    print(f"g/a = {g / a if a else 0.0:.2f} (the request as a browser makes it, gzip accepted)")
    ok_b = ba >= 0.8 and results["b"]["p99_ms"] <= 100 and results["b"]["errors"] == 0
    print(f"b/a = {ba:.2f} (target >= 0.8, p99 <= 100 ms, 0 errors): {'PASS' if ok_b else 'FAIL'}")
    print(f"c/b = {cb:.2f} (target >= 0.8): {'PASS' if cb >= 0.8 else 'FAIL'}", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--workers", type=int, default=5)
    ap.add_argument("--rounds", type=int, default=1, help="repeat a, b, c; then print the medians")
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("bench_cache: wrk not found (Debian: apt-get install wrk)")

    work = Path(tempfile.mkdtemp(prefix="saylau-bench-cache-"))
    redis_proc = app_proc = bare_proc = None
    try:
        redis_proc, redis_url = start_redis(work)
        common = {"SAYLAU_WORKERS": str(args.workers), "SAYLAU_THREADS": "1"}
        app_port, bare_port = free_port(), free_port()
        t0 = time.monotonic()
        app_proc = start_gunicorn(
            "dashboard.wsgi:server",
            app_port,
            # the captured body (home_callback.json) is 2023's home at "/": since the newest vote became the
            # front page, "/" with 2023's page version was refused by the cache and drawn every time
            {**common, "SAYLAU_REDIS_URL": redis_url, "SAYLAU_DATA_DIR": str(work / "data"),
             "SAYLAU_DEFAULT_ELECTION": "kz-2023-03-19"},
            work / "app.log",
            CALLBACK,
            HOME_BODY,
        )
        print(f"dashboard up, home content rendered once: {time.monotonic() - t0:.1f} s", flush=True)
        try:
            from dashboard.web.fastcache import default_views
        except ImportError:  # a checkout from before the HTTP cache (to measure "before")
            print("no dashboard.web.fastcache: nothing is prerendered")
        else:
            count, waited = wait_for_prerender(redis_url, len(default_views()))
            print(f"render on publish: {count} default views in Redis after {waited:.0f} s", flush=True)
        # the cached answer must be the page (not an error)
        status, _, first = request(app_port, "POST", CALLBACK, body=HOME_BODY)
        assert status == 200 and b"page-mazhilis" in first, (status, first[:200])
        (work / "payload.json").write_bytes(first)
        bare_env = {**common, "BENCH_PAYLOAD": str(work / "payload.json")}
        bare_proc = start_gunicorn("bare_app:app", bare_port, bare_env, work / "bare.log", "/json", b"{}")
        print(f"home content callback: {len(first):,} bytes; sample (b): {cache_header(app_port, HOME_BODY)}")
        head, tail = junk_parts(HOME_BODY)
        junk = (head + "?fbclid=probe-1" + tail).encode()
        print(f"sample (c): {cache_header(app_port, junk)}", flush=True)

        post = work / "post.lua"
        post.write_text(LUA_POST % HOME_BODY.decode())
        bare_lua = work / "bare.lua"
        bare_lua.write_text(LUA_POST % "{}")
        gzip_lua = work / "gzip.lua"
        gzip_lua.write_text(LUA_GZIP % HOME_BODY.decode())
        junk_lua = work / "junk.lua"
        junk_lua.write_text(LUA_JUNK % (head, tail))

        targets = (
            ("a", "bare Flask JSON", f"http://{HOST}:{bare_port}/json", bare_lua),
            ("p", "bare Flask, same bytes", f"http://{HOST}:{bare_port}/payload", bare_lua),
            ("b", "cached home callback", f"http://{HOST}:{app_port}{CALLBACK}", post),
            ("c", "same + junk fbclid", f"http://{HOST}:{app_port}{CALLBACK}", junk_lua),
            ("g", "b, Accept-Encoding gzip", f"http://{HOST}:{app_port}{CALLBACK}", gzip_lua),
        )
        rounds = []
        for n in range(1, args.rounds + 1):
            results = {}
            for letter, name, url, script in targets:
                print(f"round {n}: wrk -t{args.threads} -c{args.connections} -d{args.duration}s: {name} …")
                sys.stdout.flush()
                results[letter] = r = run_wrk(url, script, args)
                if not r["requests"]:
                    print(r["raw"])
                for line in r["raw"].splitlines():
                    if "errors" in line or "Non-2xx" in line:
                        print("   ", line.strip())
            rounds.append(results)
            report(targets, results, f"round {n}")
        if len(rounds) > 1:
            print(f"\nmedians of {len(rounds)} rounds (each ratio: the median of the rounds' own ratios)")
            for letter, name, *_ in sorted(targets, key=lambda t: "apbcg".index(t[0])):
                rps = statistics.median(r[letter]["rps"] for r in rounds)
                p99 = statistics.median(r[letter]["p99_ms"] for r in rounds)
                errors = sum(r[letter]["errors"] for r in rounds)
                print(f"{letter} {name:<24} {rps:>9.0f} req/s  p99 {p99:>7.1f} ms  errors {errors}")
            for top, bottom, target in (("b", "a", 0.8), ("c", "b", 0.8), ("b", "p", None), ("g", "a", None)):
                ratios = [r[top]["rps"] / r[bottom]["rps"] if r[bottom]["rps"] else 0.0 for r in rounds]
                verdict = (
                    "" if target is None else (" PASS" if statistics.median(ratios) >= target else " FAIL")
                )
                each = ", ".join(f"{x:.2f}" for x in ratios)
                print(f"{top}/{bottom} = {statistics.median(ratios):.2f} (rounds: {each}){verdict}")
    finally:
        stop(app_proc)
        stop(bare_proc)
        if redis_proc is not None:
            redis_proc.kill()
            redis_proc.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
