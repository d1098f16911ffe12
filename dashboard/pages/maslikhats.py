"""The 20 regional maslikhats: an overview of all their seats by party, a map and a list to pick one,
and the chosen one's composition (party-list and single-mandate seats) and party-list results against
its threshold.

URL: ``/maslikhats?lang=…&region=<unit>``.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from dashboard.boundaries import for_election
from dashboard.charts.chamber import assembly_size, default_region
from dashboard.charts.map import unit_from_click
from dashboard.charts.maslikhats import figure as _overview
from dashboard.charts.view_state import ViewState, page_title, with_language
from dashboard.components import compute, ui
from dashboard.components import data as data_module
from dashboard.components import embeds as embed
from dashboard.components.progress import mark_projection, progress_block, seats_are_projection
from dashboard.components.results import finish, party_vote_cards
from dashboard.components.shell import home_link_text, href, lang_of
from dashboard.electoral.composition import assembly_composition
from dashboard.figures.hemicycle import hemicycle, seat_key
from dashboard.figures.maps import apply_map_patch, choropleth_map, map_patch_values
from dashboard.figures.text import literal
from dashboard.i18n import format_number, normalise_language, ntranslator, translator
from dashboard.pages import cached_layout, election_template, use_page_path
from dashboard.regions import ordered as ordered_regions
from dashboard.regions import region_keys, unit_name

PATH = "/maslikhats"


def canonical_state(election, lang=None, region=None) -> dict:
    """The view's state: the language and the region when the URL names a valid one. A named region stays
    even when it is the default one: the tab title names the region only when the URL does."""
    state = {"region": region} if isinstance(region, str) and region in region_keys() else {}
    return with_language(lang, state)


VIEW = ViewState(canonical_state)


def overview_figure(election, lang):
    return _overview(election, lang, {})


def map_figure(election, lang):
    values = compute.map_values(election, "leading", "maslikhat")
    _ = translator(lang)
    fig = choropleth_map(
        {}, mode="turnout", geojson_url=ui.geojson_url(election), parties=election.parties, lang=lang,
        units=for_election(election),
    )
    changes = map_patch_values(
        values,
        mode="leading",
        parties=election.parties,
        lang=lang,
        title=_("Leading party in each maslikhat's party-list vote"),
        incomplete=compute.map_incomplete(election, "leading", "maslikhat"),
        units=for_election(election),
    )
    import plotly.graph_objects as go

    return finish(go.Figure(apply_map_patch(fig.to_plotly_json(), changes)), election, lang), values


def detail(election, region, lang):
    _ = translator(lang)
    name = unit_name(region, lang)
    out = [html.H2(_("Maslikhat of {unit}", unit=name), id="maslikhat-title", className="page-title")]
    key = compute.maslikhat_contest(region)
    out.append(progress_block(election, lang, contest=key if compute.has_contest(election, key) else None,
                              unit=region))
    size = assembly_size(election, region)
    comp = compute.memo(election, "composition", assembly_composition, "maslikhat", region)
    known = int(comp["seats"].sum()) if len(comp) else 0
    if size is None and not known:
        out.append(ui.notice(_("The size and composition of this maslikhat are not reported.")))
    else:
        ngettext = ntranslator(lang)
        if size is not None:
            desc = ngettext(
                "{n} seat; party affiliation reported for {known}.",
                "{n} seats; party affiliation reported for {known}.",
                size,
                known=format_number(known, lang),
            )
        else:
            desc = ngettext(
                "Size of the assembly not reported; {n} seat is known.",
                "Size of the assembly not reported; {n} seats are known.",
                known,
            )
        hemi = finish(
            hemicycle(
                comp,
                election.parties,
                lang,
                size if size is not None and size >= known else None,
                title=_("Composition of the maslikhat of {unit}", unit=literal(name)),
            ),
            election,
            lang,
        )
        if seats_are_projection(election, "maslikhat", region):
            hemi = mark_projection(hemi, lang)
        out.append(
            ui.figure_card(
                hemi,
                "maslikhat-hemicycle",
                lang,
                notes=[
                    html.P(desc, className="card-desc"),
                    html.P(seat_key(hemi, lang), className="card-desc", id="maslikhat-hemicycle-key"),
                ],
                filename=f"saylau-maslikhat-{region}",
                embed=embed.details_for("chamber", lang, hemi, body="maslikhat", area=region),
            )
        )

    key = compute.maslikhat_contest(region)
    if not compute.has_contest(election, key):
        out.append(ui.notice(_("The party-list vote for this maslikhat is not reported.")))
        return out
    contest = election.contest(key)
    summary = compute.summary(election, key, region)
    if not any(p.votes is not None for p in summary.parties):
        out.append(
            ui.notice(
                _("The party-list results of this maslikhat are not reported."), id="maslikhat-not-reported"
            )
        )
        return out
    notes = []
    if not summary.seats_computed:
        if contest.seats is None:
            notes.append(
                ui.notice(_("The number of party-list seats is not reported, so seats are not computed."))
            )
        elif not summary.complete:
            notes.append(
                ui.notice(
                    _(
                        "Some parties' votes (or the “against all” count) are not reported, so the seats are not "
                        "computed from these results."
                    )
                )
            )
    title = _("Party-list vote for the maslikhat of {unit}", unit=literal(name))  # plotly text
    out.extend(
        party_vote_cards(
            election,
            summary,
            contest,
            lang,
            title=title,
            notes=notes,
            graph_id="maslikhat-bar",
            filename=f"saylau-maslikhat-{region}-vote",
            embed=lambda bar: embed.details_for("shares", lang, bar, contest=key, unit=region),
            heading=html.H3,
        )
    )
    return out


def votes_reported_note(election, lang):
    """How many maslikhats have party-list votes reported, and how many of them completely — the one
    count (``compute.maslikhat_units_with_votes``) for this page and the home page's maslikhat map; None
    when every region's is reported and complete."""
    _ = translator(lang)
    with_votes, complete = compute.maslikhat_units_with_votes(election)
    total = len(region_keys())
    if len(complete) == total:
        return None
    if len(with_votes) < total:
        text = _(
            "Party-list results are reported for the maslikhats of {n} of {total} regions and cities; grey means “not reported”.",
            n=len(with_votes),
            total=total,
        )
    else:  # every maslikhat has votes (mid-count): no grey on the map to explain
        text = _("Party-list results are reported for the maslikhats of {n} of {total} regions and cities.",
                 n=len(with_votes), total=total)
    text = f"{text} {_('Complete: {m} of {n}.', m=len(complete), n=len(with_votes))}"
    if compute.map_incomplete(election, "leading", "maslikhat"):
        text += " " + _("Sand: part of the vote is reported, but not every figure this map needs.")
    return ui.notice(text)


