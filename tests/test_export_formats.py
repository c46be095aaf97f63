"""okg export: GraphML and GEXF of the impact projection, compact JSON-LD with okg's context,
--no-ontology."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from okg.analysis.projection import cached_projection
from okg.cli import app
from okg.render.export import (
    build_context,
    data_dataset,
    export_jsonld,
    export_network,
    export_rdf,
    load_context,
)
from okg.terms.namespaces import ONTOLOGY_GRAPH_PREFIX
from okg.terms.resources import data_dir
from okg.terms.vocabulary import load_vocabulary
from rdflib import Dataset, Graph
from rdflib.namespace import OWL, RDF
from typer.testing import CliRunner

IKANBI = "https://w3id.org/okg/id/ikanbi"


def _read(fmt: str, data: bytes) -> nx.Graph:
    reader = nx.read_graphml if fmt == "graphml" else nx.read_gexf
    return reader(io.BytesIO(data))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_reads_back_with_networkx(queries_seed_kg, fmt):
    G = cached_projection(queries_seed_kg)
    H = _read(fmt, export_network(queries_seed_kg, fmt))
    assert set(H.nodes) == set(G.nodes)
    assert H.number_of_edges() == G.number_of_edges()
    ikanbi = H.nodes[IKANBI]
    assert ikanbi["label"] == "IKANBI"
    assert ikanbi["kind"] == "Firm"
    assert ikanbi["country"] == "BE"
    assert ikanbi["sector"] == "82.20"
    assert "cc:ContactCentreOperator" in ikanbi["types"]
    # every attribute is flat: text, number or boolean
    for _, a in H.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in a.values()), a
    for *_, a in H.edges(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in a.values()), a
    relations = {a["relation"] for *_, a in H.edges(data=True)}
    assert "provider" in relations


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_carries_jobs_as_numbers(queries_seed_kg, fmt):
    G = cached_projection(queries_seed_kg)
    H = _read(fmt, export_network(queries_seed_kg, fmt))
    headcount = "https://w3id.org/okg/ontology#headcount"
    with_jobs = [n for n, a in G.nodes(data=True) if a["quantities"].get(headcount)]
    assert with_jobs
    for n in with_jobs:
        claims = G.nodes[n]["quantities"][headcount]
        lows = [c.value.low for c in claims if c.value.known]
        if lows and None not in lows:
            assert float(H.nodes[n]["headcount_low"]) == float(min(lows))
        highs = [c.value.high for c in claims if c.value.known]
        if highs and None not in highs:
            assert float(H.nodes[n]["headcount_high"]) == float(max(highs))
            assert isinstance(H.nodes[n]["headcount_high"], int | float)


def test_network_labels_follow_the_language(queries_seed_kg):
    H = _read("graphml", export_network(queries_seed_kg, "graphml", lang="ar"))
    node = next(a for _, a in H.nodes(data=True) if a.get("label_ar"))
    assert node["label"] == node["label_ar"]


def test_unknown_network_format_is_refused(queries_seed_kg):
    with pytest.raises(ValueError, match="expected one of graphml, gexf"):
        export_network(queries_seed_kg, "dot")


def test_shipped_context_agrees_with_the_vocabulary():
    """Every term of the published context means what the vocabulary says (keys added since
    are embedded by the export; tools/make_reference.py --context republishes them)."""
    current = build_context(load_vocabulary())["@context"]
    shipped = load_context()["@context"]
    stale = {k: v for k, v in shipped.items() if current.get(k) != v}
    assert stale == {}
    ctx = load_context()["@context"]
    assert ctx["country"] == {"@id": "okg:country", "@type": "@id"}
    assert ctx["label"] == {"@id": "rdfs:label", "@container": "@language"}


def _quads(ds: Dataset) -> set:
    return {(s, p, o, g) for s, p, o, g in ds.quads((None, None, None, None))}


def test_jsonld_is_compact_with_the_context_and_round_trips(queries_seed_kg):
    text = export_jsonld(queries_seed_kg, ontology=False).decode("utf-8")
    doc = json.loads(text)
    shipped = load_context()["@context"]
    assert {k: doc["@context"][k] for k in shipped} == shipped
    assert doc["@context"]["cc"] == "https://w3id.org/okg/sector/call-centres#"  # module prefix
    graphs = {g["id"]: g["@graph"] for g in doc["@graph"]}
    assert not any(g.startswith(ONTOLOGY_GRAPH_PREFIX) for g in graphs)
    ikanbi = next(
        n
        for nodes in graphs.values()
        for n in nodes
        if n.get("id") == "okgd:ikanbi" and "country" in n
    )
    assert ikanbi["country"] == "iso3166:BE"
    assert ikanbi["sector"] == "nace:8220"
    assert ikanbi["type"] == "cc:ContactCentreOperator"
    assert "https://w3id.org/okg/ontology#" not in json.dumps(ikanbi)
    back = Dataset()
    back.parse(data=text, format="json-ld")
    assert len(_quads(back)) == len(_quads(data_dataset(queries_seed_kg)))


def test_jsonld_with_the_ontology_keeps_its_graph(queries_seed_kg):
    doc = json.loads(export_jsonld(queries_seed_kg, ontology=True))
    ids = {g["id"] for g in doc["@graph"] if "@graph" in g}
    assert "https://w3id.org/okg/graph/ontology/core" in ids


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "trig", "nquads"])
def test_no_ontology_leaves_the_ontology_out(queries_seed_kg, fmt):
    data = export_rdf(queries_seed_kg, fmt, ontology=False)
    rdf_format = {"turtle": "turtle", "ntriples": "nt", "trig": "trig", "nquads": "nquads"}[fmt]
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=data, format=rdf_format)
        triples = [(s, p, o) for s, p, o, _ in ds.quads((None, None, None, None))]
    else:
        g = Graph()
        g.parse(data=data, format=rdf_format)
        triples = list(g)
    assert triples
    assert not any(p == RDF.type and o == OWL.Class for _, p, o in triples)
    full = export_rdf(queries_seed_kg, fmt, ontology=True)
    assert b"owl#Class" in full or b"owl:Class" in full


def test_cli_export_graphml_and_no_ontology(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")
    seed = sorted(str(p) for p in data_dir().glob("*.yaml"))
    done = runner.invoke(app, ["build", "--store", store, *seed])
    assert done.exit_code == 0, done.output
    out = tmp_path / "net.graphml"
    done = runner.invoke(
        app, ["export", "--store", store, "--format", "graphml", "--out", str(out)]
    )
    assert done.exit_code == 0, done.output
    H = nx.read_graphml(out)
    assert H.nodes[IKANBI]["country"] == "BE"
    out = tmp_path / "data.jsonld"
    done = runner.invoke(
        app,
        ["export", "--store", store, "--format", "jsonld", "--no-ontology", "--out", str(out)],
    )
    assert done.exit_code == 0, done.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert not any(g["id"].startswith(ONTOLOGY_GRAPH_PREFIX) for g in doc["@graph"])


GAZETTEER = """\
okg: 1
source:
  id: gazetteer-test
  title: "Coordinates of cities"
  language: en
