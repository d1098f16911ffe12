"""A small synthetic election factory for the electoral arithmetic tests."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.model import (
    COMPOSITION_COLUMNS,
    DISTRICT_COLUMNS,
    RESULT_BASE_COLUMNS,
    SOURCE_COLUMNS,
    TURNOUT_COLUMNS,
    Contest,
    Election,
    Party,
)

PARTIES = ("a", "b", "c")


def build(results=(), turnout=(), contests=None, districts=(), composition=(), sources=(), parties=PARTIES):
    contests = contests or (
        Contest("mazhilis_party_list", "mazhilis", "party_list", "kz", 10, 5.0),
        Contest("mazhilis_single_mandate", "mazhilis", "single_mandate", "kz", 3, 5.0),
        Contest("maslikhat_astana_party_list", "maslikhat", "party_list", "astana", 4, 5.0, ("a", "b")),
        Contest("maslikhat_astana_single_mandate", "maslikhat", "single_mandate", "astana", None, 5.0),
    )
    cols = list(RESULT_BASE_COLUMNS + tuple(parties))
    res = pd.DataFrame([dict(zip(cols, r, strict=False)) for r in results], columns=cols)
    for c in cols[2:]:
        res[c] = res[c].astype("Int64")
    tt = pd.DataFrame(list(turnout), columns=list(TURNOUT_COLUMNS))
    tt[["registered", "took_part"]] = tt[["registered", "took_part"]].astype("Int64")
    tt["turnout_pct"] = tt["turnout_pct"].astype("Float64")
    comp = pd.DataFrame(list(composition), columns=list(COMPOSITION_COLUMNS))
    comp["seats"] = comp["seats"].astype("Int64")
    return Election(
        id="test",
        date="2023-03-19",
        names={"en": "Test"},
        parties=tuple(Party(p, {"en": p.upper()}, {"en": p.upper()}, "#000000") for p in parties),
        contests=tuple(contests),
        results=res,
        turnout=tt,
        districts=pd.DataFrame(list(districts), columns=list(DISTRICT_COLUMNS)),
        composition=comp,
        sources=pd.DataFrame(list(sources), columns=list(SOURCE_COLUMNS)),
    )


@pytest.fixture
def make_election():
    return build
