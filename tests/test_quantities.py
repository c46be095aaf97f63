"""Reported figures: every form keeps its statement, and its interval always holds its numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from okg.figures.quantities import QuantityError, make_quantity, parse_text
from okg.terms.namespaces import OKG
from okg.terms.vocabulary import load_vocabulary

VOC = load_vocabulary()


def q(text: str, unit=OKG.Jobs):
    form, values, percent = parse_text(text)
    return make_quantity(form, values, OKG.Percent if percent else unit, text, VOC)


@pytest.mark.parametrize(
    "text, low, high, point",
    [
        ("163", 163, 163, 163),
        ("about 163", 146, 180, 163),
        ("~50", 45, 55, 50),
        ("more than 150", 151, None, None),
        ("more than 80%", 80, 100, None),
        ("at most 20%", 0, 20, None),
        ("less than 10", 0, 9, None),
        ("15 to 20%", 15, 20, None),
        ("hundreds-of-thousands", 200000, 999999, None),
        ("dozens", 24, 99, None),
    ],
)
def test_forms(text, low, high, point):
    x = q(text)
    assert x.low == low and x.high == (None if high is None else Decimal(high))
    assert x.point == (None if point is None else Decimal(point))
    assert x.stated_as == text


def test_unknown_is_not_zero():
    x = q("unknown")
    assert x.qualifier == OKG.Unknown and x.low is None and x.high is None


@pytest.mark.parametrize(
    "text, words",
    [
        ("-3", "negative"),
        ("20 to 15", "exceeds"),
        ("120%", "maximum"),
        ("umpteen", "unknown figure"),
        ("more than 100%", "nothing below"),
    ],
)
def test_impossible_figures(text, words):
    with pytest.raises(QuantityError, match=words):
        q(text)


@given(st.integers(min_value=0, max_value=10**9))
def test_about_contains_its_point(n):
    x = q(f"about {n}")
    assert x.low <= n <= x.high and x.point == n


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_range_is_ordered_or_refused(a, b):
    if a > b:
        with pytest.raises(QuantityError):
            q(f"{a} to {b}")
    else:
        x = q(f"{a} to {b}")
        assert x.low == a and x.high == b


@given(st.integers(0, 99))
def test_lower_bound_of_a_percentage_is_capped(n):
    x = q(f"more than {n}%")
    assert x.low == n and x.high == 100
