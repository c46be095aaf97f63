"""The fast path for big RDF input: bulk load N-Quads, derive natively, check with SPARQL.

``KnowledgeGraph.load`` reads fact files through rdflib and checks them with pyshacl, which is
right for hand-written fact files and far too slow for a registry of a million triples. This
path takes N-Quads that already carry the loader's shapes (one named graph per source, as
``okg export --format nquads`` or ``benchmarks/generate.py`` write them), loads them with
Oxigraph's bulk loader, runs the derive rules inside the engine, and then checks the whole
store with SPARQL queries that restate the core SHACL shapes (ontology/shapes.ttl) and the
loader's reference checks (every object of a typed relation has the type its range asks).

>>> from kg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory()
>>> nq = (b'<https://w3id.org/okg/id/source/s> '
...       b'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
...       b'<https://w3id.org/okg/ontology#Source> <https://w3id.org/okg/graph/source/s> .\\n')
>>> report = bulk_load(kg, [nq])
>>> report.quads, [p.check for p in report.problems]
(1, ['source'])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kg.backends import OxigraphBackend
from kg.namespaces import DERIVED_GRAPH, SOURCE_GRAPH_PREFIX, sparql_prologue
from kg.resources import queries_dir
from kg.store import KnowledgeGraph

# (name, what is expected, a SELECT of the offending ?x). Each restates a shape of
# ontology/shapes.ttl or a reference check of the loader, over the union of all graphs.
CHECKS: list[tuple[str, str, str]] = [
    ("fact-source", "every fact names its okg:Source (prov:hadPrimarySource)", """
        SELECT DISTINCT ?x WHERE { ?x a okg:Fact .
          FILTER NOT EXISTS { ?x prov:hadPrimarySource ?s . ?s a okg:Source } }"""),
    ("fact-quote", "every fact carries its quote unless it is marked illustrative", """
        SELECT DISTINCT ?x WHERE { ?x a okg:Fact . FILTER NOT EXISTS { ?x okg:quote ?q }
          FILTER NOT EXISTS { ?x okg:illustrative true } }"""),
    ("label", "every actor, association, person, site and city has a label", """
        SELECT DISTINCT ?x WHERE {
          VALUES ?c { okg:EconomicActor okg:Association okg:Person okg:Site okg:City }
          ?x a ?c . FILTER NOT EXISTS { ?x rdfs:label ?l } }"""),
    ("site", "a site is operated by an actor and lies in exactly one country", """
        SELECT ?x WHERE { ?x a okg:Site . OPTIONAL { ?x okg:country ?c }
          OPTIONAL { ?x okg:siteOf ?f } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?c) != 1 || COUNT(DISTINCT ?f) = 0)"""),
    ("contract", "a contract has one client, one provider and at least one activity", """
        SELECT ?x WHERE { ?x a okg:Contract . OPTIONAL { ?x okg:client ?c }
          OPTIONAL { ?x okg:provider ?p } OPTIONAL { ?x okg:coversActivity ?a } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?c) != 1 || COUNT(DISTINCT ?p) != 1
          || COUNT(DISTINCT ?a) = 0)"""),
    ("workforce", "a workforce has one headcount, one employment type, an employer or a site", """
        SELECT ?x WHERE { ?x a okg:Workforce . OPTIONAL { ?x okg:headcount ?h }
          OPTIONAL { ?x okg:employmentType ?t } OPTIONAL { ?x okg:employer|okg:workplace ?e } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?h) != 1 || COUNT(DISTINCT ?t) != 1
          || COUNT(DISTINCT ?e) = 0)"""),
    ("market-dependency", "a market dependency has one dependent, one market, one share", """
        SELECT ?x WHERE { ?x a okg:MarketDependency . OPTIONAL { ?x okg:dependent ?d }
          OPTIONAL { ?x okg:onMarket ?m } OPTIONAL { ?x okg:share ?s } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?d) != 1 || COUNT(DISTINCT ?m) != 1
          || COUNT(DISTINCT ?s) != 1)"""),
    ("activity-share", "an activity share has one holder, one activity, one share", """
        SELECT ?x WHERE { ?x a okg:ActivityShare . OPTIONAL { ?x okg:holder ?d }
          OPTIONAL { ?x okg:ofActivity ?m } OPTIONAL { ?x okg:share ?s } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?d) != 1 || COUNT(DISTINCT ?m) != 1
          || COUNT(DISTINCT ?s) != 1)"""),
    ("regulation", "a regulation has a jurisdiction and prohibits at least one activity", """
        SELECT ?x WHERE { ?x a okg:Regulation . OPTIONAL { ?x okg:jurisdiction ?j }
          OPTIONAL { ?x okg:prohibitsActivity ?a } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?j) = 0 || COUNT(DISTINCT ?a) = 0)"""),
    ("event", "an event has a date, a start date or the date it was reported on", """
        SELECT DISTINCT ?x WHERE { ?x a okg:Event .
          FILTER NOT EXISTS { { ?x okg:date ?d } UNION { ?x okg:startDate ?d }
                              UNION { ?x okg:reportedOn ?d } } }"""),
    ("quantity", "a figure has one qualifier, one unit, and 0 <= low <= high", """
        SELECT ?x WHERE { ?x a okg:Quantity . OPTIONAL { ?x okg:qualifier ?q }
          OPTIONAL { ?x okg:unit ?u } OPTIONAL { ?x okg:low ?lo } OPTIONAL { ?x okg:high ?hi } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?q) != 1 || COUNT(DISTINCT ?u) != 1
          || COUNT(DISTINCT ?lo) > 1 || COUNT(DISTINCT ?hi) > 1
          || MIN(?lo) < 0 || MAX(?lo) > MIN(?hi))"""),
    ("source", "a source has a title and one language", """
        SELECT ?x WHERE { ?x a okg:Source . OPTIONAL { ?x okg:sourceLanguage ?l }
          OPTIONAL { ?x dcterms:title ?t } }
        GROUP BY ?x HAVING (COUNT(DISTINCT ?l) != 1 || COUNT(DISTINCT ?t) = 0)"""),
    ("reference", "every object of a relation has the type the relation's range asks for", f"""
        SELECT DISTINCT ?x WHERE {{
          {{ SELECT DISTINCT ?p ?r WHERE {{ ?p a owl:ObjectProperty ; rdfs:range ?r .
                                           FILTER(isIRI(?r)) }} }}
          GRAPH ?g {{ ?x ?p ?o }} FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH_PREFIX}"))
          FILTER NOT EXISTS {{ ?o a ?t . ?t rdfs:subClassOf* ?r }} }}"""),
]


@dataclass
class Problem:
    check: str
    message: str
    focus: str


@dataclass
class BulkReport:
    """What a bulk load did: quads read, seconds per step, and the problems found."""

    quads: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def derive_native(kg: KnowledgeGraph) -> None:
    """Recompute the derived graph like ``KnowledgeGraph.derive``, without leaving the engine.

    On Oxigraph the CONSTRUCT results are written back as native quads (no rdflib terms);
    other engines use ``KnowledgeGraph.derive``.
    """
    backend = kg.backend
    if not isinstance(backend, OxigraphBackend):
        kg.derive()
        return
    store = backend.store
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    store.update(f"DROP SILENT GRAPH <{DERIVED_GRAPH}>")
    for rule in sorted((queries_dir() / "derive").glob("*.rq")):
        sparql = sparql_prologue() + rule.read_text(encoding="utf-8")
        triples = list(store.query(sparql, use_default_graph_as_union=True))
        store.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    kg.flush()


def integrity_problems(kg: KnowledgeGraph, limit: int = 20) -> list[Problem]:
    """Run every check of ``CHECKS``; at most *limit* offenders are listed per check."""
    out = []
    for name, message, sparql in CHECKS:
        for row in kg.query(f"{sparql}\nLIMIT {limit}").rows:
            out.append(Problem(name, message, str(row[0])))
    return out


def _source_graph_count(kg: KnowledgeGraph) -> int:
    rows = kg.query(f"""SELECT (COUNT(*) AS ?n) WHERE {{
        SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s a okg:Source }}
        FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH_PREFIX}")) }} }}""")
    return int(rows.rows[0][0])


