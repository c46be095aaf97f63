"""The one-paragraph summary at the top of an impact report, built from the result by a rule.

The paragraph has four sentences, each built only from the :class:`ImpactResult`:

1. **What happened**: the event's label, its timing at the date asked (``in transition ...``).
2. **Who is hit, and how many jobs**: the firms and segments that lose jobs (the rows with
   effect ``loss`` that are not already counted in a parent segment), the three with the highest
   high end named with their country and figure, and the **range of jobs at risk**: the sum of
   the country totals' jobs lost (:func:`okg.figures.intervals.total`, so an unknown country
   total leaves the sum open above); then, when the event creates jobs, the same for the rows
   with effect ``gain``.
3. **What the source says** (only when the result holds ``source_claims``): each source's own
   figure (its words and their interval) beside the model's, with the verdict of
   :mod:`okg.analysis.impact.source_claims`; the claimant is named when the data names one,
   else "the source" (its title and quotes are in the report's sources).
4. **Confidence**: the job figures (one per row) counted by what they rest on: *stated* (the
   figure lies within the span of the claims the sources make about it), *estimated* (the model
   derived it, e.g. by scaling a workforce by shares, so it lies outside every claim's span, or
   no claim stands behind it), *illustrative* (a row or claim marked ``illustrative``: a made-up
   scenario, counted apart from the other two) and *unknown*.

Every figure and every name from the data is wrapped in ``<bdi>``, so that a range keeps its
order in right-to-left text and a Latin name does not turn an Arabic sentence around; every text
from the data is escaped (:func:`markupsafe.escape`), and the result is
:class:`markupsafe.Markup` for the page template.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape
from okg.analysis.impact.result import ImpactResult, Row
from okg.figures.intervals import Interval, total
from okg.render.i18n import N_, Locale, _, locale

MAX_NAMED = 3

MESSAGES: dict[str, str] = {
    "happened": N_("{event}: {timing}, as of {date}."),
    "hit": N_("It puts {jobs} jobs at risk at {n} firm(s) or segment(s) in {countries}: {named}."),
    "hit_none": N_("It puts no job at risk in the data."),
    "more": N_("and {n} more"),
    "created": N_("It creates {jobs} jobs at {named}."),
    "says": N_("According to {who}, {actor}: {stated} ({value}); the model: {model} ({verdict})."),
    "confidence": N_(
        "Confidence: of {n} job figure(s), {stated} stated by the sources, {estimated} "
        "estimated by the model, {illustrative} illustrative, {unknown} unknown."
    ),
    "and": N_(" and "),
    "sep": N_(", "),
    "heading": N_("Summary"),
    "the_source": N_("the source"),
}
"""The summary's words by role: msgids of the message catalogue (:mod:`okg.render.i18n`), whose
French and Arabic entries are the summary's words in those languages."""


def words(lang: str) -> dict[str, str]:
    """The summary's words (:data:`MESSAGES`) in *lang*, from the message catalogue.

    >>> words("fr")["heading"], words("en")["heading"]
    ('Résumé', 'Summary')
    """
    return {role: _(msgid, lang) for role, msgid in MESSAGES.items()}


def bdi(value: object) -> Markup:
    """A figure or code isolated from the text around it (escaped)."""
    return Markup("<bdi>{}</bdi>").format(str(value))


@dataclass(frozen=True)
class Confidence:
    """How many of the result's job figures are stated, estimated, illustrative, unknown."""

    figures: int
    stated: int
    estimated: int
    illustrative: int
    unknown: int


def _span(claims: list[Interval]) -> Interval | None:
    known = [c for c in claims if c.known]
    if not known:
        return None
    low = None if any(c.low is None for c in known) else min(c.low for c in known)
    high = None if any(c.high is None for c in known) else max(c.high for c in known)
    return Interval(low, high)


def _within(iv: Interval, span: Interval) -> bool:
    low_ok = span.low is None or (iv.low is not None and iv.low >= span.low)
    high_ok = span.high is None or (iv.high is not None and iv.high <= span.high)
    return low_ok and high_ok


def is_illustrative(row: Row) -> bool:
    return bool(row.illustrative or any(getattr(c, "illustrative", False) for c in row.claims))


def figure_kind(row: Row) -> str:
    """``unknown``, ``illustrative``, ``stated`` or ``estimated`` (see the module doc)."""
    if not row.jobs.known:
        return "unknown"
    if is_illustrative(row):
        return "illustrative"
    span = _span([c.value for c in row.claims])
    return "stated" if span is not None and _within(row.jobs, span) else "estimated"


