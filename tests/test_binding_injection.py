"""Parameters cannot change a query: hostile values match literally, on the store and the server."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from okg.queries.canned import run_query
from okg.store.remote import Endpoint
from okg.store.sparql import bind, term_to_sparql
from rdflib import Literal

HOSTILE = [
    'IKANBI" } ; DROP ALL ; { "',
    "} ; DROP ALL ; {",
    "it's \\ a # comment\n} DROP ALL {",
    "\"\"\"''' {{ }} <http://x> # \r\n\t",
    "Liège",
]


def _count(target) -> int:
    if isinstance(target, Endpoint):
        q = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        return int(target.select(q).rows[0][0])
    return target.backend.count()


def _literal_matches(kg, text: str) -> set[str]:
    """What find-entity must return: the ids whose labels contain *text*, computed in Python."""
    rows = kg.query(
        "SELECT DISTINCT ?x ?l WHERE { GRAPH ?g { ?x rdfs:label ?l ; prov:hadPrimarySource ?s } }"
    ).rows
    return {
        str(x).removeprefix("https://w3id.org/okg/id/")
        for x, lab in rows
        if text.lower() in str(lab).lower() and str(x).startswith("https://w3id.org/okg/id/")
    }


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_matched_literally_on_the_store(queries_seed_kg, value):
    before = _count(queries_seed_kg)
    rows = run_query(queries_seed_kg, "find-entity", {"text": value}).python()
    assert {r["id"] for r in rows} == _literal_matches(queries_seed_kg, value)
    assert _count(queries_seed_kg) == before


@pytest.mark.server
@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_text_is_matched_literally_on_the_server(oxigraph_server, queries_seed_kg, value):
    ep = Endpoint(oxigraph_server.query_url, attempts=1)
    before = _count(ep)
    rows = run_query(ep, "find-entity", {"text": value}).python()
    assert {r["id"] for r in rows} == _literal_matches(queries_seed_kg, value)
    assert _count(ep) == before


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_bound_text_parses_and_round_trips(text):
    query = bind("SELECT ?v WHERE { }", {"v": Literal(text)})
    store = ox.Store()
    (sol,) = list(store.query(query))
    assert sol["v"].value == text


@settings(max_examples=100, deadline=None)
@given(st.text(), st.sampled_from(["en", "ar", "fr-BE"]))
def test_lang_literals_round_trip(text, lang):
    written = term_to_sparql(Literal(text, lang=lang))
    (sol,) = list(ox.Store().query(f"SELECT ?v WHERE {{ BIND({written} AS ?v) }}"))
    assert (sol["v"].value, sol["v"].language) == (text, lang.lower())
