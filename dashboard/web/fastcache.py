"""Cached views that cost nothing: the stored HTTP answer of a page view, served before Dash runs.

A page's content is the answer to one request, Dash Pages' routing callback (``POST
/_dash-update-component`` whose output is ``_pages_content.children``); a chart's data is ``GET
/download/<chart>.csv``. Caching the component tree (``dashboard.pages.cached_layout``) still leaves
Dash's callback dispatch and the JSON serialisation of ~100 KB on every request (~4 ms of CPU, 0.05× a
bare Flask endpoint). Here the *serialised response* is cached and answered from a ``before_request``
hook, so a hit costs about what any small Flask answer costs.

- **Key**: the page's canonical view state (``dashboard.pages.ViewState``: validated parameters only,
  defaults removed, ``lang`` normalised, ``fbclid``/``utm_*``/anything unknown ignored) plus
  ``version_key()``. A new version, of the same election or another, is a new key: never stale.
- **Tiers**: an in-process LRU bounded by bytes, then Redis (raw bytes, never pickles), then a render.
- **Single flight**: a miss renders once per key across all workers (Redis ``SET NX PX`` lock; the others
  wait and re-read, and render themselves only if the holder is slow or gone); within a worker, a
  per-key lock.
- **Render on publish**: the first worker to see a new ``version_key()`` renders the default views
  (``prerender``) in a background thread, once across workers (Redis lock).

Responses carry ``X-Saylau-Cache: hit|miss``. Only requests whose body is exactly the routing callback a
browser sends are answered from the cache (or stored): anything else goes to Dash untouched, so a crafted
request can neither read another view's entry nor store a different answer under a view's key.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import io
import logging
import os
import secrets
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import cachetools
import flask
import orjson
from dash._pages import _parse_query_string, _path_to_page

from dashboard.cache import KEY_PREFIX, KEY_SCHEMA, SafeRedisCache, cache
from dashboard.components import data as data_module
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from dashboard.web import renderpool
from dashboard.web.missgate import (
    RETRY_AFTER_S,
    VISITOR_WAIT_S,
    MissGate,
    Slot,
    default_folder,
    default_slots,
)

log = logging.getLogger(__name__)

EXTENSION = "saylau-fastcache"
HEADER = "X-Saylau-Cache"
#: Where ``before_request`` leaves a request's cache key for the front door (``FrontDoor``).
KEY_ENVIRON = "saylau.fastcache.key"
CSV_ENDPOINT = "saylau_download_csv"
#: Chart images (``dashboard.charts.routes``): cached like downloads, keyed by format and size too.
IMAGE_ENDPOINT = "saylau_image"
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
#: A routing callback's body is ~500 bytes; anything much bigger is not one.
MAX_BODY = 16 * 1024
BODY_KEYS = frozenset({"output", "outputs", "inputs", "state", "changedPropIds", "parsedChangedPropsIds"})
#: Default size of the in-process tier (per worker): the default views of a version are ~8 MB.
LOCAL_BYTES = 32 * 1024 * 1024
#: How long a render may hold its Redis lock, and how long the others wait for it before rendering.
#: A worker killed mid-render leaves its lock until it expires: every request for that view waits the
#: full WAIT_S (a crashed instance made the other one stall 10 s per request with 10 s), so WAIT_S is a
#: little above a slow render; past it a second render is cheaper than a stalled crowd.
LOCK_MS = 10_000
WAIT_S = 2.5
POLL_S = 0.02
#: Entries in each memo of parsed requests (bodies, paths) before it starts again.
MEMO_SIZE = 4096
#: Bodies longer than this (a browser's is ~500 bytes) are not remembered: the memo stays under ~10 MB.
MEMO_BODY = 2048
#: The render-on-publish lock: held (not released) so each version is prerendered once.
PRERENDER_LOCK_MS = 15 * 60 * 1000
#: Set in the environ of render-on-publish's own requests (no HTTP client can set it): they wait for a
#: miss slot (``dashboard.web.missgate``) up to this long instead of being answered 503.
PRERENDER_ENVIRON = "saylau.prerender"
PRERENDER_WAIT_S = 60.0
#: nginx keeps a routing callback's answer for the served version this long (``X-Accel-Expires``; the
#: version is in the body, so the answer never changes; ``deploy/postcache.conf``). Short all the same: a
#: data dir wiped and re-ingested reuses version numbers.
NGINX_POST_TTL_S = 10
#: The pages rendered for every language on publish (besides the 20 regions).
DEFAULT_PATHS = ("/", "/turnout", "/maslikhats")


@dataclass(frozen=True)
class Stored:
    """One cached answer: its body, the body gzip-compressed once (a browser always accepts gzip, and
    compressing ~90 KB costs more than the whole hit), and the headers that go with them."""

    headers: tuple[tuple[str, str], ...]
    body: bytes
    gzipped: bytes

    @classmethod
    def of(cls, headers: tuple[tuple[str, str], ...], body: bytes) -> Stored:
        return cls(headers, body, gzip.compress(body, compresslevel=6, mtime=0))

    def pack(self) -> bytes:
        """Raw bytes for Redis: a JSON line (headers, body length), the body, the gzipped body."""
        return orjson.dumps([self.headers, len(self.body)]) + b"\n" + self.body + self.gzipped

    @classmethod
    def unpack(cls, raw: bytes) -> Stored:
        head, _, rest = raw.partition(b"\n")
        headers, length = orjson.loads(head)
        return cls(tuple(tuple(h) for h in headers), rest[:length], rest[length:])

    def response(self, state: str, accept_encoding: str) -> flask.Response:
        encode = _accepts_gzip(accept_encoding)
        content_type, *others = self.headers
        resp = flask.Response(self.gzipped if encode else self.body, status=200, content_type=content_type[1])
        headers = resp.headers
        for name, value in others:
            headers[name] = value
        if encode:
            headers["Content-Encoding"] = "gzip"
        headers["Vary"] = "Accept-Encoding"
        headers[HEADER] = state
        return resp


def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether ``Accept-Encoding`` allows gzip: a browser's plain list at a glance, anything with
    weights (``gzip;q=0``) through werkzeug's parser."""
    if "gzip" not in accept_encoding:
        return False
    if "q=" not in accept_encoding:
        return True
    from werkzeug.http import parse_accept_header

    return parse_accept_header(accept_encoding)["gzip"] > 0


