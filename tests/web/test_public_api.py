"""The public JSON API (``/api/v1/elections/…``) against real data: the embedded 2023 package (figures
written here as literals from the commission's published numbers, checked by hand against
``sources/2023/*.csv``), and a real Store holding ``python -m dashboard simulate --reported-fraction 0.3``
(station counts and sums read from the package's files in the test). Then errors, headers, ETag/304,
the memo, and the OpenAPI document's coverage of the server's routes."""

from __future__ import annotations

import csv
import subprocess
import sys

import pytest
from openapi_spec_validator import validate as validate_openapi

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.store.library import Library
from dashboard.web.public_api import EXTENSION
from tests.serving import E2023 as ID2023

E2023 = "/api/v1/elections/kz-2023-03-19"
MAZHILIS = E2023 + "/contests/mazhilis_party_list"
PARTY_ORDER = ["amanat", "auyl", "respublica", "ak_zhol", "qhp", "osdp", "baytaq"]
#: sources/2023/mazhilis_party_list_national.csv (votes, published percent) and mazhilis_seats.csv (list seats)
VOTES_2023 = {"amanat": 3431510, "auyl": 693938, "respublica": 547154, "ak_zhol": 535139, "qhp": 432920,
              "osdp": 331058, "baytaq": 146431}
PUBLISHED_PCT_2023 = {"amanat": 53.9, "auyl": 10.9, "respublica": 8.59, "ak_zhol": 8.41, "qhp": 6.8,
                      "osdp": 5.2, "baytaq": 2.3}
LIST_SEATS_2023 = [40, 8, 6, 6, 5, 4, 0]
IDENTITY = {"Accept-Encoding": "identity"}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    """The app on an empty store: it serves the embedded 2023 package."""
    app = create_app(Config(data_dir=tmp_path_factory.mktemp("empty"), default_election=ID2023))
    return app.server.test_client()


def get(client, url, **headers):
    return client.get(url, headers={**IDENTITY, **headers})


# --- 2023: the commission's figures --------------------------------------------------------------------


def test_mazhilis_party_list_2023_is_the_commissions_count(client):
    resp = get(client, MAZHILIS + "/results?unit=kz")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    body = resp.get_json()
    (kz,) = body["results"]
    assert kz["unit"] == "kz"
    assert (kz["registered"], kz["took_part"], kz["against_all"]) == (12035578, 6521860, 248291)
    assert kz["votes_counted"] == 6366441  # party votes + against all (mazhilis_national_totals.csv)
    assert kz["invalid"] is None and b'"invalid":null' in resp.data  # not reported: null, never 0
    assert [p["party"] for p in kz["parties"]] == PARTY_ORDER  # ballot order, not by votes
    assert {p["party"]: p["votes"] for p in kz["parties"]} == VOTES_2023
    assert all(isinstance(p["votes"], int) for p in kz["parties"])  # raw integers, not "3,431,510"
    for p in kz["parties"]:  # shares are numbers, within rounding of the published percentages
        assert abs(p["share_pct"] - PUBLISHED_PCT_2023[p["party"]]) < 0.05, p
    assert abs(kz["against_all_share_pct"] - 3.9) < 0.05
    assert [p["seats"] for p in kz["parties"]] == LIST_SEATS_2023
    assert [p["published_seats"] for p in kz["parties"]] == LIST_SEATS_2023
    assert [p["passed_threshold"] for p in kz["parties"]] == [True] * 6 + [False]
    assert (kz["status"], kz["complete"], kz["seats_computed"], kz["seats_projection"]) == ("final", True, True, False)
    assert body["contest"]["seats"] == 69 and body["contest"]["threshold_pct"] == 5.0


