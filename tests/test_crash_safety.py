"""``kill -9`` of ``okg build``, ``okg remove`` and ``okg bulk-load`` never loses data.

Each command runs as a subprocess on a copy of a store built from generated fact files and is
killed with SIGKILL at named points (the ``OKG_TEST_KILL_AT`` test hook of
``okg.store.knowledge_graph.kill_point``: the process kills itself there) and after a few delays
(time-based kills, whose outcome is checked the same way). After each kill the store's content
(every quad but the status graph's, blank nodes canonicalised with rdflib's
``to_canonical_graph``) must equal the state before or after the command; otherwise the store
must say it is incomplete, every reading command must refuse it in one line, and the next
``build`` (or ``bulk-load``) must repair it to the after state.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from okg.store import KnowledgeGraph
from okg.store.backends import OxigraphBackend
from okg.store.knowledge_graph import KILL_ENV, StoreIncompleteError
from okg.terms.namespaces import GRAPH, SOURCE_GRAPH_PREFIX
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import to_canonical_graph

OKG = [sys.executable, "-m", "okg.cli"]


def run(*args: str, kill_at: str | None = None, timeout: float = 600):
    env = {k: v for k, v in os.environ.items() if k != KILL_ENV}
    if kill_at:
        env[KILL_ENV] = kill_at
    return subprocess.run([*OKG, *args], capture_output=True, text=True, timeout=timeout, env=env)


def run_killed_after(delay: float, *args: str) -> int:
    """Start the command and SIGKILL it after *delay* seconds (unless it ended before)."""
    env = {k: v for k, v in os.environ.items() if k != KILL_ENV}
    proc = subprocess.Popen(
        [*OKG, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env
    )
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=60)


def fact_file(folder: Path, sid: str, firms: int, variant: str = "") -> Path:
    """A generated fact file: *firms* firms and a chain of contracts between them."""
    lines = [
        "okg: 1",
        f"source: {{id: {sid}, title: Generated {sid}{variant}, language: en}}",
        "modules: [call_centres]",
        "facts:",
    ]
    for i in range(firms):
        lines += [
            f"  - id: {sid}-firm-{i}",
            "    type: Firm",
            f"    label: {{en: Firm {i} of {sid}{variant}}}",
            f"    country: {'MA' if i % 2 else 'FR'}",
            f'    quote: "firm {i}"',
        ]
    for i in range(firms - 1):
        lines += [
            f"  - id: {sid}-contract-{i}",
            "    type: Contract",
            f"    client: {sid}-firm-{i}",
            f"    provider: {sid}-firm-{i + 1}",
            f"    activity: [{'telemarketing' if i % 2 else 'customer-care'}]",
            f"    start: 202{i % 5}-01-01",
            f'    quote: "contract {i}{variant}"',
        ]
    path = folder / f"{sid}{variant}.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _open_raw(store: Path) -> KnowledgeGraph:
    """The store read-only without the completeness check (to look at an incomplete one)."""
    return KnowledgeGraph(OxigraphBackend(store, read_only=True))


def content(store: Path) -> frozenset[str]:
    """Every quad but the status graph's, with blank nodes canonicalised (graph kept)."""
    kg = _open_raw(store)
    try:
        data = kg.export("nquads")
    finally:
        kg.close()
    ds = Dataset()
    ds.parse(data=data, format="nquads")
    g = Graph()
    for s, p, o, c in ds.quads():
        name = str(getattr(c, "identifier", c))
        g.add((s, URIRef(f"urn:quad:{quote(name, safe='')}:{quote(str(p), safe='')}"), o))
    return frozenset(to_canonical_graph(g).serialize(format="nt").splitlines()) - {""}


def status(store: Path):
    kg = _open_raw(store)
    try:
        return kg.status()
    finally:
        kg.close()


def copy(src: Path, dst: Path) -> Path:
    if dst.exists():
        shutil.rmtree(dst)
    if src.exists():
        shutil.copytree(src, dst)
    return dst


CORE = f"urn:quad:{quote(str(GRAPH['ontology/core']), safe='')}:"
SOURCES = f"urn:quad:{quote(SOURCE_GRAPH_PREFIX, safe='')}"
REFERENCE: dict[str, str | None] = {"ontology": None}


