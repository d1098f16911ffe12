"""Party results of one contest in one unit: the vote-share bars and the rows of the results table.

Input is a ``dashboard.electoral.summary.ContestSummary`` (or anything with the same attributes; its
``parties`` are ``PartyResult``s whose ``party`` is a party key).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import plotly.graph_objects as go

from dashboard.electoral.progress import Progress
from dashboard.electoral.rounding import round_pct
from dashboard.figures.common import (
    AGAINST_ALL,
    AGAINST_ALL_COLOUR,
    NOT_REPORTED_COLOUR,
    base_layout,
    fmt_pct,
    missing,
    party_colour,
    party_key,
    party_label,
    party_lookup,
    pct_suffix,
    set_meta,
)
from dashboard.figures.text import literal
from dashboard.i18n import NOT_REPORTED, format_number, format_pct, ntranslator, translator
from dashboard.model import Party
from dashboard.regions import unit_name

#: Opacity of the bar of a party below the threshold (it also gets a hatch pattern).
BELOW_THRESHOLD_OPACITY = 0.55
#: Height of one row (px): the bar in its upper part, the status line below it.
ROW_PX = 46
COMPACT_ROW_PX = 32
#: The bar's thickness and its shift up from the row's centre, in rows (the axis is reversed: negative
#: offsets go up).
BAR_WIDTH = 0.5
BAR_SHIFT = 0.05
#: The narrowest plot area the labels must fit (a 300 px iframe less the party names), and a generous
#: width per character of a 12 px label.
MIN_PLOT_PX = 170
LABEL_PX_PER_CHAR = 7.2
#: At most this many x-axis ticks: they fit unrotated in MIN_PLOT_PX.
AXIS_TICKS = 4
THRESHOLD_COLOUR = "#c0392b"


def _seats_of(result, summary) -> int | None:
    """Seats to show: computed ones when the contest's seats were computed, else the published ones."""
    if summary.seats_computed and not missing(result.seats):
        return int(result.seats)
    if not missing(getattr(result, "published_seats", None)):
        return int(result.published_seats)
    return None


def _no_share_text(votes, lang: str) -> str:
    _ = translator(lang)
    if missing(votes):
        return _(NOT_REPORTED)
    return _("{votes} votes; share not available", votes=format_number(votes, lang))


def threshold_text(passed: bool | None, threshold_pct: float, lang: str, *, so_far: bool = False) -> str:
    """"✓ in" / "✗ below 5 %"; ``so_far`` (a partial count) "↑ above 5 % so far" / "↓ below 5 % so far":
    at 16.7 % counted a tick or a cross read as the final verdict, and a party "✗ below 5 %" could still
    pass. The arrows say where a party stands, not what it won."""
    _ = translator(lang)
    if passed is None:
        return ""
    threshold = format_pct(threshold_pct, lang, digits=0)
    if so_far:
        return _("↑ above {threshold} so far", threshold=threshold) if passed else _(
            "↓ below {threshold} so far", threshold=threshold)
    if passed:
        return _("✓ in")
    return _("✗ below {threshold}", threshold=threshold)


def is_so_far(summary) -> bool:
    """Whether the summary's verdicts are of a partial count (still counting, or stations missing)."""
    return Progress(summary.status, summary.stations_counted, summary.stations_expected).partial


def seats_text(seats: int | None, lang: str) -> str:
    ngettext = ntranslator(lang)
    if seats is None:
        return ""
    return ngettext("{n} seat", "{n} seats", seats)


@dataclass
class _Rows:
    """The rows of a party-shares chart, in drawing order: reported parties (largest first), against all,
    then the rows without a share."""

    names: list[str] = field(default_factory=list)
    shares: list[float] = field(default_factory=list)
    colours: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    below: list[bool] = field(default_factory=list)
    hovers: list[str] = field(default_factory=list)
    against_name: str = ""
    against_x: list[float] = field(default_factory=list)
    unreported_names: list[str] = field(default_factory=list)
    unreported_texts: list[str] = field(default_factory=list)
    #: How far (in %) a share printed beside its bar may reach, at the narrowest plot (``label_reach``).
    reach: float = math.inf

    @property
    def order(self) -> list[str]:
        return self.names + ([self.against_name] if self.against_x else []) + self.unreported_names


