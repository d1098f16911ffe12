"""What a request to the public API may say, and the errors it gets when it says something else.

Shared by the HTTP layer (``public_api``), the route handlers (``api_routes``) and the OpenAPI document
(``api_schema``): the patterns that check a unit, an election id or a contest key are the same strings the
document publishes, so what the document calls invalid is exactly what the server refuses with 400.
"""

from __future__ import annotations

import json
import re

from flask import Response, request

PREFIX = "/api/v1"
#: A unit: ``kz``, a region key, ``abroad``, or one station ``<region>/<code>``.
UNIT_PATTERN = r"^[a-z][a-z0-9_]{0,39}(/[A-Za-z0-9_.-]{1,40})?$"
#: An election id or a contest key as they appear in paths.
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,119}$"
_UNIT = re.compile(UNIT_PATTERN)
_KEY = re.compile(KEY_PATTERN)
class ApiError(Exception):
    """A client error answered as JSON ``{"error", "detail"}``: the one shape of every error of the API,
    the audit trail, downloads and images, so a client reads all of them with one parser."""

    status = 400
    error = "bad request"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail

    def body(self) -> dict:
        return {"error": self.error, "detail": self.detail}


class BadRequest(ApiError):
    status, error = 400, "bad request"


class NotFound(ApiError):
    status, error = 404, "not found"


class MethodNotAllowed(ApiError):
    status, error = 405, "method not allowed"


class ServerError(ApiError):
    """Ours, not the client's: answered in the same shape, without the details (those go to the log)."""

    status, error = 500, "internal error"


class NotReported(ApiError):
    """The figures asked for are not in the served data (a region without results): a 404 that says so,
    rather than an empty table a reader takes for zero."""

    status, error = 404, "not reported"


def error_response(exc: ApiError) -> Response:
    """The JSON answer of a client error; ``Cache-Control: no-cache`` (a fix of the data may answer it)."""
    body = json.dumps(exc.body(), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    resp = Response(body, status=exc.status, mimetype="application/json")
    resp.headers["Cache-Control"] = "no-cache"
    return resp


#: The one name every route takes and ignores: a cache-busting value (jQuery's ``cache: false`` adds
#: ``_=<timestamp>``; a journalist's live widget must not get 400 for it). Never part of a cache key.
CACHE_BUSTER = "_"
CACHE_BUSTER_MAX = 40


def canonical_query(allowed: tuple[str, ...]) -> dict[str, str]:
    """The request's query parameters, checked: only ``allowed`` names, each at most once, units well
    formed. Unknown names are refused rather than ignored, so a typo (``?units=``) is not silently the
    same as no parameter; only the cache-buster ``_`` is taken and dropped."""
    params: dict[str, str] = {}
    for name in request.args:
        values = request.args.getlist(name)
        if name == CACHE_BUSTER:
            if len(values) != 1 or len(values[0]) > CACHE_BUSTER_MAX:
                raise BadRequest(f"parameter '_' (a cache-buster, ignored) must be given once, at most "
                                 f"{CACHE_BUSTER_MAX} characters")
            continue
        if name not in allowed:
            takes = ", ".join(allowed) if allowed else "no parameters"
            raise BadRequest(f"unknown parameter {name[:40]!r}: this route takes {takes}")
        if len(values) != 1:
            raise BadRequest(f"parameter {name!r} given {len(values)} times; give it once")
        params[name] = values[0]
    unit = params.get("unit")
    if unit is not None and not _UNIT.match(unit):
        raise BadRequest(
            f"parameter 'unit' must be 'kz', a region key, 'abroad' or '<region>/<station>' "
            f"(pattern {UNIT_PATTERN}); got {unit[:60]!r}"
        )
    return params


def check_key(kind: str, value: str) -> str:
    """A path segment naming an election or contest, refused with 400 unless it has their form."""
    if not _KEY.match(value):
        raise BadRequest(f"{kind} must match {KEY_PATTERN}; got {value[:60]!r}")
    return value
