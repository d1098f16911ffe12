"""Copying an upload into the store with a hard cap: the size a file reports is not trusted.

``/dev/zero`` and a FIFO report ``st_size`` 0 and never end; a folder may hold either. So an upload is
read in chunks and the copy stops (``TooLarge``) as soon as it passes the cap, and a FIFO is opened
without blocking, so one nobody writes to reads as empty instead of hanging the ingest.

Nothing outside the upload is read: every file and folder is opened with ``O_NOFOLLOW`` (relative to its
already opened parent folder), so a symbolic link — there from the start, or swapped in between a check
and the open — is refused (``Unsafe``), never followed to ``/etc/passwd`` or a secret. A copy is created
with at most the source's permission bits for group and others, so a 0600 file never becomes readable by
others in the store.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import stat
from pathlib import Path

from dashboard.ingest import rules as R
from dashboard.ingest.names import safe_text

#: Read an upload in chunks of this size.
CHUNK = 1 << 20


class TooLarge(Exception):
    """The upload passed the cap; ``sha`` is the sha256 of what was read (for the quarantine report)."""

    def __init__(self, what: str, sha: str):
        super().__init__(what)
        self.sha = sha


class Unsafe(Exception):
    """The upload cannot be copied for what it is (a symbolic link, unreadable); ``rule`` says which."""

    def __init__(self, rule: str, what: str):
        super().__init__(what)
        self.rule = rule


def _open_source(name: str | Path, flags: int, dir_fd: int | None, shown: str) -> int:
    """Open a source entry without following a link; a refusal or read error is the upload's (Unsafe)."""
    try:
        return os.open(name, flags | os.O_RDONLY | os.O_NOFOLLOW, dir_fd=dir_fd)
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise Unsafe(R.SYMBOLIC_LINK, f"«{shown}» is a symbolic link; links are never followed: give the "
                                          "file itself (nothing copied, not kept)") from None
        raise Unsafe(R.UNREADABLE_FILE, f"«{shown}» cannot be read ({e.strerror}); not kept") from None


def _read(fd: int, shown: str) -> bytes:
    try:
        return os.read(fd, CHUNK)
    except OSError as e:
        raise Unsafe(R.UNREADABLE_FILE, f"«{shown}» cannot be read ({e.strerror}); not kept") from None


def copy_file(src: Path | str, dst: Path, cap: int, dir_fd: int | None = None, shown: str | None = None) -> int:
    """Copy at most ``cap`` bytes of ``src`` (a file, FIFO or device; never a link) to ``dst``; the byte count."""
    shown = shown or safe_text(Path(src).name)
    fd = _open_source(src, os.O_NONBLOCK, dir_fd, shown)  # a FIFO without a writer must not block the open
    try:
        fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
        st = os.fstat(fd)
        if stat.S_ISREG(st.st_mode) and st.st_size > cap:
            raise TooLarge(f"{st.st_size:,} bytes; the cap is {cap:,} (file not kept)", "0" * 64)
        # group and others get at most what they had; the store's own user must read its copy back
        return _copy_bytes(fd, dst, cap, (stat.S_IMODE(st.st_mode) & 0o066) | 0o600, shown)
    finally:
        os.close(fd)


def _copy_bytes(fd: int, dst: Path, cap: int, mode: int, shown: str) -> int:
    """Write what ``fd`` holds to a new ``dst`` created with ``mode`` (no wider than the source's)."""
    h = hashlib.sha256()
    total = 0
    out_fd = os.open(dst, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    with open(out_fd, "wb") as out:
        while chunk := _read(fd, shown):
            total += len(chunk)
            h.update(chunk)
            if total > cap:
                raise TooLarge(f"more than {cap:,} bytes (reading stopped there; not kept)", h.hexdigest())
            out.write(chunk)
    return total


def copy_tree(src: Path, dst: Path, budget: list[int], max_file: int) -> None:
    """Copy a folder upload; ``budget[0]`` is the bytes left for the whole tree (decremented).

    A symbolic link anywhere in it refuses the whole upload (``Unsafe``): the folder is walked through
    file descriptors, so no link can be followed out of it, even one swapped in while it is copied.
    """
    fd = _open_source(src, os.O_DIRECTORY, None, safe_text(src.name))
    try:
        _copy_dir(fd, dst, budget, max_file, safe_text(src.name))
    finally:
        os.close(fd)


def _copy_dir(fd: int, dst: Path, budget: list[int], max_file: int, shown: str) -> None:
    dst.mkdir(mode=(stat.S_IMODE(os.fstat(fd).st_mode) | 0o700) & 0o777)
    try:
        with os.scandir(fd) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as e:  # the upload's fault, not the store's: set aside, not retried
        raise Unsafe(R.UNREADABLE_FILE, f"«{shown}» cannot be listed ({e.strerror}); not kept") from None
    for entry in entries:
        rel = f"{shown}/{safe_text(entry.name)}"
        if entry.is_symlink():
            raise Unsafe(R.SYMBOLIC_LINK, f"«{rel}» is a symbolic link; links are never followed: put the file "
                                          "itself in the package (nothing copied, not kept)")
        if entry.is_dir(follow_symlinks=False):
            child = _open_source(entry.name, os.O_DIRECTORY, fd, rel)
            try:
                _copy_dir(child, dst / entry.name, budget, max_file, rel)
            finally:
                os.close(child)
        else:
            budget[0] -= copy_file(entry.name, dst / entry.name, min(max_file, budget[0]), fd, rel)