def party_shares_bar(
    summary,
    parties: Sequence[Party],
    lang: str,
    threshold_pct: float | None = 5.0,
    *,
    title: str | None = None,
    line_label: str | None = None,
    against_all: bool = True,
    subtitle: str | None = None,
) -> go.Figure:
    """Horizontal bars of vote shares, largest on top, in party colours.

    Any contest's options draw here, not only parties (``parties`` may hold candidates or the answers:
    anything with ``key``, ``colour`` and names): ``threshold_pct`` is the line (a list's threshold, None
    when not reported: no line; 50 for a president or a referendum, with ``line_label`` "half");
    ``against_all`` False for a ballot without that line (a referendum); ``subtitle`` replaces the count
    of votes for parties and against all, which is not the base of a candidate's or an answer's share.

    * the threshold is a dashed vertical line at ``threshold_pct`` (a shape named ``threshold``);
    * each bar is labelled with its share, "✓ in" / "✗ below 5 %" and, when known, its seats; bars below the
      threshold are paler and hatched;
    * "against all" is its own grey bar, below the parties;
    * parties whose votes (or share) are not reported get no bar — their row says "not reported".
    Trace 0: party bars; trace 1: against all; trace 2: "not reported" labels (text only).

    A share printed beside a bar that ends short of the threshold would be crossed by the dashed line
    ("2.30 %" of a 2.3 % bar runs over 5 %): it is drawn just right of the line instead (annotations named
    ``value``), on its bar's row.
    """
    rows = _rows(summary, parties, lang, threshold_pct)
    has_status = any(rows.statuses)
    # Each row: the bar in its upper part (share at the bar's end), the status ("✓ in · 40 seats") on a
    # line of its own below the bar, starting at the axis — so no label has to fit beside a short bar on
    # a 300 px screen. With no status to show (one region's share of a national contest) the bar is
    # centred in a shorter row.
    if has_status:
        geometry = {"width": BAR_WIDTH, "offset": -BAR_WIDTH + BAR_SHIFT}
        label_shift = round(ROW_PX * (BAR_WIDTH / 2 - BAR_SHIFT))
    else:
        geometry = {"width": 0.7, "offset": -0.35}
        label_shift = 0
    if not against_all:
        rows.against_x = []
        rows.unreported_names = [n for n in rows.unreported_names if n != rows.against_name]
        rows.unreported_texts = rows.unreported_texts[: len(rows.unreported_names)]
    line = threshold_pct if threshold_pct is not None else 0.0  # no line: nothing is "short of" it
    rows.reach = label_reach(rows, line)
    fig = go.Figure()
    _add_party_bars(fig, rows, geometry, line, lang)
    _add_against_all(fig, summary, rows, geometry, line, lang)
    _add_not_reported(fig, rows)
    _ = translator(lang)
    unit = unit_name(summary.unit, lang)
    base_layout(
        fig,
        lang,
        title if title is not None else _("Share of the vote by party — {unit}", unit=literal(unit)),
        subtitle=_subtitle(summary, lang, first=subtitle),
    )
    _set_axes(fig, rows, line, lang, ROW_PX if has_status else COMPACT_ROW_PX, label_shift)
    if threshold_pct is not None:
        _add_threshold(fig, threshold_pct, lang, label=line_label)
    _add_value_labels(fig, rows, line, lang, label_shift)
    _add_statuses(fig, rows.statuses)
    _set_alt(fig, summary, parties, lang, threshold_pct, unit, against_all=against_all)
    return fig


