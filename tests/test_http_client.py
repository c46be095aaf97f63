"""The HTTP client of okg.store.remote against fake servers on 127.0.0.1 and 127.0.0.2.

A fake SPARQL server keeps its data in an in-memory pyoxigraph store (SPARQL 1.1 Protocol:
query and update as form POSTs, Graph Store PUT/DELETE) and records every request with its
Authorization header, so the tests see what would reach another host.
"""

from __future__ import annotations

import base64
import http.server
import io
import threading
import urllib.parse

import pyoxigraph as ox
import pytest
from okg.cli import app
from okg.store import remote
from okg.store.remote import Endpoint, EndpointError, push
from rdflib import Dataset, Literal, URIRef
from typer.testing import CliRunner

OKG_G = "https://w3id.org/okg/graph/source/demo"
OTHER_G = "https://w3id.org/okg/graph/source/old"
FOREIGN = "http://example.org/theirs"
AUTH = "Basic " + base64.b64encode(b"analyst:s3cret").decode()


class FakeSparql(http.server.BaseHTTPRequestHandler):
    """One fake server; ``behaviour`` maps a path to a canned reply, else SPARQL on ``store``."""

    store: ox.Store
    seen: list
    behaviour: dict

    def _record(self, body: bytes) -> None:
        self.seen.append((self.command, self.path, self.headers.get("Authorization"), body))

    def _reply(self, code: int, body: bytes = b"", ctype: str = "text/plain", headers=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _canned(self) -> bool:
        path = urllib.parse.urlsplit(self.path).path
        b = self.behaviour.get(path)
        if b is None:
            return False
        code, extra = b
        if code in (301, 302, 303, 307, 308):
            self._reply(code, b"moved", headers={"Location": extra})
        else:
            self._reply(code, extra.encode() if isinstance(extra, str) else extra)
        return True

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._record(body)
        if self._canned():
            return
        form = urllib.parse.parse_qs(body.decode("utf-8"))
        try:
            if "query" in form:
                res = self.store.query(form["query"][0])
                self._reply(
                    200,
                    res.serialize(format=ox.QueryResultsFormat.JSON),
                    "application/sparql-results+json",
                )
            elif "update" in form:
                if self.behaviour.get("ignore-updates"):
                    self._reply(204)
                    return
                self.store.update(form["update"][0])
                self._reply(204)
            else:
                self._reply(400, b"no query")
        except (SyntaxError, OSError, ValueError) as exc:
            self._reply(400, str(exc).encode())

    def _graph(self) -> ox.NamedNode:
        q = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        return ox.NamedNode(q["graph"][0])

    def do_PUT(self):  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self._record(body)
        if self._canned():
            return
        g = self._graph()
        self.store.update(f"DROP SILENT GRAPH <{g.value}>")
        self.store.load(io.BytesIO(body), format=ox.RdfFormat.N_TRIPLES, to_graph=g)
        self._reply(201)

    def do_DELETE(self):  # noqa: N802
        self._record(b"")
        if self._canned():
            return
        if self.headers.get("Authorization") != AUTH and self.behaviour.get("auth-delete"):
            self._reply(401, b"who are you")
            return
        g = self._graph()
        had = any(True for _ in self.store.quads_for_pattern(None, None, None, g))
        self.store.update(f"DROP SILENT GRAPH <{g.value}>")
        self._reply(204 if had else 404)

    def log_message(self, *args):
        pass


class Server:
    def __init__(self, host: str):
        self.store = ox.Store()
        self.seen: list = []
        self.behaviour: dict = {}
        handler = type(
            "H",
            (FakeSparql,),
            {"store": self.store, "seen": self.seen, "behaviour": self.behaviour},
        )
        self.httpd = http.server.ThreadingHTTPServer((host, 0), handler)
        self.base = f"http://{host}:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def graphs(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for q in self.store.quads_for_pattern(None, None, None, None):
            if isinstance(q.graph_name, ox.NamedNode):
                out[q.graph_name.value] = out.get(q.graph_name.value, 0) + 1
        return out


@pytest.fixture()
def servers():
    a = Server("127.0.0.1")
    try:
        b = Server("127.0.0.2")  # another host: loopback, but not the same origin
    except OSError:
        a.stop()
        pytest.skip("127.0.0.2 is not available on this machine")
    yield a, b
    a.stop()
    b.stop()


@pytest.fixture()
def creds(monkeypatch):
    monkeypatch.setenv("OKG_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("OKG_ENDPOINT_PASSWORD", "s3cret")


def _ep(a: Server, **kw) -> Endpoint:
    kw.setdefault("update_url", f"{a.base}/update")
    return Endpoint(f"{a.base}/query", timeout=5, attempts=1, **kw)


def _dataset(n: int = 3) -> Dataset:
    ds = Dataset()
    g = ds.graph(URIRef(OKG_G))
    for i in range(n):
        g.add((URIRef(f"https://w3id.org/okg/id/x{i}"), URIRef("http://e.org/p"), Literal(i)))
    return ds


# -- redirects and credentials ----------------------------------------------------------
@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_query_redirect_to_another_host_carries_no_credentials(servers, creds, code):
    a, b = servers
    a.behaviour["/query"] = (code, f"{b.base}/query")
    rows = _ep(a).select("SELECT ?s WHERE { ?s ?p ?o }")
    assert rows.rows == []
    assert [s[2] for s in a.seen] == [AUTH]
    assert len(b.seen) == 1
    method, _, auth, body = b.seen[0]
    assert auth is None  # the password never reached the other host
    assert method == "POST" and b"query=" in body  # still the query, not an empty GET


def test_same_origin_redirect_keeps_credentials(servers, creds):
    a, _ = servers
    a.behaviour["/old"] = (307, "/query")
    Endpoint(f"{a.base}/old", timeout=5, attempts=1).select("SELECT * WHERE { ?s ?p ?o }")
    assert [(s[1], s[2]) for s in a.seen] == [("/old", AUTH), ("/query", AUTH)]


@pytest.mark.parametrize("code", [301, 302, 307, 308])
def test_redirected_update_is_an_error_and_not_followed(servers, creds, code):
    a, b = servers
    a.behaviour["/update"] = (code, f"{b.base}/update")
    with pytest.raises(EndpointError) as err:
        _ep(a).update("INSERT DATA { <http://a> <http://b> <http://c> }")
    msg = str(err.value)
    assert f"HTTP {code} redirect" in msg and b.base in msg and "\n" not in msg
    assert b.seen == []


def test_redirect_to_file_or_ftp_is_refused(servers):
    a, _ = servers
    a.behaviour["/query"] = (302, "file:///etc/passwd")
    with pytest.raises(EndpointError, match="only http and https"):
        _ep(a).select("SELECT * WHERE { ?s ?p ?o }")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://h/"])
def test_only_http_urls(url):
    with pytest.raises(EndpointError, match="only http and https endpoints"):
        Endpoint(url, attempts=1).select("SELECT * WHERE { ?s ?p ?o }")


def test_push_through_a_redirect_fails_and_claims_nothing(servers, creds, tmp_path):
    a, b = servers
    a.behaviour["/update"] = (302, f"{b.base}/update")
    with pytest.raises(EndpointError, match="redirect"):
        push(_dataset(), _ep(a))
    assert b.seen == [] and a.graphs() == {}


@pytest.mark.parametrize("code", [400, 401, 403, 500])
def test_non_2xx_update_is_an_error(servers, code):
    a, _ = servers
    a.behaviour["/update"] = (code, "refused")
    with pytest.raises(EndpointError, match=f"HTTP {code}"):
        _ep(a).update("INSERT DATA { <http://a> <http://b> <http://c> }")


def test_credentials_in_the_url_are_used_and_masked(servers, monkeypatch):
    monkeypatch.delenv("OKG_ENDPOINT_USER", raising=False)
    a, _ = servers
    url = a.base.replace("http://", "http://analyst:s3cret@") + "/query"
    Endpoint(url, timeout=5, attempts=1).select("SELECT * WHERE { ?s ?p ?o }")
    assert a.seen[-1][2] == AUTH
    a.behaviour["/query"] = (500, "server says: s3cret")  # even echoed back, never shown
    ep = Endpoint(url, timeout=5, attempts=1)
    with pytest.raises(EndpointError) as err:
        ep.select("SELECT * WHERE { ?s ?p ?o }")
    assert "s3cret" not in str(err.value) and "***@" in str(err.value)
    assert "s3cret" not in str(ep)
    dead = Endpoint("http://bob:hunter2@127.0.0.1:1/query", attempts=1, timeout=1)
    with pytest.raises(EndpointError) as err:
        dead.select("SELECT * WHERE { ?s ?p ?o }")
    assert "hunter2" not in str(err.value) and "bob" not in str(err.value)


def test_env_password_never_in_messages(servers, creds):
    a, _ = servers
    a.behaviour["/update"] = (400, "bad request from analyst:s3cret")
    with pytest.raises(EndpointError) as err:
        _ep(a).update("INSERT DATA { <http://a> <http://b> <http://c> }")
    assert "s3cret" not in str(err.value)


# -- push ---------------------------------------------------------------------------------
def test_push_reports_what_the_server_holds(servers, creds):
    a, _ = servers
    a.store.update(f"INSERT DATA {{ GRAPH <{OTHER_G}> {{ <http://a> <http://b> 1 }} }}")
    a.store.update(f"INSERT DATA {{ GRAPH <{FOREIGN}> {{ <http://a> <http://b> 1 }} }}")
    counts = push(_dataset(3), _ep(a))
    assert counts == {OKG_G: 3}
    assert a.graphs() == {OKG_G: 3, FOREIGN: 1}
    updates = [s for s in a.seen if s[1] == "/update"]
    replace = [s for s in updates if b"INSERT" in s[3]]
    assert len(replace) == 1 and b"DROP" in replace[0][3]  # one request: DROP + INSERT
    assert all(s[2] == AUTH for s in a.seen)


def test_push_that_the_server_ignores_is_an_error(servers):
    a, _ = servers
    a.behaviour["ignore-updates"] = True  # answers 204 and stores nothing
    with pytest.raises(EndpointError, match=r"holds 0 triples, 3 sent"):
        push(_dataset(3), _ep(a))


def test_push_of_nothing_is_an_error(servers):
    a, _ = servers
    with pytest.raises(EndpointError, match="nothing to push"):
        push(Dataset(), _ep(a))
    assert a.seen == []


def test_large_graph_goes_through_a_temporary_graph(servers, monkeypatch):
    a, _ = servers
    monkeypatch.setattr(remote, "INSERT_CHUNK", 4)
    a.store.update(f"INSERT DATA {{ GRAPH <{OKG_G}> {{ <http://old> <http://b> 1 }} }}")
    assert push(_dataset(10), _ep(a)) == {OKG_G: 10}
    assert a.graphs() == {OKG_G: 10}  # the temporary graph was moved, not left behind
    assert any(b"MOVE" in s[3] for s in a.seen)


def test_failed_upload_leaves_the_servers_graph_as_it_was(servers, monkeypatch):
    a, _ = servers
    monkeypatch.setattr(remote, "INSERT_CHUNK", 4)
    a.store.update(f"INSERT DATA {{ GRAPH <{OKG_G}> {{ <http://old> <http://b> 1 }} }}")
    calls = {"n": 0}
    real = FakeSparql.do_POST

    def flaky(self):
        if urllib.parse.urlsplit(self.path).path == "/update":
            calls["n"] += 1
            if calls["n"] == 2:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self._reply(500, b"disk full")
                return
        real(self)

    monkeypatch.setattr(FakeSparql, "do_POST", flaky)
    with pytest.raises(EndpointError, match="on the server is unchanged"):
        push(_dataset(10), _ep(a))
    held = a.graphs()
    assert held[OKG_G] == 1  # the old content, whole


def test_gsp_push_and_delete_with_credentials(servers, creds):
    a, _ = servers
    a.behaviour["auth-delete"] = True  # DELETE without credentials is refused with 401
    a.store.update(f"INSERT DATA {{ GRAPH <{OTHER_G}> {{ <http://a> <http://b> 1 }} }}")
    ep = Endpoint(f"{a.base}/query", gsp_url=f"{a.base}/store", timeout=5, attempts=1)
    assert push(_dataset(2), ep) == {OKG_G: 2}
    assert a.graphs() == {OKG_G: 2}
    deletes = [s for s in a.seen if s[0] == "DELETE"]
    assert len(deletes) == 1 and deletes[0][2] == AUTH


def test_gsp_put_redirect_is_refused(servers, creds):
    a, b = servers
    a.behaviour["/store"] = (307, f"{b.base}/store")
    ep = Endpoint(f"{a.base}/query", gsp_url=f"{a.base}/store", timeout=5, attempts=1)
    with pytest.raises(EndpointError, match="redirect"):
        push(_dataset(2), ep)
    assert b.seen == []


def test_cli_push_redirected_exits_1_without_success_line(servers, creds, tmp_path):
    from okg.store import KnowledgeGraph

    a, b = servers
    store = tmp_path / "store"
    with KnowledgeGraph.open(store, create=True) as kg:
        kg.install_vocabulary()
    a.behaviour["/update"] = (302, f"{b.base}/update")
    res = CliRunner().invoke(
        app,
        [
            "push",
            "--store",
            str(store),
            "--endpoint",
            f"{a.base}/query",
            "--update-endpoint",
            f"{a.base}/update",
            "--retries",
            "1",
        ],
    )
    assert res.exit_code == 1, res.output
    assert "pushed" not in res.output and "redirect" in res.output
    assert "Traceback" not in res.output and "s3cret" not in res.output
    assert b.seen == []


def test_chunks_keep_blank_nodes_together(servers, monkeypatch):
    from rdflib import BNode
    from rdflib.collection import Collection

    a, _ = servers
    monkeypatch.setattr(remote, "INSERT_CHUNK", 4)
    ds = _dataset(6)
    g = ds.graph(URIRef(OKG_G))
    head = BNode()
    Collection(g, head, [Literal(i) for i in range(5)])  # 10 triples, 5 linked blank nodes
    g.add((URIRef("https://w3id.org/okg/id/list"), URIRef("http://e.org/items"), head))
    assert push(ds, _ep(a)) == {OKG_G: len(g)}
    blanks = {
        term.value
        for q in a.store.quads_for_pattern(None, None, None, None)
        for term in (q.subject, q.object)
        if isinstance(term, ox.BlankNode)
    }
    assert len(blanks) == 5  # one node each, not one per request


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/q"])
def test_cli_query_refuses_other_schemes_in_one_line(url):
    res = CliRunner().invoke(app, ["query", "jobs", "--endpoint", url, "--retries", "1"])
    assert res.exit_code == 1
    assert "only http and https endpoints" in res.output
    assert len(res.output.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_cli_query_masks_url_credentials(monkeypatch):
    monkeypatch.delenv("OKG_ENDPOINT_USER", raising=False)
    url = "http://bob:hunter2@127.0.0.1:1/query"
    res = CliRunner().invoke(app, ["query", "jobs", "--endpoint", url, "--retries", "1"])
    assert res.exit_code == 1 and "hunter2" not in res.output and "***@127.0.0.1" in res.output
