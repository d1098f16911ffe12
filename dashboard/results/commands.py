"""``python -m dashboard ingest | status | rollback``: the store's command line, for the clerk at the terminal.

Exit codes: 0 accepted/done, 1 the upload was refused (problems on stderr), 2 a usage error.
"""

from __future__ import annotations

import json
import sys

from dashboard.config import default_data_dir
from dashboard.results.rules import Rejected
from dashboard.results.store import Store

#: At most this many problems are printed; the full list is in the quarantine report.
MAX_PRINTED = 50


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
    store = _store(args)
    try:
        v = store.ingest(args.path, sheet=getattr(args, "sheet", None))
    except Rejected as e:
        report_rejection(e)
        return 1
    print(f"accepted {args.path}: version {v} is now current (election {store.current().id})")
    return 0


def status_command(args) -> int:
    status = _store(args).status()
    if getattr(args, "json", False):
        print(json.dumps(status, ensure_ascii=False, indent=1))
        return 0
    print(f"version {status['version']}" + (" (embedded 2023 data)" if status["version"] == 0 else "")
          + f", election {status['election']}")
    for h in status["history"]:
        what = f"rollback to {h.get('rollback_to')}" if h["kind"] == "rollback" else f"{h['kind']} {h['file']}"
        sha = f" sha256 {h['sha256']}" if h.get("sha256") else ""
        print(f"  {h['version']:>4}  {h['time']}  {what}{sha}")
    return 0


def rollback_command(args) -> int:
    store = _store(args)
    try:
        v = store.rollback(args.version)
    except KeyError as e:
        print(f"rollback: {e.args[0]}", file=sys.stderr)
        return 1
    print(f"version {v} is now current (same data as version {args.version})")
    return 0