def test_results_name_both_turnout_figures(client):
    """The counts give 6,521,860 / 12,035,578 = 54.188 %; the commission published 54.21 % (turnout.csv,
    'final'), the figure the pages show: both are in the answer, each under its own name."""
    (kz,) = get(client, MAZHILIS + "/results?unit=kz").get_json()["results"]
    assert abs(kz["turnout_pct"] - 54.188) < 0.0005
    assert kz["turnout_pct_published"] == 54.21
    schema = get(client, "/api/v1/openapi.json").get_json()["components"]["schemas"]["UnitResult"]
    assert "took_part / registered" in schema["properties"]["turnout_pct"]["description"]
    assert "published" in schema["properties"]["turnout_pct_published"]["description"]


def test_results_without_unit_give_every_unit_with_figures(client):
    # the Mazhilis list has national figures only; Astana's maslikhat only its own area
    assert [r["unit"] for r in get(client, MAZHILIS + "/results").get_json()["results"]] == ["kz"]
    astana = get(client, E2023 + "/contests/maslikhat_astana_party_list/results").get_json()["results"]
    assert [r["unit"] for r in astana] == ["astana"]
    (a,) = astana
    # sources/2023/maslikhat_turnout.csv and maslikhat_party_list_results.csv
    assert (a["registered"], a["took_part"], a["against_all"]) == (788931, 332694, 3269)
    votes = {p["party"]: p["votes"] for p in a["parties"]}
    assert votes == {"amanat": 227307, "auyl": 2147, "respublica": 5401, "ak_zhol": 56045, "qhp": 18174,
                     "baytaq": 18154}  # OSDP is not on Astana's ballot
    assert abs({p["party"]: p["share_pct"] for p in a["parties"]}["ak_zhol"] - 16.96) < 0.005


def test_a_figure_not_reported_is_null_and_blocks_what_depends_on_it(client):
    # Kostanay's maslikhat: party votes published, against-all not (sources/2023 README)
    (k,) = get(client, E2023 + "/contests/maslikhat_kostanay_party_list/results?unit=kostanay").get_json()["results"]
    assert k["against_all"] is None and k["votes_counted"] is None
    assert {p["party"]: p["votes"] for p in k["parties"]}["amanat"] == 195232
    assert all(p["share_pct"] is None and p["seats"] is None for p in k["parties"])
    assert k["seats_computed"] is False
    seats = get(client, E2023 + "/contests/maslikhat_kostanay_party_list/seats").get_json()
    assert seats["seats"] == 16 and seats["computed_equals_published"] is None
    assert all(p["computed"] is None for p in seats["parties"])


def test_seats_computed_beside_published(client):
    body = get(client, MAZHILIS + "/seats").get_json()
    assert [p["party"] for p in body["parties"]] == PARTY_ORDER
    assert [p["computed"] for p in body["parties"]] == LIST_SEATS_2023
    assert [p["published"] for p in body["parties"]] == LIST_SEATS_2023
    assert body["computed_equals_published"] is True and body["unaccounted"] == 0
    single = get(client, E2023 + "/contests/mazhilis_single_mandate/seats").get_json()
    # sources/2023/mazhilis_seats.csv: 22 Amanat + 7 self-nominated of 29
    assert {a["party"]: a["seats"] for a in single["allocation"]} == {"amanat": 22, "independent": 7}
    assert single["seats"] == 29 and single["unaccounted"] == 0 and single["seats_computed"] is False


def test_turnout_series(client):
    body = get(client, E2023 + "/turnout?unit=kz").get_json()
    (kz,) = body["series"]
    # sources/2023/turnout_reports.csv (kz) and mazhilis_national_totals.csv (final 54.21)
    assert [(p["time"][11:16] or p["time"], p["turnout_pct"]) for p in kz["points"]] == [
        ("10:10", 14.21), ("12:10", 30.65), ("14:10", 46.84), ("16:10", 51.98), ("18:10", 53.11),
        ("20:10", 54.09), ("22:10", 54.19), ("final", 54.21)]
    assert all(p["registered"] is None and p["took_part"] is None for p in kz["points"])
    every = get(client, E2023 + "/turnout").get_json()["series"]
    assert len(every) == 21 and every[0]["unit"] == "kz"  # the country, then the 20 units
    shymkent = {s["unit"]: s for s in every}["shymkent"]
    # no 16:10 or 20:10 figure was published for Shymkent: absent, not 0
    assert [(p["time"][11:16], p["turnout_pct"]) for p in shymkent["points"]] == [
        ("10:10", 12.57), ("12:10", 19.63), ("14:10", 35.61), ("18:10", 43.89), ("22:10", 45.46)]


