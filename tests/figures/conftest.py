"""Hand-built inputs for the figure builders (no store, no package)."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.electoral.summary import ContestSummary, PartyResult
from dashboard.model import Party

COLOURS = {
    "amanat": "#0b61a4",
    "auyl": "#2e8b57",
    "respublica": "#e07b00",
    "ak_zhol": "#1c9ad6",
    "qhp": "#c0392b",
    "osdp": "#e377c2",
    "baytaq": "#7cb342",
}
SHORT = {
    "amanat": ("Amanat", "Amanat"),
    "auyl": ("Auyl", "Ауыл"),
    "respublica": ("Respublica", "Respublica"),
    "ak_zhol": ("Ak Zhol", "Ак жол"),
    "qhp": ("People's Party", "Народная партия"),
    "osdp": ("OSDP", "ОСДП"),
    "baytaq": ("Baytaq", "Байтак"),
}


@pytest.fixture
def parties() -> tuple[Party, ...]:
    return tuple(
        Party(k, {"en": en, "ru": ru, "kk": ru}, {"en": en}, COLOURS[k]) for k, (en, ru) in SHORT.items()
    )


#: The 2023 Mazhilis party-list result (votes, share of votes counted, list seats).
MAZHILIS = [
    ("amanat", 3431510, 53.90, 40),
    ("auyl", 693938, 10.90, 8),
    ("respublica", 547154, 8.59, 6),
    ("ak_zhol", 535139, 8.41, 6),
    ("qhp", 432920, 6.80, 5),
    ("osdp", 331058, 5.20, 4),
    ("baytaq", 146431, 2.30, 0),
]


def summary(
    results=MAZHILIS, *, against=(248291, 3.90), unit="kz", computed=True, complete=True, published=None
):
    prs = tuple(
        PartyResult(
            party=k,
            votes=v,
            share_pct=s,
            passed_threshold=None if s is None else s >= 5.0,
            seats=n if computed else None,
            published_seats=(published or {}).get(k),
        )
        for k, v, s, n in results
    )
    return ContestSummary(
        contest="mazhilis_party_list",
        unit=unit,
        registered=12035578,
        took_part=6521860,
        turnout_pct=54.19,
        invalid=None,
        against_all=against[0],
        against_all_share_pct=against[1],
        votes_counted=6366441 if complete else None,
        parties=prs,
        reported=True,
        complete=complete,
        seats_computed=computed,
        units_reporting=21,
        units_expected=21,
    )


@pytest.fixture
def mazhilis_summary():
    return summary()


@pytest.fixture
def mazhilis_seats() -> pd.DataFrame:
    rows = [(k, "party_list", n) for k, _v, _s, n in MAZHILIS]
    rows += [("amanat", "single_mandate", 22), ("independent", "single_mandate", 7)]
    return pd.DataFrame(rows, columns=["party", "kind", "seats"])


T = "2023-03-19T{}:10:00+06:00"


@pytest.fixture
def turnout_table() -> pd.DataFrame:
    rows = []
    for hour, national in (("10", 14.21), ("12", 30.65), ("14", 46.71)):
        rows.append((T.format(hour), "kz", national))
        rows.append((T.format(hour), "astana", national - 1))
        rows.append((T.format(hour), "almaty", national - 6))
        rows.append((T.format(hour), "abai", national + 2))
    rows.append(("final", "kz", 54.21))
    rows = [r for r in rows if not (r[0] == T.format("12") and r[1] == "almaty")]  # a gap
    return pd.DataFrame(rows, columns=["time", "unit", "turnout_pct"])


@pytest.fixture
def make_summary():
    return summary
