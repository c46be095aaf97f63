"""Figures as sources write them: separators, decimal marks and qualifier words per language.

Every form of docs/facts.md ("Figures in the source's language") is read to the same qualifier
and interval as its English form; an ambiguous number is refused with a message saying how to
write it; ``40,000`` is never read as 40 in any language. Property tests write a generated
figure in each language's forms and read it back.
"""

from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from okg.figures.quantities import (
    QuantityError,
    make_quantity,
    number_style,
    parse_text,
    read_number,
)
from okg.loaders import LoadError, read_files
from okg.terms.namespaces import OKG
from okg.terms.vocabulary import load_vocabulary
from rdflib import XSD, Literal

VOC = load_vocabulary()


def q(text: str, language: str, unit=OKG.Jobs):
    form, values, percent = parse_text(text, language)
    return make_quantity(form, values, OKG.Percent if percent else unit, text, VOC)


def interval(text: str, language: str, unit=OKG.Jobs):
    x = q(text, language, unit)
    return (x.low, x.high)


# -- the done-when cases -----------------------------------------------------------------


def test_thousands_separator_in_english_is_read_as_thousands():
    assert q("40,000", "en").low == 40000 and q("40,000", "en").high == 40000


def test_about_1500_in_english_and_french():
    assert interval("about 1,500", "en") == (1350, 1650)
    assert interval("environ 1 500", "fr") == (1350, 1650)


def test_arabic_about_163_with_arabic_indic_digits():
    assert interval("حوالي ١٦٣", "ar") == (146, 180)
    assert q("حوالي ١٦٣", "ar").point == 163


def test_1500_in_a_french_source_is_refused_with_how_to_write_it():
    with pytest.raises(QuantityError) as exc:
        parse_text("1,500", "fr")
    msg = str(exc.value)
    assert "ambiguous in a fr source" in msg
    assert "1.5 or 1500?" in msg
    assert "write 1 500 or 1500 for the whole number, 1,5 for the decimal" in msg


@pytest.mark.parametrize("language", ["en", "fr", "ar", "ary", "de", "zgh"])
def test_40_000_is_never_read_as_40(language):
    for text in ("40,000", "40.000", "40 000", "more than 40,000", "about 40.000"):
        try:
            x = q(text, language)
        except QuantityError:
            continue  # refused is fine; misread is not
        assert x.low >= 36000, (text, language, x)


