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
from collections.abc import Container, Iterable
from itertools import product

from okg.analysis.projection import illustrative_nodes, select
from okg.figures.claims import (
    Q_CLAIM_QUOTES,
    Q_ILLUSTRATIVE,
    Q_SCOPES,
    Q_SOURCE_TITLES,
    Claim,
    FigureRules,
    claims_from_rows,
    quotes_from_rows,
    read_claims,
    scopes_from_rows,
    titles_from_rows,
)
from okg.figures.intervals import Interval, combine_claims
from okg.render.i18n import LANGS, locale
from okg.store import KnowledgeGraph
from okg.store.sparql import term_to_sparql
from okg.terms.labels import label as pick_label
from okg.terms.namespaces import OKG, SOURCE_GRAPH_PREFIX
from okg.viz.model import Edge, Figure, Node, Quote, SourceRef, View
from okg.viz.style import CATEGORIES, FIRM_LIKE, REFERENCE, category_of, text
from rdflib import Literal, URIRef

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

    def __init__(self, kg: KnowledgeGraph, lang: str, only: Iterable[str] | None = None):
        """Every IRI's labels, or those of the IRIs in *only* (bound as VALUES)."""
        self.lang = lang
        self._by_iri: dict[str, dict[str | None, str]] = defaultdict(dict)
        found = select(kg, Q_LABELS) if only is None else select_about(kg, Q_LABELS, "x", only)
        for x, lab, tag in found:
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
    marker = f" ({text('illustrative', lang)})" if made_up & drawn else ""

    def rows(sparql: str):
        return select(kg, sparql)

    return _assemble(
        kg,
        lang,
        label,
        category,
        made_up,
        marker,
        drawn,
        drawn.__contains__,
        links,
        FigureRules.read(rows),
        read_claims(rows, sources_only=True),
        select(kg, Q_LITERALS),
        rows,
    )


def _assemble(
    kg: KnowledgeGraph,
    lang: str,
    label: Labels,
    category: dict[str, str],
    made_up: set[str],
    marker: str,
    build: set[str],
    is_node,
    links: list,
    rules: FigureRules,
    claims: list[Claim],
    literals: list,
    rows,
) -> View:
    """The view of the nodes in *build* from the rows read for them (the whole store's rows
    for :func:`extract`; the rows about *build* only for :func:`extract_nodes`). *is_node* says
    whether an IRI is a drawn node of the whole store (a link to a drawn node outside *build*
    is an edge, not an attribute); *rows* runs a SELECT for the provenance queries."""
    loc = locale(lang if lang in LANGS else "en", isolate=False)  # the page isolates RTL runs
    kinds = {c.key: label(c.cls) for c in CATEGORIES}
    nodes = {
        x: Node(
            id=x,
            label=label(x) + (marker if x in made_up else ""),
            category=category[x],
            kind=kinds[category[x]],
        )
        for x in sorted(build)
    }

    headcount: dict[str, Claim] = {}
    quantity_of: set[str] = set()
    for claim in claims:
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
        if is_node(o):
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

    for x, p, v in literals:
        if x in nodes:
            nodes[x].attributes.append((label(p), v))
    _add_sources(rows, nodes, text("line", lang))
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
    linked = sorted((e.relation, nodes[e.target].label) for e in out if e.target in nodes)
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
        if x in nodes:  # an employer outside the nodes built (cut first) is not drawn
            nodes[x].jobs = combine_claims(ivs)


def _add_sources(rows, nodes: dict[str, Node], line_word: str) -> None:
    meta: dict[str, tuple[str, list[str]]] = {}
    for src, title, publisher, date, file in rows(Q_SOURCES):
        parts = [t for t in (publisher, date, file) if t is not None]
        meta[src] = (title if title is not None else src, parts)
    refs: dict[tuple[str, str], SourceRef] = {}
    prov = rows(Q_PROVENANCE)
    prov.sort(key=lambda r: tuple("" if t is None else t for t in r))
    for x, src, line, quote, tag in prov:
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


# -- cut first: the kept nodes found with bound VALUES, then only their rows read -------------

BATCH = 2000
"""IRIs bound in one VALUES block; more are read in several queries."""
WHOLE_SHARE = 0.25
"""Above this share of the store's nodes, :func:`extract_nodes` reads the whole store: bound
VALUES cost about as much per node as the whole-store queries (at 10^5 triples, an event's
5,560 nodes of 13,000 took 7.5 s by VALUES, 4-5 s whole)."""


