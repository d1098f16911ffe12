"""``python -m dashboard ingest | status | rollback`` as a clerk runs them: exit codes and output format."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from .conftest import HEADER, KZ_ROW, make_package

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

    st = run("status", "--json", data_dir=data)
    assert st.returncode == 0
    status = json.loads(st.stdout)
    assert status["version"] == 1 and status["election"] == "kz-2023-03-19"
    assert [h["kind"] for h in status["history"]] == ["package"]

    rb = run("rollback", "0", data_dir=data)
    assert rb.returncode == 0 and "version 2" in rb.stdout
    assert json.loads(run("status", "--json", data_dir=data).stdout)["version"] == 2
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
    history = (tmp_path / "data" / "history.jsonl").read_text(encoding="utf-8")
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
