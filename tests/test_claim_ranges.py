"""Two ranges for claims about one figure (issue 11, item 6): the consistent range (their
intersection), the envelope (their hull), the remainder a breakdown leaves unexplained, and
conflicts only where the intersection is empty."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from okg.figures.claims import Claim, FigureRules, figure_ranges, group_figures
from okg.figures.intervals import UNKNOWN, Interval, claim_ranges, combine_claims, intersect_claims

CLS = "urn:okg:Job"
EMP = "urn:okg:employer"
ET = "urn:okg:employmentType"
HC = "urn:okg:headcount"
ALL, PERM, TEMP = "urn:okg:All", "urn:okg:Permanent", "urn:okg:Temporary"
RULES = FigureRules({CLS: (EMP, ET)}, {ALL: frozenset({PERM, TEMP})})

ABOUT_163 = Interval.of(146, 180, 163)
MORE_THAN_150 = Interval.of(151, open_high=True)
ABOUT_50 = Interval.of(45, 55, 50)
ABOUT_100 = Interval.of(90, 110, 100)


def claim(fact: str, value: Interval, part: str = ALL, stated: str | None = None) -> Claim:
    scope = (CLS, ((EMP, ("urn:firm",)), (ET, (part,))))
    return Claim(fact, HC, value, stated=stated or value.format(), scope=scope)


def ikanbi_claims() -> list[Claim]:
    return [
        claim("urn:w163", ABOUT_163, stated="about 163"),
        claim("urn:w150", MORE_THAN_150, stated="more than 150"),
        claim("urn:wp", ABOUT_50, PERM, "about 50"),
        claim("urn:wt", ABOUT_100, TEMP, "about 100"),
    ]


def one_figure(claims: list[Claim]):
    (fig,) = group_figures(claims, RULES)
    return fig


# -- hand-built claim sets -----------------------------------------------------------------


def test_ikanbi_consistent_range_envelope_and_remainder():
    r = figure_ranges(one_figure(ikanbi_claims()))
    # >150 -> 151 (whole jobs); about 163 -> 146-180; 50 + 100 -> 45+90 .. 55+110 = 135-165
    assert (r.consistent.low, r.consistent.high) == (151, 165)
    assert r.consistent.point is None  # 163 and 50 + 100 = 150 disagree on the point
    assert (r.envelope.low, r.envelope.high) == (135, 180)
    assert not r.conflict and r.differ and r.witness is None
    (rem,) = r.remainders
    assert rem.unexplained == 13 and rem.total_stated == "about 163"
    assert (rem.range.low, rem.range.high) == (-19, 45)  # 146-165 .. 180-135
    assert rem.text().startswith("13 jobs of the total are in no part of the breakdown")
    assert r.pick("consistent") == Interval.of(151, 165)
    assert r.pick("envelope") == Interval.of(135, 180)


def test_consistent_claims_without_breakdown():
    r = claim_ranges([ABOUT_163, MORE_THAN_150])
    assert r.consistent == Interval.of(151, 180) and r.consistent.point == 163
    assert r.envelope == Interval.of(146, 180)


def test_conflicting_claims_have_no_consistent_range_and_name_the_pair():
    fig = one_figure(
        [
            claim("urn:a", Interval.of(100), stated="100"),
            claim("urn:d", Interval.of(30), PERM, "30"),
            claim("urn:n", Interval.of(40), TEMP, "40"),
        ]
    )
    r = figure_ranges(fig)
    assert r.conflict and r.consistent is None
    assert r.witness == ("100", "30 + 40")
    assert r.envelope == Interval.of(70, 100)
    assert r.pick("consistent") == r.envelope  # a conflict keeps its envelope
    (rem,) = r.remainders
    assert rem.unexplained == 30


def test_parts_that_exceed_the_total():
    fig = one_figure(
        [
            claim("urn:a", Interval.of(90, 110, 100), stated="about 100"),
            claim("urn:p", Interval.of(60), PERM, "60"),
            claim("urn:t", Interval.of(60), TEMP, "60"),
        ]
    )
    r = figure_ranges(fig)
    assert r.conflict and r.witness == ("60 + 60", "about 100")
    assert r.remainders[0].unexplained == -20
    assert "the parts hold 20 jobs more than the total" in r.remainders[0].text()


def test_conflicting_part_makes_the_figure_conflict():
    fig = one_figure(
        [
            claim("urn:a", ABOUT_163, stated="about 163"),
            claim("urn:p1", Interval.of(50), PERM, "50"),
            claim("urn:p2", Interval.of(70), PERM, "70"),
            claim("urn:t", ABOUT_100, TEMP, "about 100"),
        ]
    )
    r = figure_ranges(fig)
    assert r.conflict and r.witness == ("70", "50")
    assert r.remainders == ()  # the permanent part has no single point value


def test_open_upper_sides():
    assert intersect_claims([MORE_THAN_150, Interval.between(160, None)]) == Interval.between(
        160, None
    )
    assert combine_claims([MORE_THAN_150, Interval.between(160, None)]) == MORE_THAN_150
    # an open claim above every bounded claim: a real conflict
    assert intersect_claims([MORE_THAN_150, Interval.of(100, 140)]) is None
    # an open low side (only differences give one) bounds nothing
    assert intersect_claims([Interval.between(None, 10), Interval.of(5, 20)]) == Interval.of(5, 10)


def test_unknown_claims_add_nothing():
    assert intersect_claims([UNKNOWN, Interval.of(4, 6)]) == Interval.of(4, 6)
    assert not intersect_claims([UNKNOWN]).known
    r = claim_ranges([UNKNOWN, UNKNOWN])
    assert not r.conflict and not r.consistent.known and not r.envelope.known


def test_only_parts_given():
    fig = one_figure([claim("urn:p", ABOUT_50, PERM, "about 50")])
    r = figure_ranges(fig)
    assert r.consistent == Interval.of(45, 55) and r.envelope == Interval.of(45, 55)
    assert not r.differ and r.remainders == ()


def test_unknown_range_name_is_refused():
    with pytest.raises(ValueError, match="consistent"):
        claim_ranges([ABOUT_163]).pick("middle")


# -- properties ------------------------------------------------------------------------------


@st.composite
def intervals(draw) -> Interval:
    low = draw(st.integers(0, 300))
    if draw(st.integers(0, 4)) == 0:
        return Interval.between(low, None)
    high = low + draw(st.integers(0, 120))
    point = draw(st.one_of(st.none(), st.integers(low, high)))
    return Interval.between(low, high, point)


def _pairwise_overlap(claims: list[Interval]) -> bool:
    return all(
        (a.high is None or b.low <= a.high) and (b.high is None or a.low <= b.high)
        for a, b in itertools.combinations(claims, 2)
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(intervals(), min_size=1, max_size=6))
def test_consistent_within_every_claim_within_envelope(claims):
    cons = intersect_claims(claims)
    env = combine_claims(claims)
    if cons is not None:
        assert all(c.contains_interval(cons) for c in claims)
        assert env.contains_interval(cons)
    for c in claims:
        if c.high is not None or env.high is None:
            assert env.contains_interval(c)
        else:  # the documented exception: an open claim does not widen a bounded envelope
            assert env.contains(c.low)


@settings(max_examples=200, deadline=None)
@given(st.lists(intervals(), min_size=1, max_size=6), st.randoms(use_true_random=False))
def test_order_does_not_matter(claims, rnd: random.Random):
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    a, b = claim_ranges(claims), claim_ranges(shuffled)
    assert a.envelope == b.envelope and a.consistent == b.consistent
    if a.consistent is not None:
        assert a.consistent.point == b.consistent.point
    named = [claim(f"urn:w{i}", v) for i, v in enumerate(claims)]
    again = [claim(f"urn:w{i}", v) for i, v in enumerate(claims)]
    rnd.shuffle(again)
    fa, fb = figure_ranges(one_figure(named)), figure_ranges(one_figure(again))
    assert (fa.consistent, fa.envelope, fa.witness) == (fb.consistent, fb.envelope, fb.witness)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(intervals(), min_size=1, max_size=4),
    st.lists(intervals(), min_size=0, max_size=2),
    st.lists(intervals(), min_size=0, max_size=2),
)
def test_empty_intersection_iff_reported_conflict(whole, perm, temp):
    claims = [claim(f"urn:a{i}", v) for i, v in enumerate(whole)]
    claims += [claim(f"urn:p{i}", v, PERM) for i, v in enumerate(perm)]
    claims += [claim(f"urn:t{i}", v, TEMP) for i, v in enumerate(temp)]
    r = figure_ranges(one_figure(claims))
    # what every source says at once: each part's claims overlap, and the whole's claims and
    # the complete breakdown's sum (of the parts' intersections) overlap
    ok = _pairwise_overlap(perm) and _pairwise_overlap(temp)
    candidates = list(whole)
    if ok and perm and temp:
        candidates.append(intersect_claims(perm) + intersect_claims(temp))
    ok = ok and _pairwise_overlap(candidates)
    assert r.conflict == (not ok)
    assert (r.witness is not None) == r.conflict
    if not r.conflict:
        assert all(c.contains_interval(r.consistent) for c in whole)


# -- end to end: IKANBI ----------------------------------------------------------------------


def _ikanbi(result: dict) -> dict:
    (row,) = [r for r in result["rows"] if r["actor"].endswith("/ikanbi")]
    return row


# the figure's ranges are 135-180 and 151-165; the jobs at risk are 0-100% of them, since the
# relocation takes "at most 100%" of IKANBI's contract (some services stay, docs/sources.md)
@pytest.mark.parametrize(
    ("figure_range", "jobs"), [("envelope", (0, 180)), ("consistent", (0, 165))]
)
def test_ikanbi_json_holds_both_ranges_and_the_remainder(queries_seed_kg, figure_range, jobs):
    from okg.analysis.impact import run_impact
    from okg.render.impact import render_impact

    result = run_impact(
        queries_seed_kg, "total-relocation", as_of="2026-02-01", figure_range=figure_range
    )
    data = json.loads(render_impact(result, "json"))
    row = _ikanbi(data)
    ranges = row["ranges"]
    assert (ranges["consistent"]["low"], ranges["consistent"]["high"]) == (151, 165)
    assert (ranges["envelope"]["low"], ranges["envelope"]["high"]) == (135, 180)
    (rem,) = ranges["remainders"]
    assert rem["unexplained"] == 13 and rem["total_stated"] == "about 163"
    assert rem["parts_stated"] == "about 50 + about 100"
    assert row["conflict"] is False and row["range_used"] == figure_range
    assert (row["jobs"]["low"], row["jobs"]["high"]) == jobs
    (be,) = [c for c in data["countries"] if c["country"] == "BE"]
    assert (be["lost"]["low"], be["lost"]["high"]) == jobs
    text = render_impact(result, "md")
    assert "consistent 151–165, envelope 135–180" in text
    assert "13 jobs of the total are in no part of the breakdown" in text


def test_cli_range_option_and_check_listing(tmp_path):
    from okg.cli import app
    from okg.terms.resources import data_dir
    from typer.testing import CliRunner

    runner = CliRunner()
    store = str(tmp_path / "store")
    seed = sorted(str(p) for p in data_dir().glob("*.yaml"))
    assert runner.invoke(app, ["build", "--store", store, *seed]).exit_code == 0
    args = ["impact", "total-relocation", "--as-of", "2026-02-01", "--store", store]
    out = runner.invoke(app, [*args, "--format", "json", "--range", "consistent"])
    assert out.exit_code == 0, out.output
    row = _ikanbi(json.loads(out.output))
    assert (row["jobs"]["low"], row["jobs"]["high"]) == (0, 165)  # 0-100% of 151-165
    assert row["ranges"]["remainders"][0]["unexplained"] == 13
    default = _ikanbi(json.loads(runner.invoke(app, [*args, "--format", "json"]).output))
    assert (default["jobs"]["low"], default["jobs"]["high"]) == (0, 180)  # 0-100% of 135-180
    bad = runner.invoke(app, [*args, "--range", "wide"])
    assert bad.exit_code != 0 and "--range" in bad.output
    check = runner.invoke(app, ["check", "--no-reasoner", "--store", store])
    assert "Conflicting claims: 0" in check.output, check.output
    assert "consistent 151–165, envelope 135–180" in check.output
    assert "13 jobs of the total are in no part of the breakdown" in check.output
