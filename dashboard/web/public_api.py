"""The public read-only JSON API under ``/api/v1/``: every election served (``/api/v1/elections``), and
under ``/api/v1/elections/<id>/`` one election's results by unit in
raw integers, turnout through the day and seats, for newsrooms and anyone who wants the figures.

``install(server)`` (from ``create_app``) adds the routes of ``api_routes.ROUTES`` (what each answers),
among them ``/api/v1/openapi.json`` (``api_schema``: every ``/api/v1/`` route the server has); requests
are checked by ``api_params``. This module is the HTTP around them.

Why it is built this way:

- One request serves one data version (``data.served()``), so a body never mixes two versions; the body
  of a (version key, path, canonical query) is computed once per process and kept in a bounded LRU memo,
  so a crowd asking for the same figures costs a dict lookup each.
- The ETag is derived from the version key, the path and the canonical query; a client that sends it
  back gets 304. ``Cache-Control: public, max-age=5``: on election night a new version may come every
  minute, so shared caches may keep an answer for seconds, not longer.
- ``Access-Control-Allow-Origin: *``: the data is public and read-only; any page may read it.
- "Not reported" is JSON ``null``, never 0: a missing figure is not a zero.
- Clients get JSON errors ``{"error", "detail"}`` (``api_params.ApiError``, the same shape as the audit
  trail's, the downloads' and the images'): 404 for an unknown election, contest or unit (and any other
  path under ``/api/v1/``), 400 for a malformed or unknown query parameter, 405 for writing methods
  (POST, PUT, DELETE…) with ``Allow``; OPTIONS is answered by Flask with ``Allow`` and no body.
- ``/api/v1/`` itself is an index: the OpenAPI document and every route.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from urllib.parse import urlencode

import werkzeug.exceptions
from cachetools import LRUCache
from flask import Response, current_app, request

from dashboard.components import data as data_module
from dashboard.web.api_params import PREFIX, ApiError, MethodNotAllowed, NotFound, canonical_query, check_key
from dashboard.web.api_routes import ROUTES

CACHE_CONTROL = "public, max-age=5"
#: Bytes of bodies remembered per process (least recently used go first): a version's national and
#: regional answers are a few hundred KB; station-by-station requests cannot grow a worker past this.
MEMO_BYTES = 16 * 2**20
EXTENSION = "saylau_public_api"
ALLOWED_METHODS = ("GET", "HEAD")


# --- the memo ------------------------------------------------------------------------------------------


class BodyMemo:
    """JSON bodies per (version key, path, canonical query): built on the first request, then reused."""

    def __init__(self, max_bytes: int = MEMO_BYTES):
        self._bodies: LRUCache = LRUCache(maxsize=max_bytes, getsizeof=len)
        self._lock = threading.Lock()
        self.computed = 0  # bodies built (the tests assert the memo is hit, not rebuilt)

    def get(self, key: tuple, build: Callable[[], dict]) -> bytes:
        with self._lock:
            got = self._bodies.get(key)
        if got is not None:
            return got
        body = encode(build())  # outside the lock: a slow body must not hold up other paths
        with self._lock:
            if len(body) <= self._bodies.maxsize:  # cachetools refuses a value larger than the whole cache
                self._bodies[key] = body
            self.computed += 1
        return body

    @property
    def bytes(self) -> int:
        return int(self._bodies.currsize)


def encode(doc: dict) -> bytes:
    """Compact UTF-8 JSON; NaN is refused (a missing figure must already be None)."""
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


def etag_of(version_key: str, path: str, query: str) -> str:
    return hashlib.sha256(f"{version_key}\n{path}\n{query}".encode()).hexdigest()[:24]


# --- requests ------------------------------------------------------------------------------------------


def json_response(body: bytes, status: int = 200) -> Response:
    resp = Response(body, status=status, mimetype="application/json")
    resp.headers["Cache-Control"] = CACHE_CONTROL
    return resp


def error_response(exc: ApiError) -> Response:
    resp = json_response(encode(exc.body()), exc.status)
    if exc.status == 405:
        resp.headers["Allow"] = ", ".join(ALLOWED_METHODS)
    return resp


def serve(handler: Callable[..., dict], allowed: tuple[str, ...], path_args: dict) -> Response:
    """Answer one API request: validate, look the body up in the memo (or build it), ETag and 304."""
    memo: BodyMemo = current_app.extensions[EXTENSION]
    try:
        query = canonical_query(allowed)
        if "election_id" in path_args:  # the election the path names is the request's
            check_key("election id", path_args["election_id"])
            try:
                data_module.use_election(path_args["election_id"])
            except data_module.UnknownElection:
                raise NotFound(f"no election {str(path_args['election_id'])[:60]!r}; see {PREFIX}/elections") from None
        version, election, version_key = data_module.served()
        if getattr(handler, "every_election", False):  # its answer changes with any election's version
            version_key = "|".join(data_module.source().served(e)[2] for e in data_module.source().ids())
        canonical = urlencode(sorted(query.items()))
        key = (version_key, request.path, canonical)
        body = memo.get(key, lambda: handler(election, version, version_key, query, **path_args))
    except ApiError as exc:
        return error_response(exc)
    etag = etag_of(version_key, request.path, canonical)
    if request.if_none_match.contains_weak(etag):
        resp = Response(status=304)
        resp.headers["Cache-Control"] = CACHE_CONTROL
    else:
        resp = json_response(body)
    resp.set_etag(etag)
    return resp


# --- installing ----------------------------------------------------------------------------------------


def _not_found(rest: str = ""):
    """Any other GET under ``/api/v1/``: a JSON 404 (Dash's catch-all page route would otherwise answer
    an unknown API path with the HTML app)."""
    return error_response(NotFound(f"there is no API route {request.path[:120]!r}; see {PREFIX}/openapi.json"))


def _method_not_allowed(exc: werkzeug.exceptions.MethodNotAllowed):
    """POST, PUT, DELETE… on an API route: a JSON 405 naming the methods there are."""
    if not request.path.startswith(PREFIX + "/"):
        return exc
    resp = error_response(MethodNotAllowed(f"{request.method[:20]} is not allowed here: the API is read-only "
                                           f"(GET and HEAD)"))
    resp.headers["Allow"] = ", ".join(sorted(exc.valid_methods or ALLOWED_METHODS))
    return resp


def _cors(resp: Response) -> Response:
    if request.path.startswith(PREFIX + "/"):
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Access-Control-Expose-Headers"] = "ETag"
    return resp


def _view(endpoint: str, handler: Callable[..., dict], allowed: tuple[str, ...]):
    def view(**path_args):
        return serve(handler, allowed, path_args)

    view.__name__ = endpoint
    return view


def install(server) -> BodyMemo:
    """Add the public API to the Flask server; returns its memo (also ``server.extensions``)."""
    memo = BodyMemo()
    server.extensions[EXTENSION] = memo
    for rule, endpoint, handler, allowed in ROUTES:
        server.add_url_rule(rule, endpoint, _view(endpoint, handler, allowed), methods=["GET"])
    server.add_url_rule(PREFIX + "/<path:rest>", "saylau_api_not_found", _not_found, methods=["GET"])
    server.register_error_handler(werkzeug.exceptions.MethodNotAllowed, _method_not_allowed)
    server.after_request(_cors)
    return memo
