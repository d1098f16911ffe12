"""Who holds the seats of an assembly (the Mazhilis, or one regional maslikhat), and which are unknown.

Party-list seats come from :func:`contest_summary` (``computed`` from the votes; the commission's
published allocation, ``published``, only when they cannot be computed). Single-mandate seats come from
``composition.csv`` (``published`` counts) when present, else from the winners in ``districts.csv``
(``districts``; a district without a reported winner is not counted).

A composition.csv contest whose sources.csv row (file ``composition.csv``, that contest) has a note
starting with ``DERIVED`` is reported with source ``derived``, not ``published``: in the 2023 package,
Almaty city's single-mandate seats are the published whole-assembly composition minus the computed list
seats.
"""

from __future__ import annotations

import pandas as pd

from dashboard.boundaries import unit_keys
from dashboard.electoral.summary import _published, contest_summary
from dashboard.model import CHAMBER_KINDS, INDEPENDENT, Election

COLUMNS = ("party", "kind", "seats", "source")


def _party_order(election: Election) -> dict[str, int]:
    order = {p: i for i, p in enumerate(election.party_keys)}
    order[INDEPENDENT] = len(order)
    return order


def _list_seats(election: Election, contest_key: str) -> tuple[dict[str, int], str]:
    summary = contest_summary(election, contest_key, election.contest(contest_key).area)
    if summary.seats_computed:
        return {p.party: p.seats for p in summary.parties if p.seats is not None}, "computed"  # all are
    return _published(election, contest_key), "published"


def _is_derived(election: Election, contest_key: str) -> bool:
    src = election.sources
    if not len(src):
        return False
    rows = src[(src["file"] == "composition.csv") & (src["contest"] == contest_key)]
    return any(str(n).startswith("DERIVED") for n in rows["note"].dropna())


def _single_mandate_seats(election: Election, contest_key: str) -> tuple[dict[str, int], str]:
    published = _published(election, contest_key)
    if published:
        return published, "derived" if _is_derived(election, contest_key) else "published"
    d = election.districts
    if not len(d):
        return {}, "districts"
    d = d[(d["contest"] == contest_key) & d["party"].notna()]
    counts = d["party"].astype(str).value_counts()
    return {str(p): int(n) for p, n in counts.items()}, "districts"


def assembly_composition(election: Election, body: str, area: str) -> pd.DataFrame:
    """One row per (party, kind) with seats > 0: party, kind (party_list | single_mandate), seats, source
    (computed | published | derived | districts); party-list rows first, each kind by seats descending."""
    rows = []
    order = _party_order(election)
    for kind in CHAMBER_KINDS:
        contest = election.find_contest(body, kind, area)
        if contest is None:
            continue
        seats, source = (_list_seats if kind == "party_list" else _single_mandate_seats)(
            election, contest.key
        )
        for party, n in sorted(seats.items(), key=lambda kv: (-kv[1], order.get(kv[0], len(order)), kv[0])):
            if n > 0:
                rows.append({"party": party, "kind": kind, "seats": int(n), "source": source})
    df = pd.DataFrame(rows, columns=list(COLUMNS))
    df["seats"] = df["seats"].astype("int64")
    return df


def assembly_seats(election: Election, body: str, area: str) -> dict:
    """Seats of an assembly by kind, and how many are not accounted for by the composition.

    ``{"party_list": {"seats": 69, "accounted": 69, "unaccounted": 0}, "single_mandate": {...},
    "seats": 98, "accounted": 98, "unaccounted": 0}`` — ``seats`` is None when not reported (then
    ``unaccounted`` is None too); a kind without a contest has ``seats`` None and ``accounted`` 0. The
    totals are the seats of the kinds the chamber has a contest of (a list-only Kurultai: its list's 145),
    None when one of them is not reported or there is none.
    """
    comp = assembly_composition(election, body, area)
    out: dict = {}
    for kind in CHAMBER_KINDS:
        contest = election.find_contest(body, kind, area)
        total = contest.seats if contest is not None else None
        accounted = int(comp.loc[comp["kind"] == kind, "seats"].sum())
        out[kind] = {
            "seats": total,
            "accounted": accounted,
            "unaccounted": None if total is None else total - accounted,
        }
    totals = [out[k]["seats"] for k in CHAMBER_KINDS if election.find_contest(body, k, area) is not None]
    total = None if not totals or any(t is None for t in totals) else sum(totals)
    accounted = sum(out[k]["accounted"] for k in CHAMBER_KINDS)
    out.update(seats=total, accounted=accounted, unaccounted=None if total is None else total - accounted)
    return out


def all_maslikhat_seats(election: Election) -> pd.DataFrame:
    """The seats of every regional maslikhat known: area, party, kind, seats, source (registry order)."""
    frames = []
    for area in unit_keys(election):
        comp = assembly_composition(election, "maslikhat", area)
        if len(comp):
            frames.append(comp.assign(area=area))
    if not frames:
        return pd.DataFrame(
            {c: pd.Series(dtype="int64" if c == "seats" else object) for c in ("area", *COLUMNS)}
        )
    return pd.concat(frames, ignore_index=True)[["area", *COLUMNS]]
