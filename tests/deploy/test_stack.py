"""Through nginx (deploy/local.sh): the hardening headers, status codes and limits reach the client, the
static files are nginx's own, GETs are micro-cached, and slow clients cannot take the site offline."""

from __future__ import annotations

import re
import socket
import statistics
import threading
import time

import pytest

from dashboard.web.hardening import MAX_BODY_BYTES


def test_pages_carry_the_security_headers(stack, dt):
    status, headers, body = dt.request(stack.port, "GET", "/e/kz-2023-03-19/turnout?lang=en")
    assert status == 200 and b"_dash-renderer" in body
    csp = headers["content-security-policy"]
    assert "script-src 'self' 'sha256-" in csp and "frame-ancestors 'self'" in csp
    assert "object-src 'none'" in csp and "base-uri 'self'" in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    _s, embed, _b = dt.request(stack.port, "GET", "/e/kz-2023-03-19/embed/map?lang=en")
    assert "frame-ancestors *" in embed["content-security-policy"]


@pytest.mark.parametrize("path", ["/no-such-page", "/e/kz-2023-03-19/region/atlantis", "/e/kz-2023-03-19/embed/pie"])
def test_unknown_pages_are_404_with_the_friendly_page(stack, dt, path):
    status, headers, body = dt.request(stack.port, "GET", path)
    assert status == 404, path
    assert headers["content-type"].startswith("text/html") and b"_dash-renderer" in body


def test_a_body_over_the_limit_is_refused_with_413(stack, dt):
    body = b"x" * (MAX_BODY_BYTES + 1)
    status, _h, _b = dt.request(
        stack.port, "POST", "/_dash-update-component", body, {"Content-Type": "application/json"}
    )
    assert status == 413
    # just under the limit gets through to the app, which answers a malformed callback with 400
    status, _h, text = dt.request(
        stack.port, "POST", "/_dash-update-component", b"{" * 1000, {"Content-Type": "application/json"}
    )
    assert status == 400 and text.startswith(b"Bad callback request")


def test_static_files_are_served_by_nginx_with_immutable_caching(stack, dt):
    _s, _h, page = dt.request(stack.port, "GET", "/")
    scripts = [p.split('"')[0] for p in page.decode().split('src="')[1:]]
    suite = next(s for s in scripts if s.startswith("/_dash-component-suites/dash/dash-renderer/"))
    asset = next(s for s in scripts if s.startswith("/assets/plotly-saylau.min.js?m="))
    for path in (suite, asset):
        status, headers, _b = dt.request(stack.port, "GET", path, headers={"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers["cache-control"] == "public, max-age=31536000, immutable", path
        assert headers["content-encoding"] == "gzip", path
        assert "x-cache" not in headers, path  # nginx's own file, never proxied
    for geo in ("/geodata/regions.geojson", "/geodata/units_2022.geojson"):  # today's 20 units, 2019's 17
        status, headers, _b = dt.request(stack.port, "GET", geo)
        assert status == 200 and headers["content-type"] == "application/geo+json" and "x-cache" not in headers, geo
        assert headers["cache-control"] == "public, max-age=86400", geo


def test_gets_are_micro_cached_and_posts_naming_no_version_are_not(stack, dt):
    path = f"/e/kz-2023-03-19/download/shares.csv?lang=en&probe={time.monotonic_ns()}"
    first = dt.request(stack.port, "GET", path)
    second = dt.request(stack.port, "GET", path)
    assert first[0] == second[0] == 200 and first[2] == second[2]
    assert first[1]["x-cache"] == "MISS" and second[1]["x-cache"] == "HIT"
    body = dt.page_callback("/e/kz-2023-03-19/turnout")
    post = dt.request(
        stack.port, "POST", "/_dash-update-component", body, {"Content-Type": "application/json"}
    )
    assert post[0] == 200 and post[1].get("x-cache") in (None, "BYPASS", "MISS")


def _slow_client(port: int, stop: threading.Event, opened: list) -> None:
    """Sends a request's headers one line every 3 s, never finishing (a slowloris)."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError:
        return
    try:
        s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\n")
        opened.append(s)  # connected and half-way through its headers
        n = 0
        while not stop.wait(3):
            s.sendall(f"X-Slow-{n}: {'a' * 20}\r\n".encode())
            n += 1
    except OSError:
        pass  # nginx closed it (client_header_timeout)
    finally:
        s.close()


def test_slow_header_clients_do_not_stall_normal_ones(stack, dt):
    stop = threading.Event()
    opened: list = []
    slow = [
        threading.Thread(target=_slow_client, args=(stack.port, stop, opened), daemon=True) for _ in range(50)
    ]
    for t in slow:
        t.start()
    try:
        dt.wait_until(lambda: len(opened) == 50, 20, f"50 slow clients connected ({len(opened)})")
        times, statuses = [], []
        for i in range(150):
            # a third of them reach an app worker (unique URL), the rest are micro-cache hits
            path = f"/_dash-layout?probe={i}" if i % 3 == 0 else "/e/kz-2023-03-19/turnout?lang=en"
            start = time.perf_counter()
            status, _h, _b = dt.request(stack.port, "GET", path, timeout=10)
            times.append(time.perf_counter() - start)
            statuses.append(status)
    finally:
        stop.set()
        for t in slow:
            t.join(timeout=10)
    assert statuses == [200] * len(statuses)
    p99 = statistics.quantiles(times, n=100)[98]
    assert p99 < 0.2, f"p99 {p99 * 1000:.0f} ms with 50 slow clients"


def test_link_previews_behind_nginx_name_the_address_readers_use(stack, dt):
    """og:image is absolute (scrapers need it): behind nginx it keeps nginx's port, which the app learns
    from X-Forwarded-Host/Port (deploy/proxy.conf), trusted only with SAYLAU_TRUST_PROXY=1."""
    status, _h, html = dt.request(stack.port, "GET", "/?lang=en", headers={"Host": f"127.0.0.1:{stack.port}"})
    assert status == 200
    match = re.search(rb'property="og:image" content="([^"]+)"', html)
    assert match, html[:400]
    # the front page is the newest vote's home (the 2026 referendum: its shares, no chamber)
    assert match.group(1).decode().startswith(f"http://127.0.0.1:{stack.port}/e/kz-2026-03-15/image/shares.png")
