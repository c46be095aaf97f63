"""The impact projection: read from the ontology in the store, oriented, deduplicated, cached."""

import pytest
from okg.analysis.projection import CACHE_FILE, cached_projection, fingerprint, project
from okg.store import KnowledgeGraph
from okg.terms.namespaces import GRAPH, OKG, OKGD
from okg.terms.resources import data_dir

TOTAL = "totalenergies-ikanbi-relocation"
AUTO = "https://w3id.org/okg/sector/automotive#"


def seeded(engine: str = "oxigraph") -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory(engine)
    kg.install_vocabulary()
    kg.load(sorted(data_dir().glob("*.yaml")))
    return kg


@pytest.fixture(scope="module")
def G(seed_kg):
    return project(seed_kg)


def test_edges_follow_the_declared_flow(G):
    contract = str(OKGD[f"{TOTAL}/total-fr-customer-service-ikanbi"])
    ikanbi, total = str(OKGD["ikanbi"]), str(OKGD["totalenergies"])
    provider = G.edges[contract, ikanbi, str(OKG.provider)]  # outbound: subject -> object
    assert provider["flow"] == "outbound" and provider["weight"] == str(OKG.revenueShare)
    assert provider["subject"] == contract and provider["fact"] == contract
    assert provider["source"] == TOTAL and provider["quotes"]
    client = G.edges[total, contract, str(OKG.client)]  # inbound: object -> subject
    assert client["flow"] == "inbound" and client["subject"] == contract
    event = str(OKGD[f"{TOTAL}/total-relocation"])
    assert G.edges[event, contract, str(OKG.terminates)]["effect"] == "loss"
    ban = str(OKGD["assahafa-2025-05-25-telemarketing-ban/fr-cold-call-ban"])
    scoped = {k for _, _, k, d in G.out_edges(ban, keys=True, data=True) if d["scope"]}
    assert scoped == {str(OKG.prohibitsActivity), str(OKG.appliesToMarket)}
    # relations without okg:impactFlow are not projected
    assert not any(k == str(OKG.affects) for _, _, k in G.edges(keys=True))


def test_sector_sub_properties_are_projected_once_with_their_own_predicate(G):
    edges = [(u, v, d) for u, v, d in G.edges(data=True) if d["predicate"] == AUTO + "supplier"]
    assert edges and all(d["relation"] == str(OKG.provider) for _, _, d in edges)
    pairs = [(u, v, k) for u, v, k in G.edges(keys=True)]
    assert len(pairs) == len(set(pairs))
    assert (
        G.number_of_edges(
            str(OKGD["automotive-harness-illustrative/eurocar-harness-alpha"]),
            str(OKGD["harness-alpha"]),
        )
        == 1
    )


def test_node_attributes(G):
    ikanbi = G.nodes[str(OKGD["ikanbi"])]
    assert ikanbi["kind"] == str(OKG.Firm) and ikanbi["country"] == "BE"
    assert ikanbi["sector"] == "82.20" and ikanbi["labels"]["ar"] == "IKANBI"
    jobs = G.nodes[str(OKGD[f"{TOTAL}/ikanbi-jobs-150"])]
    (claim,) = jobs["quantities"][str(OKG.headcount)]
    assert claim.stated == "more than 150" and claim.value.low == 151 and claim.value.high is None
    assert jobs["scope"][0] == str(OKG.Workforce)
    assert jobs["quotes"][TOTAL] == ("مع خسارة مركز IKANBI لعميل رئيسي وتأثر أكثر من 150 وظيفة",)
    unknown = G.nodes[str(OKGD[f"{TOTAL}/morocco-new-jobs"])]
    (claim,) = unknown["quantities"][str(OKG.headcount)]
    assert not claim.value.known
    relocation = G.nodes[str(OKGD[f"{TOTAL}/total-relocation"])]
    assert str(relocation["dates"]["startDate"]) == "2025-10-01"
    smes = G.nodes[str(OKGD["ma-cc-smes-single-activity"])]
    assert smes["parents"] == (str(OKGD["ma-offshore-call-centres"]),)
    contract = G.nodes[str(OKGD[f"{TOTAL}/total-fr-customer-service-morocco"])]
    assert contract["country"] == "MA" and contract["kind"] == str(OKG.Contract)
    assert G.graph["sources"][TOTAL].startswith("TotalEnergies")


