"""stations.csv and status in real package files: read, checked, written back, and changed by an update."""

from __future__ import annotations

import json

from dashboard.electoral.progress import Progress, contest_progress
from dashboard.ingest.package import load_package, load_update
from dashboard.store.write import write_package

from .conftest import HEADER, election_doc, make_package, rejected, rules_of

ROW = "mazhilis_party_list,{unit},1000,600,10,40,300,100,50,40,30,20,10"
BLANK = "mazhilis_party_list,{unit},,,,,,,,,,,"


def counting_doc():
    doc = election_doc(with_maslikhats=False)
    doc["contests"][0]["status"] = "counting"
    return doc


def package(tmp, stations: str, rows: list[str]):
    return make_package(tmp / "p", election=counting_doc(), files={"stations.csv": stations},
                        results=HEADER + "\n" + "\n".join(rows) + "\n")


def test_stations_and_status_are_read(tmp_path):
    # Russian headers, a semicolon file: the tolerant readers apply to stations.csv too
    stations = "Единица;Номер участка;Количество избирателей\nastana/0001;№ 1;1 200\nАстана/0002;№ 2;\nabroad;;80\n"
    e = load_package(package(tmp_path, stations, [ROW.format(unit="astana/0001"), BLANK.format(unit="astana/0002")]))
    assert list(e.stations["unit"]) == ["astana/0001", "astana/0002", "abroad"]
    assert list(e.stations["station"]) == ["№ 1", "№ 2", ""]
    assert e.stations["registered"].tolist()[0] == 1200 and e.stations["registered"].isna().tolist()[1]
    assert e.contest("mazhilis_party_list").status == "counting"
    assert e.contest("mazhilis_single_mandate").status == "final"
    assert contest_progress(e, "mazhilis_party_list") == Progress("counting", 1, 3)
    assert contest_progress(e, "mazhilis_party_list", "astana") == Progress("counting", 1, 2)


def test_written_package_reads_back_the_same(tmp_path):
    e = load_package(package(tmp_path, "unit,station,registered\nastana/0001,1,900\nabai/7,7,5\n",
                             [ROW.format(unit="astana/0001")]))
    out = write_package(e, tmp_path / "out")
    doc = json.loads((out / "election.json").read_text(encoding="utf-8"))
    assert doc["contests"][0]["status"] == "counting"
    assert "status" not in doc["contests"][1]  # defaults are not written: a 2023 package stays byte-identical
    assert (out / "stations.csv").read_text(encoding="utf-8") == "unit,station,registered\nastana/0001,1,900\nabai/7,7,5\n"
    again = load_package(out)
    assert again.stations.equals(e.stations)
    assert contest_progress(again, "mazhilis_party_list") == Progress("counting", 1, 2)


def test_station_list_problems(tmp_path):
    stations = ("unit,station,registered\nastana/0001,1,900\nastana/0001,1b,900\natlantis/1,x,5\n"
                "kz,,5\nabai/2,2,-4\n")
    problems = rejected(load_package, package(tmp_path, stations, [ROW.format(unit="astana/0001")]))
    got = {(p.line, p.rule) for p in problems}
    assert got == {(3, "duplicate-row"), (4, "unknown-unit"), (5, "not-a-station"), (6, "negative-count")}


def test_results_for_an_unlisted_station_are_refused(tmp_path):
    problems = rejected(load_package, package(tmp_path, "unit,station,registered\nastana/0001,1,900\n",
                                              [ROW.format(unit="astana/0001"), ROW.format(unit="abai/0001")]))
    assert {(p.file, p.line, p.rule) for p in problems} == {("results.csv", 3, "unknown-station")}



def test_results_for_abroad_need_abroad_in_the_station_list(tmp_path):
    """``abroad`` is a polling station (the stations abroad, counted as one): with a station list, its
    results row must be listed like any ``region/CODE`` one."""
    rows = [ROW.format(unit="astana/0001"), ROW.format(unit="abroad")]
    problems = rejected(load_package, package(tmp_path / "unlisted", "unit,station,registered\nastana/0001,1,900\n",
                                              rows))
    assert {(p.file, p.line, p.rule) for p in problems} == {("results.csv", 3, "unknown-station")}
    assert "abroad" in problems[0].message
    e = load_package(package(tmp_path / "listed", "unit,station,registered\nastana/0001,1,900\nabroad,,80\n", rows))
    assert contest_progress(e, "mazhilis_party_list") == Progress("counting", 2, 2)

def test_status_update_changes_only_the_status(tmp_path):
    e = load_package(package(tmp_path, "unit,station,registered\nastana/0001,1,900\n", [ROW.format(unit="astana/0001")]))
    path = tmp_path / "status.csv"
    path.write_text("contest,status\nmazhilis_party_list,preliminary\n", encoding="utf-8")
    after = load_update(path, e)
    assert after.contest("mazhilis_party_list").status == "preliminary"
    assert after.results.equals(e.results) and after.stations.equals(e.stations)
    path.write_text("contest,status\nsenate,final\nmazhilis_party_list,final\nmazhilis_party_list,final\n",
                    encoding="utf-8")
    assert rules_of(rejected(load_update, path, e)) == {"unknown-contest", "duplicate-row"}


def test_bad_contest_options_are_refused(tmp_path):
    doc = counting_doc()
    doc["contests"][0].update(status="done", threshold_base="registered", tie_rule={"lot": True})
    problems = rejected(load_package, make_package(tmp_path / "p", election=doc))
    text = " ".join(p.message for p in problems)
    assert {p.rule for p in problems} == {"bad-election-json"}
    assert "status must be one of" in text and "threshold_base" in text and "tie_rule" in text
