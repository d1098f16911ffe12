"""Observer flags: every rule a named function, every threshold below, every explanation in kk/ru/en.

A flag says what the published figures show and what the rule means; it never says why. Each rule's
``meaning`` ends with the innocent causes it may have, because most flags on a real night are typing
errors, late corrections or reports published at different moments.

``python -m dashboard flags [--json]`` prints the flags of the served version; the Observers page and
``/api/v1/flags`` show the same list (:func:`flags_of`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pandas as pd

from dashboard.electoral.turnout import turnout_table
from dashboard.i18n import (
    LANGUAGES,
    N_,
    format_float,
    format_number,
    format_pct,
    normalise_language,
    translator,
)
from dashboard.model import COUNT_COLUMNS, FINAL
from dashboard.observers import forensics
from dashboard.regions import ABROAD, NATIONAL, unit_name

# --- thresholds: every number a rule compares with ------------------------------------------------------
#: ``turnout_falls``: turnout is cumulative through the day, so any fall at all (more than 0 points) is
#: flagged; an equal figure is not.
FALL_TOLERANCE_PP = 0.0
#: ``turnout_above_100``: more than 100 % of registered voters took part; exactly 100 % is possible.
MAX_TURNOUT_PCT = 100.0
#: ``interval_outlier``: the modified z-score (median and MAD of the same interval's increase across
#: regions) beyond which Iglewicz & Hoaglin (1993) recommend treating a value as a potential outlier.
INTERVAL_Z_LIMIT = 3.5
#: ``interval_outlier``: fewer units than this reporting both ends of an interval give no distribution.
MIN_PEERS = 5
#: ``final_jump``: points from the last interim report to the final turnout. Polls close two hours after
#: the last daytime report (18:00 → 20:00); a rise of more than 10 points would mean a sixth of a typical
#: 60 % turnout voted in those last hours.
FINAL_JUMP_PP = 10.0
#: ``protocol_sum``: a voter may take a ballot and not put it in the box, so ballots in the box may fall
#: short of ``took_part``; a shortfall of more than 1 % of ``took_part`` is flagged. More ballots in the
#: box than voters who took part is flagged at any size.
BALLOT_SHORTFALL_SHARE = 0.01
#: ``station_outlier``: robust z-scores within the station's region. Turnout and the leading share must
#: each be above 2 (each higher than about 98 % of a normal spread) and together more than 5 from the
#: medians (sqrt(z_t² + z_s²) > 5): two independent normal figures land that far into the corner where
#: both are high about once in a million stations (exp(−25/2)/4). The regions need 10 stations or more.
STATION_Z_EACH = 2.0
STATION_Z_JOINT = 5.0
STATION_MIN_PEERS = 10

#: The count columns of a results row (registered … against_all); party columns follow.


@dataclass(frozen=True)
class Rule:
    key: str
    title: str  # English message id
    #: what the rule checks and why a flag may be innocent (English message id); ``{leader_share}`` and
    #: ``{ballots}`` name the contest's options by its kind (:func:`meaning`)
    meaning: str
    finding: str  # what the figures show, a template over the flag's figures (English message id)
    #: the finding when only percentages are published (no counts), where the rule can say less
    finding_pct_only: str = ""


RULES = {
    r.key: r
    for r in (
        Rule("turnout_falls",
             N_("Turnout falls between reports"),
             N_("Turnout counts everyone who has voted so far, so it should never fall during the day. A fall "
                "may have innocent causes: a corrected count, or voters added to the register during the day."),
             N_("Turnout was {before} at {before_time} and {after} at {time}.")),
        Rule("turnout_above_100",
             N_("Turnout above 100 %"),
             N_("More people took part than are registered. This may have innocent causes: a typing error, or "
                "a register that was not updated with voters added on the day."),
             N_("Turnout {value} ({took_part} took part, {registered} registered)."),
             N_("Turnout {value}.")),
        Rule("interval_outlier",
             N_("An interval's increase far from other regions'"),
             N_("The increase in this interval lies far outside the same interval's increases elsewhere "
                "(robust z-score above 3.5 or below −3.5). It may have innocent causes: a region with lower turnout overall "
                "also rises by fewer points, a late or early report, local weather, or a typing error."),
             N_("Turnout changed by {change} between {before_time} and {time}; the median region's changed "
                "by {median} (robust z-score {z}).")),
        Rule("final_jump",
             N_("Large jump from the last interim report to the final figure"),
             N_("Turnout rose by more than 10 points after the last report of the day. It may have innocent "
                "causes: voting in the last hours, mobile ballot boxes counted late, or a late interim report."),
             N_("Turnout was {before} at {before_time} and {after} in the final figure ({change}).")),
        Rule("protocol_sum",
             N_("Protocol does not add up"),
             N_("The ballots found in the box ({ballots}) should equal the "
                "number who took part, less the few who take a ballot and leave. This may have innocent "
                "causes: a typing error or a figure corrected in one column only."),
             N_("{took_part} took part; the box held {in_box} ({difference}).")),
        Rule("took_part_above_registered",
             N_("More took part than are registered"),
             N_("More voters took part than the register lists. This may have innocent causes: a typing error, "
                "or voters added to the register on the day and not counted in it."),
             N_("{took_part} took part, {registered} registered.")),
        Rule("stations_sum",
             N_("Stations do not add up to the unit's total"),
             N_("The polling stations' figures should add up to the total reported for their unit. A "
                "difference may have innocent causes: the total and the stations published at different "
                "moments of the count, or a correction not yet carried into both."),
             N_("{field}: the total is {unit_total}, its stations add up to {stations_sum}.")),
        Rule("stations_above_expected",
             N_("More stations counted than expected"),
             N_("More polling stations reported results than the station list expects. This may have innocent "
                "causes: a station list that was not updated, or a station reported under two codes."),
             N_("Stations with results: {counted}; stations expected: {expected}.")),
        Rule("station_outlier",
             N_("Turnout and leading share both far above the region's"),
             N_("Both turnout and {leader_share} are far above the other stations of the region "
                "(robust z-scores each over 2 and together over 5). Ballot stuffing looks like this in the election fingerprint "
                "(Klimek et al., PNAS 2012), but so can a closed institution such as a hospital or barracks, "
                "or a typing error."),
             N_("Turnout {turnout} (region's median {turnout_median}), {leader} {leader_share} (median "
                "{leader_median}); robust z-scores {turnout_z} and {leader_z}.")),
    )
}


@dataclass(frozen=True)
class Flag:
    rule: str
    unit: str
    contest: str = ""
    time: str = ""
    #: The figures the finding quotes, by name (how each is formatted: :func:`finding`); None where the
    #: files do not report it.
    figures: dict = field(default_factory=dict, hash=False, compare=False)
    #: Words a finding quotes in the page's language, by figure name and language (a party's name, a
    #: column's label): ``figures`` keeps the key or the English name for the API.
    names: dict = field(default_factory=dict, hash=False, compare=False)
    #: The kind of the flag's contest ("" for a turnout flag): what its meaning calls the options.
    kind: str = field(default="", compare=False)

    def as_dict(self, lang: str = "en") -> dict:
        rule = RULES[self.rule]
        _ = translator(lang)
        return {
            "rule": self.rule,
            "title": _(rule.title),
            "unit": self.unit,
            "unit_name": unit_name(self.unit, normalise_language(lang)),
            "contest": self.contest,
            "time": self.time,
            "figures": {k: shown(k, v) for k, v in self.figures.items()},
            "figures_exact": {k: _plain(v) for k, v in self.figures.items()},
            "finding": finding(self, lang),
            "meaning": meaning(self.rule, self.kind, lang),
        }


def meaning(rule: str, kind: str | None, lang: str) -> str:
    """What ``rule`` means in ``lang``, its options named for the contest's ``kind`` (a party list's
    "votes for parties", a president's "the leading candidate's share", a referendum's "yes and no votes":
    ``forensics.OPTION_WORDS``)."""
    _ = translator(lang)
    options = forensics.words(kind)
    leader_share, ballots = options["leader_share"], options["ballots"]  # message ids (not extracted here)
    return _(RULES[rule].meaning, leader_share=_(leader_share), ballots=_(ballots))


#: Figures shown as percentages in findings (changes are shown in points, z-scores as decimals).
_PCT = {"before", "after", "value", "turnout", "turnout_median", "leader_share",
        "leader_median"}


def _plain(v):
    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    return v


def shown(name: str, value):
    """A figure as the finding prints it: z-scores to one place, other fractional figures to two (as
    ``format_pct`` rounds: the decimal digits, ties to even), so ``figures`` reads 9.77 where the float
    arithmetic gives 9.770000000000001; ``figures_exact`` keeps the full value."""
    value = _plain(value)
    if not isinstance(value, float):
        return value
    step = Decimal("0.1") if name.endswith("_z") or name == "z" else Decimal("0.01")
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_EVEN))


def finding(flag: Flag, lang: str) -> str:
    """What the figures show, in ``lang``: percentages and counts formatted for the language."""
    lang = normalise_language(lang)
    _ = translator(lang)
    kw = {}
    for name, value in flag.figures.items():
        if name in _PCT:
            kw[name] = format_pct(value, lang)
        elif name.endswith("_z") or name == "z":
            kw[name] = _decimal(value, lang, 1)
        elif name.endswith("_time") or name == "time":
            kw[name] = _time(value, lang)
        elif name in flag.names:
            kw[name] = flag.names[name].get(lang, str(value))
        elif name == "leader" or name == "field" or isinstance(value, str):
            kw[name] = str(value)
        else:
            kw[name] = format_number(value, lang)
    if "difference" in flag.figures:
        kw["difference"] = _signed(flag.figures["difference"], lang)
    for name in ("change", "median"):
        if name in flag.figures:
            kw[name] = _signed_pct(flag.figures[name], lang)
    kw.setdefault("time", _time(flag.time, lang))
    rule = RULES[flag.rule]
    if rule.finding_pct_only and any(_plain(v) is None for v in flag.figures.values()):
        return _(rule.finding_pct_only, **kw)
    return _(rule.finding, **kw)


def _time(value: str, lang: str) -> str:
    from dashboard.figures.common import time_label

    return time_label(value, lang) if value else "—"


def _signed(value, lang: str) -> str:
    sign = "+" if value > 0 else "−" if value < 0 else ""
    return sign + format_number(abs(int(value)), lang)


def _decimal(value, lang: str, digits: int = 2) -> str:
    return format_float(value, lang, digits)


def _signed_pct(value, lang: str) -> str:
    """A change of turnout in percentage points, signed: "+12.30 points"."""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    _ = translator(lang)
    return _("{value} points", value=sign + _decimal(abs(float(value)), lang))


# --- turnout through the day -----------------------------------------------------------------------------
def _turnout_wide(election) -> pd.DataFrame:
    """Turnout % with one row per unit and one column per interim report time (final excluded)."""
    table = turnout_table(election)
    table = table[(table["time"] != FINAL) & table["turnout_pct"].notna()]
    if not len(table):
        return pd.DataFrame()
    wide = table.pivot_table(index="unit", columns="time", values="turnout_pct", aggfunc="last", sort=False)
    return wide[sorted(wide.columns)]


def _final(election) -> dict[str, float]:
    table = turnout_table(election)
    at = table[(table["time"] == FINAL) & table["turnout_pct"].notna()]
    return {str(u): float(v) for u, v in zip(at["unit"], at["turnout_pct"], strict=True)}


def turnout_falls(election) -> list[Flag]:
    """Each time a unit's turnout is lower than at its previous report (final included)."""
    wide = _turnout_wide(election)
    final = _final(election)
    out = []
    for unit in list(wide.index) + [u for u in final if u not in wide.index]:
        series = [(t, float(v)) for t, v in wide.loc[unit].items() if v == v] if unit in wide.index else []
        if unit in final:
            series.append((FINAL, final[unit]))
        for (t0, v0), (t1, v1) in zip(series, series[1:], strict=False):
            if v0 - v1 > FALL_TOLERANCE_PP:
                out.append(Flag("turnout_falls", unit, time=t1,
                                figures={"before": v0, "before_time": t0, "after": v1}))
    return out


