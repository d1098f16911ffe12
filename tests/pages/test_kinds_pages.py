"""Election pages of the new kinds, from packages written as real bytes (``tests/kinds_packages.py``),
with figures worked by hand:

- presidential: 10,000 took part; Alpha 4,800 (48 %), Beta 3,000, Gamma 1,700, against all 300 — no one
  has more than half: a second round of Alpha and Beta. With Alpha at 5,001: elected, 50.01 %.
- referendum (constitutional): 20 regions of 1,500 registered and 1,000 taking part; 12 vote 750 yes, 8
  vote 400 yes: yes = 12,200 of 20,000 = 61 %, turnout 20,000 / 30,000 = 66.67 %, valid; a yes majority
  in 12 regions, two-thirds of 20 is 14 → not adopted. With 14 such regions: yes 12,900 = 64.5 %, adopted;
  with 13: still not.
- Kurultai: 145 seats, list only, no threshold stated: no seats computed, and no 5 % assumed.
"""

from __future__ import annotations

import pytest

from tests import kinds_packages as kp
from tests.layout_tree import by_id, text
from tests.layout_tree import components as walk
from tests.serving import serve

NB = "\u00a0"
KURULTAI_ROWS = (
    "contest,unit,registered,took_part,invalid,against_all,amanat,auyl,respublica\n"
    "kurultai_party_list,kz,1000,600,10,20,400,100,70\n"
)


def _app(tmp_path, doc, rows):

    return serve(tmp_path / "data", kp.write(tmp_path / "package", doc, rows))


def _home(app, lang="en"):
    from dashboard.pages import mazhilis

    with app.server.test_request_context("/"):
        return mazhilis.layout(lang=lang)


@pytest.mark.parametrize(
    ("leader", "lang", "sentence"),
    [
        (4800, "en", "No candidate has more than half: second round, Alpha and Beta Bekov"),
        (4800, "ru", "Ни один кандидат не набрал больше половины: второй тур, Альфа и Бета Беков"),
        (4800, "kk", "Бірде-бір үміткер жартысынан көп дауыс алмады: екінші тур, Альфа және Бета Бекұлы"),
        (5001, "en", "Alpha is elected: 50.01% of those who took part"),
        (5001, "ru", f"Избран кандидат Альфа: 50,01{NB}% от принявших участие в голосовании"),
    ],
)
def test_presidential_home_states_the_outcome(tmp_path, leader, lang, sentence):
    page = _home(_app(tmp_path, kp.presidential_doc(), kp.presidential_rows(leader)), lang)
    assert text(by_id(page, "outcome-sentence")) == sentence
    assert [getattr(c, "id", None) for c in page.children].index("outcome") == 2  # the heading, the lead, then the outcome


def test_presidential_shares_are_of_the_valid_votes_with_the_half_line(tmp_path):
    page = _home(_app(tmp_path, kp.presidential_doc(), kp.presidential_rows()))
    [bar] = [c.figure for c in walk(page) if getattr(c, "id", None) == "party-bar"]
    # of the 9,800 valid votes (candidates and against all), as the commission publishes them: 4,800 is
    # 48.98 %, 3,000 30.61 %, 1,700 17.35 % (the outcome sentence tests 4,800 of the 10,000 who took part)
    assert [round(x, 2) for x in bar["data"][0]["x"][:3]] == [48.98, 30.61, 17.35]
    [line] = [s for s in bar["layout"]["shapes"] if s.get("name") == "threshold"]
    assert line["x0"] == 50.0
    assert bar["layout"]["meta"]["columns"] == ["Candidate", "Votes", "Share"]
    # Beta's 30 % (inside its bar) and Gamma's 17 % (beside it) stay with their bars, not moved across the
    # half line (a label of a bar ending short of a 5 % threshold is moved right of it: the line crosses it)
    assert bar["data"][0]["textposition"] == ["inside", "inside", "outside"]
    assert not [a for a in bar["layout"].get("annotations", []) if a.get("name") == "value"]


@pytest.mark.parametrize(
    ("units", "lang", "sentence", "detail"),
    [
        (12, "en", "Not adopted: 61.00% yes, but a yes majority in too few regions and cities",
         "Yes majority in 12 of 20 regions and cities; 14 needed (two-thirds)"),
        (13, "en", "Not adopted: 62.75% yes, but a yes majority in too few regions and cities",
         "Yes majority in 13 of 20 regions and cities; 14 needed (two-thirds)"),
        (14, "en", "Adopted: 64.50% yes, turnout 66.67%",
         "Yes majority in 14 of 20 regions and cities; 14 needed (two-thirds)"),
        (12, "ru", f"Не принято: «да» — 61,00{NB}%, но большинство «да» — в слишком малом числе регионов и городов",
         "Регионов и городов с большинством «да»: 12 из 20; нужно не менее 14 (две трети)"),
        (14, "kk", f"Қабылданды: «иә» — 64,50{NB}%, сайлаушылардың келуі 66,67{NB}%",
         "«Иә» басым өңірлер: 20 ішінен 14; кемінде 14 қажет (үштен екісі)"),
    ],
)
def test_referendum_home_states_the_outcome_and_the_rule_that_decided(tmp_path, units, lang, sentence, detail):
    page = _home(_app(tmp_path, kp.referendum_doc(), kp.referendum_rows(units)), lang)
    assert text(by_id(page, "outcome-sentence")) == sentence
    assert text(by_id(page, "outcome-detail")) == detail
    assert text(by_id(page, "referendum-units")) == detail


