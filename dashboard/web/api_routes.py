"""What each route of the public API answers: plain dicts built from the election model and the electoral
arithmetic (``summary``, ``turnout``, ``progress``, ``composition``), never from page code.

Every handler takes ``(election, version, version_key, query, **path)`` and returns the JSON document;
``dashboard.web.public_api`` does the HTTP (memo, ETag, errors). Counts are raw integers; percentages are
numbers (not rounded text); anything not reported is ``None`` (JSON ``null``), never 0.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.boundaries import for_election, geojson_route, unit_keys
from dashboard.electoral.composition import assembly_composition
from dashboard.electoral.progress import contest_progress, election_progress, headline_contest
from dashboard.electoral.summary import ContestSummary, contest_summary, in_area
from dashboard.electoral.turnout import turnout_at, turnout_table, unit_order
from dashboard.model import FINAL
from dashboard.regions import (
    ABROAD,
    LANGUAGES,
    NATIONAL,
    is_region,
    top_unit,
    unit_name,
)
from dashboard.web.api_params import PREFIX, NotFound, check_key
from dashboard.web.api_schema import document


def _number(v) -> int | float | None:
    """A figure of a pandas row as JSON: int or float, ``None`` for missing (NA or NaN)."""
    if v is None or pd.isna(v):
        return None
    return float(v) if isinstance(v, float | np.floating) else int(v)


def _names(unit: str, election=None) -> dict:
    """A unit's names in every language: of the election's day when given (Nur-Sultan in 2019)."""
    if election is not None:
        bset = for_election(election)
        return {lang: bset.unit_name(unit, lang) for lang in LANGUAGES}
    return {lang: unit_name(unit, lang) for lang in LANGUAGES}


def _served(election, election_id: str):
    """The request serves the election its path names (``public_api.serve``); checked all the same."""
    check_key("election id", election_id)
    if election_id != election.id:
        raise NotFound(f"no election {election_id[:60]!r}; see {PREFIX}/elections")


def _contest(election, election_id: str, contest_key: str):
    _served(election, election_id)
    check_key("contest key", contest_key)
    try:
        return election.contest(contest_key)
    except KeyError:
        raise NotFound(f"election {election.id!r} has no contest {contest_key[:60]!r}; "
                       f"see {PREFIX}/elections/{election.id}/contests") from None


def _known_unit(election, unit: str) -> bool:
    """Whether ``unit`` exists in this election: the country, a unit of its day (no Abai in 2019), abroad,
    or a listed station."""
    if is_region(top_unit(unit)) and top_unit(unit) not in unit_keys(election):
        return False
    if unit in (NATIONAL, ABROAD) or is_region(unit):
        return True
    if "/" not in unit or not (is_region(top_unit(unit)) or top_unit(unit) == ABROAD):
        return False
    memo = election.__dict__.setdefault("_api_station_units", {})
    if not memo:
        units = set(election.results["unit"].astype(str)) | set(election.stations["unit"].astype(str))
        memo.update(dict.fromkeys(units, True))
    return unit in memo


def _unit(election, unit: str, contest=None) -> str:
    if not _known_unit(election, unit):
        raise NotFound(f"no unit {unit[:60]!r}: units are 'kz', the region keys of its day (see {PREFIX}/elections/"
                       f"{election.id}), 'abroad' and listed stations '<region>/<code>'")
    if contest is not None and not in_area(contest.area, unit):
        raise NotFound(f"unit {unit!r} is outside the area {contest.area!r} of contest {contest.key!r}")
    return unit


# --- documents -----------------------------------------------------------------------------------------


def _progress_doc(p) -> dict:
    return {"status": p.status, "stations_counted": p.stations_counted, "stations_expected": p.stations_expected}


def _contest_doc(election, contest) -> dict:
    base = f"{PREFIX}/elections/{election.id}/contests/{contest.key}"
    return {
        "key": contest.key,
        "body": contest.body,
        "kind": contest.kind,
        "area": contest.area,
        "seats": contest.seats,
        "status": contest.status,
        "threshold_pct": None if contest.threshold_pct is None else float(contest.threshold_pct),
        "threshold_base": contest.threshold_base,
        "tie_rule": contest.tie_rule,
        "parties": list(election.contest_parties(contest.key)),
        # the ballot's options in order: its parties, its candidates, or yes and no (results' ``party``)
        "options": list(election.options(contest.key)),
        "question": dict(contest.question) if contest.question else None,
        "constitutional": bool(contest.constitutional),
        "links": {"self": base, "results": f"{base}/results", "seats": f"{base}/seats"},
    }


def _party_doc(party) -> dict:
    return {
        "key": party.key,
        "short": {lang: party.short_name(lang) for lang in LANGUAGES},
        "names": {lang: party.full_name(lang) for lang in LANGUAGES},
        "colour": party.colour,
    }


def _election_head(election, version: int, version_key: str) -> dict:
    return {
        "id": election.id,
        "date": election.date,
        "names": {lang: election.name(lang) for lang in LANGUAGES},
        "simulated": bool(election.simulated),
        "version": version,
        "version_key": version_key,
        "kinds": list(_kinds(election)),
        "status": election_progress(election).status,
        "url": f"/e/{election.id}/",
        "links": {"self": f"{PREFIX}/elections/{election.id}"},
    }


def _kinds(election) -> tuple[str, ...]:
    """The kinds of the election's contests, the one its page leads with first (``Election.kinds``)."""
    kinds = getattr(election, "kinds", None)
    if callable(kinds):
        return tuple(kinds())
    return tuple(dict.fromkeys(c.kind for c in election.contests))