# -- every form -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, language, low, high",
    [
        # English
        ("40,000", "en", 40000, 40000),
        ("1,234,567", "en", 1234567, 1234567),
        ("40 000", "en", 40000, 40000),
        ("2.5%", "en", Decimal("2.5"), Decimal("2.5")),
        ("around 50", "en", 45, 55),
        ("nearly 50", "en", 45, 55),
        ("some 50", "en", 45, 55),
        ("more than 2,000", "en", 2001, None),
        ("fewer than 1,000", "en", 0, 999),
        ("between 15 and 20%", "en", 15, 20),
        ("from 1,000 to 2,000", "en", 1000, 2000),
        ("hundreds of thousands", "en", 200000, 999999),
        # French: spaces (plain, no-break, narrow no-break), dots, decimal commas, words
        ("40 000", "fr", 40000, 40000),
        ("40\u00a0000", "fr", 40000, 40000),
        ("40\u202f000", "fr", 40000, 40000),
        ("40.000", "fr", 40000, 40000),
        ("1.500.000", "fr", 1500000, 1500000),
        ("2,5 %", "fr", Decimal("2.5"), Decimal("2.5")),
        ("1 500,25 %", "fr", None, None),  # exceeds 100 %: refused below, not here
        ("environ 50", "fr", 45, 55),
        ("près de 50", "fr", 45, 55),
        ("quelque 50", "fr", 45, 55),
        ("50 environ", "fr", 45, 55),
        ("plus de 80 %", "fr", 80, 100),
        ("plus de 150", "fr", 151, None),
        ("moins de 10", "fr", 0, 9),
        ("au moins 10", "fr", 10, None),
        ("au plus 10", "fr", 0, 10),
        ("entre 15 et 20 %", "fr", 15, 20),
        ("de 15 à 20 %", "fr", 15, 20),
        ("15 à 20 pour cent", "fr", 15, 20),
        ("des milliers", "fr", 2000, 9999),
        ("des dizaines", "fr", 24, 99),
        ("des centaines de milliers", "fr", 200000, 999999),
        # Arabic: Arabic-Indic digits and separators, words (with and without diacritics)
        ("٤٠٬٠٠٠", "ar", 40000, 40000),
        ("٢٫٥٪", "ar", Decimal("2.5"), Decimal("2.5")),
        ("40 000", "ar", 40000, 40000),
        ("1,500,000", "ar", 1500000, 1500000),
        ("2,5 في المائة", "ar", Decimal("2.5"), Decimal("2.5")),
        ("حوالي 163", "ar", 146, 180),
        ("حوالى 163", "ar", 146, 180),
        ("نحو 50", "ar", 45, 55),
        ("أكثر من 150", "ar", 151, None),
        ("أكثر من 80 في المائة", "ar", 80, 100),
        ("أقل من 10", "ar", 0, 9),
        ("ما بين 15 و20 في المائة", "ar", 15, 20),
        ("بين ١٥ و ٢٠٪", "ar", 15, 20),
        ("15 إلى 20 في المائة", "ar", 15, 20),
        ("آلاف", "ar", 2000, 9999),
        ("مئات الآلاف", "ar", 200000, 999999),
        ("عشرات", "ar", 24, 99),
        ("عشرات الآلاف", "ar", 20000, 99999),
        # The analyst's English notation is understood in every source
        ("about 163", "ar", 146, 180),
        ("15 to 20%", "ar", 15, 20),
        ("environ 50", "en", 45, 55),
    ],
)
def test_forms_of_each_language(text, language, low, high):
    if low is None:
        with pytest.raises(QuantityError, match="maximum"):
            q(text, language)
        return
    assert interval(text, language) == (low, None if high is None else Decimal(high))
    assert q(text, language).stated_as == text


@pytest.mark.parametrize(
    "text, language, words",
    [
        ("1,500", "ar", "ambiguous in an ar source (1.5 or 1500?)"),
        ("1.500", "ar", "ambiguous in an ar source"),
        ("plus de 1,500", "fr", "ambiguous in a fr source"),
        ("12,345", "de", "ambiguous in a de source"),  # German writes numbers like French
        ("1,5", "en", "not a number as an en source writes it (40,000 or 40 000, decimals 2.5"),
        ("1.5", "fr", "not a number as a fr source writes it (40 000 or 40.000, decimals 2,5"),
        ("1,500.5", "fr", "not a number as a fr source"),
        ("1,50,000", "en", "not a number as an en source"),
        ("0.500", "fr", "not a number as a fr source"),
        ("1 500,000,000", "ar", "not a number as an ar source"),
    ],
)
def test_ambiguous_or_foreign_forms_are_refused(text, language, words):
    with pytest.raises(QuantityError) as exc:
        q(text, language)
    assert words in str(exc.value)


def test_both_marks_in_one_number_read_the_last_as_the_decimal():
    assert read_number("1.500,5", "ar") == Decimal("1500.5")
    assert read_number("1,500.5", "ar") == Decimal("1500.5")
    assert read_number("1 500,25", "fr") == Decimal("1500.25")


def test_number_style_of_a_language_and_its_region():
    assert number_style("fr-BE").name == "fr" and number_style("en-US").name == "en"
    assert number_style("ary").name == "ar" and number_style(None).name == "en"


def test_mapping_form_takes_plain_numbers_only():
    from okg.figures.quantities import from_mapping

    assert from_mapping({"about": "1500"}) == ("about", [Decimal(1500)], None)
    with pytest.raises(QuantityError, match="plain number"):
        from_mapping({"about": "1,500"})  # was silently 1.5


# -- the loader reads figures by the source's language --------------------------------------


def _facts(tmp_path, language: str, headcount: str):
    p = tmp_path / "f.yaml"
    p.write_text(
        textwrap.dedent(
            f"""\
            okg: 1
            source: {{id: fig-src, title: T, language: {language}}}
            facts:
              - id: acme
                type: Firm
                label: Acme
                quote: "Acme"
              - id: acme-jobs
                type: Workforce
                employer: acme
                employmentType: all
                headcount: "{headcount}"
                quote: "jobs"
            """
        ),
        encoding="utf-8",
    )
    return p


