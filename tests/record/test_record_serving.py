"""The record in the catalogue and on the pages, served from a data dir with all seven votes: downloads
(CSV/JSON/XLSX), unknown parameters (400), the comparison line under the outcome, the archive page."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.layout_tree import by_id, text

from .votes import library_app

NB = "\u00a0"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return library_app(tmp_path_factory.mktemp("record"))


@pytest.fixture(scope="module")
def client(app):
    return app.server.test_client()


def _csv(resp):
    return list(csv.DictReader(io.StringIO(resp.get_data(as_text=True).lstrip("\ufeff"))))


def test_turnout_history_download_national(client):
    resp = client.get("/e/kz-2026-03-15/download/turnout_history.csv?lang=en")
    assert resp.status_code == 200
    rows = [r for r in _csv(resp) if r["series"] == "kz"]
    assert [r["election"] for r in rows] == ["kz-2019-06-09", "kz-2021-01-10", "kz-2022-06-05", "kz-2022-11-20",
                                             "kz-2023-03-19", "kz-2024-10-06", "kz-2026-03-15"]
    assert [r["turnout_pct"] for r in rows] == ["77.43", "63.25", "68.05", "69.44", "54.21", "63.66", "73.12"]
    assert [r["preliminary"] for r in rows] == ["True", "False", "False", "True", "False", "False", "True"]


def test_turnout_history_of_a_split_region_flags_what_cannot_be_combined(client):
    resp = client.get("/e/kz-2026-03-15/download/turnout_history.json?lang=en&unit=abai")
    assert resp.status_code == 200
    doc = json.loads(resp.get_data(as_text=True))
    rows = doc["rows"] if "rows" in doc else doc["data"]
    old = [r for r in rows if r["series"] == "east_kazakhstan@units_2022"]
    assert [r["turnout_pct"] for r in old[:3]] == [84.9, 72.4, 77.49]
    assert all(r["turnout_pct"] is None and r["basis"] == "not_combinable" for r in old[3:])
    today = [r for r in rows if r["series"] == "abai"]
    assert [r["election"] for r in today] == ["kz-2022-11-20", "kz-2023-03-19", "kz-2024-10-06", "kz-2026-03-15"]


def test_turnout_change_download(client):
    resp = client.get("/e/kz-2026-03-15/download/turnout_change.csv?lang=en&from=kz-2019-06-09")
    assert resp.status_code == 200
    rows = {r["unit"]: r for r in _csv(resp)}
    assert len(rows) == 18  # the country and the 17 old units
    assert rows["kyzylorda"]["change_points"] == "11.44"
    assert rows["almaty"]["change_points"] == "-18.77"
    assert rows["kz"]["change_points"] == "-4.32"
    assert rows["east_kazakhstan"]["change_points"] == "" and rows["east_kazakhstan"]["why"] == "not_combinable"
    xlsx = client.get("/e/kz-2026-03-15/download/turnout_change.xlsx?lang=kk&from=kz-2019-06-09")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


@pytest.mark.parametrize("url", [
    "/e/kz-2026-03-15/download/turnout_change.csv?from=kz-1999-01-01",
    "/e/kz-2026-03-15/download/turnout_change.csv?to=%3Cscript%3E",
    "/e/kz-2026-03-15/download/turnout_history.csv?unit=nowhere",
    "/e/kz-2026-03-15/image/turnout_change.svg?from=nowhere",
])
def test_unknown_parameters_are_refused(client, url):
    resp = client.get(url)
    assert resp.status_code == 400
    assert resp.mimetype == "application/json"  # the value is echoed as JSON text, never as a page


def test_embeds_answer(client):
    for url in ("/e/kz-2026-03-15/embed/turnout_history?lang=ru", "/e/kz-2023-03-19/embed/turnout_change?lang=kk",
                "/e/kz-2019-06-09/embed/turnout_history?lang=en&unit=almaty"):
        assert client.get(url).status_code == 200


def _home(app, election, lang):
    from dashboard.components import data as data_module
    from dashboard.pages import mazhilis

    with app.server.test_request_context(f"/e/{election}/"):
        data_module.use_election(election)
        return mazhilis.layout(lang=lang)


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "Compared with the previous Mazhilis election (10 January 2021): turnout 54.21% against 63.25%, "
           "−9.04 points; Amanat 53.90% against 71.09%, −17.19 points"),
    ("ru", f"В сравнении с предыдущими выборами в Мажилис (10 января 2021 года): явка 54,21{NB}% против "
           f"63,25{NB}%, −9,04 п. п.; Amanat 53,90{NB}% против 71,09{NB}%, −17,19 п. п."),
    ("kk", f"Алдыңғы Мәжіліс сайлауымен (2021 жылғы 10 қаңтар) салыстырғанда: сайлаушылардың келуі 54,21{NB}%, "
           f"бұрын 63,25{NB}%, −9,04 пайыздық пункт"),
])
def test_the_2023_page_compares_with_2021(app, lang, expected):
    line = text(by_id(_home(app, "kz-2023-03-19", lang), "history-compare"))
    assert line.startswith(expected)


def test_a_presidential_page_compares_turnout_with_the_previous_presidential(app):
    """8,300,046 / 11,953,465 = 69.4363 % and 9,261,460 / 11,960,364 = 77.4346 %: −7.9983, printed −8.00
    (the change of the exact figures, not of the printed ones, 69.44 − 77.43 = −7.99)."""
    line = text(by_id(_home(app, "kz-2022-11-20", "en"), "history-compare"))
    assert line == ("Compared with the previous presidential election (9 June 2019): turnout 69.44% (preliminary) "
                    "against 77.43% (preliminary), −8.00 points.")


def test_one_full_stop_after_an_abbreviation(app):
    """Russian points end in «п. п.»: the line said «+9,46 п. п..» on the 2026 page."""
    line = text(by_id(_home(app, "kz-2026-03-15", "ru"), "history-compare"))
    assert line.endswith("+9,46 п. п.") and not line.endswith(".."), line


def test_the_first_vote_of_a_kind_has_no_comparison(app):
    assert by_id(_home(app, "kz-2019-06-09", "en"), "history-compare") is None


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_archive_lists_every_vote_newest_first(client, lang):
    resp = client.get(f"/archive?lang={lang}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    order = [html.index(f'id="vote-{eid}"') for eid in ("kz-2026-03-15", "kz-2024-10-06", "kz-2023-03-19",
                                                         "kz-2022-11-20", "kz-2022-06-05", "kz-2021-01-10",
                                                         "kz-2019-06-09")]
    assert order == sorted(order)
    assert f'href="/e/kz-2019-06-09/?lang={lang}"' in html
    assert "<script" not in html  # whole without script


def test_archive_in_english_states_outcome_and_turnout(client):
    html = client.get("/archive?lang=en").get_data(as_text=True)
    block = html[html.index('id="vote-kz-2022-11-20"'):html.index('id="vote-kz-2022-06-05"')]
    assert "Presidential election" in block
    # the election page's own sentence: 6,456,393 of the 8,300,046 who took part = 77.79 %
    assert "Tokayev is elected: 77.79% of those who took part" in block
    assert "69.44% (preliminary)" in block


def test_archive_names_are_text_never_markup(tmp_path):
    """An election's name from its election.json is printed as text: its angle brackets escaped."""
    import shutil

    from dashboard.app import create_app
    from dashboard.config import Config
    from dashboard.store.library import Library

    from .votes import package_dir

    folder = tmp_path / "pkg"
    shutil.copytree(package_dir("kz-2024-10-06"), folder)
    doc = json.loads((folder / "election.json").read_text(encoding="utf-8"))
    doc["names"]["en"] = 'Nuclear <img src=x onerror="alert(1)"> referendum'
    (folder / "election.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    Library(tmp_path / "data").ingest(folder)
    html = create_app(Config(data_dir=tmp_path / "data")).server.test_client().get("/archive?lang=en")
    body = html.get_data(as_text=True)
    assert "<img" not in body
    assert "Nuclear &lt;img src=x onerror=&quot;alert(1)&quot;&gt; referendum" in body


def _page(app, election, module, **kw):
    import importlib

    from dashboard.components import data as data_module

    page = importlib.import_module(f"dashboard.pages.{module}")
    with app.server.test_request_context(f"/e/{election}/"):
        data_module.use_election(election)
        return page.layout(**kw)


def _ids(node) -> set:
    from tests.layout_tree import components as walk

    return {getattr(c, "id", None) for c in walk(node)}


def test_turnout_page_has_the_record_cards(app):
    ids = _ids(_page(app, "kz-2023-03-19", "turnout", lang="en"))
    assert {"history-turnout-history", "history-turnout-change", "embed-turnout_history", "embed-turnout_change"} <= ids


def test_the_first_vote_has_no_change_card(app):
    ids = _ids(_page(app, "kz-2019-06-09", "turnout", lang="ru"))
    assert "history-turnout-history" in ids and "history-turnout-change" not in ids


def test_region_page_draws_its_line_against_the_country(app):
    from tests.layout_tree import by_id

    page = _page(app, "kz-2023-03-19", "region", unit="abai", lang="kk")
    fig = by_id(page, "history-turnout-history").figure
    series = [t["meta"]["series"] for t in fig["data"]]
    assert series == ["kz", "abai", "east_kazakhstan@units_2022"]


def test_change_map_image_on_the_old_units(client):
    """The PNG inlines the 17-unit boundaries (kaleido cannot fetch the site's URL)."""
    from dashboard.charts import images

    resp = client.get("/e/kz-2026-03-15/image/turnout_change.png?lang=ru&from=kz-2019-06-09")
    if resp.status_code == 503:
        pytest.skip("no image renderer here")
    assert resp.status_code == 200 and resp.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert images.FORMATS["png"] == resp.mimetype


def test_an_elections_record_stops_at_its_own_vote(tmp_path):
    """The 2023 page's turnout across votes is cached under 2023's version: it must not hold a later vote
    (tonight's count would stay frozen in it). The newest vote's holds them all; the archive lists all."""
    import csv
    import io

    from dashboard.app import create_app
    from dashboard.config import Config

    client = create_app(Config(data_dir=tmp_path / "data")).server.test_client()

    def votes(election: str) -> list[str]:
        body = client.get(f"/e/{election}/download/turnout_history.csv?lang=en").get_data().decode("utf-8-sig")
        return [r["election"] for r in csv.DictReader(io.StringIO(body)) if r["series"] == "kz"]

    assert votes("kz-2023-03-19") == ["kz-2019-06-09", "kz-2021-01-10", "kz-2022-06-05", "kz-2022-11-20",
                                      "kz-2023-03-19"]
    assert votes("kz-2026-03-15")[-2:] == ["kz-2024-10-06", "kz-2026-03-15"] and len(votes("kz-2026-03-15")) == 7
    archive = client.get("/archive?lang=en").get_data(as_text=True)
    assert "/e/kz-2026-03-15/" in archive and "/e/kz-2019-06-09/" in archive
