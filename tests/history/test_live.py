"""The record since 2019, served (issue 16's "done when", tried from outside): with an empty data dir the API
lists the six votes and 2023 newest first; ``summary --election … --json`` reproduces each vote's published
national figures; the 2019 vote is drawn and tabled on the 17 units of its day; the front page is the newest
vote and 2023 says it was the last Mazhilis.

Every figure below is typed by hand from the source named beside it (the same sources as
test_history_packages.py), never read from the packages or the code's output.
"""

from __future__ import annotations

import csv
import io
import json

import orjson
import pytest

from dashboard.app import create_app
from dashboard.cli import main
from dashboard.config import Config
from tests.web.test_fastcache import BROWSER_BODY, CALLBACK, page, texts

NEWEST_FIRST = ["kz-2026-03-15", "kz-2024-10-06", "kz-2023-03-19", "kz-2022-11-20", "kz-2022-06-05",
                "kz-2021-01-10", "kz-2019-06-09"]


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    return tmp_path_factory.mktemp("empty")


@pytest.fixture(scope="module")
def client(empty):
    app = create_app(Config(data_dir=empty))
    app.server.config["SAYLAU_PRERENDER"] = False
    return app.server.test_client()


def _summary(capsys, data_dir, election: str, contest: str) -> dict:
    assert main(["summary", "--election", election, "--contest", contest, "--json", "--data-dir", str(data_dir)]) == 0
    return json.loads(capsys.readouterr().out)


def _votes(doc: dict) -> dict[str, int]:
    return {p["party"]: p["votes"] for p in doc["parties"]}


# --------------------------------------------------------------------------- listed


def test_an_empty_data_dir_lists_the_six_votes_and_2023_newest_first(client):
    listing = client.get("/api/v1/elections").get_json()["elections"]
    assert [e["id"] for e in listing] == NEWEST_FIRST
    kinds = {e["id"]: e["kinds"][0] for e in listing}
    assert kinds == {"kz-2026-03-15": "referendum", "kz-2024-10-06": "referendum", "kz-2023-03-19": "party_list",
                     "kz-2022-11-20": "presidential", "kz-2022-06-05": "referendum", "kz-2021-01-10": "party_list",
                     "kz-2019-06-09": "presidential"}
    assert all(e["url"] == f"/e/{e['id']}/" for e in listing)


# --------------------------------------------------------------------------- the published national figures


def test_2019_tokayev_elected_turnout_77_43(capsys, empty):
    """inform.kz / deccanchronicle: 9,261,460 of 11,960,364 took part; ru.wikipedia (final): Tokayev
    6,539,715 — more than half of those who took part. The ballot had no 'against all' line (kazaknews.kz)."""
    doc = _summary(capsys, empty, "kz-2019-06-09", "president")
    assert (doc["kind"], doc["registered"], doc["took_part"]) == ("presidential", 11_960_364, 9_261_460)
    assert round(doc["turnout_pct"], 2) == 77.43
    assert _votes(doc)["tokayev"] == 6_539_715
    assert doc["outcome"]["elected"] == "tokayev" and doc["outcome"]["second_round"] is None
    assert doc["against_all"] is None and doc["complete"]  # no such line: the shares are computable
    assert round(next(p["share_pct"] for p in doc["parties"] if p["party"] == "tokayev"), 2) == 70.96


def test_2021_nur_otan_76_ak_zhol_12_peoples_party_10_at_7_percent(capsys, empty):
    """sputnik.kz (CEC, 12 Jan 2021): 7,539,280 of 11,919,241 (63.25 %); Nur Otan 76 seats, Ak Zhol 12,
    People's Party 10 — the parties over the 7 % threshold (kazaknews.kz); Nur Otan 71.09 %."""
    doc = _summary(capsys, empty, "kz-2021-01-10", "mazhilis_party_list")
    assert round(doc["turnout_pct"], 2) == 63.25 and doc["took_part"] == 7_539_280
    seats = {p["party"]: (p["seats"], p["published_seats"]) for p in doc["parties"]}
    assert seats == {"amanat": (76, 76), "ak_zhol": (12, 12), "qhp": (10, 10), "auyl": (0, None),
                     "adal": (0, None)}
    assert {p["party"]: p["passed_threshold"] for p in doc["parties"]} == {
        "amanat": True, "ak_zhol": True, "qhp": True, "auyl": False, "adal": False}  # Auyl 5.29 % < 7 %
    assert round(next(p["share_pct"] for p in doc["parties"] if p["party"] == "amanat"), 2) == 71.09
    assert doc["outcome"]["chamber_seats"] == 98


