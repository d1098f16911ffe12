"""Names from the files are text in every chart, never plotly markup: a party called
``<a href="https://evil.example/x">X</a>`` draws those characters, not a link (figure JSON of every chart
in the catalogue, the page's heading, and the SVG image)."""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET

import pytest

from dashboard import charts
from dashboard.rehearsal.simulate import write_simulated
from tests.serving import serve

LINK = '<a href="https://evil.example/x">X</a>'
FETCH = '<span style="fill:url(http://127.0.0.1:1/x)">Y</span>'
NAMES = [LINK, FETCH, "A&B <b>bold</b>", "A&lt;B"]
RAW = ("<a ", "<span style=\"fill", "<b>bold</b>")
#: Each chart in the states that draw names (several modes of the map; a region's maslikhat).
STATES = [
    ("map", {"mode": "leading"}),
    ("map", {"mode": "party", "party": "amanat"}),
    ("map", {"mode": "leading", "results": "maslikhat"}),
    ("shares", {}),
    ("shares", {"unit": "almaty"}),
    ("chamber", {}),
    ("chamber", {"body": "maslikhat", "area": "almaty"}),
    ("turnout", {"unit": "almaty"}),
    ("ranking", {}),
    ("maslikhats", {}),
]


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("markup")
    pkg = write_simulated(tmp / "pkg", 40, seed=7)
    meta = json.loads((pkg / "election.json").read_text(encoding="utf-8"))
    for i, party in enumerate(meta["parties"]):
        for lang in ("kk", "ru", "en"):
            party["names"][lang] = party["short"][lang] = NAMES[i % len(NAMES)]
    (pkg / "election.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return serve(tmp / "data", pkg)


def drawn_strings(fig: dict) -> list[str]:
    """Every string plotly draws or reads as text: the whole figure but ``layout.meta`` (the HTML data
    table's cells, which React escapes)."""
    out: list[str] = []

    def walk(node, path):
        if path == ("layout", "meta"):
            return
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, (*path, k))
        elif isinstance(node, list | tuple):
            for v in node:
                walk(v, path)

    walk(fig, ())
    return out


def visible(text: str) -> str:
    """What plotly.js draws for ``text``: tags dropped (split first), entities of the rest decoded."""
    return "".join(html.unescape(p) for p in re.split(r"(<[^<>]*>)", text) if not p.startswith("<"))


def test_no_chart_of_the_catalogue_reads_a_name_as_markup(app):
    with app.server.test_request_context("/"):
        from dashboard.components import data

        election = data.election()
        for chart, query in STATES:
            built = charts.build(election, chart, "en", **query)
            assert built.figure is not None, (chart, query)
            strings = drawn_strings(built.figure.to_plotly_json())
            leaked = [s for s in strings if any(r in s for r in RAW)]
            assert not leaked, (chart, query, leaked[:3])
            if chart in ("map", "shares", "chamber", "maslikhats"):
                shown = " ".join(visible(s) for s in strings)
                assert any(name in shown for name in NAMES), (chart, query)


def test_the_names_read_exactly_as_in_the_files(app):
    """``A&B`` draws ``A&B`` and ``A&lt;B`` draws ``A&lt;B`` (one level of entities, as plotly decodes);
    the data table and the heading keep the names as they are."""
    with app.server.test_request_context("/"):
        from dashboard.components import data

        built = charts.build(data.election(), "shares", "en")
        fig = built.figure.to_plotly_json()
        ticks = [visible(y) for y in fig["data"][0]["y"]]
        assert set(NAMES) <= set(ticks)
        rows = fig["layout"]["meta"]["rows"]
        assert set(NAMES) <= {r[0] for r in rows}


def test_an_svg_image_has_no_link_or_style_from_a_name(app):
    resp = app.server.test_client().get("/e/sim-7-40/image/shares.svg?lang=en")
    assert resp.status_code == 200 and resp.mimetype == "image/svg+xml"
    root = ET.fromstring(resp.data)
    assert not [e for e in root.iter() if e.tag.rsplit("}", 1)[-1] == "a"]
    attributes = [v for e in root.iter() for v in e.attrib.values()]
    assert not [v for v in attributes if "evil.example" in v or "127.0.0.1" in v]
    text = "".join(root.itertext())
    assert LINK in text and FETCH in text and "A&B <b>bold</b>" in text
