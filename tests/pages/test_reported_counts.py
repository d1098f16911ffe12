"""One count of "units with results" on the maslikhats page, its picker and the home page.

The 2023 sources give maslikhat party-list votes for five regions: Astana, Almaty and Karaganda complete,
Kostanay and Kyzylorda with some parties' votes missing (their votes are still shown). The pages once
said "4 of 20" (units whose leading party is known), marked 6 regions in the picker (a "reported" flag set
even where no party's votes are given: North Kazakhstan) and 5 on the region pages.
"""

from __future__ import annotations

import pytest

from dashboard.app import create_app
from dashboard.config import Config
from dashboard.regions import region_keys
from tests.serving import E2023

from .test_pages import _find, _text


def data_election():
    from dashboard.components import data

    return data.election()

WITH_VOTES = {"astana", "almaty", "karaganda", "kostanay", "kyzylorda"}
COMPLETE = {"astana", "almaty", "karaganda"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))


def test_the_one_count(app):
    from dashboard.components import compute, data

    with app.server.test_request_context("/"):
        with_votes, complete = compute.maslikhat_units_with_votes(data.election())
    assert set(with_votes) == WITH_VOTES and set(complete) == COMPLETE


def test_maslikhats_page_note_and_picker_agree(app):
    from dashboard.pages import maslikhats

    with app.server.test_request_context("/maslikhats"):
        page = maslikhats.layout(lang="en")
    assert "maslikhats of 5 of 20 regions and cities" in _text(page)
    assert "Complete: 3 of 5." in _text(page)
    picker = _find(page, "picker-heading")
    assert picker is not None
    marked, unmarked = set(), set()

    def walk(node):
        if isinstance(node, list | tuple):
            for n in node:
                walk(n)
        elif hasattr(node, "to_plotly_json"):
            href = getattr(node, "href", None)
            if isinstance(href, str) and "region=" in href:
                key = href.split("region=")[1].split("&")[0]
                (marked if node.children.endswith(" ·") else unmarked).add(key)
            walk(getattr(node, "children", None))

    walk(page)
    assert unmarked == WITH_VOTES
    assert marked == set(region_keys()) - WITH_VOTES


def test_home_page_counts_the_same_maslikhats(app):
    from dashboard.pages import mazhilis

    with app.server.test_request_context("/"):
        page = mazhilis.layout(lang="en", mode="leading")
    assert "maslikhat party-list results exist for 5 units" in _text(page)
    with app.server.test_request_context("/"):
        notes = _text(mazhilis.map_notes(data_election(), {"mode": "leading", "results": "maslikhat"}, {}, "ru"))
    # the maslikhat map counted the units whose leading party is known (4); now the same 5 (3 complete)
    assert "5 из 20" in notes and "Полностью: 3 из 5." in notes and "4 из 20" not in notes


@pytest.mark.parametrize(
    ("lang", "label", "when"),
    [
        ("en", "Turnout report", "as of 22:10"),
        ("ru", "Явка (сообщение комиссии)", "на 22:10"),
        ("kk", "Сайлаушылардың келуі (комиссия хабарламасы)", "22:10 жағдай бойынша"),
    ],
)
def test_region_turnout_tile_says_it_is_the_turnout_report(app, lang, label, when):
    """Astana's tiles showed "Turnout 42.91 % as of 22:10" beside the maslikhat vote's own registered and
    took_part (332,694 of 788,931: 42.17 %): the tile now names the commission's turnout report, so the
    two turnouts of one place are never both read as "turnout"."""
    from dashboard.pages import region

    with app.server.test_request_context("/"):
        tile = _find(region.layout(unit="astana", lang=lang), "stat-turnout")
    parts = [_text(c) for c in tile.children]
    assert parts[0] == label and "42,91" in parts[1].replace(".", ",") and parts[2] == when


@pytest.mark.parametrize(
    ("lang", "note"),
    [
        ("kk", "Есімдер дереккөздердегідей, латын жазуымен берілген"),
        ("ru", "Имена приведены как в источниках, латиницей"),
        ("en", None),
    ],
)
def test_winner_names_shown_as_the_sources_give_them(app, lang, note):
    """sources/2023/mazhilis_single_mandate_districts.csv gives each winner once, in Latin script (from
    English-language pages): the name is shown as given, not transliterated, and a kk/ru page says why."""
    from dashboard.pages import region

    with app.server.test_request_context("/"):
        page = region.layout(unit="astana", lang=lang)
    table = _text(_find(page, "districts-table"))
    assert "Däulet Turlyhanov" in table  # district 1, exactly as the source writes it
    found = _find(page, "districts-names-note")
    if note is None:
        assert found is None
    else:
        assert _text(found).startswith(note)


def test_a_maslikhat_with_part_of_its_vote_is_drawn_incomplete_not_unreported(app):
    """Kyzylorda's maslikhat (two parties' votes missing) has no leader, and Kostanay's (no against-all
    figure) no shares: both reported votes, so the map calls them incomplete (sand), not not reported
    (grey) — the grey meant the same as North Kazakhstan's, whose maslikhat gave turnout only."""
    from dashboard.components import compute, data
    from dashboard.figures.maps import MISSING
    from dashboard.pages import maslikhats

    with app.server.test_request_context("/maslikhats"):
        election = data.election()
        assert compute.map_incomplete(election, "leading", "maslikhat") == {"kyzylorda"}
        assert compute.map_incomplete(election, "party", "maslikhat", "amanat") == {"kostanay", "kyzylorda"}
        assert compute.map_incomplete(election, "party", "maslikhat", "osdp") == set()  # not on those ballots
        assert compute.map_incomplete(election, "leading", "mazhilis") == set()  # no region's votes at all
        fig, _values = maslikhats.map_figure(election, "en")
    gaps = dict(zip(region_keys(), fig.data[MISSING].z, strict=True))
    assert gaps["kyzylorda"] == 2 and gaps["north_kazakhstan"] == 1 and gaps["kostanay"] is None
    assert {k for k, z in gaps.items() if z is None} == COMPLETE | {"kostanay"}  # leader known in 4