def test_2022_referendum_adopted_in_all_17_units_two_thirds_is_12(capsys, empty):
    """Wikipedia / abai.kz (CEC final): yes 6,163,516, no 1,490,470 of 7,985,769 who took part (77.18 %
    yes), turnout 68.05 %; a yes majority in all 17 units of the day — two-thirds of 17 is 12."""
    doc = _summary(capsys, empty, "kz-2022-06-05", "constitutional_amendments")
    assert _votes(doc) == {"yes": 6_163_516, "no": 1_490_470}
    out = doc["outcome"]
    assert (out["valid"], out["adopted"], out["units_with_yes_majority"], out["units_required"]) == (True, True, 17, 12)
    assert round(out["yes_pct"], 2) == 77.18 and round(out["turnout_pct"], 2) == 68.05


def test_2022_president_tokayev_elected_turnout_69_44(capsys, empty):
    """kommersant / baribar (CEC): 8,300,046 took part (69.44 %), Tokayev 6,456,393, against all 460,484."""
    doc = _summary(capsys, empty, "kz-2022-11-20", "president")
    assert doc["took_part"] == 8_300_046 and round(doc["turnout_pct"], 2) == 69.44
    assert _votes(doc)["tokayev"] == 6_456_393 and doc["against_all"] == 460_484
    assert doc["outcome"]["elected"] == "tokayev"


def test_2024_referendum_adopted_yes_5561937_no_2045271(capsys, empty):
    """astanatimes (CEC): 7,820,204 of 12,284,487 took part (63.66 %); yes 5,561,937 (71.12 %), no 2,045,271."""
    doc = _summary(capsys, empty, "kz-2024-10-06", "nuclear_power_plant")
    assert _votes(doc) == {"yes": 5_561_937, "no": 2_045_271}
    out = doc["outcome"]
    assert (out["valid"], out["adopted"]) == (True, True)
    assert round(out["yes_pct"], 2) == 71.12 and round(out["turnout_pct"], 2) == 63.66


def test_2026_referendum_adopted_as_published(capsys, empty):
    """almatanews (CEC preliminary): 9,127,192 of 12,482,613 (73.12 %), yes 7,954,667 (87.15 %), no 898,099;
    a yes majority in every one of the 20 units (published, no regional counts)."""
    doc = _summary(capsys, empty, "kz-2026-03-15", "new_constitution")
    assert _votes(doc) == {"yes": 7_954_667, "no": 898_099}
    out = doc["outcome"]
    assert (out["adopted"], out["units_with_yes_majority"], out["units_required"], out["basis"]) == (
        True, 20, 14, "published")
    assert round(out["yes_pct"], 2) == 87.15 and round(out["turnout_pct"], 2) == 73.12


# --------------------------------------------------------------------------- on the borders of the day


def test_2019_is_drawn_on_the_17_units_of_its_day(client):
    detail = client.get("/api/v1/elections/kz-2019-06-09").get_json()
    url = detail["links"]["geojson"]
    assert url == "/geodata/units_2022.geojson"
    keys = [u["key"] for u in detail["units"]]
    assert (keys[0], keys[-1], len(keys)) == ("kz", "abroad", 19)
    assert set(keys[1:-1]) == {  # 14 regions and 3 cities; no Abai, Zhetysu or Ulytau
        "akmola", "aktobe", "almaty_region", "atyrau", "east_kazakhstan", "zhambyl", "west_kazakhstan",
        "karaganda", "kostanay", "kyzylorda", "mangystau", "pavlodar", "north_kazakhstan", "turkistan",
        "astana", "almaty", "shymkent"}
    assert {u["key"]: u["names"]["en"] for u in detail["units"]}["astana"] == "Nur-Sultan"
    assert detail["boundaries"] == "units_2022"
    geo = client.get(url)
    assert geo.status_code == 200 and "max-age=86400" in geo.headers["Cache-Control"]
    features = geo.get_json()["features"]
    assert len(features) == 17 and "abai" not in {f["id"] for f in features}
    # the page's map points at that file and draws 17 locations
    home = texts(page(client, "/", "?lang=en", election="kz-2019-06-09"))
    assert "\\u002fgeodata\\u002funits_2022.geojson" in home or "/geodata/units_2022.geojson" in home
    assert client.get("/geodata/../README.md").status_code == 404


def _csv(client, url: str) -> list[dict]:
    resp = client.get(url)
    assert resp.status_code == 200, resp.data[:300]
    return list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))


