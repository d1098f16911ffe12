"""Load a results package (folder or .zip) or a lone update file into an ``Election``, or refuse it whole.

A zip is inspected from its directory before a single byte is decompressed (paths, symlinks, nested
archives, sizes, ratios) and members are read into memory with a hard cap, never extracted to disk, so a
hostile archive cannot write outside the store or fill it. Every problem of every file is collected and
raised together as one ``Rejected``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd

from dashboard.ingest import rules as R
from dashboard.ingest.readers import guess_kind, read_raw, to_table
from dashboard.ingest.rules import Limits, Problem, Rejected
from dashboard.ingest.validate import (
    PACKAGE_FILES,
    check_stations,
    check_turnout_series,
    composition_frame,
    districts_frame,
    parse_election_json,
    results_frame,
    sources_frame,
    stations_frame,
    status_frame,
    time_keys,
    turnout_frame,
)
from dashboard.model import Election

ARCHIVE_SUFFIXES = (".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".zst", ".jar")
#: Not package files: OS litter, and the store's MANIFEST.json (a stored version folder is a package too).
_IGNORED = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$|\._|MANIFEST\.json$)")
_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ", b"(\xb5/\xfd")


def is_package(path: str | os.PathLike) -> bool:
    p = Path(path)
    return p.is_dir() or p.suffix.lower() == ".zip"


# --- getting the bytes --------------------------------------------------------------------------------
def _unsafe(name: str) -> str | None:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "is an absolute path"
    parts = re.split(r"[\\/]+", name)
    if ".." in parts:
        return "climbs out of the package with '..'"
    return None


def _strip_top(names: list[str]) -> dict[str, str]:
    """Member name -> package file name; a zip may hold the files inside one top-level folder."""
    tops = {n.split("/", 1)[0] for n in names}
    if len(tops) == 1 and all("/" in n for n in names):
        return {n: n.split("/", 1)[1] for n in names}
    return {n: n for n in names}


def zip_files(path: Path, limits: Limits) -> dict[str, bytes]:
    """Read a package zip into memory after checking its directory; raises Rejected."""
    name = path.name
    problems: list[Problem] = []
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as e:
        raise Rejected([Problem(name, 0, R.BAD_ZIP, f"this is not a readable zip archive ({e})")]) from None
    except UnicodeDecodeError:  # a member flagged UTF-8 whose name is not: zipfile refuses the whole archive
        raise Rejected([Problem(name, 0, R.BAD_ZIP, "a member's name is flagged UTF-8 but is not; re-create the "
                                                    "zip with plain names (election.json, results.csv, …)")]) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            problems.append(Problem(name, 0, R.ZIP_BOMB,
                                    f"the archive holds {len(infos)} entries; a package has at most {limits.max_members}"))
        files = []
        total = 0
        for info in infos:
            n = info.filename
            why = _unsafe(n)
            if why:
                problems.append(Problem(name, 0, R.UNSAFE_ZIP_PATH, f"member «{n}» {why}; refused"))
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                problems.append(Problem(name, 0, R.UNSAFE_ZIP_PATH, f"member «{n}» is a symbolic link; refused"))
                continue
            if info.is_dir() or _IGNORED.search(n):
                continue
            if n.lower().endswith(ARCHIVE_SUFFIXES):
                problems.append(Problem(name, 0, R.NESTED_ARCHIVE,
                                        f"member «{n}» is itself an archive; put the CSV files in the zip directly"))
                continue
            total += info.file_size
            if info.file_size > limits.max_file_bytes:
                problems.append(Problem(name, 0, R.FILE_TOO_LARGE,
                                        f"member «{n}» is {info.file_size:,} bytes; the cap is {limits.max_file_bytes:,}"))
            elif info.file_size > 65536 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
                problems.append(Problem(name, 0, R.ZIP_BOMB,
                                        f"member «{n}» expands {info.file_size // max(info.compress_size, 1)}-fold; "
                                        f"no results file compresses beyond {limits.max_ratio}-fold"))
            files.append(info)
        if total > limits.max_total_bytes:
            problems.append(Problem(name, 0, R.ZIP_BOMB,
                                    f"the archive expands to {total:,} bytes; the cap is {limits.max_total_bytes:,}"))
        if problems:
            raise Rejected(problems)
        out: dict[str, bytes] = {}
        names = _strip_top([i.filename for i in files])
        for info in files:
            try:
                with zf.open(info) as fh:
                    data = fh.read(info.file_size + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError) as e:
                problems.append(Problem(name, 0, R.BAD_ZIP, f"member «{info.filename}» cannot be read ({e})"))
                continue
            if len(data) > info.file_size:
                problems.append(Problem(name, 0, R.ZIP_BOMB,
                                        f"member «{info.filename}» holds more data than its directory entry says"))
                continue
            if data[:4].startswith(_MAGIC) and not names[info.filename].lower().endswith(".xlsx"):
                problems.append(Problem(name, 0, R.NESTED_ARCHIVE,
                                        f"member «{info.filename}» is an archive in disguise"))
                continue
            out[names[info.filename]] = data
        if problems:
            raise Rejected(problems)
        return out


def folder_files(path: Path, limits: Limits) -> dict[str, bytes]:
    """Read a package folder (files at its root, or inside one subfolder); raises Rejected."""
    name = path.name
    problems: list[Problem] = []
    entries: list[tuple[str, Path]] = []
    for p in sorted(path.rglob("*")):
        rel = p.relative_to(path).as_posix()
        if _IGNORED.search(rel) or PurePosixPath(rel).name.startswith("."):
            continue
        if p.is_symlink():
            problems.append(Problem(name, 0, R.UNSAFE_ZIP_PATH, f"«{rel}» is a symbolic link; refused"))
            continue
        if p.is_dir():
            continue
        if rel.lower().endswith(ARCHIVE_SUFFIXES):
            problems.append(Problem(name, 0, R.NESTED_ARCHIVE, f"«{rel}» is an archive inside the package"))
            continue
        size = p.stat().st_size
        if size > limits.max_file_bytes:
            problems.append(Problem(rel, 0, R.FILE_TOO_LARGE, f"{size:,} bytes; the cap is {limits.max_file_bytes:,}"))
            continue
        entries.append((rel, p))
    if sum(p.stat().st_size for _, p in entries) > limits.max_total_bytes:
        problems.append(Problem(name, 0, R.FILE_TOO_LARGE, f"the package is larger than {limits.max_total_bytes:,} bytes"))
    if problems:
        raise Rejected(problems)
    names = _strip_top([rel for rel, _ in entries])
    return {names[rel]: p.read_bytes() for rel, p in entries}


# --- files -> Election --------------------------------------------------------------------------------
def _drop_t(df: pd.DataFrame) -> pd.DataFrame:
    return df.drop(columns=["_t"], errors="ignore")


def load_files(files: dict[str, bytes], sheet: str | None = None, limits: Limits | None = None) -> Election:
    """Validate the files of one package (name -> bytes) and build its Election; raises Rejected."""
    limits = limits or Limits.from_env()
    problems: list[Problem] = []
    for n, data in files.items():
        if n not in PACKAGE_FILES:
            problems.append(Problem(n, 0, R.UNKNOWN_FILE,
                                    f"the package format has no file «{n}» (expected: {', '.join(PACKAGE_FILES)})"))
        elif len(data) > limits.max_file_bytes:
            problems.append(Problem(n, 0, R.FILE_TOO_LARGE, f"{len(data):,} bytes; the cap is {limits.max_file_bytes:,}"))
    if "election.json" not in files:
        problems.append(Problem("election.json", 0, R.MISSING_FILE, "the package has no election.json"))
    results_name = "results.csv" if "results.csv" in files else "results.xlsx"
    if "results.csv" in files and "results.xlsx" in files:
        problems.append(Problem("results.xlsx", 0, R.UNKNOWN_FILE, "the package has both results.csv and results.xlsx"))
    elif results_name not in files:
        problems.append(Problem("results.csv", 0, R.MISSING_FILE, "the package has no results.csv (or results.xlsx)"))
    if problems:
        raise Rejected(problems)
    meta, problems = parse_election_json(files["election.json"], limits=limits)
    if meta is None:
        raise Rejected(problems)

    def table(n, kind):
        return to_table(read_raw(files[n], n, sheet if n.endswith(".xlsx") else None, limits), n, kind, meta.option_objects)

    parts: dict = {}
    if "stations.csv" in files:
        t = table("stations.csv", "stations")
        parts["stations"] = stations_frame(t, meta)
        problems += t.problems
    t = table(results_name, "results")
    results = results_frame(t, meta)
    problems += t.problems
    if not t.problems and "stations" in parts:
        problems += check_stations(results, parts["stations"], results_name, t.lines)
    parts["results"] = results
    if "turnout.csv" in files:
        t = table("turnout.csv", "turnout")
        turnout = turnout_frame(t, meta)
        problems += t.problems
        if not t.problems:
            problems += check_turnout_series(turnout, "turnout.csv", t.lines)
        parts["turnout"] = _drop_t(turnout)
    for n, kind, fn in (("districts.csv", "districts", districts_frame),
                        ("composition.csv", "composition", composition_frame),
                        ("sources.csv", "sources", sources_frame)):
        if n in files:
            t = table(n, kind)
            parts[kind] = fn(t, meta)
            problems += t.problems
    if problems:
        raise Rejected(problems)
    return dataclasses.replace(meta, **parts)


def read_package(path: str | os.PathLike, limits: Limits | None = None) -> dict[str, bytes]:
    limits = limits or Limits.from_env()
    p = Path(path)
    if not p.exists():
        raise Rejected([Problem(p.name, 0, R.MISSING_FILE, f"{path} does not exist")])
    return folder_files(p, limits) if p.is_dir() else zip_files(p, limits)


def load_package(path: str | os.PathLike, sheet: str | None = None, limits: Limits | None = None) -> Election:
    """A package folder or .zip -> Election; raises ``Rejected`` listing every problem found."""
    limits = limits or Limits.from_env()
    return load_files(read_package(path, limits), sheet, limits)


def load_update(path: str | os.PathLike, election: Election, sheet: str | None = None,
                limits: Limits | None = None) -> Election:
    """Apply a lone results/turnout/districts file to ``election``: same-key rows replaced, new rows added.

    Kind is judged from the header (not the file name: commissions name files as they like). The new rows
    are checked cell by cell; the merged election is checked for what spans rows (turnout going down).
    """
    limits = limits or Limits.from_env()
    p = Path(path)
    name = p.name
    if not p.is_file():
        raise Rejected([Problem(name, 0, R.MISSING_FILE, f"{path} does not exist")])
    size = p.stat().st_size
    if size > limits.max_file_bytes:
        raise Rejected([Problem(name, 0, R.FILE_TOO_LARGE, f"{size:,} bytes; the cap is {limits.max_file_bytes:,}")])
    raw = read_raw(p.read_bytes(), name, sheet, limits)
    if raw.problems and raw.n_rows == 0:
        raise Rejected(raw.problems)
    kind = guess_kind(raw)
    if kind is None:
        raise Rejected([*raw.problems, Problem(name, 1, R.UNKNOWN_FILE_KIND,
                                               "cannot tell what this file is: a results file needs «contest» and "
                                               "«unit» columns, a turnout file «time» and «unit»")])
    t = to_table(raw, name, kind, election.option_objects)
    problems = t.problems
    if len(t) == 0 and not problems:
        raise Rejected([Problem(name, t.header_line, R.EMPTY_UPDATE,
                                "the file has a header but no data rows: probably a cut-off export; nothing was "
                                "published, send the whole file")])
    if kind == "results":
        new = results_frame(t, election)
        old = election.results
        merged = _replace(old, new, ["contest", "unit"])
        merged = merged.reindex(columns=list(old.columns) or list(new.columns))
        problems += check_stations(new, election.stations, name, t.lines) if not problems else []
        if problems:
            raise Rejected(problems)
        return dataclasses.replace(election, results=merged)
    if kind == "status":
        return apply_status(election, status_frame(t, election), problems)
    if kind == "turnout":
        new = turnout_frame(t, election)
        old = election.turnout.copy()
        old["_t"] = time_keys(old["time"].astype(str).to_numpy())[1]
        if problems:
            raise Rejected(problems)
        keep = ~_keys(old, ["time", "unit"]).isin(set(_keys(new, ["time", "unit"])))
        merged = pd.concat([old[keep.to_numpy()], new], ignore_index=True)
        lines = np.concatenate([np.zeros(int(keep.sum()), np.int64), t.lines])
        merged = merged.astype({c: old[c].dtype for c in old.columns if c in merged.columns})
        problems = check_turnout_series(merged, name, lines)
        if problems:
            raise Rejected(problems)
        merged = merged.sort_values("_t", kind="stable").reset_index(drop=True)
        return dataclasses.replace(election, turnout=_drop_t(merged))
    new = districts_frame(t, election)
    if problems:
        raise Rejected(problems)
    merged = _replace(election.districts, new, ["contest", "district"])
    return dataclasses.replace(election, districts=merged)


def apply_status(election: Election, status: pd.DataFrame, problems: list[Problem]) -> Election:
    """A status update: each listed contest's ``status`` replaced; nothing else changes."""
    if problems:
        raise Rejected(problems)
    new = dict(zip(status["contest"], status["status"], strict=True))
    contests = tuple(dataclasses.replace(c, status=new[c.key]) if c.key in new else c for c in election.contests)
    return dataclasses.replace(election, contests=contests)


def _keys(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    return df[cols[0]].astype(str) + "\x1f" + df[cols[1]].astype(str)


def _replace(old: pd.DataFrame, new: pd.DataFrame, cols: list[str]) -> pd.DataFrame:
    """Rows of ``old`` whose key is not in ``new``, then ``new`` (replacements and additions)."""
    if old.empty:
        return new.reset_index(drop=True)
    keep = ~_keys(old, cols).isin(set(_keys(new, cols)))
    merged = pd.concat([old[keep.to_numpy()], new], ignore_index=True)
    return merged.astype({c: old[c].dtype for c in old.columns if c in merged.columns})
