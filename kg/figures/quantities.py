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
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

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
    "'A to B', a vague term (e.g. hundreds-of-thousands) or 'unknown' "
    "(or the same in the source's language: 'environ N', 'حوالي N'...; see docs/facts.md)"
)

# -- numbers as each language writes them -------------------------------------------------

_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_SEPARATORS = ".,٫٬ "


@dataclass(frozen=True)
class NumberStyle:
    """How a language writes numbers: its thousands separators and its decimal marks.

    ``either`` holds marks the language's writers use both ways (Arabic press writes 2,5 and
    40,000): such a mark is a decimal mark when it cannot be a thousands separator (it occurs
    once and is not followed by exactly three digits, or other separators come before it),
    a thousands separator when it occurs more than once, and is refused as ambiguous otherwise.
    ``ambiguous`` holds decimal marks that other languages use as thousands separators: followed
    by exactly three digits and nothing else (``1,500`` in French, ``40.000`` in English) the
    number is refused, never guessed.
    """

    name: str
    grouping: frozenset[str]
    decimal: frozenset[str]
    either: frozenset[str] = frozenset()
    ambiguous: frozenset[str] = frozenset()
    example: str = ""


EN_STYLE = NumberStyle(
    "en",
    frozenset(", "),
    frozenset("."),
    ambiguous=frozenset("."),
    example="40,000 or 40 000, decimals 2.5",
)
FR_STYLE = NumberStyle(
    "fr",
    frozenset(". "),
    frozenset(","),
    ambiguous=frozenset(","),
    example="40 000 or 40.000, decimals 2,5",
)
AR_STYLE = NumberStyle(
    "ar",
    frozenset("٬ "),
    frozenset("٫"),
    either=frozenset(",."),
    example="40 000, ٤٠٬٠٠٠ or 40.000.000, decimals 2,5 or ٢٫٥",
)
# Languages that write a decimal comma read like French; the others (Arabic, Berber...) like
# Arabic, where both marks are in use.
NUMBER_STYLES: dict[str, NumberStyle] = {
    "en": EN_STYLE,
    **dict.fromkeys(("fr", "de", "es", "it", "nl", "pt", "pl", "ro", "tr"), FR_STYLE),
    **dict.fromkeys(("ar", "ary"), AR_STYLE),
}


def number_style(language: str | None) -> NumberStyle:
    """The number style of a source language (BCP 47 code); unknown languages read like Arabic,
    the strictest style (an ambiguous mark is refused).

    >>> number_style("fr").name, number_style("en-GB").name, number_style("zgh").name
    ('fr', 'en', 'ar')
    """
    if not language:
        return EN_STYLE
    base = language.lower().split("-")[0]
    return NUMBER_STYLES.get(base, AR_STYLE)


def read_number(token: str, language: str | None = "en") -> Decimal:
    """A number as a source in *language* writes it, or QuantityError saying how to write it.

    >>> read_number("40,000", "en"), read_number("40 000", "fr"), read_number("40.000", "fr")
    (Decimal('40000'), Decimal('40000'), Decimal('40000'))
    >>> read_number("2,5", "fr"), read_number("٤٠٬٠٠٠", "ar"), read_number("١٦٣", "ar")
    (Decimal('2.5'), Decimal('40000'), Decimal('163'))
    >>> try:
    ...     read_number("1,500", "fr")
    ... except QuantityError as exc:
    ...     print(exc)
    '1,500' is ambiguous in a fr source (1.5 or 1500?): write 1 500 or 1500 for the whole number, 1,5 for the decimal (or the mapping form {exact: 1.5})
    """
    style = number_style(language)
    lang = language or "en"
    raw = token
    s = " ".join(token.translate(_DIGITS).split()).replace("−", "-")
    sign = -1 if s.startswith("-") else 1
    s = s.lstrip("-")
    if (
        not s
        or not s[0].isdigit()
        or not s[-1].isdigit()
        or any(not (c.isdigit() or c in _SEPARATORS) for c in s)
    ):
        raise QuantityError(f"'{raw}' is not a number")
    parts = re.split(r"([.,٫٬ ])", s)
    groups, seps = parts[0::2], parts[1::2]
    if any(not g.isdigit() for g in groups):
        raise QuantityError(f"'{raw}' is not a number")
    bad = (
        f"'{raw}' is not a number as {_a(lang)} source writes it "
        f"({style.example}; or the mapping form {{exact: N}} with plain digits)"
    )
    decimal = None
    if seps:
        last = seps[-1]
        once = seps.count(last) == 1
        others = len(set(seps)) > 1
        if last in style.decimal and once:
            if last in style.ambiguous and not others and len(groups[-1]) == 3:
                raise QuantityError(_ambiguous(raw, lang, groups, last))
            decimal = last
        elif last in style.either and once:
            if others or len(groups[-1]) != 3:
                decimal = last
            else:
                raise QuantityError(_ambiguous(raw, lang, groups, "٫"))
    if decimal is not None:
        frac = groups.pop()
        seps.pop()
    else:
        frac = ""
    if seps:
        if len(set(seps)) > 1 or not all(c in style.grouping or c in style.either for c in seps):
            raise QuantityError(bad)
        if not (1 <= len(groups[0]) <= 3) or groups[0].startswith("0"):
            raise QuantityError(bad)
        if any(len(g) != 3 for g in groups[1:]):
            raise QuantityError(bad)
    text = "".join(groups) + ("." + frac if frac else "")
    return sign * Decimal(text)


