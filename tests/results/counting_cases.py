"""Cases of the counting-in-progress rules (stations.csv, status updates), merged into test_rules.CASES."""

from __future__ import annotations

import os

from dashboard.ingest import rules as R
from dashboard.ingest.package import load_package, load_update

from .conftest import HEADER, make_package, rejected

STATIONS = "unit,station,registered\nastana/0001,1,900\nastana/0002,2,1100\n"
ROW = "mazhilis_party_list,{unit},1000,600,10,40,300,100,50,40,30,20,10"


def stations(tmp, body: str, **kw):
    return rejected(load_package, make_package(tmp / "p", files={"stations.csv": body},
                                               results=f"{HEADER}\n{ROW.format(unit='astana/0001')}\n"), **kw)


def _update(tmp, name: str, text: str):
    base = load_package(make_package(tmp / "base", files={"stations.csv": STATIONS},
                                     results=f"{HEADER}\n{ROW.format(unit='astana/0001')}\n"))
    path = tmp / name
    path.write_text(text, encoding="utf-8")
    return rejected(load_update, path, base)


def _too_many(tmp):
    os.environ["SAYLAU_MAX_STATIONS"] = "2"
    try:
        return stations(tmp, STATIONS + "astana/0003,3,10\n")
    finally:
        del os.environ["SAYLAU_MAX_STATIONS"]


COUNTING_CASES = {
    R.NOT_A_STATION: (lambda t: stations(t, STATIONS + "astana,,100\n"), ("stations.csv", 4)),
    R.TOO_MANY_STATIONS: (_too_many, ("stations.csv", 0)),
    R.STATION_NAME_TOO_LONG: (lambda t: stations(t, STATIONS + f"astana/0003,{'x' * 201},100\n"),
                              ("stations.csv", 4)),
    R.UNKNOWN_STATION: (lambda t: _update(t, "results.csv", f"{HEADER}\n{ROW.format(unit='astana/0001')}\n"
                                                            f"{ROW.format(unit='astana/0099')}\n"),
                        ("results.csv", 3)),
    R.BAD_STATUS: (lambda t: _update(t, "status.csv", "contest,status\nmazhilis_party_list,done\n"),
                   ("status.csv", 2)),
}
