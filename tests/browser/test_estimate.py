"""The night's estimate in a real browser (issue 17): on a list chamber's, a presidential and a referendum
home mid-count, at 390 and 1366 px, labelled as an estimate in every language, without sideways scroll or
axe violations; gone once the count is final."""

from __future__ import annotations

import os

import pytest

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("SAYLAU_SHOTS")
TITLE = {"en": "Where the count is heading: an estimate"}


def _night(tmp_path):
    from dashboard.rehearsal.kinds import write_kind
    from dashboard.store.library import Library

    data = tmp_path / "data"
    lib = Library(data)
    ids = {}
    for kind, seed in (("kurultai", 8), ("presidential", 9), ("referendum", 10)):
        write_kind(tmp_path / kind, kind, 300, seed, reported_fraction=0.3, order="strongholds",
                   previous=tmp_path / f"{kind}-prev")
        lib.ingest(tmp_path / f"{kind}-prev")
        ids[kind] = lib.ingest(tmp_path / kind).election
    return data, lib, ids


def test_estimate_mid_count_on_phone_and_desktop_then_gone_at_final(dash_duo, tmp_path, bt):
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.rehearsal.kinds import write_kind
    from tests.browser.test_a11y import axe_violations

    data, lib, ids = _night(tmp_path)
    dash_duo.start_server(create_app(Config(data_dir=data)))
    titles = {}
    for width in (390, 1366):
        if width == 390:
            bt.set_phone_viewport(dash_duo.driver)
        else:
            dash_duo.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
            dash_duo.driver.set_window_size(1366, 900)
        for kind, election in ids.items():
            for lang in (("kk", "ru", "en") if kind == "kurultai" else ("en",)):
                bt.visit(dash_duo, f"/e/{election}/?lang={lang}", "#estimate")
                titles[lang] = bt.text_of(dash_duo, "#estimate-title")
                assert bt.text_of(dash_duo, "#estimate-table")
                assert dash_duo.driver.find_element("css selector", "#estimate").is_displayed()
                assert dash_duo.driver.find_element("css selector", "#estimate-chart").is_displayed()
                assert bt.horizontal_overflow(dash_duo.driver) <= 0, (kind, lang, width)  # desktop: minus the scrollbar
                if SHOTS:
                    dash_duo.driver.execute_script("document.querySelector('#estimate').scrollIntoView()")
                    dash_duo.driver.save_screenshot(os.path.join(SHOTS, f"estimate-{kind}-{lang}-{width}.png"))
        # the embed a newsroom places: drawn, its method one click away, no sideways scroll
        bt.visit(dash_duo, f"/e/{ids['kurultai']}/embed/estimate?lang=kk", "#embed-graph .main-svg")
        assert dash_duo.driver.find_element("css selector", "#embed-about").is_displayed()
        assert bt.text_of(dash_duo, "#embed-title").startswith("Болжам, қорытынды емес")
        assert bt.horizontal_overflow(dash_duo.driver) <= 0, ("embed", width)
    assert titles["en"] == TITLE["en"]
    assert len(set(titles.values())) == 3  # in the reader's language, not English three times
    assert axe_violations(dash_duo) == []
    # the count completes: the same night with every station, final — the estimate is gone
    lib.ingest(write_kind(tmp_path / "kurultai-final", "kurultai", 300, 8, reported_fraction=1.0,
                          previous=tmp_path / "unused"))
    bt.visit(dash_duo, f"/e/{ids['kurultai']}/?lang=en", "#outcome-sentence")
    assert not dash_duo.driver.find_elements("css selector", "#estimate")
    assert not dash_duo.driver.find_elements("css selector", "#estimate-chart")
