"""``python -m dashboard replay OUT_DIR``: play a rehearsal election night into a drop folder.

The night is a simulated election (``simulate --kind``: ``simulate.py`` for the 2023-shaped Mazhilis,
``kinds.py`` for a Kurultai, a presidential election or a referendum) cut into the files a commission
sends, at the times it sends them (Astana time: UTC+6 in 2023, UTC+5 for the other kinds' dates)::

    07:00        000-package.zip           election.json (every contest ``counting``), stations.csv,
                                           results.csv with only its header
    10:00…18:00  001-turnout-1000.csv …    the turnout reports of the day
    20:30…04:30  006-results-001.csv …     station results in batches, in the night's counting order
    05:00        …-status-preliminary.csv  every contest ``preliminary``
                 …-turnout-final.csv, …-districts.csv (mazhilis: its single-mandate winners)
    09:00        …-status-final.csv        every contest ``final``

File names start with a sequence number, so name order is arrival order. Each file appears whole: it
is written to a dotfile in the folder, flushed to disk, then renamed (``os.rename`` is atomic within a
file system), so a watcher never sees half a file. ``--speed N`` plays the night N times faster than
real time; ``--speed 0`` (or ``--fast``) writes everything at once, for tests.

``--order random|strongholds|cities|west-late`` counts the stations in one of ``simulate --order``'s
orders (``nights.py``, through ``simulate.counting_order``: the same function, so a replayed night's first
batches are the stations of ``simulate --order O --reported-fraction F``); without it, the seed-fixed
random order, as before. ``--previous`` first drops ``000-previous-package.zip``, the previous election of
the same kind (``simulate --previous``: another election id, ``<night's id>-previous``, final), and the
night's package names it (``"previous_election"``), so that a watcher-fed stack holds both and the night's
estimate has its previous vote to swing from. Without either option every file is as before, byte for byte.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.model import (
    DISTRICT_COLUMNS,
    FINAL,
    RESULT_BASE_COLUMNS,
    TURNOUT_COLUMNS,
)
from dashboard.rehearsal.draws import REPORT_TIMES
from dashboard.rehearsal.kinds import DATES, UTC_OFFSET, Steering, previous_package, simulate_kind, steering
from dashboard.rehearsal.nights import check_order
from dashboard.rehearsal.simulate import (
    DATE,
    counting_order,
    package_files,
    previous_of,
    simulate_election,
    zip_bytes,
)

#: The night's clock: the package at opening, results from 20:30 to 04:30, preliminary 05:00, final 09:00.
OPENING = "07:00"
RESULTS_FROM, RESULTS_TO = "20:30", "28:30"  # hours past midnight of election day
PRELIMINARY_AT, FINAL_AT = "29:00", "33:00"


@dataclass(frozen=True)
class Drop:
    """One file of the night: when it arrives (seconds after the package), its name and bytes."""

    at: float
    name: str
    data: bytes


@dataclass(frozen=True)
class Night:
    """What a night is played from, whatever was voted on: the finished election's tables and its
    opening package (every contest counting, no results yet)."""

    date: str
    utc_offset: str
    contests: tuple[str, ...]
    columns: tuple[str, ...]  # of results.csv
    results: pd.DataFrame
    turnout: pd.DataFrame
    districts: pd.DataFrame
    stations: pd.DataFrame
    opening: bytes  # the package zip
    previous: bytes | None = None  # the previous election's package zip (final), which ``opening`` names


def _seconds(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return int(h) * 3600 + int(m) * 60


def _csv(df: pd.DataFrame, columns) -> bytes:
    return df.reindex(columns=list(columns)).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _mazhilis_night(stations: int, seed: int, previous: bool = False) -> Night:
    full = simulate_election(stations, seed)
    before = None
    if previous:  # as ``simulate --previous`` writes it
        prev = previous_of(full, seed)
        before = zip_bytes(package_files(prev), prev.date)
        full = dataclasses.replace(full, previous_election=prev.id)
    opening = dataclasses.replace(
        full,
        contests=tuple(dataclasses.replace(c, status="counting") for c in full.contests),
        results=full.results.iloc[0:0],
        turnout=full.turnout.iloc[0:0],
        districts=full.districts.iloc[0:0],
    )
    return Night(DATE, "+06:00", tuple(c.key for c in full.contests), RESULT_BASE_COLUMNS + full.party_keys,
                 full.results, full.turnout, full.districts, full.stations, zip_bytes(package_files(opening)),
                 before)


def simulated_night(kind: str = "mazhilis", stations: int = 2000, seed: int = 2023,
                    steer: Steering | None = None, previous: bool = False) -> Night:
    """The night of a simulated election of ``kind`` (``simulate --kind``, the same seed and stations);
    with ``previous``, also the previous election's package, which the night's names (``simulate
    --previous``)."""
    if kind == "mazhilis":
        return _mazhilis_night(stations, seed, previous)
    full = simulate_kind(kind, stations, seed, 1.0, steer)
    before = None
    if previous:
        prev = previous_package(full, seed)
        before = zip_bytes(prev.files(), prev.date)
        full = full.naming_previous(prev.id)
    opening = dataclasses.replace(full.with_status("counting"), results=full.results.iloc[0:0],
                                  turnout=full.turnout.iloc[0:0])
    return Night(full.date, UTC_OFFSET, full.contest_keys, full.columns, full.results, full.turnout,
                 pd.DataFrame(columns=list(DISTRICT_COLUMNS)), full.stations,
                 zip_bytes(opening.files(), full.date), before)


def _status(night: Night, status: str) -> bytes:
    return _csv(pd.DataFrame({"contest": list(night.contests), "status": status}), ("contest", "status"))


def _turnout(night: Night, time_label: str) -> bytes:
    t = night.turnout[night.turnout["time"] == time_label]
    return _csv(t, TURNOUT_COLUMNS[:4])


def rehearsal_night(stations: int = 2000, seed: int = 2023, batches: int = 12, kind: str = "mazhilis",
                    steer: Steering | None = None, order: str | None = None,
                    previous: bool = False) -> list[Drop]:
    """Every file of the rehearsal night, in order; deterministic in (kind, stations, seed, batches, order,
    previous). ``order`` (``nights.ORDERS``; None: the seed-fixed random order) is the order the result
    batches count the stations in; ``previous`` drops the previous election's package first."""
    check_order(order)
    night = simulated_night(kind, stations, seed, steer, previous)
    start = _seconds(OPENING)
    drops = [] if night.previous is None else [Drop(0.0, "previous-package.zip", night.previous)]
    drops.append(Drop(0.0, "package.zip", night.opening))
    for hhmm in REPORT_TIMES:
        label = f"{night.date}T{hhmm}:00{night.utc_offset}"
        drops.append(Drop(_seconds(hhmm) - start, f"turnout-{hhmm.replace(':', '')}.csv", _turnout(night, label)))
    counted = counting_order(night, seed, order)
    batches = max(1, min(int(batches), len(counted)))
    t0, t1 = _seconds(RESULTS_FROM), _seconds(RESULTS_TO)
    for i, units in enumerate(np.array_split(counted, batches), start=1):
        rows = night.results[night.results["unit"].isin(units)]
        at = t0 + (t1 - t0) * (i - 1) / max(1, batches - 1)
        drops.append(Drop(at - start, f"results-{i:03d}.csv", _csv(rows, night.columns)))
    prelim = _seconds(PRELIMINARY_AT) - start
    drops.append(Drop(prelim, "turnout-final.csv", _turnout(night, FINAL)))
    if len(night.districts):
        drops.append(Drop(prelim, "districts.csv", _csv(night.districts, DISTRICT_COLUMNS)))
    drops.append(Drop(prelim, "status-preliminary.csv", _status(night, "preliminary")))
    drops.append(Drop(_seconds(FINAL_AT) - start, "status-final.csv", _status(night, "final")))
    width = len(str(len(drops)))
    return [Drop(d.at, f"{i:0{max(3, width)}d}-{d.name}", d.data) for i, d in enumerate(drops)]


