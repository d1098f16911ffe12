"""The night's estimate on an election's home page while it counts (issue 17; docs/projection.md).

Shown only as an estimate: its own card under the outcome, titled as an estimate, with ranges rather
than single figures, probabilities in words and numbers ("very likely (93 %)"), what it rests on, the
method one click away, and never a result's colours (``figures/estimate.py``) or words ("wins",
"passes", "elected"). Without a previous vote to compare with it says that the estimate is less
certain. At ``final`` — or when ``SAYLAU_PROJECTION=off`` — there is no card at all.
"""

from __future__ import annotations

from dash import html

from dashboard.components import compute, ui
from dashboard.electoral.projection import METHOD_STRATA
from dashboard.figures.common import time_label
from dashboard.i18n import N_, format_float, format_number, format_pct, translator

#: Where the method is explained (``dashboard.web.method``).
METHOD_PATH = "/about/estimate"
#: (lowest probability, words) from the top: the scale the IPCC's reports use, in plain words.
SCALE = ((0.99, N_("almost certain")), (0.90, N_("very likely")), (0.66, N_("likely")),
         (0.34, N_("as likely as not")), (0.10, N_("unlikely")), (0.01, N_("very unlikely")),
         (0.0, N_("almost ruled out")))


def chance_words(p: float, lang: str) -> str:
    """A probability in words: ``almost certain`` (≥ 0.99) … ``almost ruled out``, read off the whole
    percent ``chance_number`` prints, so 0.899 is "very likely (90 %)", never "likely (90 %)"."""
    _ = translator(lang)
    shown = round(100 * p) / 100
    for lowest, words in SCALE:
        if shown >= lowest:
            return _(words)
    return _(SCALE[-1][1])


def chance_number(p: float, lang: str) -> str:
    """"93 %"; "> 99 %" and "< 1 %" at the ends: 400 simulations cannot tell certainty from 99.8 %."""
    whole = round(100 * p)
    if whole >= 100:
        return "> " + format_pct(99, lang, digits=0)
    if whole <= 0:
        return "< " + format_pct(1, lang, digits=0)
    return format_pct(whole, lang, digits=0)


def chance(p: float | None, lang: str) -> str:
    """"very likely (93 %)" — the words and the number, always together."""
    _ = translator(lang)
    if p is None:
        return _("not reported")
    return _("{words} ({number})", words=chance_words(p, lang), number=chance_number(p, lang))


def share_range(r: dict, lang: str) -> str:
    """"51.2 % (50.3–52.2)": the point estimate and its 90 % range, one decimal (the range is wider than
    any second decimal could say)."""
    return f"{format_pct(r['mid'], lang, 1)} ({format_float(r['low'], lang, 1)}–{format_float(r['high'], lang, 1)})"


def seat_range(r: dict, lang: str) -> str:
    """"84 (78–85)"; one number when the range is one."""
    if r["low"] == r["high"]:
        return format_number(r["mid"], lang)
    return f"{format_number(r['mid'], lang)} ({format_number(r['low'], lang)}–{format_number(r['high'], lang)})"


def _name(election, key: str, lang: str) -> str:
    try:
        return election.option(key).short_name(lang)
    except KeyError:
        return key


def _ranked(projection: dict) -> list[tuple[str, dict]]:
    return sorted(projection["parties"].items(), key=lambda kv: -kv[1]["share_pct"]["mid"])


def sentences(election, contest, projection: dict, lang: str) -> list[str]:
    """What the estimate says, by kind, in words and numbers (never a result's words)."""
    _ = translator(lang)
    ranked = _ranked(projection)
    if contest.kind == "referendum":
        return [_("Valid (more than half of the voters take part): {chance}.", chance=chance(projection["p_valid"], lang)),
                _("Adopted: {chance}.", chance=chance(projection["p_adopted"], lang))]
    if contest.kind == "presidential":
        key, top = ranked[0]
        return [_("A candidate with more than half in the first round: {chance}.",
                  chance=chance(projection["p_elected_outright"], lang)),
                _("Ahead in the estimate: {name}, {share}.", name=_name(election, key, lang),
                  share=share_range(top["share_pct"], lang))]
    out = []
    key, top = ranked[0]
    seats = (projection.get("seats") or {}).get(key)
    if seats is not None and contest.seats:
        out.append(_("Ahead in the estimate: {name}, {share} of the vote and {seats} of {n} seats.",
                     name=_name(election, key, lang), share=share_range(top["share_pct"], lang),
                     seats=seat_range(seats, lang), n=format_number(contest.seats, lang)))
    else:
        out.append(_("Ahead in the estimate: {name}, {share}.", name=_name(election, key, lang),
                     share=share_range(top["share_pct"], lang)))
    near = [k for k, v in ranked if v["p_pass_threshold"] is not None and 0.05 <= v["p_pass_threshold"] <= 0.95]
    if near and contest.threshold_pct is not None:
        out.append(_("Close to the {threshold} threshold: {names}.",
                     threshold=format_pct(contest.threshold_pct, lang, 0),
                     names=", ".join(_name(election, k, lang) for k in near)))
    return out


