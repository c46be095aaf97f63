"""A SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso...) as a query target.

Queries and updates go through SPARQLWrapper; :func:`push` uploads the local store's named
graphs with the Graph Store Protocol (one PUT per graph) or with SPARQL Update (DROP GRAPH then
INSERT DATA), touching only the graphs this project owns (IRIs under
``https://w3id.org/okg/graph/``). Basic-auth credentials come from the environment
(``OKG_ENDPOINT_USER`` / ``OKG_ENDPOINT_PASSWORD``), never from the command line. Reads are
retried with exponential back-off a bounded number of times; every failure is an
:class:`EndpointError` whose message names the endpoint and the query.

>>> ep = Endpoint("http://127.0.0.1:1/query", attempts=1, timeout=1)
>>> try:
...     ep.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1", name="demo")
... except EndpointError as exc:
...     print(str(exc).split(":")[0:3])
['endpoint http', '//127.0.0.1', '1/query']
"""

from __future__ import annotations

import base64
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from okg.store.sparql import Rows, term_to_sparql
from okg.terms.namespaces import GRAPH
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node
from SPARQLWrapper import INSERT, JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

USER_ENV = "OKG_ENDPOINT_USER"
PASSWORD_ENV = "OKG_ENDPOINT_PASSWORD"
OWNED_PREFIX = str(GRAPH)
INSERT_CHUNK = 5000


class EndpointError(RuntimeError):
    """The endpoint could not answer: unreachable, timed out, HTTP error or malformed reply."""


def _term(b: dict) -> Node:
    kind, value = b.get("type"), b.get("value")
    if value is None:
        raise ValueError("binding without a value")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        if "xml:lang" in b:
            return Literal(value, lang=b["xml:lang"])
        dt = b.get("datatype")
        return Literal(value, datatype=URIRef(dt) if dt else None)
    raise ValueError(f"unknown binding type {kind!r}")


