"""The chart catalogue: every chart Saylau draws for readers outside its pages, each defined once.

One module per chart (the 8Knot pattern of one module per visualisation), each with the same contract:

- ``PARAMS``: the URL parameters it reads (besides ``lang`` and ``v``);
- ``state(election, **params) -> dict``: those parameters validated, defaults removed — the canonical
  state every cache keys on (the embed page, the HTTP cache of downloads, images);
- ``params(election, state) -> dict``: the state with its defaults resolved, for links and file names;
- ``figure(election, lang, state)``: the plotly figure (raises ``NotReported`` with a message);
- ``table(election, lang, state) -> DataFrame``: the figures it draws as raw values (numbers, keys);
- ``title(election, lang, state)`` and ``full_view(lang, state, params)``, the link back to the site.

Pages, ``/embed/…``, ``/download/…`` and ``/image/…`` read charts from here; nothing here imports a page.
"""

from __future__ import annotations

import importlib

from dashboard.i18n import normalise_language

from .base import BadParameter, Chart, NotReported, plain, source_text
from .view_state import ViewState, with_language

CHARTS = ("map", "shares", "chamber", "turnout", "ranking", "maslikhats", "turnout_history", "turnout_change",
          "estimate")
MODULES = {name: importlib.import_module(f"{__name__}.{name}") for name in CHARTS}
#: The query parameters each chart reads (besides ``lang`` and ``v``), in URL order.
PARAMS = {name: tuple(module.PARAMS) for name, module in MODULES.items()}


def headline_charts(election) -> tuple[str, ...]:
    """The charts drawn ahead into images when a version of ``election`` is published, the first of them
    its home's link preview: by the lead contest's kind. A party list fills a chamber: the chamber, then
    the shares (2023's Mazhilis, a Kurultai). A president or a referendum question has no chamber — its
    image would only say "not reported" —, nor has a list whose size is not reported: the lead contest's
    shares (the candidates, yes and no). Not its map: a choropleth PNG costs Chromium several seconds a
    language, no link preview names it, and render on publish holds a miss slot while it draws (on a
    2-core machine that kept visitors' misses waiting over a minute); it is drawn when first asked."""
    lead = election.lead_contest()
    if lead.kind == "party_list" and lead.seats is not None:
        return ("chamber", "shares")
    return ("shares",)


def chart_state(election, chart: str, **query) -> dict:
    """The chart's canonical state from URL values (``PARAMS[chart]`` only, anything else ignored)."""
    module = MODULES[chart]
    return module.state(election, **{k: query[k] for k in module.PARAMS if k in query})


def check_params(election, chart: str, **query) -> None:
    """Raise ``BadParameter`` for a value of the chart's parameters it does not know (``PARAMS[chart]``
    only: anything else, ``fbclid`` and the like, is ignored as everywhere)."""
    module = MODULES[chart]
    module.check(election, **{k: query[k] for k in module.PARAMS if k in query})


def frozen_version(value) -> int | None:
    """The ``v`` of a frozen link (``?v=3``): a non-negative integer, else None (not frozen)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value if value >= 0 else None
    if isinstance(value, str) and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


def embed_state(election, chart=None, lang=None, v=None, **query) -> dict | None:
    """The state of an embed: the chart, the language, the chart's state and the frozen version ``v``
    when the link names one (a frozen answer differs: cacheable forever); None (not cached) for an
    unknown chart. An unknown value falls back to the default: a reader's page still shows a chart."""
    if chart not in MODULES:
        return None
    state = with_language(lang, {"chart": chart, **chart_state(election, chart, **query)})
    frozen = frozen_version(v)
    return {**state, "v": frozen} if frozen is not None else state


def canonical_state(election, chart=None, lang=None, v=None, **query) -> dict | None:
    """The state of a download or an image (``embed_state``), or None (not cached: the route answers 400)
    for a parameter value the chart does not know — a file must never be another place's figures."""
    if chart not in MODULES:
        return None
    try:
        check_params(election, chart, **query)
    except BadParameter:
        return None
    return embed_state(election, chart, lang, v, **query)


_NAMES = ("chart", "lang", "v", *sorted({p for ps in PARAMS.values() for p in ps}))
#: The cache key of downloads and images (strict) and of embeds (lenient).
VIEW = ViewState(canonical_state, _NAMES)
EMBED_VIEW = ViewState(embed_state, _NAMES)


def build(election, chart: str, lang: str, *, with_table: bool = False, **query) -> Chart:
    """The chart ``chart`` for this URL state (unknown values fall back to the defaults), built from its
    canonical state, so equal states draw equal charts."""
    if chart not in MODULES:
        raise KeyError(chart)
    lang = normalise_language(lang)
    module = MODULES[chart]
    state = chart_state(election, chart, **query)
    params = module.params(election, state)
    out = Chart(chart, state, params, full_view=module.full_view(lang, state, params))
    try:
        out.figure = module.figure(election, lang, state)
    except NotReported as exc:
        out.message = str(exc)
    from dashboard.components import ui

    out.title = plain(ui.figure_meta(out.figure)[0]) if out.figure is not None else ""
    if with_table:
        out.table = module.table(election, lang, state)
    return out


def table(election, chart: str, lang: str, **query):
    """The chart's raw table alone (no figure built)."""
    module = MODULES[chart]
    return module.table(election, normalise_language(lang), chart_state(election, chart, **query))


__all__ = [
    "BadParameter",
    "CHARTS",
    "EMBED_VIEW",
    "headline_charts",
    "MODULES",
    "PARAMS",
    "VIEW",
    "Chart",
    "NotReported",
    "build",
    "canonical_state",
    "chart_state",
    "embed_state",
    "check_params",
    "frozen_version",
    "source_text",
    "table",
]
