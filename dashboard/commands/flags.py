"""``python -m dashboard flags [--election ID]``: the observers' flags of an election's served version."""

from __future__ import annotations

import json
import sys

from dashboard.commands import USAGE, UnknownElection, served_election
from dashboard.observers.flags import flags_of


def flags_command(args) -> int:
    """Rule, unit, figures and meaning of each flag (``--election`` defaults to the front page's)."""
    try:
        _, version, election = served_election(args, "flags")
    except UnknownElection:
        return USAGE
    lang = getattr(args, "lang", "en") or "en"
    flags = [f.as_dict(lang) for f in flags_of(election)]
    if getattr(args, "json", False):
        json.dump({"election": election.id, "version": version, "flags": flags}, sys.stdout,
                  ensure_ascii=False, indent=1)
        print()
        return 0
    print(f"{len(flags)} flag(s) in election {election.id}, version {version}")
    for f in flags:
        where = " ".join(x for x in (f["unit"], f["contest"], f["time"]) if x)
        print(f"- {f['rule']}  {where}\n    {f['finding']}\n    {f['meaning']}")
    return 0
