"""The synthetic graph generator, the bulk-load fast path, and a 10^4 smoke run of the benchmark."""

from __future__ import annotations

import importlib
import json
import os
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from okg.loaders import load_vocabulary, read_files
from okg.store import KnowledgeGraph
from okg.store.bulk import REFERENCE_CHECK, bulk_load, derive_native, integrity_checks
from okg.store.shacl import check_bundles
from okg.terms.namespaces import DERIVED_GRAPH, GRAPH
from okg.terms.resources import data_dir
from rdflib import Dataset

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
_gen = importlib.import_module("benchmarks.generate")
generate, render_yaml = _gen.generate, _gen.render_yaml
write_nquads, write_yaml = _gen.write_nquads, _gen.write_yaml


@pytest.fixture(scope="module")
def voc():
    return load_vocabulary()


@pytest.fixture(scope="module")
def small(voc, tmp_path_factory):
    """A 10^4-triple graph as N-Quads and as YAML fact files."""
    folder = tmp_path_factory.mktemp("gen")
    docs = generate(10_000, seed=3, voc=voc)
    nq = folder / "g.nq"
    n = write_nquads(docs, nq, voc)
    return docs, nq, n, write_yaml(docs, folder / "yaml")


def test_same_seed_same_bytes_other_seed_other_graph(voc, tmp_path):
    paths = []
    for i, seed in enumerate((5, 5, 6)):
        p = tmp_path / f"{i}.nq"
        write_nquads(generate(4_000, seed=seed, voc=voc), p, voc)
        paths.append(p.read_bytes())
    assert paths[0] == paths[1]
    assert paths[0] != paths[2]
    a = [render_yaml(d)[0] for d in generate(4_000, seed=5, voc=voc)]
    b = [render_yaml(d)[0] for d in generate(4_000, seed=5, voc=voc)]
    assert a == b


def test_size_is_reached_and_counted(small):
    docs, _, n, _ = small
    assert n == sum(d.triples for d in docs)
    assert 10_000 <= n < 10_500


def test_yaml_passes_the_loader_and_shapes_and_maps_to_the_same_quads(voc, small):
    _, nq, _, yaml_paths = small
    bundles = read_files(yaml_paths, voc)  # raises LoadError on any loader error
    assert check_bundles(bundles, voc) == []
    ds = Dataset()
    ds.parse(nq, format="nquads")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {str(b.graph_iri) for b in bundles}
    for b in bundles:
        assert set(ds.graph(b.graph_iri)) == set(b.graph), b.source_id


def test_degrees_are_skewed(small):
    docs, *_ = small
    clients: Counter = Counter()
    contracts_per_provider = []
    for d in docs:
        n = 0
        for rec in d.records:
            if rec.type == "Contract":
                n += 1
                clients[dict(rec.fields)["client"]] += 1
        if d.source_id.startswith("synthetic-provider-"):
            contracts_per_provider.append(n)
    contracts_per_provider.sort()
    # Many single-contract firms, a few large groups far above the median.
    assert contracts_per_provider.count(1) >= len(contracts_per_provider) / 3
    median = contracts_per_provider[len(contracts_per_provider) // 2]
    assert contracts_per_provider[-1] >= 10 * median
    assert max(clients.values()) >= 5 * sorted(clients.values())[len(clients) // 2]


def test_the_required_regulation_and_events_are_there(small):
    docs, *_ = small
    recs = {r.id: r for d in docs for r in d.records}
    ban = dict(recs["fr-telemarketing-ban"].fields)
    assert (ban["prohibits"], ban["appliesToMarket"]) == ("telemarketing", "FR")
    kinds = Counter(r.type for r in recs.values())
    for kind in (
        "RegulationEnacted",
        "ContractTerminated",
        "Relocation",
        "Workforce",
        "MarketDependency",
        "ActivityShare",
        "cc:ContactCentre",
    ):
        assert kinds[kind] > 0, kind


@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 10_000), size=st.integers(500, 3_000))
def test_any_seed_gives_unique_ids_and_parsable_quads(voc, tmp_path_factory, seed, size):
    docs = generate(size, seed=seed, voc=voc)
    ids = [(d.source_id, r.id) for d in docs for r in d.records]
    assert len(ids) == len(set(ids))
    p = tmp_path_factory.mktemp("h") / "g.nq"
    n = write_nquads(docs, p, voc)
    assert n >= size
    ds = Dataset()
    ds.parse(p, format="nquads")
    assert sum(len(g) for g in ds.graphs()) == n


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_bulk_load_of_good_data_finds_no_problem(small, engine):
    _, nq, n, _ = small
    kg = KnowledgeGraph.in_memory(engine)
    report = bulk_load(kg, [nq])
    assert report.quads == n
    assert report.problems == []
    assert kg.ask("ASK { ?p okg:servesClient ?c }")


