"""The real production stack on loopback (``deploy/local.sh``: nginx, two gunicorn instances, Redis).

``stack`` is shared by the read-only tests of a module; fault tests start their own (``new_stack``),
since they kill parts of it. Skipped only when nginx or redis-server is not installed
(``scripts/test.sh`` installs them).
"""

from __future__ import annotations

import http.client
import json
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "deploy"))
from stack import LocalStack  # noqa: E402

MISSING = [b for b in ("nginx", "redis-server", "redis-cli") if shutil.which(b) is None]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.deploy)
            if MISSING:
                item.add_marker(pytest.mark.skip(reason=f"not installed: {', '.join(MISSING)}"))


def _start(tmp_path_factory) -> LocalStack:
    # the embedded 2023 package (an empty store); two workers per instance, as on a 2-core machine
    return LocalStack(tmp_path_factory.mktemp("data"), env={"SAYLAU_WORKERS": "2"}).start()


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    s = _start(tmp_path_factory)
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture
def new_stack(tmp_path_factory):
    s = _start(tmp_path_factory)
    try:
        yield s
    finally:
        s.stop()


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None, timeout=30):
    """One request on a fresh connection: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data
    finally:
        conn.close()


def page_callback(pathname: str, search: str = "?lang=en") -> bytes:
    """The body the Dash renderer POSTs to render a page's content (the Dash Pages routing callback)."""
    return json.dumps(
        {
            "output": ".._pages_content.children..._pages_store.data..",
            "outputs": [
                {"id": "_pages_content", "property": "children"},
                {"id": "_pages_store", "property": "data"},
            ],
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": pathname},
                {"id": "_pages_location", "property": "search", "value": search},
                {"id": "data-version", "property": "data", "value": None},
            ],
            "changedPropIds": ["_pages_location.pathname"],
        }
    ).encode()


@dataclass
class Load:
    """``concurrency`` threads sending requests in a loop until stopped; every outcome is recorded."""

    port: int
    make_request: object  # (i) -> (method, path, body)
    concurrency: int = 4
    results: list = field(default_factory=list)  # (start, end, status or exception name)

    def __post_init__(self):
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [
            threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(self.concurrency)
        ]

    def _run(self, n: int) -> None:
        i = n
        while not self._stop.is_set():
            method, path, body = self.make_request(i)
            headers = {"Content-Type": "application/json"} if body else {}
            start = time.monotonic()
            try:
                status, _h, _b = request(self.port, method, path, body, headers)
                outcome = status
            except Exception as exc:  # a failed request is a result, not a test error
                outcome = type(exc).__name__
            with self._lock:
                self.results.append((start, time.monotonic(), outcome))
            i += self.concurrency

    def __enter__(self) -> Load:
        for t in self._threads:
            t.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(timeout=60)

    def failures(self, since: float = 0.0) -> list:
        return [r for r in self.results if r[1] >= since and r[2] != 200]

    def successes(self, since: float = 0.0) -> list:
        return [r for r in self.results if r[0] >= since and r[2] == 200]


def wait_until(condition, timeout: float, what: str, poll: float = 0.1) -> None:
    """Return as soon as ``condition()`` holds; fail after ``timeout`` seconds saying ``what`` was awaited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g} s: {what}")
        time.sleep(poll)


@pytest.fixture
def dt():
    """The helpers above for the test modules (conftest is not importable under --import-mode=importlib)."""
    return SimpleNamespace(request=request, page_callback=page_callback, Load=Load, wait_until=wait_until)
