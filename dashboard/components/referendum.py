"""A referendum question's rules, shown: turnout against the validity line (more than half of the
registered voters), the regions and cities with a yes majority against the two-thirds rule (a question on
the Constitution), and the table by region they are counted from.

The verdicts come from exact integer tests (``components/kinds.yes_majorities``: ``2 × yes > took part``);
the percentages are only printed.
"""

from __future__ import annotations

from urllib.parse import quote

from dash import html

from dashboard.boundaries import unit_name as day_name
from dashboard.components import ui
from dashboard.components.kinds import standing, yes_majorities
from dashboard.electoral.outcome import more_than_half, two_thirds_of
from dashboard.figures.pictures import answer_bar_svg
from dashboard.i18n import NOT_REPORTED, format_number, format_pct, ntranslator, translator
from dashboard.model import YES

TURNOUT_COLOUR = "#3b6ea5"


def validity_line(found, lang: str) -> str:
    """"Turnout 66.67 %: more than half of the registered voters took part — valid"."""
    _ = translator(lang)
    if found.took_part is None or not found.registered:
        return _("Turnout is not reported: whether the referendum is valid cannot be said.")
    turnout = format_pct(found.turnout_pct, lang)
    if more_than_half(found.took_part, found.registered):
        return _("Turnout {turnout}: more than half of the registered voters took part, so the vote is valid",
                 turnout=turnout)
    return _("Turnout {turnout}: not more than half of the registered voters took part, so the vote is not valid",
             turnout=turnout)


def units_line(marks: list[bool | None], constitutional: bool, lang: str, *, so_far: bool = False,
               published: int | None = None) -> str:
    """"Yes majority in 12 of 20 regions and cities; 14 needed (two-thirds)" (constitutional; mid-count
    "So far a yes majority in …") or "… in 12 of 20 regions and cities" (no rule of regions applies).
    ``marks``: each region's yes majority (True, False, None: not reported). Regions not reported are
    never counted as "no": with any of them the line gives the commission's published count
    (``published``, from the contest's ``published_outcome``) or says how many are not reported."""
    n_ = ntranslator(lang)
    m, n = sum(1 for mark in marks if mark), len(marks)
    missing = sum(1 for mark in marks if mark is None)
    if missing and not so_far:
        if published is not None:
            return n_("Yes majority in {m} of {n} region or city, as the commission published",
                      "Yes majority in {m} of {n} regions and cities, as the commission published", n,
                      m=published)
        return n_("Yes majority by region: not reported for {m} of {n} region or city",
                  "Yes majority by region: not reported for {m} of {n} regions and cities", n, m=missing)
    if constitutional and so_far:
        return n_("So far a yes majority in {m} of {n} region or city; {needed} needed (two-thirds)",
                  "So far a yes majority in {m} of {n} regions and cities; {needed} needed (two-thirds)", n, m=m,
                  needed=two_thirds_of(n))
    if constitutional:
        return n_("Yes majority in {m} of {n} region or city; {needed} needed (two-thirds)",
                  "Yes majority in {m} of {n} regions and cities; {needed} needed (two-thirds)", n, m=m,
                  needed=two_thirds_of(n))
    return n_("Yes majority in {m} of {n} region or city", "Yes majority in {m} of {n} regions and cities", n, m=m)


def region_table(election, rows: list[dict], lang: str):
    """Region, yes majority, yes share, yes, no, turnout — one row per region and city, registry order.
    What decides comes first: on a 390 px phone the six columns scroll sideways, and the yes majority
    (the two-thirds rule's count) was the column cut off."""
    _ = translator(lang)
    body = []
    for r in rows:
        majority = {True: _("yes"), False: _("no"), None: _(NOT_REPORTED)}[r["yes_majority"]]
        body.append([day_name(election, r["unit"], lang), majority, format_pct(r["yes_pct"], lang),
                     format_number(r["yes"], lang), format_number(r["no"], lang), format_pct(r["turnout_pct"], lang)])
    columns = [_("Region"), _("Yes majority"), _("Yes, share"), election.option(YES).short_name(lang),
               election.option("no").short_name(lang), _("Turnout")]
    table = ui.data_table(columns, body, numeric={2, 3, 4, 5}).children
    # six columns scroll sideways inside their box on a phone: the box takes the keyboard focus so it can
    # be scrolled without a mouse (axe: scrollable-region-focusable), named by the card's heading
    return html.Div(table, className="table-wrap", id="referendum-table", tabIndex="0", role="region",
                    **{"aria-labelledby": "referendum-heading"})


def units_card(election, contest, lang: str):
    """The card under the yes/no chart: the validity line, the regions' count and the table by region."""
    _ = translator(lang)
    found = standing(election, contest)
    rows = yes_majorities(election, contest.key)
    children = [html.H2(_("Validity and the regions"), id="referendum-heading")]
    if found.turnout_pct is not None:
        svg = answer_bar_svg([(found.turnout_pct, TURNOUT_COLOUR)], line=50.0)
        children.append(html.Img(
            src="data:image/svg+xml," + quote(svg), className="referendum-turnout",
            alt=_("Turnout as a share of the registered voters; the dashed line is half."),
        ))
    children.append(html.P(validity_line(found, lang), id="referendum-validity"))
    published = (contest.published_outcome or {}).get("units_with_yes_majority")
    children.append(html.P(units_line([r["yes_majority"] for r in rows], contest.constitutional, lang,
                                      so_far=not found.decided, published=published), id="referendum-units"))
    if contest.constitutional:
        children.append(html.P(_(
            "A question on the Constitution is adopted only with a yes majority in at least two-thirds of the "
            "regions and cities too."), className="card-desc"))
    children.append(region_table(election, rows, lang))
    return html.Section(children, className="card", id="referendum-units-card",
                        **{"aria-labelledby": "referendum-heading"})


__all__ = ["region_table", "units_card", "units_line", "validity_line"]