def test_referendum_mid_count_is_not_decided(tmp_path):
    page = _home(_app(tmp_path, kp.referendum_doc(status="counting"), kp.referendum_rows()), "en")
    assert text(by_id(page, "outcome-sentence")) == "Not decided yet — yes 61.00% so far"
    assert text(by_id(page, "outcome-detail")) == (
        "So far a yes majority in 12 of 20 regions and cities; 14 needed (two-thirds)")


def test_referendum_table_by_region_and_validity(tmp_path):
    page = _home(_app(tmp_path, kp.referendum_doc(), kp.referendum_rows()), "en")
    assert text(by_id(page, "referendum-validity")) == (
        "Turnout 66.67%: more than half of the registered voters took part, so the vote is valid")
    rows = [r for r in walk(by_id(page, "referendum-table")) if type(r).__name__ == "Tr"][1:]
    assert len(rows) == 20
    first, last = (text(r) for r in (rows[0], rows[-1]))
    assert first == "Abai Region yes 75.00% 750 240 66.67%"  # what decides first: seen on a phone
    assert last == "Shymkent no 40.00% 400 590 66.67%"


def test_referendum_map_is_the_yes_share_on_a_scale_centred_at_half(tmp_path):
    page = _home(_app(tmp_path, kp.referendum_doc(), kp.referendum_rows()), "en")
    [fig] = [c.figure for c in walk(page) if getattr(c, "id", None) == "map"]
    main = fig["data"][0]
    assert main["zmin"] + main["zmax"] == 100  # symmetric around 50 %
    assert main["colorscale"][1] == [0.5, "#f7f7f7"]
    assert sorted({z for z in main["z"]}) == [40.0, 75.0]
    # 750 yes of 1,000 who took part: the map says what the share is of (not "of the vote")
    assert main["colorbar"]["title"]["text"] == "Yes, share of those who took part"
    assert fig["layout"]["title"]["text"].replace("<br>", " ") == "Yes: share of those who took part, by region"


def test_referendum_download_has_yes_and_no_but_no_against_all(tmp_path):
    from dashboard import charts
    from dashboard.components import data as data_module

    app = _app(tmp_path, kp.referendum_doc(), kp.referendum_rows())
    with app.server.test_request_context("/"):
        df = charts.table(data_module.election(), "shares", "en")
    assert list(df["party"]) == ["yes", "no"]
    assert list(df["votes"]) == [12200, 7600]
    assert list(df["share_pct"]) == [61.0, 38.0]


def test_the_half_line_is_named_inside_the_chart(tmp_path):
    """61 % yes: the axis ends near 63 %, the half line at 50 is in its right part, so its label reads
    leftwards to the line (rightwards «половина» ran off a 390 px phone); 2023's 5 % label reads rightwards."""
    from dashboard import charts
    from dashboard.components import data as data_module

    app = _app(tmp_path, kp.referendum_doc(), kp.referendum_rows())
    with app.server.test_request_context("/"):
        fig = charts.build(data_module.election(), "shares", "ru").figure
    [label] = [a for a in fig.layout.annotations if a.name == "threshold_label"]
    assert (label.text, label.x, label.xanchor) == ("половина", 50.0, "right")
    assert float(fig.layout.xaxis.range[1]) > 61.0


def test_kurultai_without_a_threshold_assumes_none(tmp_path):
    from dashboard import charts
    from dashboard.components import data as data_module

    app = _app(tmp_path, kp.kurultai_doc(), KURULTAI_ROWS)
    page = _home(app, "en")
    # 400 of 590 votes for parties and against all = 67.80 %; seats not computed without a threshold
    assert text(by_id(page, "outcome-sentence")) == (
        "Amanat comes first with 67.80%; seats are not computed: the threshold is not reported")
    assert text(by_id(page, "outcome-detail")) == "73 of 145 seats for a majority"
    with app.server.test_request_context("/"):
        election = data_module.election()
        bar = charts.build(election, "shares", "en").figure
        chamber = charts.build(election, "chamber", "en").figure
    assert not [s for s in bar.layout.shapes if s.name == "threshold"]
    assert chamber.layout.title.text.startswith("Kurultai")
    [label] = [a for a in chamber.layout.annotations if a.name == "majority_label"]
    assert label.text == "73 of 145 seats for a majority"


