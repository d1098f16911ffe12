"""Charts for journalists to embed: ``/embed/<chart>`` (just the chart, its title, a one-line source
credit linking back to the full view, the SIMULATED banner when the election is simulated) and the
chart's data as CSV at ``/download/<chart>.csv``.

Charts and their URL state (``lang`` always):

- ``map``: ``mode=leading|party|turnout|against_all``, ``party``, ``results=mazhilis|maslikhat`` (as the
  home map), ``time`` (a report time, turnout maps only);
- ``shares``: ``contest`` (default the Mazhilis party list), ``unit`` (``kz`` or a region);
- ``chamber``: ``body=mazhilis|maslikhat``, ``area`` (``kz`` for the Mazhilis, a region for a maslikhat);
- ``turnout``: ``unit`` (that unit's line against the national one; none: every unit);
- ``ranking``: ``time`` (units ranked by turnout at a report time);
- ``maslikhats``: the seats of all 20 regional maslikhats by party.

Embed routes answer with ``Content-Security-Policy: frame-ancestors *`` so any site may frame them; every
other page keeps ``frame-ancestors 'self'`` (and ``X-Frame-Options: SAMEORIGIN``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

import dash
from dash import dcc, html
from flask import Response, abort, request

from dashboard.components import compute, ui
from dashboard.components import data as data_module
from dashboard.components.progress import mark_projection, progress_block, seats_are_projection
from dashboard.components.results import finish
from dashboard.components.shell import href
from dashboard.figures.common import time_label
from dashboard.i18n import normalise_language, translator
from dashboard.pages import ViewState, cached_layout, page_title, with_language
from dashboard.regions import NATIONAL, is_region, region_keys, unit_name

PATH_TEMPLATE = "/embed/<chart>"
DOWNLOAD_ROUTE = "/download/<chart>.csv"
CHARTS = ("map", "shares", "chamber", "turnout", "ranking", "maslikhats")
#: The query parameters each chart reads (besides ``lang``), in URL order.
PARAMS = {
    "map": ("mode", "party", "results", "time"),
    "shares": ("contest", "unit"),
    "chamber": ("body", "area"),
    "turnout": ("unit",),
    "ranking": ("time",),
    "maslikhats": (),
}
IFRAME_HEIGHT = 480
#: The chamber's height in a frame: the hemicycle plus a legend of up to ten parties on a phone.
CHAMBER_HEIGHT = 440
#: Height of the embed frame's chrome: banner, title, subtitle and source line (px, at 300 px wide).
CHROME_PX = 150


@dataclass
class Chart:
    """One embeddable chart in one state: its figure (None: not reported), the state it was built from
    (only the parameters that matter, canonical), the link to its full view and a message when there is
    nothing to draw."""

    chart: str
    params: dict = field(default_factory=dict)
    figure: object = None
    full_view: str = "/"
    message: str | None = None


# ---------------------------------------------------------------- the charts


def _map(election, lang, mode=None, party=None, results=None, time=None, **_kw) -> Chart:
    from dashboard.pages import mazhilis, turnout

    state = mazhilis.resolve_state(election, mode, party, results)
    params = map_params(state)
    if state["mode"] == "turnout" and time and turnout.times_of(election):
        t = turnout.resolve_time(election, time)
        _values, changes = turnout.map_changes(election, t, lang)
        params["time"] = time_label(t, "en")
        full = href("/turnout", lang, time=params["time"])
    else:
        _values, changes, _notes = mazhilis.map_changes(election, state, lang)
        full = href("/", lang, **{k: v for k, v in params.items()})
    from dashboard.figures.maps import apply_map_patch, choropleth_map

    fig = choropleth_map(
        {}, mode="turnout", geojson_url=ui.geojson_url(), parties=election.parties, lang=lang
    )
    import plotly.graph_objects as go

    fig = go.Figure(apply_map_patch(fig.to_plotly_json(), changes))
    return Chart("map", params, finish(fig, election, lang), full)


def _shares(election, lang, contest=None, unit=None, **_kw) -> Chart:
    from dashboard.figures.parties import party_shares_bar

    _ = translator(lang)
    keys = [c.key for c in election.contests if c.key.endswith("_party_list")]
    contest = contest if contest in keys else compute.MAZHILIS_LIST
    unit = unit if unit == NATIONAL or is_region(unit or "") else NATIONAL
    params = {"contest": contest, "unit": unit}
    if contest.startswith("maslikhat_") and unit == NATIONAL:
        # a maslikhat is elected in its own region only
        unit = contest[len("maslikhat_") : -len("_party_list")]
        params["unit"] = unit
    if unit == NATIONAL:
        full = href("/", lang)
    elif contest == compute.MAZHILIS_LIST:
        full = href(f"/region/{unit}", lang, contest=contest)
    else:
        full = href("/maslikhats", lang, region=unit)
    if not compute.has_contest(election, contest):
        return Chart(
            "shares", params, None, full, _("The party-list results of this contest are not reported.")
        )
    c = election.contest(contest)
    summary = compute.summary(election, contest, unit)
    name = unit_name(unit, lang)
    if not any(p.share_pct is not None for p in summary.parties):
        return Chart(
            "shares",
            params,
            None,
            full,
            _("The party-list results are not reported for {unit}.", unit=name),
        )
    title = (
        _("Mazhilis party-list vote in {unit}", unit=name)
        if c.body == "mazhilis"
        else _("Maslikhat party-list vote in {unit}", unit=name)
    )
    fig = finish(party_shares_bar(summary, election.parties, lang, c.threshold_pct, title=title), election, lang)
    if summary.seats_projection:  # an embed shows the title as its heading: room for the label
        fig = mark_projection(fig, lang)
    return Chart("shares", params, fig, full)


def _chamber(election, lang, body=None, area=None, **_kw) -> Chart:
    from dashboard.electoral.composition import assembly_composition
    from dashboard.figures.hemicycle import hemicycle
    from dashboard.pages import maslikhats, mazhilis

    _ = translator(lang)
    body = body if body in ("mazhilis", "maslikhat") else "mazhilis"
    if body == "mazhilis":
        params = {"body": body, "area": NATIONAL}
        comp = compute.memo(election, "composition", assembly_composition, "mazhilis", NATIONAL)
        total = mazhilis.mazhilis_total_seats(election)
        title = _("The Mazhilis")
        full = href("/", lang)
    else:
        area = area if area in region_keys() else maslikhats.default_region(election)
        params = {"body": body, "area": area}
        comp = compute.memo(election, "composition", assembly_composition, "maslikhat", area)
        total = maslikhats.assembly_size(election, area)
        title = _("Composition of the maslikhat of {unit}", unit=unit_name(area, lang))
        full = href("/maslikhats", lang, region=area)
    known = int(comp["seats"].sum()) if len(comp) else 0
    if total is None and not known:
        return Chart(
            "chamber", params, None, full, _("The size and composition of this assembly are not reported.")
        )
    from dashboard.figures.hemicycle import default_marker_size

    total = total if total is not None and total >= known else None
    # an iframe may be 300 px wide: dots sized for that, and room for the legend below the chamber
    size = default_marker_size(total or known, width_px=300)
    fig = hemicycle(comp, election.parties, lang, total, title=title, marker_size=size)
    fig.update_layout(height=CHAMBER_HEIGHT)
    fig = finish(fig, election, lang)
    if seats_are_projection(election, body, params["area"]):
        fig = mark_projection(fig, lang)
    return Chart("chamber", params, fig, full)


def _turnout(election, lang, unit=None, **_kw) -> Chart:
    from dashboard.electoral.turnout import turnout_table
    from dashboard.figures.turnout import turnout_lines

    _ = translator(lang)
    table = turnout_table(election)
    unit = unit if unit and is_region(unit) else None
    params = {"unit": unit} if unit else {}
    full = href(f"/region/{unit}", lang) if unit else href("/turnout", lang)
    if not len(table) or (unit and not (table["unit"] == unit).any()):
        return Chart("turnout", params, None, full, _("Turnout through the day is not reported."))
    if unit:
        name = unit_name(unit, lang)
        fig = turnout_lines(
            table,
            lang,
            highlight=unit,
            units=[NATIONAL, unit],
            title=_("Turnout through election day: {unit} and Kazakhstan", unit=name),
        )
    else:
        fig = turnout_lines(table, lang)
    return Chart("turnout", params, finish(fig, election, lang), full)


def _ranking(election, lang, time=None, **_kw) -> Chart:
    from dashboard.pages import turnout

    _ = translator(lang)
    if not turnout.times_of(election):
        return Chart(
            "ranking", {}, None, href("/turnout", lang), _("Turnout through the day is not reported.")
        )
    t = turnout.resolve_time(election, time)
    params = {"time": time_label(t, "en")}
    return Chart(
        "ranking", params, turnout.ranking_figure(election, t, lang), href("/turnout", lang, **params)
    )


def _maslikhats(election, lang, **_kw) -> Chart:
    from dashboard.pages import maslikhats

    return Chart("maslikhats", {}, maslikhats.overview_figure(election, lang), href("/maslikhats", lang))


BUILDERS = {
    "map": _map,
    "shares": _shares,
    "chamber": _chamber,
    "turnout": _turnout,
    "ranking": _ranking,
    "maslikhats": _maslikhats,
}


def build(election, chart: str, lang: str, **query) -> Chart:
    """The chart ``chart`` for this URL state (unknown values fall back to the defaults).

    It is built from the canonical state (``chart_state``), so equal states draw equal charts.
    """
    if chart not in BUILDERS:
        raise KeyError(chart)
    return BUILDERS[chart](election, normalise_language(lang), **chart_state(election, chart, **query))


# ---------------------------------------------------------------- canonical state (cache keys)


def _map_state(election, mode=None, party=None, results=None, time=None) -> dict:
    from dashboard.pages import mazhilis, turnout

    state = mazhilis.canonical_state(election, None, mode, party, results)
    resolved = mazhilis.resolve_state(election, mode, party, results)
    # a time turns the map into the turnout page's map at that time (even the default time)
    if resolved["mode"] == "turnout" and time and compute.memo(election, "turnout-times", turnout.times_of):
        state["time"] = turnout.resolve_time(election, time)
    return state


def _shares_state(election, contest=None, unit=None) -> dict:
    keys = compute.memo(election, "party-list-contests", _party_list_keys)
    contest = contest if contest in keys else compute.MAZHILIS_LIST
    unit = unit if isinstance(unit, str) and (unit == NATIONAL or is_region(unit)) else NATIONAL
    if contest.startswith("maslikhat_") and unit == NATIONAL:
        unit = contest[len("maslikhat_") : -len("_party_list")]
    state = {"contest": contest} if contest != compute.MAZHILIS_LIST else {}
    return {**state, "unit": unit} if unit != NATIONAL else state


def _party_list_keys(election) -> tuple[str, ...]:
    return tuple(c.key for c in election.contests if c.key.endswith("_party_list"))


def _chamber_state(election, body=None, area=None) -> dict:
    from dashboard.pages import maslikhats

    if body != "maslikhat":
        return {}
    if area not in region_keys():
        area = compute.memo(election, "maslikhats-default-region", maslikhats.default_region)
    return {"body": body, "area": area}


def _turnout_state(election, unit=None) -> dict:
    return {"unit": unit} if isinstance(unit, str) and is_region(unit) else {}


def _ranking_state(election, time=None) -> dict:
    from dashboard.pages import turnout

    if not compute.memo(election, "turnout-times", turnout.times_of):
        return {}
    t = turnout.resolve_time(election, time)
    default = compute.memo(election, "turnout-default-time", turnout.resolve_time, None)
    return {"time": t} if t != default else {}


STATES = {
    "map": _map_state,
    "shares": _shares_state,
    "chamber": _chamber_state,
    "turnout": _turnout_state,
    "ranking": _ranking_state,
    "maslikhats": lambda election: {},
}


def chart_state(election, chart: str, **query) -> dict:
    """The chart's URL state (``PARAMS[chart]`` only), validated as its builder does, defaults removed."""
    return STATES[chart](election, **{k: query[k] for k in PARAMS[chart] if k in query})


