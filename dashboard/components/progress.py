"""How far the count has got, in words, and the mark on seats computed from a partial count.

One place for every page and embed: "Preliminary · 1,234 of 10,081 polling stations counted (12.2 %)",
"Counting · …", "Final · …" per unit and nationally, in kk/ru/en. When the election gives no station list
(the 2023 package) nothing is claimed about stations: the line names only the status ("Final results").
While a count is partial, seats are a projection: :func:`mark_projection` labels a seat chart, and
:func:`seats_label` / :func:`projection_notice` the seat table.
"""

from __future__ import annotations

from babel.numbers import format_decimal
from dash import html

from dashboard.electoral.progress import (
    COUNTING,
    FINAL,
    PRELIMINARY,
    Progress,
    contest_progress,
    election_progress,
)
from dashboard.electoral.rounding import round_pct
from dashboard.i18n import _LOCALES, format_number, ngettext, normalise_language, translator
from dashboard.regions import NATIONAL

#: The key in a figure's ``layout.meta`` that marks it as a projection (so marking is idempotent).
PROJECTION_MARK = "seats_projection"


def status_word(status: str, lang: str) -> str:
    _ = translator(lang)
    return {COUNTING: _("Counting"), PRELIMINARY: _("Preliminary"), FINAL: _("Final")}.get(status, status)


def share_counted(p: Progress, lang: str) -> str:
    """"12.2 %": one decimal, never "100.0 %" while a station is missing (``round_pct``)."""
    exact = 100 * p.stations_counted / p.stations_expected
    done = p.stations_counted >= p.stations_expected
    value = round_pct(exact, 1, threshold=100, passed=done)
    text = format_decimal(value, format="0.0", locale=_LOCALES[normalise_language(lang)])
    return f"{text}\u00a0%"


def progress_text(p: Progress, lang: str) -> str:
    """The progress of one contest in one unit, as a sentence fragment in ``lang``."""
    _ = translator(lang)
    if p.stations_counted is None or not p.stations_expected:
        # no station list: say only what the status says
        return {
            COUNTING: _("Counting in progress: figures are partial"),
            PRELIMINARY: _("Preliminary results"),
            FINAL: _("Final results"),
        }.get(p.status, p.status)
    counted = ngettext(
        "{status} · {counted} of {expected} polling station counted ({share})",
        "{status} · {counted} of {expected} polling stations counted ({share})",
        p.stations_expected,
        lang,
    )
    return counted.format(
        status=status_word(p.status, lang),
        counted=format_number(p.stations_counted, lang),
        expected=format_number(p.stations_expected, lang),
        share=share_counted(p, lang),
    )


def progress_line(p: Progress, lang: str, *, where: str | None = None, id: str | None = None) -> html.P:
    """A paragraph with the progress text, led by ``where`` ("Kazakhstan", a region) when given."""
    children = [html.Strong(f"{where}: "), progress_text(p, lang)] if where else [progress_text(p, lang)]
    kw = {"id": id} if id else {}
    return html.P(children, className=f"progress-line progress-{p.status}", **kw)


def progress_block(election, lang: str, *, contest: str | None = None, unit: str | None = None):
    """The progress lines of a view: the shown ``contest`` (default: the headline contest) in ``unit``,
    then the headline contest nationally. ``id``s ``progress-unit`` and ``progress-national``."""
    from dashboard.regions import unit_name

    _ = translator(lang)
    lines = []
    if unit and unit != NATIONAL:
        p = contest_progress(election, contest, unit) if contest else election_progress(election, unit)
        lines.append(progress_line(p, lang, where=unit_name(unit, lang), id="progress-unit"))
    national = election_progress(election)
    where = _("Kazakhstan") if lines else None
    lines.append(progress_line(national, lang, where=where, id="progress-national"))
    return html.Div(lines, className="progress", id="progress")


# ---------------------------------------------------------------- seats from a partial count


def seats_are_projection(election, body: str, area: str | None = None) -> bool:
    """Whether seats of ``body`` (in ``area``; every area when None) come from a partial count.

    Party-list seats are computed from the votes: partial while their contest is counting or stations
    are missing. Single-mandate seats follow the commission's winners: partial while counting.
    """
    for c in election.contests:
        if c.body != body or (area is not None and c.area != area):
            continue
        if c.status == COUNTING:
            return True
        if c.kind == "party_list" and contest_progress(election, c.key, c.area).partial:
            return True
    return False


def projection_label(lang: str) -> str:
    return translator(lang)("As counted so far — not a result")


def mark_projection(fig, lang: str, *, title: bool = True):
    """Label a chart showing seats (plotly figure or its JSON) as a projection: its text alternative
    and, with ``title``, its title (which an embed shows as its heading, and the card as its accessible
    name). A shares bar keeps its title (a third line would run into its subtitle on a phone); the
    notice under it says so instead. Idempotent."""
    import plotly.graph_objects as go

    fig = go.Figure(fig) if isinstance(fig, dict) else fig
    meta = dict(fig.layout.meta or {})
    if meta.get(PROJECTION_MARK):
        return fig
    label = projection_label(lang)
    alt = meta.get("alt", "")
    meta.update({PROJECTION_MARK: True, "alt": f"{label}. {alt}" if alt else label})
    fig.update_layout(meta=meta)
    if title:
        text = fig.layout.title.text or ""
        # after a dash the label goes on in lower case ("98 seats — as counted so far")
        fig.update_layout(title_text=f"{text} — {label[:1].lower()}{label[1:]}" if text else label)
    return fig


def is_partial(summary) -> bool:
    """Whether a contest summary is of part of the count (still counting, or stations missing)."""
    return Progress(summary.status, summary.stations_counted, summary.stations_expected).partial


def seats_label(lang: str) -> str:
    """The seat column's header while seats are a projection: "Seats*", the star explained by
    ``projection_notice(lang, "*")`` (a longer header would push the column out of a phone's width)."""
    return translator(lang)("Seats") + "*"


def projection_notice(lang: str, marker: str = "") -> html.P:
    _ = translator(lang)
    text = _("Seats are a as counted so far — not a result.")
    return html.P(f"{marker} {text}" if marker else text, className="notice projection-notice")


__all__ = [
    "mark_projection",
    "progress_block",
    "progress_line",
    "progress_text",
    "projection_label",
    "projection_notice",
    "seats_are_projection",
    "seats_label",
]
