"""The served HTML in the page's language: ``<html lang>``, ``<title>`` and description, and a browser's
``Accept-Language`` honoured by a redirect to the page's ``?lang=`` URL.

Why a redirect rather than an answer that varies: the page's content is rendered by Dash's routing
callback from the URL alone (``?lang=``), and it is cached by that URL (``dashboard.web.fastcache``,
nginx's micro-cache). Sending a Russian browser from ``/turnout`` to ``/turnout?lang=ru`` keeps one
language per URL everywhere: the HTML, the content, the caches and a shared link all agree. Only the
bare URL's answer (Kazakh, or the redirect) depends on the header; it says so with ``Vary:
Accept-Language``, and nginx keys its micro-cache of URLs without ``lang`` on the same normalised
language (``$saylau_lang`` in deploy/nginx.conf.template, the same rule as ``preferred_language``).

``install(app)`` from ``create_app``.
"""

from __future__ import annotations

import re
from html import escape
from urllib.parse import urlencode

import flask

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language

#: Dash's routes that answer with the app's HTML page.
INDEX_ENDPOINTS = frozenset({"/", "/<path:path>"})
#: One language range of an ``Accept-Language`` header: its primary subtag, then anything up to the comma.
_RANGE = re.compile(r"\s*([A-Za-z]{1,8})(?:-[A-Za-z0-9]{1,8})*\s*(;[^,]*)?")
_ZERO_Q = re.compile(r";\s*q\s*=\s*0(?:\.0{0,3})?\s*$", re.IGNORECASE)
#: Longest header read: a browser's is well under 200 characters.
MAX_HEADER = 1024


def preferred_language(header: str | None) -> str:
    """The first of the page's languages named in ``Accept-Language`` (browsers list the user's
    languages in order of preference), the default language when none is.

    ``ru-RU,ru;q=0.9,en;q=0.8`` → ``ru``; ``de,en;q=0.5`` → ``en``; ``fr`` → ``kk``. A range with
    ``q=0`` ("not this one") is skipped. The first listed, not the highest q: nginx's map applies the
    same rule with one regular expression, so the micro-cache key and the app's answer always agree.
    """
    for part in (header or "")[:MAX_HEADER].split(","):
        m = _RANGE.fullmatch(part)
        if m is None:
            continue
        if m.group(2) and _ZERO_Q.search(m.group(2)):
            continue
        tag = m.group(1).lower()
        if tag in LANGUAGES:
            return tag
    return DEFAULT_LANGUAGE


def _redirect_to_language():
    """A page GET without ``lang`` from a browser preferring Russian or English: 302 to ``?lang=``."""
    request = flask.request
    if request.method not in ("GET", "HEAD") or request.endpoint not in INDEX_ENDPOINTS:
        return None
    if "lang" in request.args:
        return None
    lang = preferred_language(request.headers.get("Accept-Language"))
    if lang == DEFAULT_LANGUAGE:
        return None
    query = urlencode([*request.args.items(multi=True), ("lang", lang)])
    resp = flask.redirect(f"{request.path}?{query}", code=302)
    resp.headers["Vary"] = "Accept-Language"
    return resp


def _vary(resp: flask.Response) -> flask.Response:
    """The bare URL's page is Kazakh only because the browser did not ask for another language."""
    request = flask.request
    if request.endpoint in INDEX_ENDPOINTS and "lang" not in request.args:
        resp.vary.add("Accept-Language")
    return resp


def page_language() -> str:
    return (
        normalise_language(flask.request.args.get("lang"))
        if flask.has_request_context()
        else DEFAULT_LANGUAGE
    )


def page_title(app) -> str:
    """The page's own title (its Dash Pages ``title``, already in the URL's language), else the app's."""
    from dash._pages import _path_to_page

    try:
        page, path_variables = _path_to_page(flask.request.path.strip("/"))
        title = page.get("title", app.title) if page else app.title
        if callable(title):
            title = title(**path_variables) if path_variables else title()
    except Exception:  # the title must never take the page down
        title = app.title
    return title or app.title


def install(app) -> None:
    """Redirect by ``Accept-Language``; render the index with the page's language and title."""
    server = app.server
    server.before_request(_redirect_to_language)
    server.after_request(_vary)
    interpolate = app.interpolate_index

    def interpolate_index(**kwargs):
        if flask.has_request_context():
            kwargs["title"] = escape(page_title(app), quote=False)
        html = interpolate(**kwargs)
        return html.replace("{%lang%}", page_language(), 1)

    app.interpolate_index = interpolate_index
