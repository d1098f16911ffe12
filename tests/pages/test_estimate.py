"""The night's estimate on the pages, the catalogue and the API (issue 17): shown while a contest counts,
only as an estimate (its own card, ranges, chances in words and numbers, grey, the method one click
away), computed once per version, and gone at ``final`` or when switched off.

The nights are simulated (``simulate --kind … --reported-fraction 0.3 --previous``): 300 stations, so a
third counted is 90 of 300 — the figures the card must state.
"""

from __future__ import annotations

import json

import pytest

from dashboard.components import estimate as E
from dashboard.rehearsal.kinds import write_kind
from dashboard.store.library import Library
from tests.layout_tree import by_id, text
from tests.layout_tree import components as walk

KURULTAI, PRESIDENT, REFERENDUM = "sim-kurultai-8-300", "sim-presidential-9-300", "sim-referendum-10-300"


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    """A data dir holding a Kurultai and a presidential election a third counted, each with its previous
    vote, a referendum a third counted, and the app serving it."""
    from dashboard.app import create_app
    from dashboard.config import Config

    tmp = tmp_path_factory.mktemp("night")
    data = tmp / "data"
    lib = Library(data)
    for kind, seed in (("kurultai", 8), ("presidential", 9)):
        write_kind(tmp / kind, kind, 300, seed, reported_fraction=0.3, order="strongholds", previous=tmp / f"{kind}-prev")
        lib.ingest(tmp / f"{kind}-prev")
        lib.ingest(tmp / kind)
    lib.ingest(write_kind(tmp / "referendum", "referendum", 300, 10, reported_fraction=0.3, order="west-late"))
    return tmp, data, create_app(Config(data_dir=data, default_election=KURULTAI))


def _home(app, election: str, lang: str = "en"):
    from dashboard.components import data
    from dashboard.pages import mazhilis

    with app.server.test_request_context(f"/e/{election}/"):
        data.use_election(election)
        return mazhilis.layout(lang=lang)


def _api(app, election: str, contest: str) -> dict:
    resp = app.server.test_client().get(f"/api/v1/elections/{election}/contests/{contest}/projection")
    assert resp.status_code == 200
    return json.loads(resp.data)


def test_the_card_stands_under_the_outcome_as_an_estimate(night):
    _tmp, _data, app = night
    page = _home(app, KURULTAI)
    ids = [getattr(c, "id", None) for c in page.children]
    assert ids.index("estimate") == ids.index("outcome") + 1  # under the outcome, before the count's progress
    card = by_id(page, "estimate")
    words = text(card)
    assert text(by_id(card, "estimate-title")) == "Where the count is heading: an estimate"
    assert "An estimate, not a result" in words
    # what it rests on, as counted: 30 % of 300 stations, and the previous vote by name
    assert "From 90 of 300 polling stations counted" in words
    assert "previous vote (SIMULATED" in words
    # the method one click away, in the reader's language
    [link] = [c for c in walk(card) if getattr(c, "id", None) == "estimate-method"]
    assert link.href == "/about/estimate?lang=en"
    # never a result's words
    for word in ("wins", "passes", "elected", "is adopted"):
        assert word not in words
    # a row per party of the ballot (7), with its chance of the 5 % threshold in words and a number
    rows = [c for c in walk(by_id(card, "estimate-table")) if type(c).__name__ == "Tr"][1:]
    assert len(rows) == 7
    assert all("%" in text(r) for r in rows)
    assert by_id(page, "estimate-no-previous") is None


def test_the_card_says_the_api_figures(night):
    """The card and the API read one computation: the leading party's range on the card is the API's."""
    _tmp, _data, app = night
    doc = _api(app, KURULTAI, "kurultai_party_list")
    assert doc["reason"] is None and doc["status"] == "counting"
    assert doc["stations_counted"] == 90 and doc["stations_expected"] == 300
    proj = doc["projection"]
    assert proj["method"] == "previous_vote_swing"
    assert proj["based_on"]["previous_election"] == KURULTAI + "-previous"
    top = max(proj["parties"], key=lambda k: proj["parties"][k]["share_pct"]["mid"])
    r = proj["parties"][top]["share_pct"]
    assert r["low"] <= r["mid"] <= r["high"]
    shown = f"{r['mid']:.1f}% ({r['low']:.1f}–{r['high']:.1f})"
    assert shown in text(by_id(_home(app, KURULTAI), "estimate"))
    seats = proj["seats"]
    assert sum(s["mid"] for s in seats.values()) == 145  # the point estimate fills the Kurultai


