"""What became of the bodies the site's elections filled: the Mazhilis was elected for the last time on
19 March 2023.

The Constitution adopted in the referendum of 15 March 2026 came into force on 1 July 2026 and replaced
the two-chamber Parliament (Senate and Mazhilis) with the one-chamber Kurultai; the Parliament formed under
the 1995 Constitution ceased on 1 July 2026 (sources/history/next_votes.md, each line with its source). No
Mazhilis election was held after 19 March 2023, so that election's pages say it was the last one. Pure: no
dash, no flask.
"""

from __future__ import annotations

#: The day the Parliament of the 1995 Constitution (and with it the Mazhilis) ceased.
MAZHILIS_ENDED = "2026-07-01"
#: Kazinform on the draft Constitution's transitional provisions (12 Feb 2026): «Парламент, сформированный по
#: Конституции 1995 года, прекращает свои полномочия с 1 июля 2026 года».
MAZHILIS_ENDED_SOURCE = (
    "https://www.inform.kz/ru/nazvani-sroki-prekrasheniya-polnomochiy-parlamenta-i-provedeniya-viborov-v-kuriltay-3fb44d"
)
#: The date of the last Mazhilis election (the 2023 one: none was held between it and 1 July 2026).
LAST_MAZHILIS_ELECTION = "2023-03-19"


def was_last_mazhilis(election) -> bool:
    """Whether an election is the last election of the Mazhilis: the official vote of 19 March 2023 (a
    rehearsal or a copy under another date is not)."""
    return (not getattr(election, "simulated", False) and election.date == LAST_MAZHILIS_ELECTION
            and any(c.body == "mazhilis" for c in election.contests))
