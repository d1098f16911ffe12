"""Charts for journalists to embed: ``/embed/<chart>`` (just the chart, its title, a one-line source
credit linking back to the full view, the SIMULATED banner when the election is simulated).

The charts, their parameters and their canonical state live in the catalogue (``dashboard.charts``);
their data and images are served by ``dashboard.charts.routes``. ``?v=N`` freezes an embed at published
version N: drawn from that version and cacheable forever.

The frame fits itself to its content: ``assets/saylau-embed.js`` (loaded on every page of the site and
by the snippet on the host page) posts the embed's height to the host page, which resizes the frame.

Embed routes answer with ``Content-Security-Policy: frame-ancestors *`` so any site may frame them; every
other page keeps ``frame-ancestors 'self'`` (and ``X-Frame-Options: SAMEORIGIN``).
"""

from __future__ import annotations

import dash
from dash import dcc, html
from flask import request

from dashboard import charts
from dashboard.charts import CHARTS, Chart, build, chart_state, routes
from dashboard.charts import EMBED_VIEW as VIEW
from dashboard.charts import embed_state as canonical_state
from dashboard.charts.map import LABELS_TRACE
from dashboard.charts.view_state import page_title
from dashboard.components import compute, ui
from dashboard.components import data as data_module
from dashboard.components.embeds import download_path
from dashboard.components.progress import progress_block
from dashboard.components.shell import home_link_text, href, inner_path
from dashboard.figures.text import plain
from dashboard.i18n import normalise_language, translator
from dashboard.pages import cached_layout, election_template

PATH_TEMPLATE = "/embed/<chart>"
PARAMS = charts.PARAMS
#: Frame width (px) from which the map embed shows the region names (``assets/saylau-embed.js``).
MAP_LABELS_MIN_PX = 560


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
        ]
        + _about(lang, chart),
        className="embed-credit",
        id="embed-credit",
    )


def _about(lang: str, chart: Chart) -> list:
    """A chart's "how it is made" link, when its module has one (``ABOUT``: the estimate's method)."""
    about = getattr(charts.MODULES[chart.chart], "ABOUT", None)
    if about is None:
        return []
    label, path = about
    return [" · ", html.A(translator(lang)(label), href=f"{path}?lang={lang}", target="_blank", rel="noopener",
                          id="embed-about")]


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
    return fig, plain(text), subtitle


def layout(chart=None, lang=None, v=None, **query):
    lang = normalise_language(lang)
    _ = translator(lang)
    election = data_module.election()
    if chart not in charts.MODULES:
        return html.Div(
            [
                html.H1(_("Page not found"), className="embed-title"),
                html.P(html.A(home_link_text(election, lang), href=href("/", lang), target="_blank")),
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
                **({"data-labels-min": str(MAP_LABELS_MIN_PX), "data-labels-trace": LABELS_TRACE} if chart == "map" else {}),
            )
        )
    children.append(_source_line(lang, c, version))
    return html.Div(children, id="page-embed", className="embed-page", **{"data-chart": chart})


def embed_progress(election, lang: str, chart: Chart):
    """The progress of the count the chart shows: its unit (and contest) when it has one, and the nation.
    None for the record across votes: the count of the URL's election is not what it shows."""
    if chart.chart in ("turnout_history", "turnout_change"):
        return None
    params = chart.params
    unit = params.get("unit") or params.get("area")
    contest = params.get("contest")
    if contest is None and params.get("body") == "maslikhat" and unit:
        found = election.find_contest("maslikhat", "party_list", unit)
        contest = found.key if found is not None else None
    if contest is not None and not compute.has_contest(election, contest):
        contest = None
    return progress_block(election, lang, contest=contest, unit=unit)


def _title(lang=None, chart=None, **query) -> str:
    _ = translator(lang)
    if chart not in charts.MODULES:
        return _("Page not found")
    c = build(data_module.election(), chart, lang, **query)
    return c.title if c.figure is not None else _("Not reported")


#: The tab title needs the chart's title, i.e. the figure: cached like the layouts.
_cached_title = cached_layout("embed-title", _title, VIEW, page_version=False)


def title(lang, chart=None, **query) -> str:
    query = {k: v for k, v in query.items() if k in PARAMS.get(chart, ()) or k == "v"}
    try:
        frozen = charts.frozen_version(query.get("v"))
        if frozen is not None:
            data_module.use_version(frozen, load=True)
        return _cached_title(lang=lang, chart=chart, **query)
    except Exception:
        return "Saylau"


_cached_layout = cached_layout("embed", layout, VIEW)


def embed_layout(data_version=None, **kwargs):
    """The cached layout, drawn from the frozen version when the URL names one (``?v=N``)."""
    frozen = charts.frozen_version(kwargs.get("v"))
    if frozen is not None and data_module.use_version(frozen, load=True) == frozen:
        data_version = frozen
    return _cached_layout(data_version=data_version, **kwargs)


embed_layout.uncached = layout
embed_layout.page = "embed"
embed_layout.view = VIEW


def _add_routes(app) -> None:
    server = app.server
    routes.install(server)

    @server.after_request
    def frame_policy(resp):
        """Embeds may be framed by anyone; every other page only by this site. A frozen embed
        (``?v=N``) is the same page forever: cacheable as such."""
        if inner_path(request.path).startswith("/embed/"):
            resp.headers.pop("X-Frame-Options", None)
            resp.headers["Content-Security-Policy"] = "frame-ancestors *"
            if resp.status_code == 200 and charts.frozen_version(request.args.get("v")) is not None:
                resp.headers["Cache-Control"] = routes.IMMUTABLE
        elif resp.mimetype == "text/html":
            resp.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
            resp.headers.setdefault("Content-Security-Policy", "frame-ancestors 'self'")
        return resp


def register(app) -> None:
    dash.register_page(
        __name__,
        path_template=election_template(PATH_TEMPLATE),
        layout=embed_layout,
        title=page_title(title),
        name="Embed",
        order=9,
    )
    _add_routes(app)


__all__ = ["CHARTS", "VIEW", "build", "canonical_state", "chart_state", "layout", "register"]
