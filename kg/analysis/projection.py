"""Project the store onto a typed, directed networkx graph along the relations that carry impact.

The ontology in the store says which relations carry an event's impact (``okg:impactFlow``) and
how (``okg:impactWeight``, ``okg:impactEffect``, ``okg:scopeDimension``). :func:`project` reads
those declarations with SPARQL, then every triple whose predicate is such a property or one of
its sub-properties, and builds a :class:`networkx.MultiDiGraph` oriented the way impact travels:
``okg:Outbound`` edges go from subject to object, ``okg:Inbound`` edges from object to subject.
Nothing about the relations is hard-coded here: a sector module's relation propagates as soon as
it is declared a sub-property of a propagating one.

Data shape
----------
Nodes are IRIs (``str``). Node attributes (all present, possibly empty):

``kind``        the most specific core class (IRI) of the node, e.g. ``okg:Contract``; ``None``
                for nodes with no core class.
``classes``     frozenset of all core class IRIs of the node (inferred types included).
``types``       tuple of the classes the fact files assert (sector classes included), sorted.
``labels``      ``{"en": ..., "fr": ..., "ar": ...}`` (languages the store has).
``country``     ISO code: a firm's/segment's/site's/city's country, a market's country, a
                country's own code, a contract's delivered-from country; or ``None``.
``sector``      NACE notation of ``okg:inSector`` (``"82.20"``) or ``None``.
``delivered_from`` the location (IRI) a contract is delivered from, or ``None``.
``parents``     tuple of segment IRIs this node is ``okg:subSegmentOf`` (sorted).
``dates``       ``{"startDate"|"endDate"|"date"|"effectiveDate"|"reportedOn": datetime.date}``.
``quantities``  ``{property IRI: [okg.figures.claims.Claim, ...]}`` for every Quantity-valued property of the node
                (``okg:headcount``, ``okg:share``, ``okg:revenueShare``, ``okg:firmCount`` ...).
``quotes``      ``{source id: (quote, ...)}`` — the node's ``okg:quote`` in each source graph
                (sorted).
``sources``     tuple of the source ids whose graphs describe the node.
``illustrative`` ``True`` when the node is made up: marked ``okg:illustrative true`` (``basis:
                illustrative``) in a source graph, and marked so in every source graph that
                describes it (a real city an illustrative file also names stays real when another
                source describes it unmarked). Same rule as the canned queries' filter.
``claimants``   ``{agent IRI: {lang: label}}``: who makes the claim (``prov:wasAttributedTo``,
                ``claimedBy:`` in fact files); empty when the source itself claims it.
``basis``       ``okg:basis`` IRI (``okg:Inferred``...) or ``None`` (reported); ``basis_reason``
                its ``okg:basisReason`` or ``None``.
``scope``       ``(class IRI, ((property IRI, (value IRI, ...)), ...))`` for facts of a class
                with ``okg:conflictScope``: two facts with equal ``scope`` are claims about the
                same figure; ``None`` otherwise.

Edges are keyed by the core relation, so ``G[u][v][relation]`` is one edge; attributes:

``relation``    the core property IRI that declares the flow (e.g. ``okg:provider``).
``predicate``   the asserted predicate (the sector sub-property when one was used).
``flow``        ``"inbound"`` or ``"outbound"``.
``subject``, ``object`` the triple's subject and object (the edge runs the flow's way).
``weight``      property IRI of the subject whose Quantity scales the impact, or ``None``.
``effect``      ``"loss"``, ``"gain"`` or ``None``.
``scope``       ``True`` when the relation is a scope dimension of a rule.
``fact``        the n-ary fact node of the triple (subject or object that is an ``okg:Fact``),
                or ``None``.
``source``      id of the first (sorted) source graph asserting the triple; ``sources`` all.
``quotes``      the quotes of ``fact`` (else of the subject) in ``source``'s graph.
``illustrative`` ``True`` when ``fact`` or either end is illustrative (see :func:`real_only`).

Graph attributes: ``G.graph["fingerprint"]``, ``["sources"]`` (``{id: title}``),
``["term_labels"]`` (``{ontology term IRI: {lang: label}}``),
``["figure_rules"]`` (the ontology's same-figure rule, :class:`okg.figures.claims.FigureRules`),
``["relations"]`` (``{relation IRI: {"flow", "weight", "effect", "scope"}}``),
``["narrower"]`` (``{concept IRI: (narrower concept IRIs, ...)}`` from ``skos:broader+``, so that
a rule on an activity also covers its narrower activities).

>>> from okg.store import KnowledgeGraph
>>> from okg.terms.resources import data_dir
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
>>> G = project(kg)
>>> ikanbi = "https://w3id.org/okg/id/ikanbi"
>>> sorted({d["relation"].split("#")[1] for _, _, d in G.in_edges(ikanbi, data=True)})
['provider']
>>> G.nodes[ikanbi]["kind"], G.nodes[ikanbi]["country"]
('https://w3id.org/okg/ontology#Firm', 'BE')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import gc
import hashlib
import importlib
import json
import os
import sys
import weakref
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from sys import intern

import networkx as nx
import pyoxigraph as ox
from okg.figures.claims import (
    Q_CLAIMS,
    FigureRules,
    claims_from_rows,
    scopes_from_rows,
    source_id_of_graph,
)
from okg.store import KnowledgeGraph
from okg.store.sparql import term_to_sparql
from okg.terms.namespaces import DERIVED_GRAPH, OKG, OKGD, SOURCE_GRAPH_PREFIX, sparql_prologue
from rdflib import URIRef

OKG_NS = str(OKG)
SOURCE_NODE_PREFIX = str(OKGD) + "source/"
DATE_PROPERTIES = ("startDate", "endDate", "date", "effectiveDate", "reportedOn")
CACHE_FILE = "impact-projection.json"
OLD_CACHE_FILES = ("impact-projection.pickle",)
"""Caches of older versions (pickles: never loaded, since unpickling runs code)."""
CACHE_FORMAT = "okg-projection"
PROJECTION_VERSION = "6"
"""Bumped whenever the projection's data shape changes, so older caches are rebuilt."""
_FLOWS = {str(OKG.Inbound): "inbound", str(OKG.Outbound): "outbound"}
_EFFECTS = {str(OKG.Loss): "loss", str(OKG.Gain): "gain"}


