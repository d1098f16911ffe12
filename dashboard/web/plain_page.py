"""The frame of the site's pages of plain HTML (``/archive``, ``/about/estimate``): whole without script,
so a reader on a slow phone, a search engine and a screen reader get the same page. The caller escapes
what it puts in ``body``; everything given here as text is escaped here."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from flask import Response, request

from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, normalise_language, translator


def href(path: str, lang: str) -> str:
    return f"{path}?lang={lang}"


def page(lang: str, path: str, title: str, subtitle: str, body: str) -> str:
    """A whole page: header with the language switch (links to ``path`` in each language), ``title`` as
    its heading, ``body`` (HTML, already escaped) and the source line."""
    _ = translator(lang)
    skip, language = _("Skip to content"), _("Language")
    credit = _("data: Central Election Commission of Kazakhstan")
    current = ' aria-current="true"'
    switch = "".join(
        f'<li><a class="lang-link{" active" if code == lang else ""}" href="{href(path, code)}" lang="{code}" '
        f'hreflang="{code}"{current if code == lang else ""}>{LANGUAGE_NAMES[code]}</a></li>'
        for code in LANGUAGES
    )
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)} · Saylau</title>'
        f'<link rel="icon" href="/_favicon.ico"><link rel="stylesheet" href="/assets/saylau.css"></head><body>'
        f'<a class="skip-link" href="#main">{escape(skip)}</a>'
        f'<header class="site-header"><div class="header-inner"><div class="header-top">'
        f'<a class="brand" href="{href("/", lang)}"><span class="brand-name">Saylau</span>'
        f'<span class="brand-sub">{escape(subtitle)}</span></a>'
        f'<nav class="lang-switch" aria-label="{escape(language)}"><ul>{switch}</ul></nav>'
        f'</div></div></header>'
        f'<main id="main" class="site-main" tabindex="-1">'
        f'<h1 class="page-title">{escape(title)}</h1>'
        f'{body}'
        f'</main>'
        f'<footer class="site-footer"><div class="footer-inner"><p>Saylau · '
        f'{escape(credit)}</p></div></footer>'
        f'</body></html>'
    )


def install(server, path: str, endpoint: str, render: Callable[[str], str], cache_control: str) -> None:
    """Serve ``render(lang)`` at ``path`` (``?lang=`` read as every page reads it)."""

    def view():
        resp = Response(render(normalise_language(request.args.get("lang"))), mimetype="text/html")
        resp.headers["Cache-Control"] = cache_control
        return resp

    server.add_url_rule(path, endpoint, view)
