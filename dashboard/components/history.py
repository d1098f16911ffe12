"""Every vote the site serves, read together for the record across votes (the archive page, the turnout
history and change charts, the comparison line of an election page); the arithmetic is
``dashboard.electoral.history``.

The votes are each election's served version; what is computed from them is remembered per set of version
keys, so a new version of any vote is never answered from an older one's figures.

An election's pages and charts read the record *as of that election*: its own vote and the earlier ones
(``served_elections``). Their answers are cached under the election's own version key (the layout cache,
the HTTP cache, frozen embeds), so they must not depend on a later vote: tonight's count would otherwise
sit, frozen at its first version, in the turnout chart of the 2023 page. The front page's election is the
newest, so it shows every vote; the archive (``whole=True``), cached under no election, lists them all.
"""

from __future__ import annotations

import logging
import threading

from dashboard.components import data as data_module
from dashboard.electoral import history as H
from dashboard.i18n import format_float, format_pct, translator
from dashboard.model import Election

log = logging.getLogger(__name__)
_LOCK = threading.Lock()
_MEMO: dict[tuple, object] = {}
_MEMO_MAX = 256


def served_elections(whole: bool = False) -> list[tuple[Election, str]]:
    """(election, version key) of every vote served up to the request's election (every vote with
    ``whole``), newest first; a vote whose store cannot be read is left out (its own pages say what is
    wrong)."""
    src = data_module.source()
    own = None if whole else data_module.election()
    out = []
    for eid in src.ids():
        try:
            _v, election, key = src.served(eid)
        except Exception as exc:  # never take the record down for one election
            log.warning("election %s left out of the record: %s", eid, exc)
            continue
        if election.simulated and eid != data_module.election_id():
            continue  # a rehearsal is no part of the record (unless it is the page's own election)
        if own is not None and election.date > own.date:
            continue  # a later vote: not in this election's record (see the module's docstring)
        out.append((election, key))
    return sorted(out, key=lambda ek: ek[0].date, reverse=True)


def elections() -> list[Election]:
    """Every vote served, newest first."""
    return [e for e, _k in served_elections()]


def memo(name: str, fn, *args, whole: bool = False):
    """``fn(elections, *args)`` remembered for this set of served versions (``served_elections``)."""
    served = served_elections(whole)
    key = (name, tuple(k for _e, k in served), *args)
    with _LOCK:
        if key in _MEMO:
            return _MEMO[key]
    value = fn([e for e, _k in served], *args)
    with _LOCK:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        _MEMO[key] = value
    return value


def by_id(elections_, election_id: str) -> Election | None:
    return next((e for e in elections_ if e.id == election_id), None)


def kind_name(kind: str, lang: str) -> str:
    """The kind of a vote, as the archive lists it."""
    _ = translator(lang)
    return {"presidential": _("Presidential election"), "referendum": _("Referendum"),
            "party_list": _("Mazhilis election")}.get(kind, kind)


def long_date(date: str, lang: str) -> str:
    """``9 June 2019`` / «9 июня 2019 года» / «2019 жылғы 9 маусым»."""
    _ = translator(lang)
    try:
        y, m, d = (int(x) for x in str(date).split("-"))
    except ValueError:
        return str(date)
    months = {
        "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"),
        "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября",
               "октября", "ноября", "декабря"),
        "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек",
               "қазан", "қараша", "желтоқсан"),
    }
    if lang == "kk":
        return f"{y} жылғы {d} {months['kk'][m - 1]}"
    if lang == "ru":
        return f"{d} {months['ru'][m - 1]} {y} года"
    return f"{d} {months['en'][m - 1]} {y}"


def short_date(date: str) -> str:
    """``09.06.2019``: the axis label of a vote."""
    from dashboard.components.shell import election_label

    return election_label(date)


def turnout_text(t: H.Turnout, lang: str) -> str:
    """A turnout as printed: ``77.43%``, ``77.43% (preliminary)``, "cannot be combined", "not reported"."""
    _ = translator(lang)
    if t.pct is None:
        return cannot_combine(lang) if t.basis == H.NOT_COMBINABLE else _("not reported")
    shown = format_pct(t.pct, lang)
    return _("{pct} (preliminary)", pct=shown) if t.preliminary else shown


