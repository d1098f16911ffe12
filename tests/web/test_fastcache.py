"""The HTTP cache of page content and CSV downloads (``dashboard.web.fastcache``): hits are *hits* (the
``X-Saylau-Cache`` header and a count of Dash's renders), one entry per canonical view, shared through a
real Redis between app instances, never stale, and one render per key however many ask at once."""

from __future__ import annotations

import csv
import functools
import gzip
import shutil
import threading
import time
from pathlib import Path

import dash
import orjson
import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.library import Library
from dashboard.web import fastcache
from dashboard.web.fastcache import singleflight
from tests.serving import E2023

CALLBACK = "/_dash-update-component"
#: The routing callback's body as headless Chromium sent it for ``/?lang=en&fbclid=abc`` (captured from a
#: real page load of this app); ``PATH`` and ``SEARCH`` are filled in per request.
BROWSER_BODY = (
    '{"output":".._pages_content.children..._pages_store.data..","outputs":[{"id":"_pages_content",'
    '"property":"children"},{"id":"_pages_store","property":"data"}],"inputs":[{"id":"_pages_location",'
    '"property":"pathname","value":PATH},{"id":"_pages_location","property":"search","value":SEARCH},'
    '{"id":"data-version","property":"data","value":DATA}],"changedPropIds":["_pages_location.pathname",'
    '"_pages_location.search"],"parsedChangedPropsIds":["_pages_location.pathname","_pages_location.search"]}'
)


#: The embedded election, and the simulated one of ``write_simulated(…, 40, seed=5)``.
OLD = "kz-2023-03-19"
E = f"/e/{OLD}"
SIM5 = "sim-5-40"


def body(path: str, search: str = "", data_version: int | None = None, election: str = OLD) -> bytes:
    """The browser's body for ``path`` inside ``election`` (``/turnout`` -> ``/e/<election>/turnout``; a
    path that names its election is kept); ``data_version`` is the version of that election the page holds
    (None before it knows one)."""
    full = path if path.startswith("/e/") else f"/e/{election}{path}"
    held = {"election": election, "version": data_version} if isinstance(data_version, int) else data_version
    return (
        BROWSER_BODY.replace("PATH", orjson.dumps(full).decode())
        .replace("SEARCH", orjson.dumps(search).decode())
        .replace("DATA", orjson.dumps(held).decode())
        .encode()
    )


def make_app(data_dir: Path, redis_url: str = ""):
    app = create_app(Config(data_dir=data_dir, default_election=E2023, redis_url=redis_url))
    app.server.config["SAYLAU_PRERENDER"] = False  # renders are counted; prerender is tested alone
    return app


def page(client, path: str, search: str = "", data_version: int | None = None, election: str = OLD):
    resp = client.post(CALLBACK, data=body(path, search, data_version, election), content_type="application/json")
    assert resp.status_code == 200, resp.data[:500]
    return resp


def cache_state(resp) -> str | None:
    return resp.headers.get("X-Saylau-Cache")


class Renders:
    """Counts Dash's renders of one page: the routing callback calls the registered layout once per
    request that reaches Dash (a fastcache hit never does)."""

    def __init__(self, monkeypatch, module: str):
        entry = next(p for p in dash.page_registry.values() if p["module"] == module)
        original = entry["layout"]
        self.calls = 0
        self._lock = threading.Lock()

        @functools.wraps(original)
        def counted(**kwargs):
            with self._lock:
                self.calls += 1
            return original(**kwargs)

        monkeypatch.setitem(entry, "layout", counted)


def texts(resp) -> str:
    return resp.data.decode("utf-8")


# ------------------------------------------------------------------ canonical keys (in-process tier)


def test_junk_parameters_are_served_from_the_plain_urls_entry(tmp_path, monkeypatch):
    app = make_app(tmp_path / "data")
    renders = Renders(monkeypatch, "dashboard.pages.mazhilis")
    client = app.server.test_client()
    plain = page(client, "/")
    assert cache_state(plain) == "miss" and renders.calls == 1
    for junk in (
        "?fbclid=IwAR3x",
        "?utm_source=facebook&utm_medium=social&utm_campaign=night",
        "?gclid=1&x=2",
    ):
        shared = page(client, "/", junk)
        assert cache_state(shared) == "hit", junk
        assert shared.data == plain.data
    assert renders.calls == 1


