"""The frame follows the election it shows: the home link is named by the lead contest ("Kurultai",
"President", "Referendum"), "Maslikhats" only where maslikhats were elected, the brand line by kind; a
region or the maslikhats page of a vote without districts or maslikhats says nothing of the Mazhilis."""

from __future__ import annotations

import json
import re

import pytest

from dashboard.components import shell
from dashboard.ingest.package import load_package
from dashboard.store.embedded import embedded_election
from tests import kinds_packages as kp


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), ensure_ascii=False, default=lambda o: o.to_plotly_json())


@pytest.fixture(scope="module")
def elections(tmp_path_factory):
    root = tmp_path_factory.mktemp("kinds")
    kurultai = kp.kurultai_doc()
    rows = "contest,unit,registered,took_part,invalid,against_all,amanat,auyl,respublica\n" \
           "kurultai_party_list,kz,1000,800,0,0,500,200,100\n"
    return {
        "2023": embedded_election(),
        "kurultai": load_package(kp.write(root / "k", kurultai, rows)),
        "president": load_package(kp.write(root / "p", kp.presidential_doc(), kp.presidential_rows())),
        "referendum": load_package(kp.write(root / "r", kp.referendum_doc(), kp.referendum_rows())),
    }


@pytest.mark.parametrize("which, lang, home, maslikhats, brand", [
    ("2023", "en", "Mazhilis", True, "Election results 2023"),
    ("2023", "kk", "Мәжіліс", True, "2023 жылғы сайлау қорытындылары"),
    ("kurultai", "ru", "Курултай", False, "Итоги выборов 2026 года"),
    ("president", "en", "President", False, "Presidential election results 2029"),
    ("president", "ru", "Президент", False, "Итоги выборов Президента 2029 года"),
    ("referendum", "en", "Referendum", False, "Referendum results 2028"),
    ("referendum", "kk", "Референдум", False, "2028 жылғы референдум қорытындылары"),
])
def test_the_header_follows_the_election_shown(elections, which, lang, home, maslikhats, brand):
    election = elections[which]
    nav = shell.nav_items(election, lang)
    assert nav[0][:2] == ("/", "home") and nav[0][2] == home
    assert [key for _p, key, _l in nav] == ["home", "turnout", *(["maslikhats"] if maslikhats else []), "observers"]
    header = _text(shell.header(lang, "/", election=election))
    assert brand in header and '"id": "nav-home"' in header
    assert ("nav-maslikhats" in header) is maslikhats
    if which != "2023":
        assert "Mazhilis" not in header and "Мәжіліс" not in header and "Мажилис" not in header


def test_a_simulated_election_is_named_as_one_whatever_its_kind(elections):
    assert shell.brand_line(elections["referendum"], "en", simulated=True) == "Simulated election (rehearsal)"


def test_links_home_name_the_mazhilis_only_where_it_was_elected(elections):
    assert shell.home_link_text(elections["2023"], "en") == "Go to the Mazhilis results"
    assert shell.home_link_text(elections["referendum"], "en") == "Go to the results"
    assert shell.home_link_text(elections["president"], "ru") == "К итогам"
    assert shell.home_label(None, "kk") == "Қорытындылар"  # no election could be read


def test_a_referendums_region_and_maslikhats_pages_say_nothing_of_the_mazhilis(tmp_path):
    from tests.serving import serve
    from tests.web.test_fastcache import page, texts

    package = kp.write(tmp_path / "r", kp.referendum_doc(), kp.referendum_rows())
    app = serve(tmp_path / "data", package)
    app.server.config["SAYLAU_PRERENDER"] = False
    client = app.server.test_client()
    for lang in ("en", "ru"):
        region = texts(page(client, "/region/almaty", f"?lang={lang}", election="kz-ref-test"))
        # the turnout across votes names the other votes by their kind ("10 January 2021 · Mazhilis
        # election"): that is the record, not this page speaking of a Mazhilis
        region = re.sub(r" · (Mazhilis election|Выборы в Мажилис|выборы в Мажилис)", "", region)
        assert "Mazhilis" not in region and "Мажилис" not in region and "districts" not in region
        if lang == "en":  # Almaty is 19th of region_keys(): a no region (400 yes of 1,000), Abai 1st a yes one
            assert "Not more than half of those who took part here voted yes." in region
            abai = texts(page(client, "/region/abai", "?lang=en", election="kz-ref-test"))
            assert "Most of those who took part here voted yes." in abai
        maslikhats = texts(page(client, "/maslikhats", f"?lang={lang}", election="kz-ref-test"))
        said = {"en": "No maslikhat was elected in this vote.", "ru": "В этом голосовании маслихаты не избирались."}
        assert said[lang] in maslikhats and "maslikhat-map" not in maslikhats


def test_contests_are_named_by_their_own_body(elections):
    """The observers' tables name a changed figure's contest: never "Maslikhat of Kazakhstan" for a
    president, a referendum or the Kurultai."""
    from dashboard.figures.common import contest_label

    assert contest_label("mazhilis_party_list", elections["2023"], "en") == "Mazhilis, party list"
    assert contest_label("maslikhat_abai_party_list", elections["2023"], "en") == "Maslikhat of Abai Region, party list"
    assert contest_label("kurultai_party_list", elections["kurultai"], "ru") == "Курултай, партийный список"
    assert contest_label("president", elections["president"], "kk") == "Президент"
    assert contest_label("constitution", elections["referendum"], "en") == "Referendum"


def test_a_vote_without_maslikhats_has_no_maslikhats_chart(tmp_path):
    from tests.serving import serve
    from tests.web.test_fastcache import page, texts

    app = serve(tmp_path / "data", kp.write(tmp_path / "r", kp.referendum_doc(), kp.referendum_rows()))
    client = app.server.test_client()
    embed = texts(page(client, "/embed/maslikhats", "?lang=kk", election="kz-ref-test"))
    assert "Бұл дауыс беруде мәслихат сайланған жоқ." in embed
    csv = client.get("/e/kz-ref-test/download/maslikhats.csv?lang=en")
    assert csv.status_code == 404 and csv.get_json()["detail"] == "No maslikhat was elected in this vote."
