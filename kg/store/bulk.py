"""The fast path for big RDF input: bulk load N-Quads, derive natively, check with SPARQL.

``KnowledgeGraph.load`` reads fact files through rdflib and checks them with pyshacl, which is
right for hand-written fact files and far too slow for a registry of a million triples. This
path takes N-Quads that already carry the loader's shapes (one named graph per source, as
``okg export --format nquads`` or ``benchmarks/generate.py`` write them), loads them with
Oxigraph's bulk loader, runs the derive rules inside the engine, and then checks the whole
store with SPARQL queries that restate the core SHACL shapes (ontology/shapes.ttl) and the
loader's reference checks (every object of a typed relation has the type its range asks).

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory()
>>> nq = (b'<https://w3id.org/okg/id/source/s> '
...       b'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
...       b'<https://w3id.org/okg/ontology#Source> <https://w3id.org/okg/graph/source/s> .\\n')
>>> report = bulk_load(kg, [nq])
>>> report.quads, [p.message for p in report.problems]
(1, ['a source has a title', 'a source has one language'])
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from okg.store import KnowledgeGraph
from okg.store.backends import OxigraphBackend
from okg.store.knowledge_graph import BULK, DERIVE, STATUS_GRAPH, kill_point
from okg.terms.namespaces import (
    DERIVED_GRAPH,
    ONTOLOGY_GRAPH_PREFIX,
    SOURCE_GRAPH_PREFIX,
    sparql_prologue,
)
from okg.terms.resources import queries_dir

# The core shapes as (check, class, property path, min count, max count, what is expected).
CARDINALITIES: list[tuple[str, str, str, int, int | None, str]] = [
    (
        "fact-source",
        "okg:Fact",
        "prov:hadPrimarySource",
        1,
        None,
        "every fact names the source it was taken from (prov:hadPrimarySource)",
    ),
    ("label", "okg:EconomicActor", "rdfs:label", 1, None, "every actor has a label"),
    ("label", "okg:Association", "rdfs:label", 1, None, "every association has a label"),
    ("label", "okg:Person", "rdfs:label", 1, None, "every person has a label"),
    ("label", "okg:Site", "rdfs:label", 1, None, "every site has a label"),
    ("label", "okg:City", "rdfs:label", 1, None, "every city has a label"),
    ("site", "okg:Site", "okg:siteOf", 1, None, "a site is operated by an actor (siteOf)"),
    ("site", "okg:Site", "okg:country", 1, 1, "a site lies in exactly one country"),
    ("contract", "okg:Contract", "okg:client", 1, 1, "a contract has exactly one client"),
    ("contract", "okg:Contract", "okg:provider", 1, 1, "a contract has exactly one provider"),
    (
        "contract",
        "okg:Contract",
        "okg:coversActivity",
        1,
        None,
        "a contract covers at least one activity",
    ),
    ("contract", "okg:Contract", "okg:startDate", 0, 1, "a contract has at most one start date"),
    ("contract", "okg:Contract", "okg:endDate", 0, 1, "a contract has at most one end date"),
    ("workforce", "okg:Workforce", "okg:headcount", 1, 1, "a workforce has one headcount"),
    (
        "workforce",
        "okg:Workforce",
        "okg:employmentType",
        1,
        1,
        "a workforce has one employment type",
    ),
    (
        "workforce",
        "okg:Workforce",
        "okg:employer|okg:workplace",
        1,
        None,
        "a workforce has an employer or a site",
    ),
    (
        "market-dependency",
        "okg:MarketDependency",
        "okg:dependent",
        1,
        1,
        "a market dependency has one dependent actor",
    ),
    (
        "market-dependency",
        "okg:MarketDependency",
        "okg:onMarket",
        1,
        1,
        "a market dependency names one market",
    ),
    (
        "market-dependency",
        "okg:MarketDependency",
        "okg:share",
        1,
        1,
        "a market dependency gives one share",
    ),
    ("activity-share", "okg:ActivityShare", "okg:holder", 1, 1, "an activity share has one holder"),
    (
        "activity-share",
        "okg:ActivityShare",
        "okg:ofActivity",
        1,
        1,
        "an activity share names one activity",
    ),
    ("activity-share", "okg:ActivityShare", "okg:share", 1, 1, "an activity share gives one share"),
    (
        "regulation",
        "okg:Regulation",
        "okg:jurisdiction",
        1,
        None,
        "a regulation has a jurisdiction",
    ),
    (
        "regulation",
        "okg:Regulation",
        "okg:prohibitsActivity",
        1,
        None,
        "a regulation prohibits at least one activity",
    ),
    (
        "regulation",
        "okg:Regulation",
        "okg:effectiveDate",
        0,
        1,
        "a regulation has at most one effective date",
    ),
    (
        "event",
        "okg:Event",
        "okg:date|okg:startDate|okg:reportedOn",
        1,
        None,
        "an event has a date, a start date or the date it was reported on",
    ),
    ("quantity", "okg:Quantity", "okg:qualifier", 1, 1, "a figure says how it was stated"),
    ("quantity", "okg:Quantity", "okg:unit", 1, 1, "a figure has a unit"),
    ("quantity", "okg:Quantity", "okg:low", 0, 1, "a figure has at most one low end"),
    ("quantity", "okg:Quantity", "okg:high", 0, 1, "a figure has at most one high end"),
    ("source", "okg:Source", "dcterms:title", 1, None, "a source has a title"),
    ("source", "okg:Source", "okg:sourceLanguage", 1, 1, "a source has one language"),
]


def _cardinality_checks() -> list[tuple[str, str, str]]:
    # MINUS and a self-join rather than NOT EXISTS or GROUP BY/HAVING: both engines then join
    # whole sets instead of probing node by node (at 10^6 triples: 0.3 s instead of 28 s).
    out = []
    for name, cls, path, lo, hi, message in CARDINALITIES:
        if lo:
            out.append(
                (
                    name,
                    message,
                    f"SELECT DISTINCT ?x WHERE {{ ?x a {cls} MINUS {{ ?x {path} ?v }} }}",
                )
            )
        if hi == 1:
            out.append(
                (
                    name,
                    message,
                    f"SELECT DISTINCT ?x WHERE {{ ?x a {cls} ; {path} ?a , ?b FILTER(?a != ?b) }}",
                )
            )
    return out


# (name, what is expected, a SELECT of the offending ?x). Each restates a shape of
# ontology/shapes.ttl or a reference check of the loader, over the union of all graphs.
CHECKS: list[tuple[str, str, str]] = [
    *_cardinality_checks(),
    (
        "fact-quote",
        "every fact carries its quote unless it is marked illustrative",
        """
        SELECT DISTINCT ?x WHERE { ?x a okg:Fact
          MINUS { ?x okg:quote ?q } MINUS { ?x okg:illustrative true } }""",
    ),
    (
        "quantity",
        "a figure's low end is a non-negative number not above its high end",
        """
        SELECT DISTINCT ?x WHERE { ?x a okg:Quantity ; okg:low ?lo
          OPTIONAL { ?x okg:high ?hi } FILTER(?lo < 0 || (BOUND(?hi) && ?lo > ?hi)) }""",
    ),
    # The distinct (object, range) pairs first, then the objects without a type under the
    # range: a hash join (1.9 s at 10^6 triples; a NOT EXISTS probe per triple took 17 s).
    (
        "reference",
        "every object of a relation has the type the relation's range asks for",
        """
        SELECT DISTINCT ?x WHERE {
          { SELECT DISTINCT ?x ?r WHERE {
              { SELECT DISTINCT ?p ?r WHERE { ?p a owl:ObjectProperty ; rdfs:range ?r .
                                             FILTER(isIRI(?r)) } }
              ?s ?p ?x } }
          MINUS { { SELECT DISTINCT ?t ?r WHERE { ?p2 a owl:ObjectProperty ; rdfs:range ?r .
                                                  ?t rdfs:subClassOf* ?r } }
                  ?x a ?t } }""",
    ),
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
    other engines use ``KnowledgeGraph.derive``. Like it, the store is marked incomplete before
    and complete after (unless a bulk load is pending: :func:`bulk_load` completes it).
    """
    backend = kg.backend
    if not isinstance(backend, OxigraphBackend):
        kg.derive()
        return
    store = backend.store
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    kg._replace({}, drop=[DERIVED_GRAPH], pending=DERIVE)
    kill_point("derive-dropped")
    for i, rule in enumerate(sorted((queries_dir() / "derive").glob("*.rq")), 1):
        sparql = sparql_prologue() + rule.read_text(encoding="utf-8")
        triples = list(store.query(sparql, use_default_graph_as_union=True))
        # bulk_extend skips the transaction that extend keeps (3.7 s for 237k quads at 10^6):
        # safe here because the status graph says "incomplete" until the end.
        store.bulk_extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        kill_point(f"derive-{i}")
    kg.flush()
    kill_point("derived")
    if kg.status().pending == DERIVE:
        kg.mark_complete()


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


