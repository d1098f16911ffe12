"""The night's best estimate (electoral/projection.py): hand-worked cases, determinism, nothing at final, the
off switch and the JSON shape of ``summary --json``'s ``"projection"``; simulate's orders and previous vote."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.electoral.projection import METHOD_STRATA, METHOD_SWING, choose_previous, project
from dashboard.ingest.package import load_files
from dashboard.ingest.validate import parse_election_json
from dashboard.model import RESULT_BASE_COLUMNS, STATION_COLUMNS, TURNOUT_COLUMNS, Contest, Election, Party
from dashboard.rehearsal.kinds import Steering, part_counted, previous_package, simulate_kind
from dashboard.rehearsal.nights import lead_rows, ordered, tops_of
from dashboard.rehearsal.simulate import counting_order, simulate_election
from dashboard.store.library import Library
from dashboard.store.write import election_json

PARTIES = (Party("p", {"en": "P"}, {"en": "P"}, "#000000"), Party("q", {"en": "Q"}, {"en": "Q"}, "#111111"))


def _election(eid: str, date: str, rows: list[tuple], status: str, stations: list[tuple[str, int]],
              previous: str | None = None) -> Election:
    """A two-party list (10 seats, 5 %, no "against all") with station rows (unit, registered, took, p, q)."""
    cols = [*RESULT_BASE_COLUMNS, "p", "q"]
    res = pd.DataFrame([("list", u, reg, took, 0, None, p, q) for u, reg, took, p, q in rows], columns=cols)
    for c in cols[2:]:
        res[c] = res[c].astype("Int64")
    turnout = pd.DataFrame(columns=list(TURNOUT_COLUMNS))
    st = pd.DataFrame(stations, columns=["unit", "registered"])
    st["station"] = st["unit"].str.split("/").str[1]
    st["registered"] = st["registered"].astype("Int64")
    contest = Contest("list", "mazhilis", "party_list", "kz", 10, 5.0, status=status, against_all=False)
    return Election(id=eid, date=date, names={"en": eid}, parties=PARTIES, contests=(contest,), results=res,
                    turnout=turnout, stations=st[list(STATION_COLUMNS)], previous_election=previous)


STATIONS = [("astana/1", 1000), ("astana/2", 1000), ("almaty/1", 1000), ("almaty/2", 1000)]
#: Tonight: Astana fully counted (turnout 60 %, P 60 %, Q 40 %); Almaty not at all.
TONIGHT = [("astana/1", 1000, 600, 360, 240), ("astana/2", 1000, 600, 360, 240)]
#: Last time: Astana P 50 % Q 50 %, Almaty P 30 % Q 70 %, turnout 50 % in both.
BEFORE = [("astana/1", 1000, 500, 250, 250), ("astana/2", 1000, 500, 250, 250),
          ("almaty/1", 1000, 500, 150, 350), ("almaty/2", 1000, 500, 150, 350)]


def _pair():
    night = _election("night", "2026-01-01", TONIGHT, "counting", STATIONS)
    before = _election("before", "2021-01-01", BEFORE, "final", STATIONS)
    return night, before


def test_hand_worked_swing_from_the_previous_vote():
    """Astana swung ×1.2 to P and ×0.8 to Q (60/50, 40/50) and turnout ×1.2 (60/50). Almaty, not counted,
    is its previous vote with that swing: P 0.3 × 1.2 = 0.36, Q 0.7 × 0.8 = 0.56, renormalised
    P = 0.36 / 0.92 = 39.13 %; turnout 50 % × 1.2 = 60 %: 1,200 voters, 469.57 for P, 730.43 for Q.
    Nationally P = (720 + 469.57) / 2,400 = 49.565 %, Q = 50.435 % (the count so far says 60 / 40)."""
    night, before = _pair()
    p = project(night, "list", before)
    assert p is not None and p["method"] == METHOD_SWING
    assert p["based_on"]["previous_election"] == "before"
    assert p["based_on"]["stations_counted"] == 2 and p["based_on"]["stations_expected"] == 4
    assert p["parties"]["p"]["share_pct"]["mid"] == pytest.approx(49.565, abs=0.05)
    assert p["parties"]["q"]["share_pct"]["mid"] == pytest.approx(50.435, abs=0.05)
    assert p["turnout_pct"]["mid"] == pytest.approx(60.0, abs=0.05)
    # 1,190 and 1,210 votes: Hare 4.958 and 5.042 seats -> 4 + 5, the last seat to P's larger remainder
    assert p["seats"]["p"]["mid"] == 5 and p["seats"]["q"]["mid"] == 5
    for item in p["parties"].values():
        s = item["share_pct"]
        assert s["low"] <= s["mid"] <= s["high"]
        assert item["p_pass_threshold"] == 1.0


def test_without_a_previous_vote_the_counted_regions_stand_for_the_rest_with_a_wider_interval():
    night, before = _pair()
    strata = project(night, "list", None)
    swing = project(night, "list", before)
    assert strata is not None and swing is not None
    assert strata["method"] == METHOD_STRATA and strata["based_on"]["previous_election"] is None
    assert strata["parties"]["p"]["share_pct"]["mid"] == pytest.approx(60.0, abs=0.05)

    def width(p):
        return p["parties"]["p"]["share_pct"]["high"] - p["parties"]["p"]["share_pct"]["low"]

    assert width(strata) > width(swing)


def test_a_region_counted_in_part_leans_on_its_own_stations():
    """Almaty has counted one of its two stations (P 40 %): its other station is expected near its own
    share, not at the previous vote + swing (39.1 %), nor at Astana's 60 %."""
    night, before = _pair()
    rows = [*TONIGHT, ("almaty/1", 1000, 600, 240, 360)]
    night = dataclasses.replace(night, results=_election("n", "2026-01-01", rows, "counting", STATIONS).results)
    p = project(night, "list", before)
    assert p is not None
    # Astana 720 + Almaty 240 counted + Almaty's other station at about 40 % of about 600
    assert p["parties"]["p"]["share_pct"]["mid"] == pytest.approx((720 + 240 + 240) / 2400 * 100, abs=0.6)