def canonical_state(election, chart=None, lang=None, **query) -> dict | None:
    """The embed page's (and the CSV download's) state: the chart, the language and the chart's state;
    None (not cached) for an unknown chart."""
    if chart not in BUILDERS:
        return None
    return with_language(lang, {"chart": chart, **chart_state(election, chart, **query)})


VIEW = ViewState(canonical_state, ("chart", "lang", *sorted({p for ps in PARAMS.values() for p in ps})))


def embed_path(chart: str, lang: str, params: dict) -> str:
    return href(f"/embed/{chart}", lang, **params)


def download_path(chart: str, lang: str, params: dict) -> str:
    return href(f"/download/{chart}.csv", lang, **params)


# ---------------------------------------------------------------- the snippet under each chart card


def iframe_height(fig) -> int:
    """480 px, or more for a chart that needs its height (a bar per party or per unit)."""
    layout = (fig.get("layout") if isinstance(fig, dict) else fig.to_plotly_json()["layout"]) if fig else {}
    natural = (layout or {}).get("height") or 0
    return max(IFRAME_HEIGHT, int(natural) + CHROME_PX)


def iframe_snippet(src: str, title: str, height: int = IFRAME_HEIGHT) -> str:
    from html import escape

    return (
        f'<iframe src="{escape(src)}" width="100%" height="{height}" style="border:0" '
        f'title="{escape(title)}" loading="lazy"></iframe>'
    )


