"""Reading a Dash layout in a test: its components depth first, one by its id, its text in reading order.

One definition for the page tests (they each had a copy)."""

from __future__ import annotations


def components(node):
    """Every Dash component of a layout, depth first."""
    if isinstance(node, list | tuple):
        for n in node:
            yield from components(n)
    elif hasattr(node, "to_plotly_json"):
        yield node
        yield from components(getattr(node, "children", None))


def by_id(node, id_):
    """The component with ``id_``, or None."""
    return next((c for c in components(node) if getattr(c, "id", None) == id_), None)


def text(node, sep: str = " ") -> str:
    """The text of a layout in reading order, the parts of a list of children joined by ``sep``."""
    if isinstance(node, str):
        return node
    if isinstance(node, list | tuple):
        return sep.join(text(n, sep) for n in node)
    return text(getattr(node, "children", None) or "", sep)