def test_election_document(client):
    body = get(client, E2023).get_json()
    assert (body["id"], body["date"], body["simulated"], body["version"]) == ("kz-2023-03-19", "2023-03-19", False, 0)
    assert [p["key"] for p in body["parties"]] == PARTY_ORDER
    amanat = body["parties"][0]
    assert amanat["names"]["en"] == "AMANAT Party" and amanat["colour"] == "#0072B2" and set(amanat["names"]) == {
        "kk", "ru", "en"}
    contests = {c["key"]: c for c in body["contests"]}
    assert len(contests) == 42
    assert contests["maslikhat_kostanay_party_list"]["parties"] == ["amanat", "auyl", "respublica", "ak_zhol", "qhp"]
    assert contests["maslikhat_abai_party_list"]["seats"] is None  # not reported
    assert [u["key"] for u in body["units"]][:2] == ["kz", "abai"] and len(body["units"]) == 22
    listing = get(client, "/api/v1/elections").get_json()
    assert [e["id"] for e in listing["elections"]] == [  # the embedded votes, newest first
        "kz-2026-03-15", "kz-2024-10-06", "kz-2023-03-19", "kz-2022-11-20", "kz-2022-06-05", "kz-2021-01-10",
        "kz-2019-06-09"]


# --- a real store part-way through the count -----------------------------------------------------------


def _rows(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


COUNTS = ("registered", "took_part", "invalid", "against_all", *PARTY_ORDER)


@pytest.fixture(scope="module")
def counting(tmp_path_factory):
    """A Store whose current version is ``simulate --reported-fraction 0.3``, and its package folder."""
    root = tmp_path_factory.mktemp("counting")
    package = root / "package"
    subprocess.run([sys.executable, "-m", "dashboard", "simulate", str(package), "--stations", "80", "--seed", "7",
                    "--reported-fraction", "0.3"], check=True, capture_output=True)
    Library(root / "data").ingest(package)
    app = create_app(Config(data_dir=root / "data", default_election=ID2023))
    return app.server.test_client(), package


def test_partial_count_reports_counting_and_the_stations_in(counting):
    client, package = counting
    stations = _rows(package / "stations.csv")
    rows = [r for r in _rows(package / "results.csv") if r["contest"] == "mazhilis_party_list"
            and any(r[c] for c in COUNTS)]
    election = "/api/v1/elections/sim-7-80/contests/mazhilis_party_list"
    (kz,) = get(client, election + "/results?unit=kz").get_json()["results"]
    assert kz["status"] == "counting"
    assert (kz["stations_counted"], kz["stations_expected"]) == (len(rows), len(stations))
    assert kz["stations_counted"] < kz["stations_expected"]
    assert kz["took_part"] == sum(int(r["took_part"]) for r in rows)
    assert kz["seats_projection"] is True and kz["complete"] is False
    # a region: its own split, from the files
    region = next(r["unit"].split("/")[0] for r in rows)
    here = [r for r in rows if r["unit"].startswith(region + "/")]
    (reg,) = get(client, election + f"/results?unit={region}").get_json()["results"]
    assert (reg["stations_counted"], reg["stations_expected"]) == (
        len(here), sum(s["unit"].startswith(region + "/") for s in stations))
    assert reg["registered"] == sum(int(r["registered"]) for r in here)
    assert {p["party"]: p["votes"] for p in reg["parties"]} == {p: sum(int(r[p]) for r in here) for p in PARTY_ORDER}
    # a listed station with no results yet: figures null, 0 of 1 counted
    waiting = next(s["unit"] for s in stations if s["unit"] not in {r["unit"] for r in rows})
    (st,) = get(client, election + f"/results?unit={waiting}").get_json()["results"]
    assert (st["stations_counted"], st["stations_expected"], st["reported"]) == (0, 1, False)
    assert st["registered"] is None and all(p["votes"] is None for p in st["parties"])
    # unit omitted: the country and every region holding a counted station
    units = [r["unit"] for r in get(client, election + "/results").get_json()["results"]]
    assert units[0] == "kz" and set(units[1:]) == {r["unit"].split("/")[0] for r in rows}
    seats = get(client, election + "/seats").get_json()
    assert (seats["status"], seats["seats_projection"]) == ("counting", True)
    assert seats["stations_counted"] == len(rows)


# --- errors --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url, fragment", [
    ("/api/v1/elections/kz-2019-03-20", "no election 'kz-2019-03-20'"),
    (E2023 + "/contests/senate_party_list/results", "no contest 'senate_party_list'"),
    (MAZHILIS + "/results?unit=atlantis", "no unit 'atlantis'"),
    (MAZHILIS + "/results?unit=astana/9999", "no unit 'astana/9999'"),
    (E2023 + "/contests/maslikhat_astana_party_list/results?unit=almaty", "outside the area"),
    (E2023 + "/turnout?unit=atlantis", "no unit"),
    ("/api/v1/elections/kz-2023-03-19/contests/mazhilis_party_list/ballots", "no API route"),
    ("/api/v1/nothing-here", "no API route"),
])
def test_unknown_things_are_json_404(client, url, fragment):
    resp = get(client, url)
    assert resp.status_code == 404 and resp.mimetype == "application/json"
    body = resp.get_json()
    assert body["error"] == "not found" and fragment in body["detail"]


