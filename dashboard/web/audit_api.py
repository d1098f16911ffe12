"""The audit trail and the flags of each election as data: ``/api/v1/elections/<id>/versions``,
``…/versions/<n>/diff`` (JSON, or CSV with ``?format=csv``), ``…/flags`` and the Atom feed
``/e/<id>/feeds/versions.atom``. Each election has its own store, so its own versions and feed.

Newsrooms and observers subscribe to the feed to hear of every new version; each entry links to the
version's diff. File names come from uploads, so every text goes into the feed through ElementTree (which
escapes it) after dropping the few characters XML 1.0 cannot carry at all.
"""

from __future__ import annotations

import json
import logging
import re
import xml.etree.ElementTree as ET

from flask import Response, request

from dashboard.components import data as data_module
from dashboard.observers import audit
from dashboard.observers.flags import flags_of
from dashboard.regions import LANGUAGES
from dashboard.web.api_params import ApiError, BadRequest, NotFound, canonical_query, error_response

log = logging.getLogger(__name__)

ATOM = "http://www.w3.org/2005/Atom"
#: At most this many versions in the feed (newest first); the JSON list has them all.
FEED_ENTRIES = 100
#: Characters XML 1.0 forbids even escaped (C0 controls but tab, newline, carriage return; surrogates; FFFE/F).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _json(body, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def _store():
    """The store of the request's election, or None for the demo election (served from memory: no
    versions)."""
    source = data_module.source()
    return None if source.demo else source.store(data_module.election_id())


def _versions(store) -> list[dict]:
    rows = audit.versions(store) if store is not None else []
    base = data_module.versions_path(data_module.election_id())
    return [{**r, "diff": f"{base}/{r['version']}/diff"} for r in rows]



def _client_errors(view):
    """``view`` answering a bad parameter (400) or an unknown version (404) as the API's JSON
    ``{"error", "detail"}``; unknown parameters are refused as on every ``/api/v1/`` route."""

    def answer(election_id: str, **path):
        try:
            try:
                data_module.use_election(election_id)
            except data_module.UnknownElection:
                raise NotFound(f"no election {election_id[:60]!r}; see /api/v1/elections") from None
            return view(**path)
        except ApiError as exc:
            return error_response(exc)

    answer.__name__ = view.__name__
    answer.__doc__ = view.__doc__
    return answer


def versions_route():
    canonical_query(())
    store = _store()
    election = data_module.election()
    return _json({"election": election.id, "current": data_module.version(), "versions": _versions(store)})


def diff_route(n: str):
    fmt = canonical_query(("format",)).get("format")
    if fmt not in (None, "csv"):
        raise BadRequest(f"parameter 'format' must be 'csv' (or left out for JSON); got {fmt[:20]!r}")
    store = _store()
    try:
        version = int(n)
        if store is None:
            raise KeyError(version)
        result = audit.diff_version(store, version)
    except (ValueError, KeyError):
        raise NotFound(f"there is no version {n[:40]!r}") from None
    except Exception:  # a damaged version (the store refuses to read it): say so, without paths
        log.exception("diff of version %s", n)
        return _json({"error": "unreadable", "detail": f"version {n} or the one before it cannot be read; "
                      "'python -m dashboard status' says why"}, 500)
    if fmt == "csv":
        resp = Response(audit.changes_csv(result), mimetype="text/csv")
        resp.headers["Content-Disposition"] = f'attachment; filename="saylau-version-{version}-diff.csv"'
        return resp
    return _json(result)


def flags_route():
    lang = canonical_query(("lang",)).get("lang", "en")
    if lang not in LANGUAGES:
        raise BadRequest(f"parameter 'lang' must be one of {', '.join(LANGUAGES)}; got {lang[:20]!r}")
    election = data_module.election()
    flags = [f.as_dict(lang) for f in flags_of(election)]
    return _json({"election": election.id, "version": data_module.version(), "flags": flags})


def _text(parent, tag: str, text: str, **attrs) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}", attrs)
    el.text = _NOT_XML.sub("\ufffd", str(text))
    return el


def atom_feed(rows: list[dict], root: str, election_id: str) -> bytes:
    """The Atom document (RFC 4287) of the version records ``rows`` (oldest first), newest entry first."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    feed_url = root + data_module.feed_path(election_id).lstrip("/")
    versions_url = root + data_module.versions_path(election_id).lstrip("/")
    _text(feed, "id", feed_url)
    _text(feed, "title", f"Saylau: versions of the results ({election_id})")
    newest = max((r["time"] for r in rows if r.get("time")), default="1970-01-01T00:00:00Z")
    _text(feed, "updated", newest)
    ET.SubElement(feed, f"{{{ATOM}}}link", {"rel": "self", "href": feed_url})
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _text(author, "name", "Saylau")
    for r in list(reversed(rows))[:FEED_ENTRIES]:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        v = r["version"]
        what = f"rollback to version {r.get('rollback_to')}" if r.get("kind") == "rollback" else \
            f"{r.get('kind')} {r.get('file')}"
        against = "nothing before it" if r.get("previous") is None else \
            f"changes against version {r.get('previous')}: {versions_url}/{v}/diff?format=csv"
        _text(entry, "id", f"{versions_url}/{v}")
        _text(entry, "title", f"Version {v}: {what}")
        _text(entry, "updated", r.get("time") or newest)
        ET.SubElement(entry, f"{{{ATOM}}}link", {"href": f"{versions_url}/{v}/diff"})
        _text(entry, "summary", f"Election {r.get('election')}; file {r.get('file')}; sha256 {r.get('sha256')}; "
                                f"{against}")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def feed_route():
    canonical_query(())
    store = _store()
    body = atom_feed(_versions(store), request.url_root, data_module.election().id)
    return Response(body, mimetype="application/atom+xml")


def install(server) -> None:
    """Add the audit-trail routes to the Flask server."""
    election = "/api/v1/elections/<election_id>"
    server.add_url_rule(election + "/versions", "saylau_versions", _client_errors(versions_route))
    server.add_url_rule(election + "/versions/<n>/diff", "saylau_version_diff", _client_errors(diff_route))
    server.add_url_rule(election + "/flags", "saylau_flags", _client_errors(flags_route))
    server.add_url_rule("/e/<election_id>/feeds/versions.atom", "saylau_versions_feed", _client_errors(feed_route))
