"""/api/v1/versions, its diffs, /api/v1/flags and the Atom feed through the real app on a real store."""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET

import pytest

from dashboard.app import create_app
from dashboard.cli import main
from dashboard.config import Config
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.library import Library
from tests.serving import E2023

SIM = "sim-3-600-planted-turkistan"
API = f"/api/v1/elections/{SIM}"
OLD_API = "/api/v1/elections/kz-2023-03-19"

ATOM = "{http://www.w3.org/2005/Atom}"
#: A folder name (no "/") with markup, an entity-looking ampersand, both quotes and a CDATA end.
HOSTILE = "night <script>alert(1)<\\script> & \"quotes\" 'x' ]]> &amp;"
#: The name as the store keeps it (dashboard/ingest/names.py): a backslash is the escape of raw bytes, so a
#: backslash in a name is written twice; everything else is as it was.
HOSTILE_STORED = "night <script>alert(1)<\\\\script> & \"quotes\" 'x' ]]> &amp;"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("api")
    first = write_simulated(tmp / "first", 600, seed=3, plant=("turkistan", 0.05))
    second = tmp / HOSTILE
    shutil.copytree(first, second)
    with open(second / "results.csv", encoding="utf-8") as fh:
        text = fh.read()
    row = next(line for line in text.splitlines() if line.startswith("mazhilis_party_list,abai/0001,"))
    cells = row.split(",")
    cells[6] = str(int(cells[6]) - 1)  # one vote fewer for the first party at abai/0001
    (second / "results.csv").write_text(text.replace(row, ",".join(cells)), encoding="utf-8")
    store = Library(tmp / "data")
    store.ingest(first)
    store.ingest(second)
    app = create_app(Config(data_dir=tmp / "data", default_election=E2023))
    return app.server.test_client(), tmp / "data"


def test_versions(served):
    client, _ = served
    body = client.get(API + "/versions").get_json()
    assert (body["election"], body["current"]) == (SIM, 2)
    # an election with no package built into the site: its trail starts at version 1
    assert [(v["version"], v["file"], v["diff"], v["previous"]) for v in body["versions"]] == [
        (1, "first", API + "/versions/1/diff", None), (2, HOSTILE_STORED, API + "/versions/2/diff", 1)]
    assert client.get(API + "/versions/1/diff").get_json()["changes"] == []  # nothing before it
    assert client.get(API + "/versions/0/diff").status_code == 404


def test_diff_as_json_and_csv(served):
    client, _ = served
    body = client.get(API + "/versions/2/diff").get_json()
    assert [(c["unit"], c["field"], c["delta"]) for c in body["changes"]] == [("abai/0001", "amanat", -1)]
    resp = client.get(API + "/versions/2/diff?format=csv")
    assert resp.mimetype == "text/csv"
    assert "attachment" in resp.headers["Content-Disposition"]
    [row] = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert (row["unit"], row["field"], row["delta"]) == ("abai/0001", "amanat", "-1")


@pytest.mark.parametrize("n", ["3", "-1", "abc", "1e3"])
def test_unknown_version_is_a_json_404(served, n):
    client, _ = served
    resp = client.get(f"{API}/versions/{n}/diff")
    assert resp.status_code == 404 and resp.mimetype == "application/json"
    assert resp.get_json()["error"] == "not found"


def test_flags_api_lists_the_planted_stations(served):
    client, _ = served
    body = client.get(API + "/flags?lang=ru").get_json()
    outliers = [f for f in body["flags"] if f["rule"] == "station_outlier"]
    assert outliers and all(f["unit"].startswith("turkistan/") for f in outliers)
    assert all("Явка" in f["finding"] for f in outliers)


def test_the_atom_feed_parses_and_escapes_a_hostile_file_name(served):
    client, _ = served
    resp = client.get(f"/e/{SIM}/feeds/versions.atom")
    assert resp.mimetype == "application/atom+xml"
    raw = resp.get_data()
    assert b"<script>" not in raw  # escaped, not markup
    root = ET.fromstring(raw)
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        f"Version 2: package {HOSTILE_STORED}", "Version 1: package first"]
    assert entries[0].find(f"{ATOM}link").get("href") == f"http://localhost{API}/versions/2/diff"
    assert root.find(f"{ATOM}id").text == f"http://localhost/e/{SIM}/feeds/versions.atom"
    assert root.find(f"{ATOM}updated").text == entries[0].find(f"{ATOM}updated").text


