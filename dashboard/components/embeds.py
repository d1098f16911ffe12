"""The "Embed this chart" disclosure under each chart card: the snippet (an ``<iframe>`` and the script
that fits it to its content), a copy button, a frozen-version link, the data downloads.

Pages build it from here (not from the embed page), with the chart's parameters as in
``dashboard.charts.PARAMS``.
"""

from __future__ import annotations

from html import escape

from dash import html

from dashboard.components import ui
from dashboard.components.shell import href
from dashboard.figures.text import plain
from dashboard.i18n import translator

IFRAME_HEIGHT = 480
#: Height of the embed frame's chrome: banner, title, subtitle and source line (px, at 300 px wide).
CHROME_PX = 150
#: The script that resizes the frame to its content (it listens to the frame's height messages).
SCRIPT_PATH = "/assets/saylau-embed.js"


def embed_path(chart: str, lang: str, params: dict) -> str:
    return href(f"/embed/{chart}", lang, **params)


def download_path(chart: str, lang: str, params: dict, fmt: str = "csv") -> str:
    return href(f"/download/{chart}.{fmt}", lang, **params)


def image_path(chart: str, lang: str, params: dict, fmt: str = "png", **extra) -> str:
    return href(f"/image/{chart}.{fmt}", lang, **params, **extra)


def iframe_height(fig) -> int:
    """480 px, or more for a chart that needs its height (a bar per party or per unit): the frame's
    height before its script fits it to the content (and where scripts do not run)."""
    layout = (fig.get("layout") if isinstance(fig, dict) else fig.to_plotly_json()["layout"]) if fig else {}
    natural = (layout or {}).get("height") or 0
    return max(IFRAME_HEIGHT, int(natural) + CHROME_PX)


def iframe_snippet(src: str, title: str, height: int = IFRAME_HEIGHT, script: str = SCRIPT_PATH) -> str:
    """The code to paste: the frame and the script that fits its height to the chart (without the
    script, the frame keeps ``height``)."""
    return (
        f'<iframe src="{escape(src)}" width="100%" height="{height}" style="border:0" '
        f'title="{escape(title)}" loading="lazy" data-saylau-embed=""></iframe>'
        f'<script src="{escape(script)}" async></script>'
    )


def embed_details(chart: str, params: dict, lang: str, title: str, *, id=None, height: int = IFRAME_HEIGHT):
    """The "Embed this chart" disclosure: a ready-to-copy snippet (assets/saylau.js makes its URLs
    absolute with the page's origin, and copies it), and links to the chart's data and images."""
    _ = translator(lang)
    path = embed_path(chart, lang, params)
    kw = {"id": id} if id else {}
    box_id = f"{id or 'embed-' + chart}-code"
    version = _version()
    frozen = []
    if version is not None:
        frozen = [
            html.P(
                _("Or frozen at this version of the data (it never changes):"),
                className="card-desc",
            ),
            *_snippet_box(
                embed_path(chart, lang, {**params, "v": version}), title, height, box_id + "-v", lang
            ),
        ]
    return html.Details(
        [
            html.Summary(_("Embed this chart")),
            html.P(_("Copy this code into your article:"), className="card-desc"),
            *_snippet_box(path, title, height, box_id, lang),
            *frozen,
            html.P(
                [
                    html.A(_("Preview"), href=path, target="_blank", rel="noopener"),
                    " · ",
                    html.A(
                        _("Download data (CSV)"),
                        href=download_path(chart, lang, params),
                        download="",
                        className="csv-link",
                    ),
                    " · ",
                    html.A("JSON", href=download_path(chart, lang, params, "json"), download=""),
                    " · ",
                    html.A("XLSX", href=download_path(chart, lang, params, "xlsx"), download=""),
                    " · ",
                    html.A(
                        _("Image (PNG)"),
                        href=image_path(chart, lang, params),
                        target="_blank",
                        rel="noopener",
                    ),
                    " · ",
                    html.A(
                        "SVG", href=image_path(chart, lang, params, "svg"), target="_blank", rel="noopener"
                    ),
                ],
                className="card-desc",
            ),
        ],
        className="embed",
        **kw,
    )


def _snippet_box(path: str, title: str, height: int, box_id: str, lang: str) -> list:
    """A read-only snippet and its copy button (assets/saylau.js: no inline handlers under the CSP)."""
    _ = translator(lang)
    return [
        html.Textarea(
            iframe_snippet(path, title, height),
            readOnly=True,
            rows=4,
            className="embed-code",
            spellCheck="false",
            id=box_id,
            **{
                "data-embed-path": path,
                "data-embed-title": title,
                "data-embed-height": str(height),
                "data-embed-script": SCRIPT_PATH,
                "aria-label": _("Embed code"),
            },
        ),
        html.P(
            [
                html.Button(_("Copy"), type="button", className="embed-copy", **{"data-copy-target": box_id}),
                html.Span("", className="embed-copied", role="status", **{"aria-live": "polite"}),
            ],
            className="card-desc",
        ),
    ]


def _version() -> int | None:
    """The data version the page is drawn from (None outside a request)."""
    from dashboard.components import data as data_module

    try:
        return data_module.version()
    except Exception:
        return None


def details_for(chart: str, lang: str, fig, *, id=None, **params):
    """``embed_details`` for a chart card: ``fig`` the card's figure (its title names the iframe),
    ``params`` the card's state in the URL parameters of the chart (None: left out)."""
    title = plain(ui.figure_meta(fig)[0]) if fig is not None else "Saylau"
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return embed_details(
        chart, params, lang, title or "Saylau", id=id or f"embed-{chart}", height=iframe_height(fig)
    )


def map_params(state: dict) -> dict:
    """The embed parameters of a home-map state (mode; the party of a party map; the source of a
    results map)."""
    params = {"mode": state["mode"]}
    if state["mode"] == "party":
        params["party"] = state["party"]
    if state["results"] != "mazhilis" and state["mode"] != "turnout":
        params["results"] = state["results"]
    return params
