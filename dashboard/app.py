"""The Dash app factory and ``python -m dashboard serve``.

``create_app(config)`` builds one Dash app (Dash Pages, registered explicitly from ``dashboard.pages`` so
that several apps can be built in one process, e.g. by the tests). Everything is served from this
server: Dash's own JavaScript (``serve_locally``), the CSS in ``assets/``, the base topojson in
``assets/topojson/`` and the region boundaries at ``/geodata/regions.geojson`` — no CDN, no tile server.

URL scheme (every view is a shareable link; ``lang`` is ``kk`` (default), ``ru`` or ``en``). Every URL
names its election, ``/e/<election-id>/…`` (``dashboard.components.data`` serves each request from its
election; ``shell.href`` writes the prefix into every link):

- ``/`` — the front page: the default election's home (``dashboard.pages``: rendered in place)
- ``/e/<id>/?lang=ru&mode=turnout&party=amanat`` — the election's home; map mode
  ``leading|party|turnout|against_all``
- ``/e/<id>/region/<unit>?lang=…&contest=…`` — one of the 20 units
- ``/e/<id>/turnout?lang=…&time=…&view=lines|multiples`` — turnout through election day
- ``/e/<id>/maslikhats?lang=…&region=<unit>`` — the regional maslikhats; ``/e/<id>/observers``
- ``/e/<id>/embed/<chart>?lang=…&…`` — one chart for an iframe; ``/e/<id>/download/<chart>.csv?…`` its
  data, ``/e/<id>/image/<chart>.png`` its picture (see ``dashboard.pages.embed``)
- ``/e/<id>/status.json`` — the served version and counting progress, polled by open pages
  (``dashboard.web.api``); ``/e/<id>/feeds/versions.atom`` — its new versions
- ``/api/v1/elections/…`` — the public read-only JSON API, described at ``/api/v1/openapi.json``
  (``dashboard.web.public_api``)
- the URLs of the one-election site (``/turnout``, ``/region/…``, ``/embed/…``, ``/api/v1/status``…)
  answer 301 to the same under ``/e/kz-2023-03-19/`` (``dashboard.web.redirects``)
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import dash
from dash import ClientsideFunction, Input, Output, State, dcc, html
from flask import Response, request

from dashboard.cache import init_cache
from dashboard.components import data as data_module
from dashboard.components import shell
from dashboard.config import Config
from dashboard.electoral.progress import election_progress
from dashboard.i18n import DEFAULT_LANGUAGE, translator
from dashboard.web import hardening, language, light, redirects

ROOT = Path(__file__).resolve().parent.parent
ASSETS = ROOT / "assets"
GEOJSON_ROUTE = "/geodata/regions.geojson"

INDEX = """<!DOCTYPE html>
<html lang="{%lang%}">
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""


def geojson_path(name: str = "regions.geojson") -> Path:
    """A built map of ``geodata/``: today's 20 units (``regions.geojson``) or an older boundary set's."""
    try:
        from dashboard.geodata import GEODATA_DIR

        return Path(GEODATA_DIR) / name
    except ImportError:
        return ROOT / "geodata" / name


def _add_geojson_route(server) -> None:
    """The boundaries of every set as static, browser-cached files (plotly's geojson accepts a URL):
    ``/geodata/regions.geojson`` (today's 20 units) and ``/geodata/units_2022.geojson`` (the 17 before
    8 June 2022). Only the sets' own files are served: the name is looked up, never joined as given."""
    from dashboard.boundaries import boundary_sets

    files = {s.geojson for s in boundary_sets()}

    @server.route("/geodata/<name>")
    def regions_geojson(name: str):
        if name not in files:
            return Response("not found", status=404, mimetype="text/plain")
        path = geojson_path(name)
        if not path.is_file():
            return Response(f"{name} has not been built", status=404, mimetype="text/plain")
        stat = path.stat()
        etag = hashlib.sha1(f"{stat.st_mtime_ns}-{stat.st_size}".encode()).hexdigest()[:16]
        if etag in request.if_none_match:
            resp = Response(status=304)
        else:
            resp = Response(path.read_bytes(), mimetype="application/geo+json")
        resp.set_etag(etag)
        resp.headers["Cache-Control"] = "public, max-age=86400"
        return resp


def _shell_layout():
    """The app's layout: a function, so each page load carries the data version of that moment."""
    try:
        version = data_module.page_version()  # of the election the path names (the default on /)
    except Exception:
        version = None
    return html.Div(
        [
            dcc.Location(id="nav", refresh="callback-nav"),
            # the version this page shows; assets/saylau.js polls /api/v1/status and sets it when a
            # new version is published, which re-renders the page and the shell in place
            dcc.Store(id="data-version", data=version),
            dcc.Store(id="live-labels"),
            html.A(id="skip-link", href="#main", className="skip-link", children="Skip to content"),
            html.Div(id="sim-banner"),
            html.Header(id="site-header", className="site-header"),
            html.Main(dash.page_container, id="main", tabIndex="-1", className="site-main"),
            html.Footer(id="site-footer", className="site-footer"),
            html.Div(id="html-lang-sink", hidden=True),
            html.Div(id="live-status", role="status", className="live-status", **{"aria-live": "polite"}),
            html.Div(id="live-sink", hidden=True),
        ],
        className="app-shell",
    )


def _served_election(version, load: bool = False, select: bool = False):
    """The election of ``version`` (the request is pinned to it; ``load``: read from disk when this
    process no longer holds it; ``select``: of the election ``version`` names), or None: the page
    explains failures."""
    try:
        data_module.use_version(version, load=load, select=select)
        return data_module.election()
    except Exception:
        return None


