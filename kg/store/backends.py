"""Storage engines behind the knowledge graph: pyoxigraph (default) and rdflib (reference).

Both offer the same five operations, with rdflib terms at the boundary: ``update``, ``select``,
``construct``, ``add_nquads`` and ``dump``. Queries see the union of all named graphs as their
default graph, as an Oxigraph server started with ``--union-default-graph`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pyoxigraph as ox
from okg.store.sparql import Rows
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node


class Backend(Protocol):
    name: str

    def update(self, sparql: str) -> None: ...
    def select(self, sparql: str) -> Rows: ...
    def ask(self, sparql: str) -> bool: ...
    def construct(self, sparql: str) -> Graph: ...
    def add_nquads(self, data: bytes) -> None: ...
    def dump(self, fmt: str) -> bytes: ...
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


class OxigraphBackend:
    """pyoxigraph Store, on disk (RocksDB) when *path* is given, else in memory."""

    name = "oxigraph"

    def __init__(self, path: Path | None = None, read_only: bool = False):
        self.path = path
        self.read_only = read_only
        if path is not None:
            if not read_only:
                Path(path).mkdir(parents=True, exist_ok=True)
            try:
                self.store = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
            except OSError as exc:
                raise OSError(f"cannot open the store at {path}: {exc}") from None
        else:
            self.store = ox.Store()

    def update(self, sparql: str) -> None:
        self.store.update(sparql)

    def select(self, sparql: str) -> Rows:
        res = self.store.query(sparql, use_default_graph_as_union=True)
        cols = [v.value for v in res.variables]
        rows = [tuple(_to_rdflib(sol[c]) for c in cols) for sol in res]
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

    def dump(self, fmt: str) -> bytes:
        if fmt in DATASET_FORMATS:
            return self.store.dump(format=OX_FORMATS[fmt])
        union = ox.Store()
        for q in self.store:
            union.add(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()))
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

    def dump(self, fmt: str) -> bytes:
        names = {
            "trig": "trig",
            "nquads": "nquads",
            "turtle": "turtle",
            "ntriples": "nt",
            "jsonld": "json-ld",
        }
        if fmt in DATASET_FORMATS:
            return self.ds.serialize(format=names[fmt]).encode()
        g = Graph()
        for s, p, o, _ in self.ds.quads():
            g.add((s, p, o))
        return g.serialize(format=names[fmt]).encode()

    def count(self) -> int:
        return sum(1 for _ in self.ds.quads())

    def flush(self) -> None:
        pass