def _rows(summary, parties: Sequence[Party], lang: str, threshold_pct: float | None) -> _Rows:
    """The rows as plotly draws them: names (the y categories, in ticks and hovers) made ``literal``."""
    _ = translator(lang)
    lookup = party_lookup(parties)
    rows = _Rows()
    so_far = is_so_far(summary)
    reported = sorted(
        (r for r in summary.parties if not missing(r.share_pct)), key=lambda r: -float(r.share_pct)
    )
    for r in reported:
        key = party_key(r.party)
        name = literal(party_label(key, lookup, lang))
        share = _display_share(r, threshold_pct)
        seats = _seats_of(r, summary)
        status = (
            threshold_text(r.passed_threshold, threshold_pct, lang, so_far=so_far) if threshold_pct is not None else "",
            seats_text(seats, lang),
        )
        rows.names.append(name)
        rows.shares.append(share)
        rows.colours.append(party_colour(key, lookup))
        rows.statuses.append(" · ".join(p for p in status if p))
        rows.below.append(r.passed_threshold is False)
        rows.hovers.append(
            f"<b>{name}</b><br>{_('Votes')}: {format_number(r.votes, lang)}<br>{_('Share')}: {fmt_pct(share, lang)}"
            + (f"<br>{_('Seats')}: {format_number(seats, lang)}" if seats is not None else "")
        )
    rows.against_name = literal(party_label(AGAINST_ALL, lookup, lang))
    against_share = summary.against_all_share_pct
    rows.against_x = [] if missing(against_share) else [float(against_share)]
    # Rows with no share: "not reported", or, when the votes are known but the share cannot be computed
    # (another line of the ballot is missing), the votes and "share not available".
    for r in summary.parties:
        if missing(r.share_pct):
            rows.unreported_names.append(literal(party_label(party_key(r.party), lookup, lang)))
            rows.unreported_texts.append(_no_share_text(r.votes, lang))
    if missing(against_share):
        rows.unreported_names.append(rows.against_name)
        rows.unreported_texts.append(_no_share_text(summary.against_all, lang))
    return rows


def _display_share(r, threshold_pct: float | None) -> float:
    """A party's share as drawn and printed: rounded to two places, never onto the other side of the
    threshold (4.996 % below 5 % reads "4.99 %", not "5.00 %" next to "below 5 %"); the exact verdict
    from the integer arithmetic decides the side."""
    return float(round_pct(r.share_pct, 2, threshold=threshold_pct, passed=r.passed_threshold))


def _outside(shares: list[float]) -> list[bool]:
    """Which bars carry their share outside (beyond their end): all but the longest ones."""
    return [s < 0.5 * max(shares) for s in shares] if shares else []


def label_reach(rows: _Rows, line: float) -> float:
    """How far (in %) a share printed beside its bar reaches on the narrowest plot (MIN_PLOT_PX wide): a
    label of seven characters ("10.65 %") on an axis running to the longest bar or the line."""
    top = max([line, *rows.shares, *rows.against_x]) * 1.04
    return (LABEL_PX_PER_CHAR * 7 + 10) / MIN_PLOT_PX * top


def _past_threshold(share: float, outside: bool, threshold_pct: float, reach: float = math.inf) -> bool:
    """A share label that would start left of the line and run across it (a 5 % threshold: every short
    bar's; a 50 % line: only those ending within a label's reach of it, 22 % stays beside its bar)."""
    return outside and share < threshold_pct < share + reach