def test_lang_EN_is_the_entry_of_lang_en_and_is_english(tmp_path, monkeypatch):
    app = make_app(tmp_path / "data")
    renders = Renders(monkeypatch, "dashboard.pages.turnout")
    client = app.server.test_client()
    upper = page(client, "/turnout", "?lang=EN&fbclid=x")
    assert cache_state(upper) == "miss"
    lower = page(client, "/turnout", "?lang=en")
    assert cache_state(lower) == "hit" and lower.data == upper.data and renders.calls == 1
    assert "Turnout through election day" in texts(lower)
    kazakh = page(client, "/turnout")
    assert cache_state(kazakh) == "miss" and kazakh.data != lower.data and renders.calls == 2


# Each raw URL must give the answer Dash gives for its canonical URL rendered on its own (another app, an
# empty cache): the cache may only merge views that are the same view.
EQUIVALENT = [
    ("/", "?lang=EN&fbclid=1", "?lang=en"),
    ("/", "?mode=nonsense&party=nobody&results=none&utm_source=x", ""),
    ("/turnout", "?view=lines&view_extra=1&lang=ru", "?lang=ru"),
    ("/maslikhats", "?region=atlantis&lang=en", "?lang=en"),
    ("/region/almaty", "?contest=nonsense&lang=Ru&gclid=9", "?lang=ru"),
    ("/embed/shares", "?unit=kz&contest=mazhilis_party_list&lang=en&fbclid=2", "?lang=en"),
    # 2023: no party results by region, so the map's default mode is turnout; a time makes it the
    # turnout page's map at that time; the party of a non-party map is not in the embed's state
    ("/embed/map", "?mode=turnout&time=final&party=nobody&utm_medium=y", "?time=final"),
]


def test_a_decorated_url_gets_what_dash_renders_for_the_plain_one(tmp_path):
    decorated = make_app(tmp_path / "a").server.test_client()
    plain = make_app(tmp_path / "b").server.test_client()
    for path, raw, canonical in EQUIVALENT:
        first = page(decorated, path, raw)
        assert cache_state(first) == "miss", (path, raw)
        again = page(decorated, path, canonical)
        assert cache_state(again) == "hit", (path, raw, canonical)
        uncached = page(plain, path, canonical)
        assert cache_state(uncached) == "miss"
        assert orjson.loads(again.data) == orjson.loads(uncached.data), (path, raw)


def test_views_that_differ_get_different_entries(tmp_path):
    client = make_app(tmp_path / "data").server.test_client()
    a = page(client, "/region/almaty")
    b = page(client, "/region/astana")
    c = page(client, "/maslikhats", "?region=almaty")
    d = page(client, "/maslikhats")  # the title names a region only when the URL does
    assert [cache_state(r) for r in (a, b, c, d)] == ["miss"] * 4
    assert len({a.data, b.data, c.data, d.data}) == 4


def test_requests_that_are_not_a_browsers_routing_call_bypass_the_cache(tmp_path, monkeypatch):
    app = make_app(tmp_path / "data")
    renders = Renders(monkeypatch, "dashboard.pages.mazhilis")
    client = app.server.test_client()
    page(client, "/")
    assert renders.calls == 1
    crafted = orjson.loads(body("/"))
    crafted["outputs"] = [{"id": "_pages_content", "property": "children"}]
    resp = client.post(CALLBACK, data=orjson.dumps(crafted), content_type="application/json")
    assert cache_state(resp) is None  # Dash answered (whatever it says), nothing read or stored
    # a search without "?" is read by the title but not by the layout: never cached
    resp = page(client, "/", "lang=en")
    assert cache_state(resp) is None
    # a repeated parameter (Dash passes a list) is Dash's
    resp = page(client, "/", "?lang=en&lang=ru")
    assert cache_state(resp) is None
    assert cache_state(page(client, "/")) == "hit"


