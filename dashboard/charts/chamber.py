"""An assembly's seats by party, as a hemicycle: ``body`` (any chamber elected nationally by party list
— the Mazhilis, the Kurultai, a declared body — or ``maslikhat``), ``area`` (``kz`` for a national
chamber, a region for its maslikhat). The chart states the chamber's size and its majority line ("73 of
145 seats for a majority")."""

from __future__ import annotations

import pandas as pd

from dashboard.components import compute
from dashboard.components.progress import mark_projection, seats_are_projection
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral.composition import assembly_composition
from dashboard.figures.hemicycle import default_marker_size, hemicycle, mark_majority
from dashboard.figures.text import literal
from dashboard.i18n import translator
from dashboard.regions import NATIONAL, region_keys, unit_name

from .base import NotReported, party_name, refuse

PARAMS = ("body", "area")
#: The chamber's height in a frame: the hemicycle plus a legend of up to ten parties on a phone.
HEIGHT = 440


def mazhilis_total_seats(election, body: str = "mazhilis") -> int | None:
    """A national chamber's seats: every contest of the body (98 = 69 + 29; a list-only Kurultai 145)."""
    seats = [c.seats for c in election.contests if c.body == body and c.area == NATIONAL
             and c.kind in ("party_list", "single_mandate")]
    if not seats or any(s is None for s in seats):
        return None
    return int(sum(seats))


def national_bodies(election) -> tuple[str, ...]:
    """The chambers elected nationally by party list, in file order (2023: the Mazhilis)."""
    return tuple(dict.fromkeys(c.body for c in election.contests if c.kind == "party_list" and c.area == NATIONAL))


def default_body(election) -> str:
    """The lead contest's chamber when it is one, else the first national chamber (the Mazhilis)."""
    lead = election.lead_contest()
    bodies = national_bodies(election)
    if lead.kind == "party_list" and lead.area == NATIONAL:
        return lead.body
    return bodies[0] if bodies else "mazhilis"


def assembly_size(election, region: str) -> int | None:
    """A maslikhat's seats (party list plus single mandate), None when either contest is not reported."""
    sizes = []
    for kind in ("party_list", "single_mandate"):
        contest = election.find_contest("maslikhat", kind, region)
        if contest is None:
            return None
        sizes.append(contest.seats)
    if any(s is None for s in sizes):
        return None
    return int(sum(sizes))


def default_region(election) -> str | None:
    rows = compute.result_rows(election, "maslikhat")
    for k in region_keys():
        if k in rows and rows[k].get("reported"):
            return k
    return region_keys()[0]


def check(election, body=None, area=None) -> None:
    known = (*national_bodies(election), "maslikhat")
    if body is not None and body not in known:
        refuse("body", body, "one of " + ", ".join(repr(b) for b in known))
    if body == "maslikhat" and area is not None and area not in region_keys():
        refuse("area", area, "a region key")
    if body != "maslikhat" and area not in (None, NATIONAL):
        refuse("area", area, "'kz' (the chamber is elected nationally)")


def state(election, body=None, area=None) -> dict:
    if body != "maslikhat":
        default = compute.memo(election, "chamber-default-body", default_body)
        return {"body": body} if body in national_bodies(election) and body != default else {}
    if area not in region_keys():
        area = compute.memo(election, "maslikhats-default-region", default_region)
    return {"body": body, "area": area}


def params(election, state: dict) -> dict:
    if state.get("body") == "maslikhat":
        return dict(state)
    return {"body": state.get("body") or compute.memo(election, "chamber-default-body", default_body),
            "area": NATIONAL}


def full_view(lang: str, state: dict, params: dict) -> str:
    if params["body"] != "maslikhat":
        return href("/", lang)
    return href("/maslikhats", lang, region=params["area"])


def composition(election, state: dict) -> tuple[pd.DataFrame, int | None]:
    """(seats by party and kind, the assembly's size or None)."""
    p = params(election, state)
    comp = compute.memo(election, "composition", assembly_composition, p["body"], p["area"])
    total = (mazhilis_total_seats(election, p["body"]) if p["body"] != "maslikhat"
             else assembly_size(election, p["area"]))
    return comp, total


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    p = params(election, state)
    if p["body"] == "mazhilis":
        return _("The Mazhilis")
    if p["body"] != "maslikhat":
        return literal(election.body_name(p["body"], lang))
    return _("Composition of the maslikhat of {unit}", unit=literal(unit_name(p["area"], lang)))


def figure(election, lang: str, state: dict):
    _ = translator(lang)
    p = params(election, state)
    comp, total = composition(election, state)
    known = int(comp["seats"].sum()) if len(comp) else 0
    if total is None and not known:
        raise NotReported(_("The size and composition of this assembly are not reported."))
    total = total if total is not None and total >= known else None
    # an iframe may be 300 px wide: dots sized for that, and room for the legend below the chamber
    size = default_marker_size(total or known, width_px=300)
    fig = hemicycle(comp, election.parties, lang, total, title=title(election, lang, state), marker_size=size)
    fig.update_layout(height=HEIGHT)
    if p["body"] != "maslikhat":  # a maslikhat's majority is not what its chart is read for
        fig = mark_majority(fig, total, lang)
    fig = finish(fig, election, lang)
    if seats_are_projection(election, p["body"], p["area"]):
        fig = mark_projection(fig, lang)
    return fig


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """One row per party and kind of seat: ``body, area, party, party_name, kind, seats, source``
    (``computed`` from the votes or ``published``)."""
    p = params(election, state)
    comp, _total = composition(election, state)
    names = {x.key: x for x in election.parties}
    df = comp.copy()
    df.insert(0, "area", p["area"])
    df.insert(0, "body", p["body"])
    df.insert(3, "party_name", [party_name(k, names, lang) for k in df["party"]])
    df["seats"] = df["seats"].astype("int64")
    return df.reset_index(drop=True)
