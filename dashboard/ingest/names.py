"""File names and log lines as safe text: a name is whatever bytes the uploader's system wrote.

A Cyrillic name from a cp1251 system reaches Python as lone surrogates (``os.fsdecode``'s
surrogateescape), which cannot be written as UTF-8 (history.jsonl, a report, a log line), and a newline
in a name would forge a line of a log. So a name is stored and shown as :func:`safe_text`: each byte that
is not UTF-8 as ``\\xNN``, a control, format or line-separator character as ``\\n``, ``\\t``, ``\\xNN``
(below 0x80) or ``\\uNNNN``, and a backslash as ``\\\\`` — the raw bytes can be read back from it (no two
names give the same text), and it is one line.
"""

from __future__ import annotations

import unicodedata

_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Unicode categories escaped: controls, format characters (bidi overrides), surrogates, line/paragraph separators.
_ESCAPED = ("Cc", "Cf", "Cs", "Zl", "Zp")


def _escape(c: str) -> str:
    o = ord(c)
    if c in _SHORT:
        return _SHORT[c]
    if 0xDC80 <= o <= 0xDCFF:
        return f"\\x{o - 0xDC00:02x}"  # one raw byte that was not UTF-8 (surrogateescape)
    return f"\\x{o:02x}" if o < 0x80 else f"\\u{o:04x}"  # so an xNN escape above 0x7f is always a raw byte


def safe_text(name: str, backslash: bool = True) -> str:
    """``name`` as printable one-line UTF-8 text, its raw bytes kept as escapes (see the module doc)."""
    if name.isprintable() and ("\\" not in name or not backslash):
        return name
    out = []
    for c in name:
        if c == "\\":
            out.append("\\\\" if backslash else c)
        elif c != " " and unicodedata.category(c) in _ESCAPED:
            out.append(_escape(c))
        else:
            out.append(c)
    return "".join(out)


def quoted(name: str) -> str:
    """A name inside a log line: quoted, so where it starts and ends is visible, and escaped to one line."""
    return f"'{safe_text(name)}'"


def one_line(line: str) -> str:
    """A whole log line made safe (a message may quote file content): escapes, but keeps backslashes."""
    return safe_text(line, backslash=False)
