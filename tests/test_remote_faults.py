"""Endpoint faults: one-line errors naming the endpoint and the query, bounded retries."""

from __future__ import annotations

import base64
import http.server
import json
import re
import threading
import time
import urllib.parse

import pytest
from okg.cli import app
from okg.queries.canned import run_query
from okg.store import remote
from okg.store.remote import Endpoint, EndpointError
from typer.testing import CliRunner

runner = CliRunner()


class FaultHandler(http.server.BaseHTTPRequestHandler):
    mode = "500"
    hits = 0
    auth: str | None = None

    def do_POST(self):  # noqa: N802
        type(self).hits += 1
        type(self).auth = self.headers.get("Authorization")
        body = urllib.parse.unquote_plus(
            self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        ).encode()
        if self.mode == "ok":
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(
                b'{"head": {"vars": ["x"]}, "results": {"bindings": '
                rb'[{"x": {"type": "literal", "value": "\u0644\u064a\u064a\u062c", '
                b'"xml:lang": "ar"}}]}}'
            )
            return
        if self.mode == "escape":  # a label with terminal escapes, for any SELECT; ASK is true
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            if b"ASK" in body:
                self.wfile.write(b'{"head": {}, "boolean": true}')
            elif b"STRSTARTS" in body:  # the default-graph check's sample: none
                self.wfile.write(
                    b'{"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": []}}'
                )
            else:
                label = "Acme\x1b]0;pwned\x07\x1b[2J\x9b31m\x00 SA"  # OSC, CSI, C1, NUL
                self.wfile.write(
                    json.dumps(
                        {
                            "head": {"vars": ["x"]},
                            "results": {"bindings": [{"x": {"type": "literal", "value": label}}]},
                        }
                    ).encode()
                )
            return
        if self.mode == "sleep":
            time.sleep(2.5)
            return
        if self.mode in ("500", "404"):
            self.send_response(int(self.mode))
            self.end_headers()
            self.wfile.write(b"nope")
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(b"{not json" if self.mode == "garbage" else b'{"foo": 1}')

    def log_message(self, *args):
        pass


@pytest.fixture()
def fault_server():
    FaultHandler.hits = 0
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FaultHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/query"
    httpd.shutdown()
    httpd.server_close()


def _endpoint(url, **kw):
    delays: list[float] = []
    ep = Endpoint(url, timeout=1, attempts=3, backoff=0.01, sleep=delays.append, **kw)
    return ep, delays


@pytest.mark.parametrize(
    "mode, reason, retried",
    [
        ("500", "HTTP 500 Internal Server Error: nope", True),
        ("404", "HTTP 404 Not Found: nope", False),
        ("garbage", "malformed response", False),
        ("json-not-results", "malformed response", False),
        ("sleep", "timed out", True),
    ],
)
def test_faults_are_one_line_errors(fault_server, mode, reason, retried):
    FaultHandler.mode = mode
    ep, delays = _endpoint(fault_server)
    with pytest.raises(EndpointError) as err:
        run_query(ep, "timeline")
    msg = str(err.value)
    assert "\n" not in msg and fault_server in msg and "query timeline" in msg
    assert reason in msg
    assert FaultHandler.hits == (3 if retried else 1)
    assert delays == ([0.01, 0.02] if retried else [])


def test_cli_reports_fault_without_traceback(fault_server):
    FaultHandler.mode = "500"
    res = runner.invoke(app, ["query", "jobs", "--endpoint", fault_server, "--retries", "1"])
    assert res.exit_code == 1
    assert res.output.startswith("error: endpoint ") and "query jobs" in res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1


@pytest.mark.server
def test_stopped_server_is_connection_refused(oxigraph_server_factory):
    server = oxigraph_server_factory()
    url = server.query_url
    server.stop()
    ep, delays = _endpoint(url)
    with pytest.raises(EndpointError, match="cannot connect") as err:
        run_query(ep, "sources")
    assert url in str(err.value) and "after 3 attempts" in str(err.value)
    assert delays == [0.01, 0.02]
    res = runner.invoke(app, ["query", "sources", "--endpoint", url, "--retries", "1"])
    assert res.exit_code == 1 and "cannot connect" in res.output and "Traceback" not in res.output


def test_basic_auth_comes_from_the_environment(fault_server, monkeypatch):
    FaultHandler.mode = "ok"
    ep, _ = _endpoint(fault_server)
    monkeypatch.delenv("OKG_ENDPOINT_USER", raising=False)
    assert ep.select("SELECT ?x WHERE { }").python() == [{"x": "لييج"}]
    assert FaultHandler.auth is None
    monkeypatch.setenv("OKG_ENDPOINT_USER", "analyst")
    monkeypatch.setenv("OKG_ENDPOINT_PASSWORD", "s3cret")
    ep.select("SELECT ?x WHERE { }")
    assert FaultHandler.auth == "Basic " + base64.b64encode(b"analyst:s3cret").decode()


@pytest.mark.parametrize("fmt", ["table", "csv", "md"])
def test_terminal_escapes_in_a_remote_answer_never_reach_the_terminal(fault_server, tmp_path, fmt):
    FaultHandler.mode = "escape"
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    res = runner.invoke(
        app, ["query", str(rq), "--endpoint", fault_server, "--format", fmt, "--retries", "1"]
    )
    assert res.exit_code == 0, res.output
    assert "Acme" in res.output and "SA" in res.output
    bad = [c for c in res.output if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]
    assert not bad, [hex(ord(c)) for c in bad]


