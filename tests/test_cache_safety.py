"""The impact projection cache: keyed by the store version, JSON that cannot run code.

A pickle planted in the store folder is never loaded (it would run ``os.system``); a corrupt or
foreign JSON cache is ignored with one warning line and rebuilt; reloading a source with changed
figures and the same number of triples shows the new numbers (the old cache was keyed on graph
names and triple counts, and kept showing the old ones).
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from okg.analysis import projection as P
from okg.store import KnowledgeGraph
from okg.terms.resources import data_dir

EVENT = ["total-relocation", "--as-of", "2026-02-01", "--format", "json"]
TOTAL_FILE = "totalenergies-ikanbi-2025.yaml"


def okg(*args: str, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "OKG_TEST_KILL_AT"}
    return subprocess.run(
        [sys.executable, "-m", "okg.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
    )


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Path:
    """A copy of the bundled data pack (its files get edited) and a store built from it."""
    root = tmp_path_factory.mktemp("cache-safety")
    data = root / "data"
    data.mkdir()
    for f in data_dir().iterdir():
        if f.suffix in (".yaml", ".csv"):
            shutil.copy(f, data / f.name)
        elif f.is_dir() and f.name == "sources":
            shutil.copytree(f, data / f.name)
    done = okg("build", str(data), "--store", str(root / "store"))
    assert done.returncode == 0, done.stderr
    return root


class Payload:
    """Unpickling this runs os.system (a planted cache in a store folder)."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("warning:")]


def test_a_planted_pickle_never_runs(pack):
    store = pack / "store"
    marker = pack / "PWNED"
    planted = store / "impact-projection.pickle"
    planted.write_bytes(pickle.dumps(Payload(marker)))
    done = okg("impact", *EVENT, "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert "Traceback" not in done.stderr
    (line,) = warnings_of(done.stderr)
    assert "impact-projection.pickle" in line and "never loaded" in line
    assert not planted.exists()  # removed, so the warning is not repeated forever
    assert (store / P.CACHE_FILE).exists()
    again = okg("impact", *EVENT, "--store", str(store))
    assert again.returncode == 0 and warnings_of(again.stderr) == []
    assert json.loads(again.stdout) == json.loads(done.stdout)


def test_a_corrupt_cache_is_ignored_with_one_warning(pack):
    store = pack / "store"
    clean = okg("impact", *EVENT, "--store", str(store))
    assert clean.returncode == 0, clean.stderr
    for garbage in (b"\x80\x04not json at all", b'{"format": "okg-projection", "projection"'):
        (store / P.CACHE_FILE).write_bytes(garbage)
        done = okg("impact", *EVENT, "--store", str(store))
        assert done.returncode == 0, done.stderr
        (line,) = warnings_of(done.stderr)
        assert "ignored the projection cache" in line and "rebuilding" in line
        assert json.loads(done.stdout) == json.loads(clean.stdout)
        # rebuilt: the file is a valid cache again
        P.projection_from_json((store / P.CACHE_FILE).read_text(encoding="utf-8"))


def _head(**extra) -> str:
    doc = {"format": P.CACHE_FORMAT, "projection": P.PROJECTION_VERSION, "layout": P.CACHE_LAYOUT}
    return json.dumps({**doc, **extra}, separators=(",", ":"))[:-1] + ',"graph":'


def test_a_cache_cannot_name_code():
    head = _head()
    for name in ("os:system", "builtins:eval", "okg.store.knowledge_graph:KnowledgeGraph"):
        body = {"$dc": [name, {"command": "touch /tmp/okg-never"}]}
        with pytest.raises(ValueError, match="unexpected type"):
            P.projection_from_json(head + json.dumps(body) + "}")
    with pytest.raises(ValueError, match="unknown tag"):
        P.projection_from_json(head + '{"$eval": "1"}}')
    with pytest.raises(ValueError, match="projection version"):
        P.projection_from_json('{"format":"okg-projection","projection":"0","graph":{}}')
    with pytest.raises(ValueError, match="not an okg projection cache"):
        P.projection_from_json('{"nodes": []}')


def test_the_json_cache_round_trips_every_attribute(pack):
    kg = KnowledgeGraph.open(pack / "store", read_only=True)
    G = P.project(kg)
    G.graph["fingerprint"] = "f"
    H = P.projection_from_json(P.projection_to_json(G))
    assert H.is_directed() and H.is_multigraph()
    assert H.graph == G.graph
    assert dict(H.nodes(data=True)) == dict(G.nodes(data=True))
    assert sorted(H.edges(keys=True)) == sorted(G.edges(keys=True))
    for u, v, k, d in G.edges(keys=True, data=True):
        assert H.edges[u, v, k] == d
    # the typed values really went through the encoder
    attrs = [d for _, d in H.nodes(data=True)]
    assert any(isinstance(d["classes"], frozenset) and d["classes"] for d in attrs)
    assert any(d["dates"] for d in attrs)
    claims = [c for d in attrs for cs in d["quantities"].values() for c in cs]
    assert claims and all(type(c).__name__ == "Claim" for c in claims)
    assert any(isinstance(c.value.low, Fraction) for c in claims)


def _jobs(out: str) -> set:
    """Every number in the impact answer (the job figures among them)."""
    found: set = set()

    def walk(v):
        if isinstance(v, dict):
            for x in v.values():
                walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            found.add(v)

    walk(json.loads(out))
    return found


def test_a_same_count_reload_shows_the_new_numbers(pack):
    store, fact = pack / "store", pack / "data" / TOTAL_FILE
    before = okg("impact", *EVENT, "--store", str(store))
    assert before.returncode == 0, before.stderr
    assert (store / P.CACHE_FILE).exists()
    with KnowledgeGraph.open(store, read_only=True) as kg:
        counts = {s.source_id: s.triples for s in kg.sources()}
        version = kg.status().version
    text = fact.read_text(encoding="utf-8")
    assert "headcount: about 163" in text
    fact.write_text(text.replace("headcount: about 163", "headcount: about 900"), "utf-8")
    done = okg("build", str(fact), "--store", str(store))
    assert done.returncode == 0, done.stderr
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert {s.source_id: s.triples for s in kg.sources()} == counts  # same count
        assert kg.status().version > version
    after = okg("impact", *EVENT, "--store", str(store))
    assert after.returncode == 0, after.stderr
    old, new = _jobs(before.stdout), _jobs(after.stdout)
    assert 900 in new and 900 not in old
    assert max(new) > max(old)


def test_an_old_layout_cache_is_ignored_with_one_warning(pack):
    """A node-link cache of the same projection version (the layout before columns) is rebuilt."""
    import networkx as nx

    store = pack / "store"
    clean = okg("impact", *EVENT, "--store", str(store))
    assert clean.returncode == 0, clean.stderr
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="k")
    data = nx.node_link_data(G, edges="edges")
    old = {"format": P.CACHE_FORMAT, "projection": P.PROJECTION_VERSION, "graph": data}
    (store / P.CACHE_FILE).write_text(json.dumps(old, separators=(",", ":")), encoding="utf-8")
    done = okg("impact", *EVENT, "--store", str(store))
    assert done.returncode == 0, done.stderr
    (line,) = warnings_of(done.stderr)
    assert "ignored the projection cache" in line and "layout" in line
    assert json.loads(done.stdout) == json.loads(clean.stdout)