class Tiers:
    """The in-process LRU (bounded by bytes) in front of Redis; every Redis fault is a miss."""

    def __init__(self, server: flask.Flask, max_bytes: int, timeout: int):
        self.server = server
        self.timeout_ms = max(1, timeout) * 1000
        self._local = cachetools.LRUCache(
            maxsize=max_bytes, getsizeof=lambda s: len(s.body) + len(s.gzipped) + 200
        )
        self._lock = threading.Lock()

    def redis(self) -> SafeRedisCache | None:
        backend = self.server.extensions.get("cache", {}).get(cache)
        return backend if isinstance(backend, SafeRedisCache) else None

    @staticmethod
    def _name(backend: SafeRedisCache, key: str) -> str:
        return (backend.key_prefix or KEY_PREFIX) + key

    def local(self, key: str) -> Stored | None:
        with self._lock:
            return self._local.get(key)

    def _remember(self, key: str, stored: Stored) -> None:
        # a value larger than the whole tier (ValueError) stays in Redis only
        with self._lock, contextlib.suppress(ValueError):
            self._local[key] = stored

    def get(self, key: str) -> Stored | None:
        stored = self.local(key)
        if stored is not None:
            return stored
        backend = self.redis()
        if backend is None:
            return None
        raw = backend.raw("get", None, lambda r: r.get(self._name(backend, key)))
        if raw is None:
            return None
        stored = Stored.unpack(raw)
        self._remember(key, stored)
        return stored

    def put(self, key: str, stored: Stored) -> None:
        self._remember(key, stored)
        backend = self.redis()
        if backend is not None:
            name, raw = self._name(backend, key), stored.pack()
            backend.raw("set", None, lambda r: r.set(name, raw, px=self.timeout_ms))

    def lock(self, key: str, token: str, ms: int = LOCK_MS) -> bool | None:
        """Take the lock ``key``: True, False (someone holds it) or None (no Redis: no shared lock)."""
        backend = self.redis()
        if backend is None or not backend.available:
            return None
        name = self._name(backend, "lock:" + key)
        return backend.raw("lock", None, lambda r: bool(r.set(name, token, nx=True, px=ms)))

    def locked(self, key: str) -> bool:
        backend = self.redis()
        if backend is None:
            return False
        name = self._name(backend, "lock:" + key)
        return bool(backend.raw("exists", 0, lambda r: r.exists(name)))

    def unlock(self, key: str, token: str) -> None:
        """Release the lock if it is still ours (it may have expired and been taken by another)."""
        backend = self.redis()
        if backend is None:
            return
        name = self._name(backend, "lock:" + key)
        backend.raw("unlock", None, lambda r: r.eval(_UNLOCK, 1, name, token))


_UNLOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


@dataclass
class Pending:
    """A miss this request renders: released when its answer is stored (or the request fails)."""

    key: str
    token: str | None
    stripe: threading.Lock | None
    slot: Slot | None = None


@dataclass(frozen=True)
class RouteSpec:
    """The routing callback as a browser calls it (from the app's callback map)."""

    output: str
    outputs: list
    inputs: list
    pathname: int
    search: int
    #: Index of the ``data-version`` input (the version the page asks to be rendered from), or None.
    data_version: int | None = None


class FastCache:
    """The hooks of one app: the key of a request, the lookup, single flight and storing."""

    def __init__(self, app, max_bytes: int, timeout: int, gate: MissGate | None = None):
        self.app = app
        self.gate = gate or MissGate(default_folder(), default_slots())
        self.server = app.server
        self.tiers = Tiers(self.server, max_bytes, timeout)
        self.callback_endpoint = app.config.routes_pathname_prefix + "_dash-update-component"
        self.source = app.server.extensions[data_module.EXTENSION]
        self._stripes = [threading.Lock() for _ in range(64)]
        self._spec: RouteSpec | None = None
        self._pages: dict[str, tuple] = {}  # pathname -> Dash's (page, path variables)
        self._states: dict[tuple, str | None] = {}  # (version key, page, own parameters) -> key
        self._bodies: dict[bytes, tuple[str, str | None]] = {}  # body -> (version key, its key)
        self._seen: str | None = None

    # --------------------------------------------------------------- keys

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
        """The key of a routing-callback body already read for the served version, else None: no
        parsing, no request context (the front door asks this before Flask runs)."""
        seen = self._bodies.get(raw)
        if seen is None or seen[1] is None:
            return None
        return seen[1] if seen[0] == self.source.served()[2] else None

    def route_spec(self) -> RouteSpec | None:
        if self._spec is None:
            for output, cb in self.app.callback_map.items():
                if output.startswith(".._pages_content.children..."):
                    ids = [f"{i['id']}.{i['property']}" for i in cb["inputs"]]
                    self._spec = RouteSpec(
                        output,
                        [{"id": o.component_id, "property": o.component_property} for o in cb["output"]],
                        [{"id": i["id"], "property": i["property"]} for i in cb["inputs"]],
                        ids.index("_pages_location.pathname"),
                        ids.index("_pages_location.search"),
                        ids.index("data-version.data") if "data-version.data" in ids else None,
                    )
        return self._spec

    def _route_key(self, request: flask.Request) -> str | None:
        """The key of a routing callback: from a memo of the exact body (for this version) when the body
        was seen before, the usual case on election night; else read from the body."""
        environ = request.environ
        content_type = environ.get("CONTENT_TYPE", "")
        if content_type != "application/json" and not content_type.startswith("application/json;"):
            return None
        length = environ.get("CONTENT_LENGTH", "")
        if not length.isdigit() or int(length) > MAX_BODY:
            return None
        return self.route_key_of(request.get_data(cache=True))

    def route_key_of(self, raw: bytes, served: tuple | None = None) -> str | None:
        """The key of a routing-callback body, remembered per exact body. ``served`` is the served
        (version, election, version key), read from the request's pin when not given."""
        version, election, version_key = served or data_module.served()
        seen = self._bodies.get(raw)
        if seen is not None and seen[0] == version_key:
            return seen[1]
        key = self._read_route(raw, version, election, version_key)
        if len(raw) <= MEMO_BODY:
            if len(self._bodies) >= MEMO_SIZE:  # bounded: every junk parameter is a new body
                self._bodies.clear()
            self._bodies[raw] = (version_key, key)
        return key

    def _read_route(self, raw: bytes, version: int, election, version_key: str) -> str | None:
        spec = self.route_spec()
        body = orjson.loads(raw)
        if not isinstance(body, dict) or body.get("output") != spec.output or not BODY_KEYS.issuperset(body):
            return None
        inputs = body.get("inputs")
        if (
            body.get("outputs") != spec.outputs
            or body.get("state", []) != []
            or not _same_inputs(inputs, spec)
        ):
            return None
        # A page asking for another version than the served one (it has not seen the new one yet, or is
        # pinned to an older one) is Dash's to render: the stored answer is the served version's.
        if spec.data_version is not None and inputs[spec.data_version].get("value") not in (None, version):
            return None
        pathname, search = inputs[spec.pathname].get("value"), inputs[spec.search].get("value")
        if not isinstance(pathname, str) or not (search in (None, "") or _is_query(search)):
            return None
        return self._page_key(pathname, search or "", election, version_key)

    def _page_key(self, pathname: str, search: str, election, version_key: str) -> str | None:
        found = self._pages.get(pathname)
        if found is None:
            found = _path_to_page(self.app.strip_relative_path(pathname))
            if len(self._pages) >= MEMO_SIZE:  # bounded: any path may be asked for
                self._pages.clear()
            self._pages[pathname] = found
        page, path_variables = found
        layout = page.get("layout") if page else None
        view = getattr(layout, "view", None)
        if view is None:  # the 404 page: cheap, and keyed by nothing the visitor could vary
            return None
        query = _parse_query_string(search)
        path_variables = path_variables or {}
        if any(k in query for k in path_variables):  # Dash's layout and title would disagree
            return None
        values = {**path_variables, **query}
        if any(isinstance(values.get(p), list) for p in view.params):  # ?lang=en&lang=ru
            return None
        # the canonical state depends only on the page's own parameters: a link decorated with a new
        # fbclid each time reuses the key computed for the same parameters (no canonical function run)
        own = (version_key, layout.page, tuple(sorted((k, v) for k, v in values.items() if k in view.params)))
        known = self._states.get(own, False)
        if known is not False:
            return known
        if flask.has_app_context():
            state = view.state(election, values)
        else:  # the front door: a page's canonical function may read the figure cache
            with self.app.server.app_context():
                state = view.state(election, values)
        key = None if state is None else self._key(version_key, "page", layout.page, state)
        if len(self._states) >= MEMO_SIZE:  # bounded: any parameter value may be asked for
            self._states.clear()
        self._states[own] = key
        return key

    def _csv_key(self, request: flask.Request) -> str | None:
        from dashboard.charts import VIEW
        from dashboard.charts.export import MIMETYPES

        values = {k: v for k, v in request.args.items()}  # first values, as the download route reads them
        view_args = request.view_args or {}
        values["chart"] = view_args.get("chart")
        fmt = view_args.get("fmt", "csv")
        if fmt not in MIMETYPES:
            return None
        version, election, version_key = data_module.served()
        state = VIEW.state(election, values)  # a frozen link's ``v`` is in the state: its own entry
        if state is None or not _published(state, version):
            return None
        return self._key(version_key, fmt, "download", state)

    def _image_key(self, request: flask.Request) -> str | None:
        """An image's key: the chart's canonical state (as a download's), its format and size."""
        from dashboard.charts import VIEW
        from dashboard.charts.images import FORMATS, SIZES

        values = {k: v for k, v in request.args.items()}
        view_args = request.view_args or {}
        values["chart"] = view_args.get("chart")
        fmt, size = view_args.get("fmt"), values.get("size") or "web"
        if fmt not in FORMATS or size not in SIZES:
            return None
        version, election, version_key = data_module.served()
        state = VIEW.state(election, values)
        if state is None or not _published(state, version):
            return None
        return self._key(version_key, f"{fmt}-{size}", "image", state)

    def _key(self, version_key: str, kind: str, page: str, state: dict) -> str:
        if version_key != self._seen:
            self._saw(version_key)
        return f"http:s{KEY_SCHEMA}:{version_key}:{kind}:{page}:{urlencode(sorted(state.items()))}"

    # --------------------------------------------------------------- hooks

    def before_request(self):
        drawing = flask.request.environ.get(renderpool.DRAWING_ENVIRON)
        if drawing is not None:  # the drawing process answers a worker's miss: that version, no cache
            if data_module.use_version(drawing, load=True) != drawing:
                return busy()
            return None
        key = self.key()
        if key is None:
            return None
        flask.request.environ[KEY_ENVIRON] = key  # for the front door (FrontDoor) to learn its headers
        stored = self.tiers.get(key)
        if stored is None:
            stored = self._wait_or_take(key)
        if stored is None:
            pending: Pending = flask.g.saylau_fastcache
            pending.slot = self._take_turn()
            if pending.slot is None:
                self._release(flask.g.pop("saylau_fastcache"))
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
            data_module.version(),
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
            self._release(pending)

    # --------------------------------------------------------------- single flight

    def _wait_or_take(self, key: str) -> Stored | None:
        """A miss: the answer another thread or worker rendered meanwhile, or None when this request is
        to render it (then it holds the key's locks until the request ends).

        With Redis its per-key lock is the single flight and the per-process stripe is only tried: a
        stripe is shared by many keys, and a flood of new keys waiting on stripes held by the misses being
        drawn held every thread of a worker (hits waited ~2 s)."""
        stripe = self._stripes[hash(key) % len(self._stripes)]
        if stripe.acquire(timeout=WAIT_S if self.tiers.redis() is None else 0):
            stored = self.tiers.local(key)
            if stored is not None:
                stripe.release()
                return stored
        else:
            stripe = None
        token = secrets.token_hex(8)
        deadline = time.monotonic() + WAIT_S
        while True:
            owned = self.tiers.lock(key, token)
            if owned is not False:  # ours, or no Redis to share a lock through
                break
            stored = self._wait_for_holder(key, deadline)
            if stored is not None:
                if stripe is not None:
                    stripe.release()
                return stored
            if time.monotonic() >= deadline:  # the holder is slow or dead: render anyway
                token = None
                break
        flask.g.saylau_fastcache = Pending(key, token if owned else None, stripe)
        return None

    def _wait_for_holder(self, key: str, deadline: float) -> Stored | None:
        """Poll until the holder's answer is stored (returned), its lock is gone, or ``deadline``."""
        while time.monotonic() < deadline:
            time.sleep(POLL_S)
            stored = self.tiers.get(key)
            if stored is not None:
                return stored
            if not self.tiers.locked(key):
                return None
        return None

    def _release(self, pending: Pending) -> None:
        if pending.slot is not None:
            pending.slot.release()
            pending.slot = None
        if pending.token is not None:
            self.tiers.unlock(pending.key, pending.token)
            pending.token = None
        if pending.stripe is not None:
            pending.stripe.release()
            pending.stripe = None

    # --------------------------------------------------------------- render on publish

    def _saw(self, version_key: str) -> None:
        self._seen = version_key
        if self.server.config.get("SAYLAU_PRERENDER"):
            threading.Thread(
                target=prerender, args=(self.app, version_key), name="saylau-prerender", daemon=True
            ).start()


