"""The figure cache: Redis shared by the gunicorn workers in production, an in-process cache in development.

Everything expensive (figures, summaries) is cached under a key that contains the store's **data version**,
so a new version is never served stale and the cache never needs flushing: old entries simply stop being
asked for and expire after ``Config.cache_timeout`` seconds.

    from dashboard.cache import cached_figure, memoize_by_version

    fig = cached_figure("map", version, contest, lang, compute=lambda: build_map(election, contest, lang))

    @memoize_by_version("summary")
    def summary(version: int, contest: str, unit: str) -> dict: ...   # first argument: the data version

The cache must never take the site down: when Redis is configured but unreachable, every cache call is a
miss, the value is computed uncached and a warning is logged (once per outage). Calls made outside a Flask
app (the CLI, tests of figure code) or before ``init_cache`` simply compute.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

import flask
from flask_caching import Cache
from flask_caching.backends.rediscache import RedisCache

from dashboard.config import Config

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Every key starts with this (one Redis may serve other applications).
KEY_PREFIX = "saylau:"
#: Bump when the *shape* of cached values changes, so a deploy never reads the previous code's entries.
KEY_SCHEMA = 1
#: Seconds a Redis operation may take before it counts as "Redis is down".
REDIS_SOCKET_TIMEOUT = 0.5
#: After a Redis failure, skip Redis for this many seconds (each request would otherwise pay the timeout).
REDIS_RETRY_AFTER = 5.0

cache = Cache()


class SafeRedisCache(RedisCache):
    """flask-caching's RedisCache that never raises on connection problems.

    A Redis error turns the call into a miss (``get`` → None, ``set`` → False, …), logs one warning per
    outage, and makes the cache skip Redis for ``REDIS_RETRY_AFTER`` seconds before trying again.
    """

    retry_after = REDIS_RETRY_AFTER

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._down_until = 0.0
        self._down = False
        self._lock = threading.Lock()

    @classmethod
    def factory(cls, app, config, args, kwargs):
        import redis

        url = config.get("CACHE_REDIS_URL")
        if not url:
            return super().factory(app, config, args, kwargs)
        client = redis.Redis.from_url(
            url,
            socket_connect_timeout=REDIS_SOCKET_TIMEOUT,
            socket_timeout=REDIS_SOCKET_TIMEOUT,
            health_check_interval=30,
        )
        return cls(
            host=client,
            default_timeout=kwargs.get("default_timeout", 300),
            key_prefix=config.get("CACHE_KEY_PREFIX") or None,
        )

    @property
    def available(self) -> bool:
        """False while Redis is considered down (within ``retry_after`` of the last failure)."""
        return time.monotonic() >= self._down_until

    def _failed(self, op: str, exc: Exception) -> None:
        with self._lock:
            self._down_until = time.monotonic() + self.retry_after
            first = not self._down
            self._down = True
        if first:
            log.warning(
                "Redis cache unavailable (%s: %s: %s); serving uncached, retrying every %.0f s",
                op,
                type(exc).__name__,
                exc,
                self.retry_after,
            )

    def _ok(self) -> None:
        if self._down:
            with self._lock:
                was_down, self._down = self._down, False
            if was_down:
                log.warning("Redis cache is back")

    def _call(self, op: str, default: Any, *args: Any, **kwargs: Any) -> Any:
        import redis

        if not self.available:
            return default
        try:
            result = getattr(super(), op)(*args, **kwargs)
        except (redis.exceptions.RedisError, OSError) as exc:
            self._failed(op, exc)
            return default
        self._ok()
        return result

    def raw(self, op: str, default: Any, fn: Callable[[Any], Any]) -> Any:
        """``fn(client)`` with the redis client, under the same outage rules as every call here.

        For callers that keep raw bytes (``dashboard.web.fastcache``), which ``set`` would pickle.
        """
        import redis

        if not self.available:
            return default
        try:
            result = fn(self._write_client)
        except (redis.exceptions.RedisError, OSError) as exc:
            self._failed(op, exc)
            return default
        self._ok()
        return result

    def get(self, key):
        return self._call("get", None, key)

    def get_many(self, *keys):
        return self._call("get_many", [None] * len(keys), *keys)

    def get_dict(self, *keys):
        return self._call("get_dict", dict.fromkeys(keys), *keys)

    def set(self, key, value, timeout=None):
        return self._call("set", False, key, value, timeout)

    def add(self, key, value, timeout=None):
        return self._call("add", False, key, value, timeout)

    def set_many(self, mapping, timeout=None):
        return self._call("set_many", [], mapping, timeout)

    def has(self, key):
        return self._call("has", False, key)

    def delete(self, key):
        return self._call("delete", False, key)

    def delete_many(self, *keys):
        return self._call("delete_many", [], *keys)

    def clear(self):
        return self._call("clear", False)

    def inc(self, key, delta=1):
        return self._call("inc", None, key, delta)

    def dec(self, key, delta=1):
        return self._call("dec", None, key, delta)

    def unlink(self, *keys):
        return self._call("unlink", None, *keys)


def cache_settings(config: Config) -> dict[str, Any]:
    """The flask-caching settings for ``config`` (Redis when ``redis_url`` is set, else in-process)."""
    settings: dict[str, Any] = {
        "CACHE_DEFAULT_TIMEOUT": config.cache_timeout,
        "CACHE_KEY_PREFIX": KEY_PREFIX,
    }
    if config.redis_url:
        settings.update(CACHE_TYPE="dashboard.cache.SafeRedisCache", CACHE_REDIS_URL=config.redis_url)
    else:
        settings.update(CACHE_TYPE="SimpleCache", CACHE_THRESHOLD=2000)
    return settings


def init_cache(server: flask.Flask, config: Config) -> Cache:
    """Attach the cache to a Flask server (the Dash app's ``app.server``); returns the module's ``cache``."""
    cache.init_app(server, config=cache_settings(config))
    backend = server.extensions["cache"][cache]
    where = f" at {_safe_url(config.redis_url)}" if config.redis_url else ""
    log.info("figure cache: %s%s", type(backend).__name__, where)
    return cache


def _safe_url(url: str) -> str:
    """The Redis URL without its password, for logs."""
    head, sep, tail = url.rpartition("@")
    if not sep:
        return url
    scheme, _, _ = head.partition("://")
    return f"{scheme}://***@{tail}"


def _backend():
    """The current app's cache backend, or None outside an app / before ``init_cache``."""
    if not flask.has_app_context():
        return None
    return flask.current_app.extensions.get("cache", {}).get(cache)


def _part(value: Any) -> str:
    if (
        isinstance(value, str)
        and value
        and len(value) <= 64
        and all(c.isalnum() or c in "_-./" for c in value)
    ):
        return value
    if isinstance(value, bool | int) or value is None:
        return json.dumps(value)
    text = json.dumps(value, sort_keys=True, default=repr, ensure_ascii=False)
    return "h" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def figure_key(kind: str, version: int | str, *parts: Any) -> str:
    """The cache key of a computation: ``<kind>:s<schema>:v<version>:<part>:…`` (prefix ``saylau:`` added).

    Simple parts (keys, codes, languages, ints) stay readable; anything else is hashed (stable across
    processes, unlike ``hash()``).
    """
    return ":".join([kind, f"s{KEY_SCHEMA}", f"v{version}", *(_part(p) for p in parts)])


def get_or_compute(key: str, compute: Callable[[], T], timeout: int | None = None) -> T:
    """The cached value of ``key``, computing and storing it on a miss. Never raises because of the cache.

    ``None`` results are not cached (a None in the cache means "missing").
    """
    backend = _backend()
    if backend is None:
        return compute()
    try:
        value = backend.get(key)
    except Exception as exc:  # any backend fault is a miss, never an error page
        log.warning("cache get %s failed: %s: %s", key, type(exc).__name__, exc)
        value = None
    if value is not None:
        return value
    value = compute()
    if value is not None:
        try:
            backend.set(key, value, timeout=timeout)
        except Exception as exc:
            log.warning("cache set %s failed: %s: %s", key, type(exc).__name__, exc)
    return value


def cached_figure(
    kind: str, version: int | str, *parts: Any, compute: Callable[[], T], timeout: int | None = None
) -> T:
    """``compute()`` cached under ``figure_key(kind, version, *parts)``.

    ``version`` is the store's data version of the election the value is computed from.
    """
    return get_or_compute(figure_key(kind, version, *parts), compute, timeout)


def memoize_by_version(
    kind: str | None = None, *, version: Callable[[], int | str] | None = None, timeout: int | None = None
) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorator: cache a function's result under its arguments and the data version.

    With ``version=None`` the function's first positional argument *is* the data version
    (``def summary(version, contest, unit)``); otherwise ``version()`` is called for each call and the
    arguments are the parts. ``kind`` defaults to the function's qualified name.
    """

    def decorate(func: Callable[..., T]) -> Callable[..., T]:
        name = kind or f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            if version is None:
                if not args:
                    raise TypeError(f"{func.__qualname__}: the first argument must be the data version")
                v, parts = args[0], args[1:]
            else:
                v, parts = version(), args
            extra = (sorted(kwargs.items()),) if kwargs else ()
            key = figure_key(name, v, *parts, *extra)
            return get_or_compute(key, lambda: func(*args, **kwargs), timeout)

        wrapper.uncached = func  # type: ignore[attr-defined]
        return wrapper

    return decorate
