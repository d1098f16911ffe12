"""Small layout helpers shared by the pages: headline figures, notices, charts with their text
alternative, plain HTML tables, region pickers."""

from __future__ import annotations

from collections.abc import Sequence

import dash
import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard.figures.text import plain
from dashboard.i18n import translator
from dashboard.i18n.collation import sort_key
from dashboard.regions import ordered as ordered_regions

GEOJSON_URL = "/geodata/regions.geojson"


def asset(path: str) -> str:
    try:
        return dash.get_asset_url(path)
    except Exception:  # outside a request (unit tests of layouts)
        return "/assets/" + path


def geojson_url(election=None) -> str:
    """The URL of the map of an election's units of the day (``/geodata/units_2022.geojson`` for 2019; today's
    20 units, ``/geodata/regions.geojson``, without an election): a static, browser-cached file."""
    from dashboard.boundaries import geojson_route

    url = GEOJSON_URL if election is None else geojson_route(election)
    try:
        return dash.get_relative_path(url)
    except Exception:
        return url


def graph_config(lang: str, *, filename: str = "saylau") -> dict:
    """The ``config`` of every dcc.Graph: local topojson, no logo, no scroll zoom, PNG export kept."""
    return {
        "topojsonURL": asset("topojson/"),
        "displaylogo": False,
        "scrollZoom": False,
        "responsive": True,
        "displayModeBar": "hover",
        "modeBarButtonsToRemove": [
            "select2d",
            "lasso2d",
            "zoomIn2d",
            "zoomOut2d",
            "autoScale2d",
            "toggleSpikelines",
        ],
        "toImageButtonOptions": {"format": "png", "filename": filename, "scale": 2},
        "doubleClick": False,
    }


def figure_meta(fig) -> tuple[str, str, list[str], list[list[str]]]:
    """(title, alt text, table columns, table rows) a figure builder put into the figure."""
    layout = fig["layout"] if isinstance(fig, dict) else fig.to_plotly_json()["layout"]
    meta = layout.get("meta") or {}
    title = layout.get("title") or {}
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    return text, meta.get("alt", ""), list(meta.get("columns", [])), [list(r) for r in meta.get("rows", [])]


def data_table(
    columns: Sequence[str], rows: Sequence[Sequence], *, caption: str | None = None, numeric=None, id=None
):
    """A plain, accessible HTML table; ``numeric`` is a set of column indices aligned right."""
    numeric = set(numeric or ())
    head = html.Thead(
        html.Tr(
            [
                html.Th(c, scope="col", className="num" if i in numeric else None)
                for i, c in enumerate(columns)
            ]
        )
    )
    body = html.Tbody(
        [
            html.Tr(
                [
                    (html.Th if i == 0 else html.Td)(
                        cell,
                        className="num" if i in numeric else None,
                        **({"scope": "row"} if i == 0 else {}),
                    )
                    for i, cell in enumerate(row)
                ]
            )
            for row in rows
        ]
    )
    parts = ([html.Caption(caption)] if caption else []) + [head, body]
    kw = {"id": id} if id else {}
    return html.Div(html.Table(parts, className="data"), className="table-wrap", **kw)


def _numeric_columns(rows: Sequence[Sequence[str]]) -> set[int]:
    out = set()
    if not rows:
        return out
    for i in range(1, len(rows[0])):
        cells = [str(r[i]) for r in rows if i < len(r) and str(r[i]) not in ("", "—")]
        if cells and all(any(ch.isdigit() for ch in c) and len(c) < 24 for c in cells):
            out.add(i)
    return out


def alt_table(fig, lang: str, *, id=None):
    """The chart's text alternative: its data as a table inside a <details> (closed by default)."""
    _ = translator(lang)
    _title, alt, columns, rows = figure_meta(fig)
    if not columns:
        return html.Div(id=id) if id else None
    return html.Details(
        [
            html.Summary(_("Show the data as a table")),
            data_table(columns, rows, caption=alt, numeric=_numeric_columns(rows)),
        ],
        className="alt",
        **({"id": id} if id else {}),
    )