def embed_details(chart: str, params: dict, lang: str, title: str, *, id=None, height: int = IFRAME_HEIGHT):
    """The "Embed this chart" disclosure: a ready-to-copy ``<iframe>`` (assets/saylau.js makes its src
    absolute with the page's origin) and a link to the chart's data as CSV."""
    _ = translator(lang)
    path = embed_path(chart, lang, params)
    kw = {"id": id} if id else {}
    return html.Details(
        [
            html.Summary(_("Embed this chart")),
            html.P(_("Copy this code into your article:"), className="card-desc"),
            html.Textarea(
                iframe_snippet(path, title, height),
                readOnly=True,
                rows=4,
                className="embed-code",
                spellCheck="false",
                **{
                    "data-embed-path": path,
                    "data-embed-title": title,
                    "data-embed-height": str(height),
                    "aria-label": _("Embed code"),
                },
            ),
            html.P(
                [
                    html.A(_("Preview"), href=path, target="_blank", rel="noopener"),
                    " · ",
                    html.A(
                        _("Download data (CSV)"),
                        href=download_path(chart, lang, params),
                        download="",
                        className="csv-link",
                    ),
                ],
                className="card-desc",
            ),
        ],
        className="embed",
        **kw,
    )


def details_for(chart: str, lang: str, fig, *, id=None, **params):
    """``embed_details`` for a chart card: ``fig`` the card's figure (its title names the iframe),
    ``params`` the card's state in the URL parameters of ``PARAMS[chart]`` (None: left out)."""
    title = _plain(ui.figure_meta(fig)[0]) if fig is not None else "Saylau"
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return embed_details(
        chart, params, lang, title or "Saylau", id=id or f"embed-{chart}", height=iframe_height(fig)
    )


