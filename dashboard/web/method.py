"""``/about/estimate``: how the night's estimate is made, in the reader's language — the page the
estimate's "How this estimate is made" link opens (issue 17: "the method one click away").

Plain HTML (``plain_page``), whole without script. The full method and its measured calibration are
``docs/projection.md``; this page says what a reader needs: that it is an estimate and not a result,
how it is made, what its range and chances mean, and what it cannot know.
"""

from __future__ import annotations

from html import escape

from dashboard.components.estimate import METHOD_PATH, SCALE
from dashboard.config import projection_enabled
from dashboard.i18n import format_pct, translator
from dashboard.web import plain_page
from dashboard.web.plain_page import page

PATH = METHOD_PATH


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def render(lang: str) -> str:
    _ = translator(lang)
    lead = _("While a vote is counted, the site shows an estimate of where the count is heading beside the count "
             "itself. It is made by a model from the count so far: it is not a result. The result is what the Central "
             "Election Commission counts and publishes, and the estimate is gone once the count is final.")
    made, chances, unknown = _("How it is made"), _("The range and the chances"), _("What it cannot know")
    parts = [f'<p class="page-lead">{escape(lead)}</p>']
    if not projection_enabled():
        off = _("The estimate is switched off on this site.")
        parts.append(f'<p class="notice">{escape(off)}</p>')
    parts += [
        f"<h2>{escape(made)}</h2>",
        _p(_("The first polling stations to report are not a fair sample: some regions count faster than others, and a party's strongholds may come first. So the vote still to be counted is estimated region by region: the registered voters of the stations still out × the turnout expected there (from the turnout reported through the day) × the shares expected there.")),
        _p(_("A region's expected shares are its own counted shares where it has counted enough stations; elsewhere they are the previous vote of the same kind in that region, moved by tonight's swing — the change between the previous vote and tonight's count in the regions already counted.")),
        f"<h2>{escape(chances)}</h2>",
        _p(_("The range is a 90 % interval. The outstanding vote is simulated 400 times, each time resampling the stations and regions counted so far and giving every region a swing of its own, as different as the counted regions' swings are. On rehearsed nights the range held the final figure about 9 times in 10.")),
        _p(_("A chance is the share of those simulations in which something happens, by the law's own rule: a party reaching the threshold, a candidate with more than half of the votes, a referendum with more than half of the voters taking part and a yes majority. In words:")),
        '<ul class="estimate-scale">' + "".join(
            f"<li><strong>{escape(_(words))}</strong>: {escape(_scale_range(i, lang))}</li>"
            for i, (_lowest, words) in enumerate(SCALE)) + "</ul>",
        f"<h2>{escape(unknown)}</h2>",
        "<ul>" + "".join(f"<li>{escape(t)}</li>" for t in (
            _("A region whose stations report in an order that is not random (its cities first): the estimate assumes the stations counted so far are a fair sample of their region."),
            _("A region swinging unlike any region counted so far."),
            _("Corrections, recounts, rejected protocols, and irregularities: an estimate of a falsified count estimates the falsification."),
            _("Without a previous vote to compare with, the estimate rests only on the regions counted so far; it is less certain, and the page says so."),
        )) + "</ul>",
        _p(_("Every figure of the estimate is also in the public API, beside the count: /api/v1/elections/<election>/contests/<contest>/projection.")),
    ]
    return page(lang, PATH, _("How the estimate is made"), _("Estimate"), "".join(parts))


def _scale_range(i: int, lang: str) -> str:
    """The probabilities a word of ``SCALE`` stands for: "99 % or more", "from 90 % to 99 %", "under 1 %"."""
    _ = translator(lang)
    lowest = SCALE[i][0]
    if i == 0:
        return _("{pct} or more", pct=format_pct(100 * lowest, lang, 0))
    upper = format_pct(100 * SCALE[i - 1][0], lang, 0)
    if lowest == 0:
        return _("under {pct}", pct=upper)
    return _("from {low} to under {high}", low=format_pct(100 * lowest, lang, 0), high=upper)


def install(server) -> None:
    plain_page.install(server, PATH, "saylau_method", render, "public, max-age=300")