@pytest.mark.parametrize("url, fragment", [
    (MAZHILIS + "/results?unit=Almaty%20City", "parameter 'unit' must be"),
    (MAZHILIS + "/results?unit=kz&unit=astana", "given 2 times"),
    (MAZHILIS + "/results?units=kz", "unknown parameter 'units'"),
    (E2023 + "/contests?unit=kz", "this route takes no parameters"),
    ("/api/v1/elections/kz%202023/contests", "election id must match"),
    (MAZHILIS + "/results?_=1&_=2", "a cache-buster, ignored"),
    (MAZHILIS + "/results?_=" + "9" * 41, "at most 40 characters"),
])
def test_bad_parameters_are_json_400(client, url, fragment):
    resp = get(client, url)
    assert resp.status_code == 400 and resp.mimetype == "application/json"
    assert fragment in resp.get_json()["detail"]


def test_a_cache_buster_is_taken_and_changes_nothing(client):
    """jQuery's ``cache: false`` adds ``_=<ms>``: a live widget must get the same answer, not a 400."""
    plain = get(client, MAZHILIS + "/results?unit=kz")
    busted = get(client, MAZHILIS + "/results?unit=kz&_=1796013841123")
    assert busted.status_code == 200 and busted.data == plain.data
    assert busted.get_etag() == plain.get_etag()
    assert get(client, E2023 + "/contests?_=17").status_code == 200  # a route taking no parameters too


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_only_reading(client, method):
    resp = client.open(MAZHILIS + "/results", method=method, headers=IDENTITY)
    assert resp.status_code == 405 and resp.get_json()["error"] == "method not allowed"
    assert set(resp.headers["Allow"].split(", ")) <= {"GET", "HEAD", "OPTIONS"}
    head = client.head(MAZHILIS + "/results", headers=IDENTITY)
    assert head.status_code == 200 and head.data == b"" and head.headers["ETag"]


# --- headers, ETag, memo -------------------------------------------------------------------------------


