"""Mazhilis (home): headline figures, the map of the 20 units, party shares against the threshold, the
98-seat chamber and the results table.

URL: ``/?lang=kk|ru|en&mode=leading|party|turnout|against_all&party=<key>&results=mazhilis|maslikhat``.
Changing the map mode, party or results recolours the map with a ``Patch`` (the geometry is a cached URL
and the figure is not resent) and rewrites the query string, so the view stays a shareable link.
"""

from __future__ import annotations

import dash
from dash import Input, Output, Patch, State, html

from dashboard.boundaries import for_election, unit_keys
from dashboard.chambers import MAZHILIS_ENDED_SOURCE, was_last_mazhilis
from dashboard.charts.chamber import mazhilis_total_seats
from dashboard.charts.map import (
    home_state,
    map_options,
    resolve_state,
    unit_from_click,
)
from dashboard.charts.map import lead_kind as map_lead_kind
from dashboard.charts.map import map_changes as _map_changes
from dashboard.charts.map import modes as map_modes
from dashboard.charts.map import sources as map_sources
from dashboard.charts.view_state import ViewState, page_title, with_language
from dashboard.components import compute, ui
from dashboard.components import data as data_module
from dashboard.components import embeds as embed
from dashboard.components.outcome import outcome_block
from dashboard.components.progress import (
    is_partial,
    mark_projection,
    progress_block,
    projection_notice,
    seats_are_projection,
)
from dashboard.components.results import finish, results_table
from dashboard.components.shell import href, update_label
from dashboard.electoral.progress import election_progress
from dashboard.figures.common import apply_simulated_banner, time_label
from dashboard.figures.hemicycle import hemicycle, mark_majority, seat_key
from dashboard.figures.maps import apply_map_patch, choropleth_map
from dashboard.figures.parties import party_shares_bar
from dashboard.figures.text import literal
from dashboard.i18n import format_pct, normalise_language, ntranslator, translator
from dashboard.pages import cached_layout, election_template, use_page_path, use_page_version

PATH = "/"


# ---------------------------------------------------------------- state


def canonical_state(election, lang=None, mode=None, party=None, results=None) -> dict:
    """The view's URL state as the layout resolves it, defaults removed (see ``ViewState``).

    The party stays even when the map does not show a party's share: the (hidden) party picker shows it.
    """
    return with_language(lang, home_state(election, mode, party, results))


VIEW = ViewState(canonical_state)


# ---------------------------------------------------------------- map


def map_changes(election, state: dict, lang: str):
    """(values, patch changes, notes) of the map for this state."""
    values, changes = _map_changes(election, state, lang)
    return values, changes, map_notes(election, state, values, lang)


def map_notes(election, state, values, lang):
    _ = translator(lang)
    n = compute.reported_count(values)
    total = len(unit_keys(election))  # the units of its day
    mode, source = state["mode"], state["results"]
    notes = []
    if mode != "turnout" and source == "mazhilis" and n == 0 and compute.lead_key(election) == compute.MAZHILIS_LIST:
        masl = len(compute.maslikhat_units_with_votes(election)[0])
        notes.append(
            ui.notice(
                _(
                    "The Mazhilis party results are not reported by region — only national totals were "
                    "published — so every unit is grey (“not reported”). Turnout is reported for every unit; "
                    "maslikhat party-list results exist for {n} units.",
                    n=masl,
                )
            )
        )
    elif source == "maslikhat" and mode != "turnout":
        from dashboard.pages.maslikhats import votes_reported_note  # the maslikhats page's own count

        notes.extend(note for note in [votes_reported_note(election, lang)] if note is not None)
    elif n < total:
        notes.append(
            ui.notice(
                _(
                    "Figures for {n} of {total} regions and cities; grey means “not reported”, not zero.",
                    n=n,
                    total=total,
                )
            )
        )
    if source == "maslikhat" and mode != "turnout":
        notes.append(
            ui.notice(
                _(
                    "Each unit is coloured by its own regional maslikhat's party-list vote, not by the Mazhilis vote."
                ),
                kind="info",
            )
        )
    notes.append(html.P(_("Select a region or city on the map to open it."), className="card-desc"))
    return notes


