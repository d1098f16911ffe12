"""One region or city: turnout and results of the chosen contest there, its turnout through the day
against the national line, and its Mazhilis single-mandate districts.

URL: ``/region/<unit>?lang=…&contest=mazhilis_party_list|maslikhat_<unit>_party_list``.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, html

from dashboard.boundaries import day_names, for_election, unit_keys
from dashboard.boundaries import unit_name as day_name
from dashboard.charts.view_state import ViewState, page_title, with_language
from dashboard.components import compute, ui
from dashboard.components import data as data_module
from dashboard.components import embeds as embed
from dashboard.components.progress import is_partial, progress_block
from dashboard.components.results import finish, party_vote_cards
from dashboard.components.shell import home_link_text, href, inner_path, lang_of
from dashboard.electoral.turnout import turnout_table
from dashboard.figures.common import time_label
from dashboard.figures.text import literal, plain
from dashboard.figures.turnout import turnout_lines
from dashboard.i18n import format_number, format_pct, normalise_language, ntranslator, translator
from dashboard.model import INDEPENDENT
from dashboard.pages import cached_layout, election_template, use_page_path
from dashboard.regions import NATIONAL, is_region, unit_name

PATH_TEMPLATE = "/region/<unit>"


def contest_choices(election, unit: str, lang: str) -> list[tuple[str, str]]:
    """The unit's party-list contests, those with results reported for it first: the page opens on the
    best available result (for 2023 the maslikhat vote of Astana, Almaty, Karaganda…, whose Mazhilis
    party-list results were published only for the whole country)."""
    _ = translator(lang)
    out = []
    lead = compute.lead_key(election)
    if lead != compute.MAZHILIS_LIST and compute.has_contest(election, lead):
        out.append((lead, lead_label(election, election.contest(lead), lang)))
    if compute.has_contest(election, compute.MAZHILIS_LIST):
        out.append((compute.MAZHILIS_LIST, _("Mazhilis, party list")))
    key = compute.maslikhat_contest(unit)
    if compute.has_contest(election, key):
        out.append((key, _("Regional maslikhat, party list")))
    return sorted(out, key=lambda choice: not has_results(election, choice[0], unit))


def lead_label(election, contest, lang: str) -> str:
    """The name of the election's own contest in the region page's "Results of" links."""
    _ = translator(lang)
    if contest.kind == "presidential":
        return _("Presidential election")
    if contest.kind == "referendum":
        return _("Referendum")
    return _("{body}, party list", body=election.body_name(contest.body, lang))


def option_section(election, unit, contest, lang):
    """A president's candidates or a referendum's answers in one region, from the catalogue's ``shares``
    chart (the one every kind draws), and for a referendum whether most here voted yes."""
    from dashboard.charts import build
    from dashboard.components.kinds import yes_majorities

    _ = translator(lang)
    chart = build(election, "shares", lang, contest=contest.key, unit=unit)
    if chart.figure is None:
        return [html.Section([ui.notice(chart.message, id="results-not-reported")], className="card")]
    fig = chart.figure.to_plotly_json()
    notes = []
    if contest.kind == "referendum":
        row = next(r for r in yes_majorities(election, contest.key) if r["unit"] == unit)
        said = {True: _("Most of those who took part here voted yes."),
                False: _("Not more than half of those who took part here voted yes."),
                None: None}[row["yes_majority"]]
        if said:
            notes.append(html.P(said, className="card-desc", id="region-yes-majority"))
    return [ui.figure_card(fig, "region-party-bar", lang, notes=notes, filename=f"saylau-{unit}-shares",
                           embed=embed.details_for("shares", lang, fig, contest=contest.key, unit=unit))]


def has_results(election, contest_key: str, unit: str) -> bool:
    """Whether any party's votes in the contest are reported for the unit (the one definition, in compute)."""
    return compute.has_party_votes(election, contest_key, unit)


def canonical_state(election, unit=None, lang=None, contest=None) -> dict | None:
    """The view's state as the layout resolves it: the unit, the language and the contest unless it is the
    unit's first; None (not cached) for an unknown unit, whose page only says so."""
    if not isinstance(unit, str) or not is_region(unit):
        return None
    keys = compute.memo(election, "region-contest-keys", _contest_keys, unit)
    state = {"unit": unit}
    if contest in keys and contest != keys[0]:
        state["contest"] = contest
    return with_language(lang, state)


def _contest_keys(election, unit: str) -> tuple[str, ...]:
    return tuple(k for k, _label in contest_choices(election, unit, "en"))


VIEW = ViewState(canonical_state)


