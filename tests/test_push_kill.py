"""``okg push`` against a server killed mid-push (issue 13 item 5, issue 15 item 3).

A real Oxigraph server holds an old version of the bundled store; a new version (one source
changed, and grown past one request so it goes through the temporary graph and ``MOVE``; one
old source gone) is pushed through a loopback proxy that counts the HTTP requests and SIGKILLs
the server's process at the k-th one: before forwarding it, or after the server answered it
but before the answer reaches okg. The server is restarted on the same folder and every graph
it holds must equal that graph's old or new version exactly (triples compared as multisets,
blank nodes replaced by one placeholder), never missing or partial; a leftover temporary graph
(``…/push-tmp/…``) is allowed until the next push, which removes it. The status graph (store
id and version) is old, new or absent, and when it is new every graph is new. Then a rerun of
the push completes and leaves exactly the new version. ``okg push`` itself, killed the same
way, exits 1 with one line and no traceback.

The kill points are a bounded set chosen from a dry run's request list: the first, middle and
last request of every run of same-kind requests (the chunks of one graph's upload are one run).
On Virtuoso 7 (slow to restart: it replays its transaction log) five points: midway in the
chunked upload, its ``MOVE`` (killed before and after), the stale graph's drop and the status
write. Measured December 2026: on both engines every graph was old or new at every point.
"""

from __future__ import annotations

import http.client
import http.server
import os
import shutil
import subprocess
import sys
import threading
import urllib.parse
from collections import Counter
from pathlib import Path
from types import SimpleNamespace

import pytest
from okg.store.remote import INSERT_CHUNK, TEMP_PREFIX, Endpoint, EndpointError, push
from rdflib import BNode, Dataset, Literal, URIRef
from servers import OxigraphServer, VirtuosoServer, virtuoso_missing

pytestmark = pytest.mark.server

G = "https://w3id.org/okg/graph/"
CHANGED = G + "source/totalenergies-ikanbi-relocation"
GONE = G + "source/push-kill-obsolete"
STATUS = G + "status"
CORE = G + "ontology/core"
OLD_STATUS = SimpleNamespace(store_id="push-kill-old", version=1)
NEW_STATUS = SimpleNamespace(store_id="push-kill-new", version=2)


# -- the loopback proxy that kills the server -------------------------------------------------


class KillProxy:
    """Forwards every request to ``server``; at request number ``kill_at`` SIGKILLs it, either
    ``before`` forwarding or ``after`` the server answered, and drops the connection unanswered
    (as does every request after that: the server is dead). Records each request's kind."""

    def __init__(self, server: OxigraphServer):
        self.server = server
        self.kill_at: int | None = None
        self.kill_kind: tuple[str, int] | None = None  # the n-th request whose kind has this
        self.when = "before"
        self.kinds: list[str] = []
        self.killed = False
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _any(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
                with proxy.lock:
                    proxy.kinds.append(_kind(self.command, body))
                    n = len(proxy.kinds)
                    kill_now = n == proxy.kill_at
                    if proxy.kill_kind:
                        text, nth = proxy.kill_kind
                        kill_now = (
                            sum(text in k for k in proxy.kinds) == nth and text in proxy.kinds[-1]
                        )
                    if kill_now and proxy.when == "before":
                        proxy.kill()
                    dead = proxy.killed
                if dead:
                    self.close_connection = True
                    return
                try:
                    status, headers, data = proxy.forward(
                        self.command, self.path, self.headers, body
                    )
                except OSError:
                    self.close_connection = True
                    return
                if kill_now:  # "after": the server applied it; okg never hears so
                    with proxy.lock:
                        proxy.kill()
                    self.close_connection = True
                    return
                self.send_response(status)
                for k, v in headers:
                    if k.lower() in ("content-type",):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _any  # noqa: N815

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def kill(self) -> None:
        self.server.kill()
        self.killed = True

    def forward(self, method, path, headers, body):
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=60)
        try:
            keep = {
                k: v
                for k, v in headers.items()
                if k.lower() in ("content-type", "accept", "authorization")
            }
            conn.request(method, path, body=body or None, headers=keep)
            resp = conn.getresponse()
            return resp.status, resp.getheaders(), resp.read()
        finally:
            conn.close()

    def reset(self, server, kill_at: int | None, when: str = "before", kill_kind=None):
        with self.lock:
            self.server, self.kill_at, self.when = server, kill_at, when
            self.kill_kind = kill_kind
            self.kinds, self.killed = [], False

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _kind(method: str, body: bytes) -> str:
    """What a request does, coarsely: the chunks of one upload share a kind."""
    if method != "POST":
        return method
    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
    text = (form.get("update") or form.get("query") or [""])[0]
    words = " ".join(text.split()[:8])
    if "update" in form:
        graphs = [w for w in text.split() if w.startswith("<https://w3id.org/okg/graph/")]
        return f"update {words.split()[0]} {graphs[0] if graphs else ''}"
    return "query " + words