def turnout_above_100(election) -> list[Flag]:
    """Every report (interim or final) of turnout above 100 %."""
    table = turnout_table(election)
    over = table[table["turnout_pct"] > MAX_TURNOUT_PCT]
    return [
        Flag("turnout_above_100", str(r.unit), time=str(r.time),
             figures={"value": float(r.turnout_pct), "took_part": r.took_part, "registered": r.registered})
        for r in over.itertuples()
    ]


def increments(election) -> pd.DataFrame:
    """Turnout increase (points) per unit and interval between consecutive interim reports: one row per
    (interval end ``time``, ``unit``) with ``before_time, change, median, z``. Peers are the regions
    reporting both ends; ``kz`` (their total) and ``abroad`` (voting in other time zones, so its
    "12:00" is not the same hours) are listed but neither judged nor counted among the peers."""
    wide = _turnout_wide(election)
    rows = []
    times = list(wide.columns)
    for t0, t1 in zip(times, times[1:], strict=False):
        change = (wide[t1] - wide[t0]).dropna()
        peers = change[~change.index.isin([NATIONAL, ABROAD])]
        z = forensics.robust_z(peers.to_numpy()) if len(peers) >= MIN_PEERS else np.full(len(peers), np.nan)
        median = float(np.median(peers)) if len(peers) else float("nan")
        zs = dict(zip(peers.index, z, strict=True))
        for unit, value in change.items():
            rows.append((t1, t0, str(unit), float(value), median, float(zs.get(unit, np.nan))))
    return pd.DataFrame(rows, columns=["time", "before_time", "unit", "change", "median", "z"])


