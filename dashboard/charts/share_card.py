"""Link previews that show the result: each page's ``og:image`` and ``twitter:image`` point to the image
of its headline chart for the page's view (``/image/<chart>.png?…&v=<version>``, frozen at the version
served when the page was shared, so a preview never changes under an old post and is cacheable forever).

Dash Pages writes these tags from a page's ``image``/``image_url``, which are fixed per page; the view
(language, region, report time) is only known per request. So Dash's tag list is post-processed: a page
that registered a ``saylau_image(query, path_variables) -> (chart, params)`` gets its image URL there.
"""

from __future__ import annotations

import functools

import flask

from dashboard.components.shell import href
from dashboard.i18n import normalise_language
from dashboard.regions import is_region

IMAGE_TAGS = ("og:image", "twitter:image")


def home_headline() -> tuple[str, dict]:
    """An election home's preview: the first of its headline charts (``charts.headline_charts``): its
    chamber when it leads with a party list, else the lead contest's shares (a president's candidates, a
    referendum's yes and no: no chamber to show). The same image render-on-publish draws ahead."""
    from dashboard.charts import headline_charts
    from dashboard.components import data as data_module

    try:
        election = data_module.election()
    except Exception:  # no election to read (outside a request): the 2023 home's chamber
        return "chamber", {}
    return headline_charts(election)[0], {}


def headline_of(module: str, query: dict, path_variables: dict) -> tuple[str, dict] | None:
    """(chart, its parameters) of the page ``module``'s view, or None (no share image)."""
    name = module.rsplit(".", 1)[-1]
    if name in ("mazhilis", "front_page"):  # the front page is the default election's home
        return home_headline()
    if name == "region":
        unit = path_variables.get("unit")
        if not is_region(unit or ""):
            return None
        # a president's or a referendum's region: its own candidates or yes and no (the home's headline
        # chart, in the region); a chamber's: its turnout line, reported for every unit (votes may not be)
        if home_headline()[0] == "shares":
            return "shares", {"unit": unit}
        return "turnout", {"unit": unit}
    if name == "turnout":
        return "ranking", {"time": query.get("time")}
    if name == "maslikhats":
        region = query.get("region")
        if is_region(region or ""):
            return "chamber", {"body": "maslikhat", "area": region}
        return "maslikhats", {}
    if name == "embed":
        from dashboard.charts import MODULES, PARAMS

        chart = path_variables.get("chart")
        if chart in MODULES:
            return chart, {k: query.get(k) for k in PARAMS[chart]}
    return None


def image_url(module: str, query: dict, path_variables: dict) -> str | None:
    """The absolute URL of the page's share image, or None."""
    from dashboard.components import data as data_module

    found = headline_of(module, query, path_variables)
    if found is None:
        return None
    chart, params = found
    lang = normalise_language(query.get("lang"))
    version = data_module.version()
    path = href(f"/image/{chart}.png", lang, **params, v=version)
    return flask.request.url_root.rstrip("/") + path


def install() -> None:
    """Wrap Dash's page meta tags (once per process; every app of the process shares Dash's module)."""
    import dash.dash as dash_module
    from dash._pages import _path_to_page

    original = dash_module._page_meta_tags
    if getattr(original, "saylau", False):
        return

    @functools.wraps(original)
    def page_meta_tags(app, request):
        tags = original(app, request)
        try:
            page, path_variables = _path_to_page(request.path.strip("/"))
            url = image_url(page.get("module", ""), dict(flask.request.args), path_variables or {})
        except Exception:  # a preview image must never take a page down
            url = None
        if url:
            for tag in tags:
                if tag.get("property") in IMAGE_TAGS:
                    tag["content"] = url
        return tags

    page_meta_tags.saylau = True
    dash_module._page_meta_tags = page_meta_tags