def rows_from_json(data: object) -> Rows:
    """SPARQL 1.1 JSON results as :class:`Rows`; ValueError when the document is not one."""
    if not isinstance(data, dict) or "head" not in data or "results" not in data:
        raise ValueError("not a SPARQL JSON result (no head/results)")
    cols = list(data["head"].get("vars", []))
    out = []
    for sol in data["results"].get("bindings", []):
        out.append(tuple(_term(sol[c]) if c in sol else None for c in cols))
    return Rows(cols, out)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, SPARQLWrapperException):
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return first[:200]
    if isinstance(exc, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(exc, urllib.error.URLError):
        r = exc.reason
        if isinstance(r, (TimeoutError, socket.timeout)):
            return "timed out"
        return f"cannot connect ({r})"
    if isinstance(exc, ConnectionError):
        return f"connection failed ({exc})"
    return f"{type(exc).__name__}: {str(exc)[:200]}"


def _retryable(exc: BaseException) -> bool:
    code = getattr(exc, "code", None)
    if isinstance(exc, urllib.error.HTTPError):
        return exc.code >= 500 or exc.code == 429
    if isinstance(exc, SPARQLWrapperException):
        return "EndPointInternalError" in type(exc).__name__ or (code or 0) >= 500
    return isinstance(exc, (OSError, TimeoutError))


@dataclass
class Endpoint:
    """Where to send queries (``query_url``), updates and Graph Store requests; how hard to try.

    *attempts* bounds the tries of a read (1 = no retry); the n-th retry waits
    ``backoff * 2**(n-1)`` seconds. *timeout* is per request, in seconds.
    """

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    timeout: float = 30.0
    attempts: int = 3
    backoff: float = 0.5
    sleep: Callable[[float], None] = time.sleep

    def __str__(self) -> str:
        return self.query_url

    def _auth(self) -> tuple[str, str] | None:
        user = os.environ.get(USER_ENV)
        return (user, os.environ.get(PASSWORD_ENV, "")) if user else None

    def _wrapper(self, url: str) -> SPARQLWrapper:
        w = SPARQLWrapper(url)
        w.setMethod(POST)
        w.setTimeout(max(1, int(round(self.timeout))))
        auth = self._auth()
        if auth:
            w.setCredentials(*auth)
        return w

    def _retrying(self, what: str, url: str, call: Callable[[], object], retry: bool = True):
        tries = max(1, self.attempts) if retry else 1
        for n in range(1, tries + 1):
            try:
                return call()
            except ValueError as exc:  # malformed reply: retrying would not help
                raise EndpointError(f"endpoint {url}: {what}: malformed response ({exc})") from None
            except Exception as exc:  # noqa: BLE001 - every transport error becomes one line
                if n < tries and _retryable(exc):
                    self.sleep(self.backoff * 2 ** (n - 1))
                    continue
                note = f" after {n} attempts" if n > 1 else ""
                raise EndpointError(f"endpoint {url}: {what}: {_reason(exc)}{note}") from None
        raise AssertionError("unreachable")

    # -- reading ---------------------------------------------------------------
    def select(self, sparql: str, name: str = "query") -> Rows:
        """Run a SELECT and return its rows (retried: reads are idempotent)."""

        def call() -> Rows:
            w = self._wrapper(self.query_url)
            w.setQuery(sparql)
            w.queryType = SELECT  # not guessed from the text: a comment saying "add" is no update
            w.setReturnFormat(JSON)
            raw = w.query().response.read()
            try:
                data = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ValueError(f"not JSON: {exc.__class__.__name__}") from None
            return rows_from_json(data)

        return self._retrying(f"query {name}", self.query_url, call)  # type: ignore[return-value]

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", name="graph list")
        return sorted(str(r[0]) for r in rows.rows)

    # -- writing ---------------------------------------------------------------
    def update(self, sparql: str, name: str = "update") -> None:
        """Run a SPARQL Update once (not retried: an update may have been applied)."""
        url = self.update_url or self.query_url

        def call() -> None:
            w = self._wrapper(url)
            w.setQuery(sparql)
            w.queryType = INSERT  # any update form: sent as an update request
            w.query().response.read()

        self._retrying(name, url, call, retry=False)

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Graph Store Protocol PUT: replace one named graph (idempotent, so retried)."""
        if not self.gsp_url:
            raise EndpointError(f"endpoint {self.query_url}: no Graph Store URL (--gsp)")
        url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"

        def call() -> None:
            req = urllib.request.Request(
                url, data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"}
            )
            auth = self._auth()
            if auth:
                token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
                req.add_header("Authorization", f"Basic {token}")
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                resp.read()

        self._retrying(f"PUT graph <{graph}>", self.gsp_url, call)

    def delete_graph(self, graph: str) -> None:
        if self.gsp_url and not self.update_url:
            url = f"{self.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"

            def call() -> None:
                req = urllib.request.Request(url, method="DELETE")
                try:
                    with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                        resp.read()
                except urllib.error.HTTPError as exc:
                    if exc.code != 404:
                        raise

            self._retrying(f"DELETE graph <{graph}>", self.gsp_url, call)
        else:
            iri = term_to_sparql(URIRef(graph))
            self.update(f"DROP SILENT GRAPH {iri}", name=f"drop graph {iri}")


def _ntriples(g: Graph) -> bytes:
    return g.serialize(format="nt", encoding="utf-8")


def push(dataset: Dataset, endpoint: Endpoint) -> dict[str, int]:
    """Replace the endpoint's okg graphs by the dataset's; other graphs are left alone.

    Each named graph under ``https://w3id.org/okg/graph/`` is written whole (GSP PUT when the
    endpoint has a Graph Store URL and no update URL, else DROP + INSERT DATA in chunks); okg
    graphs on the server that the dataset no longer has are dropped. Returns triples per graph.
    """
    local: dict[str, Graph] = {}
    for g in dataset.graphs():
        name = str(g.identifier)
        if name.startswith(OWNED_PREFIX) and len(g):
            local[name] = g
    use_gsp = bool(endpoint.gsp_url) and not endpoint.update_url
    counts: dict[str, int] = {}
    for name in sorted(local):
        g = local[name]
        iri = term_to_sparql(URIRef(name))
        if use_gsp:
            endpoint.put_graph(name, _ntriples(g))
        else:
            endpoint.update(f"DROP SILENT GRAPH {iri}", name=f"drop graph {iri}")
            lines = _ntriples(g).decode("utf-8").splitlines()
            for i in range(0, len(lines), INSERT_CHUNK):
                body = "\n".join(lines[i : i + INSERT_CHUNK])
                endpoint.update(
                    f"INSERT DATA {{ GRAPH {iri} {{\n{body}\n}} }}", name=f"insert into graph {iri}"
                )
        counts[name] = len(g)
    for name in endpoint.graph_names():
        if name.startswith(OWNED_PREFIX) and name not in local:
            endpoint.delete_graph(name)
    return counts
