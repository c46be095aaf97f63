"""Namespaces of the project and of the vocabularies it reuses, as rdflib Namespace objects."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS, XSD

OKG = Namespace("https://w3id.org/okg/ontology#")
"""Core ontology terms."""
OKGD = Namespace("https://w3id.org/okg/id/")
"""Data: entities, facts, sources."""
GRAPH = Namespace("https://w3id.org/okg/graph/")
"""Named graphs: ``GRAPH['source/ID']``, ``GRAPH['ontology/NAME']``, ``GRAPH.derived``."""
COUNTRY = Namespace("https://w3id.org/okg/id/country/")
MARKET = Namespace("https://w3id.org/okg/id/market/")
LANG = Namespace("https://w3id.org/okg/id/language/")
NACE = Namespace("http://data.europa.eu/ux2/nace2/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
TIME = Namespace("http://www.w3.org/2006/time#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")

DERIVED_GRAPH = GRAPH["derived"]
ONTOLOGY_GRAPH_PREFIX = str(GRAPH) + "ontology/"
SOURCE_GRAPH_PREFIX = str(GRAPH) + "source/"

PREFIXES: dict[str, Namespace] = {
    "okg": OKG,
    "okgd": OKGD,
    "country": COUNTRY,
    "market": MARKET,
    "lang": LANG,
    "nace": NACE,
    "org": ORG,
    "prov": PROV,
    "time": TIME,
    "schema": SCHEMA,
    "foaf": FOAF,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "sh": SH,
}


def source_graph(source_id: str):
    """The named graph that holds the facts of one source."""
    return GRAPH[f"source/{source_id}"]


def source_node(source_id: str):
    """The okg:Source individual of one source."""
    return OKGD[f"source/{source_id}"]


def sparql_prologue() -> str:
    """PREFIX declarations for every namespace above."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
