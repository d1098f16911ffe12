"""Wording the pages build in code around the catalogue's strings: the final figure named as such, no raw
keys, ISO times or English decimals on a Kazakh or Russian page (the review of 2026-12-02)."""

from __future__ import annotations

import pytest

from tests.layout_tree import by_id as _by_id
from tests.layout_tree import components as _walk
from tests.layout_tree import text as _text


@pytest.fixture(scope="module")
def final_app(tmp_path_factory):
    """A finished simulated count: every region has a final turnout figure."""
    from dashboard.rehearsal.simulate import write_simulated
    from tests.serving import serve

    tmp = tmp_path_factory.mktemp("final")
    return serve(tmp / "data", write_simulated(tmp / "sim", 60, 7))


@pytest.mark.parametrize(("lang", "named"), [("ru", "итоговая цифра"), ("kk", "қорытынды сан"), ("en", "final figure")])
def test_region_turnout_tile_names_the_final_figure(final_app, lang, named):
    """The tile read «Явка (сообщение комиссии) · 59,47 % · на итог»."""
    from dashboard.pages import region

    with final_app.server.test_request_context("/"):
        tile = _text(_by_id(region.layout(unit="karaganda", lang=lang), "stat-turnout"))
    assert named in tile
    assert "на итог" not in tile and "қорытынды жағдай бойынша" not in tile and "as of final" not in tile


@pytest.mark.parametrize(("lang", "label"), [("ru", "Итоговая явка"), ("kk", None), ("en", "Final turnout")])
def test_turnout_page_names_the_final_figure(final_app, lang, label):
    """With the final report chosen the first tile read «Явка на итог»."""
    from dashboard.i18n import gettext
    from dashboard.pages import turnout

    with final_app.server.test_request_context("/turnout"):
        tile = _text(_by_id(turnout.layout(lang=lang, time="final"), "stat-turnout-at"))
    assert tile.startswith(label or gettext("Final turnout", lang))
    assert "на итог" not in tile and "at final" not in tile and "қорытынды жағдай бойынша" not in tile


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_region_share_chart_counts_no_parties_over_a_national_threshold(final_app, lang):
    """A region's share of the Mazhilis vote: its text alternative said «Барьер 5 % преодолели партий: 0»
    under a note that the threshold is decided nationally, and its table had a column of dashes."""
    from dashboard.i18n import gettext
    from dashboard.pages import region

    with final_app.server.test_request_context("/"):
        page = region.layout(unit="karaganda", lang=lang, contest="mazhilis_party_list")
    assert _by_id(page, "region-threshold-note") is not None
    [fig] = [c.figure for c in _walk(page) if getattr(c, "id", None) == "region-party-bar"]
    meta = fig["layout"]["meta"]
    alt = meta["alt"]
    assert gettext("Threshold", lang) not in meta["columns"]
    assert "threshold" not in alt and "меже" not in alt.lower() and "барьер" not in alt.lower()
    assert alt.endswith(".") and gettext("Share of the vote by party — {unit}", lang).split("{unit}")[0] in alt


def test_national_share_chart_still_counts_parties_over_the_threshold(final_app):
    from dashboard.pages import mazhilis

    with final_app.server.test_request_context("/"):
        page = mazhilis.layout(lang="en")
    alts = [c.figure["layout"]["meta"]["alt"] for c in _walk(page) if getattr(c, "id", None) == "party-bar"]
    assert alts and "parties pass the 5% threshold" in alts[0]


@pytest.mark.parametrize(("lang", "words"), [("en", "below −3.5"), ("ru", "меньше −3,5"), ("kk", "−3,5-тен төмен")])
def test_the_interval_rule_says_both_tails(final_app, lang, words):
    """The rule flags |z| > 3.5, but said "robust z-score over 3.5" beside flags with z = −8.7."""
    from dashboard.i18n import gettext
    from dashboard.observers.flags import RULES
    from dashboard.pages import observers

    assert words in gettext(RULES["interval_outlier"].meaning, lang)
    with final_app.server.test_request_context("/observers"):
        page = observers.layout(lang=lang)
    assert _text(page).count(words) >= 1


def test_russian_share_of_a_party_does_not_decline_its_name():
    """«Доля {party}» needs the genitive: «Доля Народная партия» was wrong; the name stays in quotes."""
    from dashboard.i18n import translator

    _ = translator("ru")
    assert _("Share of {party}", party="Народная партия") == "Доля партии «Народная партия»"
    assert _("Share of {party} at polling stations", party="Ак жол").startswith("Доля партии «Ак жол» на ")
