"""What the sources say: each source's own impact claim beside the model's estimate.

An ``okg:ImpactClaim`` (ontology/core.ttl, block "impact claims") is what a source says an event
will do to a firm or segment, with a figure as the source writes it ("the ban threatens
thousands of jobs at Moroccan call centres": ``jobs: آلاف`` → 2,000–9,999). :func:`compare`
puts the source's interval ``S`` beside the model's interval ``M`` for the same actor, effect
and unit, and :func:`verdict` says how they stand (docs/impact.md, "What the sources say"):

* ``agree``: one contains the other (``relation`` says which; ``same`` when equal);
* ``overlap``: they share a part and neither contains the other;
* ``apart``: they share nothing; ``gap`` is the distance between them;
* ``unknown``: either figure is unknown, so nothing can be said.

With both known, ``ratio`` (model ÷ source) is the interval of every ``m / s`` for ``m`` in
``M`` and ``s > 0`` in ``S``: ``[M.low / S.high, M.high / S.low]``, where an open ``S.high``
makes the low end 0 and an open ``M.high`` or ``S.low = 0`` leaves the high end open.
Printed ratios are rounded outwards to two significant digits (never narrower than the truth).

>>> from okg.figures.intervals import Interval
>>> v = verdict(Interval.of(24000, 199999), Interval.of(2000, 9999))
>>> v.kind, v.ratio.format(), ratio_text(v.ratio)
('apart', '2.4–100', '2.4–100×')
>>> verdict(Interval.of(135, 180), Interval.of(146, 180, 163)).relation
'model contains source'

The claims are read with one bound SPARQL SELECT (they do not carry impact, so they are not in
the projection); :func:`source_claims` compares every claim about an event with the rows of
an impact run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

from okg.analysis.impact.result import Row
from okg.figures.claims import claim_value, source_id_of_graph
from okg.figures.intervals import UNKNOWN, Interval, total
from okg.store import KnowledgeGraph
from okg.terms.labels import pick
from okg.terms.namespaces import OKG
from rdflib import URIRef

AGREE, OVERLAP, APART, UNKNOWN_VERDICT = "agree", "overlap", "apart", "unknown"
NOT_REACHED, NO_MODEL_FIGURE = "not reached", "no model figure"

JOBS = str(OKG.Jobs)
EFFECTS = {str(OKG.Loss): "loss", str(OKG.Gain): "gain"}


# -- the verdict rule -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """How a model interval stands to a source interval (see the module doc)."""

    kind: str
    relation: str | None = None
    """``model contains source``, ``source contains model`` or ``same`` (``agree`` only)."""
    shared: Interval | None = None
    """The intersection (``agree`` and ``overlap``)."""
    ratio: Interval | None = None
    """model ÷ source, as an interval; ``None`` when it is not defined."""
    gap: Interval | None = None
    """``apart`` only: how far the model lies above (positive) or below (negative) the source,
    from the nearest bounds to the farthest ones (open when a far bound is open)."""


def _lo(x: Interval) -> float | Fraction:
    return -math.inf if x.low is None else x.low


def _hi(x: Interval) -> float | Fraction:
    return math.inf if x.high is None else x.high


def intersection(a: Interval, b: Interval) -> Interval | None:
    """The common part of two known intervals, ``None`` when they share nothing.

    >>> intersection(Interval.of(135, 180), Interval.of(151, open_high=True)).format()
    '151–180'
    """
    if not (a.known and b.known):
        return None
    lo, hi = max(_lo(a), _lo(b)), min(_hi(a), _hi(b))
    if lo > hi:
        return None
    return Interval.between(
        None if lo == -math.inf else lo,
        None if hi == math.inf else hi,
    )


def ratio(model: Interval, source: Interval) -> Interval | None:
    """model ÷ source: the smallest interval holding ``m / s`` for every ``m`` in *model* and
    every ``s > 0`` in *source*; ``None`` when either is unknown or may be negative, or the
    source is exactly 0. ``high=None`` means open (no upper bound).

    >>> ratio(Interval.of(24000, 199999), Interval.of(2000, 9999)).format()
    '2.4–100'
    >>> ratio(Interval.of(10, open_high=True), Interval.of(0, 5)).format()
    '≥2'
    """
    if not (model.known and source.known) or model.low is None or source.low is None:
        return None
    if model.low < 0 or source.low < 0 or source.high == 0:
        return None
    low = Fraction(0) if source.high is None else model.low / source.high
    high = None if model.high is None or source.low == 0 else model.high / source.low
    return Interval.between(low, high)


def verdict(model: Interval, source: Interval) -> Verdict:
    """The verdict of the module doc for *model* against *source*.

    >>> verdict(Interval.of(135, 180), Interval.of(151, open_high=True)).kind
    'overlap'
    >>> verdict(Interval.of(5), UNKNOWN).kind
    'unknown'
    """
    if not (model.known and source.known):
        return Verdict(UNKNOWN_VERDICT)
    r = ratio(model, source)
    shared = intersection(model, source)
    if shared is None:
        if _lo(model) > _hi(source):
            near = model.low - source.high
            far = None if model.high is None or source.low is None else model.high - source.low
            gap = Interval.between(near, far)
        else:
            near = source.low - model.high
            far = None if source.high is None or model.low is None else source.high - model.low
            gap = -Interval.between(near, far)
        return Verdict(APART, ratio=r, gap=gap)
    m_in_s, s_in_m = source.contains_interval(model), model.contains_interval(source)
    if m_in_s and s_in_m:
        return Verdict(AGREE, "same", shared, r)
    if s_in_m:
        return Verdict(AGREE, "model contains source", shared, r)
    if m_in_s:
        return Verdict(AGREE, "source contains model", shared, r)
    return Verdict(OVERLAP, shared=shared, ratio=r)


def _round(x: Fraction, up: bool) -> Fraction:
    """*x* > 0 to two significant digits, rounded up or down."""
    e = 0
    while x >= Fraction(10) ** (e + 1):
        e += 1
    while x < Fraction(10) ** e:
        e -= 1
    step = Fraction(10) ** (e - 1)
    n = x / step
    n = math.ceil(n) if up else math.floor(n)
    return n * step


def _num(x: Fraction) -> str:
    if x.denominator == 1:
        return f"{int(x):,}"
    return f"{float(x):.6g}"


def ratio_text(r: Interval | None) -> str | None:
    """A ratio interval as printed: ``2.4–100×``, ``≥2×``, ``1.5×``; rounded outwards to two
    significant digits; ``None`` for no ratio.

    >>> ratio_text(Interval.between(Fraction(1, 3), None))
    '≥0.33×'
    """
    if r is None:
        return None
    lo = _round(r.low, up=False) if r.low else Fraction(0)
    if r.high is None:
        return f"≥{_num(lo)}×" if lo else None
    hi = _round(r.high, up=True) if r.high else Fraction(0)
    return f"{_num(lo)}×" if lo == hi else f"{_num(lo)}–{_num(hi)}×"


# -- one comparison ---------------------------------------------------------------------------


@dataclass
class SourceClaimComparison:
    """One source's impact claim beside the model's figure for the same actor.

    ``source_value`` is the source's interval, ``stated`` its words (``آلاف``) and
    ``vague_term`` the vague term they stand for (``thousands``); ``model_value`` is the
    model's interval for the same actor and effect (the sum of its rows), ``None`` when the
    model has no figure of that unit or does not reach the actor; ``verdict`` is one of
    ``agree``, ``overlap``, ``apart``, ``unknown``, ``not reached``, ``no model figure``;
    ``text`` is the sentence printed.
    """

    claim: str
    event: str
    actor: str
    actor_label: str
    effect: str
    unit: str
    stated: str | None
    vague_term: str | None
    source_value: Interval
    model_value: Interval | None
    model_status: str | None
    verdict: str
    relation: str | None
    shared: Interval | None
    ratio: Interval | None
    ratio_text: str | None
    gap: Interval | None
    text: str
    source: str | None
    source_title: str | None
    quotes: list[str] = field(default_factory=list)
    claimant: str | None = None
    claimant_label: str | None = None
    basis: str | None = None
    illustrative: bool = False


def _source_words(stated: str | None, vague: str | None, value: Interval) -> str:
    words = f"'{stated}'" if stated else "the source"
    if vague and vague != stated:
        words += f" ({vague})"
    return f"{words} {value.bounds_text()}" if value.known else f"{words} (no number)"


def describe(
    model: Interval | None, source: Interval, v: Verdict, unit: str, stated_words: str
) -> str:
    """The sentence printed for one comparison."""
    if v.kind == NOT_REACHED:
        return f"the model does not reach this actor; source {stated_words}"
    if v.kind == NO_MODEL_FIGURE or model is None:
        return f"the model gives no figure of {unit}; source {stated_words}"
    head = f"model {model.bounds_text()} vs source {stated_words}"
    if v.kind == UNKNOWN_VERDICT:
        which = (
            "the source gives no number" if not source.known else "the model's figure is unknown"
        )
        return f"{head}: cannot compare, {which}"
    if v.kind == AGREE:
        how = {
            "same": "the same range",
            "model contains source": "the model's range contains the source's",
            "source contains model": "the source's range contains the model's",
        }[v.relation or "same"]
        return f"{head}: agree ({how})"
    rt = ratio_text(v.ratio)
    if v.kind == OVERLAP:
        return f"{head}: overlap on {v.shared.format()}" + (
            f"; the model is {rt} the source" if rt else ""
        )
    side = "above" if v.gap is not None and v.gap.low is not None and v.gap.low > 0 else "below"
    if side == "below" and v.ratio is not None and v.ratio.high:
        inv = ratio_text(
            Interval.between(1 / v.ratio.high, 1 / v.ratio.low if v.ratio.low else None)
        )
        return f"{head}: apart; the source is {inv} the model"
    return f"{head}: apart; the model is {rt} the source" if rt else f"{head}: apart ({side})"


def compare(
    model: Interval | None, source: Interval, unit: str, stated: str | None, vague: str | None
) -> tuple[Verdict, str]:
    """The verdict and the sentence for one claim; *model* ``None`` means the model has no
    figure of that unit."""
    words = _source_words(stated, vague, source)
    if model is None:
        v = Verdict(NO_MODEL_FIGURE)
    else:
        v = verdict(model, source)
    return v, describe(model, source, v, unit, words)


# -- reading the claims ---------------------------------------------------------------------

Q_IMPACT_CLAIMS = """
SELECT DISTINCT ?c ?g ?actor ?effect ?unit ?qual ?low ?high ?pt ?stated ?vague ?claimant ?basis
                ?made_up WHERE {
  GRAPH ?g {
    ?c a okg:ImpactClaim ; okg:claimedEvent ?event ; okg:claimedFor ?actor ; ?p ?q .
    ?q a okg:Quantity .
    OPTIONAL { ?c okg:claimedEffect ?effect }
    OPTIONAL { ?q okg:unit ?unit } OPTIONAL { ?q okg:qualifier ?qual }
    OPTIONAL { ?q okg:low ?low } OPTIONAL { ?q okg:high ?high }
    OPTIONAL { ?q okg:pointValue ?pt } OPTIONAL { ?q okg:statedAs ?stated }
    OPTIONAL { ?q okg:vagueTerm ?vague }
    OPTIONAL { ?c prov:wasAttributedTo ?claimant }
    OPTIONAL { ?c okg:basis ?basis }
    OPTIONAL { ?c okg:illustrative ?made_up }
  }
  ?p rdfs:subPropertyOf* okg:claimedFigure .
}"""
"""Every impact claim about ``?event`` (bound), one row per claim and figure."""

Q_QUOTES = """
SELECT DISTINCT ?c ?quote ?g WHERE {
  GRAPH ?g { ?c a okg:ImpactClaim ; okg:claimedEvent ?event ; okg:quote ?quote }
}"""

Q_TITLES = """
SELECT DISTINCT ?g ?title WHERE {
  GRAPH ?g { ?c a okg:ImpactClaim ; okg:claimedEvent ?event .
             ?src a okg:Source . OPTIONAL { ?src dcterms:title ?title } }
}"""

Q_LABELS = """
SELECT DISTINCT ?x ?l WHERE {
  GRAPH ?g { ?c a okg:ImpactClaim ; okg:claimedEvent ?event .
             { ?c okg:claimedFor ?x } UNION { ?c prov:wasAttributedTo ?x }
             UNION { ?c okg:claimedFigure|okg:claimedJobs|okg:claimedFirms ?q . ?q okg:vagueTerm ?x } }
  ?x rdfs:label ?l .
}"""


def _text(x) -> str | None:
    return None if x is None else str(x)


def model_figure(rows: list[Row], actor: str, effect: str) -> tuple[Interval | None, str | None]:
    """The model's jobs for *actor* and *effect* (``loss``/``gain``): the sum of its rows
    (``None`` when it has none) and the status of its first row."""
    mine = [r for r in rows if r.actor == actor and r.effect == effect]
    if not mine:
        return None, None
    known = [r.jobs for r in mine if r.jobs.known]
    value = total([r.jobs for r in mine])[0] if known else UNKNOWN
    return value, str(mine[0].status)


def source_claims(
    kg: KnowledgeGraph, event: str, rows: list[Row], lang: str = "en"
) -> list[SourceClaimComparison]:
    """Every impact claim about *event* in *kg* beside the model's figure from *rows* (the rows
    of an impact run of that event), sorted by claim and source."""
    params = {"event": URIRef(event)}

    def run(sparql: str) -> list[tuple[str | None, ...]]:
        return [tuple(_text(v) for v in r) for r in kg.query(sparql, params).rows]

    labels: dict[str, dict[str | None, str]] = {}
    for x, lab in kg.query(Q_LABELS, params).rows:
        labels.setdefault(str(x), {})[getattr(lab, "language", None)] = str(lab)

    def name(iri: str | None) -> str | None:
        if iri is None:
            return None
        return pick(labels.get(iri, {}), lang) or iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]

    quotes: dict[tuple[str, str | None], set[str]] = {}
    for c, quote, g in run(Q_QUOTES):
        quotes.setdefault((c, g), set()).add(quote)
    titles: dict[str | None, str | None] = {}
    for g, title in run(Q_TITLES):
        if titles.get(g) is None:
            titles[g] = title
    out: list[SourceClaimComparison] = []
    seen: set[tuple[str, str | None]] = set()
    for (
        c,
        g,
        actor,
        effect_iri,
        unit,
        qual,
        low,
        high,
        pt,
        stated,
        vague,
        claimant,
        basis,
        made_up,
    ) in sorted(run(Q_IMPACT_CLAIMS), key=lambda r: tuple(x or "" for x in r)):
        if (c, g) in seen:
            continue
        seen.add((c, g))
        effect = EFFECTS.get(effect_iri or "", "loss")
        source_value = claim_value(qual, low, high, pt)
        unit_name = (unit or JOBS).rsplit("#", 1)[-1].lower()
        if unit == JOBS or unit is None:
            model, status = model_figure(rows, actor, effect)
            if model is None:
                v = Verdict(NOT_REACHED)
                words = _source_words(stated, name(vague), source_value)
                text = describe(None, source_value, v, unit_name, words)
            else:
                v, text = compare(model, source_value, unit_name, stated, name(vague))
        else:
            model, status = None, model_figure(rows, actor, effect)[1]
            v, text = compare(None, source_value, unit_name, stated, name(vague))
            if status:
                text += f"; the model's status for it: {status}"
        out.append(
            SourceClaimComparison(
                claim=c,
                event=event,
                actor=actor,
                actor_label=name(actor) or actor,
                effect=effect,
                unit=unit_name,
                stated=stated,
                vague_term=name(vague),
                source_value=source_value,
                model_value=model,
                model_status=status,
                verdict=v.kind,
                relation=v.relation,
                shared=v.shared,
                ratio=v.ratio,
                ratio_text=ratio_text(v.ratio),
                gap=v.gap,
                text=text,
                source=source_id_of_graph(g),
                source_title=titles.get(g),
                quotes=sorted(quotes.get((c, g), ())),
                claimant=claimant,
                claimant_label=name(claimant),
                basis=basis.rsplit("#", 1)[-1].lower() if basis else None,
                illustrative=made_up == "true",
            )
        )
    out.sort(key=lambda x: (x.unit != "jobs", x.claim, x.source or ""))
    return out
