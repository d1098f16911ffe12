from dashboard.electoral.composition import all_maslikhat_seats, assembly_composition, assembly_seats

ML = "mazhilis_party_list"
MS = "mazhilis_single_mandate"
AST = "maslikhat_astana_party_list"
ASM = "maslikhat_astana_single_mandate"


def test_mazhilis_computed_list_and_published_single_mandate(make_election):
    e = make_election(
        results=[(ML, "kz", 1000, 600, 10, 0, 500, 300, 200)],
        composition=[(MS, "a", 2), (MS, "independent", 1)],
        districts=[(MS, "1", "astana", "X", "b")],  # ignored: published counts win
    )
    df = assembly_composition(e, "mazhilis", "kz")
    assert df.to_dict("records") == [
        {"party": "a", "kind": "party_list", "seats": 5, "source": "computed"},
        {"party": "b", "kind": "party_list", "seats": 3, "source": "computed"},
        {"party": "c", "kind": "party_list", "seats": 2, "source": "computed"},
        {"party": "a", "kind": "single_mandate", "seats": 2, "source": "published"},
        {"party": "independent", "kind": "single_mandate", "seats": 1, "source": "published"},
    ]
    assert assembly_seats(e, "mazhilis", "kz") == {
        "party_list": {"seats": 10, "accounted": 10, "unaccounted": 0},
        "single_mandate": {"seats": 3, "accounted": 3, "unaccounted": 0},
        "seats": 13,
        "accounted": 13,
        "unaccounted": 0,
    }


def test_single_mandate_from_districts_and_unaccounted(make_election):
    e = make_election(
        districts=[(MS, "1", "astana", "X", "b"), (MS, "2", "abai", None, None)],
        composition=[(ML, "a", 7), (ML, "b", 3)],
    )
    df = assembly_composition(e, "mazhilis", "kz")
    # no votes: the published list allocation; one district winner known
    assert df.to_dict("records") == [
        {"party": "a", "kind": "party_list", "seats": 7, "source": "published"},
        {"party": "b", "kind": "party_list", "seats": 3, "source": "published"},
        {"party": "b", "kind": "single_mandate", "seats": 1, "source": "districts"},
    ]
    seats = assembly_seats(e, "mazhilis", "kz")
    assert seats["single_mandate"] == {"seats": 3, "accounted": 1, "unaccounted": 2}
    assert seats["unaccounted"] == 2


def test_incomplete_maslikhat_has_nothing_and_unknown_totals(make_election):
    e = make_election(results=[(AST, "astana", 100, 60, 0, None, 40, 20, None)])
    assert len(assembly_composition(e, "maslikhat", "astana")) == 0
    seats = assembly_seats(e, "maslikhat", "astana")
    assert seats["party_list"] == {"seats": 4, "accounted": 0, "unaccounted": 4}
    assert seats["single_mandate"] == {"seats": None, "accounted": 0, "unaccounted": None}
    assert seats["seats"] is None and seats["unaccounted"] is None
    assert assembly_seats(e, "maslikhat", "abai")["seats"] is None


def test_derived_composition_is_labelled(make_election):
    e = make_election(
        composition=[(ASM, "a", 2)],
        sources=[("composition.csv", ASM, "", "", "", "http://x", "DERIVED: whole minus list")],
    )
    df = assembly_composition(e, "maslikhat", "astana")
    assert df.to_dict("records") == [
        {"party": "a", "kind": "single_mandate", "seats": 2, "source": "derived"}
    ]


def test_all_maslikhat_seats(make_election):
    e = make_election(results=[(AST, "astana", 100, 60, 0, 0, 30, 10, None)])
    df = all_maslikhat_seats(e)
    assert list(df.columns) == ["area", "party", "kind", "seats", "source"]
    assert df[["area", "party", "seats"]].values.tolist() == [["astana", "a", 3], ["astana", "b", 1]]
    assert len(all_maslikhat_seats(make_election())) == 0
