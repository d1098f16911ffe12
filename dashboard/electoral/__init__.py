"""Electoral arithmetic: seat allocation, contest summaries, turnout, results by unit, composition (no Dash)."""

from dashboard.electoral.seats import allocate_seats

__all__ = ["allocate_seats"]
