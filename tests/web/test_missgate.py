"""Cache misses take turns (``dashboard.web.missgate``): slots shared through real file locks, a busy
miss answered 503 at once while hits are still served, render on publish leaving a slot to visitors, a
dead holder's slot freed by the kernel, and at most half a worker's threads waiting."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from dashboard.web import fastcache
from dashboard.web.missgate import MissGate

from .test_fastcache import CALLBACK, body, cache_state, make_app, page


def test_slots_are_shared_between_gates_on_the_same_folder(tmp_path):
    a, b = MissGate(tmp_path, 2), MissGate(tmp_path, 2)
    first, second = a.try_take(), b.try_take()
    assert first is not None and second is not None
    assert a.try_take() is None and b.try_take() is None  # two slots, both held, whoever asks
    first.release()
    assert b.try_take() is not None


def test_background_work_leaves_the_first_slot_to_visitors(tmp_path):
    gate = MissGate(tmp_path, 2)
    background = gate.try_take(spare_one=True)
    assert background is not None
    assert gate.try_take(spare_one=True) is None  # the only other slot is the visitors'
    assert gate.try_take() is not None
    # with a single slot, background work may use it (nothing would ever be prerendered otherwise)
    assert MissGate(tmp_path / "one", 1).try_take(spare_one=True) is not None


def test_a_killed_holders_slot_is_free_at_once(tmp_path):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from dashboard.web.missgate import MissGate; "
            "s = MissGate(sys.argv[1], 1).try_take(); print('held' if s else 'none', flush=True); time.sleep(60)",
            str(tmp_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        gate = MissGate(tmp_path, 1)
        assert gate.try_take() is None
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait(10)
        assert gate.take(5.0) is not None  # no lock file left behind holds it: the kernel dropped it
    finally:
        holder.kill()


def test_at_most_the_allowed_threads_wait_and_the_rest_are_refused_at_once(tmp_path):
    gate = MissGate(tmp_path, 1, waiters=1)
    held = gate.try_take()
    assert held is not None
    waited: list[float] = []

    def wait():
        started = time.monotonic()
        gate.take(1.0)
        waited.append(time.monotonic() - started)

    waiter = threading.Thread(target=wait)
    waiter.start()
    deadline = time.monotonic() + 5
    while gate.waiters._value != 0 and time.monotonic() < deadline:  # the waiter is waiting
        time.sleep(0.01)
    started = time.monotonic()
    assert gate.take(1.0) is None
    assert time.monotonic() - started < 0.5  # refused at once, not after the second
    waiter.join()
    assert waited and waited[0] >= 0.9  # the one allowed to wait did wait for the slot


@pytest.fixture
def busy_app(tmp_path):
    """An app whose one miss slot is held by someone else (another worker drawing)."""
    app = make_app(tmp_path / "data")
    fast = app.server.extensions[fastcache.EXTENSION]
    fast.gate = MissGate(tmp_path / "gate", 1, waiters=1)
    return app, fast


def test_a_miss_with_no_free_slot_is_told_to_come_back_and_a_hit_is_still_served(busy_app, monkeypatch):
    app, fast = busy_app
    monkeypatch.setattr(fastcache, "VISITOR_WAIT_S", 0.2)
    client = app.server.test_client()
    assert cache_state(page(client, "/turnout")) == "miss"  # drawn while the slot was free
    held = fast.gate.try_take()
    assert held is not None
    try:
        image = client.get("/e/kz-2023-03-19/image/chamber.png?lang=ru")
        assert image.status_code == 503
        assert image.headers["Retry-After"] == "2"
        assert image.headers["Cache-Control"] == "no-store"
        view = client.post(CALLBACK, data=body("/", "?lang=kk"), content_type="application/json")
        assert view.status_code == 503 and cache_state(view) == "busy"
        assert cache_state(page(client, "/turnout")) == "hit"
        csv = client.get("/e/kz-2023-03-19/download/shares.csv?lang=en")
        assert csv.status_code == 503
    finally:
        held.release()
    assert cache_state(page(client, "/", "?lang=kk")) == "miss"  # a turn again: drawn, then stored
    assert cache_state(page(client, "/", "?lang=kk")) == "hit"


def test_a_frozen_version_that_was_never_published_takes_no_slot_and_no_key(busy_app):
    app, fast = busy_app
    client = app.server.test_client()
    held = fast.gate.try_take()
    try:
        resp = client.get("/e/kz-2023-03-19/download/shares.csv?lang=en&v=99")
        assert resp.status_code == 404  # the route's answer, not the gate's 503
    finally:
        held.release()


def test_nginx_may_keep_only_routing_answers_for_the_served_version(tmp_path):
    app = make_app(tmp_path / "data")
    client = app.server.test_client()
    miss = page(client, "/turnout", data_version=0)
    hit = page(client, "/turnout", data_version=0)
    assert (cache_state(miss), cache_state(hit)) == ("miss", "hit")
    assert (
        miss.headers["X-Accel-Expires"] == hit.headers["X-Accel-Expires"] == str(fastcache.NGINX_POST_TTL_S)
    )
    # a page holding a version that is not served: drawn by Dash, never kept by nginx
    other = client.post(CALLBACK, data=body("/turnout", "", 7), content_type="application/json")
    assert other.headers["X-Accel-Expires"] == "0"
    # a callback that is not the routing one (the header's status line, a map click…)
    junk = client.post(CALLBACK, data=b'{"output": "x.children"}', content_type="application/json")
    assert junk.headers["X-Accel-Expires"] == "0"
    assert (
        "X-Accel-Expires" not in client.get("/e/kz-2023-03-19/download/shares.csv?lang=en").headers
    )  # GETs: nginx's own rule


@pytest.mark.parametrize("accept", ["gzip;q=0", "br;q=0, gzip;q=0", "gzip; q=0.0, br;q=0"])
def test_a_client_refusing_every_coding_gets_the_plain_body(tmp_path, accept):
    app = make_app(tmp_path / "data")
    client = app.server.test_client()
    for path in ("/e/kz-2023-03-19/download/shares.csv?lang=en", "/e/kz-2023-03-19/status.json", "/e/kz-2023-03-19/turnout"):
        resp = client.get(path, headers={"Accept-Encoding": accept})
        assert resp.status_code == 200, path
        assert "Content-Encoding" not in resp.headers, (path, resp.headers.get("Content-Encoding"))
    view = client.post(
        CALLBACK, data=body("/"), content_type="application/json", headers={"Accept-Encoding": accept}
    )
    assert "Content-Encoding" not in view.headers
    assert view.data.startswith(b"{")
    resp = client.get("/e/kz-2023-03-19/download/shares.csv?lang=en", headers={"Accept-Encoding": "gzip;q=0, br"})
    assert resp.headers.get("Content-Encoding") == "br"  # the one it takes
