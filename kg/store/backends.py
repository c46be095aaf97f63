"""Storage engines behind the knowledge graph: pyoxigraph (default) and rdflib (reference).

Both offer the same operations, with rdflib terms at the boundary: ``update``, ``select``,
``construct``, ``add_nquads``, ``replace`` and ``dump``. Queries see the union of all named graphs
as their default graph, as an Oxigraph server started with ``--union-default-graph`` does.

``replace`` is the one write that must never be seen half done: on Oxigraph the graphs to drop,
the new quads and the status update go into ONE SPARQL Update request, which Oxigraph applies in
one transaction (measured: ``kill -9`` at 0.5-3.5 s into a 100,000-quad DROP + INSERT DATA on
disk always left the whole old graph, never a mix; see docs/reliability.md).

An on-disk store has one writer at a time (RocksDB's lock). A writer records who it is in
``okg-writer.json`` beside the data; a second writer waits up to ``$OKG_LOCK_WAIT`` seconds
(default 10) for the lock and then stops with one line naming the holder. Readers
(``read_only=True``) take no lock and see the store as it was when they opened it.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from okg.store.sparql import Rows, term_to_sparql
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node


class Backend(Protocol):
    name: str

    def update(self, sparql: str) -> None: ...
    def select(self, sparql: str) -> Rows: ...
    def ask(self, sparql: str) -> bool: ...
    def construct(self, sparql: str) -> Graph: ...
    def add_nquads(self, data: bytes) -> None: ...
    def replace(self, drop: list[str], graphs: dict[str, Graph], status: list[str]) -> None: ...
    def dump(self, fmt: str, exclude: tuple[str, ...] = ()) -> bytes: ...
    def count(self) -> int: ...


def _to_rdflib(t) -> Node | None:
    if t is None:
        return None
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    raise TypeError(f"unsupported term {t!r}")


OX_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
}
DATASET_FORMATS = {"trig", "nquads", "jsonld"}
WRITER_FILE = "okg-writer.json"
LOCK_WAIT_ENV = "OKG_LOCK_WAIT"


class StoreBusyError(OSError):
    """Another process holds the store's write lock (and kept it for the whole wait)."""


def _lock_wait() -> float:
    raw = os.environ.get(LOCK_WAIT_ENV, "").strip()
    try:
        return max(0.0, float(raw)) if raw else 10.0
    except ValueError:
        return 10.0


def _holder(path: Path) -> str:
    """Who holds the store, as its writer file says (pid, command, since when)."""
    try:
        info = json.loads((path / WRITER_FILE).read_text(encoding="utf-8"))
        since = time.strftime("%H:%M:%S", time.localtime(float(info["since"])))
        return f"pid {int(info['pid'])}, `{info['command']}`, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "another process"


