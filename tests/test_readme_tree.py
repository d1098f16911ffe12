"""The README's "How it is built" tree names every module and package of ``dashboard/``: a successor finds
where a thing lives from it, so a folder or module added without a line there is a test failure."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tree() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("## How it is built")
    block = text[start:]
    return block[block.index("```") + 3: block.index("```", block.index("```") + 3)]


def test_every_module_and_package_of_dashboard_is_in_the_tree():
    tree = _tree()
    named = set(re.findall(r"(?m)^  ([A-Za-z_][\w.]*/?)\s", tree)) | set(re.findall(r"\b(\w+\.py)\b", tree))
    here = {p.name + "/" for p in (ROOT / "dashboard").iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    here |= {p.name for p in (ROOT / "dashboard").glob("*.py") if p.name != "__init__.py"}
    missing = sorted(here - named)
    assert not missing, f"README's tree does not name: {missing}"


def test_the_tree_names_nothing_that_is_gone():
    listed = set(re.findall(r"(?m)^  ([A-Za-z_][\w.]*/?)\s", _tree()))
    gone = sorted(x for x in listed if not (ROOT / "dashboard" / x.rstrip("/")).exists())
    assert not gone, f"README's tree names what dashboard/ no longer has: {gone}"