def test_control_characters_cannot_break_the_feed():
    from dashboard.web.audit_api import atom_feed

    raw = atom_feed([{"version": 1, "time": "2023-03-19T20:00:00Z", "file": "a\x00b\x1bc", "kind": "package",
                      "sha256": "0" * 64, "election": "e", "previous": 0}], "http://x/", "e")
    title = ET.fromstring(raw).find(f"{ATOM}entry/{ATOM}title").text
    assert title == "Version 1: package a\ufffdb\ufffdc"


def test_flags_cli_json(served, capsys):
    _, data = served
    assert main(["flags", "--json", "--data-dir", str(data), "--election", SIM]) == 0
    body = json.loads(capsys.readouterr().out)
    assert (body["election"], body["version"]) == ("sim-3-600-planted-turkistan", 2)
    assert {f["rule"] for f in body["flags"]} >= {"station_outlier"}
    assert main(["flags", "--data-dir", str(data), "--election", SIM]) == 0
    out = capsys.readouterr().out
    assert "station_outlier  turkistan/" in out and "innocent causes" in out


def test_flags_cli_on_the_embedded_2023_data(tmp_path, capsys):
    """The real 2023 turnout reports: the interval rule flags the three cities' morning and evening rises
    (they are far lower, then higher, than the other regions'); no other rule fires."""
    assert main(["flags", "--json", "--election", "kz-2023-03-19", "--data-dir", str(tmp_path / "empty")]) == 0
    body = json.loads(capsys.readouterr().out)
    assert sorted((f["rule"], f["unit"], f["time"][11:16]) for f in body["flags"]) == [
        ("interval_outlier", "almaty", "12:10"), ("interval_outlier", "almaty", "18:10"),
        ("interval_outlier", "astana", "12:10"), ("interval_outlier", "astana", "18:10"),
        ("interval_outlier", "shymkent", "12:10")]


def test_a_damaged_version_is_a_json_error_without_paths(served, tmp_path):
    """A version whose files no longer match its manifest: the store refuses to read it, and the diff
    says so as JSON instead of a stack trace (and names no server path)."""
    _, data = served
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    results = copy / "elections" / SIM / "versions" / "1" / "results.csv"
    results.write_bytes(results.read_bytes().replace(b"abai/0002,", b"abai/0002,9", 1))
    client = create_app(Config(data_dir=copy, default_election=E2023)).server.test_client()
    resp = client.get(API + "/versions/2/diff")
    assert resp.status_code == 500 and resp.get_json()["error"] == "unreadable"
    assert str(copy) not in resp.get_data(as_text=True)
    assert client.get(API + "/versions").status_code == 200


def test_the_embedded_data_is_version_0_in_the_list_the_diff_and_the_feed(tmp_path):
    """Nothing ingested: the footer says "Data version: 0", so the trail must list it, dated by the
    package's last timed report (the commission's 22:10 turnout report of 19 March 2023), not 1970."""
    client = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023)).server.test_client()
    body = client.get(OLD_API + "/versions").get_json()
    assert body["current"] == 0
    [v0] = body["versions"]
    assert (v0["version"], v0["previous"], v0["current"], v0["election"]) == (0, None, True, "kz-2023-03-19")
    assert v0["time"] == "2023-03-19T22:10:00+06:00"
    diff = client.get(OLD_API + "/versions/0/diff")
    assert diff.status_code == 200
    assert diff.get_json() == {"version": 0, "previous": None, "election": "kz-2023-03-19",
                               "previous_election": None, "comparable": False, "changes": []}
    assert client.get(OLD_API + "/versions/0/diff?format=csv").status_code == 200
    feed = client.get("/e/kz-2023-03-19/feeds/versions.atom").get_data(as_text=True)
    assert "1970" not in feed and "<updated>2023-03-19T22:10:00+06:00</updated>" in feed
    assert "Version 0" in feed
