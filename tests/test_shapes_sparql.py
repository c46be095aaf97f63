"""SHACL shapes compiled to SPARQL (okg.store.shapes_sparql) against pyshacl as the reference.

Every comparison is of the set of (focus node, path, constraint component) of the Violation
results: on hand-built graphs breaking each supported constraint, on the seed data and mutated
copies of it, and on random small graphs over the okg vocabulary (hypothesis).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from okg.loaders import load_vocabulary, read_files
from okg.store.shacl import shapes_graph, super_property_closure
from okg.store.shapes_sparql import (
    UnsupportedShapeError,
    compile_shapes,
    path_sparql,
    run_checks,
)
from okg.terms.namespaces import OKG
from okg.terms.resources import data_dir
from pyshacl import validate as shacl_validate
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, SH

EX = Namespace("http://example.org/")
ID = Namespace("https://w3id.org/okg/id/test/")
PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _norm(t) -> str | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode | ox.Literal):
        return t.value if isinstance(t, ox.NamedNode) else str(t)
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return str(t)


def reference(data: Graph, shapes: Graph) -> set[tuple]:
    """pyshacl's Violation results as (focus, SPARQL path, component)."""
    _, report, _ = shacl_validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    out = set()
    for r in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(r, SH.resultSeverity) != SH.Violation or (None, SH.detail, r) in report:
            continue
        path = report.value(r, SH.resultPath)
        comp = str(report.value(r, SH.sourceConstraintComponent))
        comp = comp.rsplit("#", 1)[-1].removesuffix("ConstraintComponent")
        focus = report.value(r, SH.focusNode)
        out.add((str(focus), path_sparql(report, path) if path is not None else None, comp))
    return out


