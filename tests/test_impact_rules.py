"""Each impact rule on small hand-built fact files: scope, loss, cascade, cycles, diamonds,
thresholds, depth, time, segments, conflicting claims and order independence."""

import random
import textwrap
from fractions import Fraction

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from okg.analysis.impact import run_impact
from okg.analysis.projection import project
from okg.figures.intervals import Interval
from okg.store import KnowledgeGraph
from okg.terms.namespaces import OKGD

HEADER = """okg: 1
source:
  id: {sid}
  title: "Hand-built test source {sid}"
  language: en
modules: [call_centres]
facts:
"""


def firm(fid, country="MA"):
    return f"""
  - id: {fid}
    type: Firm
    label: {{en: {fid}}}
    country: {country}
    quote: "{fid}"
"""


def contract(cid, client, provider, share=None, activity="customer-care", market="FR", extra=""):
    s = f"\n    revenueShare: {share}" if share is not None else ""
    return f"""
  - id: {cid}
    type: Contract
    client: {client}
    provider: {provider}
    activity: {activity}
    servesMarket: {market}{s}
    quote: "{cid}"{extra}
"""


def jobs(wid, employer, headcount, attributed=None, etype="all"):
    a = f"\n    attributedTo: {attributed}" if attributed else ""
    return f"""
  - id: {wid}
    type: Workforce
    employer: {employer}{a}
    employmentType: {etype}
    headcount: {headcount}
    quote: "{wid}"
"""


def event(eid, kind, rel, target, date="2026-01-01"):
    return f"""
  - id: {eid}
    type: {kind}
    {rel}: {target}
    date: {date}
    quote: "{eid}"
"""


def build(tmp_path, *files: str) -> KnowledgeGraph:
    paths = []
    for i, body in enumerate(files):
        p = tmp_path / f"f{i}.yaml"
        p.write_text(HEADER.format(sid=f"s{i}") + textwrap.dedent(body), encoding="utf-8")
        paths.append(p)
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(paths)
    return kg


def by_actor(result):
    return {r.actor.rsplit("/", 1)[-1]: r for r in result.rows if r.effect == "loss"}


def lost(result):
    return {
        c.contract.rsplit("/", 1)[-1]: c.fraction for c in result.contracts if c.effect == "loss"
    }


REGULATION = """
  - id: ban
    type: Regulation
    label: {en: ban}
    jurisdiction: FR
    prohibits: telemarketing
    appliesToMarket: FR
    effective: 2026-08-01
    quote: "ban"
  - id: vote
    type: RegulationEnacted
    enacts: ban
    reportedOn: 2025-05-25
    quote: "vote"
"""


@pytest.fixture()
def regulation_kg(tmp_path):
    facts = REGULATION + firm("k", "FR") + firm("pa") + firm("pb") + firm("pc") + firm("pd")
    facts += contract("ca", "k", "pa", "10%", activity="telemarketing", market="FR")
    facts += contract("cb", "k", "pb", "10%", activity="telemarketing", market="BE")
    facts += contract("cc", "k", "pc", "10%", activity="customer-care", market="FR")
    facts += contract(
        "cd", "k", "pd", "10%", activity="[telemarketing, customer-care]", market="FR"
    )
    facts += (
        firm("x")
        + firm("y")
        + """
  - id: x-tm
    type: ActivityShare
    holder: x
    activityShareOf: telemarketing
    share: 50%
    quote: "x-tm"
  - id: x-fr
    type: MarketDependency
    dependent: x
    market: FR
    share: 40%
    quote: "x-fr"
  - id: y-tm
    type: ActivityShare
    holder: y
    activityShareOf: telemarketing
    share: 90%
    quote: "y-tm"
"""
        + jobs("x-jobs", "x", 1000)
    )
    return build(tmp_path, facts)


