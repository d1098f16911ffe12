"""Render on publish: the default views of a new version drawn before the visitors ask for them.

Right after a publish every visitor's first view is a miss; the default views (every page in every
language, the 20 regions, the headline charts' share-card images) are the ones most of them ask for.
Only the views of the election that changed are drawn (``/e/<id>/…``; the front page ``/`` shares the
entry of its election's home); the other elections' answers are untouched.
The first worker to see a new ``version_key()`` draws them in a background thread
(``FastCache._saw``), once across workers (a Redis lock held for the version, not released), through
the app's own test client: the same hooks store each answer as a visitor's miss would.
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import TYPE_CHECKING

import orjson

from dashboard.components import data as data_module
from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES
from dashboard.web.fastcache.keys import IMAGE_ENDPOINT
from dashboard.web.fastcache.tiers import HEADER

if TYPE_CHECKING:
    from dashboard.web.fastcache import FastCache

log = logging.getLogger("dashboard.web.fastcache")  # the name its log lines have always had

#: The render-on-publish lock: held (not released) so each version is prerendered once.
PRERENDER_LOCK_MS = 15 * 60 * 1000
#: Set in the environ of render-on-publish's own requests (no HTTP client can set it): they wait for a
#: miss slot (``dashboard.web.missgate``) up to this long instead of being answered 503.
PRERENDER_ENVIRON = "saylau.prerender"
PRERENDER_WAIT_S = 60.0
#: The pages rendered for every language on publish (besides the 20 regions).
DEFAULT_PATHS = ("/", "/turnout", "/maslikhats")


def default_views(regions: bool = True, election: str | None = None) -> list[tuple[str, str]]:
    """(pathname, search) of the default view of every page of ``election`` in every language (paths
    inside the election, ``/turnout``, without ``election``)."""
    from dashboard.boundaries import unit_keys
    from dashboard.regions import region_keys

    keys = region_keys()
    if regions and election is not None:
        try:  # the units of the election's day (17 before June 2022)
            keys = unit_keys(data_module.source().election(election))
        except Exception:
            keys = region_keys()
    paths = list(DEFAULT_PATHS) + ([f"/region/{k}" for k in keys] if regions else [])
    prefix = f"{data_module.PREFIX}{election}" if election is not None else ""
    return [(prefix + p, "" if lang == DEFAULT_LANGUAGE else f"?lang={lang}") for p in paths for lang in LANGUAGES]


def route_body(app, pathname: str, search: str, version) -> bytes:
    """The routing callback's body as a browser sends it for ``pathname`` + ``search``; ``version`` is
    the shell's ``data-version`` (``{"election", "version"}``, or None)."""
    from dashboard.web.fastcache import EXTENSION

    spec = app.server.extensions[EXTENSION].route_spec()
    inputs = [dict(i) for i in spec.inputs]
    for item in inputs:
        item["value"] = version
    inputs[spec.pathname]["value"] = pathname
    inputs[spec.search]["value"] = search
    changed = [f"{i['id']}.{i['property']}" for i in (inputs[spec.pathname], inputs[spec.search])]
    return orjson.dumps(
        {
            "output": spec.output,
            "outputs": spec.outputs,
            "inputs": inputs,
            "changedPropIds": changed,
            "parsedChangedPropsIds": changed,
        }
    )


def prerender(app, version_key: str | None = None, regions: bool = True, election: str | None = None) -> int:
    """Render and store the default views of the current version of one election (all pages ×
    languages, and the 20 regions unless ``regions=False``): ``election``, else the one ``version_key``
    names, else the default one. Once across workers: the worker that takes the version's Redis lock
    renders, the others return 0 at once. Stops when the version moves on; returns how many views this
    call rendered. The lead's ingest may call it too (any app with the same Redis)."""
    from dashboard.web.fastcache import EXTENSION, election_of_key

    server = app.server
    fast: FastCache = server.extensions[EXTENSION]
    source = fast.source
    if election is None:
        election = election_of_key(version_key) if version_key is not None else source.default_id()
    if not source.knows(election):
        return 0
    version, model, current = source.served(election)
    if version_key is not None and version_key != current:
        return 0
    if fast.tiers.lock("prerender:" + current, secrets.token_hex(8), PRERENDER_LOCK_MS) is False:
        return 0
    client = server.test_client()
    if fast.route_spec() is None:  # Dash registers the routing callback on its first request
        client.get(app.config.routes_pathname_prefix + "_dash-layout")
    rendered, started = 0, time.monotonic()
    asked = data_module.page_version_of(election, version)
    for pathname, search in default_views(regions, election):
        if source.served(election)[2] != current:
            break
        resp = client.post(
            fast.callback_endpoint,
            data=route_body(app, pathname, search, asked),
            content_type="application/json",
            environ_overrides={PRERENDER_ENVIRON: True},
        )
        rendered += resp.headers.get(HEADER) == "miss"
    rendered += prerender_images(server, client, current, version, election, model)
    log.info("prerendered %d views of %s in %.1f s", rendered, current, time.monotonic() - started)
    return rendered


def prerender_images(server, client, current: str, version: int, election: str, model) -> int:
    """The headline charts' share-card images of election ``election`` (``model``, its served
    ``Election``; ``dashboard.charts.headline_charts``: by its lead contest's kind, never a president's
    "not reported" chamber), web size, every language: the images the pages' ``og:image`` tags point to,
    drawn before the first link preview asks (~0.5 s each with a warm Chromium, ~3 s for the first).
    ``SAYLAU_PRERENDER_IMAGES=False`` turns it off."""
    if not server.config.get("SAYLAU_PRERENDER_IMAGES", True) or IMAGE_ENDPOINT not in server.view_functions:
        return 0
    from dashboard.charts import headline_charts

    rendered = 0
    for chart in headline_charts(model):
        for lang in LANGUAGES:
            if data_module.source_of(server).served(election)[2] != current:
                return rendered
            # as the pages' og:image tags name them (``dashboard.charts.share_card``): frozen at the version
            resp = client.get(
                f"{data_module.PREFIX}{election}/image/{chart}.png?lang={lang}&v={version}",
                environ_overrides={PRERENDER_ENVIRON: True},
            )
            rendered += resp.headers.get(HEADER) == "miss"
    return rendered