class CapHandler(http.server.BaseHTTPRequestHandler):
    """A SPARQL server holding *quads* quads whose every SELECT answer is cut at *cap* rows (None:
    no cap); an unbounded SELECT (no LIMIT) answers *answer* rows."""

    cap: int | None = 1000
    quads = 5000
    answer = 3000
    queries: list[str] = []

    def do_POST(self):  # noqa: N802
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        sparql = form["query"][0]
        type(self).queries.append(sparql)
        if sparql.lstrip().startswith("ASK"):
            return self._reply({"head": {}, "boolean": True})
        if "COUNT(*)" in sparql:
            value = {"type": "literal", "value": str(self.quads)}
            return self._reply({"head": {"vars": ["n"]}, "results": {"bindings": [{"n": value}]}})
        if "STRSTARTS" in sparql:  # the default-graph check's sample: none
            return self._reply({"head": {"vars": ["s", "p", "o"]}, "results": {"bindings": []}})
        limit = re.search(r"LIMIT (\d+)\s*$", sparql)
        if limit is None:
            n = self.answer
        elif "GRAPH ?g" in sparql:
            n = min(int(limit.group(1)), self.quads)
        else:  # the VALUES cross product
            n = int(limit.group(1))
        if self.cap is not None:
            n = min(n, self.cap)
        rows = [{"x": {"type": "literal", "value": str(i)}} for i in range(n)]
        self._reply({"head": {"vars": ["x"]}, "results": {"bindings": rows}})

    def _reply(self, doc):
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.end_headers()
        self.wfile.write(json.dumps(doc).encode())

    def log_message(self, *args):
        pass


@pytest.fixture()
def cap_server():
    CapHandler.queries = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), CapHandler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/query"
    remote._ROW_CAPS.pop(url, None)
    remote._DEFAULT_GRAPH_CHECKED.pop(url, None)
    yield url
    httpd.shutdown()
    httpd.server_close()
    remote._ROW_CAPS.pop(url, None)


def _probes():
    return [q for q in CapHandler.queries if "LIMIT" in q or "COUNT" in q]


@pytest.mark.parametrize("quads", [5000, 10])  # a large store; one smaller than the answer
def test_a_server_row_cap_is_an_error(cap_server, monkeypatch, quads):
    monkeypatch.setattr(CapHandler, "cap", 1000)
    monkeypatch.setattr(CapHandler, "quads", quads)
    ep, _ = _endpoint(cap_server)
    for _ in range(2):  # the cap is remembered: the second answer is refused without a probe
        with pytest.raises(EndpointError) as err:
            ep.select("SELECT ?x WHERE { ?x ?p ?o }", name="mine")
        msg = str(err.value)
        assert "\n" not in msg and cap_server in msg
        assert "the server cut the answer of mine at 1,000 rows" in msg
        assert "ResultSetMaxRows" in msg
    assert len(_probes()) == (2 if quads > 1000 else 3)  # scan, count (, VALUES): once
    assert ep.select("SELECT ?x WHERE { ?x ?p ?o } LIMIT 999").rows  # under the cap: fine


def test_cli_query_over_a_capped_server_fails_in_one_line(cap_server, monkeypatch, tmp_path):
    monkeypatch.setattr(CapHandler, "cap", 1000)
    rq = tmp_path / "mine.rq"
    rq.write_text("SELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    res = runner.invoke(app, ["query", str(rq), "--endpoint", cap_server, "--retries", "1"])
    assert res.exit_code != 0
    assert res.output.startswith("error: endpoint ") and "at 1,000 rows" in res.output
    assert "Traceback" not in res.output and len(res.output.strip().splitlines()) == 1


@pytest.mark.parametrize("quads", [5000, 10])
def test_an_uncapped_server_answers_and_is_probed_once(cap_server, monkeypatch, quads):
    monkeypatch.setattr(CapHandler, "cap", None)
    monkeypatch.setattr(CapHandler, "quads", quads)
    ep, _ = _endpoint(cap_server)
    for _ in range(3):
        assert len(ep.select("SELECT ?x WHERE { ?x ?p ?o }").rows) == 3000
    assert len(_probes()) == (1 if quads > 3000 else 3)


def test_a_small_answer_never_probes(cap_server, monkeypatch):
    monkeypatch.setattr(CapHandler, "cap", None)
    monkeypatch.setattr(CapHandler, "answer", 999)
    ep, _ = _endpoint(cap_server)
    for _ in range(2):
        assert len(ep.select("SELECT ?x WHERE { ?x ?p ?o }").rows) == 999
    assert len(CapHandler.queries) == 2  # only the queries themselves


@pytest.mark.server
def test_virtuoso_result_set_max_rows_is_detected(tmp_path, queries_seed_kg):
    from servers import VirtuosoServer, virtuoso_missing

    why = virtuoso_missing()
    if why:
        pytest.skip(why)
    server = VirtuosoServer(
        tmp_path / "virtuoso", settings={("SPARQL", "ResultSetMaxRows"): "1500"}
    )
    try:
        ep = Endpoint(server.query_url, update_url=server.update_url, attempts=1, timeout=60)
        remote._ROW_CAPS.pop(ep.query_url, None)
        remote.push(queries_seed_kg.dataset(), ep, status=queries_seed_kg.status())
        assert len(ep.select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1499").rows) == 1499
        with pytest.raises(EndpointError, match="cut the answer of all quads at 1,500 rows"):
            ep.select("SELECT ?s WHERE { GRAPH ?g { ?s ?p ?o } }", name="all quads")
    finally:
        server.stop()
        remote._ROW_CAPS.pop(server.query_url, None)