def test_csv_downloads_are_cached_like_pages(tmp_path, monkeypatch):
    from dashboard.charts import export

    calls = []
    real = export.csv_bytes
    monkeypatch.setattr(export, "csv_bytes", lambda *a, **k: calls.append(1) or real(*a, **k))
    client = make_app(tmp_path / "data").server.test_client()
    first = client.get(E + "/download/shares.csv?lang=EN&fbclid=abc")
    assert first.status_code == 200 and cache_state(first) == "miss" and len(calls) == 1
    again = client.get(E + "/download/shares.csv?unit=kz&lang=en&utm_source=x")
    assert cache_state(again) == "hit" and len(calls) == 1
    assert again.data == first.data
    assert again.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]
    rows = list(csv.reader(again.data.decode("utf-8-sig").splitlines()))
    assert rows[1][3] == "AMANAT Party"  # the English names, not the Kazakh ones
    assert again.headers["X-Saylau-Version"] == first.headers["X-Saylau-Version"] == "0"  # stored with it
    other = client.get(E + "/download/shares.csv?contest=maslikhat_astana_party_list&lang=en")
    assert cache_state(other) == "miss" and other.data != first.data and len(calls) == 2
    # another format of the same view is its own entry, not the CSV's bytes
    xlsx = client.get(E + "/download/shares.xlsx?lang=en")
    assert cache_state(xlsx) == "miss" and xlsx.data[:2] == b"PK"
    assert cache_state(client.get(E + "/download/shares.xlsx?lang=en&fbclid=1")) == "hit"
    frozen = client.get(E + "/download/shares.csv?lang=en&v=0")
    assert cache_state(frozen) == "miss" and "immutable" in frozen.headers["Cache-Control"]
    assert "immutable" not in client.get(E + "/download/shares.csv?lang=en").headers["Cache-Control"]


# ------------------------------------------------------------------ Redis: workers, versions, flights


def test_a_render_in_worker_a_is_a_hit_in_worker_b(tmp_path, redis_server, monkeypatch):
    a = make_app(tmp_path / "data", redis_server)
    b = make_app(tmp_path / "data", redis_server)
    renders = Renders(monkeypatch, "dashboard.pages.maslikhats")
    first = page(a.server.test_client(), "/maslikhats", "?lang=ru")
    assert cache_state(first) == "miss" and renders.calls == 1
    second = page(b.server.test_client(), "/maslikhats", "?utm_source=tg&lang=ru")
    assert cache_state(second) == "hit" and second.data == first.data
    assert renders.calls == 1
    # what B found is the raw bytes in Redis, not a pickle
    import redis

    keys = [k for k in redis.Redis.from_url(redis_server).keys("saylau:http:*") if b":page:maslikhats:" in k]
    assert len(keys) == 1
    raw = redis.Redis.from_url(redis_server).get(keys[0])
    assert first.data in raw and not raw.startswith(b"!")