def interval_outlier(election) -> list[Flag]:
    """An interval's increase with ``|robust z| > INTERVAL_Z_LIMIT`` among the units reporting it."""
    inc = increments(election)
    inc = inc[inc["z"].abs() > INTERVAL_Z_LIMIT]
    return [
        Flag("interval_outlier", r.unit, time=r.time,
             figures={"change": r.change, "before_time": r.before_time, "median": r.median, "z": r.z})
        for r in inc.itertuples()
    ]


def final_jump(election) -> list[Flag]:
    """The final turnout more than ``FINAL_JUMP_PP`` above the unit's last interim report."""
    wide = _turnout_wide(election)
    out = []
    for unit, value in _final(election).items():
        if unit not in wide.index:
            continue
        last = wide.loc[unit].dropna()
        if not len(last):
            continue
        before_time, before = str(last.index[-1]), float(last.iloc[-1])
        if value - before > FINAL_JUMP_PP:
            out.append(Flag("final_jump", unit, time=FINAL,
                            figures={"before": before, "before_time": before_time, "after": value,
                                     "change": value - before}))
    return out


# --- protocols ---------------------------------------------------------------------------------------------
def protocol_sum(election) -> list[Flag]:
    """``took_part`` against the ballots in the box (party votes + against all + invalid), in rows where
    every one of them is reported."""
    out = []
    for contest in election.contests:
        rows = election.contest_rows(contest.key)
        parties = [p for p in election.options(contest.key) if p in rows.columns]
        # a referendum ballot has no "against all": its empty cell is not a missing figure
        against = [] if contest.kind == "referendum" else ["against_all"]
        need = ["took_part", "invalid", *against, *parties]
        if not len(rows) or not parties:
            continue
        full = rows[rows[need].notna().all(axis=1)]
        in_box = full[["invalid", *against, *parties]].astype("int64").sum(axis=1)
        took = full["took_part"].astype("int64")
        diff = in_box - took
        bad = (diff > 0) | (-diff > BALLOT_SHORTFALL_SHARE * took)
        for unit, t, b, d in zip(full["unit"][bad], took[bad], in_box[bad], diff[bad], strict=True):
            out.append(Flag("protocol_sum", str(unit), contest.key,
                            figures={"took_part": int(t), "in_box": int(b), "difference": int(d)},
                            kind=contest.kind))
    return out


