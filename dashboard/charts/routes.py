"""The catalogue's HTTP answers: ``/download/<chart>.csv|json|xlsx`` and ``/image/<chart>.png|svg``.

Both take the embed's parameters (``lang``, the chart's ``PARAMS``) and ``v``: a frozen link, answered
from that published version with ``Cache-Control: public, max-age=31536000, immutable`` (its figures
never change). Without ``v`` an answer is the served version's, revalidated (``no-cache``). Provenance
rides in the file name and the ``X-Saylau-*`` headers.
"""

from __future__ import annotations

from flask import Response, abort, request

from dashboard.components import data as data_module
from dashboard.i18n import normalise_language

from . import MODULES, build, export, frozen_version, images, source_text

DOWNLOAD_ROUTE = "/download/<chart>.<fmt>"
#: The endpoint the HTTP cache (``dashboard.web.fastcache``) answers downloads for.
DOWNLOAD_ENDPOINT = "saylau_download_csv"
IMAGE_ROUTE = "/image/<chart>.<fmt>"
IMMUTABLE = "public, max-age=31536000, immutable"


def pin_frozen() -> int | None:
    """Serve this request from the version its ``v`` names (a published one), if any; 404 if ``v`` names
    a version that cannot be read."""
    frozen = frozen_version(request.args.get("v"))
    if frozen is None:
        return None
    if data_module.use_version(frozen, load=True) != frozen:
        abort(404, description=f"version {frozen} is not published")
    return frozen


def _provenance(resp: Response, frozen: int | None) -> Response:
    version, election, version_key = data_module.served()
    resp.headers["X-Saylau-Election"] = election.id
    resp.headers["X-Saylau-Version"] = str(version)
    resp.headers["X-Saylau-Version-Key"] = version_key
    resp.headers["X-Saylau-Source"] = export.SOURCE
    resp.headers["Cache-Control"] = IMMUTABLE if frozen is not None else "no-cache"
    return resp


def _query() -> dict:
    return {k: v for k, v in request.args.items() if k not in ("lang", "v", "size")}


def download(chart: str, fmt: str):
    if chart not in MODULES or fmt not in export.MIMETYPES:
        abort(404)
    frozen = pin_frozen()
    lang = normalise_language(request.args.get("lang"))
    version, election, version_key = data_module.served()
    c = build(election, chart, lang, with_table=True, **_query())
    if fmt == "csv":
        body = export.csv_bytes(c.table)
    elif fmt == "xlsx":
        body = export.xlsx_bytes(c.table, sheet=chart)
    else:
        meta = {
            "chart": chart,
            "title": c.title,
            "election": election.id,
            "version": version,
            "version_key": version_key,
            "source": source_text(lang, version, simulated=bool(election.simulated)),
            "lang": lang,
            "params": c.params,
            "simulated": bool(election.simulated),
        }
        body = export.json_bytes(c.table, meta)
    name = export.file_name(election.id, version, chart, c.params, lang, fmt)
    resp = Response(body, mimetype=export.MIMETYPES[fmt])
    if fmt in ("csv", "json"):
        resp.headers["Content-Type"] = f"{export.MIMETYPES[fmt]}; charset=utf-8"
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return _provenance(resp, frozen)


def image(chart: str, fmt: str):
    if chart not in MODULES or fmt not in images.FORMATS:
        abort(404)
    size = request.args.get("size") or "web"
    if size not in images.SIZES:
        abort(400, description=f"size must be one of {', '.join(images.SIZES)}")
    frozen = pin_frozen()
    lang = normalise_language(request.args.get("lang"))
    version, election, _key = data_module.served()
    c = build(election, chart, lang, **_query())
    if c.figure is None:
        abort(404, description=c.message or "not reported")
    credit = source_text(lang, version, simulated=bool(election.simulated))
    try:
        body = images.image(c, fmt, size, credit, lang)
    except images.Busy:
        busy = Response(
            "The image renderer is busy; try again in a few seconds.\n", 503, mimetype="text/plain"
        )
        busy.headers["Retry-After"] = "5"
        return busy
    except images.Unavailable as e:
        return Response(f"{e}\n", 503, mimetype="text/plain")
    resp = Response(body, mimetype=images.FORMATS[fmt])
    return _provenance(resp, frozen)


def install(server) -> None:
    server.add_url_rule(DOWNLOAD_ROUTE, DOWNLOAD_ENDPOINT, download)
    server.add_url_rule(IMAGE_ROUTE, "saylau_image", image)
