"""Copying an upload into the store with a hard cap: the size a file reports is not trusted.

``/dev/zero`` and a FIFO report ``st_size`` 0 and never end; a folder may hold either. So an upload is
read in chunks and the copy stops (``TooLarge``) as soon as it passes the cap, and a FIFO is opened
without blocking, so one nobody writes to reads as empty instead of hanging the ingest.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import stat
from pathlib import Path

#: Read an upload in chunks of this size.
CHUNK = 1 << 20


class TooLarge(Exception):
    """The upload passed the cap; ``sha`` is the sha256 of what was read (for the quarantine report)."""

    def __init__(self, what: str, sha: str):
        super().__init__(what)
        self.sha = sha


def copy_file(src: Path, dst: Path, cap: int) -> int:
    """Copy at most ``cap`` bytes of ``src`` (a file, FIFO or device) to ``dst``; returns the byte count."""
    h = hashlib.sha256()
    fd = os.open(src, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO without a writer must not block the open
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_size > cap:
            raise TooLarge(f"{st.st_size:,} bytes; the cap is {cap:,} (file not kept)", "0" * 64)
        total = 0
        with open(dst, "wb") as out:
            while chunk := os.read(fd, CHUNK):
                total += len(chunk)
                h.update(chunk)
                if total > cap:
                    raise TooLarge(f"more than {cap:,} bytes (reading stopped there; not kept)", h.hexdigest())
                out.write(chunk)
    finally:
        os.close(fd)
    return total


def copy_tree(src: Path, dst: Path, budget: list[int], max_file: int) -> None:
    """Copy a folder upload; ``budget[0]`` is the bytes left for the whole tree (decremented).

    Symbolic links are copied as links, not followed: the package loader refuses them by name.
    """
    dst.mkdir()
    for entry in sorted(os.scandir(src), key=lambda e: e.name):
        target = dst / entry.name
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir():
            copy_tree(Path(entry.path), target, budget, max_file)
        else:
            budget[0] -= copy_file(Path(entry.path), target, min(max_file, budget[0]))