def engine(data: Graph, shapes: Graph) -> set[tuple]:
    """The compiled checks run by Oxigraph over *data*."""
    store = ox.Store()
    store.load(data.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    checks = [c for c in compile_shapes(shapes) if c.severity == "Violation"]
    found = run_checks(lambda q: store.query(q), checks)
    return {(_norm(v.focus), v.check.path, v.check.component) for v in found}


def engine_rdflib(data: Graph, shapes: Graph) -> set[tuple]:
    """The same compiled checks run by rdflib's SPARQL engine (okg's other backend)."""
    checks = [c for c in compile_shapes(shapes) if c.severity == "Violation"]
    found = run_checks(lambda q: data.query(q), checks)
    return {(str(v.focus), v.check.path, v.check.component) for v in found}


def same(data: Graph, shapes: Graph, rdflib_too: bool = True) -> set[tuple]:
    expected = reference(data, shapes)
    assert engine(data, shapes) == expected
    if rdflib_too:
        assert engine_rdflib(data, shapes) == expected
    return expected


# -- each constraint on a hand-built graph -------------------------------------------------

SHAPES = (
    PREFIXES
    + """
ex:A a rdfs:Class . ex:B rdfs:subClassOf ex:A . ex:C a rdfs:Class .
ex:S a sh:NodeShape ; sh:targetClass ex:A ;
  sh:property [ sh:path ex:req ; sh:minCount 1 ] ;
  sh:property [ sh:path ex:two ; sh:minCount 2 ; sh:maxCount 3 ] ;
  sh:property [ sh:path ex:one ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:cls ; sh:class ex:C ] ;
  sh:property [ sh:path ex:date ; sh:datatype xsd:date ] ;
  sh:property [ sh:path ex:pick ; sh:in ( ex:x ex:y ) ] ;
  sh:property [ sh:path ex:code ; sh:pattern "^[A-Z]{2}$" ; sh:maxLength 2 ] ;
  sh:property [ sh:path ex:low ; sh:minInclusive 0 ; sh:lessThanOrEquals ex:high ] ;
  sh:property [ sh:path ex:high ; sh:maxInclusive 100 ; sh:maxExclusive 101 ] ;
  sh:property [ sh:path ex:kind ; sh:nodeKind sh:IRI ] ;
  sh:property [ sh:path ex:flag ; sh:hasValue true ] ;
  sh:property [ sh:path [ sh:inversePath ex:owns ] ; sh:maxCount 1 ] ;
  sh:property [ sh:path ( ex:next ex:name ) ; sh:minCount 1 ] ;
  sh:property [ sh:path ex:friend ; sh:node ex:Named ] ;
  sh:or ( [ sh:path ex:a ; sh:minCount 1 ] [ sh:path ex:b ; sh:minCount 1 ] ) ;
  sh:xone ( [ sh:path ex:c ; sh:minCount 1 ] [ sh:path ex:d ; sh:minCount 1 ] ) ;
  sh:not [ sh:path ex:banned ; sh:minCount 1 ] .
ex:Named a sh:NodeShape ; sh:property [ sh:path ex:name ; sh:minCount 1 ] .
ex:T a sh:NodeShape ; sh:targetSubjectsOf ex:basis ;
  sh:or ( [ sh:path ex:basis ; sh:not [ sh:hasValue ex:inferred ] ]
          [ sh:path ex:reason ; sh:minCount 1 ] ) .
ex:W a sh:NodeShape ; sh:targetNode ex:w ; sh:severity sh:Info ;
  sh:property [ sh:path ex:req ; sh:minCount 1 ; sh:severity sh:Warning ] .
"""
)

GOOD = (
    PREFIXES
    + """
ex:B rdfs:subClassOf ex:A .
ex:c1 a ex:C . ex:o1 ex:owns ex:n .
ex:n a ex:B ; ex:req 1 ; ex:two 1, 2 ; ex:one 1 ; ex:cls ex:c1 ; ex:date "2020-01-01"^^xsd:date ;
  ex:pick ex:x ; ex:code "FR" ; ex:low 1 ; ex:high 2 ; ex:kind ex:k ; ex:flag true ;
  ex:next ex:m ; ex:friend ex:f ; ex:a 1 ; ex:c 1 .
ex:f ex:name "f" . ex:m ex:name "m" .
ex:r ex:basis ex:inferred ; ex:reason "why" .
"""
)

BROKEN = {
    "req": ("ex:n ex:req 1 .", None, ("n", "<http://example.org/req>", "MinCount")),
    "two": ("ex:n ex:two 2 .", None, ("n", "<http://example.org/two>", "MinCount")),
    "two-max": ("", "ex:n ex:two 3, 4 .", ("n", "<http://example.org/two>", "MaxCount")),
    "one": ("", "ex:n ex:one 2 .", ("n", "<http://example.org/one>", "MaxCount")),
    "class": ("ex:c1 a ex:C .", None, ("n", "<http://example.org/cls>", "Class")),
    "datatype": ("", 'ex:n ex:date "2020-01-01" .', ("n", "<http://example.org/date>", "Datatype")),
    "ill-formed": (
        "",
        'ex:n ex:date "2020-13-45"^^xsd:date .',
        ("n", "<http://example.org/date>", "Datatype"),
    ),
    "in": ("", "ex:n ex:pick ex:z .", ("n", "<http://example.org/pick>", "In")),
    "pattern": ("", 'ex:n ex:code "fr" .', ("n", "<http://example.org/code>", "Pattern")),
    "max-length": ("", 'ex:n ex:code "FRA" .', ("n", "<http://example.org/code>", "MaxLength")),
    "min-inclusive": (
        "ex:n ex:low 1 .",
        "ex:n ex:low -1 .",
        ("n", "<http://example.org/low>", "MinInclusive"),
    ),
    "not-a-number": (
        "ex:n ex:low 1 .",
        'ex:n ex:low "one" .',
        ("n", "<http://example.org/low>", "MinInclusive"),
    ),
    "less-or-equal": (
        "ex:n ex:low 1 .",
        "ex:n ex:low 5 .",
        ("n", "<http://example.org/low>", "LessThanOrEquals"),
    ),
    "max-inclusive": (
        "ex:n ex:high 2 .",
        "ex:n ex:high 100.5 .",
        ("n", "<http://example.org/high>", "MaxInclusive"),
    ),
    "node-kind": ("", 'ex:n ex:kind "k" .', ("n", "<http://example.org/kind>", "NodeKind")),
    "has-value": (
        "ex:n ex:flag true .",
        "ex:n ex:flag false .",
        ("n", "<http://example.org/flag>", "HasValue"),
    ),
    "inverse": ("", "ex:o2 ex:owns ex:n .", ("n", "^(<http://example.org/owns>)", "MaxCount")),
    "sequence": (
        'ex:m ex:name "m" .',
        None,
        ("n", "(<http://example.org/next>/<http://example.org/name>)", "MinCount"),
    ),
    "node": ('ex:f ex:name "f" .', None, ("n", "<http://example.org/friend>", "Node")),
    "or": ("ex:n ex:a 1 .", None, ("n", None, "Or")),
    "xone": ("", "ex:n ex:d 1 .", ("n", None, "Xone")),
    "not": ("", "ex:n ex:banned 1 .", ("n", None, "Not")),
    "or-not": ('ex:r ex:reason "why" .', None, ("r", None, "Or")),
    "subclass": ("ex:n a ex:B .", "ex:n a ex:A .", None),
}


def _graph(text: str) -> Graph:
    return Graph().parse(data=text, format="turtle")


def test_good_graph_conforms_in_both():
    assert same(_graph(GOOD), _graph(SHAPES)) == set()


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_each_constraint_agrees_with_pyshacl(name):
    remove, add, expected = BROKEN[name]
    g = _graph(GOOD)
    if remove:
        g -= _graph(PREFIXES + remove)
    if add:
        g += _graph(PREFIXES + add)
    found = same(g, _graph(SHAPES))
    if expected is None:
        assert found == set()
    else:
        focus, path, comp = expected
        assert (str(EX[focus]), path, comp) in found


def test_warnings_are_compiled_with_their_severity():
    g = _graph(GOOD) + _graph(PREFIXES + "ex:w ex:other 1 .")
    checks = [c for c in compile_shapes(_graph(SHAPES)) if c.shape == str(EX.W)]
    assert [(c.component, c.severity) for c in checks] == [("MinCount", "Warning")]
    store = ox.Store()
    store.load(g.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    assert [_norm(v.focus) for v in run_checks(store.query, checks)] == [str(EX.w)]


@pytest.mark.parametrize(
    "extra, feature",
    [
        ("sh:closed true", "sh:closed"),
        ("sh:property [ sh:path ex:p ; sh:uniqueLang true ]", "sh:uniqueLang"),
        ('sh:property [ sh:path ex:p ; sh:languageIn ( "fr" ) ]', "sh:languageIn"),
        ('sh:sparql [ sh:select "SELECT $this WHERE {}" ]', "sh:sparql"),
        ("sh:property [ sh:path ex:p ; sh:equals ex:q ]", "sh:equals"),
        ("sh:or ( [ sh:path ex:p ; sh:qualifiedMinCount 1 ] )", "sh:qualifiedMinCount"),
        ("sh:property [ sh:path ex:p ; sh:hasValue [ ex:q 1 ] ]", "a blank node as a constant"),
    ],
)
def test_an_unsupported_feature_raises_naming_the_shape(extra, feature):
    g = _graph(PREFIXES + f"ex:Odd a sh:NodeShape ; sh:targetClass ex:A ; {extra} .")
    with pytest.raises(UnsupportedShapeError, match="http://example.org/Odd") as exc:
        compile_shapes(g)
    assert feature in str(exc.value)


def test_every_okg_shape_compiles():
    checks = compile_shapes(shapes_graph(load_vocabulary()))
    shapes = {c.shape for c in checks}
    assert str(URIRef("https://w3id.org/okg/shapes#ContractShape")) in shapes
    assert any("automotive" in s for s in shapes) and any("call-centres" in s for s in shapes)
    assert all(c.message for c in checks)


# -- the okg shapes on the seed data and mutated copies ---------------------------------------


@pytest.fixture(scope="module")
def voc():
    return load_vocabulary()


@pytest.fixture(scope="module")
def okg_shapes(voc):
    return shapes_graph(voc)


@pytest.fixture(scope="module")
def seed(voc):
    g = Graph()
    for b in read_files(sorted(data_dir().glob("*.yaml")) + sorted(data_dir().glob("*.csv")), voc):
        g += b.graph
    return g


def merged(data: Graph, voc) -> Graph:
    out = Graph()
    out += voc.graph
    out += data
    out += super_property_closure(data, voc)
    return out


def _first(g: Graph, cls: URIRef, prop: URIRef | None = None) -> URIRef:
    sub = set(_VOC.graph.transitive_subjects(RDFS.subClassOf, cls))
    for s in sorted({s for c in sub for s in g.subjects(RDF.type, c)}):
        if prop is None or (s, prop, None) in g:
            return s
    raise AssertionError(f"no {cls} in the seed data")


def test_seed_data_conforms_in_both(seed, voc, okg_shapes):
    assert same(merged(seed, voc), okg_shapes, rdflib_too=False) == set()


def _mutate(seed: Graph, how: str) -> tuple[Graph, tuple]:
    g = Graph()
    g += seed
    if how == "remove-required":
        k = _first(g, OKG.Contract)
        for p in set(g.predicates(k)):  # okg:client and its sub-properties (auto:buyer)
            if OKG.client in _VOC.graph.transitive_objects(p, RDFS.subPropertyOf):
                g.remove((k, p, None))
        return g, (str(k), f"<{OKG.client}>", "MinCount")
    if how == "wrong-class":
        s = _first(g, OKG.Source)
        f = _first(g, OKG.Contract)
        g.set((f, PROV.hadPrimarySource, _first(g, OKG.Contract)))
        del s
        return g, (str(f), f"<{PROV.hadPrimarySource}>", "Class")
    if how == "wrong-datatype":
        k = _first(g, OKG.Contract, OKG.startDate)
        g.set((k, OKG.startDate, Literal("2025-10-01")))
        return g, (str(k), f"<{OKG.startDate}>", "Datatype")
    if how == "out-of-in":
        k = _first(g, OKG.Contract)
        g.set((k, OKG.basis, OKG.Guessed))
        return g, (str(k), f"<{OKG.basis}>", "In")
    if how == "two-values":
        s = _first(g, OKG.Site, OKG.country)
        g.add((s, OKG.country, URIRef("https://w3id.org/okg/id/country/ZZ")))
        return g, (str(s), f"<{OKG.country}>", "MaxCount")
    if how == "low-above-high":
        q = _first(g, OKG.Quantity, OKG.high)
        high = g.value(q, OKG.high)
        g.set((q, OKG.low, Literal(high.toPython() + 1, datatype=XSD.decimal)))
        return g, (str(q), f"<{OKG.low}>", "LessThanOrEquals")
    raise ValueError(how)


@pytest.mark.parametrize(
    "how",
    [
        "remove-required",
        "wrong-class",
        "wrong-datatype",
        "out-of-in",
        "two-values",
        "low-above-high",
    ],
)
def test_mutated_seed_agrees_with_pyshacl(seed, voc, okg_shapes, how):
    g, expected = _mutate(seed, how)
    assert expected in same(merged(g, voc), okg_shapes, rdflib_too=False)


# -- random small graphs over the okg vocabulary ----------------------------------------------


def _vocabulary_pools(shapes: Graph):
    classes = sorted({o for o in shapes.objects(None, SH.targetClass)})
    props = sorted({o for o in shapes.objects(None, SH.path) if isinstance(o, URIRef)})
    return classes, props


_VOC = load_vocabulary()
_SHAPES = shapes_graph(_VOC)
_CLASSES, _PROPS = _vocabulary_pools(_SHAPES)
_CLASSES += [OKG.Segment, OKG.Firm, OKG.Agent, PROV.Agent, RDFS.Resource]
_NODES = [ID[f"n{i}"] for i in range(4)]
_LITERALS = [
    Literal("x"),
    Literal("x", lang="fr"),
    Literal(0),
    Literal(-3),
    Literal("2.5", datatype=XSD.decimal),
    Literal("2025-01-01", datatype=XSD.date),
    Literal("2025-13-45", datatype=XSD.date),
    Literal(True),
    # not "yes"^^xsd:boolean: rdflib turns it into "false" marked ill-typed, which pyshacl
    # reports but which no longer is ill-formed once written out for the engine
    Literal("1", datatype=XSD.boolean),
]
_IRIS = [OKG.Reported, OKG.Inferred, OKG.Illustrative, OKG.Guessed, OKG.Jobs]
_OBJECTS = _NODES + _LITERALS + _IRIS


@st.composite
def small_graphs(draw):
    g = Graph()
    for n in _NODES:
        for c in draw(st.lists(st.sampled_from(_CLASSES), max_size=2)):
            g.add((n, RDF.type, c))
    triples = st.tuples(st.sampled_from(_NODES), st.sampled_from(_PROPS), st.sampled_from(_OBJECTS))
    for t in draw(st.lists(triples, max_size=14)):
        g.add(t)
    return g


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(small_graphs())
def test_random_graphs_agree_with_pyshacl(data):
    same(merged(data, _VOC), _SHAPES, rdflib_too=False)


# -- the compiled checks where okg uses them: okg build --shapes engine, okg bulk-load ----------


def _bundles(voc):
    return read_files(sorted(data_dir().glob("*.yaml")), voc)


@pytest.mark.parametrize("how", ["remove-required", "wrong-datatype", "two-values", "out-of-in"])
def test_check_bundles_engine_names_the_same_file_line_field_as_pyshacl(voc, how):
    from okg.store.shacl import check_bundles

    bundles = _bundles(voc)
    whole = Graph()
    for b in bundles:
        whole += b.graph
    broken, (focus, _, _) = _mutate(whole, how)
    for b in bundles:  # apply the mutation to the bundle that holds the focus
        if (URIRef(focus), None, None) in b.graph:
            b.graph -= b.graph.triples((URIRef(focus), None, None))
            b.graph += broken.triples((URIRef(focus), None, None))
    ref = check_bundles(bundles, voc)
    got = check_bundles(bundles, voc, engine="engine")
    assert ref, how
    assert sorted((e.file, e.line, e.field) for e in got) == sorted(
        (e.file, e.line, e.field) for e in ref
    )
    assert all(e.line for e in got)


def test_load_with_engine_shapes_refuses_like_pyshacl(voc, tmp_path):
    from okg.loaders import LoadError
    from okg.store import KnowledgeGraph

    p = tmp_path / "k.yaml"
    src = data_dir() / "totalenergies-ikanbi-2025.yaml"
    text = src.read_text(encoding="utf-8")
    p.write_text(text, encoding="utf-8")
    (tmp_path / "sources").symlink_to(data_dir() / "sources")
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    assert kg.load([p], shapes="engine")
    # A contract of that file without its client: the same one error from both checkers.
    bundles = read_files([p], voc)
    (b,) = bundles
    k = _first(b.graph, OKG.Contract, OKG.client)
    line = int(b.graph.value(k, OKG.line))
    lines = text.splitlines()
    i = next(j for j in range(line - 1, len(lines)) if lines[j].strip().startswith("client:"))
    del lines[i]
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    errors = {}
    for shapes in ("pyshacl", "engine"):
        with pytest.raises(LoadError) as exc:
            KnowledgeGraph.in_memory().load([p], shapes=shapes)
        errors[shapes] = [(e.file, e.line, e.field, e.message) for e in exc.value.errors]
    assert errors["engine"] == errors["pyshacl"]
    assert (str(p), line, "client") in {e[:3] for e in errors["engine"]}


def test_bulk_load_maps_each_problem_to_file_and_line(voc, tmp_path):
    from okg.store import KnowledgeGraph
    from okg.store.bulk import bulk_load

    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    bundles = kg.load(sorted(data_dir().glob("*.yaml")))
    k = _first(bundles[-1].graph, OKG.Contract, OKG.client)
    nq = kg.export("nquads").decode("utf-8").splitlines()
    drop = f"<{k}> <{OKG.client}> "
    kept = [q for q in nq if not q.startswith(drop) and "/graph/source/" in q]
    assert len(kept) < len([q for q in nq if "/graph/source/" in q])
    report = bulk_load(KnowledgeGraph.in_memory(), ["\n".join(kept).encode() + b"\n"])
    (p,) = [p for p in report.problems if p.focus == str(k)]
    b = next(b for b in bundles if (k, None, None) in b.graph)
    assert p.check == "ContractShape MinCount" and p.field == "client"
    # okg:factFile holds the fact file's name (okg export writes no folder)
    assert (p.file, p.line) == (Path(b.file).name, int(b.graph.value(k, OKG.line)))
    assert p.graph == str(b.graph_iri)
    assert p.where() == f"{p.file}:{p.line} [client]"