def test_presidential_and_referendum_cards_say_their_chances(night):
    _tmp, _data, app = night
    words = text(by_id(_home(app, PRESIDENT), "estimate"))
    p = _api(app, PRESIDENT, "president")["projection"]["p_elected_outright"]
    assert f"A candidate with more than half in the first round: {E.chance(p, 'en')}." in words
    ref = _api(app, REFERENDUM, "referendum_1")["projection"]
    words = text(by_id(_home(app, REFERENDUM), "estimate"))
    assert f"Adopted: {E.chance(ref['p_adopted'], 'en')}." in words
    assert "Valid (more than half of the voters take part): " in words


@pytest.mark.parametrize(("p", "words"), [
    (1.0, "almost certain (> 99%)"), (0.995, "almost certain (> 99%)"), (0.93, "very likely (93%)"),
    (0.9, "very likely (90%)"), (0.899, "very likely (90%)"), (0.894, "likely (89%)"), (0.66, "likely (66%)"), (0.42, "as likely as not (42%)"),
    (0.2, "unlikely (20%)"), (0.05, "very unlikely (5%)"), (0.004, "almost ruled out (< 1%)"),
    (0.0, "almost ruled out (< 1%)"), (0.005, "almost ruled out (< 1%)"), (0.006, "very unlikely (1%)"),
    (0.994, "almost certain (99%)"),
])
def test_chances_in_words_and_numbers(p, words):
    assert E.chance(p, "en") == words


def test_the_chart_is_grey_and_says_estimate(night):
    """No party's colour anywhere in the estimate's figure: its ranges are one grey."""
    from dashboard import charts
    from dashboard.components import data
    from dashboard.figures.estimate import ESTIMATE_GREY

    _tmp, _data, app = night
    with app.server.test_request_context(f"/e/{KURULTAI}/"):
        data.use_election(KURULTAI)
        election = data.election()
        built = charts.build(election, "estimate", "en", with_table=True)
    dumped = json.dumps(built.figure.to_plotly_json()).lower()
    colours = {p.colour.lower() for p in election.parties if p.colour}
    assert len(colours) >= 5 and not any(c in dumped for c in colours)
    assert ESTIMATE_GREY.lower() in dumped
    assert built.title.startswith("Estimate, not a result")
    assert set(built.table["estimate"]) == {"not a result"} and len(built.table) == 7


def test_downloads_and_embed_say_estimate(night):
    _tmp, _data, app = night
    client = app.server.test_client()
    csv = client.get(f"/e/{KURULTAI}/download/estimate.csv?lang=en")
    assert csv.status_code == 200
    head, *rows = csv.data.decode("utf-8-sig").splitlines()
    assert head.startswith("estimate,option,name,share_pct_low,share_pct_mid,share_pct_high,p_pass_threshold")
    assert len(rows) == 7 and all(r.startswith("not a result,") for r in rows)
    embed = client.get(f"/e/{KURULTAI}/embed/estimate?lang=en")
    assert embed.status_code == 200


def test_embed_links_the_method(night):
    from dashboard import charts
    from dashboard.components import data
    from dashboard.pages import embed

    _tmp, _data, app = night
    with app.server.test_request_context(f"/e/{KURULTAI}/embed/estimate"):
        data.use_election(KURULTAI)
        page = embed.layout(lang="ru", chart="estimate")
    [link] = [c for c in walk(page) if getattr(c, "id", None) == "embed-about"]
    assert link.href == "/about/estimate?lang=ru" and link.children == "Как делается эта оценка"
    assert text(by_id(page, "embed-title")).startswith("Оценка, а не итог")
    assert getattr(charts.MODULES["shares"], "ABOUT", None) is None  # a result's embed has no such link


