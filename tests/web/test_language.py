"""The served HTML is in the page's language: ``lang``, ``<title>`` and description follow ``?lang=``;
a browser asking for Russian or English without ``?lang=`` is redirected to it; unknown pages are 404."""

from __future__ import annotations

import re

import pytest

from dashboard.web.language import preferred_language
from tests.serving import E2023


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    from dashboard.app import create_app
    from dashboard.config import Config

    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023)).server.test_client()


def _head(html: str) -> tuple[str, str, str]:
    lang = re.search(r'<html lang="([^"]*)">', html).group(1)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    description = re.search(r'<meta name="description" content="([^"]*)"', html).group(1)
    return lang, title, description


@pytest.mark.parametrize(
    ("path", "lang", "title", "description"),
    [
        ("/?lang=ru", "ru", "Итоги выборов в Мажилис — Saylau", "Официальные итоги выборов 19 марта"),
        ("/e/kz-2023-03-19/region/almaty?lang=en", "en", "Almaty — Saylau", "Official results of the elections of 19 March"),
        ("/e/kz-2023-03-19/turnout", "kk", "Сайлау күні бойы сайлаушылардың келуі — Saylau", "2023 жылғы 19 наурызда"),
        ("/e/kz-2023-03-19/maslikhats?lang=EN", "en", "Regional maslikhats — Saylau", "Official results"),
    ],
)
def test_html_head_is_in_the_language_of_the_url(client, path, lang, title, description):
    resp = client.get(path)
    assert resp.status_code == 200
    got = _head(resp.get_data(as_text=True))
    assert got[0] == lang and got[1] == title and description in got[2]


def test_accept_language_ru_redirects_to_the_russian_page(client):
    resp = client.get("/e/kz-2023-03-19/turnout?view=multiples", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/e/kz-2023-03-19/turnout?view=multiples&lang=ru"
    assert "Accept-Language" in resp.headers["Vary"]
    page = client.get(resp.headers["Location"], headers={"Accept-Language": "ru-RU"})
    assert page.status_code == 200
    lang, title, description = _head(page.get_data(as_text=True))
    assert (lang, title) == ("ru", "Явка в течение дня голосования — Saylau")
    assert description.startswith("Официальные итоги")


def test_lang_parameter_beats_the_header_and_kazakh_is_the_default(client):
    explicit = client.get("/?lang=kk", headers={"Accept-Language": "ru"})
    assert explicit.status_code == 200 and _head(explicit.get_data(as_text=True))[0] == "kk"
    assert "Accept-Language" not in explicit.headers.get("Vary", "")
    for header in ("kk-KZ,ru;q=0.8", "fr-FR,de", "", "ru;q=0,kk"):
        resp = client.get("/", headers={"Accept-Language": header} if header else {})
        assert resp.status_code == 200, header
        assert _head(resp.get_data(as_text=True))[0] == "kk"
        assert "Accept-Language" in resp.headers["Vary"]


def test_unknown_pages_answer_404(client):
    for path in ("/no-such-page", "/e/kz-2023-03-19/region/atlantis", "/e/kz-2023-03-19/embed/pie?lang=ru", "/e/kz-1999-01-01/?lang=ru"):
        assert client.get(path).status_code == 404, path


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        ("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7", "ru"),
        ("en-GB", "en"),
        ("de-DE,de;q=0.9,en;q=0.5,ru;q=0.4", "en"),
        ("kk,ru;q=0.9", "kk"),
        ("RU", "ru"),
        ("ru;q=0, en", "en"),
        ("ru;q=0.0", "kk"),
        ("rus,english", "kk"),
        ("*", "kk"),
        (None, "kk"),
    ],
)
def test_preferred_language(header, lang):
    assert preferred_language(header) == lang
