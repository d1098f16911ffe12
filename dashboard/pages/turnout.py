"""Turnout through election day: every unit's line (or small multiples) with the national one
highlighted, the map at a chosen report time, and the ranking at that time.

URL: ``/turnout?lang=…&time=10:10|…|final&view=lines|multiples``. Moving the time slider recolours the map
with a ``Patch`` and redraws the (small) ranking; the view and time are written to the query string.
"""

from __future__ import annotations

import json

import dash
from dash import Input, Output, Patch, State, dcc, html

from dashboard.boundaries import day_names, for_election, unit_keys
from dashboard.charts.map import unit_from_click
from dashboard.charts.ranking import ranking_figure
from dashboard.charts.turnout import map_changes, resolve_time, times_of
from dashboard.charts.view_state import ViewState, page_title, with_language
from dashboard.components import compute, ui
from dashboard.components import data as data_module
from dashboard.components import embeds as embed
from dashboard.components.history import chart_cards
from dashboard.components.progress import progress_block
from dashboard.components.results import finish
from dashboard.components.shell import href, lang_of
from dashboard.electoral.turnout import report_times, turnout_at, turnout_table
from dashboard.figures.common import time_label
from dashboard.figures.maps import apply_map_patch, choropleth_map
from dashboard.figures.turnout import turnout_lines, turnout_small_multiples
from dashboard.i18n import format_pct, normalise_language, translator
from dashboard.model import FINAL
from dashboard.pages import cached_layout, election_template, use_page_path, use_page_version
from dashboard.regions import NATIONAL

PATH = "/turnout"
VIEWS = ("lines", "multiples")


def canonical_state(election, lang=None, time=None, view=None) -> dict:
    """The view's state as the layout resolves it: the report time (as stored) and the view, each only
    when it is not the default."""
    state = {}
    if view in VIEWS and view != VIEWS[0]:
        state["view"] = view
    if compute.memo(election, "turnout-times", times_of):
        t = resolve_time(election, time)
        if t != compute.memo(election, "turnout-default-time", resolve_time, None):
            state["time"] = t
    return with_language(lang, state)


VIEW = ViewState(canonical_state)


def map_notes(values, t, lang):
    _ = translator(lang)
    n = compute.reported_count(values)
    total = len(values)  # the map's values: one per unit of the election's day (17 or 20)
    if n == total:
        return [html.P(_("Select a region or city on the map to open it."), className="card-desc")]
    return [
        ui.notice(
            _(
                "At {time}, turnout is reported for {n} of {total} regions and cities; grey means “not reported”.",
                time=time_label(t, lang) if t else "—",
                n=n,
                total=total,
            )
        ),
        html.P(_("Select a region or city on the map to open it."), className="card-desc"),
    ]


def trend_figure(election, view, lang, columns=4):
    table = turnout_table(election)
    if view == "multiples":
        fig = turnout_small_multiples(table, lang, columns=columns, names=day_names(election, lang))
    else:
        # the lines are named in their hover; the embed's names at the edge (charts.turnout.label_other_ends)
        # would leave a 390 px phone a plot ~100 px wide here
        fig = turnout_lines(table, lang, names=day_names(election, lang))
    return finish(fig, election, lang)


def stats_for(election, t, lang):
    _ = translator(lang)
    values = turnout_at(election, t) if t else {}
    national = values.get(NATIONAL)
    n = compute.reported_count({k: values.get(k) for k in unit_keys(election)})
    pct, final_t = compute.national_turnout(election)
    return ui.stats(
        [
            ui.stat(
                # "Turnout at final" read «Явка на итог»: the final figure has its own name
                (_("Final turnout") if t == "final" else _("Turnout at {time}", time=time_label(t, lang)))
                if t else _("Turnout"),
                format_pct(national, lang) if national is not None and national == national else None,
                lang,
                _("Kazakhstan"),
                id="stat-turnout-at",
            ),
            ui.stat(
                _("Units reporting"),
                _("{n} of {total}", n=n, total=len(unit_keys(election))),
                lang,
                id="stat-units-at",
            ),
            # the final (or latest) figure, unless it is the one already shown for the chosen time
            *([] if final_t == t else [ui.stat(
                _("Final turnout") if final_t == "final" else _("Latest turnout"),
                format_pct(pct, lang) if pct is not None else None,
                lang,
                time_label(final_t, lang) if final_t else None,
                id="stat-turnout-latest",
            )]),
            ui.stat(_("Report times"), str(len(times_of(election))), lang),
        ]
    )