NS = {
    "okg:": "https://w3id.org/okg/ontology#",
    "id:": "https://w3id.org/okg/id/",
    "rdf:": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "prov:": "http://www.w3.org/ns/prov#",
    "dct:": "http://purl.org/dc/terms/",
    "cc:": "https://w3id.org/okg/sector/call-centres#",
    "xsd:": "http://www.w3.org/2001/XMLSchema#",
}
# A contract without client whose provider was never declared; a figure with two units and
# low > high.
BAD = [
    ("id:source/s", "rdf:type", "okg:Source"),
    ("id:source/s", "dct:title", '"t"'),
    ("id:source/s", "okg:sourceLanguage", "id:language/fr"),
    ("id:s/k", "rdf:type", "okg:Contract"),
    ("id:s/k", "prov:hadPrimarySource", "id:source/s"),
    ("id:s/k", "okg:quote", '"q"@fr'),
    ("id:s/k", "okg:provider", "id:nobody"),
    ("id:s/k", "okg:coversActivity", "cc:Telemarketing"),
    ("id:s/q", "rdf:type", "okg:Quantity"),
    ("id:s/q", "okg:qualifier", "okg:Range"),
    ("id:s/q", "okg:unit", "okg:Jobs"),
    ("id:s/q", "okg:unit", "okg:Percent"),
    ("id:s/q", "okg:low", '"9"^^xsd:decimal'),
    ("id:s/q", "okg:high", '"3"^^xsd:decimal'),
]


def _nquads(rows: list[tuple[str, str, str]], graph: str) -> bytes:
    def term(t: str) -> str:
        if t.startswith('"'):
            if "^^" in t:
                lex, dt = t.split("^^")
                return f"{lex}^^{term(dt)}"
            return t
        prefix, local = t.split(":", 1)
        return f"<{NS[prefix + ':']}{local}>"

    return "".join(f"{term(s)} {term(p)} {term(o)} <{graph}> .\n" for s, p, o in rows).encode()


@pytest.mark.parametrize("engine", ["oxigraph", "rdflib"])
def test_bulk_load_names_each_broken_record(engine):
    data = _nquads(BAD, str(GRAPH["source/s"]))
    report = bulk_load(KnowledgeGraph.in_memory(engine), [data])
    found = {(p.message, p.focus.rsplit("/", 1)[-1]) for p in report.problems}
    assert found == {
        ("A contract has exactly one client.", "k"),
        ("every object of a relation has the type the relation's range asks for", "nobody"),
        ("A figure has a unit.", "q"),
        ("A figure's low end is a non-negative number not above its high end.", "q"),
    }
    checks = {p.check for p in report.problems}
    assert checks == {
        "ContractShape MinCount",
        "QuantityShape MaxCount",
        "QuantityShape LessThanOrEquals",
        "reference",
    }
    assert {p.graph for p in report.problems} == {str(GRAPH["source/s"])}


def test_bulk_load_refuses_a_store_with_sources(small):
    _, nq, _, _ = small
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(sorted(data_dir().glob("*.yaml")))
    with pytest.raises(ValueError, match="already holds sources"):
        bulk_load(kg, [nq])


def test_every_check_is_valid_sparql_on_both_engines():
    for engine in ("oxigraph", "rdflib"):
        kg = KnowledgeGraph.in_memory(engine)
        kg.install_vocabulary()
        for c in integrity_checks(kg.voc):
            assert kg.query(c.sparql).rows == [], (c.shape, c.component)
        assert kg.query(REFERENCE_CHECK[2]).rows == []