def same_state(store: Path, now: frozenset[str], ref: frozenset[str]) -> bool:
    """Equal content; when the ontology files changed since the reference was built (several
    people edit this checkout at once), the source graphs only, which the ontology does not
    shape."""
    if status(store).ontology == REFERENCE["ontology"]:
        return now == ref
    return {x for x in now if SOURCES in x} == {x for x in ref if SOURCES in x}


def check_outcome(store: Path, before, after, repair: list[str], seen: dict) -> str:
    """Before, after, or incomplete: refused by readers, then repaired to *after*."""
    if not (store / "CURRENT").exists():
        assert before is None, "the store vanished"
        return "before"
    now = content(store)
    st = status(store)
    if st.complete:
        assert now in (before, after), "a complete store that is neither before nor after"
        return "before" if now == before else "after"
    if before is not None:  # the ontology is never lost, even mid-write
        assert any(line.startswith("<" + CORE) or CORE in line for line in now)
    with pytest.raises(StoreIncompleteError):
        KnowledgeGraph.open(store, create=False)
    if not seen.get("cli"):  # each reading command's refusal, once per family (they cost)
        for cmd in (["sources"], ["query", "relocations"], ["stats"]):
            done = run(*cmd, "--store", str(store))
            assert done.returncode != 0
            lines = [x for x in done.stderr.splitlines() if x.strip()]
            assert len(lines) == 1 and "incomplete" in lines[0], done.stderr
            assert "Traceback" not in done.stderr
        seen["cli"] = True
    fixed = run(*repair, "--store", str(store))
    assert fixed.returncode == 0, fixed.stderr
    assert status(store).complete
    assert same_state(store, content(store), after), "the repair did not give the after state"
    return "repaired"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("crash")
    facts = root / "facts"
    facts.mkdir()
    a = fact_file(facts, "gen-a", 12)
    b = fact_file(facts, "gen-b", 10)
    b2 = fact_file(facts, "gen-b", 10, variant="-v2")
    c = fact_file(facts, "gen-c", 14)
    before = root / "before"
    done = run("build", str(a), str(b), "--store", str(before))
    assert done.returncode == 0, done.stderr
    after = copy(before, root / "after")
    t0 = time.monotonic()
    done = run("build", str(b2), str(c), "--store", str(after))
    build_seconds = time.monotonic() - t0
    assert done.returncode == 0, done.stderr
    REFERENCE["ontology"] = status(after).ontology
    removed = copy(before, root / "removed")
    assert run("remove", "gen-a", "--store", str(removed)).returncode == 0
    # N-Quads of the after state's sources, for bulk-load
    ds = Dataset()
    kg = _open_raw(after)
    ds.parse(data=kg.export("nquads"), format="nquads")
    kg.close()
    keep = Dataset()
    for s, p, o, g in ds.quads():
        name = getattr(g, "identifier", g)
        if str(name).startswith(SOURCE_GRAPH_PREFIX):
            keep.graph(name).add((s, p, o))
    nq = root / "sources.nq"
    nq.write_text(keep.serialize(format="nquads"), encoding="utf-8")
    bulked = root / "bulked"
    done = run("bulk-load", str(nq), "--store", str(bulked))
    assert done.returncode == 0, done.stderr
    return {
        "root": root,
        "files": {"a": a, "b": b, "b2": b2, "c": c, "nq": nq},
        "before": before,
        "after": after,
        "removed": removed,
        "bulked": bulked,
        "build_seconds": build_seconds,
        "content": {k: content(root / k) for k in ("before", "after", "removed", "bulked")},
    }


BUILD_POINTS = ["sources-written", "derive-dropped", "derive-2", "derived"]


def test_reference_states_differ(world):
    c = world["content"]
    assert len({c["before"], c["after"], c["removed"]}) == 3
    assert c["bulked"] == c["after"]  # bulk-load of the after state's sources: the same store
    assert status(world["after"]).complete
    # the same build again gives the same content (the comparison is deterministic)
    again = copy(world["before"], world["root"] / "again")
    f = world["files"]
    assert run("build", str(f["b2"]), str(f["c"]), "--store", str(again)).returncode == 0
    assert same_state(again, content(again), c["after"])