def _small_cache() -> dict:
    import networkx as nx

    G = nx.MultiDiGraph(fingerprint="f")
    G.add_node("a", labels={"en": "A"}, sources=("s",), kind="K")
    G.add_node("b", labels={}, sources=("s",), kind=None)
    G.add_edge("a", "b", key="r", subject="a", quotes=("q",))
    return json.loads(P.projection_to_json(G))


@pytest.mark.parametrize(
    "where, value, message",
    [
        (("tails",), [-1], "out of range"),  # would wrap to the last node
        (("heads",), [7], "out of range"),
        (("tails",), ["0"], "integers"),
        (("node_columns", "kind"), {"index": [0, 99]}, "out of range"),
        (("node_columns", "kind"), {"index": [0]}, "wrong length"),
        (("node_columns", "kind"), {"eval": "1"}, "unknown column form"),
        (("edge_columns", "subject"), {"ref": [-3]}, "out of range"),
        (("table",), [{"$c": [5, 0]}], "out of range"),
        (("table",), [{"en": "A"}], "mutable"),
        (("pool",), [{"class": "os:system", "count": 0, "fields": {}}], "unexpected type"),
        (("nodes",), ["a", "a"], "repeat"),
    ],
)
def test_a_hostile_columnar_cache_is_refused(where, value, message):
    """Indexes are checked (no negative index wraps to another node), tables hold only
    immutable values, and only okg.figures dataclasses can be named."""
    doc = _small_cache()
    target = doc
    for k in where[:-1]:
        target = target[k]
    target[where[-1]] = value
    with pytest.raises(ValueError, match=message):
        P.projection_from_json(json.dumps(doc, separators=(",", ":")))


def test_the_columnar_cache_is_compact(pack):
    """Each IRI, label and quote is written once per column, not once per node or edge: the
    cache is smaller than the node-link JSON of the same graph (0.63 of it on this small pack,
    0.25 at 10^5 generated triples, where more is shared)."""
    import networkx as nx

    kg = KnowledgeGraph.open(pack / "store", read_only=True)
    G = P.project(kg)
    G.graph["fingerprint"] = "f"
    columns = len(P.projection_to_json(G))
    data = nx.node_link_data(G, edges="edges")
    as_node_link = len(json.dumps(P._Writer({}, pooled=False).enc(data), ensure_ascii=False))
    assert columns < 0.75 * as_node_link
