"""Derive steps that a CONSTRUCT cannot say, run in the order of the rules of queries/derive/.

A rule file whose header has a line ``# step: NAME`` is a SELECT, not a CONSTRUCT: the derive
(:meth:`okg.store.KnowledgeGraph.derive`) runs it on the same store as the other rules and
hands its rows to the step registered here under NAME, which returns the derived triples, as
``(subject, predicate IRI, literal text)``; they go to the derived graph like a rule's. A
step is told apart from a rule by its header alone, so a new one is a rule file plus a function
registered with :func:`step`.

``conflict_key`` writes ``okg:conflictKey`` on every claim of a class with
``okg:conflictScope`` (queries/derive/70_conflict_key.rq): the class IRI, a space, and the sha1
of the sorted (property, value) pairs of its conflict-scope values. Two claims share a key
exactly when they are of the same class and have the same set of values for the class's
scope properties (the same figure, as the conflicting-claims query reads it); SPARQL alone
cannot write it, since GROUP_CONCAT has no defined order.

>>> from rdflib import Literal, URIRef
>>> O = "https://w3id.org/okg/ontology#"
>>> job, emp = URIRef(O + "Job"), URIRef(O + "employer")
>>> rows = [(URIRef("http://x/c1"), job, emp, URIRef("http://x/acme")),
...         (URIRef("http://x/c2"), job, emp, URIRef("http://x/acme")),
...         (URIRef("http://x/c3"), job, emp, Literal("acme"))]
>>> keys = {str(s): k for s, p, k in conflict_key(rows)}
>>> keys["http://x/c1"] == keys["http://x/c2"] != keys["http://x/c3"]
True
>>> keys["http://x/c1"].split(" ")[0] == O + "Job"
True
>>> step_of("# step: conflict_key\\nSELECT ...") is conflict_key, step_of("CONSTRUCT {}")
(True, None)
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable

import pyoxigraph as ox
from okg.terms.namespaces import OKG
from rdflib import BNode, Literal, URIRef

Triple = tuple[object, str, str]
"""A derived triple: the subject as the engine gave it, a predicate IRI, a literal's text."""
Step = Callable[[Iterable[tuple]], Iterable[Triple]]

STEPS: dict[str, Step] = {}
_HEADER = re.compile(r"^#\s*step:\s*(\S+)\s*$", re.MULTILINE)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def step(name: str) -> Callable[[Step], Step]:
    """Register a derive step under *name* (what a rule file's ``# step:`` line names)."""

    def register(fn: Step) -> Step:
        STEPS[name] = fn
        return fn

    return register


def step_of(text: str) -> Step | None:
    """The step a rule file's text names in its header, or None for a CONSTRUCT rule; an
    unknown name is refused (a misspelt step would silently derive nothing)."""
    m = _HEADER.search(text)
    if m is None:
        return None
    if m.group(1) not in STEPS:
        raise KeyError(f"derive rule names an unknown step {m.group(1)!r}: {sorted(STEPS)}")
    return STEPS[m.group(1)]


def term_text(t) -> str:
    """One text per RDF term, the same for a pyoxigraph and an rdflib term (a plain literal
    is an xsd:string, RDF 1.1), distinct for distinct terms.

    >>> term_text(ox.Literal("x")) == term_text(Literal("x")), term_text(URIRef("http://a"))
    (True, '<http://a>')
    """
    if isinstance(t, ox.NamedNode):
        return f"<{t.value}>"
    if isinstance(t, URIRef):
        return f"<{t}>"
    if isinstance(t, ox.BlankNode | BNode):
        return f"_:{t.value if isinstance(t, ox.BlankNode) else t}"
    if isinstance(t, ox.Literal):
        value, lang, dt = t.value, t.language, t.datatype.value
    elif isinstance(t, Literal):
        value, lang, dt = str(t), t.language, str(t.datatype or _XSD_STRING)
    else:
        raise TypeError(f"unsupported term {t!r}")
    esc = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{esc}"@{lang.lower()}' if lang else f'"{esc}"^^<{dt}>'


@step("conflict_key")
def conflict_key(rows: Iterable[tuple]) -> list[Triple]:
    """Rows ``(claim, class, scope property, value or None)`` to one ``okg:conflictKey`` per
    (claim, class): ``CLASS-IRI SHA1`` of the sorted, distinct ``property value`` pairs (a
    claim with no scope value gets the key of the empty set)."""
    scopes: dict[tuple, set[str]] = {}
    kinds: dict[object, str] = {}
    for claim, kind, prop, value in rows:
        k = kinds.get(kind)
        if k is None:
            k = kinds[kind] = term_text(kind)[1:-1]
        pairs = scopes.setdefault((claim, k), set())
        if value is not None:
            pairs.add(f"{term_text(prop)} {term_text(value)}")
    pred = str(OKG.conflictKey)
    out = []
    for (claim, k), pairs in scopes.items():
        digest = hashlib.sha1("\n".join(sorted(pairs)).encode("utf-8")).hexdigest()
        out.append((claim, pred, f"{k} {digest}"))
    return out
