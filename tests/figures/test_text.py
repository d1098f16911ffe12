"""Names from the files in the figure builders: drawn as text (``literal``), never as plotly markup; the
data tables keep them as they are; the project's own markup (``<b>``, ``<br>``) still works."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from dashboard.figures import (
    choropleth_map,
    hemicycle,
    maslikhat_overview,
    party_shares_bar,
    turnout_lines,
    turnout_ranking,
    turnout_small_multiples,
)
from dashboard.figures.forensics import fingerprint_figure, increments_figure
from dashboard.figures.text import literal, plain
from dashboard.model import Party

LINK = '<a href="https://evil.example/x">X</a>'
FETCH = '<span style="fill:url(http://127.0.0.1:1/x)">Y</span>'
AMP = "A&B <b>bold</b>"
RAW = ("<a ", '<span style="fill', "<b>bold</b>", "<i>")
#: A polling-station unit whose code (from the files) is markup: ``unit_name`` keeps the code.
STATION = "abai/<i>7</i>"


#: Properties plotly never draws (keys for the page's callbacks; no hover template here reads
#: ``%{customdata}`` or ``%{meta}``), and ``layout.meta``, the HTML table's cells.
NOT_DRAWN = {"customdata", "meta", "legendgroup", "locations"}


def drawn_strings(fig) -> list[str]:
    """Every string of the figure plotly reads as text."""
    out: list[str] = []

    def walk(node, path):
        if path and path[-1] in NOT_DRAWN:
            return
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v, path)

    walk(fig.to_plotly_json(), ())
    return out


def visible(text: str) -> str:
    """What plotly.js draws: the text split at tags first, the entities of the pieces decoded once."""
    return "".join(html.unescape(p) for p in re.split(r"(<[^<>]*>)", text) if not p.startswith("<"))


def assert_inert(fig, *names: str) -> None:
    strings = drawn_strings(fig)
    assert not [s for s in strings if any(r in s for r in RAW)]
    shown = " ".join(visible(s) for s in strings)
    for name in names:
        assert name in shown


@pytest.fixture
def evil(parties) -> tuple[Party, ...]:
    """The 2023 parties with Amanat, Auyl and Respublica renamed to markup."""
    renamed = {"amanat": LINK, "auyl": FETCH, "respublica": AMP}
    return tuple(
        Party(p.key, {"en": renamed[p.key]}, {"en": renamed[p.key]}, p.colour) if p.key in renamed else p
        for p in parties
    )


def test_literal_draws_exactly_the_text_and_plain_reads_it_back():
    for text in (LINK, FETCH, AMP, "A&lt;B", "A&amp;B", "Ақ жол"):
        assert "<" not in literal(text) and visible(literal(text)) == text
        assert plain(literal(text)) == text
    assert literal("Ақ жол") == "Ақ жол"
    assert plain("Turnout:<br>A&amp;B") == "Turnout: A&B"


def test_party_shares_bar(evil, mazhilis_summary):
    fig = party_shares_bar(mazhilis_summary, evil, "en")
    assert_inert(fig, LINK, FETCH, AMP)
    assert {LINK, FETCH, AMP} <= {r[0] for r in fig.layout.meta["rows"]}  # the table: as in the files
    hover = fig.data[0].hovertext[0]
    assert hover.startswith("<b>") and "<br>" in hover  # the project's markup still works


def test_hemicycle(evil, mazhilis_seats):
    fig = hemicycle(mazhilis_seats, evil, "en")
    assert_inert(fig, LINK, FETCH, AMP)
    assert LINK in {r[0] for r in fig.layout.meta["rows"]}


def test_maslikhat_overview(evil):
    df = pd.DataFrame(
        [("abai", "amanat", "party_list", 10), ("abai", "auyl", "party_list", 4), ("akmola", "respublica",
                                                                                  "party_list", 3)],
        columns=["area", "party", "kind", "seats"],
    )
    fig = maslikhat_overview(df, evil, "en")
    assert_inert(fig, LINK, FETCH, AMP)
    assert LINK in fig.layout.meta["columns"]


@pytest.mark.parametrize("mode", ["leading", "party"])
def test_the_map(evil, mode):
    values = {"abai": "amanat", "akmola": "auyl", "almaty": "respublica"} if mode == "leading" else {"abai": 40}
    fig = choropleth_map(values, mode=mode, geojson_url="/g.json", parties=evil, lang="en", party="amanat",
                         city_points={})
    assert_inert(fig, *((LINK, FETCH, AMP) if mode == "leading" else (LINK,)))
    if mode == "party":  # the text alternative is plain text: the name as it is, no entities
        assert fig.layout.meta["alt"].startswith(LINK + ": share of the vote")


def test_turnout_figures_and_a_station_code_from_the_files():
    times = ["2023-03-19T10:00:00+06:00", "2023-03-19T12:00:00+06:00"]
    table = pd.DataFrame(
        [(t, u, v) for t in times for u, v in (("kz", 20.0), ("abai", 25.0), (STATION, 30.0))],
        columns=["time", "unit", "turnout_pct"],
    )
    code = "Abai Region · <i>7</i>"
    assert_inert(turnout_lines(table, "en", highlight=STATION), code)
    assert_inert(turnout_small_multiples(table, "en"), code)
    assert_inert(turnout_ranking({"kz": 20.0, STATION: 30.0, "abai/<i>8</i>": None}, "en"), code)


def test_the_observers_figures():
    stations = pd.DataFrame({"turnout_pct": [50.0, 60.0], "leader_pct": [40.0, 70.0]})
    assert_inert(fingerprint_figure(stations, LINK, "en"), LINK)
    inc = pd.DataFrame({"time": ["t2"], "before_time": ["t1"], "unit": [STATION], "change": [3.0],
                        "median": [1.0], "z": [2.0]})
    assert_inert(increments_figure(inc, set(), "en"), "<i>7</i>")
