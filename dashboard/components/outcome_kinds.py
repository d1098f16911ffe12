"""The outcome sentence and picture of a presidential election and of a referendum question
(``components/outcome.py`` states a party-list chamber's and lays out the block).

The verdicts are the rules of ``dashboard.electoral.outcome`` applied to the counts (exact integers): a
president elected with more than half of those who took part, else a second round of the two with most
votes; a referendum valid with more than half of the registered voters taking part, adopted with more than
half of them voting yes and, on the Constitution, a yes majority in at least two-thirds of the regions and
cities. Mid-count every sentence says "not decided yet" and what the count shows so far. Where the rules
lack a figure and the sources state the outcome, it is shown as published and says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from dashboard.components.kinds import HALF, standing
from dashboard.components.kinds import decided as count_over
from dashboard.components.referendum import units_line
from dashboard.electoral.outcome import percent
from dashboard.electoral.rounding import round_pct
from dashboard.figures.pictures import answer_bar_svg, option_bars_svg
from dashboard.i18n import format_pct, translator
from dashboard.model import NO, YES


@dataclass
class Outcome:
    """The outcome of one contest as the page states it: ``sentence`` (plain text), whether it is
    ``decided`` (False mid-count: the sentence then says so), ``detail`` (a shorter line under it, e.g.
    the majority), the picture (``figure``, a plotly chamber; or ``svg`` and its ``alt``; neither when there
    is nothing to draw) and ``key`` (the picture's colours: ``(label, colour)`` pairs, largest first)."""

    sentence: str
    decided: bool
    detail: str | None = None
    figure: object = None
    key: list[tuple[str, str]] = field(default_factory=list)
    #: The picture as SVG and its text alternative (a chamber's comes from ``figure``).
    svg: str = ""
    alt: str = ""


def _share(value, lang: str) -> str:
    """A share as printed, never rounded across half: "more than half" is strict, so 50.004 % (more than
    half) reads "50.01 %", never "50.00 %", and exactly 50 % (not more) stays "50.00 %"."""
    if value is None:
        return format_pct(value, lang)
    exact = Fraction(value)
    shown = round_pct(exact, 2)
    if exact > HALF and shown <= HALF:
        shown = Decimal("50.01")
    elif exact <= HALF and shown > HALF:
        shown = Decimal("50.00")
    return format_pct(shown, lang)


def _key(election, options, lang: str) -> list[tuple[str, str]]:
    return [(f"{election.option(r.party).short_name(lang)} {_share(r.share_pct, lang)}",
             election.option(r.party).colour) for r in options if r.share_pct is not None]


def presidential_outcome(election, contest, lang: str) -> Outcome:
    """"Alpha is elected: 51.00 % of those who took part"; "No candidate has more than half: second round,
    Alpha and Beta"; mid-count "Not decided yet — leading so far: Alpha, 48.00 %"."""
    _ = translator(lang)
    found = standing(election, contest)
    shown = [r for r in found.options if r.share_pct is not None]
    name = {r.party: election.option(r.party).short_name(lang) for r in found.options}
    svg = option_bars_svg([(r.share_pct, election.option(r.party).colour) for r in shown], HALF)
    alt = _("Each candidate's share of the valid votes, as the commission publishes it; the dashed line is half.")
    key = _key(election, found.options, lang)
    result = found.outcome or {}
    if not found.decided:
        if not shown:
            return Outcome(_("Not decided yet: no votes are counted so far."), False, key=key)
        sentence = _("Not decided yet — leading so far: {party}, {share}", party=name[shown[0].party],
                     share=_share(shown[0].share_pct, lang))
        return Outcome(sentence, False, svg=svg, alt=alt, key=key)
    published = result.get("basis") == "published"
    if result.get("elected"):
        elected = result["elected"]
        # the law's test, not the published share: the elected candidate's votes of the contest's base
        # (those who took part by default), e.g. 5,001 of 10,000 = 50.01 % where the valid votes give 51.03 %
        votes = next((r.votes for r in found.options if r.party == elected), None)
        share = percent(votes, result.get("base_votes"))
        sentence = (_("{candidate} is elected, as the commission published", candidate=name[elected]) if published
                    else _("{candidate} is elected: {share} of those who took part", candidate=name[elected],
                           share=_share(share, lang)))
    elif result.get("second_round"):
        a, b = result["second_round"]
        sentence = _("No candidate has more than half: second round, {a} and {b}", a=name[a], b=name[b])
    else:
        sentence = _("No candidate has more than half; a tie for second place leaves the second round open")
    return Outcome(sentence, True, _("More than half of those who took part elects the president."),
                   svg=svg, alt=alt, key=key)


def referendum_outcome(election, contest, lang: str) -> Outcome:
    """"Adopted: 87.15 % yes, turnout 73.12 %"; "Not adopted: 61.00 % yes, but a yes majority in too few
    regions and cities" with "Yes majority: 12 of 20 regions and cities; 14 needed"; mid-count "Not decided
    yet — yes 61.00 % so far"."""
    _ = translator(lang)
    found = standing(election, contest)
    share = {r.party: r.share_pct for r in found.options}
    yes, turnout = share.get(YES), found.turnout_pct
    ok = yes is not None and share.get(NO) is not None
    parts = [(share[YES], election.option(YES).colour), (share[NO], election.option(NO).colour)] if ok else []
    verdict = found.outcome or {}
    units, required = _units(election, contest, found)
    svg = answer_bar_svg(parts, units, required) if parts else ""
    alt = _("Yes and no as shares of those who took part; the dashed line is half.")
    if units:
        alt += " " + _("Squares: the regions and cities, green where most voted yes; the dashed line is two-thirds.")
    key = [(f"{election.option(k).short_name(lang)} {_share(share.get(k), lang)}", election.option(k).colour)
           for k in (YES, NO) if share.get(k) is not None]
    so_far = not found.decided and not count_over(election, contest)
    published = (contest.published_outcome or {}).get("units_with_yes_majority")
    detail = units_line(units, True, lang, so_far=so_far, published=published) if units else None
    if so_far:
        if yes is None:
            return Outcome(_("Not decided yet: no votes are counted so far."), False, detail, key=key)
        return Outcome(_("Not decided yet — yes {yes} so far", yes=_share(yes, lang)), False, detail,
                       svg=svg, alt=alt, key=key)
    figures = {"yes": _share(yes, lang), "turnout": _share(turnout, lang)}
    if verdict.get("basis") == "published" or verdict.get("adopted") is None:
        return Outcome(_published(verdict, lang), True, detail, svg=svg, alt=alt, key=key)
    sentence = {
        "all": _("Adopted: {yes} yes, turnout {turnout}", **figures),
        "turnout": _("Not valid: turnout {turnout}, not more than half of the registered voters", **figures),
        "national": _("Not adopted: {yes} yes, not more than half of those who took part", **figures),
        "units": _("Not adopted: {yes} yes, but a yes majority in too few regions and cities", **figures),
    }[verdict["decided_by"]]
    return Outcome(sentence, True, detail, svg=svg, alt=alt, key=key)


def _units(election, contest, found):
    """(one mark per region and city, yes-majority ones first; the two-thirds needed) of a constitutional
    question; (None, None) otherwise."""
    if not contest.constitutional:
        return None, None
    from dashboard.components.kinds import yes_majorities
    from dashboard.electoral.outcome import two_thirds_of

    marks = [r["yes_majority"] for r in yes_majorities(election, contest.key)]
    order = {True: 0, False: 1, None: 2}
    return sorted(marks, key=lambda m: order[m]), two_thirds_of(len(marks))


def _published(verdict: dict, lang: str) -> str:
    """The outcome the sources state when the rules lack a figure: said to be the published one."""
    _ = translator(lang)
    stated = verdict.get("adopted") if verdict.get("basis") == "published" else None
    if stated is True:
        return _("Adopted, as the commission published (the figures to check it are not reported)")
    if stated is False:
        return _("Not adopted, as the commission published (the figures to check it are not reported)")
    return _("The outcome is not reported: the figures of the regions and cities are missing.")


__all__ = ["presidential_outcome", "referendum_outcome"]
