"""Shared fixtures. Each group lives in clearly named functions; append yours below."""

from __future__ import annotations

import pytest
from servers import OxigraphServer, VirtuosoServer, virtuoso_missing  # tests/servers.py

# -- canned queries: seed graphs and an Oxigraph server (issue 3); the servers: tests/servers.py --


def _seed_kg(engine: str):
    from okg.store import KnowledgeGraph
    from okg.terms.resources import data_dir

    kg = KnowledgeGraph.in_memory(engine)
    kg.install_vocabulary()
    kg.load(sorted(data_dir().glob("*.yaml")))
    return kg


@pytest.fixture(scope="session")
def seed_kg():
    """The vocabulary and the bundled data pack (every yaml of okg.data) in an in-memory
    pyoxigraph store, built once per session and shared by every test file that asks for it:
    read it only (a test that changes a store builds its own)."""
    return _seed_kg("oxigraph")


def generated_kg(tmp_path_factory, triples: int, seed: int):
    """benchmarks/generate.py's synthetic registry (*triples*, *seed*) bulk-loaded (without the
    checks) into an in-memory pyoxigraph store, built once per session for each pair: read it
    only. Used through the fixtures of the test files that need generated data."""
    key = (triples, seed)
    if key not in _GENERATED:
        import importlib
        import sys
        from pathlib import Path

        from okg.store import KnowledgeGraph
        from okg.store.bulk import bulk_load
        from okg.terms.vocabulary import load_vocabulary

        root = str(Path(__file__).resolve().parent.parent)
        if root not in sys.path:
            sys.path.insert(0, root)
        gen = importlib.import_module("benchmarks.generate")
        voc = load_vocabulary()
        nq = tmp_path_factory.mktemp(f"generated-{triples}-{seed}") / "g.nq"
        gen.write_nquads(gen.generate(triples, seed=seed, voc=voc), nq, voc)
        kg = KnowledgeGraph.in_memory()
        bulk_load(kg, [nq], check=False)
        _GENERATED[key] = kg
    return _GENERATED[key]


_GENERATED: dict = {}


@pytest.fixture(scope="session")
def queries_seed_kg(seed_kg):
    """:func:`seed_kg` (the same store), under the name the canned-query tests use."""
    return seed_kg


@pytest.fixture(scope="session")
def queries_seed_kg_rdflib():
    """The bundled data pack in rdflib's in-memory reference store."""
    return _seed_kg("rdflib")


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
    why = virtuoso_missing()
    if why:
        pytest.skip(why)
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso"))
    yield server
    server.stop()