# -- the queries (few, each over the whole store) ----------------------------------------------

Q_RELATIONS = """
SELECT DISTINCT ?sub ?p ?flow ?weight ?effect ?scope WHERE {
  ?p okg:impactFlow ?flow .
  ?sub rdfs:subPropertyOf* ?p .
  OPTIONAL { ?p okg:impactWeight ?weight }
  OPTIONAL { ?p okg:impactEffect ?effect }
  OPTIONAL { ?p okg:scopeDimension ?scope }
}"""

Q_TRIPLES = """
SELECT DISTINCT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"""

Q_TYPES = """
SELECT DISTINCT ?x ?t ?g WHERE {
  GRAPH ?g { ?x a ?t } FILTER(?g != <https://w3id.org/okg/graph/derived> && ?t != okg:Quantity)
}"""

Q_SUBCLASSES = """
SELECT DISTINCT ?c ?super WHERE { ?c rdfs:subClassOf ?super }"""
"""Direct edges only: the closure is taken in Python (:func:`_closure`), since Virtuoso 7 refuses
a transitive path with no bound start ("transitive start not given")."""

Q_LABELS = """
SELECT DISTINCT ?x ?l ?lang WHERE {
  ?x rdfs:label ?l . BIND(LANG(?l) AS ?lang) FILTER(?lang IN ("en", "fr", "ar", ""))
}"""

Q_COUNTRIES = """
SELECT DISTINCT ?x ?code WHERE {
  { ?x okg:country ?c } UNION { ?x okg:marketCountry ?c }
  UNION { ?x okg:countryCode ?own . BIND(?x AS ?c) }
  UNION { ?x okg:deliveredFrom ?c }
  UNION { ?x okg:deliveredFrom ?l . ?l okg:locatedIn ?c }
  ?c okg:countryCode ?code .
}"""

Q_SECTORS = """
SELECT DISTINCT ?x ?n WHERE { ?x okg:inSector ?s . ?s skos:notation ?n }"""

Q_DELIVERED = """
SELECT DISTINCT ?x ?l WHERE { ?x okg:deliveredFrom ?l }"""

Q_PARENTS = """
SELECT DISTINCT ?x ?parent WHERE { ?x okg:subSegmentOf ?parent }"""

Q_DATES = """
SELECT DISTINCT ?x ?p ?d WHERE {
  VALUES ?p { okg:startDate okg:endDate okg:date okg:effectiveDate okg:reportedOn }
  ?x ?p ?d
}"""

Q_QUOTES = """
SELECT DISTINCT ?x ?q ?g WHERE { GRAPH ?g { ?x okg:quote ?q } }"""

Q_ILLUSTRATIVE = """
SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x okg:illustrative true } }"""

Q_CLAIMANTS = """
SELECT DISTINCT ?x ?c ?l ?lang WHERE {
  ?x prov:wasAttributedTo ?c .
  OPTIONAL { ?c rdfs:label ?l . BIND(LANG(?l) AS ?lang) }
}"""

Q_BASIS = """
SELECT DISTINCT ?x ?b ?r WHERE { ?x okg:basis ?b OPTIONAL { ?x okg:basisReason ?r } }"""

Q_TERM_LABELS = f"""
SELECT DISTINCT ?x ?l ?lang WHERE {{
  ?x rdfs:label ?l . BIND(LANG(?l) AS ?lang)
  FILTER(STRSTARTS(STR(?x), "{OKG_NS}") && ?lang IN ("en", "fr", "ar", ""))
}}"""
"""Labels of the ontology's own terms (classes, relations), for plain-word explanations."""

Q_NARROWER = """
SELECT DISTINCT ?broad ?narrow WHERE { ?narrow skos:broader ?broad }"""
"""Direct edges only, as :data:`Q_SUBCLASSES`."""

Q_SOURCES = """
SELECT DISTINCT ?src ?t WHERE { ?src a okg:Source . OPTIONAL { ?src dcterms:title ?t } }"""

Q_FINGERPRINT = """
SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"""


def select(kg: KnowledgeGraph, sparql: str) -> list[tuple[str | None, ...]]:
    """Rows of a SELECT as plain strings (IRIs, literal values; ``None`` when unbound).

    On pyoxigraph the terms are read straight from the engine: making rdflib terms of a million
    values costs more than the query itself. IRIs are interned, so the projection holds each once.
    """
    store = getattr(kg.backend, "store", None)
    if isinstance(store, ox.Store):
        res = store.query(sparql_prologue() + sparql, use_default_graph_as_union=True)
        idx = range(len(res.variables))
        iri = ox.NamedNode
        return [
            tuple(
                None if (t := sol[i]) is None else (intern(t.value) if type(t) is iri else t.value)
                for i in idx
            )
            for sol in res
        ]
    return [
        tuple(
            None if v is None else (intern(str(v)) if isinstance(v, URIRef) else str(v))
            for v in row
        )
        for row in kg.query(sparql).rows
    ]


def _closure(pairs) -> list[tuple[str, str]]:
    """Every (a, c) with a path a -> ... -> c along the (a, b) *pairs* (a property path ``+``)."""
    G = nx.DiGraph()
    G.add_edges_from((a, b) for a, b in pairs if a is not None and b is not None)
    return [(a, c) for a in G.nodes for c in nx.descendants(G, a)]


