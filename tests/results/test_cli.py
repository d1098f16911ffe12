"""``python -m dashboard ingest | status | rollback`` as a clerk runs them: exit codes and output format."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import HEADER, KZ_ROW, election_doc, make_package

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): (?P<rule>[a-z]+(?:-[a-z]+)*): (?P<msg>.+)$")


def run(*args, data_dir: Path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SAYLAU_DATA_DIR", None)
    return subprocess.run([sys.executable, "-m", "dashboard", *map(str, args), "--data-dir", str(data_dir)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)


def test_ingest_accept_then_reject_then_status_and_rollback(tmp_path):
    data = tmp_path / "data"
    ok = run("ingest", make_package(tmp_path / "p"), data_dir=data)
    assert ok.returncode == 0, ok.stderr
    assert re.search(r"\bversion 1\b", ok.stdout)

    bad = tmp_path / "results.csv"
    rows = "".join(KZ_ROW.replace(",kz,", f",abai/{i:03d},").replace("248291", f"-{i + 1}") + "\n"
                   for i in range(60))
    bad.write_text(HEADER + "\n" + rows, encoding="utf-8")
    r = run("ingest", bad, data_dir=data)
    assert r.returncode == 1 and r.stdout == ""
    err = r.stderr.splitlines()
    problems = [ln for ln in err if LINE.match(ln)]
    assert len(problems) == 50
    m = LINE.match(problems[0])
    assert (m["file"], m["line"], m["rule"]) == ("results.csv", "2", "negative-count")
    assert "… and 10 more problems" in err
    quarantined = [ln for ln in err if ln.startswith("quarantined: ")]
    assert len(quarantined) == 1
    qpath = Path(quarantined[0].split(" ")[1])
    assert qpath.read_bytes() == bad.read_bytes()

    st = run("status", "--json", "--election", "kz-2023-03-19", data_dir=data)
    assert st.returncode == 0
    status = json.loads(st.stdout)
    assert status["version"] == 1 and status["election"] == "kz-2023-03-19"
    assert [h["kind"] for h in status["history"]] == ["package"]

    rb = run("rollback", "0", data_dir=data)  # one election has versions: --election may be left out
    assert rb.returncode == 0 and "version 2" in rb.stdout
    listed = json.loads(run("status", "--json", data_dir=data).stdout)["elections"]
    assert [e["version"] for e in listed if e["id"] == "kz-2023-03-19"] == [2]
    assert run("rollback", "7", data_dir=data).returncode == 1
    human = run("status", data_dir=data)
    assert human.returncode == 0 and "rollback to 0" in human.stdout


def test_missing_path_is_a_rejection(tmp_path):
    r = run("ingest", tmp_path / "nope.zip", data_dir=tmp_path / "data")
    assert r.returncode == 1 and LINE.match(r.stderr.splitlines()[0]).group("rule") == "missing-file"


def test_ingest_a_package_whose_name_is_not_utf8(tmp_path):
    name = os.fsdecode(b"\xd0\xe5\xe7")  # "Рез" from a cp1251 system: not UTF-8
    ok = run("ingest", make_package(tmp_path / name), data_dir=tmp_path / "data")
    assert ok.returncode == 0, ok.stderr
    assert "accepted '" in ok.stdout and "\\xd0\\xe5\\xe7': version 1" in ok.stdout
    history = (tmp_path / "data" / "elections" / "kz-2023-03-19" / "history.jsonl").read_text(encoding="utf-8")
    assert json.loads(history)["file"] == "\\xd0\\xe5\\xe7"


def test_help_is_plain_text_not_docstring_markup():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "dashboard", "--help"], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=120)
    assert out.returncode == 0 and "python -m dashboard — serve, ingest" in out.stdout
    assert "``" not in out.stdout


class _ClosedPipe:
    """stdout whose reader has gone (``flags --json | head`` after head has its lines)."""

    def write(self, text):
        raise BrokenPipeError(32, "Broken pipe")

    def flush(self):
        raise BrokenPipeError(32, "Broken pipe")


def test_a_closed_pipe_ends_a_command_quietly(tmp_path, monkeypatch, capsys):
    from dashboard.cli import main

    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    code = main(["flags", "--json", "--data-dir", str(tmp_path / "empty")])
    assert code == 141
    assert "Traceback" not in capsys.readouterr().err


def test_watch_lines_are_written_whole_with_their_newline(monkeypatch):
    """Two threads printing: a line and its newline in one write, or another line runs on after it."""
    from dashboard.ingest import watch

    writes = []

    class Stream:
        def write(self, text):
            writes.append(text)

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stderr", Stream())
    watch.say_stderr("accepted night-1.csv: version 1")
    assert writes == ["watch: accepted night-1.csv: version 1\n"]


def test_the_readme_lists_each_command_once_and_every_one_the_cli_has():
    """The README's commands table: one row per subcommand form, none listed twice (simulate was)."""
    from dashboard.cli import HANDLERS

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `python -m dashboard ?([a-z]*)[^`]*` \|", text, flags=re.M)
    firsts = [r for r in rows if r]
    assert set(HANDLERS) - {"flags"} <= set(firsts)
    assert firsts.count("simulate") == 1
    assert "serves the dashboard" in text and "no browser is opened" in text and "Kazakh by default" in text


def _second(tmp_path, name: str = "b", registered: int = 12500000) -> Path:
    doc = {**election_doc("kz-2027-10-06", with_maslikhats=False), "date": "2027-10-06"}
    return make_package(tmp_path / name, election=doc,
                        results=f"{HEADER}\n{KZ_ROW.replace('12035578', str(registered))}\n")


def test_two_elections_status_rollback_and_summary(tmp_path):
    data = tmp_path / "data"
    assert run("ingest", make_package(tmp_path / "a"), data_dir=data).returncode == 0
    added = run("ingest", _second(tmp_path), data_dir=data)
    assert added.returncode == 0 and "version 1 is now current (election kz-2027-10-06)" in added.stdout
    assert "election kz-2027-10-06 added" in added.stdout
    assert run("ingest", _second(tmp_path, "b2", 12600000), data_dir=data).returncode == 0

    status = json.loads(run("status", "--json", data_dir=data).stdout)
    assert status["default"] == "kz-2027-10-06"
    assert [(e["id"], e["version"], len(e["history"])) for e in status["elections"] if e["history"]] == [
        ("kz-2027-10-06", 2, 2), ("kz-2023-03-19", 1, 1)]  # with the embedded votes (nothing ingested) between
    human = run("status", data_dir=data).stdout.splitlines()
    assert human[0] == "election kz-2027-10-06 (2027-10-06): version 2, front page"
    assert "election kz-2023-03-19 (2023-03-19): version 1" in human

    # two elections have versions: a rollback must say which
    r = run("rollback", "1", data_dir=data)
    assert r.returncode == 2 and "--election" in r.stderr and r.stdout == ""
    r = run("rollback", "1", "--election", "kz-2027-10-06", data_dir=data)
    assert r.returncode == 0 and "version 3" in r.stdout and "election kz-2027-10-06" in r.stdout
    assert run("rollback", "1", "--election", "nope", data_dir=data).returncode == 2
    status = json.loads(run("status", "--json", data_dir=data).stdout)
    assert [(e["id"], e["version"]) for e in status["elections"] if e["history"]] == [
        ("kz-2027-10-06", 3), ("kz-2023-03-19", 1)]

    def registered(*args):
        r = run("summary", "--contest", "mazhilis_party_list", "--json", *args, data_dir=data)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)["registered"]

    assert registered() == 12500000  # the front page's election, its version 3 (= version 1)
    assert registered("--election", "kz-2023-03-19") == 12035578
    r = run("summary", "--contest", "mazhilis_party_list", "--election", "nope", data_dir=data)
    assert r.returncode == 2 and "unknown election 'nope'" in r.stderr


def test_a_lone_update_names_the_election_it_went_to(tmp_path):
    data = tmp_path / "data"
    run("ingest", make_package(tmp_path / "a"), data_dir=data)
    run("ingest", _second(tmp_path), data_dir=data)
    upd = tmp_path / "results.csv"
    upd.write_text(f"{HEADER}\n{KZ_ROW.replace('12035578', '12035579')}\n", encoding="utf-8")
    r = run("ingest", upd, "--election", "kz-2023-03-19", data_dir=data)
    assert r.returncode == 0 and "version 2 is now current (election kz-2023-03-19)" in r.stdout
    r = run("ingest", upd, data_dir=data)
    assert r.returncode == 0 and "version 3 is now current (election kz-2023-03-19)" in r.stdout
    assert "the one accepted most recently" in r.stdout
    r = run("ingest", upd, "--election", "kz-2099-01-01", data_dir=data)
    assert r.returncode == 1 and "unknown-election" in r.stderr


def test_check_names_the_election_and_version_that_fail(tmp_path):
    data = tmp_path / "data"
    run("ingest", make_package(tmp_path / "a"), data_dir=data)
    run("ingest", _second(tmp_path), data_dir=data)
    ok = run("status", "--check", data_dir=data)
    assert ok.returncode == 0 and "check: every version (2) of 8 elections matches"  # 7 embedded + 1 in ok.stdout
    stored = data / "elections" / "kz-2027-10-06" / "versions" / "1" / "results.csv"
    stored.write_bytes(stored.read_bytes().replace(b"12500000", b"12500001"))
    bad = run("status", "--check", data_dir=data)
    assert bad.returncode == 3 and "Traceback" not in bad.stderr
    lines = [ln for ln in bad.stderr.splitlines() if ln.startswith("store problem: election kz-2027-10-06: ")]
    assert lines and "version 1" in lines[0]
    assert "kz-2023-03-19" not in bad.stderr