def _same_election_two_versions(tmp_path: Path) -> tuple[Path, Path]:
    """Two full packages of one election (same id): the second moves 5,000 votes between two parties at
    one station, so the national totals differ and nothing else does."""
    a = write_simulated(tmp_path / "v1", 40, seed=5)
    b = tmp_path / "v2"
    shutil.copytree(a, b)
    rows = list(csv.DictReader((b / "results.csv").open(encoding="utf-8")))
    row = next(r for r in rows if r["contest"] == "mazhilis_party_list" and int(r["amanat"]) > 6000)
    row["amanat"], row["auyl"] = str(int(row["amanat"]) - 5000), str(int(row["auyl"]) + 5000)
    with (b / "results.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return a, b


def _national_votes(package: Path, party: str) -> str:
    """A party's national Mazhilis list votes summed straight from the package's results.csv, in the
    English number format."""
    with (package / "results.csv").open(encoding="utf-8") as fh:
        total = sum(int(r[party]) for r in csv.DictReader(fh) if r["contest"] == "mazhilis_party_list")
    return f"{total:,}"


def test_a_new_version_of_the_same_election_is_never_served_stale(tmp_path, redis_server, monkeypatch):
    v1, v2 = _same_election_two_versions(tmp_path)
    data = tmp_path / "data"
    store = Library(data)
    store.ingest(v1)
    app = make_app(data, redis_server)
    renders = Renders(monkeypatch, "dashboard.pages.mazhilis")
    client = app.server.test_client()
    old = page(client, "/", "?lang=en", 1, SIM5)
    assert cache_state(page(client, "/", "?lang=en", 1, SIM5)) == "hit"
    assert _national_votes(v1, "amanat") in texts(old)

    ingested = store.ingest(v2)
    assert (ingested.election, ingested.version) == (SIM5, 2)  # same election, new version
    new = page(client, "/", "?lang=en&fbclid=after", 2, SIM5)
    assert cache_state(new) == "miss" and renders.calls == 2
    assert _national_votes(v2, "amanat") in texts(new)
    assert _national_votes(v1, "amanat") not in texts(new)
    assert cache_state(page(client, "/", "?lang=en", 2, SIM5)) == "hit"
    # a page still showing version 1 (it has not polled yet) is rendered from version 1 by Dash, never
    # answered with version 2's stored page: its shell and its figures stay on one version
    pinned = page(client, "/", "?lang=en", 1, SIM5)
    assert cache_state(pinned) is None and renders.calls == 3
    assert _national_votes(v1, "amanat") in texts(pinned)


def test_concurrent_misses_render_once(tmp_path, redis_server, monkeypatch):
    apps = [make_app(tmp_path / "data", redis_server) for _ in range(2)]
    renders = Renders(monkeypatch, "dashboard.pages.region")
    start = threading.Barrier(6)
    answers: list = []

    def visit(app, i):
        client = app.server.test_client()
        start.wait()
        answers.append(page(client, "/region/shymkent", f"?lang=en&fbclid=visitor{i}"))

    threads = [threading.Thread(target=visit, args=(apps[i % 2], i)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(answers) == 6
    assert renders.calls == 1
    assert sorted(cache_state(r) for r in answers) == ["hit"] * 5 + ["miss"]
    assert len({r.data for r in answers}) == 1


def test_prerender_renders_the_default_views_once_across_workers(tmp_path, redis_server, monkeypatch):
    a = make_app(tmp_path / "data", redis_server)
    b = make_app(tmp_path / "data", redis_server)
    # 3 pages × 3 languages, and the 2 headline charts' share images × 3 languages
    assert fastcache.prerender(a, regions=False) == 9 + 6
    assert fastcache.prerender(b, regions=False) == 0  # the version's lock: done once
    renders = Renders(monkeypatch, "dashboard.pages.turnout")
    client = b.server.test_client()
    for search in ("", "?lang=ru", "?lang=EN&utm_source=x"):
        assert cache_state(page(client, "/turnout", search)) == "hit", search
    assert renders.calls == 0
    # the image a page's og:image names is drawn already, and shared through Redis with worker B
    from dashboard.charts import images

    monkeypatch.setattr(images, "render", lambda *a, **k: pytest.fail("rendered again"))
    card = client.get(E + "/image/chamber.png?lang=ru&v=0&utm_source=tg")
    assert card.status_code == 200 and cache_state(card) == "hit" and card.mimetype == "image/png"


def test_a_dead_redis_still_serves_and_caches_in_process(tmp_path, redis_server):
    client = make_app(tmp_path / "data", redis_server).server.test_client()
    redis_server.stop()
    first = page(client, "/turnout", "?lang=ru")
    assert cache_state(first) == "miss"
    assert cache_state(page(client, "/turnout", "?lang=ru&fbclid=1")) == "hit"


@pytest.mark.parametrize("lang", ["EN", " en ", "En"])
def test_normalise_language_ignores_case_and_spaces(lang):
    from dashboard.i18n import normalise_language

    assert normalise_language(lang) == "en"
    assert normalise_language(["en", "ru"]) == "kk"


def test_what_is_stored_is_the_views_answer_before_later_hooks_change_it(tmp_path, monkeypatch):
    """A compressing ``after_request`` hook (installed after the cache, as a deploy might) changes every
    answer on its way out; the cache still stores the view's own bytes, and still hits."""
    import gzip

    app = make_app(tmp_path / "data")

    @app.server.after_request
    def compress(resp):
        if "gzip" in (app.server.config.get("TEST_ACCEPT") or "") and not resp.direct_passthrough:
            resp.set_data(gzip.compress(resp.get_data()))
            resp.headers["Content-Encoding"] = "gzip"
        return resp

    app.server.config["TEST_ACCEPT"] = "gzip"
    renders = Renders(monkeypatch, "dashboard.pages.maslikhats")
    client = app.server.test_client()
    first = page(client, "/maslikhats", "?lang=en")
    again = page(client, "/maslikhats", "?lang=en&fbclid=1")
    assert (cache_state(first), cache_state(again), renders.calls) == ("miss", "hit", 1)
    assert gzip.decompress(again.data) == gzip.decompress(first.data)
    orjson.loads(gzip.decompress(again.data))  # the stored bytes were the JSON, compressed once on the way


def test_a_dead_lock_holder_delays_a_miss_only_briefly(tmp_path, redis_server, monkeypatch):
    """A worker that took a view's lock and died: the others wait ``WAIT_S`` at most, then render."""
    import time

    app = make_app(tmp_path / "data", redis_server)
    fast = app.server.extensions[fastcache.EXTENSION]
    page(app.server.test_client(), "/", "?lang=ru")  # Dash registers its routing callback
    with app.server.test_request_context(
        CALLBACK, method="POST", data=body("/turnout", "?lang=en"), content_type="application/json"
    ):
        key = fast.key()
    assert key is not None and fast.tiers.lock(key, "a-dead-worker", ms=60_000) is True
    monkeypatch.setattr(singleflight, "WAIT_S", 0.5)
    renders = Renders(monkeypatch, "dashboard.pages.turnout")
    started = time.monotonic()
    resp = page(app.server.test_client(), "/turnout", "?lang=en")
    assert cache_state(resp) == "miss" and renders.calls == 1
    waited = time.monotonic() - started
    assert 0.5 <= waited < 30  # waited for the holder (not for its 60 s lock), then rendered itself
    assert cache_state(page(app.server.test_client(), "/turnout", "?lang=en&fbclid=1")) == "hit"


def test_a_browser_that_accepts_gzip_gets_the_stored_gzip(tmp_path):
    import gzip

    client = make_app(tmp_path / "data").server.test_client()
    plain = page(client, "/turnout", "?lang=ru")
    assert cache_state(plain) == "miss" and "Content-Encoding" not in plain.headers
    for accept in ("gzip, deflate, br, zstd", "br;q=1.0, gzip;q=0.8"):
        resp = client.post(
            CALLBACK, data=body("/turnout", "?lang=ru"), content_type="application/json",
            headers={"Accept-Encoding": accept},
        )  # fmt: skip
        assert cache_state(resp) == "hit" and resp.headers["Content-Encoding"] == "gzip", accept
        assert resp.headers["Vary"] == "Accept-Encoding"
        assert gzip.decompress(resp.data) == plain.data
        assert len(resp.data) < len(plain.data) / 3
    resp = client.post(
        CALLBACK, data=body("/turnout", "?lang=ru"), content_type="application/json",
        headers={"Accept-Encoding": "identity"},
    )  # fmt: skip
    assert cache_state(resp) == "hit" and "Content-Encoding" not in resp.headers
    assert resp.data == plain.data
    # a client that refuses gzip never gets the stored gzip; the compression layer may brotli the hit
    import brotli

    resp = client.post(
        CALLBACK, data=body("/turnout", "?lang=ru"), content_type="application/json",
        headers={"Accept-Encoding": "gzip;q=0, br"},
    )  # fmt: skip
    assert cache_state(resp) == "hit" and resp.headers.get("Content-Encoding") == "br"
    assert brotli.decompress(resp.data) == plain.data


def test_repeat_hits_are_answered_by_the_front_door_with_flasks_own_headers(tmp_path):
    """After one hit through Flask, the same body is answered before Flask runs: same bytes, the same
    final headers (security headers included), and never for another version."""
    data = tmp_path / "data"
    v1, v2 = _same_election_two_versions(tmp_path)
    store = Library(data)
    store.ingest(v1)
    app = make_app(data)
    door = app.server.extensions[fastcache.EXTENSION].front_door
    client = app.server.test_client()
    gz = {"Accept-Encoding": "gzip, deflate, br"}

    def post(version):
        return client.post(CALLBACK, data=body("/turnout", "?lang=ru", version, SIM5),
                           content_type="application/json", headers=gz)  # fmt: skip

    miss, through_flask = post(1), post(1)
    assert (cache_state(miss), cache_state(through_flask), door.answered) == ("miss", "hit", 0)
    at_door = post(1)
    assert door.answered == 1
    assert at_door.data == through_flask.data and at_door.headers["Content-Encoding"] == "gzip"
    assert dict(at_door.headers) == dict(through_flask.headers)
    assert at_door.headers["X-Content-Type-Options"] == "nosniff"  # added by an after_request hook
    from dashboard.web.hardening import RESOURCE_CSP

    assert at_door.headers["Content-Security-Policy"] == RESOURCE_CSP  # JSON: the policy of non-pages
    # a shared link's junk parameter is a new body, but the same view: answered at the door too
    shared = client.post(CALLBACK, data=body("/turnout", "?lang=ru&fbclid=IwAR0xyz", 1, SIM5),
                         content_type="application/json", headers=gz)  # fmt: skip
    assert door.answered == 2 and shared.data == at_door.data
    # a client refusing gzip is not answered with the gzip variant's headers
    refusing = client.post(CALLBACK, data=body("/turnout", "?lang=ru", 1, SIM5), content_type="application/json",
                           headers={"Accept-Encoding": "gzip;q=0, br"})  # fmt: skip
    assert refusing.headers.get("Content-Encoding") != "gzip" and door.answered == 2
    # a client sending no Accept-Encoding (curl, wrk) gets the plain bytes, at the door from its second hit
    plain = [client.post(CALLBACK, data=body("/turnout", "?lang=ru", 1, SIM5), content_type="application/json")
             for _ in range(2)]  # fmt: skip
    assert door.answered == 3 and plain[1].data == plain[0].data == gzip.decompress(at_door.data)
    assert "Content-Encoding" not in plain[1].headers and dict(plain[1].headers) == dict(plain[0].headers)
    # a new version: the body the door knew now belongs to a version that is no longer served
    store.ingest(v2)  # version 2 of the same election
    stale = post(1)
    assert door.answered == 3 and cache_state(stale) is None  # Dash renders version 1 for that page
    fresh = post(2)
    assert door.answered == 3 and cache_state(fresh) == "miss"


def test_a_published_version_is_drawn_before_anyone_asks(tmp_path, redis_server, monkeypatch):
    """Render on publish: a worker's watch thread sees the new version in the store and draws the default
    views, so an open page that asks for the new version's home page gets a stored answer (a hit) and
    Dash draws nothing for it."""
    first, second = _same_election_two_versions(tmp_path)
    store = Library(tmp_path / "data")
    store.ingest(first)
    app = make_app(tmp_path / "data", redis_server)
    app.server.config["SAYLAU_PRERENDER"] = True
    app.server.config["SAYLAU_PRERENDER_IMAGES"] = False
    client = app.server.test_client()
    client.get("/_dash-layout")  # Dash registers the routing callback on its first request
    fast = app.server.extensions[fastcache.EXTENSION]
    # the worker's first look, before the publish: a first look draws the front page's election only (E2023
    # here), so a thread slow to start under load saw version 2 first and never drew it (failed in CI)
    fast.look_once()
    fast.watch_publishes(every_s=0.05)
    assert store.ingest(second).version == 2
    key = fast.route_key_of(body("/", "", 2, SIM5))
    deadline = time.monotonic() + 60
    while fast.tiers.get(key) is None:
        assert time.monotonic() < deadline, "version 2's home page was not drawn on publish"
        time.sleep(0.05)
    renders = Renders(monkeypatch, "dashboard.pages.mazhilis")
    assert cache_state(page(client, "/", "", 2, SIM5)) == "hit"
    assert renders.calls == 0