def fingerprint(kg: KnowledgeGraph) -> str:
    """A hash of the store's id and version (bumped by every write, see
    ``KnowledgeGraph.status``) and of the projection's version.

    A store written before versions existed (no status graph) falls back to its named graphs
    and their sizes."""
    status = kg.status()
    if status.store_id is not None:
        parts = [f"store {status.store_id} {status.version} {status.state}"]
    else:
        parts = sorted(f"{g} {int(n)}" for g, n in select(kg, Q_FINGERPRINT))
    text = "\n".join([f"projection {PROJECTION_VERSION}", *parts])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _relations(kg: KnowledgeGraph) -> tuple[dict[str, dict], dict[str, str]]:
    """Propagating core relations with their annotations, and asserted predicate -> relation."""
    relations: dict[str, dict] = {}
    candidates: dict[str, list[str]] = {}
    for sub, p, flow, weight, effect, scope in select(kg, Q_RELATIONS):
        relations[str(p)] = {
            "flow": _FLOWS.get(str(flow)),
            "weight": weight,
            "effect": _EFFECTS.get(str(effect)) if effect is not None else None,
            "scope": scope in ("true", "1"),
        }
        candidates.setdefault(str(sub), []).append(str(p))
    pred_to_rel = {}
    for sub, ps in candidates.items():
        # A property's own declaration wins; else the first declaring ancestor by IRI.
        pred_to_rel[sub] = sub if sub in ps else sorted(ps)[0]
    return relations, pred_to_rel


def project(kg: KnowledgeGraph) -> nx.MultiDiGraph:
    """Build the impact projection of the whole store (see the module doc for the data shape).

    Runs a fixed number of SELECTs over the store, whatever its size.
    """
    G = nx.MultiDiGraph()
    relations, pred_to_rel = _relations(kg)
    G.graph["relations"] = relations
    if pred_to_rel:
        values = " ".join(term_to_sparql(URIRef(p)) for p in sorted(pred_to_rel))
        q = Q_TRIPLES.replace("WHERE {", "WHERE { VALUES ?p { " + values + " }", 1)
        triples = select(kg, q)
    else:
        triples = []

    # Keep one edge per (subject, relation, object): the derived graph restates sector
    # sub-properties as their core super-property, which must not count twice.
    merged: dict[tuple[str, str, str], dict] = {}
    for s, p, o, g in triples:
        rel = pred_to_rel[str(p)]
        key = (str(s), rel, str(o))
        e = merged.setdefault(key, {"predicates": set(), "sources": set()})
        src = source_id_of_graph(str(g))
        if src is not None:
            e["sources"].add(src)
            e["predicates"].add(str(p))
        elif str(g) == str(DERIVED_GRAPH) and not e["predicates"]:
            e.setdefault("derived_predicates", set()).add(str(p))
    nodes: set[str] = set()
    for s, _rel, o in merged:
        nodes.add(s)
        nodes.add(o)

    G.graph["sources"] = titles = _sources(kg)
    G.graph["figure_rules"] = FigureRules.read(lambda q: select(kg, q))
    term_labels: dict[str, dict[str, str]] = {}
    for x, lab, lang in select(kg, Q_TERM_LABELS):
        cur = term_labels.setdefault(str(x), {})
        if lang not in cur or lab < cur[lang]:
            cur[lang] = lab
    G.graph["term_labels"] = term_labels
    attrs = _node_attributes(kg, nodes, titles)
    for n in sorted(nodes):
        G.add_node(n, **attrs[n])
    fact_iri = str(OKG.Fact)
    for (s, rel, o), e in sorted(merged.items()):
        info = relations[rel]
        preds = sorted(e["predicates"] - {rel}) or sorted(e["predicates"]) or [rel]
        u, v = (o, s) if info["flow"] == "inbound" else (s, o)
        fact = (
            s
            if fact_iri in attrs[s]["classes"]
            else (o if fact_iri in attrs[o]["classes"] else None)
        )
        sources = tuple(sorted(e["sources"]))
        source = sources[0] if sources else None
        quoted = fact or s
        quotes = attrs[quoted]["quotes"].get(source, ()) if source else ()
        G.add_edge(
            u,
            v,
            key=rel,
            relation=rel,
            predicate=preds[0],
            flow=info["flow"],
            subject=s,
            object=o,
            weight=info["weight"],
            effect=info["effect"],
            scope=info["scope"],
            fact=fact,
            source=source,
            sources=sources,
            quotes=quotes,
            illustrative=bool(
                attrs[s]["illustrative"]
                or attrs[o]["illustrative"]
                or (fact is not None and attrs[fact]["illustrative"])
            ),
        )
    narrower: dict[str, list[str]] = {}
    for narrow, broad in _closure((n, b) for b, n in select(kg, Q_NARROWER)):
        narrower.setdefault(broad, []).append(narrow)
    G.graph["narrower"] = {b: tuple(sorted(ns)) for b, ns in sorted(narrower.items())}
    return G


def _sources(kg: KnowledgeGraph) -> dict[str, str | None]:
    out = {}
    for src, title in select(kg, Q_SOURCES):
        s = str(src)
        if s.startswith(SOURCE_NODE_PREFIX):
            out[s[len(SOURCE_NODE_PREFIX) :]] = str(title) if title is not None else None
    return out


