"""Several elections served side by side (``/e/<id>/…``): each answers with its own figures, a new version
of one never changes nor evicts another's cached answers, the URLs of the one-election site move
permanently to 2023's, an election that is not served is a 404, and ``/api/v1/elections`` lists them all.

Election B is the embedded 2023 package copied under another id and date, with AMANAT's national votes
changed (``tests/web/elections.py``): the figures below are those literals, not the code's output."""

from __future__ import annotations

import dash
import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.store.library import Library
from tests.web.elections import AMANAT_2023, AMANAT_B, B_DATE, B_NAMES, OLD, B, second_package
from tests.web.test_fastcache import CALLBACK, Renders, body, cache_state, page, texts

#: Every election of the data dir, newest first: B (2027), then the embedded ones by date (typed by hand).
ALL = [B, "kz-2026-03-15", "kz-2024-10-06", OLD, "kz-2022-11-20", "kz-2022-06-05", "kz-2021-01-10",
       "kz-2019-06-09"]


@pytest.fixture
def data(tmp_path):
    """A data dir holding election B (version 1) beside the embedded 2023 election."""
    data = tmp_path / "data"
    assert Library(data).ingest(second_package(tmp_path / "b1")).version == 1
    return data


def make_app(data, **kw):
    app = create_app(Config(data_dir=data, **kw))
    app.server.config["SAYLAU_PRERENDER"] = False  # renders are counted
    return app


def test_two_elections_answer_with_their_own_figures(data):
    client = make_app(data).server.test_client()
    old = page(client, "/", "?lang=en", election=OLD)
    new = page(client, "/", "?lang=en", election=B)
    assert "3,431,510" in texts(old) and "3,000,001" not in texts(old)
    assert "3,000,001" in texts(new) and "3,431,510" not in texts(new)
    # each page says which election and version it was drawn from, for its own callbacks
    assert '"page-version","data":{"election":"kz-2023-03-19","version":0}' in texts(old)
    assert '"page-version","data":{"election":"kz-2027-03-21","version":1}' in texts(new)
    # and links inside its own election
    assert "/e/kz-2027-03-21/region/almaty?lang=en" in texts(new).replace("\\u002f", "/")
    assert "/e/kz-2023-03-19/" not in texts(new).replace("\\u002f", "/")
    for election, votes in ((OLD, AMANAT_2023), (B, AMANAT_B)):
        csv = client.get(f"/e/{election}/download/shares.csv?lang=en")
        assert csv.status_code == 200 and csv.headers["X-Saylau-Election"] == election
        assert f"mazhilis_party_list,kz,amanat,AMANAT Party,{votes}," in csv.data.decode("utf-8-sig")
        api = client.get(f"/api/v1/elections/{election}/contests/mazhilis_party_list/results?unit=kz").get_json()
        assert {p["party"]: p["votes"] for p in api["results"][0]["parties"]}["amanat"] == votes
        status = client.get(f"/e/{election}/status.json").get_json()
        assert status["election"] == election


def test_a_new_version_of_one_election_never_evicts_anothers_answers(data, tmp_path, monkeypatch):
    app = make_app(data)
    renders = Renders(monkeypatch, "dashboard.pages.mazhilis")
    client = app.server.test_client()
    a_page = page(client, "/", "?lang=en", election=OLD)
    a_csv = client.get(f"/e/{OLD}/download/shares.csv?lang=en")
    b_page = page(client, "/", "?lang=en", election=B)
    assert [cache_state(r) for r in (a_page, a_csv, b_page)] == ["miss"] * 3 and renders.calls == 2

    # election B publishes version 2: AMANAT's votes change by one
    assert Library(data).ingest(second_package(tmp_path / "b2", amanat=AMANAT_B + 1)).version == 2

    again = page(client, "/", "?lang=en&fbclid=after", election=OLD)
    assert cache_state(again) == "hit" and again.data == a_page.data and renders.calls == 2
    csv_again = client.get(f"/e/{OLD}/download/shares.csv?lang=en")
    assert cache_state(csv_again) == "hit" and csv_again.data == a_csv.data
    b_new = page(client, "/", "?lang=en", election=B)
    assert cache_state(b_new) == "miss" and renders.calls == 3
    assert "3,000,002" in texts(b_new) and "3,000,001" not in texts(b_new)
    # a page of B still holding version 1 is drawn from version 1 by Dash (never B's new entry)
    held = page(client, "/", "?lang=en", 1, election=B)
    assert cache_state(held) is None and "3,000,001" in texts(held)


