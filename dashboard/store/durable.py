"""Writing files so that a crash or a full disk never leaves a half-written one where a reader looks.

The pattern everywhere: write under a temporary name, ``fsync`` the file, rename it into place, ``fsync``
the folder (the rename itself is only durable once the folder's entry is). :func:`fault` names the
steps between these writes, so tests can kill the process (``SIGKILL``) or fail a write with ``ENOSPC``
at exactly that step (``SAYLAU_FAULT=crash:<step>`` / ``enospc:<step>``); unset, it costs one dict lookup.
"""

from __future__ import annotations

import errno
import os
import signal
import uuid
from pathlib import Path

#: ``crash:<step>`` or ``enospc:<step>`` — fault injection for the crash-safety tests; never set in production.
FAULT_ENV = "SAYLAU_FAULT"


def fault(step: str) -> None:
    """Die (kill -9) or fail with ENOSPC at ``step`` when ``SAYLAU_FAULT`` asks for it."""
    want = os.environ.get(FAULT_ENV)
    if not want:
        return
    how, _, where = want.partition(":")
    if where != step:
        return
    if how == "crash":
        os.kill(os.getpid(), signal.SIGKILL)
    if how == "enospc":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), step)


def fsync_dir(path: Path) -> None:
    """Make the entries of a folder (files created or renamed in it) durable."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_tree(root: Path) -> None:
    """fsync every regular file and folder under ``root`` (a freshly written version or upload copy)."""
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            p = os.path.join(dirpath, name)
            if os.path.isfile(p) and not os.path.islink(p):
                fd = os.open(p, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
        fsync_dir(Path(dirpath))


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one rename: readers see the old bytes or the new, never a mix."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def append_line(path: Path, line: str) -> None:
    """Append one line with a single ``write``; on failure (ENOSPC) cut the file back to where it was."""
    data = line.rstrip("\n").encode("utf-8") + b"\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        try:
            if os.write(fd, data) != len(data):
                raise OSError(errno.ENOSPC, "short write", str(path))
            os.fsync(fd)
        except BaseException:
            os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