def test_loader_reads_a_french_figure_by_the_source_language(tmp_path):
    (bundle,) = read_files([_facts(tmp_path, "fr", "environ 1 500")])
    lows = set(bundle.graph.objects(None, OKG.low))
    assert lows == {Literal(Decimal(1350), datatype=XSD.decimal)}


def test_loader_refuses_an_ambiguous_figure_with_file_line_and_field(tmp_path):
    p = _facts(tmp_path, "fr", "1,500")
    with pytest.raises(LoadError) as exc:
        read_files([p])
    (err,) = exc.value.errors
    assert (err.file, err.line, err.field) == (str(p), 12, "headcount")
    assert str(err).startswith(f"{p}:12: [headcount] '1,500' is ambiguous in a fr source")


# -- round trips: generate a figure, write it as each language does, read it back -----------

GROUP = {
    "en": [",", " "],
    "fr": [" ", "\u00a0", "\u202f", "."],
    "ar": ["٬", " ", "\u202f"],
}
DECIMAL = {"en": ["."], "fr": [","], "ar": ["٫"]}
AR_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def write_number(n: Decimal, language: str, sep: str, dec: str, arabic_digits: bool) -> str:
    whole, _, frac = f"{n:f}".partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = sep.join(groups) + (dec + frac if frac else "")
    return text.translate(AR_DIGITS) if arabic_digits else text


WORDS = {
    "en": {
        "exact": "{a}",
        "about": "about {a}",
        "more_than": "more than {a}",
        "at_least": "at least {a}",
        "less_than": "less than {a}",
        "at_most": "at most {a}",
        "between": "between {a} and {b}",
    },
    "fr": {
        "exact": "{a}",
        "about": "environ {a}",
        "more_than": "plus de {a}",
        "at_least": "au moins {a}",
        "less_than": "moins de {a}",
        "at_most": "au plus {a}",
        "between": "entre {a} et {b}",
    },
    "ar": {
        "exact": "{a}",
        "about": "حوالي {a}",
        "more_than": "أكثر من {a}",
        "at_least": "ما لا يقل عن {a}",
        "less_than": "أقل من {a}",
        "at_most": "ما لا يزيد عن {a}",
        "between": "ما بين {a} و{b}",
    },
}
PERCENT = {"en": ["%", " percent"], "fr": [" %", " pour cent"], "ar": ["٪", " في المائة"]}

numbers = st.one_of(
    st.integers(0, 10**9).map(Decimal),
    st.decimals(0, 10**6, places=2, allow_nan=False, allow_infinity=False),
)


@st.composite
def figures(draw):
    language = draw(st.sampled_from(["en", "fr", "ar"]))
    form = draw(st.sampled_from(sorted(WORDS[language])))
    a = draw(numbers)
    b = draw(numbers) if form == "between" else None
    sep = draw(st.sampled_from(GROUP[language]))
    dec = draw(st.sampled_from(DECIMAL[language]))
    arabic = language == "ar" and draw(st.booleans())
    percent = draw(st.sampled_from(["", *PERCENT[language]]))
    text = WORDS[language][form].format(
        a=write_number(a, language, sep, dec, arabic),
        b=write_number(b, language, sep, dec, arabic) if b is not None else "",
    )
    return language, form, [a] if b is None else [a, b], text + percent, bool(percent)


@given(figures())
def test_every_form_round_trips(fig):
    language, form, values, text, percent = fig
    got_form, got_values, got_percent = parse_text(text, language)
    assert (got_form, got_values, got_percent) == (form, values, percent), text


@given(st.sampled_from(["en", "fr", "ar"]), st.integers(1000, 10**9))
def test_a_grouped_whole_number_is_read_whole_in_every_language(language, n):
    sep = {"en": ",", "fr": " ", "ar": "٬"}[language]
    text = write_number(Decimal(n), language, sep, ".", False)
    assert read_number(text, language) == n