def test_the_swing_is_a_mean_over_regions_not_over_voters():
    """Astana (three stations) swung to P ×1.2 (50 → 60 %), Almaty (one station) away from it ×0.8 (50 →
    40 %); both counted in full, turnout 50 → 60 % in both. As a random-effects mean each counted region
    weighs alike (neither has any sampling error left), so the swing is ×√0.96 for P and for Q alike and
    Shymkent, not counted, keeps its previous 30 / 70 at 60 % turnout: 180 and 420 of 600 voters.
    Nationally P = (1,080 + 240 + 180) / 3,000 = 50.0 %. (Weighted by voters counted, 3 : 1, the swing
    would put Shymkent's P at 34.4 % and the nation's at 50.9 %.)"""
    stations = [("astana/1", 1000), ("astana/2", 1000), ("astana/3", 1000), ("almaty/1", 1000),
                ("shymkent/1", 1000)]
    tonight = [("astana/1", 1000, 600, 360, 240), ("astana/2", 1000, 600, 360, 240),
               ("astana/3", 1000, 600, 360, 240), ("almaty/1", 1000, 600, 240, 360)]
    before = [("astana/1", 1000, 500, 250, 250), ("astana/2", 1000, 500, 250, 250),
              ("astana/3", 1000, 500, 250, 250), ("almaty/1", 1000, 500, 250, 250),
              ("shymkent/1", 1000, 500, 150, 350)]
    night = _election("night", "2026-01-01", tonight, "counting", stations)
    p = project(night, "list", _election("before", "2021-01-01", before, "final", stations))
    assert p is not None and p["method"] == METHOD_SWING
    assert p["parties"]["p"]["share_pct"]["mid"] == pytest.approx(50.0, abs=0.05)
    assert p["parties"]["q"]["share_pct"]["mid"] == pytest.approx(50.0, abs=0.05)
    assert p["turnout_pct"]["mid"] == pytest.approx(60.0, abs=0.05)


def test_deterministic_per_version():
    night, before = _pair()
    a = project(night, "list", before)
    b = project(dataclasses.replace(night), "list", before)  # the same content, another object
    assert a == b
    rows = [*TONIGHT[:1], ("astana/2", 1000, 600, 361, 239)]
    other = dataclasses.replace(night, results=_election("n", "2026-01-01", rows, "counting", STATIONS).results)
    assert project(other, "list", before) != a