def test_render_on_publish_draws_only_the_election_that_changed(data, tmp_path):
    app = make_app(data)
    app.server.config["SAYLAU_PRERENDER_IMAGES"] = False
    from dashboard.web import fastcache

    fast = app.server.extensions[fastcache.EXTENSION]
    drawn = []
    monkey = fastcache.prerender
    try:
        fastcache.__dict__["prerender"] = lambda app, key: drawn.append(key)
        app.server.config["SAYLAU_PRERENDER"] = True
        fast.look_once()  # first look: every election is new to this worker; the front page's is drawn
        assert [k.split("@")[0] for k in drawn] == [B]
        drawn.clear()
        fast.look_once()
        assert drawn == []  # nothing changed
        Library(data).ingest(second_package(tmp_path / "b2", amanat=AMANAT_B + 1))
        fast.look_once()
        assert [k.split("@")[0] for k in drawn] == [B] and drawn[0].startswith(f"{B}@2-")
        drawn.clear()
        Library(data).ingest(second_package(tmp_path / "c1", election_id="kz-2028-01-01", date="2028-01-01"))
        fast.look_once()  # an election added later is drawn when it appears
        assert [k.split("@")[0] for k in drawn] == ["kz-2028-01-01"]
    finally:
        fastcache.__dict__["prerender"] = monkey
    # what prerender draws for B: B's pages only, under its prefix
    views = fastcache.default_views(regions=False, election=B)
    assert views[0] == (f"/e/{B}/", "") and all(p.startswith(f"/e/{B}/") for p, _ in views)


@pytest.mark.parametrize("old, new", [
    ("/turnout", f"/e/{OLD}/turnout"),
    ("/turnout?lang=ru&time=12:00", f"/e/{OLD}/turnout?lang=ru&time=12:00"),
    ("/maslikhats?region=almaty", f"/e/{OLD}/maslikhats?region=almaty"),
    ("/observers", f"/e/{OLD}/observers"),
    ("/region/almaty?lang=en&contest=maslikhat_almaty_party_list",
     f"/e/{OLD}/region/almaty?lang=en&contest=maslikhat_almaty_party_list"),
    ("/embed/shares?unit=kz&v=0", f"/e/{OLD}/embed/shares?unit=kz&v=0"),
    ("/download/shares.csv?lang=en", f"/e/{OLD}/download/shares.csv?lang=en"),
    ("/image/chamber.png?lang=ru&v=0", f"/e/{OLD}/image/chamber.png?lang=ru&v=0"),
    ("/feeds/versions.atom", f"/e/{OLD}/feeds/versions.atom"),
    ("/api/v1/status", f"/e/{OLD}/status.json"),
    ("/api/v1/versions", f"/api/v1/elections/{OLD}/versions"),
    ("/api/v1/versions/3/diff?format=csv", f"/api/v1/elections/{OLD}/versions/3/diff?format=csv"),
    ("/api/v1/flags?lang=kk", f"/api/v1/elections/{OLD}/flags?lang=kk"),
])
def test_the_one_election_sites_urls_move_permanently_to_2023(data, old, new):
    """To 2023's, not to the default election (B here, the newest): a link shared in 2023 meant 2023."""
    client = make_app(data).server.test_client()
    resp = client.get(old)
    assert (resp.status_code, resp.headers["Location"]) == (301, new)
    assert client.get(new).status_code in (200, 404)  # where it leads exists (404: a version not published)


def _front(client):
    """The routing callback of ``/`` (the front page), as a browser sends it."""
    raw = body(f"/e/{OLD}/", "?lang=en").replace(f'"/e/{OLD}/"'.encode(), b'"/"')
    return client.post(CALLBACK, data=raw, content_type="application/json")


def test_the_front_page_is_the_default_elections_home(data):
    client = make_app(data).server.test_client()
    assert client.get("/").status_code == 200  # rendered in place, not redirected
    front = _front(client)
    assert "3,000,001" in texts(front) and "3,431,510" not in texts(front)  # B: the newest official one
    assert f"/e/{B}/region/almaty?lang=en" in texts(front).replace("\\u002f", "/")  # its links name B
    chosen = make_app(data, default_election=OLD).server.test_client()  # SAYLAU_DEFAULT_ELECTION
    front = _front(chosen)
    assert "3,431,510" in texts(front) and "3,000,001" not in texts(front)


@pytest.mark.parametrize("path", ["/e/kz-1999-01-01/", "/e/kz-1999-01-01/turnout",
                                  "/e/kz-1999-01-01/region/almaty", "/e/kz-1999-01-01/embed/chamber"])
def test_an_election_that_is_not_served_is_a_404(data, path):
    client = make_app(data).server.test_client()
    resp = client.get(path)
    assert resp.status_code == 404 and b"_dash-renderer" in resp.data
    content = client.post(CALLBACK, data=body(path), content_type="application/json")
    assert content.status_code == 200 and "page-not-found" in texts(content)
    assert cache_state(content) is None


