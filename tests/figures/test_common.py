import ast
from pathlib import Path

import pandas as pd
import pytest

from dashboard.figures import (
    apply_simulated_banner,
    choropleth_map,
    has_simulated_banner,
    hemicycle,
    maslikhat_overview,
    party_shares_bar,
    turnout_lines,
    turnout_ranking,
    turnout_small_multiples,
)
from dashboard.figures.common import time_label

FIGURES = Path(__file__).resolve().parents[2] / "dashboard" / "figures"


@pytest.fixture
def all_figures(parties, mazhilis_summary, mazhilis_seats, turnout_table):
    def make(lang):
        return [
            choropleth_map(
                {"abai": 50.0},
                mode="turnout",
                geojson_url="/g.json",
                parties=parties,
                lang=lang,
                city_points={},
            ),
            party_shares_bar(mazhilis_summary, parties, lang),
            hemicycle(mazhilis_seats, parties, lang, total=98),
            turnout_lines(turnout_table, lang),
            turnout_small_multiples(turnout_table, lang),
            turnout_ranking({"abai": 50.0, "kz": 40.0}, lang),
            maslikhat_overview(pd.DataFrame(columns=["area", "party", "kind", "seats"]), parties, lang),
        ]

    return make


@pytest.mark.parametrize("lang,sep", [("en", ".,"), ("ru", ", "), ("kk", ", ")])
def test_every_figure_has_title_meta_and_separators(all_figures, lang, sep):
    for fig in all_figures(lang):
        assert fig.layout.separators == sep
        assert fig.layout.title.text
        meta = fig.layout.meta
        assert meta["alt"] and meta["columns"] and isinstance(meta["rows"], list)
        assert all(len(r) == len(meta["columns"]) for r in meta["rows"])
        assert fig.layout.dragmode is False


def test_simulated_banner(all_figures):
    for fig in all_figures("en"):
        assert not has_simulated_banner(fig)
        apply_simulated_banner(fig, "en")
        apply_simulated_banner(fig, "en")
        banners = [a for a in fig.layout.annotations if a.name == "simulated_banner"]
        assert len(banners) == 1 and "SIMULATED — rehearsal data" in banners[0].text
        assert banners[0].visible is not False
        assert fig.layout.meta["alt"].startswith("SIMULATED — rehearsal data")


def test_time_labels():
    assert time_label("2023-03-19T10:10:00+06:00", "en") == "10:10"
    assert time_label("final", "en") == "final"


def test_no_dash_imports_and_translated_strings_are_literals():
    for path in FIGURES.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert not any(n == "dash" or n.startswith("dash.") for n in names), path
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_":
                first = node.args[0] if node.args else None
                literal = isinstance(first, ast.Constant) and isinstance(first.value, str)
                constant = isinstance(first, ast.Name) and first.id in ("NOT_REPORTED", "INCOMPLETE")
                assert literal or constant, f"{path.name}:{node.lineno}: _() needs a literal"
