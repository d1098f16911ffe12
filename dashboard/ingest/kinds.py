"""The parts of election.json that say which kinds of vote an election holds: declared bodies, presidential
candidates, and each contest's kind-specific fields (a referendum's question, a presidential ballot).

Errors are collected as words into ``errs`` (``validate.parse_election_json`` turns them into one
``bad-election-json`` problem each), never raised: every problem of a package is reported at once.
Every text here ends up on a page, so it is checked as text of bounded length (``validate._names``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dashboard.model import (
    ANSWERS,
    BODY_NAMES,
    INDEPENDENT,
    PRESIDENTIAL_BASES,
    RESULT_BASE_COLUMNS,
    Candidate,
)

KEY = re.compile(r"[a-z][a-z0-9_]*")
#: Keys no party or candidate may take: they are already columns of results.csv (or a districts.csv word).
RESERVED_KEYS = frozenset({INDEPENDENT, *RESULT_BASE_COLUMNS, *ANSWERS})
#: At most this many declared bodies (a country has a handful of elected bodies).
MAX_BODIES = 64
#: Fields each kind of contest may carry beyond the common ones (key, body, kind, area, status, …).
KIND_FIELDS = {
    "party_list": {"seats", "threshold_pct", "threshold_base", "tie_rule", "parties"},
    "single_mandate": {"seats", "threshold_pct", "threshold_base", "tie_rule", "parties"},
    "presidential": {"candidates", "base", "published_outcome", "seats"},
    "referendum": {"question", "constitutional", "published_outcome"},
}
#: What a published outcome may state, by kind, and the check of each value.
_PUBLISHED: dict[str, dict[str, Callable[[object], bool]]] = {
    "referendum": {
        "valid": lambda v: isinstance(v, bool),
        "adopted": lambda v: isinstance(v, bool),
        "units_with_yes_majority": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1000,
        "units_required": lambda v: isinstance(v, int) and not isinstance(v, bool) and 0 <= v <= 1000,
    },
    "presidential": {
        "elected": lambda v: v is None or isinstance(v, str),
        "second_round": lambda v: v is None or (isinstance(v, list) and len(v) == 2
                                                and all(isinstance(x, str) for x in v)),
    },
}

Names = Callable[[object, str, list[str]], dict]


def parse_bodies(raw, errs: list[str], names: Names) -> dict[str, dict]:
    """election.json ``bodies``: [{"key", "names": {kk, ru, en}}] -> {key: names}; a declared body may
    also rename a built-in one."""
    if raw is None:
        return {}
    if not isinstance(raw, list) or len(raw) > MAX_BODIES:
        errs.append(f"'bodies' must be a list of at most {MAX_BODIES} bodies")
        return {}
    out: dict[str, dict] = {}
    for i, b in enumerate(raw):
        where = f"bodies[{i}]"
        key = b.get("key") if isinstance(b, dict) else None
        if not isinstance(key, str) or not KEY.fullmatch(key) or len(key) > 64:
            errs.append(f"{where}.key must be lowercase letters, digits, _ (got {str(key)[:40]!r})")
            continue
        if key in out:
            errs.append(f"body {key!r} is declared twice")
        unknown = set(b) - {"key", "names"}
        if unknown:
            errs.append(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
        out[key] = names(b.get("names"), f"{where}.names", errs)
        if not out[key]:
            errs.append(f"{where}.names must name the body in kk, ru and en")
    return out


def check_body(body, declared: dict, where: str, errs: list[str]) -> None:
    """A contest's body: a built-in one (BODY_NAMES) or one declared in ``bodies``; there is no enum."""
    if not isinstance(body, str) or not (body in BODY_NAMES or body in declared):
        known = ", ".join([*BODY_NAMES, *(k for k in declared if k not in BODY_NAMES)])
        errs.append(f"{where}.body must be a built-in body or one declared in 'bodies' ({known}); "
                    f"got {str(body)[:40]!r}")


