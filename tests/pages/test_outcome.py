"""The outcome sentence of a hand-made election, worked out by hand: a 10-seat party list, 1,000 votes
for parties and against all (A 600, B 300, C 40, against all 60).

Threshold 5 % of 1,000 = 50 votes: A and B pass, C (40) does not. Hare quota 900 / 10 = 90: A 600 / 90 =
6.67 → 6, B 300 / 90 = 3.33 → 3, one seat left to the largest remainder (A's 0.67): A 7, B 3. A majority
of 10 seats is 6."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.model import Contest, Election, Party
from tests.serving import E2023

NB = "\u00a0"


def _election(status: str = "final") -> Election:
    parties = tuple(
        Party(k, {"en": k.upper(), "ru": k.upper(), "kk": k.upper()}, {"en": f"Party {k.upper()}"}, c)
        for k, c in (("a", "#0072B2"), ("b", "#E69F00"), ("c", "#009E73"))
    )
    contest = Contest(key="x_list", body="mazhilis", kind="party_list", area="kz", seats=10, threshold_pct=5.0,
                      status=status)
    results = pd.DataFrame(
        [{"contest": "x_list", "unit": "kz", "registered": 2000, "took_part": 1010, "invalid": 10,
          "against_all": 60, "a": 600, "b": 300, "c": 40}]
    )
    for col in ("registered", "took_part", "invalid", "against_all", "a", "b", "c"):
        results[col] = results[col].astype("Int64")
    turnout = pd.DataFrame(columns=["time", "unit", "registered", "took_part", "turnout_pct"])
    return Election("x", "2026-08-23", {"en": "X"}, parties, (contest,), results, turnout)


@pytest.mark.parametrize(
    ("lang", "sentence", "detail"),
    [
        ("en", "A wins 7 of 10 seats; 2 parties pass the 5% threshold", "6 of 10 seats for a majority"),
        ("ru", f"A получает 7 из 10 мандатов; 2 партии преодолели барьер 5{NB}%",
         "Для большинства нужно 6 из 10 мандатов"),
        ("kk", f"A 10 мандаттың 7 мандатын алды; 2 партия 5{NB}% межесінен өтті",
         "Көпшілік үшін 10 мандаттың 6 мандаты қажет"),
    ],
)
def test_a_decided_chamber(lang, sentence, detail):
    from dashboard.components.outcome import contest_outcome

    election = _election()
    found = contest_outcome(election, election.contest("x_list"), lang)
    assert (found.sentence, found.detail, found.decided) == (sentence, detail, True)
    assert [label for label, _colour in found.key] == ["A 7", "B 3"]


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("en", "Not decided yet — leading so far: A, 60.00%; 2 parties above the 5% threshold so far"),
        ("ru", f"Итог ещё не определён — пока впереди: A, 60,00{NB}%; пока 2 партии выше барьера 5{NB}%"),
        ("kk", f"Қорытынды әлі шыққан жоқ — әзірге алда: A, 60,00{NB}%; әзірге 2 партия 5{NB}% межесінен жоғары"),
    ],
)
def test_mid_count_nothing_reads_as_final(lang, sentence):
    from dashboard.components.outcome import contest_outcome
    from dashboard.figures.parties import results_table_data

    election = _election("counting")
    found = contest_outcome(election, election.contest("x_list"), lang)
    assert (found.sentence, found.decided) == (sentence, False)
    from dashboard.components import compute

    rows = results_table_data(compute.summary(election, "x_list"), election.parties, lang, 5.0)
    marks = [r["threshold"][:1] for r in rows if r["threshold"]]
    assert marks == ["↑", "↑", "↓"]  # never ✓ / ✗ while counting


def test_the_picture_is_the_chamber_with_its_majority_line():
    from dashboard.components.outcome import contest_outcome
    from dashboard.figures.hemicycle import hemicycle_svg

    election = _election()
    svg = hemicycle_svg(contest_outcome(election, election.contest("x_list"), "en").figure)
    assert svg.count("<circle") == 10 and svg.count('fill="#0072B2"') == 7 and svg.count('fill="#E69F00"') == 3
    assert "<line" in svg and ">10</text>" in svg


def test_the_home_page_opens_with_the_outcome(tmp_path):
    """On the embedded 2023 election, the sentence from its data: 40 list + 22 single-mandate seats."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.pages import mazhilis
    from tests.layout_tree import by_id, text

    app = create_app(Config(data_dir=tmp_path / "data", default_election=E2023))
    with app.server.test_request_context("/"):
        page = mazhilis.layout(lang="en")
    assert text(by_id(page, "outcome-sentence")) == "Amanat wins 62 of 98 seats; 6 parties pass the 5% threshold"
    ids = [getattr(c, "id", None) for c in page.children]
    assert ids.index("outcome") < ids.index("progress")
