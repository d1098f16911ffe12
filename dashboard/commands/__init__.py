"""The command line's handlers (``python -m dashboard …``), above the core they drive.

``cli.py`` parses arguments and dispatches here; each handler opens the data dir (``store/library.py``),
calls the pure core (ingest, store, electoral) and prints what the clerk at the terminal needs. No core
package imports this one, so none needs the store to serve a command.

Exit codes (documented in README.md and docs/format.md): 0 accepted/done, 1 the upload was refused
(problems on stderr), 2 a usage error, 3 an operator problem (the store cannot be written or read:
read-only or full disk, damaged CURRENT or history.jsonl, a stored version failing its checksums),
printed as one line saying what to do, never a traceback.
"""

from __future__ import annotations

import os
import sys

from dashboard.config import default_data_dir, default_election
from dashboard.store.library import Library

#: Exit codes.
ACCEPTED, REJECTED, USAGE, OPERATOR_PROBLEM = 0, 1, 2, 3


def library(args) -> Library:
    """The data dir the command names (``--data-dir``, else ``SAYLAU_DATA_DIR``)."""
    return Library(getattr(args, "data_dir", None) or default_data_dir(), default=default_election() or None)


class UnknownElection(Exception):
    """``--election`` names no election of the data dir."""


def served_election(args, command: str):
    """(library, version, election) of ``--election``, served now; the default is the front page's
    (``Library.default_id``). Raises UnknownElection with the usage line already printed."""
    lib = library(args)
    eid = getattr(args, "election", None) or lib.default_id()
    try:
        version, election = lib.served(eid)
    except KeyError:
        usage(command, f"unknown election {eid!r}; known: {', '.join(lib.ids())}")
        raise UnknownElection(eid) from None
    return lib, version, election


def operator_problem(e: Exception) -> int:
    """One line on stderr, no traceback: the operator, not the upload, has something to fix."""
    print(f"store problem: {e}", file=sys.stderr)
    return OPERATOR_PROBLEM


def usage(command: str, message: str) -> int:
    print(f"{command}: {message}", file=sys.stderr)
    return USAGE


def emit(text: str) -> int:
    """Print ``text``; a reader that stops early (``summary --json | head``) ends the output quietly,
    as other command-line tools do, instead of a BrokenPipeError traceback."""
    try:
        print(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python flushes stdout again at exit: point it at /dev/null so that flush cannot fail too
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    return 0