def test_headers_etag_and_304(client):
    first = get(client, MAZHILIS + "/results?unit=kz")
    assert first.headers["Cache-Control"] == "public, max-age=5"
    assert first.headers["Access-Control-Allow-Origin"] == "*"
    etag, weak = first.get_etag()
    assert etag and not weak
    again = get(client, MAZHILIS + "/results?unit=kz", **{"If-None-Match": f'"{etag}"'})
    assert again.status_code == 304 and again.data == b"" and again.get_etag()[0] == etag
    assert again.headers["Access-Control-Allow-Origin"] == "*" and again.headers["Cache-Control"] == "public, max-age=5"
    # nginx's gzip turns a strong ETag weak; a revalidation with it still gets 304
    assert get(client, MAZHILIS + "/results?unit=kz", **{"If-None-Match": f'W/"{etag}"'}).status_code == 304
    # another query or path is another representation
    assert get(client, MAZHILIS + "/results").get_etag()[0] != etag
    assert get(client, MAZHILIS + "/seats").get_etag()[0] != etag
    assert get(client, MAZHILIS + "/results?unit=kz", **{"If-None-Match": '"other"'}).status_code == 200
    # a browser taking brotli gets the compressed body's ETag, and revalidates with it
    br = client.get(MAZHILIS + "/results?unit=kz", headers={"Accept-Encoding": "br"})
    assert br.headers["Content-Encoding"] == "br"
    revalidated = client.get(MAZHILIS + "/results?unit=kz",
                             headers={"Accept-Encoding": "br", "If-None-Match": br.headers["ETag"]})
    assert revalidated.status_code == 304 and revalidated.headers["Access-Control-Allow-Origin"] == "*"


def test_a_body_is_built_once_per_version_and_a_new_version_changes_it(tmp_path):
    data = tmp_path / "data"
    subprocess.run([sys.executable, "-m", "dashboard", "simulate", str(tmp_path / "v1"), "--stations", "40",
                    "--seed", "3", "--reported-fraction", "0.5"], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "dashboard", "simulate", str(tmp_path / "v2"), "--stations", "40",
                    "--seed", "3"], check=True, capture_output=True)
    store = Library(data)
    store.ingest(tmp_path / "v1")
    app = create_app(Config(data_dir=data, default_election=ID2023))
    client, memo = app.server.test_client(), app.server.extensions[EXTENSION]
    url = "/api/v1/elections/sim-3-40/contests/mazhilis_party_list/results?unit=kz"
    first = get(client, url)
    built = memo.computed
    for _ in range(5):
        assert get(client, url).data == first.data
    assert memo.computed == built  # the memo was hit, not rebuilt
    store.ingest(tmp_path / "v2")  # the same election, fully counted
    second = get(client, url)
    assert memo.computed == built + 1
    assert second.get_etag()[0] != first.get_etag()[0]
    assert get(client, url, **{"If-None-Match": first.headers["ETag"]}).status_code == 200  # the old ETag is stale
    assert (first.get_json()["version"], second.get_json()["version"]) == (1, 2)
    assert (first.get_json()["results"][0]["status"], second.get_json()["results"][0]["status"]) == ("counting", "final")


# --- the OpenAPI document ------------------------------------------------------------------------------


def test_openapi_document_describes_every_api_route(client):
    resp = get(client, "/api/v1/openapi.json")
    assert resp.status_code == 200 and resp.headers["Access-Control-Allow-Origin"] == "*" and resp.headers["ETag"]
    doc = resp.get_json()
    assert doc["openapi"] == "3.1.0"
    validate_openapi(doc)  # against the OpenAPI 3.1 specification's own schema; raises when it breaks it
    app = client.application
    api_rules = {r.rule for r in app.url_map.iter_rules() if r.rule.startswith("/api/v1/")
                 and r.endpoint != "saylau_api_not_found"}
    described = {path.replace("{", "<").replace("}", ">") for path in doc["paths"]}
    assert "/api/v1/elections/<election_id>/versions" in api_rules and "/api/v1/elections/<election_id>/turnout" in api_rules
    assert "/e/{election_id}/status.json" in doc["paths"] and "/e/{election_id}/feeds/versions.atom" in doc["paths"]
    assert api_rules <= described, api_rules - described
    assert {p for p in described if p.startswith("/api/v1/")} <= api_rules  # nothing promised that is not there
    for path, item in doc["paths"].items():
        names = {p["name"] for p in item["get"].get("parameters", []) if p["in"] == "path"}
        assert names == {seg[1:-1] for seg in path.split("/") if seg.startswith("{")}, path


