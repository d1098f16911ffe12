"""Any contest's shares of its options in one unit: ``contest`` (default the election's lead contest: the
Mazhilis party list in 2023; a maslikhat's is shown in its own region), ``unit`` (``kz`` or a region).

One chart for every kind (``party_shares_bar``): a party list's parties against its threshold (only when
the contest states one: nothing may assume 5 %), a president's candidates or a referendum's yes and no
against half of those who took part (``components/kinds.py``)."""

from __future__ import annotations

import pandas as pd

from dashboard.components import compute
from dashboard.components.kinds import line_pct, option_summary
from dashboard.components.progress import mark_projection
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.electoral.turnout import turnout_at
from dashboard.figures.common import AGAINST_ALL
from dashboard.figures.parties import party_shares_bar
from dashboard.figures.text import literal, plain
from dashboard.i18n import format_number, translator
from dashboard.model import FINAL
from dashboard.regions import NATIONAL, is_region, unit_name

from .base import NotReported, party_name, refuse, shown_pct

PARAMS = ("contest", "unit")


#: The kinds whose options this chart draws (a single-mandate contest has a winner per district instead).
KINDS = ("party_list", "presidential", "referendum")


def _party_lists(election) -> dict:
    return {c.key: c for c in election.contests if c.kind in KINDS}


def party_lists(election) -> dict:
    """{contest key: contest} of the contests with options to share (memoised: every cached request
    validates). The name stays from when only party lists had them."""
    return compute.memo(election, "party-list-contests", _party_lists)


def default_contest(election) -> str:
    """The lead contest when it has options to draw, else the first that has (the 2023 Mazhilis list)."""
    lead = election.lead_contest()
    contests = party_lists(election)
    return lead.key if lead.key in contests else next(iter(contests), compute.MAZHILIS_LIST)


def resolve(election, contest=None, unit=None) -> dict:
    contests = party_lists(election)
    fallback = compute.memo(election, "shares-default-contest", default_contest)
    contest = contest if isinstance(contest, str) and contest in contests else fallback
    unit = unit if isinstance(unit, str) and (unit == NATIONAL or is_region(unit)) else NATIONAL
    found = contests.get(contest)
    if found is not None and found.body == "maslikhat" and unit != found.area:
        unit = found.area  # a maslikhat is elected in its own region only
    return {"contest": contest, "unit": unit}


def check(election, contest=None, unit=None) -> None:
    """Refuse a contest that is not a party list here, a unit that is no region, or a region outside a
    maslikhat's (its figures do not exist: asking for them raised deep in the summary, a 500)."""
    contests = party_lists(election)
    if contest is not None and contest not in contests:
        refuse("contest", contest, "a party-list, presidential or referendum contest of this election")
    if unit is not None and not (unit == NATIONAL or is_region(unit)):
        refuse("unit", unit, "'kz' or a region key")
    found = contests.get(contest)
    if found is not None and found.body == "maslikhat" and unit not in (None, NATIONAL, found.area):
        refuse("unit", unit, f"{found.area!r}, the only region of contest {contest!r}")


def state(election, contest=None, unit=None) -> dict:
    r = resolve(election, contest, unit)
    default = compute.memo(election, "shares-default-contest", default_contest)
    out = {"contest": r["contest"]} if r["contest"] != default else {}
    return {**out, "unit": r["unit"]} if r["unit"] != NATIONAL else out


def params(election, state: dict) -> dict:
    return resolve(election, state.get("contest"), state.get("unit"))


def full_view(lang: str, state: dict, params: dict) -> str:
    contest, unit = params["contest"], params["unit"]
    if unit == NATIONAL:
        return href("/", lang)
    if contest == compute.MAZHILIS_LIST or not contest.startswith("maslikhat"):
        return href(f"/region/{unit}", lang, contest=contest)
    return href("/maslikhats", lang, region=unit)


def _summary(election, lang, state):
    _ = translator(lang)
    p = params(election, state)
    if not compute.has_contest(election, p["contest"]):
        raise NotReported(_("The party-list results of this contest are not reported."))
    summary = option_summary(election, p["contest"], p["unit"])
    if not any(r.share_pct is not None for r in summary.parties):
        kind = election.contest(p["contest"]).kind
        raise NotReported(
            _("The results are not reported for {unit}.", unit=unit_name(p["unit"], lang))
            if kind in ("presidential", "referendum")
            else _("The party-list results are not reported for {unit}.", unit=unit_name(p["unit"], lang))
        )
    return election.contest(p["contest"]), summary, p


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    p = params(election, state)
    name = literal(unit_name(p["unit"], lang))  # a figure's title (plotly text)
    contest = party_lists(election).get(p["contest"])
    if contest is not None and contest.kind == "presidential":
        return _("Presidential election in {unit}: share of the valid votes", unit=name)
    if contest is not None and contest.kind == "referendum":
        return _("Referendum in {unit}: yes and no, share of those who took part", unit=name)
    if contest is not None and contest.body == "maslikhat":
        return _("Maslikhat party-list vote in {unit}", unit=name)
    if contest is not None and contest.body != "mazhilis":
        body = literal(election.body_name(contest.body, lang))
        return _("{body}: party-list vote in {unit}", body=body, unit=name)
    return _("Mazhilis party-list vote in {unit}", unit=name)


