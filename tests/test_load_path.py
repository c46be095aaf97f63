"""The one load path of ``okg build``: staged native quads, the compiled shapes, one write.

- The compiled shapes (the default, ``--shapes engine``) and pyshacl (the reference) refuse the
  same records: same file, line, field and focus node, for a broken record of each constraint
  kind the shapes files use (core and sector modules), and for random breakages (hypothesis).
- The store a native load writes (on disk and in memory) holds the same source and derived
  triples as the rdflib backend's generic path.
- A ``FILE.source.yaml`` sidecar that takes the id of a source the store holds from another
  file is refused with the sidecar, the line of ``id:`` and ``source.id``; nothing changes.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from okg.loaders import LoadError, load_vocabulary, read_files
from okg.store import KnowledgeGraph
from okg.store.shacl import check_bundles
from okg.terms.namespaces import DERIVED_GRAPH, OKG, SOURCE_GRAPH_PREFIX, source_graph
from okg.terms.resources import data_dir
from rdflib import RDF, RDFS, BNode, Literal, Namespace, URIRef
from rdflib.namespace import PROV, XSD

VOC = load_vocabulary()
AUTO = Namespace(VOC.modules["automotive"].namespace)
CC = Namespace(VOC.modules["call_centres"].namespace)
FILES = sorted(data_dir().glob("*.yaml"))


def _bundles():
    return read_files(FILES, VOC)


def _typed(bundles, cls: URIRef, prop: URIRef | None = None):
    """(bundle, first subject typed exactly *cls*, having *prop* if given)."""
    for b in bundles:
        for s in sorted(b.graph.subjects(RDF.type, cls)):
            if prop is None or (s, prop, None) in b.graph:
                return b, s
    raise AssertionError(f"no {cls} in the data pack")


def _drop(b, s, prop: URIRef) -> None:
    """Remove *prop* and its sub-properties from *s* (auto:buyer is an okg:client)."""
    for p in set(b.graph.predicates(s)):
        if prop in VOC.graph.transitive_objects(p, RDFS.subPropertyOf):
            b.graph.remove((s, p, None))


def _break(bundles, how: str) -> str:
    """Break one record of the data pack; the fact-file key the refusal must name."""
    if how == "min-count":  # ContractShape client minCount
        b, k = _typed(bundles, OKG.Contract, OKG.client)
        _drop(b, k, OKG.client)
        return "client"
    if how == "max-count":  # SiteShape country maxCount (on a call-centres site)
        b, s = _typed(bundles, CC.ContactCentre, OKG.country)
        b.graph.add((s, OKG.country, URIRef("https://w3id.org/okg/id/country/ZZ")))
        return "country"
    if how == "sector-min-count":  # cc:ContactCentreShape country minCount (and SiteShape)
        b, s = _typed(bundles, CC.ContactCentre, OKG.country)
        _drop(b, s, OKG.country)
        return "country"
    if how == "sector-max-count":  # auto:SupplyContractShape buyer maxCount (and client)
        b, k = _typed(bundles, AUTO.SupplyContract)
        other = next(o for o in b.graph.subjects(RDF.type, AUTO.HarnessSupplier))
        b.graph.add((k, AUTO.buyer, other))
        return "buyer"
    if how == "sector-class":  # auto:HarnessPlantShape siteOf sh:class auto:ComponentSupplier
        b, s = _typed(bundles, AUTO.HarnessPlant, OKG.siteOf)
        city = next(o for o in b.graph.subjects(RDF.type, OKG.City))
        b.graph.set((s, OKG.siteOf, city))
        return "siteOf"
    if how == "class":  # FactShape hadPrimarySource sh:class okg:Source
        b, k = _typed(bundles, OKG.Contract)
        b.graph.set((k, PROV.hadPrimarySource, k))
        return "prov:hadPrimarySource"
    if how == "or":  # FactShape: a quote, or illustrative true
        b, k = _typed(bundles, OKG.Contract, OKG.quote)
        b.graph.remove((k, OKG.quote, None))
        b.graph.remove((k, OKG.illustrative, None))
        return None
    if how == "or-of-min-counts":  # WorkforceShape: employer or workplace
        b, w = _typed(bundles, OKG.Workforce)
        _drop(b, w, OKG.employer)
        _drop(b, w, OKG.workplace)
        return None
    if how == "datatype":  # ContractShape startDate xsd:date
        b, k = _typed(bundles, OKG.Contract, OKG.startDate)
        b.graph.set((k, OKG.startDate, Literal("2025-10-01")))
        return "start"
    if how == "datatype-boolean":  # targetSubjectsOf okg:quoteVerified, xsd:boolean
        b, k = _typed(bundles, OKG.Contract)
        b.graph.set((k, OKG.quoteVerified, Literal("yes")))
        return "okg:quoteVerified"
    if how == "in":  # BasisShape basis sh:in
        b, k = _typed(bundles, OKG.Contract)
        b.graph.set((k, OKG.basis, OKG.Guessed))
        return "basis"
    if how == "not-has-value":  # InferredShape: basis not Inferred, or a reason
        b, k = _typed(bundles, OKG.Contract)
        b.graph.set((k, OKG.basis, OKG.Inferred))
        b.graph.remove((k, OKG.reason, None))
        return None
    if how in ("min-inclusive", "less-than-or-equals"):  # QuantityShape low
        for b in bundles:
            for q in sorted(b.graph.subjects(OKG.high, None)):
                if (q, OKG.low, None) in b.graph:
                    high = b.graph.value(q, OKG.high).toPython()
                    low = -1 if how == "min-inclusive" else high + 1
                    b.graph.set((q, OKG.low, Literal(low, datatype=XSD.decimal)))
                    return None
        raise AssertionError("no quantity with low and high")
    raise ValueError(how)


KINDS = [
    "min-count",
    "max-count",
    "sector-min-count",
    "sector-max-count",
    "sector-class",
    "class",
    "or",
    "or-of-min-counts",
    "datatype",
    "datatype-boolean",
    "in",
    "not-has-value",
    "min-inclusive",
    "less-than-or-equals",
]


def _refusals(errors) -> list[tuple]:
    """(file, line, field, focus) of each refusal: what a user is told, without the wording
    pyshacl makes up for a constraint that declares no sh:message."""
    out = []
    for e in errors:
        m = re.search(r"\(SHACL, ([^)]*)\)$", e.message)
        out.append((e.file, e.line, e.field, m.group(1) if m else e.message))
    return sorted(out, key=str)


def test_the_shapes_files_use_only_the_kinds_broken_here():
    """Each constraint kind of ontology/shapes.ttl and the sector modules has a case above."""
    from okg.store.shacl import shapes_graph
    from okg.store.shapes_sparql import compile_shapes

    used = {c.component for c in compile_shapes(shapes_graph(VOC)) if c.severity == "Violation"}
    covered = {
        "MinCount",
        "MaxCount",
        "Class",
        "Or",
        "Datatype",
        "In",
        "MinInclusive",
        "LessThanOrEquals",
    }
    assert used <= covered, used - covered


@pytest.mark.parametrize("how", KINDS)
def test_engine_and_pyshacl_refuse_the_same_records(how):
    bundles = _bundles()
    field = _break(bundles, how)
    ref = check_bundles(bundles, VOC, engine="pyshacl")
    got = check_bundles(bundles, VOC, engine="engine")
    assert ref, f"{how}: pyshacl found nothing"
    assert _refusals(got) == _refusals(ref)
    assert all(e.line for e in got), got
    if field:
        assert field in {e.field for e in got}, (how, [e.field for e in got])


_TRIPLES = [(b.file, t) for b in _bundles() for t in sorted(b.graph) if t[1] != OKG.line]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    st.lists(st.integers(0, len(_TRIPLES) - 1), max_size=6, unique=True),
    st.lists(st.tuples(st.integers(0, len(_TRIPLES) - 1), st.integers(0, 12)), max_size=4),
)
def test_random_breakages_are_refused_alike(removed, copied):
    """Remove some triples of the data pack and copy some objects onto other subjects' triples
    (a second client, a string where a date was...): both checkers name the same records."""
    bundles = _bundles()
    by_file = {b.file: b for b in bundles}
    for i in removed:
        file, t = _TRIPLES[i]
        by_file[file].graph.remove(t)
    objects = [t[2] for _, t in _TRIPLES[:: max(1, len(_TRIPLES) // 13)]]
    for i, j in copied:
        file, (s, p, _) = _TRIPLES[i]
        by_file[file].graph.add((s, p, objects[j % len(objects)]))
    ref = check_bundles(bundles, VOC, engine="pyshacl")
    got = check_bundles(bundles, VOC, engine="engine")
    assert _refusals(got) == _refusals(ref)


def test_the_engine_check_leaves_the_staged_store_as_it_was():
    import pyoxigraph as ox
    from okg.store.backends import OxTerms

    bundles = _bundles()
    stage = ox.Store()
    terms = OxTerms()
    for b in bundles:
        stage.bulk_extend(terms.quads(b.graph, str(b.graph_iri)))
    before = len(stage)
    assert check_bundles(bundles, VOC, engine="engine", store=stage) == []
    assert len(stage) == before == sum(len(b.graph) for b in bundles)


# -- the store a native load writes ------------------------------------------------------


def _content(kg: KnowledgeGraph) -> set[tuple]:
    """The source and derived quads, blank nodes as one placeholder (their ids differ)."""
    rows = kg.query(
        f"""SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
        FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH_PREFIX}") || ?g = <{DERIVED_GRAPH}>) }}"""
    ).rows

    def n(t):
        if isinstance(t, BNode):
            return "_:b"
        if isinstance(t, Literal):  # a plain literal is an xsd:string (RDF 1.1); numbers by
            value = t.toPython()  # value (rdflib's store writes 27 as "27.0"^^xsd:decimal)
            text = str(float(value)) if isinstance(value, int | float | Decimal) else str(t)
            return (text, str(t.datatype or (None if t.language else XSD.string)), t.language)
        return t

    return {tuple(n(t) for t in r) for r in rows}


