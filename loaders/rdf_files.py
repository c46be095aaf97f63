"""Plain RDF input (Turtle, N-Triples, JSON-LD, RDF/XML): each file is its own source graph.

The file's triples go to the named graph of a source whose id is the file name (slugged); an
okg:Source node is added when the file does not describe one. Parse errors name the line.
"""

from __future__ import annotations

import re
from pathlib import Path

from okg.loaders.errors import ErrorSink
from okg.loaders.facts import SourceBundle
from okg.loaders.registry import Pending, register
from okg.terms.namespaces import OKG, source_node
from okg.terms.vocabulary import Vocabulary
from rdflib import Graph, Literal
from rdflib.namespace import DCTERMS, RDF

FORMATS = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".jsonld": "json-ld",
    ".json": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "rdf"


def _read(path: Path, fmt: str) -> Pending:
    sink = ErrorSink(str(path))
    bundle = SourceBundle(file=str(path), source_id=slug(path.stem))
    g = Graph()
    try:
        g.parse(path, format=fmt)
    except Exception as exc:  # rdflib's parsers raise many types; all mean "cannot parse"
        msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        m = re.search(r"line (\d+)", str(exc))
        sink.add(int(m.group(1)) if m else None, None, f"not valid {fmt}: {msg}")
    if not sink:
        src = source_node(bundle.source_id)
        if not any(g.subjects(RDF.type, OKG.Source)):
            g.add((src, RDF.type, OKG.Source))
            g.add((src, DCTERMS.title, Literal(path.name)))
        g.add((src, OKG.factFile, Literal(path.name)))
        bundle.graph = g
    bundle.errors = list(sink.errors)
    return Pending(bundle, lambda batch, resolver: None)


def _make(ext: str, fmt: str):
    def read(path: Path, voc: Vocabulary) -> Pending:
        return _read(path, fmt)

    register(f"rdf-{fmt}", (ext,), f"RDF ({fmt}) into one source graph")(read)


for _ext, _fmt in FORMATS.items():
    _make(_ext, _fmt)
