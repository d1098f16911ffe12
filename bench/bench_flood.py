"""Cache misses must not starve cache hits: page content while a client floods the site with new views.

    python bench/bench_flood.py [--duration 8] [--floods 4,16,32] [--kinds image,page,xlsx] [--target both]

Starts ``deploy/local.sh`` (nginx, two gunicorn instances, Redis) on loopback with an empty store (the
embedded 2023 data), warms the home page's content request (``POST /_dash-update-component`` with the body
a browser sends, ``home_callback.json``), then for each target — through nginx, and straight to one app
instance (nginx's caches and limits bypassed: the app's own protection) — runs ``wrk -t1 -c16`` on that
request:

1. **alone**: nothing else runs;
2. **under a flood** of N connections (``--floods``, default 4, 16 and 32), for each kind of miss:
   ``image`` — distinct, valid chart images (``/image/<chart>.png|svg?…``, every chart × language × size ×
   format × unit or mode, shuffled); ``page`` — distinct valid page views (the routing callback with
   another page, unit, contest, mode or party); ``xlsx`` — distinct ``/download/<chart>.xlsx?…``.
   The flood is a second ``wrk`` whose Lua script walks the list, so every request is a new key; each of
   its connections pauses ``--flood-delay-ms`` (20) between requests, 50 new URLs a second per connection
   (1,600 a second at 32): far more misses than can be drawn, without the client itself taking a core of
   the two the site has.

Prints, per run, the page content's requests/s, p99 and non-2xx answers, its ratio to the rate alone, and
what the flood got (its answers by status class). Goal (issue "What the outside checks found", 1): under
every flood, page content ≥ 0.5× its rate alone, p99 ≤ 250 ms, no 5xx. Loopback only; everything started
is stopped at the end. Printed figures, not a timed test: the machine is shared.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT))

from bench_nginx import ms  # noqa: E402

HOME_BODY = (HERE / "home_callback.json").read_text()
CALLBACK = "/_dash-update-component"
LANGS = ("kk", "ru", "en")

MEASURE_LUA = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
wrk.body = [==[%s]==]
"""

#: The flood: each request the next item of a list (a path, or a routing body), each thread its own offset.
FLOOD_LUA = """
local items = {%s}
local post = %s
local threads = {}
function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end
function init(args)
  i = (tid * 7919) %% #items
  codes = {}
end
function request()
  i = (i %% #items) + 1
  if post then
    return wrk.format("POST", "%s", {["Content-Type"] = "application/json"}, items[i])
  end
  return wrk.format("GET", items[i])
end
function delay()
  return %d
end
function response(status, headers, body)
  local class = math.floor(status / 100)
  codes[class] = (codes[class] or 0) + 1
end
function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    for class, n in pairs(thread:get("codes")) do
      total[class] = (total[class] or 0) + n
    end
  end
  for class, n in pairs(total) do
    io.write(string.format("FLOOD %%dxx %%d\\n", class, n))
  end
end
"""


def image_paths(regions: list[str], parties: list[str]) -> list[str]:
    """Distinct valid image URLs: every chart × language × size × format, with its own parameters."""
    per_chart = {
        "shares": [f"unit={r}" for r in regions] + ["contest=mazhilis_party_list"],
        "map": [f"mode={m}" for m in ("leading", "turnout", "against_all")]
        + [f"mode=party&party={p}" for p in parties],
        "chamber": [""],
        "turnout": [f"unit={r}" for r in regions] + [""],
        "ranking": [""],
        "maslikhats": [""],
    }
    out = []
    for chart, variants in per_chart.items():
        for variant, lang, size, fmt in itertools.product(variants, LANGS, ("web", "square"), ("png", "svg")):
            query = "&".join(q for q in (f"lang={lang}", f"size={size}", variant) if q)
            out.append(f"/e/kz-2023-03-19/image/{chart}.{fmt}?{query}")
    return out


def xlsx_paths(regions: list[str], parties: list[str]) -> list[str]:
    out = []
    for lang in LANGS:
        out += [f"/e/kz-2023-03-19/download/shares.xlsx?lang={lang}&unit={r}" for r in regions]
        out += [f"/e/kz-2023-03-19/download/turnout.xlsx?lang={lang}&unit={r}" for r in regions]
        out += [f"/e/kz-2023-03-19/download/map.xlsx?lang={lang}&mode=party&party={p}" for p in parties]
        out += [f"/e/kz-2023-03-19/download/{c}.xlsx?lang={lang}" for c in ("chamber", "ranking", "maslikhats")]
    return out


def page_bodies(regions: list[str], parties: list[str]) -> list[str]:
    """Routing bodies of distinct page views (not the default views, which are rendered on publish)."""
    times = [f"2023-03-19T{h}:10:00+06:00" for h in ("10", "12", "14", "16", "18", "20")]
    searches = []
    for lang in LANGS:
        searches += [("/", f"?lang={lang}&mode={m}") for m in ("turnout", "against_all")]
        searches += [("/", f"?lang={lang}&mode=party&party={p}") for p in parties]
        searches += [("/", f"?lang={lang}&party={p}") for p in parties]
        searches += [
            ("/e/kz-2023-03-19/turnout", f"?lang={lang}&time={t}&view={v}") for t in times for v in ("lines", "multiples")
        ]
        searches += [("/e/kz-2023-03-19/maslikhats", f"?lang={lang}&region={r}") for r in regions]
        searches += [(f"/e/kz-2023-03-19/region/{r}", f"?lang={lang}&contest=maslikhat_party_list") for r in regions]
    body = json.loads(HOME_BODY)
    out = []
    for path, search in searches:
        body["inputs"][0]["value"] = path
        body["inputs"][1]["value"] = search
        out.append(json.dumps(body, separators=(",", ":")))
    return out


