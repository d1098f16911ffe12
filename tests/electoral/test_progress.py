"""Counting in progress: an uncounted station is the same blank or absent; stations counted of expected."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from dashboard.electoral.commands import format_summary
from dashboard.electoral.progress import (
    COUNTING,
    FINAL,
    PRELIMINARY,
    Progress,
    contest_progress,
    election_progress,
    progress_line,
)
from dashboard.electoral.summary import contest_summary
from dashboard.store.embedded import embedded_election

NA = None
ML = "mazhilis_party_list"
AST = "maslikhat_astana_party_list"
COUNTED = [(ML, "astana/001", 100, 50, 1, 2, 30, 10, 7), (ML, "abai/001", 300, 200, 5, 5, 100, 60, 30)]
BLANK = (ML, "astana/002", NA, NA, NA, NA, NA, NA, NA)


def with_stations(e, units, status=None):
    st = pd.DataFrame({"unit": pd.Series(units, dtype="str"), "station": pd.Series([u[-3:] for u in units], dtype="str"),
                       "registered": pd.array([100] * len(units), dtype="Int64")})
    contests = e.contests if status is None else tuple(dataclasses.replace(c, status=status) for c in e.contests)
    return dataclasses.replace(e, stations=st, contests=contests)


def test_blank_station_row_is_the_same_as_no_row(make_election):
    """The bug of issue 7: one counted station + one blank row made the region and kz "not reported"."""
    absent = make_election(results=COUNTED)
    blank = make_election(results=[*COUNTED, BLANK])
    for unit in ("astana", "kz"):
        a, b = contest_summary(absent, ML, unit), contest_summary(blank, ML, unit)
        assert a.to_dict() == b.to_dict()
    s = contest_summary(blank, ML, "astana")
    assert (s.registered, s.took_part, s.against_all) == (100, 50, 2)
    assert {p.party: p.votes for p in s.parties} == {"a": 30, "b": 10, "c": 7}
    kz = contest_summary(blank, ML, "kz")
    assert (kz.registered, kz.took_part) == (400, 250)
    assert {p.party: p.votes for p in kz.parties} == {"a": 130, "b": 70, "c": 37}


def test_blank_own_row_does_not_hide_the_stations(make_election):
    e = make_election(results=[*COUNTED, (ML, "astana", NA, NA, NA, NA, NA, NA, NA)])
    assert contest_summary(e, ML, "astana").registered == 100


def test_partly_blank_station_row_still_makes_the_sum_not_reported(make_election):
    e = make_election(results=[*COUNTED, (ML, "astana/002", 80, 40, 0, 1, 20, NA, 10)])
    s = contest_summary(e, ML, "astana")
    assert s.registered == 180
    votes = {p.party: p.votes for p in s.parties}
    assert votes == {"a": 50, "b": None, "c": 17}
    assert s.votes_counted is None and not s.complete
    assert contest_summary(e, ML, "kz").votes_counted is None


def test_progress_counts_stations_with_any_figure(make_election):
    e = with_stations(make_election(results=[*COUNTED, BLANK]),
                      ["astana/001", "astana/002", "astana/003", "abai/001"], COUNTING)
    assert contest_progress(e, ML) == Progress(COUNTING, 2, 4)
    assert contest_progress(e, ML, "astana") == Progress(COUNTING, 1, 3)
    assert contest_progress(e, ML, "abai") == Progress(COUNTING, 1, 1)
    assert contest_progress(e, ML, "astana/002") == Progress(COUNTING, 0, 1)
    assert contest_progress(e, ML, "almaty") == Progress(COUNTING, 0, 0)
    # a regional maslikhat expects only its own region's stations
    assert contest_progress(e, AST) == Progress(COUNTING, 0, 3)
    assert election_progress(e) == Progress(COUNTING, 2, 4)
    p = contest_progress(e, ML, "astana")
    assert p.fraction == pytest.approx(1 / 3) and p.partial



def test_station_row_with_only_some_figures_is_counted(make_election):
    """A row that misses one party's figure (or any one cell) is still a counted station: the count
    is in, one figure is unknown. Only a row with every cell empty is uncounted."""
    missing_b = (ML, "astana/002", 80, 40, 0, 1, 20, NA, 10)  # party b's cell empty
    only_took_part = (ML, "astana/003", NA, 25, NA, NA, NA, NA, NA)
    e = with_stations(make_election(results=[*COUNTED, missing_b, only_took_part]),
                      ["astana/001", "astana/002", "astana/003", "abai/001"], COUNTING)
    assert contest_progress(e, ML) == Progress(COUNTING, 4, 4)
    assert contest_progress(e, ML, "astana") == Progress(COUNTING, 3, 3)
    assert contest_progress(e, ML, "astana/002") == Progress(COUNTING, 1, 1)
    assert contest_progress(e, ML, "astana/003") == Progress(COUNTING, 1, 1)

def test_progress_partial_and_fraction():
    assert not Progress(FINAL, 4, 4).partial and Progress(FINAL, 4, 4).fraction == 1.0
    assert Progress(FINAL, 3, 4).partial  # stations missing, whatever the status says
    assert Progress(COUNTING, 4, 4).partial
    assert not Progress(PRELIMINARY, None, None).partial and Progress(PRELIMINARY, None, None).fraction is None
    assert Progress(FINAL, 0, 0).fraction is None


def test_no_station_list_gives_no_counts(make_election):
    e = make_election(results=COUNTED)
    assert contest_progress(e, ML) == Progress(FINAL, None, None)


def test_summary_json_and_text_say_how_much_is_counted(make_election):
    e = with_stations(make_election(results=[*COUNTED, BLANK]),
                      ["astana/001", "astana/002", "astana/003", "abai/001"], PRELIMINARY)
    doc = json.loads(json.dumps(contest_summary(e, ML).to_dict()))
    assert (doc["status"], doc["stations_counted"], doc["stations_expected"]) == ("preliminary", 2, 4)
    region = contest_summary(e, ML, "astana").to_dict()
    assert (region["stations_counted"], region["stations_expected"]) == (1, 3)
    text = format_summary(contest_summary(e, ML))
    assert "Preliminary · 2 of 4 polling stations counted (50.0 %)" in text


def test_progress_line_wording_and_rounding():
    assert progress_line(Progress(PRELIMINARY, 1234, 10081)) == (
        "Preliminary · 1,234 of 10,081 polling stations counted (12.2 %)")
    # 10,080 of 10,081 is 99.99 %: shown as 99.9 %, never as a finished 100.0 %
    assert progress_line(Progress(COUNTING, 10080, 10081)).endswith("(99.9 %)")
    assert progress_line(Progress(FINAL, 10081, 10081)).endswith("(100.0 %)")
    assert progress_line(Progress(FINAL, None, None)) == "Final"


def test_seats_while_counting_are_a_projection(make_election):
    e = with_stations(make_election(results=COUNTED), ["astana/001", "astana/002", "abai/001"], COUNTING)
    s = contest_summary(e, ML)
    # 10 seats on a = 130, b = 70, c = 37 (all above 5 % of 244): Hare quota 23.7 -> 5, 2, 1 + remainders
    # 130*10/237 = 5 r 115, 70*10/237 = 2 r 226, 37*10/237 = 1 r 133 -> leftover 2 go to b, c
    assert {p.party: p.seats for p in s.parties} == {"a": 5, "b": 3, "c": 2}
    assert s.seats_computed and s.seats_projection and not s.complete
    text = format_summary(s)
    assert "projection" in text
    # mid-count no line says "passed": a above the threshold so far, and the footnote says why
    a_line = next(x for x in text.splitlines() if x.strip().startswith("a "))
    assert "above*" in a_line and "passed" not in a_line
    assert "nothing has passed or failed the threshold yet" in text
    final = with_stations(make_election(results=COUNTED), ["astana/001", "abai/001"], FINAL)
    f = contest_summary(final, ML)
    assert f.seats_computed and not f.seats_projection and f.complete


def test_embedded_2023_is_final_without_a_station_list():
    e = embedded_election()
    assert len(e.stations) == 0
    assert election_progress(e) == Progress(FINAL, None, None)
    s = contest_summary(e, ML)
    assert (s.status, s.stations_counted, s.stations_expected, s.seats_projection) == ("final", None, None, False)
