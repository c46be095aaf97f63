"""Consistency check with owlready2's HermiT reasoner (on the machine's Java).

owlready2 reads N-Triples, not Turtle, and HermiT rejects ``xsd:date`` and ``rdf:langString``
(they are not in the OWL 2 datatype map), so the graph is handed over as N-Triples with dates
written as ``xsd:dateTime`` and language-tagged ranges as ``rdf:PlainLiteral``. When HermiT
finds the graph inconsistent, the individuals that belong to two disjoint classes are named.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

PLAIN_LITERAL = URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#PlainLiteral")


JAVA_HINT = (
    "Java is needed for the HermiT reasoner (install a Java runtime, e.g. "
    "openjdk-17-jre-headless); --no-reasoner skips it"
)


class JavaMissingError(RuntimeError):
    """No Java runtime to run HermiT on; the message says so and how to skip the reasoner."""

    def __init__(self, detail: str = ""):
        super().__init__(JAVA_HINT + (f" ({detail})" if detail else ""))


def java_executable() -> str | None:
    """The Java that owlready2 will run (its ``JAVA_EXE``, found on $PATH), or None.

    >>> java_executable() is None or java_executable().endswith(("java", "java.exe"))
    True
    """
    import owlready2

    exe = getattr(owlready2, "JAVA_EXE", None) or "java"
    return shutil.which(exe)


@dataclass
class ConsistencyReport:
    consistent: bool
    offenders: list[str] = field(default_factory=list)
    message: str = ""


def owl_compatible(graph: Graph) -> Graph:
    """A copy of *graph* HermiT accepts: dateTimes for dates, PlainLiteral for langString, no imports.

    The reference individuals (countries, markets, languages, NACE sectors: ~1,700 of them)
    that no other triple refers to are left out: they cost HermiT four times its run on the
    bundled data (12 s of CPU instead of 2 s) and, unreferenced, cannot take part in an
    inconsistency of the data. tests/test_reference.py checks them once, all together.
    """
    okg = "https://w3id.org/okg/ontology#"
    listed = [URIRef(okg + c) for c in ("Country", "Market", "Language", "Sector")]
    reference = {s for c in listed for s in graph.subjects(RDF.type, c)}
    kept = {o for s, _p, o in graph if o in reference and s not in reference}
    todo = list(kept)
    while todo:  # and what the kept ones point to: a market's country, a sector's broader
        for o in graph.objects(todo.pop(), None):
            if o in reference and o not in kept:
                kept.add(o)
                todo.append(o)
    unused = reference - kept
    out = Graph()
    for s, p, o in graph:
        if p == OWL.imports:  # everything imported is already in the graph; never fetch
            continue
        if s in unused or o in unused:
            continue
        if isinstance(o, Literal) and o.datatype == XSD.date:
            o = Literal(f"{o}T00:00:00", datatype=XSD.dateTime)
        elif o == XSD.date:
            o = XSD.dateTime
        elif o == RDF.langString:
            o = PLAIN_LITERAL
        out.add((s, p, o))
    return out


def disjoint_offenders(graph: Graph) -> list[str]:
    """Individuals typed (through rdfs:subClassOf) with two classes declared disjoint."""
    pairs: set[tuple[URIRef, URIRef]] = set()
    for a, b in graph.subject_objects(OWL.disjointWith):
        pairs.add((a, b))
    for node in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = list(Collection(graph, graph.value(node, OWL.members)))
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                pairs.add((a, b))

    supers: dict[URIRef, set[URIRef]] = {}

    def closure(c: URIRef) -> set[URIRef]:
        if c not in supers:
            seen, todo = {c}, [c]
            while todo:
                for s in graph.objects(todo.pop(), RDFS.subClassOf):
                    if s not in seen:
                        seen.add(s)
                        todo.append(s)
            supers[c] = seen
        return supers[c]

    offenders = []
    for ind in sorted(set(graph.subjects(RDF.type, None))):
        asserted = set(graph.objects(ind, RDF.type))
        types = set()
        for t in asserted:
            types |= closure(t)
        for a, b in sorted(pairs):
            if a in types and b in types:
                typed = ", ".join(sorted(_qname(t) for t in asserted if t != OWL.NamedIndividual))
                offenders.append(
                    f"{_qname(ind)} is typed {typed}, but {_qname(a)} and {_qname(b)} are disjoint"
                )
    return sorted(set(offenders))


def _qname(iri) -> str:
    from okg.terms.namespaces import PREFIXES

    s = str(iri)
    for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(str(kv[1]))):
        if s.startswith(str(ns)):
            return f"{p}:{s[len(str(ns)) :]}"
    return f"<{s}>"


def check_consistency(graph: Graph) -> ConsistencyReport:
    """Run HermiT on *graph* (ontology plus data).

    Raises :class:`JavaMissingError` when there is no Java (before any work), RuntimeError when
    Java is there but HermiT cannot run on it.
    """
    import owlready2

    if java_executable() is None:
        raise JavaMissingError()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "graph.nt"
        owl_compatible(graph).serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        onto = world.get_ontology(path.as_uri()).load(format="ntriples")
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            offenders = disjoint_offenders(graph)
            msg = "HermiT: the ontology and data are inconsistent"
            if offenders:
                msg += "; " + "; ".join(offenders)
            return ConsistencyReport(False, offenders, msg)
        except FileNotFoundError as exc:  # Java vanished between the check and the run
            raise JavaMissingError(str(exc)) from None
        except owlready2.OwlReadyJavaError as exc:
            raise RuntimeError(
                f"HermiT could not run on Java: {str(exc).strip().splitlines()[-1]}"
            ) from None
        finally:
            world.close()
    return ConsistencyReport(True, [], "HermiT: consistent")