def test_native_load_writes_what_the_generic_path_writes(tmp_path):
    reference = KnowledgeGraph.in_memory("rdflib")
    reference.install_vocabulary()
    reference.load(FILES, check_shapes=False)
    expected = _content(reference)
    assert any(r[0] == DERIVED_GRAPH for r in expected)
    memory = KnowledgeGraph.in_memory()
    memory.install_vocabulary()
    memory.load(FILES)
    assert _content(memory) == expected
    with KnowledgeGraph.open(tmp_path / "store") as disk:
        disk.install_vocabulary()
        disk.load(FILES)
        assert _content(disk) == expected
        assert disk.status().complete
        v = disk.status().version
        disk.load(FILES[:1])  # rebuilding a source: the transaction path, same content
        assert _content(disk) == expected
        assert disk.status().complete and disk.status().version > v


def test_an_interrupted_bulk_write_of_new_graphs_is_rolled_back(tmp_path):
    """The status lists the new graphs before they go in outside a transaction; the next
    writer drops exactly those (they did not exist) and derives again."""
    path = tmp_path / "store"
    with KnowledgeGraph.open(path) as kg:
        kg.install_vocabulary()
        kg.load(FILES[:1])
        before = _content(kg)
        new = str(source_graph("half-written"))
        kg.backend.update(" ;\n".join(kg._status_ops("load", graphs=[new])))
        kg.backend.update(f"INSERT DATA {{ GRAPH <{new}> {{ <urn:x> <urn:p> 1 }} }}")
    with pytest.raises(OSError, match="loading sources was interrupted"):
        KnowledgeGraph.open(path, read_only=True)
    with KnowledgeGraph.open(path) as kg:
        assert kg.status().pending_graphs == (new,)
        kg.install_vocabulary()
        assert new not in kg.graph_names()
        kg.derive()
        assert kg.status().complete and _content(kg) == before


