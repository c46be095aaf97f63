"""Issue 11, item 9: ``okg analyze`` tells firms from segments and honours ``--as-of``; plain-text
labels show in queries; an event can take away a share of a contract."""

import json
from pathlib import Path

import pytest
from okg.analysis.analyze import analyze
from okg.cli import app
from okg.queries.canned import run_query
from okg.store import KnowledgeGraph
from typer.testing import CliRunner

runner = CliRunner()

RETAILER = """okg: 1
source:
  id: retailer-test
  title: "Hand-written test source: a retailer moves part of its orders"
  language: en
modules: [call_centres]
facts:
  - id: retailer
    type: Firm
    label: Plain Label Retailer
    country: FR
    quote: "the retailer"

  - id: factory
    type: Firm
    label: Plain Label Firm
    country: MA
    quote: "the factory"

  - id: orders
    type: Contract
    client: retailer
    provider: factory
    activity: customer-care
    servesMarket: FR
    revenueShare: 80%
    quote: "orders that make up 80% of the factory's revenue"

  - id: factory-jobs
    type: Workforce
    employer: factory
    employmentType: all
    headcount: 1000
    quote: "1000 workers"

  - id: retailer-moves-orders
    type: ContractTerminated
    label: {en: The retailer moves 40% of its orders elsewhere}
    terminates: orders
    share: 40%
    date: 2026-03-01
    quote: "moves 40% of its orders"
"""


@pytest.fixture(scope="module")
def retailer_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("retailer")
    facts = folder / "retailer.yaml"
    facts.write_text(RETAILER, encoding="utf-8")
    store = folder / "store"
    built = runner.invoke(app, ["build", str(facts), "--store", str(store)])
    assert built.exit_code == 0, built.output
    return store


def _by_name(items):
    return {f.node.rsplit("/", 1)[-1]: f for f in items}


def test_segments_are_never_single_points_of_failure(seed_kg):
    a = analyze(seed_kg, as_of="2026-09-01")
    failures = _by_name(a.failures)
    segments = _by_name(a.segments)
    assert "ma-offshore-call-centres" not in failures
    seg = segments["ma-offshore-call-centres"]
    assert seg.segment and seg.kind == "segment"
    assert (seg.jobs.low, seg.jobs.high) == (200_000, 999_999)
    assert not any(f.segment for f in a.failures)
    assert any("never single points of failure" in x for x in a.assumptions)
    conc = {c.actor.rsplit("/", 1)[-1]: c for c in a.concentration}
    assert conc["ma-offshore-call-centres"].segment
    assert not conc["ma-provider-unnamed"].segment


def test_segments_table_in_the_cli(retailer_store, seed_kg, tmp_path):
    store = tmp_path / "seed-store"
    assert runner.invoke(app, ["build", "--store", str(store)]).exit_code == 0
    out = runner.invoke(app, ["analyze", "--store", str(store), "--as-of", "2026-09-01"])
    assert out.exit_code == 0, out.output
    spof, _, rest = out.stdout.partition("Segments stopping as a whole")
    assert "Moroccan export-oriented call centres" not in spof.split("Single points of failure")[1]
    assert "Moroccan export-oriented call centres (segment)" in rest


def test_as_of_drops_the_ended_contract(seed_kg):
    ended = "total-fr-customer-service-ikanbi"
    later = analyze(seed_kg, as_of="2026-09-01")
    before = analyze(seed_kg, as_of="2025-06-01")
    assert ended not in _by_name(later.failures)  # ended 2025-12-31: nothing left to lose
    assert ended in _by_name(before.failures)
    total_later = _by_name(later.failures)["totalenergies"]
    total_before = _by_name(before.failures)["totalenergies"]
    # TotalEnergies stopping: in June 2025 IKANBI's contract runs (135-180 jobs at IKANBI);
    # in September 2026 only the contract that replaced it counts: IKANBI is not hit
    assert total_before.jobs.known and total_before.jobs.low >= 135
    assert "MA" not in total_before.countries  # the Moroccan contract starts 2026-01-01
    assert "MA" in total_later.countries and "BE" in total_later.countries  # Dutch-language
    assert not total_later.jobs.known or (total_later.jobs.low or 0) < 135
    assert any("only contracts running on 2026-09-01" in x for x in later.assumptions)
    # the ended contract is not counted in IKANBI's concentration either
    conc = {c.actor.rsplit("/", 1)[-1]: c for c in later.concentration}
    assert "ikanbi" not in conc
    conc_before = {c.actor.rsplit("/", 1)[-1]: c for c in before.concentration}
    assert "ikanbi" in conc_before


def test_plain_labels_show_in_queries(retailer_store):
    out = runner.invoke(app, ["query", "jobs", "--store", str(retailer_store), "--format", "json"])
    assert out.exit_code == 0, out.output
    rows = json.loads(out.stdout)
    rows = rows["rows"] if isinstance(rows, dict) else rows
    assert [r["employer"] for r in rows] == ["Plain Label Firm"]
    with KnowledgeGraph.open(retailer_store) as kg:
        for lang in ("en", "fr", "ar"):
            who = run_query(kg, "who-serves-client", {"client": "retailer"}, lang).python()
            assert {(r["client"], r["provider"]) for r in who} == {
                ("Plain Label Retailer", "Plain Label Firm")
            }, lang


def test_a_share_of_a_contract_lost(retailer_store):
    out = runner.invoke(
        app,
        [
            "impact",
            "retailer-moves-orders",
            "--store",
            str(retailer_store),
            "--as-of",
            "2026-06-01",
            "--format",
            "json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    (row,) = [r for r in data["rows"] if r["actor"].endswith("/factory")]
    lost = row["revenue_share_lost"]
    assert lost["low"] == lost["high"] == 0.32  # 40 % of a contract that is 80 % of revenue
    assert row["jobs"]["low"] == row["jobs"]["high"] == 320  # 32 % of the 1,000 jobs
    assert row["revenue_formula"] == "40% of orders (revenue share 80%): 32%"
    (contract,) = [c for c in data["contracts"] if c["contract"].endswith("/orders")]
    assert (contract["fraction"]["low"], contract["fraction"]["high"]) == (0.4, 0.4)
    text = runner.invoke(app, ["impact", "retailer-moves-orders", "--store", str(retailer_store)])
    assert "40% of" in text.stdout and "32%" in text.stdout
