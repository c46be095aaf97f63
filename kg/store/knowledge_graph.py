"""The knowledge graph: a store with one named graph per source, the ontology, and derived facts.

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory()
>>> kg.install_vocabulary()
>>> kg.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a owl:Class }").rows[0][0].toPython() > 50
True

Crash safety (docs/reliability.md): every write goes through one SPARQL Update request that also
rewrites the status graph (``graph/status``: ``okg:storeState``, ``okg:storeVersion``,
``okg:pendingOperation``); replacing sources or the ontology is one transaction, and the derived
graph, which is rebuilt in several steps, is bracketed by the status: incomplete first, complete
last. On disk, source graphs the store does not hold yet (nothing to lose) are written by the bulk
writer outside a transaction, after the status says ``load`` and lists them; an interrupted one is
rolled back by the next writer, which drops exactly those graphs. Commands other than ``build`` and ``bulk-load`` refuse an incomplete store in one line;
those two repair it.

>>> kg.status().state, kg.status().version > 0
('complete', True)
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from okg.store.backends import (
    Backend,
    OxigraphBackend,
    OxTerms,
    RdflibBackend,
    StoreBusyError,
    has_quads,
    insert_data,
    live_writer,
    lock_wait,
)
from okg.store.derive_steps import step_of
from okg.store.sparql import Rows, bind, term_to_sparql
from okg.terms.labels import pick
from okg.terms.namespaces import (
    DERIVED_GRAPH,
    GRAPH,
    OKG,
    OKGD,
    ONTOLOGY_GRAPH_PREFIX,
    SOURCE_GRAPH_PREFIX,
    source_graph,
    sparql_prologue,
)
from okg.terms.resources import ontology_dir, queries_dir
from okg.terms.vocabulary import CORE_FILES, Vocabulary, load_vocabulary
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

if TYPE_CHECKING:  # the loaders are imported when a load needs them (fast start of read commands)
    from okg.loaders import SourceBundle

STORE_ENV = "OKG_STORE"
STATUS_GRAPH = GRAPH["status"]
"""The named graph holding the store's own state (one subject, :data:`STORE_NODE`)."""
STORE_NODE = OKGD["store"]
KILL_ENV = "OKG_TEST_KILL_AT"
"""Test hook: ``OKG_TEST_KILL_AT=<point>`` makes the process SIGKILL itself at that named point
of a write (see :func:`kill_point`), so the crash tests hit each window deterministically."""
DERIVE, BULK, LOAD = "derive", "bulk-load", "load"
"""Pending operations: ``derive`` (the derived graph is being rebuilt), ``bulk-load`` (okg
bulk-load's input is going in) and ``load`` (new source graphs, listed in the status with
``okg:pendingGraph``, are being bulk-written outside a transaction: an interrupted one is
rolled back by dropping exactly those graphs, which did not exist before)."""
_SOURCES = (
    (
        """
SELECT ?g (SAMPLE(?t) AS ?title) (SAMPLE(?f) AS ?file) (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o }
  FILTER(STRSTARTS(STR(?g), "PREFIX"))
  OPTIONAL { GRAPH ?g { ?src a okg:Source .
                        OPTIONAL { ?src dcterms:title ?t } OPTIONAL { ?src okg:factFile ?f } }
             FILTER(STR(?src) = CONCAT("NODE", STRAFTER(STR(?g), "PREFIX"))) }
} GROUP BY ?g ORDER BY ?g"""
    )
    .replace("PREFIX", SOURCE_GRAPH_PREFIX)
    .replace("NODE", str(OKGD["source/"]))
)
# the graph's own source node only: a graph may hold other okg:Source nodes (an OCDS package's
# releases), which must neither multiply the triple count nor lend their title
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


class StoreIncompleteError(OSError):
    """A write to the store was interrupted (derive or bulk load not finished)."""

    def __init__(self, path: Path, pending: str | None):
        self.path = path
        self.pending = pending
        what = {BULK: "a bulk load", LOAD: "loading sources"}.get(pending, "deriving facts")
        fix = "okg bulk-load (or okg build)" if pending == BULK else "okg build FILES"
        super().__init__(
            f"store {path} is incomplete: {what} was interrupted; run {fix} to repair it"
        )


def _quads_of(store: ox.Store, graphs: Iterable) -> Iterable[ox.Quad]:
    """Every quad of the *graphs* (IRIs or pyoxigraph graph names) of *store*, one stream."""
    for g in graphs:
        yield from store.quads_for_pattern(
            None, None, None, ox.NamedNode(g) if isinstance(g, str) else g
        )


