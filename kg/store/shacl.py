"""SHACL validation (pyshacl) of sources before they are written; violations keep file and line."""

from __future__ import annotations

from okg.loaders.errors import FactError
from okg.loaders.facts import SourceBundle
from okg.terms.namespaces import OKG
from okg.terms.resources import ontology_dir
from okg.terms.vocabulary import Vocabulary
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS, SH


def shapes_graph(voc: Vocabulary) -> Graph:
    """Core shapes plus every shape declared in a sector module."""
    g = Graph()
    g.parse(ontology_dir() / "shapes.ttl", format="turtle")
    for m in voc.modules.values():
        mg = Graph()
        mg.parse(m.path, format="turtle")
        if any(mg.subjects(RDF.type, SH.NodeShape)):
            g += mg
    return g


def super_property_closure(data: Graph, voc: Vocabulary) -> Graph:
    """The triples ``s super o`` for each ``s p o`` of *data* and each super-property of ``p``.

    The same entailment as queries/derive/20_subproperties.rq, so that core shapes (a contract
    has one okg:client) hold for data written with a sector's sub-property (auto:buyer).

    >>> from rdflib import Graph
    >>> from okg.loaders import load_vocabulary
    >>> len(super_property_closure(Graph(), load_vocabulary()))
    0
    """
    out = Graph()
    supers: dict[URIRef, list[URIRef]] = {}
    for s, p, o in data:
        if p not in supers:
            supers[p] = [
                q
                for q in voc.graph.transitive_objects(p, RDFS.subPropertyOf)
                if q != p and isinstance(q, URIRef)
            ]
        for q in supers[p]:
            out.add((s, q, o))
    return out


def validate(data: Graph, voc: Vocabulary) -> list[tuple[URIRef, str, str]]:
    """(focus node, path, message) for each violation of *data* (merged with the ontology)."""
    from pyshacl import validate as shacl_validate

    merged = Graph()
    merged += voc.graph
    merged += data
    merged += super_property_closure(data, voc)
    conforms, report, _ = shacl_validate(
        merged, shacl_graph=shapes_graph(voc), inference="none", advanced=True, allow_warnings=True
    )
    if conforms:
        return []
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        if report.value(result, SH.resultSeverity) != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        msg = report.value(result, SH.resultMessage)
        out.append((focus, voc.qname(path) if path is not None else "", str(msg)))
    return out


def check_bundles(
    bundles: list[SourceBundle], voc: Vocabulary, engine: str = "pyshacl", store=None
) -> list[FactError]:
    """SHACL-check the sources of one load together; each violation names its file and line.

    *engine* ``pyshacl`` runs pyshacl; ``engine`` runs the same shapes compiled to SPARQL in
    Oxigraph (okg.store.shapes_sparql, tested equal to pyshacl on the okg shapes), over
    *store* when given (an in-memory pyoxigraph store holding exactly these sources, each in
    its named graph, as ``KnowledgeGraph.load`` stages them), else over a store made here."""
    if engine == "engine":
        from okg.store.shapes_sparql import validate_store

        if store is None:
            import pyoxigraph as ox
            from okg.store.backends import OxTerms

            store, terms = ox.Store(), OxTerms()
            for b in bundles:
                store.bulk_extend(terms.quads(b.graph, str(b.graph_iri or "urn:okg:check:data")))
        found = validate_store(store, voc)
    else:
        data = Graph()
        for b in bundles:
            data += b.graph
        found = validate(data, voc)
    return locate(found, bundles, voc)


def locate(
    found: list[tuple[URIRef, str, str]], bundles: list[SourceBundle], voc: Vocabulary
) -> list[FactError]:
    """Each (focus, path, message) as a FactError naming the file and line of the record that
    holds the focus node (or the record whose IRI it extends: a record's figure) and the
    fact-file key of the path."""
    if not found:
        return []
    owner: dict[URIRef, SourceBundle] = {}
    for b in bundles:
        for s in b.graph.subjects():
            owner.setdefault(s, b)
    errors = []
    for focus, path, msg in found:
        node, b, line = focus, None, None
        while True:  # the focus, else the nearest record whose IRI it extends, with a line
            if node in owner:
                b = b or owner[node]
                line = owner[node].graph.value(node, OKG.line)
                if line is not None:
                    b = owner[node]
                    break
            if "/" not in str(node):
                break
            node = URIRef(str(node).rsplit("/", 1)[0])
        field = path.split(":", 1)[-1] if path else None
        key = voc.properties.get(voc.expand(path)) if path and ":" in path else None
        errors.append(
            FactError(
                b.file if b else "<graph>",
                int(line) if line is not None else None,
                key.key if key else field,
                f"{msg} (SHACL, {voc.qname(focus)})",
            )
        )
    return errors