def test_regulation_hits_only_along_every_scope_dimension(regulation_kg):
    r = run_impact(regulation_kg, "vote", as_of="2026-09-01")
    hit = lost(r)
    assert hit["ca"] == Interval.of(1)
    assert "cb" not in hit and "cc" not in hit  # wrong market / wrong activity
    assert (hit["cd"].low, hit["cd"].high) == (0, 1)  # only part of its activities
    rows = by_actor(r)
    assert rows["x"].revenue_share_lost == Interval.of(Fraction(1, 5))  # 50% x 40%
    assert (rows["x"].jobs.low, rows["x"].jobs.high) == (200, 200)  # pro rata
    assert rows["x"].formula == "jobs at risk = 1,000 × 40% × 50% = 200"
    assert "y" not in rows  # activity share but no FR market
    assert any("y" in n and "not along" in n for n in r.notes)
    assert rows["pa"].revenue_share_lost == Interval.of(Fraction(1, 10))
    assert (rows["pd"].revenue_share_lost.low, rows["pd"].revenue_share_lost.high) == (
        0,
        Fraction(1, 10),
    )


def test_regulation_before_effective_date_is_scheduled(regulation_kg):
    r = run_impact(regulation_kg, "vote", as_of="2026-01-01")
    assert r.timing == "scheduled, in force from 2026-08-01" and r.measure == "exposure"
    assert "ca" in lost(r)


def test_contracts_ended_before_the_regulation_are_not_hit(tmp_path):
    facts = REGULATION + firm("k", "FR") + firm("p")
    facts += contract(
        "old", "k", "p", "50%", activity="telemarketing", extra="\n    end: 2026-06-30"
    )
    facts += contract(
        "new", "k", "p", "20%", activity="telemarketing", extra="\n    start: 2026-01-01"
    )
    r = run_impact(build(tmp_path, facts), "vote", as_of="2026-09-01")
    assert set(lost(r)) == {"new"}
    assert any("not running" in n for n in r.notes)


CASCADE = (
    firm("k", "FR")
    + firm("p1")
    + firm("p2")
    + contract("c1", "k", "p1", "60%")
    + contract("c2", "p1", "p2", "30%")
    + jobs("p1-jobs", "p1", 100)
    + jobs("p2-jobs", "p2", 1000)
    + event("end", "ContractTerminated", "terminates", "c1")
)


def test_cascade_through_a_closed_client(tmp_path):
    r = run_impact(build(tmp_path, CASCADE), "end", as_of="2026-02-01")
    rows = by_actor(r)
    assert rows["p1"].status == "closure risk" and rows["p1"].depth == 1
    assert rows["p1"].jobs == Interval.of(100)
    assert lost(r)["c2"] == Interval.of(1)
    assert rows["p2"].depth == 2 and rows["p2"].status == "exposed"
    assert rows["p2"].jobs == Interval.of(300)  # 30% pro rata
    rels = [s.relation.rsplit("#", 1)[-1] for s in rows["p2"].chain]
    assert rels[:4] == ["terminates", "provider", "client", "provider"]


def test_threshold_and_max_depth_stop_the_cascade(tmp_path):
    kg = build(tmp_path, CASCADE)
    high = run_impact(kg, "end", as_of="2026-02-01", threshold=0.7)
    assert by_actor(high)["p1"].status == "exposed" and "p2" not in by_actor(high)
    assert by_actor(high)["p1"].jobs == Interval.of(60)
    shallow = run_impact(kg, "end", as_of="2026-02-01", max_depth=1)
    assert set(by_actor(shallow)) == {"p1"} and "c2" not in lost(shallow)


def test_possible_closure_gives_a_range_and_a_possible_loss(tmp_path):
    facts = (
        firm("k", "FR")
        + firm("p1")
        + firm("p2")
        + contract("c1", "k", "p1")
        + contract("c2", "p1", "p2", "30%")
        + jobs("p1-jobs", "p1", 100)
        + event("end", "ContractTerminated", "terminates", "c1")
    )
    r = run_impact(build(tmp_path, facts), "end", as_of="2026-02-01")
    rows = by_actor(r)
    assert rows["p1"].status == "possible closure"
    assert (rows["p1"].jobs.low, rows["p1"].jobs.high) == (0, 100)
    assert (lost(r)["c2"].low, lost(r)["c2"].high) == (0, 1)
    assert (rows["p2"].revenue_share_lost.low, rows["p2"].revenue_share_lost.high) == (
        0,
        Fraction(3, 10),
    )


