"""Offshoring Knowledge Graph: firms, contracts, regulations and jobs as a sourced, queryable RDF graph.

The installed package ``okg`` is made of the repository's top-level folders (see README, Layout);
its layers, lowest first, are:

========================  ==================  ==============================================
layer                     package             folder
========================  ==================  ==============================================
vocabulary and terms      ``okg.terms``       ``kg/terms/`` (and the Turtle in ``ontology/``)
figures                   ``okg.figures``     ``kg/figures/``
loaders                   ``okg.loaders``     ``loaders/``
store and SPARQL          ``okg.store``,      ``kg/store/``, ``queries/``
                          ``okg.queries``
analysis                  ``okg.analysis``    ``kg/analysis/``
rendering                 ``okg.render``,     ``kg/render/``, ``viz/``
                          ``okg.viz``
command line              ``okg.cli``         ``kg/cli/``
========================  ==================  ==============================================

No module imports from a layer above its own (``tests/test_layers.py``). The names below are
imported on first use, so ``import okg`` stays cheap:

>>> import okg
>>> okg.KnowledgeGraph.__name__
'KnowledgeGraph'
"""

from __future__ import annotations

__all__ = ["KnowledgeGraph", "run_query", "__version__"]

_LAZY = {
    "KnowledgeGraph": ("okg.store", "KnowledgeGraph"),
    "run_query": ("okg.queries", "run_query"),
}


def __getattr__(name: str):
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("okg")
        except PackageNotFoundError:  # a checkout on sys.path without an install
            return "0+unknown"
    if name in _LAZY:
        import importlib

        module, attr = _LAZY[name]
        return getattr(importlib.import_module(module), attr)
    raise AttributeError(f"module 'okg' has no attribute {name!r}")