def test_what_propagates_is_read_from_the_store_not_the_code():
    kg = seeded()
    core = GRAPH["ontology/core"]
    kg.backend.update(f"""
        DELETE DATA {{ GRAPH <{core}> {{ <{OKG.provider}> <{OKG.impactFlow}> <{OKG.Outbound}> }} }};
        INSERT DATA {{ GRAPH <{core}> {{ <{OKG.affects}> <{OKG.impactFlow}> <{OKG.Outbound}> }} }}
    """)
    H = project(kg)
    rels = {k for _, _, k in H.edges(keys=True)}
    assert str(OKG.provider) not in rels and AUTO + "supplier" not in rels
    assert str(OKG.affects) in rels


def test_both_engines_give_the_same_projection(G):
    R = project(seeded("rdflib"))
    assert set(R.nodes) == set(G.nodes)
    assert set(R.edges(keys=True)) == set(G.edges(keys=True))
    for u, v, k, d in G.edges(keys=True, data=True):
        assert R.edges[u, v, k] == d


def test_cache_is_reused_until_the_store_changes(tmp_path):
    store = tmp_path / "store"
    kg = KnowledgeGraph.open(store)
    kg.install_vocabulary()
    kg.load(sorted(data_dir().glob("*.yaml")))
    first = cached_projection(kg)
    assert cached_projection(kg) is first
    assert (store / CACHE_FILE).exists()
    before = fingerprint(kg)
    kg.remove_source("automotive-harness-illustrative")
    assert fingerprint(kg) != before
    second = cached_projection(kg)
    assert second is not first and str(OKGD["eurocar"]) not in second
    assert cached_projection(kg, refresh=True).number_of_edges() == second.number_of_edges()


# -- the cache file: every graph of the projection's value types round-trips -------------------

import networkx as nx  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from okg.analysis.projection import projection_from_json, projection_to_json  # noqa: E402
from okg.figures.claims import Claim  # noqa: E402
from okg.figures.intervals import Interval  # noqa: E402

_names = st.sampled_from(["a", "b", "c", "d", "$x", "urn:e"])
_scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(2**40), 2**40)
    | st.text(max_size=4)
    | _names
    | st.fractions(max_denominator=50)
    | st.dates()
)
_intervals = st.builds(
    lambda a, b: Interval(min(a, b), max(a, b)), st.fractions(0, 100), st.fractions(0, 100)
)
_claims = st.builds(
    Claim,
    fact=_names,
    prop=_names,
    value=_intervals,
    stated=st.none() | st.text(max_size=3),
    quotes=st.tuples(st.text(max_size=3)),
    line=st.none() | st.integers(0, 99),
)
_values = st.recursive(
    _scalars | _intervals | _claims,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.frozensets(_names, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=3)
        | st.dictionaries(st.integers(0, 5), inner, max_size=2)
    ),
    max_leaves=8,
)
_attrs = st.dictionaries(st.sampled_from(["kind", "labels", "quantities", "q", "x"]), _values)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    nodes=st.dictionaries(_names, _attrs, min_size=1, max_size=5),
    edges=st.lists(st.tuples(_names, _names, st.sampled_from(["r1", "r2"]), _attrs), max_size=6),
    graph=st.dictionaries(st.text(max_size=3), _values, max_size=3),
)
def test_the_cache_round_trips_any_graph_of_these_values(nodes, edges, graph):
    G = nx.MultiDiGraph(**graph)
    G.add_nodes_from(nodes.items())
    for u, v, k, d in edges:
        if u in G and v in G:
            G.add_edge(u, v, key=k, **d)
    H = projection_from_json(projection_to_json(G))
    assert H.graph == G.graph
    assert list(H.nodes(data=True)) == list(G.nodes(data=True))
    assert list(H.edges(keys=True, data=True)) == list(G.edges(keys=True, data=True))
    for x, y in zip(H.nodes(data=True), G.nodes(data=True), strict=True):
        for a in y[1]:
            assert type(x[1][a]) is type(y[1][a])


def test_the_lean_scope_rows_equal_the_shared_scope_query(seed_kg):
    """The projection reads conflict scopes with three lean SELECTs joined in Python; they give
    the rows of okg.figures.claims.Q_SCOPES (the one shared definition) exactly."""
    from okg.analysis.projection import scope_rows, select
    from okg.figures.claims import Q_SCOPES, scopes_from_rows

    shared = set(select(seed_kg, Q_SCOPES))
    lean = scope_rows(seed_kg)
    assert shared and len(lean) == len(set(lean)) and set(lean) == shared
    assert scopes_from_rows(lean) == scopes_from_rows(shared)