def values_block(var: str, iris: Iterable[str]) -> str:
    """``VALUES ?var { <iri> ... }``: each IRI written by the store's binding helper
    (:func:`okg.store.sparql.term_to_sparql`, which refuses what could break out of an IRI)."""
    if not var.isidentifier():
        raise ValueError(f"not a variable name: {var!r}")
    terms = " ".join(term_to_sparql(URIRef(x)) for x in iris)
    return f"VALUES ?{var} {{ {terms} }}"


def select_about(
    kg: KnowledgeGraph, sparql: str, var: str, iris: Iterable[str], where: str = "WHERE {"
) -> list:
    """The rows of *sparql* with ``?var`` bound to each of *iris* (a VALUES block put just
    after the first *where*, by default the start of its WHERE group; :data:`BATCH` IRIs a
    query); distinct rows, in query order."""
    xs = sorted(set(iris))
    at = sparql.index(where) + len(where)
    out: list = []
    seen: set = set()
    for i in range(0, len(xs), BATCH):
        q = f"{sparql[:at]} {values_block(var, xs[i : i + BATCH])} {sparql[at:]}"
        for r in select(kg, q):
            if r not in seen:
                seen.add(r)
                out.append(r)
    return out


_Q_ANY_ILLUSTRATIVE = "SELECT ?x WHERE { ?x okg:illustrative ?v } LIMIT 1"
Q_LABEL_IS = """SELECT DISTINCT ?x WHERE { ?x rdfs:label ?l . FILTER(LCASE(STR(?l)) = ?k) }"""


Q_CLAIM_LINKS = """SELECT DISTINCT ?x ?p ?q ?g WHERE { GRAPH ?g { ?x ?p ?q } FILTER(isIRI(?q)) }"""
Q_QUANTITY_VALUES = """SELECT DISTINCT ?q ?g ?p ?v WHERE { GRAPH ?g { ?q ?p ?v } }"""
Q_LINES = """SELECT DISTINCT ?x ?g ?line WHERE { GRAPH ?g { ?x okg:line ?line } }"""
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_OPTIONAL = [str(OKG[p]) for p in ("qualifier", "unit", "low", "high", "pointValue", "statedAs")]


