"""``python -m dashboard ingest | status | rollback``: the store's command line, for the clerk at the terminal.

Exit codes: 0 accepted/done, 1 the upload was refused (problems on stderr), 2 a usage error, 3 an operator
problem (the store cannot be written or read: read-only or full disk, damaged CURRENT or history.jsonl, a
stored version failing its checksums), printed as one line saying what to do, never a traceback.
"""

from __future__ import annotations

import json
import sys

from dashboard.config import default_data_dir
from dashboard.ingest.names import quoted
from dashboard.ingest.rules import Rejected, StoreProblem
from dashboard.store.store import Store

#: At most this many problems are printed; the full list is in the quarantine report.
MAX_PRINTED = 50
#: Exit codes (documented in README.md and docs/format.md); 2, a usage error, is argparse's own.
ACCEPTED, REJECTED, OPERATOR_PROBLEM = 0, 1, 3


def operator_problem(e: Exception) -> int:
    """One line on stderr, no traceback: the operator, not the upload, has something to fix."""
    print(f"store problem: {e}", file=sys.stderr)
    return OPERATOR_PROBLEM


def _store(args) -> Store:
    return Store(getattr(args, "data_dir", None) or default_data_dir())


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
    try:
        store = _store(args)
        v = store.ingest(args.path, sheet=getattr(args, "sheet", None))
        eid = store.current().id
    except Rejected as e:
        report_rejection(e)
        return REJECTED
    except StoreProblem as e:
        return operator_problem(e)
    print(f"accepted {quoted(str(args.path))}: version {v} is now current (election {eid})")
    return ACCEPTED


def status_command(args) -> int:
    """The served version and history; ``--check`` verifies every stored version (exit 3 naming the bad)."""
    store = _store(args)
    status = store.status()
    problems = list(status.get("problems", []))
    if getattr(args, "check", False):
        problems += [p for p in store.check() if p not in problems]
        status["problems"] = problems
    if getattr(args, "json", False):
        print(json.dumps(status, ensure_ascii=False, indent=1))
    else:
        v = status["version"]
        print(f"version {v}" + (" (embedded 2023 data)" if v == 0 else "") + f", election {status['election']}")
        for h in status["history"]:
            what = f"rollback to {h.get('rollback_to')}" if h.get("kind") == "rollback" else f"{h.get('kind')} {h.get('file')}"
            sha = f" sha256 {h['sha256']}" if h.get("sha256") else ""
            print(f"  {h['version']:>4}  {h.get('time')}  {what}{sha}")
        if getattr(args, "check", False) and not problems:
            print(f"check: every version ({len(status['history'])}) matches its manifest and history.jsonl")
    for p in problems:
        print(f"store problem: {p}", file=sys.stderr)
    return OPERATOR_PROBLEM if problems else ACCEPTED


def rollback_command(args) -> int:
    try:
        v = _store(args).rollback(args.version)
    except KeyError as e:
        print(f"rollback: {e.args[0]}", file=sys.stderr)
        return REJECTED
    except StoreProblem as e:
        return operator_problem(e)
    print(f"version {v} is now current (same data as version {args.version})")
    return ACCEPTED
