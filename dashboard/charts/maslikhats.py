"""The seats of all 20 regional maslikhats by party (no parameters)."""

from __future__ import annotations

import pandas as pd

from dashboard.components import compute
from dashboard.components.progress import mark_projection, seats_are_projection
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral.composition import all_maslikhat_seats
from dashboard.figures.maslikhat import maslikhat_overview
from dashboard.i18n import translator
from dashboard.regions import region_keys, unit_name

from .base import NotReported, party_name
from .chamber import assembly_size

PARAMS = ()


def check(election) -> None:
    """No parameters: nothing to refuse."""


def state(election) -> dict:
    return {}


def params(election, state: dict) -> dict:
    return {}


def full_view(lang: str, state: dict, params: dict) -> str:
    return href("/maslikhats", lang)


def title(election, lang: str, state: dict) -> str:
    return translator(lang)("Seats of the 20 regional maslikhats by party")


def seats(election) -> pd.DataFrame:
    return compute.memo(election, "all_maslikhat_seats", all_maslikhat_seats)


def figure(election, lang: str, state: dict):
    if not any(c.body == "maslikhat" for c in election.contests):  # a president, a referendum, a Kurultai
        raise NotReported(translator(lang)("No maslikhat was elected in this vote."))
    totals = {k: assembly_size(election, k) for k in region_keys()}
    fig = finish(
        maslikhat_overview(
            seats(election), election.parties, lang, totals=totals, title=title(election, lang, state)
        ),
        election,
        lang,
    )
    return mark_projection(fig, lang) if seats_are_projection(election, "maslikhat") else fig


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """One row per maslikhat, party and kind of seat: ``area, area_name, party, party_name, kind, seats,
    source``."""
    df = seats(election).copy()
    names = {x.key: x for x in election.parties}
    df.insert(1, "area_name", [unit_name(k, lang) for k in df["area"]])
    df.insert(3, "party_name", [party_name(k, names, lang) for k in df["party"]])
    df["seats"] = df["seats"].astype("int64")
    return df.reset_index(drop=True)