def picker(election, region, lang):
    _ = translator(lang)
    with_votes, _complete = compute.maslikhat_units_with_votes(election)
    items = []
    for r in ordered_regions(lang):
        has = r.key in with_votes
        label = r.name(lang) + ("" if has else " ·")
        items.append(
            html.Li(
                html.A(
                    label,
                    href=href(PATH, lang, region=r.key),
                    className="active" if r.key == region else None,
                    title=None if has else _("party-list results not reported"),
                    **{"data-spa": "1", **({"aria-current": "true"} if r.key == region else {})},
                )
            )
        )
    return html.Nav(
        [
            html.H2(_("Choose a maslikhat"), id="picker-heading"),
            # the key of the dot, only when some maslikhat has it
            *([html.P(_("· party-list results not reported"), className="card-desc", id="picker-key")]
              if len(with_votes) < len(items) else []),
            html.Ul(items, className="link-list"),
        ],
        className="card",
        **{"aria-labelledby": "picker-heading"},
    )


def shown_note(region, chosen: bool, lang):
    """Near the top: which maslikhat is shown and, when the URL chose none, why this one; and a link to the
    picker, which on a 390 px phone comes after the whole maslikhat (~1,900 px down). The page opened
    on Karaganda without a word."""
    _ = translator(lang)
    jump = html.A(_("Choose another maslikhat") + " \u2193", href="#picker-heading", id="maslikhat-jump")
    if chosen:
        return html.P(jump, className="card-desc", id="maslikhat-shown")
    why = _(
        "Shown first: the maslikhat of {unit}, the first region in the Central Election Commission's order "
        "with party-list results reported.",
        unit=unit_name(region, lang),
    )
    return html.P([why, " ", jump], className="card-desc", id="maslikhat-shown")