def bulk_load(kg: KnowledgeGraph, inputs: list[Path | bytes], check: bool = True) -> BulkReport:
    """Load N-Quads (paths or bytes) into a store holding no source yet, derive, and check.

    The vocabulary is (re)installed first. Problems are reported, not raised: the caller
    decides (``okg bulk-load`` exits non-zero and names them).
    """
    report = BulkReport()
    t0 = time.perf_counter()
    kg.install_vocabulary()
    if _source_graph_count(kg):
        raise ValueError("the store already holds sources; bulk loading needs a store without "
                         "sources (use okg build to replace sources one by one)")
    before = kg.backend.count()
    report.seconds["vocabulary"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    backend = kg.backend
    for item in inputs:
        if isinstance(backend, OxigraphBackend):
            if isinstance(item, bytes):
                backend.store.bulk_load(item, format=ox.RdfFormat.N_QUADS)
            else:
                backend.store.bulk_load(path=str(item), format=ox.RdfFormat.N_QUADS)
        else:
            backend.add_nquads(item if isinstance(item, bytes) else Path(item).read_bytes())
    kg.flush()
    report.quads = kg.backend.count() - before
    report.seconds["load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    derive_native(kg)
    report.seconds["derive"] = time.perf_counter() - t0
    if check:
        t0 = time.perf_counter()
        report.problems = integrity_problems(kg)
        report.seconds["check"] = time.perf_counter() - t0
    return report