def layout(lang=None, time=None, view=None, **_kw):
    lang = normalise_language(lang)
    _ = translator(lang)
    election = data_module.election()
    times = times_of(election)
    if not times:
        return html.Div(
            [
                html.H1(_("Turnout"), className="page-title"),
                ui.notice(_("Turnout through the day is not reported.")),
            ],
            id="page-turnout",
        )
    view = view if view in VIEWS else "lines"
    t = resolve_time(election, time)
    values, changes = map_changes(election, t, lang)
    fig = choropleth_map(
        {}, mode="turnout", geojson_url=ui.geojson_url(election), parties=election.parties, lang=lang,
        units=for_election(election),
    )
    map_fig = apply_map_patch(fig.to_plotly_json(), changes)
    map_fig = finish(dash_figure(map_fig), election, lang)

    trend = trend_figure(election, view, lang)
    ranking = ranking_figure(election, t, lang)
    marks = {i: time_label(tt, lang) for i, tt in enumerate(times)}
    # dcc.Slider has no aria props: assets/saylau.js labels its thumb (role="slider") with the visible
    # label (aria-labelledby) and speaks the clock time (aria-valuetext), not the index.
    slider = html.Div(
        [
            html.Span(_("Report time"), className="control-label", id="turnout-time-label"),
            html.Div(
                dcc.Slider(
                    id="turnout-time",
                    min=0,
                    max=len(times) - 1,
                    step=1,
                    value=times.index(t),
                    marks=marks,
                    included=False,
                    allow_direct_input=False,
                    updatemode="mouseup",
                ),
                className="slider-wrap",
                **{
                    "data-aria-labelledby": "turnout-time-label",
                    "data-value-texts": json.dumps([time_label(tt, lang) for tt in times]),
                },
            ),
        ],
        className="control control-wide",
    )
    view_radio = ui.radio_control(
        _("Show"),
        "turnout-view",
        [
            {"label": _("All units on one chart"), "value": "lines"},
            {"label": _("One small chart per unit"), "value": "multiples"},
        ],
        view,
        wide=True,
    )
    return html.Div(
        [
            dcc.Store(id="turnout-times", data=times),
            html.H1(_("Turnout through election day"), className="page-title"),
            html.P(
                _("Interim reports of the Central Election Commission (Astana time) and its final figure.")
                if FINAL in report_times(election)
                # mid-count there is no final figure yet: the page must not promise one it lacks
                else _("Interim reports of the Central Election Commission (Astana time); its final figure "
                       "comes with the count."),
                className="page-lead",
                id="turnout-lead",
            ),
            progress_block(election, lang),
            html.Div(stats_for(election, t, lang), id="turnout-stats"),
            ui.figure_card(
                trend,
                "turnout-trend",
                lang,
                controls=html.Div(view_radio, className="controls"),
                filename="saylau-turnout",
                embed=embed.details_for("turnout", lang, trend),
            ),
            html.Div(
                [
                    ui.figure_card(
                        map_fig,
                        "turnout-map",
                        lang,
                        controls=html.Div(slider, className="controls"),
                        notes=map_notes(values, t, lang),
                        graph_class="graph map-graph",
                        filename="saylau-turnout-map",
                        embed=map_embed(map_fig, t, lang),
                    ),
                    ui.figure_card(
                        ranking,
                        "turnout-ranking",
                        lang,
                        filename="saylau-turnout-ranking",
                        embed=ranking_embed(ranking, t, lang),
                    ),
                ],
                className="grid grid-3-2",
            ),
            *chart_cards(election, lang),  # turnout at every vote, the change since the one before
            html.Div(id="turnout-url-sink", hidden=True),
        ],
        id="page-turnout",
    )


