"""The figure cache: shared between workers through a real Redis, keyed by data version, never fatal."""

from __future__ import annotations

import logging
import threading

import flask
import plotly.graph_objects as go
import pytest
import redis

from dashboard import cache as cache_module
from dashboard.cache import (
    KEY_PREFIX,
    SafeRedisCache,
    cache,
    cached_figure,
    figure_key,
    get_or_compute,
    init_cache,
    memoize_by_version,
)
from dashboard.config import Config


class Counter:
    """A computation that counts how often it really ran."""

    def __init__(self, value="fresh"):
        self.calls = 0
        self.value = value

    def __call__(self):
        self.calls += 1
        return self.value


def make_app(redis_url: str = "", timeout: int = 3600) -> flask.Flask:
    server = flask.Flask(f"worker-{id(object())}")
    init_cache(server, Config(redis_url=redis_url, cache_timeout=timeout))
    return server


def backend(server: flask.Flask):
    return server.extensions["cache"][cache]


def test_figure_key_is_readable_and_stable():
    assert figure_key("map", 3, "mazhilis_party_list", "kk") == "map:s1:v3:mazhilis_party_list:kk"
    assert figure_key("bar", 1, "astana/0123", 5, None) == "bar:s1:v1:astana/0123:5:null"
    complex_part = {"b": [1, 2], "a": "Қазақстан"}
    k1 = figure_key("x", 1, complex_part)
    assert k1 == figure_key("x", 1, {"a": "Қазақстан", "b": [1, 2]})  # order-independent, not hash()
    assert k1.startswith("x:s1:v1:h") and len(k1) < 40
    assert figure_key("x", 1, "a b") != figure_key("x", 1, "a_b")


def test_dev_uses_in_process_cache():
    server = make_app()
    assert type(backend(server)).__name__ == "SimpleCache"
    compute = Counter()
    with server.app_context():
        assert cached_figure("map", 1, "kz", compute=compute) == "fresh"
        assert cached_figure("map", 1, "kz", compute=compute) == "fresh"
        assert compute.calls == 1
        assert cached_figure("map", 2, "kz", compute=compute) == "fresh"  # new version: a miss
        assert compute.calls == 2


def test_outside_an_app_everything_is_computed():
    compute = Counter()
    assert cached_figure("map", 1, compute=compute) == "fresh"
    assert cached_figure("map", 1, compute=compute) == "fresh"
    assert compute.calls == 2


def test_none_is_not_cached():
    server = make_app()
    compute = Counter(value=None)
    with server.app_context():
        get_or_compute("k", compute)
        get_or_compute("k", compute)
    assert compute.calls == 2


def test_memoize_by_version_first_argument():
    server = make_app()
    calls = []

    @memoize_by_version("summary")
    def summary(version, contest, unit="kz"):
        calls.append((version, contest, unit))
        return {"version": version, "contest": contest, "unit": unit}

    with server.app_context():
        assert summary(1, "mazhilis_party_list")["version"] == 1
        assert summary(1, "mazhilis_party_list") == {
            "version": 1,
            "contest": "mazhilis_party_list",
            "unit": "kz",
        }
        summary(1, "mazhilis_party_list", unit="astana")
        summary(2, "mazhilis_party_list")
    assert calls == [(1, "mazhilis_party_list", "kz"), (1, "mazhilis_party_list", "astana"),
                     (2, "mazhilis_party_list", "kz")]  # fmt: skip
    assert summary.uncached(7, "x") == {"version": 7, "contest": "x", "unit": "kz"}


def test_memoize_by_version_callable():
    server = make_app()
    current = {"v": 1}
    calls = []

    @memoize_by_version(version=lambda: current["v"])
    def shares(contest):
        calls.append(contest)
        return len(calls)

    with server.app_context():
        assert shares("c") == 1
        assert shares("c") == 1
        current["v"] = 2
        assert shares("c") == 2
    with pytest.raises(TypeError):
        memoize_by_version("k")(lambda: 1)()


