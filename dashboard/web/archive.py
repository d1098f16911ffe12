"""``/archive``: every vote the site serves, newest first — its date, kind, outcome sentence and turnout —
each opening its own pages (``/e/<id>/``).

A page of plain HTML written here, not a Dash page: it lists links and text, so it is whole without
script (a reader on a slow phone, a search engine, a screen reader get the same page). Every text from a
file (an election's name) is escaped: text, never markup. The sentences are the election pages' own
(``components/outcome.py``), the turnout is ``dashboard.electoral.history``'s.
"""

from __future__ import annotations

import logging
from html import escape

from dashboard.components import history as hist
from dashboard.electoral import history as H
from dashboard.i18n import translator
from dashboard.web import plain_page
from dashboard.web.plain_page import href as _href
from dashboard.web.plain_page import page

log = logging.getLogger(__name__)
PATH = "/archive"


def outcome_sentence(election, lang: str) -> str:
    """The sentence the election's home page opens with; "not reported" where it states none."""
    from dashboard.components.outcome import contest_outcome

    _ = translator(lang)
    try:
        found = contest_outcome(election, election.lead_contest(), lang)
    except Exception as exc:  # one election's trouble never takes the archive down
        log.warning("no outcome sentence for %s: %s", election.id, exc)
        found = None
    return found.sentence if found is not None else _("The outcome is not reported.")


def rows(elections, lang: str) -> list[dict]:
    """One entry per vote, newest first: what the archive prints (plain text)."""
    out = []
    for e in sorted(elections, key=lambda e: e.date, reverse=True):
        names = dict(e.names or {})
        out.append({
            "id": e.id,
            "date": hist.long_date(e.date, lang),
            "iso": e.date,
            "kind": hist.kind_name(H.kind(e), lang),
            "name": names.get(lang) or names.get("en") or e.id,
            "outcome": outcome_sentence(e, lang),
            "turnout": hist.turnout_text(H.national_turnout(e), lang),
            "simulated": bool(e.simulated),
        })
    return out


def render(lang: str) -> str:
    _ = translator(lang)
    entries = hist.memo("archive", rows, lang, whole=True)
    title = _("Every vote since {year}", year=entries[-1]["iso"][:4] if entries else "")
    simulated, turnout, by_region = _("Simulated election (rehearsal)"), _("Turnout"), _("Turnout at every vote, by region too:")
    chart_word = _("chart")
    lead = _("Newest first. Each vote opens its pages; a turnout marked preliminary is the last figure published.")
    items = []
    for r in entries:
        sim = f' <strong class="archive-sim">{escape(simulated)}</strong>' if r["simulated"] else ""
        items.append(
            f'<li class="card archive-vote" id="vote-{escape(r["id"])}">'
            f'<h2><a href="{escape(_href("/e/" + r["id"] + "/", lang))}">'
            f'<time datetime="{escape(r["iso"])}">{escape(r["date"])}</time> · {escape(r["kind"])}</a>{sim}</h2>'
            f'<p class="archive-name">{escape(r["name"])}</p>'
            f'<p class="archive-outcome">{escape(r["outcome"])}</p>'
            f'<p class="archive-turnout">{escape(turnout)}: <strong>{escape(r["turnout"])}</strong></p>'
            f'</li>'
        )
    newest = entries[0]["id"] if entries else None
    chart = ""
    if newest:
        base = f"/e/{newest}"
        chart = (
            f'<p class="page-lead">{escape(by_region)} '
            f'<a href="{escape(_href(base + "/embed/turnout_history", lang))}">{escape(chart_word)}</a> · '
            f'<a href="{escape(_href(base + "/download/turnout_history.csv", lang))}">CSV</a> · '
            f'<a href="{escape(_href(base + "/download/turnout_history.json", lang))}">JSON</a> · '
            f'<a href="{escape(_href(base + "/download/turnout_history.xlsx", lang))}">XLSX</a></p>'
        )
    body = (f'<p class="page-lead">{escape(lead)}</p>{chart}'
            f'<ol class="archive-list" id="archive-list" reversed>{"".join(items)}</ol>')
    return page(lang, PATH, title, _("All votes"), body)


def install(server) -> None:
    plain_page.install(server, PATH, "saylau_archive", render, "no-cache")
