"""A second real engine (issue 13, item 4): Virtuoso 7 (Debian's ``virtuoso-opensource``),
started by the tests on 127.0.0.1 with a temp config (tests/servers.py), stopped by its pid.

``okg push`` must leave on Virtuoso exactly what was sent (its parser refuses blank nodes in
``INSERT DATA`` and more than ~5,000 triples, or 10,000 lines of generated SQL, per request:
see okg.store.remote), and every canned query must answer as on the embedded store. Where
Virtuoso 7.2.5 still answers differently, the test is an expected failure naming the measured
cause (strict: it fails the day the query is made portable, so the mark must then go).
"""

from __future__ import annotations

import pytest
from okg.queries.canned import catalog, run_query
from okg.store.remote import Endpoint, push

pytestmark = pytest.mark.server

# measured on Virtuoso 7.2.5.1 (Debian bookworm), December 2026, and made portable since: the
# illustrative flag (nested EXISTS inside BIND came back 1, xsd:integer) is one derived triple,
# okg:shownIllustrative (queries/derive/50_illustrative.rq); labels are looked up after the
# query (60 label OPTIONALs hit "SQ200 memory pool" or the cost estimate limit); grouped
# sub-SELECTs are no longer filtered on their counts inside a UNION (SP031); IF(BOUND(..))
# came back unbound (provenance's basis is now a COALESCE); downstream reads the derived
# okg:scopeReaches and the source graphs' classes (the FILTER NOT EXISTS on a narrower class
# kept super-classes); a nested optional path ((a|b)/c?)? and a UNION branch binding
# BIND(?event AS ?seed) gave no rows; IRI(MIN(STR(?c))) comes back as a string, which okg
# reads as the IRI (okg.queries.canned). A query Virtuoso still answers differently goes here
# with its measured cause, as a strict expected failure.
VIRTUOSO_DIFFERS: dict[str, str] = {}


@pytest.fixture(scope="module")
def virtuoso(virtuoso_server, queries_seed_kg):
    ep = Endpoint(
        virtuoso_server.query_url, update_url=virtuoso_server.update_url, attempts=1, timeout=60
    )
    counts = push(queries_seed_kg.dataset(), ep, status=queries_seed_kg.status())
    return ep, counts


def normalised(rows):
    return [tuple(r.values()) for r in rows.python()]


def test_push_leaves_what_was_sent(virtuoso, queries_seed_kg):
    ep, counts = virtuoso
    local = {
        str(g.identifier): len(g)
        for g in queries_seed_kg.dataset().graphs()
        if str(g.identifier).startswith("https://w3id.org/okg/graph/") and len(g)
    }
    status = counts.pop("https://w3id.org/okg/graph/status")
    assert status == 3 and counts == local  # push also checks this itself, from the server
    assert max(local.values()) > 5000  # the chunked path (temporary graph, then MOVE) ran
    assert not [g for g in ep.graph_names() if "/push-tmp/" in g]
    again = push(queries_seed_kg.dataset(), ep, status=queries_seed_kg.status())
    assert again == {**counts, "https://w3id.org/okg/graph/status": 3}


def test_default_graph_shows_the_named_graphs(virtuoso):
    ep, _ = virtuoso
    ep.check_default_graph()  # Virtuoso's default graph is the union: no error


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=VIRTUOSO_DIFFERS[n]))
        if n in VIRTUOSO_DIFFERS
        else n
        for n in sorted(catalog())
    ],
)
def test_canned_query_agrees_with_the_embedded_store(name, virtuoso, queries_seed_kg):
    ep, _ = virtuoso
    embedded = normalised(run_query(queries_seed_kg, name, {}, "en"))
    remote = normalised(run_query(ep, name, {}, "en"))
    assert embedded, name
    assert remote == embedded, name


def test_projection_on_virtuoso_equals_the_embedded_stores(virtuoso, queries_seed_kg):
    from okg.analysis.projection import project
    from okg.store.reader import open_endpoint

    ep, _ = virtuoso
    local, remote = project(queries_seed_kg), project(open_endpoint(ep.query_url))
    assert local.number_of_edges() > 50
    assert dict(remote.nodes(data=True)) == dict(local.nodes(data=True))
    assert sorted(remote.edges(keys=True, data=True), key=repr) == sorted(
        local.edges(keys=True, data=True), key=repr
    )


def test_impact_on_virtuoso_equals_the_embedded_stores(virtuoso, queries_seed_kg):
    import datetime as dt

    from okg.analysis.impact import run_impact
    from okg.render.impact import render_impact
    from okg.store.reader import open_endpoint

    ep, _ = virtuoso
    remote_kg = open_endpoint(ep.query_url)
    for event in ("fr-ban-vote", "total-relocation"):
        local, remote = (
            render_impact(run_impact(kg, event, as_of=dt.date(2026, 9, 1)), "json", 50)
            for kg in (queries_seed_kg, remote_kg)
        )
        assert '"rows": [\n    {' in local, event  # a real answer, rows and source claims
        assert remote == local, event
