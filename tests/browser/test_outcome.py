"""The outcome first: on a 390×844 phone the home page's first screen states what the election decided,
in every language, with no sideways scroll."""

from __future__ import annotations

import os

import pytest

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
