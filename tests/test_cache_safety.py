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


def test_a_cache_cannot_name_code():
    head = json.dumps({"format": "okg-projection", "projection": P.PROJECTION_VERSION})[:-1]
    head = head.replace(", ", ",").replace(": ", ":") + ',"graph":'
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
