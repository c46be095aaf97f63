"""Read the drawable graph out of the store: nodes, labelled edges, figures, sources and quotes.

Rows are read as plain strings with :func:`okg.analysis.projection.select` (straight from pyoxigraph:
making rdflib terms of every value costs more than the queries).

Nodes are the individuals of the classes in :data:`okg.viz.style.CATEGORIES` that the source
graphs describe (firms, segments, sites, facts such as contracts and workforce claims...) or
point to (countries, markets, activities, sectors, languages). Edges are the object-property
triples of the source graphs between two nodes, labelled with the property's label. A value that
is not a node becomes a line of the node's tooltip: figures (with their interval, qualifier and
statement), dates, notes and other properties. Each node keeps every source that describes it
with that source's quotes and fact-file line.

Jobs (used for node sizes and group totals) are the headcount claims of all contract types
about the node (as employer, workplace, or the workforce fact itself), combined with
:func:`okg.figures.intervals.combine_claims`: conflicting claims are not added up.

>>> from okg.store import KnowledgeGraph
>>> from okg.terms.resources import data_dir
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
>>> view = extract(kg, "en")
>>> view.nodes["https://w3id.org/okg/id/ikanbi"].jobs.format()
'146–180'
"""

from __future__ import annotations

from collections import defaultdict

from okg.analysis.projection import illustrative_nodes, select
from okg.figures.claims import Claim, FigureRules, read_claims
from okg.figures.intervals import Interval, combine_claims
from okg.render.i18n import LANGS, locale
from okg.store import KnowledgeGraph
from okg.terms.labels import label as pick_label
from okg.terms.namespaces import OKG, SOURCE_GRAPH_PREFIX
from okg.viz.model import Edge, Figure, Node, Quote, SourceRef, View
from okg.viz.style import CATEGORIES, REFERENCE, category_of, text

_IN_SOURCES = f'FILTER(STRSTARTS(STR(?g), "{SOURCE_GRAPH_PREFIX}"))'
_CLASSES = " ".join(f"<{c.cls}>" for c in CATEGORIES)

Q_TYPES = f"""SELECT DISTINCT ?x ?c WHERE {{
  VALUES ?c {{ {_CLASSES} }} ?x a ?c . FILTER(isIRI(?x))
}}"""
Q_LABELS = """SELECT DISTINCT ?x ?l (LANG(?l) AS ?lang) WHERE {
  ?x rdfs:label ?l . FILTER(isIRI(?x))
}"""
Q_DESCRIBED = f"""SELECT DISTINCT ?x WHERE {{ GRAPH ?g {{ ?x a ?t }} {_IN_SOURCES} }}"""
Q_LINKS = f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} {_IN_SOURCES}
  FILTER(isIRI(?o) && ?p NOT IN (rdf:type, prov:hadPrimarySource, okg:unit, okg:qualifier,
                                  okg:vagueTerm))
}}"""
Q_LITERALS = f"""SELECT DISTINCT ?x ?p ?v WHERE {{
  GRAPH ?g {{ ?x ?p ?v }} {_IN_SOURCES}
  FILTER(isLiteral(?v) && isIRI(?x))
  FILTER(?p NOT IN (rdfs:label, okg:quote, okg:line, okg:low, okg:high, okg:pointValue,
                    okg:statedAs))
}}"""
Q_PROVENANCE = f"""SELECT DISTINCT ?x ?src ?line ?quote (LANG(?quote) AS ?ql) WHERE {{
  GRAPH ?g {{
    ?x prov:hadPrimarySource ?src .
    OPTIONAL {{ ?x okg:line ?line }} OPTIONAL {{ ?x okg:quote ?quote }}
  }} {_IN_SOURCES}
}}"""
Q_SOURCES = """SELECT DISTINCT ?src ?title ?publisher ?date ?file WHERE {
  ?src a okg:Source .
  OPTIONAL { ?src dcterms:title ?title } OPTIONAL { ?src dcterms:publisher ?publisher }
  OPTIONAL { ?src dcterms:date ?date } OPTIONAL { ?src okg:factFile ?file }
}"""

PERCENT = str(OKG.Percent)
COUNTRY, SECTOR, HEADCOUNT = str(OKG.country), str(OKG.inSector), str(OKG.headcount)
EMPLOYER = {str(OKG.employer), str(OKG.workplace)}


class Labels:
    """Labels of every IRI in the store, picked in the page language with fallbacks."""

    def __init__(self, kg: KnowledgeGraph, lang: str):
        self.lang = lang
        self._by_iri: dict[str, dict[str | None, str]] = defaultdict(dict)
        for x, lab, tag in select(kg, Q_LABELS):
            if lab is not None:
                self._by_iri[x].setdefault(tag or None, lab)

    def has(self, iri: str) -> bool:
        return str(iri) in self._by_iri

    def __call__(self, iri: str) -> str:
        """The label in the page language, else en, fr, ar, any, else the IRI's last part."""
        return pick_label(self._by_iri.get(str(iri), {}), iri, self.lang)


def _unit(unit: str | None, label: Labels) -> str:
    if unit is None:
        return ""
    return "%" if unit == PERCENT else label(unit)