def night_time(at: float, date: str = DATE) -> str:
    """``at`` seconds after the opening package as "day HH:MM" on the night's clock (``19 07:00``).

    A function of its own so that the replay loop holds no wall-clock ``datetime`` beside its ``clock``
    callable: once the log line reused that name, and every real ``--speed`` crashed on the second drop.
    """
    return f"{datetime.fromisoformat(f'{date}T{OPENING}:00') + timedelta(seconds=at):%d %H:%M}"


def drop_file(folder: str | os.PathLike, name: str, data: bytes) -> Path:
    """Make ``folder/name`` appear whole: write a dotfile beside it, fsync, then rename it into place."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    tmp = folder / f".{name}.{os.getpid()}.part"
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.rename(tmp, target)
    return target


def replay(out_dir: str | os.PathLike, speed: float = 60.0, stations: int = 2000, seed: int = 2023,
           batches: int = 12, sleep: Callable[[float], None] = time.sleep,
           log: Callable[[str], None] | None = None,
           clock: Callable[[], float] = time.monotonic, kind: str = "mazhilis",
           steer: Steering | None = None, order: str | None = None, previous: bool = False) -> list[Path]:
    """Play the night into ``out_dir``: each file at its time, ``speed`` times faster (0 = no waiting);
    ``order`` and ``previous`` as for :func:`rehearsal_night`."""
    if speed < 0:
        raise ValueError(f"speed must be 0 (no waiting) or more, not {speed}")
    drops = rehearsal_night(stations, seed, batches, kind, steer, order, previous)
    date = DATES.get(kind, DATE)
    written: list[Path] = []
    began = clock()
    for d in drops:
        if speed > 0:
            wait = d.at / speed - (clock() - began)
            if wait > 0:
                sleep(wait)
        written.append(drop_file(out_dir, d.name, d.data))
        if log:
            log(f"{night_time(d.at, date)} {d.name} ({len(d.data):,} bytes)")
    return written


def replay_command(args) -> int:
    speed = 0.0 if getattr(args, "fast", False) else args.speed
    try:
        written = replay(args.out_dir, speed, args.stations, args.seed, args.batches,
                         log=lambda line: print(line, flush=True), kind=getattr(args, "kind", "mazhilis"),
                         steer=steering(args), order=getattr(args, "order", None),
                         previous=getattr(args, "previous", False))
    except ValueError as exc:
        print(f"replay: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    print(f"replayed {len(written)} files into {args.out_dir}")
    return 0
