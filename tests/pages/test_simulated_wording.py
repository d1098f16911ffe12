"""A simulated election never claims to be official: header, footer and headline name it as a rehearsal;
the real one's headline has no jargon tiles."""

from __future__ import annotations

import json

import pytest

from dashboard.components import shell


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), ensure_ascii=False, default=lambda o: o.to_plotly_json())


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_simulated_header_and_footer_do_not_claim_official_results(lang):
    from dashboard.i18n import translator

    _ = translator(lang)
    official = _(
        "Figures as published by the Central Election Commission of Kazakhstan and regional commissions; "
        "what the files do not report is shown as “not reported”, never as zero."
    )
    from dashboard.store.embedded import embedded_election

    election = embedded_election()
    sim_header = _text(shell.header(lang, "/", True, election=election))
    real_header = _text(shell.header(lang, "/", election=election))
    results = _("Election results {year}").format(year="2023")
    assert results in real_header and results not in sim_header
    assert results == {"kk": "2023 жылғы сайлау қорытындылары", "ru": "Итоги выборов 2023 года",
                       "en": "Election results 2023"}[lang]
    assert _("Simulated election (rehearsal)") in sim_header
    sim_footer = _text(shell.footer(lang, 3, "now", True))
    assert official not in sim_footer and official in _text(shell.footer(lang, 0, "now", False))
    assert _("Simulated figures for a rehearsal: they are not the results of any election.") in sim_footer
    if lang != "en":  # translated, not the English fallback
        assert "Simulated" not in sim_header + sim_footer


def test_embedded_package_is_named_in_plain_words():
    assert shell.update_label({"version": 0}, "en") == "final results as published"
    assert shell.update_label({"version": 0}, "ru") == "опубликованные окончательные итоги"
    # a vote whose published results are preliminary (2026) is not "final" under its "Preliminary results"
    assert shell.update_label({"version": 0}, "en", preliminary=True) == "preliminary results as published"
    assert shell.update_label({"version": 0}, "ru", preliminary=True) == "опубликованные предварительные итоги"