def _node_attributes(
    kg: KnowledgeGraph, nodes: set[str], titles: dict[str, str | None]
) -> dict[str, dict]:
    attrs = {
        n: {
            "kind": None,
            "classes": set(),
            "types": set(),
            "labels": {},
            "country": None,
            "sector": None,
            "delivered_from": None,
            "parents": set(),
            "dates": {},
            "quantities": {},
            "quotes": {},
            "sources": set(),
            "scope": None,
            "illustrative": False,
            "claimants": {},
            "basis": None,
            "basis_reason": None,
        }
        for n in nodes
    }
    # Asserted types and their core super-classes (the derived graph's type closure, computed
    # here from the class hierarchy: reading it back would cost several times more rows).
    supers: dict[str, set[str]] = {}
    for c, sup in _closure(select(kg, Q_SUBCLASSES)):
        if not sup.startswith(OKG_NS):
            continue
        supers.setdefault(c, set()).add(sup)
    described: dict[str, set[str]] = {}  # node -> source graphs asserting a type of it
    for x, t, g in select(kg, Q_TYPES):
        a = attrs.get(x)
        if a is not None:
            if source_id_of_graph(str(g)) is not None:
                described.setdefault(x, set()).add(str(g))
            a["types"].add(t)
            a["classes"].add(t)
            a["classes"].update(supers.get(t, ()))
    for a in attrs.values():
        a["classes"] = {c for c in a["classes"] if c.startswith(OKG_NS)}
        cls = a["classes"]
        implied = set().union(*(supers.get(c, set()) for c in cls)) if cls else set()
        specific = sorted(cls - implied)
        a["kind"] = specific[0] if specific else None
        a["classes"] = frozenset(cls)
    for x, lab, lang in select(kg, Q_LABELS):
        a = attrs.get(x)
        if a is not None:
            cur = a["labels"].get(lang)
            if cur is None or lab < cur:
                a["labels"][lang] = lab
    for x, code in select(kg, Q_COUNTRIES):
        a = attrs.get(str(x))
        if a is not None and (a["country"] is None or str(code) < a["country"]):
            a["country"] = str(code)
    for x, n in select(kg, Q_SECTORS):
        a = attrs.get(str(x))
        if a is not None and (a["sector"] is None or str(n) < a["sector"]):
            a["sector"] = str(n)
    for x, loc in select(kg, Q_DELIVERED):
        a = attrs.get(str(x))
        if a is not None and (a["delivered_from"] is None or str(loc) < a["delivered_from"]):
            a["delivered_from"] = str(loc)
    for x, parent in select(kg, Q_PARENTS):
        a = attrs.get(str(x))
        if a is not None:
            a["parents"].add(str(parent))
    for x, p, d in select(kg, Q_DATES):
        a = attrs.get(x)
        try:
            value = dt.date.fromisoformat(d)
        except (TypeError, ValueError):
            continue
        if a is not None:
            name = str(p)[len(OKG_NS) :]
            cur = a["dates"].get(name)
            # Several sources may date the same thing: keep the earliest start, latest end.
            if cur is None or (value > cur if name == "endDate" else value < cur):
                a["dates"][name] = value
    marked: dict[str, set[str]] = {}
    for x, g in select(kg, Q_ILLUSTRATIVE):
        if str(x) in attrs:
            marked.setdefault(str(x), set()).add(str(g))
    for x, graphs in marked.items():
        attrs[x]["illustrative"] = described.get(x, set()) <= graphs
    for x, c, lab, lang in select(kg, Q_CLAIMANTS):
        a = attrs.get(str(x))
        if a is not None:
            labels = a["claimants"].setdefault(str(c), {})
            if lab is not None and (lang not in labels or lab < labels[lang]):
                labels[lang] = lab
    for x, b, r in select(kg, Q_BASIS):
        a = attrs.get(str(x))
        if a is not None and (a["basis"] is None or str(b) < a["basis"]):
            a["basis"], a["basis_reason"] = str(b), r
    for x, q, g in select(kg, Q_QUOTES):
        a = attrs.get(str(x))
        src = source_id_of_graph(str(g))
        if a is not None and src is not None:
            a["quotes"].setdefault(src, []).append(str(q))
            a["sources"].add(src)
    scopes = scopes_from_rows(r for r in scope_rows(kg) if r[0] in attrs)
    for x, scope in scopes.items():
        attrs[x]["scope"] = scope
    for a in attrs.values():
        a["types"] = tuple(sorted(a["types"]))
        a["parents"] = tuple(sorted(a["parents"]))
        a["quotes"] = {k: tuple(sorted(set(v))) for k, v in sorted(a["quotes"].items())}
        a["sources"] = tuple(sorted(a["sources"]))
    quotes = {(x, src): qs for x, a in attrs.items() for src, qs in a["quotes"].items()}
    made_up = [x for x, a in attrs.items() if a["illustrative"]]
    rows = (r for r in select(kg, Q_CLAIMS) if r[0] in attrs)
    claims = claims_from_rows(
        rows, quotes=quotes, titles=titles, scopes=scopes, illustrative=made_up
    )
    for claim in claims:
        attrs[claim.fact]["quantities"].setdefault(claim.prop, []).append(claim)
    for a in attrs.values():
        for cs in a["quantities"].values():
            cs.sort(key=lambda c: (c.source or "", c.quantity))
    return attrs


Q_SCOPE_DECLARATIONS = """
SELECT DISTINCT ?cls ?p WHERE { ?cls okg:conflictScope ?p }"""
Q_SCOPED = """
SELECT DISTINCT ?x ?cls WHERE { VALUES ?cls { CLASSES } ?x a ?cls }"""
Q_SCOPE_VALUES = """
SELECT DISTINCT ?x ?p ?v WHERE { VALUES ?p { PROPERTIES } ?x ?p ?v }"""


