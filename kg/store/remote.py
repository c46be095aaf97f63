"""A SPARQL 1.1 endpoint (Oxigraph server, Fuseki, GraphDB, Virtuoso...) as a query target.

Queries, updates and Graph Store requests are plain HTTP (the SPARQL 1.1 Protocol: a form POST
of ``query=`` or ``update=``; GSP ``PUT``/``DELETE`` of ``?graph=``), sent by a small client on
``urllib`` whose every decision is explicit:

- **http(s) only**: any other scheme (``file:``, ``ftp:``...) is refused before a request.
- **Redirects**: an update, PUT or DELETE that is redirected is an error (it was not applied
  where it was sent; give the final URL). A query follows at most 3 redirects, re-posting the
  same query; the credentials go along only while the scheme, host and port stay the same.
- **Status**: anything but 2xx is an error (a GSP DELETE of a missing graph, 404, is fine).
- **Credentials**: basic auth from ``OKG_ENDPOINT_USER`` / ``OKG_ENDPOINT_PASSWORD`` (never from
  the command line), or from ``user:password@`` in the URL; sent with every request to the
  endpoint's own host (GSP ``DELETE`` included); never shown: every message masks the URL's
  user information and the password.
- **Retries**: reads (and idempotent PUTs) are retried with exponential back-off a bounded
  number of times on 5xx, 429, time-outs and connection errors; updates are sent once.
- **Row caps**: some servers cut every SELECT answer at a row limit with HTTP 200 and no sign
  (Virtuoso: ``ResultSetMaxRows``, 10,000 by default). When an answer has R >= 1,000 rows
  (:data:`ROW_CAP_CHECK`) and no earlier answer of this endpoint had more than R rows, okg
  probes once with a query whose true answer has more than R rows: ``SELECT ?s WHERE { GRAPH ?g
  { ?s ?p ?o } } LIMIT R+1``; if fewer than R+1 rows come back, ``COUNT(*)`` of the same pattern
  tells a cut (more quads than rows) from a small store, and then a cross product of ``VALUES``
  (10**k rows, independent of the data) is the probe. A probe of C < R+1 rows proves the cap C:
  this answer and every later one with >= C rows is refused (a cut answer has exactly C rows).
  Known per query URL for the process; a cap below 1,000 rows would go unseen.

Every failure is an :class:`EndpointError` whose one-line message names the endpoint (masked)
and the query. Why not SPARQLWrapper, requests or httpx: SPARQLWrapper opens URLs with urllib's
global opener, which follows a 302 to another host with the ``Authorization`` header and turns
the POST into an empty GET, and offers no hook to stop it; requests (which strips the header on a
host change) and httpx are not dependencies of okg, and the protocol needs four request kinds,
so the redirect, status and masking rules are written here once, in about a hundred lines.

:func:`push` uploads the local store's okg named graphs (IRIs under
``https://w3id.org/okg/graph/``), each replaced atomically where the server makes one request
one transaction, then reads back what the server holds and fails unless it is what was sent.

>>> ep = Endpoint("http://127.0.0.1:1/query", attempts=1, timeout=1)
>>> try:
...     ep.select("SELECT * WHERE { ?s ?p ?o } LIMIT 1", name="demo")
... except EndpointError as exc:
...     print(str(exc).split(":")[0:3])
['endpoint http', '//127.0.0.1', '1/query']
>>> mask_url("https://bob:s3cret@db.example.org/sparql")
'https://***@db.example.org/sparql'
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from okg.store.sparql import Rows, bind, term_to_sparql
from okg.terms.namespaces import GRAPH, OKG, OKGD
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.term import Node

USER_ENV = "OKG_ENDPOINT_USER"
PASSWORD_ENV = "OKG_ENDPOINT_PASSWORD"
OWNED_PREFIX = str(GRAPH)
TEMP_PREFIX = OWNED_PREFIX + "push-tmp/"
STATUS_NAME = OWNED_PREFIX + "status"
"""The store's status graph (as ``okg.store.knowledge_graph.STATUS_GRAPH``)."""
INSERT_CHUNK = 1000
"""Triples per update request: Virtuoso 7's SPARQL parser runs out of stack ("SP030 ... memory
exhausted") near 5,000 triples in one request."""
BNODE_CHUNK = 250
"""Triples with blank nodes per request (sent as an INSERT template, see :func:`_insert`):
Virtuoso 7 refuses a template whose SQL exceeds 10,000 lines (``SP031``)."""
MAX_REDIRECTS = 3
MAX_REPLY_BYTES = 512 * 1024 * 1024


