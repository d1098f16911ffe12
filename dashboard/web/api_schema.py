"""The OpenAPI 3.1 document of every ``/api/v1/`` route, served at ``/api/v1/openapi.json``.

Kept in one place, as data, so the tests can check it against the server's routes (every route under
``/api/v1/`` must be described) and run schemathesis against it. :func:`document` takes the server's
rules: the routes of other modules (``/api/v1/status`` from ``dashboard.web.api``; the audit trail of
``dashboard.web.audit_api``: versions, diffs, flags, the Atom feed) are described only when the server
has them, so the document never promises a route that is not there.
"""

from __future__ import annotations

from dashboard.model import KINDS
from dashboard.web.api_params import CACHE_BUSTER, CACHE_BUSTER_MAX, KEY_PATTERN, PREFIX, UNIT_PATTERN


def _nullable(kind: str, **extra) -> dict:
    return {"type": [kind, "null"], **extra}


INT = {"type": "integer", "minimum": 0}
NINT = _nullable("integer", minimum=0)
NPCT = _nullable("number", minimum=0, maximum=100)
NAMES = {
    "type": "object",
    "description": "Names in Kazakh, Russian and English",
    "required": ["kk", "ru", "en"],
    "properties": {lang: {"type": "string"} for lang in ("kk", "ru", "en")},
}
STATUS = {"type": "string", "enum": ["counting", "preliminary", "final"]}
KIND = {"type": "string", "enum": list(KINDS)}