def _add_party_bars(fig, rows: _Rows, geometry: dict, threshold_pct: float, lang: str) -> None:
    positions = []
    for share, out in zip(rows.shares, _outside(rows.shares), strict=True):
        if _past_threshold(share, out, threshold_pct, rows.reach):
            positions.append("none")  # drawn right of the line by _add_value_labels
        else:
            positions.append("outside" if out else "inside")
    fig.add_trace(
        go.Bar(
            name="parties",
            orientation="h",
            y=rows.names,
            x=rows.shares,
            text=[fmt_pct(s, lang) for s in rows.shares],
            customdata=rows.statuses,
            textposition=positions,
            insidetextanchor="end",
            insidetextfont={"color": "#ffffff"},
            cliponaxis=False,
            **geometry,
            marker={
                "color": rows.colours,
                "opacity": [BELOW_THRESHOLD_OPACITY if b else 1.0 for b in rows.below],
                "pattern": {
                    "shape": ["/" if b else "" for b in rows.below],
                    "fillmode": "overlay",
                    "fgcolor": "#ffffff",
                    "size": 6,
                },
                "line": {"width": 0},
            },
            hovertext=rows.hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )


def _add_against_all(fig, summary, rows: _Rows, geometry: dict, threshold_pct: float, lang: str) -> None:
    _ = translator(lang)
    fig.add_trace(
        go.Bar(
            name=AGAINST_ALL,
            orientation="h",
            y=[rows.against_name] if rows.against_x else [],
            x=rows.against_x,
            text=[fmt_pct(v, lang) for v in rows.against_x],
            textposition=["none" if _past_threshold(v, True, threshold_pct, rows.reach) else "outside"
                          for v in rows.against_x],
            cliponaxis=False,
            **geometry,
            marker={"color": AGAINST_ALL_COLOUR},
            hovertext=[
                f"<b>{rows.against_name}</b><br>{_('Votes')}: {format_number(summary.against_all, lang)}"
                f"<br>{_('Share')}: {fmt_pct(v, lang)}"
                for v in rows.against_x
            ],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
        )
    )


def _add_not_reported(fig, rows: _Rows) -> None:
    names, texts = rows.unreported_names, rows.unreported_texts
    fig.add_trace(
        go.Scatter(
            name="not_reported",
            mode="text",
            y=names,
            x=[0.0] * len(names),
            text=["\u2002" + t for t in texts],
            textposition="middle right",
            textfont={"color": "#555555", "style": "italic"},
            hovertext=[f"<b>{n}</b><br>{t}" for n, t in zip(names, texts, strict=True)],
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            cliponaxis=False,
        )
    )


def _subtitle(summary, lang: str, first: str | None = None) -> str | None:
    _ = translator(lang)
    bits = []
    if first is not None:
        bits.append(first)
    elif not missing(summary.votes_counted):
        bits.append(
            _("{votes} votes for parties and against all", votes=format_number(summary.votes_counted, lang))
        )
    if Progress(summary.status, summary.stations_counted, summary.stations_expected).partial:
        bits.append(_("partial count"))
    elif not summary.complete:
        bits.append(_("incomplete: some figures are not reported"))
    if summary.units_expected and summary.units_reporting != summary.units_expected:
        bits.append(_("{n} of {m} units reporting", n=summary.units_reporting, m=summary.units_expected))
    return " · ".join(bits) or None


def _x_max(rows: _Rows, threshold_pct: float, lang: str) -> float:
    """The axis's end: room on the right for every share printed beside its bar (or beside the threshold
    line), even in a plot area only MIN_PLOT_PX wide."""
    all_shares = rows.shares + rows.against_x
    xmax = max([threshold_pct, *all_shares]) * 1.04 if all_shares else max(threshold_pct, 10.0)
    outside = [s for s, out in zip(rows.shares, _outside(rows.shares), strict=True) if out] + rows.against_x
    for value in outside:
        label_px = LABEL_PX_PER_CHAR * len(fmt_pct(value, lang)) + 10
        start = threshold_pct if _past_threshold(value, True, threshold_pct, rows.reach) else value
        xmax = max(xmax, start / (1 - label_px / MIN_PLOT_PX))
    return xmax


def _set_axes(fig, rows: _Rows, threshold_pct: float, lang: str, row_px: int, label_shift: int) -> None:
    fig.update_layout(
        barmode="overlay",
        bargap=0.25,
        height=max(220, fig.layout.margin.t + 44 + row_px * len(rows.order)),
        dragmode=False,
        margin={"l": 8, "r": 12, "t": fig.layout.margin.t + 6, "b": 50},
    )
    fig.update_xaxes(
        range=[0, _x_max(rows, threshold_pct, lang)],
        # few, never rotated ticks: at 300 px rotated ones reached down into the threshold's label
        nticks=AXIS_TICKS,
        tickangle=0,
        ticksuffix=pct_suffix(lang),
        showgrid=True,
        zeroline=True,
        fixedrange=True,
    )
    fig.update_yaxes(
        type="category",
        categoryorder="array",
        categoryarray=rows.order,
        autorange="reversed",
        automargin=True,
        fixedrange=True,
        # the names level with their bars (in the upper part of each row), not with the row's centre
        ticklabelshift=label_shift,
    )


def _add_threshold(fig, threshold_pct: float, lang: str, *, label: str | None = None) -> None:
    _ = translator(lang)
    # the label reads rightwards from the line; where the line is in the right part of the axis (a
    # referendum's half, 50 of an axis ending near 57), it reads leftwards to the line: rightwards, «половина»
    # ran off a 390 px phone's chart
    end = (fig.layout.xaxis.range or (None, None))[1]
    leftwards = end is not None and threshold_pct > 0.6 * float(end)
    fig.add_shape(
        name="threshold",
        type="line",
        xref="x",
        yref="paper",
        x0=threshold_pct,
        x1=threshold_pct,
        y0=0,
        y1=1,
        line={"color": THRESHOLD_COLOUR, "width": 1.5, "dash": "dash"},
        layer="below",
    )
    # The threshold's label sits under the axis, below the tick labels (above the bars it collided
    # with the subtitle).
    fig.add_annotation(
        name="threshold_label",
        text=label or _("{threshold} threshold", threshold=format_pct(threshold_pct, lang, digits=0)),
        xref="x",
        yref="paper",
        x=threshold_pct,
        y=0,
        yanchor="top",
        xanchor="right" if leftwards else "left",
        yshift=-19,
        showarrow=False,
        font={"size": 11, "color": THRESHOLD_COLOUR},
    )


def _add_value_labels(fig, rows: _Rows, threshold_pct: float, lang: str, label_shift: int) -> None:
    """The shares of bars ending short of the threshold, just right of its line, level with the bar."""
    labelled = [
        (name, share)
        for name, share, out in zip(rows.names, rows.shares, _outside(rows.shares), strict=True)
        if _past_threshold(share, out, threshold_pct, rows.reach)
    ] + [(rows.against_name, v) for v in rows.against_x if _past_threshold(v, True, threshold_pct, rows.reach)]
    for name, share in labelled:
        fig.add_annotation(
            name="value",
            text=fmt_pct(share, lang),
            xref="x",
            yref="y",
            x=threshold_pct,
            y=name,
            xanchor="left",
            yanchor="middle",
            xshift=4,
            yshift=label_shift,
            showarrow=False,
            font={"size": 12, "color": "#1a1a1a"},
        )


def _add_statuses(fig, statuses: list[str]) -> None:
    """Each bar's "✓ in · 40 seats" on the line below it, on an opaque box the threshold line stops at."""
    for i, status in enumerate(statuses):
        if status:
            fig.add_annotation(
                name="status",
                text=status,
                xref="x",
                yref="y",
                x=0,
                y=i + BAR_SHIFT + (1 - BAR_WIDTH) / 2 - 0.02,
                xanchor="left",
                yanchor="middle",
                xshift=2,
                showarrow=False,
                bgcolor="#ffffff",
                font={"size": 11, "color": "#b03a2e" if status[:1] in ("✗", "↓") else "#444444"},
            )


def _set_alt(fig, summary, parties, lang: str, threshold_pct: float | None, unit: str, *,
             against_all: bool = True) -> None:
    _ = translator(lang)
    rows = results_table_data(summary, parties, lang, threshold_pct=threshold_pct, against_all=against_all)
    if threshold_pct is None:
        threshold_pct = 0.0  # no threshold reported: no party has a verdict (passed_threshold is None)
    so_far = is_so_far(summary)
    cols = results_table_columns(lang, so_far=so_far)
    if any(r.passed_threshold is not None for r in summary.parties):
        figures = {"unit": unit, "n": sum(1 for r in summary.parties if r.passed_threshold),
                   "threshold": format_pct(threshold_pct, lang, digits=0)}
        if so_far:  # mid-count: where the parties stand, not what they won
            alt = _("Share of the vote by party in {unit}. {n} parties are above the {threshold} threshold so far.",
                    **figures)
        else:
            alt = _("Share of the vote by party in {unit}. {n} parties pass the {threshold} threshold.", **figures)
    else:
        # no verdict in this unit (a region's share of the national vote, whose threshold is decided
        # nationally; or shares not computable): "parties passing the 5 % threshold: 0" would be false, and
        # a threshold column would hold only dashes
        alt = _("Share of the vote by party — {unit}", unit=unit) + "."
        cols = [c for c in cols if c["id"] != "threshold"]
    set_meta(fig, alt, [c["name"] for c in cols], [[row[c["id"]] for c in cols] for row in rows])


def results_table_columns(lang: str, *, so_far: bool = False) -> list[dict]:
    """Columns of ``results_table_data`` rows for a Dash ``DataTable``: ``[{"name", "id"}]``; ``so_far``
    (a partial count) heads the threshold column "Threshold (so far)": a phone shows only its marks."""
    _ = translator(lang)
    return [
        {"name": _("Party"), "id": "party"},
        {"name": _("Votes"), "id": "votes"},
        {"name": _("Share"), "id": "share"},
        {"name": _("Threshold (so far)") if so_far else _("Threshold"), "id": "threshold"},
        {"name": _("Seats"), "id": "seats"},
    ]


def results_table_data(
    summary, parties: Sequence[Party], lang: str, threshold_pct: float | None = 5.0, *, against_all: bool = True
) -> list[dict]:
    """One row per party of the summary (its order: by votes, not reported last), then "against all"
    (``against_all`` False: a ballot without that line, a referendum's).

    ``seats`` is "—" where there is no seat figure (seats not computed and none published).

    Display fields are strings formatted for ``lang`` (``party``, ``votes``, ``share``, ``threshold``,
    ``seats``); ``key``, ``votes_value``, ``share_value``, ``seats_value`` keep the raw figures (None when
    not reported) for sorting and for the API.
    """
    lookup = party_lookup(parties)
    so_far = is_so_far(summary)
    rows = []
    for r in summary.parties:
        key = party_key(r.party)
        seats = _seats_of(r, summary)
        # "—": no seat figure (seats not computed: incomplete contest, unknown size, or not a party list).
        seats_cell = format_number(seats, lang) if seats is not None else "—"
        rows.append(
            {
                "key": key,
                "party": party_label(key, lookup, lang),
                "votes": format_number(r.votes, lang),
                "share": fmt_pct(r.share_pct if missing(r.share_pct) else _display_share(r, threshold_pct), lang),
                "threshold": threshold_text(r.passed_threshold, threshold_pct, lang, so_far=so_far),
                "seats": seats_cell,
                "votes_value": None if missing(r.votes) else int(r.votes),
                "share_value": None if missing(r.share_pct) else float(r.share_pct),
                "seats_value": seats,
            }
        )
    if not against_all:
        return rows
    rows.append(
        {
            "key": AGAINST_ALL,
            "party": party_label(AGAINST_ALL, lookup, lang),
            "votes": format_number(summary.against_all, lang),
            "share": fmt_pct(summary.against_all_share_pct, lang),
            "threshold": "",
            "seats": "",
            "votes_value": None if missing(summary.against_all) else int(summary.against_all),
            "share_value": None
            if missing(summary.against_all_share_pct)
            else float(summary.against_all_share_pct),
            "seats_value": None,
        }
    )
    return rows


__all__ = [
    "BELOW_THRESHOLD_OPACITY",
    "NOT_REPORTED_COLOUR",
    "party_shares_bar",
    "results_table_columns",
    "results_table_data",
    "seats_text",
    "threshold_text",
]
