"""The six votes since 2019 (embedded in dashboard/data/): rebuilt byte for byte, valid for the real loader, every
figure traced to a URL, and the published national figures reproduced (held out: typed by hand below from
the sources named, never read from the converter's output)."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import sys
from pathlib import Path

import pytest

from dashboard.boundaries import boundary_set
from dashboard.electoral.outcome import presidential, referendum
from dashboard.ingest.package import load_package
from dashboard.store.write import write_package

ROOT = Path(__file__).resolve().parents[2]
STAGED = ROOT / "dashboard" / "data"
CONFLICTS = ROOT / "docs" / "history_conflicts.csv"
AMENDMENTS_2021 = "https://kazaknews.kz/obshhestvo/pravo-golosovat-protiv-vseh-budut-imet-kazahstancy"
IDS = ("kz-2019-06-09", "kz-2021-01-10", "kz-2022-06-05", "kz-2022-11-20", "kz-2024-10-06", "kz-2026-03-15")


def _converter():
    spec = importlib.util.spec_from_file_location("convert_history", ROOT / "tools" / "convert_history.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("convert_history", module)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _kz(eid: str) -> dict[str, str]:
    (row,) = [r for r in _rows(STAGED / eid / "results.csv") if r["unit"] == "kz"]
    return row


@pytest.fixture(scope="module")
def loaded():
    return {eid: load_package(STAGED / eid) for eid in IDS}


# --------------------------------------------------------------------------- reproducible


def test_rebuild_gives_the_same_bytes(tmp_path):
    _converter().write_all(tmp_path / "data", tmp_path / "conflicts.csv")
    built = sorted(p.relative_to(tmp_path / "data") for p in (tmp_path / "data").rglob("*") if p.is_file())
    staged = sorted(p.relative_to(STAGED) for eid in IDS for p in (STAGED / eid).rglob("*") if p.is_file())
    assert built == staged
    for rel in built:
        assert (tmp_path / "data" / rel).read_bytes() == (STAGED / rel).read_bytes(), rel
    assert (tmp_path / "conflicts.csv").read_bytes() == CONFLICTS.read_bytes()


def test_six_packages_with_their_ids():
    assert set(IDS) <= {p.name for p in STAGED.iterdir() if p.is_dir()}
    for eid in IDS:
        doc = json.loads((STAGED / eid / "election.json").read_text(encoding="utf-8"))
        assert doc["id"] == eid and doc["date"] == eid[3:]


# --------------------------------------------------------------------------- the real loader and writer


@pytest.mark.parametrize("eid", IDS)
def test_the_loader_accepts_it_and_the_canonical_writer_gives_the_same_bytes(loaded, eid, tmp_path):
    write_package(loaded[eid], tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in (STAGED / eid).iterdir())
    for p in tmp_path.iterdir():
        assert p.read_bytes() == (STAGED / eid / p.name).read_bytes(), p.name


def test_kinds_and_lead_contests(loaded):
    assert {eid: loaded[eid].lead_contest().kind for eid in IDS} == {
        "kz-2019-06-09": "presidential",
        "kz-2021-01-10": "party_list",
        "kz-2022-06-05": "referendum",
        "kz-2022-11-20": "presidential",
        "kz-2024-10-06": "referendum",
        "kz-2026-03-15": "referendum",
    }


# --------------------------------------------------------------------------- held-out national figures


def test_2019_tokayev_elected_turnout_77_4(loaded):
    """inform.kz / deccanchronicle (preliminary): 9,261,460 of 11,960,364 took part (77.4 %); clever-geek
    mirror of ru.wikipedia (final): Tokayev 6,539,715 (70.96 % of the votes for candidates)."""
    kz = _kz("kz-2019-06-09")
    assert int(kz["tokayev"]) == 6_539_715 and int(kz["kosanov"]) == 1_495_401
    assert (int(kz["registered"]), int(kz["took_part"])) == (11_960_364, 9_261_460)
    assert round(1000 * int(kz["took_part"]) / int(kz["registered"])) == 774
    votes = {k: int(kz[k]) for k in loaded["kz-2019-06-09"].options("president")}
    assert presidential(votes, int(kz["took_part"])).elected == "tokayev"
    assert round(10_000 * votes["tokayev"] / sum(votes.values())) == 7096


def test_2021_nur_otan_71_09_turnout_63_25():
    """almaty.tv (CEC final): Nur Otan 5,148,074 (71.09 %); sputnik: 7,539,280 of 11,919,241 (63.25 %)."""
    kz = _kz("kz-2021-01-10")
    assert int(kz["amanat"]) == 5_148_074 and int(kz["adal"]) == 258_618
    parties = sum(int(kz[k]) for k in ("amanat", "ak_zhol", "qhp", "auyl", "adal"))
    assert parties == 7_241_562  # the published valid votes (inform.kz)
    assert round(10_000 * 5_148_074 / parties) == 7109
    assert round(10_000 * int(kz["took_part"]) / int(kz["registered"])) == 6325


def test_2022_referendum_yes_6163516_turnout_68_05(loaded):
    """abai.kz (CEC final): 7,985,769 of 11,734,642 took part (68.05 %), yes 77.18 %; Wikipedia: yes
    6,163,516, no 1,490,470, invalid 205,924."""
    kz = _kz("kz-2022-06-05")
    assert (int(kz["yes"]), int(kz["no"]), int(kz["invalid"])) == (6_163_516, 1_490_470, 205_924)
    assert round(10_000 * int(kz["took_part"]) / int(kz["registered"])) == 6805
    assert round(10_000 * 6_163_516 / int(kz["took_part"])) == 7718
    out = referendum(int(kz["registered"]), int(kz["took_part"]), int(kz["yes"]), constitutional=True)
    assert (out.valid, out.adopted, out.decided_by) == (True, None, "not reported")
    contest = loaded["kz-2022-06-05"].contest("constitutional_amendments")
    assert contest.constitutional and contest.published_outcome == {"units_with_yes_majority": 17}
    assert kz["against_all"] == ""  # a referendum ballot has no such line


def test_2022_president_tokayev_elected_turnout_69_44(loaded):
    """kommersant (CEC): 8,300,046 took part, turnout 69.44 %; against all 460,484; baribar (final):
    Tokayev 6,456,393."""
    kz = _kz("kz-2022-11-20")
    assert int(kz["tokayev"]) == 6_456_393 and int(kz["against_all"]) == 460_484
    assert round(10_000 * int(kz["took_part"]) / int(kz["registered"])) == 6944
    votes = {k: int(kz[k]) for k in loaded["kz-2022-11-20"].options("president")}
    assert presidential(votes, 8_300_046).elected == "tokayev"


def test_2024_referendum_yes_5561937_no_2045271_turnout_63_66():
    """astanatimes (CEC): 7,820,204 of 12,284,487 (63.66 %); yes 5,561,937 (71.12 %), no 2,045,271."""
    kz = _kz("kz-2024-10-06")
    assert (int(kz["yes"]), int(kz["no"]), int(kz["invalid"])) == (5_561_937, 2_045_271, 130_267)
    assert round(10_000 * int(kz["took_part"]) / int(kz["registered"])) == 6366
    assert round(10_000 * 5_561_937 / int(kz["took_part"])) == 7112
    out = referendum(int(kz["registered"]), int(kz["took_part"]), int(kz["yes"]))
    assert (out.valid, out.adopted) == (True, True)


def test_2026_referendum_yes_7954667_turnout_73_12_published_majority_everywhere(loaded):
    """almatanews (CEC preliminary): 9,127,192 of 12,482,613 (73.12 %), yes 7,954,667 (87.15 %), no
    898,099; check-point.kz: a yes majority in every one of the 20 units."""
    kz = _kz("kz-2026-03-15")
    assert (int(kz["yes"]), int(kz["no"]), int(kz["invalid"])) == (7_954_667, 898_099, 146_558)
    assert round(10_000 * int(kz["took_part"]) / int(kz["registered"])) == 7312
    assert round(10_000 * 7_954_667 / int(kz["took_part"])) == 8715
    contest = loaded["kz-2026-03-15"].contest("new_constitution")
    assert contest.status == "preliminary"
    assert contest.published_outcome == {"valid": True, "adopted": True, "units_with_yes_majority": 20}


# --------------------------------------------------------------------------- traced, labelled, not invented


def _sources(eid: str) -> list[dict[str, str]]:
    return _rows(STAGED / eid / "sources.csv")


@pytest.mark.parametrize("eid", IDS)
def test_every_result_figure_has_a_url_and_says_preliminary_or_final(eid):
    src = _sources(eid)
    for row in _rows(STAGED / eid / "results.csv"):
        for field, value in row.items():
            if field in ("contest", "unit") or value == "":
                continue
            notes = [
                s for s in src
                if (s["file"], s["contest"], s["unit"], s["field"]) == ("results.csv", row["contest"], row["unit"], field)
            ]  # fmt: skip
            assert notes and all(s["source_url"].startswith("http") for s in notes), (row["unit"], field)
            assert any("preliminary" in s["note"] or "final" in s["note"] for s in notes), (
                row["unit"],
                field,
            )


@pytest.mark.parametrize("eid", IDS)
def test_every_turnout_figure_has_a_url(eid):
    src = _sources(eid)
    for row in _rows(STAGED / eid / "turnout.csv"):
        for field in ("registered", "took_part", "turnout_pct"):
            if row[field]:
                assert any(
                    (s["file"], s["time"], s["unit"], s["field"])
                    == ("turnout.csv", row["time"], row["unit"], field)
                    and s["source_url"].startswith("http")
                    for s in src
                ), (row["time"], row["unit"], field)


@pytest.mark.parametrize("eid", IDS)
def test_no_zero_is_written_and_no_unit_outside_the_set_of_the_day(eid, loaded):
    units = set(boundary_set(loaded[eid].extra["boundaries"]).unit_keys()) | {"kz"}
    for name in ("results.csv", "turnout.csv"):
        for row in _rows(STAGED / eid / name):
            assert "0" not in row.values(), (
                row
            )  # nothing in the sources is zero: an empty cell is not reported
            assert row["unit"] in units, row["unit"]


def test_votes_before_june_2022_are_on_17_units_with_nur_sultan(loaded):
    for eid in IDS:
        expected = "units_2022" if eid < "kz-2022-06-08" else "units_2023"
        assert loaded[eid].extra["boundaries"] == expected
    old = boundary_set("units_2022")
    t2019 = loaded["kz-2019-06-09"].turnout
    assert sorted(set(t2019["unit"]) - {"kz"}) == sorted(old.unit_keys())  # turnout for all 17, no Abai
    assert old.unit_name("astana", "en") == "Nur-Sultan"


def test_not_reported_stays_empty():
    assert _kz("kz-2019-06-09")["invalid"] == ""  # no invalid count published
    assert _kz("kz-2022-11-20")["invalid"] == ""  # took part − valid is not published as invalid
    kyzylorda = [r for r in _rows(STAGED / "kz-2021-01-10" / "results.csv") if r["unit"] == "kyzylorda"]
    assert kyzylorda[0]["amanat"] == ""  # 74.46 % published, no count: not turned into a count


def test_shares_without_counts_are_quoted_not_converted():
    notes = [s["note"] for s in _sources("kz-2022-06-05") if s["unit"] == "aktobe" and s["field"] == "yes"]
    assert notes and "71.47%" in notes[0] and "24.71%" in notes[0]
    assert not [r for r in _rows(STAGED / "kz-2022-06-05" / "results.csv") if r["unit"] == "aktobe"]


def test_conflicts_record_the_value_used():
    rows = _rows(CONFLICTS)
    assert {r["election"] for r in rows} == set(IDS)
    tokayev = [r for r in rows if r["election"] == "kz-2022-11-20" and r["field"] == "tokayev"]
    assert tokayev[0]["value_used"].startswith("6456393") and "6456392" in tokayev[0]["other_values"]
    assert all(r["value_used"] and r["assessment"] for r in rows)


def test_2019_and_2021_ballots_had_no_against_all_line_with_the_source(loaded):
    """kazaknews.kz, 5 May 2021 (Minister Irgaliyev): the amendments add «Против всех» to the ballots of all
    levels and lower the Mazhilis threshold from 7 % to 5 %."""
    for eid, key in (("kz-2019-06-09", "president"), ("kz-2021-01-10", "mazhilis_party_list")):
        assert loaded[eid].contest(key).has_against_all is False
        assert _kz(eid)["against_all"] == ""
        cited = [s for s in _sources(eid) if (s["file"], s["field"]) == ("election.json", "against_all")]
        assert [s["source_url"] for s in cited] == [AMENDMENTS_2021]
    assert loaded["kz-2022-11-20"].contest("president").has_against_all  # the line existed by then


def test_2021_threshold_7_and_the_published_seats_76_12_10(loaded):
    """kazaknews.kz: the 2021 threshold was 7 %; sputnik.kz, 12 Jan 2021 (CEC deputy chairman Petrov):
    Nur Otan 76 seats, Ak Zhol 12, People's Party 10."""
    contest = loaded["kz-2021-01-10"].contest("mazhilis_party_list")
    assert (contest.threshold_pct, contest.seats) == (7.0, 98)
    assert _rows(STAGED / "kz-2021-01-10" / "composition.csv") == [
        {"contest": "mazhilis_party_list", "party": "amanat", "seats": "76"},
        {"contest": "mazhilis_party_list", "party": "ak_zhol", "seats": "12"},
        {"contest": "mazhilis_party_list", "party": "qhp", "seats": "10"},
    ]
    fields = {s["field"]: s["source_url"] for s in _sources("kz-2021-01-10") if s["file"] == "election.json"}
    assert fields["threshold_pct"] == AMENDMENTS_2021 and "sputnik.kz" in fields["seats"]


@pytest.mark.parametrize("eid", IDS)
def test_every_embedded_file_figure_names_a_source_url(eid):
    """composition.csv and election.json's figures (seats, threshold, against_all) are traced too."""
    src = _sources(eid)
    path = STAGED / eid / "composition.csv"
    for row in _rows(path) if path.exists() else []:
        assert any((s["file"], s["contest"], s["field"]) == ("composition.csv", row["contest"], row["party"])
                   and s["source_url"].startswith("http") for s in src), row
    doc = json.loads((STAGED / eid / "election.json").read_text(encoding="utf-8"))
    for contest in doc["contests"]:
        for field in ("seats", "threshold_pct", "against_all"):
            if contest.get(field) is not None:
                assert any((s["file"], s["contest"], s["field"]) == ("election.json", contest["key"], field)
                           and s["source_url"].startswith("http") for s in src), (contest["key"], field)
