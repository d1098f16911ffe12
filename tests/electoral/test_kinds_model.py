"""The model's kinds of contest: options of a ballot, names of bodies and answers, the lead contest."""

from __future__ import annotations

import pandas as pd

from dashboard.model import ANSWER_OPTIONS, KINDS, NO, YES, Candidate, Contest, Election, Party


def _election(contests, candidates=(), bodies=None, parties=("a", "b")) -> Election:
    return Election(
        id="t", date="2027-01-01", names={"en": "T"},
        parties=tuple(Party(p, {"en": p.upper()}, {"en": p.upper()}, "#000000") for p in parties),
        contests=tuple(contests), results=pd.DataFrame(), turnout=pd.DataFrame(),
        candidates=tuple(candidates), bodies=bodies or {},
    )


ALPHA = Candidate("alpha", {"en": "Alpha Alphov", "ru": "Альфа Альфов"}, {"en": "Alpha"}, "#111111")
BETA = Candidate("beta", {"en": "Beta Betov"}, {}, "#222222", nominated_by={"en": "Party B"})
PRES = Contest("president", "president", "presidential", "kz", None)
Q1 = Contest("q1", "referendum", "referendum", "kz", None, question={"en": "Build it?", "kk": "Салу керек пе?"})
Q2 = Contest("q2", "referendum", "referendum", "kz", None, question={"en": "Second?"})
KURULTAI = Contest("kurultai_party_list", "kurultai", "party_list", "kz", 145)
MAZHILIS = Contest("mazhilis_party_list", "mazhilis", "party_list", "kz", 69, 5.0)
SENATE = Contest("senate_party_list", "senate", "party_list", "kz", 50)
MASLIKHAT = Contest("maslikhat_astana_party_list", "maslikhat", "party_list", "astana", 4, 5.0, ("a",))


def test_four_kinds():
    assert KINDS == ("party_list", "single_mandate", "presidential", "referendum")


def test_options_of_each_kind():
    e = _election([PRES, Q1, MAZHILIS, MASLIKHAT], candidates=[ALPHA, BETA])
    assert e.options("president") == ("alpha", "beta")
    assert e.options("q1") == ("yes", "no")
    assert e.options("mazhilis_party_list") == ("a", "b")
    assert e.options("maslikhat_astana_party_list") == ("a",)
    assert e.option_keys == ("a", "b", "alpha", "beta", "yes", "no")
    assert e.count_columns == ("registered", "took_part", "invalid", "against_all",
                               "a", "b", "alpha", "beta", "yes", "no")


def test_a_presidential_ballot_may_list_some_candidates():
    e = _election([Contest("p", "president", "presidential", "kz", None, candidates=("beta",))],
                  candidates=[ALPHA, BETA])
    assert e.options("p") == ("beta",)


def test_no_yes_no_columns_without_a_referendum():
    """A 2023-shaped election keeps exactly its party columns (its package stays byte-identical)."""
    assert _election([MAZHILIS]).option_keys == ("a", "b")


def test_option_duck_type():
    e = _election([PRES, Q1], candidates=[ALPHA, BETA])
    assert e.option("alpha").short_name("ru") == "Alpha"  # no ru short name: the English one
    assert e.option("alpha").full_name("ru") == "Альфа Альфов"
    assert e.option("beta").short_name("kk") == "Beta Betov"  # no short names at all: the full name
    assert e.option("a").short_name("en") == "A"
    assert [e.option(YES).short_name(lang) for lang in ("kk", "ru", "en")] == ["Иә", "Да", "Yes"]
    assert [e.option(NO).full_name(lang) for lang in ("kk", "ru", "en")] == ["Жоқ", "Нет", "No"]


def test_answer_colours_are_not_party_colours():
    party_colours = {"#0072B2", "#E69F00", "#CC79A7", "#F0E442", "#D55E00", "#56B4E9", "#009E73"}  # 2023
    answer_colours = {a.colour for a in ANSWER_OPTIONS.values()}
    assert len(answer_colours) == 2 and not answer_colours & party_colours


def test_body_names_built_in_and_declared():
    e = _election([SENATE], bodies={"senate": {"kk": "Сенат", "ru": "Сенат", "en": "Senate"}})
    assert e.body_name("kurultai", "kk") == "Құрылтай"
    assert e.body_name("kurultai", "ru") == "Курултай"
    assert e.body_name("mazhilis", "en") == "Mazhilis"
    assert e.body_name("senate", "en") == "Senate"
    assert e.body_name("nowhere", "en") == "nowhere"


def test_question_text_falls_back_to_english():
    assert Q1.question_text("kk") == "Салу керек пе?"
    assert Q1.question_text("ru") == "Build it?"
    assert MAZHILIS.question_text("en") == ""


def test_threshold_has_no_default():
    assert KURULTAI.threshold_pct is None and MAZHILIS.threshold_pct == 5.0


def test_lead_contest_order():
    assert _election([MASLIKHAT, MAZHILIS, Q1, Q2, PRES], candidates=[ALPHA]).lead_contest() is PRES
    assert _election([MASLIKHAT, MAZHILIS, Q2, Q1]).lead_contest() is Q2  # the first question
    assert _election([SENATE, MAZHILIS, KURULTAI]).lead_contest() is KURULTAI
    assert _election([SENATE, MASLIKHAT, MAZHILIS]).lead_contest() is MAZHILIS
    assert _election([MASLIKHAT, SENATE]).lead_contest() is SENATE
    assert _election([MASLIKHAT]).lead_contest() is MASLIKHAT


def test_kinds_lead_first():
    e = _election([MAZHILIS, Contest("s", "mazhilis", "single_mandate", "kz", 29), Q1])
    assert e.kinds() == ("referendum", "party_list", "single_mandate")


def test_contests_with_dict_fields_stay_hashable():
    assert hash(Q1) == hash(Contest("q1", "referendum", "referendum", "kz", None, question={"en": "other"}))
