"""The message catalogue of the text, Markdown and CSV renderers and of the CLI: every word of
the UI in en, fr and ar.

The catalogues are gettext files, ``kg/render/locales/LANG/LC_MESSAGES/okg.po``, compiled to
``okg.mo`` beside them by ``python tools/make_catalogues.py`` (``tests/test_i18n.py`` checks that
the ``.mo`` files are up to date, that every message the code uses is in every catalogue and
that none is left untranslated). English is the msgid itself: English output does not go
through a catalogue at all, so it stays what it always was.

A renderer asks for a :class:`Locale` (``locale("fr")``) and uses three things:

* ``loc._(msgid)`` and ``loc.ngettext(singular, plural, n)``: its own words;
* ``loc.fig(interval, percent=False)``: a figure in the language's numbers and words
  (``environ 163 (146–180)``, ``24 000–199 999`` with U+202F NARROW NO-BREAK SPACE between
  groups as French typography and CLDR write it, ``15–20 %``; Arabic keeps Western digits unless
  ``digits="arab"``, and isolates every figure and range in text output, U+2066…U+2069);
* ``loc.text(english)``: a sentence the analysis layer wrote in English (timing, formulas,
  claims, notes, assumptions). It is translated whole when the catalogue has it; otherwise it
  is matched against the catalogue's *patterns* (:data:`PATTERNS`, msgids with ``{name}``
  slots, tried in order) and each slot is translated the same way, recursively; what matches
  nothing (labels, names, figures) is kept, with its figures localised.

>>> fr = locale("fr")
>>> fr._("Jobs by country"), fr.text("in transition (2025-10-01 to 2026-03-31)")
('Emplois par pays', 'en transition (du 2025-10-01 au 2026-03-31)')
>>> from okg.figures.intervals import Interval
>>> fr.fig(Interval.of(146, 180, 163)), locale("en").fig(Interval.of(24000, 199999))
('environ 163 (146–180)', '24,000–199,999')
>>> locale("ar", digits="arab").fig(Interval.of(24000, 199999)) == "\\u2066٢٤٬٠٠٠–١٩٩٬٩٩٩\\u2069"
True
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from okg.figures.intervals import EN_NUMBERS, Interval, NumberStyle, localize

LANGS = ("en", "fr", "ar")
DOMAIN = "okg"
LOCALES = Path(__file__).parent / "locales"
DIGITS = ("latn", "arab")
"""Digits of Arabic output: Western (``latn``, the default, as Arabic newspapers online and the
sources of the seed data write them) or Arabic-Indic (``arab``: ٠١٢٣٤٥٦٧٨٩)."""


def N_(msgid: str) -> str:
    """Marks *msgid* for the catalogue without translating it (patterns, tables of words)."""
    return msgid


@cache
def catalogue(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of *lang* (English: none, the msgids are the English text)."""
    if lang == "en":
        return gettext.NullTranslations()
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    with open(LOCALES / lang / "LC_MESSAGES" / f"{DOMAIN}.mo", "rb") as f:
        return gettext.GNUTranslations(f)


def _(msgid: str, lang: str = "en") -> str:
    """*msgid* in *lang* (itself when the catalogue lacks it, which the tests forbid)."""
    return catalogue(lang).gettext(msgid)


def ngettext(singular: str, plural: str, n: int, lang: str = "en") -> str:
    """The form of *singular*/*plural* for *n* in *lang* (Arabic has six)."""
    return catalogue(lang).ngettext(singular, plural, n)


