"""The electoral figures the pages need, memoised per election object.

An ``Election`` is immutable and a new data version builds a new one, so memoising on the object is
always fresh; the memo dies with the object. (Across gunicorn workers, each worker computes once per
version.)
"""

from __future__ import annotations

import math
import threading

from dashboard.boundaries import unit_keys
from dashboard.config import projection_enabled
from dashboard.electoral.by_unit import results_by_unit, share_column
from dashboard.electoral.projection import estimate
from dashboard.electoral.summary import contest_summary, unit_figures
from dashboard.electoral.turnout import latest_turnout, report_times, turnout_at
from dashboard.model import FINAL, Election
from dashboard.regions import NATIONAL, region_keys

_LOCK = threading.Lock()
MAZHILIS_LIST = "mazhilis_party_list"
MAZHILIS_SMD = "mazhilis_single_mandate"


def memo(election: Election, name: str, fn, *args):
    store = election.__dict__.setdefault("_saylau_ui_memo", {})
    key = (name, *args)
    if key not in store:
        value = fn(election, *args)
        with _LOCK:
            store.setdefault(key, value)
    return store[key]


def projection(election: Election, contest: str) -> dict | None:
    """The night's estimate of ``contest`` (docs/projection.md; ``electoral.projection.estimate``), computed
    once per version: render on publish draws the home page when a version is published, which computes
    it and keeps it in the shared cache under the version key, so other workers and the API read it
    rather than compute it again (and each worker's memo after that). None when the operator switched it
    off (``SAYLAU_PROJECTION``), at ``final``, or before anything counted."""
    if not projection_enabled():
        return None
    return memo(election, "projection", _projection, contest)


def _projection(election: Election, contest: str) -> dict | None:
    from dashboard.cache import cached_figure
    from dashboard.components import data as data_module

    source = data_module.source()

    def lookup(election_id: str) -> Election | None:
        return source.election(election_id) if source.knows(election_id) else None

    def compute() -> dict | None:
        if source.demo:
            return estimate(election, contest, lookup, ())
        library = source.library()  # election.json's date alone, so later elections are never loaded
        earlier = [e for e in source.ids() if library.meta(e).date < election.date]
        return estimate(election, contest, lookup, earlier)

    try:
        version, served, key = source.served(election.id)
    except Exception:  # an election no longer served: nothing to share it under
        return compute()
    if served is not election:  # a newer version arrived meanwhile: its key is not this one's
        return compute()
    return cached_figure("projection", key, contest, compute=compute)


def has_contest(election: Election, key: str) -> bool:
    return any(c.key == key for c in election.contests)


def maslikhat_contest(region: str, kind: str = "party_list") -> str:
    return f"maslikhat_{region}_{kind}"


def summary(election: Election, contest: str, unit: str = NATIONAL):
    return memo(election, "summary", contest_summary, contest, unit)


def by_unit(election: Election, contest: str):
    return memo(election, "by_unit", results_by_unit, contest)


def _present(v) -> bool:
    if v is None:
        return False
    try:
        return not (isinstance(v, float) and math.isnan(v)) and v == v
    except TypeError:
        return False


def _maslikhat_rows(election: Election) -> dict:
    """{region: row of results_by_unit for that region's own maslikhat party list} (where it exists)."""
    out = {}
    for r in unit_keys(election):
        key = maslikhat_contest(r)
        if not has_contest(election, key):
            continue
        df = by_unit(election, key)
        row = df[df["unit"] == r]
        if len(row):
            out[r] = row.iloc[0].to_dict()
    return out


def lead_key(election: Election) -> str:
    """The contest the home map shows as "the election's results": the lead contest when it is national
    with options (a president, a referendum question, a national list), else the Mazhilis list (2023)."""
    lead = election.lead_contest()
    if lead.area == NATIONAL and lead.kind in ("party_list", "presidential", "referendum"):
        return lead.key
    return MAZHILIS_LIST


