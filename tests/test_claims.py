"""The one claim model, the one reader of okg:Quantity and the one same-figure rule
(okg.figures.claims), on small hand-built graphs, and as conflicts, impact and viz use them."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from okg.figures.claims import (
    Claim,
    FigureRules,
    claims_from_rows,
    graph_select,
    group_figures,
    read_claims,
    scopes_from_rows,
)
from okg.figures.intervals import UNKNOWN, Interval
from rdflib import Dataset

OKG = "https://w3id.org/okg/ontology#"
EX = "https://example.org/t#"
SRC = "https://w3id.org/okg/graph/source/"

PREFIXES = f"""
@prefix okg: <{OKG}> .
@prefix ex: <{EX}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""

# A class and a breakdown that exist nowhere in the ontology or the code: shift counts, whose
# figure is about an employer and a shift; all shifts = day + night.
RULES = """
ex:ShiftCount okg:conflictScope okg:employer , ex:shift .
ex:AllShifts okg:isTotalOf ex:Day , ex:Night .
"""


def shift_count(fid, shift, low, high, stated, employer="ex:f", point=None, line=None):
    pt = f" ; okg:pointValue {point}" if point is not None else ""
    ln = f" ; okg:line {line}" if line is not None else ""
    return f"""
ex:{fid} a ex:ShiftCount ; okg:employer {employer} ; ex:shift ex:{shift} ;
    okg:headcount ex:{fid}-q ; okg:quote "quote of {fid}"{ln} .
ex:{fid}-q a okg:Quantity ; okg:qualifier okg:Exact ; okg:unit okg:Person ;
    okg:low {low} ; okg:high {high} ; okg:statedAs "{stated}"{pt} .
"""


def dataset(body: str, rules: str = RULES, source: str = "s1") -> Dataset:
    ds = Dataset()
    ds.parse(format="trig", data=PREFIXES + rules + f"<{SRC}{source}> {{ {body} }}")
    return ds


SHIFTS = (
    shift_count("all", "AllShifts", 100, 100, "100", line=7)
    + shift_count("day", "Day", 30, 30, "30")
    + shift_count("night", "Night", 40, 40, "40")
)


# -- the reader ------------------------------------------------------------------------------
def test_reader_reads_value_statement_provenance_and_scope():
    ds = dataset(
        SHIFTS
        + """
ex:all okg:illustrative true .
ex:u okg:share ex:u-q . ex:u-q a okg:Quantity ; okg:qualifier okg:Unknown ; okg:statedAs "unknown" .
<https://w3id.org/okg/id/source/s1> a okg:Source ; <http://purl.org/dc/terms/title> "Title one" .
"""
    )
    claims = {c.fact: c for c in read_claims(graph_select(ds))}
    a = claims[EX + "all"]
    assert (a.prop, a.value, a.stated, a.source) == (
        OKG + "headcount",
        Interval.of(100),
        "100",
        "s1",
    )
    assert (a.qualifier, a.unit, a.quantity) == (OKG + "Exact", OKG + "Person", EX + "all-q")
    assert (a.quotes, a.line, a.source_title, a.illustrative) == (
        ("quote of all",),
        7,
        "Title one",
        True,
    )
    assert a.scope == (
        EX + "ShiftCount",
        ((EX + "shift", (EX + "AllShifts",)), (OKG + "employer", (EX + "f",))),
    )  # sorted by property IRI
    assert claims[EX + "day"].illustrative is False and claims[EX + "day"].line is None
    u = claims[EX + "u"]
    assert u.value == UNKNOWN and not u.value.known and u.scope is None and u.stated_as == "unknown"


def test_reader_keeps_the_point_and_knows_open_bounds():
    body = (
        shift_count("a", "AllShifts", 146, 180, "about 163", point=163)
        + """
ex:b okg:headcount ex:b-q . ex:b-q a okg:Quantity ; okg:low 151 ; okg:statedAs "more than 150" .
"""
    )
    claims = {c.fact: c for c in read_claims(graph_select(dataset(body)))}
    assert claims[EX + "a"].value.format() == "about 163 (146–180)"
    assert claims[EX + "a"].interval() == "146–180"
    assert claims[EX + "b"].value.high is None and claims[EX + "b"].interval() == "151–open"


def test_claims_outside_source_graphs_have_no_source_and_can_be_dropped():
    ds = dataset(SHIFTS)
    ds.parse(
        format="trig",
        data=PREFIXES
        + "<urn:other> { ex:z okg:share ex:z-q . ex:z-q a okg:Quantity ; okg:low 1 ; okg:high 2 . }",
    )
    select = graph_select(ds)
    every = {c.fact: c for c in read_claims(select)}
    assert every[EX + "z"].source is None
    assert EX + "z" not in {c.fact for c in read_claims(select, sources_only=True)}