def test_kill_build(world):
    f, c = world["files"], world["content"]
    cmd = ["build", str(f["b2"]), str(f["c"])]
    outcomes, seen = {}, {}
    for point in BUILD_POINTS:
        store = copy(world["before"], world["root"] / "kb")
        done = run(*cmd, "--store", str(store), kill_at=point)
        assert done.returncode == -signal.SIGKILL, f"{point}: not killed ({done.stderr})"
        outcomes[point] = check_outcome(store, c["before"], c["after"], cmd, seen)
    # the derive windows are the ones that leave an incomplete store
    assert outcomes["derive-2"] == "repaired" and outcomes["derived"] == "repaired"
    for frac in (0.6, 0.9):  # time-based kills, checked the same way
        store = copy(world["before"], world["root"] / "kb")
        run_killed_after(world["build_seconds"] * frac, *cmd, "--store", str(store))
        outcomes[f"t{frac}"] = check_outcome(store, c["before"], c["after"], cmd, seen)
    assert set(outcomes.values()) <= {"before", "after", "repaired"}


def test_kill_during_the_ontology_rewrite(world):
    """A build rewrites the ontology when it changed: killed right after, ontology/core is
    there, the store says incomplete, and the next build repairs it."""
    c, f = world["content"], world["files"]
    store = copy(world["before"], world["root"] / "kv")
    kg = KnowledgeGraph.open(store)  # make the stored ontology look out of date
    kg.backend.update(" ;\n".join(kg._status_ops(None, ontology="stale")))
    kg.close()
    cmd = ["build", str(f["b"])]  # the same content again: after == before
    done = run(*cmd, "--store", str(store), kill_at="vocabulary-written")
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert check_outcome(store, c["before"], c["before"], cmd, {"cli": True}) == "repaired"


def test_kill_remove(world):
    c, f = world["content"], world["files"]
    outcomes, seen = {}, {}
    for point in ("source-dropped", "derive-1"):
        store = copy(world["before"], world["root"] / "kr")
        done = run("remove", "gen-a", "--store", str(store), kill_at=point)
        assert done.returncode == -signal.SIGKILL, done.stderr
        # the next build (of a file already in the store) repairs it
        repair = ["build", str(f["b"])]
        outcomes[point] = check_outcome(store, c["before"], c["removed"], repair, seen)
    assert outcomes == {"source-dropped": "repaired", "derive-1": "repaired"}


def test_kill_bulk_load(world):
    c, f = world["content"], world["files"]
    cmd = ["bulk-load", str(f["nq"])]
    outcomes, seen = {}, {}
    for point in ("bulk-marked", "bulk-loaded", "bulk-derived"):
        store = world["root"] / "kbl"
        if store.exists():
            shutil.rmtree(store)
        done = run(*cmd, "--store", str(store), kill_at=point)
        assert done.returncode == -signal.SIGKILL, done.stderr
        # rerunning bulk-load repairs it (no "already holds sources" refusal)
        outcomes[point] = check_outcome(store, None, c["bulked"], cmd, seen)
    assert set(outcomes.values()) == {"repaired"}


def test_a_failed_write_leaves_the_store_as_it_was(world):
    """A write the engine refuses midway changes nothing: the drops, the new quads (one literal
    over 16 MiB among them, which the N-Quads parser could not take) and the status update are
    one SPARQL Update, so one transaction."""
    from rdflib import Literal

    store = copy(world["before"], world["root"] / "kf")
    kg = KnowledgeGraph.open(store)
    version = kg.status().version
    p = URIRef("https://w3id.org/okg/ontology#note")
    g = Graph()
    g.add((URIRef("https://w3id.org/okg/id/x"), p, Literal("replaced")))
    g.add((URIRef("https://w3id.org/okg/id/y"), p, Literal("x" * (17 * 1024 * 1024))))
    target = SOURCE_GRAPH_PREFIX + "gen-a"
    with pytest.raises(SyntaxError):
        kg.backend.replace([target], {target: g}, ["INSERT DATA { <a> <b> }"])
    assert kg.status().version == version
    kg.backend.replace([], {target: g}, [])  # the same write, well formed, goes in whole
    assert len(kg.query("SELECT ?o WHERE { GRAPH ?g { ?x okg:note ?o } }").rows) == 2
    kg.close()
    assert content(copy(world["before"], store)) == world["content"]["before"]
