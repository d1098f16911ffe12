"""Packages of the new kinds (presidential, referendum, a declared body) ingest, round-trip through the
canonical writer and the .frames.npz fast load exactly, and malformed ones are refused naming file, line
and rule."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from dashboard.ingest.package import load_package, load_update
from dashboard.ingest.validate import parse_election_json
from dashboard.model import Candidate
from dashboard.store.fastload import election_from, frames_bytes
from dashboard.store.write import election_json, write_package
from tests.kinds_packages import (
    CANDIDATES,
    PRES_HEADER,
    QUESTION,
    REF_HEADER,
    kurultai_doc,
    presidential_doc,
    presidential_rows,
    referendum_doc,
    referendum_rows,
    write,
)

from .conftest import rejected

TABLES = ("results", "turnout", "districts", "composition", "sources", "stations")


def _both_doc() -> dict:
    """A presidential election and a referendum question on the same day (one ballot box, two ballots)."""
    doc = presidential_doc()
    doc["contests"] += referendum_doc()["contests"]
    return doc


BOTH_HEADER = "contest,unit,registered,took_part,invalid,against_all,alpha,beta,gamma,yes,no"


def _where(problems, rule):
    return [(p.file, p.line) for p in problems if p.rule == rule]


def _bad_json(tmp_path, doc) -> list[str]:
    """The messages of an election.json that must be refused (each names the field)."""
    problems = rejected(load_package, write(tmp_path / "p", doc, presidential_rows()))
    assert {(p.file, p.line, p.rule) for p in problems} == {("election.json", 0, "bad-election-json")}
    return [p.message for p in problems]


# --- what a package of each kind holds ------------------------------------------------------------------
def test_a_presidential_package(tmp_path):
    e = load_package(write(tmp_path / "p", presidential_doc(), presidential_rows()))
    assert e.candidate_keys == ("alpha", "beta", "gamma") and e.party_keys == ()
    assert e.candidates[0] == Candidate("alpha", CANDIDATES[0]["names"], CANDIDATES[0]["short"], "#0072B2",
                                        nominated_by=CANDIDATES[0]["nominated_by"])
    assert e.candidates[1].short == e.candidates[1].names  # no short names: the full ones
    assert list(e.results.columns) == PRES_HEADER.split(",")
    row = e.results.iloc[0]
    assert (row["alpha"], row["beta"], row["gamma"], row["against_all"]) == (4800, 3000, 1700, 300)
    assert e.lead_contest().key == "president" and e.kinds() == ("presidential",)


def test_a_referendum_package(tmp_path):
    e = load_package(write(tmp_path / "p", referendum_doc(), referendum_rows()))
    c = e.contest("constitution")
    assert (c.kind, c.constitutional, c.question) == ("referendum", True, QUESTION)
    assert list(e.results.columns) == REF_HEADER.split(",")
    assert e.results["against_all"].isna().all() and int(e.results["yes"].sum()) == 12_200


def test_referendum_columns_by_their_kazakh_and_russian_names(tmp_path):
    rows = ("contest,unit,registered,took_part,invalid,against_all,Иә,Жоқ\n"
            "constitution,abai,1500,1000,10,,750,240\n")
    e = load_package(write(tmp_path / "p", referendum_doc(), rows))
    assert (int(e.results.at[0, "yes"]), int(e.results.at[0, "no"])) == (750, 240)
    rows = "contest;unit;registered;took_part;invalid;against_all;Да;Нет\nconstitution;abai;1500;1000;10;;750;240\n"
    e = load_package(write(tmp_path / "q", referendum_doc(), rows))
    assert int(e.results.at[0, "no"]) == 240
    rows = "contest,unit,registered,took_part,invalid,against_all,За,Против\nconstitution,abai,1500,1000,10,,750,240\n"
    e = load_package(write(tmp_path / "r", referendum_doc(), rows))
    assert (int(e.results.at[0, "yes"]), int(e.results.at[0, "no"])) == (750, 240)


def test_a_declared_body_and_a_kurultai_without_a_threshold(tmp_path):
    doc = kurultai_doc()
    doc["bodies"] = [{"key": "halyq_kenesi", "names": {"kk": "Халық Кеңесі", "ru": "Народный совет",
                                                        "en": "People's Council"}}]
    doc["contests"].append({"key": "council", "body": "halyq_kenesi", "kind": "party_list", "area": "kz",
                            "seats": 10, "threshold_pct": 7})
    rows = "contest,unit,registered,took_part,invalid,against_all,amanat,auyl,respublica\n"
    e = load_package(write(tmp_path / "p", doc, rows))
    assert e.contest("kurultai_party_list").threshold_pct is None
    assert e.contest("council").threshold_pct == 7.0
    assert e.body_name("halyq_kenesi", "ru") == "Народный совет" and e.body_name("kurultai", "kk") == "Құрылтай"


# --- write → load → equal, and the fast load ------------------------------------------------------------
@pytest.mark.parametrize("kind", ["presidential", "referendum", "both"])
def test_canonical_writer_and_fast_load_round_trip(tmp_path, kind):
    doc, rows = {
        "presidential": (presidential_doc(published_outcome={"elected": "alpha"}, candidates=["alpha", "beta"],
                                          base="votes_counted"),
                         presidential_rows().replace(",1700\n", ",\n")),
        "referendum": (referendum_doc(published_outcome={"adopted": True, "valid": True,
                                                         "units_with_yes_majority": 20}, status="preliminary"),
                       referendum_rows()),
        "both": (_both_doc(), f"{BOTH_HEADER}\npresident,kz,15000,10000,200,300,4800,3000,1700,,\n"
                              f"constitution,kz,15000,10000,100,,,,,6100,3800\n"),
    }[kind]
    if kind == "presidential":
        doc["candidates"][1]["nominated_by"] = {"kk": "өзін-өзі ұсынған", "ru": "самовыдвижение",
                                                "en": "self-nominated"}
    e = load_package(write(tmp_path / "src", doc, rows))
    again = load_package(write_package(e, tmp_path / "out"))
    assert election_json(again) == election_json(e)
    assert again.contests == e.contests and again.candidates == e.candidates and again.bodies == e.bodies
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(again, name), getattr(e, name), check_exact=True)
    meta, problems = parse_election_json(json.dumps(election_json(e)).encode())
    assert not problems and meta is not None
    fast = election_from(frames_bytes(e), meta)
    assert fast.contests == e.contests and fast.candidates == e.candidates
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(fast, name), getattr(e, name), check_exact=True)


def test_the_2023_package_writes_no_new_field(tmp_path):
    from dashboard.store.embedded import embedded_path

    doc = election_json(load_package(embedded_path()))
    assert "candidates" not in doc and "bodies" not in doc
    assert all(c["threshold_pct"] == 5.0 for c in doc["contests"])
    assert not {"question", "constitutional", "published_outcome", "base"} & {k for c in doc["contests"] for k in c}


# --- refused: results.csv -------------------------------------------------------------------------------
def test_votes_for_an_option_not_on_the_contests_ballot(tmp_path):
    rows = (f"{BOTH_HEADER}\n"
            "president,kz,15000,10000,200,300,4800,3000,1700,,\n"
            "constitution,kz,15000,10000,100,,,,,6100,3800\n"
            "president,astana,1500,1000,20,30,480,300,170,5,\n"   # line 4: a yes in a presidential row
            "constitution,astana,1500,1000,10,,,,,610,380\n")
    problems = rejected(load_package, write(tmp_path / "p", _both_doc(), rows))
    assert _where(problems, "not-on-ballot") == [("results.csv", 4)]
    message = next(p.message for p in problems if p.rule == "not-on-ballot")
    assert "answer yes" in message and "president" in message


def test_a_candidate_in_a_referendum_row(tmp_path):
    rows = f"{BOTH_HEADER}\nconstitution,kz,15000,10000,100,,,,,6100,3800\nconstitution,abai,1500,1000,10,,,,7,600,380\n"
    problems = rejected(load_package, write(tmp_path / "p", _both_doc(), rows))
    assert _where(problems, "not-on-ballot") == [("results.csv", 3)]
    assert "candidate gamma" in next(p.message for p in problems if p.rule == "not-on-ballot")


def test_a_missing_answer_column(tmp_path):
    rows = "contest,unit,registered,took_part,invalid,against_all,yes\nconstitution,abai,1500,1000,10,,750\n"
    problems = rejected(load_package, write(tmp_path / "p", referendum_doc(), rows))
    assert _where(problems, "missing-column") == [("results.csv", 1)]
    assert "answer no" in problems[0].message


def test_yes_and_no_are_no_columns_of_an_election_without_a_referendum(tmp_path):
    rows = f"{PRES_HEADER},yes\npresident,kz,15000,10000,200,300,4800,3000,1700,5\n"
    problems = rejected(load_package, write(tmp_path / "p", presidential_doc(), rows))
    assert _where(problems, "unknown-column") == [("results.csv", 1)]


def test_answers_and_blank_more_than_took_part(tmp_path):
    rows = f"{REF_HEADER}\nconstitution,abai,1500,1000,10,,750,241\n"
    problems = rejected(load_package, write(tmp_path / "p", referendum_doc(), rows))
    assert _where(problems, "votes-exceed-took-part") == [("results.csv", 2)]


def test_an_update_of_a_referendum_night(tmp_path):
    e = load_package(write(tmp_path / "p", referendum_doc(status="counting"), referendum_rows()))
    update = tmp_path / "results.csv"
    update.write_text(f"{REF_HEADER}\nconstitution,abai,1500,1100,10,,800,290\n", encoding="utf-8")
    after = load_update(update, e)
    assert int(after.results.set_index("unit").at["abai", "yes"]) == 800
    update.write_text(f"{REF_HEADER}\nconstitution,abai,1500,1100,10,3,800,287\n", encoding="utf-8")
    assert _where(rejected(load_update, update, e), "not-on-ballot") == [("results.csv", 2)]


# --- refused: election.json -----------------------------------------------------------------------------
def test_candidate_keys_may_not_collide(tmp_path):
    doc = presidential_doc()
    doc["parties"] = [{"key": "alpha", "names": {"en": "Alpha party"}, "colour": "#000000"}]
    doc["candidates"] = [*CANDIDATES, {"key": "yes", "names": {"en": "Y"}, "colour": "#000000"},
                         {"key": "beta", "names": {"en": "B"}, "colour": "#000000"}]
    messages = _bad_json(tmp_path, doc)
    assert any("candidates[0].key 'alpha' is already a party or candidate key" in m for m in messages)
    assert any("candidates[3].key 'yes' is reserved" in m for m in messages)
    assert any("candidates[4].key 'beta' is already" in m for m in messages)


def test_a_party_may_not_be_called_yes(tmp_path):
    doc = kurultai_doc()
    doc["parties"][0]["key"] = "no"
    assert any("parties[0].key 'no' is reserved" in m for m in _bad_json(tmp_path, doc))


def test_an_undeclared_body(tmp_path):
    doc = kurultai_doc()
    doc["contests"][0]["body"] = "senate"
    assert any("body must be a built-in body or one declared in 'bodies'" in m for m in _bad_json(tmp_path, doc))


@pytest.mark.parametrize(("contest", "words"), [
    ({"threshold_pct": 5.0}, "is a presidential contest and cannot have threshold_pct"),
    ({"question": QUESTION}, "cannot have question"),
    ({"candidates": ["alpha", "zeta"]}, ".candidates must list keys of 'candidates'"),
    ({"base": "registered"}, ".base must be one of took_part, votes_counted"),
    ({"published_outcome": {"elected": "zeta"}}, "zeta (not a candidate)"),
    ({"published_outcome": {"adopted": True}}, "wrong or unknown fields adopted"),
    ({"colour": "#000000"}, "has unknown fields: colour"),
])
def test_presidential_contest_fields(tmp_path, contest, words):
    assert any(words in m for m in _bad_json(tmp_path, presidential_doc(**contest)))


@pytest.mark.parametrize(("contest", "words"), [
    ({"question": None}, ".question must give the referendum's question"),
    ({"question": {"en": {"props": {"children": "x"}}}}, "must be text, not dict"),
    ({"constitutional": "yes"}, ".constitutional must be true or false"),
    ({"seats": 3}, "is a referendum contest and cannot have seats"),
    ({"published_outcome": {"units_with_yes_majority": -1}}, "wrong or unknown fields units_with_yes_majority"),
])
def test_referendum_contest_fields(tmp_path, contest, words):
    doc = referendum_doc(**contest)
    if contest.get("question", "") is None:
        del doc["contests"][0]["question"]
    problems = rejected(load_package, write(tmp_path / "p", doc, referendum_rows()))
    assert any(words in p.message for p in problems if p.file == "election.json"), [str(p) for p in problems]


def test_a_presidential_election_needs_candidates(tmp_path):
    doc = presidential_doc()
    del doc["candidates"]
    assert any("a presidential contest needs 'candidates'" in m for m in _bad_json(tmp_path, doc))


def test_bounded_lists(tmp_path):
    doc = presidential_doc()
    doc["candidates"] = [{"key": f"c{i}", "names": {"en": "C"}, "colour": "#000000"} for i in range(101)]
    doc["bodies"] = [{"key": f"b{i}", "names": {"en": "B"}} for i in range(65)]
    messages = _bad_json(tmp_path, doc)
    assert any("'candidates' must be a list of at most 100 candidates" in m for m in messages)
    assert any("'bodies' must be a list of at most 64 bodies" in m for m in messages)
