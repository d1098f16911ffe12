"""Names as safe text: one printable line, from which the raw bytes of the name can be read back."""

from __future__ import annotations

import os
import random
import unicodedata

from dashboard.ingest.names import one_line, quoted, safe_text

#: Controls, format characters, surrogates and line/paragraph separators: what may never reach a log.
_LINE_BREAKING = ("Cc", "Cf", "Cs", "Zl", "Zp")
_SHORT = {"\\": b"\\", "n": b"\n", "t": b"\t", "r": b"\r"}


def _raw(text: str) -> bytes:
    """The bytes a safe text stands for (the documented escapes, read back)."""
    out, i = bytearray(), 0
    while i < len(text):
        c = text[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
        elif text[i + 1] in _SHORT:
            out += _SHORT[text[i + 1]]
            i += 2
        elif text[i + 1] == "x":
            out.append(int(text[i + 2:i + 4], 16))
            i += 4
        else:
            out += chr(int(text[i + 2:i + 6], 16)).encode("utf-8")
            i += 6
    return bytes(out)


def test_examples():
    assert safe_text(os.fsdecode(b"001-\xd0\xe5\xe7.csv")) == "001-\\xd0\\xe5\\xe7.csv"  # cp1251 "Рез"
    assert safe_text("Сайлау 2023.csv") == "Сайлау 2023.csv"  # real UTF-8 stays as it is
    assert safe_text("a\nb\\c\u202e\u0085") == "a\\nb\\\\c\\u202e\\u0085"
    assert quoted("x\ny.csv") == "'x\\ny.csv'"
    assert one_line("rejected 'a\\\\b': first line\nsecond") == "rejected 'a\\\\b': first line\\nsecond"


def test_any_name_reads_back_and_is_one_line():
    rng = random.Random(7)
    alphabet = [b for b in range(1, 256) if b != ord("/")]
    for _ in range(3000):
        raw = bytes(rng.choice(alphabet) for _ in range(rng.randint(1, 12)))
        if rng.random() < 0.3:
            raw += "Сайлау\u2028é".encode()
        text = safe_text(os.fsdecode(raw))
        assert text.encode("utf-8") and not any(unicodedata.category(c) in _LINE_BREAKING for c in text)
        assert _raw(text) == raw, (raw, text)
