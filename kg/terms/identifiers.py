"""External identifiers of actors: schemes read from the ontology, check digits by name.

The schemes are data (``ontology/core.ttl``, block "reference lists and identifiers"): each
fact-file key such as ``lei`` is a property annotated with its ``okg:identifierScheme``, and the
scheme individual gives the notation pattern (``okg:notationPattern``), the format told to the
user (``okg:notationFormat``), the scheme agency (``adms:schemeAgency``), optionally the name of
a check-digit rule (``okg:checkDigits``) and, for Wikidata, the namespace of ``owl:sameAs``
(``okg:sameAsNamespace``). The only Python here is the check-digit rules, registered by name in
:data:`CHECK_DIGITS`; a scheme naming a rule that is not registered is refused when read.

A value becomes, for a scheme with a same-as namespace::

    <actor> owl:sameAs <http://www.wikidata.org/entity/Q2841> .

and otherwise an identifier node whose IRI is made of the scheme and the notation, so that two
actors with the same identifier share the node::

    <actor> adms:identifier <https://w3id.org/okg/id/identifier/lei/529900T8BM49AURSDO55> .
    <…/identifier/lei/529900T8BM49AURSDO55> a adms:Identifier ; okg:scheme okg:LEI ;
        skos:notation "529900T8BM49AURSDO55" ; adms:schemeAgency "GLEIF" .

>>> check_lei("529900T8BM49AURSDO55"), check_lei("529900T8BM49AURSDO56")
(True, False)
>>> luhn("732829320"), luhn("732829321")
(True, False)
>>> mod97_be("0403170701"), mod97_be("0403170702")
(True, False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from okg.terms.namespaces import OKG, OKGD
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ADMS = Namespace("http://www.w3.org/ns/adms#")


# -- check-digit rules -----------------------------------------------------------------------


def check_lei(code: str) -> bool:
    """ISO 17442 check digits: ISO 7064 MOD 97-10 over the 20 characters (letters A=10 … Z=35)."""
    if not re.fullmatch(r"[0-9A-Z]{20}", code):
        return False
    return int("".join(str(int(ch, 36)) for ch in code)) % 97 == 1


def luhn(code: str) -> bool:
    """The Luhn rule (SIREN): double every second digit from the right; the sum is 0 mod 10."""
    if not code.isdigit():
        return False
    total = 0
    for i, ch in enumerate(reversed(code)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def mod97_be(code: str) -> bool:
    """Belgian enterprise number: the last two digits are 97 - (the first eight mod 97)."""
    if not re.fullmatch(r"[0-9]{10}", code):
        return False
    return 97 - int(code[:8]) % 97 == int(code[8:])


CHECK_DIGITS: dict[str, Callable[[str], bool]] = {
    "iso7064-mod97-10": check_lei,
    "luhn": luhn,
    "mod97-be": mod97_be,
}
"""Check-digit rules by the name a scheme gives in ``okg:checkDigits``."""


# -- schemes ---------------------------------------------------------------------------------


class IdentifierError(ValueError):
    """A value that is not a valid notation of its scheme (the message says why)."""


@dataclass(frozen=True)
class Scheme:
    iri: URIRef
    name: str  # the scheme's local name, used in identifier IRIs: "lei", "siren"
    label: str
    pattern: re.Pattern
    fmt: str
    check: str | None
    agency: str | None
    same_as: str | None

    def normalise(self, text: str) -> str:
        """The notation as stored: spaces removed; KBO's dots removed; LEI in capitals."""
        value = "".join(text.split())
        if self.iri == OKG.KBO:
            value = value.replace(".", "")
        if self.iri == OKG.LEI:
            value = value.upper()
        return value

    def read(self, text: str) -> str:
        """The normalised notation, or IdentifierError naming the format or the check digits."""
        value = self.normalise(text)
        if not self.pattern.fullmatch(value):
            raise IdentifierError(f"'{text}' is not a {self.label}; expected {self.fmt}")
        if self.check is not None and not CHECK_DIGITS[self.check](value):
            raise IdentifierError(
                f"'{text}' fails the check digits of a {self.label} ({self.check}); "
                "a digit is probably mistyped"
            )
        return value

    def node(self, notation: str) -> URIRef:
        """The IRI of the identifier node (same scheme and notation: same node)."""
        return OKGD[f"identifier/{self.name}/{quote(notation, safe='/-_.')}"]

    def triples(self, subject: URIRef, notation: str) -> list[tuple]:
        if self.same_as is not None:
            return [(subject, OWL.sameAs, URIRef(self.same_as + notation))]
        node = self.node(notation)
        out = [
            (subject, ADMS.identifier, node),
            (node, RDF.type, ADMS.Identifier),
            (node, OKG.scheme, self.iri),
            (node, SKOS.notation, Literal(notation)),
        ]
        if self.agency:
            out.append((node, ADMS.schemeAgency, Literal(self.agency)))
        return out


def read_schemes(graph: Graph) -> dict[URIRef, Scheme]:
    """The identifier scheme of every property that has one, by property IRI."""
    out: dict[URIRef, Scheme] = {}
    for prop, s in graph.subject_objects(OKG.identifierScheme):
        pattern = graph.value(s, OKG.notationPattern)
        if pattern is None:
            raise ValueError(f"identifier scheme {s} has no okg:notationPattern")
        check = graph.value(s, OKG.checkDigits)
        if check is not None and str(check) not in CHECK_DIGITS:
            raise ValueError(
                f"identifier scheme {s} names check-digit rule '{check}', which is not "
                f"registered; known: {', '.join(sorted(CHECK_DIGITS))}"
            )
        labels = {lit.language: str(lit) for lit in graph.objects(s, RDFS.label)}
        fmt = graph.value(s, OKG.notationFormat)
        agency = graph.value(s, ADMS.schemeAgency)
        same_as = graph.value(s, OKG.sameAsNamespace)
        out[URIRef(prop)] = Scheme(
            iri=URIRef(s),
            name=str(s).rsplit("#", 1)[-1].lower(),
            label=labels.get("en") or str(s),
            pattern=re.compile(str(pattern)),
            fmt=str(fmt) if fmt is not None else f"a value matching {pattern}",
            check=str(check) if check is not None else None,
            agency=str(agency) if agency is not None else None,
            same_as=str(same_as) if same_as is not None else None,
        )
    return out


_BY_GRAPH: dict[int, tuple[Graph, dict[URIRef, Scheme]]] = {}


def schemes_of(voc) -> dict[URIRef, Scheme]:
    """:func:`read_schemes` of a vocabulary's graph, read once per vocabulary."""
    entry = _BY_GRAPH.get(id(voc.graph))
    if entry is None or entry[0] is not voc.graph:
        entry = (voc.graph, read_schemes(voc.graph))
        _BY_GRAPH[id(voc.graph)] = entry
    return entry[1]