# Sentences the analysis layer writes (okg.analysis builds them in English, with figures, labels
# and dates in them): each is a catalogue entry whose {slots} are filled by the matching text.
# The first pattern that matches the whole text wins, so the specific ones come first and the
# mere separators ("{a}; {b}") last.
PATTERNS = (
    # timing (okg.analysis.impact.timing)
    N_("scheduled, in force from {date}"),
    N_("in force (since {date})"),
    N_("in effect (since {date})"),
    N_("announced (transition from {start}; takes effect {date})"),
    N_("announced (transition from {start})"),
    N_("announced (takes effect {date})"),
    N_("in transition ({start} to {end}; takes effect {date})"),
    N_("in transition ({start} to {end})"),
    # formulas (okg.analysis.impact.propagate, rules, figures)
    N_("revenue share lost = {formula}"),
    N_("jobs at risk = {formula}"),
    N_("jobs created = jobs attributed to {contract}: {jobs} ({rule})"),
    N_("jobs created by {contract}: no job figure given (unknown, not zero)"),
    N_("all jobs attributed to the lost contract {contract} = {jobs}"),
    N_("jobs attributed to {contract} {jobs} × fraction lost {share} = {result}"),
    N_("closure risk (revenue share lost {share} ≥ threshold {threshold}): all its jobs = {jobs}"),
    N_(
        "possible closure (revenue share lost {share} reaches the threshold {threshold} only at "
        "its top): from pro rata {jobs} × {low} to all {all} = {result}"
    ),
    N_("the actor is stopped: all its jobs = {jobs}"),
    N_("{reasons} → the same jobs counted once: {jobs}"),
    N_("{reasons} → unknown"),
    N_("no job figure for this actor in the data: {jobs}"),
    N_(
        "contracts lost {share} ({terms}) and {term} = {value}: at least the larger, at most the sum = {loss}"
    ),
    N_("{share} of {contract} (revenue share {stated})"),
    N_("{contract} (revenue share {stated})"),
    N_("revenue share unknown ({range})"),
    N_("activity stopped by the event ({start} to {end})"),
    N_("activity stopped by the event"),
    N_("{market} market share unknown {share}"),
    N_("{market} market share {share}"),
    N_("{activity} share unknown {share}"),
    N_("{activity} share {share}"),
    # claims about one figure (okg.analysis.impact.figures, okg.figures.claims)
    N_("one claim: {claim}"),
    N_("agreeing claims: {claims} → {jobs}"),
    N_("consistent claims: {claims} → consistent {consistent}, envelope {envelope}; {used} used"),
    N_(
        "consistent claims: {claims} → consistent {consistent}, envelope {envelope}; {used} used"
        "{more}"
    ),
    N_("conflicting claims ({first} and {second} do not overlap): {claims} → envelope {envelope}"),
    N_(
        "conflicting claims ({first} and {second} do not overlap): {claims} → envelope "
        "{envelope}{more}"
    ),
    N_("only part of the jobs is given: {parts} = {jobs}"),
    N_("{claims} (an open upper side does not widen the envelope's maximum)"),
    N_("{n} jobs of the total are in no part of the breakdown ({how} = {m})"),
    N_("the parts hold {n} jobs more than the total ({how} = {m})"),
    N_("the parts account for the whole total ({how} = 0)"),
    N_("{figure} permanent"),
    N_("{figure} temporary"),
    N_("more than {n}"),
    N_("less than {n}"),
    N_("at least {n}"),
    N_("at most {n}"),
    N_("about {n}"),
    # notes (okg.analysis.impact.propagate, rules)
    N_("{label}: not running when the event bites; not hit."),
    N_("{label}: a loss of this kind of thing has no rule."),
    N_("{label}: no rule for this kind of event."),
    N_("{label} declares no scope dimension: it hits nothing."),
    N_(
        "{label}: only part of its activities or markets is in the regulation's scope; the "
        "fraction lost is unknown (0–100%)."
    ),
    N_("{label} is covered as a narrower activity of {via}."),
    # what the sources say (okg.analysis.impact.source_claims)
    N_("{head}: apart; the model is {ratio} the source"),
    N_("{head}: apart; the source is {ratio} the model"),
    N_("{head}: overlap on {range}; the model is {ratio} the source"),
    N_("{head}: overlap on {range}"),
    N_("{head}: apart ({side})"),
    N_("{head}: cannot compare, the source gives no number"),
    N_("{head}: cannot compare, the model's figure is unknown"),
    N_("{head}: agree (the same range)"),
    N_("{head}: agree (the model's range contains the source's)"),
    N_("{head}: agree (the source's range contains the model's)"),
    N_("the model gives no figure of {unit}; source {source}"),
    N_("the source (no number)"),
    N_("the source {range}"),
    N_("{stated} (no number)"),
    N_("model {model} vs source {source}"),
    N_("the model does not reach this actor; source {source}"),
    N_("{text}; the model's status for it: {status}"),
    # facts the analyst inferred (okg.analysis.impact.propagate.mark_inferred); the reason is
    # the fact file's own words, kept as written (VERBATIM)
    N_("Inferred by the analyst: {kind} of {holder}: {amount} — reason: {reason}"),
    N_("Inferred by the analyst: {what} — reason: {reason}"),
    N_("Inferred by the analyst: {kind} of {holder}: {amount}"),
    N_("Inferred by the analyst: {what}"),
    # okg check (okg.store.reasoning)
    N_("{individual} is typed {types}, but {a} and {b} are disjoint"),
    # separators, last
    N_("{a}; {b}"),
    N_("{a} → {b}"),
    N_("{a} × {b}"),
    N_("{a} + {b}"),
    N_("{a} − {b}"),
    N_("{a} = {b}"),
    N_("{a}: {b}"),
    N_("{a} ({b})"),
)