facts:
  - id: liege
    type: City
    lat: {lat}
    long: 5.5797
    quote: "Liège, 50.6326 N 5.5797 E"
"""


def test_city_coordinates_reach_the_network_through_sites(tmp_path):
    from okg.store import KnowledgeGraph

    path = tmp_path / "gazetteer.yaml"
    path.write_text(GAZETTEER.format(lat="50.6326"), encoding="utf-8")
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([*sorted(data_dir().glob("*.yaml")), path])
    H = _read("graphml", export_network(kg, "graphml"))
    site = "https://w3id.org/okg/id/ikanbi-liege"
    assert site in H
    assert (H.nodes[site]["lat"], H.nodes[site]["long"]) == (50.6326, 5.5797)
    assert kg.ask("ASK { GRAPH ?g { ?c <http://www.w3.org/2003/01/geo/wgs84_pos#lat> 50.6326 } }")


@pytest.mark.parametrize(
    "lat, message",
    [
        ("95", "[lat] 95 is out of range; expected a number from -90 to 90"),
        ("north", "[lat] expected a number, got 'north'"),
    ],
)
def test_bad_coordinates_are_refused_with_line_and_field(tmp_path, lat, message):
    from okg.loaders import LoadError, read_files

    path = tmp_path / "gazetteer.yaml"
    path.write_text(GAZETTEER.format(lat=lat), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_files([path], load_vocabulary())
    assert [str(e) for e in err.value.errors] == [f"{path}:9: {message}"]
