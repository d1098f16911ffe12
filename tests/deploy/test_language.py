"""Through nginx: a page URL without ``?lang=`` is answered per the browser's language (Kazakh, or a
redirect to ``?lang=ru|en``), and the 5 s micro-cache never gives one language's answer to another:
nginx keys it on the normalised language (``$saylau_lang``) and keeps a variant per exact header (the
app's ``Vary: Accept-Language``)."""

from __future__ import annotations

import time

from dashboard.web.language import preferred_language

#: Headers whose language nginx's map must find as the app does (the first of kk/ru/en, q=0 skipped).
HEADERS = ["ru-RU,ru;q=0.9,en-US;q=0.8", "de-DE,de;q=0.9,en;q=0.5,ru;q=0.4", "ru;q=0.0, en-GB", "EN"]


def _probe() -> str:
    return f"/e/kz-2023-03-19/turnout?probe={time.monotonic_ns()}"


def test_the_kazakh_page_and_the_russian_redirect_are_separate_entries(stack, dt):
    path = _probe()
    ru = dt.request(stack.port, "GET", path, headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert ru[0] == 302 and ru[1]["location"] == f"{path}&lang=ru" and ru[1]["x-cache"] == "MISS"
    kk = dt.request(stack.port, "GET", path, headers={"Accept-Language": "kk-KZ"})
    assert kk[0] == 200 and kk[1]["x-cache"] == "MISS" and b'<html lang="kk">' in kk[2]
    again = dt.request(stack.port, "GET", path, headers={"Accept-Language": "ru-RU,ru;q=0.9"})
    assert again[0] == 302 and again[1]["x-cache"] == "HIT"
    russian = dt.request(stack.port, "GET", ru[1]["location"], headers={"Accept-Language": "kk"})
    assert russian[0] == 200 and b'<html lang="ru">' in russian[2]


def test_nginx_and_the_app_read_accept_language_alike(stack, dt):
    for header in HEADERS:
        lang = preferred_language(header)
        assert lang != "kk", header
        path = _probe()
        first = dt.request(stack.port, "GET", path, headers={"Accept-Language": header})
        assert first[0] == 302 and first[1]["location"].endswith(f"&lang={lang}"), header
        dt.request(stack.port, "GET", path, headers={"Accept-Language": "kk"})
        second = dt.request(stack.port, "GET", path, headers={"Accept-Language": header})
        assert second[1]["x-cache"] == "HIT" and second[1]["location"] == first[1]["location"], header