WORDS = (
    # words that stand alone in analysis text and tables
    N_("scheduled"),
    N_("in force"),
    N_("announced"),
    N_("in transition"),
    N_("in effect"),
    N_("in effect (no date given)"),
    N_("exposed"),
    N_("possible closure"),
    N_("closure risk"),
    N_("stopped"),
    N_("contract lost"),
    N_("contract gained"),
    N_("consistent"),
    N_("envelope"),
    N_("revenue share"),
    N_("unknown"),
    N_("unknown sector"),
    N_("actor"),
    N_("contract"),
    N_("segment"),
    N_("market dependency"),
    N_("contracts"),
    N_("firms"),
    N_("loss"),
    N_("gain"),
    # verdicts of a source's claim against the model (okg.analysis.impact.source_claims)
    N_("agree"),
    N_("overlap"),
    N_("apart"),
    N_("not reached"),
    N_("no model figure"),
    # employment types of a claim (local names of okg:EmploymentType individuals)
    N_("AnyEmploymentType"),
    N_("Permanent"),
    N_("Temporary"),
    N_("percent"),
    N_("dozens"),
    N_("hundreds"),
    N_("thousands"),
    N_("tens-of-thousands"),
    N_("hundreds-of-thousands"),
    N_("millions"),
    N_("several"),
    N_("a few"),
    N_("many"),
    N_("above"),
    N_("below"),
)

# Whole sentences of the analysis layer: the assumptions of okg impact
# (okg.analysis.impact.propagate.ASSUMPTIONS) and okg analyze (okg.analysis.analyze).
TEXTS = (
    N_(
        "An actor's revenue share lost to a regulation is the product of its shares along every "
        "scope dimension (activity share × market share): the activity is assumed to be spread "
        "evenly across markets, and shares of activity volume are read as shares of turnover."
    ),
    N_(
        "A share that is not given (a contract's share of its provider's revenue, an actor's "
        "share of a market or activity) is unknown: anywhere from 0 to 100%, never assumed."
    ),
    N_(
        "Jobs not attributed to a contract are at risk pro rata to their employer's revenue "
        "share lost."
    ),
    N_(
        "When an actor loses revenue both through contracts and through market/activity shares, "
        "the two may overlap: the loss is at least the larger and at most the sum."
    ),
    N_(
        "A contract that covers several activities (or markets) of which only some are in a "
        "regulation's scope loses an unknown fraction (0 to 100%)."
    ),
    N_(
        "Jobs of a sub-segment are part of its parent segment's jobs: when the parent's figure "
        "is known they are shown but counted once, within the parent."
    ),
    N_(
        "Claims about the same figure that differ are read two ways: the consistent range "
        "(their intersection: what holds if every source is right) and the envelope (their "
        "hull; an open upper side does not widen the maximum set by bounded claims); a "
        "permanent + temporary breakdown counts as one more claim for the total. Claims with no "
        "common value conflict. The envelope feeds propagation unless --range consistent is "
        "given (a conflict keeps its envelope)."
    ),
    N_(
        "Herfindahl index over the markets an actor's turnover comes from (0 = spread, 1 = one "
        "market); MarketDependency shares are used where given, else the revenue shares of the "
        "contracts serving each market (unknown = 0–100%)."
    ),
    N_(
        "Single points of failure: each contract lost, and each firm stopped, one at a time, "
        "through the same rules as okg impact; {rest}"
    ),
    N_(
        "Some rows come from illustrative facts (made up to show the model), not from a cited "
        "source."
    ),
    N_("only contracts running on {date} count (as points and in every cascade)."),
    N_("every contract counted as running (give --as-of to date them)."),
    N_(
        "Industry segments (many firms counted together) are never single points of failure: a "
        "segment stopping as a whole is ranked apart, under Segments."
    ),
    N_("Facts marked illustrative (made up to show the model) are included and marked."),
    N_(
        "Facts marked illustrative (made up to show the model) are left out; "
        "--include-illustrative adds them, marked."
    ),
    N_("(an open upper side does not widen the envelope's maximum)"),
    # okg check without Java (okg.store.reasoning.JAVA_HINT)
    N_(
        "Java is needed for the HermiT reasoner (install a Java runtime, e.g. "
        "openjdk-17-jre-headless); --no-reasoner skips it"
    ),
    N_(
        "Exposure of a country or sector: the largest jobs at risk of any one event in the "
        "store and of any one single failure (scenarios are not added up, so no job is counted "
        "twice)."
    ),
)