def _published(state: dict, served_version: int) -> bool:
    """Whether a frozen link's ``v`` can name a published version (at most the served one): any other
    ``v`` is the route's 404, never a cache key, so the keys are bounded by what was published."""
    return state.get("v") is None or state["v"] <= served_version


def busy() -> flask.Response:
    """Every miss slot is taken: come back in a moment (never cached, by nginx or anyone)."""
    resp = flask.Response("Busy drawing other views; try again in a moment.\n", 503, mimetype="text/plain")
    resp.headers["Retry-After"] = str(RETRY_AFTER_S)
    resp.headers["Cache-Control"] = "no-store"
    resp.headers[HEADER] = "busy"
    return resp


def _same_inputs(inputs, spec: RouteSpec) -> bool:
    if not isinstance(inputs, list) or len(inputs) != len(spec.inputs):
        return False
    for got, want in zip(inputs, spec.inputs, strict=True):
        if not isinstance(got, dict) or not {"id", "property", "value"}.issuperset(got):
            return False
        if got.get("id") != want["id"] or got.get("property") != want["property"]:
            return False
    return True


def _is_query(search) -> bool:
    # Dash's layout reads only a search that starts with "?"; the page title would read any.
    return isinstance(search, str) and search.startswith("?")


# ------------------------------------------------------------------- render on publish


