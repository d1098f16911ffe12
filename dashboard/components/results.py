"""Pieces every page shows for a party-list vote: the SIMULATED mark, the results table, the vote cards."""

from __future__ import annotations

from dash import html

from dashboard.components import ui
from dashboard.figures.common import apply_simulated_banner
from dashboard.figures.parties import is_so_far, party_shares_bar, results_table_columns, results_table_data
from dashboard.figures.text import plain
from dashboard.i18n import translator


def finish(fig, election, lang):
    """A figure as the page shows it: marked "SIMULATED — rehearsal data" when the election is simulated."""
    return apply_simulated_banner(fig, lang) if election.simulated else fig


def results_table(summary, election, lang, threshold):
    """The accessible results table of a contest summary (party, votes, share, threshold, seats)."""
    cols = results_table_columns(lang, so_far=is_so_far(summary))
    rows = results_table_data(summary, election.parties, lang, threshold)
    swatch = {p.key: p.colour for p in election.parties}
    body = []
    for r in rows:
        name = r["party"]
        cell = (
            # one inline-flex box, so on a phone the swatch stays beside the name when the name wraps
            html.Span(
                [html.Span(className="swatch", style={"background": swatch[r["key"]]}), name],
                className="party-name",
            )
            if r["key"] in swatch
            else name
        )
        body.append([cell, r["votes"], r["share"], _threshold_cell(r["threshold"]), r["seats"]])
    names = [c["name"] for c in cols]
    if summary.unit != election.contest(summary.contest).area:
        # a region's share of a national list vote: no threshold verdict, no seats there (the page says
        # they are decided nationally), so no two columns of blanks and dashes
        return ui.data_table(names[:3], [row[:3] for row in body], numeric={1, 2}, id="results-table")
    if getattr(summary, "seats_projection", False):
        # seats from a partial count: the column and a line above the table say it is not a result
        from dashboard.components.progress import projection_notice, seats_label

        names[-1] = seats_label(lang)
        return html.Div(
            [projection_notice(lang, "*"), ui.data_table(names, body, numeric={1, 2, 4}, id="results-table")]
        )
    return ui.data_table(names, body, numeric={1, 2, 4}, id="results-table")


def _threshold_cell(text):
    """"✓ passed" / "✗ below 5 %" (mid-count "↑ above 5 % so far" / "↓ below 5 % so far"): on a phone only
    the mark shows (the column is headed "Threshold", mid-count "Threshold (so far)"), the words stay for
    screen readers — at 390 px the words pushed the seats column out of the table."""
    if not isinstance(text, str) or text[:2] not in ("✓ ", "✗ ", "↑ ", "↓ "):
        return text
    return html.Span([text[0], html.Span(text[1:], className="phone-sr-only")], title=text)


def party_vote_cards(
    election, summary, contest, lang, *, title, notes, graph_id, filename, embed, heading=html.H2
):
    """The shares bar (when any share can be computed, else the title and its notes) and the results table.

    ``embed`` makes the "Embed this chart" details from the finished figure (``lambda fig: …``). ``title``
    is plotly text (names in it ``literal``); the heading shown without a chart is its ``plain`` text.
    """
    _ = translator(lang)
    if any(p.share_pct is not None for p in summary.parties):
        bar = finish(
            party_shares_bar(summary, election.parties, lang, contest.threshold_pct, title=title),
            election,
            lang,
        )
        if summary.seats_projection:
            from dashboard.components.progress import mark_projection, projection_notice

            bar = mark_projection(bar, lang, title=False)
            notes = [*notes, projection_notice(lang)]
        cards = [ui.figure_card(bar, graph_id, lang, notes=notes, filename=filename, embed=embed(bar))]
    else:
        cards = [html.Section([heading(plain(title)), *notes], className="card")]
    cards.append(
        html.Section(
            [heading(_("Results table")), results_table(summary, election, lang, contest.threshold_pct)],
            className="card",
        )
    )
    return cards