def results_section(election, unit, contest_key, lang):
    _ = translator(lang)
    name = day_name(election, unit, lang)
    contest = election.contest(contest_key)
    if contest.kind in ("presidential", "referendum"):
        return option_section(election, unit, contest, lang)
    from dashboard.charts.shares import title as shares_title

    summary = compute.summary(election, contest_key, unit)
    # the chart's title (plotly text; its headings show it plain), by body: Mazhilis, Kurultai, maslikhat
    title = shares_title(election, lang, {"contest": contest_key, "unit": unit})
    out = []
    if not has_results(election, contest_key, unit):
        if contest.body == "mazhilis":
            msg = _(
                "The Mazhilis party-list results are not reported for {unit}: the commission published them "
                "only for the whole country.",
                unit=name,
            )
        elif contest.body == "maslikhat":
            msg = _("The party-list results of this maslikhat are not reported.")
        else:
            msg = _("The party-list results are not reported for {unit}.", unit=name)
        out.append(
            html.Section([html.H2(plain(title)), ui.notice(msg, id="results-not-reported")], className="card")
        )
        return out
    notes = []
    if summary.votes_counted is None:  # a party's votes or the against-all count missing; a partial count
        notes.append(  # alone is said by the progress line at the top of the page
            ui.notice(
                _(
                    "Some figures of this contest are not reported (for example a party's votes or the "
                    "“against all” count), so shares or seats that depend on them are not computed."
                )
            )
        )
    if contest.area != unit and contest.kind == "party_list":
        notes.append(html.P(threshold_note(contest, lang), className="card-desc", id="region-threshold-note"))
    out.extend(
        party_vote_cards(
            election,
            summary,
            contest,
            lang,
            title=title,
            notes=notes,
            graph_id="region-party-bar",
            filename=f"saylau-{unit}-shares",
            embed=lambda bar: embed.details_for("shares", lang, bar, contest=contest_key, unit=unit),
        )
    )
    return out


def threshold_note(contest, lang: str) -> str:
    """That a national list's threshold and seats are not decided in a region: "The 5 % threshold…" with
    the contest's own threshold, or the seats alone where the threshold is not reported (the Kurultai's)."""
    _ = translator(lang)
    if contest.threshold_pct is None:
        return _("The seats are decided on the national vote, not in each region.")
    digits = 0 if float(contest.threshold_pct).is_integer() else 1
    return _("The {threshold} threshold and the seats are decided on the national vote, not in each region.",
             threshold=format_pct(contest.threshold_pct, lang, digits))


def _district_rows(election, d, lang) -> list[list[str]]:
    _ = translator(lang)
    nr = _("not reported")
    rows = []
    for r in d.to_dict("records"):
        party = r.get("party")
        party = None if party is None or party != party else str(party)
        winner = r.get("winner")
        winner = None if winner is None or winner != winner else str(winner)
        if party == INDEPENDENT:
            pname = _("Self-nominated")
        elif party and party in election.party_keys:
            pname = election.party(party).short_name(lang)
        else:
            pname = party or nr
        rows.append([str(r["district"]), winner or nr, pname])
    return rows


def _names_note(lang: str):
    """The 2023 sources give the winners' names in Latin script only (English-language pages): they are
    shown as given, never transliterated by guess, and a Kazakh or Russian page says so."""
    _ = translator(lang)
    return html.P(
        _("Names as written in the sources, in Latin script: the sources give no Kazakh or Russian form."),
        className="card-desc",
        id="districts-names-note",
    )


def _districts_card(election, d, lang, *, heading: str, key: str, empty: str):
    """One card of single-mandate districts (``d``: their rows of districts.csv) or a notice that none are
    reported."""
    _ = translator(lang)
    ngettext = ntranslator(lang)
    heading_el = html.H2(heading, id=f"{key}-heading")
    if not len(d):
        return html.Section(
            [heading_el, ui.notice(empty, id=f"{key}-not-reported")],
            className="card",
            id=key,
            **{"aria-labelledby": f"{key}-heading"},
        )
    rows = _district_rows(election, d, lang)
    nr = _("not reported")
    known = sum(1 for r in rows if r[1] != nr)
    return html.Section(
        [
            heading_el,
            html.P(
                ngettext(
                    "{n} district; the winner is reported for {known}.",
                    "{n} districts; the winner is reported for {known}.",
                    len(rows),
                    known=known,
                ),
                className="card-desc",
            ),
            ui.data_table([_("District"), _("Winner"), _("Party")], rows, id=f"{key}-table"),
            *([_names_note(lang)] if known and lang != "en" else []),
        ],
        className="card",
        id=key,
        **{"aria-labelledby": f"{key}-heading"},
    )