# -- old and new versions, and what a server holds ----------------------------------------------


def _versions(seed) -> tuple[Dataset, Dataset]:
    """The seed store without its large core ontology (its upload is the same steps
    as the changed source's, many times over: the okg push test below kills midway in it)."""
    old, new = seed.dataset(), seed.dataset()
    for ds in (old, new):
        ds.remove_graph(ds.graph(URIRef(CORE)))
    gone = old.graph(URIRef(GONE))
    for i in range(40):
        gone.add((URIRef(f"https://example.org/gone/{i}"), URIRef(G + "p"), Literal(i)))
    changed = new.graph(URIRef(CHANGED))
    assert len(changed) > 100
    for i in range(INSERT_CHUNK + 500):  # past one request: temporary graph, then MOVE
        changed.add((URIRef(f"https://example.org/new/{i}"), URIRef(G + "p"), Literal(f"v{i}")))
    return old, new


def _placeholder(t):
    return URIRef("urn:bnode") if isinstance(t, BNode) else t


def dump(url: str) -> dict[str, Counter]:
    """The okg graphs a server holds (Virtuoso's own graphs left out)."""
    ep = Endpoint(url, attempts=1, timeout=120)
    rows = ep.select(
        f'SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), "{G}")) }}',
        name="dump",
    )
    out: dict[str, Counter] = {}
    for g, s, p, o in rows.rows:
        out.setdefault(str(g), Counter())[tuple(map(_placeholder, (s, p, o)))] += 1
    return out


def _direct(server) -> Endpoint:
    return Endpoint(server.query_url, update_url=server.update_url, attempts=1, timeout=120)


def make_states(root: Path, seed) -> SimpleNamespace:
    """The old version on a stopped server's folder (``root/old``); the old and new states as
    a server holds them (each pushed to a fresh server and read back)."""
    old, new = _versions(seed)
    seen = {}
    for name, ds, status in (("old", old, OLD_STATUS), ("new", new, NEW_STATUS)):
        server = OxigraphServer(root / name, timeout_s=60)
        try:
            push(ds, _direct(server), status=status)
            seen[name] = dump(server.query_url)
        finally:
            server.stop()
    assert seen["old"][GONE] and GONE not in seen["new"]
    assert seen["old"][CHANGED] != seen["new"][CHANGED]
    return SimpleNamespace(folder=root / "old", new_ds=new, root=root, **seen)


@pytest.fixture(scope="module")
def states(tmp_path_factory, queries_seed_kg):
    return make_states(tmp_path_factory.mktemp("push-kill"), queries_seed_kg)


def _check(held: dict[str, Counter], st) -> list[str]:
    """What is wrong with *held*: graphs neither old nor new (missing, partial, mixed)."""
    bad = []
    temps = [g for g in held if g.startswith(TEMP_PREFIX)]
    names = (set(st.old) | set(st.new) | set(held)) - set(temps) - {STATUS}
    for g in sorted(names):
        if held.get(g) not in (st.old.get(g), st.new.get(g)):
            have = sum(held[g].values()) if g in held else "no"
            old, new = (sum(v.get(g, Counter()).values()) for v in (st.old, st.new))
            bad.append(f"{g}: {have} triples, old {old}, new {new}")
    status = held.get(STATUS)
    if status not in (None, st.old[STATUS], st.new[STATUS]):
        bad.append(f"status graph partial: {status}")
    if status == st.new[STATUS] and {g: held[g] for g in names if g in held} != {
        g: st.new[g] for g in names if g in st.new
    }:
        bad.append("the status graph says new but some graph is not")
    return bad