def map_params(state: dict) -> dict:
    """The embed parameters of a home-map state (as ``_map`` makes them canonical)."""
    params = {"mode": state["mode"]}
    if state["mode"] == "party":
        params["party"] = state["party"]
    if state["results"] != "mazhilis" and state["mode"] != "turnout":
        params["results"] = state["results"]
    return params


def _plain(text: str) -> str:
    return (text or "").replace("<br>", " ")


# ---------------------------------------------------------------- the embed page


def _source_line(lang: str, chart: Chart, version) -> html.P:
    _ = translator(lang)
    return html.P(
        [
            html.A("Saylau", href=chart.full_view, target="_blank", rel="noopener", className="embed-home"),
            " · ",
            _("data: Central Election Commission of Kazakhstan"),
            " · ",
            _("version {n}", n=version),
            " · ",
            html.A(
                _("CSV"),
                href=download_path(chart.chart, lang, chart.params),
                target="_blank",
                rel="noopener",
            ),
        ],
        className="embed-credit",
        id="embed-credit",
    )


def _embed_figure(fig) -> tuple[dict, str, str]:
    """The figure for the embed frame: its title moves to the HTML heading (which wraps at any width),
    its subtitle to a line under it."""
    fig = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig)
    layout = dict(fig.get("layout") or {})
    title = layout.get("title") or {}
    text = title.get("text", "") if isinstance(title, dict) else str(title)
    subtitle = ((title.get("subtitle") or {}).get("text", "")) if isinstance(title, dict) else ""
    layout["title"] = {"text": ""}
    margin = dict(layout.get("margin") or {})
    margin["t"] = 8
    layout["margin"] = margin
    layout.pop("height", None)
    layout["autosize"] = True
    fig["layout"] = layout
    return fig, _plain(text), subtitle