def cannot_combine(lang: str) -> str:
    _ = translator(lang)
    return _("cannot be combined: only percentages are published for its parts")


def points_text(value: float | None, lang: str) -> str:
    """A change in percentage points: ``+2.15 points`` / ``−18.77 points``."""
    _ = translator(lang)
    if value is None:
        return _("not reported")
    return _("{value} points", value=format_float(value, lang, signed=True))


def kind_of_previous(election: Election, lang: str) -> str:
    """"the previous presidential election" / "the previous referendum" / "the previous Mazhilis election"."""
    _ = translator(lang)
    return {"presidential": _("the previous presidential election"), "referendum": _("the previous referendum"),
            "party_list": _("the previous Mazhilis election")}.get(H.kind(election), _("the previous vote"))


def comparison(election: Election, elections_, lang: str) -> str | None:
    """One line: how the vote compares with the previous one of its kind where the figures exist — the
    turnout and, for two party-list votes, the shares of the parties on both ballots. None when there is no
    previous vote of the kind or no figure to compare."""
    _ = translator(lang)
    previous = H.previous_of_kind(election, elections_)
    if previous is None:
        return None
    parts = []
    now, then = H.national_turnout(election), H.national_turnout(previous)
    if now.pct is not None and then.pct is not None:
        parts.append(_("turnout {now} against {then}, {change}", now=turnout_text(now, lang),
                       then=turnout_text(then, lang), change=points_text(now.pct - then.pct, lang)))
    shares = H.share_changes(previous, election)
    for s in shares:
        parts.append(_("{party} {now} against {then}, {change}", party=election.option(s.party).short_name(lang),
                       now=format_pct(s.after, lang), then=format_pct(s.before, lang),
                       change=points_text(s.points, lang)))
    if not parts:
        return None
    head = _("Compared with {previous} ({date})", previous=kind_of_previous(election, lang),
             date=long_date(previous.date, lang))
    body = "; ".join(parts)
    # kk begins with "алдыңғы …"; ru's points end in an abbreviation ("п. п."): no second full stop
    line = head[:1].upper() + head[1:] + ": " + body + ("" if body.endswith(".") else ".")
    if any(s.before_of_parties for s in shares):
        line += " " + _("The shares of {year} are of the votes for parties: no “against all” count was published.",
                        year=previous.date[:4])
    return line


def comparison_line(election: Election, lang: str):
    """The comparison as a paragraph near the outcome (``#history-compare``), or None."""
    from dash import html

    try:
        text = memo("comparison", lambda es, eid, lg: comparison(by_id(es, eid) or election, es, lg),
                    election.id, lang)
    except Exception as exc:  # the outcome stays whole when the record cannot be read
        log.warning("no comparison for %s: %s", election.id, exc)
        return None
    return html.P(text, id="history-compare", className="history-compare") if text else None


def chart_cards(election: Election, lang: str, *, unit: str | None = None, change: bool = True) -> list:
    """The record's catalogue cards for a page: the turnout at every vote (with ``unit``: that unit's line
    against the country's) and, with ``change``, the map of the change since the vote before."""
    from dashboard.charts import build
    from dashboard.components import embeds, ui

    cards = []
    names = [("turnout_history", {"unit": unit} if unit else {})]
    if change:
        names.append(("turnout_change", {}))
    for name, query in names:
        try:
            c = build(election, name, lang, **query)
        except Exception as exc:  # the page stays whole when the record cannot be read
            log.warning("no %s card for %s: %s", name, election.id, exc)
            continue
        if c.figure is None:
            continue  # nothing to compare with (the first vote): no empty card
        graph_class = "graph map-graph" if name == "turnout_change" else "graph"
        cards.append(ui.figure_card(c.figure, f"history-{name.replace('_', '-')}", lang, graph_class=graph_class,
                                    filename=f"saylau-{name}",
                                    embed=embeds.details_for(name, lang, c.figure, id=f"embed-{name}", **c.params)))
    return cards