def took_part_above_registered(election) -> list[Flag]:
    """Results rows with ``took_part`` > ``registered`` (both reported)."""
    rows = election.results
    both = rows[rows["took_part"].notna() & rows["registered"].notna()]
    over = both[both["took_part"].astype("int64") > both["registered"].astype("int64")]
    return [
        Flag("took_part_above_registered", str(r.unit), str(r.contest),
             figures={"took_part": int(r.took_part), "registered": int(r.registered)})
        for r in over.itertuples()
    ]


def stations_sum(election) -> list[Flag]:
    """A region's reported row against the sum of its stations' rows, figure by figure, where the region's
    figure and every station's are reported."""
    from dashboard.figures.common import field_label

    out = []
    for contest in election.contests:
        rows = election.contest_rows(contest.key)
        units = rows["unit"].astype(str)
        stations = rows[units.str.contains("/", regex=False)]
        if not len(stations):
            continue
        tops = stations["unit"].astype(str).str.split("/", n=1).str[0]
        fields = [f for f in (*COUNT_COLUMNS, *election.options(contest.key)) if f in rows.columns]
        for top, group in stations.groupby(tops.to_numpy(), sort=True):
            total = rows[units == top]
            if not len(total):
                continue
            total = total.iloc[0]
            for f in fields:
                if total[f] is pd.NA or group[f].isna().any():
                    continue
                s = int(group[f].astype("int64").sum())
                if s != int(total[f]):
                    out.append(Flag("stations_sum", str(top), contest.key,
                                    figures={"field": f, "unit_total": int(total[f]), "stations_sum": s},
                                    names={"field": {lang: field_label(f, election, lang) for lang in LANGUAGES}}))
    return out


