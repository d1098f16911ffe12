"""What an election decided, first on its home page: one sentence and one picture.

Today a phone showed the turnout and status cards first; the party results began about 1,730 px down.
A reader comes for the outcome, so the home page opens with it, in the reader's language:

- a party-list chamber: "Amanat wins 62 of 98 seats; 6 parties pass the 5% threshold", with the chamber;
- mid-count (the contest's status ``counting`` or stations still missing) nothing reads as final: "Not
  decided yet — leading so far: Amanat, 53.90 %", the chamber marked as a projection.

Every figure is read from the election (the composition of the chamber, the contest's summary), never
written here; a figure the files lack is not guessed: the sentence says less instead.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from dashboard.components import compute
from dashboard.components.outcome_kinds import Outcome, presidential_outcome, referendum_outcome
from dashboard.components.progress import is_partial, projection_label, seats_are_projection
from dashboard.components.results import finish
from dashboard.electoral.outcome import majority_of
from dashboard.electoral.summary import chamber_seats
from dashboard.figures.common import party_lookup
from dashboard.figures.hemicycle import hemicycle, hemicycle_svg
from dashboard.i18n import format_number, format_pct, ntranslator, translator


def lead_contest(election):
    """The contest the election's home page leads with (``Election.lead_contest``)."""
    return election.lead_contest()


def seats_by_party(composition: pd.DataFrame) -> list[tuple[str, int]]:
    """(party, seats of every kind) from an assembly's composition, most seats first (ties: first listed,
    which is the composition's own order: list seats by votes, then the election's party order)."""
    totals: dict[str, int] = {}
    for party, seats in zip(composition["party"], composition["seats"], strict=True):
        totals[str(party)] = totals.get(str(party), 0) + int(seats)
    return sorted(totals.items(), key=lambda kv: -kv[1])


# ---------------------------------------------------------------- a party-list chamber


def party_list_outcome(election, contest, lang: str) -> Outcome:
    """The outcome of a party-list contest: the seats of its whole chamber when they are known, the
    parties over the threshold, the majority line; mid-count, the party leading so far."""
    n_ = ntranslator(lang)
    summary = compute.summary(election, contest.key, contest.area)
    composition = compute.memo(election, "composition", _composition, contest.body, contest.area)
    total = chamber_seats(election, contest)  # 98 = 69 + 29 for the Mazhilis; a list-only Kurultai 145
    decided = not is_partial(summary) and not seats_are_projection(election, contest.body, contest.area)
    names = party_lookup(election.parties)
    ranked = seats_by_party(composition)
    found = Outcome("", decided, figure=chamber_picture(election, composition, total, lang, decided=decided),
                    key=[(f"{_name(p, names, lang)} {format_number(n, lang)}", _colour(p, names)) for p, n in ranked])
    if total:
        found.detail = n_("{m} of {n} seat for a majority", "{m} of {n} seats for a majority", total,
                          m=majority_of(total))
    found.sentence = (_decided_sentence(summary, contest, ranked, total, names, lang) if decided
                      else _mid_count_sentence(summary, contest, names, lang))
    return found


def _threshold_clause(summary, contest, lang: str, *, so_far: bool) -> str | None:
    """"6 parties pass the 5% threshold" (mid-count "… above the 5% threshold so far"); without a stated
    threshold the seats are not computed, and the sentence says so rather than assume 5 %."""
    _ = translator(lang)
    n_ = ntranslator(lang)
    threshold = contest.threshold_pct
    if threshold is None:
        return None if so_far else _("seats are not computed: the threshold is not reported")
    if not any(r.passed_threshold is not None for r in summary.parties):
        return None
    passed = sum(1 for r in summary.parties if r.passed_threshold)
    shown = format_pct(threshold, lang, digits=0)
    if so_far:
        return n_("{n} party above the {threshold} threshold so far",
                  "{n} parties above the {threshold} threshold so far", passed, threshold=shown)
    return n_("{n} party passes the {threshold} threshold", "{n} parties pass the {threshold} threshold", passed,
              threshold=shown)


def _mid_count_sentence(summary, contest, names: dict, lang: str) -> str:
    """"Not decided yet — leading so far: Amanat, 49.08 %; 6 parties above the 5 % threshold so far"."""
    _ = translator(lang)
    leader = next((r for r in summary.parties if r.share_pct is not None), None)
    if leader is None:
        return _("Not decided yet: no votes are counted so far.")
    parts = [_("Not decided yet — leading so far: {party}, {share}", party=_name(leader.party, names, lang),
               share=format_pct(leader.share_pct, lang)), _threshold_clause(summary, contest, lang, so_far=True)]
    return "; ".join(p for p in parts if p)


