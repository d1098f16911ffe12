"""bench_projection.py --real: nights built on the real votes (docs/projection.md), checked against the published
figures typed from dashboard/data/."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from bench_projection import national_shares, real_night, regional_previous  # noqa: E402

from dashboard.ingest.package import load_files  # noqa: E402
from dashboard.store.embedded import embedded_of  # noqa: E402


def test_national_shares_are_the_published_figures_with_the_rest_as_invalid():
    # 2024 referendum: 7,820,204 took part, 5,561,937 yes, 2,045,271 no; the rest 212,996
    shares = national_shares(embedded_of("kz-2024-10-06"), "nuclear_power_plant", ("invalid", "yes", "no"))
    assert shares == pytest.approx([212_996 / 7_820_204, 5_561_937 / 7_820_204, 2_045_271 / 7_820_204])
    # 2019: no 'against all' on the ballot -> NaN, not zero
    s19 = national_shares(embedded_of("kz-2019-06-09"), "president", ("invalid", "against_all", "tokayev"))
    assert np.isnan(s19[1]) and s19[2] == pytest.approx(6_539_715 / 9_261_460)


def test_a_real_night_has_the_real_national_figures_and_regional_turnout():
    full = load_files(real_night("kz-2023-03-19", 5, 600).files())
    rows = full.contest_rows("mazhilis_party_list")
    registered = rows["registered"].astype(float)
    assert registered.sum() == pytest.approx(12_035_578, rel=1e-3)
    amanat = rows["amanat"].astype(float).sum() / rows["took_part"].astype(float).sum()
    assert amanat == pytest.approx(3_431_510 / 6_521_860, abs=0.01)  # around the official 52.6 % of voters
    astana = rows["unit"].str.startswith("astana/")
    turnout = rows.loc[astana, "took_part"].astype(float).sum() / registered[astana].sum()
    assert turnout == pytest.approx(0.4291, abs=0.03)  # Astana's latest report, 42.91 % at 22:10


def test_the_regional_previous_is_on_its_own_units():
    """2019 was counted on the 17 units before the split: Abai's stations belong to East Kazakhstan."""
    night = load_files(real_night("kz-2022-11-20", 5, 600).files())
    prev = regional_previous("kz-2019-06-09", night, 5)
    units = set(prev.results["unit"])
    assert "abai" not in units and "zhetysu" not in units and "ulytau" not in units
    assert {"east_kazakhstan", "almaty_region", "karaganda", "kz"} <= units and len(units) == 18
    rows = prev.results[prev.results["unit"] != "kz"]
    assert rows["registered"].astype(float).sum() == pytest.approx(11_960_364, rel=1e-3)
    # every region row: the candidates of 2019 and the rest add up to those who took part
    cands = ["tokayev", "kosanov", "espaeva", "rakhimbekov", "taspikhov", "akhmetbekov", "tugel"]
    assert (rows[cands].astype(float).sum(axis=1) <= rows["took_part"].astype(float)).all()
