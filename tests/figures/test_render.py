"""Render a few figures to PNG with kaleido (headless Chromium): they must draw without plotly.js errors."""

import os
import shutil

import plotly.io as pio
import pytest

from dashboard.figures import apply_simulated_banner, hemicycle, party_shares_bar, turnout_lines

CHROMIUM = os.environ.get("BROWSER_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="no Chromium for kaleido")


def test_render_png(tmp_path, monkeypatch, parties, mazhilis_summary, mazhilis_seats, turnout_table):
    pytest.importorskip("kaleido")
    monkeypatch.setenv("BROWSER_PATH", CHROMIUM)
    figs = {
        "bar": party_shares_bar(mazhilis_summary, parties, "kk"),
        "hemicycle": apply_simulated_banner(hemicycle(mazhilis_seats, parties, "ru", total=98), "ru"),
        "lines": turnout_lines(turnout_table, "en"),
    }
    paths = [tmp_path / f"{name}.png" for name in figs]
    pio.write_images(list(figs.values()), paths, width=420, height=420)  # one Chromium for all
    for name, path in zip(figs, paths, strict=True):
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000, name
