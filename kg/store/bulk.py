"""The fast path for big RDF input: bulk load N-Quads, derive in memory, check with SPARQL.

``KnowledgeGraph.load`` (``okg build``) reads fact files through the loaders, with their
line-and-field checks, and stages them as native quads in memory; this path skips the loaders. It
takes N-Quads that already carry the loader's shapes (one named graph per source, as
``okg export --format nquads`` or ``benchmarks/generate.py`` write them), loads them with
Oxigraph's bulk loader, runs the derive rules inside the engine (on an in-memory copy, as
``okg build`` does, the derived graph written once), and then checks the whole store (that
in-memory copy) with the SHACL shapes of the core and of the sector modules, compiled to SPARQL by
``okg.store.shapes_sparql`` (the same shapes pyshacl checks in ``okg build``), and with the
loader's reference check (every object of a typed relation has the type its range asks).
Each problem is mapped back to its source graph, and to its fact file and line when the
quads carry them (``okg:factFile``, ``okg:line``).

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory()
>>> nq = (b'<https://w3id.org/okg/id/source/s> '
...       b'<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> '
...       b'<https://w3id.org/okg/ontology#Source> <https://w3id.org/okg/graph/source/s> .\\n')
>>> report = bulk_load(kg, [nq])
>>> report.quads, sorted(p.message for p in report.problems)
(1, ['A source has a title.', 'A source has one language.'])
>>> report.problems[0].graph
'https://w3id.org/okg/graph/source/s'
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from okg.store import KnowledgeGraph
from okg.store.backends import OxigraphBackend
from okg.store.knowledge_graph import BULK, STATUS_GRAPH, kill_point
from okg.store.shacl import shapes_graph
from okg.store.shapes_sparql import Check, compile_shapes
from okg.store.sparql import term_to_sparql
from okg.terms.namespaces import (
    OKGD,
    ONTOLOGY_GRAPH_PREFIX,
    SOURCE_GRAPH_PREFIX,
)
from okg.terms.vocabulary import Vocabulary
from rdflib import URIRef

# The loader's reference check, which no shape states: every object of a typed relation has the
# type its range asks. The distinct (object, range) pairs first, then the objects without a type
# under the range: a hash join (1.9 s at 10^6 triples; a NOT EXISTS probe per triple took 17 s).
REFERENCE_CHECK = (
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
)


def integrity_checks(voc: Vocabulary) -> list[Check]:
    """The SHACL shapes of the core and of every sector module on the path, compiled to SPARQL
    (okg.store.shapes_sparql); warnings and infos are left to pyshacl's report."""
    return [c for c in compile_shapes(shapes_graph(voc)) if c.severity == "Violation"]


@dataclass
class Problem:
    """One violation: the check (shape and constraint, or ``reference``), what is expected,
    the focus node, and where it came from when the store knows (source graph, fact file and
    line as the loader wrote them with ``okg:factFile`` and ``okg:line``)."""

    check: str
    message: str
    focus: str
    path: str | None = None
    value: str | None = None
    graph: str | None = None
    file: str | None = None
    line: int | None = None
    field: str | None = None

    def where(self) -> str:
        """``file:line [field]`` (or the source graph) for a report line; '' when unknown."""
        if self.file:
            at = self.file + (f":{self.line}" if self.line else "")
        else:
            at = self.graph or ""
        return at + (f" [{self.field}]" if self.field and at else "")


@dataclass
class BulkReport:
    """What a bulk load did: quads read, seconds per step, and the problems found."""

    quads: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def derive_native(kg: KnowledgeGraph) -> None:
    """Recompute the derived graph: ``KnowledgeGraph.derive``, which on Oxigraph runs the rules
    in memory with native terms and writes the result in one bulk step. Like it, the store is
    marked incomplete before and complete after (unless a bulk load is pending:
    :func:`bulk_load` completes it)."""
    kg.derive()


