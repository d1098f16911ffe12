"""A contest's figures as the readable table ``python -m dashboard summary`` prints (the command itself:
``dashboard/commands/summary.py``)."""

from __future__ import annotations

from dashboard.electoral.progress import Progress, progress_line
from dashboard.electoral.rounding import format_plain_pct
from dashboard.electoral.summary import ContestSummary
from dashboard.regions import unit_name


def _fmt_int(v: int | None) -> str:
    return "not reported" if v is None else f"{v:,}"


def _fmt_pct(v: float | None) -> str:
    return "—" if v is None else f"{v:.2f}%"


def format_summary(
    s: ContestSummary,
    threshold_pct: float | None = None,
    names: dict[str, str] | None = None,
    turnouts: list[tuple[str, float]] | None = None,
) -> str:
    """The summary as a table; shares never round onto the other side of ``threshold_pct``. Parties are
    printed by their names (``names``: key → name, from the election's catalogue), a key only where the
    catalogue has no name for it. The contest's own ``took_part``/``registered`` and the commission's
    turnout reports (``turnouts``: (name, pct), e.g. ``("preliminary 22:10", 54.19)``) are different
    facts, so each turnout line says which one it is."""
    names = names or {}
    labels = [names.get(p.party, p.party) for p in s.parties]
    width = max([12, *(len(label) for label in labels)])
    progress = Progress(s.status, s.stations_counted, s.stations_expected)
    lines = [
        f"{s.contest} — {unit_name(s.unit)} ({s.unit})",
        f"  {progress_line(progress)}",
        f"  registered      {_fmt_int(s.registered)}",
        f"  took part       {_fmt_int(s.took_part)}",
        f"  took part / registered  {_fmt_pct(s.turnout_pct)}",
        *(f"  turnout {name:<15} {_fmt_pct(pct)}" for name, pct in turnouts or []),
        f"  invalid         {_fmt_int(s.invalid)}",
        f"  against all     {_fmt_int(s.against_all)}  {_fmt_pct(s.against_all_share_pct)}",
        f"  votes counted   {_fmt_int(s.votes_counted)}",
        f"  complete        {'yes' if s.complete else 'no'}"
        f"  (units reporting {s.units_reporting}/{s.units_expected})",
        "",
        f"  {'party':<{width}} {'votes':>14} {'share':>8} {'threshold':>10} {'seats':>6} {'published':>10}",
    ]
    for p, label in zip(s.parties, labels, strict=True):
        passed = {True: "passed", False: "below", None: "—"}[p.passed_threshold]
        share = format_plain_pct(p.share_pct, threshold=threshold_pct, passed=p.passed_threshold)
        lines.append(
            f"  {label:<{width}} {_fmt_int(p.votes):>14} {share:>8} {passed:>10}"
            f" {'—' if p.seats is None else p.seats:>6} {'—' if p.published_seats is None else p.published_seats:>10}"
        )
    if s.seats_projection:
        lines.append("")
        lines.append("  seats: a projection of the count so far, not the result")
    if not s.seats_computed:
        lines.append("")
        lines.append(
            "  seats not computed (incomplete contest, seats not reported, not its own area, or single-mandate)"
        )
    return "\n".join(lines)
