"""Exports for other tools: the dependency network as GraphML or GEXF, the store as RDF with or
without the ontology, and compact JSON-LD with okg's published ``@context``.

The network is the impact projection (:func:`okg.analysis.projection.cached_projection`): the
nodes and relations ``okg impact`` walks, oriented the way impact travels. GraphML and GEXF hold
only flat attributes, so each node gets strings and numbers: ``label`` (in the asked language,
falling back as everywhere in okg), ``label_en``/``label_fr``/``label_ar``, ``iri``, ``kind``
(the most specific core class, e.g. ``Firm``), ``types`` (asserted classes, comma-separated),
``country`` (ISO 3166-1), ``sector`` (NACE notation), ``lat``/``long`` (WGS84, a site's own or
its city's), ``sources``, ``illustrative``, and for
each figure the node carries (``headcount`` = jobs, ``share``, ``revenueShare``, ``firmCount``
...) ``<name>_low``/``<name>_high``: the hull of the sources' claims, an open bound left out.
Edges carry ``relation`` (core relation), ``predicate``, ``flow``, ``effect``, ``weight``,
``scope``, ``source`` and ``sources``. networkx reads both back (``read_graphml``,
``read_gexf``); Gephi, Cytoscape and yEd open them.

JSON-LD is compacted with the context shipped as ``ontology/context.jsonld`` (prefixes, and the
fact-file keys as terms: ``country``, ``sector``, ``provider``...; ``python
tools/make_reference.py --context`` rewrites it from the vocabulary), which the output embeds
with the keys the vocabulary has gained since and the prefixes of the store's sector modules,
so it reads offline.
"""

from __future__ import annotations

import io
import json
from fractions import Fraction

import networkx as nx
from okg.analysis.projection import cached_projection
from okg.store import KnowledgeGraph
from okg.terms.identifiers import schemes_of
from okg.terms.labels import pick
from okg.terms.namespaces import ONTOLOGY_GRAPH_PREFIX, PREFIXES
from okg.terms.resources import ontology_dir
from okg.terms.vocabulary import Vocabulary
from rdflib import Dataset, Graph, URIRef

NETWORK_FORMATS = ("graphml", "gexf")
RDF_FORMATS = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt"}
CONTEXT_FILE = "context.jsonld"
CONTEXT_PREFIXES = (
    "okg",
    "okgd",
    "country",
    "market",
    "lang",
    "nace",
    "org",
    "prov",
    "time",
    "schema",
    "foaf",
    "rdf",
    "rdfs",
    "owl",
    "xsd",
    "skos",
    "dcterms",
)
CONTEXT_RENAMED = {"country": "iso3166", "market": "iso3166market"}
ADMS = "http://www.w3.org/ns/adms#"
WIKIDATA = "http://www.wikidata.org/entity/"
WGS84 = "http://www.w3.org/2003/01/geo/wgs84_pos#"


# -- the network ------------------------------------------------------------------------------


def _local(iri: str | None) -> str | None:
    if iri is None:
        return None
    s = str(iri)
    for sep in ("#", "/"):
        if sep in s:
            return s.rsplit(sep, 1)[1]
    return s


def _number(x: Fraction | None) -> int | float | None:
    if x is None:
        return None
    return int(x) if x.denominator == 1 else float(x)


def _hull(claims) -> tuple[Fraction | None, Fraction | None]:
    """Lowest low and highest high of the known claims; an open or unknown bound is None."""
    values = [c.value for c in claims if getattr(c.value, "known", True)]
    if not values:
        return None, None
    lows = [v.low for v in values]
    highs = [v.high for v in values]
    low = None if any(x is None for x in lows) else min(lows)
    high = None if any(x is None for x in highs) else max(highs)
    return low, high


