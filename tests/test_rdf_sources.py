"""Plain RDF files stay in their own source graph: sidecar or default id, checked content."""

from __future__ import annotations

import pytest
from okg.loaders import LoadError, read_files
from okg.loaders.registry import loader_for, loaders
from okg.store import KnowledgeGraph
from okg.terms.namespaces import source_graph

PREFIXES = (
    "@prefix okg: <https://w3id.org/okg/ontology#> .\n"
    "@prefix okgd: <https://w3id.org/okg/id/> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)
YAML_SOURCE = """okg: 1
source:
  id: lemonde
  title: Le Monde
  language: fr
facts:
  - id: acme-lemonde
    type: Firm
    label: Acme
    country: MA
    quote: "Acme"
"""


def _errors(*paths):
    with pytest.raises(LoadError) as exc:
        read_files(list(paths))
    return exc.value.errors


def _ttl(tmp_path, name: str, body: str):
    path = tmp_path / name
    path.write_text(PREFIXES + body, encoding="utf-8")
    return path


@pytest.fixture()
def kg():
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    return kg


def _graph_sizes(kg) -> dict[str, int]:
    rows = kg.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
    return {str(g): int(n) for g, n in rows.rows}


def test_every_rdf_extension_has_one_loader():
    names = [s.name for s in loaders().values()]
    assert len(names) == len(set(names))
    from pathlib import Path

    expect = {
        "a.ttl": "rdf-turtle",
        "a.nt": "rdf-nt",
        "a.trig": "rdf-trig",
        "a.nq": "rdf-nquads",
        "a.jsonld": "rdf-json-ld",
        "a.rdf": "rdf-xml",
        "a.owl": "rdf-xml",
    }
    assert {n: loader_for(Path(n)).name for n in expect} == expect


def test_sidecar_gives_the_source(tmp_path, kg):
    path = _ttl(
        tmp_path,
        "extra.ttl",
        'okgd:acme-extra a okg:Firm ; <http://www.w3.org/2000/01/rdf-schema#label> "Acme"@en .\n',
    )
    (tmp_path / "extra.source.yaml").write_text(
        "source:\n  id: extra-rdf\n  title: Extra\n  language: en\n  publisher: Me\n",
        encoding="utf-8",
    )
    (bundle,) = kg.load([path], check_shapes=True)
    assert bundle.source_id == "extra-rdf"
    info = {s.source_id: s for s in kg.sources()}["extra-rdf"]
    assert info.title == "Extra" and info.fact_file == "extra.ttl"
    assert str(source_graph("extra-rdf")) in _graph_sizes(kg)


def test_default_id_is_its_own_graph_and_never_replaces_another_source(tmp_path, kg):
    yaml_file = tmp_path / "lemonde.yaml"
    yaml_file.write_text(YAML_SOURCE, encoding="utf-8")
    kg.load([yaml_file], check_shapes=False)
    before = _graph_sizes(kg)[str(source_graph("lemonde"))]
    ttl = _ttl(tmp_path, "lemonde.ttl", "okgd:other-firm a okg:Firm .\n")
    (bundle,) = kg.load([ttl], check_shapes=False)
    assert bundle.source_id == "rdf:lemonde.ttl"
    sizes = _graph_sizes(kg)
    assert sizes[str(source_graph("lemonde"))] == before  # untouched
    assert sizes[str(source_graph("rdf:lemonde.ttl"))] == len(bundle.graph)
    assert {"lemonde", "rdf:lemonde.ttl"} <= {s.source_id for s in kg.sources()}


def test_cannot_write_other_sources_or_the_ontology(tmp_path):
    path = _ttl(
        tmp_path,
        "sneaky.ttl",
        "okgd:acme a okg:Firm .\n"
        "<https://w3id.org/okg/id/lemonde/w1> okg:headcount 5 .\n"
        'okg:Firm okg:note "redefined" .\n'
        '<https://w3id.org/okg/id/source/lemonde> okg:note "mine now" .\n'
        "okgd:acme <http://www.w3.org/ns/prov#hadPrimarySource> <https://w3id.org/okg/id/source/lemonde> .\n"
        '<https://w3id.org/okg/id/country/MA> okg:note "x" .\n',
    )
    errs = {(e.line, e.field) for e in _errors(path)}
    assert errs == {
        (5, "okgd:lemonde/w1"),
        (6, "okg:Firm"),
        (7, "okgd:source/lemonde"),
        (8, "prov:hadPrimarySource"),
        (9, "country:MA"),
    }


def test_own_facts_are_allowed(tmp_path):
    path = _ttl(
        tmp_path,
        "own.ttl",
        "okgd:acme a okg:Firm .\n"
        '<https://w3id.org/okg/id/rdf:own.ttl/w1> okg:note "mine" .\n'
        '<https://w3id.org/okg/id/source/rdf:own.ttl> okg:note "about my source" .\n',
    )
    (bundle,) = read_files([path])
    assert len(bundle.graph) >= 3


def test_ill_typed_literal_is_refused_with_its_line(tmp_path):
    path = _ttl(
        tmp_path,
        "typed.ttl",
        'okgd:acme a okg:Firm ;\n  okg:note "fine" ;\n  okg:low "abc"^^xsd:decimal .\n'
        'okgd:b okg:date "2025-02-30"^^xsd:date .\n',
    )
    errs = sorted((e.line, e.field, e.message) for e in _errors(path))
    assert [(line, field) for line, field, _ in errs] == [(6, "okg:low"), (7, "okg:date")]
    assert "'abc' is not a valid xsd:decimal" in errs[0][2]


def test_trig_naming_other_graphs_is_refused_by_name(tmp_path):
    path = tmp_path / "quads.trig"
    path.write_text(
        PREFIXES + "okgd:x a okg:Firm .\n"
        '<https://w3id.org/okg/graph/source/lemonde> { okgd:x okg:note "a" }\n'
        '<https://w3id.org/okg/graph/ontology/core> { okg:Firm okg:note "b" }\n',
        encoding="utf-8",
    )
    errs = {(e.line, e.field): e.message for e in _errors(path)}
    assert set(errs) == {(5, "graph"), (6, "graph")}
    assert "<https://w3id.org/okg/graph/source/lemonde>" in errs[(5, "graph")]
    assert "<https://w3id.org/okg/graph/ontology/core>" in errs[(6, "graph")]


def test_trig_and_nquads_into_their_own_graph(tmp_path, kg):
    (tmp_path / "mine.source.yaml").write_text(
        "source:\n  id: mine\n  title: Mine\n  language: en\n", encoding="utf-8"
    )
    trig = tmp_path / "mine.trig"
    trig.write_text(
        PREFIXES + "<https://w3id.org/okg/graph/source/mine> { okgd:m1 a okg:Firm }\n"
        "okgd:m2 a okg:Firm .\n",
        encoding="utf-8",
    )
    (bundle,) = kg.load([trig], check_shapes=False)
    assert bundle.source_id == "mine"
    assert _graph_sizes(kg)[str(source_graph("mine"))] == len(bundle.graph)
    nq = tmp_path / "other.nq"
    nq.write_text(
        "<https://w3id.org/okg/id/n1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/okg/ontology#Firm> <https://w3id.org/okg/graph/derived> .\n",
        encoding="utf-8",
    )
    (err,) = _errors(nq)
    assert err.line == 1 and "<https://w3id.org/okg/graph/derived>" in err.message


def test_turtle_error_names_line_and_reason(tmp_path):
    path = _ttl(tmp_path, "broken.ttl", 'okgd:a okg:note "x" .\nokgd:a okg:note \n')
    (err,) = _errors(path)
    assert err.line == 5 and "objectList expected" in err.message


def test_two_rdf_files_with_one_sidecar_id_are_refused(tmp_path):
    (tmp_path / "same.source.yaml").write_text(
        "source:\n  id: same\n  title: S\n  language: en\n", encoding="utf-8"
    )
    a = _ttl(tmp_path, "same.ttl", "okgd:s1 a okg:Firm .\n")
    b = tmp_path / "same.nt"
    b.write_text(
        "<https://w3id.org/okg/id/s2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
        "<https://w3id.org/okg/ontology#Firm> .\n",
        encoding="utf-8",
    )
    errs = _errors(a, b)
    (err,) = [e for e in errs if e.field == "source.id"]
    side = str(tmp_path / "same.source.yaml")
    assert (err.file, err.line) == (side, 2)
    assert f"(of {b}) is also used by {a} ({side} line 2)" in err.message


def test_sidecar_errors_name_the_sidecar(tmp_path):
    (tmp_path / "bad.source.yaml").write_text(
        "source:\n  id: Bad Id\n  title: B\n  language: en\nextra: 1\n", encoding="utf-8"
    )
    path = _ttl(tmp_path, "bad.ttl", "okgd:b a okg:Firm .\n")
    errs = {(e.file.rsplit("/", 1)[-1], e.line, e.field) for e in _errors(path)}
    assert errs == {("bad.source.yaml", 2, "source.id"), ("bad.source.yaml", 5, "extra")}


def test_shacl_errors_on_an_rdf_file_name_the_subjects_line(tmp_path, kg):
    (tmp_path / "lines.source.yaml").write_text(
        "source:\n  id: lines\n  title: L\n  language: en\n", encoding="utf-8"
    )
    path = _ttl(
        tmp_path,
        "lines.ttl",
        "\nokgd:named a okg:Firm ;\n  okg:country <https://w3id.org/okg/id/country/MA> .\n"
        "<https://w3id.org/okg/id/unnamed> a okg:Firm .\n",
    )
    with pytest.raises(LoadError) as exc:
        kg.load([path])
    label = [e for e in exc.value.errors if e.field == "label"]
    assert {(e.file, e.line) for e in label} >= {(str(path), 5), (str(path), 7)}, label
    assert {e.line for e in exc.value.errors} != {None}


def test_an_rdf_subject_gets_the_line_that_first_writes_it(tmp_path):
    from okg.terms.namespaces import OKG, OKGD

    (tmp_path / "l2.source.yaml").write_text(
        "source:\n  id: l2\n  title: L\n  language: en\n", encoding="utf-8"
    )
    path = _ttl(tmp_path, "l2.ttl", 'okgd:a okg:note "x" .\n\nokgd:a okg:note "y" .\n')
    (bundle,) = read_files([path], raise_on_error=False)
    assert bundle.graph.value(OKGD["a"], OKG.line).toPython() == 4  # after 3 prefix lines
