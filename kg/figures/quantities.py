"""Reported figures as the sources state them, and the intervals they stand for.

Forms accepted (in YAML as a mapping or as text, in CSV as text):

=====================  ======================  ==========================================
written                qualifier               interval
=====================  ======================  ==========================================
``163``                okg:Exact               [163, 163], point 163
``about 50`` ``~50``   okg:Approximate         [50·(1-t), 50·(1+t)], point 50 (t = 10 %)
``more than 80``       okg:LowerBound          [81, open] for counts; [80, unit max] else
``at least 80``        okg:LowerBound          [80, open or unit max]
``less than 10``       okg:UpperBound          [0, 9] for counts; [0, 10] else
``at most 10``         okg:UpperBound          [0, 10]
``15 to 20``           okg:Range               [15, 20]
``hundreds-of-thousands``  okg:Vague           the okg:VagueTerm's documented interval
``unknown``            okg:Unknown             no interval; never read as 0
=====================  ======================  ==========================================

Counts (units with ``okg:integral true``) are rounded outwards. A trailing ``%`` sets the unit
to percent. Tolerances, unit maxima and vague terms come from the ontology.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from okg.terms.namespaces import OKG
from okg.terms.vocabulary import Vocabulary
from rdflib import URIRef


class QuantityError(ValueError):
    """The figure cannot be read; the message says what was expected."""


@dataclass(frozen=True)
class Quantity:
    qualifier: URIRef
    unit: URIRef
    stated_as: str
    low: Decimal | None = None
    high: Decimal | None = None
    point: Decimal | None = None
    vague_term: URIRef | None = None


EXPECTED = (
    "a number (163), 'about N', 'more than N', 'at least N', 'less than N', 'at most N', "
    "'A to B', a vague term (e.g. hundreds-of-thousands) or 'unknown'"
)

_NUM = r"(-?\d+(?:[.,]\d+)?)"
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("exact", re.compile(rf"^{_NUM}$")),
    ("about", re.compile(rf"^(?:about|approximately|approx\.?|~)\s*{_NUM}$")),
    ("more_than", re.compile(rf"^(?:more than|over|>)\s*{_NUM}$")),
    ("at_least", re.compile(rf"^(?:at least|>=|≥)\s*{_NUM}$")),
    ("less_than", re.compile(rf"^(?:less than|under|<)\s*{_NUM}$")),
    ("at_most", re.compile(rf"^(?:at most|<=|≤)\s*{_NUM}$")),
    ("between", re.compile(rf"^(?:between\s+)?{_NUM}\s*(?:to|-|–|\.\.|and)\s*{_NUM}$")),
]


def _num(text: str) -> Decimal:
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise QuantityError(f"'{text}' is not a number") from None


def parse_text(text: str) -> tuple[str, list[Decimal] | str | None, bool]:
    """Split a written figure into (form, numbers or vague key, percent sign seen)."""
    t = " ".join(text.strip().lower().split())
    percent = t.endswith("%")
    if percent:
        t = t[:-1].strip()
    t = t.replace("%", "")
    if t in ("unknown", "?"):
        return "unknown", None, percent
    for form, pat in _PATTERNS:
        m = pat.match(t)
        if m:
            return form, [_num(g) for g in m.groups()], percent
    if re.fullmatch(r"[a-z][a-z-]*", t):
        return "vague", t, percent
    raise QuantityError(f"cannot read the figure '{text}'; expected {EXPECTED}")


def from_mapping(spec: dict[str, str]) -> tuple[str, list[Decimal] | str | None, str | None]:
    """Read the mapping form: ``{about: 50}``, ``{between: [15, 20]}``, ``{vague: dozens}``..."""
    unit = spec.pop("unit", None)
    if len(spec) != 1:
        raise QuantityError(
            f"a figure has exactly one of about/more_than/at_least/less_than/"
            f"at_most/between/exact/vague/unknown, got {sorted(spec) or 'none'}"
        )
    ((form, value),) = spec.items()
    if form == "between":
        if not isinstance(value, list) or len(value) != 2:
            raise QuantityError("'between' takes two numbers: [min, max]")
        return form, [_num(str(v)) for v in value], unit
    if form == "vague":
        return form, str(value), unit
    if form == "unknown":
        return form, None, unit
    if form not in {"exact", "about", "more_than", "at_least", "less_than", "at_most"}:
        raise QuantityError(f"unknown figure form '{form}'; expected {EXPECTED}")
    return form, [_num(str(value))], unit


def make_quantity(form: str, values, unit: URIRef, stated_as: str, voc: Vocabulary) -> Quantity:
    """Turn a parsed figure into a Quantity with its interval, checking it is possible."""
    g = voc.graph
    integral = bool(g.value(unit, OKG.integral))
    unit_max = g.value(unit, OKG.maximum)
    unit_max = Decimal(str(unit_max)) if unit_max is not None else None
    unit_name = voc.label(unit)

    if form == "unknown":
        return Quantity(OKG.Unknown, unit, stated_as)
    if form == "vague":
        terms = voc.keyed_individuals(OKG.VagueTerm)
        term = terms.get(values)
        if term is None:
            raise QuantityError(
                f"unknown figure or vague term '{values}'; expected {EXPECTED}; "
                f"vague terms: {', '.join(sorted(terms))}"
            )
        low, high = Decimal(str(g.value(term, OKG.low))), Decimal(str(g.value(term, OKG.high)))
        return Quantity(OKG.Vague, unit, stated_as, low, high, None, term)

    for v in values:
        if v < 0:
            raise QuantityError(f"a figure cannot be negative (got {v} {unit_name})")
        if unit_max is not None and v > unit_max:
            raise QuantityError(f"{v} exceeds the maximum of {unit_max} for {unit_name}")
        if integral and v != v.to_integral_value() and form == "exact":
            raise QuantityError(f"{unit_name} are counted in whole numbers (got {v})")

    def down(x: Decimal) -> Decimal:
        return Decimal(math.floor(x)) if integral else x

    def up(x: Decimal) -> Decimal:
        return Decimal(math.ceil(x)) if integral else x

    if form == "exact":
        (v,) = values
        return Quantity(OKG.Exact, unit, stated_as, v, v, v)
    if form == "about":
        (v,) = values
        tol = Decimal(str(g.value(OKG.Approximate, OKG.relativeTolerance) or "0.1"))
        high = up(v * (1 + tol))
        if unit_max is not None:
            high = min(high, unit_max)
        return Quantity(OKG.Approximate, unit, stated_as, down(v * (1 - tol)), high, v)
    if form in ("more_than", "at_least"):
        (v,) = values
        low = v + 1 if (form == "more_than" and integral) else v
        strict = form == "more_than" and not integral
        if unit_max is not None and (low > unit_max or (strict and low >= unit_max)):
            raise QuantityError(f"'{stated_as}' leaves nothing below the maximum {unit_max}")
        return Quantity(OKG.LowerBound, unit, stated_as, low, unit_max, None)
    if form in ("less_than", "at_most"):
        (v,) = values
        high = v - 1 if (form == "less_than" and integral) else v
        if high < 0:
            raise QuantityError(f"'{stated_as}' leaves no possible value")
        return Quantity(OKG.UpperBound, unit, stated_as, Decimal(0), high, None)
    if form == "between":
        lo, hi = values
        if lo > hi:
            raise QuantityError(f"range minimum {lo} exceeds its maximum {hi}")
        return Quantity(OKG.Range, unit, stated_as, lo, hi, None)
    raise QuantityError(f"unknown figure form '{form}'")  # pragma: no cover


def unit_from_name(name: str | None, default: URIRef | None, voc: Vocabulary) -> URIRef:
    if name is None:
        if default is None:
            raise QuantityError("this figure needs a unit (unit: jobs, percent, firms, EUR...)")
        return default
    units = voc.keyed_individuals(OKG.Unit)
    if name not in units:
        raise QuantityError(f"unknown unit '{name}'; expected one of {', '.join(sorted(units))}")
    return units[name]
