"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REDIS_SERVER = shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisURL(str):
    """The URL of a running test redis-server (a ``str``), with ``.stop()`` to kill it early."""

    process: subprocess.Popen
    port: int

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    @property
    def running(self) -> bool:
        return self.process.poll() is None


def start_redis_server(workdir: Path, timeout: float = 10.0) -> RedisURL:
    """Start ``redis-server`` on a free loopback port (no persistence) and wait until it answers PING."""
    import redis

    last_error: Exception | None = None
    for _attempt in range(3):  # the free port may be taken between choosing and binding it
        port = _free_port()
        log = (workdir / f"redis-{port}.log").open("wb")
        process = subprocess.Popen(
            [
                REDIS_SERVER,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
            ],  # fmt: skip
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        client = redis.Redis(port=port, socket_connect_timeout=0.2, socket_timeout=0.5)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if client.ping():
                    client.close()
                    url = RedisURL(f"redis://127.0.0.1:{port}/0")
                    url.process, url.port = process, port
                    return url
            except redis.exceptions.RedisError as exc:
                last_error = exc
            time.sleep(0.02)
        client.close()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    raise RuntimeError(f"redis-server did not answer PING: {last_error}")


@pytest.fixture
def redis_server(tmp_path_factory):
    """A real, empty redis-server for this test; yields its URL (``redis://127.0.0.1:PORT/0``).

    The yielded value is a ``str`` with ``.stop()`` (kill it now, e.g. to test "Redis is down") and ``.port``.
    """
    if REDIS_SERVER is None:
        pytest.skip("redis-server binary not found (Debian: apt-get install redis-server)")
    url = start_redis_server(tmp_path_factory.mktemp("redis"))
    try:
        yield url
    finally:
        url.stop()


@pytest.fixture
def redis_factory(tmp_path_factory):
    """Start extra redis-servers on demand (``url = redis_factory()``); all are killed after the test."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server binary not found (Debian: apt-get install redis-server)")
    started: list[RedisURL] = []

    def start() -> RedisURL:
        url = start_redis_server(tmp_path_factory.mktemp("redis"))
        started.append(url)
        return url

    try:
        yield start
    finally:
        for url in started:
            url.stop()
