"""Impact propagation on the seed data: the two articles' events give the expected figures."""

import datetime as dt
from fractions import Fraction

import pytest
from okg.analysis.impact import reached_nodes, run_impact
from okg.analysis.impact.events import EventNotFound, list_events, resolve_event
from okg.figures.intervals import Interval
from okg.store import KnowledgeGraph
from okg.terms.namespaces import OKGD
from okg.terms.resources import data_dir

TOTAL = "totalenergies-ikanbi-relocation"
BAN = "assahafa-2025-05-25-telemarketing-ban"


def rows_by_actor(result):
    out = {}
    for r in result.rows:
        out.setdefault(r.actor.rsplit("/", 1)[-1], []).append(r)
    return out


def test_relocation_loses_the_french_contract_and_its_jobs(seed_kg):
    r = run_impact(seed_kg, "total-relocation", as_of="2026-02-01")
    lost = {c.contract.rsplit("/", 1)[-1] for c in r.contracts if c.effect == "loss"}
    gained = {c.contract.rsplit("/", 1)[-1] for c in r.contracts if c.effect == "gain"}
    assert lost == {"total-fr-customer-service-ikanbi"}
    assert gained == {"total-fr-customer-service-morocco"}
    assert str(OKGD[f"{TOTAL}/total-nl-customer-service"]) not in reached_nodes(r)
    (ikanbi,) = rows_by_actor(r)["ikanbi"]
    assert ikanbi.country == "BE" and ikanbi.site == str(OKGD["ikanbi-liege"])
    assert ikanbi.effect == "loss"
    assert ikanbi.jobs.contains(150) and ikanbi.jobs.contains(163)
    # the relocation takes "at most 100%" of the contract (TotalEnergies says some services stay
    # managed from Belgium, docs/sources.md): 0-100% of the contract's 135-180 jobs
    assert (ikanbi.jobs.low, ikanbi.jobs.high) == (0, 180)
    (lost_contract,) = [c for c in r.contracts if c.effect == "loss"]
    assert (lost_contract.fraction.low, lost_contract.fraction.high) == (0, 1)
    # the claims differ but overlap (consistent 151-165, not a conflict); all named, with quotes
    assert not ikanbi.conflict and ikanbi.ranges.consistent == Interval.of(151, 165)
    stated = {c.stated for c in ikanbi.claims}
    assert {"about 163", "more than 150", "about 50", "about 100"} <= stated
    assert all(c.quotes for c in ikanbi.claims)
    assert "about 163" in ikanbi.claims_rule and "more than 150" in ikanbi.claims_rule
    # revenue share not given: unknown, 0-100%, so possible closure
    assert (ikanbi.revenue_share_lost.low, ikanbi.revenue_share_lost.high) == (0, 1)
    assert ikanbi.status == "possible closure"
    # explanation: event -> contract -> provider, each edge with its source and quote
    rels = [s.relation.rsplit("#", 1)[-1] for s in ikanbi.chain]
    assert rels[:2] == ["terminates", "provider"]
    assert all(s.source == TOTAL and s.quotes for s in ikanbi.chain)


def test_relocation_creates_unknown_jobs_in_morocco(seed_kg):
    r = run_impact(seed_kg, "total-relocation", as_of="2026-02-01")
    (gain,) = rows_by_actor(r)["ma-provider-unnamed"]
    assert gain.effect == "gain" and gain.country == "MA"
    assert not gain.jobs.known
    totals = {c.country: c for c in r.countries}
    assert not totals["MA"].created.known and totals["MA"].created_unknown_terms == 1
    assert not totals["MA"].net.known
    be = totals["BE"]
    assert (be.lost.low, be.lost.high) == (0, 180)  # the relocation's share: at most 100%
    assert (be.net.low, be.net.high) == (-180, 0)


@pytest.mark.parametrize(
    ("as_of", "stage"),
    [
        ("2025-09-01", "announced"),
        ("2025-12-01", "in transition"),
        ("2026-03-31", "in transition"),
        ("2026-04-01", "in effect"),
    ],
)
def test_relocation_timing(seed_kg, as_of, stage):
    r = run_impact(seed_kg, "total-relocation", as_of=as_of)
    assert r.timing.startswith(stage)
    assert r.measure == ("exposure" if stage == "announced" else "impact")