def _forget(app, election: str, *, shared: bool) -> None:
    """Drop the worker's memo of ``election`` (as another worker would not have it) and, with ``shared``,
    the shared cache too (as before the version's first render)."""
    from dashboard.cache import cache
    from dashboard.components import data

    with app.server.test_request_context(f"/e/{election}/"):
        data.use_election(election)
        data.election().__dict__.pop("_saylau_ui_memo", None)
        if shared:
            cache.clear()


def test_computed_once_per_version(night, monkeypatch):
    """The page in three languages, the chart and the API: one projection of the version, not one per
    reader; another worker (no memo) reads it from the shared cache instead of computing it again."""
    from dashboard.components import compute

    _tmp, _data, app = night
    election = "sim-presidential-9-300"
    _forget(app, election, shared=True)
    calls = []
    real = compute.estimate
    monkeypatch.setattr(compute, "estimate", lambda *a, **k: calls.append(a[1]) or real(*a, **k))
    for lang in ("kk", "ru", "en"):
        assert by_id(_home(app, election, lang), "estimate") is not None
    app.server.test_client().get(f"/e/{election}/download/estimate.csv")
    _api(app, election, "president")
    assert calls == ["president"]
    _forget(app, election, shared=False)  # another worker
    assert _api(app, election, "president")["projection"] is not None
    assert by_id(_home(app, election), "estimate") is not None
    assert calls == ["president"]  # the shared cache was hit


def test_gone_at_final(night):
    """The count completed (the same night with every station, status final): no card, no chart, the API
    says why, the download is "not reported"."""
    tmp, data, app = night
    Library(data).ingest(write_kind(tmp / "kurultai-final", "kurultai", 300, 8, reported_fraction=1.0,
                                    previous=tmp / "unused-prev"))
    page = _home(app, KURULTAI)
    assert by_id(page, "estimate") is None and by_id(page, "estimate-chart-card") is None
    doc = _api(app, KURULTAI, "kurultai_party_list")
    assert doc["projection"] is None and doc["reason"] == "final"
    resp = app.server.test_client().get(f"/e/{KURULTAI}/download/estimate.csv?lang=en")
    assert resp.status_code == 404 and b"gone once the count is final" in resp.data


def test_switched_off(tmp_path, monkeypatch):
    from dashboard.app import create_app
    from dashboard.config import Config

    monkeypatch.setenv("SAYLAU_PROJECTION", "off")
    lib = Library(tmp_path / "data")
    lib.ingest(write_kind(tmp_path / "k", "kurultai", 200, 5, reported_fraction=0.4))
    app = create_app(Config(data_dir=tmp_path / "data", default_election="sim-kurultai-5-200"))
    assert by_id(_home(app, "sim-kurultai-5-200"), "estimate") is None
    doc = _api(app, "sim-kurultai-5-200", "kurultai_party_list")
    assert doc["projection"] is None and doc["reason"] == "switched off"


def test_without_a_previous_vote_the_card_says_it_is_less_certain(tmp_path):
    """No earlier Kurultai in the library: region stratification, and the card says so."""
    from dashboard.app import create_app
    from dashboard.config import Config

    Library(tmp_path / "data").ingest(write_kind(tmp_path / "k", "kurultai", 200, 5, reported_fraction=0.4))
    app = create_app(Config(data_dir=tmp_path / "data", default_election="sim-kurultai-5-200"))
    page = _home(app, "sim-kurultai-5-200")
    assert "There are no results of a previous vote by region to compare with" in text(by_id(page, "estimate-no-previous"))
    assert _api(app, "sim-kurultai-5-200", "kurultai_party_list")["projection"]["method"] == "region_stratification"


def test_method_page_in_every_language(night):
    _tmp, _data, app = night
    client = app.server.test_client()
    pages = {}
    for lang in ("kk", "ru", "en"):
        resp = client.get(f"/about/estimate?lang={lang}")
        assert resp.status_code == 200 and resp.mimetype == "text/html"
        assert "Content-Security-Policy" in resp.headers
        body = resp.data.decode()
        assert f'<html lang="{lang}">' in body and body.count("<li><strong>") == 7  # the scale of words
        pages[lang] = body
    assert "not a result" in pages["en"] and "&lt;election&gt;" in pages["en"]  # text, escaped
