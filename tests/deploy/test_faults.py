"""Faults under load through the deploy/ stack: a crashed app instance costs at most the requests it was
serving; a crashed Redis costs nothing (the cache degrades to computing)."""

from __future__ import annotations

import time

PAGES = ["/", "/e/kz-2023-03-19/turnout", "/e/kz-2023-03-19/region/almaty", "/e/kz-2023-03-19/maslikhats", "/e/kz-2023-03-19/region/astana"]


def _page_requests(dt):
    def make(i):
        # the routing callback renders a page's content: not micro-cached (a POST), cached in Redis
        return "POST", "/_dash-update-component", dt.page_callback(PAGES[i % len(PAGES)])

    return make


def _port_open(addr: str) -> bool:
    import socket

    host, port = addr.split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


def test_killing_one_app_instance_fails_only_in_flight_requests(new_stack, dt):
    load = dt.Load(new_stack.port, _page_requests(dt), concurrency=4)
    with load:
        # every page served (and so the stack warm) before the crash
        dt.wait_until(lambda: len(load.successes()) >= 2 * len(PAGES), 60, "pages served before the kill")
        killed_at = time.monotonic()
        new_stack.kill_app(1)
        dt.wait_until(lambda: not _port_open(new_stack.info["APP1"]), 10, "app instance 1 gone")
        dt.wait_until(lambda: len(load.successes(since=killed_at + 0.5)) >= 2 * load.concurrency, 60,
                      "pages served after the kill")
    assert not _port_open(new_stack.info["APP1"])  # the instance really is gone
    before = [r for r in load.results if r[1] < killed_at]
    assert before and all(r[2] == 200 for r in before)
    # only requests in flight at the kill may fail: at most one per client thread
    failed = load.failures(since=killed_at)
    assert len(failed) <= load.concurrency, failed
    assert all(r[0] <= killed_at for r in failed), failed
    # and the site kept answering from the other instance
    assert len(load.successes(since=killed_at + 0.5)) >= 4


def test_killing_redis_under_load_fails_nothing(new_stack, dt):
    import redis

    load = dt.Load(new_stack.port, _page_requests(dt), concurrency=4)
    client = redis.Redis(port=int(new_stack.info["REDIS_PORT"]))
    with load:
        # the page contents really are served from Redis before it dies: every page cached and hit
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if client.dbsize() >= len(PAGES) and client.info("stats")["keyspace_hits"] >= 2 * len(PAGES):
                break
            time.sleep(0.2)
        else:
            raise AssertionError(f"Redis was not used: {client.dbsize()} keys, {client.info('stats')}")
        client.close()
        killed_at = time.monotonic()
        new_stack.kill_redis()
        port_gone = f"127.0.0.1:{new_stack.info['REDIS_PORT']}"
        dt.wait_until(lambda: not _port_open(port_gone), 10, "Redis gone")
        # every page requested again with Redis dead (each thread several times)
        dt.wait_until(lambda: len(load.successes(since=killed_at + 0.5)) >= 2 * len(PAGES), 60,
                      "pages served after Redis died")
    assert not _port_open(f"127.0.0.1:{new_stack.info['REDIS_PORT']}")
    assert load.failures() == []
    assert len(load.successes(since=killed_at)) >= 4