def districts_section(election, unit, lang):
    """The unit's Mazhilis single-mandate districts."""
    _ = translator(lang)
    d = election.districts
    if not len(d):
        return _districts_card(
            election,
            d,
            lang,
            heading=_("Mazhilis single-mandate districts"),
            key="districts",
            empty=_("Single-mandate districts are not reported."),
        )
    return _districts_card(
        election,
        d[(d["contest"] == compute.MAZHILIS_SMD) & (d["unit"] == unit)],
        lang,
        heading=_("Mazhilis single-mandate districts"),
        key="districts",
        empty=_("No single-mandate district is reported in {unit}.", unit=day_name(election, unit, lang)),
    )


def maslikhat_districts_section(election, unit, lang):
    """The single-mandate districts of the unit's own maslikhat (2023: none in the files)."""
    _ = translator(lang)
    d = election.districts
    key = compute.maslikhat_contest(unit, "single_mandate")
    rows = d[d["contest"] == key] if len(d) else d
    return _districts_card(
        election,
        rows,
        lang,
        heading=_("Single-mandate districts of the maslikhat of {unit}", unit=day_name(election, unit, lang)),
        key="maslikhat-districts",
        empty=_("The maslikhat's single-mandate districts are not reported."),
    )


def headline_stats(items: list[tuple[str, str | None, str | None]], lang: str, name: str) -> list:
    """The reported headline figures as tiles, and what is not reported said once, in one sentence —
    not a row of "not reported" tiles on top of the page."""
    _ = translator(lang)
    shown = [
        ui.stat(label, value, lang, note, id=sid) for label, value, note, sid in items if value is not None
    ]
    absent = [label.lower() for label, value, _n, _i in items if value is None]
    out = [ui.stats(shown)] if shown else []
    if absent:
        out.append(
            html.P(
                _("Not reported for {unit}: {figures}.", unit=name, figures=", ".join(absent)),
                className="card-desc",
                id="region-not-reported",
            )
        )
    return out


def _not_of_the_day(election, unit: str, lang: str):
    """A region formed after the election (Abai in 2019): it was counted as part of another unit that day."""
    _ = translator(lang)
    bset = for_election(election)
    part = bset.unit_of(unit)
    return html.Div(
        [
            html.H1(unit_name(unit, lang), className="page-title"),
            html.P(_("On the day of this vote {unit} was part of {part}. The results were counted in the units "
                     "of that day: {units}.",
                     unit=unit_name(unit, lang), part=bset.unit_name(part, lang), units=bset.names[lang])),
            html.A(bset.unit_name(part, lang), href=href(f"/region/{part}", lang), **{"data-spa": "1"}),
        ],
        id="page-region",
    )