def build_map(election, state, lang):
    _values, changes, notes = map_changes(election, state, lang)
    fig = choropleth_map(
        {}, mode="turnout", geojson_url=ui.geojson_url(election), parties=election.parties, lang=lang,
        units=for_election(election),
    )
    fig_json = apply_map_patch(fig.to_plotly_json(), changes)
    if election.simulated:
        fig_json = apply_simulated_banner(dash_figure(fig_json), lang).to_plotly_json()
    return fig_json, notes


def dash_figure(fig_json):
    import plotly.graph_objects as go

    return go.Figure(fig_json)


def map_words(election, lang) -> dict:
    """The map's control labels for the kind of its contest: a party, a candidate or an answer."""
    _ = translator(lang)
    kind = map_lead_kind(election)
    if kind == "presidential":
        return {"leading": _("Leading candidate"), "party": _("A candidate's share"), "option": _("Candidate")}
    if kind == "referendum":
        return {"leading": _("Majority answer"), "party": _("An answer's share"), "option": _("Answer")}
    return {"leading": _("Leading party"), "party": _("A party's share"), "option": _("Party")}


def map_controls(election, state, lang):
    _ = translator(lang)
    words = map_words(election, lang)
    mode_labels = {
        "leading": words["leading"],
        "party": words["party"],
        "turnout": _("Turnout"),
        "against_all": _("Against all"),
    }
    party_opts = [{"label": o.short_name(lang), "value": o.key}
                  for o in map_options(election, "mazhilis")]
    source_opts = {"mazhilis": lead_results_label(election, lang), "maslikhat": _("Regional maslikhats")}
    results = ui.radio_control(
        _("Results of"),
        "map-results",
        [{"label": source_opts[k], "value": k} for k in map_sources(election)],
        state["results"],
    )
    return html.Div(
        [
            ui.radio_control(
                _("Map shows"),
                "map-mode",
                [{"label": mode_labels[m], "value": m} for m in map_modes(election)],
                state["mode"],
                wide=True,
            ),
            html.Div(
                ui.control(
                    words["option"],
                    ui.select("map-party", party_opts, state["party"]),
                    html_for="map-party",
                ),
                id="map-party-wrap",
                className="control",
                hidden=state["mode"] != "party",
            ),
            # one source only (no maslikhats in the election): the choice is kept, hidden, for the callbacks
            html.Div(results, hidden=len(map_sources(election)) < 2),
        ],
        className="controls",
    )


def lead_results_label(election, lang) -> str:
    """The map's own results: "Mazhilis" in 2023, the body, "President" or "Referendum" otherwise."""
    _ = translator(lang)
    key = compute.lead_key(election)
    if not compute.has_contest(election, key) or key == compute.MAZHILIS_LIST:
        return _("Mazhilis")
    return election.body_name(election.contest(key).body, lang)


# ---------------------------------------------------------------- other figures


def headline(election, lang):
    _ = translator(lang)
    st = data_module.status()
    # the figure says which it is: the result's turnout, the commission's final figure or a report of the
    # day ("73.12 %, preliminary result" beside a turnout page whose 20:30 report says 73.24 %)
    pct, what, t = compute.headline_turnout(election)
    note = None
    if what == compute.PRELIMINARY_RESULT:
        note = _("from the preliminary results")
    elif what == compute.RESULT:
        note = _("from the final results")
    elif t:
        note = _("final figure") if t == "final" else _("as of {time}", time=time_label(t, lang))
    reported = 0
    national = False
    lead = compute.lead_key(election)
    if compute.has_contest(election, lead):
        rows = compute.result_rows(election, "mazhilis")
        reported = sum(1 for u in unit_keys(election) if u in rows and bool(rows[u].get("reported")))
        national = compute.summary(election, lead).reported
    total = len(unit_keys(election))
    by_party = not compute.has_contest(election, lead) or election.contest(lead).kind == "party_list"
    results_label = _("Party results") if by_party else _("Results")
    by_region = _("{n} of {total}", n=reported, total=total)
    if reported:
        # results by region: how many of the 20 units have them ("20 of 20" mid-count is not "complete")
        counting = election_progress(election).partial
        units_value = by_region
        units_note = _("regions and cities with votes counted so far") if counting else _("regions and cities")
    elif national:
        # 2023: the Mazhilis party results were published for the whole country only
        units_value = _("national total")
        units_note = (_("party results by region: not reported ({n_of_total})", n_of_total=by_region) if by_party
                      else _("results by region: not reported ({n_of_total})", n_of_total=by_region))
    else:
        units_value, units_note = None, None
    return ui.stats(
        [
            ui.stat(
                _("Turnout"),
                format_pct(pct, lang) if pct is not None else None,
                lang,
                note,
                id="stat-turnout",
            ),
            ui.stat(results_label, units_value, lang, units_note, id="stat-units"),
            # the data version (a number) is in the footer: a headline tile "Data version 0" said nothing
            ui.stat(
                _("Last update"),
                update_label(st, lang, election.date,
                             preliminary=election_progress(election).status == "preliminary"),
                lang,
                _("simulated") if election.simulated else None,
                id="stat-updated",
            ),
        ]
    )