def _object(properties: dict, required: list[str] | None = None, **extra) -> dict:
    return {"type": "object", "required": list(properties) if required is None else required,
            "properties": properties, **extra}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS = {
    "Error": _object({
        "error": {"type": "string", "description": (
            "'bad request', 'not found', 'not reported', 'method not allowed' or 'unreadable' (a damaged "
            "version); the one shape of every error here, of downloads and of images")},
        "detail": {"type": "string", "description": "What was wrong, in words"},
    }),
    "Progress": _object({"status": STATUS, "stations_counted": NINT, "stations_expected": NINT}),
    "Links": {"type": "object", "additionalProperties": {"type": "string"}},
    "ElectionHead": _object({
        "id": {"type": "string"},
        "date": {"type": "string", "format": "date"},
        "names": NAMES,
        "simulated": {"type": "boolean", "description": "true for the rehearsal election of `simulate`"},
        "version": INT,
        "version_key": {"type": "string", "description": "Identity of the served figures (changes with them)"},
        "kinds": {"type": "array", "items": {"type": "string"},
                  "description": "The kinds of its contests, the one its page leads with first"},
        "status": STATUS,
        "url": {"type": "string", "description": "Its page on this site (/e/<id>/)"},
        "links": _ref("Links"),
    }),
    "Party": _object({
        "key": {"type": "string"},
        "short": NAMES,
        "names": NAMES,
        "colour": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"},
    }),
    "Contest": _object({
        "key": {"type": "string"},
        "body": {"type": "string", "description": (
            "Any body key: built in 'kurultai', 'mazhilis', 'maslikhat', 'president', 'referendum', or one "
            "the package declares")},
        "kind": KIND,
        "area": {"type": "string", "description": "'kz' or a region key"},
        "seats": NINT,
        "status": STATUS,
        "threshold_pct": {**_nullable("number"), "description": "List threshold, % of threshold_base; null "
                          "when not reported (no seats are then computed) or not a party list"},
        "threshold_base": {"type": "string", "enum": ["votes_counted", "took_part"]},
        "tie_rule": {"type": "string"},
        "parties": {"type": "array", "items": {"type": "string"}, "description": "Ballot, in ballot order"},
        "options": {"type": "array", "items": {"type": "string"}, "description": (
            "The ballot's options in ballot order: its parties, its candidates, or 'yes' and 'no'")},
        "question": {**_nullable("object"), "description": "A referendum's question, kk/ru/en"},
        "constitutional": {"type": "boolean", "description": "A referendum on the Constitution"},
        "links": _ref("Links"),
    }),
    "Unit": _object({
        "key": {"type": "string"},
        "kind": {"type": "string", "enum": ["country", "region", "city", "abroad"]},
        "iso_3166_2": _nullable("string"),
        "names": NAMES,
    }),
    "PartyResult": _object({
        "party": {"type": "string"},
        "votes": NINT,
        "share_pct": {**NPCT, "description": (
            "A party's % of votes_counted (party votes + against all); a candidate's or an answer's % of "
            "those who took part (the contest's base)")},
        "passed_threshold": _nullable("boolean"),
        "seats": {**NINT, "description": "Computed from the votes; null when not computable here"},
        "published_seats": {**NINT, "description": "The commission's published allocation, if any"},
    }),
    "UnitResult": _object({
        "unit": {"type": "string"},
        "names": NAMES,
        "status": STATUS,
        "stations_counted": NINT,
        "stations_expected": NINT,
        "reported": {"type": "boolean"},
        "complete": {"type": "boolean"},
        "registered": NINT,
        "took_part": NINT,
        "turnout_pct": {**_nullable("number", minimum=0), "description": (
            "Computed here from the counts: 100 × took_part / registered, unrounded (2023, whole country: "
            "54.188…); null when either count is not reported")},
        "turnout_pct_published": {**_nullable("number", minimum=0), "description": (
            "The election's final turnout in this unit as the commission published it (the turnout "
            "reports' 'final' figure, the one the pages show; 2023, whole country: 54.21); null when not "
            "published. It may differ from turnout_pct by the commission's rounding and counting")},
        "invalid": NINT,
        "against_all": NINT,
        "against_all_share_pct": NPCT,
        "votes_counted": NINT,
        "seats_computed": {"type": "boolean"},
        "seats_projection": {"type": "boolean", "description": "Seats of a partial count: not the result"},
        "parties": {"type": "array", "items": _ref("PartyResult"), "description": (
            "Each option on the ballot: a party, a candidate or an answer ('party' is its key)")},
        "kind": {"type": "string", "enum": list(KINDS), "description": "Only in the contest's own area"},
        "outcome": {**_nullable("object"), "description": (
            "What the figures decide (docs/format.md, 'Kinds of contest and their outcomes'); only in the "
            "contest's own area")},
        "decided": {"type": "boolean", "description": "False while the outcome may still change"},
    }, required=["unit", "names", "status", "stations_counted", "stations_expected", "reported", "complete",
                 "registered", "took_part", "turnout_pct", "turnout_pct_published", "invalid", "against_all",
                 "against_all_share_pct", "votes_counted", "seats_computed", "seats_projection", "parties"]),
    "TurnoutPoint": _object({
        "time": {"type": "string", "description": "ISO 8601 instant, or 'final'"},
        "registered": NINT,
        "took_part": NINT,
        "turnout_pct": {**_nullable("number", minimum=0), "description": (
            "100 × took_part / registered when both are reported, else the figure the report gives")},
    }),
    "SeatsParty": _object({
        "party": {"type": "string"},
        "computed": NINT,
        "published": NINT,
        "agree": _nullable("boolean"),
    }),
    "Allocation": _object({
        "party": {"type": "string", "description": "A party key, or 'independent'"},
        "seats": INT,
        "source": {"type": "string", "enum": ["computed", "published", "derived", "districts"]},
    }),
}