def live_writer(path: Path) -> str | None:
    """The holder (as :func:`_holder` names it) when the writer file names a live process
    other than this one; ``None`` when no one, or a process that died (``kill -9``), writes."""
    try:
        pid = int(json.loads((Path(path) / WRITER_FILE).read_text(encoding="utf-8"))["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if pid == os.getpid():
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except OSError:
        pass  # alive, owned by someone else
    return _holder(Path(path))


def lock_wait() -> float:
    """Seconds a command waits for another writer (``$OKG_LOCK_WAIT``, default 10)."""
    return _lock_wait()


def _is_lock_error(exc: OSError) -> bool:
    text = str(exc)
    return "LOCK" in text or "lock" in text


def _open_writer(path: Path) -> ox.Store:
    deadline = time.monotonic() + _lock_wait()
    while True:
        try:
            store = ox.Store(str(path))
            break
        except OSError as exc:
            if not _is_lock_error(exc):
                raise OSError(f"cannot open the store at {path}: {exc}") from None
            if time.monotonic() >= deadline:
                raise StoreBusyError(
                    f"the store at {path} is being written by {_holder(path)}; "
                    f"still busy after {_lock_wait():g} s (${LOCK_WAIT_ENV}): try again when it "
                    "ends (read commands work meanwhile)"
                ) from None
            time.sleep(0.2)
    try:
        command = " ".join(["okg", *sys.argv[1:2]]) if sys.argv else "okg"
        info = {"pid": os.getpid(), "command": command, "since": time.time()}
        tmp = path / f".{WRITER_FILE}.{os.getpid()}"
        tmp.write_text(json.dumps(info), encoding="utf-8")
        os.replace(tmp, path / WRITER_FILE)
    except OSError:
        pass
    return store


class OxTerms:
    """rdflib terms to pyoxigraph terms, each distinct term converted once (IRIs and literals
    repeat: a fact file names its source, its classes and its countries on every record).

    Blank nodes become fresh pyoxigraph blank nodes, the same one for the same rdflib node.

    >>> from rdflib import BNode, Graph, Literal, URIRef
    >>> g = Graph()
    >>> b = BNode()
    >>> _ = g.add((URIRef("http://x/a"), URIRef("http://x/p"), Literal("1", datatype=URIRef(
    ...     "http://www.w3.org/2001/XMLSchema#integer"))))
    >>> _ = g.add((b, URIRef("http://x/p"), Literal("x", lang="fr")))
    >>> _ = g.add((b, URIRef("http://x/q"), Literal("y")))
    >>> quads = OxTerms().quads(g, "http://x/g")
    >>> sorted(str(q.object) for q in quads)
    ['"1"^^<http://www.w3.org/2001/XMLSchema#integer>', '"x"@fr', '"y"']
    >>> len({q.subject for q in quads if isinstance(q.subject, ox.BlankNode)})
    1
    """

    def __init__(self):
        self.cache: dict = {}

    def term(self, t):
        x = self.cache.get(t)
        if x is None:
            if isinstance(t, URIRef):
                x = ox.NamedNode(t)
            elif isinstance(t, Literal):
                if t.language:
                    x = ox.Literal(str(t), language=t.language)
                elif t.datatype is not None:
                    x = ox.Literal(str(t), datatype=ox.NamedNode(t.datatype))
                else:
                    x = ox.Literal(str(t))
            elif isinstance(t, BNode):
                x = ox.BlankNode()
            else:
                raise TypeError(f"unsupported term {t!r}")
            self.cache[t] = x
        return x

    def quads(self, graph: Graph, name: str | None) -> list[ox.Quad]:
        """The triples of *graph* as quads of the named graph *name* (None: the default graph)."""
        c = self.term
        g = ox.NamedNode(name) if name else ox.DefaultGraph()
        return [ox.Quad(c(s), c(p), c(o), g) for s, p, o in graph]


def has_quads(store: ox.Store, graph: str) -> bool:
    """Whether the named graph *graph* holds at least one quad."""
    return (
        next(iter(store.quads_for_pattern(None, None, None, ox.NamedNode(graph))), None) is not None
    )


def insert_data(store: ox.Store, graphs: list[str]) -> str:
    """A SPARQL ``INSERT DATA`` of the named graphs *graphs* of the in-memory *store*, written by
    Oxigraph's own N-Triples serialiser (escaped as SPARQL reads it); '' when they are empty."""
    blocks = []
    for g in graphs:
        body = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(g))
        if body:
            blocks.append(f"GRAPH <{g}> {{\n{body.decode('utf-8')}}}")
    return "INSERT DATA {\n" + "\n".join(blocks) + "\n}" if blocks else ""


def _serialize(quads, fmt: str) -> bytes:
    return ox.serialize(quads, format=OX_FORMATS[fmt]) or b""


class OxigraphBackend:
    """pyoxigraph Store, on disk (RocksDB) when *path* is given, else in memory."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        if path is not None:
            if not read_only:
                Path(path).mkdir(parents=True, exist_ok=True)
            if read_only:
                try:
                    self.store = ox.Store.read_only(str(path))
                except OSError as exc:
                    raise OSError(f"cannot open the store at {path}: {exc}") from None
            else:
                self.store = _open_writer(Path(path))
        else:
            self.store = ox.Store()

    def update(self, sparql: str) -> None:
        self.store.update(sparql)

    def select(self, sparql: str) -> Rows:
        res = self.store.query(sparql, use_default_graph_as_union=True)
        cols = [v.value for v in res.variables]
        made: dict = {}  # each distinct term made once: answers repeat IRIs row after row

        def term(t):
            if t is None:
                return None
            found = made.get(t)
            if found is None:
                found = made[t] = _to_rdflib(t)
            return found

        rows = [tuple(term(sol[c]) for c in cols) for sol in res]
        return Rows(cols, rows)

    def ask(self, sparql: str) -> bool:
        return bool(self.store.query(sparql, use_default_graph_as_union=True))

    def construct(self, sparql: str) -> Graph:
        g = Graph()
        for t in self.store.query(sparql, use_default_graph_as_union=True):
            g.add((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)))
        return g

    def add_nquads(self, data: bytes) -> None:
        self.store.load(data, format=ox.RdfFormat.N_QUADS)

    def replace(self, drop: list[str], graphs: dict[str, Graph], status: list[str]) -> None:
        """Drop *drop* and *graphs*, add *graphs* and run the *status* operations: one SPARQL
        Update, so one transaction. Terms are written escaped (``term_to_sparql``); the update
        parser has no 16 MiB term limit (the N-Quads parser has)."""
        ops = [f"DROP SILENT GRAPH <{g}>" for g in [*drop, *graphs]]
        bnodes: dict[BNode, str] = {}

        def term(t) -> str:
            if isinstance(t, BNode):
                return bnodes.setdefault(t, f"_:b{len(bnodes)}")
            return term_to_sparql(t)

        blocks = []
        for g, triples in graphs.items():
            if len(triples):
                body = "\n".join(f"{term(s)} {term(p)} {term(o)} ." for s, p, o in triples)
                blocks.append(f"GRAPH {term_to_sparql(URIRef(g))} {{\n{body}\n}}")
        if blocks:
            ops.append("INSERT DATA {\n" + "\n".join(blocks) + "\n}")
        ops += status
        if ops:
            self.store.update(" ;\n".join(ops))

    def dump(self, fmt: str, exclude: tuple[str, ...] = ()) -> bytes:
        skip = {ox.NamedNode(g) for g in exclude}
        if fmt in DATASET_FORMATS:
            if not skip:
                return self.store.dump(format=OX_FORMATS[fmt])
            return _serialize((q for q in self.store if q.graph_name not in skip), fmt)
        union = ox.Store()
        union.extend(
            ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph())
            for q in self.store
            if q.graph_name not in skip
        )
        return union.dump(format=OX_FORMATS[fmt], from_graph=ox.DefaultGraph())

    def count(self) -> int:
        return len(self.store)

    def flush(self) -> None:
        if self.path is not None and self.store is not None and not self.read_only:
            self.store.flush()

    def close(self) -> None:
        """Drop the store object so that RocksDB releases its lock (pyoxigraph has no close())."""
        if self.store is not None:
            self.flush()
            if self.path is not None and not self.read_only:
                try:
                    info = json.loads((Path(self.path) / WRITER_FILE).read_text(encoding="utf-8"))
                    if info.get("pid") == os.getpid():
                        (Path(self.path) / WRITER_FILE).unlink()
                except (OSError, ValueError, AttributeError):
                    pass
            self.store = None


class RdflibBackend:
    """rdflib's in-memory Dataset: the slow, well-known reference implementation."""

    name = "rdflib"

    def __init__(self):
        self.ds = Dataset(default_union=True)

    def update(self, sparql: str) -> None:
        self.ds.update(sparql)

    def select(self, sparql: str) -> Rows:
        res = self.ds.query(sparql)
        cols = [str(v) for v in res.vars]
        return Rows(cols, [tuple(r) for r in res])

    def ask(self, sparql: str) -> bool:
        return bool(self.ds.query(sparql).askAnswer)

    def construct(self, sparql: str) -> Graph:
        g = Graph()
        for t in self.ds.query(sparql):
            g.add(t)
        return g

    def add_nquads(self, data: bytes) -> None:
        self.ds.parse(data=data, format="nquads")

    def replace(self, drop: list[str], graphs: dict[str, Graph], status: list[str]) -> None:
        """In memory only, so not one transaction: drop, add, then the status operations."""
        for g in [*drop, *graphs]:
            self.ds.update(f"DROP SILENT GRAPH <{g}>")
        for g, triples in graphs.items():
            target = self.ds.graph(URIRef(g))
            for t in triples:
                target.add(t)
        if status:
            self.ds.update(" ;\n".join(status))

    def dump(self, fmt: str, exclude: tuple[str, ...] = ()) -> bytes:
        names = {
            "trig": "trig",
            "nquads": "nquads",
            "turtle": "turtle",
            "ntriples": "nt",
            "jsonld": "json-ld",
        }
        skip = {URIRef(g) for g in exclude}
        if fmt in DATASET_FORMATS:
            if not skip:
                return self.ds.serialize(format=names[fmt]).encode()
            ds = Dataset()
            for s, p, o, c in self.ds.quads():
                name = getattr(c, "identifier", c)
                if name not in skip:
                    ds.graph(name).add((s, p, o))
            return ds.serialize(format=names[fmt]).encode()
        g = Graph()
        for s, p, o, c in self.ds.quads():
            if getattr(c, "identifier", c) not in skip:
                g.add((s, p, o))
        return g.serialize(format=names[fmt]).encode()

    def count(self) -> int:
        return sum(1 for _ in self.ds.quads())

    def flush(self) -> None:
        pass
