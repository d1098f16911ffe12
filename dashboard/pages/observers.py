"""For observers: the flags of the served version, turnout increases per interval, station-level
forensics and the audit trail of versions.

URL: ``/observers?lang=…&rule=<rule key>&region=<key>&sort=rule|unit|time``. The flags table is re-rendered
on the server when the filter or sort changes (and the choice written to the query string), so it works
the same with any number of flags and needs no script of its own. A flag never accuses: each row says
what the figures show and what the rule means, innocent causes included.
"""

from __future__ import annotations

import dash
from dash import ClientsideFunction, Input, Output, State, html

from dashboard.charts.view_state import ViewState, page_title, with_language
from dashboard.components import data as data_module
from dashboard.components import ui
from dashboard.components.progress import progress_block, status_word
from dashboard.components.results import finish
from dashboard.components.shell import format_timestamp, href, lang_of
from dashboard.figures.common import contest_label, field_label, time_label
from dashboard.figures.forensics import fingerprint_figure, increments_figure, integer_histogram
from dashboard.figures.text import literal
from dashboard.i18n import format_float, format_number, format_pct, normalise_language, translator
from dashboard.observers import audit, forensics
from dashboard.observers.flags import RULES, flags_of, increments, meaning
from dashboard.pages import cached_layout, election_template, use_page_version
from dashboard.regions import ordered, top_unit, unit_name

PATH = "/observers"
SORTS = ("rule", "unit", "time")
#: Changed cells of the current version shown on the page (all of them are in the CSV).
MAX_DIFF_ROWS = 50


#: The value of "All rules" / "All regions": not "", which a native select shows as its empty
#: placeholder (the filters looked blank).
ALL = "all"


def canonical_state(election, lang=None, rule=None, region=None, sort=None) -> dict:
    """The view's state as the layout resolves it: a known rule, a region key, a sort other than the
    default (anything else is dropped, as the layout ignores it)."""
    state = {}
    if rule in RULES:
        state["rule"] = rule
    if region in {r.key for r in ordered()}:
        state["region"] = region
    if sort in SORTS and sort != SORTS[0]:
        state["sort"] = sort
    return with_language(lang, state)


VIEW = ViewState(canonical_state)


def unit_href(unit: str, lang: str) -> str:
    """Where a flag's unit is shown: its region's page (a station's region), else the national page."""
    region = top_unit(unit)
    return href(f"/region/{region}", lang) if region in {r.key for r in ordered()} else href("/", lang)


def _filtered(flags, rule, region, sort):
    rows = [f for f in flags if (not rule or f.rule == rule) and (not region or top_unit(f.unit) == region)]
    order = list(RULES)
    keys = {
        "unit": lambda f: (f.unit, order.index(f.rule), f.time),
        "time": lambda f: (f.time or "~", order.index(f.rule), f.unit),
    }.get(sort, lambda f: (order.index(f.rule), f.unit, f.time))
    return sorted(rows, key=keys)


def flags_table(election, lang, rule=None, region=None, sort=None):
    _ = translator(lang)
    flags = _filtered(flags_of(election), rule, region, sort)
    if not flags:
        return ui.notice(_("No rule flags anything here."), kind="info", id="flags-none")
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in (
        _("Rule"), _("Unit"), _("Time"), _("What the figures show"), _("What the rule means"))]))
    body = html.Tbody([
        html.Tr([
            html.Td(_(RULES[f.rule].title), className="flag-rule"),
            html.Th(html.A(unit_name(f.unit, lang), href=unit_href(f.unit, lang), className="flag-unit"),
                    scope="row"),
            html.Td(time_label(f.time, lang) if f.time else "—"),
            html.Td(d["finding"]),
            html.Td(d["meaning"], className="flag-meaning"),
        ], **{"data-rule": f.rule, "data-unit": f.unit})
        for f, d in ((f, f.as_dict(lang)) for f in flags)
    ])
    caption = _("Flags shown: {count}", count=format_number(len(flags), lang))
    return html.Div(html.Table([html.Caption(caption), head, body], className="data flags"),
                    className="table-wrap", id="flags-table-wrap")