def _kill_points(kinds: list[str]) -> list[int]:
    """1-based: first, middle and last request of every run of same-kind requests."""
    runs: list[list[int]] = []
    for i, k in enumerate(kinds, start=1):
        if runs and kinds[runs[-1][0] - 1] == k:
            runs[-1].append(i)
        else:
            runs.append([i])
    return sorted({p for r in runs for p in (r[0], r[len(r) // 2], r[-1])})


def make_plan(states) -> SimpleNamespace:
    """The requests of one uninterrupted push of the new version, through the proxy."""
    folder = states.root / "dry"
    shutil.copytree(states.folder, folder)
    server = OxigraphServer(folder, timeout_s=60)
    proxy = KillProxy(server)
    try:
        ep = Endpoint(proxy.base + "/query", update_url=proxy.base + "/update", attempts=1)
        push(states.new_ds, ep, status=NEW_STATUS)
        assert dump(server.query_url) == states.new
        kinds = list(proxy.kinds)
    finally:
        proxy.close()
        server.stop()
    assert any(TEMP_PREFIX in k for k in kinds), kinds  # the chunked path ran
    return SimpleNamespace(kinds=kinds, points=_kill_points(kinds))


@pytest.fixture(scope="module")
def plan(states):
    return make_plan(states)


def kill_once(states, plan, k: int, when: str, folder: Path) -> SimpleNamespace:
    """Push the new version over a copy of the old, SIGKILL the server at request *k*
    (*when*: before or after it reaches the server), restart it, then push again. Returns
    ``error`` (the push's one-line error, or None when it did not fail), ``problems`` (graphs
    neither old nor new after the restart) and ``rerun_ok`` (the second push left exactly
    the new version)."""
    shutil.copytree(states.folder, folder)
    server = OxigraphServer(folder, timeout_s=60)
    proxy = KillProxy(server)
    out = SimpleNamespace(error=None, killed=False, problems=[], rerun_ok=False)
    try:
        proxy.reset(server, k, when)
        ep = Endpoint(proxy.base + "/query", update_url=proxy.base + "/update", attempts=1)
        try:
            push(states.new_ds, ep, status=NEW_STATUS)
        except EndpointError as exc:
            out.error = str(exc)
        out.killed = proxy.killed
        server.start()  # the same folder, after SIGKILL
        out.problems = [
            f"kill {when} request {k} ({plan.kinds[k - 1]}): {p}"
            for p in _check(dump(server.query_url), states)
        ]
        push(states.new_ds, _direct(server), status=NEW_STATUS)  # a rerun completes
        out.rerun_ok = dump(server.query_url) == states.new  # temporary graphs removed
    finally:
        proxy.close()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return out


@pytest.mark.parametrize("when", ["before", "after"])
def test_a_killed_push_leaves_each_graph_old_or_new(states, plan, when, tmp_path):
    assert 10 <= len(plan.points) <= 60, plan.points  # bounded, and covers every kind of step
    problems = []
    for k in plan.points:
        got = kill_once(states, plan, k, when, tmp_path / f"k{k}")
        assert got.killed and got.error and "\n" not in got.error, (k, got.error)
        assert got.rerun_ok, k
        problems += got.problems
    assert not problems, "\n".join(problems)


def test_okg_push_killed_mid_push_is_one_line_then_a_rerun_completes(states, plan, tmp_path):
    from okg.store import KnowledgeGraph
    from okg.terms.resources import data_dir

    files = tmp_path / "data"
    shutil.copytree(data_dir(), files, ignore=shutil.ignore_patterns("__pycache__"))
    changed = files / "totalenergies-ikanbi-2025.yaml"
    text = changed.read_text(encoding="utf-8")
    assert '    note: "Served for more than seven years' in text
    changed.write_text(text.replace("Served for more than seven years", "Served 7+ years", 1))
    store = tmp_path / "store"
    kg = KnowledgeGraph.open(store)
    kg.install_vocabulary()
    kg.load(sorted(files.glob("*.yaml")))
    kg.close()

    folder = tmp_path / "server"
    shutil.copytree(states.folder, folder)
    server = OxigraphServer(folder, timeout_s=60)
    proxy = KillProxy(server)
    okg = str(Path(sys.executable).with_name("okg"))
    env = {**os.environ, "COLUMNS": "200"}
    try:
        # after the server applied the 2nd part of the core ontology's upload
        proxy.reset(server, None, "after", kill_kind=(TEMP_PREFIX + "ontology/core", 2))
        cmd = [okg, "push", "--store", str(store), "--retries", "1", "--endpoint"]
        run = subprocess.run(
            [*cmd, proxy.base + "/query", "--update-endpoint", proxy.base + "/update"],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        out = (run.stdout + run.stderr).strip()
        assert run.returncode == 1, out
        assert "Traceback" not in out and len(out.splitlines()) == 1, out
        assert out.startswith("error: endpoint ") and "unchanged" in out, out
        server.start()
        assert not _check(dump(server.query_url), states)
        rerun = subprocess.run(
            [*cmd, server.query_url, "--update-endpoint", server.update_url],
            capture_output=True,
            text=True,
            timeout=300,
            env=env,
        )
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        held = dump(server.query_url)
        assert not [g for g in held if g.startswith(TEMP_PREFIX)] and GONE not in held
        assert held[CHANGED] != states.old[CHANGED] and sum(held[CORE].values()) > 10000
    finally:
        proxy.close()
        server.stop()


# -- Virtuoso 7: a few kill points (each restart replays its transaction log, ~5-10 s) ---------


def _virtuoso_points(kinds: list[str]) -> list[tuple[int, str]]:
    """The steps where a non-atomic engine would show it: midway in the changed source's
    upload, its MOVE, the stale graph's drop and the status write (kill after each), and the
    MOVE again killed before it reaches the server."""
    upload = [i for i, k in enumerate(kinds, 1) if TEMP_PREFIX + "source/" in k]
    stale = next(i for i, k in enumerate(kinds, 1) if GONE in k)
    status = [i for i, k in enumerate(kinds, 1) if k.endswith(f"<{STATUS}>")][-1]
    return [(upload[1], "after"), (upload[-1], "after"), (upload[-1], "before")] + [
        (stale, "after"),
        (status, "after"),
    ]


def test_a_killed_push_on_virtuoso_leaves_each_graph_old_or_new(
    tmp_path_factory, queries_seed_kg, plan
):
    why = virtuoso_missing()
    if why:
        pytest.skip(why)
    old_ds, new_ds = _versions(queries_seed_kg)
    server = VirtuosoServer(tmp_path_factory.mktemp("push-kill-virtuoso"))
    proxy = KillProxy(server)
    problems = []
    try:
        push(new_ds, _direct(server), status=NEW_STATUS)
        st = SimpleNamespace(new=dump(server.query_url))
        push(old_ds, _direct(server), status=OLD_STATUS)
        st.old = dump(server.query_url)
        assert st.old[CHANGED] != st.new[CHANGED] and GONE in st.old and GONE not in st.new
        for k, when in _virtuoso_points(plan.kinds):
            push(old_ds, _direct(server), status=OLD_STATUS)
            assert dump(server.query_url) == st.old
            proxy.reset(server, k, when)
            ep = Endpoint(proxy.base + "/sparql", update_url=proxy.base + "/sparql", attempts=1)
            with pytest.raises(EndpointError):
                push(new_ds, ep, status=NEW_STATUS)
            assert proxy.killed, k
            server.start()  # the same database, after SIGKILL
            problems += [
                f"kill {when} request {k} ({plan.kinds[k - 1]}): {p}"
                for p in _check(dump(server.query_url), st)
            ]
            push(new_ds, _direct(server), status=NEW_STATUS)  # a rerun completes
            assert dump(server.query_url) == st.new, k
    finally:
        proxy.close()
        server.stop()
    assert not problems, "\n".join(problems)