def flat_network(G: nx.MultiDiGraph, voc: Vocabulary, lang: str = "en") -> nx.MultiDiGraph:
    """The projection with flat string/number/bool attributes only (see the module doc)."""
    F = nx.MultiDiGraph()
    F.graph["name"] = "okg dependency network"
    F.graph["lang"] = lang
    for n, a in G.nodes(data=True):
        labels = a.get("labels") or {}
        label = pick(labels, lang)
        attrs: dict[str, object] = {
            "label": label if label is not None else voc.qname(URIRef(n)),
            "iri": str(n),
        }
        for code in ("en", "fr", "ar"):
            if labels.get(code):
                attrs[f"label_{code}"] = labels[code]
        kind = _local(a.get("kind"))
        if kind:
            attrs["kind"] = kind
        if a.get("types"):
            attrs["types"] = ",".join(voc.qname(URIRef(t)) for t in a["types"])
        for name in ("country", "sector"):
            if a.get(name):
                attrs[name] = str(a[name])
        if a.get("sources"):
            attrs["sources"] = ",".join(a["sources"])
        attrs["illustrative"] = bool(a.get("illustrative"))
        for prop, claims in sorted((a.get("quantities") or {}).items()):
            low, high = _hull(claims)
            name = _local(prop)
            if low is not None:
                attrs[f"{name}_low"] = _number(low)
            if high is not None:
                attrs[f"{name}_high"] = _number(high)
        F.add_node(str(n), **attrs)
    for u, v, key, d in G.edges(keys=True, data=True):
        attrs = {
            "relation": _local(d.get("relation")) or "",
            "predicate": voc.qname(URIRef(d["predicate"])) if d.get("predicate") else "",
            "flow": d.get("flow") or "",
            "scope": bool(d.get("scope")),
        }
        for name in ("effect", "source"):
            if d.get(name):
                attrs[name] = str(d[name])
        if d.get("weight"):
            attrs["weight_property"] = _local(d["weight"])
        if d.get("sources"):
            attrs["sources"] = ",".join(d["sources"])
        F.add_edge(str(u), str(v), key=_local(key) or str(key), **attrs)
    return F


Q_COORDINATES = """
PREFIX geo: <http://www.w3.org/2003/01/geo/wgs84_pos#>
SELECT ?x ?lat ?long ?own WHERE {
  { ?x geo:lat ?lat ; geo:long ?long . BIND(true AS ?own) }
  UNION
  { ?x okg:city ?c . ?c geo:lat ?lat ; geo:long ?long . BIND(false AS ?own) }
}"""


def coordinates(kg: KnowledgeGraph) -> dict[str, tuple[float, float]]:
    """WGS84 (lat, long) of every place that has them; a site without its own takes its city's."""
    out: dict[str, tuple[float, float]] = {}
    own: set[str] = set()
    for x, lat, long, is_own in kg.query(Q_COORDINATES).rows:
        key = str(x)
        if key in own:
            continue
        out[key] = (float(lat), float(long))
        if is_own is not None and is_own.toPython() is True:
            own.add(key)
    return out


def export_network(kg: KnowledgeGraph, fmt: str, lang: str = "en") -> bytes:
    """The impact projection as GraphML or GEXF (UTF-8 bytes)."""
    if fmt not in NETWORK_FORMATS:
        raise ValueError(f"unknown network format '{fmt}'; expected one of graphml, gexf")
    F = flat_network(cached_projection(kg), kg.voc, lang)
    for node, (lat, long) in coordinates(kg).items():
        if node in F:
            F.nodes[node]["lat"] = lat
            F.nodes[node]["long"] = long
    buf = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(F, buf, encoding="utf-8", named_key_ids=True)
    else:
        nx.write_gexf(F, buf, encoding="utf-8")
    return buf.getvalue()


# -- RDF --------------------------------------------------------------------------------------


def data_dataset(kg: KnowledgeGraph) -> Dataset:
    """The store as an rdflib Dataset without the ontology graphs (``--no-ontology``)."""
    ds = Dataset()
    ds.parse(data=kg.export("nquads"), format="nquads")
    for g in list(ds.graphs()):
        if str(g.identifier).startswith(ONTOLOGY_GRAPH_PREFIX):
            ds.remove_graph(g)
    return ds


def _bind(g: Graph) -> None:
    for p in CONTEXT_PREFIXES:
        g.bind(p, PREFIXES[p], replace=True)
    g.bind("adms", ADMS)
    g.bind("wd", WIKIDATA)
    g.bind("geo", WGS84)


def export_rdf(kg: KnowledgeGraph, fmt: str, ontology: bool = True) -> bytes:
    """turtle, trig, nquads, ntriples or jsonld; without the ontology graphs if not *ontology*.

    JSON-LD is compact, with :func:`load_context` embedded; TriG, N-Quads and JSON-LD keep the
    named graphs, Turtle and N-Triples merge them.
    """
    if fmt == "jsonld":
        return export_jsonld(kg, ontology)
    if fmt not in RDF_FORMATS:
        raise ValueError(f"unknown RDF format '{fmt}'; expected one of {', '.join(RDF_FORMATS)}")
    if ontology:
        return kg.export(fmt)
    ds = data_dataset(kg)
    if fmt in ("trig", "nquads"):
        _bind(ds)
        return ds.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")
    merged = Graph()
    _bind(merged)
    for s, p, o, _g in ds.quads((None, None, None, None)):
        merged.add((s, p, o))
    return merged.serialize(format=RDF_FORMATS[fmt], encoding="utf-8")