def _controls(election, lang, rule, region, sort):
    _ = translator(lang)
    present = {f.rule for f in flags_of(election)}
    rules = [{"label": _("All rules"), "value": ALL}] + [
        {"label": _(r.title), "value": k} for k, r in RULES.items() if k in present]
    regions = [{"label": _("All regions"), "value": ALL}] + [
        {"label": r.name(lang), "value": r.key} for r in ordered(lang)]
    sorts = [{"label": _("Rule"), "value": "rule"}, {"label": _("Unit"), "value": "unit"},
             {"label": _("Time"), "value": "time"}]
    return html.Div([
        ui.control(_("Rule"), ui.select("flags-rule", rules, rule or ALL), html_for="flags-rule"),
        ui.control(_("Region"), ui.select("flags-region", regions, region or ALL), html_for="flags-region"),
        ui.control(_("Sort by"), ui.select("flags-sort", sorts, sort if sort in SORTS else "rule"),
                   html_for="flags-sort"),
    ], className="controls")


def rules_details(election, lang):
    """Every rule in words, its options named for the election's lead contest (the contest the station
    rules judge; a flag's own row names those of its contest)."""
    _ = translator(lang)
    kind = election.lead_contest().kind
    return html.Details([
        html.Summary(_("How each rule works")),
        html.Dl([part for k, r in RULES.items() for part in (html.Dt(_(r.title)), html.Dd(meaning(k, kind, lang)))]),
    ], className="alt", id="flags-rules")


def increments_card(election, lang):
    _ = translator(lang)
    inc = increments(election)
    if not len(inc):
        return ui.notice(_("The turnout data has fewer than two interim reports per unit, so there are no "
                           "intervals to compare."), id="increments-none")
    flagged = {(f.time, f.unit) for f in flags_of(election) if f.rule == "interval_outlier"}
    fig = finish(increments_figure(inc, flagged, lang), election, lang)
    return ui.figure_card(fig, "observers-increments", lang, filename="saylau-turnout-increments", notes=[
        html.P(_("Percentage points added between two reports; black bar: the median region"), className="card-desc"),
        html.P(_("Each dot is one region's rise in turnout between two reports; a rise far from the others' is "
                 "flagged (robust z-score above 3.5 or below −3.5)."), className="card-desc")])


def forensics_cards(election, lang):
    _ = translator(lang)
    stations = forensics.station_table(election)
    if not len(stations):
        return [ui.notice(_("This data has no polling-station rows, so the station-level forensics cannot be "
                            "drawn: the commission published totals for the country and the regions only."),
                          id="forensics-none")]
    leader_key, kind = stations.attrs["leader"], stations.attrs.get("kind")
    # a candidate's or an answer's name too ("alpha", "yes" were shown as keys)
    leader = election.option(leader_key).short_name(lang) if leader_key in election.option_keys else leader_key
    fp = finish(fingerprint_figure(stations, leader, lang, kind=kind), election, lang)
    turnout = finish(integer_histogram(stations["turnout_pct"], lang, _("Turnout at polling stations"),
                                       _("Turnout")), election, lang)
    share = finish(integer_histogram(stations["leader_pct"], lang,
                                     forensics.leader_text(kind, "share_at", lang, literal(leader)),
                                     forensics.leader_text(kind, "share_of", lang, literal(leader))), election, lang)
    leader_share = forensics.words(kind)["leader_share"]  # a message id (not extracted here)
    leader_share = _(leader_share)
    bins = html.P(_("0.1-point bins; orange: whole percentages"), className="card-desc")
    return [
        ui.figure_card(fp, "observers-fingerprint", lang, filename="saylau-fingerprint", notes=[html.P(
            _("Polling stations by turnout and {leader_share}, in 1-point cells", leader_share=leader_share),
            className="card-desc"),
            html.P(_("Klimek, Yegorov, Hanel and Thurner (PNAS, 2012) showed that clean elections give one compact "
              "cluster here, while ballot stuffing smears stations towards the corner where turnout and the "
              "winner's share both approach 100 %. A smear is a reason to look closer, not proof: closed "
              "institutions and very small stations can sit there too."), className="card-desc")]),
        html.Div([
            ui.figure_card(turnout, "observers-turnout-hist", lang, filename="saylau-turnout-integers", notes=bins),
            ui.figure_card(share, "observers-share-hist", lang, filename="saylau-share-integers", notes=bins),
        ], className="grid grid-2"),
        html.P(_("Kobak, Shpilkin and Pshenichnikov (Annals of Applied Statistics, 2016) found that figures "
                 "written into protocols by hand pile up on whole percentages, which counted figures do not. "
                 "Small stations produce some round fractions by chance (1 of 2 is 50 %), so compare the "
                 "orange bars with their neighbours."), className="card-desc", id="forensics-kobak"),
    ]


