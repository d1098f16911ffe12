import json
import sys
from argparse import Namespace
from pathlib import Path

import pytest

from dashboard.cli import main

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fake_store(monkeypatch, make_election):
    election = make_election(
        results=[
            ("mazhilis_party_list", "kz", 1000, 600, None, 40, 300, 200, 50),
            ("maslikhat_astana_party_list", "astana", 100, 60, 0, 0, 30, 10, None),
        ]
    )
    seen = {}

    class Library:
        """The data dir as the summary command reads it: one election, served as version 1."""

        def default_id(self):
            return election.id

        def ids(self):
            return [election.id]

        def served(self, election_id):
            if election_id != election.id:
                raise KeyError(election_id)
            return 1, election

    def library(args):
        seen["data_dir"] = args.data_dir
        return Library()

    import dashboard.commands as commands

    monkeypatch.setattr(commands, "library", library)
    return seen


def test_summary_json(fake_store, capsys, tmp_path):
    assert main(["summary", "--contest", "mazhilis_party_list", "--data-dir", str(tmp_path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["registered"] == 1000 and doc["took_part"] == 600 and doc["turnout_pct"] == 60.0
    assert doc["invalid"] is None
    assert [(p["party"], p["votes"], p["seats"]) for p in doc["parties"]] == [
        ("a", 300, 5),
        ("b", 200, 4),
        ("c", 50, 1),
    ]
    assert str(fake_store["data_dir"]) == str(tmp_path)


def test_summary_default_unit_is_the_contest_area(fake_store, capsys):
    assert main(["summary", "--contest", "maslikhat_astana_party_list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["unit"] == "astana" and doc["parties"][0]["seats"] == 3


def test_summary_table(fake_store, capsys):
    assert main(["summary", "--contest", "mazhilis_party_list"]) == 0
    out = capsys.readouterr().out
    assert "1,000" in out and "not reported" in out and "60.00%" in out


def test_summary_errors(fake_store, capsys):
    assert main(["summary", "--contest", "nope"]) == 2
    assert "unknown contest" in capsys.readouterr().err
    assert main(["summary", "--contest", "mazhilis_party_list", "--election", "kz-1999-01-01"]) == 2
    assert "unknown election 'kz-1999-01-01'" in capsys.readouterr().err
    assert main(["summary", "--contest", "maslikhat_astana_party_list", "--unit", "almaty"]) == 2


def test_summary_command_against_the_real_store(tmp_path, capsys):
    from dashboard.commands.summary import summary_command

    args = Namespace(contest="mazhilis_party_list", unit=None, data_dir=str(tmp_path / "empty"), json=True,
                     election="kz-2023-03-19")
    assert summary_command(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["registered"] == 12035578 and doc["took_part"] == 6521860
    assert {p["party"]: p["seats"] for p in doc["parties"]}["amanat"] == 40


def test_summary_text_prints_party_names_not_keys(tmp_path):
    import subprocess

    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "summary",
            "--election",
            "kz-2023-03-19",
            "--contest",
            "mazhilis_party_list",
            "--data-dir",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0] for line in out.stdout.splitlines() if line.strip().endswith(("40", "5"))}
    assert "People's" in out.stdout and "Amanat" in rows
    assert " qhp " not in out.stdout and " amanat " not in out.stdout


def test_summary_into_a_closed_pipe_ends_without_a_traceback(tmp_path):
    """``summary --json | head -1``: the reader is gone before the output is written."""
    import os
    import subprocess

    read, write = os.pipe()
    os.close(read)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "dashboard", "summary", "--election", "kz-2023-03-19", "--contest",
             "mazhilis_party_list", "--json"]
            + ["--data-dir", str(tmp_path)],
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            timeout=60,
        )
    finally:
        os.close(write)
    assert "Traceback" not in out.stderr and "BrokenPipeError" not in out.stderr, out.stderr
    assert out.returncode == 1


def test_summary_text_names_each_turnout(tmp_path, capsys):
    """The CLI once printed a bare "turnout 54.19%" while the home page said 54.21 % final: every
    turnout line now says which figure it is (the contest's took_part/registered, the 22:10
    preliminary report, the commission's final figure), and none is unnamed."""
    from dashboard.commands.summary import summary_command

    args = Namespace(contest="mazhilis_party_list", unit=None, data_dir=str(tmp_path / "empty"), json=False,
                     election="kz-2023-03-19")
    assert summary_command(args) == 0
    lines = [line.split() for line in capsys.readouterr().out.splitlines()]
    turnout = {" ".join(w[:-1]): w[-1] for w in lines if w and w[0] in ("turnout", "took")}
    assert turnout == {
        "took part / registered": "54.19%",  # 6,521,860 / 12,035,578
        "turnout preliminary 22:10": "54.19%",
        "turnout final": "54.21%",
        "took part": "6,521,860",
    }
