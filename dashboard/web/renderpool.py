"""Cache misses drawn in a process of their own, at a lower CPU priority than the cache hits.

A miss drawn in the worker that took it (a page view: ~0.1–0.3 s of Python; an image: plotly's figure
plus kaleido's Chromium) held the worker's interpreter lock, so the cache hits answered by the worker's
other threads waited for it (p99 0.4–0.6 s under a flood), and it took a core's share equal to theirs.
Here each gunicorn worker forks one *drawing process* when it starts (``gunicorn.conf.py``
``post_worker_init``, while the worker still has a single thread) and sends it every miss it is to draw:
the worker's thread only waits for the answer (no lock held), and the drawing process and the Chromium
it starts run ``SAYLAU_RENDER_NICE`` (default 10) steps nicer, so when the machine is busy the kernel
serves hits first. How many misses are drawn at once is the miss gate's business
(``dashboard.web.missgate``); the pool only says where.

The drawing process answers the request exactly as Flask would (its test client, the same app: forked),
pinned to the data version the worker keyed the miss by, and without the HTTP cache (the worker stores the
answer). Without gunicorn (``python -m dashboard``, the tests' clients) there is no pool: misses are
drawn in place, as before.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: In the environ of a request the drawing process answers: the data version to draw it from.
DRAWING_ENVIRON = "saylau.drawing_version"
#: How long a worker waits for its drawing process (a first image starts Chromium: ~3 s).
TIMEOUT_S = 30.0

_pool: ProcessPoolExecutor | None = None
_server = None


@dataclass(frozen=True)
class Drawn:
    """The drawing process's answer: status, headers (as Flask sent them, uncompressed) and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


def nice_level() -> int:
    value = os.environ.get("SAYLAU_RENDER_NICE", "10")
    return int(value) if value.lstrip("-").isdigit() else 10


def start(server) -> None:
    """Fork this worker's drawing process now (call while the worker has one thread: a fork copies no
    lock another thread holds). ``SAYLAU_RENDER_POOL=0`` keeps drawing in the workers."""
    global _pool, _server
    if os.environ.get("SAYLAU_RENDER_POOL", "1") in ("0", "false", ""):
        return
    _server = server
    context = multiprocessing.get_context("fork")
    _pool = ProcessPoolExecutor(
        max_workers=1, mp_context=context, initializer=_child_setup, initargs=(nice_level(), os.getpid())
    )
    _pool.submit(os.getpid).result(timeout=TIMEOUT_S)


def active() -> bool:
    return _pool is not None


def _child_setup(steps: int, worker: int) -> None:
    """In the drawing process: a lower priority, and an end when its worker ends (a worker killed with
    SIGKILL cannot stop it, and it must not outlive its instance)."""
    if steps > 0:
        os.nice(steps)
        _keep_children_nice()
    threading.Thread(target=_exit_with, args=(worker,), name="saylau-drawing-watch", daemon=True).start()


def _keep_children_nice() -> None:
    """Programs this process starts keep its priority: Chromium raises its own (to nice -8 for its GPU
    process) when it may, which it may as root — the usual case in a container. Dropping CAP_SYS_NICE
    from the capability bounding set (Linux ``prctl``) takes that right from every program it runs; as any
    other user there is nothing to drop, and where ``prctl`` is missing nothing happens."""
    import ctypes
    import ctypes.util

    pr_capbset_drop, cap_sys_nice = 24, 23  # <linux/prctl.h>, <linux/capability.h>
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(pr_capbset_drop, cap_sys_nice, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _exit_with(worker: int) -> None:
    while os.getppid() == worker:
        time.sleep(0.5)
    os._exit(0)


def draw(
    method: str, path: str, query: str, body: bytes, content_type: str | None, version: int
) -> Drawn | None:
    """The answer drawn by this worker's drawing process, or None when there is none (draw in place)."""
    global _pool
    if _pool is None:
        return None
    try:
        return _pool.submit(_answer, method, path, query, body, content_type, version).result(
            timeout=TIMEOUT_S
        )
    except BrokenProcessPool:  # the drawing process died (killed, out of memory): draw in place from now on
        log.error("the drawing process died; this worker draws its misses itself from now on")
        _pool = None
        return None


def _answer(method: str, path: str, query: str, body: bytes, content_type: str | None, version: int) -> Drawn:
    """In the drawing process: the request through the app, as Flask answers it, uncompressed."""
    client = _server.test_client()
    resp = client.open(
        path,
        method=method,
        query_string=query,
        data=body or None,
        content_type=content_type,
        environ_overrides={DRAWING_ENVIRON: version},
    )
    return Drawn(resp.status_code, tuple(resp.headers.items()), resp.get_data())
