"""The knowledge graph: a store with one named graph per source, the ontology, and derived facts.

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory()
>>> kg.install_vocabulary()
>>> kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }").rows[0][0].toPython() > 50
True
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from okg.loaders import LoadError, SourceBundle, load_vocabulary, read_files
from okg.store.backends import Backend, OxigraphBackend, RdflibBackend
from okg.store.sparql import Rows, bind
from okg.terms.labels import pick
from okg.terms.namespaces import (
    DERIVED_GRAPH,
    GRAPH,
    ONTOLOGY_GRAPH_PREFIX,
    SOURCE_GRAPH_PREFIX,
    source_graph,
    sparql_prologue,
)
from okg.terms.resources import ontology_dir, queries_dir
from okg.terms.vocabulary import CORE_FILES, Vocabulary
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

STORE_ENV = "OKG_STORE"
_SOURCES = (
    """
SELECT ?g (SAMPLE(?t) AS ?title) (SAMPLE(?f) AS ?file) (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), "PREFIX"))
  OPTIONAL { GRAPH ?g { ?src a okg:Source .
                        OPTIONAL { ?src dcterms:title ?t } OPTIONAL { ?src okg:factFile ?f } } }
} GROUP BY ?g ORDER BY ?g"""
).replace("PREFIX", SOURCE_GRAPH_PREFIX)
DEFAULT_STORE = ".okg"


def default_store_path() -> Path:
    return Path(os.environ.get(STORE_ENV) or DEFAULT_STORE)


class StoreMissingError(FileNotFoundError):
    """The store folder asked for does not exist (or holds no store); nothing was created."""

    def __init__(self, path: Path):
        self.path = path
        what = "holds no okg store" if path.exists() else "does not exist"
        super().__init__(f"store folder {path} {what}: run `okg build --store {path}` first")


def is_store(path: Path) -> bool:
    """Whether *path* is a folder holding an on-disk store (RocksDB's ``CURRENT`` file)."""
    return (path / "CURRENT").is_file()


class MissingModuleError(Exception):
    """The store uses a sector module that is not on the sector path."""


@dataclass
class SourceInfo:
    source_id: str
    graph: str
    title: str | None
    fact_file: str | None
    triples: int


class KnowledgeGraph:
    """Open a store, load files, query with bound parameters, export."""

    def __init__(self, backend: Backend, voc: Vocabulary | None = None):
        self.backend = backend
        self._voc = voc

    @classmethod
    def open(
        cls, path: Path | str | None = None, read_only: bool = False, create: bool = True
    ) -> KnowledgeGraph:
        """The on-disk store at *path* (default ``$OKG_STORE`` or ``.okg/``).

        *read_only* takes no lock (for commands that only read, such as validate); its reads are
        undefined while another process writes the store. With ``create=False`` a folder that
        holds no store raises :class:`StoreMissingError` and nothing is created.
        """
        where = Path(path) if path else default_store_path()
        if (read_only or not create) and not is_store(where):
            raise StoreMissingError(where)
        return cls(OxigraphBackend(where, read_only))

    @classmethod
    def in_memory(cls, engine: str = "oxigraph") -> KnowledgeGraph:
        """A store in memory: ``oxigraph`` (fast) or ``rdflib`` (reference)."""
        return cls(OxigraphBackend(None) if engine == "oxigraph" else RdflibBackend())

    def close(self) -> None:
        """Release the store (an on-disk store's lock is freed)."""
        close = getattr(self.backend, "close", None)
        if close:
            close()

    def __enter__(self) -> KnowledgeGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def voc(self) -> Vocabulary:
        if self._voc is None:
            self._voc = load_vocabulary()
        return self._voc

    # -- reading ---------------------------------------------------------------
    def query(self, sparql: str, params: dict[str, Node] | None = None) -> Rows:
        """Run a SELECT; *params* (variable name to RDF term) are bound safely, never pasted."""
        return self.backend.select(sparql_prologue() + bind(sparql, params))

    def ask(self, sparql: str, params: dict[str, Node] | None = None) -> bool:
        return self.backend.ask(sparql_prologue() + bind(sparql, params))

    def construct(self, sparql: str, params: dict[str, Node] | None = None) -> Graph:
        return self.backend.construct(sparql_prologue() + bind(sparql, params))

    def label(self, iri: URIRef, lang: str = "en") -> str:
        """The label of *iri* in *lang*, else en, fr, ar, any; else its prefixed name."""
        rows = self.query("SELECT DISTINCT ?l WHERE { ?x rdfs:label ?l }", {"x": iri}).rows
        labels = {r[0].language: str(r[0]) for r in rows}
        found = pick(labels, lang)
        return found if found is not None else self.voc.qname(iri)

    def types_of(self, iri: URIRef) -> set[URIRef] | None:
        rows = self.query("SELECT DISTINCT ?t WHERE { ?x a ?t }", {"x": iri})
        return {r[0] for r in rows.rows} or None

    # -- writing ---------------------------------------------------------------
    def install_vocabulary(self, forget_missing: bool = False) -> None:
        """(Re)write the ontology graphs: core + reference, and each sector module on the path.

        A module whose graph is in the store but which is no longer on the sector path is kept
        out of harm's way: this raises MissingModuleError unless *forget_missing* (then its
        ontology graph is dropped, and facts that used its terms lose their core types).
        """
        voc = self.voc
        graphs: dict[URIRef, Graph] = {}
        core = Graph()
        for name in CORE_FILES:
            core.parse(ontology_dir() / name, format="turtle")
        graphs[GRAPH["ontology/core"]] = core
        for m in voc.modules.values():
            g = Graph()
            g.parse(m.path, format="turtle")
            graphs[GRAPH[f"ontology/{m.name}"]] = g
        stale = [
            g
            for g in self.graph_names()
            if g.startswith(ONTOLOGY_GRAPH_PREFIX) and URIRef(g) not in graphs
        ]
        if stale and not forget_missing:
            names = ", ".join(g[len(ONTOLOGY_GRAPH_PREFIX) :] for g in stale)
            raise MissingModuleError(
                f"the store holds sector module(s) {names}, which are not on the sector path; "
                "pass --sector-path DIR (or set OKG_SECTOR_PATH), or --forget-missing-modules"
            )
        self._replace(graphs, drop=[URIRef(g) for g in stale])

    def load(
        self,
        paths: Iterable[Path],
        check_shapes: bool = True,
        progress: Callable[[str], None] | None = None,
    ) -> list[SourceBundle]:
        """Check every file (and the shapes), then replace each source's graph; all or nothing."""
        paths = list(paths)
        bundles = read_files(paths, self.voc, resolver=self.types_of, progress=progress)
        if check_shapes:
            if progress:
                progress("checking SHACL shapes")
            from okg.store.shacl import check_bundles

            violations = check_bundles(bundles, self.voc)
            if violations:
                raise LoadError(violations)
        if progress:
            progress(f"writing {len(bundles)} source graph(s)")
        self._replace({b.graph_iri: b.graph for b in bundles})
        if progress:
            progress("deriving plain edges, types and periods")
        self.derive()
        return bundles

    def remove_source(self, source_id: str) -> bool:
        """Drop exactly the named graph of one source; derived facts are recomputed."""
        g = source_graph(source_id)
        if str(g) not in self.graph_names():
            return False
        self.backend.update(f"DROP GRAPH <{g}>")
        self.derive()
        return True

    def derive(self) -> None:
        """Recompute the derived graph from the CONSTRUCT rules in queries/derive/ (in file order).

        Each rule reads the union of all graphs, including what earlier rules derived.
        """
        self.backend.update(f"DROP SILENT GRAPH <{DERIVED_GRAPH}>")
        for rule in sorted((queries_dir() / "derive").glob("*.rq")):
            derived = self.backend.construct(sparql_prologue() + rule.read_text(encoding="utf-8"))
            if len(derived):
                self._add(DERIVED_GRAPH, derived)
        self.flush()

    def _add(self, graph: URIRef, triples: Graph) -> None:
        ds = Dataset()
        target = ds.graph(graph)
        for t in triples:
            target.add(t)
        self.backend.add_nquads(ds.serialize(format="nquads").encode("utf-8"))

    def _replace(self, graphs: dict[URIRef, Graph], drop: list[URIRef] | None = None) -> None:
        ds = Dataset()
        for iri, g in graphs.items():
            target = ds.graph(iri)
            for t in g:
                target.add(t)
        data = ds.serialize(format="nquads").encode("utf-8")
        for iri in list(graphs) + list(drop or []):
            self.backend.update(f"DROP SILENT GRAPH <{iri}>")
        self.backend.add_nquads(data)
        self.flush()

    def flush(self) -> None:
        flush = getattr(self.backend, "flush", None)
        if flush:
            flush()

    # -- inspecting --------------------------------------------------------------
    def graph_names(self) -> list[str]:
        rows = self.backend.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r[0]) for r in rows.rows)

    def sources(self) -> list[SourceInfo]:
        rows = self.query(_SOURCES)
        out = []
        for g, title, file, n in rows.rows:
            out.append(
                SourceInfo(
                    str(g)[len(SOURCE_GRAPH_PREFIX) :],
                    str(g),
                    str(title) if title else None,
                    str(file) if file else None,
                    int(n),
                )
            )
        return out

    def stats(self) -> dict[str, list[tuple[str, int]]]:
        """Triples per named graph, and individuals per class (data graphs only, with inferred types)."""
        per_graph = self.backend.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
        )
        per_class = self.query(f"""
            SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE {{
              GRAPH ?g {{ ?x a ?c }}
              FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH_PREFIX}") || ?g = <{DERIVED_GRAPH}>)
              FILTER(STRSTARTS(STR(?c), "https://w3id.org/okg/"))
            }} GROUP BY ?c ORDER BY DESC(?n) ?c""")
        return {
            "graphs": [(str(g), int(n)) for g, n in per_graph.rows],
            "classes": [(self.voc.qname(c), int(n)) for c, n in per_class.rows],
        }

    def export(self, fmt: str) -> bytes:
        """The whole store as trig, nquads, jsonld (named graphs kept) or turtle, ntriples (merged)."""
        return self.backend.dump(fmt)

    def dataset(self) -> Dataset:
        """A copy of the store as an rdflib Dataset (named graphs kept)."""
        ds = Dataset()
        ds.parse(data=self.backend.dump("nquads"), format="nquads")
        return ds
