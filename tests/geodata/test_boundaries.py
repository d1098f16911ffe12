"""The boundary-set registry (pure core): which units a vote was counted in and their names of the day."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from dashboard import boundaries as b


def test_two_sets_17_and_20_units():
    assert [s.key for s in b.boundary_sets()] == ["units_2022", "units_2023"]
    assert len(b.boundary_set("units_2022").units) == 17
    assert len(b.boundary_set("units_2023").units) == 20


@pytest.mark.parametrize(
    "date, key",
    [("2019-06-09", "units_2022"), ("2021-01-10", "units_2022"), ("2022-06-05", "units_2022"),
     ("2022-06-07", "units_2022"), ("2022-06-08", "units_2023"), ("2022-11-20", "units_2023"),
     ("2026-03-15", "units_2023")],
)  # fmt: skip
def test_set_of_a_date(date, key):
    assert b.for_date(date).key == key


def test_an_election_may_name_its_set():
    assert (
        b.for_election(SimpleNamespace(date="2026-03-15", extra={"boundaries": "units_2022"})).key
        == "units_2022"
    )
    assert b.for_election(SimpleNamespace(date="2019-06-09", extra={})).key == "units_2022"


def test_unknown_set_names_the_known_ones():
    with pytest.raises(KeyError, match="units_2022"):
        b.boundary_set("units_1997")


def test_names_of_the_day():
    old, new = b.boundary_set("units_2022"), b.boundary_set("units_2023")
    assert old.unit_name("astana", "en") == "Nur-Sultan"
    assert old.unit_name("astana", "kk") == "Нұр-Сұлтан"
    assert new.unit_name("astana", "ru") == "Астана"
    assert old.unit_name("astana/0123", "en") == "Nur-Sultan · 0123"
    assert old.unit_name("kz", "ru") == "Казахстан"


def test_covers_and_unit_of():
    old = b.boundary_set("units_2022")
    assert old.covers["east_kazakhstan"] == ("east_kazakhstan", "abai")
    assert old.covers["almaty_region"] == ("almaty_region", "zhetysu")
    assert old.covers["karaganda"] == ("karaganda", "ulytau")
    assert old.unit_of("ulytau") == "karaganda"
    assert old.unit_of("shymkent") == "shymkent"
    # every one of today's 20 units lies in exactly one old unit
    today = b.boundary_set("units_2023").unit_keys()
    assert sorted(k for parts in old.covers.values() for k in parts) == sorted(today)
    assert not b.is_unit(old, "abai") and b.is_unit(old, "kz") and b.is_unit(old, "karaganda/12")
