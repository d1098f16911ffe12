"""The catalogue's HTTP answers: ``/e/<election>/download/<chart>.csv|json|xlsx`` and
``/e/<election>/image/<chart>.png|svg`` (an election that is not served: 404).

Both take the embed's parameters (``lang``, the chart's ``PARAMS``) and ``v``: a frozen link, answered
from that published version with ``Cache-Control: public, max-age=31536000, immutable`` (its figures
never change). Without ``v`` an answer is the served version's, revalidated (``no-cache``). Provenance
rides in the file name and the ``X-Saylau-*`` headers.
"""

from __future__ import annotations

from flask import Response, request

from dashboard.components import data as data_module
from dashboard.i18n import normalise_language
from dashboard.web.api_params import ApiError, BadRequest, NotFound, NotReported, error_response

from . import MODULES, BadParameter, build, check_params, export, frozen_version, images, source_text

DOWNLOAD_ROUTE = "/e/<election>/download/<chart>.<fmt>"
#: The endpoint the HTTP cache (``dashboard.web.fastcache``) answers downloads for.
DOWNLOAD_ENDPOINT = "saylau_download_csv"
IMAGE_ROUTE = "/e/<election>/image/<chart>.<fmt>"
IMMUTABLE = "public, max-age=31536000, immutable"


def pin_frozen() -> int | None:
    """Serve this request from the version its ``v`` names (a published one), if any; 404 if ``v`` names
    a version that cannot be read."""
    frozen = frozen_version(request.args.get("v"))
    if frozen is None:
        return None
    if data_module.use_version(frozen, load=True) != frozen:
        raise NotFound(f"version {frozen} is not published")
    return frozen


def _checked(chart: str, fmt: str, formats) -> tuple:
    """(frozen version, lang, (version, election, key)) of a download or image request, after refusing
    an unknown chart or format (404) and a parameter value the chart does not know (400)."""
    if chart not in MODULES:
        raise NotFound(f"no chart {chart[:40]!r}; charts: {', '.join(MODULES)}")
    if fmt not in formats:
        raise NotFound(f"no format {fmt[:20]!r}; formats: {', '.join(formats)}")
    frozen = pin_frozen()
    served = data_module.served()
    try:
        check_params(served[1], chart, **_query())
    except BadParameter as exc:
        raise BadRequest(str(exc)) from None
    return frozen, normalise_language(request.args.get("lang")), served


def _answer(view):
    """``view`` answering its client errors as JSON ``{"error", "detail"}`` (no traceback logged: they
    are the client's, not ours)."""

    def answer(election: str, chart: str, fmt: str):
        try:
            try:
                data_module.use_election(election)
            except data_module.UnknownElection:
                raise NotFound(f"no election {election[:60]!r}; see /api/v1/elections") from None
            return view(chart, fmt)
        except ApiError as exc:
            return error_response(exc)

    answer.__name__ = view.__name__
    answer.__doc__ = view.__doc__
    return answer


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
    frozen, lang, (version, election, version_key) = _checked(chart, fmt, export.MIMETYPES)
    c = build(election, chart, lang, with_table=True, **_query())
    if c.figure is None and not len(c.table):
        raise NotReported(c.message or "not reported")
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
    size = request.args.get("size") or "web"
    if size not in images.SIZES:
        raise BadRequest(f"size must be one of {', '.join(images.SIZES)}")
    frozen, lang, (version, election, _key) = _checked(chart, fmt, images.FORMATS)
    c = build(election, chart, lang, **_query())
    if c.figure is None:
        raise NotReported(c.message or "not reported")
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


def old_units_geojson():
    """The 17 units before 8 June 2022 (``geodata/units_2022.geojson``), for the maps of the change in
    turnout that compare on them: a static file, cached by the browser for a day."""
    from dashboard.geodata import GEODATA_DIR

    path = GEODATA_DIR / "units_2022.geojson"
    if not path.is_file():
        return Response("units_2022.geojson has not been built", status=404, mimetype="text/plain")
    resp = Response(path.read_bytes(), mimetype="application/geo+json")
    resp.headers["Cache-Control"] = "public, max-age=86400"
    return resp


def install(server) -> None:
    server.add_url_rule(DOWNLOAD_ROUTE, DOWNLOAD_ENDPOINT, _answer(download))
    server.add_url_rule(IMAGE_ROUTE, "saylau_image", _answer(image))
    if not any(r.rule == "/geodata/units_2022.geojson" for r in server.url_map.iter_rules()):
        server.add_url_rule("/geodata/units_2022.geojson", "saylau_units_2022_geojson", old_units_geojson)