def test_cycles_terminate(tmp_path):
    facts = (
        firm("k", "FR")
        + firm("p1")
        + firm("p2")
        + contract("c1", "k", "p1", "60%")
        + contract("c2", "p1", "p2", "70%")
        + contract("c3", "p2", "p1", "30%")
        + jobs("p1-jobs", "p1", 10)
        + jobs("p2-jobs", "p2", 20)
        + event("end", "ContractTerminated", "terminates", "c1")
    )
    r = run_impact(build(tmp_path, facts), "end", as_of="2026-02-01")
    rows = by_actor(r)
    assert set(lost(r)) == {"c1", "c2", "c3"}
    assert rows["p1"].revenue_share_lost == Interval.of(Fraction(9, 10))  # 60% + 30%
    assert rows["p2"].status == "closure risk"
    (ma,) = r.countries
    assert ma.lost == Interval.of(30)


def test_diamonds_count_the_same_jobs_once(tmp_path):
    facts = (
        firm("s", "FR")
        + firm("a")
        + firm("b")
        + firm("d")
        + contract("sa", "s", "a", "100%")
        + contract("sb", "s", "b", "100%")
        + contract("ad", "a", "d", "30%")
        + contract("bd", "b", "d", "30%")
        + jobs("d-jobs", "d", 100)
        + """
  - id: stop
    type: Layoff
    stops: s
    date: 2026-01-01
    quote: "stop"
"""
    )
    r = run_impact(build(tmp_path, facts), "stop", as_of="2026-02-01")
    rows = [row for row in r.rows if row.actor.endswith("/d")]
    assert len(rows) == 1
    assert rows[0].revenue_share_lost == Interval.of(Fraction(3, 5))
    assert rows[0].status == "closure risk" and rows[0].jobs == Interval.of(100)
    assert by_actor(r)["s"].status == "stopped"
    (ma,) = [c for c in r.countries if c.country == "MA"]
    assert ma.lost == Interval.between(100, None)  # d once; a and b: no figure (unknown)
    assert ma.lost_unknown_terms == 2


def test_sub_segment_jobs_are_counted_within_the_parent(tmp_path):
    facts = (
        REGULATION
        + """
  - id: parent
    type: IndustrySegment
    label: {en: parent}
    country: MA
    quote: "parent"
  - id: child
    type: IndustrySegment
    label: {en: child}
    country: MA
    subSegmentOf: parent
    quote: "child"
"""
    )
    for seg, tm, fr in (("parent", "10%", "50%"), ("child", "100%", "100%")):
        facts += f"""
  - id: {seg}-tm
    type: ActivityShare
    holder: {seg}
    activityShareOf: telemarketing
    share: {tm}
    quote: "{seg}-tm"
  - id: {seg}-fr
    type: MarketDependency
    dependent: {seg}
    market: FR
    share: {fr}
    quote: "{seg}-fr"
"""
    facts += jobs("parent-jobs", "parent", 2000) + jobs("child-jobs", "child", 150)
    r = run_impact(build(tmp_path, facts), "vote", as_of="2026-09-01")
    rows = by_actor(r)
    assert rows["parent"].jobs == Interval.of(100)
    assert rows["child"].jobs == Interval.of(150)
    assert rows["child"].included_in == str(OKGD["parent"])
    (ma,) = r.countries
    assert ma.lost == Interval.of(150, 150)  # counted once, at least the child's jobs


def test_conflicting_share_claims_from_two_sources(tmp_path):
    share = """
  - id: x-tm
    type: ActivityShare
    holder: x
    activityShareOf: telemarketing
    share: {share}
    quote: "x-tm"
"""
    first = (
        REGULATION
        + firm("x")
        + share.format(share="20%")
        + """
  - id: x-fr
    type: MarketDependency
    dependent: x
    market: FR
    share: 100%
    quote: "x-fr"
"""
    )
    second = share.format(share="30 to 40%")
    r = run_impact(build(tmp_path, first, second), "s0/vote", as_of="2026-09-01")
    x = by_actor(r)["x"]
    assert (x.revenue_share_lost.low, x.revenue_share_lost.high) == (Fraction(1, 5), Fraction(2, 5))