def test_native_derive_equals_the_store_derive():
    files = sorted(data_dir().glob("*.yaml"))
    a = KnowledgeGraph.in_memory()
    a.install_vocabulary()
    a.load(files)
    b = KnowledgeGraph.in_memory()
    b.install_vocabulary()
    b.load(files)
    derive_native(b)
    q = f"SELECT ?s ?p ?o WHERE {{ GRAPH <{DERIVED_GRAPH}> {{ ?s ?p ?o }} }}"
    assert set(a.query(q).rows) == set(b.query(q).rows)
    assert len(a.query(q).rows) > 0


def test_benchmark_smoke_run_writes_well_formed_results(tmp_path):
    """A 10^4 run with 2 repetitions: the results are complete and positive, whatever the speed."""
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--sizes",
        "10000",
        "--reps",
        "2",
        "--timeout",
        "1",
        "--standard-max",
        "0",
        "--work-dir",
        str(tmp_path / "work"),
        "--out-dir",
        str(out),
    ]
    # The time-out only guards against a hung run (it took 30 s idle, minutes on a loaded machine).
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert p.returncode == 0, p.stderr[-3000:]
    res = json.loads((out / "results.json").read_text())
    assert {"date", "command", "machine", "sizes", "reps", "timeout_s"} <= set(res)
    assert res["machine"]["cores"] > 0 and res["machine"]["memory_gb"] > 0
    (entry,) = res["sizes"]
    assert entry["data_triples"] >= 10_000
    ox, rd = entry["oxigraph"], entry["rdflib"]
    for b in (ox["build"], rd["build"]):
        assert b["quads"] == entry["data_triples"]
        assert b["peak_rss_mb"] > 0
    assert ox["build"]["seconds"] > 0 and ox["build"]["triples_per_s"] > 0
    assert ox["build"]["problems"] == []
    from okg.queries.canned import catalog

    names = set(catalog())
    assert names and set(ox["queries"]) == names == set(rd["queries"])
    for engine in ("oxigraph", "oxigraph-memory", "rdflib"):
        for name, m in entry[engine]["queries"].items():
            _measured_or_timed_out(m, 1, f"{engine} {name}")
    for kind in ("regulation", "termination"):
        imp = ox["impact"][kind]
        assert imp["cold_s"] > 0 and imp["warm_median_s"] > 0 and imp["rows"] >= 0
    for cmd in ("viz", "analyze"):  # a command run: a time, or the time-out it passed
        assert ox[cmd].get("seconds") or ox[cmd].get("timeout_s") or ox[cmd].get("missing"), cmd
        assert ox[cmd].get("ok", True) or ox[cmd].get("timeout_s"), ox[cmd]
    text = (out / "RESULTS.md").read_text()
    assert "| query |" in text and "cores" in text
    for name in names:
        assert f"| {name} |" in text, name


def _measured_or_timed_out(m: dict, timeout: float, what: str) -> None:
    """A query measurement is either a positive median over its runs or a recorded time-out."""
    assert "error" not in m, (what, m)
    if m["median_s"] is None:
        assert m["timeout_s"] == timeout and m["runs"] == [], (what, m)
    else:
        assert m["median_s"] > 0 and len(m["runs"]) >= 1, (what, m)
        assert m["median_s"] == statistics.median(m["runs"]), (what, m)
        assert m.get("timeout_s") in (None, timeout), (what, m)


def test_a_query_killed_at_its_time_out_is_recorded_as_a_time_out():
    run = importlib.import_module("benchmarks.run")
    import time

    # The child never finishes in time whatever the machine's speed: it blocks for an hour.
    res = run.time_forked(lambda: time.sleep(3600), reps=3, timeout=0.2)
    assert res == {"median_s": None, "runs": [], "rows": None, "timeout_s": 0.2}
    _measured_or_timed_out(res, 0.2, "sleeper")
    res = run.time_forked(lambda: 7, reps=3, timeout=60)
    assert res["rows"] == 7 and len(res["runs"]) == 3 and "timeout_s" not in res
    _measured_or_timed_out(res, 60, "quick")


