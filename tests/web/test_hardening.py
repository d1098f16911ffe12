"""dashboard.web.hardening through the app's test client: limits, status codes, callback errors, headers."""

from __future__ import annotations

import base64
import hashlib
import json
import re

import pytest

from dashboard.web.hardening import MAX_BODY_BYTES
from tests.serving import E2023

CALLBACK = "/_dash-update-component"


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    from dashboard.app import create_app
    from dashboard.config import Config

    return create_app(Config(data_dir=tmp_path_factory.mktemp("data"), default_election=E2023))


@pytest.fixture
def client(app):
    c = app.server.test_client()
    c.get("/")  # Dash registers the Pages routing callback on the first request
    return c


def shell_callback(**values) -> dict:
    inputs = {"pathname": "/", "search": "?lang=en", "data": None, **values}
    return {
        "output": "..site-header.children...sim-banner.children...skip-link.children...live-labels.data..",
        "outputs": [
            *({"id": i, "property": "children"} for i in ("site-header", "sim-banner", "skip-link")),
            {"id": "live-labels", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": inputs["pathname"]},
            {"id": "_pages_location", "property": "search", "value": inputs["search"]},
            {"id": "data-version", "property": "data", "value": inputs["data"]},
        ],
        "changedPropIds": ["_pages_location.pathname"],
    }


def post(client, body):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post(CALLBACK, data=data, content_type="application/json")


def test_a_well_formed_callback_still_answers(client):
    r = post(client, shell_callback())
    assert r.status_code == 200
    assert "site-header" in r.get_json()["response"]


@pytest.mark.parametrize(
    "body, says",
    [
        (b"garbage", "not JSON"),
        (b"\xff\xfe{", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b"{}", "'output' is missing"),
        ({"output": "nope.children", "outputs": {}, "inputs": []}, "no such callback"),
        ({**shell_callback(), "inputs": []}, "'inputs' does not match"),
        ({**shell_callback(), "inputs": ["a", "b", "c"]}, "not an id and property"),
        ({**shell_callback(), "outputs": None}, "'outputs' is missing"),
        ({**shell_callback(), "changedPropIds": "x"}, "'changedPropIds'"),
    ],
)
def test_malformed_callback_requests_are_400_with_a_short_message(client, body, says):
    r = post(client, body)
    assert r.status_code == 400
    text = r.get_data(as_text=True)
    assert says in text and "Traceback" not in text and len(text) < 200


def test_values_a_callback_cannot_use_are_400_not_500(client):
    r = post(client, shell_callback(search=5, pathname={"a": 1}))
    assert r.status_code == 400
    assert r.get_data(as_text=True).startswith("Bad callback request") and "Traceback" not in r.get_data(
        as_text=True
    )


def test_bodies_over_the_limit_are_413_before_being_read(client):
    r = client.post(CALLBACK, data=b"{" * (MAX_BODY_BYTES + 1), content_type="application/json")
    assert r.status_code == 413
    assert r.get_data(as_text=True).startswith("Request body too large")
    # the limit, not the content, decides: one byte less reaches the (malformed-body) check
    assert (
        client.post(CALLBACK, data=b"{" * MAX_BODY_BYTES, content_type="application/json").status_code == 400
    )


@pytest.mark.parametrize(
    "path, status",
    [
        ("/", 200),
        ("/e/kz-2023-03-19/", 200),
        ("/e/kz-2023-03-19", 200),
        ("/e/kz-2023-03-19/turnout", 200),
        ("/e/kz-2023-03-19/maslikhats", 200),
        ("/e/kz-2023-03-19/region/almaty", 200),
        ("/e/kz-2023-03-19/region/astana", 200),
        ("/e/kz-2023-03-19/embed/map", 200),
        ("/e/kz-2023-03-19/embed/chamber", 200),
        ("/e/kz-2023-03-19/region/atlantis", 404),
        ("/e/kz-2023-03-19/region/kz", 404),  # the country is not a region page
        ("/e/kz-2023-03-19/embed/pie", 404),
        ("/no-such-page", 404),
        ("/e/kz-2023-03-19/turnout/extra", 404),
        ("/e/kz-2023-03-19/no-such-page", 404),
        ("/e/kz-1999-01-01/", 404),  # an election that is not served
        ("/e/kz-1999-01-01/turnout", 404),
        ("/e/kz-1999-01-01/region/almaty", 404),
        ("/e/KZ%20../", 404),
        ("/e/", 404),
        ("/404", 404),
    ],
)
def test_status_of_page_urls(client, path, status):
    r = client.get(path)
    assert r.status_code == status, path
    assert b"_dash-renderer" in r.data  # the friendly page is rendered either way


def test_csp_allows_exactly_the_inline_scripts_of_the_page(client):
    r = client.get("/e/kz-2023-03-19/turnout")
    csp = r.headers["Content-Security-Policy"]
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    inline = re.findall(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", r.get_data(as_text=True), re.S
    )
    assert inline, "Dash always has at least its renderer inline"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert digest in allowed, script[:80]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"].startswith("'self' ") and "unsafe" not in directives["script-src"]
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
    assert directives["img-src"].startswith("'self' data:")
    assert directives["frame-ancestors"] == "'self'"
    assert client.get("/e/kz-2023-03-19/embed/map").headers["Content-Security-Policy"].endswith("frame-ancestors *")


def test_every_response_says_nosniff_and_referrer_policy(client):
    for path in ("/", "/_dash-layout", "/geodata/regions.geojson", "/e/kz-2023-03-19/download/shares.csv", "/nowhere"):
        r = client.get(path)
        assert r.headers["X-Content-Type-Options"] == "nosniff", path
        assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path


def test_answers_that_are_not_pages_get_the_resource_policy_on_miss_and_hit(client):
    """Downloads and API JSON carry a policy that runs and fetches nothing, also when the HTTP cache
    answers (a hit is built from the stored bytes, not by the view)."""
    from dashboard.web.hardening import RESOURCE_CSP

    first = client.get("/e/kz-2023-03-19/download/shares.csv?lang=en")
    again = client.get("/e/kz-2023-03-19/download/shares.csv?lang=en&fbclid=1")
    assert (first.headers["X-Saylau-Cache"], again.headers["X-Saylau-Cache"]) == ("miss", "hit")
    for r in (first, again, client.get("/api/v1/elections/kz-2023-03-19/versions"), client.get("/geodata/regions.geojson")):
        assert r.headers["Content-Security-Policy"] == RESOURCE_CSP, r.request.path
    directives = dict(d.strip().split(" ", 1) for d in RESOURCE_CSP.split(";") if " " in d.strip())
    assert directives["default-src"] == "'none'" and "sandbox" in RESOURCE_CSP


@pytest.mark.parametrize("path", [
    "/_dash-component-suites/dash/nothing.js",
    "/_dash-component-suites/dash/../../etc/passwd",
    "/_dash-component-suites/no_such_package/x.js",
])
def test_a_component_file_dash_does_not_serve_is_404_without_a_traceback(client, caplog, path):
    with caplog.at_level("INFO"):
        resp = client.get(path)
    assert resp.status_code == 404
    assert not [r for r in caplog.records if r.exc_info], "a client's error must not log a traceback"


def test_an_unexpected_500_logs_its_traceback_once_per_cause(client, caplog, monkeypatch):
    from dashboard.charts import routes

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(routes, "build", broken)
    with caplog.at_level("ERROR"):
        answers = [client.get(f"/e/kz-2023-03-19/download/shares.csv?contest=maslikhat_{area}_party_list")
                   for area in ("astana", "almaty", "shymkent")]  # views no other test has cached
    assert [a.status_code for a in answers] == [500, 500, 500]
    assert answers[0].get_json() == {"error": "internal error",
                                     "detail": "the server failed to answer; the fault is logged"}
    ours = [r for r in caplog.records if "500 on GET /e/kz-2023-03-19/download/shares.csv" in r.getMessage()]
    assert len(ours) == 3 and [bool(r.exc_info) for r in ours] == [True, False, False]
    assert "boom" not in answers[0].get_data(as_text=True)


FORWARDED = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "saylau.example", "X-Forwarded-Port": "8443",
             "X-Forwarded-For": "203.0.113.7"}


def _proxied_app(tmp_path, trust: bool):
    from dashboard.app import create_app
    from dashboard.config import Config

    return create_app(Config(data_dir=tmp_path / ("trusted" if trust else "direct"), default_election=E2023, trust_proxy=trust))


def test_behind_a_trusted_proxy_absolute_urls_keep_scheme_host_and_port(tmp_path):
    client = _proxied_app(tmp_path, True).server.test_client()
    page = client.get("/?lang=en", headers=FORWARDED).get_data(as_text=True)
    assert 'content="https://saylau.example:8443/e/kz-2023-03-19/image/chamber.png' in page  # og:image
    feed = client.get("/e/kz-2023-03-19/feeds/versions.atom", headers=FORWARDED).get_data(as_text=True)
    assert "<id>https://saylau.example:8443/e/kz-2023-03-19/feeds/versions.atom</id>" in feed


def test_without_the_setting_forwarded_headers_are_ignored(tmp_path):
    client = _proxied_app(tmp_path, False).server.test_client()
    page = client.get("/?lang=en", headers=FORWARDED).get_data(as_text=True)
    assert "saylau.example" not in page and 'content="http://localhost/e/kz-2023-03-19/image/chamber.png' in page
