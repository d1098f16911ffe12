"""Text from the data files inside plotly figures: shown as it is, never read as markup.

plotly reads pseudo-HTML in every text it draws (titles, ticks, legend, hover, annotations, bar labels,
and the values ``%{customdata}``/``%{text}``/``%{y}`` put into a hover template): ``<a href>`` becomes a
live link, ``<span style>`` applies (``fill:url(http://…)`` makes whoever draws the SVG fetch the URL),
``<b>``/``<br>`` format. A party or unit name from the commission's files is data, not markup: it goes
through ``literal`` before a builder composes it with the project's own markup (``<b>``, ``<br>``).

plotly.js (``svg_text_utils.convertToTspans``) splits the text at tags first and only then decodes the
entities of the pieces between them, once: ``&lt;a&gt;`` draws ``<a>`` as text, ``A&amp;B`` draws
``A&B``, ``&amp;lt;`` draws ``&lt;``. So escaping ``&``, ``<`` and ``>`` shows exactly the original.
"""

from __future__ import annotations

import html
import re

_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def literal(text) -> str:
    """``text`` (a name from the files) as plotly text that draws exactly itself, never as markup."""
    return str(text).translate(_ENTITIES)


def plain(text) -> str:
    """A plotly text (a title) as the plain text it draws, for HTML headings and text alternatives: line
    breaks become spaces and entities their characters (React escapes it again for the page)."""
    return html.unescape(_BR.sub(" ", text or ""))


__all__ = ["literal", "plain"]
