"""okg check: HermiT consistency (consistent seed, inconsistent fixture named), SHACL, conflicts."""

from __future__ import annotations

import shutil

import pytest
from okg.analysis.conflicts import find_conflicts, find_consistent
from okg.cli import app
from okg.store import KnowledgeGraph
from okg.terms.resources import data_dir
from rdflib import Graph
from typer.testing import CliRunner

SEED = [
    data_dir() / "totalenergies-ikanbi-2025.yaml",
    data_dir() / "assahafa-2025-05-25-telemarketing-ban.yaml",
]
java = pytest.mark.skipif(
    shutil.which("java") is None, reason="HermiT needs Java (.ci/run installs it)"
)

INCONSISTENT = """\
@prefix okg: <https://w3id.org/okg/ontology#> .
<https://w3id.org/okg/id/chimera> a okg:Contract , okg:Firm .
"""


@pytest.fixture(scope="module")
def seeded() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(SEED)
    return kg


def graph_of(kg: KnowledgeGraph) -> Graph:
    g = Graph()
    g.parse(data=kg.export("ntriples"), format="nt")
    return g


@java
@pytest.mark.reasoner
def test_seed_graph_is_consistent(seeded):
    from okg.store.reasoning import check_consistency

    report = check_consistency(graph_of(seeded))
    assert report.consistent, report.message


@java
@pytest.mark.reasoner
def test_disjointness_violation_is_named(seeded):
    from okg.store.reasoning import check_consistency

    g = graph_of(seeded)
    g.parse(data=INCONSISTENT, format="turtle")
    report = check_consistency(g)
    assert not report.consistent
    assert any(
        "okgd:chimera" in o and "okg:Contract" in o and "okg:Firm" in o for o in report.offenders
    )


def test_conflicting_claims_are_kept_with_both_quotes(seeded):
    # IKANBI's claims differ but overlap (151-165): consistent, so no longer a conflict
    assert find_conflicts(seeded) == []
    conflicts = find_consistent(seeded)
    stated = {tuple(sorted(c.stated_as for c in conf.claims)) for conf in conflicts}
    assert ("about 100", "about 163", "about 50", "more than 150") in stated
    breakdown = [c for c in conflicts if c.breakdown]
    assert breakdown and "about 50 + about 100" in breakdown[0].breakdown
    assert "135–165" in breakdown[0].breakdown
    assert breakdown[0].ranges_text() == "consistent 151–165, envelope 135–180"
    quotes = {q for conf in conflicts for c in conf.claims for q in c.quotes}
    assert any("163" in q for q in quotes) and any("150" in q for q in quotes)


def test_shacl_on_the_store(seeded):
    from okg.store.shacl import validate

    assert validate(graph_of(seeded), seeded.voc) == []
    g = graph_of(seeded)
    g.parse(data=INCONSISTENT, format="turtle")
    assert any("client" in path for _, path, _ in validate(g, seeded.voc))


@java
@pytest.mark.reasoner
def test_check_cli(tmp_path):
    runner = CliRunner()
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["build", "--store", store, *map(str, SEED)]).exit_code == 0
    ok = runner.invoke(app, ["check", "--store", store])
    assert ok.exit_code == 0, ok.output
    assert (
        "HermiT: consistent" in ok.output
        and "about 163" in ok.output
        and "more than 150" in ok.output
    )
    bad = tmp_path / "bad.ttl"
    bad.write_text(INCONSISTENT, encoding="utf-8")
    res = runner.invoke(app, ["check", "--store", store, "--with", str(bad)])
    assert res.exit_code == 1
    assert "okgd:chimera" in res.output
