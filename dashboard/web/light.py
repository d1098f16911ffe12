"""Light pages: compressed text, fingerprinted files cached for a year, conditional GETs.

A first visit used to transfer 6.4 MB uncompressed and every repeat visit revalidated every script.
``install(server)`` (from ``create_app``) adds:

- compression of every text response (Flask-Compress: brotli when the client takes it, else gzip).
  Behind the nginx of ``deploy/`` the app still compresses and nginx passes the encoded body on (nginx's
  gzip skips responses that already carry ``Content-Encoding``), so nothing is compressed twice, and
  nginx's micro-cache stores the compressed bytes per ``Vary: Accept-Encoding``;
- ``Cache-Control: public, max-age=31536000, immutable`` for URLs that change whenever the file does:
  Dash's fingerprinted ``/_dash-component-suites/…`` (package version and mtime in the name) and files of
  ``assets/`` requested with Dash's ``?m=<mtime>`` cache-buster; other assets keep ``no-cache`` (revalidate);
- conditional GETs that honour weak ETags (``If-None-Match: W/"…"``, what nginx's gzip turns a strong ETag
  into): an unchanged response becomes a 304 with no body.
"""

from __future__ import annotations

from dash.fingerprint import check_fingerprint
from flask import Flask, Response, request
from flask_compress import Compress

#: Everything textual the site sends (Dash JSON, pages, scripts, the GeoJSON, CSV downloads, SVG).
COMPRESS_MIMETYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/geo+json",
    "image/svg+xml",
    "image/x-icon",  # Dash's favicon (15 KB, 4 KB compressed)
    "image/vnd.microsoft.icon",
]
ONE_YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"
COMPONENT_SUITES = "/_dash-component-suites/"


def install(server: Flask) -> None:
    server.config.setdefault("COMPRESS_MIMETYPES", COMPRESS_MIMETYPES)
    server.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    server.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "deflate"])
    server.config.setdefault("COMPRESS_BR_LEVEL", 5)
    server.config.setdefault("COMPRESS_LEVEL", 6)
    # Flask runs after_request hooks last-registered first: the cache headers and the 304 are decided
    # before compression, so a 304 is never compressed and an ETag is compared before it gets ":br".
    Compress(server)
    server.after_request(_conditional)
    server.after_request(_cache_headers)
    server.wsgi_app = RefusedEncodings(server.wsgi_app)


class RefusedEncodings:
    """WSGI middleware: ``Accept-Encoding`` without the codings the client refuses (``gzip;q=0``).

    Flask-Compress 1.25 reads ``q=0`` as a weight like any other and sent gzip or brotli to a client that
    had refused both (``br;q=0, gzip;q=0``); with the refused ones removed, it sends the plain body."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        value = environ.get("HTTP_ACCEPT_ENCODING")
        if value and "q" in value.lower():
            environ["HTTP_ACCEPT_ENCODING"] = accepted_encodings(value)
        return self.wsgi_app(environ, start_response)


def accepted_encodings(value: str) -> str:
    """``value`` with every coding of weight 0 removed (RFC 9110 §12.5.3), the others as they were."""
    from werkzeug.http import parse_accept_header

    return ", ".join(name if q == 1 else f"{name};q={q:g}" for name, q in parse_accept_header(value) if q > 0)


def is_fingerprinted(path: str, args) -> bool:
    """Whether the URL names one exact version of a file (so a browser may keep it for a year)."""
    if path.startswith(COMPONENT_SUITES):
        # Dash's async chunks (async-graph.js, …) are requested under their plain names
        return check_fingerprint(path[len(COMPONENT_SUITES) :])[1]
    if path == "/_favicon.ico":  # Dash links it as /_favicon.ico?v=<dash version>
        return "v" in args
    return path.startswith("/assets/") and "m" in args


def _cache_headers(resp: Response) -> Response:
    if resp.status_code in (200, 304) and is_fingerprinted(request.path, request.args):
        resp.headers["Cache-Control"] = IMMUTABLE
        resp.expires = None
    return resp


def _conditional(resp: Response) -> Response:
    """A 304 for a GET whose ``If-None-Match`` matches the response's ETag, weakly (RFC 9110 §13.1.2)."""
    if request.method not in ("GET", "HEAD") or resp.status_code != 200 or not request.if_none_match:
        return resp
    etag, _weak = resp.get_etag()
    if etag is None or not request.if_none_match.contains_weak(etag):
        return resp
    not_modified = Response(status=304)
    for name in ("ETag", "Cache-Control", "Vary", "Expires", "Last-Modified"):
        if name in resp.headers:
            not_modified.headers[name] = resp.headers[name]
    resp.close()
    return not_modified