@pytest.mark.redis
def test_value_cached_by_one_worker_is_read_by_another(redis_server):
    worker1, worker2 = make_app(redis_server), make_app(redis_server)
    assert isinstance(backend(worker1), SafeRedisCache)
    fig = go.Figure(go.Bar(x=["amanat", "auyl"], y=[53.9, 10.9]))
    compute1, compute2 = Counter(fig), Counter("should not run")
    with worker1.app_context():
        first = cached_figure("bar", 4, "mazhilis_party_list", "en", compute=compute1)
    with worker2.app_context():
        second = cached_figure("bar", 4, "mazhilis_party_list", "en", compute=compute2)
    assert compute1.calls == 1 and compute2.calls == 0
    assert first is fig and second.to_dict() == fig.to_dict()

    client = redis.Redis.from_url(redis_server)
    keys = [k.decode() for k in client.keys("*")]
    assert keys == [f"{KEY_PREFIX}bar:s1:v4:mazhilis_party_list:en"]
    ttl = client.ttl(keys[0])
    assert 0 < ttl <= 3600  # CACHE_DEFAULT_TIMEOUT = Config.cache_timeout


@pytest.mark.redis
def test_new_version_misses_without_flush(redis_server):
    worker1, worker2 = make_app(redis_server), make_app(redis_server)
    with worker1.app_context():
        cached_figure("map", 1, "kz", compute=lambda: "version 1")
    compute = Counter("version 2")
    with worker2.app_context():
        assert cached_figure("map", 2, "kz", compute=compute) == "version 2"
        assert cached_figure("map", 2, "kz", compute=compute) == "version 2"
        assert cached_figure("map", 1, "kz", compute=compute) == "version 1"
    assert compute.calls == 1


@pytest.mark.redis
def test_cache_timeout_from_config(redis_server):
    server = make_app(redis_server, timeout=60)
    with server.app_context():
        cached_figure("t", 1, compute=lambda: 1)
    client = redis.Redis.from_url(redis_server)
    assert 0 < client.ttl(f"{KEY_PREFIX}t:s1:v1") <= 60


@pytest.mark.redis
def test_redis_down_still_computes(redis_server, caplog, monkeypatch):
    server = make_app(redis_server)
    compute = Counter()
    with server.app_context():
        assert cached_figure("map", 1, compute=compute) == "fresh"
        assert cached_figure("map", 1, compute=compute) == "fresh"
        assert compute.calls == 1

        redis_server.stop()
        with caplog.at_level(logging.WARNING, logger="dashboard.cache"):
            for _ in range(5):
                assert cached_figure("map", 1, compute=compute) == "fresh"
                assert cached_figure("map", 2, compute=compute) == "fresh"
        assert compute.calls == 11
        warnings = [r for r in caplog.records if "Redis cache unavailable" in r.getMessage()]
        assert len(warnings) == 1  # once per outage, not once per request
        assert not backend(server).available  # skipped for a while instead of timing out every call

        # the plain flask-caching API on the same backend does not raise either
        assert cache.get("anything") is None
        assert cache.set("anything", 1) is False

        # after retry_after, Redis is tried again (still down: a miss, no exception)
        monkeypatch.setattr(backend(server), "retry_after", 0.0)
        backend(server)._down_until = 0.0
        assert cached_figure("map", 3, compute=compute) == "fresh"


@pytest.mark.redis
def test_redis_never_reachable():
    # Nothing listens on port 1: the app must still serve.
    server = make_app("redis://127.0.0.1:1/0")
    compute = Counter()
    with server.app_context():
        assert cached_figure("map", 1, compute=compute) == "fresh"
        assert cached_figure("map", 1, compute=compute) == "fresh"
    assert compute.calls == 2


@pytest.mark.redis
def test_redis_recovers_after_outage(redis_server, redis_factory, monkeypatch):
    server = make_app(redis_server)
    monkeypatch.setattr(SafeRedisCache, "retry_after", 0.0)
    redis_server.stop()
    with server.app_context():
        assert cached_figure("m", 1, compute=lambda: "x") == "x"
    # a new server: point the same backend's client at it (as if Redis came back)
    b = backend(server)
    b._write_client = b._read_client = redis.Redis.from_url(redis_factory())
    compute = Counter()
    with server.app_context():
        cached_figure("m", 1, compute=compute)
        cached_figure("m", 1, compute=compute)
    assert compute.calls == 1 and b.available and not b._down


def test_unpicklable_value_is_served_uncached():
    server = make_app()
    lock = threading.Lock()  # cannot be pickled
    with server.app_context():
        assert get_or_compute("lock", lambda: lock) is lock


def test_password_is_not_logged():
    assert cache_module._safe_url("redis://:secret@host:6379/0") == "redis://***@host:6379/0"
    assert cache_module._safe_url("redis://host:6379/0") == "redis://host:6379/0"