def _mazhilis_rows(election: Election) -> dict:
    key = lead_key(election)
    if not has_contest(election, key):
        return {}
    if election.contest(key).kind != "party_list":
        return _option_rows(election, key)
    df = by_unit(election, key)
    return {row["unit"]: row for row in df.to_dict("records")}


def _option_rows(election: Election, key: str) -> dict:
    """The rows ``results_by_unit`` gives a party list, for a president or a referendum question: each
    option's ``share_<key>`` of the kind's base (``summary``: ``share_base_of``), the ``leading_party`` (the
    option with most votes; None on a tie or a figure not reported), turnout and against all."""
    out = {}
    for unit in unit_keys(election):
        s = summary(election, key, unit)
        votes = {r.party: r.votes for r in s.parties}
        ranked = sorted((v, k) for k, v in votes.items() if v is not None)
        tie = len(ranked) > 1 and ranked[-1][0] == ranked[-2][0]
        leader = ranked[-1][1] if ranked and None not in votes.values() and not tie and ranked[-1][0] > 0 else None
        row = {"unit": unit, "reported": s.reported, "registered": s.registered, "took_part": s.took_part,
               "turnout_pct": s.turnout_pct, "against_all_share_pct": s.against_all_share_pct,
               "leading_party": leader}
        row.update({share_column(r.party): r.share_pct for r in s.parties})
        out[unit] = row
    return out


def result_rows(election: Election, source: str) -> dict:
    """Per-region rows of results (``source`` "mazhilis" or "maslikhat")."""
    if source == "maslikhat":
        return memo(election, "maslikhat_rows", _maslikhat_rows)
    return memo(election, "mazhilis_rows", _mazhilis_rows)


def clean(v):
    return v if _present(v) else None


def map_values(election: Election, mode: str, source: str = "mazhilis", party: str | None = None) -> dict:
    """{region key: value} for the choropleth; absent or None = not reported."""
    if mode == "turnout":
        return {k: v for k, v in latest_region_turnout(election)[1].items() if k in unit_keys(election)}
    rows = result_rows(election, source)
    if mode == "leading":
        col = "leading_party"
    elif mode == "against_all":
        col = "against_all_share_pct"
    else:
        col = share_column(party or "")
    return {u: clean(row.get(col)) for u, row in rows.items() if u in unit_keys(election)}


def map_incomplete(election: Election, mode: str, source: str = "mazhilis", party: str | None = None) -> frozenset:
    """Regions whose vote is partly reported but that have no value on this map: their leader or share
    needs a figure the files lack (Kyzylorda's maslikhat lacks two parties' votes, Kostanay's the votes
    against all). The map draws them "incomplete", not "not reported". A unit with turnout but no votes
    is not reported for a map of the vote; a party not on a unit's ballot is not a gap."""
    if mode == "turnout":
        return frozenset()
    values = map_values(election, mode, source, party)
    out = set()
    for unit, row in result_rows(election, source).items():
        if unit not in unit_keys(election) or not row.get("reported") or values.get(unit) is not None:
            continue
        contest = lead_key(election) if source == "mazhilis" else maslikhat_contest(unit)
        ballot = election.options(contest)
        if mode == "party" and party not in ballot:
            continue
        figures = unit_figures(election, contest, unit)[0]
        if any(figures.get(f) is not None for f in (*ballot, "against_all")):  # some of the vote is known
            out.add(unit)
    return frozenset(out)


def reported_count(values: dict) -> int:
    """Units with a value among ``values`` (a map's values: already the units of its election's day)."""
    return sum(1 for k, v in values.items() if k in region_keys() and _present(v))


def _latest_region_turnout(election: Election):
    """(time, {unit: pct}) at the latest report time that has figures for regions."""
    times = report_times(election)
    for t in reversed(times):
        values = turnout_at(election, t)
        if any(k in values and _present(values[k]) for k in unit_keys(election)):
            return t, values
    return None, {}


