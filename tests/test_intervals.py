"""Intervals: arithmetic, claim combination, formatting; properties with hypothesis."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from okg.figures.intervals import ONE, UNIT, UNKNOWN, ZERO, Interval, combine_claims, total

bounds = st.fractions(min_value=0, max_value=10**6, max_denominator=100)


@st.composite
def intervals(draw, open_high: bool = True):
    a, b = draw(bounds), draw(bounds)
    lo, hi = min(a, b), max(a, b)
    if open_high and draw(st.booleans()) and draw(st.booleans()):
        return Interval.between(lo, None)
    return Interval.between(lo, hi)


def test_formatting():
    assert Interval.of(150, 180).format() == "150–180"
    assert Interval.between(151, None).format() == "≥151"
    assert Interval.between(None, 20).format() == "≤20"
    assert UNKNOWN.format() == "unknown"
    assert Interval.of(146, 180, 163).format() == "about 163 (146–180)"
    assert Interval.of(146, 180, 163).bounds_text() == "146–180"
    assert Interval.of(200000, 999999).format() == "200,000–999,999"
    assert Interval.of("0.8", 1).format(percent=True) == "80–100%"
    assert Interval.of(-180, -135).format() == "−180 to −135"
    assert Interval.of(5).format() == "5"


def test_unknown_is_never_zero():
    assert UNKNOWN != ZERO
    assert not UNKNOWN.known and UNKNOWN.low is None and UNKNOWN.high is None
    assert not (UNKNOWN + Interval.of(1)).known
    assert not (UNKNOWN * Interval.of(1)).known
    assert not (Interval.of(3) - UNKNOWN).known
    assert not UNKNOWN.contains(0)


def test_arithmetic_examples():
    jobs = Interval.of(200000, 999999)
    share = Interval.between(80, None).percent() * Interval.of(15, 20).percent()
    assert share == Interval.of("0.12", "0.2")
    assert (jobs * share).integral() == Interval.of(24000, 199999)
    assert (Interval.of(45, 55, 50) + Interval.of(90, 110, 100)) == Interval.of(135, 165, 150)
    assert (Interval.between(151, None) + Interval.of(1)).high is None
    assert Interval.of(1, 2) * Interval.between(0, None) == Interval.between(0, None)
    zero_times_open = Interval.of(0) * Interval.between(3, None)
    assert (zero_times_open.low, zero_times_open.high) == (0, 0)
    assert Interval.between(80, None).cap(100) == Interval.of(80, 100)
    assert Interval.of(10, 20).floor_at(15) == Interval.of(15, 20)
    assert Interval.of(2, 5) - Interval.of(1, 3) == Interval.of(-1, 4)
    assert Interval.of(Fraction(3, 10), Fraction(7, 10)).integral() == Interval.of(0, 1)
    with pytest.raises(ValueError):
        Interval.of(3, 1)
    with pytest.raises(ValueError):
        Interval.of(-1, 1) * ONE


def test_combine_claims_hull_rule():
    about_163 = Interval.of(146, 180, 163)
    more_than_150 = Interval.between(151, None)
    breakdown = Interval.of(45, 55, 50) + Interval.of(90, 110, 100)
    combined = combine_claims([about_163, more_than_150, breakdown])
    assert combined == Interval.of(135, 180)
    assert combined.contains(150) and combined.contains(163)
    # only open claims: stays open
    assert combine_claims([more_than_150, Interval.between(160, None)]) == Interval.between(
        151, None
    )
    # an open claim above every bounded one keeps its low end inside
    assert combine_claims([Interval.of(10, 20), Interval.between(30, None)]) == Interval.of(10, 30)
    assert combine_claims([UNKNOWN, Interval.of(4)]) == Interval.of(4)
    assert not combine_claims([UNKNOWN]).known
    assert combine_claims([Interval.of(4), Interval.of(4)]).point == 4


def test_total_with_unknown_terms():
    s, n = total([Interval.of(10, 20), UNKNOWN])
    assert s == Interval.between(10, None) and n == 1
    s, n = total([UNKNOWN, UNKNOWN])
    assert not s.known and n == 2
    assert total([]) == (ZERO, 0)
    assert total([ZERO, UNKNOWN])[0] == Interval.between(0, None)


@given(intervals(), intervals(), bounds)
def test_add_and_mul_contain_every_pointwise_result(a, b, t):
    # pick a point in each interval and check the result interval holds the combination
    def pick(iv):
        if iv.high is None:
            return iv.low + t
        return iv.low + (iv.high - iv.low) * (t / (t + 1))

    x, y = pick(a), pick(b)
    assert (a + b).contains(x + y)
    assert (a * b).contains(x * y)


@given(intervals(), intervals(), intervals(open_high=False))
def test_add_and_mul_are_monotone(a, b, c):
    widened = a.hull(c)
    assert (widened + b).contains_interval(a + b)
    assert (widened * b).contains_interval(a * b)


@given(intervals(), intervals())
def test_hull_contains_both(a, b):
    h = a.hull(b)
    assert h.contains_interval(a) and h.contains_interval(b)


@given(st.lists(intervals(), min_size=1, max_size=5))
def test_combined_claims_hold_every_low_end_and_bounded_claim(claims):
    c = combine_claims(claims)
    for claim in claims:
        assert c.contains(claim.low)
        if claim.high is not None:
            assert c.contains(claim.high)
    if any(claim.high is not None for claim in claims):
        assert c.high is not None


@given(intervals(open_high=False))
def test_integral_keeps_whole_numbers_inside(a):
    i = a.integral()
    assert i.low.denominator == 1 and i.high.denominator == 1
    if i.low <= i.high and a.contains(i.low):
        assert a.contains(i.high)


@given(intervals(open_high=False))
def test_percent_of_a_share_is_a_fraction(a):
    p = a.cap(100).percent()
    assert UNIT.contains_interval(p)