def default_views(regions: bool = True) -> list[tuple[str, str]]:
    """(pathname, search) of the default view of every page in every language."""
    from dashboard.regions import region_keys

    paths = list(DEFAULT_PATHS) + ([f"/region/{k}" for k in region_keys()] if regions else [])
    return [(p, "" if lang == DEFAULT_LANGUAGE else f"?lang={lang}") for p in paths for lang in LANGUAGES]


def route_body(app, pathname: str, search: str, version) -> bytes:
    """The routing callback's body as a browser sends it for ``pathname`` + ``search``."""
    spec = app.server.extensions[EXTENSION].route_spec()
    inputs = [dict(i) for i in spec.inputs]
    for item in inputs:
        item["value"] = version
    inputs[spec.pathname]["value"] = pathname
    inputs[spec.search]["value"] = search
    changed = [f"{i['id']}.{i['property']}" for i in (inputs[spec.pathname], inputs[spec.search])]
    return orjson.dumps(
        {
            "output": spec.output,
            "outputs": spec.outputs,
            "inputs": inputs,
            "changedPropIds": changed,
            "parsedChangedPropsIds": changed,
        }
    )


def prerender(app, version_key: str | None = None, regions: bool = True) -> int:
    """Render and store the default views of the current version (all pages × languages, and the 20
    regions unless ``regions=False``), once across workers: the worker that takes the version's Redis
    lock renders, the others return 0 at once. Stops when the version moves on; returns how many views
    this call rendered. The lead's ingest may call it too (any app with the same Redis)."""
    server = app.server
    fast: FastCache = server.extensions[EXTENSION]
    client = server.test_client()
    with server.app_context():
        current, version = data_module.version_key(), data_module.version()
    if version_key is not None and version_key != current:
        return 0
    if fast.tiers.lock("prerender:" + current, secrets.token_hex(8), PRERENDER_LOCK_MS) is False:
        return 0
    if fast.route_spec() is None:  # Dash registers the routing callback on its first request
        client.get(app.config.routes_pathname_prefix + "_dash-layout")
    rendered, started = 0, time.monotonic()
    for pathname, search in default_views(regions):
        with server.app_context():
            if data_module.version_key() != current:
                break
        resp = client.post(
            fast.callback_endpoint,
            data=route_body(app, pathname, search, version),
            content_type="application/json",
            environ_overrides={PRERENDER_ENVIRON: True},
        )
        rendered += resp.headers.get(HEADER) == "miss"
    rendered += prerender_images(server, client, current, version)
    log.info("prerendered %d views of %s in %.1f s", rendered, current, time.monotonic() - started)
    return rendered