def _id_line(sidecar: Path) -> int | None:
    """The line of ``id:`` in the ``source:`` block of a sidecar (None when it cannot be read)."""
    from okg.loaders.limits import InputRefused, read_text
    from okg.loaders.yamlnodes import Map, YamlSyntaxError, parse_yaml

    try:
        doc = parse_yaml(read_text(sidecar))
    except (InputRefused, YamlSyntaxError, OSError, ValueError):
        return None
    src = doc.get("source") if isinstance(doc, Map) else None
    if isinstance(src, Map) and "id" in src.items:
        return src.line_of("id")
    return None


def kill_point(name: str) -> None:
    """Test hook: SIGKILL this process here when ``$OKG_TEST_KILL_AT`` names this point.

    Points: ``vocabulary-written``, ``load-marked``, ``load-bulked`` (new source graphs written
    outside a transaction), ``sources-written``, ``source-dropped``, ``derive-dropped``,
    ``derive-<N>`` (after rule N is written), ``derived``, ``bulk-marked``, ``bulk-loaded``,
    ``bulk-derived``, ``cleared``. Unset (always, outside the crash tests) it does nothing.
    """
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass(frozen=True)
class StoreStatus:
    """The store's state: ``complete`` or ``incomplete`` (with the interrupted operation),
    a version bumped by every write, a random id of the store and the ontology's digest."""

    state: str = "complete"
    version: int = 0
    store_id: str | None = None
    pending: str | None = None
    ontology: str | None = None
    pending_graphs: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.state == "complete"