Q_OWNED_SAMPLE = f"""SELECT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }}
  FILTER(STRSTARTS(STR(?g), "{OWNED_PREFIX}") && isIRI(?s) && isIRI(?o)) }} LIMIT 1"""
"""One triple of an okg graph, without blank nodes or literals (which engines may rewrite)."""
_DEFAULT_GRAPH_CHECKED: dict[str, str | None] = {}
"""Per query URL, per process: why the server's default graph hides okg's graphs, or None."""
ROW_CAP_CHECK = 1000
"""Answers with at least this many rows are checked for a server-side row cap."""
_ROW_CAPS: dict[str, list[int | None]] = {}
"""Per query URL, per process: [most rows the server is known to return uncut, its cap or None]."""


class EndpointError(RuntimeError):
    """The endpoint could not answer: unreachable, timed out, HTTP error or malformed reply."""


def mask_url(url: str) -> str:
    """*url* with any ``user:password@`` replaced by ``***@``."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urllib.parse.urlunsplit(parts._replace(netloc="***@" + host))


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
    if not isinstance(data["head"], dict) or not isinstance(data["results"], dict):
        raise ValueError("not a SPARQL JSON result (head/results are not objects)")
    cols = list(data["head"].get("vars", []))
    out = []
    for sol in data["results"].get("bindings", []):
        if not isinstance(sol, dict):
            raise ValueError("a solution is not an object")
        out.append(tuple(_term(sol[c]) if c in sol else None for c in cols))
    return Rows(cols, out)


class _HTTPStatus(Exception):
    """A reply whose status is not 2xx (or a refused redirect)."""

    def __init__(self, code: int, reason: str, detail: str = ""):
        self.code = code
        super().__init__(f"HTTP {code} {reason}".strip() + (f": {detail}" if detail else ""))


class _Refused(Exception):
    """Not sent, or not followed: a rule of this client (scheme, redirect)."""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """urllib follows nothing: every 3xx reaches :meth:`Endpoint._send` as a reply."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D102
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urllib.parse.urlsplit(url)
    port = p.port or (443 if p.scheme == "https" else 80)
    return p.scheme.lower(), (p.hostname or "").lower(), port