def extract(kg: KnowledgeGraph, lang: str = "en", include_illustrative: bool = False) -> View:
    """The whole drawable graph of the store, labelled in *lang* (see the module doc).

    Illustrative nodes (the projection's rule, :func:`okg.analysis.projection.illustrative_nodes`)
    are left out unless *include_illustrative*; then their labels end in "(illustrative)"."""
    label = Labels(kg, lang)
    loc = locale(lang if lang in LANGS else "en", isolate=False)  # the page isolates RTL runs
    types: dict[str, set[str]] = defaultdict(set)
    for x, c in select(kg, Q_TYPES):
        types[x].add(c)
    described = {r[0] for r in select(kg, Q_DESCRIBED)}
    category = {x: category_of(ts) for x, ts in types.items()}
    category = {x: c for x, c in category.items() if c}
    made_up = illustrative_nodes(kg)
    if not include_illustrative:
        category = {x: c for x, c in category.items() if x not in made_up}

    links = select(kg, Q_LINKS)
    data_nodes = {x for x in described if x in category}
    drawn = set(data_nodes)
    for s, _p, o in links:
        if s in data_nodes and o in category and category[o] in REFERENCE:
            drawn.add(o)
    kinds = {c.key: label(c.cls) for c in CATEGORIES}
    marker = f" ({text('illustrative', lang)})" if made_up & drawn else ""
    nodes = {
        x: Node(
            id=x,
            label=label(x) + (marker if x in made_up else ""),
            category=category[x],
            kind=kinds[category[x]],
        )
        for x in sorted(drawn)
    }

    def rows(sparql: str):
        return select(kg, sparql)

    rules = FigureRules.read(rows)
    headcount: dict[str, Claim] = {}
    quantity_of: set[str] = set()
    for claim in read_claims(rows, sources_only=True):
        quantity_of.add(claim.quantity)
        x = claim.fact
        if x not in nodes:
            continue
        qual = claim.qualifier
        nodes[x].figures.append(
            Figure(label(claim.prop), claim, label(qual) if qual else "", _unit(claim.unit, label))
        )
        if claim.prop == HEADCOUNT:
            headcount[x] = claim

    edges: list[Edge] = []
    employer: dict[str, list[str]] = defaultdict(list)
    for s, p, o in links:
        if s not in nodes:
            continue
        if o in nodes:
            edges.append(Edge(s, o, p, label(p)))
            if p == COUNTRY and category[s] != "country":
                nodes[s].country = o
            elif p == SECTOR:
                nodes[s].sector = o
            elif p in EMPLOYER:
                employer[s].append(o)
        elif o not in quantity_of:
            nodes[s].attributes.append((label(p), label(o)))
    _set_jobs(nodes, headcount, employer, rules)

    for x, p, v in select(kg, Q_LITERALS):
        if x in nodes:
            nodes[x].attributes.append((label(p), v))
    _add_sources(kg, nodes, text("line", lang))
    outgoing: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        outgoing[e.source].append(e)
    for n in nodes.values():
        n.figures.sort(key=lambda f: (f.name, f.stated))
        n.attributes = sorted(set(n.attributes))
        if not label.has(n.id) and n.figures:  # unlabelled facts: their kind and first figure
            first = n.figures[0]  # as stated ("about 163"), in the page's words and numbers
            shown = loc.text(first.stated) if first.stated else loc.fig(first.interval)
            n.label = f"{n.kind}: {shown}"
        elif not label.has(n.id):  # e.g. a membership: what it links, never its raw id
            n.label = _linked_label(n, outgoing.get(n.id, []), nodes)
    edges.sort(key=lambda e: (e.source, e.relation, e.target))
    return View(nodes=nodes, edges=edges, lang=lang, kinds=kinds)


def _linked_label(n: Node, out: list[Edge], nodes: dict[str, Node]) -> str:
    """The label of an unlabelled fact with no figure: the labels of what it links to (*out*,
    its edges), then its other values (a membership: ``Daniel Kohn, IKANBI (general
    manager)``)."""
    linked = sorted((e.relation, nodes[e.target].label) for e in out)
    names = ", ".join(dict.fromkeys(lab for _r, lab in linked))
    values = ", ".join(v for _k, v in n.attributes if v not in ("true", "false"))
    if names and values:
        return f"{names} ({values})"
    return names or values or n.kind


def _set_jobs(
    nodes: dict[str, Node],
    headcount: dict[str, Claim],
    employer: dict[str, list[str]],
    rules: FigureRules,
) -> None:
    """A workforce's jobs are its headcount; an employer's (or site's) jobs combine the
    headcounts of its workforces about a whole figure (:meth:`FigureRules.is_whole`: not a
    declared part of a total, so a permanent + temporary breakdown is not counted again)."""
    claims: dict[str, list[Interval]] = defaultdict(list)
    for w, claim in headcount.items():
        if not rules.is_whole(claim):
            nodes[w].jobs = claim.value
            continue
        claims[w].append(claim.value)
        for target in employer.get(w, []):
            claims[target].append(claim.value)
    for x, ivs in claims.items():
        nodes[x].jobs = combine_claims(ivs)


def _add_sources(kg: KnowledgeGraph, nodes: dict[str, Node], line_word: str) -> None:
    meta: dict[str, tuple[str, list[str]]] = {}
    for src, title, publisher, date, file in select(kg, Q_SOURCES):
        parts = [t for t in (publisher, date, file) if t is not None]
        meta[src] = (title if title is not None else src, parts)
    refs: dict[tuple[str, str], SourceRef] = {}
    rows = select(kg, Q_PROVENANCE)
    rows.sort(key=lambda r: tuple("" if t is None else t for t in r))
    for x, src, line, quote, tag in rows:
        if x not in nodes:
            continue
        ref = refs.get((x, src))
        if ref is None:
            title, parts = meta.get(src, (src, []))
            ref = SourceRef(src, title, " · ".join(parts))
            refs[(x, src)] = ref
            nodes[x].sources.append(ref)
        if line is not None and f"{line_word} {line}" not in ref.meta:
            ref.meta = " · ".join(p for p in (ref.meta, f"{line_word} {line}") if p)
        if quote is not None and all(q.text != quote for q in ref.quotes):
            ref.quotes.append(Quote(quote, tag or None))
