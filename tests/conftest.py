"""Shared fixtures. Each group lives in clearly named functions; append yours below."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# -- canned queries: seed graphs and an Oxigraph server (issue 3) ----------------------------


def _seed_kg(engine: str):
    from okg.store import KnowledgeGraph
    from okg.terms.resources import data_dir

    kg = KnowledgeGraph.in_memory(engine)
    kg.install_vocabulary()
    kg.load(sorted(data_dir().glob("*.yaml")))
    return kg


@pytest.fixture(scope="session")
def queries_seed_kg():
    """The bundled data pack in an in-memory pyoxigraph store."""
    return _seed_kg("oxigraph")


@pytest.fixture(scope="session")
def queries_seed_kg_rdflib():
    """The bundled data pack in rdflib's in-memory reference store."""
    return _seed_kg("rdflib")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _oxigraph_binary() -> str:
    found = Path(sys.executable).with_name("oxigraph")
    return str(found) if found.exists() else (shutil.which("oxigraph") or "oxigraph")


class OxigraphServer:
    """An ``oxigraph serve`` process on 127.0.0.1 (union default graph, server-side timeout)."""

    def __init__(self, location: Path, timeout_s: int = 20, union: bool = True):
        self.location = location
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [
                _oxigraph_binary(),
                "serve",
                "--location",
                str(location),
                "--bind",
                f"127.0.0.1:{self.port}",
                *(["--union-default-graph"] if union else []),
                "--timeout-s",
                str(timeout_s),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(200):  # bounded wait for the port to answer
            if self.proc.poll() is not None:
                raise RuntimeError(f"oxigraph serve exited with {self.proc.returncode}")
            try:
                urllib.request.urlopen(f"{self.base}/query?query=ASK%7B%7D", timeout=1).read()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError("oxigraph serve did not answer")

    @property
    def query_url(self) -> str:
        return f"{self.base}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base}/update"

    @property
    def gsp_url(self) -> str:
        return f"{self.base}/store"

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, 15)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.kill(self.proc.pid, 9)
                self.proc.wait(timeout=10)


FOREIGN_GRAPH = "http://example.org/not-okg/graph"


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory, queries_seed_kg):
    """A running Oxigraph server holding the seed graph (pushed) and a foreign graph of another
    owner (``FOREIGN_GRAPH``, which push must leave alone)."""
    from okg.store.remote import Endpoint, push

    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    ep = Endpoint(server.query_url, update_url=server.update_url, attempts=1, timeout=30)
    ep.update(
        f"INSERT DATA {{ GRAPH <{FOREIGN_GRAPH}> {{ <http://example.org/a> "
        f'<http://example.org/b> "kept" }} }}'
    )
    push(queries_seed_kg.dataset(), ep)
    yield server
    server.stop()


@pytest.fixture()
def oxigraph_server_factory(tmp_path):
    """Start throw-away servers (each stopped by its process id when the test ends)."""
    started: list[OxigraphServer] = []

    def start(union: bool = True) -> OxigraphServer:
        s = OxigraphServer(tmp_path / f"ox{len(started)}", union=union)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


# -- Virtuoso 7 (Debian's virtuoso-opensource), issue 13 ----------------------------------------


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory):
    """A Virtuoso server on 127.0.0.1 (temp config, SPARQL Update granted), stopped by its pid;
    the tests using it are skipped when ``virtuoso-t`` is not installed."""
    from servers import VirtuosoServer, virtuoso_missing

    why = virtuoso_missing()
    if why:
        pytest.skip(why)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
