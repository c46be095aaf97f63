"""Read a SPARQL server as the analysis reads the embedded store.

The analysis (projection, impact, analyze, viz, report) reads a :class:`KnowledgeGraph` through
its ``backend.select`` (SELECT text in, :class:`~okg.store.sparql.Rows` out) and the helpers
built on it (``query`` with bound parameters, ``label``, ``status``). :class:`EndpointBackend`
is that reading side of a backend over an :class:`~okg.store.remote.Endpoint`, with the
endpoint's time-outs and retries; every write raises. So ``KnowledgeGraph(EndpointBackend(ep))``
runs the same SPARQL, the projection's fixed number of SELECTs included, on the server.

Before the first read the server's default graph is checked (one cheap ASK, see
:meth:`Endpoint.check_default_graph`): a server that hides okg's named graphs from it is a
one-line error, not empty results. The projection cache for an endpoint is keyed by the store
id and version that ``okg push`` wrote in the server's status graph; a server without one (not
written by a push) is not cached.

>>> EndpointBackend.remote
True
"""

from __future__ import annotations

from okg.store.knowledge_graph import KnowledgeGraph
from okg.store.remote import Endpoint, EndpointError
from okg.store.sparql import Rows
from rdflib import Graph


class EndpointBackend:
    """The reading side of a backend, on a SPARQL endpoint (read-only)."""

    name = "endpoint"
    remote = True
    path = None

    def __init__(self, endpoint: Endpoint, check: bool = True):
        self.endpoint = endpoint
        if check:
            endpoint.check_default_graph()

    @property
    def cache_key(self) -> str:
        """Where the projection cache of this server lives in memory (its query URL)."""
        return f"endpoint:{self.endpoint.query_url}"

    def select(self, sparql: str) -> Rows:
        return self.endpoint.select(sparql, name="analysis read")

    def ask(self, sparql: str) -> bool:
        return self.endpoint.ask(sparql, name="analysis read")

    def _read_only(self, *_args, **_kwargs):
        raise EndpointError(f"endpoint {self.endpoint}: read only here (okg push writes it)")

    update = add_nquads = replace = _read_only

    def construct(self, sparql: str) -> Graph:
        return self._read_only()

    def dump(self, fmt: str, exclude: tuple[str, ...] = ()) -> bytes:
        return self._read_only()

    def count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(str(rows.rows[0][0]))

    def flush(self) -> None:
        pass


def open_endpoint(url: str, timeout: float = 30.0, attempts: int = 3) -> KnowledgeGraph:
    """A read-only :class:`KnowledgeGraph` over the SPARQL server at *url* (its query URL)."""
    return KnowledgeGraph(EndpointBackend(Endpoint(url, timeout=timeout, attempts=attempts)))