# -- JSON-LD ----------------------------------------------------------------------------------


def _compact(iri: str, ctx: dict) -> str:
    """*iri* as prefix:local with the longest prefix of *ctx* that it starts with."""
    best = max(
        (
            p
            for p, ns in ctx.items()
            if isinstance(ns, str) and ns[-1:] in "#/" and iri.startswith(ns)
        ),
        key=lambda p: len(ctx[p]),
        default=None,
    )
    return f"{best}:{iri[len(ctx[best]) :]}" if best else iri


def build_context(voc: Vocabulary) -> dict:
    """okg's JSON-LD context: prefixes, and each core fact-file key as a term for its property
    (object properties typed ``@id``, dates ``xsd:date``), plus ``label`` as a language map."""
    # The countries' and markets' namespaces get prefixes that are not fact-file keys, so that
    # the keys ``country`` and ``market`` stay terms for the properties.
    schemes = schemes_of(voc)
    ctx: dict[str, object] = {CONTEXT_RENAMED.get(p, p): str(PREFIXES[p]) for p in CONTEXT_PREFIXES}
    ctx["adms"] = ADMS
    ctx["wd"] = WIKIDATA
    ctx["geo"] = WGS84
    ctx["id"] = "@id"
    ctx["type"] = "@type"
    ctx["label"] = {"@id": "rdfs:label", "@container": "@language"}
    ctx["sameAs"] = {"@id": "owl:sameAs", "@type": "@id"}
    ctx["identifier"] = {"@id": "adms:identifier", "@type": "@id"}
    ctx["notation"] = {"@id": "skos:notation"}
    ctx["scheme"] = {"@id": "okg:scheme", "@type": "@id"}
    ctx["broader"] = {"@id": "skos:broader", "@type": "@id"}
    ctx["source"] = {"@id": "prov:hadPrimarySource", "@type": "@id"}
    ctx["quote"] = {"@id": "okg:quote"}
    for key, info in sorted(voc.by_key.items()):
        if info.module != "core" or ":" in key or info.iri in schemes:
            continue  # identifier keys are stored as sameAs / adms:identifier, not as themselves
        if key in ctx:
            raise ValueError(f"fact-file key '{key}' clashes with a term of the JSON-LD context")
        term: dict[str, str] = {"@id": _compact(str(info.iri), ctx)}
        if info.is_object:
            term["@type"] = "@id"
        elif info.range is not None and str(info.range).startswith(str(PREFIXES["xsd"])):
            if str(info.range) != str(PREFIXES["xsd"]) + "string":
                term["@type"] = "xsd:" + str(info.range)[len(str(PREFIXES["xsd"])) :]
        ctx[key] = term
    return {"@context": ctx}


def load_context() -> dict:
    """The context shipped as ``ontology/context.jsonld``."""
    return json.loads((ontology_dir() / CONTEXT_FILE).read_text(encoding="utf-8"))


def export_jsonld(kg: KnowledgeGraph, ontology: bool = True) -> bytes:
    """The store (named graphs kept) as JSON-LD compacted with okg's context, embedded."""
    ds = data_dataset(kg) if not ontology else _full_dataset(kg)
    # The published context, with what the vocabulary gained since (new keys) and the sector
    # modules' prefixes: the output always reads back the same triples.
    context = {**load_context()["@context"], **build_context(kg.voc)["@context"]}
    for m in sorted(kg.voc.modules.values(), key=lambda m: m.prefix):  # cc:, auto: ...
        context.setdefault(m.prefix, m.namespace)
    data = ds.serialize(format="json-ld", context=context, auto_compact=True, indent=1)
    text = data if isinstance(data, str) else data.decode("utf-8")
    return text.encode("utf-8")


def _full_dataset(kg: KnowledgeGraph) -> Dataset:
    ds = Dataset()
    ds.parse(data=kg.export("nquads"), format="nquads")
    return ds


EXPORT_FORMATS = (*RDF_FORMATS, "jsonld", *NETWORK_FORMATS)
"""Every format of ``okg export``."""


def export_store(kg: KnowledgeGraph, fmt: str, ontology: bool = True, lang: str = "en") -> bytes:
    """``okg export``: RDF (with or without the ontology graphs) or the network (GraphML, GEXF;
    labels in *lang*)."""
    if fmt in NETWORK_FORMATS:
        return export_network(kg, fmt, lang)
    return export_rdf(kg, fmt, ontology)
