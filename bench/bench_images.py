"""Chart images (``/image/<chart>.png|svg``): the cost of a render and of a cached answer, and of drawing
the share cards ahead when a version is published.

Prints, per chart: the first render (kaleido starting its Chromium when the process has none), a render
in the warm Chromium, and the cached answer (the HTTP cache, in process). Then ``prerender_images`` (2
headline charts × 3 languages) from cold. No Redis: the in-process tier only. Run:
``python bench/bench_images.py``.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.app import create_app  # noqa: E402
from dashboard.charts import CHARTS  # noqa: E402
from dashboard.components import data as data_module  # noqa: E402
from dashboard.config import Config  # noqa: E402
from dashboard.web import fastcache  # noqa: E402


def timed(client, url: str) -> tuple[float, str]:
    start = time.perf_counter()
    resp = client.get(url)
    assert resp.status_code == 200, (url, resp.status_code)
    return time.perf_counter() - start, resp.headers.get("X-Saylau-Cache", "")


def main() -> None:
    app = create_app(Config(data_dir=tempfile.mkdtemp()))
    client = app.server.test_client()
    print(f"{'chart':<12}{'first (s)':>10}{'warm (s)':>10}{'cached (ms)':>13}")
    for i, chart in enumerate(CHARTS):
        first, state = timed(client, f"/e/kz-2023-03-19/image/{chart}.png?lang=en")
        assert state == "miss"
        warm, state = timed(client, f"/e/kz-2023-03-19/image/{chart}.png?lang=ru")
        assert state == "miss"
        hits = [timed(client, f"/e/kz-2023-03-19/image/{chart}.png?lang=en&n={n}")[0] for n in range(20)]
        label = f"{first:.2f}" + (" *" if i == 0 else "")
        print(f"{chart:<12}{label:>10}{warm:>10.2f}{statistics.median(hits) * 1000:>13.2f}")
    print("* includes starting the process's Chromium")

    cold = create_app(Config(data_dir=tempfile.mkdtemp()))
    with cold.server.app_context():
        current, version = data_module.version_key(), data_module.version()
    start = time.perf_counter()
    n = fastcache.prerender_images(cold.server, cold.server.test_client(), current, version)
    print(f"prerender_images: {n} images in {time.perf_counter() - start:.2f} s (Chromium already running)")


if __name__ == "__main__":
    main()
