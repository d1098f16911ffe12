"""Start and stop ``deploy/local.sh`` from Python: the deploy tests and the benchmarks drive the real
stack (nginx, two gunicorn instances, Redis) through this.

    with LocalStack(data_dir) as stack:
        requests.get(stack.url + "turnout")
        stack.kill_app(1)          # SIGKILL one whole instance (its process group)
        stack.kill_redis()
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

DEPLOY = Path(__file__).resolve().parent
LOCAL_SH = DEPLOY / "local.sh"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalStack:
    """``deploy/local.sh PORT DATA_DIR`` as a context manager; ``info`` holds its NAME=VALUE lines."""

    def __init__(
        self, data_dir: Path, port: int | None = None, timeout: float = 120, env: dict | None = None
    ):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.timeout = timeout
        self.env = {**os.environ, **(env or {})}
        self.info: dict[str, str] = {}
        self.process: subprocess.Popen | None = None
        self.output: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self) -> LocalStack:
        self.process = subprocess.Popen(
            ["bash", str(LOCAL_SH), str(self.port), str(self.data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=self.env,
            start_new_session=True,
        )
        deadline = time.monotonic() + self.timeout
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.output.append(line)
            if "=" in line and line.split("=", 1)[0].isupper():
                key, value = line.split("=", 1)
                self.info[key] = value
            if line == "READY":
                return self
            if time.monotonic() > deadline:
                break
        self.stop()
        raise RuntimeError("deploy/local.sh did not start:\n" + "\n".join(self.output[-40:]))

    def kill_app(self, n: int) -> None:
        """SIGKILL app instance ``n`` (1 or 2), master and workers: a crash, not a shutdown."""
        os.killpg(int(self.info[f"APP{n}_PID"]), signal.SIGKILL)

    def kill_redis(self) -> None:
        os.killpg(int(self.info["REDIS_PID"]), signal.SIGKILL)

    def alive(self, pid_key: str) -> bool:
        try:
            os.kill(int(self.info[pid_key]), 0)
        except ProcessLookupError:
            return False
        return True

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> LocalStack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