def layout(unit=None, lang=None, contest=None, **_kw):
    lang = normalise_language(lang)
    _ = translator(lang)
    election = data_module.election()
    if not unit or not is_region(unit):
        return html.Div(
            [
                html.H1(_("Region not found"), className="page-title"),
                html.P(_("There is no region or city “{unit}”.", unit=str(unit))),
                html.A(home_link_text(election, lang), href=href("/", lang), **{"data-spa": "1"}),
            ],
            id="page-region",
        )
    if unit not in unit_keys(election):
        return _not_of_the_day(election, unit, lang)
    name = day_name(election, unit, lang)
    choices = contest_choices(election, unit, lang)
    keys = [k for k, _label in choices]
    contest_key = contest if contest in keys else (keys[0] if keys else None)

    pct_time, values = compute.latest_region_turnout(election)
    pct = values.get(unit)
    summary = compute.summary(election, contest_key, unit) if contest_key else None
    # while counting, the contest's own figures are sums over the stations counted so far: said on each
    # tile, or 574,126 registered beside a 23.76 % turnout report reads as a 44 % turnout
    so_far = _("in the stations counted so far") if summary and is_partial(summary) else None
    stat_items = [
        (
            # the commission's turnout report, not the contest's took_part / registered (Astana: 42.91 %
            # at 22:10 vs 42.17 % in its maslikhat vote): named so, the two never read as one fact
            _("Turnout report"),
            format_pct(pct, lang) if pct is not None and pct == pct else None,
            # "as of final" read «на итог»: the final figure is named, as on the home page
            (_("final figure") if pct_time == "final" else _("as of {time}", time=time_label(pct_time, lang)))
            if pct_time else None,
            "stat-turnout",
        ),
        (
            _("Registered voters"),
            format_number(summary.registered, lang) if summary and summary.registered is not None else None,
            so_far,
            "stat-registered",
        ),
        (
            _("Took part"),
            format_number(summary.took_part, lang) if summary and summary.took_part is not None else None,
            so_far,
            "stat-took-part",
        ),
        *([] if summary and summary.kind in ("presidential", "referendum") else [(
            _("Votes for parties and against all"),
            format_number(summary.votes_counted, lang)
            if summary and summary.votes_counted is not None
            else None,
            so_far,
            "stat-votes",
        )]),
    ]

    children = [
        html.P(
            html.A(["← ", _("All of Kazakhstan")], href=href("/", lang), **{"data-spa": "1"}),
            className="breadcrumb",
        ),
        html.H1(name, className="page-title", id="region-title"),
        progress_block(election, lang, contest=contest_key, unit=unit),
        html.Div(
            ui.control(
                _("Another region or city"),
                ui.select("region-switch", ui.region_options(lang, units=for_election(election)), unit),
                html_for="region-switch",
                wide=True,
            ),
            className="controls",
        ),
        *headline_stats(stat_items, lang, name),
    ]
    if choices:
        children.append(
            html.Nav(
                [
                    html.Span(_("Results of"), className="control-label"),
                    html.Ul(
                        [
                            html.Li(
                                html.A(
                                    label,
                                    href=href(f"/region/{unit}", lang, contest=k),
                                    className="active" if k == contest_key else None,
                                    **{
                                        "data-spa": "1",
                                        **({"aria-current": "true"} if k == contest_key else {}),
                                    },
                                )
                            )
                            for k, label in choices
                        ],
                        className="link-list",
                    ),
                ],
                className="card",
                **{"aria-label": _("Results of")},
            )
        )
        children += results_section(election, unit, contest_key, lang)
    else:
        children.append(ui.notice(_("No party-list results are reported for {unit}.", unit=name)))

    table = turnout_table(election)
    if len(table) and (table["unit"] == unit).any():
        lines = finish(
            turnout_lines(
                table,
                lang,
                highlight=unit,
                units=[NATIONAL, unit],
                names=day_names(election, lang),
                title=_("Turnout through election day: {unit} and Kazakhstan", unit=literal(name)),
            ),
            election,
            lang,
        )
        children.append(
            ui.figure_card(
                lines,
                "region-turnout",
                lang,
                filename=f"saylau-{unit}-turnout",
                embed=embed.details_for("turnout", lang, lines, unit=unit),
            )
        )
    else:
        children.append(ui.notice(_("Turnout through the day is not reported for {unit}.", unit=name)))

    from dashboard.components.history import chart_cards

    children.extend(chart_cards(election, lang, unit=unit, change=False))  # its turnout at every vote
    # districts only where the election had them: a president or a referendum has none to say "not
    # reported" about
    if compute.has_contest(election, compute.MAZHILIS_SMD):
        children.append(districts_section(election, unit, lang))
    if compute.has_contest(election, compute.maslikhat_contest(unit, "single_mandate")):
        children.append(maslikhat_districts_section(election, unit, lang))
    if compute.has_contest(election, compute.maslikhat_contest(unit)) or compute.has_contest(
        election, compute.maslikhat_contest(unit, "single_mandate")
    ):
        children.append(
            html.P(
                html.A(
                    _("The maslikhat of {unit} →", unit=name),
                    href=href("/maslikhats", lang, region=unit),
                    **{"data-spa": "1"},
                )
            )
        )
    return html.Div(children, id="page-region", **{"data-unit": unit})


def title(lang, unit=None, **_kw) -> str:
    if unit and is_region(unit):
        try:  # the name of the day of the election the path names (Nur-Sultan in 2019)
            return day_name(data_module.election(), unit, lang)
        except Exception:
            return unit_name(unit, lang)
    return translator(lang)("Region not found")


def register(app) -> None:
    dash.register_page(
        __name__,
        path_template=election_template(PATH_TEMPLATE),
        layout=cached_layout("region", layout, VIEW),
        title=page_title(title),
        name="Region",
        order=1,
    )

    @app.callback(
        Output("nav", "href", allow_duplicate=True),
        Input("region-switch", "value"),
        State("_pages_location", "pathname"),
        State("_pages_location", "search"),
        prevent_initial_call=True,
    )
    def switch_region(unit, pathname, search):
        use_page_path(pathname)
        if not unit or not is_region(unit) or inner_path(pathname).rstrip("/") == f"/region/{unit}":
            return dash.no_update
        return href(f"/region/{unit}", lang_of(search))
