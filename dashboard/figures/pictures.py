"""Small standalone SVG pictures of an outcome, drawn before any script on a phone's first screen.

Only numbers and colours go into them (no name from the files, so nothing to escape): the page names the
colours beside the picture and gives its text alternative. Shares are percentages (0–100).
"""

from __future__ import annotations

WIDTH = 300
INK = "#222222"
REST = "#d0d0d0"


def _line(x: float, y0: float, y1: float) -> str:
    return (f'<line x1="{x:.1f}" y1="{y0:.1f}" x2="{x:.1f}" y2="{y1:.1f}" stroke="{INK}" stroke-width="1.5" '
            'stroke-dasharray="4 3"/>')


def _svg(height: float, body: str) -> str:
    return f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-2 0 {WIDTH + 4} {height:.0f}">{body}</svg>'


def option_bars_svg(bars: list[tuple[float, str]], line: float | None = 50.0) -> str:
    """One bar per option (share, colour), largest first as given, on a 0–100 % scale, and a dashed line at
    ``line`` (half: more than half of those who took part elects a president). ""without bars."""
    if not bars:
        return ""
    row, gap = 18, 6
    height = len(bars) * (row + gap) + gap
    body = "".join(
        f'<rect x="0" y="{gap + i * (row + gap)}" width="{max(share, 0) / 100 * WIDTH:.1f}" height="{row}" '
        f'fill="{colour}"/>'
        for i, (share, colour) in enumerate(bars)
    )
    body = f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#f3f3f3"/>' + body
    if line is not None:
        body += _line(line / 100 * WIDTH, 0, height)
    return _svg(height, body)


def answer_bar_svg(parts: list[tuple[float, str]], units: list[bool | None] | None = None,
                   required: int | None = None, line: float = 50.0) -> str:
    """A referendum question: one bar of the answers stacked (share, colour; the rest to 100 % grey), a
    dashed line at half; with ``units`` (one per region and city: a yes majority True, not False, not
    reported None) a row of squares under it, and a dashed line after the ``required`` one (two-thirds)."""
    bar_h = 26
    body, x = [], 0.0
    for share, colour in parts:
        w = max(share, 0) / 100 * WIDTH
        body.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{bar_h}" fill="{colour}"/>')
        x += w
    if x < WIDTH:
        body.append(f'<rect x="{x:.1f}" y="0" width="{WIDTH - x:.1f}" height="{bar_h}" fill="{REST}"/>')
    body.append(_line(line / 100 * WIDTH, -2, bar_h + 4))
    height = bar_h + 6
    if units:
        size = WIDTH / len(units)
        top = bar_h + 12
        for i, mark in enumerate(units):
            colour = parts[0][1] if mark else parts[1][1] if mark is False else REST
            body.append(f'<rect x="{i * size + 1:.1f}" y="{top}" width="{size - 2:.1f}" height="{size - 2:.1f}" '
                        f'fill="{colour}"/>')
        if required:
            body.append(_line(required * size, top - 3, top + size + 1))
        height = top + size + 2
    return _svg(height, "".join(body))


__all__ = ["answer_bar_svg", "option_bars_svg"]