def prerender_images(server, client, current: str, version: int) -> int:
    """The headline charts' share-card images (``dashboard.charts.HEADLINE``, web size, every language):
    the images the pages' ``og:image`` tags point to, drawn before the first link preview asks (~0.5 s
    each with a warm Chromium, ~3 s for the first). ``SAYLAU_PRERENDER_IMAGES=False`` turns it off."""
    if not server.config.get("SAYLAU_PRERENDER_IMAGES", True) or IMAGE_ENDPOINT not in server.view_functions:
        return 0
    from dashboard.charts import HEADLINE

    rendered = 0
    for chart in HEADLINE:
        for lang in LANGUAGES:
            with server.app_context():
                if data_module.version_key() != current:
                    return rendered
            # as the pages' og:image tags name them (``dashboard.charts.share_card``): frozen at the version
            resp = client.get(
                f"/image/{chart}.png?lang={lang}&v={version}", environ_overrides={PRERENDER_ENVIRON: True}
            )
            rendered += resp.headers.get(HEADER) == "miss"
    return rendered


# ------------------------------------------------------------------- install


class FrontDoor:
    """WSGI middleware: a repeat hit on page content answered before Flask builds a request.

    Through Flask a hit still pays for a request context, routing and every ``before``/``after_request``
    hook (the callback-body check, security headers, compression) — about a third of its cost. The front
    door answers a routing-callback body it has seen before, for the served version, with the bytes in
    this worker's LRU and the *final* headers Flask sent for the same key and encoding (security headers
    included), learnt from the previous answer that went through Flask. Only clients accepting gzip (every
    browser) or sending no ``Accept-Encoding`` at all are answered here. Anything else — a new body, a new
    version, a client refusing gzip, an entry only in Redis — goes through Flask as before.
    """

    def __init__(self, wsgi_app, fast: FastCache):
        self.wsgi_app = wsgi_app
        self.fast = fast
        self.path = fast.callback_endpoint
        self._wire: dict[tuple[str, bool], list[tuple[str, str]]] = {}
        self.answered = 0  # how many requests the front door answered (tests assert it is used)

    def __call__(self, environ, start_response):
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != self.path:
            return self.wsgi_app(environ, start_response)
        raw = _read_small_json(environ)
        if raw is None:
            return self.wsgi_app(environ, start_response)
        accept = environ.get("HTTP_ACCEPT_ENCODING")
        if accept is None:
            gz = False  # no header: the plain bytes (no compression layer will touch them)
        elif _accepts_gzip(accept):
            gz = True
        else:  # rare; the compression layer may choose brotli
            return self.wsgi_app(environ, start_response)
        key = self.fast.known_key(raw) or self._key_of_new_body(raw)
        wire = self._wire.get((key, gz)) if key is not None else None
        stored = self.fast.tiers.local(key) if wire is not None else None
        if stored is not None:
            body = stored.gzipped if gz else stored.body
            start_response("200 OK", [*wire, ("Content-Length", str(len(body)))])
            self.answered += 1
            return [body]
        return self.wsgi_app(environ, self._learning(environ, start_response, gz))

    def _key_of_new_body(self, raw: bytes) -> str | None:
        """A body not seen before (a shared link's ``fbclid`` makes every one new): its canonical key,
        read here so that a decorated URL of a stored view also skips Flask. Any doubt: None (Flask)."""
        try:
            return self.fast.route_key_of(raw, self.fast.source.served())
        except Exception:  # malformed or unexpected: Flask and its checks answer it
            return None

    def _learning(self, environ, start_response, gz: bool):
        """``start_response`` that remembers the headers of a hit Flask answered with the stored bytes."""

        def learn(status, headers, exc_info=None):
            key = environ.get(KEY_ENVIRON)
            names = {h.lower(): v for h, v in headers}
            same_bytes = names.get("content-encoding") == ("gzip" if gz else None)
            if key and status.startswith("200") and names.get(HEADER.lower()) == "hit" and same_bytes:
                if len(self._wire) >= MEMO_SIZE:
                    self._wire.clear()
                self._wire[(key, gz)] = [(h, v) for h, v in headers if h.lower() not in ("content-length", "date")]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return learn


def _read_small_json(environ) -> bytes | None:
    """The body of a small JSON POST, read once and put back for Flask; None for anything else."""
    length = environ.get("CONTENT_LENGTH") or ""
    if not length.isdigit() or int(length) > MAX_BODY:
        return None
    if not (environ.get("CONTENT_TYPE") or "").startswith("application/json"):
        return None
    raw = environ["wsgi.input"].read(int(length))
    environ["wsgi.input"] = io.BytesIO(raw)
    return raw


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