def scope_rows(kg: KnowledgeGraph) -> list[tuple[str, str, str, str | None]]:
    """The rows of :data:`okg.figures.claims.Q_SCOPES` (fact, class, scope property, value or
    None), read as three lean SELECTs joined here: the declarations, the facts of the scoped
    classes, the values of the scope properties (the OPTIONAL join of Q_SCOPES cost twice as
    much at 10^5 triples). The VALUES lists are the ontology's own IRIs, written as SPARQL terms.
    """
    decl: dict[str, set[str]] = {}
    for cls, prop in select(kg, Q_SCOPE_DECLARATIONS):
        if cls is not None and prop is not None:
            decl.setdefault(cls, set()).add(prop)
    if not decl:
        return []
    terms = lambda xs: " ".join(term_to_sparql(URIRef(x)) for x in sorted(xs))  # noqa: E731
    facts = select(kg, Q_SCOPED.replace("CLASSES", terms(decl)))
    props = set().union(*decl.values())
    values: dict[tuple[str, str], list[str]] = {}
    for x, prop, v in select(kg, Q_SCOPE_VALUES.replace("PROPERTIES", terms(props))):
        values.setdefault((x, prop), []).append(v)
    rows = []
    for x, cls in facts:
        for prop in sorted(decl[cls]):
            rows.extend((x, cls, prop, v) for v in values.get((x, prop), [None]))
    return rows


Q_DESCRIBED_IN = f"""
SELECT DISTINCT ?x ?g WHERE {{
  GRAPH ?g {{ ?x a ?t }} FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH_PREFIX}"))
}}"""


def illustrative_nodes(kg: KnowledgeGraph) -> set[str]:
    """Every node of the store the projection's rule calls illustrative (marked ``okg:illustrative
    true`` in a source graph, and in every source graph that describes it), projected or not."""
    marked: dict[str, set[str]] = {}
    for x, g in select(kg, Q_ILLUSTRATIVE):
        marked.setdefault(str(x), set()).add(str(g))
    described: dict[str, set[str]] = {}
    for x, g in select(kg, Q_DESCRIBED_IN):
        if str(x) in marked:
            described.setdefault(str(x), set()).add(str(g))
    return {x for x, gs in marked.items() if described.get(x, set()) <= gs}


_REAL: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
"""Each cached projection's :func:`real_only` view, made once: the projections of
:func:`cached_projection` (those with a ``fingerprint``) are never changed after they are built,
and finding their illustrative parts scans every node and edge."""