def claim_rows(
    kg: KnowledgeGraph, xs: Iterable[str], not_quantities: Container[str] = ()
) -> list[tuple]:
    """The rows of :data:`okg.figures.claims.Q_CLAIMS` about the nodes *xs*, read as three
    queries bound by VALUES and joined here. (Q_CLAIMS itself with ``?x`` bound took as long
    as over the whole store, 2.5 s of CPU a batch at 10^6 triples: its OPTIONALs are read
    for every Quantity.) Each OPTIONAL's values in the claim's graph, or one unbound, are
    combined as the query's solutions are; distinct rows. *not_quantities* are IRIs known
    not to be Quantity nodes (the drawn individuals), not looked up."""
    base = [
        r
        for r in select_about(kg, Q_CLAIM_LINKS, "x", xs)
        if r[1] != _RDF_TYPE and r[2] not in not_quantities
    ]
    values: dict[tuple[str, str], dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for q, g, p, v in select_about(kg, Q_QUANTITY_VALUES, "q", {r[2] for r in base}):
        values[(q, g)][p].append(v)
    lines: dict[tuple[str, str], list] = defaultdict(list)
    for x, g, line in select_about(kg, Q_LINES, "x", xs, "GRAPH ?g {"):
        lines[(x, g)].append(line)
    quantity = str(OKG.Quantity)
    out: dict[tuple, None] = {}
    for x, p, q, g in base:
        vals = values.get((q, g))
        if vals is None or quantity not in vals.get(_RDF_TYPE, ()):
            continue
        opts = [vals.get(o) or [None] for o in _OPTIONAL] + [lines.get((x, g)) or [None]]
        for combo in product(*opts):
            out[(x, p, q, g, *combo)] = None
    return list(out)


class Skeleton:
    """What decides which nodes a view draws, read without reading the whole store's links:
    every individual's category (one query), and, asked for the nodes met, whether the
    sources describe them and whether a reference node is linked from a data node (so
    drawn): the same rule as :func:`extract`."""

    def __init__(self, kg: KnowledgeGraph, include_illustrative: bool = False):
        self.kg = kg
        self.include_illustrative = include_illustrative
        types: dict[str, set[str]] = defaultdict(set)
        for x, c in select(kg, Q_TYPES):
            types[x].add(c)
        category = {x: category_of(ts) for x, ts in types.items()}
        # the projection's rule reads every described node of the store: only when some
        # node is marked illustrative at all (none at 10^6 triples: 3.4 s saved)
        marked = select(kg, _Q_ANY_ILLUSTRATIVE)
        self.made_up = illustrative_nodes(kg) if marked else set()
        self.category = {
            x: c
            for x, c in category.items()
            if c and (include_illustrative or x not in self.made_up)
        }
        self._described: dict[str, bool] = {}
        self._linked: dict[str, bool] = {}
        self._links_out: dict[str, list] = {}
        self._links_in: dict[str, list] = {}

    def _data(self, xs: Iterable[str]) -> None:
        ask = {x for x in xs if x in self.category and x not in self._described}
        if ask:
            found = {r[0] for r in select_about(self.kg, Q_DESCRIBED, "x", ask)}
            for x in ask:
                self._described[x] = x in found

    def is_data(self, x: str) -> bool:
        self._data([x])
        return self._described.get(x, False)

    def drawn(self, xs: Iterable[str]) -> set[str]:
        """The drawn nodes among *xs*: data nodes, and reference nodes a data node links to."""
        xs = {x for x in xs if x in self.category}
        self._data(xs)
        refs = {
            x
            for x in xs
            if not self._described[x] and self.category[x] in REFERENCE and x not in self._linked
        }
        if refs:
            self.links_in(refs)
            subjects = {s for x in refs for s, _p, _o in self._links_in[x]}
            self._data(subjects)
            for x in refs:
                self._linked[x] = any(self.is_data(s) for s, _p, _o in self._links_in[x])
        return {x for x in xs if self._described[x] or self._linked.get(x, False)}

    def links_out(self, xs: Iterable[str]) -> list:
        xs = list(xs)
        ask = [x for x in xs if x not in self._links_out]
        if ask:
            for x in ask:
                self._links_out[x] = []
            self._data(ask)
            for r in select_about(self.kg, Q_LINKS, "s", ask):
                self._links_out[r[0]].append(r)
                s, o = r[0], r[2]
                if self._described.get(s) and self.category.get(o) in REFERENCE:
                    self._linked[o] = True  # a data node links to it: drawn
        return [r for x in xs for r in self._links_out[x]]

    def links_in(self, xs: Iterable[str]) -> list:
        xs = list(xs)
        ask = [x for x in xs if x not in self._links_in]
        if ask:
            for x in ask:
                self._links_in[x] = []
            for r in select_about(self.kg, Q_LINKS, "o", ask):  # the links into some nodes
                self._links_in[r[2]].append(r)
        return [r for x in xs for r in self._links_in[x]]

    def neighbourhood(self, seeds: set[str], depth: int) -> set[str] | None:
        """:func:`okg.viz.cut.neighbourhood` of the whole view, walked in the store: the
        drawn seeds and every drawn node within *depth* hops, not crossing reference nodes.
        None as soon as it holds more than :data:`WHOLE_SHARE` of the store's nodes (the
        caller then reads the store whole: walking most of it by VALUES costs more)."""
        big = WHOLE_SHARE * len(self.category)
        if len(seeds) > big:
            return None
        seen = self.drawn(seeds)
        frontier = set(seen)
        for _ in range(depth):
            if len(seen) > big:
                return None
            cross = {x for x in frontier if x in seeds or self.category[x] not in REFERENCE}
            ends = {o for _s, _p, o in self.links_out(cross)}
            ends |= {s for s, _p, _o in self.links_in(cross)}
            nxt = self.drawn(ends - seen)
            seen |= nxt
            frontier = nxt
        return None if len(seen) > big else seen

    def resolve(self, key: str, categories: set[str] | None = None, lang: str = "en") -> str | None:
        """:func:`okg.viz.cut.resolve` without the view: by IRI, by the IRI's last part, then
        by label. None when unsure (no hit, or a key that is not ASCII): the caller then
        resolves on the whole view."""
        k = key.strip()
        marker = self.marker(lang)
        cands = [x for x, c in self.category.items() if categories is None or c in categories]
        if k in self.category and (categories is None or self.category[k] in categories):
            if self.drawn([k]):
                return k
        last = sorted(
            x for x in cands if x.rsplit("/", 1)[-1].rsplit("#", 1)[-1] in (k, k.replace(".", ""))
        )
        hits = sorted(self.drawn(last))
        if hits:
            return hits[0]
        if not k.isascii() or not k:
            return None
        bound = f"VALUES ?k {{ {term_to_sparql(Literal(k.lower()))} }}"
        q = Q_LABEL_IS.replace("WHERE {", "WHERE { " + bound, 1)
        named = {
            x
            for (x,) in select(self.kg, q)
            if x in self.category and (categories is None or self.category[x] in categories)
        }
        label = Labels(self.kg, lang, only=named)
        hits = sorted(
            x
            for x in self.drawn(named)
            if (label(x) + (marker if x in self.made_up else "")).casefold() == k.casefold()
        )
        return hits[0] if hits else None

    def marker(self, lang: str) -> str:
        """The illustrative marker, as :func:`extract` decides it (any illustrative node drawn)."""
        shown = self.drawn(x for x in self.made_up if x in self.category)
        return f" ({text('illustrative', lang)})" if shown else ""

    def actors_in(self, sector: str | None, country: str | None) -> set[str]:
        """:func:`okg.viz.cut.actors_in` without the view: the drawn firms and segments whose
        sector and country nodes (as :func:`extract` sets them) are *sector* and *country*."""
        cands: set[str] | None = None
        for target, prop in ((sector, SECTOR), (country, COUNTRY)):
            if target is None:
                continue
            found = {s for s, p, _o in self.links_in([target]) if p == prop}
            cands = found if cands is None else cands & found
        assert cands is not None
        cands = {x for x in cands if self.category.get(x) in FIRM_LIKE | {"segment"}}
        cands = self.drawn(cands)
        rows = self.links_out(cands)
        ends = self.drawn({o for _s, _p, o in rows})
        of: dict[str, dict[str, str]] = defaultdict(dict)
        for s, p, o in rows:
            if o in ends and (p == SECTOR or p == COUNTRY):
                of[s][p] = o
        return {
            x
            for x in cands
            if (sector is None or of[x].get(SECTOR) == sector)
            and (country is None or of[x].get(COUNTRY) == country)
        }


def extract_nodes(
    kg: KnowledgeGraph,
    skel: Skeleton,
    keep: set[str],
    lang: str = "en",
) -> View:
    """The view :func:`extract` would give, restricted to the drawn nodes *keep*
    (:func:`okg.viz.cut.subview`), read only about them: their links, figures, literals,
    sources and quotes, bound as VALUES. Built with them: their link targets (for the labels
    of unlabelled facts) and the workforce facts of employers and workplaces (their jobs)."""
    keep = skel.drawn(keep)
    out = skel.links_out(keep)
    build = set(keep) | skel.drawn({o for _s, _p, o in out})
    build |= skel.drawn({s for s, p, _o in skel.links_in(keep) if p in EMPLOYER})
    if len(build) > WHOLE_SHARE * len(skel.category):  # most of the store: reading it whole
        whole = extract(kg, lang, skel.include_illustrative)  # is cheaper than by VALUES
        nodes = {k: n for k, n in whole.nodes.items() if k in keep}
        edges = [e for e in whole.edges if e.source in nodes and e.target in nodes]
        return View(nodes, edges, whole.lang, whole.kinds)
    links = skel.links_out(build)
    ends = skel.drawn({o for _s, _p, o in links}) | build

    def rows(sparql: str):
        if sparql is Q_PROVENANCE:  # bound inside GRAPH: 7x faster than outside at 10^6
            return select_about(kg, Q_PROVENANCE, "x", build, "GRAPH ?g {")
        return select(kg, sparql)

    claims = claims_from_rows(
        claim_rows(kg, build, skel.category),
        quotes=quotes_from_rows(select_about(kg, Q_CLAIM_QUOTES, "x", build)),
        titles=titles_from_rows(select(kg, Q_SOURCE_TITLES)),
        scopes=scopes_from_rows(select_about(kg, Q_SCOPES, "x", build)),
        illustrative=[r[0] for r in select(kg, Q_ILLUSTRATIVE)],
        sources_only=True,
    )
    literals = select_about(kg, Q_LITERALS, "x", build)
    named = set(build) | {c.cls for c in CATEGORIES}
    named |= {t for r in links for t in r[1:]} | {r[1] for r in literals}
    named |= {t for c in claims for t in (c.prop, c.qualifier, c.unit) if t is not None}
    label = Labels(kg, lang, only={str(x) for x in named})
    view = _assemble(
        kg,
        lang,
        label,
        skel.category,
        skel.made_up,
        skel.marker(lang),
        build,
        ends.__contains__,
        links,
        FigureRules.read(lambda q: select(kg, q)),
        claims,
        literals,
        rows,
    )
    nodes = {k: n for k, n in view.nodes.items() if k in keep}
    edges = [e for e in view.edges if e.source in nodes and e.target in nodes]
    return View(nodes, edges, view.lang, view.kinds)