def parts(items: list[str], n: int) -> list[list[str]]:
    """``items`` in ``n`` disjoint slices (a flood that found its views cached would be a flood of hits)."""
    return [items[i::n] for i in range(n)]


def lua_list(items: list[str]) -> str:
    return ",".join("[==[" + item + "]==]" for item in items)


def wrk(url: str, script: Path, duration: int, connections: int) -> dict:
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "10s", "-s", str(script), url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p99": ms(re.search(r"\s99%\s+(\S+)", out).group(1)),
        "bad": int(non2xx.group(1)) if non2xx else 0,
        "sock": sum(int(g) for g in sock.groups()) if sock else 0,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "out": out,
    }


def measure(
    base: str, work: Path, duration: int, floods: list[int], kinds: dict, flood_delay: int
) -> list[tuple]:
    measure_lua = work / "measure.lua"
    measure_lua.write_text(MEASURE_LUA % HOME_BODY)
    url = base + CALLBACK
    wrk(url, measure_lua, 2, 4)  # warm: the first answers fill the caches (not measured)
    rows = [("alone", 0, wrk(url, measure_lua, duration, 16))]
    for kind, (items, post) in kinds.items():
        for n, part in zip(floods, parts(items, len(floods)), strict=True):
            script = work / f"flood-{kind}-{n}.lua"
            script.write_text(
                FLOOD_LUA % (lua_list(part), "true" if post else "false", CALLBACK, flood_delay)
            )
            flood = subprocess.Popen(
                ["wrk", "-t1", f"-c{n}", f"-d{duration + 2}s", "--timeout", "30s", "-s", str(script), base + "/"],
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            )  # fmt: skip
            time.sleep(1.0)  # the flood is under way before the measurement starts
            result = wrk(url, measure_lua, duration, 16)
            flood_out, _ = flood.communicate(timeout=duration + 60)
            result["flood"] = flood_summary(flood_out)
            rows.append((kind, n, result))
    return rows


def flood_summary(out: str) -> str:
    """What the flood's requests were answered: ``2xx 40, 4xx 9000, 5xx 120`` (429: nginx's limit;
    503: every miss slot busy)."""
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    classes = sorted(re.findall(r"FLOOD (\d)xx (\d+)", out))
    got = ", ".join(f"{c}xx {int(n):,}" for c, n in classes)
    return f"{float(rps.group(1)) if rps else 0:,.0f}/s: {got}"


def report(title: str, rows: list[tuple]) -> bool:
    alone = rows[0][2]["rps"]
    print(f"\n{title}")
    print(f"{'flood':<14} {'req/s':>9} {'ratio':>6} {'p99 ms':>8} {'non-2xx':>8}   flood got")
    ok = True
    for kind, n, r in rows:
        ratio = r["rps"] / alone if alone else 0.0
        name = "alone" if not n else f"{kind} ×{n}"
        good = ratio >= 0.5 and r["p99"] <= 250 and r["bad"] == 0 and r["sock"] == 0
        ok &= good or not n
        print(
            f"{name:<14} {r['rps']:>9,.0f} {ratio:>5.2f}× {r['p99']:>8.1f} {r['bad'] + r['sock']:>8}   {r.get('flood', '')}"
        )
    return ok


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=int, default=8)
    ap.add_argument("--floods", default="4,16,32")
    ap.add_argument("--kinds", default="image,page,xlsx")
    ap.add_argument("--target", choices=("nginx", "app", "both"), default="both")
    ap.add_argument(
        "--flood-delay-ms",
        type=int,
        default=20,
        help="each flood connection's pause between requests (0: as fast as it can; the client then takes a "
        "core of this machine for itself, which is the client's cost, not the site's)",
    )
    args = ap.parse_args(argv)
    if shutil.which("wrk") is None:
        sys.exit("bench_flood: wrk not found (Debian: apt-get install wrk)")
    from stack import LocalStack

    from dashboard.regions import region_keys

    regions = list(region_keys())
    parties = ["amanat", "auyl", "respublica", "ak_zhol", "qhp", "osdp", "baytaq"]
    rng = random.Random(2023)
    everything = {
        "image": (image_paths(regions, parties), False),
        "page": (page_bodies(regions, parties), True),
        "xlsx": (xlsx_paths(regions, parties), False),
    }
    for items, _post in everything.values():
        rng.shuffle(items)
    kinds = {k: everything[k] for k in args.kinds.split(",")}
    floods = [int(n) for n in args.floods.split(",")]
    data = Path(tempfile.mkdtemp(prefix="saylau-bench-data-"))
    work = Path(tempfile.mkdtemp(prefix="saylau-bench-flood-"))
    ok = True
    with LocalStack(data, env={"SAYLAU_NGINX_WORKERS": "2"}) as stack:
        targets = {
            "nginx": stack.url.rstrip("/"),
            "app": "http://" + stack.info["APP1"],
        }
        names = ("nginx", "app") if args.target == "both" else (args.target,)
        for i, name in enumerate(names):
            base = targets[name]
            # each target its own views: the first one's would be cached (Redis) for the second
            own = {k: (parts(items, len(names))[i], post) for k, (items, post) in kinds.items()}
            rows = measure(base, work, args.duration, floods, own, args.flood_delay_ms)
            passed = report(
                f"page content (home, gzip) through {name}: wrk -t1 -c16 -d{args.duration}s", rows
            )
            ok &= (
                passed or name == "app"
            )  # the goal is the deployed stack's; straight to the app, figures only
    print(
        "\nPASS" if ok else "\nFAIL",
        "(goal, through nginx: ≥ 0.5× alone, p99 ≤ 250 ms, no non-2xx, under every flood; straight to one app",
        "instance the flood's own answers share its Python with the measured ones: figures only)",
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
