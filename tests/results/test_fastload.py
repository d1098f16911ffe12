"""The .frames.npz fast-load copy gives exactly the tables the CSVs give, is really used, runs no code,
and is ignored (CSVs read) when it does not fit this build."""

from __future__ import annotations

import io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest

import dashboard.store.store as store_module
from dashboard.ingest.package import load_package
from dashboard.ingest.validate import parse_election_json
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.embedded import embedded_path
from dashboard.store.fastload import FRAMES, NotCached, election_from, frames_bytes
from dashboard.store.store import Store

from .conftest import ASTANA_ROW, HEADER, KZ_ROW, make_package
from .test_store import _cached_embedded

TABLES = ("results", "turnout", "districts", "composition", "sources")


def same_tables(a, b) -> None:
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(a, name), getattr(b, name), check_exact=True)


def roundtrip(election):
    meta, problems = parse_election_json(json.dumps(_doc(election)).encode())
    assert not problems
    return election_from(frames_bytes(election), meta)


def _doc(election) -> dict:
    from dashboard.store.write import election_json

    return election_json(election)


@pytest.mark.parametrize("source", ["embedded-2023", "simulated"])
def test_roundtrip_is_exact(tmp_path, source):
    if source == "embedded-2023":
        e = load_package(embedded_path())
        assert len(e.sources) and len(e.composition) and e.notes
    else:
        e = load_package(write_simulated(tmp_path / "sim", 500, seed=7))
        assert len(e.turnout) and len(e.districts)
    same_tables(roundtrip(e), e)


def test_store_version_is_read_from_the_cache_and_matches_the_csvs(tmp_path, monkeypatch):
    store = Store(tmp_path / "data", embedded=_cached_embedded)
    store.ingest(make_package(tmp_path / "p", {"turnout.csv": "time,unit,turnout_pct\n"
                                                              "2023-03-19T10:10:00+06:00,kz,14.21\n"}))
    upd = tmp_path / "astana.csv"
    upd.write_text(HEADER + "\n" + ASTANA_ROW + "\n" + KZ_ROW.replace("12035578", "12035579") + "\n")
    v = store.ingest(upd)
    folder = tmp_path / "data" / "versions" / str(v)
    assert (folder / FRAMES).exists()
    with zipfile.ZipFile(folder / FRAMES) as z, z.open("results.0.values.npy") as fh:
        assert np.lib.format.read_array(fh, allow_pickle=False).dtype.kind == "U"  # plain arrays only
    csv = load_package(folder)  # the canonical CSVs (the loader ignores dotfiles and MANIFEST.json)

    def no_csv_reading(*a, **k):
        raise AssertionError("the CSVs were read: the cache was not used")

    monkeypatch.setattr(store_module, "load_files", no_csv_reading)
    fast = Store(store.dir, embedded=_cached_embedded).current()
    same_tables(fast, csv)
    assert fast.results.set_index(["contest", "unit"]).loc[("mazhilis_party_list", "kz"), "registered"] == 12035579


def test_unusable_cache_falls_back_to_the_csvs(tmp_path, monkeypatch):
    store = Store(tmp_path / "data", embedded=_cached_embedded)
    store.ingest(make_package(tmp_path / "p"))
    monkeypatch.setattr("dashboard.store.fastload.SCHEMA", 99)  # a cache written by another build
    read = []
    real = store_module.load_files
    monkeypatch.setattr(store_module, "load_files", lambda *a, **k: read.append(1) or real(*a, **k))
    e = Store(store.dir, embedded=_cached_embedded).current()
    assert read == [1] and int(e.results["registered"].iloc[0]) == 12035578


def test_garbage_and_object_arrays_are_not_loaded(tmp_path):
    meta, _ = parse_election_json(json.dumps(_doc(load_package(make_package(tmp_path / "p")))).encode())
    with pytest.raises(NotCached):
        election_from(b"not an npz", meta)
    buf = io.BytesIO()
    np.savez(buf, header=np.array([{"schema": 1}], dtype=object))  # an object array needs pickle to load
    with pytest.raises(NotCached):
        election_from(buf.getvalue(), meta)