def region_links(lang, units=None):
    """Every region and city as a link, before the map: "my region" is one tap on a phone, and every unit
    the map shows is reachable from the keyboard and by a screen reader (the map's shapes are not)."""
    _ = translator(lang)
    return html.Nav(
        [
            html.H2(_("Open a region or city"), id="region-links-heading", className="control-label"),
            html.Ul(
                [
                    html.Li(html.A(o["label"], href=href(f"/region/{o['value']}", lang), **{"data-spa": "1"}))
                    for o in ui.region_options(lang, units=units)
                ],
                className="link-list region-links",
            ),
            html.Div(
                ui.control(
                    _("Choose a region or city"),
                    ui.select(
                        "region-picker", ui.region_options(lang, units=units), placeholder=_("Choose a region or city")
                    ),
                    html_for="region-picker",
                    wide=True,
                ),
                className="region-picker-wrap",
            ),
        ],
        className="card region-nav",
        id="region-links",
        **{"aria-labelledby": "region-links-heading"},
    )


# ---------------------------------------------------------------- layout


#: The home page's cards by the kind of the election's lead contest, in order — a kind is data (which
#: cards, each drawn from the chart catalogue with the contest as its parameter), not a copied page.
CARDS = {
    "party_list": ("outcome", "estimate", "progress", "headline", "regions", "map", "party_results"),
    "presidential": ("outcome", "estimate", "progress", "headline", "shares", "regions", "map"),
    "referendum": ("outcome", "estimate", "progress", "headline", "shares", "referendum_units", "regions", "map"),
}


def heading(election, lang) -> str:
    """The page's heading: "Mazhilis election results" (2023), by the lead contest's kind otherwise."""
    _ = translator(lang)
    lead = election.lead_contest()
    if lead.kind == "presidential":
        return _("Presidential election results")
    if lead.kind == "referendum":
        return _("Referendum results")
    if lead.kind == "party_list" and lead.body != "mazhilis":
        return _("{body} election results", body=election.body_name(lead.body, lang))
    return _("Mazhilis election results")


def layout(lang=None, mode=None, party=None, results=None, **_kw):
    lang = normalise_language(lang)
    election = data_module.election()
    lead = election.lead_contest()
    state = resolve_state(election, mode, party, results)
    children = [html.H1(heading(election, lang), className="page-title")]
    if lead.kind == "referendum" and lead.question:
        children.append(html.P(lead.question_text(lang), className="page-lead referendum-question"))
    children.append(html.P(election.name(lang), className="page-lead"))
    for card in CARDS.get(lead.kind, CARDS["party_list"]):
        children.extend(CARD_BUILDERS[card](election, lead, lang, state))
    children.append(html.Div(id="mazhilis-url-sink", hidden=True))
    return html.Div(children, id="page-mazhilis")


def last_mazhilis_note(lang):
    """The 2023 page says it was the last Mazhilis: the 2026 Constitution replaced it with the Kurultai."""
    _ = translator(lang)
    return html.P(
        [
            _("This was the last election of the Mazhilis: the Constitution adopted in the referendum of "
              "15 March 2026 replaced the two-chamber Parliament with the one-chamber Kurultai, and the "
              "Mazhilis ceased on 1 July 2026."),
            " ",
            html.A(_("Source"), href=MAZHILIS_ENDED_SOURCE, rel="noopener", target="_blank"),
        ],
        className="card-desc last-mazhilis",
        id="last-mazhilis",
    )


def _outcome_card(election, lead, lang, state):
    # the outcome first: on a phone the party results began ~1,730 px down, under the status cards
    from dashboard.components.history import comparison_line

    line = comparison_line(election, lang)  # how it compares with the previous vote of its kind
    # under the outcome, not above it: the outcome is what a phone's first screen must hold
    note = [last_mazhilis_note(lang)] if was_last_mazhilis(election) else []
    return [outcome_block(election, lang, lead), *([line] if line is not None else []), *note]