def map_embed(fig, t, lang):
    return embed.details_for(
        "map", lang, fig, id="turnout-map-embed", mode="turnout", time=time_label(t, "en") if t else None
    )


def ranking_embed(fig, t, lang):
    return embed.details_for(
        "ranking", lang, fig, id="turnout-ranking-embed", time=time_label(t, "en") if t else None
    )


def dash_figure(fig_json):
    import plotly.graph_objects as go

    return go.Figure(fig_json)


def register(app) -> None:
    dash.register_page(
        __name__,
        path_template=election_template(PATH),
        layout=cached_layout("turnout", layout, VIEW),
        title=page_title(lambda lang, **_kw: translator(lang)("Turnout through election day")),
        name="Turnout",
        order=2,
    )

    @app.callback(
        Output("turnout-map", "figure"),
        Output("turnout-map-notes", "children"),
        Output("turnout-map-table", "children"),
        Output("turnout-map-wrap", "aria-label"),
        Output("turnout-ranking", "figure"),
        Output("turnout-ranking-table", "children"),
        Output("turnout-stats", "children"),
        Output("turnout-map-embed", "children"),
        Output("turnout-ranking-embed", "children"),
        Input("turnout-time", "value"),
        State("turnout-times", "data"),
        State("_pages_location", "search"),
        State("page-version", "data"),
        prevent_initial_call=True,
    )
    def at_time(index, times, search, page_version):
        use_page_version(page_version)
        lang = lang_of(search)
        election = data_module.election()
        t = times[int(index)] if times and index is not None and 0 <= int(index) < len(times) else None
        values, changes = map_changes(election, t, lang)
        patch = Patch()
        apply_map_patch(patch, changes)
        meta = dict(changes)[("layout", "meta")]
        if election.simulated:
            meta = {**meta, "alt": translator(lang)("SIMULATED — rehearsal data") + ". " + meta["alt"]}
            patch["layout"]["meta"] = meta
        table = ui.alt_table({"layout": {"meta": meta}}, lang)
        ranking = ranking_figure(election, t, lang)
        rtable = ui.alt_table(ranking, lang)
        return (
            patch,
            map_notes(values, t, lang),
            table.children if table is not None else None,
            meta["alt"],
            ranking,
            rtable.children if rtable is not None else None,
            stats_for(election, t, lang),
            map_embed(
                {"layout": {"title": {"text": dict(changes)[("layout", "title", "text")]}}}, t, lang
            ).children,
            ranking_embed(ranking, t, lang).children,
        )

    @app.callback(
        Output("turnout-trend", "figure"),
        Output("turnout-trend-table", "children"),
        Input("turnout-view", "value"),
        State("_pages_location", "search"),
        State("page-version", "data"),
        prevent_initial_call=True,
    )
    def switch_view(view, search, page_version):
        use_page_version(page_version)
        lang = lang_of(search)
        election = data_module.election()
        fig = trend_figure(election, view if view in VIEWS else "lines", lang)
        table = ui.alt_table(fig, lang)
        return fig, table.children if table is not None else None

    app.clientside_callback(
        """function (index, view, times) {
            var label = null;
            if (times && index !== null && index !== undefined && times[index]) {
                var t = times[index];
                label = t.indexOf("T") > 0 ? t.split("T")[1].slice(0, 5) : t;
            }
            window.saylau.setQuery({time: label, view: view === "multiples" ? view : null});
            return "";
        }""",
        Output("turnout-url-sink", "children"),
        Input("turnout-time", "value"),
        Input("turnout-view", "value"),
        State("turnout-times", "data"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input("turnout-map", "clickData"),
        State("_pages_location", "search"),
        State("_pages_location", "pathname"),
        prevent_initial_call=True,
    )
    def open_region(click, search, pathname=None):
        use_page_path(pathname)
        unit = unit_from_click(click)
        return href(f"/region/{unit}", lang_of(search)) if unit else dash.no_update


__all__ = ["href", "layout", "register"]