def _decided_sentence(summary, contest, ranked, total, names: dict, lang: str) -> str:
    """"Amanat wins 62 of 98 seats; 6 parties pass the 5% threshold"; without seats (not computed, none
    published) the party first by votes; with two parties tied for most seats, no winner is named."""
    _ = translator(lang)
    n_ = ntranslator(lang)
    parts = []
    if ranked and total and (len(ranked) < 2 or ranked[0][1] > ranked[1][1]):
        party, won = ranked[0]
        parts.append(n_("{party} wins {m} of {n} seat", "{party} wins {m} of {n} seats", total,
                        party=_name(party, names, lang), m=won))
    elif summary.parties and summary.parties[0].share_pct is not None:
        first = summary.parties[0]
        parts.append(_("{party} comes first with {share}", party=_name(first.party, names, lang),
                       share=format_pct(first.share_pct, lang)))
    parts.append(_threshold_clause(summary, contest, lang, so_far=False))
    sentence = "; ".join(p for p in parts if p)
    return sentence[:1].upper() + sentence[1:] if sentence else _("The outcome is not reported.")


def _composition(election, body, area):
    from dashboard.electoral.composition import assembly_composition

    return assembly_composition(election, body, area)


def _name(key: str, names: dict, lang: str) -> str:
    from dashboard.figures.common import party_label

    return party_label(key, names, lang)


def _colour(key: str, names: dict) -> str:
    from dashboard.figures.common import INDEPENDENT_COLOUR, party_colour
    from dashboard.model import INDEPENDENT

    return INDEPENDENT_COLOUR if key == INDEPENDENT else party_colour(key, names)


def chamber_picture(election, composition: pd.DataFrame, total: int | None, lang: str, *, decided: bool):
    """The chamber, small (drawn as SVG by ``picture``): no title, no legend (the sentence says who won,
    the key under it names the colours). None when no seat is known."""
    known = int(composition["seats"].sum()) if len(composition) else 0
    if not known and not total:
        return None
    total = total if total is not None and total >= known else known
    fig = hemicycle(composition, election.parties, lang, total, title="")
    if not decided:
        meta = dict(fig.layout.meta or {})
        fig.update_layout(meta={**meta, "alt": f"{projection_label(lang)}. {meta.get('alt', '')}"})
    return finish(fig, election, lang)


# ---------------------------------------------------------------- the block


def contest_outcome(election, contest, lang: str) -> Outcome | None:
    """The outcome of ``contest`` by its kind (None for a kind whose outcome the page does not state: a
    single-mandate district is read from its table)."""
    builders = {"party_list": party_list_outcome, "presidential": presidential_outcome,
                "referendum": referendum_outcome}
    build = builders.get(contest.kind)
    return build(election, contest, lang) if build else None


def outcome_block(election, lang: str, contest=None):
    """The section the home page opens with: the sentence as its heading, the detail, the picture and its
    colour key. ``id="outcome"``; the sentence is ``#outcome-sentence``."""
    contest = contest or lead_contest(election)
    found = contest_outcome(election, contest, lang)
    if found is None:
        return html.Div(id="outcome", hidden=True)
    children = [html.H2(found.sentence, id="outcome-sentence", className="outcome-sentence")]
    if found.detail:
        children.append(html.P(found.detail, className="outcome-detail", id="outcome-detail"))
    svg, alt = found.svg, found.alt
    if found.figure is not None:
        svg, alt = hemicycle_svg(found.figure), (found.figure.layout.meta or {}).get("alt", "")
    if svg:
        children.append(picture(svg, alt, chamber=found.figure is not None))
        if not found.decided and found.figure is not None:  # seats from a partial count
            children.append(html.P(projection_label(lang), className="outcome-projection"))
        children.append(_key(found.key))
    state = "decided" if found.decided else "undecided"
    return html.Section(children, id="outcome", className=f"card outcome outcome-{state} outcome-{contest.kind}",
                        **{"aria-labelledby": "outcome-sentence"})


def picture(svg: str, alt: str, *, chamber: bool = False):
    """The picture as an ``<img>`` of its SVG (a data URI: the page's CSP allows ``img-src data:``) with its
    text alternative. Not a plotly graph: it is drawn with the page, before any script, and stays a summary
    of the charts below rather than a second chart to embed."""
    from urllib.parse import quote

    return html.Img(src="data:image/svg+xml," + quote(svg), alt=alt, id="outcome-picture",
                    className="outcome-picture" + (" outcome-chamber" if chamber else ""))


def _key(pairs: list[tuple[str, str]]):
    """The picture's colours by name, as text (wraps on a phone, unlike a plotly legend)."""
    return html.Ul(
        [html.Li([html.Span(className="swatch", style={"background": colour}), label]) for label, colour in pairs],
        className="outcome-key", id="outcome-key",
    )


__all__ = ["Outcome", "contest_outcome", "lead_contest", "outcome_block", "party_list_outcome",
           "seats_by_party"]
