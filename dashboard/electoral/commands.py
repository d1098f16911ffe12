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
    against_all_on_ballot: bool = True,
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
        *([f"  against all     {_fmt_int(s.against_all)}  {_fmt_pct(s.against_all_share_pct)}"]
          if against_all_on_ballot else []),  # a ballot without that line: nothing "not reported"
        f"  votes counted   {_fmt_int(s.votes_counted)}",
        f"  complete        {'yes' if s.complete else 'no'}"
        f"  (units reporting {s.units_reporting}/{s.units_expected})",
        "",
        f"  {'option' if s.kind in ('presidential', 'referendum') else 'party':<{width}} {'votes':>14} {'share':>8} {'threshold':>10} {'seats':>6} {'published':>10}",
    ]
    for p, label in zip(s.parties, labels, strict=True):
        # mid-count a threshold verdict is no verdict yet: "above so far", never a final "passed"
        verdict = {True: "passed", False: "below"} if s.decided else {True: "above*", False: "below*"}
        passed = verdict.get(p.passed_threshold, "—") if p.passed_threshold is not None else "—"
        share = format_plain_pct(p.share_pct, threshold=threshold_pct, passed=p.passed_threshold)
        lines.append(
            f"  {label:<{width}} {_fmt_int(p.votes):>14} {share:>8} {passed:>10}"
            f" {'—' if p.seats is None else p.seats:>6} {'—' if p.published_seats is None else p.published_seats:>10}"
        )
    lines += ["", f"  outcome         {outcome_line(s, names)}"]
    if not s.decided and any(p.passed_threshold is not None for p in s.parties):
        lines.append("  * so far: the count is not complete, nothing has passed or failed the threshold yet")
    if s.seats_projection:
        lines.append("")
        lines.append("  seats: a projection of the count so far, not the result")
    if not s.seats_computed and s.kind in ("party_list", "single_mandate"):
        lines.append("")
        lines.append(
            "  seats not computed (incomplete contest, seats not reported, not its own area, or single-mandate)"
        )
    return "\n".join(lines)


def outcome_line(s: ContestSummary, names: dict[str, str] | None = None) -> str:
    """The outcome in words (English, for the command line); mid-count it says so and what it shows."""
    names = names or {}
    o = s.outcome
    if o is None:
        return "— (not the contest's own area)"
    if s.kind == "presidential":
        if o["elected"]:
            text = f"elected: {names.get(o['elected'], o['elected'])}"
        elif o["second_round"]:
            text = "second round: " + " and ".join(names.get(k, k) for k in o["second_round"])
        else:
            text = f"leading: {names.get(o['leading'], o['leading'])}" if o["leading"] else "not computable"
    elif s.kind == "referendum":
        words = {True: "adopted", False: "not adopted", None: "adoption not computable"}[o["adopted"]]
        units = (f", yes majority in {o['units_with_yes_majority']} of the {o['units_required']} units needed"
                 if o["units_required"] is not None and o["units_with_yes_majority"] is not None else "")
        text = f"{words} (decided by: {o['decided_by']}){units}, yes {_fmt_pct(o['yes_pct'])}"
    else:
        text = "majority: " + ("not reported" if o["majority"] is None
                               else f"{o['majority']} of {o['chamber_seats']} seats")
    basis = " [as published]" if o.get("basis") == "published" else ""
    return text + basis + ("" if s.decided else " — not decided yet")