def test_no_projection_at_final_nor_before_a_station_counts():
    night, before = _pair()
    assert project(before, "list", None) is None  # final: every station counted
    empty = dataclasses.replace(night, results=night.results.iloc[0:0])
    assert project(empty, "list", before) is None
    no_list = dataclasses.replace(night, stations=night.stations.iloc[0:0])
    assert project(no_list, "list", before) is None


def test_choose_previous_named_or_latest_earlier_of_the_same_body_and_kind():
    night, before = _pair()
    older = dataclasses.replace(before, id="older", date="2016-01-01")
    later = dataclasses.replace(before, id="later", date="2027-01-01")
    other_kind = dataclasses.replace(before, id="pres", date="2024-01-01", contests=(
        dataclasses.replace(before.contests[0], kind="presidential"),))
    found = {e.id: e for e in (before, older, later, other_kind)}
    ids = list(found)
    assert choose_previous(night, "list", found.get, ids).id == "before"
    named = dataclasses.replace(night, previous_election="older")
    assert choose_previous(named, "list", found.get, ids).id == "older"
    assert choose_previous(dataclasses.replace(night, previous_election="gone"), "list", found.get, ids) is None


def test_previous_election_field_is_validated_and_written():
    night, _ = _pair()
    doc = election_json(dataclasses.replace(night, previous_election="kz-2021-01-10"))
    assert doc["previous_election"] == "kz-2021-01-10"
    parsed, problems = parse_election_json(json.dumps(doc).encode())
    assert not problems and parsed is not None and parsed.previous_election == "kz-2021-01-10"
    assert "previous_election" not in election_json(night) and "previous_election" not in parsed.extra
    for bad in ("../x", "Night", {"en": "x"}, "night"):
        doc = {**election_json(night), "previous_election": bad}
        assert parse_election_json(json.dumps(doc).encode())[0] is None, bad


# --- simulated nights -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def kurultai():
    full = simulate_kind("kurultai", 600, 31, 1.0)
    return full, load_files(previous_package(full, 31).files())


def test_kinds_json_shape(kurultai):
    full, prev = kurultai
    night = load_files(part_counted(full, 31, 0.25, "strongholds").files())
    p = project(night, "kurultai_party_list", prev)
    assert p is not None
    assert {"method", "based_on", "parties", "seats"} <= set(p)
    assert set(p["parties"]) == set(night.options("kurultai_party_list"))
    for item in p["parties"].values():
        assert set(item) == {"share_pct", "p_pass_threshold"}
        assert set(item["share_pct"]) == {"low", "mid", "high"}
        assert 0 <= item["p_pass_threshold"] <= 1
    assert set(p["seats"]) == set(p["parties"])
    assert all(s["low"] <= s["mid"] <= s["high"] for s in p["seats"].values())
    assert sum(s["mid"] for s in p["seats"].values()) == 145
    json.dumps(p)  # plain JSON types only

    pres = simulate_kind("presidential", 600, 31, 0.25, Steering(leader_pct=60))
    pp = project(load_files(pres.files()), "president", None)
    assert pp is not None and pp["leader"] == "alpha" and pp["p_elected_outright"] > 0.9
    assert "seats" not in pp and all(i["p_pass_threshold"] is None for i in pp["parties"].values())


def test_referendum_two_thirds_of_units():
    """61 % yes nationally, but a yes majority in only 12 of the 20 units (14 needed): valid, not adopted."""
    full = simulate_kind("referendum", 600, 31, 1.0, Steering(yes_pct=61, yes_units=12))
    night = load_files(part_counted(full, 31, 0.5).files())
    p = project(night, "referendum_1", load_files(previous_package(full, 31).files()))
    assert p is not None and p["p_valid"] > 0.95 and p["p_adopted"] < 0.2
    assert p["parties"]["yes"]["share_pct"]["low"] < 61 < p["parties"]["yes"]["share_pct"]["high"] + 1


