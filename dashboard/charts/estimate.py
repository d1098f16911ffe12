"""The night's estimate of a contest while it counts: each option's projected final share as a 90 % range
(``contest``: default the election's lead contest). Not a result: grey ranges, "Estimate" in the title and
the table, the threshold or the half line dashed (``figures/estimate.py``; the model is
``electoral/projection.py``, computed once per version by ``compute.projection``). At ``final``, switched off
(``SAYLAU_PROJECTION=off``) or before anything counted it is "not reported", with the reason: an embed
placed on election night says, once the count is final, that the estimate is gone."""

from __future__ import annotations

import pandas as pd

from dashboard.components import compute
from dashboard.components.estimate import METHOD_PATH
from dashboard.components.kinds import line_pct
from dashboard.components.shell import href
from dashboard.config import projection_enabled
from dashboard.figures.estimate import Range, estimate_figure
from dashboard.figures.text import literal
from dashboard.i18n import N_, format_number, format_pct, translator

from . import shares
from .base import NotReported, refuse

PARAMS = ("contest",)
#: The method one click away from every embed of it (``pages/embed.py``).
ABOUT = (N_("How this estimate is made"), METHOD_PATH)
KINDS = shares.KINDS


def _contests(election) -> dict:
    return shares.party_lists(election)


def check(election, contest=None) -> None:
    if contest is not None and contest not in _contests(election):
        refuse("contest", contest, "a party-list, presidential or referendum contest of this election")


def state(election, contest=None) -> dict:
    default = compute.memo(election, "shares-default-contest", shares.default_contest)
    return {"contest": contest} if isinstance(contest, str) and contest in _contests(election) and contest != default else {}


def params(election, state: dict) -> dict:
    return {"contest": state.get("contest") or compute.memo(election, "shares-default-contest", shares.default_contest)}


def full_view(lang: str, state: dict, params: dict) -> str:
    return href("/", lang)  # the home page, where the estimate stands under the outcome


def _projection(election, lang: str, state: dict):
    _ = translator(lang)
    key = params(election, state)["contest"]
    if not compute.has_contest(election, key):
        raise NotReported(_("There is no estimate of this contest."))
    if not projection_enabled():
        raise NotReported(_("The estimate is switched off on this site."))
    found = compute.projection(election, key)
    if found is None:
        raise NotReported(_("There is no estimate now: it is shown only while the count goes on, and is gone "
                            "once the count is final."))
    return election.contest(key), found


def title(election, lang: str, state: dict) -> str:
    _ = translator(lang)
    key = params(election, state)["contest"]
    contest = _contests(election).get(key)
    what = literal(election.body_name(contest.body, lang)) if contest is not None else ""
    return _("Estimate, not a result: {what}, where the count is heading", what=what)


def figure(election, lang: str, state: dict):
    _ = translator(lang)
    contest, found = _projection(election, lang, state)
    ranges = [Range(election.option(k).short_name(lang), v["share_pct"]["low"], v["share_pct"]["mid"],
                    v["share_pct"]["high"]) for k, v in found["parties"].items()]
    line = line_pct(contest)
    label = (_("threshold {pct}", pct=format_pct(line, lang, 0)) if contest.kind == "party_list"
             else _("half: {pct}", pct=format_pct(line, lang, 0))) if line is not None else ""
    based = found["based_on"]
    subtitle = _("{counted} of {expected} stations counted · 90 % range",
                 counted=format_number(based["stations_counted"], lang),
                 expected=format_number(based["stations_expected"], lang))
    return estimate_figure(ranges, lang, title(election, lang, state), line_pct=line, line_label=label,
                           subtitle=subtitle)


def table(election, lang: str, state: dict) -> pd.DataFrame:
    """One row per option: the estimate's low, mid and high share, the chance of passing the threshold
    and the seats' range, with what it rests on (a download must say it is an estimate); empty when there
    is no estimate (the download then answers "not reported" with the figure's reason)."""
    try:
        contest, found = _projection(election, lang, state)
    except NotReported:
        return pd.DataFrame()
    seats = found.get("seats") or {}
    based = found["based_on"]
    rows = []
    for key, v in found["parties"].items():
        s = seats.get(key, {})
        rows.append({
            "estimate": "not a result",
            "option": key, "name": election.option(key).full_name(lang),
            "share_pct_low": v["share_pct"]["low"], "share_pct_mid": v["share_pct"]["mid"],
            "share_pct_high": v["share_pct"]["high"], "p_pass_threshold": v["p_pass_threshold"],
            "seats_low": s.get("low"), "seats_mid": s.get("mid"), "seats_high": s.get("high"),
            "level": found["level"], "method": found["method"],
            "stations_counted": based["stations_counted"], "stations_expected": based["stations_expected"],
            "previous_election": based["previous_election"],
            **{k: found[k] for k in ("p_elected_outright", "p_valid", "p_adopted") if k in found},
        })
    return pd.DataFrame(rows)