def confidence(result: ImpactResult) -> Confidence:
    kinds = [figure_kind(r) for r in result.rows]
    return Confidence(
        len(kinds),
        kinds.count("stated"),
        kinds.count("estimated"),
        kinds.count("illustrative"),
        kinds.count("unknown"),
    )


def jobs_lost(result: ImpactResult) -> Interval:
    """The range of jobs at risk the summary prints: the sum of the country totals' losses."""
    return total(t.lost for t in result.countries)[0]


def jobs_created(result: ImpactResult) -> Interval:
    """The jobs the event creates: the sum of the ``gain`` rows (unknown when all are)."""
    return total(r.jobs for r in result.rows if r.effect != "loss" and not r.included_in)[0]


def _top(rows: list[Row]) -> list[Row]:
    def high(r: Row) -> float:
        if not r.jobs.known:
            return -1.0
        return float("inf") if r.jobs.high is None else float(r.jobs.high)

    return sorted(rows, key=lambda r: (-high(r), r.label))


def _named(rows: list[Row], w: dict[str, str], loc: Locale, countries: bool = True) -> Markup:
    parts = []
    for r in _top(rows)[:MAX_NAMED]:
        where = Markup(" (<bdi>{}</bdi>)").format(r.country) if countries and r.country else ""
        parts.append(Markup("{}{}: {}").format(bdi(r.label), where, bdi(loc.fig(r.jobs))))
    if len(rows) > MAX_NAMED:
        parts.append(escape(w["more"].format(n=len(rows) - MAX_NAMED)))
    return Markup(escape(w["sep"])).join(parts)


def _fill(template: str, **fields: object) -> Markup:
    """*template* (the page's own words) with each field escaped and isolated in ``<bdi>``
    (Markup fields, already built of isolated parts, are kept), so that the paragraph's
    direction (``dir="auto"``) comes from the page's own words, not from a name in the data."""
    return escape(template).format(
        **{k: v if isinstance(v, Markup) else bdi(v) for k, v in fields.items()}
    )


def summary_sentences(result: ImpactResult, lang: str = "en") -> list[Markup]:
    """The summary's sentences (see the module doc), each an escaped :class:`Markup`."""
    w = words(lang)
    loc = locale(lang, isolate=False)  # the page isolates each figure in <bdi>
    out = [
        _fill(
            w["happened"],
            event=result.event_label,
            timing=loc.text(result.timing),
            date=bdi(result.as_of.isoformat()),
        )
    ]
    lost = [r for r in result.rows if r.effect == "loss" and not r.included_in]
    if lost:
        countries = sorted({r.country for r in lost if r.country})
        out.append(
            _fill(
                w["hit"],
                jobs=bdi(loc.fig(jobs_lost(result))),
                n=bdi(len(lost)),
                countries=Markup(escape(w["and"])).join(bdi(c) for c in countries) or "?",
                named=_named(lost, w, loc, len(countries) > 1),
            )
        )
    else:
        out.append(escape(w["hit_none"]))
    gained = [r for r in result.rows if r.effect != "loss" and not r.included_in]
    if gained:
        out.append(
            _fill(
                w["created"],
                jobs=bdi(loc.fig(jobs_created(result))),
                named=_named(gained, w, loc),
            )
        )
    for c in getattr(result, "source_claims", None) or []:
        out.append(
            _fill(
                w["says"],
                who=c.claimant_label or w["the_source"],
                stated=Markup("“{}”").format(bdi(_(c.stated, lang))) if c.stated else Markup(""),
                value=bdi(loc.fig(c.source_value)),
                actor=c.actor_label,
                model=bdi(loc.fig(c.model_value) if c.model_value is not None else "—"),
                verdict=loc.text(c.verdict),
            )
        )
    conf = confidence(result)
    out.append(
        _fill(
            w["confidence"],
            n=bdi(loc.num(str(conf.figures))),
            stated=bdi(loc.num(str(conf.stated))),
            estimated=bdi(loc.num(str(conf.estimated))),
            illustrative=bdi(loc.num(str(conf.illustrative))),
            unknown=bdi(loc.num(str(conf.unknown))),
        )
    )
    return out


def summary(result: ImpactResult, lang: str = "en") -> Markup:
    """The summary paragraph: :func:`summary_sentences` joined by spaces."""
    return Markup(" ").join(summary_sentences(result, lang))