SCHEMAS["Elections"] = _object({
    "elections": {"type": "array", "items": _ref("ElectionHead"), "minItems": 1,
                  "description": "Every election served, newest election day first"},
})
SCHEMAS["Election"] = {"allOf": [_ref("ElectionHead"), _object({
    "notes": {"type": "object", "additionalProperties": _nullable("string")},
    "progress": _ref("Progress"),
    "parties": {"type": "array", "items": _ref("Party")},
    "contests": {"type": "array", "items": _ref("Contest")},
    "units": {"type": "array", "items": _ref("Unit"),
              "description": "The country, the units of the election's day (17 before 8 June 2022) and abroad"},
    "boundaries": {"type": "string", "description": "The boundary set the vote was counted in "
                   "(units_2022: the 17 units before 8 June 2022; units_2023: the 20 since)"},
})]}
SCHEMAS["Contests"] = _object({
    "election": {"type": "string"}, "version": INT, "contests": {"type": "array", "items": _ref("Contest")},
})
SCHEMAS["ContestDetail"] = {"allOf": [_ref("Contest"), _object({
    "election": {"type": "string"}, "version": INT, "progress": _ref("Progress"),
})]}
SCHEMAS["Results"] = _object({
    "election": {"type": "string"},
    "version": INT,
    "contest": _ref("Contest"),
    "results": {"type": "array", "items": _ref("UnitResult")},
})
SCHEMAS["Turnout"] = _object({
    "election": {"type": "string"},
    "version": INT,
    "note": {"type": "string"},
    "series": {"type": "array", "items": _object({
        "unit": {"type": "string"}, "names": NAMES,
        "points": {"type": "array", "items": _ref("TurnoutPoint")},
    })},
})
SCHEMAS["Seats"] = _object({
    "election": {"type": "string"},
    "version": INT,
    "contest": {"type": "string"},
    "kind": {**KIND, "description": "A presidential or referendum contest fills no seats: its lists are empty"},
    "seats": NINT,
    "status": STATUS,
    "stations_counted": NINT,
    "stations_expected": NINT,
    "seats_computed": {"type": "boolean"},
    "seats_projection": {"type": "boolean"},
    "computed_equals_published": _nullable("boolean"),
    "parties": {"type": "array", "items": _ref("SeatsParty")},
    "allocation": {"type": "array", "items": _ref("Allocation")},
    "unaccounted": _nullable("integer"),
})
RANGE = _object({"low": {"type": "number"}, "mid": {"type": "number"}, "high": {"type": "number"}})
PROBABILITY = _nullable("number", minimum=0, maximum=1)
SCHEMAS["Projection"] = _object({
    "election": {"type": "string"},
    "version": INT,
    "contest": {"type": "string"},
    "kind": KIND,
    "status": STATUS,
    "stations_counted": NINT,
    "stations_expected": NINT,
    "note": {"type": "string"},
    "method": {"type": "string", "description": "Where the method is explained (add ?lang=kk|ru|en)"},
    "reason": {**_nullable("string"), "enum": [None, "final", "counted", "switched off", "not enough counted"],
               "description": "Why there is no projection; null when there is one"},
    "projection": {**_nullable("object"), "description": "docs/projection.md: null when there is none",
                   "properties": {
                       "method": {"type": "string", "enum": ["previous_vote_swing", "region_stratification"]},
                       "level": {"type": "number"},
                       "based_on": {"type": "object"},
                       "turnout_pct": RANGE,
                       "parties": {"type": "object", "additionalProperties": _object({
                           "share_pct": RANGE, "p_pass_threshold": PROBABILITY})},
                       "seats": {"type": "object", "additionalProperties": RANGE},
                       "leader": {"type": "string"},
                       "p_elected_outright": PROBABILITY,
                       "p_valid": PROBABILITY,
                       "p_adopted": PROBABILITY,
                   }},
})
SCHEMAS["Status"] = _object({
    "election": {"type": "string"},
    "version": INT,
    "version_key": {"type": "string"},
    "updated": _nullable("string"),
    "status": STATUS,
    "stations_counted": NINT,
    "stations_expected": NINT,
})

# The audit trail (dashboard.web.audit_api, helper "observers"): described as that module answers.
SCHEMAS["Versions"] = _object({
    "election": {"type": "string"},
    "current": INT,
    "versions": {"type": "array", "items": _object({
        "version": INT,
        "time": _nullable("string"),
        "file": _nullable("string"),
        "sha256": _nullable("string"),
        "kind": _nullable("string"),
        "election": _nullable("string"),
        "rollback_to": _nullable("integer"),
        "previous": {**NINT, "description": "The version before; null for version 0 (the built-in package)"},
        "current": {"type": "boolean"},
        "diff": {"type": "string"},
    }, required=["version", "previous", "current", "diff"])},
})
SCHEMAS["Diff"] = _object({
    "version": INT,
    "previous": {**NINT, "description": "null for version 0: nothing before it, no changes"},
    "election": {"type": "string"},
    "previous_election": _nullable("string"),
    "comparable": {"type": "boolean"},
    "changes": {"type": "array", "items": _object({
        "table": {"type": "string"}, "key": {"type": "string"}, "unit": {"type": "string"},
        "field": {"type": "string"}, "before": {}, "after": {}, "delta": _nullable("number"),
    })},
})
SCHEMAS["Flags"] = _object({
    "election": {"type": "string"},
    "version": INT,
    "flags": {"type": "array", "items": {"type": "object", "required": ["rule", "unit"], "properties": {
        "figures": {"type": "object", "description": "The figures the finding quotes, rounded as it prints them"},
        "figures_exact": {"type": "object", "description": "The same figures unrounded"},
    }}},
})

