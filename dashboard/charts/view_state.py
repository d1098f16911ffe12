"""The canonical view state of a page or chart: the URL parameters that change what is drawn, and the title
they give the page.

``ViewState`` is what the layout cache, the HTTP cache and the chart catalogue key on; ``page_title`` is the
Dash Pages ``title`` in the visitor's language. Pages read them from here, and so does the chart catalogue,
which imports no page.
"""

from __future__ import annotations

from dashboard.i18n import DEFAULT_LANGUAGE, normalise_language


def request_query() -> dict[str, str]:
    """The query of the URL being rendered: the routing callback's ``_pages_location.search`` inside a
    callback, else the request's own query (the first HTML load of a page)."""
    from urllib.parse import parse_qs

    import dash
    import flask

    try:
        inputs = dash.callback_context.inputs
    except Exception:
        inputs = None
    if inputs and "_pages_location.search" in inputs:
        search = inputs.get("_pages_location.search") or ""
        return {k: v[-1] for k, v in parse_qs(search.lstrip("?")).items()}
    try:
        return {k: v for k, v in flask.request.args.items()}
    except RuntimeError:  # outside a request
        return {}


def page_title(describe):
    """A Dash Pages ``title`` in the visitor's language: ``describe(lang, **path_and_query)`` returns the
    page's own part, which is followed by " — Saylau".

    Dash Pages passes a callable title only the path variables; the language (and any other view state)
    is read from the URL of the request, so the browser tab and shared-link previews follow both the page
    and the language.
    """

    def title(**path_variables):
        query = request_query()
        lang = normalise_language(query.pop("lang", None))
        try:
            part = describe(lang, **{**query, **path_variables})
        except Exception:  # a title must never take a page down
            part = None
        return f"{part} — Saylau" if part else "Saylau"

    return title


class ViewState:
    """A page's URL state, made canonical: the cache key of its rendered views.

    ``canonical(election, **params)`` validates the parameters the way the page's layout does and returns
    only those that change what is drawn (the language included when it is not the default; defaults
    removed), or None for a view not worth a cache entry (a page saying "not found"). The layout called
    with the canonical state draws exactly what it draws for the raw URL — the same tree for ``?lang=EN&
    fbclid=…`` as for ``?lang=en`` — so the layout cache and the HTTP cache (``dashboard.web.fastcache``)
    hold one entry per view, however the link was decorated.

    ``params`` are the names the page reads from its path and query (the canonical function's own
    parameters unless given): everything else in a URL (``fbclid``, ``utm_*``, …) is ignored.
    """

    def __init__(self, canonical, params: tuple[str, ...] | None = None):
        import inspect

        self.canonical = canonical
        if params is None:
            named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
            found = list(inspect.signature(canonical).parameters.values())[1:]  # after ``election``
            params = tuple(p.name for p in found if p.kind in named)
        self.params = frozenset(params)

    def state(self, election, values: dict) -> dict | None:
        """The canonical state of ``values`` (path variables and query, anything else ignored)."""
        return self.canonical(election, **{k: v for k, v in values.items() if k in self.params})


def with_language(lang, state: dict) -> dict:
    """``state`` plus the normalised language, unless it is the default one."""
    lang = normalise_language(lang)
    return {"lang": lang, **state} if lang != DEFAULT_LANGUAGE else dict(state)