_ONE = r"(?:[≥≤]?−?\d[\d,.]*%?(?:(?:–| to )−?\d[\d,.]*%?)?)"
_FIG = rf"(?:(?:about |unknown )?(?:unknown|any value|{_ONE})(?: \({_ONE}\))?)"
SLOTS = {
    **dict.fromkeys(
        ("share", "jobs", "result", "low", "all", "value", "loss", "range", "threshold"), _FIG
    ),
    **dict.fromkeys(("consistent", "envelope", "n", "m"), _FIG),
    **dict.fromkeys(("figure",), _FIG),
    **dict.fromkeys(("date", "start", "end"), r"\d{4}-\d{2}-\d{2}"),
    **dict.fromkeys(("contract", "label", "market", "activity", "via", "head"), r"[^;→=]+?"),
}
"""What a slot of a pattern matches, by its name: figures as :meth:`Interval.format` writes
them, ISO dates, names (no ``;``, ``→`` or ``=``, so that a name never swallows the rest of a
formula); any other slot matches any text (a list of terms, a rule)."""
VERBATIM = frozenset({"reason"})
"""Slots whose text is the data's own words (an analyst's reason in a fact file): kept as
written, never translated piecewise."""


def _pattern(msgid: str) -> re.Pattern:
    parts = re.split(r"\{(\w+)\}", msgid)
    out = []
    for i, part in enumerate(parts):
        out.append(f"(?P<{part}>{SLOTS.get(part, '.+?')})" if i % 2 else re.escape(part))
    return re.compile("".join(out), re.S)


_COMPILED = tuple((m, _pattern(m)) for m in (*(t for t in TEXTS if "{" in t), *PATTERNS))


@dataclass(frozen=True)
class Locale:
    """The words and numbers of one language for one kind of output (see the module doc)."""

    lang: str = "en"
    numbers: NumberStyle = EN_NUMBERS

    def _(self, msgid: str) -> str:
        return _(msgid, self.lang)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return ngettext(singular, plural, n, self.lang)

    def fig(self, iv: Interval, percent: bool = False) -> str:
        """*iv* as :meth:`Interval.format` writes it, in this language."""
        return iv.format(percent, None if self.lang == "en" else self.numbers)

    def num(self, text: str) -> str:
        """Figures inside *text* in this language's numbers (dates isolated in Arabic)."""
        return text if self.lang == "en" else localize(text, self.numbers)

    def text(self, english: str) -> str:
        """A sentence of the analysis layer in this language (see the module doc)."""
        if self.lang == "en" or not english:
            return english
        return _translate(english, self.lang, self.numbers)


def _translate(text: str, lang: str, numbers: NumberStyle, depth: int = 0) -> str:
    cat = catalogue(lang)
    whole = cat.gettext(text)
    if whole != text:
        return whole
    stripped = text.strip()
    if stripped != text and stripped:
        head, tail = text[: text.index(stripped)], text[text.index(stripped) + len(stripped) :]
        return head + _translate(stripped, lang, numbers, depth) + tail
    if depth < 12:
        for msgid, rx in _COMPILED:
            m = rx.fullmatch(text)
            if m:
                slots = {
                    k: v if k in VERBATIM else _translate(v, lang, numbers, depth + 1)
                    for k, v in m.groupdict().items()
                }
                return cat.gettext(msgid).format(**slots)
    return localize(text, numbers)


@cache
def _numbers(lang: str, digits: str, isolate: bool) -> NumberStyle:
    if lang == "en":
        return EN_NUMBERS
    if digits not in DIGITS:
        raise ValueError(f"unknown digits {digits!r}; expected one of {', '.join(DIGITS)}")
    arab = lang == "ar" and digits == "arab"
    # Translators: the separator of thousands and the decimal mark of this language.
    return NumberStyle(
        group="٬" if arab else _(",", lang).replace("_", "\u202f"),
        decimal="٫" if arab else _(".", lang),
        digits="٠١٢٣٤٥٦٧٨٩" if arab else None,
        about=_("about", lang),
        to=_("to", lang),
        unknown=_("unknown", lang),
        any_value=_("any value", lang),
        percent="٪" if arab else _("%", lang).replace("_", "\u202f"),
        isolate=isolate,
    )


def locale(lang: str | Locale = "en", digits: str = "latn", isolate: bool | None = None) -> Locale:
    """The :class:`Locale` of *lang* (a Locale is returned as it is). *isolate* defaults to
    True for Arabic (text and Markdown output); pass False for CSV."""
    if isinstance(lang, Locale):
        return lang
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    iso = (lang == "ar") if isolate is None else isolate
    return Locale(lang, _numbers(lang, digits, iso))
