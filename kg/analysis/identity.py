"""Same identifier, two actors: records that name one actor under two ids.

An identifier node is minted from its scheme and notation (:mod:`okg.terms.identifiers`), and a
Wikidata item is one IRI, so two records with the same LEI, SIREN, KBO, ICE, OpenCorporates or
Wikidata identifier point at the same node. :func:`find_shared_identifiers` lists every such
pair of distinct actors with the sources that describe each; ``okg check`` reports them, since
two sources that spell a firm differently should say so (same ``id``) or be told.

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> find_shared_identifiers(kg)
[]
"""

from __future__ import annotations

from dataclasses import dataclass

from okg.analysis.projection import select
from okg.figures.claims import source_id_of_graph
from okg.store import KnowledgeGraph

Q_SHARED = """
PREFIX adms: <http://www.w3.org/ns/adms#>
SELECT DISTINCT ?scheme ?notation ?a ?b ?ga ?gb WHERE {
  {
    GRAPH ?ga { ?a adms:identifier ?id }
    GRAPH ?gb { ?b adms:identifier ?id }
    ?id okg:scheme ?scheme ; skos:notation ?notation .
  } UNION {
    GRAPH ?ga { ?a owl:sameAs ?id }
    GRAPH ?gb { ?b owl:sameAs ?id }
    FILTER(STRSTARTS(STR(?id), "http://www.wikidata.org/entity/"))
    BIND(okg:Wikidata AS ?scheme)
    BIND(STRAFTER(STR(?id), "http://www.wikidata.org/entity/") AS ?notation)
  }
  FILTER(STR(?a) < STR(?b))
}
ORDER BY ?scheme ?notation ?a ?b
"""


@dataclass(frozen=True)
class SharedIdentifier:
    """Two actors (IRIs) with one identifier, and the sources that describe each."""

    scheme: str  # local name of the scheme: LEI, SIREN, Wikidata...
    notation: str
    first: str
    second: str
    first_sources: tuple[str, ...]
    second_sources: tuple[str, ...]

    def line(self, label=lambda iri: iri) -> str:
        def who(iri: str, sources: tuple[str, ...]) -> str:
            return f"{label(iri)} ({', '.join(sources) or 'no source'})"

        return (
            f"{self.scheme} {self.notation} is held by two actors: "
            f"{who(self.first, self.first_sources)} and {who(self.second, self.second_sources)}; "
            "give them one id, or correct the identifier"
        )


def find_shared_identifiers(kg: KnowledgeGraph) -> list[SharedIdentifier]:
    """Every pair of distinct actors sharing an identifier, sorted by scheme and notation."""
    pairs: dict[tuple[str, str, str, str], tuple[set[str], set[str]]] = {}
    for scheme, notation, a, b, ga, gb in select(kg, Q_SHARED):
        key = (str(scheme).rsplit("#", 1)[-1], str(notation), str(a), str(b))
        sa, sb = pairs.setdefault(key, (set(), set()))
        for graph, sources in ((ga, sa), (gb, sb)):
            src = source_id_of_graph(str(graph))
            if src is not None:
                sources.add(src)
    return [
        SharedIdentifier(scheme, notation, a, b, tuple(sorted(sa)), tuple(sorted(sb)))
        for (scheme, notation, a, b), (sa, sb) in sorted(pairs.items())
    ]


def shared_identifier_lines(kg: KnowledgeGraph, lang: str = "en") -> list[str]:
    """One line per shared identifier, actors named by their label (for ``okg check``)."""
    from rdflib import URIRef

    return [s.line(lambda iri: kg.label(URIRef(iri), lang)) for s in find_shared_identifiers(kg)]
