"""Today's links keep working: the URLs of the one-election site answer ``301 Moved Permanently`` to the
same view of the 2023 election, the one they always showed (``/turnout?lang=ru`` ->
``/e/kz-2023-03-19/turnout?lang=ru``; the query is kept as it came).

Permanent, not to the default election: a link shared in 2023 meant the 2023 figures, and the default
election changes with every new vote. Only the old page paths and the old single-election API and feed
paths move; ``/`` is the front page (the default election's home) and stays.
"""

from __future__ import annotations

from flask import Flask, Response, request

from dashboard.components.data import PREFIX

#: The election every old URL meant: the only one the site served before it served several.
OLD_ELECTION = "kz-2023-03-19"
#: Old page paths (exactly, or as a folder) that move under ``/e/<OLD_ELECTION>``.
OLD_PAGES = ("/turnout", "/maslikhats", "/observers")
OLD_FOLDERS = ("/region/", "/embed/", "/download/", "/image/", "/feeds/")
#: Old API paths of the one election -> their place under the election.
OLD_API = {
    "/api/v1/status": f"{PREFIX}{OLD_ELECTION}/status.json",
    "/api/v1/versions": f"/api/v1/elections/{OLD_ELECTION}/versions",
    "/api/v1/flags": f"/api/v1/elections/{OLD_ELECTION}/flags",
}
OLD_DIFF = "/api/v1/versions/"
#: Browsers and proxies may keep a permanent redirect; a day is plenty and bounds a mistake.
CACHE_CONTROL = "public, max-age=86400"


def new_path(path: str) -> str | None:
    """Where an old path moved, or None (not an old path)."""
    if path in OLD_API:
        return OLD_API[path]
    if path.startswith(OLD_DIFF) and path.endswith("/diff"):
        return f"/api/v1/elections/{OLD_ELECTION}/versions/" + path[len(OLD_DIFF):]
    if path.rstrip("/") in OLD_PAGES or path.startswith(OLD_FOLDERS):
        return f"{PREFIX}{OLD_ELECTION}{path}"
    return None


def _redirect_old():
    if request.method not in ("GET", "HEAD"):
        return None
    moved = new_path(request.path)
    if moved is None:
        return None
    query = request.query_string.decode("latin-1")
    resp = Response(status=301)
    resp.headers["Location"] = moved + ("?" + query if query else "")
    resp.headers["Cache-Control"] = CACHE_CONTROL
    return resp


def install(server: Flask) -> None:
    """Answer old URLs with their redirect before anything else looks at them."""
    server.before_request_funcs.setdefault(None, []).insert(0, _redirect_old)
