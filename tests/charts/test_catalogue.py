"""The chart catalogue: every chart builds; its downloaded table holds the commission's figures as
numbers (read with a plain ``pandas.read_csv`` and compared with the figures the commission published,
written out here from sources/2023); formula-like party names come out inert; frozen links are immutable."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard import charts
from dashboard.app import create_app
from dashboard.config import Config
from dashboard.data import __file__ as _data_init
from dashboard.regions import region_keys
from dashboard.rehearsal.simulate import write_simulated
from dashboard.store.library import Library
from tests.serving import E2023

PACKAGE = Path(_data_init).parent / "kz-2023-03-19"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))


def _read_csv(client, url) -> pd.DataFrame:
    resp = client.get(url)
    assert resp.status_code == 200, url
    return pd.read_csv(io.BytesIO(resp.data))


def test_every_chart_builds_its_figure_and_table(app):
    with app.server.test_request_context("/e/kz-2023-03-19/"):
        from dashboard.components import data

        data.use_election("kz-2023-03-19")  # the Mazhilis of 2023: every chart has figures (the front page is 2026's)
        for name in charts.CHARTS:
            built = charts.build(data.election(), name, "en", with_table=True)
            if name == "turnout_change" and not any(e.date < data.election().date for e in
                                                    map(data.source().election, data.source().ids())):
                # the first vote the library holds: nothing to compare with, said so (tests/record)
                assert built.figure is None and built.message == "There is no earlier vote to compare with."
                continue
            if name == "estimate":  # 2023's count is final: the night's estimate is gone (tests/pages/test_estimate.py)
                assert built.figure is None and "gone once the count is final" in built.message
                continue
            assert built.figure is not None and built.title, name
            assert len(built.table) and built.table.columns[0] != "Region", name


#: The commission's national Mazhilis party-list result, 19 March 2023 (sources/2023/
#: mazhilis_party_list_national.csv): votes, the published share (% of the 6,366,441 votes counted for a
#: party or against all, rounded as published) and the 69 list seats.
PUBLISHED_MAZHILIS = {
    "amanat": (3431510, 53.9, 40),
    "auyl": (693938, 10.9, 8),
    "respublica": (547154, 8.59, 6),
    "ak_zhol": (535139, 8.41, 6),
    "qhp": (432920, 6.8, 5),
    "osdp": (331058, 5.2, 4),
    "baytaq": (146431, 2.3, 0),
}
#: Astana's maslikhat party list as published (sources/2023/maslikhat_party_list_results.csv); OSDP was
#: not in that list.
PUBLISHED_ASTANA = {
    "amanat": (227307, 68.78),
    "ak_zhol": (56045, 16.96),
    "qhp": (18174, 5.50),
    "baytaq": (18154, 5.49),
    "respublica": (5401, 1.63),
    "auyl": (2147, 0.65),
}


def test_shares_csv_holds_the_commissions_figures(app):
    df = _read_csv(app.server.test_client(), "/e/kz-2023-03-19/download/shares.csv?lang=ru")
    assert df["votes"].dtype.kind == "i" and df["share_pct"].dtype.kind == "f"
    assert df["unit"].unique().tolist() == ["kz"]
    parties = df[df["party"] != "against_all"]
    assert dict(zip(parties["party"], parties["votes"], strict=True)) == {
        k: v for k, (v, _, _) in PUBLISHED_MAZHILIS.items()
    }
    assert dict(zip(parties["party"], parties["seats"], strict=True)) == {
        k: s for k, (_, _, s) in PUBLISHED_MAZHILIS.items()
    }
    for party, share in zip(parties["party"], parties["share_pct"], strict=True):
        assert share == pytest.approx(PUBLISHED_MAZHILIS[party][1], abs=0.005), party
    assert parties["passed_threshold"].tolist() == [True] * 6 + [False]  # Baytaq's 2.3 % is under 5 %


def test_shares_download_holds_every_bar_and_the_base(app):
    """The commission's 2023 Mazhilis party list: against all 248,291 votes (3.90 %), AMANAT 53.90 %,
    turnout 54.19 %; shares printed as the chart prints them add up to 100 % with against all."""
    df = _read_csv(app.server.test_client(), "/e/kz-2023-03-19/download/shares.csv?lang=en")
    against = df[df["party"] == "against_all"].iloc[0]
    assert against["votes"] == 248291 and against["share_pct"] == 3.90
    assert against["party_name"] == "Against all"
    assert df.loc[df["party"] == "amanat", "share_pct"].item() == 53.90
    assert round(df["share_pct"].sum(), 2) == 100.00
    assert (df["turnout_pct"] == 54.19).all() and (df["votes_counted"] == df["votes"].sum()).all()
    assert (df["turnout_pct_published"] == 54.21).all()  # the commission's final figure, as the pages show
    assert {"registered", "took_part", "invalid", "turnout_pct_exact"} <= set(df.columns)
    assert df["registered"].dtype.kind == "i" and df["took_part"].dtype.kind == "i"
    for fmt in ("json", "xlsx"):
        assert app.server.test_client().get(f"/e/kz-2023-03-19/download/shares.{fmt}").status_code == 200
    body = app.server.test_client().get("/e/kz-2023-03-19/download/shares.json?lang=en").get_json()
    row = {r["party"]: r for r in body["rows"]}["against_all"]
    assert row["votes"] == 248291 and row["share_pct"] == 3.9
    assert row["share_pct_exact"] == 100 * 248291 / 6366441  # in full, not cut to ten digits


def test_download_labels_are_translated_not_keys(app):
    chamber = _read_csv(app.server.test_client(), "/e/kz-2023-03-19/download/chamber.csv?lang=en")
    assert chamber.loc[chamber["party"] == "independent", "party_name"].tolist() == ["Independent"]


def test_maslikhat_shares_and_chamber_csv_hold_the_commissions_figures(app):
    client = app.server.test_client()
    df = _read_csv(client, "/e/kz-2023-03-19/download/shares.csv?contest=maslikhat_astana_party_list")
    assert df["unit"].unique().tolist() == ["astana"]
    parties = df[df["party"] != "against_all"]
    assert parties["party"].tolist() == list(PUBLISHED_ASTANA)  # by votes, most first
    assert parties["votes"].tolist() == [v for v, _ in PUBLISHED_ASTANA.values()]
    for party, share in zip(parties["party"], parties["share_pct"], strict=True):
        assert share == pytest.approx(PUBLISHED_ASTANA[party][1], abs=0.005), party
    assert df.loc[df["party"] == "against_all", "votes"].tolist() == [3269]  # the package's Astana row
    # 17 list seats (sources/2023/maslikhat_sizes.csv) among the four lists over 5 %, by Hare quota and
    # largest remainders: 319,680 votes / 17 = 18,804.7 a seat; amanat 12.09, ak_zhol 2.98, qhp 0.97,
    # baytaq 0.97 -> 12 + 2 + 0 + 0 = 14, and the 3 left go to ak_zhol, qhp, baytaq
    chamber = _read_csv(client, "/e/kz-2023-03-19/download/chamber.csv?body=maslikhat&area=astana")
    list_seats = chamber[chamber["kind"] == "party_list"].set_index("party")["seats"].to_dict()
    assert list_seats == {"amanat": 12, "ak_zhol": 3, "qhp": 1, "baytaq": 1}
    mazhilis = _read_csv(client, "/e/kz-2023-03-19/download/chamber.csv")
    assert mazhilis["seats"].sum() == 98  # 69 party-list + 29 single-mandate seats, the published total
    by_kind = mazhilis.groupby(["kind", "party"])["seats"].sum()
    assert by_kind["party_list"].to_dict() == {k: s for k, (_, _, s) in PUBLISHED_MAZHILIS.items() if s}
    # the single-mandate seats as published (sources/2023/mazhilis_seats.csv): 22 Amanat, 7 self-nominated
    assert by_kind["single_mandate"].to_dict() == {"amanat": 22, "independent": 7}


def test_turnout_csvs_are_numbers(app):
    client = app.server.test_client()
    ranking = _read_csv(client, "/e/kz-2023-03-19/download/ranking.csv?time=final&lang=en")
    assert ranking["turnout_pct"].dtype.kind == "f"
    # 'final' is reported for the whole country only (54.21 %), so the ranking of regions shows the last
    # report with regional figures, 22:10, where the commission gave 54.19 % nationally: read straight
    # from the package's turnout.csv
    published = pd.read_csv(PACKAGE / "turnout.csv", dtype=str)
    at_2210 = published[(published["time"].str.contains("T22:10")) & (published["unit"] == "kz")]
    assert ranking.loc[ranking["unit"] == "kz", "turnout_pct"].item() == float(at_2210["turnout_pct"].item()) == 54.19
    assert len(ranking[ranking["unit"] != "kz"]) == 20
    lines = _read_csv(client, "/e/kz-2023-03-19/download/turnout.csv")
    assert set(region_keys()) <= set(lines["unit"])


def _formula_package(tmp_path):
    pkg = write_simulated(tmp_path / "pkg", 40, seed=7)
    meta = json.loads((pkg / "election.json").read_text(encoding="utf-8"))
    evil = ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"]
    for party, name in zip(meta["parties"], evil, strict=False):
        for lang in ("kk", "ru", "en"):
            party["names"][lang] = name
            party["short"][lang] = name
    (pkg / "election.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    data = tmp_path / "data"
    Library(data).ingest(pkg)
    return data, evil


def test_formula_like_party_names_are_inert_in_every_download(tmp_path):
    data, evil = _formula_package(tmp_path)
    app = create_app(Config(data_dir=data, default_election=E2023))
    client = app.server.test_client()
    for chart in ("shares", "chamber", "maslikhats"):
        text = client.get(f"/e/sim-7-40/download/{chart}.csv?lang=en").data.decode("utf-8-sig")
        cells = [c for line in text.splitlines() for c in line.split(",")]
        assert not [c for c in cells if c.lstrip('"').startswith(("=", "+", "@"))], chart
        assert not [
            c for c in cells if c.lstrip('"').startswith("-") and not c.lstrip("-").replace(".", "").isdigit()
        ]
        book = openpyxl.load_workbook(io.BytesIO(client.get(f"/e/sim-7-40/download/{chart}.xlsx?lang=en").data))
        values = [c for row in book.active.iter_rows() for c in row]
        assert all(c.data_type != "f" for c in values), chart
        names = {c.value for c in values if isinstance(c.value, str)}
        assert any(n == "'" + e for e in evil for n in names), chart
    body = client.get("/e/sim-7-40/download/shares.json?lang=en").get_json()
    assert {r["party_name"] for r in body["rows"]} & set(evil)  # JSON is data, not a spreadsheet: as is


def test_frozen_links_are_immutable_and_drawn_from_their_version(app):
    client = app.server.test_client()
    frozen = client.get("/e/kz-2023-03-19/download/shares.csv?v=0")
    assert frozen.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert frozen.headers["X-Saylau-Version"] == "0"
    live = client.get("/e/kz-2023-03-19/download/shares.csv")
    assert live.headers["Cache-Control"] == "no-cache" and live.data == frozen.data
    assert client.get("/e/kz-2023-03-19/download/shares.csv?v=7").status_code == 404
    page = client.get("/e/kz-2023-03-19/embed/chamber?v=0&lang=en")
    assert page.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert "immutable" not in client.get("/e/kz-2023-03-19/embed/chamber?lang=en").headers.get("Cache-Control", "")


def test_turnout_and_map_charts_name_their_lines_and_regions(app):
    from dashboard.figures.common import HIGHLIGHT_COLOUR, OTHER_UNIT_COLOUR

    with app.server.test_request_context("/"):
        from dashboard.components import data

        built = charts.build(data.election(), "turnout", "en", unit="almaty")
        labels = {
            a.name: a.text for a in built.figure.layout.annotations if (a.name or "").startswith("label-")
        }
        assert labels == {"label-almaty": "<b>Almaty</b>", "label-kz": "<b>Kazakhstan</b>"}
        colours = {t.meta["unit"]: t.line.color for t in built.figure.data}
        assert colours["almaty"] == HIGHLIGHT_COLOUR
        assert {c for u, c in colours.items() if u not in ("almaty", "kz")} == {OTHER_UNIT_COLOUR}
        assert len(colours) == 1 + len(region_keys())  # the others stay, in grey

        fig = charts.build(data.election(), "map", "ru", mode="turnout").figure
        names = next(t for t in fig.data if t.name == "region_labels")
        assert "Акмолинская" in names.text and len(names.text) == 17  # regions (short labels); cities are markers


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+2", "'=1+2"),
        ("+7", "'+7"),
        ("-x", "'-x"),
        ("@A1", "'@A1"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Amanat", "Amanat"),
        (-2.5, -2.5),
        (3, 3),
    ],
)
def test_inert_cells(cell, expected):
    from dashboard.charts.export import inert

    assert inert(cell) == expected


def _two_versions(tmp_path):
    """Two versions of one simulated election: the second moves 5,000 list votes from amanat to auyl."""
    import csv
    import shutil

    v1 = write_simulated(tmp_path / "v1", 40, seed=5)
    v2 = tmp_path / "v2"
    shutil.copytree(v1, v2)
    rows = list(csv.DictReader((v2 / "results.csv").open(encoding="utf-8")))
    row = next(r for r in rows if r["contest"] == "mazhilis_party_list" and int(r["amanat"]) > 6000)
    row["amanat"], row["auyl"] = str(int(row["amanat"]) - 5000), str(int(row["auyl"]) + 5000)
    with (v2 / "results.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    data = tmp_path / "data"
    store = Library(data)
    store.ingest(v1)
    store.ingest(v2)
    return data, v1, v2


def _national(package, party: str) -> int:
    raw = pd.read_csv(package / "results.csv")
    return int(raw[raw["contest"] == "mazhilis_party_list"][party].sum())


def test_a_frozen_link_answers_from_its_version(tmp_path):
    data, v1, v2 = _two_versions(tmp_path)
    client = create_app(Config(data_dir=data, default_election=E2023)).server.test_client()
    old = client.get("/e/sim-5-40/download/shares.csv?v=1")
    new = client.get("/e/sim-5-40/download/shares.csv")
    assert old.headers["X-Saylau-Version"] == "1" and new.headers["X-Saylau-Version"] == "2"
    assert "-v1-" in old.headers["Content-Disposition"] and "-v2-" in new.headers["Content-Disposition"]
    for resp, package in ((old, v1), (new, v2)):
        df = pd.read_csv(io.BytesIO(resp.data)).set_index("party")
        assert df.loc["amanat", "votes"] == _national(package, "amanat")
        assert df.loc["auyl", "votes"] == _national(package, "auyl")
    assert _national(v1, "amanat") - _national(v2, "amanat") == 5000


def test_a_frozen_embed_is_drawn_from_its_version(tmp_path):
    import dash

    data, _v1, _v2 = _two_versions(tmp_path)
    app = create_app(Config(data_dir=data, default_election=E2023))
    client = app.server.test_client()
    page = next(p for p in dash.page_registry.values() if p["module"] == "dashboard.pages.embed")
    with app.server.test_request_context("/e/sim-5-40/embed/shares?v=1&lang=en"):
        frozen = str(page["layout"](election="sim-5-40", chart="shares", lang="en", v="1"))
    with app.server.test_request_context("/e/sim-5-40/embed/shares?lang=en"):
        live = str(page["layout"](election="sim-5-40", chart="shares", lang="en"))
    assert "version 1" in frozen and "version 2" not in frozen
    assert "version 2" in live
    assert client.get("/e/sim-5-40/embed/shares?v=1").headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_turnout_downloads_print_the_rounded_figure_beside_the_exact_one(tmp_path):
    """Turnout computed from counts (a simulated night): ``turnout_pct`` is the page's two places,
    ``turnout_pct_exact`` the full ratio — both checked against the package's own counts."""
    from fractions import Fraction

    package = write_simulated(tmp_path / "pkg", 60, seed=5, reported_fraction=0.3)
    Library(tmp_path / "data").ingest(package)
    client = create_app(Config(data_dir=tmp_path / "data", default_election=E2023)).server.test_client()
    counts = pd.read_csv(package / "turnout.csv")
    counts = counts[counts["registered"].notna() & counts["took_part"].notna()]
    expected = {(str(r.time), r.unit): Fraction(100 * int(r.took_part), int(r.registered))
                for r in counts.itertuples()}
    df = _read_csv(client, "/e/sim-5-60/download/turnout.csv?lang=en")
    checked = 0
    for r in df.itertuples():
        exact = expected.get((r.time, r.unit))
        if exact is None:
            continue
        assert r.turnout_pct_exact == float(exact)
        assert r.turnout_pct == float(round(exact, 2)), (r.time, r.unit)
        checked += 1
    assert checked > 20
    ranking = _read_csv(client, "/e/sim-5-60/download/ranking.csv?lang=en")
    assert {"turnout_pct", "turnout_pct_exact"} <= set(ranking.columns)
    assert (ranking["turnout_pct"].dropna() == ranking["turnout_pct"].dropna().round(2)).all()
