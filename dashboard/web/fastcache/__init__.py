"""Cached views that cost nothing: the stored HTTP answer of a page view, served before Dash runs.

A page's content is the answer to one request, Dash Pages' routing callback (``POST
/_dash-update-component`` whose output is ``_pages_content.children``); a chart's data is ``GET
/download/<chart>.csv``. Caching the component tree (``dashboard.pages.cached_layout``) still leaves
Dash's callback dispatch and the JSON serialisation of ~100 KB on every request (~4 ms of CPU, 0.05× a
bare Flask endpoint). Here the *serialised response* is cached and answered from a ``before_request``
hook, so a hit costs about what any small Flask answer costs.

- **Key** (``keys``): the page's canonical view state (``dashboard.pages.ViewState``: validated parameters
  only, defaults removed, ``lang`` normalised, ``fbclid``/``utm_*``/anything unknown ignored) plus
  ``version_key()``. A new version, of the same election or another, is a new key: never stale.
- **Tiers** (``tiers``): an in-process LRU bounded by bytes, then Redis (raw bytes, never pickles), then a
  render.
- **Single flight** (``singleflight``): a miss renders once per key across all workers (Redis ``SET NX
  PX`` lock; the others wait and re-read, and render themselves only if the holder is slow or gone);
  within a worker, a per-key lock.
- **Render on publish** (``prerender``): the first worker to see a new ``version_key()`` renders the
  default views in a background thread, once across workers (Redis lock).
- **Front door** (``frontdoor``): a repeat hit answered before Flask builds a request.

This module holds the hooks that tie them to one app (``FastCache``) and ``install``.

Responses carry ``X-Saylau-Cache: hit|miss``. Only requests whose body is exactly the routing callback a
browser sends are answered from the cache (or stored): anything else goes to Dash untouched, so a crafted
request can neither read another view's entry nor store a different answer under a view's key.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time

import flask
from dash._pages import _path_to_page

from dashboard.cache import SafeRedisCache, cache
from dashboard.components import data as data_module
from dashboard.web import renderpool
from dashboard.web.fastcache import keys
from dashboard.web.fastcache.frontdoor import KEY_ENVIRON, FrontDoor
from dashboard.web.fastcache.keys import CSV_ENDPOINT, IMAGE_ENDPOINT, MEMO_BODY, MEMO_SIZE, RouteSpec
from dashboard.web.fastcache.prerender import (
    PRERENDER_ENVIRON,
    PRERENDER_WAIT_S,
    default_views,
    prerender,
    prerender_images,
    route_body,
)
from dashboard.web.fastcache.singleflight import Pending, SingleFlight
from dashboard.web.fastcache.tiers import HEADER, Stored, Tiers
from dashboard.web.missgate import (
    RETRY_AFTER_S,
    VISITOR_WAIT_S,
    MissGate,
    Slot,
    default_folder,
    default_slots,
)

#: What other modules and the tests use (the rest is in the submodules, where the code reads it).
__all__ = [
    "EXTENSION",
    "HEADER",
    "NGINX_POST_TTL_S",
    "VISITOR_WAIT_S",
    "FastCache",
    "Stored",
    "Tiers",
    "busy",
    "default_views",
    "install",
    "prerender",
    "prerender_images",
    "route_body",
]

log = logging.getLogger(__name__)

EXTENSION = "saylau-fastcache"
#: Response headers stored with the body besides its Content-Type (the rest is the same for every answer).
KEEP_HEADERS = (
    "Content-Disposition",
    "Cache-Control",
    "X-Saylau-Election",
    "X-Saylau-Version",
    "X-Saylau-Version-Key",
    "X-Saylau-Source",
)
#: The downloads' types (``dashboard.charts.export``) stored besides the routing callback's JSON.
STORED_TYPES = (
    "application/json",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/png",
    "image/svg+xml",
)
#: Default size of the in-process tier (per worker): the default views of a version are ~8 MB.
LOCAL_BYTES = 32 * 1024 * 1024
#: nginx keeps a routing callback's answer for the served version this long (``X-Accel-Expires``; the
#: version is in the body, so the answer never changes; ``deploy/postcache.conf``). Short all the same: a
#: data dir wiped and re-ingested reuses version numbers.
NGINX_POST_TTL_S = 10


class FastCache:
    """The hooks of one app: the key of a request, the lookup, single flight and storing."""

    def __init__(self, app, max_bytes: int, timeout: int, gate: MissGate | None = None):
        self.app = app
        self.gate = gate or MissGate(default_folder(), default_slots())
        self.server = app.server
        self.tiers = Tiers(self.server, max_bytes, timeout)
        self.flight = SingleFlight(self.tiers)
        self.callback_endpoint = app.config.routes_pathname_prefix + "_dash-update-component"
        self.source = app.server.extensions[data_module.EXTENSION]
        self._spec: RouteSpec | None = None
        self._pages: dict[str, tuple] = {}  # pathname -> Dash's (page, path variables)
        self._states: dict[tuple, str | None] = {}  # (version key, page, own parameters) -> key
        #: body -> (election of its path or None, that election's version key, its key)
        self._bodies: dict[bytes, tuple[str | None, str | None, str | None]] = {}
        self._seen: dict[str, str] = {}  # election id -> the newest version key seen of it
        self._looked = False  # whether the publish watch has looked once (its first look draws the default only)

    # --------------------------------------------------------------- keys (``keys`` computes them)

    def key(self) -> str | None:
        """The cache key of the current request, or None: not a cacheable view (Dash answers it)."""
        request = flask.request._get_current_object()  # one proxy lookup, not one per attribute
        endpoint = request.endpoint
        try:
            if endpoint == self.callback_endpoint and request.method == "POST":
                return self._route_key(request)
            if endpoint == CSV_ENDPOINT and request.method == "GET":
                return self._csv_key(request)
            if endpoint == IMAGE_ENDPOINT and request.method == "GET":
                return self._image_key(request)
        except Exception as exc:  # a view the validation rejects is Dash's to answer (or to refuse)
            log.debug("fastcache: no key (%s: %s)", type(exc).__name__, exc)
        return None

    def known_key(self, raw: bytes) -> str | None:
        """The key of a routing-callback body already read for the served version of its election, else
        None: no parsing, no request context (the front door asks this before Flask runs)."""
        seen = self._bodies.get(raw)
        if seen is None or seen[2] is None:
            return None
        election, version_key, key = seen
        try:
            return key if self.source.served(election)[2] == version_key else None
        except Exception:  # an election no longer served: Flask answers
            return None

    def route_spec(self) -> RouteSpec | None:
        if self._spec is None:
            self._spec = keys.route_spec_of(self.app.callback_map)
        return self._spec

    def _route_key(self, request: flask.Request) -> str | None:
        """The key of a routing callback: from a memo of the exact body (for this version) when the body
        was seen before, the usual case on election night; else read from the body."""
        environ = request.environ
        if not keys.is_json(environ.get("CONTENT_TYPE", "")):
            return None
        if not keys.small_length(environ.get("CONTENT_LENGTH", "")):
            return None
        return self.route_key_of(request.get_data(cache=True))

    def route_key_of(self, raw: bytes) -> str | None:
        """The key of a routing-callback body, remembered per exact body with the election its pathname
        names (None: the front page, the default election's) and that election's version key. Inside a
        request, the request is pinned to that election and version (``data.use_election``), so what is
        drawn on a miss is what the key says."""
        seen = self._bodies.get(raw)
        if seen is not None and seen[1] is not None and self._served(seen[0])[2] == seen[1]:
            return seen[2]
        election, version_key, key = self._read_route(raw)
        if version_key is not None and len(raw) <= MEMO_BODY:
            if len(self._bodies) >= MEMO_SIZE:  # bounded: every junk parameter is a new body
                self._bodies.clear()
            self._bodies[raw] = (election, version_key, key)
        return key

    def _served(self, election: str | None) -> tuple:
        """(version, election, version key) of ``election`` (None: the default one): this request's pin
        inside a request, else what is served now."""
        if flask.has_request_context():
            data_module.use_election(election)
            return data_module.served()
        return self.source.served(election)

    def _read_route(self, raw: bytes) -> tuple[str | None, str | None, str | None]:
        """(election of the path, its version key, the body's key) of a routing body; (…, None, None)
        when there is nothing to remember it by (not a page view, an election that is not served)."""
        location = keys.route_location(raw, self.route_spec())
        if location is None:
            return None, None, None
        pathname, search, asked = location
        page, path_variables = self._page_of(pathname)
        layout = page.get("layout") if page else None
        if getattr(layout, "view", None) is None:  # the 404 page: cheap, keyed by nothing a visitor varies
            return None, None, None
        election = (path_variables or {}).get("election")
        if election is not None and not self.source.knows(election):
            return None, None, None  # the not-found page (until that election is ingested)
        version, model, version_key = self._served(election)
        if not keys.asks_served(asked, model.id, version):
            return election, version_key, None
        # the path's election stays among the values: a query naming ``election`` too is refused
        return election, version_key, self._page_key(layout, search, path_variables, model, version_key)

    def _page_of(self, pathname: str) -> tuple:
        found = self._pages.get(pathname)
        if found is None:
            found = _path_to_page(self.app.strip_relative_path(pathname))
            if len(self._pages) >= MEMO_SIZE:  # bounded: any path may be asked for
                self._pages.clear()
            self._pages[pathname] = found
        return found

    def _page_key(self, layout, search: str, path_variables: dict, election, version_key: str) -> str | None:
        view = layout.view
        values = keys.page_values(search, path_variables, view.params)
        if values is None:
            return None
        # the canonical state depends only on the page's own parameters: a link decorated with a new
        # fbclid each time reuses the key computed for the same parameters (no canonical function run)
        own = (version_key, layout.page, keys.own_values(values, view.params))
        known = self._states.get(own, False)
        if known is not False:
            return known
        if flask.has_app_context():
            state = view.state(election, values)
        else:  # the front door: a page's canonical function may read the figure cache
            with self.app.server.app_context():
                state = view.state(election, values)
        key = self._keyed(version_key, keys.page_key(version_key, layout.page, state))
        if len(self._states) >= MEMO_SIZE:  # bounded: any parameter value may be asked for
            self._states.clear()
        self._states[own] = key
        return key

    def _csv_key(self, request: flask.Request) -> str | None:
        from dashboard.charts import VIEW
        from dashboard.charts.export import MIMETYPES

        args = {k: v for k, v in request.args.items()}  # first values, as the download route reads them
        view_args = request.view_args or {}
        served = data_module.served()
        key = keys.download_key(
            args, view_args.get("chart"), view_args.get("fmt", "csv"), served, VIEW.state, MIMETYPES
        )
        return self._keyed(served[2], key)

    def _image_key(self, request: flask.Request) -> str | None:
        """An image's key: the chart's canonical state (as a download's), its format and size."""
        from dashboard.charts import VIEW
        from dashboard.charts.images import FORMATS, SIZES

        args = {k: v for k, v in request.args.items()}
        view_args = request.view_args or {}
        served = data_module.served()
        key = keys.image_key(
            args, view_args.get("chart"), view_args.get("fmt"), served, VIEW.state, FORMATS, SIZES
        )
        return self._keyed(served[2], key)

    def _keyed(self, version_key: str, key: str | None) -> str | None:
        """``key``, after starting render on publish if it is the first key of a new version."""
        if key is not None and version_key != self._seen.get(election_of_key(version_key)):
            self._saw(version_key)
        return key

    # --------------------------------------------------------------- hooks

    def before_request(self):
        drawing = flask.request.environ.get(renderpool.DRAWING_ENVIRON)
        if drawing is not None:  # the drawing process answers a worker's miss: that version, no cache
            if data_module.use_version(drawing, load=True, select=True) != drawing.get("version"):
                return busy()
            return None
        key = self.key()
        if key is None:
            return None
        flask.request.environ[KEY_ENVIRON] = key  # for the front door (FrontDoor) to learn its headers
        stored = self.tiers.get(key)
        if stored is None:
            stored = self.flight.wait_or_take(key)
        if isinstance(stored, Pending):  # this request draws the miss, holding the key's locks
            pending = flask.g.saylau_fastcache = stored
            pending.slot = self._take_turn()
            if pending.slot is None:
                self.flight.release(flask.g.pop("saylau_fastcache"))
                return busy()
            return self._draw_elsewhere(key)
        return stored.response("hit", flask.request.environ.get("HTTP_ACCEPT_ENCODING", ""))

    def _take_turn(self) -> Slot | None:
        """A miss slot for the miss this request is to draw, or None: every slot is busy (answer 503).
        A page view waits a moment at most (holding a thread), an image or a download not at all;
        render on publish's own requests wait as long as it takes, and leave one slot to visitors."""
        if flask.request.environ.get(PRERENDER_ENVIRON):
            return self.gate.take(PRERENDER_WAIT_S, spare_one=True)
        if flask.request.endpoint == self.callback_endpoint:
            return self.gate.take(VISITOR_WAIT_S)
        return self.gate.take(0.0)

    def _draw_elsewhere(self, key: str) -> flask.Response | None:
        """The miss drawn by this worker's drawing process (``renderpool``) and stored, or None: no such
        process here (``python -m dashboard``, tests), so Flask draws it in this thread."""
        request = flask.request
        drawn = renderpool.draw(
            request.method,
            request.path,
            request.environ.get("QUERY_STRING", ""),
            request.get_data(cache=True),
            request.content_type,
            data_module.page_version(),  # the election and version the key was computed for
        )
        if drawn is None:
            return None
        headers = dict(drawn.headers)
        content_type = headers.get("Content-Type", "text/plain")
        kept = tuple((h, headers[h]) for h in KEEP_HEADERS if h in headers)
        mimetype = content_type.split(";")[0].strip()
        if drawn.status == 200 and mimetype in STORED_TYPES and "Content-Encoding" not in headers:
            stored = Stored.of((("Content-Type", content_type), *kept), drawn.body)
            self.tiers.put(key, stored)
            return stored.response("miss", request.environ.get("HTTP_ACCEPT_ENCODING", ""))
        resp = flask.Response(drawn.body, drawn.status, content_type=content_type)
        for name, value in kept:
            resp.headers[name] = value
        if "Retry-After" in headers:
            resp.headers["Retry-After"] = headers["Retry-After"]
        return resp

    def wrap_view(self, view):
        """``view`` storing its answer when this request renders a miss. The answer is taken as the view
        returns it, before any ``after_request`` hook (compression, headers) changes it."""

        @functools.wraps(view)
        def storing_view(*args, **kwargs):
            rv = view(*args, **kwargs)
            pending = flask.g.get("saylau_fastcache")
            if pending is None:
                return rv
            resp = flask.current_app.make_response(rv)
            if (
                resp.status_code == 200
                and not resp.direct_passthrough
                and "Content-Encoding" not in resp.headers
                and resp.mimetype in STORED_TYPES
            ):
                headers = (("Content-Type", resp.content_type),) + tuple(
                    (h, resp.headers[h]) for h in KEEP_HEADERS if h in resp.headers
                )
                self.tiers.put(pending.key, Stored.of(headers, resp.get_data()))
            resp.headers[HEADER] = "miss"
            return resp

        return storing_view

    def after_request(self, resp: flask.Response) -> flask.Response:
        """Tell nginx which POST answers it may keep (``deploy/postcache.conf`` keys them by body): a
        routing callback answered from or into the cache, for the served version named in its body;
        never anything else (other callbacks, errors, a page pinned to an older version)."""
        request = flask.request
        if request.method == "POST":
            keyed = request.environ.get(KEY_ENVIRON) and resp.headers.get(HEADER) in ("hit", "miss")
            cacheable = keyed and resp.status_code == 200 and request.endpoint == self.callback_endpoint
            resp.headers["X-Accel-Expires"] = str(NGINX_POST_TTL_S) if cacheable else "0"
        return resp

    def teardown_request(self, _exc=None) -> None:
        """Release a miss's locks once its answer is stored (or its request failed)."""
        pending = flask.g.pop("saylau_fastcache", None)
        if pending is not None:
            self.flight.release(pending)

    # --------------------------------------------------------------- render on publish

    def watch_publishes(self, every_s: float = 0.2) -> threading.Thread:
        """Render on publish, not on a visitor's first request: a thread of this worker looks at the
        served version of every election every ``every_s`` (one ``stat`` of each CURRENT,
        ``DataSource.served``) and starts render on publish for an election whose version is new, drawing
        that election's default views only: the others' answers are untouched (their keys hold their own
        version keys). An open page learns of a version from the live status 2-3 s later and then asks
        for views already drawn; the first visitor used to draw them. One worker draws (the version's
        Redis lock); the others' threads only look."""

        def look() -> None:
            while True:
                time.sleep(every_s)
                self.look_once()

        thread = threading.Thread(target=look, name="saylau-publish-watch", daemon=True)
        thread.start()
        return thread

    def look_once(self) -> None:
        """One look of ``watch_publishes`` at every election."""
        try:
            ids = self.source.ids()
        except Exception as exc:  # a data dir being written or damaged: the requests say so
            log.debug("publish watch: %s", exc)
            return
        first = not self._looked
        self._looked = True
        default = self._default_id() if first else None
        for election in ids:
            try:
                _version, _election, version_key = self.source.served(election)
            except Exception as exc:  # a store being written or damaged: the requests say so
                log.debug("publish watch (%s): %s", election, exc)
                continue
            if version_key != self._seen.get(election_of_key(version_key)):
                # A worker's first look draws the front page's election only: with the seven embedded votes,
                # drawing every election's views at start kept both cores busy for a minute and delayed the
                # night's first publish behind them. The others are drawn when they publish or are asked for.
                self._saw(version_key, draw=not first or election == default)

    def _default_id(self) -> str | None:
        try:
            return self.source.default_id()
        except Exception:
            return None

    def _saw(self, version_key: str, draw: bool = True) -> None:
        self._seen[election_of_key(version_key)] = version_key
        if draw and self.server.config.get("SAYLAU_PRERENDER"):
            threading.Thread(
                target=prerender, args=(self.app, version_key), name="saylau-prerender", daemon=True
            ).start()


def election_of_key(version_key: str) -> str:
    """The election id a version key starts with (``<election>@<version>-<content id>``)."""
    return version_key.split("@", 1)[0]


def busy() -> flask.Response:
    """Every miss slot is taken: come back in a moment (never cached, by nginx or anyone)."""
    resp = flask.Response("Busy drawing other views; try again in a moment.\n", 503, mimetype="text/plain")
    resp.headers["Retry-After"] = str(RETRY_AFTER_S)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers[HEADER] = "busy"
    return resp


def install(app) -> FastCache:
    """Serve cached page content and CSV downloads from ``app`` (call once, from ``create_app``).

    Settings (Flask config of ``app.server``): ``SAYLAU_FASTCACHE_BYTES`` (in-process tier, default 32 MB
    per worker; read now), ``SAYLAU_PRERENDER`` (render the default views when a worker first sees a
    version; default on with Redis, off without; env ``SAYLAU_PRERENDER=0`` turns it off).
    """
    server = app.server
    config = server.config
    env = os.environ.get("SAYLAU_PRERENDER")
    has_redis = isinstance(server.extensions.get("cache", {}).get(cache), SafeRedisCache)
    config.setdefault("SAYLAU_PRERENDER", has_redis if env is None else env not in ("", "0", "false"))
    config.setdefault("SAYLAU_FASTCACHE_BYTES", LOCAL_BYTES)
    timeout = int(config.get("CACHE_DEFAULT_TIMEOUT") or 3600)
    fast = FastCache(app, int(config["SAYLAU_FASTCACHE_BYTES"]), timeout)
    server.extensions[EXTENSION] = fast
    server.before_request(fast.before_request)
    server.after_request(fast.after_request)
    server.teardown_request(fast.teardown_request)
    for endpoint in (fast.callback_endpoint, CSV_ENDPOINT, IMAGE_ENDPOINT):
        if endpoint in server.view_functions:
            server.view_functions[endpoint] = fast.wrap_view(server.view_functions[endpoint])
    server.wsgi_app = fast.front_door = FrontDoor(server.wsgi_app, fast)
    return fast