def test_the_memo_is_bounded_in_bytes():
    from dashboard.web.public_api import BodyMemo

    memo = BodyMemo(max_bytes=1000)
    for i in range(50):  # e.g. a crawler walking every station: each body is new
        memo.get(("v", f"/station/{i}", ""), lambda i=i: {"unit": f"astana/{i:04d}", "votes": [i] * 20})
    assert memo.computed == 50
    assert 0 < memo.bytes <= 1000
    built = memo.computed
    memo.get(("v", "/station/49", ""), lambda: {"rebuilt": True})  # the newest is still there
    assert memo.computed == built
    memo.get(("v", "/station/0", ""), lambda: {"rebuilt": True})  # the oldest was evicted
    assert memo.computed == built + 1


# --- one error shape, bad parameters, the index ----------------------------------------------------------


@pytest.mark.parametrize("url", [
    E2023 + "/flags?lang=xx",
    E2023 + "/flags?lang=en&foo=1",
    E2023 + "/versions?foo=1",
    E2023 + "/versions/0/diff?format=xml",
    "/e/kz-2023-03-19/feeds/versions.atom?foo=1",
    "/e/kz-2023-03-19/download/shares.csv?unit=nowhere",
    "/e/kz-2023-03-19/download/chamber.csv?body=senate",
    "/e/kz-2023-03-19/download/ranking.csv?time=25:00",
    # a maslikhat's party list is elected in its own region only (these answered 500)
    "/e/kz-2023-03-19/download/shares.csv?contest=maslikhat_astana_party_list&unit=almaty",
    "/e/kz-2023-03-19/image/shares.png?contest=maslikhat_astana_party_list&unit=almaty",
])
def test_bad_parameters_are_400_in_the_one_error_shape(client, url):
    get(client, url.split("?")[0])  # a cached default view must not answer for the bad one
    resp = get(client, url)
    assert resp.status_code == 400 and resp.mimetype == "application/json", url
    body = resp.get_json()
    assert set(body) == {"error", "detail"} and body["error"] == "bad request"


@pytest.mark.parametrize("url, error", [
    (E2023 + "/versions/99/diff", "not found"),
    (E2023 + "/versions/x/diff", "not found"),
    ("/api/v1/elections/kz-2019-03-20/versions", "not found"),
    ("/e/kz-2023-03-19/download/nothing.csv", "not found"),
    ("/e/kz-2023-03-19/download/shares.csv?v=99", "not found"),
    ("/e/kz-2019-03-20/download/shares.csv", "not found"),  # an election that is not served
    ("/e/kz-2019-03-20/image/chamber.png", "not found"),
    ("/e/kz-2019-03-20/status.json", "not found"),
    ("/e/kz-2019-03-20/feeds/versions.atom", "not found"),
    # Abai Region has no Mazhilis party-list figures in 2023: not an empty table that reads as zero
    ("/e/kz-2023-03-19/download/shares.csv?unit=abai", "not reported"),
])
def test_unknown_or_unreported_things_are_404_in_the_one_error_shape(client, url, error):
    resp = get(client, url)
    assert resp.status_code == 404 and resp.mimetype == "application/json", url
    assert resp.get_json()["error"] == error and set(resp.get_json()) == {"error", "detail"}


def test_the_api_root_is_an_index_of_its_routes(client):
    resp = get(client, "/api/v1/")
    assert resp.status_code == 200 and resp.mimetype == "application/json"
    doc = resp.get_json()
    assert doc["openapi"] == "/api/v1/openapi.json"
    links = doc["links"]
    assert links["/api/v1/elections/{election_id}"] == E2023
    assert {"/api/v1/elections/{election_id}/versions", "/api/v1/elections/{election_id}/flags",
            "/api/v1/openapi.json", "/e/{election_id}/status.json"} <= set(links)
    assert links["/e/{election_id}/status.json"] == "/e/kz-2023-03-19/status.json"
    for path in links.values():
        if "{" not in path:
            assert get(client, path).status_code == 200, path
