"""What a public site on election night needs on top of Dash: bounded request bodies, honest status codes
and the browser's security headers.

``install(server)`` (from ``create_app``) adds:

- a 1 MB request body limit (``MAX_CONTENT_LENGTH``) answered by a short 413: Flask otherwise lets a
  100 MB POST to ``/_dash-update-component`` be read whole into a worker;
- a real 404 status for pages that do not exist — Dash Pages renders its friendly "not found" layout with
  200, so search engines index it and monitoring cannot tell a broken link; the layout is still sent;
- callback requests that are not what the Dash renderer sends (bad JSON, unknown output, wrong inputs, or
  values the callback cannot use) get a 400 with one line of text instead of a 500; a
  ``/_dash-component-suites/`` path Dash does not serve gets a 404, not a 500 — client errors, logged
  in one line without a traceback;
- any other exception is a 500 whose traceback is logged once per distinct cause (a crawler repeating
  one bad URL must not bury the log in identical tracebacks), later ones in one line;
- ``Content-Security-Policy`` with ``script-src 'self'`` plus the hashes of Dash's own inline scripts,
  ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy``; every other answer (images, downloads, JSON)
  gets ``RESOURCE_CSP``, which lets an SVG opened on its own neither run nor fetch anything. Hits of the
  HTTP cache go through the same hook (and the front door replays these final headers).

``style-src`` keeps ``'unsafe-inline'``: plotly.js and React set ``style`` attributes and plotly injects a
``<style>`` element at run time, which no hash can cover. Scripts, the dangerous part, stay strict.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache

import dash
from dash.exceptions import DependencyException
from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from dashboard.web.api_params import ApiError, NotFound, ServerError, error_response

log = logging.getLogger(__name__)

#: The largest request body accepted: a Dash callback request is a few KB.
MAX_BODY_BYTES = 1024 * 1024
CALLBACK_ROUTE = "/_dash-update-component"
COMPONENT_SUITES = "/_dash-component-suites/"
#: Paths whose errors are answered as JSON ``{"error", "detail"}`` (the others in one line of text).
JSON_PREFIXES = ("/api/", "/download/", "/image/", "/feeds/")
#: The same inside an election (``/e/<id>/download/…``).
ELECTION_JSON_PARTS = tuple(p.rstrip("/") for p in JSON_PREFIXES[1:]) + ("/status.json",)
#: Distinct causes of a 500 whose traceback is already in the log (bounded: a flood of new ones stops
#: adding entries, their tracebacks are still logged).
TRACEBACKS_LOGGED: set[tuple] = set()
TRACEBACKS_MAX = 1000
#: Dash's routes that answer with the app's HTML page for any path (Dash Pages routes in the browser).
INDEX_ENDPOINTS = frozenset({"/", "/<path:path>"})
#: Path variables whose values are a closed set: a page URL with any other value does not exist.
PATH_VARIABLE_CHECKS = {
    "election": lambda value: _is_election(value),
    "unit": lambda value: _is_region(value),
    "chart": lambda value: _is_chart(value),
}
NOT_FOUND_MODULE = "not_found_404"


def _is_region(value: str) -> bool:
    from dashboard.regions import is_region

    return is_region(value)


def _is_election(value: str) -> bool:
    from dashboard.components import data as data_module

    return data_module.source().knows(value)


def _is_chart(value: str) -> bool:
    from dashboard.pages.embed import CHARTS

    return value in CHARTS


def install(server: Flask) -> None:
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    server.register_error_handler(RequestEntityTooLarge, _too_large)
    server.before_request(_check_callback_request)
    server.register_error_handler(Exception, _callback_error)
    server.after_request(_headers)


# --- bodies and callbacks ------------------------------------------------------------------------------


def _plain(text: str, status: int) -> Response:
    return Response(text + "\n", status=status, mimetype="text/plain")


def _too_large(_error) -> Response:
    return _plain(f"Request body too large: the limit is {MAX_BODY_BYTES // 2**20} MB.", 413)


class BadCallbackRequest(ValueError):
    """A callback request the Dash renderer would never send."""


def _check_callback_request():
    """Reject a malformed ``/_dash-update-component`` body before Dash dispatches it (Dash would raise
    a TypeError or KeyError deep inside and answer 500)."""
    if request.path != CALLBACK_ROUTE or request.method != "POST":
        return None
    try:
        _validate_callback_body(request.get_data(cache=True))
    except BadCallbackRequest as exc:
        return _plain(f"Bad callback request: {exc}", 400)
    return None


def _validate_callback_body(raw: bytes) -> None:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise BadCallbackRequest("the body is not JSON") from None
    if not isinstance(body, dict):
        raise BadCallbackRequest("the body is not a JSON object")
    output = body.get("output")
    if not isinstance(output, str):
        raise BadCallbackRequest("'output' is missing")
    spec = _callback_map().get(output)
    if spec is None:
        raise BadCallbackRequest("no such callback")
    for field, expected in (("inputs", spec.get("inputs", [])), ("state", spec.get("state", []))):
        given = body.get(field, [])
        if not isinstance(given, list) or len(given) != len(expected):
            raise BadCallbackRequest(f"'{field}' does not match the callback")
        for item in given:
            if not _is_dependency(item):
                raise BadCallbackRequest(f"'{field}' holds an entry that is not an id and property")
    outputs = body.get("outputs")
    if not isinstance(outputs, dict | list):
        raise BadCallbackRequest("'outputs' is missing")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallbackRequest("'changedPropIds' is not a list of strings")


def _is_dependency(item) -> bool:
    """One input/state entry: ``{"id", "property", "value"}``, or a list of them (pattern-matching ALL)."""
    if isinstance(item, list):
        return all(_is_dependency(i) for i in item)
    return (
        isinstance(item, dict)
        and isinstance(item.get("id"), str | dict)
        and isinstance(item.get("property"), str)
    )


def _callback_map() -> dict:
    app = dash_app_of(_current_server())
    return app.callback_map if app is not None else {}


def _current_server() -> Flask:
    from flask import current_app

    return current_app._get_current_object()


def dash_app_of(server: Flask):
    """The Dash app behind a Flask server (several apps may live in one process, e.g. in tests)."""
    view = server.view_functions.get("/_dash-layout")
    app = getattr(view, "__self__", None)
    return app if isinstance(app, dash.Dash) else None


#: What a callback raises when the values it was sent are not of the shape it expects.
INPUT_ERRORS = (TypeError, ValueError, KeyError, IndexError, AttributeError)


def _callback_error(exc: Exception):
    """Exceptions while answering: a value a callback cannot use (400) or a component file Dash does not
    serve (404) is the client's error, logged in one line; anything else is ours (500), its traceback
    logged once per cause. Debug mode and tests (``PROPAGATE_EXCEPTIONS``) get Flask's own handling."""
    if isinstance(exc, HTTPException):
        return exc
    from flask import current_app

    if current_app.debug or current_app.config.get("PROPAGATE_EXCEPTIONS") or current_app.testing:
        raise exc  # the debugger in debug mode, re-raised in tests
    if request.path.startswith(COMPONENT_SUITES) and isinstance(exc, DependencyException):
        log.info("404 %s: not a file Dash serves", request.path[:200])
        return _error(NotFound("no such component file"))
    if request.path == CALLBACK_ROUTE and isinstance(exc, INPUT_ERRORS):
        log.info("callback %s rejected its inputs: %s", _output_of_request(), type(exc).__name__)
        return _plain("Bad callback request: the callback cannot use these values.", 400)
    log_unexpected(exc)
    return _error(ServerError("the server failed to answer; the fault is logged"))


