"""The outcome first: on a 390×844 phone the home page's first screen states what the election decided,
in every language, with no sideways scroll."""

from __future__ import annotations

import os

import pytest

from tests.serving import serve

pytestmark = pytest.mark.browser

#: Where screenshots go when SAYLAU_SHOTS names a folder (to look at them; the test does not need them).
SHOTS = os.environ.get("SAYLAU_SHOTS")


def _box(driver, selector: str) -> dict:
    return driver.execute_script(
        "var r = document.querySelector(arguments[0]).getBoundingClientRect();"
        "return {top: r.top + window.scrollY, bottom: r.bottom + window.scrollY};", selector)


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_outcome_is_on_a_phones_first_screen(dash_duo, embedded_app, bt, lang):
    dash_duo.start_server(embedded_app)
    bt.set_phone_viewport(dash_duo.driver)
    bt.visit(dash_duo, f"/?lang={lang}", "#outcome-sentence")
    sentence = bt.text_of(dash_duo, "#outcome-sentence")
    expected = {"en": "Amanat wins 62 of 98 seats", "ru": "Amanat получает 62 из 98 мандатов",
                "kk": "Amanat 98 мандаттың 62 мандатын алды"}[lang]
    assert sentence.startswith(expected), sentence
    assert _box(dash_duo.driver, "#outcome-sentence")["bottom"] <= 844
    assert _box(dash_duo.driver, "#outcome-picture")["bottom"] <= 844
    assert bt.horizontal_overflow(dash_duo.driver) == 0
    if SHOTS:
        dash_duo.driver.execute_script("window.scrollTo(0, 0)")
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"home-{lang}.png"))


def _kind_app(tmp_path, kind: str):
    from tests import kinds_packages as kp

    doc, rows = {
        "presidential": (kp.presidential_doc(), kp.presidential_rows()),
        "referendum": (kp.referendum_doc(), kp.referendum_rows()),
    }[kind]
    return serve(tmp_path / "data", kp.write(tmp_path / "package", doc, rows))


#: The start of each outcome sentence (the figures worked by hand in tests/pages/test_kinds_pages.py).
KIND_SENTENCES = {
    ("presidential", "en"): "No candidate has more than half: second round, Alpha and Beta",
    ("presidential", "ru"): "Ни один кандидат не набрал больше половины: второй тур, Альфа и Бета",
    ("presidential", "kk"): "Бірде-бір үміткер жартысынан көп дауыс алмады: екінші тур, Альфа және Бета",
    ("referendum", "en"): "Not adopted: 61.00% yes",
    ("referendum", "ru"): "Не принято: «да» — 61,00",
    ("referendum", "kk"): "Қабылданбады: «иә» — 61,00",
}


@pytest.mark.parametrize("kind", ["presidential", "referendum"])
def test_new_kinds_state_their_outcome_on_a_phones_first_screen(dash_duo, tmp_path, bt, kind):
    """Every language on one server: the sentence and the picture inside 390×844, no sideways scroll, and
    axe-core finds no WCAG 2.1 A/AA violation on the page, nor on a region page of the same election."""
    from tests.browser.test_a11y import axe_violations

    dash_duo.start_server(_kind_app(tmp_path, kind))
    bt.set_phone_viewport(dash_duo.driver)
    found = {}
    for lang in ("kk", "ru", "en"):
        bt.visit(dash_duo, f"/?lang={lang}", "#outcome-sentence")
        assert bt.text_of(dash_duo, "#outcome-sentence").startswith(KIND_SENTENCES[kind, lang])
        assert _box(dash_duo.driver, "#outcome-sentence")["bottom"] <= 844
        assert _box(dash_duo.driver, "#outcome-picture")["bottom"] <= 844
        assert bt.horizontal_overflow(dash_duo.driver) == 0
        if SHOTS:
            dash_duo.driver.execute_script("window.scrollTo(0, 0)")
            dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"{kind}-{lang}.png"))
        violations = axe_violations(dash_duo)
        if violations:
            found[lang] = violations
    bt.visit(dash_duo, "/region/shymkent?lang=en", "#page-region")  # the region page of the same kind
    assert bt.horizontal_overflow(dash_duo.driver) == 0
    violations = axe_violations(dash_duo)
    if violations:
        found["region"] = violations
    assert found == {}