def latest_region_turnout(election: Election):
    return memo(election, "latest_region_turnout", _latest_region_turnout)


def _national_turnout(election: Election):
    """(pct, time) of the national turnout: the final figure, else the latest report, else the summary."""
    times = report_times(election)
    for t in reversed(times):
        v = turnout_at(election, t).get(NATIONAL)
        if _present(v):
            return float(v), t
    if has_contest(election, lead_key(election)):
        s = summary(election, lead_key(election))
        if s.turnout_pct is not None:
            return float(s.turnout_pct), FINAL
    latest = latest_turnout(election).get(NATIONAL)
    return (float(latest), None) if _present(latest) else (None, None)


def national_turnout(election: Election):
    return memo(election, "national_turnout", _national_turnout)


#: What the home page's turnout card shows (``headline_turnout``): a turnout report of the commission (its
#: ``final`` figure or the day's last report), or the result's turnout (took part / registered of the lead
#: contest's count), final or preliminary.
REPORT, RESULT, PRELIMINARY_RESULT = "report", "result", "preliminary_result"


def _headline_turnout(election: Election):
    """(pct, what, time) of the home page's turnout card, in the order of the record across votes
    (``dashboard.electoral.history.national_turnout``), so that the card and the record line agree:

    1. the commission's ``final`` turnout figure (``REPORT``, time ``final``: 2023's 54.21 %);
    2. the result's turnout when the lead contest's count is complete (not counting, no station missing)
       and gives took part and registered: ``PRELIMINARY_RESULT`` when the contest is not final or its
       sources call those figures preliminary, else ``RESULT`` (time None). The 2026 referendum's
       preliminary result: 9,127,192 of 12,482,613 took part, 73.12 %, where the 20:30 report said 73.24 %:
       the count of the ballots supersedes the day's reports of ballots issued;
    3. else the latest turnout report (``REPORT`` with its time): mid-count the count's figures are of the
       stations counted so far, not of the country.
    """
    from dashboard.electoral.history import _labelled_preliminary
    from dashboard.electoral.progress import Progress

    pct, t = national_turnout(election)
    if t == FINAL and FINAL in report_times(election):
        return pct, REPORT, FINAL
    lead = lead_key(election)
    if has_contest(election, lead):
        s = summary(election, lead)
        whole = not Progress(s.status, s.stations_counted, s.stations_expected).partial
        if whole and s.turnout_pct is not None and s.took_part and s.registered:
            prelim = _labelled_preliminary(election, lead, NATIONAL)
            return float(s.turnout_pct), PRELIMINARY_RESULT if prelim else RESULT, None
    return pct, REPORT, t


def headline_turnout(election: Election):
    return memo(election, "headline_turnout", _headline_turnout)


def has_party_votes(election: Election, contest_key: str, unit: str) -> bool:
    """Whether any party's votes in the contest are reported for the unit: *the* definition of "a unit
    with results", used by every count, picker mark and notice (Kostanay and Kyzylorda count, though
    incomplete: their votes are shown)."""
    summary_ = summary(election, contest_key, unit)
    return bool(summary_.reported and any(p.votes is not None for p in summary_.parties))


def _maslikhat_units_with_votes(election: Election) -> tuple[tuple[str, ...], tuple[str, ...]]:
    with_votes, complete = [], []
    for region in unit_keys(election):
        key = maslikhat_contest(region)
        if has_contest(election, key) and has_party_votes(election, key, region):
            with_votes.append(region)
            if summary(election, key, region).complete:
                complete.append(region)
    return tuple(with_votes), tuple(complete)


def maslikhat_units_with_votes(election: Election) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(regions whose own maslikhat has party-list votes reported, those of them complete), registry
    order. One count for the maslikhats page, its picker and the home page: they once said 4, 5 and 6."""
    return memo(election, "maslikhat_units_with_votes", _maslikhat_units_with_votes)