def table(election, contest, projection: dict, lang: str):
    """Every option: its estimate and 90 % range; a list's chance of passing the threshold and seats."""
    _ = translator(lang)
    threshold = contest.threshold_pct is not None and any(
        v["p_pass_threshold"] is not None for v in projection["parties"].values())
    seats = projection.get("seats") or {}
    columns = [_("Candidate") if contest.kind == "presidential" else _("Answer") if contest.kind == "referendum"
               else _("Party"), _("Estimate")]
    if threshold:
        columns.append(_("Above {threshold}", threshold=format_pct(contest.threshold_pct, lang, 0)))
    if seats:
        columns.append(_("Seats"))
    rows = []
    for key, v in _ranked(projection):
        row = [_name(election, key, lang), share_range(v["share_pct"], lang)]
        if threshold:
            row.append(chance(v["p_pass_threshold"], lang))
        if seats:
            row.append(seat_range(seats[key], lang) if key in seats else _("not reported"))
        rows.append(row)
    # short headings (a phone has 390 px for four columns); the caption says what the brackets hold
    return ui.data_table(columns, rows, caption=_("In brackets: the 90 % range."),
                         numeric={1, len(columns) - 1} if seats else {1}, id="estimate-table")


def based_on(election, projection: dict, lang: str) -> str:
    """What the estimate rests on: stations counted, the turnout report, the previous vote."""
    _ = translator(lang)
    b = projection["based_on"]
    parts = [_("From {counted} of {expected} polling stations counted",
               counted=format_number(b["stations_counted"], lang), expected=format_number(b["stations_expected"], lang))]
    if b.get("turnout_report"):
        parts.append(_("the turnout reported at {time}", time=time_label(b["turnout_report"], lang)))
    if b.get("previous_election"):
        parts.append(_("and the previous vote ({name}) in each region", name=_previous_name(b["previous_election"], lang)))
    return ", ".join(parts) + ". " + _("The range holds the final figure 9 times in 10 on rehearsed nights.")


def _previous_name(election_id: str, lang: str) -> str:
    from dashboard.components import data as data_module

    try:
        return data_module.source().election(election_id).name(lang)
    except Exception:
        return election_id


def estimate_card(election, contest, lang: str) -> list:
    """The estimate's card, or nothing (final, switched off, nothing counted yet)."""
    projection = compute.projection(election, contest.key)
    if projection is None:
        return []
    _ = translator(lang)
    children = [
        html.H2(_("Where the count is heading: an estimate"), id="estimate-title"),
        html.P(_("An estimate, not a result: a model of the outstanding vote from the count so far. "
                 "It is replaced by the count as the stations report."), className="estimate-badge"),
        *[html.P(s, className="estimate-sentence") for s in sentences(election, contest, projection, lang)],
    ]
    if projection["method"] == METHOD_STRATA:
        children.append(ui.notice(_("There are no results of a previous vote by region to compare with: this "
                                    "estimate rests only on the regions counted so far, and is less certain."), id="estimate-no-previous"))
    children += [
        table(election, contest, projection, lang),
        html.P([based_on(election, projection, lang), " ",
                html.A(_("How this estimate is made"), href=f"{METHOD_PATH}?lang={lang}", id="estimate-method")],
               className="card-desc estimate-method"),
    ]
    return [html.Section(children, id="estimate", className="card estimate",
                         **{"aria-labelledby": "estimate-title"})]