def audit_trail(lang):
    _ = translator(lang)
    source = data_module.source()
    if source.demo:
        return ui.notice(_("The simulated demo is served from memory: it has no versions to list."),
                         kind="info", id="audit-none")
    election_id = data_module.election_id()
    store = source.store(election_id)
    rows = audit.versions(store)
    versions = data_module.versions_path(election_id)
    links = html.P([
        html.A(_("All versions (JSON)"), href=versions), " · ",
        html.A(_("Atom feed of new versions"), href=data_module.feed_path(election_id)),
    ], className="card-desc")
    if not [r for r in rows if r["version"]]:  # version 0 alone
        return html.Div([ui.notice(_("Nothing has been ingested: the embedded 2023 data is served as version 0."),
                                   kind="info", id="audit-none"), links])
    # version 0's file says it is the built-in package
    kinds = {"package": _("package"), "update": _("update"), "rollback": _("rollback"), "embedded": "—"}
    head = html.Thead(html.Tr([html.Th(c, scope="col") for c in (
        _("Version"), _("Time"), _("File"), "sha256", _("Kind"), _("Changes"))]))
    body = html.Tbody([
        html.Tr([
            html.Th(str(r["version"]) + (" ✓" if r["current"] else ""), scope="row"),
            # written as the footer's "Last update" is (not 2026-12-02T01:30:43Z); the instant kept for machines
            html.Td(html.Time(format_timestamp(r["time"], lang), dateTime=r["time"]) if r.get("time") else "—"),
            html.Td(r.get("file") or "—", className="audit-file"),
            html.Td(html.Code((r.get("sha256") or "—")[:16], title=r.get("sha256") or ""), className="audit-sha"),
            html.Td(kinds.get(r.get("kind"), r.get("kind") or "—")),
            html.Td([html.A("CSV", href=f"{versions}/{r['version']}/diff?format=csv", download=""), " · ",
                     html.A("JSON", href=f"{versions}/{r['version']}/diff")]),
        ]) for r in reversed(rows)
    ])
    table = html.Div(html.Table([head, body], className="data audit"), className="table-wrap", id="audit-table")
    return html.Div([table, links, current_diff(store, rows[-1], lang)])


def current_diff(store, record, lang):
    _ = translator(lang)
    try:
        result = audit.diff_version(store, record["version"])
    except Exception:  # a damaged version must not take the page down; the API says why
        return ui.notice(_("The changes of this version could not be read."))
    if not result["comparable"]:
        if record["previous"] is None:  # the first version of an election without a built-in package
            text = _("Version {version} is the first version of this election: there is nothing to compare it "
                     "with.", version=record["version"])
        else:
            text = _("Version {version} is a different election from version {previous}: its figures are "
                     "not compared.", version=record["version"], previous=record["previous"])
        return html.P(text, className="card-desc", id="audit-diff")
    changes = result["changes"]
    if not changes:
        return html.P(_("Version {version} changes no figure of version {previous}.", version=record["version"],
                        previous=record["previous"]), className="card-desc", id="audit-diff")
    tables = {"results": _("Results"), "turnout": _("Turnout"), "contests": _("Status"),
              "districts": _("Winner"), "stations": _("Polling stations")}
    election = data_module.election()
    rows = [[tables.get(c["table"], c["table"]), unit_name(c["unit"], lang) if c["unit"] else "—",
             _change_key(c, election, lang), field_label(c["field"], election, lang),
             _change_value(c, c["before"], election, lang), _change_value(c, c["after"], election, lang),
             _change_delta(c, lang)] for c in changes[:MAX_DIFF_ROWS]]
    caption = _("Changed figures of version {version} against version {previous}: {count} (the CSV has all)",
                version=record["version"], previous=record["previous"], count=format_number(len(changes), lang))
    return ui.data_table([_("Table"), _("Unit"), _("Contest or time"), _("Figure"), _("Before"), _("After"),
                          _("Change")], rows, caption=caption, numeric={4, 5, 6}, id="audit-diff")