def _estimate_card(election, lead, lang, state):
    """While counting: the night's estimate, its words and table, then its chart (from the catalogue, so
    it can be embedded); nothing at final (``components/estimate.py``)."""
    from dashboard.charts import build
    from dashboard.components.estimate import estimate_card

    card = estimate_card(election, lead, lang)
    if not card:
        return []
    chart = build(election, "estimate", lang, contest=lead.key)
    if chart.figure is None:
        return card
    fig = chart.figure.to_plotly_json()
    return [*card, ui.figure_card(fig, "estimate-chart", lang, filename=f"saylau-estimate-{lead.key}",
                                  card_id="estimate-chart-card",
                                  embed=embed.details_for("estimate", lang, fig, contest=lead.key))]


def _progress_card(election, lead, lang, state):
    return [progress_block(election, lang)]


def _headline_card(election, lead, lang, state):
    return [headline(election, lang)]


def _regions_card(election, lead, lang, state):
    return [region_links(lang, for_election(election))]  # the units of its day


def _map_card(election, lead, lang, state):
    map_fig, notes = build_map(election, state, lang)
    return [
        ui.figure_card(
            map_fig,
            "map",
            lang,
            controls=map_controls(election, state, lang),
            notes=notes,
            graph_class="graph map-graph",
            filename="saylau-map",
            embed=embed.details_for("map", lang, map_fig, id="map-embed", **embed.map_params(state)),
        )
    ]


def _shares_card(election, lead, lang, state):
    """The lead contest's options from the catalogue's ``shares`` chart (the one every kind draws)."""
    from dashboard.charts import build

    chart = build(election, "shares", lang, contest=lead.key)
    if chart.figure is None:
        return [ui.notice(chart.message)]
    fig = chart.figure.to_plotly_json()
    notes = []
    if is_partial(compute.summary(election, lead.key)):
        notes.append(ui.notice(translator(lang)(
            "The count is not finished: figures are of the polling stations counted so far.")))
    return [
        ui.figure_card(fig, "party-bar", lang, notes=notes, filename=f"saylau-{lead.key}",
                       embed=embed.details_for("shares", lang, fig, contest=lead.key, unit="kz"))
    ]


def _referendum_units_card(election, lead, lang, state):
    from dashboard.components.referendum import units_card

    return [units_card(election, lead, lang)]


def _party_results_card(election, lead, lang, state):
    _ = translator(lang)
    key = lead.key if lead.kind == "party_list" else compute.MAZHILIS_LIST
    if not compute.has_contest(election, key):
        return [ui.notice(_("The Mazhilis party-list results are not reported."))]
    contest = election.contest(key)
    summary = compute.summary(election, key)
    mazhilis = contest.body == "mazhilis"
    bar = finish(
        party_shares_bar(
            summary,
            election.parties,
            lang,
            contest.threshold_pct,
            title=_("Mazhilis: party-list vote, nationwide") if mazhilis else _(
                "{body}: party-list vote, nationwide", body=literal(election.body_name(contest.body, lang))),
        ),
        election,
        lang,
    )
    if summary.seats_projection:
        bar = mark_projection(bar, lang, title=False)
    bar_notes = []
    if contest.threshold_pct is None:
        bar_notes.append(ui.notice(_("The threshold of this contest is not reported, so seats are not computed.")))
    if is_partial(summary):
        bar_notes.append(
            ui.notice(_("The count is not finished: figures are of the polling stations counted so far."))
        )
        if summary.seats_projection:
            bar_notes.append(projection_notice(lang))
    elif not summary.complete:
        bar_notes.append(
            ui.notice(
                _(
                    "Some figures of this contest are not reported; shares and seats are shown only where they can be computed."
                )
            )
        )
    comp = compute.memo(election, "composition", _composition, contest.body, "kz")
    ngettext = ntranslator(lang)
    total = mazhilis_total_seats(election, contest.body)
    hemi_title = (
        ngettext("The Mazhilis: {n} seat", "The Mazhilis: {n} seats", total or 98) if mazhilis
        else ngettext("{body}: {n} seat", "{body}: {n} seats", total or int(comp["seats"].sum()),
                      body=literal(election.body_name(contest.body, lang)))
    )
    hemi = hemicycle(comp, election.parties, lang, total, title=hemi_title)
    hemi = finish(mark_majority(hemi, total, lang), election, lang)
    if seats_are_projection(election, contest.body, "kz"):
        hemi = mark_projection(hemi, lang)
    return [
        html.Div(
            [
                ui.figure_card(
                    bar,
                    "party-bar",
                    lang,
                    notes=bar_notes,
                    filename=f"saylau-{contest.body}-shares",
                    embed=embed.details_for("shares", lang, bar, contest=key, unit="kz"),
                ),
                ui.figure_card(
                    hemi,
                    "hemicycle",
                    lang,
                    notes=[html.P(seat_key(hemi, lang), className="card-desc", id="hemicycle-key")],
                    filename=f"saylau-{contest.body}-seats",
                    embed=embed.details_for("chamber", lang, hemi, body=contest.body, area="kz"),
                ),
            ],
            className="grid grid-2",
        ),
        html.Section(
            [
                html.H2(_("Results table"), id="results-heading"),
                results_table(summary, election, lang, contest.threshold_pct),
            ],
            className="card",
            **{"aria-labelledby": "results-heading"},
        ),
    ]