def _a(language: str) -> str:
    return ("an " if language[0] in "aeiou" else "a ") + language


def _ambiguous(raw: str, language: str, groups: list[str], mark: str) -> str:
    whole = "".join(groups)
    frac = groups[1].rstrip("0") or "0"
    decimal = (
        f"{groups[0]}{mark}{frac} for the decimal (or " if len(frac) < 3 else "for the decimal "
    )
    return (
        f"'{raw}' is ambiguous in {_a(language)} source ({groups[0]}.{frac} or {whole}?): "
        f"write {_spaced(whole)} or {whole} for the whole number, {decimal}"
        f"the mapping form {{exact: {groups[0]}.{frac}}}{')' if len(frac) < 3 else ''}"
    )


def _spaced(digits: str) -> str:
    """1500 → '1 500' (a space every three digits from the right)."""
    head = len(digits) % 3 or 3
    out = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return " ".join(out)


def _plain_number(value: str) -> Decimal:
    """A number of the mapping form: plain digits and a '.' decimal point, in any language."""
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+(?:\.\d+)?", text):
        raise QuantityError(
            f"'{text}' is not a plain number; the mapping form takes digits and a '.' "
            f"decimal point (1500, 2.5), without thousands separators"
        )
    return Decimal(text)


# -- qualifier words --------------------------------------------------------------------

# A number token: digits (Western or Arabic-Indic) with separators; a space only between a
# group and a following group of exactly three digits. Read by read_number.
_N = r"(-?[0-9٠-٩۰-۹](?:[0-9٠-٩۰-۹.,٫٬]|\s(?=[0-9٠-٩۰-۹]{3}(?![0-9٠-٩۰-۹])))*)"

# (form, pattern) per language, on the normalised text (see _normalise). Words of every
# language are understood in every source; numbers are read by the source's language.
_WORDS: dict[str, list[tuple[str, str]]] = {
    "symbols": [
        ("exact", rf"{_N}"),
        ("about", rf"(?:~|≈)\s*{_N}"),
        ("more_than", rf">\s*{_N}"),
        ("at_least", rf"(?:>=|≥)\s*{_N}"),
        ("less_than", rf"<\s*{_N}"),
        ("at_most", rf"(?:<=|≤)\s*{_N}"),
        ("between", rf"{_N}\s*(?:-|–|—|\.\.)\s*{_N}"),
    ],
    "en": [
        ("about", rf"(?:about|around|approximately|approx\.?|nearly|roughly|some)\s+{_N}"),
        ("more_than", rf"(?:more than|over|above)\s+{_N}"),
        ("at_least", rf"at least\s+{_N}"),
        ("less_than", rf"(?:less than|fewer than|under|below)\s+{_N}"),
        ("at_most", rf"(?:at most|up to)\s+{_N}"),
        ("between", rf"(?:between\s+)?{_N}\s+(?:to|and)\s+{_N}"),
        ("between", rf"from\s+{_N}\s+to\s+{_N}"),
    ],
    "fr": [
        ("about", rf"(?:environ|pres de|quelque|a peu pres|approximativement|autour de)\s+{_N}"),
        ("about", rf"{_N}\s+environ"),
        ("more_than", rf"plus de\s+{_N}"),
        ("at_least", rf"au moins\s+{_N}"),
        ("less_than", rf"moins de\s+{_N}"),
        ("at_most", rf"(?:au plus|au maximum|jusqu'a)\s+{_N}"),
        ("between", rf"(?:entre\s+)?{_N}\s+et\s+{_N}"),
        ("between", rf"(?:de\s+)?{_N}\s+a\s+{_N}"),
    ],
    "ar": [
        ("about", rf"(?:حوالي|نحو|قرابة|زهاء|ما يقارب|يقارب|ما يناهز|يناهز)\s+{_N}"),
        ("about", rf"{_N}\s+تقريبا"),
        ("more_than", rf"(?:اكثر من|ما يزيد عن|ما يزيد علي|ما يفوق|يفوق)\s+{_N}"),
        ("at_least", rf"ما لا يقل عن\s+{_N}"),
        ("at_least", rf"{_N}\s+علي الاقل"),
        ("less_than", rf"(?:اقل من|ما يقل عن)\s+{_N}"),
        ("at_most", rf"ما لا يزيد (?:عن|علي)\s+{_N}"),
        ("at_most", rf"{_N}\s+علي الاكثر"),
        ("between", rf"(?:ما\s+)?بين\s+{_N}\s+و\s*{_N}"),
        ("between", rf"(?:من\s+)?{_N}\s+(?:الي|حتي)\s+{_N}"),
    ],
}
_PATTERNS: list[tuple[str, re.Pattern]] = [
    (form, re.compile(rf"^{pat}$")) for pats in _WORDS.values() for form, pat in pats
]