def test_an_error_in_a_measured_query_is_reported_not_crashed_on():
    run = importlib.import_module("benchmarks.run")

    def broken():
        raise ValueError("no such graph")

    res = run.time_forked(broken, reps=2, timeout=60)
    assert res["median_s"] is None and res["runs"] == []
    assert res["error"] == "ValueError: no such graph"


def _entry(query: dict) -> dict:
    build = {"seconds": 2.0, "steps": {"load": 1.0, "derive": 0.5, "check": 0.5}, "quads": 10}
    build |= {"triples_per_s": 5.0, "peak_rss_mb": 100.0, "store_quads": 20, "problems": []}
    eng = {"build": build, "queries": {"jobs": query}}
    return {
        "target": 10_000,
        "data_triples": 10_000,
        "sources": 3,
        "oxigraph": eng | {"viz": {"seconds": None, "timeout_s": 600, "ok": False}},
        "oxigraph-memory": eng,
        "rdflib": eng,
    }


def test_report_prints_time_outs_and_errors_as_such(tmp_path):
    write_report = importlib.import_module("benchmarks.report").write_report
    results = {
        "date": "2026-12-01 10:00 UTC",
        "command": "python benchmarks/run.py",
        "machine": {
            "cpu": "cpu",
            "cores": 2,
            "memory_gb": 4.0,
            "os": "linux",
            "python": "3.11",
            "pyoxigraph": "0.5",
            "rdflib": "7",
            "networkx": "3",
        },
        "seed": 1,
        "reps": 2,
        "timeout_s": 1.0,
        "sizes": [_entry({"median_s": None, "runs": [], "rows": None, "timeout_s": 1.0})],
    }
    path = tmp_path / "RESULTS.md"
    write_report(results, path)
    text = path.read_text()
    assert "| jobs | > 1 s / > 1 s / > 1 s / – |" in text
    assert "query jobs < 1 s median (> 1 s): **MISSED**" in text
    assert "viz page (whole graph) < 5 s (> 600 s): **not measured**" in text
    results["sizes"] = [_entry({"median_s": None, "runs": [], "rows": None, "error": "E: x"})]
    write_report(results, path)
    assert "| jobs | failed (E: x) / failed (E: x) / failed (E: x) / – |" in path.read_text()


def test_okg_bulk_load_command_is_all_or_nothing(small, tmp_path):
    from okg.cli import app
    from typer.testing import CliRunner

    _, nq, n, _ = small
    runner = CliRunner()
    store = tmp_path / "store"
    bad = tmp_path / "bad.nq"
    bad.write_bytes(_nquads(BAD, str(GRAPH["source/s"])))
    res = runner.invoke(app, ["bulk-load", str(bad), "--store", str(store)])
    assert res.exit_code == 1
    assert "A contract has exactly one client." in res.output and "Traceback" not in res.output
    syntax = tmp_path / "syntax.nq"
    syntax.write_text('<http://a> <http://b> "x" <http://g> .\n<http://a> <http://b> oops .\n')
    res = runner.invoke(app, ["bulk-load", str(syntax), "--store", str(store)])
    assert res.exit_code == 1 and "line 2" in res.output
    res = runner.invoke(app, ["bulk-load", str(nq), "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert f"loaded {n} quads" in res.output
    with KnowledgeGraph.open(store) as kg:  # nothing of the failed loads is left
        assert not kg.ask(
            "ASK { ?x a okg:Contract ; okg:provider <https://w3id.org/okg/id/nobody> }"
        )
        assert kg.ask("ASK { ?p okg:servesClient ?c }")
    res = runner.invoke(app, ["bulk-load", str(nq), "--store", str(store)])
    assert res.exit_code == 1 and "already holds sources" in res.output


@pytest.mark.parametrize("name", ["benchmarks.run", "benchmarks.report"])
def test_benchmark_docstring_examples(name):
    import doctest

    failed, tried = doctest.testmod(importlib.import_module(name))
    assert tried > 0 and failed == 0, name


def test_only_build_times_the_standard_okg_build_and_states_the_goals(tmp_path):
    """``--only build``: okg build of generated fact files, wall, CPU and peak RSS of that
    command, the goals met or missed, whatever the speed; RESULTS.md is not written."""
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        str(ROOT / "benchmarks" / "run.py"),
        "--only",
        "build",
        "--sizes",
        "2000",
        "--work-dir",
        str(tmp_path / "work"),
        "--out-dir",
        str(out),
    ]
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=3600)
    assert p.returncode == 0, p.stderr[-3000:]
    res = json.loads((out / "standard-build.json").read_text())
    (entry,) = res["sizes"]
    b = entry["standard_build"]
    assert b["ok"], b
    assert b["seconds"] > 0 and b["cpu_s"] > 0 and b["peak_rss_mb"] > 0
    assert b["files"] > 0 and b["triples"] >= 2000
    assert [g["goal"] for g in b["goals"]] == ["peak RSS < 1.5 GiB"]
    assert f"{b['triples']:,} triples" in p.stdout
    assert not (out / "RESULTS.md").exists()


