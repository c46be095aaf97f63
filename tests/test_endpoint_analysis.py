"""Analysis on a SPARQL server (issue 13, items 3 and 5): ``okg impact``, ``analyze``, ``viz``
and ``report`` with ``--endpoint`` answer as on the embedded store, the projection cache of a
server is keyed by the store version ``okg push`` wrote there, and a server whose default graph
hides okg's named graphs is a one-line error, never an empty answer."""

from __future__ import annotations

import pytest
from okg.cli import app
from okg.store.remote import Endpoint, EndpointError, push
from typer.testing import CliRunner

pytestmark = pytest.mark.server

runner = CliRunner()


def _ok(args):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    return res


@pytest.fixture(scope="module")
def built_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "store"
    _ok(["build", "--store", str(store)])
    return store


def _push(store, server):
    return _ok(
        [
            "push",
            "--store",
            str(store),
            "--endpoint",
            server.query_url,
            "--update-endpoint",
            server.update_url,
        ]
    )


def test_query_on_a_server_without_union_default_graph_stops_naming_the_flag(
    oxigraph_server_factory, built_store
):
    server = oxigraph_server_factory(union=False)
    _push(built_store, server)
    res = runner.invoke(app, ["query", "jobs", "--endpoint", server.query_url])
    assert res.exit_code == 1, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: endpoint ")
    assert "--union-default-graph" in lines[0] and "tdb2:unionDefaultGraph" in lines[0]
    res = runner.invoke(
        app, ["impact", "fr-ban-vote", "--as-of", "2026-09-01", "--endpoint", server.query_url]
    )
    assert res.exit_code == 1 and "--union-default-graph" in res.output
    assert "Traceback" not in res.output


def test_an_empty_server_is_an_error_not_an_empty_answer(oxigraph_server_factory):
    server = oxigraph_server_factory()
    res = runner.invoke(app, ["query", "sources", "--endpoint", server.query_url])
    assert res.exit_code == 1 and "holds no triples" in res.output


def test_the_union_server_passes_the_check(oxigraph_server):
    Endpoint(oxigraph_server.query_url, attempts=1).check_default_graph()  # no error


@pytest.fixture(scope="module")
def pushed_server(built_store, tmp_path_factory):
    from conftest import OxigraphServer

    server = OxigraphServer(tmp_path_factory.mktemp("ox-analysis"))
    try:
        _push(built_store, server)
        yield server
    finally:
        server.stop()


@pytest.mark.parametrize(
    "args",
    [
        ["impact", "fr-ban-vote", "--as-of", "2026-09-01", "--format", "json"],
        ["impact", "--list", "--format", "json"],
        ["analyze", "--as-of", "2026-09-01", "--format", "json"],
    ],
    ids=["impact", "impact-list", "analyze"],
)
def test_analysis_on_the_server_equals_the_embedded_store(args, built_store, pushed_server):
    local = _ok([*args, "--store", str(built_store)]).output
    remote = _ok([*args, "--endpoint", pushed_server.query_url]).output
    assert '"' in local and len(local) > 200  # a real answer, not an empty list
    assert remote == local


@pytest.mark.parametrize("command", ["viz", "report"])
def test_pages_from_the_server_equal_the_embedded_stores(
    command, built_store, pushed_server, tmp_path
):
    extra = ["--event", "fr-ban-vote"] if command == "viz" else ["fr-ban-vote"]
    pages, said = [], []
    for where, opt in (("local", ["--store", str(built_store)]), ("remote", [])):
        folder = tmp_path / where
        folder.mkdir()
        out = folder / "page.html"
        if where == "remote":
            opt = ["--endpoint", pushed_server.query_url]
        res = _ok([command, *extra, "--as-of", "2026-09-01", "--out", str(out), *opt])
        pages.append(out.read_text(encoding="utf-8"))
        said.append(res.output.replace(str(out), "OUT"))
    assert pages[0] == pages[1]
    assert said[0] == said[1]
    assert " 0 nodes" not in said[0] and "(0 rows" not in said[0], said[0]


def test_projection_cache_is_keyed_by_the_pushed_store_version(
    oxigraph_server_factory, queries_seed_kg
):
    from okg.analysis.projection import cached_projection
    from okg.store.reader import open_endpoint

    server = oxigraph_server_factory()
    ep = Endpoint(server.query_url, update_url=server.update_url, attempts=1)
    status = queries_seed_kg.status()
    assert status.store_id is not None
    push(queries_seed_kg.dataset(), ep, status=status)
    kg = open_endpoint(server.query_url)
    assert kg.status().store_id == status.store_id and kg.status().version == status.version
    first = cached_projection(kg)
    assert cached_projection(open_endpoint(server.query_url)) is first  # same version: reused
    # a push of another version: rebuilt
    newer = type(status)(status.state, status.version + 1, status.store_id, None, None)
    push(queries_seed_kg.dataset(), ep, status=newer)
    second = cached_projection(kg)
    assert second is not first and second.graph["fingerprint"] != first.graph["fingerprint"]
    # a push without a version (the status graph is dropped): never cached
    push(queries_seed_kg.dataset(), ep)
    assert kg.status().store_id is None
    assert cached_projection(kg) is not cached_projection(kg)
    assert sorted(cached_projection(kg).edges(keys=True)) == sorted(first.edges(keys=True))


def test_the_reader_is_read_only(oxigraph_server):
    from okg.store.reader import open_endpoint

    kg = open_endpoint(oxigraph_server.query_url)
    with pytest.raises(EndpointError, match="read only"):
        kg.backend.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