def test_ban_exposes_the_moroccan_segment(seed_kg):
    r = run_impact(seed_kg, "fr-ban-vote", as_of="2026-01-01")
    assert r.timing == "scheduled, in force from 2026-08-01"
    assert r.measure == "exposure"
    rows = rows_by_actor(r)
    (sector,) = rows["ma-offshore-call-centres"]
    assert (sector.jobs.low, sector.jobs.high) == (24000, 199999)
    assert sector.revenue_share_lost == Interval.of("0.12", "0.2")
    assert sector.formula == "jobs at risk = 200,000–999,999 × 80–100% × 15–20% = 24,000–199,999"
    assert "80–100%" in sector.revenue_formula and "15–20%" in sector.revenue_formula
    assert sector.status == "exposed"
    joined = " ".join(r.assumptions)
    assert "spread evenly across markets" in joined and "shares of turnover" in joined
    (smes,) = rows["ma-cc-smes-single-activity"]
    assert smes.status == "closure risk"
    assert smes.revenue_share_lost == Interval.of(1)
    assert "100% × " in smes.revenue_formula and not smes.jobs.known
    (large,) = rows["ma-cc-large-groups"]
    assert large.status == "exposed"
    assert (large.revenue_share_lost.low, large.revenue_share_lost.high) == (0, Fraction(1, 5))
    assert "unknown" in large.revenue_formula
    # the small segment ranks above the large groups
    order = [row.actor.rsplit("/", 1)[-1] for row in r.rows]
    assert order.index("ma-cc-smes-single-activity") < order.index("ma-cc-large-groups")
    # sub-segments are counted within the parent: the country total is the parent's figure
    assert smes.included_in == large.included_in == str(OKGD["ma-offshore-call-centres"])
    (ma,) = [c for c in r.countries if c.country == "MA"]
    assert (ma.lost.low, ma.lost.high) == (24000, 199999)


def test_ban_in_force_after_its_effective_date(seed_kg):
    r = run_impact(seed_kg, "fr-ban-vote", as_of="2026-09-01")
    assert r.timing.startswith("in force")
    assert r.measure == "impact"


def test_default_as_of_is_today(seed_kg):
    assert run_impact(seed_kg, "fr-ban-vote").as_of == dt.date.today()


def test_events_are_listed_and_resolved(seed_kg):
    events = {e.id: e for e in list_events(seed_kg)}
    assert {"total-relocation", "fr-ban-vote"} <= set(events)
    assert "okg:Relocation" in events["total-relocation"].types
    assert events["total-relocation"].dates["date"] == dt.date(2026, 1, 1)
    iri = str(OKGD[f"{TOTAL}/total-relocation"])
    assert resolve_event(seed_kg, "total-relocation") == iri
    assert resolve_event(seed_kg, f"{TOTAL}/total-relocation") == iri
    assert resolve_event(seed_kg, iri) == iri
    with pytest.raises(EventNotFound, match="okg impact --list"):
        resolve_event(seed_kg, "no-such-event")


def test_to_dict_is_plain_data(seed_kg):
    import json

    d = run_impact(seed_kg, "total-relocation", as_of="2026-02-01").to_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert "حوالي 163" in text
    row = d["rows"][0]
    # the relocation's share of the contract is "at most 100%" (docs/sources.md)
    assert row["jobs"] == {"known": True, "low": 0, "high": 180, "point": None, "text": "0–180"}
    assert d["as_of"] == "2026-02-01"


def test_threshold_changes_the_status(seed_kg):
    # at 10% the large groups (0-20%) may close; the whole sector (12-20%) is at closure risk
    r = run_impact(seed_kg, "fr-ban-vote", as_of="2026-09-01", threshold=0.1)
    rows = rows_by_actor(r)
    assert rows["ma-cc-large-groups"][0].status == "possible closure"
    assert rows["ma-offshore-call-centres"][0].status == "closure risk"
    (sector,) = rows["ma-offshore-call-centres"]
    assert (sector.jobs.low, sector.jobs.high) == (200000, 999999)


def test_both_engines_give_the_same_impact(seed_kg):
    ref = KnowledgeGraph.in_memory("rdflib")
    ref.install_vocabulary()
    ref.load(sorted(data_dir().glob("*.yaml")))
    for event in ("total-relocation", "fr-ban-vote"):
        assert (
            run_impact(ref, event, as_of="2026-02-01").to_dict()
            == run_impact(seed_kg, event, as_of="2026-02-01").to_dict()
        )


@pytest.mark.parametrize(
    "module",
    [
        "okg.figures.intervals",
        "okg.analysis.projection",
        "okg.analysis.impact",
        "okg.analysis.impact.timing",
        "okg.analysis.analyze",
    ],
)
def test_docstring_examples_run(module):
    import doctest
    import importlib

    failed, tried = doctest.testmod(importlib.import_module(module))
    assert tried > 0 and failed == 0