def test_breakdown_and_conflicting_headcounts(tmp_path):
    facts = (
        firm("k", "FR")
        + firm("p")
        + contract("c", "k", "p", "5%")
        + jobs("j-all", "p", "about 100", attributed="c")
        + jobs("j-perm", "p", "30", attributed="c", etype="permanent")
        + jobs("j-temp", "p", "60", attributed="c", etype="temporary")
        + event("end", "ContractTerminated", "terminates", "c")
    )
    r = run_impact(build(tmp_path, facts), "end", as_of="2026-02-01")
    (row,) = [x for x in r.rows if x.effect == "loss"]
    assert (row.jobs.low, row.jobs.high) == (90, 110)  # hull of [90, 110] and 30 + 60
    # about 100 (90-110) and 30 + 60 = 90 overlap at 90: consistent, not a conflict
    assert not row.conflict and "30 permanent + 60 temporary = 90" in row.claims_rule
    assert (row.ranges.consistent.low, row.ranges.consistent.high) == (90, 90)
    assert row.ranges.remainders[0].unexplained == 10  # 100 - (30 + 60)


def test_gains_create_the_attributed_jobs(tmp_path):
    facts = (
        firm("k", "FR")
        + firm("old")
        + firm("new", "MA")
        + contract("c-old", "k", "old")
        + contract("c-new", "k", "new", extra="\n    deliveredFrom: MA")
        + jobs("new-jobs", "new", "200 to 250", attributed="c-new")
        + jobs("old-jobs", "old", 80, attributed="c-old")
        + """
  - id: move
    type: Relocation
    terminates: c-old
    awards: c-new
    date: 2026-01-01
    quote: "move"
"""
    )
    r = run_impact(build(tmp_path, facts), "move", as_of="2026-02-01")
    (gain,) = [x for x in r.rows if x.effect == "gain"]
    assert (gain.jobs.low, gain.jobs.high) == (200, 250) and gain.country == "MA"
    (ma,) = r.countries
    assert (ma.created.low, ma.created.high) == (200, 250)
    assert (ma.net.low, ma.net.high) == (120, 170)  # 200..250 created - 80 lost


def shuffled_copy(G: nx.MultiDiGraph, seed: int) -> nx.MultiDiGraph:
    rng = random.Random(seed)
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    nodes = list(G.nodes(data=True))
    rng.shuffle(nodes)
    H.add_nodes_from(nodes)
    edges = list(G.edges(keys=True, data=True))
    rng.shuffle(edges)
    for u, v, k, d in edges:
        H.add_edge(u, v, key=k, **d)
    return H


@pytest.fixture(scope="module")
def diamond_kg(tmp_path_factory):
    facts = (
        firm("s", "FR")
        + firm("a")
        + firm("b")
        + firm("d")
        + firm("e")
        + contract("sa", "s", "a", "60%")
        + contract("sb", "s", "b", "40 to 70%")
        + contract("ad", "a", "d", "30%")
        + contract("bd", "b", "d")
        + contract("de", "d", "e", "50%")
        + contract("ea", "e", "a", "20%")
        + jobs("d-jobs", "d", 100)
        + jobs("e-jobs", "e", "about 40")
        + jobs("a-jobs", "a", 70, attributed="sa")
        + event("end", "ContractTerminated", "terminates", "sa")
        + event("end2", "ContractTerminated", "terminates", "sb")
    )
    return build(tmp_path_factory.mktemp("diamond"), facts)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.integers(min_value=0, max_value=10**6), st.sampled_from(["s0/end", "s0/end2"]))
def test_results_do_not_depend_on_iteration_order(diamond_kg, seed, ev):
    G = project(diamond_kg)
    base = run_impact(diamond_kg, ev, as_of="2026-02-01", projection=G).to_dict()
    again = run_impact(
        diamond_kg, ev, as_of="2026-02-01", projection=shuffled_copy(G, seed)
    ).to_dict()
    assert again == base


def test_a_rule_on_an_activity_covers_its_narrower_activities(tmp_path):
    facts = REGULATION.replace("prohibits: telemarketing", "prohibits: customer-care")
    facts += firm("k", "FR") + firm("p")
    facts += contract("bills", "k", "p", "40%", activity="billing-enquiries")
    facts += contract("mixed", "k", "p", "10%", activity="[billing-enquiries, telemarketing]")
    r = run_impact(build(tmp_path, facts), "vote", as_of="2026-09-01")
    hit = lost(r)
    assert hit["bills"] == Interval.of(1)
    assert (hit["mixed"].low, hit["mixed"].high) == (0, 1)
    assert any("narrower activity" in n for n in r.notes)
