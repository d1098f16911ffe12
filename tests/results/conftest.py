"""Shared builders for the ingestion tests: a 2023-shaped package made from sources/2023, station packages.

Fixtures are written as real bytes so each test exercises the same readers a commission's file meets.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from dashboard.regions import region_keys

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "sources" / "2023"
FIXTURES = Path(__file__).parent / "fixtures"
PARTIES = ("amanat", "auyl", "respublica", "ak_zhol", "qhp", "osdp", "baytaq")


def _rows(name: str) -> list[dict]:
    with open(SOURCES / name, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def election_doc(eid: str = "kz-2023-03-19", with_maslikhats: bool = True) -> dict:
    """An election.json shaped like the real 2023 one (7 parties, Mazhilis + some maslikhats)."""
    parties = []
    for r in _rows("parties.csv"):
        parties.append({
            "key": r["key"],
            "short": {"kk": r["short_kk"], "ru": r["short_ru"], "en": r["short_en"]},
            "names": {"kk": r["name_kk"], "ru": r["name_ru"], "en": r["name_en"]},
            "colour": "#0b61a4",
        })
    contests = [
        {"key": "mazhilis_party_list", "body": "mazhilis", "kind": "party_list", "area": "kz",
         "seats": 69, "threshold_pct": 5.0},
        {"key": "mazhilis_single_mandate", "body": "mazhilis", "kind": "single_mandate", "area": "kz",
         "seats": 29},
    ]
    if with_maslikhats:
        for region in ("astana", "almaty", "karaganda", "kostanay"):
            contests.append({"key": f"maslikhat_{region}_party_list", "body": "maslikhat", "kind": "party_list",
                             "area": region, "seats": None, "threshold_pct": 5.0})
        contests.append({"key": "maslikhat_kyzylorda_party_list", "body": "maslikhat", "kind": "party_list",
                         "area": "kyzylorda", "seats": None, "threshold_pct": 5.0,
                         "parties": ["amanat", "auyl", "respublica", "qhp", "ak_zhol", "baytaq"]})
    return {"id": eid, "date": "2023-03-19", "names": {"kk": "Сайлау", "ru": "Выборы", "en": "Elections"},
            "simulated": False, "parties": parties, "contests": contests}


def write_2023_like(out: Path, eid: str = "kz-2023-03-19") -> Path:
    """A package with the published 2023 figures: kz row, maslikhat rows with gaps, real turnout reports."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "election.json").write_text(json.dumps(election_doc(eid), ensure_ascii=False, indent=1), encoding="utf-8")
    header = ["contest", "unit", "registered", "took_part", "invalid", "against_all", *PARTIES]
    national = {r["party"]: r["votes"] for r in _rows("mazhilis_party_list_national.csv")}
    lines = [",".join(header)]
    lines.append(",".join(["mazhilis_party_list", "kz", "12035578", "6521860", "", national["against_all"],
                           *(national[p] for p in PARTIES)]))
    mas: dict[str, dict] = {}
    for r in _rows("maslikhat_party_list_results.csv"):
        mas.setdefault(r["maslikhat"], {})[r["party"]] = r["votes"]
    turn = {r["maslikhat"]: r for r in _rows("maslikhat_turnout.csv")}
    for region, votes in mas.items():
        t = turn.get(region, {})
        lines.append(",".join([f"maslikhat_{region}_party_list", region, t.get("registered", ""),
                               t.get("took_part", ""), "", votes.get("against_all", ""),
                               *(votes.get(p, "") for p in PARTIES)]))
    (out / "results.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    tl = ["time,unit,registered,took_part,turnout_pct"]
    for r in _rows("turnout_reports.csv"):
        tl.append(f"{r['time']},{r['unit']},,,{r['turnout_pct']}")
    tl.append("final,kz,12035578,6521860,")
    (out / "turnout.csv").write_text("\n".join(tl) + "\n", encoding="utf-8")
    dl = ["contest,district,unit,winner,party"]
    for r in _rows("mazhilis_single_mandate_districts.csv"):
        dl.append(f"mazhilis_single_mandate,{r['district']},{r['unit']},{r['winner']},{r['party']}")
    (out / "districts.csv").write_text("\n".join(dl) + "\n", encoding="utf-8")
    (out / "composition.csv").write_text(
        "contest,party,seats\nmazhilis_single_mandate,amanat,22\nmazhilis_single_mandate,independent,7\n",
        encoding="utf-8")
    return out


def write_stations(out: Path, n: int, eid: str = "sim-2027", marker: int = 0, seed: int = 1) -> Path:
    """A Mazhilis party-list package with ``n`` polling stations, vectorised (for speed and atomicity tests).

    Every station has registered = 1000 + marker, so a reader can check a version is whole: all rows of
    one version carry the same marker and the kz row equals their sum.
    """
    import numpy as np
    import pandas as pd

    out.mkdir(parents=True, exist_ok=True)
    doc = election_doc(eid, with_maslikhats=False)
    (out / "election.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    rng = np.random.default_rng(seed)
    regions = np.array(region_keys())
    units = pd.Series(regions[np.arange(n) % len(regions)]) + "/" + pd.Series(np.arange(n)).map("{:05d}".format)
    votes = rng.integers(0, 60, size=(n, len(PARTIES)))
    df = pd.DataFrame(votes, columns=list(PARTIES))
    df.insert(0, "against_all", rng.integers(0, 10, n))
    df.insert(0, "invalid", rng.integers(0, 5, n))
    df.insert(0, "took_part", df.sum(axis=1) + 3)
    df.insert(0, "registered", 1000 + marker)
    df.insert(0, "unit", units)
    df.insert(0, "contest", "mazhilis_party_list")
    # The national row: the sum of the stations, so a reader can check a version is self-consistent.
    total = df.drop(columns=["contest", "unit"]).sum()
    df = pd.concat([pd.DataFrame([{"contest": "mazhilis_party_list", "unit": "kz", **total}]), df])
    df.to_csv(out / "results.csv", index=False, lineterminator="\n")
    return out


@pytest.fixture
def pkg2023(tmp_path) -> Path:
    return write_2023_like(tmp_path / "kz2023")


# --- small packages written byte for byte -------------------------------------------------------------
HEADER = "contest,unit,registered,took_part,invalid,against_all," + ",".join(PARTIES)
KZ_ROW = "mazhilis_party_list,kz,12035578,6521860,,248291,3431510,693938,547154,535139,432920,331058,146431"
#: Astana maslikhat as published (no osdp on that ballot in our election.json? all parties: osdp empty).
ASTANA_ROW = "maslikhat_astana_party_list,astana,788931,332694,,3269,227307,2147,5401,56045,18174,,18154"


def make_package(root: Path, files: dict | None = None, election: dict | None = None, *,
                 results: str | bytes | None = None) -> Path:
    """A package folder: election.json (``election_doc()`` unless given) and results.csv (the kz row
    unless given), plus ``files`` (name -> str or bytes; None removes a default file)."""
    root.mkdir(parents=True, exist_ok=True)
    content: dict = {
        "election.json": json.dumps(election or election_doc(), ensure_ascii=False),
        "results.csv": results if results is not None else f"{HEADER}\n{KZ_ROW}\n",
    }
    content.update(files or {})
    for name, data in content.items():
        if data is None:
            continue
        (root / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return root


def rejected(fn, *args, **kwargs):
    """The problems of a call that must be refused."""
    from dashboard.ingest.rules import Rejected

    with pytest.raises(Rejected) as info:
        fn(*args, **kwargs)
    assert info.value.problems, "a rejection must carry its problems"
    return info.value.problems


def rules_of(problems) -> set[str]:
    return {p.rule for p in problems}


@pytest.fixture
def base_election():
    from dashboard.ingest.package import load_package

    def build(tmp: Path):
        return load_package(make_package(tmp / "base"))
    return build
