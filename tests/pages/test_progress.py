"""Counting progress in words: the exact line in kk/ru/en, its plural forms, its rounding, and what is
said when the election gives no station list (the 2023 package: only "Final results")."""

from __future__ import annotations

import pytest

from dashboard.components.progress import progress_text
from dashboard.electoral.progress import Progress
from tests.layout_tree import by_id as _by_id
from tests.layout_tree import components as _walk
from tests.layout_tree import text
from tests.serving import E2023


def _text(node) -> str:
    return text(node, sep="")

NB = "\u00a0"


@pytest.mark.parametrize(
    ("progress", "lang", "line"),
    [
        (Progress("preliminary", 1234, 10081), "en",
         f"Preliminary · 1,234 of 10,081 polling stations counted (12.2{NB}%)"),
        (Progress("preliminary", 1234, 10081), "ru",
         f"Предварительные итоги · подсчитано избирательных участков: 1{NB}234 из 10{NB}081 (12,2{NB}%)"),
        (Progress("counting", 5, 12), "ru",
         f"Подсчёт голосов · подсчитано избирательных участков: 5 из 12 (41,7{NB}%)"),
        (Progress("counting", 3, 24), "ru",
         f"Подсчёт голосов · подсчитано избирательных участков: 3 из 24 (12,5{NB}%)"),
        (Progress("preliminary", 1234, 10081), "kk",
         f"Алдын ала қорытындылар · дауыстары есептелген сайлау учаскелері: 10{NB}081 ішінен 1{NB}234 (12,2{NB}%)"),
        (Progress("counting", 0, 1), "en", f"Counting · 0 of 1 polling station counted (0.0{NB}%)"),
        (Progress("final", 61, 61), "en", f"Final · 61 of 61 polling stations counted (100.0{NB}%)"),
    ],
)
def test_progress_line_in_each_language(progress, lang, line):
    assert progress_text(progress, lang) == line


@pytest.mark.parametrize("counted", [0, 1, 2, 5, 11, 21, 101])
@pytest.mark.parametrize("expected", [1, 21, 132, 10081])
def test_progress_line_agrees_with_any_count(counted, expected):
    """The plural form follows the total (English "of 132 polling stations"), so a Russian verb in it could
    not agree with the counted number («подсчитаны 1 из 132»): the line puts the noun before the numbers."""
    if counted > expected:
        return
    ru = progress_text(Progress("counting", counted, expected), "ru")
    assert ru.startswith(f"Подсчёт голосов · подсчитано избирательных участков: {counted} из ")
    assert "подсчитаны" not in ru and "подсчитан " not in ru
    kk = progress_text(Progress("counting", counted, expected), "kk")
    assert "дауыстары есептелген сайлау учаскелері: " in kk and f" ішінен {counted} (" in kk


def test_a_missing_station_never_reads_100_percent():
    # 10,080 / 10,081 = 99.990 %: rounded the usual way "100.0 %", which would hide the missing station
    assert progress_text(Progress("counting", 10080, 10081), "en").endswith(f"(99.9{NB}%)")
    assert progress_text(Progress("counting", 10080, 10081), "ru").endswith(f"(99,9{NB}%)")


@pytest.mark.parametrize(
    ("status", "en", "ru"),
    [
        ("final", "Final results", "Окончательные итоги"),
        ("preliminary", "Preliminary results", "Предварительные итоги"),
        ("counting", "Counting in progress: figures are partial", "Идёт подсчёт голосов: данные неполные"),
    ],
)
def test_without_a_station_list_only_the_status_is_said(status, en, ru):
    p = Progress(status, None, None)
    assert progress_text(p, "en") == en
    assert progress_text(p, "ru") == ru
    assert "station" not in progress_text(p, "en")


# ---------------------------------------------------------------- on the pages, from a real store

PROJECTION = "As counted so far — not a result"





def _figures(node) -> dict:
    return {c.id: c.figure for c in _walk(node) if type(c).__name__ == "Graph"}


def _title(fig) -> str:
    """A figure's title as read (the card breaks long titles with <br> for phones)."""
    title = fig["layout"].get("title") or {}
    return (title.get("text") or "").replace("<br>", " ")


def _package_counts(package, contest: str, region: str | None = None) -> tuple[int, int]:
    """(stations counted, stations expected) read straight from the package's CSV files."""
    import csv

    def inside(unit):
        return region is None or unit.split("/", 1)[0] == region

    with open(package / "stations.csv", encoding="utf-8") as fh:
        expected = {r["unit"] for r in csv.DictReader(fh) if inside(r["unit"])}
    with open(package / "results.csv", encoding="utf-8") as fh:
        counted = {
            r["unit"]
            for r in csv.DictReader(fh)
            if r["contest"] == contest and r["unit"] in expected
            and any(v for k, v in r.items() if k not in ("contest", "unit"))
        }
    return len(counted), len(expected)