def figure(election, lang: str, state: dict):
    contest, summary, _p = _summary(election, lang, state)
    bar = party_shares_bar(
        summary, options_of(election, contest.key), lang, line_pct(contest), title=title(election, lang, state),
        **kind_labels(contest, summary, lang),
    )
    if contest.kind in ("presidential", "referendum"):
        _ = translator(lang)
        meta = dict(bar.layout.meta or {})
        columns = list(meta.get("columns", []))
        rows = [list(r) for r in meta.get("rows", [])]
        if columns:  # the first column names what the rows are (candidates or answers); no seats to show
            columns[0] = _("Candidate") if contest.kind == "presidential" else _("Answer")
            keep = [i for i, c in enumerate(columns) if c not in (_("Seats"), _("Threshold"))]
            columns, rows = [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]
        bar.update_layout(meta={**meta, "alt": plain(title(election, lang, state)) + ".", "columns": columns,
                                "rows": rows})
    fig = finish(bar, election, lang)
    if summary.seats_projection:  # an embed shows the title as its heading: room for the label
        fig = mark_projection(fig, lang)
    return fig


#: The columns of the shares download: one row per bar the chart draws (the parties, then "against all"),
#: each with the unit's base figures, so a reader can check every share against what it is a share of.
COLUMNS = [
    "contest", "unit", "party", "party_name", "votes", "share_pct", "share_pct_exact", "passed_threshold",
    "seats", "votes_counted", "registered", "took_part", "turnout_pct", "turnout_pct_exact",
    "turnout_pct_published", "invalid",
]


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """The bars of the chart as rows: the parties (``votes``, ``share_pct`` rounded as the chart prints it,
    ``share_pct_exact`` the full ratio, ``passed_threshold``, ``seats``), then ``against_all``; every row
    also carries the unit's base (``votes_counted``, ``registered``, ``took_part``, ``turnout_pct``,
    ``invalid``). ``turnout_pct`` is ``took_part / registered`` of these counts (54.19 % in 2023);
    ``turnout_pct_published`` the commission's final turnout figure, the one the pages show (54.21 %).
    Empty (the header alone): not reported."""
    try:
        contest, summary, p = _summary(election, lang, state)
    except NotReported:
        return pd.DataFrame(columns=COLUMNS)
    names = {x.key: x for x in options_of(election, contest.key)}
    threshold = contest.threshold_pct
    rows = [
        _row(r.party, r.votes, r.share_pct, lang, names,
             share_pct=shown_pct(r.share_pct, threshold=threshold, passed=r.passed_threshold),
             passed_threshold=r.passed_threshold, seats=r.seats)
        for r in summary.parties
    ]
    if contest.kind != "referendum":  # a referendum ballot has no "against all" line
        rows.append(_row(AGAINST_ALL, summary.against_all, summary.against_all_share_pct, lang, names,
                         share_pct=shown_pct(summary.against_all_share_pct)))
    base = {
        "contest": p["contest"], "unit": p["unit"], "votes_counted": summary.votes_counted,
        "registered": summary.registered, "took_part": summary.took_part,
        "turnout_pct": shown_pct(summary.turnout_pct), "turnout_pct_exact": summary.turnout_pct,
        "turnout_pct_published": turnout_at(election, FINAL).get(p["unit"]), "invalid": summary.invalid,
    }
    df = pd.DataFrame([{**base, **r} for r in rows], columns=COLUMNS)
    for col in ("votes", "seats", "votes_counted", "registered", "took_part", "invalid"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int64")
    for col in ("share_pct", "share_pct_exact", "turnout_pct", "turnout_pct_exact", "turnout_pct_published"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    return df


def options_of(election, contest_key: str) -> tuple:
    """The contest's options as objects with names and colours: its parties, candidates or answers."""
    return tuple(election.option(k) for k in election.options(contest_key))


def kind_labels(contest, summary, lang: str) -> dict:
    """What the bar builder says differently for a president or a referendum: its line is half (not a
    threshold), its subtitle names the base of the shares, a referendum has no "against all" row."""
    if contest.kind not in ("presidential", "referendum"):
        return {}
    _ = translator(lang)
    took = summary.took_part
    subtitle = None if took is None else _("{votes} took part", votes=format_number(took, lang))
    return {"line_label": _("half"), "against_all": contest.kind != "referendum", "subtitle": subtitle}


def _row(key: str, votes, exact, lang: str, names: dict, **rest) -> dict:
    return {"party": key, "party_name": party_name(key, names, lang), "votes": votes, "share_pct_exact": exact,
            **rest}
