"""The front door: a repeat hit on page content answered before Flask builds a request.

Most requests on election night are the same few routing-callback bodies again. Through Flask each hit
still pays for a request context, routing and every hook — about a third of its cost — so this WSGI
middleware answers a body it has seen, for the served version, with the bytes already in this worker's
LRU and the final headers Flask sent for the same key. Anything it is not sure of goes through Flask.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from dashboard.web.fastcache.keys import MEMO_SIZE, small_length
from dashboard.web.fastcache.tiers import HEADER, accepts_gzip

if TYPE_CHECKING:
    from dashboard.web.fastcache import FastCache

#: Where ``before_request`` leaves a request's cache key for the front door (``FrontDoor``).
KEY_ENVIRON = "saylau.fastcache.key"


class FrontDoor:
    """WSGI middleware: a repeat hit on page content answered before Flask builds a request.

    Through Flask a hit still pays for a request context, routing and every ``before``/``after_request``
    hook (the callback-body check, security headers, compression) — about a third of its cost. The front
    door answers a routing-callback body it has seen before, for the served version, with the bytes in
    this worker's LRU and the *final* headers Flask sent for the same key and encoding (security headers
    included), learnt from the previous answer that went through Flask. Only clients accepting gzip (every
    browser) or sending no ``Accept-Encoding`` at all are answered here. Anything else — a new body, a new
    version, a client refusing gzip, an entry only in Redis — goes through Flask as before.
    """

    def __init__(self, wsgi_app, fast: FastCache):
        self.wsgi_app = wsgi_app
        self.fast = fast
        self.path = fast.callback_endpoint
        self._wire: dict[tuple[str, bool], list[tuple[str, str]]] = {}
        self.answered = 0  # how many requests the front door answered (tests assert it is used)

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self.path:
            return self.wsgi_app(environ, start_response)
        raw = _read_small_json(environ)
        if raw is None:
            return self.wsgi_app(environ, start_response)
        accept = environ.get("HTTP_ACCEPT_ENCODING")
        if accept is None:
            gz = False  # no header: the plain bytes (no compression layer will touch them)
        elif accepts_gzip(accept):
            gz = True
        else:  # rare; the compression layer may choose brotli
            return self.wsgi_app(environ, start_response)
        key = self.fast.known_key(raw) or self._key_of_new_body(raw)
        wire = self._wire.get((key, gz)) if key is not None else None
        stored = self.fast.tiers.local(key) if wire is not None else None
        if stored is not None:
            body = stored.gzipped if gz else stored.body
            start_response("200 OK", [*wire, ("Content-Length", str(len(body)))])
            self.answered += 1
            return [body]
        return self.wsgi_app(environ, self._learning(environ, start_response, gz))

    def _key_of_new_body(self, raw: bytes) -> str | None:
        """A body not seen before (a shared link's ``fbclid`` makes every one new): its canonical key,
        read here so that a decorated URL of a stored view also skips Flask. Any doubt: None (Flask)."""
        try:
            return self.fast.route_key_of(raw)
        except Exception:  # malformed or unexpected: Flask and its checks answer it
            return None

    def _learning(self, environ, start_response, gz: bool):
        """``start_response`` that remembers the headers of a hit Flask answered with the stored bytes."""

        def learn(status, headers, exc_info=None):
            key = environ.get(KEY_ENVIRON)
            names = {h.lower(): v for h, v in headers}
            same_bytes = names.get("content-encoding") == ("gzip" if gz else None)
            if key and status.startswith("200") and names.get(HEADER.lower()) == "hit" and same_bytes:
                if len(self._wire) >= MEMO_SIZE:
                    self._wire.clear()
                self._wire[(key, gz)] = [(h, v) for h, v in headers if h.lower() not in ("content-length", "date")]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return learn


def _read_small_json(environ) -> bytes | None:
    """The body of a small JSON POST, read once and put back for Flask; None for anything else."""
    length = environ.get("CONTENT_LENGTH") or ""
    if not small_length(length):
        return None
    if not (environ.get("CONTENT_TYPE") or "").startswith("application/json"):
        return None
    raw = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw
