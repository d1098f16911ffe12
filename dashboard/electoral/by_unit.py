"""One contest's results region by region, for the choropleth and the regional table."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.boundaries import unit_keys
from dashboard.electoral.summary import contest_summary, in_area, unit_figures
from dashboard.model import Election
from dashboard.regions import ABROAD, top_unit


def share_column(party: str) -> str:
    return f"share_{party}"


def results_by_unit(election: Election, contest_key: str) -> pd.DataFrame:
    """One row per region in registry order (20), plus ``abroad`` when the contest has rows for it.

    Columns: unit, reported (bool), registered, took_part (nullable Int64), turnout_pct,
    against_all_share_pct (float, NaN = not computable), leading_party (party key, or None when not
    computable: a ballot party's votes not reported, nobody with votes, or a tie at the top), and one
    ``share_<party>`` column per party of the election (NaN where not computable or not on the ballot).

    Regions outside the contest's area (every region but one for a regional maslikhat) are not reported.
    Leading party needs every ballot party's votes; shares also need the against-all count.
    """
    contest = election.contest(contest_key)
    ballot = election.contest_parties(contest_key)
    units = list(unit_keys(election))  # the units of the election's day
    rows = election.contest_rows(contest_key)
    if (rows["unit"].map(top_unit) == ABROAD).any():
        units.append(ABROAD)

    records = []
    for unit in units:
        rec: dict = {
            "unit": unit,
            "reported": False,
            "registered": None,
            "took_part": None,
            "turnout_pct": math.nan,
            "against_all_share_pct": math.nan,
            "leading_party": None,
        }
        rec.update({share_column(p): math.nan for p in election.party_keys})
        if in_area(contest.area, unit):
            s = contest_summary(election, contest_key, unit)
            figures = unit_figures(election, contest_key, unit)[0]
            rec.update(
                reported=s.reported,
                registered=s.registered,
                took_part=s.took_part,
                turnout_pct=math.nan if s.turnout_pct is None else s.turnout_pct,
                against_all_share_pct=math.nan
                if s.against_all_share_pct is None
                else s.against_all_share_pct,
                leading_party=_leader({p: figures[p] for p in ballot}),
            )
            for pr in s.parties:
                rec[share_column(pr.party)] = math.nan if pr.share_pct is None else pr.share_pct
        records.append(rec)

    df = pd.DataFrame(records)
    df["reported"] = df["reported"].astype(bool)
    for col in ("registered", "took_part"):
        df[col] = df[col].astype("Int64")
    for col in ["turnout_pct", "against_all_share_pct"] + [share_column(p) for p in election.party_keys]:
        df[col] = df[col].astype("float64")
    df["leading_party"] = pd.Series([r["leading_party"] for r in records], dtype=object, index=df.index)
    return df


def _leader(votes: dict[str, int | None]) -> str | None:
    known = [v for v in votes.values() if v is not None]
    if not votes or len(known) < len(votes):
        return None
    top = max(known)
    leaders = [p for p, v in votes.items() if v == top]
    return leaders[0] if top > 0 and len(leaders) == 1 else None