def test_row_parser_on_plain_rows():
    rows = [
        ("urn:x", "urn:p", "urn:q", SRC + "s", None, None, "1.5", "2.5", None, "1.5 to 2.5", "12"),
    ]
    (c,) = claims_from_rows(rows, quotes={("urn:x", "s"): ("q",)}, titles={"s": "T"})
    assert (c.value, c.source, c.quotes, c.source_title, c.line) == (
        Interval.of("1.5", "2.5"),
        "s",
        ("q",),
        "T",
        12,
    )


def test_scopes_take_every_value_and_mark_missing_ones():
    rows = [("x", "C", "p1", "a"), ("x", "C", "p1", "b"), ("x", "C", "p2", None)]
    assert scopes_from_rows(rows) == {"x": ("C", (("p1", ("a", "b")), ("p2", ())))}


# -- the rule --------------------------------------------------------------------------------
def test_rules_are_read_from_the_graph():
    rules = FigureRules.read(graph_select(dataset("")))
    assert rules.scopes == {EX + "ShiftCount": (EX + "shift", OKG + "employer")}  # by IRI
    assert rules.totals == {EX + "AllShifts": frozenset({EX + "Day", EX + "Night"})}
    assert (
        rules.total_of(EX + "Night") == EX + "AllShifts"
        and rules.total_of(EX + "AllShifts") is None
    )


def test_a_new_breakdown_declared_with_is_total_of_is_honoured():
    select = graph_select(dataset(SHIFTS))
    rules = FigureRules.read(select)
    (fig,) = group_figures(read_claims(select), rules)
    assert [c.fact for c in fig.claims] == [EX + "all"] and fig.claims[0].part == EX + "AllShifts"
    (b,) = fig.breakdowns
    assert (b.prop, b.total, b.complete) == (EX + "shift", EX + "AllShifts", True)
    assert [(p, [c.fact for c in cs]) for p, cs in b.parts] == [
        (EX + "Day", [EX + "day"]),
        (EX + "Night", [EX + "night"]),
    ]
    assert [c.part for c in b.claims()] == [EX + "Day", EX + "Night"]
    assert b.value() == Interval.of(70)
    assert rules.is_whole(fig.claims[0]) and not rules.is_whole(b.claims()[0])


def test_without_the_declaration_the_parts_are_other_figures():
    select = graph_select(
        dataset(SHIFTS, rules="ex:ShiftCount okg:conflictScope okg:employer , ex:shift .")
    )
    figs = group_figures(read_claims(select), FigureRules.read(select))
    assert len(figs) == 3 and all(not f.breakdowns and len(f.claims) == 1 for f in figs)


def test_an_incomplete_breakdown_says_so():
    select = graph_select(
        dataset(
            shift_count("all", "AllShifts", 100, 100, "100")
            + shift_count("day", "Day", 30, 30, "30")
        )
    )
    (fig,) = group_figures(read_claims(select), FigureRules.read(select))
    (b,) = fig.breakdowns
    assert (
        not b.complete and [p for p, _ in b.given] == [EX + "Day"] and b.value() == Interval.of(30)
    )


def test_conflict_scope_properties_decide_what_is_the_same_figure():
    body = (
        shift_count("a", "AllShifts", 100, 100, "100")
        + shift_count("b", "AllShifts", 120, 120, "120")
        + shift_count("c", "AllShifts", 50, 50, "50", employer="ex:g")
        # a property outside the conflict scope does not make another figure
        + "ex:b okg:attributedTo ex:some-contract ."
    )
    select = graph_select(dataset(body))
    figs = group_figures(read_claims(select), FigureRules.read(select))
    assert sorted(sorted(c.fact for c in f.claims) for f in figs) == [
        [EX + "a", EX + "b"],
        [EX + "c"],
    ]
    # with attributedTo in the scope, b is about other jobs
    select = graph_select(
        dataset(body, rules=RULES + "ex:ShiftCount okg:conflictScope okg:attributedTo .")
    )
    figs = group_figures(read_claims(select), FigureRules.read(select))
    assert sorted(len(f.claims) for f in figs) == [1, 1, 1]


def test_claims_without_a_scope_are_about_their_own_node():
    c1 = Claim("urn:x", "urn:p", Interval.of(1))
    c2 = Claim("urn:x", "urn:p", Interval.of(2), source="other")
    c3 = Claim("urn:y", "urn:p", Interval.of(1))
    figs = group_figures([c1, c2, c3], FigureRules())
    assert [[c.fact for c in f.claims] for f in figs] == [["urn:x", "urn:x"], ["urn:y"]]