def is_json_path(path: str) -> bool:
    """Whether errors on ``path`` are answered as JSON: the API, downloads, images, feeds and the
    status, under an election (``/e/<id>/download/…``) or not."""
    if path.startswith(JSON_PREFIXES):
        return True
    if path.startswith("/e/"):
        inner = "/" + path[3:].partition("/")[2]
        return inner.startswith(ELECTION_JSON_PARTS)
    return False


def _error(exc: ApiError) -> Response:
    if is_json_path(request.path):
        return error_response(exc)
    return _plain(exc.detail[:1].upper() + exc.detail[1:] + ".", exc.status)


def cause_of(exc: BaseException) -> tuple:
    """What tells two failures apart: the exception's type and where it was raised."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    where = (tb.tb_frame.f_code.co_filename, tb.tb_lineno) if tb is not None else ("", 0)
    return (type(exc).__qualname__, *where)


def log_unexpected(exc: BaseException) -> None:
    """One line per 500; the traceback the first time its cause is seen (in this process)."""
    cause = cause_of(exc)
    what = f"500 on {request.method} {request.path[:200]}: {type(exc).__name__}"
    if cause in TRACEBACKS_LOGGED:
        log.error("%s (traceback logged before: %s:%s)", what, *cause[1:])
        return
    if len(TRACEBACKS_LOGGED) < TRACEBACKS_MAX:
        TRACEBACKS_LOGGED.add(cause)
    log.error(what, exc_info=exc)


def _output_of_request() -> str:
    try:
        return str((request.get_json(silent=True) or {}).get("output"))[:200]
    except Exception:
        return "?"


# --- status and headers --------------------------------------------------------------------------------


def page_exists(path: str) -> bool:
    """Whether a browser path is one of the registered pages (with a known unit or chart)."""
    path_id = path.strip("/")
    for page in dash.page_registry.values():
        if page.get("module", "").rsplit(".", 1)[-1] == NOT_FOUND_MODULE:
            continue
        template = page.get("path_template")
        if template:
            variables = _match_template(template.strip("/"), path_id)
            if variables is not None:
                return all(PATH_VARIABLE_CHECKS.get(k, lambda _v: True)(v) for k, v in variables.items())
        elif path_id == page["path"].strip("/"):
            return True
    return False


@cache
def _template_pattern(template: str) -> tuple[re.Pattern, tuple[str, ...]]:
    names = tuple(re.findall(r"<([^>]+)>", template))
    pattern = re.escape(template)
    for name in names:
        pattern = pattern.replace(re.escape(f"<{name}>"), "([^/]+)")
    return re.compile(f"^{pattern}$"), names


def _match_template(template: str, path_id: str) -> dict[str, str] | None:
    pattern, names = _template_pattern(template)
    m = pattern.match(path_id)
    return dict(zip(names, m.groups(), strict=True)) if m else None


CSP_EXTENSION = "saylau_csp"
#: The policy of every answer that is not a page (SVG and PNG images, downloads, API JSON). An SVG opened
#: on its own is a document: it may keep its inline styles (plotly writes style attributes) and embedded
#: ``data:`` pictures, but runs nothing and fetches nothing — a ``fill:url(http://…)`` that came with a
#: name from the files, or anything else, makes no request from the reader's browser.
RESOURCE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def content_security_policy(server: Flask, frame_ancestors: str) -> str:
    if CSP_EXTENSION not in server.extensions:
        app = dash_app_of(server)
        # computed on the first page served, when every clientside callback has been registered
        hashes = " ".join(app.csp_hashes()) if app is not None else ""
        server.extensions[CSP_EXTENSION] = (
            "default-src 'self'; "
            f"script-src 'self' {hashes}; "
            "style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; "
            "font-src 'self' data:; "
            "connect-src 'self'; "
            "object-src 'none'; "
            "base-uri 'self'; "
            "form-action 'self'; "
            "frame-ancestors {frame_ancestors}"
        )
    return server.extensions[CSP_EXTENSION].format(frame_ancestors=frame_ancestors)


def _headers(resp: Response) -> Response:
    resp.headers["X-Content-Type-Options"] = "nosniff"
    resp.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    if resp.mimetype != "text/html":
        resp.headers["Content-Security-Policy"] = RESOURCE_CSP
        return resp
    from flask import current_app

    embed = "/embed/" in request.path
    resp.headers["Content-Security-Policy"] = content_security_policy(
        current_app._get_current_object(), "*" if embed else "'self'"
    )
    if (
        request.endpoint in INDEX_ENDPOINTS
        and request.method in ("GET", "HEAD")
        and resp.status_code == 200
        and not page_exists(request.path)
    ):
        resp.status_code = 404
    return resp