def test_referendum_region_page_shows_its_own_answers(tmp_path):
    """Shymkent, one of the eight regions of 400 yes and 590 no of 1,000 who took part: 40 % yes, no yes
    majority."""
    from dashboard.pages import region

    app = _app(tmp_path, kp.referendum_doc(), kp.referendum_rows())
    with app.server.test_request_context("/"):
        page = region.layout(unit="shymkent", lang="en")
    [bar] = [c.figure for c in walk(page) if getattr(c, "id", None) == "region-party-bar"]
    assert bar["data"][0]["x"] == [59.0, 40.0] and bar["data"][0]["y"] == ["No", "Yes"]
    assert text(by_id(page, "region-yes-majority")) == "Not more than half of those who took part here voted yes."
    assert by_id(page, "stat-votes") is None  # "votes for parties and against all" means nothing here


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        # the rehearsal steers a referendum to exactly 61 % yes with exactly 12 units of yes majority
        ("referendum", "Not adopted: 61.00% yes, but a yes majority in too few regions and cities"),
        # and a presidential leader to 48 % of those who took part, Beta second
        ("presidential", "No candidate has more than half: second round, Alpha and Beta"),
    ],
)
def test_a_rehearsal_of_each_kind_reads_its_outcome(tmp_path, kind, sentence):
    from dashboard.rehearsal.kinds import Steering, write_kind

    steer = Steering(yes_pct=61.0, yes_units=12) if kind == "referendum" else Steering(leader_pct=48.0)
    page = _home(serve(tmp_path / "data", write_kind(tmp_path / "package", kind, 300, 7, 1.0, steer)))
    assert text(by_id(page, "outcome-sentence")) == sentence


def test_embeds_downloads_and_images_of_a_referendum_come_from_the_catalogue(tmp_path):
    """The same chart modules answer for every kind: the shares download holds yes and no (12,200 and
    7,600 of 20,000 who took part), the map download the yes share by region (75 % or 40 %)."""
    import csv
    import io

    client = _app(tmp_path, kp.referendum_doc(), kp.referendum_rows()).server.test_client()
    shares = list(csv.DictReader(io.StringIO(client.get("/e/kz-ref-test/download/shares.csv?lang=en").get_data().decode("utf-8-sig"))))
    assert [(r["party"], r["votes"], r["share_pct"]) for r in shares] == [("yes", "12200", "61.0"),
                                                                         ("no", "7600", "38.0")]
    answer = client.get("/e/kz-ref-test/download/map.csv?lang=en&mode=party&party=yes").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(answer)))
    assert rows[0]["unit"] == "abai" and rows[0]["share_pct"] == "75.0" and rows[-1]["share_pct"] == "40.0"
    for url in ("/e/kz-ref-test/embed/shares?lang=ru", "/e/kz-ref-test/embed/map?lang=kk&mode=party&party=yes", "/e/kz-ref-test/image/shares.svg?lang=en"):
        assert client.get(url).status_code == 200, url
    assert client.get("/e/kz-ref-test/download/map.csv?mode=party&party=amanat").status_code == 400  # no such option here


def test_a_referendum_home_previews_its_answers_not_a_chamber(tmp_path):
    from dashboard.charts.share_card import headline_of

    app = _app(tmp_path, kp.referendum_doc(), kp.referendum_rows())
    with app.server.test_request_context("/"):
        assert headline_of("dashboard.pages.mazhilis", {}, {}) == ("shares", {})


def test_a_candidates_name_is_text_never_markup(tmp_path):
    """A name from the files drawn by plotly is made literal: '<a href=…>' would be a live link."""
    doc = kp.presidential_doc()
    doc["candidates"][0]["short"] = {"en": '<a href="http://x">Alpha</a>', "kk": "A", "ru": "A"}
    page = _home(_app(tmp_path, doc, kp.presidential_rows()))
    [bar] = [c.figure for c in walk(page) if getattr(c, "id", None) == "party-bar"]
    assert bar["data"][0]["y"][0] == '&lt;a href="http://x"&gt;Alpha&lt;/a&gt;'
    # the sentence is an HTML text node (React escapes it): the name as written
    assert text(by_id(page, "outcome-sentence")).endswith('second round, <a href="http://x">Alpha</a> and Beta Bekov')


def test_regions_not_reported_are_never_counted_as_no(tmp_path):
    """The 2026 referendum: the sources give no yes/no by region but state "a majority for in every one of
    the 20 units" (its published_outcome). Its page said "Yes majority in 0 of 20 regions", under a sentence
    saying adopted; it gives the published 20 of 20, as published. Without a published count the line says
    how many regions are not reported (kk/ru/en translated)."""
    from dashboard.app import create_app
    from dashboard.components.referendum import units_line
    from dashboard.config import Config
    from tests.web.test_fastcache import page, texts

    client = create_app(Config(data_dir=tmp_path / "data")).server.test_client()
    home = texts(page(client, "/", "?lang=en", election="kz-2026-03-15"))
    assert "Yes majority in 20 of 20 regions and cities, as the commission published" in home
    assert "Yes majority in 0 of 20" not in home
    marks = [True] * 5 + [None] * 15
    assert units_line(marks, True, "en") == "Yes majority by region: not reported for 15 of 20 regions and cities"
    assert units_line(marks, True, "ru") == "Большинство «да» по регионам: не опубликовано для 15 из 20 регионов"
    assert units_line(marks, True, "en", so_far=True).startswith("So far a yes majority in 5 of 20")