def test_2019_is_tabled_on_the_17_units_with_nur_sultan(client):
    rows = _csv(client, "/e/kz-2019-06-09/download/ranking.csv?lang=en")
    units = [r["unit"] for r in rows if r["unit"] != "kz"]
    assert len(units) == 17 and not {"abai", "zhetysu", "ulytau"} & set(units)
    assert {r["unit"]: r["unit_name"] for r in rows}["astana"] == "Nur-Sultan"
    rows = _csv(client, "/e/kz-2019-06-09/download/map.csv?lang=ru&mode=turnout")
    assert len(rows) == 17 and {r["unit"]: r["unit_name"] for r in rows}["astana"] == "Нур-Султан"
    twenty = _csv(client, "/e/kz-2022-11-20/download/map.csv?lang=en&mode=turnout")
    assert len(twenty) == 20 and {r["unit"]: r["unit_name"] for r in twenty}["astana"] == "Astana"


@pytest.mark.parametrize("lang, name", [("en", "Nur-Sultan"), ("ru", "Нур-Султан"), ("kk", "Нұр-Сұлтан")])
def test_the_capitals_page_in_2019_says_nur_sultan(client, lang, name):
    text = texts(page(client, "/region/astana", f"?lang={lang}", election="kz-2019-06-09"))
    assert name in text
    later = texts(page(client, "/region/astana", f"?lang={lang}", election="kz-2024-10-06"))
    assert name not in later


def test_a_region_formed_later_says_what_it_was_part_of(client):
    text = texts(page(client, "/region/abai", "?lang=en", election="kz-2019-06-09"))
    assert "was part of East Kazakhstan Region" in text and "the 17 units before 8 June 2022" in text


# --------------------------------------------------------------------------- the front page


def _front(client, lang: str = "en") -> str:
    body = (BROWSER_BODY.replace("PATH", orjson.dumps("/").decode())
            .replace("SEARCH", orjson.dumps(f"?lang={lang}").decode()).replace("DATA", "null"))
    resp = client.post(CALLBACK, data=body.encode(), content_type="application/json")
    assert resp.status_code == 200
    return resp.data.decode("utf-8")


def test_the_front_page_is_the_newest_vote_unless_configured(client, empty, tmp_path):
    assert '"election":"kz-2026-03-15"' in _front(client)
    configured = create_app(Config(data_dir=tmp_path / "d", default_election="kz-2023-03-19"))
    configured.server.config["SAYLAU_PRERENDER"] = False
    assert '"election":"kz-2023-03-19"' in _front(configured.server.test_client())


def test_2023_stays_one_click_away_in_the_header(client):
    from dashboard.components import data as data_module
    from dashboard.components import shell

    with client.application.test_request_context("/?lang=en"):
        listed = data_module.elections()  # from each election.json alone (Library.meta)
        picker = shell.election_picker("en", data_module.election_id(), listed)
    assert [eid for eid, _date, _names in listed] == NEWEST_FIRST
    assert dict((eid, names["en"]) for eid, _d, names in listed)["kz-2023-03-19"] == (
        "Elections to the Mazhilis and maslikhats, 19 March 2023")
    assert "/e/kz-2023-03-19/?lang=en" in str(picker)


@pytest.mark.parametrize("lang, words", [
    ("en", "This was the last election of the Mazhilis"),
    ("ru", "Это были последние выборы в Мажилис"),
    ("kk", "Бұл Мәжіліске өткен соңғы сайлау болды"),
])
def test_2023_says_it_was_the_last_mazhilis(client, lang, words):
    text = texts(page(client, "/", f"?lang={lang}", election="kz-2023-03-19"))
    assert words in text and "inform.kz" in text
    assert words not in texts(page(client, "/", f"?lang={lang}", election="kz-2021-01-10"))


def test_the_2019_home_links_and_picks_the_17_units_of_its_day(client):
    home = texts(page(client, "/", "?lang=en", election="kz-2019-06-09")).replace("\\u002f", "/")
    assert "/e/kz-2019-06-09/region/east_kazakhstan?lang=en" in home and "Nur-Sultan" in home
    for gone in ("abai", "zhetysu", "ulytau"):
        assert f"/region/{gone}?" not in home and f'"value":"{gone}"' not in home
    today = texts(page(client, "/", "?lang=en", election="kz-2024-10-06")).replace("\\u002f", "/")
    assert "/e/kz-2024-10-06/region/abai?lang=en" in today


def test_the_api_names_and_knows_the_units_of_the_day(client):
    base = "/api/v1/elections/kz-2019-06-09"
    series = client.get(f"{base}/turnout?unit=astana").get_json()["series"]
    assert series[0]["names"] == {"kk": "Нұр-Сұлтан", "ru": "Нур-Султан", "en": "Nur-Sultan"}
    assert client.get(f"{base}/turnout?unit=abai").status_code == 404  # no Abai region in 2019
    assert client.get(f"{base}/contests/president/results?unit=abai").status_code == 404
    assert client.get("/api/v1/elections/kz-2024-10-06/turnout?unit=abai").status_code == 200