HEADERS = {
    "ETag": {"description": "From the version key, path and query; send it back in If-None-Match",
             "schema": {"type": "string"}},
    "Cache-Control": {"description": "public, max-age=5", "schema": {"type": "string"}},
    "Access-Control-Allow-Origin": {"description": "*", "schema": {"type": "string"}},
}


def _json(schema: dict, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


#: Taken by every route and ignored (``api_params.CACHE_BUSTER``).
CACHE_BUSTER_PARAM = {"name": CACHE_BUSTER, "in": "query", "required": False,
                      "description": "Ignored: a cache-busting value (jQuery's cache: false); the answer is the same",
                      "schema": {"type": "string", "maxLength": CACHE_BUSTER_MAX}}


def _get(summary: str, ok: dict, *, parameters=(), errors=(400, 404), tag="results") -> dict:
    responses = {"200": {**ok, "headers": HEADERS}, "304": {"description": "Not modified (If-None-Match)"}}
    words = {400: "Bad parameter", 404: "Unknown election, contest, unit or path"}
    for status in errors:
        responses[str(status)] = _json(_ref("Error"), words[status])
    return {"get": {"summary": summary, "tags": [tag], "parameters": [*parameters, CACHE_BUSTER_PARAM],
                    "responses": responses}}


def _path_param(name: str, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": {"type": "string", "pattern": KEY_PATTERN}}


ELECTION_ID = _path_param("election_id", "An election's id (see /api/v1/elections)")
CONTEST_KEY = _path_param("contest_key", "A contest key, e.g. mazhilis_party_list")
UNIT = {"name": "unit", "in": "query", "required": False,
        "description": "kz, a region key, abroad or <region>/<station>; omitted: every unit with figures",
        "schema": {"type": "string", "pattern": UNIT_PATTERN, "maxLength": 81}}
E = PREFIX + "/elections/{election_id}"
C = E + "/contests/{contest_key}"

SCHEMAS["Index"] = _object({
    "name": {"type": "string"},
    "openapi": {"type": "string", "description": "This document's path"},
    "election": {"type": "string"},
    "version": INT,
    "links": {"type": "object", "additionalProperties": {"type": "string"},
              "description": "Every route: its path as documented -> the path for the served election"},
})

PATHS = {
    PREFIX + "/": _get("Where to start: this document and every route", _json(_ref("Index"), "Index"),
                       errors=(400,), tag="meta"),
    PREFIX + "/openapi.json": _get("This document", {"description": "OpenAPI 3.1 document",
                                                    "content": {"application/json": {"schema": {"type": "object"}}}},
                                   errors=(400,), tag="meta"),
    PREFIX + "/elections": _get("Every election served, newest first", _json(_ref("Elections"), "Elections"),
                                errors=(400,)),
    E: _get("An election: parties, contests, units", _json(_ref("Election"), "Election"),
            parameters=[ELECTION_ID]),
    E + "/contests": _get("The election's contests", _json(_ref("Contests"), "Contests"), parameters=[ELECTION_ID]),
    C: _get("One contest", _json(_ref("ContestDetail"), "Contest"), parameters=[ELECTION_ID, CONTEST_KEY]),
    C + "/results": _get("Results by unit, raw integers", _json(_ref("Results"), "Results"),
                         parameters=[ELECTION_ID, CONTEST_KEY, UNIT]),
    C + "/seats": _get("Seats: computed from the votes and published", _json(_ref("Seats"), "Seats"),
                       parameters=[ELECTION_ID, CONTEST_KEY]),
    C + "/projection": _get("The night's estimate while counting (not a result)",
                            _json(_ref("Projection"), "Projection"), parameters=[ELECTION_ID, CONTEST_KEY]),
    E + "/turnout": _get("Turnout through election day", _json(_ref("Turnout"), "Turnout series"),
                         parameters=[ELECTION_ID, UNIT]),
}

#: An election's routes as Flask rules.
E_RULE = PREFIX + "/elections/<election_id>"
#: Routes of other modules: Flask rule -> (OpenAPI path, path item); described only when installed.
OTHER_ROUTES = {
    "/e/<election_id>/status.json": ("/e/{election_id}/status.json", {"get": {
        "summary": "The served version of an election and its counting progress (polled by its open pages)",
        "tags": ["live"], "parameters": [ELECTION_ID],
        "responses": {"200": _json(_ref("Status"), "Status"), "304": {"description": "Not modified"},
                      "404": _json(_ref("Error"), "No such election")},
    }}),
    E_RULE + "/versions": (E + "/versions", {"get": {
        "summary": "Every published version of an election (audit trail), from version 0", "tags": ["audit"],
        "parameters": [ELECTION_ID, CACHE_BUSTER_PARAM],
        "responses": {"200": _json(_ref("Versions"), "Versions"), "400": _json(_ref("Error"), "Bad parameter"),
                      "404": _json(_ref("Error"), "No such election")},
    }}),
    E_RULE + "/versions/<n>/diff": (E + "/versions/{n}/diff", {"get": {
        "summary": "What changed in version n against the one before (JSON, or CSV with format=csv)",
        "tags": ["audit"],
        "parameters": [
            ELECTION_ID,
            {"name": "n", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "format", "in": "query", "required": False, "schema": {"type": "string", "enum": ["csv"]}},
            CACHE_BUSTER_PARAM,
        ],
        "responses": {
            "200": {"description": "Changes", "content": {"application/json": {"schema": _ref("Diff")},
                                                          "text/csv": {"schema": {"type": "string"}}}},
            "400": _json(_ref("Error"), "Bad parameter"),
            "404": _json(_ref("Error"), "No such election or version"),
            "500": _json(_ref("Error"), "The version or the one before it cannot be read"),
        },
    }}),
    E_RULE + "/flags": (E + "/flags", {"get": {
        "summary": "Statistical flags for observers", "tags": ["audit"],
        "parameters": [ELECTION_ID, {"name": "lang", "in": "query", "required": False,
                        "description": "The language of titles and findings (default en)",
                        "schema": {"type": "string", "enum": ["kk", "ru", "en"]}}, CACHE_BUSTER_PARAM],
        "responses": {"200": _json(_ref("Flags"), "Flags"), "400": _json(_ref("Error"), "Bad parameter"),
                      "404": _json(_ref("Error"), "No such election")},
    }}),
    "/e/<election_id>/feeds/versions.atom": ("/e/{election_id}/feeds/versions.atom", {"get": {
        "summary": "Atom feed of an election's new versions", "tags": ["audit"],
        "parameters": [ELECTION_ID, CACHE_BUSTER_PARAM],
        "responses": {"200": {"description": "Atom", "content": {"application/atom+xml": {"schema": {"type": "string"}}}},
                      "400": _json(_ref("Error"), "Bad parameter"), "404": _json(_ref("Error"), "No such election")},
    }}),
}


def _with_examples(paths: dict, examples: dict[str, str]) -> dict:
    """``paths`` with an example value on each parameter named in ``examples`` (the served election's id
    and headline contest): a reader can try the routes as written, and schemathesis starts from them."""
    out = {}
    for path, item in paths.items():
        ops = {}
        for method, op in item.items():
            params = [{**p, "example": examples[p["name"]]} if p["name"] in examples else p
                      for p in op.get("parameters", [])]
            ops[method] = {**op, "parameters": params} if "parameters" in op else op
        out[path] = ops
    return out


def document(rules: set[str], examples: dict[str, str] | None = None) -> dict:
    """The OpenAPI document for a server whose URL rules are ``rules``; ``examples`` gives parameter
    example values by name (e.g. ``{"election_id": ..., "contest_key": ..., "unit": "kz"}``)."""
    paths = _with_examples(PATHS, examples or {})
    for rule, (path, item) in OTHER_ROUTES.items():
        if rule in rules:
            paths[path] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Saylau public API",
            "version": "1",
            "description": (
                "Read-only official results of Kazakhstan's elections as this site serves them. Counts are raw "
                "integers and percentages numbers; a figure that was not reported is null, never 0. The site "
                "serves several elections, each at its store's current version (/api/v1/elections). Responses carry an ETag (send "
                "If-None-Match for a 304) and Cache-Control: public, max-age=5; any origin may read them."
            ),
            "license": {"name": "Data: public records of the Central Election Commission"},
        },
        "paths": paths,
        "components": {"schemas": SCHEMAS},
    }