def wrap_title(text: str, width: int = 32) -> str:
    """Break a long plotly title into lines of at most ``width`` characters (plotly does not wrap)."""
    if not text or len(text) <= width or "<br>" in text:
        return text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    lines.append(line)
    return "<br>".join(lines)


#: Height of one line of a 16 px title, and the space above and below the title block.
TITLE_LINE_PX = 21
TITLE_PAD_PX = 10
#: plotly places a multi-line title hung from the top by its first line's baseline: without this much more
#: padding the first line stood 5 px above the chart's top edge and was cut off (measured in Chromium).
TITLE_ASCENT_PX = 14


#: A 12 px subtitle fits about this many characters on a phone (the title's 32 at 16 px).
SUBTITLE_WIDTH = 44
SUBTITLE_LINE_PX = 16
SUBTITLE_STYLE = "font-size:12px;color:#555555"


def _wrap_figure_title(fig):
    """The figure as JSON with its title (and subtitle) wrapped for a phone; the top margin grows with
    the lines."""
    fig = fig if isinstance(fig, dict) else fig.to_plotly_json()
    layout = fig.setdefault("layout", {})
    title = layout.get("title")
    if not (isinstance(title, dict) and isinstance(title.get("text"), str)):
        return fig
    wrapped = wrap_title(title["text"])
    subtitle = title.get("subtitle")
    sub_text = subtitle.get("text") if isinstance(subtitle, dict) else None
    sub_lines = wrap_title(sub_text, SUBTITLE_WIDTH).split("<br>") if sub_text else []
    if wrapped == title["text"] and len(sub_lines) <= 1:
        return fig
    new_title = {**title, "text": wrapped}
    lines_px = TITLE_LINE_PX * (wrapped.count("<br>") + 1)
    if sub_lines:
        # plotly centres a title in the top margin and hangs the subtitle under its first line: under a
        # 3-line Kazakh title it landed on the first bar, and one long line ran off a phone's screen
        # ("… votes: 2 743 877 · неполн"). As the title's last lines, in a title hung from the top, it
        # stays above the plot and on the screen however many lines there are.
        spans = "<br>".join(f'<span style="{SUBTITLE_STYLE}">{line}</span>' for line in sub_lines)
        new_title["text"] = f"{wrapped}<br>{spans}"
        new_title.pop("subtitle")
        lines_px += SUBTITLE_LINE_PX * len(sub_lines) + (TITLE_LINE_PX - SUBTITLE_LINE_PX)
    new_title.update(y=1, yanchor="top", yref="container", pad={"t": TITLE_PAD_PX + TITLE_ASCENT_PX})
    layout["title"] = new_title
    margin = dict(layout.get("margin") or {})
    top = TITLE_PAD_PX + TITLE_ASCENT_PX + lines_px + TITLE_PAD_PX
    extra = max(0, top - int(margin.get("t", 44)))
    margin["t"] = int(margin.get("t", 44)) + extra
    layout["margin"] = margin
    if layout.get("height"):
        layout["height"] = int(layout["height"]) + extra
    return fig


def figure_card(
    fig,
    graph_id: str,
    lang: str,
    *,
    controls=None,
    notes=None,
    graph_class: str = "graph",
    graph_style: dict | None = None,
    filename: str = "saylau",
    card_id: str | None = None,
    embed=None,
):
    """A chart with a descriptive heading (for screen readers), its controls, notes and its table."""
    title, alt, _c, _r = figure_meta(fig)
    title = plain(title)  # the heading shows the text the chart draws (entities decoded)
    fig = _wrap_figure_title(fig)
    height = fig.get("layout", {}).get("height")
    if graph_style is None and height:
        # a responsive graph fills its box (450 px by default): give the box the figure's own height
        graph_style = {"height": f"{int(height)}px"}
    heading_id = f"{graph_id}-heading"
    children = [html.H2(title or alt, id=heading_id, className="visually-hidden")]
    if controls is not None:
        children.append(controls)
    children.append(
        html.Div(
            dcc.Graph(
                id=graph_id,
                figure=fig,
                config=graph_config(lang, filename=filename),
                className=graph_class,
                **({"style": graph_style} if graph_style else {}),
            ),
            # a figure, not an img: an img's content is presentational, and the plot holds focusable
            # controls (modebar, legend) — axe: nested-interactive
            role="figure",
            id=f"{graph_id}-wrap",
            **{"aria-label": alt or title},
        )
    )
    if notes:
        children.append(html.Div(notes, id=f"{graph_id}-notes"))
    else:
        children.append(html.Div(id=f"{graph_id}-notes"))
    children.append(alt_table(fig, lang, id=f"{graph_id}-table"))
    if embed is not None:
        children.append(embed)
    kw = {"id": card_id} if card_id else {}
    return html.Section(children, className="card", **{"aria-labelledby": heading_id}, **kw)