def elections(election, version, version_key, query) -> dict:
    """Every election served, newest election day first (``Library.ids``), each with its page."""
    from dashboard.components import data as data_module

    source = data_module.source()
    heads = []
    for election_id in source.ids():
        v, served, key = source.served(election_id)
        heads.append(_election_head(served, v, key))
    return {"elections": heads}


elections.every_election = True


def _units_doc(election) -> list[dict]:
    """The country, the units of the election's day (17 before 8 June 2022, with Nur-Sultan; 20 since) with
    their names of the day, and abroad."""
    bset = for_election(election)
    units = [{"key": NATIONAL, "kind": "country", "iso_3166_2": "KZ", "names": _names(NATIONAL)}]
    units += [{"key": r.key, "kind": r.kind, "iso_3166_2": r.iso_3166_2,
               "names": {lang: r.name(lang) for lang in LANGUAGES}} for r in bset.units]
    units.append({"key": ABROAD, "kind": "abroad", "iso_3166_2": None, "names": _names(ABROAD)})
    return units


def election_detail(election, version, version_key, query, election_id: str) -> dict:
    _served(election, election_id)
    doc = _election_head(election, version, version_key)
    doc.update(
        notes={lang: election.notes.get(lang) for lang in LANGUAGES},
        progress=_progress_doc(election_progress(election)),
        parties=[_party_doc(p) for p in election.parties],
        contests=[_contest_doc(election, c) for c in election.contests],
        units=_units_doc(election), boundaries=for_election(election).key,
    )
    doc["links"].update(contests=f"{PREFIX}/elections/{election.id}/contests",
                        turnout=f"{PREFIX}/elections/{election.id}/turnout",
                        versions=f"{PREFIX}/elections/{election.id}/versions",
                        flags=f"{PREFIX}/elections/{election.id}/flags",
                        feed=f"/e/{election.id}/feeds/versions.atom",
                        status=f"/e/{election.id}/status.json",
                        page=f"/e/{election.id}/",
                        # the record across votes (the chart catalogue's JSON; ?unit=, ?from=&to=)
                        turnout_history=f"/e/{election.id}/download/turnout_history.json",
                        turnout_change=f"/e/{election.id}/download/turnout_change.json",
                        geojson=geojson_route(election))  # its boundary set's map
    return doc


def contests(election, version, version_key, query, election_id: str) -> dict:
    _served(election, election_id)
    return {"election": election.id, "version": version,
            "contests": [_contest_doc(election, c) for c in election.contests]}


def contest_detail(election, version, version_key, query, election_id: str, contest_key: str) -> dict:
    contest = _contest(election, election_id, contest_key)
    doc = _contest_doc(election, contest)
    doc.update(election=election.id, version=version,
               progress=_progress_doc(contest_progress(election, contest.key, contest.area)))
    return doc