# Vague phrases of each language, to the okg:key of their okg:VagueTerm.
VAGUE_PHRASES: dict[str, str] = {
    "tens of thousands": "tens-of-thousands",
    "hundreds of thousands": "hundreds-of-thousands",
    "des dizaines": "dozens",
    "dizaines": "dozens",
    "des centaines": "hundreds",
    "centaines": "hundreds",
    "des milliers": "thousands",
    "milliers": "thousands",
    "des dizaines de milliers": "tens-of-thousands",
    "dizaines de milliers": "tens-of-thousands",
    "des centaines de milliers": "hundreds-of-thousands",
    "centaines de milliers": "hundreds-of-thousands",
    "عشرات": "dozens",
    "مئات": "hundreds",
    "الاف": "thousands",
    "عشرات الالاف": "tens-of-thousands",
    "مئات الالاف": "hundreds-of-thousands",
}

_PERCENT_SUFFIXES = (
    "%",
    "percent",
    "per cent",
    "pour cent",
    "pourcent",
    "في المائة",
    "في المئة",
    "بالمائة",
    "بالمئة",
)

_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")  # tatweel, harakat, dagger alef
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ى": "ي",
        "٪": "%",
        "’": "'",
        "é": "e",
        "è": "e",
        "à": "a",
        "â": "a",
        "ç": "c",
        "ù": "u",
    }
)


def _normalise(text: str) -> str:
    """Lower case, NFC, one space for any whitespace run, Arabic marks and alef forms unified,
    French accents dropped (so that 'près de' and 'pres de' read alike)."""
    t = unicodedata.normalize("NFC", text).lower()
    t = _ARABIC_MARKS.sub("", t).translate(_LETTERS)
    return " ".join(t.split())


def parse_text(
    text: str, language: str | None = "en"
) -> tuple[str, list[Decimal] | str | None, bool]:
    """Split a written figure into (form, numbers or vague key, percent sign seen).

    Numbers are read as a source in *language* writes them (:func:`read_number`).

    >>> parse_text("about 1,500", "en")
    ('about', [Decimal('1500')], False)
    >>> parse_text("environ 1 500", "fr")
    ('about', [Decimal('1500')], False)
    >>> parse_text("حوالي ١٦٣", "ar")
    ('about', [Decimal('163')], False)
    >>> parse_text("ما بين 15 و20 في المائة", "ar")
    ('between', [Decimal('15'), Decimal('20')], True)
    >>> parse_text("des milliers", "fr")
    ('vague', 'thousands', False)
    """
    t = _normalise(text)
    percent = False
    for suffix in _PERCENT_SUFFIXES:
        if t.endswith(suffix):
            percent = True
            t = t[: -len(suffix)].strip()
            break
    t = t.replace("%", "").strip()
    if t in ("unknown", "?", "inconnu", "غير معروف"):
        return "unknown", None, percent
    for form, pat in _PATTERNS:
        m = pat.match(t)
        if m:
            return form, [read_number(g, language) for g in m.groups()], percent
    if t in VAGUE_PHRASES:
        return "vague", VAGUE_PHRASES[t], percent
    if re.fullmatch(r"[a-z][a-z-]*", t):
        return "vague", t, percent
    raise QuantityError(f"cannot read the figure '{text}'; expected {EXPECTED}")


def from_mapping(spec: dict[str, str]) -> tuple[str, list[Decimal] | str | None, str | None]:
    """Read the mapping form: ``{about: 50}``, ``{between: [15, 20]}``, ``{vague: dozens}``...

    Its numbers are plain (digits, a '.' decimal point) whatever the source's language.
    """
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
        return form, [_plain_number(str(v)) for v in value], unit
    if form == "vague":
        return form, str(value), unit
    if form == "unknown":
        return form, None, unit
    if form not in {"exact", "about", "more_than", "at_least", "less_than", "at_most"}:
        raise QuantityError(f"unknown figure form '{form}'; expected {EXPECTED}")
    return form, [_plain_number(str(value))], unit


def make_quantity(form: str, values, unit: URIRef, stated_as: str, voc: Vocabulary) -> Quantity:
    """Turn a parsed figure into a Quantity with its interval, checking it is possible."""
    g = voc.graph
    integral = bool(g.value(unit, OKG.integral))
    unit_max = g.value(unit, OKG.maximum)
    unit_max = Decimal(str(unit_max)) if unit_max is not None else None
    unit_name = voc.label(unit)
    plausible = g.value(unit, OKG.plausibleMaximum)
    plausible = Decimal(str(plausible)) if plausible is not None else None

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
        if plausible is not None and v > plausible:
            raise QuantityError(
                f"{v} {unit_name} is beyond the plausible maximum of {plausible} for a figure "
                f"(okg:plausibleMaximum of the unit): check the digits and separators"
            )
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