def stations_above_expected(election) -> list[Flag]:
    """More station rows with results in a region (or abroad) than stations.csv lists there."""
    if not len(election.stations):
        return []
    expected = election.stations["unit"].astype(str).str.split("/", n=1).str[0].value_counts()
    out = []
    for contest in election.contests:
        rows = election.contest_rows(contest.key)
        fields = [f for f in election.count_columns if f in rows.columns]
        rows = rows[rows[fields].notna().any(axis=1)]
        units = rows["unit"].astype(str)
        station_units = units[units.str.contains("/", regex=False)].unique()
        counted = pd.Series([u.split("/", 1)[0] for u in station_units], dtype=object).value_counts()
        for top, n in counted.items():
            if n > int(expected.get(top, 0)):
                out.append(Flag("stations_above_expected", str(top), contest.key,
                                figures={"counted": int(n), "expected": int(expected.get(top, 0))}))
    return out


def station_outlier(election) -> list[Flag]:
    """Stations of the headline contest far above their region in both turnout and the leading share
    (:func:`dashboard.observers.forensics.joint_outliers`)."""
    stations = forensics.station_table(election)
    if not len(stations):
        return []
    from dashboard.electoral.progress import headline_contest

    leader = stations.attrs["leader"]
    name = election.option(leader).short_name("en") if leader in election.option_keys else leader
    names = {lang: election.option(leader).short_name(lang) for lang in LANGUAGES} if leader in election.option_keys else {}
    hits = forensics.joint_outliers(stations, STATION_Z_EACH, STATION_Z_JOINT, STATION_MIN_PEERS)
    return [
        Flag("station_outlier", str(r.unit), headline_contest(election),
             figures={"turnout": r.turnout_pct, "turnout_median": r.turnout_median, "leader": name,
                      "leader_share": r.leader_pct, "leader_median": r.leader_median,
                      "turnout_z": r.turnout_z, "leader_z": r.leader_z},
             names={"leader": names} if names else {}, kind=stations.attrs.get("kind") or "")
        for r in hits.itertuples()
    ]


#: Every rule, in the order flags are listed.
CHECKS = (turnout_falls, turnout_above_100, interval_outlier, final_jump, protocol_sum,
          took_part_above_registered, stations_sum, stations_above_expected, station_outlier)


def flags_of(election) -> list[Flag]:
    """Every flag of an election, rule by rule; memoised on the (immutable) election."""
    memo = election.__dict__
    if "_observer_flags" not in memo:
        memo["_observer_flags"] = [f for check in CHECKS for f in check(election)]
    return list(memo["_observer_flags"])
