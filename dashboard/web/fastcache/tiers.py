"""Where cached answers are kept: an in-process LRU bounded by bytes, then Redis (raw bytes, never pickles).

A hit in this worker's memory costs nothing but the lookup; Redis shares each answer between the workers
and instances, and holds the locks single flight and render on publish take. Every Redis fault is a
miss (the view is drawn again), never an error. ``Stored`` is the unit kept: the answer's bytes, their
gzip (made once, when stored) and the headers that go with them.
"""

from __future__ import annotations

import contextlib
import gzip
import threading
from dataclasses import dataclass

import cachetools
import flask
import orjson

from dashboard.cache import KEY_PREFIX, SafeRedisCache, cache

HEADER = "X-Saylau-Cache"


@dataclass(frozen=True)
class Stored:
    """One cached answer: its body, the body gzip-compressed once (a browser always accepts gzip, and
    compressing ~90 KB costs more than the whole hit), and the headers that go with them."""

    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes

    @classmethod
    def of(cls, headers: tuple[tuple[str, str], ...], body: bytes) -> Stored:
        return cls(headers, body, gzip.compress(body, compresslevel=6, mtime=0))

    def pack(self) -> bytes:
        """Raw bytes for Redis: a JSON line (headers, body length), the body, the gzipped body."""
        return orjson.dumps([self.headers, len(self.body)]) + b"\n" + self.body + self.gzipped

    @classmethod
    def unpack(cls, raw: bytes) -> Stored:
        head, _, rest = raw.partition(b"\n")
        headers, length = orjson.loads(head)
        return cls(tuple(tuple(h) for h in headers), rest[:length], rest[length:])

    def response(self, state: str, accept_encoding: str) -> flask.Response:
        encode = accepts_gzip(accept_encoding)
        content_type, *others = self.headers
        resp = flask.Response(self.gzipped if encode else self.body, status=200, content_type=content_type[1])
        headers = resp.headers
        for name, value in others:
            headers[name] = value
        if encode:
            headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        headers[HEADER] = state
        return resp


def accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip: a browser's plain list at a glance, anything with
    weights (``gzip;q=0``) through werkzeug's parser."""
    if "gzip" not in accept_encoding:
        return False
    if "q=" not in accept_encoding:
        return True
    from werkzeug.http import parse_accept_header

    return parse_accept_header(accept_encoding)["gzip"] > 0


class Tiers:
    """The in-process LRU (bounded by bytes) in front of Redis; every Redis fault is a miss."""

    def __init__(self, server: flask.Flask, max_bytes: int, timeout: int):
        self.server = server
        self.timeout_ms = max(1, timeout) * 1000
        self._local = cachetools.LRUCache(
            maxsize=max_bytes, getsizeof=lambda s: len(s.body) + len(s.gzipped) + 200
        )
        self._lock = threading.Lock()

    def redis(self) -> SafeRedisCache | None:
        backend = self.server.extensions.get("cache", {}).get(cache)
        return backend if isinstance(backend, SafeRedisCache) else None

    @staticmethod
    def _name(backend: SafeRedisCache, key: str) -> str:
        return (backend.key_prefix or KEY_PREFIX) + key

    def local(self, key: str) -> Stored | None:
        with self._lock:
            return self._local.get(key)

    def _remember(self, key: str, stored: Stored) -> None:
        # a value larger than the whole tier (ValueError) stays in Redis only
        with self._lock, contextlib.suppress(ValueError):
            self._local[key] = stored

    def get(self, key: str) -> Stored | None:
        stored = self.local(key)
        if stored is not None:
            return stored
        backend = self.redis()
        if backend is None:
            return None
        raw = backend.raw("get", None, lambda r: r.get(self._name(backend, key)))
        if raw is None:
            return None
        stored = Stored.unpack(raw)
        self._remember(key, stored)
        return stored

    def put(self, key: str, stored: Stored) -> None:
        self._remember(key, stored)
        backend = self.redis()
        if backend is not None:
            name, raw = self._name(backend, key), stored.pack()
            backend.raw("set", None, lambda r: r.set(name, raw, px=self.timeout_ms))

    def lock(self, key: str, token: str, ms: int) -> bool | None:
        """Take the lock ``key`` for ``ms``: True, False (someone holds it) or None (no Redis: no shared lock)."""
        backend = self.redis()
        if backend is None or not backend.available:
            return None
        name = self._name(backend, "lock:" + key)
        return backend.raw("lock", None, lambda r: bool(r.set(name, token, nx=True, px=ms)))

    def locked(self, key: str) -> bool:
        backend = self.redis()
        if backend is None:
            return False
        name = self._name(backend, "lock:" + key)
        return bool(backend.raw("exists", 0, lambda r: r.exists(name)))

    def unlock(self, key: str, token: str) -> None:
        """Release the lock if it is still ours (it may have expired and been taken by another)."""
        backend = self.redis()
        if backend is None:
            return
        name = self._name(backend, "lock:" + key)
        backend.raw("unlock", None, lambda r: r.eval(_UNLOCK, 1, name, token))


_UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"