def test_the_api_lists_every_election_newest_first(data):
    client = make_app(data).server.test_client()
    listing = client.get("/api/v1/elections").get_json()["elections"]
    assert [e["id"] for e in listing] == ALL
    b, old = listing[0], listing[3]
    assert (b["date"], b["names"], b["url"], b["status"], b["version"]) == (B_DATE, B_NAMES, f"/e/{B}/", "final", 1)
    assert (old["date"], old["url"], old["version"]) == ("2023-03-19", f"/e/{OLD}/", 0)
    assert old["names"]["en"] == "Elections to the Mazhilis and maslikhats, 19 March 2023"
    assert set(old["kinds"]) == {"party_list", "single_mandate"}
    detail = client.get(f"/api/v1/elections/{B}").get_json()
    assert detail["links"]["geojson"] == "/geodata/regions.geojson"  # 2027: today's 20 units
    old_detail = client.get("/api/v1/elections/kz-2019-06-09").get_json()
    assert old_detail["links"]["geojson"] == "/geodata/units_2022.geojson"  # 2019: the 17 units of its day
    assert detail["links"]["page"] == f"/e/{B}/" and detail["links"]["status"] == f"/e/{B}/status.json"


def test_the_list_changes_when_any_election_publishes(data, tmp_path):
    client = make_app(data).server.test_client()
    first = client.get("/api/v1/elections")
    Library(data).ingest(second_package(tmp_path / "b2", amanat=AMANAT_B + 1))
    second = client.get("/api/v1/elections", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and second.get_json()["elections"][0]["version"] == 2


def test_an_election_published_while_the_ids_were_read_is_served_at_once(data, tmp_path, monkeypatch):
    """A new election's folder is created before its history; ids read in between (render on publish
    watches every 0.2 s) left it out for a second, and its first requests answered 404 (seen in CI)."""
    from dashboard.store.store import Store

    client = make_app(data).server.test_client()
    ingest = Store.ingest

    def read_ids_midway(self, *args, **kwargs):  # the folder is there, its history not yet
        assert client.get("/api/v1/elections").status_code == 200
        return ingest(self, *args, **kwargs)

    monkeypatch.setattr(Store, "ingest", read_ids_midway)
    assert Library(data).ingest(second_package(tmp_path / "c", "kz-2028-01-01", "2028-01-01")).version == 1
    resp = client.get("/e/kz-2028-01-01/status.json")
    assert resp.status_code == 200 and resp.get_json()["version"] == 1
    assert client.get("/api/v1/elections/kz-2028-01-01").status_code == 200
    assert client.get("/e/kz-2099-01-01/status.json").status_code == 404  # an unknown one is still a 404


def test_the_header_picks_an_election_with_real_links(data):
    from dashboard.components import shell

    app = make_app(data)
    with app.server.test_request_context(f"/e/{B}/turnout?lang=ru"):
        assert shell.href("/turnout", "ru") == f"/e/{B}/turnout?lang=ru"
        from dashboard.components import data as data_module

        picker = shell.election_picker("ru", B, data_module.elections())
    links = [(a.href, getattr(a, "aria-current", None)) for a in _links(picker)]
    assert links == [(f"/e/{e}/?lang=ru", "page" if e == B else None) for e in ALL]  # newest first
    assert "data-spa" not in str(picker)  # a full load: the page's live status follows the election
    text = str(picker)
    assert B_NAMES["ru"] in text and "21.03.2027" in text
    assert shell.election_picker("ru", OLD, [(OLD, "2023-03-19", {})]) is None  # one election: no picker


def _links(component):
    found = []

    def walk(node):
        if isinstance(node, dash.html.A):
            found.append(node)
        children = getattr(node, "children", None)
        for child in children if isinstance(children, list | tuple) else [children]:
            if child is not None and not isinstance(child, str):
                walk(child)

    walk(component)
    return found


@pytest.mark.parametrize("path, page_id", [
    (f"/e/{OLD}/embed/turnout", "page-embed"),  # Dash's fnmatch: e/*/turnout matches this path too
    (f"/e/{OLD}/embed/maslikhats", "page-embed"),
    (f"/e/{OLD}/turnout", "page-turnout"),
    (f"/e/{OLD}/region/almaty", "page-region"),
    (f"/e/{OLD}/", "page-mazhilis"),
])
def test_each_path_is_matched_by_its_own_page(data, path, page_id):
    client = make_app(data).server.test_client()
    content = client.post(CALLBACK, data=body(path, "?lang=en"), content_type="application/json")
    assert f'"id":"{page_id}"' in texts(content) and "page-not-found" not in texts(content)
