"""Packages of the new kinds of vote, written as real bytes, with figures worked by hand.

- ``presidential``: three candidates; ``leader_votes`` of 10,000 who took part (4,800: 48 %, no one has
  more than half → a second round between Alpha and Beta; 5,001: elected).
- ``referendum``: one constitutional question over the 20 regions (no kz row: kz is their sum). Twelve
  regions vote 750 yes / 240 no / 10 invalid of 1,000 who took part; eight vote 400 / 590 / 10. Nationally
  yes = 12 × 750 + 8 × 400 = 12,200 of 20,000 = 61 %, yet only 12 of 20 regions have a yes majority, fewer
  than the 14 (two-thirds of 20, rounded up) the Constitution needs → not adopted, by the units rule.
  Registered 1,500 a region: turnout 20,000 / 30,000 = 66.67 %, valid.
- ``kurultai``: a list-only 145-seat Kurultai with no threshold stated.
- ``kurultai_stated``: the same Kurultai stating a 5 % threshold, with four parties (``kurultai_rows``):
  15,000 registered, 10,000 took part, 200 invalid, 400 against all; Amanat 6,000, Auyl 2,000,
  Respublica 1,000, Baytaq 400. Votes for parties and against all: 9,800; 5 % of it is 490, so Baytaq
  (400: 4.08 %) stays below and three parties pass (Amanat 61.22 %, Auyl 20.41 %, Respublica 10.20 %).
  The 145 seats by largest remainder over the 9,000 votes of the parties that passed: 6,000 × 145 / 9,000
  = 96.67, 2,000 × 145 / 9,000 = 32.22, 1,000 × 145 / 9,000 = 16.11 → 96 + 32 + 16 = 144, the last seat
  to the largest remainder (Amanat's .67): Amanat 97, Auyl 32, Respublica 16; a majority is 73 of 145.

Other helpers may build on these (ingest, pages, the store): they are the shapes docs/format.md shows.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

from dashboard.regions import region_keys

NAMES = {"kk": "Сайлау", "ru": "Выборы", "en": "Election"}
CANDIDATES = [
    {"key": "alpha", "names": {"kk": "Альфа Әлиұлы", "ru": "Альфа Алиев", "en": "Alpha Aliev"},
     "short": {"kk": "Альфа", "ru": "Альфа", "en": "Alpha"}, "colour": "#0072B2",
     "nominated_by": {"kk": "А партиясы", "ru": "Партия А", "en": "Party A"}},
    {"key": "beta", "names": {"kk": "Бета Бекұлы", "ru": "Бета Беков", "en": "Beta Bekov"},
     "colour": "#E69F00"},
    {"key": "gamma", "names": {"kk": "Гамма Ғалиұлы", "ru": "Гамма Галиев", "en": "Gamma Galiev"},
     "colour": "#CC79A7"},
]
QUESTION = {"kk": "Конституцияны қабылдайсыз ба?", "ru": "Принимаете ли вы Конституцию?",
            "en": "Do you adopt the Constitution?"}
PRES_HEADER = "contest,unit,registered,took_part,invalid,against_all,alpha,beta,gamma"
REF_HEADER = "contest,unit,registered,took_part,invalid,against_all,yes,no"
YES_REGIONS = 12


def presidential_doc(**contest) -> dict:
    # a copy: a test that edits a name (the markup test) must not change every later test's candidates
    return {"id": "kz-pres-test", "date": "2029-11-20", "names": NAMES, "parties": [],
            "candidates": copy.deepcopy(CANDIDATES),
            "contests": [{"key": "president", "body": "president", "kind": "presidential", "area": "kz",
                          **contest}]}


def referendum_doc(**contest) -> dict:
    return {"id": "kz-ref-test", "date": "2028-03-15", "names": NAMES, "parties": [],
            "contests": [{"key": "constitution", "body": "referendum", "kind": "referendum", "area": "kz",
                          "question": QUESTION, "constitutional": True, **contest}]}


def kurultai_doc() -> dict:
    parties = [{"key": k, "names": {"en": k.title()}, "colour": c}
               for k, c in (("amanat", "#0072B2"), ("auyl", "#E69F00"), ("respublica", "#CC79A7"))]
    return {"id": "kz-kurultai-test", "date": "2026-08-23", "names": NAMES, "parties": parties,
            "contests": [{"key": "kurultai_party_list", "body": "kurultai", "kind": "party_list",
                          "area": "kz", "seats": 145}]}


def kurultai_stated_doc() -> dict:
    """``kurultai_doc`` with a stated 5 % threshold and a fourth party, under its own id (the docstring)."""
    doc = kurultai_doc()
    doc.update(id="kz-kurultai-stated", date="2026-08-23")
    doc["parties"].append({"key": "baytaq", "names": {"en": "Baytaq"}, "colour": "#009E73"})
    doc["contests"][0]["threshold_pct"] = 5.0
    return doc


def kurultai_rows() -> str:
    """The national row of ``kurultai_stated_doc`` (the figures of the module's docstring)."""
    return ("contest,unit,registered,took_part,invalid,against_all,amanat,auyl,respublica,baytaq\n"
            "kurultai_party_list,kz,15000,10000,200,400,6000,2000,1000,400\n")


def presidential_rows(leader_votes: int = 4800) -> str:
    """One kz row: 10,000 took part; alpha ``leader_votes``, beta 3,000, the rest to gamma, 300 against
    all and 200 invalid."""
    gamma = 10_000 - leader_votes - 3000 - 300 - 200
    return f"{PRES_HEADER}\npresident,kz,15000,10000,200,300,{leader_votes},3000,{gamma}\n"


def referendum_rows(yes_regions: int = YES_REGIONS, registered: int = 1500) -> str:
    lines = [REF_HEADER]
    for i, region in enumerate(region_keys()):
        yes, no = (750, 240) if i < yes_regions else (400, 590)
        lines.append(f"constitution,{region},{registered},1000,10,,{yes},{no}")
    return "\n".join(lines) + "\n"


def write(root: Path, doc: dict, results: str, files: dict | None = None) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "election.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    (root / "results.csv").write_text(results, encoding="utf-8")
    for name, text in (files or {}).items():
        (root / name).write_text(text, encoding="utf-8")
    return root
