"""The store and SPARQL layer: one named graph per source in an embedded Oxigraph (or rdflib)
store, SPARQL with bound parameters, remote endpoints, SHACL and the reasoner.

>>> from okg.store import KnowledgeGraph
>>> with KnowledgeGraph.in_memory() as kg:
...     kg.graph_names()
[]
"""

from okg.store.knowledge_graph import (
    STORE_ENV,
    KnowledgeGraph,
    MissingModuleError,
    SourceInfo,
    StoreMissingError,
    default_store_path,
)

__all__ = [
    "STORE_ENV",
    "KnowledgeGraph",
    "MissingModuleError",
    "SourceInfo",
    "StoreMissingError",
    "default_store_path",
]