def test_the_swing_beats_the_count_so_far_when_strongholds_count_first(kurultai):
    full, prev = kurultai
    final = load_files(full.files())
    truth = {p: float(final.contest_rows("kurultai_party_list")[p].sum()) for p in final.party_keys}
    night = load_files(part_counted(full, 31, 0.25, "strongholds").files())
    rows = night.contest_rows("kurultai_party_list")
    counted = {p: float(rows[p].sum()) for p in night.party_keys}
    p = project(night, "kurultai_party_list", prev)
    lead = max(truth, key=lambda k: truth[k])
    true_pct = 100 * truth[lead] / (sum(truth.values()) + float(final.results["against_all"].sum()))
    naive_pct = 100 * counted[lead] / (sum(counted.values()) + float(rows["against_all"].sum()))
    mid = p["parties"][lead]["share_pct"]["mid"]
    assert abs(mid - true_pct) < abs(naive_pct - true_pct)


def test_orders_are_deterministic_and_random_is_the_old_order():
    e = simulate_election(300, 12)
    assert (counting_order(e, 12, "random") == counting_order(e, 12)).all()
    for order in ("strongholds", "cities", "west-late"):
        a, b = counting_order(e, 12, order), counting_order(e, 12, order)
        assert (a == b).all() and sorted(a) == sorted(counting_order(e, 12))
    first = tops_of(counting_order(e, 12, "cities")[:20])
    assert set(first) <= {"astana", "almaty", "shymkent"}
    rows, options = lead_rows(e.results)
    assert options[0] == "amanat"
    units = e.stations["unit"].astype(str).to_numpy()
    strong = ordered(units, e.results, 12, "strongholds")
    share = rows.groupby(tops_of(rows["unit"].to_numpy()))[["amanat", "took_part"]].sum()
    best = (share["amanat"] / share["took_part"]).astype(float).idxmax()
    assert tops_of(strong[:1])[0] == best


def test_simulate_previous_is_deterministic_and_named(tmp_path):
    for run in ("a", "b"):
        assert main(["simulate", "--kind", "referendum", "--stations", "200", "--seed", "4", "--previous",
                     str(tmp_path / run / "prev.zip"), str(tmp_path / run / "night.zip")]) == 0
    for name in ("prev.zip", "night.zip"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    night = load_files(dict(_zip(tmp_path / "a" / "night.zip")))
    prev = load_files(dict(_zip(tmp_path / "a" / "prev.zip")))
    assert night.previous_election == prev.id == "sim-referendum-4-200-previous" and prev.date < night.date
    assert prev.contests[0].kind == "referendum" and prev.contests[0].status == "final"


def _zip(path):
    import zipfile

    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            yield name, zf.read(name)


def test_summary_json_gains_the_projection_and_the_off_switch(tmp_path, monkeypatch, capsys):
    data = tmp_path / "data"
    monkeypatch.setenv("SAYLAU_DATA_DIR", str(data))
    monkeypatch.delenv("SAYLAU_PROJECTION", raising=False)
    assert main(["simulate", "--kind", "kurultai", "--stations", "300", "--seed", "8", "--reported-fraction",
                 "0.3", "--order", "cities", "--previous", str(tmp_path / "prev"), str(tmp_path / "night")]) == 0
    lib = Library(data)
    lib.ingest(tmp_path / "prev")
    lib.ingest(tmp_path / "night")
    capsys.readouterr()
    args = ["summary", "--election", "sim-kurultai-8-300", "--contest", "kurultai_party_list", "--json"]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    proj = doc["projection"]
    assert proj["method"] == METHOD_SWING and proj["based_on"]["previous_election"] == "sim-kurultai-8-300-previous"
    assert set(proj["parties"]["amanat"]["share_pct"]) == {"low", "mid", "high"}
    assert set(proj["seats"]["amanat"]) == {"low", "mid", "high"}
    monkeypatch.setenv("SAYLAU_PROJECTION", "off")
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["projection"] is None
    # the previous election, final, has none
    monkeypatch.delenv("SAYLAU_PROJECTION")
    assert main(["summary", "--election", "sim-kurultai-8-300-previous", "--contest", "kurultai_party_list",
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["projection"] is None


def test_cost_well_under_a_second_at_10000_stations():
    import time

    full = simulate_kind("kurultai", 10_000, 3, 1.0)
    night = load_files(part_counted(full, 3, 0.25, "strongholds").files())
    prev = load_files(previous_package(full, 3).files())
    project(night, "kurultai_party_list", prev)
    t = time.perf_counter()
    p = project(night, "kurultai_party_list", prev)
    assert p is not None and time.perf_counter() - t < 1.0
    assert np.isfinite([i["share_pct"]["mid"] for i in p["parties"].values()]).all()
