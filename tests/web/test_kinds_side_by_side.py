"""Issue 18's "done when", tried from outside: three elections of the new kinds ingested beside the
embedded 2023 one — a 145-seat list-only Kurultai with a stated 5 % threshold, a presidential election
whose leader has 48 % (a second round), a constitutional referendum with 61 % yes but a yes majority in
only 12 of 20 units (not adopted) — each answer with its own figures through the Flask test client (the
home page's routing callback, an embed, an SVG image, the shares CSV, the API), and ingesting the third
changes no answer of the first two: the same bytes, served from the cache (hits, no new render).

Every figure below is worked by hand in ``tests/kinds_packages.py``'s docstring, never read from the code.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.store.library import Library
from tests import kinds_packages as kp
from tests.web.test_fastcache import Renders, cache_state, page, texts

OLD = "kz-2023-03-19"
KURULTAI, PRESIDENT, REFERENDUM = "kz-kurultai-stated", "kz-pres-test", "kz-ref-test"
#: What a reader of each election fetches (path inside the election), besides its home page.
FILES = ("/download/shares.csv?lang=en", "/image/shares.svg?lang=en")
#: ... and the API answers of each, by contest.
CONTEST = {KURULTAI: "kurultai_party_list", PRESIDENT: "president", REFERENDUM: "constitution"}


def _api(election: str) -> tuple[str, ...]:
    base = f"/api/v1/elections/{election}"
    return (base, f"{base}/contests/{CONTEST[election]}/results?unit=kz")


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """The Kurultai and the president ingested, read once by a visitor, then the referendum ingested:
    (client, the first two's answers before it, the home pages' render counter)."""
    root: Path = tmp_path_factory.mktemp("night")
    data = root / "data"
    library = Library(data)
    assert library.ingest(kp.write(root / "k", kp.kurultai_stated_doc(), kp.kurultai_rows())).election == KURULTAI
    assert library.ingest(kp.write(root / "p", kp.presidential_doc(), kp.presidential_rows(4800))).election == PRESIDENT
    app = create_app(Config(data_dir=data))
    app.server.config["SAYLAU_PRERENDER"] = False  # renders are counted
    client = app.server.test_client()
    with pytest.MonkeyPatch.context() as monkeypatch:
        renders = Renders(monkeypatch, "dashboard.pages.mazhilis")
        before = {}
        for election in (KURULTAI, PRESIDENT):
            before[(election, "home")] = page(client, "/", "?lang=en", election=election).data
            for path in FILES + _api(election):
                url = path if path.startswith("/api/") else f"/e/{election}{path}"
                resp = client.get(url)
                assert resp.status_code == 200, (url, resp.data[:300])
                before[(election, path)] = resp.data
        # each home drawn (at least once: under xdist another app of the same process may share Dash's
        # page registry and draw a view of its own); what matters is asserted after the third ingest:
        # no further render at all
        assert renders.calls >= 2
        # election night goes on: the referendum is published beside them
        assert Library(data).ingest(kp.write(root / "r", kp.referendum_doc(), kp.referendum_rows())).election \
            == REFERENDUM
        yield client, before, renders


def _home(client, election: str, lang: str = "en") -> str:
    return texts(page(client, "/", f"?lang={lang}", election=election))


def _csv(client, election: str) -> dict[str, dict]:
    resp = client.get(f"/e/{election}/download/shares.csv?lang=en")
    assert resp.status_code == 200 and resp.headers["X-Saylau-Election"] == election
    return {row["party"]: row for row in csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig")))}


def _results(client, election: str) -> dict:
    resp = client.get(_api(election)[1])
    assert resp.status_code == 200
    (unit,) = resp.get_json()["results"]
    return unit


def test_the_kurultai_answers_with_its_own_figures(night):
    client, _before, _renders = night
    home = _home(client, KURULTAI)
    assert "Amanat wins 97 of 145 seats; 3 parties pass the 5% threshold" in home
    assert "73 of 145 seats for a majority" in home
    assert "12,200" not in home and "second round" not in home
    assert "Amanat получает 97 из 145 мандатов" in _home(client, KURULTAI, "ru")  # 145: genitive plural
    embed = texts(page(client, "/embed/shares", "?lang=en", election=KURULTAI))
    assert "Kurultai: party-list vote in Kazakhstan" in embed and "9,800 votes for parties and against all" in embed
    rows = _csv(client, KURULTAI)
    assert [(k, r["votes"], r["share_pct"], r["passed_threshold"], r["seats"]) for k, r in rows.items()] == [
        ("amanat", "6000", "61.22", "True", "97"), ("auyl", "2000", "20.41", "True", "32"),
        ("respublica", "1000", "10.2", "True", "16"), ("baytaq", "400", "4.08", "False", "0"),
        ("against_all", "400", "4.08", "", "")]
    result = _results(client, KURULTAI)
    assert [(p["party"], p["votes"], p["seats"]) for p in result["parties"]] == [
        ("amanat", 6000, 97), ("auyl", 2000, 32), ("respublica", 1000, 16), ("baytaq", 400, 0)]
    assert result["kind"] == "party_list" and result["outcome"] == {"majority": 73, "chamber_seats": 145}
    assert result["votes_counted"] == 9800 and result["decided"] is True


def test_the_presidential_election_answers_with_its_own_figures(night):
    client, _before, _renders = night
    home = _home(client, PRESIDENT)
    assert "No candidate has more than half: second round, Alpha and Beta Bekov" in home
    assert "4,800" in home and "48.98%" in home and "30.61%" in home
    ru = _home(client, PRESIDENT, "ru")
    assert "второй тур" in ru.lower() and "48,98" in ru
    embed = texts(page(client, "/embed/shares", "?lang=en", election=PRESIDENT))
    assert "Presidential election in Kazakhstan: share of the valid votes" in embed
    assert "10,000 took part" in embed
    rows = _csv(client, PRESIDENT)
    assert [(k, r["votes"], r["share_pct"]) for k, r in rows.items()] == [
        ("alpha", "4800", "48.98"), ("beta", "3000", "30.61"), ("gamma", "1700", "17.35"),
        ("against_all", "300", "3.06")]
    assert {r["took_part"] for r in rows.values()} == {"10000"}
    result = _results(client, PRESIDENT)
    # the API's shares are the pages': of the 9,800 valid votes, as the commission publishes them
    assert [(p["party"], p["votes"], round(p["share_pct"], 2)) for p in result["parties"]] == [
        ("alpha", 4800, 48.98), ("beta", 3000, 30.61), ("gamma", 1700, 17.35)]
    assert round(result["against_all_share_pct"], 2) == 3.06
    assert result["outcome"]["elected"] is None and result["outcome"]["second_round"] == ["alpha", "beta"]


def test_the_referendum_answers_with_its_own_figures_and_the_rule_that_decided(night):
    client, _before, _renders = night
    home = _home(client, REFERENDUM)
    assert "Not adopted: 61.00% yes, but a yes majority in too few regions and cities" in home
    assert "Yes majority in 12 of 20 regions and cities; 14 needed (two-thirds)" in home
    assert "12,200" in home and "7,600" in home and "Do you adopt the Constitution?" in home
    kk = _home(client, REFERENDUM, "kk")
    assert "Қабылданбады" in kk or "қабылданбады" in kk
    embed = texts(page(client, "/embed/shares", "?lang=en", election=REFERENDUM))
    assert "Referendum in Kazakhstan: yes and no, share of those who took part" in embed
    assert "20,000 took part" in embed
    rows = _csv(client, REFERENDUM)
    assert [(k, r["votes"], r["share_pct"], r["took_part"], r["registered"]) for k, r in rows.items()] == [
        ("yes", "12200", "61.0", "20000", "30000"), ("no", "7600", "38.0", "20000", "30000")]
    result = _results(client, REFERENDUM)
    assert [(p["party"], p["votes"], p["share_pct"]) for p in result["parties"]] == [
        ("yes", 12200, 61.0), ("no", 7600, 38.0)]
    outcome = result["outcome"]
    assert (outcome["valid"], outcome["adopted"], outcome["units_with_yes_majority"], outcome["units_required"],
            outcome["basis"]) == (True, False, 12, 14, "computed")
    detail = client.get(f"/api/v1/elections/{REFERENDUM}").get_json()
    assert detail["kinds"] == ["referendum"]
    assert detail["contests"][0]["question"]["en"] == "Do you adopt the Constitution?"
    assert detail["contests"][0]["constitutional"] is True and detail["contests"][0]["options"] == ["yes", "no"]


@pytest.mark.parametrize("election, drawn", [
    (KURULTAI, ("61.22%", "20.41%", "4.08%")),
    (PRESIDENT, ("48.98%", "30.61%", "17.35%")),  # of the 9,800 valid votes, as published
    (REFERENDUM, ("61.00%", "38.00%")),
])
def test_each_image_draws_its_own_figures(night, election, drawn):
    client, _before, _renders = night
    resp = client.get(f"/e/{election}/image/shares.svg?lang=en")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    svg = resp.data.decode("utf-8")
    for label in drawn:
        assert label in svg, label
    others = {KURULTAI: "61.22%", PRESIDENT: "48.98%", REFERENDUM: "38.00%"}
    assert not any(label in svg for e, label in others.items() if e != election)


def test_the_elections_list_names_all_four_newest_first_with_their_kinds(night):
    """The three new ones and every embedded vote (2023 and the record since 2019), newest first."""
    client, _before, _renders = night
    listed = client.get("/api/v1/elections").get_json()["elections"]
    assert [(e["id"], e["date"], e["kinds"], e["url"]) for e in listed] == [
        (PRESIDENT, "2029-11-20", ["presidential"], f"/e/{PRESIDENT}/"),
        (REFERENDUM, "2028-03-15", ["referendum"], f"/e/{REFERENDUM}/"),
        (KURULTAI, "2026-08-23", ["party_list"], f"/e/{KURULTAI}/"),
        ("kz-2026-03-15", "2026-03-15", ["referendum"], "/e/kz-2026-03-15/"),
        ("kz-2024-10-06", "2024-10-06", ["referendum"], "/e/kz-2024-10-06/"),
        (OLD, "2023-03-19", ["party_list", "single_mandate"], f"/e/{OLD}/"),
        ("kz-2022-11-20", "2022-11-20", ["presidential"], "/e/kz-2022-11-20/"),
        ("kz-2022-06-05", "2022-06-05", ["referendum"], "/e/kz-2022-06-05/"),
        ("kz-2021-01-10", "2021-01-10", ["party_list"], "/e/kz-2021-01-10/"),
        ("kz-2019-06-09", "2019-06-09", ["presidential"], "/e/kz-2019-06-09/"),
    ]


def test_ingesting_the_referendum_changed_no_answer_of_the_others(night):
    client, before, renders = night
    with pytest.MonkeyPatch.context() as monkeypatch:
        counted = Renders(monkeypatch, "dashboard.pages.mazhilis")
        for election in (KURULTAI, PRESIDENT):
            home = page(client, "/", "?lang=en", election=election)
            assert cache_state(home) == "hit" and home.data == before[(election, "home")], election
            for path in FILES:
                resp = client.get(f"/e/{election}{path}")
                assert cache_state(resp) == "hit" and resp.data == before[(election, path)], path
            for path in _api(election):
                assert client.get(path).data == before[(election, path)], path
        assert counted.calls == 0  # served from the cache: Dash drew neither home page again