def footer_of(lang: str, version):
    """The footer of the page rendered from ``version``: its number, when it was accepted, the sources."""
    election = _served_election(version, load=True, select=True)
    try:
        status = data_module.status()
    except Exception:
        status = {}
    simulated = bool(election is not None and election.simulated)
    notes = (election.notes.get(lang) or election.notes.get("en") or "") if election is not None else ""
    date = election.date if election is not None else None
    preliminary = election is not None and election_progress(election).status == "preliminary"
    updated = shell.update_label(status, lang, date, preliminary=preliminary)
    return shell.footer(lang, status.get("version", version), updated, simulated, notes)


def _register_shell_callbacks(app: dash.Dash) -> None:
    @app.callback(
        Output("site-header", "children"),
        Output("sim-banner", "children"),
        Output("skip-link", "children"),
        Output("live-labels", "data"),
        Input("_pages_location", "pathname"),
        Input("_pages_location", "search"),
        Input("data-version", "data"),
    )
    def render_shell(pathname, search, _version):
        lang = shell.lang_of(search)
        _ = translator(lang)
        try:
            data_module.use_path(pathname)
        except data_module.UnknownElection:  # the not-found page: framed as the front page's election
            data_module.use_election(None)
        election = _served_election(_version)
        labels = shell.live_labels(lang, election)
        if shell.inner_path(pathname).startswith("/embed/"):
            # an embedded chart carries its own banner and source line: no header, footer or banner
            return None, None, _("Skip to content"), labels
        simulated = bool(election is not None and election.simulated)
        return (
            shell.header(lang, pathname, simulated, data_module.elections(), data_module.election_id(), election),
            shell.simulated_banner(lang) if simulated else None,
            _("Skip to content"),
            labels,
        )

    @app.callback(
        Output("site-footer", "children"),
        Input("page-version", "data"),
        State("_pages_location", "pathname"),
        State("_pages_location", "search"),
    )
    def render_footer(page_version, pathname, search):
        """The footer names the version the page's content was rendered from (its ``page-version``
        store), so it changes with the figures: driven by ``data-version`` it changed 1–4 s before them,
        while the page's figures were still being computed."""
        if shell.inner_path(pathname).startswith("/embed/"):
            return None
        return footer_of(shell.lang_of(search), page_version)

    app.clientside_callback(
        ClientsideFunction(namespace="saylau", function_name="setHtmlLang"),
        Output("html-lang-sink", "children"),
        Input("_pages_location", "search"),
    )

    # the poller in assets/saylau.js learns the page's version and language from these
    app.clientside_callback(
        ClientsideFunction(namespace="saylau", function_name="watchVersion"),
        Output("live-sink", "children"),
        Input("data-version", "data"),
        Input("live-labels", "data"),
    )


def create_app(config: Config | None = None) -> dash.Dash:
    config = config or Config.from_env()
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        serve_locally=True,
        suppress_callback_exceptions=True,
        title="Saylau",
        update_title=None,
        # {"election", "version"} the browser shows: used when its election is the path's (data.use_version)
        routing_callback_inputs={"data_version": Input("data-version", "data")},
        # the description is the pages' own, in the page's language (dashboard.pages.page_description)
        meta_tags=[{"name": "viewport", "content": "width=device-width, initial-scale=1"}],
    )
    app.index_string = INDEX
    server = app.server
    light.install(server)
    hardening.install(server)
    redirects.install(server)
    server.extensions[data_module.EXTENSION] = data_module.DataSource(config)
    init_cache(server, config)
    _add_geojson_route(server)
    from dashboard.web import api

    api.install(server)
    from dashboard.web import public_api

    public_api.install(server)
    from dashboard.web import audit_api

    audit_api.install(server)
    from dashboard.web import archive

    archive.install(server)
    from dashboard.web import method

    method.install(server)

    from dashboard.pages import register_pages

    register_pages(app)
    app.layout = _shell_layout
    _register_shell_callbacks(app)
    from dashboard.web import fastcache

    fastcache.install(app)
    language.install(app)
    if config.trust_proxy:
        _trust_proxy(server)
    return app


def _trust_proxy(server) -> None:
    """Read the client's scheme, host and port from the proxy's ``X-Forwarded-*`` headers (one hop), as
    the outermost layer, so every part of the app (the HTTP cache's front door too) sees the same URL.
    The absolute URLs built from them (``og:image``, the Atom feed) sit in no app-side cache: the cached
    answers (page content, downloads, images) hold relative links only; nginx's micro-cache keys on
    ``$scheme$host``."""
    from werkzeug.middleware.proxy_fix import ProxyFix

    server.wsgi_app = ProxyFix(server.wsgi_app, x_for=1, x_proto=1, x_host=1, x_port=1)


def serve_command(args) -> int:
    config = Config.from_env(
        data_dir=getattr(args, "data_dir", None),
        demo=True if getattr(args, "demo", False) else None,
        debug=True if getattr(args, "debug", False) else None,
        default_election=getattr(args, "default_election", None),
    )
    app = create_app(config)
    host, port = getattr(args, "host", "127.0.0.1"), int(getattr(args, "port", 8050))
    what = "the SIMULATED rehearsal election" if config.demo else f"the store in {config.data_dir}"
    # one write with its newline, before the watch thread starts writing its own lines
    sys.stdout.write(f"Saylau: serving {what} at http://{host}:{port}/ (language: {DEFAULT_LANGUAGE})\n")
    sys.stdout.flush()
    if getattr(args, "watch", None):  # ingest files dropped into the folder, in this process
        from dashboard.commands.ingest import start_watch_thread

        start_watch_thread(config.data_dir, args.watch, default=config.default_election or None)
    app.run(
        host=host,
        port=port,
        debug=config.debug,
        use_reloader=config.debug and not os.environ.get("SAYLAU_NO_RELOAD"),
    )
    return 0