@pytest.fixture(scope="module")
def counting_app(tmp_path_factory):
    """An app serving a simulated election 30 % through the count (60 stations + abroad, seed 7)."""
    from dashboard.rehearsal.simulate import write_simulated
    from tests.serving import serve

    tmp = tmp_path_factory.mktemp("counting")
    package = write_simulated(tmp / "sim", 60, 7, reported_fraction=0.3)
    return serve(tmp / "data", package), package


def test_pages_say_how_much_is_counted(counting_app):
    from dashboard.pages import embed, maslikhats, mazhilis, region, turnout

    app, package = counting_app
    # round(0.3 * 61) = 18 stations counted; the files agree
    assert _package_counts(package, "mazhilis_party_list") == (18, 61)
    national = f"Counting · 18 of 61 polling stations counted (29.5{NB}%)"
    with app.server.test_request_context("/"):
        home = mazhilis.layout(lang="en")
        assert _text(_by_id(home, "progress-national")) == national
        assert _text(_by_id(turnout.layout(lang="en"), "progress-national")) == national

        counted, expected = _package_counts(package, "mazhilis_party_list", "almaty")
        page = region.layout(unit="almaty", lang="en")
        share = f"{100 * counted / expected:.1f}{NB}%"
        assert _text(_by_id(page, "progress-unit")) == (
            f"Almaty: Counting · {counted} of {expected} polling stations counted ({share})"
        )
        assert _text(_by_id(page, "progress-national")) == f"Kazakhstan: {national}"

        key = "maslikhat_astana_party_list"
        counted, expected = _package_counts(package, key, "astana")
        page = maslikhats.layout(lang="ru", region="astana")
        assert _text(_by_id(page, "progress-unit")).startswith(
            f"Астана: Подсчёт голосов · подсчитано избирательных участков: {counted} из {expected} "
        )

        chart = embed.layout(chart="shares", lang="en", contest="mazhilis_party_list", unit="kz")
        assert _text(_by_id(chart, "progress-national")) == national
        # flags of a partial count are flags of part of the count: the observers page says how much
        from dashboard.pages import observers

        assert _text(_by_id(observers.layout(lang="en"), "progress-national")) == national


def test_a_region_mid_count_says_whose_figures_its_tiles_sum(counting_app):
    """Almaty's "Registered voters" tile was the sum over its counted stations, unlabelled, beside the
    commission's turnout report: read together they gave a turnout nobody reported. A partial count is
    not "some figures not reported"; and a region's Mazhilis shares decide no seats."""
    import csv

    from dashboard.pages import region

    app, package = counting_app
    with open(package / "results.csv", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh)
                if r["contest"] == "mazhilis_party_list" and r["unit"].startswith("almaty/")]
    registered = sum(int(r["registered"]) for r in rows)
    with app.server.test_request_context("/region/almaty"):
        page = region.layout(unit="almaty", lang="en")
    tile = _text(_by_id(page, "stat-registered"))
    assert f"{registered:,}" in tile and "in the stations counted so far" in tile
    assert "in the stations counted so far" in _text(_by_id(page, "stat-took-part"))
    assert "in the stations counted so far" not in _text(_by_id(page, "stat-turnout"))  # the report itself
    assert "Some figures of this contest are not reported" not in _text(page)
    assert _text(_by_id(page, "region-threshold-note")) == (
        "The 5% threshold and the seats are decided on the national vote, not in each region.")
    table = _by_id(page, "results-table")
    assert [c.children for c in _walk(table) if type(c).__name__ == "Th" and c.scope == "col"] == [
        "Party", "Votes", "Share"]  # no blank threshold column, no column of dashes