# -- a property for every input: grouping does not depend on the order of the claims ----------
_TYPES = ["AllShifts", "Day", "Night", "Evening"]  # Evening is declared part of nothing
_SITES = ["AllSites", "North", "South"]  # a second breakdown: parts of parts are "finer"
_claim = st.builds(
    lambda i, emp, typ, site, lo, width: Claim(
        fact=f"{EX}w{i}",
        prop=OKG + "headcount",
        value=Interval.of(lo, lo + width),
        stated=str(lo),
        source="s",
        quantity=f"{EX}w{i}-q",
        scope=(
            EX + "ShiftCount",
            (
                (EX + "shift", (EX + typ,)),
                (EX + "site", (EX + site,)),
                (OKG + "employer", (EX + emp,)),
            ),
        ),
    ),
    st.integers(0, 30),
    st.sampled_from(["f", "g"]),
    st.sampled_from(_TYPES),
    st.sampled_from(_SITES),
    st.integers(0, 200),
    st.integers(0, 50),
)
_RULES = FigureRules(
    {EX + "ShiftCount": (EX + "shift", EX + "site", OKG + "employer")},
    {
        EX + "AllShifts": frozenset({EX + "Day", EX + "Night"}),
        EX + "AllSites": frozenset({EX + "North", EX + "South"}),
    },
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_claim, max_size=25, unique_by=lambda c: c.fact), st.randoms(use_true_random=False))
def test_grouping_is_independent_of_claim_order_and_places_every_claim_once(claims, rnd):
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    figs = group_figures(claims, _RULES)
    assert figs == group_figures(shuffled, _RULES)
    placed = [c.fact for f in figs for c in f.all_claims()]
    assert sorted(placed) == sorted(c.fact for c in claims)
    for f in figs:
        # same figure = same class, property and scope values once parts are rolled up
        assert {_RULES.figure_key(c) for c in f.all_claims()} == {f.key}
        for b in f.breakdowns:
            assert all(c.part in _RULES.totals[b.total] for c in b.claims())
            assert b.complete == all(cs for _, cs in b.parts)


# -- the consumers use the one reader and rule ------------------------------------------------
def test_projection_claims_are_the_readers_claims(seed_kg):
    from okg.analysis.projection import project, select

    G = project(seed_kg)
    read = {}
    for c in read_claims(lambda q: select(seed_kg, q)):
        read.setdefault((c.fact, c.prop), []).append(c)
    assert G.graph["figure_rules"] == FigureRules.read(lambda q: select(seed_kg, q))
    n = 0
    for node, data in G.nodes(data=True):
        for prop, claims in data["quantities"].items():
            assert sorted(claims, key=repr) == sorted(read[(node, prop)], key=repr)
            n += 1
    assert n > 10


def _with_shift_facts(kg, extra: str = ""):
    body = (
        shift_count("all", "AllShifts", 100, 100, "100")
        + shift_count("day", "Day", 30, 30, "30")
        + shift_count("night", "Night", 40, 40, "40")
        + extra
    )
    rules = RULES.replace("\n", " ")
    kg.backend.update(
        "PREFIX okg: <"
        + OKG
        + "> PREFIX ex: <"
        + EX
        + "> INSERT DATA { "
        + rules
        + " GRAPH <"
        + SRC
        + "shifts> { "
        + body
        + " ex:f a okg:Firm . } }"
    )


def test_conflicts_and_impact_follow_a_breakdown_declared_only_in_the_data():
    from okg.analysis.conflicts import find_conflicts
    from okg.analysis.impact.figures import job_figures
    from okg.analysis.projection import project
    from okg.store import KnowledgeGraph

    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    _with_shift_facts(kg)
    (conflict,) = find_conflicts(kg)
    assert (
        conflict.breakdown
        and "30 + 40" in conflict.breakdown
        and conflict.breakdown.endswith("70–70")
    )
    assert [c.stated_as for c in conflict.claims] == ["100", "30", "40"]
    G = project(kg)
    (fig,) = job_figures(G, [EX + "day"])
    assert fig.conflict and fig.headcount == Interval.of(70, 100)
    assert "30 day + 40 night = 70" in fig.rule
    assert [c.employment_type for c in fig.claims] == ["AllShifts", "Day", "Night"]


def test_viz_counts_only_whole_figures_for_the_employer():
    from okg.store import KnowledgeGraph
    from okg.viz.extract import extract

    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    # drawn as workforce nodes (their category), still grouped by the shift breakdown
    _with_shift_facts(
        kg, "ex:all a okg:Workforce . ex:day a okg:Workforce . ex:night a okg:Workforce ."
    )
    view = extract(kg)
    firm = view.nodes.get(EX + "f")
    assert firm is not None and firm.jobs == Interval.of(100)  # day + night not added again
    assert view.nodes[EX + "day"].jobs == Interval.of(30)
    assert [f.stated for f in view.nodes[EX + "all"].figures] == ["100"]


def test_grouping_result_does_not_depend_on_store_row_order():
    select = graph_select(dataset(SHIFTS))
    rules = FigureRules.read(select)
    claims = read_claims(select)
    for seed_ in range(5):
        random.Random(seed_).shuffle(claims)
        assert group_figures(claims, rules) == group_figures(sorted(claims, key=repr), rules)
