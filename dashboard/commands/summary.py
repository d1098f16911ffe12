"""``python -m dashboard summary --election ID --contest KEY``: a contest's figures, as JSON or a table."""

from __future__ import annotations

import json
import sys

from dashboard.commands import USAGE, UnknownElection, emit, served_election
from dashboard.config import projection_enabled
from dashboard.electoral.commands import format_summary
from dashboard.electoral.progress import contest_progress
from dashboard.electoral.projection import estimate
from dashboard.electoral.summary import contest_summary
from dashboard.electoral.turnout import named_turnouts


def summary_command(args) -> int:
    """The served version of ``--election`` (default: the front page's election, ``Library.default_id``)."""
    try:
        lib, _, election = served_election(args, "summary")
    except UnknownElection:
        return USAGE
    try:
        contest = election.contest(args.contest)
    except KeyError:
        known = ", ".join(c.key for c in election.contests)
        print(f"unknown contest {args.contest!r}; known: {known}", file=sys.stderr)
        return 2
    unit = getattr(args, "unit", None) or contest.area
    try:
        summary = contest_summary(election, contest.key, unit)
    except ValueError as e:
        print(str(e), file=sys.stderr)
        return 2
    if getattr(args, "json", False):
        doc = summary.to_dict()
        # the night's estimate while counting, in the contest's own area (docs/projection.md); null otherwise
        doc["projection"] = None
        counting = len(election.stations) and contest_progress(election, contest.key, contest.area).partial
        if unit == contest.area and counting and projection_enabled():
            def lookup(eid: str):
                return lib.served(eid)[1] if lib.known(eid) else None

            earlier = [e for e in lib.ids() if lib.meta(e).date < election.date]  # later ones are not loaded
            doc["projection"] = estimate(election, contest.key, lookup, earlier)
        return emit(json.dumps(doc, ensure_ascii=False, indent=1))
    same_base = contest.threshold_base == "votes_counted"  # the shares' base: the verdict applies
    names = {p.key: p.short_name("en") for p in election.option_objects}
    turnouts = named_turnouts(election, summary.unit)
    return emit(format_summary(summary, contest.threshold_pct if same_base else None, names, turnouts,
                               against_all_on_ballot=contest.has_against_all))