def _unit_result(s: ContestSummary, election=None) -> dict:
    return {
        "unit": s.unit,
        "names": _names(s.unit, election),
        "status": s.status,
        "stations_counted": s.stations_counted,
        "stations_expected": s.stations_expected,
        "reported": s.reported,
        "complete": s.complete,
        "registered": s.registered,
        "took_part": s.took_part,
        "turnout_pct": s.turnout_pct,
        "turnout_pct_published": None,  # filled by results(): it is the election's, not the contest's
        "invalid": s.invalid,
        "against_all": s.against_all,
        "against_all_share_pct": s.against_all_share_pct,
        "votes_counted": s.votes_counted,
        "seats_computed": s.seats_computed,
        "seats_projection": s.seats_projection,
        "parties": [],  # filled in ballot order by results()
    }


def _party_results(election, contest_key: str, s: ContestSummary) -> list[dict]:
    """Each option on the contest's ballot in ballot order — a party, a candidate, or yes and no (keyed
    ``party`` as the downloads' column is) —, its share of the kind's base (``share_base_of``)."""
    by_party = {p.party: p for p in s.parties}
    return [
        {
            "party": key,
            "votes": by_party[key].votes,
            "share_pct": by_party[key].share_pct,
            "passed_threshold": by_party[key].passed_threshold,
            "seats": by_party[key].seats,
            "published_seats": by_party[key].published_seats,
        }
        for key in election.options(contest_key)
    ]


def _units_with_figures(election, contest) -> list[str]:
    """The contest's area and the units directly under a national area (regions, abroad) that hold
    any figure. Stations are asked for one at a time (``unit=<region>/<code>``)."""
    candidates = [contest.area]
    if contest.area == NATIONAL:
        candidates += [*unit_keys(election), ABROAD]  # the units of its day
    return [u for u in candidates if contest_summary(election, contest.key, u).reported]


def results(election, version, version_key, query, election_id: str, contest_key: str) -> dict:
    contest = _contest(election, election_id, contest_key)
    unit = query.get("unit")
    units = [_unit(election, unit, contest)] if unit else _units_with_figures(election, contest)
    # the figure the pages show (54.21 % in 2023), beside turnout_pct computed from the counts (54.188)
    published = turnout_at(election, FINAL)
    out = []
    for u in units:
        s = contest_summary(election, contest.key, u)
        doc = _unit_result(s, election)
        doc["parties"] = _party_results(election, contest.key, s)
        doc["turnout_pct_published"] = published.get(u)
        if u == contest.area:  # what the figures decide, in the contest's own area (docs/format.md)
            doc.update(kind=s.kind, outcome=s.outcome, decided=s.decided)
        out.append(doc)
    return {"election": election.id, "version": version, "contest": _contest_doc(election, contest),
            "results": out}


def turnout(election, version, version_key, query, election_id: str) -> dict:
    _served(election, election_id)
    unit = query.get("unit")
    if unit:
        _unit(election, unit)
    table = turnout_table(election)
    if unit:
        table = table[table["unit"] == unit]
    series: dict[str, list[dict]] = {unit: []} if unit else {}
    for row in table.itertuples(index=False):
        series.setdefault(str(row.unit), []).append({
            "time": str(row.time),
            "registered": _number(row.registered),
            "took_part": _number(row.took_part),
            "turnout_pct": _number(row.turnout_pct),
        })
    return {
        "election": election.id,
        "version": version,
        "note": "time is an ISO 8601 instant, or 'final' for the commission's final figure (listed last)",
        "series": [{"unit": u, "names": _names(u, election), "points": pts}
                   for u, pts in sorted(series.items(), key=lambda kv: unit_order(kv[0]))],
    }


