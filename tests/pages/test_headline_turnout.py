"""The home page's turnout card says which published figure it shows. The 2026 referendum's card showed
73.24 % (the 20:30 turnout report, ballots issued) under the record line's 73.12 % (the preliminary result),
neither saying which it was; it now shows the result's figure and names it, as the record line does."""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.pages import mazhilis
from tests.layout_tree import by_id, text

NB = "\u00a0"


def _card(tmp_path, election_id, lang, stat="stat-turnout"):
    from dashboard.components import data as data_module

    app = create_app(Config(data_dir=tmp_path / "data", default_election=election_id))
    with app.server.test_request_context(f"/?lang={lang}"):
        return text(by_id(mazhilis.headline(data_module.election(), lang), stat))


@pytest.mark.parametrize(("lang", "expected"), [
    # results.csv: 9,127,192 of 12,482,613 took part = 73.119 % (turnout.csv's 20:30 report: 73.24 %)
    ("en", "73.12%"),
    ("ru", f"73,12{NB}%"),
    ("kk", f"73,12{NB}%"),
])
def test_2026_card_shows_the_preliminary_results_turnout_and_says_so(tmp_path, lang, expected):
    card = _card(tmp_path, "kz-2026-03-15", lang)
    assert expected in card, card
    assert "73.24" not in card and "73,24" not in card
    assert {"en": "from the preliminary results", "ru": "по предварительным итогам",
            "kk": "алдын ала қорытындылар бойынша"}[lang] in card, card


def test_2024_card_shows_the_final_results_turnout(tmp_path):
    # 7,820,204 of 12,284,487 took part = 63.659 % (the 20:00 report: 63.87 %); the contest is final
    card = _card(tmp_path, "kz-2024-10-06", "en")
    assert "63.66%" in card and "from the final results" in card, card


def test_2023_card_keeps_the_commissions_final_turnout_figure(tmp_path):
    # turnout.csv's "final" row, 54.21 % (the counts give 54.19 %): the commission's own final figure
    card = _card(tmp_path, "kz-2023-03-19", "en")
    assert "54.21%" in card and "final figure" in card, card


def test_last_update_of_a_preliminary_vote_is_not_final(tmp_path):
    """2026's results are preliminary: its "Last update" said "final results as published" under the
    "Preliminary results" banner; 2024's are final."""
    assert "preliminary results as published" in _card(tmp_path, "kz-2026-03-15", "en", "stat-updated")
    assert "опубликованные предварительные итоги" in _card(tmp_path, "kz-2026-03-15", "ru", "stat-updated")
    assert "final results as published" in _card(tmp_path, "kz-2024-10-06", "en", "stat-updated")