@pytest.mark.server
@pytest.mark.parametrize(
    "engines",
    [
        ("oxigraph",),
        pytest.param(
            ("oxigraph", "virtuoso"),
            marks=pytest.mark.skipif(
                not os.environ.get("OKG_BENCH_VIRTUOSO"),
                reason="Virtuoso takes ~5 s to start: set OKG_BENCH_VIRTUOSO=1",
            ),
        ),
    ],
)
def test_servers_time_every_canned_query_or_record_its_time_out(voc, tmp_path, engines):
    """benchmarks/servers.py on a tiny graph, one run per query: every canned query has a
    figure or the time-out it passed, the load time and version are recorded, the servers are
    stopped and RESULTS.md gets its section, whatever the speed."""
    from okg.queries.canned import catalog

    servers = importlib.import_module("benchmarks.servers")
    nq = tmp_path / "g.nq"
    write_nquads(generate(2_000, seed=4, voc=voc), nq, voc)
    res = servers.time_servers(nq, tmp_path / "work", reps=1, timeout=1.0, engines=engines)
    assert "error" not in res, res
    assert res["quads"] > 2_000 and res["timeout_s"] == 1.0
    for engine in engines:
        r = res[engine]
        assert set(r) >= {"version", "load_s", "start_s", "queries"}, r
        assert r["load_s"] > 0 and r["version"]
        assert r["okg_quads"] == res["okg_quads"] and "load_warning" not in r, r
        assert set(r["queries"]) == set(catalog()), engine
        for name, m in r["queries"].items():
            if engine == "virtuoso" and "error" in m:  # e.g. its planner's cost limit: recorded
                assert m["median_s"] is None and m["error"], (name, m)
                continue
            _measured_or_timed_out(m, 1.0, f"{engine} {name}")
            assert m["median_s"] is None or m["rows"] >= 0
    assert not list((tmp_path / "work").glob("server-*"))
    for proc in Path("/proc").glob("[0-9]*/cmdline"):  # no server of this test is left running
        try:
            assert str(tmp_path) not in proc.read_bytes().decode(errors="replace"), proc
        except OSError:
            pass
    write_report = importlib.import_module("benchmarks.report").write_report
    results = {
        "date": "2026-12-02 10:00 UTC",
        "command": "python benchmarks/run.py",
        "machine": {k: "x" for k in ("cpu", "os", "python", "pyoxigraph", "rdflib", "networkx")}
        | {"cores": 2, "memory_gb": 4.0},
        "seed": 4,
        "reps": 1,
        "timeout_s": 1.0,
        "sizes": [_entry({"median_s": 0.1, "runs": [0.1], "rows": 0})],
    }
    path = tmp_path / "RESULTS.md"
    write_report(results, path)
    assert "The servers were not run" in path.read_text()
    results["sizes"][0]["servers"] = res
    write_report(results, path)
    text = path.read_text()
    assert "## Canned queries on SPARQL servers (median latency)" in text
    assert "embedded on-disk / Oxigraph server / Virtuoso" in text
    assert res["oxigraph"]["version"] in text
    for name in catalog():
        assert f"| {name} |" in text.split("SPARQL servers")[1], name
