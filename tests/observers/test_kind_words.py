"""The observers' texts name a contest's options by its kind: a president's candidates and a referendum's
answers, not "parties" (the rules said "the leading party's share" and "votes for parties" on every
election's page, and the forensics cards showed a candidate's key, "alpha", as the leader)."""

from __future__ import annotations

import re

import pytest

from dashboard.observers.flags import flags_of
from dashboard.pages import observers
from dashboard.rehearsal.kinds import write_kind
from tests import kinds_packages as kp
from tests.layout_tree import by_id, components, text
from tests.serving import serve

#: "party" / "parties" in each language (not "took part": «дауыс беруге қатысқандар», «приняли участие»).
PARTY = {"en": re.compile(r"\bpart(y|ies)\b", re.I), "ru": re.compile(r"парти", re.I),
         "kk": re.compile(r"партия", re.I)}


def _render(app, lang):
    with app.server.test_request_context(f"/observers?lang={lang}"):
        return observers.layout(lang=lang)


def _figure(layout, graph_id):
    return next(c.figure for c in components(layout) if getattr(c, "id", None) == graph_id)


def test_a_presidential_protocol_flag_means_candidates(tmp_path):
    # 10,000 took part; 0 invalid + 300 against all + 4,800 + 3,000 + 1,700 = 9,800 in the box: 200 short,
    # 2 % of those who took part (more than the 1 % a voter leaving with a ballot explains)
    rows = kp.presidential_rows().replace("president,kz,15000,10000,200,", "president,kz,15000,10000,0,")
    app = serve(tmp_path / "data", kp.write(tmp_path / "p", kp.presidential_doc(), rows))
    with app.server.test_request_context("/observers?lang=en"):
        from dashboard.components import data as data_module

        flags = [f for f in flags_of(data_module.election()) if f.rule == "protocol_sum"]
    assert len(flags) == 1
    by_lang = {lang: flags[0].as_dict(lang) for lang in ("en", "ru", "kk")}
    assert by_lang["en"]["finding"] == "10,000 took part; the box held 9,800 (−200)."
    assert by_lang["en"]["meaning"].startswith(
        "The ballots found in the box (votes for candidates, against all and invalid) should equal")
    assert by_lang["ru"]["meaning"].startswith("Бюллетени в урне (голоса за кандидатов, «против всех» и недействительные)")
    assert by_lang["kk"]["meaning"].startswith("Жәшіктен табылған бюллетеньдер (үміткерлерге, «бәріне қарсы» берілген")
    for lang, d in by_lang.items():
        assert not PARTY[lang].search(d["meaning"]), (lang, d["meaning"])


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("kinds")
    return {kind: serve(tmp / f"data-{kind}", write_kind(tmp / kind, kind, 300, 5))
            for kind in ("presidential", "referendum")}


@pytest.mark.parametrize("lang", ["en", "ru", "kk"])
def test_a_presidential_observers_page_says_candidate_not_party(apps, lang):
    page = _render(apps["presidential"], lang)
    words = text(page)
    assert not PARTY[lang].search(words), PARTY[lang].search(words)
    rules = text(by_id(page, "flags-rules"))
    assert {"en": "Both turnout and the leading candidate's share are far above",
            "ru": "И явка, и доля кандидата на первом месте намного выше",
            "kk": "Сайлаушылардың келуі де, бірінші орындағы үміткердің үлесі де"}[lang] in rules
    assert {"en": "(votes for candidates, against all and invalid)",
            "ru": "(голоса за кандидатов, «против всех» и недействительные)",
            "kk": "(үміткерлерге, «бәріне қарсы» берілген және жарамсыз)"}[lang] in rules
    # the charts name the leading candidate by name, as a candidate
    fingerprint = _figure(page, "observers-fingerprint")
    axis = fingerprint["layout"]["yaxis"]["title"]["text"]
    assert not PARTY[lang].search(axis), axis
    assert axis.startswith({"en": "Share of ", "ru": "Доля голосов за кандидата: ", "kk": ""}[lang]), axis
    share = _figure(page, "observers-share-hist")
    assert not PARTY[lang].search(share["layout"]["title"]["text"])


def test_a_referendum_observers_page_speaks_of_answers(apps):
    page = _render(apps["referendum"], "en")
    rules = text(by_id(page, "flags-rules"))
    assert "Both turnout and the leading answer's share are far above" in rules
    assert "(yes and no votes and invalid ballots)" in rules
    assert not PARTY["en"].search(text(page))
    ru = _render(apps["referendum"], "ru")
    assert "И явка, и доля преобладающего ответа намного выше" in text(by_id(ru, "flags-rules"))
    axis = _figure(ru, "observers-fingerprint")["layout"]["yaxis"]["title"]["text"]
    assert axis.startswith("Доля ответа «"), axis