def layout(lang=None, region=None, **_kw):
    lang = normalise_language(lang)
    _ = translator(lang)
    election = data_module.election()
    if not any(c.body == "maslikhat" for c in election.contests):
        return no_maslikhats(election, lang)
    chosen = region in region_keys()
    region = region if chosen else default_region(election)
    map_fig, values = map_figure(election, lang)
    overview = overview_figure(election, lang)
    map_notes = [
        votes_reported_note(election, lang),
        html.P(_("Select a region or city on the map to show its maslikhat."), className="card-desc"),
    ]
    return html.Div(
        [
            html.H1(_("Regional maslikhats"), className="page-title"),
            html.P(
                _(
                    "Elected on the same day as the Mazhilis: half of each assembly by party list, half in single-mandate districts."
                ),
                className="page-lead",
            ),
            shown_note(region, chosen, lang),
            html.Div(
                [
                    html.Div(detail(election, region, lang), id="maslikhat-detail"),
                    html.Div(
                        [
                            picker(election, region, lang),
                            ui.figure_card(
                                map_fig,
                                "maslikhat-map",
                                lang,
                                notes=[m for m in map_notes if m is not None],
                                graph_class="graph map-graph",
                                filename="saylau-maslikhats-map",
                                embed=embed.details_for(
                                    "map", lang, map_fig, mode="leading", results="maslikhat"
                                ),
                            ),
                        ]
                    ),
                ],
                className="grid grid-3-2",
            ),
            ui.figure_card(
                overview,
                "maslikhat-overview",
                lang,
                filename="saylau-maslikhats",
                embed=embed.details_for("maslikhats", lang, overview),
            ),
        ],
        id="page-maslikhats",
        **{"data-region": region},
    )


def title(lang, region=None, **_kw) -> str:
    _ = translator(lang)
    if region in region_keys():
        return _("Maslikhat of {unit}", unit=unit_name(region, lang))
    return _("Regional maslikhats")


def no_maslikhats(election, lang: str):
    """The page of an election that elected no maslikhat (a president, a referendum, a Kurultai alone):
    it says so and leads home, rather than a map of twenty greys "not reported"."""
    _ = translator(lang)
    return html.Div(
        [
            html.H1(_("Regional maslikhats"), className="page-title"),
            html.P(_("No maslikhat was elected in this vote."), id="no-maslikhats"),
            html.A(home_link_text(election, lang), href=href("/", lang), **{"data-spa": "1"}),
        ],
        id="page-maslikhats",
    )


def register(app) -> None:
    dash.register_page(
        __name__,
        path_template=election_template(PATH),
        layout=cached_layout("maslikhats", layout, VIEW),
        title=page_title(title),
        name="Maslikhats",
        order=3,
    )

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input("maslikhat-map", "clickData"),
        State("_pages_location", "search"),
        State("_pages_location", "pathname"),
        prevent_initial_call=True,
    )
    def pick_on_map(click, search, pathname=None):
        use_page_path(pathname)
        unit = unit_from_click(click)
        return href(PATH, lang_of(search), region=unit) if unit else dash.no_update