def real_only(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """*G* without its illustrative nodes and edges (a read-only view sharing ``G.graph``);
    *G* itself when nothing in it is illustrative."""
    if "fingerprint" not in G.graph or getattr(G, "_graph", None) is not None:
        return _real_only(G)  # a graph built by hand (it may still change), or a view
    view = _REAL.get(G)
    if view is None:
        view = _REAL[G] = _real_only(G)
    return view


def _real_only(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    if not any(a.get("illustrative") for _, a in G.nodes(data=True)) and not any(
        d.get("illustrative") for _, _, d in G.edges(data=True)
    ):
        return G
    nodes = G.nodes
    edges = G.edges
    return nx.subgraph_view(
        G,
        filter_node=lambda n: not nodes[n].get("illustrative"),
        filter_edge=lambda u, v, k: not edges[u, v, k].get("illustrative"),
    )


def for_answers(G: nx.MultiDiGraph, include_illustrative: bool = False) -> nx.MultiDiGraph:
    """The graph impact, analyze and viz answer from: :func:`real_only` unless
    *include_illustrative* (then *G*, whose illustrative nodes and edges carry the mark)."""
    return G if include_illustrative else real_only(G)


# -- caching ---------------------------------------------------------------------------------

_MEMORY: dict[tuple[str, str], nx.MultiDiGraph] = {}


@contextmanager
def _gc_paused():
    """Building or unpickling ~10^5 small objects: the cyclic GC would rescan them many times
    (unpickling the 10^6-triple projection took 3.5 s with it, 0.8 s without)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _store_dir(kg: KnowledgeGraph) -> Path | None:
    path = getattr(kg.backend, "path", None)
    return Path(path) if path is not None else None


# The cache file: typed, columnar JSON. JSON has no tuples, sets, dates, fractions or
# dataclasses, so each is a one-key object tagged "$t", "$fs", ... ; a dict whose keys are not
# all plain strings (or start with "$") is a "$d" list of pairs. Decoding builds only these
# types, and dataclasses only from okg.figures (Interval, Claim): nothing else can be named, so
# a planted cache file can at worst be wrong data, never code.
_DATACLASS_MODULES = ("okg.figures.",)
CACHE_LAYOUT = "columns-2"
"""The file layout (the data shape is :data:`PROJECTION_VERSION`): another layout is rebuilt.
``columns-1`` files shared one entry between values that compare equal but differ (an interval
``about 49 (44–54)`` and a plain ``44–54``: ``Interval.point`` is left out of ``==``), so a
run on such a cache could differ from a run on the fresh projection: they are rebuilt."""

_ABSENT = -2  # a node or edge without this attribute (a reference column's None is -1)
_IMMUTABLE = (str, int, bool, float, tuple, frozenset, dt.date, Fraction, Decimal, type(None))
_MISSING = object()


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _exact(v):
    """A key equal only for values that are the same in every respect: type and every field
    (``==`` and ``hash`` may leave some out, like ``Interval.point``, or mix ``1``, ``1.0`` and
    ``True``). What the shared table and the pool dedupe on."""
    t = type(v)
    if t is str or v is None:
        return v
    if t is tuple or t is frozenset:
        if all(type(x) is str for x in v):
            return (t, v)
        return (t, t(_exact(x) for x in v))
    params = getattr(t, "__dataclass_params__", None)
    if params is not None:
        return (t, tuple(_exact(getattr(v, a)) for a in _field_names(t)))
    return (t, v)


def _class_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _ours(v) -> bool:
    """A dataclass of okg.figures (the only classes a cache may name)."""
    return dataclasses.is_dataclass(v) and type(v).__module__.startswith(_DATACLASS_MODULES)


def _frozen(v) -> bool:
    return _frozen_type(type(v))


def _frozen_type(t: type) -> bool:
    params = getattr(t, "__dataclass_params__", None)
    return params is not None and params.frozen


class _Writer:
    """Encodes values; with a *pool*, the frozen dataclasses met in per-object columns (the
    claims of ``quantities``) are written once each, column by column, and referred to as
    ``{"$c": i}``."""

    def __init__(self, index: dict[str, int], pooled: bool):
        self.index = index
        # class -> {exact key: (number, object)}
        self.pool: dict[type, dict] = {} if pooled else None
        self.order: list[type] = []
        self.shared: dict = {}  # exact key -> (number, value) in the table all columns share
        # id -> number of the objects already in the table (``_kept`` holds each, so that no
        # id is reused while writing): most values are shared by identity.
        self._by_id: dict[int, int] = {}
        self._kept: list = []

    def enc(self, v):
        t = type(v)
        if v is None or t is str or t is int or t is bool:
            return v
        if t is tuple:
            if all(type(x) is str for x in v):
                return {"$ts": list(v)}  # the common case, decoded without a walk
            return {"$t": [self.enc(x) for x in v]}
        if t is list:
            return [self.enc(x) for x in v]
        if t is dict:
            if all(type(k) is str and k[:1] != "$" for k in v):
                return {k: self.enc(x) for k, x in v.items()}
            return {"$d": [[self.enc(k), self.enc(x)] for k, x in v.items()]}
        if t is Fraction:
            return {"$F": [v.numerator, v.denominator]}
        if t is frozenset and all(type(x) is str for x in v):
            return {"$fss": sorted(v)}
        if t is frozenset or t is set:
            items = sorted((self.enc(x) for x in v), key=lambda x: json.dumps(x, sort_keys=True))
            return {"$fs" if t is frozenset else "$s": items}
        if t is float:
            return v if v == v and v not in (float("inf"), float("-inf")) else {"$f": repr(v)}
        if t is Decimal:
            return {"$D": str(v)}
        if t is dt.datetime:
            return {"$dt": v.isoformat()}
        if t is dt.date:
            return {"$date": v.isoformat()}
        if _ours(v):
            if self.pool is not None and _frozen(v):
                if t not in self.pool:
                    self.pool[t] = {}
                    self.order.append(t)
                objs = self.pool[t]
                i = objs.setdefault(_exact(v), (len(objs), v))[0]
                return {"$c": [self.order.index(t), i]}
            fields = {f.name: self.enc(getattr(v, f.name)) for f in dataclasses.fields(v)}
            return {"$dc": [_class_name(t), fields]}
        raise TypeError(f"cannot cache a {t.__name__} in the projection")

    def column(self, values: list) -> dict:
        """One attribute of every node (or edge), in the most compact of three forms:

        ``{"ref": [i, ...]}`` node numbers (``-1`` for None) when every value is a node id;
        ``{"index": [i, ...]}`` numbers in the table of immutable values all columns share
        (each distinct value written and decoded once, then shared: it cannot change in place);
        ``{"values": [value, ...]}`` otherwise (dicts, lists, sets: one fresh object each).
        ``_ABSENT`` in ``ref``/``index`` (and the positions in ``absent``) marks a missing
        attribute.
        """
        index = self.index
        present = [v for v in values if v is not _MISSING]
        types = set(map(type, present))
        if present and types <= {str, type(None)} and index.keys() >= set(present) - {None}:
            return {
                "ref": [_ABSENT if v is _MISSING else -1 if v is None else index[v] for v in values]
            }
        if all(t in _IMMUTABLE or _frozen_type(t) for t in types):
            table, by_id, kept = self.shared, self._by_id, self._kept
            idx = []
            add = idx.append
            try:
                for v in values:
                    if v is _MISSING:
                        add(_ABSENT)
                    elif type(v) is str:
                        got = table.get(v)
                        if got is None:
                            got = table[v] = (len(table), v)
                        add(got[0])
                    else:  # the exact key of an object seen before is not worked out again
                        i = by_id.get(id(v))
                        if i is None:
                            i = table.setdefault(_exact(v), (len(table), v))[0]
                            by_id[id(v)] = i
                            kept.append(v)
                        add(i)
            except TypeError:  # an immutable holding something unhashable: one by one
                pass
            else:
                return {"index": idx}
        enc = [None if v is _MISSING else self.enc(v) for v in values]
        return {"values": enc, "absent": [i for i, v in enumerate(values) if v is _MISSING]}

    def pool_doc(self) -> list:
        """The pooled objects, per class, one column per field (written without a pool)."""
        plain = _Writer(self.index, pooled=False)
        plain.shared, plain._by_id, plain._kept = self.shared, self._by_id, self._kept
        out = []
        for cls in self.order:
            objs = [v for _i, v in self.pool[cls].values()]
            cols = {a: plain.column([getattr(o, a) for o in objs]) for a in _field_names(cls)}
            out.append({"class": _class_name(cls), "count": len(objs), "fields": cols})
        return out


def _dataclass(name: str):
    module, _, qualname = name.partition(":") if isinstance(name, str) else ("", "", "")
    if not module.startswith(_DATACLASS_MODULES) or module not in sys.modules:
        raise ValueError(f"unexpected type {name!r} in the cache")
    cls = getattr(importlib.import_module(module), qualname, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"unexpected type {name!r} in the cache")
    return cls


def _numbers(xs, low: int, high: int) -> list[int]:
    """*xs* if it is a list of integers in [low, high), else ValueError (no index wraps)."""
    if not isinstance(xs, list) or not set(map(type, xs)) <= {int}:
        raise ValueError("an index column holds something else than integers")
    if xs and (min(xs) < low or max(xs) >= high):
        raise ValueError("an index out of range")
    return xs


class _Reader:
    """Decodes what :class:`_Writer` wrote: only JSON values and the tagged types."""

    def __init__(self, ids: list[str]):
        self.ids = ids
        self.pool: list[list] = []
        self.table: list = []

    def read_table(self, table: list) -> None:
        """The immutable values the columns share (a mutable one is refused)."""
        self.table = [self.dec(x) for x in table]
        if not all(isinstance(x, _IMMUTABLE) or _frozen(x) for x in self.table):
            raise ValueError("the shared table holds a mutable value")

    def dec(self, v):
        t = type(v)
        if t is list:
            return [self.dec(x) for x in v]
        if t is not dict:
            return v
        if len(v) == 1:
            ((tag, x),) = v.items()
            if tag[:1] == "$":
                return self.tagged(tag, x)
        return {k: self.dec(x) for k, x in v.items()}

    def tagged(self, tag: str, x):
        dec = self.dec
        if tag == "$ts":
            return tuple(x)
        if tag == "$t":
            return tuple(dec(y) for y in x)
        if tag == "$fss":
            return frozenset(x)
        if tag == "$c":
            k, i = x if isinstance(x, list) and len(x) == 2 else (-1, -1)
            if type(k) is not int or not 0 <= k < len(self.pool):
                raise ValueError("an index out of range")
            objs = self.pool[k]
            if type(i) is not int or not 0 <= i < len(objs):
                raise ValueError("an index out of range")
            return objs[i]
        if tag == "$F":
            n, d = x if isinstance(x, list) and len(x) == 2 else (0, 0)
            if type(n) is not int or type(d) is not int or d <= 0:
                raise ValueError("not a fraction")
            return Fraction(n, d)
        if tag == "$fs":
            return frozenset(dec(y) for y in x)
        if tag == "$s":
            return {dec(y) for y in x}
        if tag == "$d":
            return {dec(k): dec(i) for k, i in x}
        if tag == "$D":
            return Decimal(x)
        if tag == "$f":
            return float(x)
        if tag == "$dt":
            return dt.datetime.fromisoformat(x)
        if tag == "$date":
            return dt.date.fromisoformat(x)
        if tag == "$dc":
            name, fields = x
            cls = _dataclass(name)
            return cls(**{k: dec(y) for k, y in fields.items()})
        raise ValueError(f"unknown tag {tag!r} in the cache")

    def column(self, col: dict, n: int) -> list:
        """The *n* values of a column of :meth:`_Writer.column` (``_MISSING`` where absent)."""
        if not isinstance(col, dict):
            raise ValueError("a column is not an object")
        if "ref" in col:
            ids = self.ids
            ref = _numbers(col["ref"], _ABSENT, len(ids))
            out = [_MISSING if i == _ABSENT else None if i == -1 else ids[i] for i in ref]
        elif "index" in col:
            table = self.table
            index = _numbers(col["index"], _ABSENT, len(table))
            out = [_MISSING if i == _ABSENT else table[i] for i in index]
        elif "values" in col:
            out = [self.dec(x) for x in col["values"]]
            for i in _numbers(col.get("absent", []), 0, len(out)):
                out[i] = _MISSING
        else:
            raise ValueError("unknown column form")
        if len(out) != n:
            raise ValueError("a column of the wrong length")
        return out

    def read_pool(self, groups: list) -> None:
        for group in groups:
            cls, n = _dataclass(group["class"]), group["count"]
            if not cls.__dataclass_params__.frozen or type(n) is not int:
                raise ValueError(f"unexpected pooled type {group['class']!r}")
            cols = [(a, self.column(c, n)) for a, c in group["fields"].items()]
            self.pool.append([cls(**{a: vs[i] for a, vs in cols}) for i in range(n)])


def _dicts(cols: list[tuple[str, list]], n: int) -> list[dict]:
    """One attribute dict per node (or edge) from the decoded columns; absent ones left out."""
    names = [a for a, _ in cols]
    rows = zip(*(vs for _, vs in cols), strict=True) if cols else ((),) * n
    if not any(_MISSING in vs for _, vs in cols):
        return [dict(zip(names, row, strict=True)) for row in rows]
    return [{a: x for a, x in zip(names, row, strict=True) if x is not _MISSING} for row in rows]


def projection_to_json(G: nx.MultiDiGraph) -> str:
    """The projection as typed, columnar JSON (see :func:`projection_from_json`).

    Nodes are a list of ids; edges are their tails and heads as node numbers and a column of
    keys; each attribute is one column (:meth:`_Writer.column`), so an IRI, label or quote that
    many nodes or edges share is written once; the claims are written once each, field by
    field. Tuples, sets, dates, fractions and the dataclasses of :mod:`okg.figures` are tagged
    objects; nothing else can be named.
    """
    ids = list(G.nodes)
    index = {n: i for i, n in enumerate(ids)}
    nodes = G.nodes
    names = sorted({k for n in ids for k in nodes[n]})
    edges = list(G.edges(keys=True, data=True))
    enames = sorted({k for *_, d in edges for k in d})
    w = _Writer(index, pooled=True)
    node_columns = {a: w.column([nodes[n].get(a, _MISSING) for n in ids]) for a in names}
    edge_columns = {a: w.column([d.get(a, _MISSING) for *_, d in edges]) for a in enames}
    keys = w.column([k for _, _, k, _ in edges])
    pool = w.pool_doc()
    plain = _Writer(index, pooled=False)
    doc = {
        "format": CACHE_FORMAT,
        "projection": PROJECTION_VERSION,
        "layout": CACHE_LAYOUT,
        "graph": _Writer(index, pooled=False).enc(dict(G.graph)),
        "nodes": ids,
        "table": [plain.enc(v) for _i, v in w.shared.values()],
        "pool": pool,
        "node_columns": node_columns,
        "tails": [index[u] for u, *_ in edges],
        "heads": [index[v] for _, v, *_ in edges],
        "keys": keys,
        "edge_columns": edge_columns,
    }
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def projection_from_json(text: str) -> nx.MultiDiGraph:
    """Read :func:`projection_to_json`; ValueError when it is not one of this version and layout.

    The header is checked before anything else is decoded; values are only JSON values and the
    tagged types of :meth:`_Reader.tagged`, so a planted file can at worst be wrong data, never
    code."""
    head = json.loads(text[: text.find(',"graph":')] + "}") if ',"graph":' in text else None
    if not isinstance(head, dict) or head.get("format") != CACHE_FORMAT:
        raise ValueError("not an okg projection cache")
    if head.get("projection") != PROJECTION_VERSION:  # checked before any value is decoded
        raise ValueError(f"a cache of projection version {head.get('projection')!r}")
    if head.get("layout") != CACHE_LAYOUT:
        raise ValueError(f"a cache of layout {head.get('layout')!r} (not {CACHE_LAYOUT})")
    doc = json.loads(text)
    r = _Reader([])
    graph = r.dec(doc["graph"])
    if not isinstance(graph, dict):
        raise ValueError("graph attributes are not an object")
    ids = doc.get("nodes")
    if not isinstance(ids, list) or not set(map(type, ids)) <= {str}:
        raise ValueError("node ids are not strings")
    if len(set(ids)) != len(ids):
        raise ValueError("node ids repeat")
    r.ids = ids
    r.read_table(doc["table"])
    r.read_pool(doc["pool"])
    n = len(ids)
    cols = [(a, r.column(c, n)) for a, c in doc["node_columns"].items()]
    tails, heads = _numbers(doc["tails"], 0, n), _numbers(doc["heads"], 0, n)
    m = len(tails)
    if len(heads) != m:
        raise ValueError("edge columns of different lengths")
    keys = r.column(doc["keys"], m)
    ecols = [(a, r.column(c, m)) for a, c in doc["edge_columns"].items()]
    G = nx.MultiDiGraph()
    G.graph.update(graph)
    G.add_nodes_from(zip(ids, _dicts(cols, n), strict=True))
    # The edges go straight into networkx's adjacency dicts (add_edges_from checks and
    # normalises each edge in Python: a third of the load at 10^6 triples). The layout is
    # networkx's own: succ[u][v] and pred[v][u] are one key dict {key: attributes}.
    succ, pred = G._succ, G._pred
    new_keydict = G.edge_key_dict_factory
    for u, v, k, d in zip(tails, heads, keys, _dicts(ecols, m), strict=True):
        a, b = ids[u], ids[v]
        kd = succ[a].get(b)
        if kd is None:
            kd = succ[a][b] = pred[b][a] = new_keydict()
        elif k in kd:
            raise ValueError("an edge is listed twice")
        kd[k] = d
    return G


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _read_cache(path: Path, fp: str) -> nx.MultiDiGraph | None:
    """The cached projection if *path* holds the one of *fp*; a foreign, corrupt or old file
    is ignored with one warning line (and rebuilt by the caller)."""
    for old in OLD_CACHE_FILES:
        stale = path.parent / old
        if stale.exists():
            _warn(f"ignored {stale} (an old cache format that is never loaded); removing it")
            try:
                stale.unlink()
            except OSError:
                pass
    if not path.exists():
        return None
    try:
        with _gc_paused():
            G = projection_from_json(path.read_text(encoding="utf-8"))
    except (
        OSError,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        RecursionError,
        nx.NetworkXError,
    ) as exc:
        _warn(f"ignored the projection cache {path} ({str(exc)[:120]}); rebuilding it")
        return None
    return G if G.graph.get("fingerprint") == fp else None


def _write_cache(path: Path, G: nx.MultiDiGraph) -> None:
    """Write beside the store through a file of this process, then rename: readers running in
    parallel never see half a file, and no lock of the store is needed."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(projection_to_json(G), encoding="utf-8")
        os.replace(tmp, path)
    except (OSError, TypeError) as exc:
        _warn(f"could not write the projection cache {path}: {str(exc)[:120]}")
        try:
            tmp.unlink()
        except OSError:
            pass


def cached_projection(kg: KnowledgeGraph, refresh: bool = False) -> nx.MultiDiGraph:
    """The projection of the store's current contents, reused while the store is unchanged.

    Cached in memory (per store and :func:`fingerprint`) and, for an on-disk store, as typed
    columnar JSON (:func:`projection_to_json`) in ``impact-projection.json`` in the store
    folder (never a pickle: a file in a store folder must not be able to run code).
    ``refresh=True`` rebuilds it. On a SPARQL server (:mod:`okg.store.reader`) it is kept in
    memory per server, keyed by the store version ``okg push`` wrote there; a server with no
    such version is read again each time.
    """
    if getattr(kg.backend, "remote", False) and kg.status().store_id is None:
        return project(kg)  # a server okg did not push to: no store version to key a cache by
    fp = fingerprint(kg)
    folder = _store_dir(kg)
    where = (
        str(folder.resolve())
        if folder
        else getattr(kg.backend, "cache_key", None) or f"memory:{id(kg.backend)}"
    )
    key = (where, fp)
    if not refresh and key in _MEMORY:
        return _MEMORY[key]
    G = None
    cache = folder / CACHE_FILE if folder else None
    if cache is not None and not refresh:
        G = _read_cache(cache, fp)
    if G is None:
        with _gc_paused():
            G = project(kg)
        G.graph["fingerprint"] = fp
        if cache is not None:
            _write_cache(cache, G)
    for k in [k for k in _MEMORY if k[0] == where]:
        del _MEMORY[k]
    _MEMORY[key] = G
    return G
