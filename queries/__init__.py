"""The canned SPARQL queries (``*.rq`` in this folder) and the catalog that runs them.

>>> from okg.queries import catalog
>>> "jobs" in catalog()
True
"""

from __future__ import annotations

__all__ = ["CannedQuery", "QueryError", "catalog", "resolve", "run_query"]


def __getattr__(name: str):
    if name in __all__:
        from okg.queries import canned as module

        return getattr(module, name)
    raise AttributeError(f"module 'okg.queries' has no attribute {name!r}")
