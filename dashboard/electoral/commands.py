"""``python -m dashboard summary``: a contest's figures, as JSON or as a readable table."""

from __future__ import annotations

import json
import sys

from dashboard.config import default_data_dir
from dashboard.electoral.summary import ContestSummary, contest_summary
from dashboard.regions import unit_name


def _fmt_int(v: int | None) -> str:
    return "not reported" if v is None else f"{v:,}"


def _fmt_pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}%"


def format_summary(s: ContestSummary) -> str:
    lines = [
        f"{s.contest} — {unit_name(s.unit)} ({s.unit})",
        f"  registered      {_fmt_int(s.registered)}",
        f"  took part       {_fmt_int(s.took_part)}",
        f"  turnout         {_fmt_pct(s.turnout_pct)}",
        f"  invalid         {_fmt_int(s.invalid)}",
        f"  against all     {_fmt_int(s.against_all)}  {_fmt_pct(s.against_all_share_pct)}",
        f"  votes counted   {_fmt_int(s.votes_counted)}",
        f"  complete        {'yes' if s.complete else 'no'}"
        f"  (units reporting {s.units_reporting}/{s.units_expected})",
        "",
        f"  {'party':<12} {'votes':>14} {'share':>8} {'threshold':>10} {'seats':>6} {'published':>10}",
    ]
    for p in s.parties:
        passed = {True: "passed", False: "below", None: "—"}[p.passed_threshold]
        lines.append(
            f"  {p.party:<12} {_fmt_int(p.votes):>14} {_fmt_pct(p.share_pct):>8} {passed:>10}"
            f" {'—' if p.seats is None else p.seats:>6} {'—' if p.published_seats is None else p.published_seats:>10}"
        )
    if not s.seats_computed:
        lines.append("")
        lines.append(
            "  seats not computed (incomplete contest, seats not reported, not its own area, or single-mandate)"
        )
    return "\n".join(lines)


def summary_command(args) -> int:
    from dashboard.results.store import Store

    data_dir = args.data_dir if getattr(args, "data_dir", None) else default_data_dir()
    election = Store(data_dir).current()
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
        print(json.dumps(summary.to_dict(), ensure_ascii=False, indent=1))
    else:
        print(format_summary(summary))
    return 0
