"""Readers and writers: read commands open the store read-only (no lock), so any number run at
once and beside a writer; a second writer waits (``$OKG_LOCK_WAIT``) and then stops with one
line naming the holder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from okg.store import KnowledgeGraph
from okg.store.backends import StoreBusyError

OKG = [sys.executable, "-m", "okg.cli"]
SOURCE = """\
okg: 1
source: {id: readers, title: Readers test, language: en}
modules: [call_centres]
facts:
  - id: r-acme
    type: Firm
    label: {en: Acme}
    country: MA
    quote: "Acme is a firm"
  - id: r-client
    type: Firm
    label: {en: Client}
    country: FR
    quote: "Client is a firm"
  - id: r-k
    type: Contract
    client: r-client
    provider: r-acme
    activity: [telemarketing]
    start: 2024-01-01
    quote: "a contract"
"""


def env(**extra: str) -> dict[str, str]:
    out = {k: v for k, v in os.environ.items() if not k.startswith("OKG_")}
    out.update(extra)
    return out


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("readers")
    facts = root / "readers.yaml"
    facts.write_text(SOURCE, encoding="utf-8")
    path = root / "store"
    done = subprocess.run(
        [*OKG, "build", str(facts), "--store", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env(),
    )
    assert done.returncode == 0, done.stderr
    return path, facts


def queries(path: Path, n: int = 4) -> list[subprocess.Popen]:
    return [
        subprocess.Popen(
            [*OKG, "query", "who-serves-client", "--param", "client=r-client"]
            + ["--store", str(path), "--format", "csv"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env(),
        )
        for _ in range(n)
    ]


def finish(procs: list[subprocess.Popen]) -> list[tuple[int, str, str]]:
    return [(p.wait(timeout=600), *p.communicate()) for p in procs]


def test_four_parallel_queries_all_succeed(store):
    path, _ = store
    results = finish(queries(path))
    assert [rc for rc, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    outs = {out for _, out, _ in results}
    assert len(outs) == 1 and "Acme" in outs.pop()


def test_queries_beside_a_writer(store):
    """A writer holds the lock (deterministically, in this process): queries still answer."""
    path, _ = store
    writer = KnowledgeGraph.open(path)
    try:
        results = finish(queries(path))
    finally:
        writer.close()
    assert [rc for rc, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]


def test_queries_while_a_build_runs(store):
    path, facts = store
    build = subprocess.Popen(
        [*OKG, "build", str(facts), "--store", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env(),
    )
    results = finish(queries(path))
    assert build.wait(timeout=600) == 0, build.communicate()[1]
    assert [rc for rc, _, _ in results] == [0, 0, 0, 0], [err for _, _, err in results]
    assert all("Acme" in out for _, out, _ in results)


def test_a_second_writer_stops_naming_the_holder(store):
    path, facts = store
    writer = KnowledgeGraph.open(path)
    try:
        done = subprocess.run(
            [*OKG, "build", str(facts), "--store", str(path)],
            capture_output=True,
            text=True,
            timeout=600,
            env=env(OKG_LOCK_WAIT="1"),
        )
        with pytest.raises(StoreBusyError, match=f"pid {os.getpid()}"):
            KnowledgeGraph.open(path)  # in-process: same message
    finally:
        writer.close()
    assert done.returncode == 1
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert len(lines) == 1, done.stderr
    assert f"pid {os.getpid()}" in lines[0] and "still busy after 1 s" in lines[0]
    assert "Traceback" not in done.stderr
    # once the holder is gone, the writer gets in
    again = subprocess.run(
        [*OKG, "build", str(facts), "--store", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env(OKG_LOCK_WAIT="1"),
    )
    assert again.returncode == 0, again.stderr


def test_a_reader_waits_for_a_live_writer_midway(store, monkeypatch):
    """While a live writer has the store marked incomplete (its derive step), a reader waits
    for it (bounded) and then names it; a dead writer's incomplete store is refused at once."""
    from okg.store.knowledge_graph import StoreIncompleteError

    path, _ = store
    writer = KnowledgeGraph.open(path)
    writer.mark_incomplete("derive")
    writer.flush()
    probe = subprocess.run(
        [*OKG, "sources", "--store", str(path)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env(OKG_LOCK_WAIT="1"),
    )
    assert probe.returncode == 1
    (line,) = [x for x in probe.stderr.splitlines() if x.strip()]
    assert f"pid {os.getpid()}" in line and "still incomplete after 1 s" in line
    writer.mark_complete()
    writer.close()
    ok = subprocess.run(
        [*OKG, "sources", "--store", str(path)], capture_output=True, text=True, env=env()
    )
    assert ok.returncode == 0 and "readers" in ok.stdout
    # incomplete and no live writer: refused at once, in one line
    writer = KnowledgeGraph.open(path)
    writer.mark_incomplete("derive")
    writer.close()
    with pytest.raises(StoreIncompleteError, match="incomplete"):
        KnowledgeGraph.open(path, read_only=True)
    writer = KnowledgeGraph.open(path)
    writer.derive()
    writer.close()
    assert KnowledgeGraph.open(path, read_only=True).status().complete