def parse_candidates(raw, taken: set[str], cap: int, errs: list[str], names: Names,
                     colour: Callable[[object, str, list[str]], str]) -> list[Candidate]:
    """election.json ``candidates``; each key (a surname in lowercase Latin) is a results.csv column, so
    it may not be a reserved word, a party key or another candidate's key."""
    if raw is None:
        return []
    if not isinstance(raw, list) or len(raw) > cap:
        errs.append(f"'candidates' must be a list of at most {cap} candidates")
        return []
    out: list[Candidate] = []
    for i, c in enumerate(raw):
        where = f"candidates[{i}]"
        key = c.get("key") if isinstance(c, dict) else None
        if not isinstance(c, dict) or not isinstance(key, str) or not KEY.fullmatch(key):
            errs.append(f"{where}.key must be lowercase letters, digits, _ (got {str(key)[:40]!r})")
            continue
        if key in RESERVED_KEYS:
            errs.append(f"{where}.key {key!r} is reserved (a column of results.csv)")
        elif key in taken:
            errs.append(f"{where}.key {key!r} is already a party or candidate key: each column means one option")
        taken.add(key)
        unknown = set(c) - {"key", "names", "short", "colour", "color", "nominated_by"}
        if unknown:
            errs.append(f"{where} has unknown fields: {', '.join(sorted(map(str, unknown)))}")
        full = names(c.get("names", {"en": key}), f"{where}.names", errs)
        short = names(c["short"], f"{where}.short", errs) if "short" in c else dict(full)
        nominated = names(c["nominated_by"], f"{where}.nominated_by", errs) if "nominated_by" in c else None
        out.append(Candidate(key, full, short, colour(c.get("colour", c.get("color")), where, errs),
                             nominated_by=nominated))
    return out


def contest_fields(c: dict, kind: str, candidate_keys: set[str], where: str, errs: list[str],
                   names: Names) -> dict:
    """The kind-specific fields of one contest, checked: each kind takes only its own fields."""
    allowed = KIND_FIELDS.get(kind, set())
    foreign = {f for f in set().union(*KIND_FIELDS.values()) if f in c} - allowed
    if foreign:
        errs.append(f"{where} is a {kind} contest and cannot have {', '.join(sorted(foreign))}")
    out: dict = {}
    if kind == "referendum":
        question = names(c.get("question"), f"{where}.question", errs) if "question" in c else {}
        if not question:
            errs.append(f"{where}.question must give the referendum's question in kk, ru and en")
        out["question"] = question or None
        constitutional = c.get("constitutional", False)
        if not isinstance(constitutional, bool):
            errs.append(f"{where}.constitutional must be true or false")
        out["constitutional"] = constitutional is True
    if kind == "presidential":
        out["candidates"] = _ballot(c.get("candidates", []), candidate_keys, where, errs)
        base = c.get("base", "took_part")
        if base not in PRESIDENTIAL_BASES:
            errs.append(f"{where}.base must be one of {', '.join(PRESIDENTIAL_BASES)} (got {str(base)[:40]!r})")
            base = "took_part"
        out["base"] = base
    if "published_outcome" in c and kind in _PUBLISHED:
        out["published_outcome"] = _published(c["published_outcome"], kind, candidate_keys, where, errs)
    return out


def _ballot(listed, candidate_keys: set[str], where: str, errs: list[str]) -> tuple[str, ...]:
    if not isinstance(listed, list) or any(not isinstance(x, str) or x not in candidate_keys for x in listed):
        errs.append(f"{where}.candidates must list keys of 'candidates' (got {str(listed)[:80]})")
        return ()
    if len(set(listed)) != len(listed):
        errs.append(f"{where}.candidates lists a candidate twice")
    return tuple(dict.fromkeys(listed))


def _published(raw, kind: str, candidate_keys: set[str], where: str, errs: list[str]) -> dict | None:
    """A published outcome: only the fields its kind can state, each of the right type."""
    checks = _PUBLISHED[kind]
    if not isinstance(raw, dict) or not raw:
        errs.append(f"{where}.published_outcome must be an object with some of: {', '.join(checks)}")
        return None
    bad = [str(k)[:40] for k, v in raw.items() if k not in checks or not checks[k](v)]
    named = [raw.get("elected")] + list(raw.get("second_round") or []) if kind == "presidential" else []
    bad += [f"{x} (not a candidate)" for x in named if isinstance(x, str) and x not in candidate_keys]
    if bad:
        errs.append(f"{where}.published_outcome: wrong or unknown fields {', '.join(bad)} "
                    f"(allowed: {', '.join(checks)})")
        return None
    return dict(raw)
