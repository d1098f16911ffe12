"""The pages under the site's Content-Security-Policy, drawn by the partial plotly.js bundle.

The CSP (``dashboard.web.hardening``) allows only same-origin scripts plus the hashes of Dash's inline
ones; a script or style the policy blocks shows up as a ``securitypolicyviolation`` event (recorded by a
script that CDP injects before the page's own) and as a console error. The charts are drawn by
``assets/plotly-saylau.min.js`` (``scripts/build_plotly_bundle.sh``): every trace type a page uses must
be in it, and Dash's full 4.8 MB plotly.min.js must never be fetched.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', function (e) {
        window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
    });
"""

#: Per plot on the page: the trace types plotly drew and how many marks (paths/points/bars) each has.
DRAWN = """
    return Array.from(document.querySelectorAll('.js-plotly-plot')).map(function (p) {
        return {
            id: p.parentElement && p.parentElement.id || p.id,
            types: (p._fullData || []).map(function (t) { return t.type; }),
            choropleth: p.querySelectorAll('path.choroplethlocation').length,
            bars: p.querySelectorAll('g.trace.bars g.point').length,
            points: p.querySelectorAll('g.trace.scatter g.points path.point').length,
            lines: p.querySelectorAll('g.trace.scatter path.js-line').length,
            geo: p.querySelectorAll('g.trace.scattergeo').length
        };
    });
"""

RESOURCES = "return performance.getEntriesByType('resource').map(function (r) { return r.name; });"


def csp_console_errors(dash_duo) -> list[dict]:
    return [
        e
        for e in (dash_duo.get_logs() or [])
        if "Content Security Policy" in e.get("message", "") or "Refused to" in e.get("message", "")
    ]


def drawn(dash_duo, path, ready, bt):
    bt.visit(dash_duo, path, ready)
    assert dash_duo.driver.execute_script("return window.__cspViolations") == [], path
    assert csp_console_errors(dash_duo) == [], path
    return dash_duo.driver.execute_script(DRAWN)


@pytest.fixture
def csp_browser(dash_duo, embedded_app):
    dash_duo.start_server(embedded_app)
    dash_duo.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS})
    return dash_duo


def test_pages_draw_under_the_csp_without_violations(csp_browser, bt):
    dash_duo = csp_browser
    plots = drawn(dash_duo, "/?lang=en", "#page-mazhilis", bt)
    the_map = next(p for p in plots if "choropleth" in p["types"])
    assert the_map["choropleth"] >= 20  # the 20 units of the country
    assert "scattergeo" in the_map["types"] and the_map["geo"] == 1  # the three cities
    # the policy really is the strict one (a page without the header would pass the checks above)
    policy = dash_duo.driver.execute_script(
        "var x = new XMLHttpRequest(); x.open('GET', location.href, false); x.send();"
        "return x.getResponseHeader('Content-Security-Policy');"
    )
    assert "script-src 'self' 'sha256-" in policy and "'unsafe-eval'" not in policy

    plots = drawn(dash_duo, "/turnout?lang=en", "#page-turnout", bt)
    assert any(p["types"] and set(p["types"]) == {"scatter"} and p["lines"] > 0 for p in plots)


def test_every_chart_type_draws_with_the_partial_bundle(csp_browser, bt):
    dash_duo = csp_browser
    seen: dict[str, int] = {}
    for path, ready in bt.PAGES.values():
        for plot in drawn(dash_duo, path + "?lang=en", ready, bt):
            assert plot["types"], (path, plot)  # plotly drew it (a missing trace module draws nothing)
            for kind in ("choropleth", "bars", "points", "lines", "geo"):
                seen[kind] = seen.get(kind, 0) + plot[kind]
    assert seen["choropleth"] > 0 and seen["geo"] > 0  # maps
    assert seen["bars"] > 0  # party shares, seats
    assert seen["points"] > 0  # the hemicycle's seats
    assert seen["lines"] > 0  # turnout through the day
    scripts = dash_duo.driver.execute_script(RESOURCES)
    assert any("/assets/plotly-saylau.min.js" in s for s in scripts)
    assert not any("plotly.min.js" in s.split("?")[0].rsplit("/", 1)[-1] for s in scripts), scripts
    assert dash_duo.driver.execute_script("return window.Plotly.version") == plotly_js_version()


def plotly_js_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()