def layout(chart=None, lang=None, **query):
    lang = normalise_language(lang)
    _ = translator(lang)
    election = data_module.election()
    if chart not in BUILDERS:
        return html.Div(
            [
                html.H1(_("Page not found"), className="embed-title"),
                html.P(html.A(_("Go to the Mazhilis results"), href=href("/", lang), target="_blank")),
            ],
            id="page-embed",
            className="embed-page",
        )
    c = build(election, chart, lang, **query)
    try:
        version = data_module.version()
    except Exception:
        version = "—"
    children = []
    if election.simulated:
        children.append(
            html.Div(html.Strong(_("SIMULATED — rehearsal data")), className="sim-banner", role="status")
        )
    if c.figure is None:
        children += [
            html.H1(_("Not reported"), className="embed-title"),
            ui.notice(c.message or _("not reported"), id="embed-not-reported"),
        ]
    else:
        _t, alt, _cols, _rows = ui.figure_meta(c.figure)
        natural = (c.figure.to_plotly_json()["layout"].get("height")) if c.figure is not None else None
        fig, title, subtitle = _embed_figure(c.figure)
        children.append(html.H1(title or alt, className="embed-title", id="embed-title"))
        if subtitle:
            children.append(html.P(subtitle, className="embed-subtitle"))
        children.append(embed_progress(election, lang, c))
        config = ui.graph_config(lang, filename=f"saylau-{chart}")
        config["displayModeBar"] = False
        children.append(
            html.Div(
                dcc.Graph(id="embed-graph", figure=fig, config=config, className="embed-graph-inner"),
                role="img",
                className="embed-graph",
                # a chart with a bar per party or unit keeps its height (the frame scrolls) rather than
                # squeezing its rows
                style={"minHeight": f"{int(natural)}px"} if natural else None,
                id="embed-graph-wrap",
                **{"aria-label": alt or title},
            )
        )
    children.append(_source_line(lang, c, version))
    return html.Div(children, id="page-embed", className="embed-page", **{"data-chart": chart})


