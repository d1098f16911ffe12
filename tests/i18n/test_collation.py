"""Regions are listed in each language's alphabetical order, wherever a reader picks one."""

from __future__ import annotations

import pytest

from dashboard.i18n import sort_key
from dashboard.regions import ordered, regions
from tests.serving import E2023


def _names(lang: str) -> list[str]:
    return [r.name(lang) for r in ordered(lang)]


def test_kazakh_letters_sort_inside_the_alphabet_not_after_ya():
    names = _names("kk")
    at = names.index
    assert at("Жетісу облысы") < at("Қарағанды облысы") < at("Қостанай облысы") < at("Маңғыстау облысы")
    assert at("Қарағанды облысы") < at("Ұлытау облысы") < at("Шығыс Қазақстан облысы")
    assert at("Түркістан облысы") < at("Ұлытау облысы")  # Т У Ұ Ү: Ұ after Т
    assert at("Шығыс Қазақстан облысы") < at("Шымкент")  # ғ before м
    assert names[0] == "Абай облысы" and names[-1] == "Шымкент"


def test_kazakh_order_is_the_whole_list_written_out():
    assert _names("kk") == [
        "Абай облысы",
        "Ақмола облысы",
        "Ақтөбе облысы",
        "Алматы",
        "Алматы облысы",
        "Астана",
        "Атырау облысы",
        "Батыс Қазақстан облысы",
        "Жамбыл облысы",
        "Жетісу облысы",
        "Қарағанды облысы",
        "Қостанай облысы",
        "Қызылорда облысы",
        "Маңғыстау облысы",
        "Павлодар облысы",
        "Солтүстік Қазақстан облысы",
        "Түркістан облысы",
        "Ұлытау облысы",
        "Шығыс Қазақстан облысы",
        "Шымкент",
    ]


def test_russian_names_with_leading_oblast_sort_under_their_proper_name():
    names = _names("ru")
    assert names[0] == "область Абай"  # under А, before Акмолинская
    at = names.index
    assert at("Жамбылская область") < at("область Жетісу") < at("Западно-Казахстанская область")
    assert at("Туркестанская область") < at("область Ұлытау") < at("Шымкент")
    assert at("Алматинская область") < at("Алматы") < at("Астана")  # и before ы


def test_plain_sorted_would_get_it_wrong():
    """The reason for the table: code-point order puts Қ and Ұ after Я and «область …» under О."""
    kk = sorted(r.name("kk") for r in regions())
    assert kk.index("Қарағанды облысы") > kk.index("Шымкент")
    ru = sorted(r.name("ru") for r in regions())
    assert ru.index("область Абай") > ru.index("Шымкент")


@pytest.mark.parametrize(
    ("lang", "words", "expected"),
    [
        ("kk", ["Ұлытау", "Үржар", "Уил", "Тараз"], ["Тараз", "Уил", "Ұлытау", "Үржар"]),
        ("kk", ["Іле", "Ыстықкөл", "Шу"], ["Шу", "Ыстықкөл", "Іле"]),
        ("kk", ["Өскемен", "Орал", "Нұра", "Ңа"], ["Нұра", "Ңа", "Орал", "Өскемен"]),
        ("ru", ["Ёлка", "Ель", "Ежи"], ["Ежи", "Ель", "Ёлка"]),
        ("ru", ["Щучинск", "Шу", "AMANAT", "Аул"], ["Аул", "Шу", "Щучинск", "AMANAT"]),
    ],
)
def test_sort_key_follows_the_alphabet(lang, words, expected):
    assert sorted(words, key=sort_key(lang)) == expected


def test_region_pickers_use_the_order(app_for_pickers):
    from dashboard.components.ui import region_options
    from dashboard.pages import maslikhats

    for lang in ("kk", "ru", "en"):
        assert [o["label"] for o in region_options(lang)] == _names(lang)
    with app_for_pickers.server.test_request_context("/"):
        election = app_for_pickers.server.extensions["saylau"].election()
        nav = maslikhats.picker(election, None, "kk")
    links = [li.children.children for li in nav.children[2].children]
    assert [label.rstrip(" ·") for label in links] == _names("kk")


@pytest.fixture(scope="module")
def app_for_pickers(tmp_path_factory):
    from dashboard.app import create_app
    from dashboard.config import Config

    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))
