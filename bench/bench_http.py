"""HTTP benchmark: the production stack (gunicorn + Redis figure cache) under a bounded local load.

    python bench/bench_http.py [--requests 2000] [--concurrency 16] [--stations 10000] [--workers N]
                               [--skip-uncached]

What it does (loopback only; stops by itself; everything it starts is stopped at the end):

1. starts a private ``redis-server`` on a free port (no persistence);
2. serves a simulated election of ``--stations`` stations — ingested into a temporary store when
   ``dashboard.store.store`` exists, else ``SAYLAU_DEMO=1``;
3. starts ``gunicorn -c gunicorn.conf.py dashboard.wsgi:server`` on 127.0.0.1 with ``SAYLAU_REDIS_URL``;
4. builds the request mix: ``GET /``, ``GET /geodata/regions.geojson``, the page-routing callback for ``/``
   and the figure callbacks of the home page (``POST /_dash-update-component``, bodies built from
   ``/_dash-dependencies`` and the layout the app returns, the way the browser builds them);
5. **cold**: flushes Redis, then sends each request once, one at a time (every figure is computed);
6. **warm**: ``--requests`` requests over the mix, ``--concurrency`` at a time (figures come from Redis);
7. **uncached** (unless ``--skip-uncached``): restarts gunicorn with Redis pointing at a closed port, so every
   figure is computed — the same load without a cache, and a check that a dead Redis does not break the site.

Prints requests/s and p50/p95/p99 latency per phase and per request kind.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HOST = "127.0.0.1"


# --- processes ---------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_redis(workdir: Path) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("redis-server")
    if binary is None:
        sys.exit("bench_http: redis-server not found (Debian: apt-get install redis-server)")
    import redis

    port = free_port()
    proc = subprocess.Popen(
        [
            binary,
            "--port",
            str(port),
            "--bind",
            HOST,
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    client = redis.Redis(host=HOST, port=port, socket_connect_timeout=0.2)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if client.ping():
                return proc, f"redis://{HOST}:{port}/0"
        except redis.exceptions.RedisError:
            time.sleep(0.05)
    proc.kill()
    sys.exit("bench_http: redis-server did not start")


def start_gunicorn(env: dict, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, **env, "SAYLAU_BIND": f"{HOST}:{port}", "PYTHONPATH": str(ROOT)}
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py"), "dashboard.wsgi:server"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(
                f"bench_http: gunicorn exited ({proc.returncode}); see {log}:\n{log.read_text()[-3000:]}"
            )
        try:
            status, _, _ = request(port, "GET", "/", timeout=5)
            if status == 200:
                return proc
        except OSError:
            pass
        time.sleep(0.25)
    stop(proc)
    sys.exit(f"bench_http: gunicorn did not answer within 180 s; see {log}")


def stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # gunicorn: graceful shutdown of the master and its workers
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


# --- HTTP ------------------------------------------------------------------------------------------


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 60):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheaders(), data
    finally:
        conn.close()


@dataclass
class Req:
    name: str
    method: str
    path: str
    body: bytes | None = None


@dataclass
class Phase:
    name: str
    seconds: float = 0.0
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)


def _walk(node, found: dict) -> None:
    """Collect {component id: props} from a serialised Dash layout."""
    if isinstance(node, list):
        for x in node:
            _walk(x, found)
    elif isinstance(node, dict):
        props = node.get("props")
        if isinstance(props, dict) and "type" in node:
            cid = props.get("id")
            if isinstance(cid, str):
                found[cid] = props
            node = props
        for v in node.values():
            _walk(v, found)


def _targets(output: str) -> list[dict]:
    """'..a.b...c.d..' / 'a.b' -> [{"id": "a", "property": "b"}, …]."""
    parts = output.strip(".").split("...") if output.startswith("..") else [output]
    out = []
    for p in parts:
        cid, _, prop = p.rpartition(".")
        out.append({"id": cid, "property": prop})
    return out


def _body(dep: dict, props: dict, location: dict) -> bytes | None:
    """The JSON body the renderer would send for ``dep``, or None if an id is missing or pattern-matched."""

    def value_of(item):
        cid, prop = item["id"], item["property"]
        if not isinstance(cid, str) or cid.startswith("{"):
            return None, False
        if cid in location:
            return location[cid].get(prop), True
        if cid not in props:
            return None, False
        return props[cid].get(prop), True

    inputs, state = [], []
    for src, dst in ((dep.get("inputs", []), inputs), (dep.get("state", []), state)):
        for item in src:
            value, ok = value_of(item)
            if not ok:
                return None
            dst.append({"id": item["id"], "property": item["property"], "value": value})
    outputs = _targets(dep["output"])
    if any(o["id"].startswith("{") for o in outputs):
        return None
    body = {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": inputs,
        "state": state,
        "changedPropIds": [f"{inputs[0]['id']}.{inputs[0]['property']}"] if inputs else [],
    }
    return json.dumps(body).encode()


def discover(port: int, max_figures: int) -> list[Req]:
    reqs = [Req("GET /", "GET", "/")]
    status, _, _ = request(port, "GET", "/geodata/regions.geojson")
    if status == 200:
        reqs.append(Req("GET geojson", "GET", "/geodata/regions.geojson"))
    _, _, deps = request(port, "GET", "/_dash-dependencies")
    _, _, layout = request(port, "GET", "/_dash-layout")
    deps = [d for d in json.loads(deps) if not d.get("clientside_function")]
    props: dict = {}
    _walk(json.loads(layout), props)
    location = {
        "_pages_location": {
            "pathname": "/",
            "search": "?lang=en",
            "hash": "",
            "href": f"http://{HOST}/?lang=en",
        },
        "nav": {"pathname": "/", "search": "?lang=en", "hash": "", "href": f"http://{HOST}/?lang=en"},
    }
    # What a page load triggers: the page-routing callback, and the shell (header/footer) callback.
    page_load = [d for d in deps if {i["id"] for i in d["inputs"]} <= {"_pages_location", "data-version"}]
    for dep in sorted(page_load, key=lambda d: "_pages_content" not in d["output"]):
        body = _body(dep, props, location)
        if body is None:
            continue
        status, _, data = request(port, "POST", "/_dash-update-component", body)
        label = (
            "callback: page /"
            if "_pages_content" in dep["output"]
            else f"callback: {_targets(dep['output'])[0]['id']}"
        )
        if status == 200:
            reqs.append(Req(label, "POST", "/_dash-update-component", body))
            _walk(json.loads(data), props)
        else:
            print(f"  ({label} answered {status}: {data[:200]!r})", file=sys.stderr)
    figures = 0
    for dep in deps:
        if figures >= max_figures or ".figure" not in dep["output"]:
            continue
        body = _body(dep, props, location)
        if body is None:
            continue
        status, _, data = request(port, "POST", "/_dash-update-component", body)
        if status == 200:
            name = _targets(dep["output"])[0]
            reqs.append(
                Req(f"callback: {name['id']}.{name['property']}", "POST", "/_dash-update-component", body)
            )
            figures += 1
        else:
            print(f"  (callback {dep['output']} answered {status}: {data[:200]!r})", file=sys.stderr)
    return reqs


def run_phase(name: str, port: int, reqs: list[Req], total: int, concurrency: int) -> Phase:
    phase = Phase(name)
    plan = [reqs[i % len(reqs)] for i in range(total)]

    def one(r: Req):
        t0 = time.perf_counter()
        try:
            status, _, _ = request(port, r.method, r.path, r.body)
        except TimeoutError:
            status = "client timeout"
        except OSError as exc:
            status = type(exc).__name__
        return r.name, status, time.perf_counter() - t0

    t0 = time.perf_counter()
    if concurrency <= 1:
        results = [one(r) for r in plan]
    else:
        with ThreadPoolExecutor(max_workers=concurrency) as pool:
            results = list(pool.map(one, plan))
    phase.seconds = time.perf_counter() - t0
    for rname, status, dt in results:
        if status == 200:
            phase.latencies.setdefault(rname, []).append(dt)
        else:
            phase.errors[f"{rname} (status {status})"] = phase.errors.get(f"{rname} (status {status})", 0) + 1
    return phase


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(phase: Phase) -> None:
    every = [x for v in phase.latencies.values() for x in v]
    n_err = sum(phase.errors.values())
    print(f"\n{phase.name}: {len(every) + n_err} requests in {phase.seconds:.2f} s = "
          f"{(len(every) + n_err) / phase.seconds:,.1f} req/s, errors: {n_err}")  # fmt: skip
    print(f"  {'request':<34} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    rows = [*phase.latencies.items(), ("all", every)]
    for rname, lat in rows:
        print(
            f"  {rname[:34]:<34} {len(lat):>5} {pct(lat, 50) * 1e3:>8.1f} {pct(lat, 95) * 1e3:>8.1f} "
            f"{pct(lat, 99) * 1e3:>8.1f} {max(lat, default=float('nan')) * 1e3:>8.1f}"
        )
    for rname, n in phase.errors.items():
        print(f"  ! {rname}: {n} failed")


def prepare_data(work: Path, stations: int) -> dict:
    try:
        from dashboard.store.store import Store
    except ImportError:
        print("  (dashboard.store.store not available: serving SAYLAU_DEMO=1)", file=sys.stderr)
        return {"SAYLAU_DEMO": "1"}
    from dashboard.rehearsal.simulate import write_simulated

    package = write_simulated(work / f"sim-{stations}", stations)
    store_dir = work / "store"
    Store(store_dir).ingest(package)
    return {"SAYLAU_DATA_DIR": str(store_dir), "SAYLAU_DEMO": "0"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--stations", type=int, default=10_000)
    parser.add_argument(
        "--workers", type=int, default=None, help="gunicorn workers (default: gunicorn.conf.py)"
    )
    parser.add_argument("--max-figures", type=int, default=4, help="figure callbacks in the mix")
    parser.add_argument("--skip-uncached", action="store_true")
    parser.add_argument("--log", default=str(Path(tempfile.gettempdir()) / "saylau-bench-http-gunicorn.log"),
                        help="gunicorn's log (kept after the run)")  # fmt: skip
    args = parser.parse_args(argv)
    if not 1 <= args.requests <= 100_000 or not 1 <= args.concurrency <= 64:
        parser.error("--requests must be 1…100000 and --concurrency 1…64")

    import redis

    redis_proc = gunicorn = None
    with tempfile.TemporaryDirectory(prefix="saylau-http-") as tmp:
        work = Path(tmp)
        log = Path(args.log)
        log.write_bytes(b"")
        try:
            redis_proc, redis_url = start_redis(work)
            env = prepare_data(work, args.stations)
            if args.workers:
                env["SAYLAU_WORKERS"] = str(args.workers)
            port = free_port()
            gunicorn = start_gunicorn({**env, "SAYLAU_REDIS_URL": redis_url}, port, log)
            workers = args.workers or 2 * (os.cpu_count() or 1) + 1
            print(f"machine: {os.cpu_count()} cores; gunicorn {workers} workers on {HOST}:{port}; Redis {redis_url}; "
                  f"{args.stations:,} stations ({'demo' if env.get('SAYLAU_DEMO') == '1' else 'store'})")  # fmt: skip
            reqs = discover(port, args.max_figures)
            print("request mix: " + ", ".join(r.name for r in reqs))

            client = redis.Redis.from_url(redis_url)
            client.flushall()
            report(run_phase("cold (Redis flushed; each request once, sequential)", port, reqs, len(reqs), 1))
            print(f"  Redis keys after the cold pass: {client.dbsize()}")
            report(run_phase("warm (cache filled)", port, reqs, args.requests, args.concurrency))
            stop(gunicorn)

            if not args.skip_uncached:
                dead = f"redis://{HOST}:{free_port()}/0"
                gunicorn = start_gunicorn({**env, "SAYLAU_REDIS_URL": dead}, port, log)
                report(run_phase(f"uncached (Redis unreachable at {dead})", port, reqs, args.requests,
                                 args.concurrency))  # fmt: skip
                stop(gunicorn)
            print(f"\ngunicorn log: {log}")
        finally:
            stop(gunicorn)
            if redis_proc is not None and redis_proc.poll() is None:
                redis_proc.kill()
                redis_proc.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