def seats(election, version, version_key, query, election_id: str, contest_key: str) -> dict:
    """The seats of a contest: for a party list, computed from the votes beside the commission's
    published allocation, party by party; and the allocation the site shows (with its source)."""
    contest = _contest(election, election_id, contest_key)
    s = contest_summary(election, contest.key, contest.area)
    parties = []
    for p in _party_results(election, contest.key, s):
        computed, published = p["seats"], p["published_seats"]
        agree = None if computed is None or published is None else computed == published
        parties.append({"party": p["party"], "computed": computed, "published": published, "agree": agree})
    comp = assembly_composition(election, contest.body, contest.area)
    comp = comp[comp["kind"] == contest.kind]
    allocation = [{"party": str(r.party), "seats": int(r.seats), "source": str(r.source)}
                  for r in comp.itertuples(index=False)]
    agreement = [p["agree"] for p in parties]
    accounted = sum(a["seats"] for a in allocation)
    return {
        "election": election.id,
        "version": version,
        "contest": contest.key,
        "kind": contest.kind,
        "seats": contest.seats,
        **_progress_doc(contest_progress(election, contest.key, contest.area)),
        "seats_computed": s.seats_computed,
        "seats_projection": s.seats_projection,
        "computed_equals_published": _all_agree(agreement),
        "parties": parties,
        "allocation": allocation,
        "unaccounted": None if contest.seats is None else contest.seats - accounted,
    }


def projection(election, version, version_key, query, election_id: str, contest_key: str) -> dict:
    """The night's estimate of a contest while it is counting (docs/projection.md): the same figures the
    pages show, computed once per version (``compute.projection``); ``projection`` is null at ``final``,
    before anything counted, without a station list, or when the operator switched it off, and
    ``reason`` says which."""
    from dashboard.components import compute
    from dashboard.components.estimate import METHOD_PATH
    from dashboard.config import projection_enabled

    contest = _contest(election, election_id, contest_key)
    progress = contest_progress(election, contest.key, contest.area)
    found = compute.projection(election, contest.key) if progress.partial else None
    if found is not None:
        reason = None
    elif not projection_enabled():
        reason = "switched off"
    elif not progress.partial:
        reason = "final" if progress.status == "final" else "counted"
    else:
        reason = "not enough counted"
    return {
        "election": election.id,
        "version": version,
        "contest": contest.key,
        "kind": contest.kind,
        **_progress_doc(progress),
        "note": "An estimate from a model of the count so far, with a 90 % interval: not a result.",
        "method": METHOD_PATH,
        "reason": reason,
        "projection": found,
    }


def _all_agree(agreement: list[bool | None]) -> bool | None:
    """False when any party's computed seats differ from the published; True when every party's agree;
    None when that cannot be said (seats not computed, or not published for some party)."""
    if False in agreement:
        return False
    return True if agreement and None not in agreement else None


def index(election, version, version_key, query) -> dict:
    """``/api/v1/``: where to start — the OpenAPI document and every route, the served election's filled
    in (a 404 there sent a curious reader away with nothing)."""
    from flask import current_app

    rules = {r.rule for r in current_app.url_map.iter_rules()}
    paths = sorted(p for p in document(rules)["paths"] if p != PREFIX + "/")
    return {
        "name": "Saylau public API",
        "openapi": f"{PREFIX}/openapi.json",
        "election": election.id,
        "version": version,
        "links": {p: p.replace("{election_id}", election.id) for p in paths},
    }


def openapi(election, version, version_key, query) -> dict:
    from flask import current_app

    examples = {"election_id": election.id, "contest_key": headline_contest(election), "unit": NATIONAL}
    return document({r.rule for r in current_app.url_map.iter_rules()}, examples)


ELECTION = PREFIX + "/elections/<election_id>"
CONTEST = ELECTION + "/contests/<contest_key>"
#: (Flask rule, endpoint, handler, query parameters it takes)
ROUTES = (
    (PREFIX + "/", "saylau_api_index", index, ()),
    (PREFIX + "/openapi.json", "saylau_api_openapi", openapi, ()),
    (PREFIX + "/elections", "saylau_api_elections", elections, ()),
    (ELECTION, "saylau_api_election", election_detail, ()),
    (ELECTION + "/contests", "saylau_api_contests", contests, ()),
    (CONTEST, "saylau_api_contest", contest_detail, ()),
    (CONTEST + "/results", "saylau_api_results", results, ("unit",)),
    (CONTEST + "/seats", "saylau_api_seats", seats, ()),
    (CONTEST + "/projection", "saylau_api_projection", projection, ()),
    (ELECTION + "/turnout", "saylau_api_turnout", turnout, ("unit",)),
)
