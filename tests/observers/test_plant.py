"""simulate --plant-stuffing: only the chosen region's stations change, the default output does not."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.rehearsal.simulate import parse_plant, simulate_election


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_the_default_output_is_unchanged_by_the_option(tmp_path):
    assert main(["simulate", str(tmp_path / "a"), "--stations", "300", "--seed", "4"]) == 0
    assert main(["simulate", str(tmp_path / "b"), "--stations", "300", "--seed", "4",
                 "--plant-stuffing", "abai:0.05"]) == 0
    a, b = _digest(tmp_path / "a"), _digest(tmp_path / "b")
    # stations and districts are untouched; results, turnout and election.json (the notes) change
    assert a["stations.csv"] == b["stations.csv"] and a["districts.csv"] == b["districts.csv"]
    assert a["results.csv"] != b["results.csv"]
    assert "Planted irregularity" in (tmp_path / "b" / "election.json").read_text(encoding="utf-8")
    assert "Planted" not in (tmp_path / "a" / "election.json").read_text(encoding="utf-8")


def test_only_the_region_changes_and_its_final_turnout_follows():
    clean = simulate_election(600, 9)
    planted = simulate_election(600, 9, plant=("zhambyl", 0.1))
    key = ["contest", "unit"]
    a, b = clean.results.set_index(key).sort_index(), planted.results.set_index(key).sort_index()
    changed = (a.fillna(-1) != b.fillna(-1)).any(axis=1)
    units = {u for _c, u in changed[changed].index}
    assert units and all(u.startswith("zhambyl/") for u in units)
    contests = {c for c, _u in changed[changed].index}
    assert contests == {"mazhilis_party_list", "maslikhat_zhambyl_party_list"}
    # final turnout of the region = its stations' took_part (Mazhilis rows), in both simulations
    for e in (clean, planted):
        rows = e.results[(e.results["contest"] == "mazhilis_party_list")
                         & e.results["unit"].str.startswith("zhambyl/")]
        t = e.turnout
        final = t[(t["time"] == "final") & (t["unit"] == "zhambyl")]
        assert int(final["took_part"].iloc[0]) == int(rows["took_part"].sum())
    # interim reports are not rewritten
    interim = clean.turnout["time"] != "final"
    assert clean.turnout[interim].equals(planted.turnout[interim])


@pytest.mark.parametrize("text", ["atlantis:0.03", "abai", "abai:x", "abai:0", "abai:1.5"])
def test_bad_plant_options_are_refused(text, capsys):
    with pytest.raises(ValueError):
        parse_plant(text)
    assert main(["simulate", "/nonexistent/never-written", "--plant-stuffing", text]) == 2
    assert "--plant-stuffing" in capsys.readouterr().err
