"""``python -m dashboard ingest PATH | status | rollback``: the store's command line, election by election."""

from __future__ import annotations

import json
import sys

from dashboard.commands import ACCEPTED, OPERATOR_PROBLEM, REJECTED, library, operator_problem, usage
from dashboard.ingest.names import quoted
from dashboard.ingest.rules import Rejected, StoreProblem
from dashboard.store.library import Library

#: At most this many problems are printed; the full list is in the quarantine report.
MAX_PRINTED = 50


def report_rejection(e: Rejected, out=None, limit: int = MAX_PRINTED) -> None:
    """One ``FILE:LINE: RULE: message`` line per problem, capped, then where the upload was kept."""
    out = out or sys.stderr
    for p in e.problems[:limit]:
        print(p, file=out)
    if len(e.problems) > limit:
        print(f"… and {len(e.problems) - limit} more problems", file=out)
    n = len(e.problems)
    print(f"rejected: {n} problem{'s' if n != 1 else ''}; nothing was changed", file=out)
    if e.quarantined:
        print(f"quarantined: {e.quarantined} (report: {e.quarantined}.problems.txt)", file=out)


def ingest_command(args) -> int:
    """Ingest one upload into the election it belongs to (a lone update: ``--election``, else the
    election accepted most recently, and the line says which)."""
    try:
        got = library(args).ingest(args.path, election=getattr(args, "election", None),
                                   sheet=getattr(args, "sheet", None))
    except Rejected as e:
        report_rejection(e)
        return REJECTED
    except StoreProblem as e:
        return operator_problem(e)
    routed = {"latest": f"; a lone update, given to election {got.election}, the one accepted most recently "
                        "(choose with --election ID)",
              "new": f"; election {got.election} added"}.get(got.route, "")
    print(f"accepted {quoted(str(args.path))}: version {got.version} is now current (election {got.election})"
          + routed)
    return ACCEPTED


def _history_lines(history: list[dict]) -> list[str]:
    lines = []
    for h in history:
        what = f"rollback to {h.get('rollback_to')}" if h.get("kind") == "rollback" else f"{h.get('kind')} {h.get('file')}"
        sha = f" sha256 {h['sha256']}" if h.get("sha256") else ""
        lines.append(f"  {h['version']:>4}  {h.get('time')}  {what}{sha}")
    return lines


def _for_election(problem: str, election_id: str) -> str:
    """A store's advice names the election its rollback is for (several elections: --election is needed)."""
    return problem.replace("dashboard rollback N", f"dashboard rollback N --election {election_id}")


def _entry_line(e: dict, default: object) -> str:
    v = e["version"]
    return (f"election {e['id']} ({e['date'] or 'no date'}): "
            + ("no version can be served" if v is None else f"version {v}")
            + (" (embedded package)" if v == 0 else "")
            + (", simulated" if e.get("simulated") else "") + (", front page" if e["id"] == default else ""))


def status_command(args) -> int:
    """Every election's served version and history (``--election``: one); ``--check`` verifies every
    stored version of each (exit 3, each problem naming its election and version)."""
    lib = library(args)
    status = lib.status()
    entries: list[dict] = status["elections"]
    only = getattr(args, "election", None)
    if only is not None:
        entries = [e for e in entries if e["id"] == only]
        if not entries:
            return usage("status", f"there is no election {only!r} (known: {', '.join(lib.ids())})")
    problems = [str(p) for p in status.get("problems", [])]
    checked = getattr(args, "check", False)
    for e in entries:
        mine = list(e.get("problems", []))
        if checked:
            mine += [p for p in lib.store(e["id"]).check() if p not in mine]
        mine = [_for_election(p, e["id"]) for p in mine]
        if mine:
            e["problems"] = mine
        problems += [f"election {e['id']}: {p}" for p in mine]
    if getattr(args, "json", False):
        out = entries[0] if only is not None else {**status, "elections": entries}
        if only is None and problems:
            out["problems"] = problems
        print(json.dumps(out, ensure_ascii=False, indent=1))
    else:
        for e in entries:
            print(_entry_line(e, status.get("default")))
            print("\n".join(_history_lines(e["history"])) or "  (nothing ingested)")
        if checked and not problems:
            n = sum(len(e["history"]) for e in entries)
            print(f"check: every version ({n}) of {len(entries)} election{'s' if len(entries) != 1 else ''} "
                  "matches its manifest and history.jsonl")
    for p in problems:
        print(f"store problem: {p}", file=sys.stderr)
    return OPERATOR_PROBLEM if problems else ACCEPTED


def rollback_target(lib: Library, election: str | None) -> str:
    """The election a rollback applies to: ``--election``, else the only one with versions (or the only
    one there is); raises ValueError (a usage error) when that leaves a choice."""
    ids = lib.ids()
    if election is not None:
        if election not in ids:
            raise ValueError(f"there is no election {election!r} (known: {', '.join(ids)})")
        return election
    with_versions = [e for e in ids if lib.store(e).history()]
    if len(with_versions) == 1 or (not with_versions and len(ids) == 1):
        return (with_versions or ids)[0]
    which = with_versions or ids
    raise ValueError(f"{len(which)} elections have versions ({', '.join(which)}); say which with --election ID")


def rollback_command(args) -> int:
    lib = library(args)
    try:
        eid = rollback_target(lib, getattr(args, "election", None))
        v = lib.store(eid).rollback(args.version)
    except ValueError as e:
        return usage("rollback", str(e))
    except KeyError as e:
        print(f"rollback: {e.args[0]} of election {eid}", file=sys.stderr)
        return REJECTED
    except StoreProblem as e:
        return operator_problem(e)
    print(f"version {v} is now current (same data as version {args.version}; election {eid})")
    return ACCEPTED