# -- a sidecar may not take another file's source id ---------------------------------------

TTL = "@prefix okgd: <https://w3id.org/okg/id/> . @prefix okg: <https://w3id.org/okg/ontology#> .\n"


def _rdf_source(folder, name: str, sid: str, entity: str):
    (folder / f"{name}.source.yaml").write_text(
        f"# a sidecar\nsource:\n  title: {name}\n  id: {sid}\n  language: en\n", encoding="utf-8"
    )
    path = folder / f"{name}.ttl"
    path.write_text(TTL + f"okgd:{entity} a okg:Firm .\n", encoding="utf-8")
    return path


def test_a_sidecar_reusing_another_files_source_id_is_refused(tmp_path):
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    first = _rdf_source(tmp_path, "first", "shared", "one")
    kg.load([first], check_shapes=False)
    before = _content(kg)
    second = _rdf_source(tmp_path, "second", "shared", "two")
    with pytest.raises(LoadError) as exc:
        kg.load([second], check_shapes=False)
    (err,) = exc.value.errors
    assert (err.file, err.line, err.field) == (str(tmp_path / "second.source.yaml"), 4, "source.id")
    assert "first.ttl" in err.message and "'shared'" in err.message
    assert _content(kg) == before  # nothing replaced
    # the same file, rebuilt with a change, replaces its own source
    first.write_text(TTL + "okgd:one a okg:Firm . okgd:three a okg:Firm .\n", encoding="utf-8")
    kg.load([first], check_shapes=False)
    ids = {
        r[0]
        for r in kg.query(
            "SELECT ?x WHERE { GRAPH ?g { ?x a okg:Firm } }", {"g": source_graph("shared")}
        ).rows
    }
    assert {str(x).rsplit("/", 1)[-1] for x in ids} == {"one", "three"}


def test_a_sidecar_taking_a_fact_files_source_id_is_refused(tmp_path):
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    (bundle,) = kg.load(FILES[:1], check_shapes=False)
    side = _rdf_source(tmp_path, "intruder", bundle.source_id, "x")
    with pytest.raises(LoadError) as exc:
        kg.load([side], check_shapes=False)
    (err,) = exc.value.errors
    assert err.field == "source.id" and err.line == 4
    assert FILES[0].name in err.message
