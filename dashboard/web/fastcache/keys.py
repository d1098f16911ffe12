"""The cache key of a view, from plain values: no Flask request, no app, no I/O.

A stored answer is found again only if every request for the same view computes the same key, and a
crafted request must never compute another view's key: that is the cache's whole correctness, so it is
kept here, apart from the hooks that read the request, and tested directly with hand-written keys
(``tests/web/test_fastcache_keys.py``). The callers (``dashboard.web.fastcache.FastCache``) read the
request, the served version and the page of a path, remember the results, and pass them in; the
page's or chart's canonical state function (``view.state``) is passed in as well.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import orjson
from dash._pages import _parse_query_string

from dashboard.cache import KEY_SCHEMA

CSV_ENDPOINT = "saylau_download_csv"
#: Chart images (``dashboard.charts.routes``): cached like downloads, keyed by format and size too.
IMAGE_ENDPOINT = "saylau_image"
#: A routing callback's body is ~500 bytes; anything much bigger is not one.
MAX_BODY = 16 * 1024
BODY_KEYS = frozenset({"output", "outputs", "inputs", "state", "changedPropIds", "parsedChangedPropsIds"})
#: Entries in each memo of parsed requests (bodies, paths) before it starts again.
MEMO_SIZE = 4096
#: Bodies longer than this (a browser's is ~500 bytes) are not remembered: the memo stays under ~10 MB.
MEMO_BODY = 2048

#: A canonical state function: (election, parameter values) -> the canonical state, or None (invalid).
StateOf = Callable[[object, dict], dict | None]


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


def route_spec_of(callback_map: Mapping) -> RouteSpec | None:
    """The routing callback's spec in a Dash app's ``callback_map``, or None: not registered yet."""
    for output, cb in callback_map.items():
        if output.startswith(".._pages_content.children..."):
            ids = [f"{i['id']}.{i['property']}" for i in cb["inputs"]]
            return RouteSpec(
                output,
                [{"id": o.component_id, "property": o.component_property} for o in cb["output"]],
                [{"id": i["id"], "property": i["property"]} for i in cb["inputs"]],
                ids.index("_pages_location.pathname"),
                ids.index("_pages_location.search"),
                ids.index("data-version.data") if "data-version.data" in ids else None,
            )
    return None


def cache_key(version_key: str, kind: str, page: str, state: Mapping) -> str:
    """The key of one answer: the key schema, the data version, the kind of answer (``page``, a
    download's format, an image's format and size), the page or route, and the canonical state."""
    return f"http:s{KEY_SCHEMA}:{version_key}:{kind}:{page}:{urlencode(sorted(state.items()))}"


def is_json(content_type: str) -> bool:
    """Whether a request's ``Content-Type`` is JSON, as a browser's routing callback sends it."""
    return content_type == "application/json" or content_type.startswith("application/json;")


def small_length(content_length: str) -> bool:
    """Whether a request's ``Content-Length`` names a body small enough to be a routing callback."""
    return content_length.isdigit() and int(content_length) <= MAX_BODY


def route_location(raw: bytes, spec: RouteSpec) -> tuple[str, str, object] | None:
    """(pathname, search, the ``data-version`` it asks for) of a routing-callback body exactly as a
    browser sends it; None for anything else (Dash answers it, uncached). Raises on a body that is not
    JSON. Whether the version asked for is the served one is :func:`asks_served`'s to say: the election
    is the one its pathname names."""
    body = orjson.loads(raw)
    if not isinstance(body, dict) or body.get("output") != spec.output or not BODY_KEYS.issuperset(body):
        return None
    inputs = body.get("inputs")
    if body.get("outputs") != spec.outputs or body.get("state", []) != [] or not same_inputs(inputs, spec):
        return None
    pathname, search = inputs[spec.pathname].get("value"), inputs[spec.search].get("value")
    if not isinstance(pathname, str) or not (search in (None, "") or is_query(search)):
        return None
    asked = inputs[spec.data_version].get("value") if spec.data_version is not None else None
    return pathname, search or "", asked


def asks_served(asked, election_id: str, version: int) -> bool:
    """Whether a page asking for ``asked`` (its ``data-version``: ``{"election", "version"}``, or None
    before it knows one) asks for what is served of its election. A page asking for another version (it
    has not seen the new one yet, or is pinned to an older one) is Dash's to render: the stored answer
    is the served version's. A version of another election (a page that navigated in place) is not
    what the page will be rendered from either (``data.use_version`` ignores it): Dash's too."""
    return asked is None or asked == {"election": election_id, "version": version}


def page_values(search: str, path_variables: Mapping | None, params) -> dict | None:
    """The values a page's canonical state is read from: its path variables and its query (``search``),
    or None when they could make Dash's layout and title disagree (a path variable repeated in the
    query) or name one of the page's ``params`` twice (``?lang=en&lang=ru``)."""
    query = _parse_query_string(search)
    path_variables = path_variables or {}
    if any(k in query for k in path_variables):
        return None
    values = {**path_variables, **query}
    if any(isinstance(values.get(p), list) for p in params):
        return None
    return values


def own_values(values: Mapping, params) -> tuple:
    """The values among ``values`` that a page reads (its ``params``), sorted: the canonical state
    depends on these alone, so a link decorated with a new ``fbclid`` each time has the same ones."""
    return tuple(sorted((k, v) for k, v in values.items() if k in params))


def page_key(version_key: str, page: str, state: Mapping | None) -> str | None:
    """The key of a page's content in canonical ``state`` (None: the page refuses the values)."""
    return None if state is None else cache_key(version_key, "page", page, state)


def download_key(
    args: Mapping, chart, fmt: str, served: tuple, state_of: StateOf, formats: Mapping
) -> str | None:
    """The key of a chart's download: ``args`` the query (first values, as the download route reads
    them), ``chart`` and ``fmt`` from the route, ``served`` the served (version, election, version key),
    ``state_of`` the charts' canonical state function, ``formats`` the formats there are."""
    values = dict(args)
    values["chart"] = chart
    if fmt not in formats:
        return None
    version, election, version_key = served
    state = state_of(election, values)  # a frozen link's ``v`` is in the state: its own entry
    if state is None or not published(state, version):
        return None
    return cache_key(version_key, fmt, "download", state)


def image_key(args: Mapping, chart, fmt, served: tuple, state_of: StateOf, formats, sizes) -> str | None:
    """An image's key: the chart's canonical state (as a download's), its format and size."""
    values = dict(args)
    values["chart"] = chart
    size = values.get("size") or "web"
    if fmt not in formats or size not in sizes:
        return None
    version, election, version_key = served
    state = state_of(election, values)
    if state is None or not published(state, version):
        return None
    return cache_key(version_key, f"{fmt}-{size}", "image", state)


def published(state: Mapping, served_version: int) -> bool:
    """Whether a frozen link's ``v`` can name a published version (at most the served one): any other
    ``v`` is the route's 404, never a cache key, so the keys are bounded by what was published."""
    return state.get("v") is None or state["v"] <= served_version


def same_inputs(inputs, spec: RouteSpec) -> bool:
    if not isinstance(inputs, list) or len(inputs) != len(spec.inputs):
        return False
    for got, want in zip(inputs, spec.inputs, strict=True):
        if not isinstance(got, dict) or not {"id", "property", "value"}.issuperset(got):
            return False
        if got.get("id") != want["id"] or got.get("property") != want["property"]:
            return False
    return True


def is_query(search) -> bool:
    # Dash's layout reads only a search that starts with "?"; the page title would read any.
    return isinstance(search, str) and search.startswith("?")