def integrity_problems(kg: KnowledgeGraph, limit: int = 20) -> list[Problem]:
    """Run the compiled shapes and the reference check; at most *limit* offenders per check,
    each mapped back to its source graph, file, line and field."""
    voc = kg.voc
    out = []
    for c in integrity_checks(voc):
        for row in kg.query(f"{c.sparql}\nLIMIT {limit}").rows:
            value = row[1] if len(row) > 1 and row[1] is not None and row[1] != row[0] else None
            path = (
                c.path[1:-1] if c.path and c.path.startswith("<") and c.path.endswith(">") else None
            )
            prop = voc.properties.get(URIRef(path)) if path else None
            out.append(
                Problem(
                    f"{_short(voc, c.shape)} {c.component}",
                    c.message,
                    str(row[0]),
                    path=voc.qname(URIRef(path)) if path else c.path,
                    value=None if value is None else str(value),
                    field=prop.key if prop is not None and prop.key else None,
                )
            )
    name, message, sparql = REFERENCE_CHECK
    for row in kg.query(f"{sparql}\nLIMIT {limit}").rows:
        out.append(Problem(name, message, str(row[0])))
    _locate(kg, out)
    return out


def _view(kg: KnowledgeGraph, store: ox.Store) -> KnowledgeGraph:
    """A read view of *kg* over another pyoxigraph store (the in-memory copy derive ran on)."""
    backend = OxigraphBackend(None)
    backend.store = store
    return KnowledgeGraph(backend, kg.voc)


def _short(voc: Vocabulary, shape: str) -> str:
    """A shape's name for a report line: its qname, else its fragment (ContractShape)."""
    if not shape.startswith("http"):
        return shape
    name = voc.qname(URIRef(shape))
    return name if not name.startswith("<") else shape.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _locate(kg: KnowledgeGraph, problems: list[Problem]) -> None:
    """Fill each problem's source graph, file and line: from the focus node's own triples in a
    source graph, else from the nearest record whose IRI it extends (a record's figure), else
    from the graph that mentions it as an object (a dangling reference)."""
    foci = {p.focus for p in problems if p.focus.startswith(str(OKGD))}
    if not foci:
        return
    candidates = set()
    for f in foci:
        node = f
        while node.startswith(str(OKGD)) and len(node) > len(str(OKGD)):
            candidates.add(node)
            node = node.rsplit("/", 1)[0]
    values = " ".join(term_to_sparql(URIRef(c)) for c in sorted(candidates))
    found: dict[str, tuple[str, str | None, int | None]] = {}
    for x, g, line, file in kg.query(f"""
        SELECT ?x ?g (SAMPLE(?l) AS ?line) (SAMPLE(?f) AS ?file) WHERE {{
          VALUES ?x {{ {values} }}
          {{ GRAPH ?g {{ ?x ?p ?o }} }} UNION {{ GRAPH ?g {{ ?s ?p ?x }} }}
          FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH_PREFIX}"))
          OPTIONAL {{ GRAPH ?g {{ ?x okg:line ?l }} }}
          OPTIONAL {{ GRAPH ?g {{ ?src a okg:Source ; okg:factFile ?f }} }}
        }} GROUP BY ?x ?g ORDER BY ?x ?g""").rows:
        prev = found.get(str(x))
        if prev is None or (prev[2] is None and line is not None):
            found[str(x)] = (
                str(g),
                None if file is None else str(file),
                None if line is None else int(line),
            )
    for p in problems:
        node = p.focus
        best = found.get(node)
        while (best is None or best[2] is None) and node.count("/") > str(OKGD).count("/"):
            node = node.rsplit("/", 1)[0]
            if node in found and found[node][2] is not None:
                best = found[node]
        if best is None:
            best = found.get(p.focus)
        if best is not None:
            p.graph, p.file, p.line = best


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
    work = kg.derive(keep=True)
    report.seconds["derive"] = time.perf_counter() - t0
    kill_point("bulk-derived")
    if check:
        t0 = time.perf_counter()
        report.problems = integrity_problems(_view(kg, work) if work is not None else kg)
        report.seconds["check"] = time.perf_counter() - t0
    del work
    if not report.problems:
        kg.mark_complete()
    return report
