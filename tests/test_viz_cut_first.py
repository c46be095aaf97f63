"""Cut first (issue 13): the views cut around a focus, a sector, a country or an event read
only the kept nodes from the store; each must be the view (and the page) that the first way,
the whole store extracted and then cut, gives. The first way stays as the reference:
:func:`okg.viz.views.network_view_full` and :func:`okg.viz.views.event_view_full`."""

from __future__ import annotations

import dataclasses

import pytest
from okg.analysis.impact import list_events
from okg.store import KnowledgeGraph
from okg.terms.resources import data_dir
from okg.viz.extract import BATCH, Skeleton, extract, select_about, values_block
from okg.viz.page import render
from okg.viz.style import FIRM_LIKE
from okg.viz.views import (
    ViewError,
    build_view,
    event_view,
    event_view_full,
    network_view,
    network_view_full,
    run_event,
)

AS_OF = "2026-02-01"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(sorted(data_dir().glob("*.yaml")))
    return kg


@pytest.fixture(autouse=True)
def by_values(monkeypatch):
    """The seed store is small: every cut would be most of it and read whole
    (:data:`okg.viz.extract.WHOLE_SHARE`); the tests read by VALUES, whatever the share."""
    monkeypatch.setattr("okg.viz.extract.WHOLE_SHARE", 10.0)


def same(a, b) -> None:
    assert dataclasses.asdict(a) == dataclasses.asdict(b)


@pytest.mark.parametrize("illustrative", [False, True])
def test_focus_every_node_depths_1_to_3(kg, illustrative):
    whole = extract(kg, "en", illustrative)
    assert len(whole.nodes) > 40
    for x in sorted(whole.nodes):
        for depth in (1, 2, 3):
            got = network_view(kg, focus=x, depth=depth, include_illustrative=illustrative)
            same(
                got, network_view_full(kg, focus=x, depth=depth, include_illustrative=illustrative)
            )


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_focus_by_label_and_last_part_and_page(kg, lang):
    for key in ("ikanbi", "IKANBI", "FR", "https://w3id.org/okg/id/ikanbi"):
        got = network_view(kg, lang, focus=key, depth=2)
        ref = network_view_full(kg, lang, focus=key, depth=2)
        same(got, ref)
        assert render(got) == render(ref)


def test_sector_and_country_filters(kg):
    whole = extract(kg, "en")
    sectors = sorted(n.id for n in whole.nodes.values() if n.category == "sector")
    countries = sorted(n.id for n in whole.nodes.values() if n.category == "country")
    assert sectors and countries
    asked = [(s, None) for s in sectors] + [(None, c) for c in countries]
    asked += [(s, c) for s in sectors for c in countries]
    ran = 0
    for s, c in asked:
        for depth in (0, 1, 2):
            try:
                ref = network_view_full(kg, sector=s, country=c, depth=depth)
            except ViewError as exc:
                with pytest.raises(ViewError, match="no firm or segment") as got:
                    network_view(kg, sector=s, country=c, depth=depth)
                assert str(got.value) == str(exc)
                continue
            ran += 1
            same(network_view(kg, sector=s, country=c, depth=depth), ref)
    assert ran >= 6
    ref = network_view_full(kg, "fr", focus="ikanbi", country="MA", max_nodes=5)
    assert ref.notices  # grouped above the budget: the same groups
    same(network_view(kg, "fr", focus="ikanbi", country="MA", max_nodes=5), ref)


def test_every_bundled_event(kg):
    events = list_events(kg)
    assert len(events) >= 2
    for ev in events:
        for illustrative in (False, True):
            try:
                result = run_event(kg, ev.iri, AS_OF, "en", illustrative)
            except ViewError:
                assert not illustrative  # an illustrative event, asked without the flag
                continue
            for depth in (0, 1, 2):
                got = event_view(kg, result, depth=depth, include_illustrative=illustrative)
                ref = event_view_full(kg, result, depth=depth, include_illustrative=illustrative)
                same(got, ref)
                assert render(got, highlight=True) == render(ref, highlight=True)
            view, res = build_view(
                kg, event=ev.iri, as_of=AS_OF, focus="ikanbi", include_illustrative=illustrative
            )
            ref = network_view_full(
                kg, focus="ikanbi", impact=res, include_illustrative=illustrative
            )
            ref.title = view.title
            same(view, ref)


def test_large_cuts_read_whole_the_same(kg, monkeypatch):
    monkeypatch.setattr("okg.viz.extract.WHOLE_SHARE", 0.0)
    result = run_event(kg, "total-relocation", AS_OF)
    same(event_view(kg, result), event_view_full(kg, result))
    same(network_view(kg, focus="ikanbi", depth=1), network_view_full(kg, focus="ikanbi", depth=1))


def test_unknown_names_fail_as_before(kg):
    for kwargs in ({"focus": "nowhere"}, {"sector": "99.99"}, {"country": "ZZ"}):
        with pytest.raises(ViewError) as ref:
            network_view_full(kg, **kwargs)
        with pytest.raises(ViewError) as got:
            network_view(kg, **kwargs)
        assert str(got.value) == str(ref.value)


def test_skeleton_walk_is_the_views_neighbourhood(kg):
    from okg.viz.cut import neighbourhood

    whole = extract(kg, "en")
    skel = Skeleton(kg)
    firms = {n.id for n in whole.nodes.values() if n.category in FIRM_LIKE}
    assert skel.drawn(set(whole.nodes) | {"https://w3id.org/okg/id/not-there"}) == set(whole.nodes)
    for depth in range(4):
        assert skel.neighbourhood(firms, depth) == neighbourhood(whole, firms, depth)


def test_values_are_bound_terms_and_batched(kg, monkeypatch):
    block = values_block("x", ["https://w3id.org/okg/id/ikanbi"])
    assert block == "VALUES ?x { <https://w3id.org/okg/id/ikanbi> }"
    with pytest.raises(ValueError):
        values_block("x", ["https://x.org/a> } ; DROP ALL ; { <b"])
    with pytest.raises(ValueError):
        values_block("x }", ["https://x.org/a"])
    whole = extract(kg, "en")
    q = "SELECT DISTINCT ?x ?l WHERE { ?x rdfs:label ?l }"
    one = select_about(kg, q, "x", whole.nodes)
    monkeypatch.setattr("okg.viz.extract.BATCH", 3)
    assert BATCH > 3 and sorted(select_about(kg, q, "x", whole.nodes)) == sorted(one)
    assert {r[0] for r in one} <= set(whole.nodes) and len(one) > 10


def test_claim_rows_are_the_claims_query_bound(kg):
    from okg.figures.claims import Q_CLAIMS
    from okg.viz.extract import claim_rows

    xs = set(extract(kg, "en", True).nodes)
    ref = select_about(kg, Q_CLAIMS, "x", xs)
    assert len(ref) > 20
    assert sorted(claim_rows(kg, xs), key=str) == sorted(ref, key=str)
    known = Skeleton(kg, True).category
    assert sorted(claim_rows(kg, xs, known), key=str) == sorted(ref, key=str)