CARD_BUILDERS = {
    "outcome": _outcome_card,
    "estimate": _estimate_card,
    "progress": _progress_card,
    "headline": _headline_card,
    "regions": _regions_card,
    "map": _map_card,
    "shares": _shares_card,
    "referendum_units": _referendum_units_card,
    "party_results": _party_results_card,
}


def _composition(election, body, area):
    from dashboard.electoral.composition import assembly_composition

    return assembly_composition(election, body, area)


# ---------------------------------------------------------------- callbacks


def title(lang, **_kw) -> str:
    try:
        return heading(data_module.election(), normalise_language(lang))
    except Exception:  # outside a request (the page registry's own checks)
        return translator(lang)("Mazhilis election results")


def register(app) -> None:
    dash.register_page(
        __name__,
        path_template=election_template(PATH),
        layout=cached_layout("mazhilis", layout, VIEW),
        title=page_title(title),
        name="Mazhilis",
        order=0,
    )

    @app.callback(
        Output("map", "figure"),
        Output("map-notes", "children"),
        Output("map-table", "children"),
        Output("map-wrap", "aria-label"),
        Output("map-party-wrap", "hidden"),
        Output("map-embed", "children"),
        Input("map-mode", "value"),
        Input("map-party", "value"),
        Input("map-results", "value"),
        State("_pages_location", "search"),
        State("page-version", "data"),
        prevent_initial_call=True,
    )
    def recolour(mode, party, results, search, page_version):
        from dashboard.components.shell import lang_of

        use_page_version(page_version)
        lang = lang_of(search)
        election = data_module.election()
        state = resolve_state(election, mode, party, results)
        _values, changes, notes = map_changes(election, state, lang)
        patch = Patch()
        apply_map_patch(patch, changes)
        meta = dict(changes)[("layout", "meta")]
        if election.simulated:
            meta = {**meta, "alt": translator(lang)("SIMULATED — rehearsal data") + ". " + meta["alt"]}
            patch["layout"]["meta"] = meta
        table = ui.alt_table({"layout": {"meta": meta}}, lang)
        return (
            patch,
            notes,
            table.children if table is not None else None,
            meta["alt"],
            state["mode"] != "party",
            embed.details_for(
                "map", lang, {"layout": {"title": {"text": meta_title(changes)}}}, **embed.map_params(state)
            ).children,
        )

    app.clientside_callback(
        """function (mode, party, results) {
            window.saylau.setQuery({mode: mode, party: mode === "party" ? party : null,
                                    results: results === "maslikhat" ? results : null});
            return "";
        }""",
        Output("mazhilis-url-sink", "children"),
        Input("map-mode", "value"),
        Input("map-party", "value"),
        Input("map-results", "value"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input("map", "clickData"),
        Input("region-picker", "value"),
        State("_pages_location", "search"),
        State("_pages_location", "pathname"),
        prevent_initial_call=True,
    )
    def open_region(click, picked, search, pathname=None):
        from dashboard.components.shell import lang_of

        use_page_path(pathname)
        unit = unit_from_click(click) if dash.ctx.triggered_id == "map" else picked
        if not unit:
            return dash.no_update
        return href(f"/region/{unit}", lang_of(search))


def meta_title(changes) -> str:
    return dict(changes).get(("layout", "title", "text"), "")


__all__ = ["layout", "register", "unit_from_click"]