def clear(kg: KnowledgeGraph) -> None:
    """Empty the store but for the vocabulary (undoes a bulk load), in one transaction that
    also marks the store complete; then the vocabulary is checked (rewritten if it changed)."""
    keep = {str(STATUS_GRAPH)}
    drop = [
        g for g in kg.graph_names() if not g.startswith(ONTOLOGY_GRAPH_PREFIX) and g not in keep
    ]
    kg.backend.replace(drop, {}, ["CLEAR SILENT DEFAULT", *kg._status_ops(None)])
    kg.flush()
    kill_point("cleared")
    kg.install_vocabulary()


def bulk_load(kg: KnowledgeGraph, inputs: list[Path | bytes], check: bool = True) -> BulkReport:
    """Load N-Quads (paths or bytes) into a store holding no source yet, derive, and check.

    The vocabulary is (re)installed first. Problems are reported, not raised: the caller
    decides (``okg bulk-load`` names them, empties the store with :func:`clear` and exits 1).
    A file that is not N-Quads, or holds a term of 16 MiB or more (the N-Quads parser's limit),
    raises SyntaxError (with its line) after a partial load, which :func:`clear` undoes.

    Oxigraph's bulk loader writes outside any transaction, so the store is marked incomplete
    (pending ``bulk-load``) before it and complete only after derive and the checks passed; a
    store left so by a crash is emptied of its partial sources first (a repair, not a refusal).
    """
    report = BulkReport()
    t0 = time.perf_counter()
    if kg.status().pending == BULK:
        clear(kg)  # a bulk load was interrupted: its sources are partial, start again
    kg.install_vocabulary()
    if _source_graph_count(kg):
        raise ValueError(
            "the store already holds sources; bulk loading needs a store without "
            "sources (use okg build to replace sources one by one)"
        )
    kg.mark_incomplete(BULK)
    kill_point("bulk-marked")
    before = kg.backend.count()
    report.seconds["vocabulary"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    backend = kg.backend
    for item in inputs:
        if isinstance(backend, OxigraphBackend):
            try:
                if isinstance(item, bytes):
                    backend.store.bulk_load(item, format=ox.RdfFormat.N_QUADS)
                else:
                    backend.store.bulk_load(path=str(item), format=ox.RdfFormat.N_QUADS)
            except MemoryError as exc:  # one term of 16 MiB or more: the parser's buffer limit
                where = "input" if isinstance(item, bytes) else str(item)
                raise SyntaxError(f"{where}: a term of 16 MiB or more ({exc})") from None
        else:
            backend.add_nquads(item if isinstance(item, bytes) else Path(item).read_bytes())
    kg.flush()
    report.quads = kg.backend.count() - before
    report.seconds["load"] = time.perf_counter() - t0
    kill_point("bulk-loaded")
    t0 = time.perf_counter()
    kg.mark_incomplete(BULK)  # rewrites the status graph, whatever the input put in it
    derive_native(kg)
    report.seconds["derive"] = time.perf_counter() - t0
    kill_point("bulk-derived")
    if check:
        t0 = time.perf_counter()
        report.problems = integrity_problems(kg)
        report.seconds["check"] = time.perf_counter() - t0
    if not report.problems:
        kg.mark_complete()
    return report