def embed_progress(election, lang: str, chart: Chart):
    """The progress of the count the chart shows: its unit (and contest) when it has one, and the nation."""
    params = chart.params
    unit = params.get("unit") or params.get("area")
    contest = params.get("contest")
    if contest is None and params.get("body") == "maslikhat" and unit:
        contest = compute.maslikhat_contest(unit)
    if contest is not None and not compute.has_contest(election, contest):
        contest = None
    return progress_block(election, lang, contest=contest, unit=unit)


def _title(lang=None, chart=None, **query) -> str:
    _ = translator(lang)
    if chart not in BUILDERS:
        return _("Page not found")
    c = build(data_module.election(), chart, lang, **query)
    return _plain(ui.figure_meta(c.figure)[0]) if c.figure is not None else _("Not reported")


#: The tab title needs the chart's title, i.e. the figure: cached like the layouts.
_cached_title = cached_layout("embed-title", _title, VIEW, page_version=False)


def title(lang, chart=None, **query) -> str:
    query = {k: v for k, v in query.items() if k in PARAMS.get(chart, ())}
    try:
        return _cached_title(lang=lang, chart=chart, **query)
    except Exception:
        return "Saylau"


# ---------------------------------------------------------------- CSV


def csv_bytes(chart: Chart, lang: str, version) -> bytes:
    """The chart's text-alternative table as UTF-8 CSV with a BOM (Excel opens it right), preceded by a
    line naming the source, the data version and the chart (and SIMULATED when it is)."""
    _ = translator(lang)
    title, _alt, columns, rows = (
        ui.figure_meta(chart.figure) if chart.figure is not None else ("", "", [], [])
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    source = " · ".join(
        p
        for p in (
            "# Saylau",
            _("data: Central Election Commission of Kazakhstan"),
            _("version {n}", n=version),
            _plain(title),
            _("SIMULATED — rehearsal data") if _is_simulated() else "",
        )
        if p
    )
    writer.writerow([source])
    if not columns:
        writer.writerow([chart.message or _("not reported")])
    else:
        writer.writerow(columns)
        nr = _("not reported")
        for row in rows:
            writer.writerow([nr if cell is None else _csv_cell(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_cell(cell) -> str:
    # the table cells are display strings: no-break spaces (thousands, " %") become plain spaces
    return str(cell).replace("\u00a0", " ").replace("\u202f", " ")


def _is_simulated() -> bool:
    try:
        return bool(data_module.election().simulated)
    except Exception:
        return False


def _add_routes(app) -> None:
    server = app.server

    @server.route(DOWNLOAD_ROUTE, endpoint="saylau_download_csv")
    def download_csv(chart):
        if chart not in BUILDERS:
            abort(404)
        lang = normalise_language(request.args.get("lang"))
        election = data_module.election()
        query = {k: v for k, v in request.args.items() if k != "lang"}
        c = build(election, chart, lang, **query)
        version = data_module.version()
        name = "-".join(["saylau", chart, *[str(v) for v in c.params.values()], lang, f"v{version}"])
        resp = Response(csv_bytes(c, lang, version), mimetype="text/csv")
        resp.headers["Content-Type"] = "text/csv; charset=utf-8"
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        resp.headers["Cache-Control"] = "no-cache"
        return resp

    @server.after_request
    def frame_policy(resp):
        """Embeds may be framed by anyone; every other page only by this site."""
        if request.path.startswith("/embed/"):
            resp.headers.pop("X-Frame-Options", None)
            resp.headers["Content-Security-Policy"] = "frame-ancestors *"
        elif resp.mimetype == "text/html":
            resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
            resp.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
        return resp


def register(app) -> None:
    dash.register_page(
        __name__,
        path_template=PATH_TEMPLATE,
        layout=cached_layout("embed", layout, VIEW),
        title=page_title(title),
        name="Embed",
        order=9,
    )
    _add_routes(app)


__all__ = ["CHARTS", "build", "details_for", "csv_bytes", "embed_details", "layout", "register"]