def notice(text, *, kind: str = "warn", id=None):
    kw = {"id": id} if id else {}
    return html.P(text, className="notice" if kind == "warn" else f"notice {kind}", **kw)


def stat(label: str, value: str | None, lang: str, note: str | None = None, *, id=None):
    """A headline figure; ``value`` None shows "not reported", never a zero or a blank."""
    _ = translator(lang)
    missing = value is None
    kw = {"id": id} if id else {}
    is_text = not missing and not any(ch.isdigit() for ch in str(value)[:1]) and len(str(value)) > 10
    return html.Div(
        [
            html.Span(label, className="stat-label"),
            html.Span(
                _("not reported") if missing else value,
                className="stat-value missing"
                if missing
                else ("stat-value text" if is_text else "stat-value"),
            ),
        ]
        + ([html.Span(note, className="stat-note")] if note else []),
        className="stat",
        **kw,
    )


def stats(items) -> html.Div:
    return html.Div(list(items), className="stats")


def region_options(lang: str, *, include_national: bool = False, units=None) -> list[dict]:
    """The regions and cities to pick, alphabetical in ``lang``: of a boundary set (``units``: an election's
    units of its day, with their names of the day) or today's 20."""
    _ = translator(lang)
    if units is None:
        listed = ordered_regions(lang)
    else:
        key = sort_key(lang)
        listed = tuple(sorted(units.units, key=lambda r: key(r.name(lang))))
    opts = [{"label": r.name(lang), "value": r.key} for r in listed]
    if include_national:
        opts.insert(0, {"label": _("Kazakhstan (national)"), "value": "kz"})
    return opts


def control(label: str, component, *, html_for: str | None = None, wide: bool = False):
    return html.Div(
        [
            html.Label(label, htmlFor=html_for) if html_for else html.Span(label, className="control-label"),
            component,
        ],
        className="control control-wide" if wide else "control",
    )


def radio_control(label: str, id: str, options: list[dict], value, *, wide: bool = False):
    """A labelled group of radio buttons: ``<input type=radio>`` each with its ``<label for>``, in a
    ``role=radiogroup`` named by the visible label.

    Not ``dcc.RadioItems``: Dash 4 renders it as a ``role=listbox`` of ``role=option`` labels wrapping the
    inputs, an unnamed listbox of nested interactive elements that screen readers announce wrongly (axe:
    ``aria-input-field-name``, ``nested-interactive``). The value property is the same, so callbacks and
    URLs are unchanged."""
    label_id = f"{id}-label"
    return html.Div(
        [
            html.Span(label, className="control-label", id=label_id),
            html.Div(
                dbc.RadioItems(id=id, options=options, value=value, inline=True, className="radio-inline"),
                role="radiogroup",
                **{"aria-labelledby": label_id},
            ),
        ],
        className="control control-wide" if wide else "control",
    )


def select(id: str, options: list[dict], value=None, *, placeholder: str | None = None):
    """A native ``<select>`` (``dbc.Select``, same ``value`` property as ``dcc.Dropdown``).

    Not ``dcc.Dropdown``: Dash 4's dropdown puts keyboard focus on an ``aria-hidden`` input (axe:
    ``aria-hidden-focus``), so a screen-reader user tabs onto something that is not announced. The
    native control is named by a ``<label for>`` (``control(..., html_for=id)``), works with every
    keyboard and opens the phone's own picker."""
    kwargs = {"placeholder": placeholder} if placeholder else {}
    return dbc.Select(id=id, options=options, value=value, className="native-select", **kwargs)
