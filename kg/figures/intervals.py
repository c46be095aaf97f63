"""Intervals for reported figures: ranges stay ranges, open bounds stay open, unknown stays unknown.

An :class:`Interval` is ``[low, high]`` over exact fractions. ``high=None`` means open above
("more than 150"), ``low=None`` open below (only differences produce it). An unknown figure is
:data:`UNKNOWN`: it has no bounds at all and is never read as zero; any arithmetic with it gives
unknown. ``point`` keeps the single number a source gave ("about 163"), carried through sums and
products only while every term has one.

>>> from okg.figures.intervals import Interval
>>> jobs = Interval.of(200000, 999999)
>>> share = Interval.of(80, 100).percent() * Interval.of(15, 20).percent()
>>> (jobs * share).integral().format()
'24,000–199,999'
>>> Interval.between(151, None).format(), UNKNOWN.format()
('≥151', 'unknown')
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

Number = int | float | str | Decimal | Fraction


def _frac(x: Number | None) -> Fraction | None:
    if x is None:
        return None
    if isinstance(x, Fraction):
        return x
    if isinstance(x, float):
        return Fraction(Decimal(repr(x)))
    return Fraction(Decimal(x)) if isinstance(x, str) else Fraction(x)


@dataclass(frozen=True)
class Interval:
    """An immutable closed interval ``[low, high]``; ``None`` bounds are open; see module doc.

    Equality compares the set of values (``known``, ``low``, ``high``), not the point value.
    """

    low: Fraction | None
    high: Fraction | None
    point: Fraction | None = field(default=None, compare=False)
    known: bool = True

    # -- construction ----------------------------------------------------------
    @classmethod
    def of(
        cls,
        low: Number | None,
        high: Number | None = None,
        point: Number | None = None,
        *,
        open_high: bool = False,
    ) -> Interval:
        """``Interval.of(150, 180)``; ``Interval.of(5)`` is the point 5 (``open_high`` for ≥5)."""
        lo = _frac(low)
        hi = None if open_high else (_frac(high) if high is not None else lo)
        if high is None and not open_high and low is not None and point is None:
            point = low
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"empty interval [{lo}, {hi}]")
        return cls(lo, hi, _frac(point))

    @classmethod
    def between(
        cls, low: Number | None, high: Number | None, point: Number | None = None
    ) -> Interval:
        """``[low, high]`` where ``None`` means open (unlike :meth:`of`, no point default)."""
        lo, hi = _frac(low), _frac(high)
        if lo is not None and hi is not None and lo > hi:
            raise ValueError(f"empty interval [{lo}, {hi}]")
        return cls(lo, hi, _frac(point))

    # -- predicates --------------------------------------------------------------
    @property
    def bounded(self) -> bool:
        return self.known and self.low is not None and self.high is not None

    def contains(self, x: Number) -> bool:
        if not self.known:
            return False
        v = _frac(x)
        return (self.low is None or self.low <= v) and (self.high is None or v <= self.high)

    def contains_interval(self, other: Interval) -> bool:
        if not (self.known and other.known):
            return False
        lo_ok = self.low is None or (other.low is not None and self.low <= other.low)
        hi_ok = self.high is None or (other.high is not None and other.high <= self.high)
        return lo_ok and hi_ok

    # -- arithmetic ----------------------------------------------------------------
    def __add__(self, other: Interval) -> Interval:
        if not (self.known and other.known):
            return UNKNOWN
        lo = None if self.low is None or other.low is None else self.low + other.low
        hi = None if self.high is None or other.high is None else self.high + other.high
        pt = None if self.point is None or other.point is None else self.point + other.point
        return Interval(lo, hi, pt)

    def __neg__(self) -> Interval:
        if not self.known:
            return UNKNOWN
        return Interval(
            None if self.high is None else -self.high,
            None if self.low is None else -self.low,
            None if self.point is None else -self.point,
        )

    def __sub__(self, other: Interval) -> Interval:
        return self + (-other)

    def __mul__(self, other: Interval) -> Interval:
        """Product of two non-negative intervals (shares, counts)."""
        if not (self.known and other.known):
            return UNKNOWN
        for iv in (self, other):
            if iv.low is None or iv.low < 0:
                raise ValueError("interval product is defined here for non-negative intervals")
        lo = self.low * other.low
        if self.high == 0 or other.high == 0:
            hi: Fraction | None = Fraction(0)
        elif self.high is None or other.high is None:
            hi = None
        else:
            hi = self.high * other.high
        pt = None if self.point is None or other.point is None else self.point * other.point
        return Interval(lo, hi, pt)

    def scale(self, k: Number) -> Interval:
        """Multiply by a non-negative number."""
        f = _frac(k)
        if f < 0:
            raise ValueError("scale by a non-negative number")
        return self * Interval(f, f, f)

    def percent(self) -> Interval:
        """A share in percent (0..100) as a fraction (0..1); an open top is capped at 100%."""
        if not self.known:
            return UNKNOWN
        capped = self.cap(100)
        return capped.scale(Fraction(1, 100))

    def cap(self, maximum: Number) -> Interval:
        """Clip to at most *maximum* (an open top becomes *maximum*)."""
        if not self.known:
            return UNKNOWN
        m = _frac(maximum)
        hi = m if self.high is None else min(self.high, m)
        lo = None if self.low is None else min(self.low, m)
        pt = None if self.point is None or self.point > m else self.point
        return Interval(lo, hi, pt)

    def floor_at(self, minimum: Number) -> Interval:
        """Raise the low end to at least *minimum*."""
        if not self.known:
            return UNKNOWN
        m = _frac(minimum)
        lo = m if self.low is None else max(self.low, m)
        hi = None if self.high is None else max(self.high, lo)
        return Interval(lo, hi, self.point if self.point is not None and self.point >= m else None)

    def hull(self, other: Interval) -> Interval:
        """The smallest interval holding both (conflicting claims: :func:`combine_claims`)."""
        if not self.known:
            return other
        if not other.known:
            return self
        lo = None if self.low is None or other.low is None else min(self.low, other.low)
        hi = None if self.high is None or other.high is None else max(self.high, other.high)
        pt = self.point if self.point == other.point else None
        return Interval(lo, hi, pt)

    def integral(self) -> Interval:
        """The whole numbers inside (low rounded up, high down); outward if none is inside."""
        if not self.known:
            return UNKNOWN
        lo = None if self.low is None else Fraction(math.ceil(self.low))
        hi = None if self.high is None else Fraction(math.floor(self.high))
        if lo is not None and hi is not None and lo > hi:
            lo, hi = Fraction(math.floor(self.low)), Fraction(math.ceil(self.high))
        pt = None if self.point is None else Fraction(round(self.point))
        return Interval(lo, hi, pt)

    # -- output --------------------------------------------------------------------------
    def format(self, percent: bool = False, style: NumberStyle | None = None) -> str:
        """``150–180``, ``≥151``, ``≤20``, ``about 163 (146–180)``, ``unknown``; shares with ``%``.

        With ``percent=True`` the interval is a fraction (0..1) printed in percent. With a
        *style* (:class:`NumberStyle`, one per language) the same text is written in that
        language's numbers and words (:func:`localize`); without one it is English.
        """
        if style is not None:
            return localize(self.format(percent), style)
        if not self.known:
            return "unknown"
        k = Fraction(100) if percent else Fraction(1)
        unit = "%" if percent else ""

        def num(x: Fraction) -> str:
            return _fmt_number(x * k)

        lo, hi = self.low, self.high
        if lo is None and hi is None:
            body = "any value"
        elif lo is None:
            body = f"≤{num(hi)}{unit}"
        elif hi is None:
            body = f"≥{num(lo)}{unit}"
        elif lo == hi:
            body = f"{num(lo)}{unit}"
        elif lo < 0:
            body = f"{num(lo)}{unit} to {num(hi)}{unit}"
        else:
            body = f"{num(lo)}–{num(hi)}{unit}"
        if self.point is not None and not (lo == hi == self.point):
            return f"about {num(self.point)}{unit} ({body})"
        return body

    def bounds_text(self, percent: bool = False, style: NumberStyle | None = None) -> str:
        """:meth:`format` without the point value: ``146–180`` for about 163."""
        return Interval(self.low, self.high, None, self.known).format(percent, style)

    def __str__(self) -> str:
        return self.format()

    def to_dict(self) -> dict[str, object]:
        """Plain data: ``{"known", "low", "high", "point"}`` as float or None."""

        def f(x: Fraction | None) -> float | int | None:
            if x is None:
                return None
            return int(x) if x.denominator == 1 else float(x)

        return {
            "known": self.known,
            "low": f(self.low),
            "high": f(self.high),
            "point": f(self.point),
        }


def _fmt_number(x: Fraction) -> str:
    if x < 0:
        return "−" + _fmt_number(-x)
    if x.denominator == 1:
        return f"{int(x):,}"
    d = float(x)
    text = f"{d:,.2f}".rstrip("0").rstrip(".")
    return text


@dataclass(frozen=True)
class NumberStyle:
    """How one language writes figures: digit grouping, decimal mark, digits, the words of a
    figure ("about", "to", "unknown", "any value") and whether ranges are isolated for
    right-to-left text. The words come from the message catalogue (``okg.render.i18n``, which
    builds one style per language); the default is English, as :meth:`Interval.format` writes.

    >>> fr = NumberStyle(group="\u202f", decimal=",", about="environ", to="à", unknown="inconnu",
    ...                  percent="\u202f%")
    >>> localize("about 163 (146–180); 24,000–199,999 × 15–20% = 0.64; −180 to −135", fr)
    'environ 163 (146–180); 24\u202f000–199\u202f999 × 15–20\u202f% = 0,64; −180 à −135'
    >>> ar = NumberStyle(digits="٠١٢٣٤٥٦٧٨٩", group="٬", decimal="٫", isolate=True)
    >>> localize("1,420–2,000 on 2026-02-01", ar) == "\u2066١٬٤٢٠–٢٬٠٠٠\u2069 on \u20662026-02-01\u2069"
    True
    """

    group: str = ","
    decimal: str = "."
    digits: str | None = None
    """Ten characters for 0–9 (Arabic-Indic ``٠١٢٣٤٥٦٧٨٩``), or None for Western digits."""
    about: str = "about"
    to: str = "to"
    unknown: str = "unknown"
    any_value: str = "any value"
    percent: str = "%"
    isolate: bool = False
    """Wrap every figure, range and date in U+2066 LEFT-TO-RIGHT ISOLATE … U+2069 POP
    DIRECTIONAL ISOLATE, so that right-to-left text keeps "15–20%" in reading order."""

    @property
    def english(self) -> bool:
        return self == EN_NUMBERS


EN_NUMBERS = NumberStyle()
"""English, as :meth:`Interval.format` writes without a style."""

_NUM = r"−?\d{1,3}(?:,\d{3})+(?:\.\d+)?|−?\d+(?:\.\d+)?"
_FIGURE = re.compile(
    rf"(?<![\w\-.,/:#])(?:\d{{4}}-\d{{2}}-\d{{2}}|[≥≤]?(?:{_NUM})%?(?:(?:–| to )(?:{_NUM})%?)?)"
    rf"(?![\w\-/:]|[.,]\d)"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WORDS = re.compile(r"\b(about|unknown|any value)\b")


def localize(text: str, style: NumberStyle) -> str:
    """English figure text (as :meth:`Interval.format` writes it, also inside longer English
    text) in *style*: every number, range and ISO date is rewritten (grouping, decimal mark,
    digits; dates keep their ISO form) and, for right-to-left text, isolated; the words
    "about", "unknown" and "any value" are replaced. English style returns *text* unchanged."""
    if style == EN_NUMBERS:
        return text

    def number(m: re.Match) -> str:
        whole, _, frac = m.group(0).replace(",", "").partition(".")
        body = f"{int(whole.lstrip('−')):,}".replace(",", "\0")
        body = ("−" if whole.startswith("−") else "") + body.replace("\0", style.group)
        return body + (style.decimal + frac if frac else "")

    def figure(m: re.Match) -> str:
        t = m.group(0)
        if not _DATE.fullmatch(t):  # an ISO date stays as it is, only isolated
            t = re.sub(_NUM, number, t).replace(" to ", f" {style.to} ").replace("%", style.percent)
            if style.digits:
                t = t.translate(str.maketrans("0123456789", style.digits))
        return f"\u2066{t}\u2069" if style.isolate else t

    words = {"about": style.about, "unknown": style.unknown, "any value": style.any_value}
    return _WORDS.sub(lambda m: words[m.group(1)], _FIGURE.sub(figure, text))


UNKNOWN = Interval(None, None, None, known=False)
"""A figure that exists but was not given: never zero."""

ZERO = Interval(Fraction(0), Fraction(0), Fraction(0))
ONE = Interval(Fraction(1), Fraction(1), Fraction(1))
UNIT = Interval(Fraction(0), Fraction(1))
"""An unknown fraction: anywhere from nothing to all."""


def combine_claims(claims: Iterable[Interval]) -> Interval:
    """The *envelope* of claims about the same figure: their hull (the *consistent* range,
    their intersection, is :func:`intersect_claims`).

    An open upper side ("more than 150") does not widen the maximum set by the bounded claims:
    when at least one claim has a high end, the result's high is the largest high among the
    bounded claims (raised to the largest low, so that every claim's low end stays inside).
    Unknown claims add nothing; all unknown gives unknown.

    >>> combine_claims([Interval.of(146, 180, 163), Interval.of(151, open_high=True),
    ...                 Interval.of(135, 165)]).format()
    '135–180'
    """
    known = [c for c in claims if c.known]
    if not known:
        return UNKNOWN
    lows = [c.low for c in known]
    lo = None if any(x is None for x in lows) else min(lows)
    highs = [c.high for c in known if c.high is not None]
    if highs:
        floor = max((c.low for c in known if c.low is not None), default=None)
        hi = max(highs)
        if floor is not None and floor > hi:
            hi = floor
    else:
        hi = None
    points = {c.point for c in known}
    pt = points.pop() if len(points) == 1 else None
    return Interval(lo, hi, pt)


def total(terms: Iterable[Interval]) -> tuple[Interval, int]:
    """Sum of non-negative terms and how many were unknown.

    Unknown terms are non-negative but unbounded: the sum keeps the known terms' low end and is
    open above (``≥ low``); when every term is unknown the sum is unknown. An empty sum is 0.

    >>> s, n = total([Interval.of(10, 20), UNKNOWN]); s.format(), n
    ('≥10', 1)
    """
    acc = ZERO
    known = unknown = 0
    for t in terms:
        if t.known:
            known += 1
            acc = acc + t
        else:
            unknown += 1
    if unknown and not known:
        return UNKNOWN, unknown
    if unknown:
        return Interval(acc.low, None), unknown
    return acc, 0


def intersect_claims(claims: Iterable[Interval]) -> Interval | None:
    """The *consistent* range of claims about one figure: what holds if every claim is right.

    The intersection of the known claims: the largest low end to the smallest high end (an
    open side bounds nothing). ``None`` when it is empty: some two claims do not overlap (on a
    line, a set of intervals has a common point exactly when every two of them overlap), which
    is a real conflict. Unknown claims add nothing; all unknown (or none) gives unknown. The
    point value is kept only when every claim that has one gives the same and it lies inside.

    >>> intersect_claims([Interval.of(146, 180, 163), Interval.of(151, open_high=True),
    ...                   Interval.of(135, 165, 150)]).format()
    '151–165'
    >>> intersect_claims([Interval.of(146, 180, 163), Interval.of(151, open_high=True)]).format()
    'about 163 (151–180)'
    >>> intersect_claims([Interval.of(100), Interval.of(30) + Interval.of(40)]) is None
    True
    """
    known = [c for c in claims if c.known]
    if not known:
        return UNKNOWN
    lows = [c.low for c in known if c.low is not None]
    highs = [c.high for c in known if c.high is not None]
    lo = max(lows) if lows else None
    hi = min(highs) if highs else None
    if lo is not None and hi is not None and lo > hi:
        return None
    points = {c.point for c in known if c.point is not None}
    pt = points.pop() if len(points) == 1 else None
    if pt is not None and not Interval(lo, hi).contains(pt):
        pt = None
    return Interval(lo, hi, pt)


@dataclass(frozen=True)
class ClaimRanges:
    """Two ranges of claims about one figure: ``consistent`` (:func:`intersect_claims`, ``None``
    when the claims conflict) and ``envelope`` (:func:`combine_claims`, the hull).

    >>> r = claim_ranges([Interval.of(146, 180, 163), Interval.of(151, open_high=True)])
    >>> r.consistent.bounds_text(), r.envelope.bounds_text(), r.conflict
    ('151–180', '146–180', False)
    """

    consistent: Interval | None
    envelope: Interval

    @property
    def conflict(self) -> bool:
        """No value satisfies every claim: some two claims do not overlap."""
        return self.consistent is None

    def pick(self, which: str) -> Interval:
        """The range called *which* (``consistent`` or ``envelope``); a conflict has no
        consistent range, so it gives the envelope."""
        if which not in RANGES:
            raise ValueError(f"unknown range {which!r}; expected one of {', '.join(RANGES)}")
        if which == "consistent" and self.consistent is not None:
            return self.consistent
        return self.envelope


RANGES = ("envelope", "consistent")
"""The ranges a figure made of several claims can feed on (the first is the default)."""


def claim_ranges(claims: Iterable[Interval]) -> ClaimRanges:
    """Both ranges of *claims* (see :class:`ClaimRanges`)."""
    claims = list(claims)
    return ClaimRanges(intersect_claims(claims), combine_claims(claims))