def test_mid_count_no_tile_or_lead_reads_as_complete(counting_app, tmp_path):
    """"Party results: 20 of 20 regions" beside a 30 % count read as complete, and the turnout page
    promised "its final figure" before there was one."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.pages import mazhilis, turnout

    app, _package = counting_app
    with app.server.test_request_context("/"):
        units = _text(_by_id(mazhilis.layout(lang="en"), "stat-units"))
        lead = _text(_by_id(turnout.layout(lang="en"), "turnout-lead"))
    assert units.endswith("regions and cities with votes counted so far") and " of 20" in units
    assert lead == ("Interim reports of the Central Election Commission (Astana time); its final figure comes "
                    "with the count.")
    from dashboard.components import compute, data
    from dashboard.pages import maslikhats

    with app.server.test_request_context("/maslikhats"):  # the dot's key only when some maslikhat has the dot
        missing = 20 - len(compute.maslikhat_units_with_votes(data.election())[0])
        dots = _text(maslikhats.picker(data.election(), None, "en")).count(" ·")
        assert dots == missing and (_by_id(maslikhats.layout(lang="en"), "picker-key") is None) == (missing == 0)
    full = tmp_path / "full"
    from dashboard.rehearsal.simulate import write_simulated
    from tests.serving import serve

    complete = serve(full / "data", write_simulated(full / "sim", 60, 7))
    with complete.server.test_request_context("/maslikhats"):  # every maslikhat has votes: no key
        assert _by_id(maslikhats.layout(lang="en"), "picker-key") is None
    final = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023))  # 2023: final, with a final turnout figure
    with final.server.test_request_context("/"):
        lead = _text(_by_id(turnout.layout(lang="en"), "turnout-lead"))
        assert _text(_by_id(maslikhats.layout(lang="en"), "picker-key")) == "· party-list results not reported"
    assert lead == "Interim reports of the Central Election Commission (Astana time) and its final figure."


def test_seats_from_a_partial_count_are_labelled_projections(counting_app):
    from dashboard.pages import embed, maslikhats, mazhilis

    app, _package = counting_app
    with app.server.test_request_context("/"):
        home = mazhilis.layout(lang="en")
        figs = _figures(home)
        assert _title(figs["hemicycle"]).endswith(" — as counted so far — not a result")
        assert figs["party-bar"]["layout"]["meta"]["alt"].startswith(PROJECTION)
        table = _by_id(home, "results-table")
        assert [c.children for c in _walk(table) if type(c).__name__ == "Th"][4] == "Seats*"
        assert "* Seats are a as counted so far — not a result." in _text(home)

        page = maslikhats.layout(lang="en", region="astana")
        assert _title(_figures(page)["maslikhat-hemicycle"]).endswith(" — as counted so far — not a result")
        assert _title(_figures(page)["maslikhat-overview"]).endswith(" — as counted so far — not a result")

        chamber = embed.layout(chart="chamber", lang="ru", body="mazhilis")
        assert "Мажилис — по уже подсчитанным голосам, а не итог" in _text(_by_id(chamber, "embed-title"))


def test_2023_pages_claim_nothing_about_stations(tmp_path):
    """The embedded 2023 package has no station list and every contest is final."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.pages import maslikhats, mazhilis, region

    app = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023))
    with app.server.test_request_context("/"):
        home = mazhilis.layout(lang="en")
        assert _text(_by_id(home, "progress-national")) == "Final results"
        assert _text(_by_id(mazhilis.layout(lang="ru"), "progress-national")) == "Окончательные итоги"
        page = region.layout(unit="almaty", lang="en")
        assert _text(_by_id(page, "progress-unit")) == "Almaty: Final results"
        assert _text(_by_id(page, "progress-national")) == "Kazakhstan: Final results"
        assert "in the stations counted so far" not in _text(page)
        # Kostanay's maslikhat lacks its against-all count: that note is still said
        kostanay = region.layout(unit="kostanay", lang="en", contest="maslikhat_kostanay_party_list")
        assert "Some figures of this contest are not reported" in _text(kostanay)
        assert _by_id(kostanay, "region-threshold-note") is None  # its own area: the threshold applies
        pages = [home, page, maslikhats.layout(lang="en", region="astana")]
        for p in pages:
            assert "polling station" not in _text(p)
            assert "projection" not in _text(p).lower()
            for fig in _figures(p).values():
                assert "projection" not in _title(fig).lower()


def test_the_maslikhat_note_explains_grey_only_when_the_map_has_grey(tmp_path):
    """Mid-count every maslikhat had votes (20 of 20), none complete: the note still said "grey means not
    reported" under a map with no grey."""
    from dashboard.components import compute, data
    from dashboard.pages.maslikhats import votes_reported_note
    from dashboard.rehearsal.simulate import write_simulated
    from tests.serving import serve

    app = serve(tmp_path / "data", write_simulated(tmp_path / "sim", 400, 7, reported_fraction=0.4))
    with app.server.test_request_context("/maslikhats"):
        with_votes, complete = compute.maslikhat_units_with_votes(data.election())
        note = _text(votes_reported_note(data.election(), "en"))
    assert len(with_votes) == 20 and len(complete) < 20
    assert note.startswith("Party-list results are reported for the maslikhats of 20 of 20 regions and cities.")
    assert "grey" not in note


def test_the_turnout_page_shows_a_figure_once(counting_app, tmp_path):
    """Mid-count the latest report was both "Turnout at 18:00" and "Latest turnout", 50.16 % twice."""
    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.pages import turnout

    app, _package = counting_app
    with app.server.test_request_context("/turnout"):
        page = turnout.layout(lang="en")
        earlier = turnout.layout(lang="en", time="10:00")
    assert _by_id(page, "stat-turnout-at") is not None and _by_id(page, "stat-turnout-latest") is None
    assert _by_id(earlier, "stat-turnout-latest") is not None  # another time chosen: the latest beside it
    final = create_app(Config(data_dir=tmp_path / "empty", default_election=E2023))  # 2023: a final national figure
    with final.server.test_request_context("/turnout"):
        latest = _text(_by_id(turnout.layout(lang="en"), "stat-turnout-latest"))
    assert latest.startswith("Final turnout") and "54.21" in latest