_Q_STATUS = f"""
SELECT ?p ?o WHERE {{ GRAPH <{STATUS_GRAPH}> {{ <{STORE_NODE}> ?p ?o }} }}"""
_KEEP = object()


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
        self.loaded: dict[str | None, int] = {}
        """Triples written per source id by the last :meth:`load`."""

    @classmethod
    def open(
        cls, path: Path | str | None = None, read_only: bool = False, create: bool = True
    ) -> KnowledgeGraph:
        """The on-disk store at *path* (default ``$OKG_STORE`` or ``.okg/``).

        *read_only* takes no lock: any number of readers work beside each other and beside one
        writer, each seeing the store as it was when it opened it. With ``create=False`` a folder
        that holds no store raises :class:`StoreMissingError` and nothing is created. With
        ``read_only`` or ``create=False`` an interrupted write raises
        :class:`StoreIncompleteError` (only ``build`` and ``bulk-load``, which repair it, open
        such a store); while a live writer is midway (its derive step), readers wait for it up to
        ``$OKG_LOCK_WAIT`` s. A second writer waits for the lock as long, then raises
        ``StoreBusyError`` naming the holder.
        """
        where = Path(path) if path else default_store_path()
        if (read_only or not create) and not is_store(where):
            raise StoreMissingError(where)
        kg = cls(OxigraphBackend(where, read_only))
        if not (read_only or not create):
            return kg
        deadline = time.monotonic() + lock_wait()
        while True:
            status = kg.status()
            if status.complete:
                return kg
            kg.close()
            holder = live_writer(where)
            if holder is None:
                raise StoreIncompleteError(where, status.pending)
            if time.monotonic() >= deadline:  # a live writer is midway: wait for it, bounded
                raise StoreBusyError(
                    f"the store at {where} is being written by {holder}; still incomplete "
                    f"after {lock_wait():g} s ($OKG_LOCK_WAIT): try again when it ends"
                )
            time.sleep(0.2)
            kg = cls(OxigraphBackend(where, read_only))

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
        self._rollback_load()
        voc = self.voc
        files = {GRAPH["ontology/core"]: [ontology_dir() / name for name in CORE_FILES]}
        for m in voc.modules.values():
            files[GRAPH[f"ontology/{m.name}"]] = [Path(m.path)]
        stale = [
            g
            for g in self.graph_names()
            if g.startswith(ONTOLOGY_GRAPH_PREFIX) and URIRef(g) not in files
        ]
        if stale and not forget_missing:
            names = ", ".join(g[len(ONTOLOGY_GRAPH_PREFIX) :] for g in stale)
            raise MissingModuleError(
                f"the store holds sector module(s) {names}, which are not on the sector path; "
                "pass --sector-path DIR (or set OKG_SECTOR_PATH), or --forget-missing-modules"
            )
        digest = hashlib.sha256()
        for iri in sorted(files):
            digest.update(f"{iri}\n".encode())
            for f in files[iri]:
                digest.update(f.read_bytes())
        status = self.status()
        present = set(self.graph_names())
        if (
            not stale
            and status.ontology == digest.hexdigest()
            and all(str(iri) in present for iri in files)
        ):
            return  # the same ontology is already in the store: nothing to write
        if self._native():  # Oxigraph parses the Turtle itself (no rdflib terms on the way)
            stage = ox.Store()
            for iri, paths in files.items():
                for f in paths:
                    one = ox.Store()  # one file at a time: a parse error leaves no part behind
                    try:
                        one.bulk_load(
                            path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(iri)
                        )
                    except SyntaxError:  # Turtle rdflib reads (the vocabulary did) but Oxigraph
                        one = ox.Store()  # does not: parsed by rdflib, as the vocabulary was
                        one.bulk_extend(OxTerms().quads(Graph().parse(f, format="turtle"), iri))
                    stage.bulk_extend(one)
            self._write(
                stage, [str(i) for i in files], [str(g) for g in stale], ontology=digest.hexdigest()
            )
        else:
            graphs: dict[URIRef, Graph] = {}
            for iri, paths in files.items():
                g = Graph()
                for f in paths:
                    g.parse(f, format="turtle")
                graphs[iri] = g
            self._replace(graphs, drop=[URIRef(g) for g in stale], ontology=digest.hexdigest())
        kill_point("vocabulary-written")
        if self.status().pending == DERIVE:
            self.derive()

    def load(
        self,
        paths: Iterable[Path],
        check_shapes: bool = True,
        progress: Callable[[str], None] | None = None,
        shapes: str = "engine",
        keep_graphs: bool = True,
    ) -> list[SourceBundle]:
        """Check every file (and the shapes), then replace each source's graph; all or nothing.

        The triples written per source are in :attr:`loaded`. With ``keep_graphs=False`` the
        returned bundles' rdflib graphs are emptied once the sources are staged and checked
        (``okg build``: the memory goes to the write and the derive).

        *shapes*: ``engine`` (the SHACL shapes of the core and of every sector module compiled
        to SPARQL and run by Oxigraph) or ``pyshacl`` (the reference; slower).

        On Oxigraph the sources are staged once as native quads in an in-memory store: the
        shapes run there, the source graphs are written from it (new graphs with the bulk
        writer, bracketed by the status; graphs that replace others in one transaction), and
        the derive rules run in memory over it plus the rest of the store, their result
        written once."""
        paths = list(paths)
        from okg.loaders import LoadError, read_files

        self._rollback_load()
        bundles = read_files(paths, self.voc, resolver=self.types_of, progress=progress)
        clashes = self.source_id_clashes(bundles)
        if clashes:
            raise LoadError(clashes)
        stage = None
        if self._native():
            stage, terms = ox.Store(), OxTerms()
            for b in bundles:
                stage.bulk_extend(terms.quads(b.graph, str(b.graph_iri)))
        if check_shapes:
            if progress:
                progress("checking SHACL shapes")
            from okg.store.shacl import check_bundles

            violations = check_bundles(
                bundles, self.voc, engine=shapes, store=stage if shapes == "engine" else None
            )
            if violations:
                raise LoadError(violations)
        self.loaded = {b.source_id: len(b.graph) for b in bundles}
        if stage is not None and not keep_graphs:
            import gc

            for b in bundles:
                b.graph = Graph()
            gc.collect()
        if progress:
            progress(f"writing {len(bundles)} source graph(s)")
        drop: list[URIRef] = []
        if self.status().pending == BULK:  # repair: the interrupted bulk load's partial sources
            drop = [URIRef(g) for g in self.graph_names() if g.startswith(SOURCE_GRAPH_PREFIX)]
        if stage is None:
            self._replace({b.graph_iri: b.graph for b in bundles}, drop=drop, pending=DERIVE)
            kill_point("sources-written")
            if progress:
                progress("deriving plain edges, types and periods")
            self.derive()
            return bundles
        names = [str(b.graph_iri) for b in bundles]
        fresh = self._write(stage, names, [str(g) for g in drop])
        kill_point("sources-written")
        if progress:
            progress("deriving plain edges, types and periods")
        self.derive(work=stage, fresh=fresh)
        return bundles

    def source_id_clashes(self, bundles: list[SourceBundle]) -> list:
        """A source whose id comes from a ``FILE.source.yaml`` sidecar (RDF files, CSV tables)
        may not take the id of a source the store holds from another file (``okg:factFile``):
        it would silently replace that source's graph. One error per clash, naming the sidecar,
        the line of its ``id:`` and the field ``source.id``; rebuilding the same file is fine."""
        from okg.loaders.errors import FactError

        out = []
        for b in bundles:
            if not b.source_id:
                continue
            path = Path(b.file)
            stems = {path.name[: -len(path.suffix)] if path.suffix else path.name}
            stems.add(path.name.split(".", 1)[0])
            sides = [
                path.with_name(stem + end)
                for stem in sorted(stems)
                for end in (".source.yaml", ".mapping.yaml")
            ]
            side = next((x for x in sides if x.is_file() and _id_line(x)), None)
            if path.suffix in (".yaml", ".yml") or side is None:
                continue  # a fact file states its own id: renaming it keeps its source
            rows = self.query(
                "SELECT ?f WHERE { GRAPH ?g { ?src a okg:Source . OPTIONAL { ?src okg:factFile ?f } } }",
                {"g": source_graph(b.source_id)},
            ).rows
            if not rows:
                continue  # a new source id
            stored = sorted({str(r[0]) for r in rows if r[0] is not None})
            if path.name in stored:
                continue  # the same file, rebuilt
            where = ", ".join(stored) if stored else "an unknown file"
            out.append(
                FactError(
                    str(side),
                    _id_line(side),
                    "source.id",
                    f"source id '{b.source_id}' is already in the store, loaded from {where}; "
                    f"{path.name} would replace it: give this source its own id "
                    f"(or okg remove {b.source_id} first)",
                )
            )
        return out

    def remove_source(self, source_id: str) -> bool:
        """Drop exactly the named graph of one source; derived facts are recomputed."""
        g = source_graph(source_id)
        if str(g) not in self.graph_names():
            return False
        self._replace({}, drop=[g], pending=DERIVE)
        kill_point("source-dropped")
        self.derive()
        return True

    def derive(
        self, work: ox.Store | None = None, fresh: Iterable[str] = (), keep: bool = False
    ) -> ox.Store | None:
        """Recompute the derived graph from the CONSTRUCT rules in queries/derive/ (in file order).

        Each rule reads the union of all graphs, including what earlier rules derived. The store
        is marked incomplete first and complete last (unless a bulk load is still pending), so a
        crash in between is seen by the next command.

        On Oxigraph the rules run in memory: on the store itself when it is in memory, else on
        an in-memory copy of the store (*work*, when given, already holds the graphs *fresh*,
        written from it with their blank nodes), and the derived graph is then written to disk
        in one bulk step. Terms stay pyoxigraph's from the query to the store. With *keep*,
        the in-memory store the rules ran on (the whole store, derived graph included) is
        returned, for checks that read it faster than the disk.
        """
        self._replace({}, drop=[DERIVED_GRAPH], pending=self._pending_at_least(DERIVE))
        kill_point("derive-dropped")
        rules = sorted((queries_dir() / "derive").glob("*.rq"))
        if not self._native():
            for i, rule in enumerate(rules, 1):
                sparql = sparql_prologue() + rule.read_text(encoding="utf-8")
                if (step := step_of(sparql)) is not None:
                    derived = Graph()
                    for s, p, o in step(self.backend.select(sparql).rows):
                        derived.add((s, URIRef(p), Literal(o)))
                else:
                    derived = self.backend.construct(sparql)
                if len(derived):
                    self._add(DERIVED_GRAPH, derived)
                kill_point(f"derive-{i}")
        else:
            store = self.backend.store
            on_disk = self.backend.path is not None
            dg = ox.NamedNode(str(DERIVED_GRAPH))
            if on_disk:
                work = self._working_copy(work, set(fresh))
            else:
                work = store
            for i, rule in enumerate(rules, 1):
                sparql = sparql_prologue() + rule.read_text(encoding="utf-8")
                if (step := step_of(sparql)) is not None:
                    res = work.query(sparql, use_default_graph_as_union=True)
                    names = res.variables
                    rows = (tuple(sol[v] for v in names) for sol in res)
                    quads = [
                        ox.Quad(s, ox.NamedNode(p), ox.Literal(o), dg) for s, p, o in step(rows)
                    ]
                else:
                    triples = work.query(sparql, use_default_graph_as_union=True)
                    quads = [ox.Quad(t.subject, t.predicate, t.object, dg) for t in triples]
                work.bulk_extend(quads)
                kill_point(f"derive-{i}")
            if on_disk:
                # outside a transaction, safe: the status says incomplete until mark_complete
                store.bulk_extend(work.quads_for_pattern(None, None, None, dg))
        self.flush()
        kill_point("derived")
        if self.status().pending == DERIVE:
            self.mark_complete()
        return work if keep and self._native() else None

    def _working_copy(self, work: ox.Store | None, fresh: set[str]) -> ox.Store:
        """An in-memory copy of the on-disk store but its derived graph, for the derive rules.
        *work* already holds the graphs *fresh* (with the blank nodes the disk has); any other
        graph it holds is replaced by the disk's (whose blank nodes the update renamed)."""
        store = self.backend.store
        if work is None:
            work = ox.Store()
        for g in list(work.named_graphs()):
            if g.value not in fresh:
                work.remove_graph(g)
        skip = {str(DERIVED_GRAPH), *fresh}
        graphs = [g for g in store.named_graphs() if g.value not in skip]
        work.bulk_extend(_quads_of(store, [ox.DefaultGraph(), *graphs]))
        return work

    def _native(self) -> bool:
        return isinstance(self.backend, OxigraphBackend)

    def _write(
        self,
        stage: ox.Store,
        names: list[str],
        drop: list[str] | None = None,
        pending: str | None = DERIVE,
        ontology=_KEEP,
    ) -> set[str]:
        """Write the named graphs *names* of the in-memory *stage* to the store, replacing them,
        drop *drop* and mark the store *pending*. Returns the graphs written with their
        blank nodes kept (those of *stage*).

        On disk, a graph the store does not hold yet (nothing to lose) goes in with the bulk
        writer, outside any transaction: the status first says ``load`` and lists them, so an
        interrupted write is rolled back by dropping exactly those graphs
        (:meth:`_rollback_load`). Every graph that replaces one, the drops and the status go
        in ONE SPARQL Update (one transaction), as :meth:`_replace` does. In memory (no crash
        to survive) the quads are copied directly.
        """
        if pending == DERIVE:
            pending = self._pending_at_least(DERIVE)
        store = self.backend.store
        drop = list(drop or [])
        if self.backend.path is None:
            ops = [f"DROP SILENT GRAPH <{g}>" for g in [*drop, *names]]
            if ops:
                store.update(" ;\n".join(ops))
            store.bulk_extend(_quads_of(stage, names))
            store.update(" ;\n".join(self._status_ops(pending, ontology)))
            return set(names)
        bulk = [g for g in names if g not in drop and not has_quads(store, g)]
        if bulk:
            store.update(" ;\n".join(self._status_ops(LOAD, graphs=bulk)))
            self.flush()
            kill_point("load-marked")
            store.bulk_extend(_quads_of(stage, bulk))  # one call: each costs a few SST files
            self.flush()
            kill_point("load-bulked")
        rest = [g for g in names if g not in bulk]
        ops = [f"DROP SILENT GRAPH <{g}>" for g in [*drop, *rest]]
        insert = insert_data(stage, rest)
        if insert:
            ops.append(insert)
        store.update(" ;\n".join([*ops, *self._status_ops(pending, ontology)]))
        self.flush()
        return set(bulk)

    def _rollback_load(self) -> None:
        """Undo an interrupted bulk write of new source graphs (status ``load``): drop exactly
        the graphs it listed, which the store did not hold before, and leave the derived graph
        to be rebuilt (pending ``derive``)."""
        st = self.status()
        if st.pending != LOAD:
            return
        for g in st.pending_graphs:
            self.backend.update(f"DROP SILENT GRAPH {term_to_sparql(URIRef(g))}")
        self.backend.update(" ;\n".join(self._status_ops(DERIVE)))
        self.flush()

    # -- the store's status --------------------------------------------------------
    def status(self) -> StoreStatus:
        """The status graph as a :class:`StoreStatus` (a store without one is complete, v0)."""
        values: dict[str, str] = {}
        versions = [0]
        graphs: list[str] = []
        for p, o in sorted(self.backend.select(_Q_STATUS).rows):
            name = str(p)[len(str(OKG)) :]
            if name == "pendingGraph":
                graphs.append(str(o))
            elif name == "storeVersion":
                try:
                    versions.append(int(str(o)))
                except ValueError:
                    pass
            elif name == "storeState" and values.get(name) == str(OKG.incomplete):
                pass  # two states (a foreign status graph): incomplete wins
            else:
                values[name] = str(o)
        state = values.get("storeState", str(OKG.complete))
        version = max(versions)
        return StoreStatus(
            state="complete" if state == str(OKG.complete) else "incomplete",
            version=version,
            store_id=values.get("storeId"),
            pending=values.get("pendingOperation"),
            ontology=values.get("ontologyDigest"),
            pending_graphs=tuple(graphs),
        )

    def _pending_at_least(self, what: str) -> str:
        """A bulk load still pending outranks a derive: only its own end completes it."""
        return BULK if self.status().pending == BULK else what

    def _status_ops(
        self, pending: str | None, ontology=_KEEP, graphs: Iterable[str] = ()
    ) -> list[str]:
        """SPARQL Update operations rewriting the status graph: version + 1, *pending* (None
        means complete) and the *graphs* it writes; our own values, written escaped."""
        old = self.status()
        values: list[tuple[URIRef, Node]] = [
            (OKG.storeState, OKG.incomplete if pending else OKG.complete),
            (OKG.storeVersion, Literal(old.version + 1)),
            (OKG.storeId, Literal(old.store_id or uuid.uuid4().hex)),
        ]
        if pending:
            values.append((OKG.pendingOperation, Literal(pending)))
            values += [(OKG.pendingGraph, URIRef(g)) for g in graphs]
        digest = old.ontology if ontology is _KEEP else ontology
        if digest:
            values.append((OKG.ontologyDigest, Literal(digest)))
        body = " ".join(
            f"{term_to_sparql(STORE_NODE)} {term_to_sparql(p)} {term_to_sparql(o)} ."
            for p, o in values
        )
        return [
            f"DROP SILENT GRAPH <{STATUS_GRAPH}>",
            f"INSERT DATA {{ GRAPH <{STATUS_GRAPH}> {{ {body} }} }}",
        ]

    def mark_complete(self) -> None:
        """Record that every step of the last write finished (bumps the version)."""
        self.backend.update(" ;\n".join(self._status_ops(None)))
        self.flush()

    def mark_incomplete(self, pending: str) -> None:
        """Record that a write of several steps (*pending*) starts (bumps the version)."""
        self.backend.update(" ;\n".join(self._status_ops(pending)))
        self.flush()

    def _add(self, graph: URIRef, triples: Graph) -> None:
        ds = Dataset()
        target = ds.graph(graph)
        for t in triples:
            target.add(t)
        self.backend.add_nquads(ds.serialize(format="nquads").encode("utf-8"))

    def _replace(
        self,
        graphs: dict[URIRef, Graph],
        drop: list[URIRef] | None = None,
        pending: str | None = DERIVE,
        ontology=_KEEP,
    ) -> None:
        """Replace *graphs*, drop *drop* and mark the store *pending*: one transaction.

        Facts or ontology changed, so the derived graph is stale: *pending* defaults to
        ``derive`` (a pending bulk load is kept).
        """
        if pending == DERIVE:
            pending = self._pending_at_least(DERIVE)
        self.backend.replace(
            [str(iri) for iri in drop or []],
            {str(iri): g for iri, g in graphs.items()},
            self._status_ops(pending, ontology),
        )
        self.flush()

    def flush(self) -> None:
        flush = getattr(self.backend, "flush", None)
        if flush:
            flush()

    # -- inspecting --------------------------------------------------------------
    def graph_names(self) -> list[str]:
        rows = self.backend.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(str(r[0]) for r in rows.rows if str(r[0]) != str(STATUS_GRAPH))

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
            "graphs": [(str(g), int(n)) for g, n in per_graph.rows if g != STATUS_GRAPH],
            "classes": [(self.voc.qname(c), int(n)) for c, n in per_class.rows],
        }

    def export(self, fmt: str) -> bytes:
        """The whole store as trig, nquads, jsonld (named graphs kept) or turtle, ntriples (merged).

        The status graph is the store's own bookkeeping and is left out."""
        return self.backend.dump(fmt, exclude=(str(STATUS_GRAPH),))

    def dataset(self) -> Dataset:
        """A copy of the store as an rdflib Dataset (named graphs kept, status graph left out)."""
        ds = Dataset()
        ds.parse(data=self.export("nquads"), format="nquads")
        return ds
