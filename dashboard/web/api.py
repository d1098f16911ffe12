"""``GET /e/<election>/status.json``: which data version of that election the site serves, and how far
its count has got (``/api/v1/status``, the one election's status of old, is a redirect to 2023's).

Every open page polls this every few seconds (``assets/saylau.js``), so it must cost about as much as a
bare Flask JSON route: the body is built once per version key and process and memoised; a request then
costs reading ``CURRENT`` and a dict lookup. The ETag is strong and derived from the version key, and
``Cache-Control: no-cache`` makes browsers and proxies revalidate every time (answered with 304 while
the version is unchanged). Behind nginx (deploy/) the same document is a file nginx serves
(``DATA_DIR/elections/<id>/public/status.json``, ``dashboard.live_status``); this route answers when
there is no nginx, or no file. An election that is not served is a JSON 404.
"""

from __future__ import annotations

import hashlib
import threading

from flask import Response, request

from dashboard import live_status
from dashboard.components import data as data_module
from dashboard.web.api_params import NotFound, error_response

STATUS_ROUTE = "/e/<election_id>/status.json"
#: Version keys remembered per process; a new version every few seconds needs only the newest few of
#: each election open in a browser.
MEMO_SIZE = 16


class StatusMemo:
    """The status body and ETag per version key: computed on the first request for that key."""

    def __init__(self, size: int = MEMO_SIZE):
        self.size = size
        self._bodies: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()
        self.computed = 0  # how many bodies were built (the tests assert the memo is hit)

    def get(self, key: str) -> tuple[bytes, str]:
        got = self._bodies.get(key)
        if got is not None:
            return got
        with self._lock:
            got = self._bodies.get(key)
            if got is None:
                got = self._bodies[key] = _build(key)
                self.computed += 1
                for old in list(self._bodies)[: -self.size]:
                    self._bodies.pop(old, None)
        return got


def status_body(key: str) -> dict:
    """The status of the version this request is pinned to (``key`` is its version key)."""
    updated = live_status.updated_of(data_module.status())
    return live_status.document(data_module.election(), data_module.version(), key, updated)


def etag_of(key: str) -> str:
    """A strong ETag for a version key (hashed: the key holds the election id, any text)."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def _build(key: str) -> tuple[bytes, str]:
    return live_status.encode(status_body(key)), etag_of(key)


def install(server) -> StatusMemo:
    """Add ``GET /e/<election>/status.json`` to the Flask server; returns its memo (``server.extensions``)."""
    memo = StatusMemo()
    server.extensions["saylau_status"] = memo

    @server.route(STATUS_ROUTE, methods=["GET"])
    def api_status(election_id: str):
        try:
            data_module.use_election(election_id)
        except data_module.UnknownElection:
            return error_response(NotFound(f"no election {election_id[:60]!r}; see /api/v1/elections"))
        key = data_module.version_key()
        body, etag = memo.get(key)
        if request.if_none_match.contains(etag):
            resp = Response(status=304)
        else:
            resp = Response(body, mimetype="application/json")
        resp.set_etag(etag)
        resp.headers["Cache-Control"] = "no-cache"
        # Behind deploy/'s nginx the polls are answered from DATA_DIR/elections/<id>/public/status.json (live_status) and
        # this route only when that file is missing; no nginx cache may keep an old version (an nginx
        # micro-cache kept it up to 2 s and answered pages the copy from before the publish).
        resp.headers["X-Accel-Expires"] = "0"
        return resp

    return memo