def test_mid_count_no_verdict_reads_as_final(dash_duo, tmp_path, bt):
    """A fifth of the stations counted: the outcome says "not decided yet", and neither the chart nor the
    table marks a party ✓ in or ✗ below the threshold (at 16.7 % counted "✗ below 5 %" read as final)."""
    from dashboard.rehearsal.simulate import write_simulated

    dash_duo.start_server(serve(tmp_path / "data", write_simulated(tmp_path / "sim", 300, 7, reported_fraction=0.2)))
    bt.set_phone_viewport(dash_duo.driver)
    bt.visit(dash_duo, "/?lang=en", "#outcome-sentence")
    assert bt.text_of(dash_duo, "#outcome-sentence").startswith("Not decided yet — leading so far: ")
    assert _box(dash_duo.driver, "#outcome-sentence")["bottom"] <= 844
    table = bt.text_of(dash_duo, "#results-table")
    statuses = dash_duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#party-bar .annotation-text')).map(e => e.textContent);")
    assert "so far" in table and "↑" in table
    assert not any(mark in text for mark in ("✓", "✗") for text in [table, *statuses])
    assert any("so far" in s for s in statuses)
    if SHOTS:
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, "mid-count-en.png"))
        dash_duo.driver.execute_script("document.querySelector('#party-bar').scrollIntoView()")
        dash_duo.driver.save_screenshot(os.path.join(SHOTS, "mid-count-bar-en.png"))


#: "Not decided yet" in each language (docs/glossary.md), and the home link of each kind's header.
NOT_DECIDED = {"en": "Not decided yet", "ru": "Итог ещё не определён", "kk": "Қорытынды әлі шыққан жоқ"}
HOME_LINK = {("kurultai", "en"): "Kurultai", ("kurultai", "ru"): "Курултай", ("kurultai", "kk"): "Құрылтай",
             ("referendum", "en"): "Referendum", ("referendum", "ru"): "Референдум",
             ("referendum", "kk"): "Референдум"}


def test_a_rehearsed_night_of_two_kinds_on_a_phone(dash_duo, tmp_path, bt):
    """``simulate --kind kurultai`` and ``--kind referendum``, a third of the stations counted, ingested
    side by side: each home's first 390×844 screen says "not decided yet" with what the count shows, in
    every language, with the picture and without sideways scroll; its header names its own contest and
    offers no maslikhats."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.rehearsal.kinds import write_kind
    from dashboard.store.library import Library

    data = tmp_path / "data"
    ids = {kind: Library(data).ingest(write_kind(tmp_path / kind, kind, 300, 11, reported_fraction=0.3)).election
           for kind in ("kurultai", "referendum")}
    assert ids == {"kurultai": "sim-kurultai-11-300", "referendum": "sim-referendum-11-300"}
    dash_duo.start_server(create_app(Config(data_dir=data)))
    bt.set_phone_viewport(dash_duo.driver)
    for kind, election in ids.items():
        for lang in ("kk", "ru", "en"):
            bt.visit(dash_duo, f"/e/{election}/?lang={lang}", "#outcome-sentence")
            assert bt.text_of(dash_duo, "#outcome-sentence").startswith(NOT_DECIDED[lang])
            assert _box(dash_duo.driver, "#outcome-sentence")["bottom"] <= 844
            assert _box(dash_duo.driver, "#outcome-picture")["bottom"] <= 844
            assert bt.horizontal_overflow(dash_duo.driver) == 0
            dash_duo.wait_for_text_to_equal("#nav-home", HOME_LINK[kind, lang])
            assert not dash_duo.driver.find_elements("css selector", "#nav-maslikhats")
            if SHOTS:
                dash_duo.driver.execute_script("window.scrollTo(0, 0)")
                dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"night-{kind}-{lang}.png"))
