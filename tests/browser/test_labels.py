"""No label collides with another, nor the dashed threshold line with a share, on the party-shares chart,
read from the boxes Chromium draws (SVG text in ``.js-plotly-plot``) at 300, 390 and 1366 px in the three
languages."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

#: [text, kind, other] of every overlap: two texts, or a text the threshold line runs through. A label on
#: an opaque box (the status lines) is drawn over the line, which stops at its box: not a collision.
COLLISIONS = """
var out = [];
document.querySelectorAll('.js-plotly-plot').forEach(function (plot) {
  var boxes = [];
  plot.querySelectorAll('svg text').forEach(function (t) {
    var s = (t.textContent || '').trim();
    if (!s || t.closest('.legend, .modebar, .hoverlayer')) return;
    var r = t.getBoundingClientRect();
    if (r.width === 0) return;
    var ann = t.closest('.annotation');
    var bg = ann && ann.querySelector('rect.bg');
    var opaque = !!bg && bg.style.fill === 'rgb(255, 255, 255)' && (bg.style.fillOpacity || '1') === '1';
    boxes.push({s: s, opaque: opaque, l: r.left, r: r.right, t: r.top, b: r.bottom});
  });
  var lines = Array.from(plot.querySelectorAll('.shapelayer path')).map(function (p) {
    return p.getBoundingClientRect();
  }).filter(function (r) { return r.width < 3 && r.height > 0; });
  function hit(a, b) { return a.l < b.r - 0.5 && b.l < a.r - 0.5 && a.t < b.b - 0.5 && b.t < a.b - 0.5; }
  boxes.forEach(function (a, i) {
    boxes.slice(i + 1).forEach(function (b) { if (hit(a, b)) out.push([a.s, 'text', b.s]); });
    if (!a.opaque) lines.forEach(function (ln) {
      if (hit(a, {l: ln.left - 1, r: ln.right + 1, t: ln.top, b: ln.bottom})) out.push([a.s, 'line', '']);
    });
  });
  out.push(['#texts', String(boxes.length), String(lines.length)]);
});
return out;
"""


@pytest.mark.parametrize("width", [300, 390, 1366])
def test_party_shares_labels_never_overlap(dash_duo, embedded_app, bt, width):
    dash_duo.start_server(embedded_app)
    driver = dash_duo.driver
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    for lang in ("kk", "ru", "en"):
        bt.visit(dash_duo, f"/embed/shares?lang={lang}", "#embed-graph")
        found = driver.execute_script(COLLISIONS)
        counts = [f for f in found if f[0] == "#texts"]
        # the chart was read: its texts (7 parties, against all, ticks, labels) and the threshold line
        assert counts and int(counts[0][1]) >= 20 and counts[0][2] == "1", counts
        assert [f for f in found if f[0] != "#texts"] == [], (width, lang)
        # the shares the line used to cross are drawn, right of it
        shares = driver.execute_script(
            "return Array.from(document.querySelectorAll('.annotation-text')).map(function (t) { return t.textContent; })"
        )
        assert any(s.startswith("2") and ("30" in s) for s in shares), shares


def test_a_wrapped_maslikhat_title_keeps_its_subtitle_off_the_bars(dash_duo, embedded_app, bt):
    """On a phone the maslikhat chart's title wraps to three lines (Kazakh) and its "votes" line used to
    land on the first bar."""
    dash_duo.start_server(embedded_app)
    bt.set_phone_viewport(dash_duo.driver)
    for lang in ("kk", "ru", "en"):
        bt.visit(dash_duo, f"/maslikhats?region=astana&lang={lang}", "#page-maslikhats")
        found = dash_duo.driver.execute_script(COLLISIONS)
        assert len([f for f in found if f[0] == "#texts"]) >= 2, found  # the charts were read
        assert [f for f in found if f[0] != "#texts" and f[1] == "text"] == [], lang
        # and no wrapped title is cut off at the chart's top edge (its first line stood 5 px above it)
        tops = dash_duo.driver.execute_script(TITLE_TOPS)
        assert tops and all(top >= 0 for top in tops), (lang, tops)


#: The top of every chart title relative to the top of its chart's SVG, in px.
TITLE_TOPS = """
return Array.from(document.querySelectorAll('.js-plotly-plot')).map(function (g) {
  var svg = g.querySelector('svg.main-svg'), t = g.querySelector('.gtitle');
  return svg && t ? t.getBoundingClientRect().top - svg.getBoundingClientRect().top : null;
}).filter(function (v) { return v !== null; });
"""
