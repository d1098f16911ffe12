"""The cache keys (``dashboard.web.fastcache.keys``) from plain values: no app, no request, no Redis.

The expected keys are written out by hand: a change to the key format (which would orphan every stored
answer, or worse, let two views share one) shows here first.
"""

from __future__ import annotations

import orjson
import pytest

from dashboard.web.fastcache import keys

SPEC = keys.RouteSpec(
    output=".._pages_content.children..._pages_store.data..",
    outputs=[{"id": "_pages_content", "property": "children"}, {"id": "_pages_store", "property": "data"}],
    inputs=[
        {"id": "_pages_location", "property": "pathname"},
        {"id": "_pages_location", "property": "search"},
        {"id": "data-version", "property": "data"},
    ],
    pathname=0,
    search=1,
    data_version=2,
)


def body(pathname, search, data_version=None, **extra) -> bytes:
    """A routing-callback body as a browser sends it (see ``BROWSER_BODY`` in ``test_fastcache``)."""
    changed = ["_pages_location.pathname", "_pages_location.search"]
    return orjson.dumps(
        {
            "output": SPEC.output,
            "outputs": SPEC.outputs,
            "inputs": [
                {"id": "_pages_location", "property": "pathname", "value": pathname},
                {"id": "_pages_location", "property": "search", "value": search},
                {"id": "data-version", "property": "data", "value": data_version},
            ],
            "changedPropIds": changed,
            "parsedChangedPropsIds": changed,
            **extra,
        }
    )


def test_a_key_names_schema_version_kind_page_and_the_sorted_state():
    assert (
        keys.cache_key("3-abc", "page", "turnout", {"lang": "en", "b": 2})
        == "http:s1:3-abc:page:turnout:b=2&lang=en"
    )
    assert keys.page_key("3-abc", "/region/<key>", {"key": "almaty", "lang": "kk"}) == (
        "http:s1:3-abc:page:/region/<key>:key=almaty&lang=kk"
    )
    assert keys.page_key("3-abc", "turnout", None) is None  # the page refused the values


def test_a_browsers_routing_body_gives_its_path_search_and_the_version_it_holds():
    assert keys.route_location(body("/e/kz-2023-03-19/turnout", "?lang=en&fbclid=x"), SPEC) == (
        "/e/kz-2023-03-19/turnout",
        "?lang=en&fbclid=x",
        None,
    )
    assert keys.route_location(body("/", None), SPEC) == ("/", "", None)
    held = {"election": "kz-2023-03-19", "version": 7}
    assert keys.route_location(body("/", "", data_version=held), SPEC) == ("/", "", held)


def test_only_a_page_holding_the_served_version_of_its_own_election_asks_for_it():
    assert keys.asks_served(None, "kz-2023-03-19", 7)  # a page that holds no version yet
    assert keys.asks_served({"election": "kz-2023-03-19", "version": 7}, "kz-2023-03-19", 7)
    assert not keys.asks_served({"election": "kz-2023-03-19", "version": 6}, "kz-2023-03-19", 7)
    # the same number of another election: not what this page is rendered from
    assert not keys.asks_served({"election": "kz-2027-03-21", "version": 7}, "kz-2023-03-19", 7)
    assert not keys.asks_served(7, "kz-2023-03-19", 7)  # the bare number of the one-election site


@pytest.mark.parametrize(
    "raw",
    [
        body("/", "lang=en"),  # a search Dash's layout would not read
        body(3, ""),  # not a path
        body("/", "", state=[{"id": "x", "property": "y"}]),  # a state no browser sends
        body("/", "", extra=1),  # a key no browser sends
        orjson.dumps([1, 2]),
        orjson.dumps({"output": "other.children", "outputs": [], "inputs": []}),
    ],
)
def test_anything_else_has_no_location(raw):
    assert keys.route_location(raw, SPEC) is None


def test_a_body_with_other_inputs_has_no_location():
    data = orjson.loads(body("/", ""))
    data["inputs"][0]["id"] = "other"
    assert keys.route_location(orjson.dumps(data), SPEC) is None
    data = orjson.loads(body("/", ""))
    data["inputs"].pop()
    assert keys.route_location(orjson.dumps(data), SPEC) is None


def test_page_values_refuse_what_would_make_layout_and_title_disagree():
    assert keys.page_values("?lang=en&fbclid=1", {"key": "almaty"}, ("lang",)) == {
        "key": "almaty",
        "lang": "en",
        "fbclid": "1",
    }
    assert keys.page_values("?key=astana", {"key": "almaty"}, ("lang",)) is None  # a path variable again
    assert keys.page_values("?lang=en&lang=ru", None, ("lang",)) is None  # one parameter twice
    assert keys.page_values("?x=1&x=2", None, ("lang",)) == {"x": ["1", "2"]}  # not the page's: ignored
    assert keys.own_values({"lang": "en", "fbclid": "1", "b": "2"}, ("lang", "b")) == (
        ("b", "2"),
        ("lang", "en"),
    )


def state_of(election, values):
    """A chart's canonical state function as the routes have one: None for an unknown chart."""
    if values["chart"] != "turnout":
        return None
    state = {"chart": values["chart"], "election": election}
    if "v" in values:
        state["v"] = int(values["v"])
    return state


SERVED = (4, "mazhilis-2023", "4-abc")


def test_download_keys():
    args = {"fbclid": "1"}
    formats = {"csv": "text/csv", "xlsx": "application/x"}
    assert keys.download_key(args, "turnout", "csv", SERVED, state_of, formats) == (
        "http:s1:4-abc:csv:download:chart=turnout&election=mazhilis-2023"
    )
    assert keys.download_key({"v": "3"}, "turnout", "xlsx", SERVED, state_of, formats) == (
        "http:s1:4-abc:xlsx:download:chart=turnout&election=mazhilis-2023&v=3"
    )
    assert keys.download_key({}, "turnout", "pdf", SERVED, state_of, formats) is None  # no such format
    assert keys.download_key({}, "nope", "csv", SERVED, state_of, formats) is None  # refused
    assert keys.download_key({"v": "5"}, "turnout", "csv", SERVED, state_of, formats) is None  # unpublished
    assert args == {"fbclid": "1"}  # the caller's values are not changed


def test_image_keys_name_format_and_size():
    formats, sizes = ("png", "svg"), ("web", "print")
    assert keys.image_key({}, "turnout", "png", SERVED, state_of, formats, sizes) == (
        "http:s1:4-abc:png-web:image:chart=turnout&election=mazhilis-2023"
    )
    assert keys.image_key(
        {"size": "print", "v": "4"}, "turnout", "svg", SERVED, state_of, formats, sizes
    ) == ("http:s1:4-abc:svg-print:image:chart=turnout&election=mazhilis-2023&v=4")
    assert keys.image_key({"size": "huge"}, "turnout", "png", SERVED, state_of, formats, sizes) is None
    assert keys.image_key({}, "turnout", "gif", SERVED, state_of, formats, sizes) is None
    assert keys.image_key({"v": "9"}, "turnout", "png", SERVED, state_of, formats, sizes) is None


def test_request_shape_checks():
    assert keys.is_json("application/json") and keys.is_json("application/json; charset=utf-8")
    assert not keys.is_json("application/jsonp") and not keys.is_json("text/plain")
    assert keys.small_length("500") and keys.small_length(str(keys.MAX_BODY))
    assert (
        not keys.small_length(str(keys.MAX_BODY + 1))
        and not keys.small_length("")
        and not keys.small_length("-1")
    )
