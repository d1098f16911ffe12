"""The words of docs/glossary.md: the catalogues, the embedded package and the pages use the commission's
terms, and the words the review of issue 12 found wrong do not come back."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from dashboard.i18n import description, gettext
from tests.serving import E2023

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "dashboard" / "data" / "kz-2023-03-19" / "election.json"


def _translations(lang: str) -> list[str]:
    path = ROOT / "dashboard" / "i18n" / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as f:
        catalog = read_po(f)
    out = []
    for m in catalog:
        if m.id:
            out += list(m.string) if isinstance(m.string, tuple | list) else [m.string]
    return out


#: (language, a word or phrase that must not appear, why)
RETIRED = [
    ("kk", "шек", "the threshold is «меже» (Парламентке өту межесі)"),
    ("kk", "Алда", "final results have a first-place party (Бірінші орындағы), not a leading one"),
    ("kk", "партиялық тізіммен", "the commission writes «партиялық тізімдер бойынша»"),
    ("kk", "кезінде", "report times are «{time} жағдай бойынша»"),
    ("kk", "Астана уақыты", "the commission writes «елорда уақытымен»"),
    ("kk", "Есептелген дауыстар", "the sum is votes for parties and against all"),
    ("kk", "Мәслихат саны", "it is the number of deputies (Мәслихат депутаттарының саны)"),
    ("kk", "облыс пен қаланың", "«N өңірдің M өңірі»: the count takes the possessive"),
    ("kk", "өңірлік комиссия", "the law's tier is «аумақтық сайлау комиссиялары»"),
    ("kk", "график", "a chart is «диаграмма» throughout"),
    ("ru", "Областн", "maslikhats of Astana, Almaty and Shymkent are not oblast maslikhats"),
    ("ru", "областных маслихат", "maslikhats of regions and cities, not only of oblasts"),
    ("ru", "Палата", "a maslikhat is not a chamber"),
    ("ru", "региональные комиссии", "the law's tier is «территориальные избирательные комиссии»"),
    ("ru", "астанинское", "«по времени Астаны»"),
    ("ru", "в этих выборах", "«на этих выборах»"),
    ("ru", "выдуманы", "«вымышлены»"),
    ("ru", "Учтено голосов", "the sum is votes for parties and against all"),
    ("ru", "Лидир", "final results have a party in first place"),
    ("ru", "единиц.", "«{n} единиц» does not agree with 1, 2, 21"),
    # the review of the strings added after the language pass (2026-12-02)
    ("kk", "нәтиже", "results are «қорытындылар», never mixed with «нәтижелер»; «нәтиже берді» is “paid off”"),
    ("kk", "бюллетень салу", "that is ordinary casting; ballot stuffing is «бюллетеньдерді заңсыз салу»"),
    ("kk", "Симуляцияланған", "“simulated” is «симуляция» («Сайлау симуляциясы»)"),
    ("kk", "тармақ", "“points” are «пункт» («пайыздық пункт»), as on the axis and the bins"),
    ("kk", "қорытындысына қосыл", "“add up to the total” is «қосындысы … тең», not “be added to the total”"),
    ("kk", "жағдайлары аралығында", "an interval is «{before_time}–{time} аралығында»"),
    ("ru", "подсчитаны", "the plural form follows the total: «подсчитаны 1 из 132»"),
    ("ru", "Смоделирован", "“simulated” is «симуляция»"),
    ("ru", "— не итог", "a second dash in chart titles: «…, а не итог»"),
    ("ru", "в итоговой цифре", "a calque: «итоговая — {after}»"),
    ("ru", "в опубликованном виде", "«опубликованные окончательные итоги»"),
    ("ru", "Сортировать по", "the chosen option is nominative: «Сортировка»"),
    ("ru", "сообщённый", "a station is not «сообщён»: «учтённый»"),
]

#: (language, a pattern that must not match, why): words that are retired only where they stand alone
RETIRED_PATTERNS = [
    ("kk", r"\b[Кк]елу\b", "turnout is «сайлаушылардың келуі»; bare «келу» reads “arrival”"),
    ("kk", r"\b[Хх]абар(?!лама)\w*", "a report is «хабарлама», as the language pass fixed it"),
]


@pytest.mark.parametrize(("lang", "word", "why"), RETIRED, ids=[f"{r[0]}-{r[1]}" for r in RETIRED])
def test_retired_words_are_gone(lang, word, why):
    hits = [s for s in _translations(lang) if word in s]
    assert not hits, (why, hits)


@pytest.mark.parametrize(("lang", "pattern", "why"), RETIRED_PATTERNS, ids=[f"{r[0]}-{r[1]}" for r in RETIRED_PATTERNS])
def test_retired_patterns_are_gone(lang, pattern, why):
    hits = [s for s in _translations(lang) if re.search(pattern, s)]
    assert not hits, (why, hits)


@pytest.mark.parametrize(
    ("message", "kk", "ru"),
    [
        ("Turnout", "Сайлаушылардың келуі", "Явка"),
        ("Threshold", "Меже", "Барьер"),
        ("Against all", "Бәріне қарсы", "Против всех"),
        ("Leading party", "Бірінші орындағы партия", "Партия на первом месте"),
        ("Regional maslikhats", "Облыстар мен қалалар мәслихаттары", "Маслихаты областей и городов"),
        (
            "Votes for parties and against all",
            "Партияларға және «бәріне қарсы» берілген дауыстар",
            "Голоса за партии и «против всех»",
        ),
        ("Registered voters", "Сайлаушылар тізіміне енгізілгендер", "Включено в списки избирателей"),
        ("Took part", "Дауыс беруге қатысқандар", "Приняли участие в голосовании"),
    ],
)
def test_glossary_terms(message, kk, ru):
    assert gettext(message, "kk") == kk
    assert gettext(message, "ru") == ru


def test_party_names_as_registered():
    doc = json.loads(PACKAGE.read_text(encoding="utf-8"))
    names = {p["key"]: p["names"] for p in doc["parties"]}
    assert names["ak_zhol"]["kk"] == "Қазақстанның «Ақ жол» демократиялық партиясы"
    assert names["ak_zhol"]["ru"] == "Демократическая партия Казахстана «Ак жол»"
    assert names["baytaq"]["kk"] == "Қазақстанның «Байтақ» жасылдар партиясы"
    assert names["baytaq"]["ru"] == "Казахстанская партия зелёных «Байтак»"


def test_package_notes_use_the_ballot_words():
    notes = json.loads(PACKAGE.read_text(encoding="utf-8"))["notes"]
    assert "барлығына қарсы" not in notes["kk"] and "«бәріне қарсы»" in notes["kk"]
    assert "үміткер" not in notes["kk"]  # the seven were elected: deputies, not candidates
    assert "сайлаушылардың келуі" in notes["kk"]
    assert "учтённых" not in notes["ru"] and "областных комиссий" not in notes["ru"]
    assert "территориальных избирательных комиссий" in notes["ru"]


def test_description_in_the_page_language():
    assert description("en") == "Official results of the elections of 19 March 2023 in Kazakhstan"
    assert description("kk") == "Қазақстанда 2023 жылғы 19 наурызда өткен сайлаудың ресми қорытындылары"
    assert description("ru") == "Официальные итоги выборов 19 марта 2023 года в Казахстане"
    assert description("xx") == description("kk")  # unknown language: the site's default


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from dashboard.config import Config

    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", "Қазақстанда 2023 жылғы 19 наурызда өткен сайлаудың ресми қорытындылары"),
        ("/?lang=ru", "Официальные итоги выборов 19 марта 2023 года в Казахстане"),
        ("/e/kz-2023-03-19/region/astana?lang=en", "Official results of the elections of 19 March 2023 in Kazakhstan"),
        ("/e/kz-2023-03-19/turnout?lang=ru", "Официальные итоги выборов 19 марта 2023 года в Казахстане"),
    ],
)
def test_served_html_describes_itself_in_the_page_language(app, url, expected):
    """One ``<meta name="description">`` in the served HTML (and the og/twitter ones for link previews)."""
    html = app.server.test_client().get(url).get_data(as_text=True)
    found = re.findall(r'<meta (?:name|property)="((?:og:|twitter:)?description)" content="([^"]*)"', html)
    assert sorted(found) == [
        ("description", expected),
        ("og:description", expected),
        ("twitter:description", expected),
    ]


def _page_text(app, lang: str) -> str:
    from plotly.utils import PlotlyJSONEncoder

    from dashboard.pages import region

    with app.server.test_request_context("/"):
        page = region.layout(unit="astana", lang=lang)
    return json.dumps(page, cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_region_page_names_the_sum_for_what_it_is(app):
    """The stat that used to read «Учтено голосов»: 6 366 441 = party votes + against all, not all ballots."""
    texts = {lang: _page_text(app, lang) for lang in ("kk", "ru", "en")}
    assert "Партияларға және «бәріне қарсы» берілген дауыстар" in texts["kk"]
    assert "Голоса за партии и «против всех»" in texts["ru"]
    assert "Votes for parties and against all" in texts["en"]
    assert (
        "Учтено" not in texts["ru"] and "Есептелген" not in texts["kk"] and "Votes counted" not in texts["en"]
    )