def _clean(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without user information, and that information as credentials."""
    try:
        p = urllib.parse.urlsplit(url)
        p.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise _Refused(f"malformed URL {mask_url(url)}") from None
    if p.scheme.lower() not in ("http", "https"):
        raise _Refused(f"only http and https endpoints are supported, not '{p.scheme or url}:'")
    if not p.hostname:
        raise _Refused("the URL names no host")
    creds = None
    if p.username is not None:
        creds = (urllib.parse.unquote(p.username), urllib.parse.unquote(p.password or ""))
    netloc = p.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit(p._replace(netloc=netloc)), creds


def _snippet(body: bytes) -> str:
    text = body[:400].decode("utf-8", "replace")
    text = "".join(c if c.isprintable() else " " for c in text)
    return " ".join(text.split())[:200]


def _reason(exc: BaseException, secrets: list[str]) -> str:
    if isinstance(exc, (_HTTPStatus, _Refused)):
        msg = str(exc)
    elif isinstance(exc, (TimeoutError, socket.timeout)):
        msg = "timed out"
    elif isinstance(exc, urllib.error.URLError):
        r = exc.reason
        msg = (
            "timed out"
            if isinstance(r, (TimeoutError, socket.timeout))
            else f"cannot connect ({r})"
        )
    elif isinstance(exc, ConnectionError):
        msg = f"connection failed ({exc})"
    elif isinstance(exc, http.client.HTTPException):
        msg = f"bad HTTP reply ({type(exc).__name__})"
    else:
        msg = f"{type(exc).__name__}: {str(exc)[:200]}"
    for s in secrets:
        if s:
            msg = msg.replace(s, "***")
    return msg


def _retryable(exc: BaseException) -> bool:
    if isinstance(exc, _HTTPStatus):
        return exc.code >= 500 or exc.code == 429
    if isinstance(exc, _Refused):
        return False
    return isinstance(exc, (OSError, TimeoutError, http.client.HTTPException))


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
        return mask_url(self.query_url)

    def _auth(self, url_creds: tuple[str, str] | None) -> tuple[str, str] | None:
        user = os.environ.get(USER_ENV)
        if user:
            return user, os.environ.get(PASSWORD_ENV, "")
        return url_creds

    def _secrets(self) -> list[str]:
        out = [os.environ.get(PASSWORD_ENV, "")]
        for url in (self.query_url, self.update_url, self.gsp_url):
            try:
                p = urllib.parse.urlsplit(url or "")
                out += [p.password or "", urllib.parse.unquote(p.password or "")]
            except ValueError:
                pass
        return [s for s in out if s]

    # -- transport ---------------------------------------------------------------
    def _send(
        self,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        follow: bool,
        ok_codes: tuple[int, ...] = (),
    ) -> bytes:
        """One request; *follow* allows redirects (queries only), credentials same-origin only."""
        target, creds = _clean(url)
        auth = self._auth(creds)
        home = _origin(target)
        for _hop in range(MAX_REDIRECTS + 1):
            req = urllib.request.Request(target, data=body, method=method, headers=dict(headers))
            if auth and _origin(target) == home:
                token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
                req.add_header("Authorization", f"Basic {token}")
            try:
                with _OPENER.open(req, timeout=self.timeout) as resp:
                    data = resp.read(MAX_REPLY_BYTES + 1)
                    if len(data) > MAX_REPLY_BYTES:
                        raise _Refused(f"reply larger than {MAX_REPLY_BYTES:,} bytes")
                    return data
            except urllib.error.HTTPError as exc:
                code = exc.code
                if code in ok_codes:
                    return b""
                if code in (301, 302, 303, 307, 308):
                    location = exc.headers.get("Location", "")
                    exc.close()
                    nxt = urllib.parse.urljoin(target, location)
                    if not follow:
                        raise _Refused(
                            f"HTTP {code} redirect to {mask_url(nxt)} refused: "
                            "updates are sent only to the URL given (give the final URL)"
                        ) from None
                    try:
                        target, _ = _clean(nxt)
                    except _Refused as bad:
                        raise _Refused(f"redirect to {mask_url(nxt)} refused: {bad}") from None
                    continue
                try:
                    detail = _snippet(exc.read())
                except Exception:  # noqa: BLE001 - the status alone is enough
                    detail = ""
                raise _HTTPStatus(code, exc.reason or "", detail) from None
        raise _Refused(f"more than {MAX_REDIRECTS} redirects")

    def _retrying(self, what: str, url: str, call: Callable[[], object], retry: bool = True):
        tries = max(1, self.attempts) if retry else 1
        shown = mask_url(url)
        for n in range(1, tries + 1):
            try:
                return call()
            except ValueError as exc:  # malformed reply: retrying would not help
                reason = _reason(exc, self._secrets())
                raise EndpointError(
                    f"endpoint {shown}: {what}: malformed response ({reason})"
                ) from None
            except Exception as exc:  # noqa: BLE001 - every transport error becomes one line
                if n < tries and _retryable(exc):
                    self.sleep(self.backoff * 2 ** (n - 1))
                    continue
                note = f" after {n} attempts" if n > 1 else ""
                raise EndpointError(
                    f"endpoint {shown}: {what}: {_reason(exc, self._secrets())}{note}"
                ) from None
        raise AssertionError("unreachable")

    # -- reading ---------------------------------------------------------------
    def _post_query(self, sparql: str) -> object:
        raw = self._send(
            "POST",
            self.query_url,
            urllib.parse.urlencode({"query": sparql}).encode("utf-8"),
            {
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "Accept": "application/sparql-results+json",
            },
            follow=True,
        )
        try:
            return json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise ValueError(f"not JSON: {exc.__class__.__name__}") from None

    def ask(self, sparql: str, name: str = "ask") -> bool:
        """Run an ASK (retried)."""

        def call() -> bool:
            data = self._post_query(sparql)
            if not isinstance(data, dict) or not isinstance(data.get("boolean"), bool):
                raise ValueError("not a SPARQL JSON boolean result")
            return data["boolean"]

        return self._retrying(f"query {name}", self.query_url, call)  # type: ignore[return-value]

    def check_default_graph(self) -> None:
        """Stop (:class:`EndpointError`, one line naming the server flag) unless the server's
        default graph shows okg's named graphs: a triple sampled from an okg graph must be
        visible without ``GRAPH``. Otherwise every canned query would answer nothing, with
        success. A server with no okg graph but a default graph holding triples (data loaded
        another way) passes; an empty server does not. Asked once per endpoint per process."""
        key = self.query_url
        if key not in _DEFAULT_GRAPH_CHECKED:
            _DEFAULT_GRAPH_CHECKED[key] = self._default_graph_problem()
        problem = _DEFAULT_GRAPH_CHECKED[key]
        if problem:
            raise EndpointError(f"endpoint {self}: {problem}")

    def _default_graph_problem(self) -> str | None:
        sample = self.select(Q_OWNED_SAMPLE, name="default graph check")
        if not sample.rows:
            if self.ask("ASK { ?s ?p ?o }", name="default graph check"):
                return None
            return "the server holds no triples (okg push to it first)"
        s, p, o = sample.rows[0]
        if self.ask(bind("ASK { ?s ?p ?o }", {"s": s, "p": p, "o": o}), name="default graph check"):
            return None
        return (
            "its default graph does not show okg's named graphs, so every query would answer "
            "nothing: start Oxigraph with --union-default-graph, or set tdb2:unionDefaultGraph "
            "true on the Fuseki dataset"
        )

    def _select(self, sparql: str, name: str) -> Rows:
        def call() -> Rows:
            return rows_from_json(self._post_query(sparql))

        return self._retrying(f"query {name}", self.query_url, call)  # type: ignore[return-value]

    def select(self, sparql: str, name: str = "query") -> Rows:
        """Run a SELECT and return its rows (retried: reads are idempotent); an answer the
        server may have cut at a row limit is an error (see the module notes)."""
        rows = self._select(sparql, name)
        self._check_row_cap(len(rows.rows), name)
        return rows

    def _check_row_cap(self, n: int, name: str) -> None:
        state = _ROW_CAPS.setdefault(self.query_url, [0, None])
        cap = state[1]
        if cap is None and n >= ROW_CAP_CHECK and n >= state[0]:
            got = self._probe_rows(n + 1)
            if got > n:
                state[0] = got
            else:
                state[1] = cap = got
        if cap is not None and n >= cap:
            raise EndpointError(
                f"endpoint {self}: the server cut the answer of {name} at {cap:,} rows (a "
                "server-side row limit; on Virtuoso raise ResultSetMaxRows in the [SPARQL] "
                "section of virtuoso.ini)"
            )
        state[0] = max(state[0], n)

    def _probe_rows(self, need: int) -> int:
        """Rows the server returns for a query whose true answer has at least *need* rows."""
        what = "row limit check"
        scan = self._select(f"SELECT ?s WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }} LIMIT {need}", what)
        got = len(scan.rows)
        if got >= need:
            return got
        count = self._select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", what)
        try:
            quads = int(str(count.rows[0][0]))
        except (IndexError, ValueError):
            raise EndpointError(f"endpoint {self}: {what}: malformed quad count") from None
        if quads > got:
            return got  # the scan was cut
        digits = len(str(need))  # 10**digits > need
        names = [f"?d{i}" for i in range(digits)]
        values = " ".join(f"VALUES {v} {{ 0 1 2 3 4 5 6 7 8 9 }}" for v in names)
        cross = self._select(f"SELECT {' '.join(names)} WHERE {{ {values} }} LIMIT {need}", what)
        return len(cross.rows)

    def graph_names(self) -> list[str]:
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", name="graph list")
        return sorted(str(r[0]) for r in rows.rows)

    def graph_counts(self, graphs: list[str]) -> dict[str, int]:
        """Triples per named graph on the server (0 for a graph it does not hold)."""
        out = {g: 0 for g in graphs}
        for i in range(0, len(graphs), 200):
            part = graphs[i : i + 200]
            values = " ".join(term_to_sparql(URIRef(g)) for g in part)
            rows = self.select(
                f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
                "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                name="count triples per graph",
            )
            for g, n in rows.rows:
                try:
                    out[str(g)] = int(str(n))
                except ValueError:
                    raise EndpointError(
                        f"endpoint {self}: count triples per graph: malformed count {str(n)[:40]!r}"
                    ) from None
        return out

    # -- writing ---------------------------------------------------------------
    def update(self, sparql: str, name: str = "update") -> None:
        """Run a SPARQL Update once (not retried: an update may have been applied)."""
        url = self.update_url or self.query_url

        def call() -> None:
            self._send(
                "POST",
                url,
                urllib.parse.urlencode({"update": sparql}).encode("utf-8"),
                {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
                follow=False,
            )

        self._retrying(name, url, call, retry=False)

    def _gsp(self, graph: str) -> str:
        if not self.gsp_url:
            raise EndpointError(f"endpoint {self}: no Graph Store URL (--gsp)")
        sep = "&" if "?" in self.gsp_url else "?"
        return f"{self.gsp_url}{sep}{urllib.parse.urlencode({'graph': graph})}"

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Graph Store Protocol PUT: replace one named graph (idempotent, so retried)."""
        url = self._gsp(graph)

        def call() -> None:
            self._send(
                "PUT", url, ntriples, {"Content-Type": "application/n-triples"}, follow=False
            )

        self._retrying(f"PUT graph <{graph}>", self.gsp_url or "", call)

    def delete_graph(self, graph: str) -> None:
        """Drop one named graph: GSP DELETE (with credentials; 404 is fine) or DROP SILENT."""
        if self.gsp_url and not self.update_url:
            url = self._gsp(graph)

            def call() -> None:
                self._send("DELETE", url, None, {}, follow=False, ok_codes=(404,))

            self._retrying(f"DELETE graph <{graph}>", self.gsp_url, call)
        else:
            iri = term_to_sparql(URIRef(graph))
            self.update(f"DROP SILENT GRAPH {iri}", name=f"drop graph {iri}")


def _ntriples(g: Graph) -> bytes:
    return g.serialize(format="nt", encoding="utf-8")


def _chunks(g: Graph, size: int) -> list[bytes]:
    """N-Triples of *g* in parts of about *size* triples; triples that share a blank node stay
    in one part (a blank node label means one node only within one request)."""
    parent: dict[BNode, BNode] = {}

    def find(b: BNode) -> BNode:
        while parent.setdefault(b, b) != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    for s_, _p, o in g:
        if isinstance(s_, BNode) and isinstance(o, BNode):
            ra, rb = find(s_), find(o)
            if ra != rb:
                parent[ra] = rb
    groups: dict[object, list] = {}
    plain: list = []
    for t in g:
        b = t[0] if isinstance(t[0], BNode) else t[2] if isinstance(t[2], BNode) else None
        if b is None:
            plain.append([t])
        else:
            groups.setdefault(find(b), []).append(t)
    out: list[bytes] = []
    for groups_of_kind, limit in ((plain, size), (list(groups.values()), min(size, BNODE_CHUNK))):
        part = Graph()
        for group in groups_of_kind:
            if len(part) and len(part) + len(group) > limit:
                out.append(_ntriples(part))
                part = Graph()
            for t in group:
                part.add(t)
        if len(part):
            out.append(_ntriples(part))
    return out


def _insert(graph_iri: str, body: str) -> str:
    """An update adding the N-Triples *body* to a graph. ``INSERT DATA`` unless the body holds
    blank nodes: Virtuoso 7 refuses those in a "constant clause" (``SP031``), so then a template
    with an empty WHERE, which every engine accepts, and whose one solution keeps each blank
    node label one node within the request."""
    if "_:" in body:  # a blank node, or that text in a literal: the template form is fine too
        return f"INSERT {{ GRAPH {graph_iri} {{\n{body}\n}} }} WHERE {{ }}"
    return f"INSERT DATA {{ GRAPH {graph_iri} {{\n{body}\n}} }}"


def _replace_by_update(endpoint: Endpoint, name: str, g: Graph) -> None:
    """Replace one graph: one request when it fits, else chunks into a temporary graph + MOVE."""
    iri = term_to_sparql(URIRef(name))
    has_bnode = any(isinstance(t, BNode) for triple in g for t in triple)
    if len(g) <= (BNODE_CHUNK if has_bnode else INSERT_CHUNK):
        body = _ntriples(g).decode("utf-8")
        endpoint.update(
            f"DROP SILENT GRAPH {iri} ;\n{_insert(iri, body)}",
            name=f"replace graph {iri}",
        )
        return
    tmp = term_to_sparql(URIRef(TEMP_PREFIX + urllib.parse.quote(name[len(OWNED_PREFIX) :])))
    for n, chunk in enumerate(_chunks(g, INSERT_CHUNK), start=1):
        body = chunk.decode("utf-8")
        first = f"DROP SILENT GRAPH {tmp} ;\n" if n == 1 else ""
        try:
            endpoint.update(
                f"{first}{_insert(tmp, body)}",
                name=f"upload graph {iri} (part {n})",
            )
        except EndpointError as exc:
            raise EndpointError(f"{exc}; {iri} on the server is unchanged") from None
    endpoint.update(f"MOVE GRAPH {tmp} TO {iri}", name=f"replace graph {iri} by its upload")


def status_graph(store_id: str, version: int) -> Graph:
    """The status graph okg writes on a server with a push: the pushed store's id and version
    (the shape of ``KnowledgeGraph.status``'s graph), so a reader keys its caches by them."""
    g = Graph()
    node = OKGD["store"]
    g.add((node, OKG.storeState, OKG.complete))
    g.add((node, OKG.storeId, Literal(store_id)))
    g.add((node, OKG.storeVersion, Literal(int(version))))
    return g


def push(dataset: Dataset, endpoint: Endpoint, status=None) -> dict[str, int]:
    """Replace the endpoint's okg graphs by the dataset's; other graphs are left alone.

    Each named graph under ``https://w3id.org/okg/graph/`` is written whole: GSP PUT when the
    endpoint has a Graph Store URL and no update URL, else ``DROP`` + ``INSERT DATA`` in one
    update request (larger graphs: chunks into a temporary graph, then ``MOVE``), so a failure
    leaves the server's graph as it was. okg graphs on the server that the dataset no longer
    has are dropped. Then the server's triples per graph are read back: the result is what the
    server holds, and a graph holding other than what was sent (or one not dropped) is an error.
    Returns triples per graph as counted on the server.

    *status* (the store's ``KnowledgeGraph.status()``) is written as the server's status graph,
    dropped first and written last; without it the server's status graph is dropped: a reader
    then has no store version to key a cache by.
    """
    local: dict[str, Graph] = {}
    for g in dataset.graphs():
        name = str(g.identifier)
        if name.startswith(OWNED_PREFIX) and len(g):
            local[name] = g
    if not local:
        raise EndpointError(f"endpoint {endpoint}: nothing to push: the store holds no okg graphs")
    if status is not None and getattr(status, "store_id", None):
        local[STATUS_NAME] = status_graph(status.store_id, status.version)
    use_gsp = bool(endpoint.gsp_url) and not endpoint.update_url

    def write(name: str) -> None:
        if use_gsp:
            endpoint.put_graph(name, _ntriples(local[name]))
        else:
            _replace_by_update(endpoint, name, local[name])

    # The status graph (store id and version, the key of analysis caches) is dropped first and
    # written last, after the stale graphs are gone: a push that fails midway leaves the server
    # with no version, never with a version over other data than that version's (measured by
    # tests/test_push_kill.py, which SIGKILLs the server at each step).
    if STATUS_NAME in local:
        endpoint.delete_graph(STATUS_NAME)
    for name in sorted(n for n in local if n != STATUS_NAME):
        write(name)
    # okg graphs the dataset does not have (the status graph too, when none is written), and
    # temporary graphs of an interrupted push
    stale = [n for n in endpoint.graph_names() if n.startswith(OWNED_PREFIX) and n not in local]
    for name in stale:
        endpoint.delete_graph(name)
    if STATUS_NAME in local:
        write(STATUS_NAME)
    held = endpoint.graph_counts(sorted(local) + stale)
    wrong = [
        f"<{n}> holds {held[n]} triples, {len(local[n])} sent"
        for n in sorted(local)
        if held[n] != len(local[n])
    ] + [f"<{n}> still holds {held[n]} triples" for n in stale if held[n]]
    if wrong:
        raise EndpointError(
            f"endpoint {endpoint}: after push the server does not hold what was sent: "
            + "; ".join(wrong[:5])
            + (f"; and {len(wrong) - 5} more" if len(wrong) > 5 else "")
        )
    return {n: held[n] for n in sorted(local)}