def _change_key(change, election, lang) -> str:
    """The contest (as words) or the report time of a changed cell: not ``mazhilis_party_list`` or
    ``2023-03-19T10:10:00+06:00``."""
    key = change["key"]
    if not key:
        return "—"
    if change["table"] == "turnout":
        return time_label(key, lang)
    return contest_label(key, election, lang)


def _change_value(change, value, election, lang) -> str:
    """A figure before or after, written as the rest of the page writes it (``15 121``, ``54,21 %``)."""
    if value is None:
        return "—"
    if change["field"] == "status":
        return status_word(str(value), lang)
    if change["field"] == "party":
        return field_label(str(value), election, lang)
    if change["field"] == "turnout_pct":
        return format_pct(value, lang)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return format_number(value, lang) if float(value).is_integer() else format_float(value, lang)


def _change_delta(change, lang) -> str:
    delta = change["delta"]
    if delta is None:
        return ""
    if change["field"] == "turnout_pct" or not float(delta).is_integer():
        return format_float(delta, lang, signed=True)
    sign = "+" if delta > 0 else "−" if delta < 0 else ""
    return sign + format_number(abs(int(delta)), lang)


def layout(lang=None, rule=None, region=None, sort=None, **_kw):
    lang = normalise_language(lang)
    _ = translator(lang)
    election = data_module.election()
    n = len(flags_of(election))
    return html.Div([
        html.H1(_("For observers"), className="page-title"),
        html.P(_("Facts and flags about the published figures. A flag says what the figures show and what the "
                 "rule means; it is not an accusation, and many flags have innocent causes."), className="page-lead"),
        progress_block(election, lang),  # flags of a partial count are flags of part of the count
        ui.stats([ui.stat(_("Flags in this version"), format_number(n, lang), lang, id="flags-count")]),
        html.Section([
            html.H2(_("Flags"), className="card-title"),
            _controls(election, lang, rule, region, sort),
            html.Div(flags_table(election, lang, rule, region, sort), id="flags-table"),
            rules_details(election, lang),
            html.P(html.A(_("The same list as JSON"), href=f"/api/v1/flags?lang={lang}"), className="card-desc"),
        ], className="card", id="flags-card"),
        html.H2(_("Turnout through the day"), className="section-title"),
        increments_card(election, lang),
        html.H2(_("Station-level forensics"), className="section-title"),
        *forensics_cards(election, lang),
        html.Section([html.H2(_("Audit trail"), className="card-title"), audit_trail(lang)],
                     className="card", id="audit-card"),
        html.Div(id="observers-url-sink", hidden=True),
    ], id="page-observers")


def register(app) -> None:
    dash.register_page(
        __name__,
        path_template=election_template(PATH),
        layout=cached_layout("observers", layout, VIEW),
        title=page_title(lambda lang, **_kw: translator(lang)("For observers")),
        name="Observers",
        order=5,
    )

    @app.callback(
        Output("flags-table", "children"),
        Input("flags-rule", "value"),
        Input("flags-region", "value"),
        Input("flags-sort", "value"),
        State("_pages_location", "search"),
        State("page-version", "data"),
        prevent_initial_call=True,
    )
    def refilter(rule, region, sort, search, page_version):
        use_page_version(page_version)
        return flags_table(data_module.election(), lang_of(search), None if rule == ALL else rule or None,
                           None if region == ALL else region or None, sort)

    app.clientside_callback(
        ClientsideFunction(namespace="observers", function_name="setQuery"),
        Output("observers-url-sink", "children"),
        Input("flags-rule", "value"),
        Input("flags-region", "value"),
        Input("flags-sort", "value"),
        prevent_initial_call=True,
    )
