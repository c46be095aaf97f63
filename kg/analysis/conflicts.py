"""Conflicting claims: figures about the same thing that the sources state differently.

Which claims are about the same thing is the ontology's same-figure rule, shared with impact and
viz (:class:`okg.figures.claims.FigureRules`, applied by :func:`okg.figures.claims.group_figures`):
a class lists its ``okg:conflictScope`` properties (a Workforce's employer, site, contract and
employment type). Two facts of that class with the same values for all of them, whose figures for
the same property differ, disagree. A value declared ``okg:isTotalOf`` parts (all jobs =
permanent + temporary) also compares the sum of the parts' figures with each total figure.
Claims that disagree are read two ways (:func:`okg.figures.claims.figure_ranges`): their
*consistent* range (the intersection: what holds if every source is right) and their *envelope*
(the hull). Only claims whose intersection is empty are a real conflict
(:func:`find_conflicts`); claims that differ but overlap are *consistent*
(:func:`find_consistent`), reported with both ranges and what a breakdown leaves unexplained
of the total (:func:`compare_claims` gives both kinds).
Nothing is overwritten: every claim is reported with its source and quote. Claims are read by
the one reader of ``okg:Quantity`` (:func:`okg.figures.claims.read_claims`).

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> find_conflicts(kg), find_consistent(kg)
([], [])
"""

from __future__ import annotations

from dataclasses import dataclass, field

from okg.analysis.projection import select
from okg.figures.claims import (
    Claim,
    FigureRules,
    SameFigure,
    ScopeValues,
    figure_ranges,
    group_figures,
    non_overlapping,
    read_claims,
)
from okg.figures.intervals import Interval, combine_claims, intersect_claims
from okg.store import KnowledgeGraph
from rdflib import URIRef

__all__ = ["Claim", "Conflict", "compare_claims", "find_conflicts", "find_consistent"]


@dataclass
class Conflict:
    """Claims about one figure (class, scope values, property) that differ.

    ``consistent`` is their intersection (``None`` when empty: a real conflict, see
    ``is_conflict``), ``envelope`` their hull; ``witness`` names, for a conflict, two claims that
    do not overlap; ``remainders`` say what a breakdown leaves unexplained of the total.
    """

    cls: str
    prop: str
    scope: dict[str, str]
    claims: list[Claim] = field(default_factory=list)
    breakdown: str | None = (
        None  # "permanent + temporary = 135–165" when a sum of parts is involved
    )
    consistent: Interval | None = None
    envelope: Interval | None = None
    witness: tuple[str, str] | None = None
    remainders: list[str] = field(default_factory=list)

    @property
    def is_conflict(self) -> bool:
        """No value satisfies every claim."""
        return self.consistent is None

    @property
    def label(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.scope.items())
        return f"{self.cls} {self.prop} ({where})"

    def ranges_text(self) -> str:
        """``consistent 151–165, envelope 135–180``, or, for a conflict, ``no common value
        (about 100 and 30 + 40 do not overlap); envelope 70–100``."""
        env = self.envelope.format() if self.envelope is not None else "unknown"
        if self.consistent is not None:
            return f"consistent {self.consistent.format()}, envelope {env}"
        why = f" ({self.witness[0]} and {self.witness[1]} do not overlap)" if self.witness else ""
        return f"no common value{why}; envelope {env}"


def _with(scope: ScopeValues, prop: str, value: str) -> ScopeValues:
    return tuple((p, (value,) if p == prop else vs) for p, vs in scope)


def _order(cls: str | None, scope: ScopeValues, prop: str) -> tuple:
    return (cls or "", tuple(",".join(vs) for _, vs in scope), prop)


def _disagree(claims: list[Claim]) -> bool:
    return any(not claims[0].same_figure_as(c) for c in claims[1:])


def compare_claims(kg: KnowledgeGraph, lang: str = "en") -> list[Conflict]:
    """Every set of claims about one figure that differ, conflicting or consistent, in a
    stable order (labels in *lang*).

    Per figure: one entry for the whole (its direct claims, and each complete breakdown's sum
    as one more claim, when they differ), and one per part whose own claims differ. A part in
    conflict is reported once, on its own entry: the whole's entry then counts that
    breakdown by its envelope sum.
    """
    voc = kg.voc

    def rows(sparql: str):
        return select(kg, sparql)

    rules = FigureRules.read(rows)
    claims = [c for c in read_claims(rows) if c.cls in rules.scopes]

    def scope_dict(scope: ScopeValues) -> dict[str, str]:
        return {
            voc.label(URIRef(p), lang): ", ".join(kg.label(URIRef(v), lang) for v in vs)
            for p, vs in scope
            if vs
        }

    found: list[tuple[tuple, int, Conflict]] = []

    def add(
        fig: SameFigure,
        scope: ScopeValues,
        group: list[Claim],
        named: list[tuple[str, Interval, Interval]],
        breakdown=None,
        extra=(),
        remainders=(),
    ):
        consistent = intersect_claims(c for _, c, _ in named)
        conflict = Conflict(
            voc.label(URIRef(fig.cls), lang),
            voc.label(URIRef(fig.prop), lang),
            scope_dict(scope),
            group + list(extra),
            breakdown=breakdown,
            consistent=consistent,
            envelope=combine_claims(e for _, _, e in named),
            witness=non_overlapping([(n, c) for n, c, _ in named]) if consistent is None else None,
            remainders=list(remainders),
        )
        found.append((_order(fig.cls, scope, fig.prop), len(found), conflict))

    def name(c: Claim) -> str:
        return c.stated or c.value.format()

    for fig in group_figures(claims, rules):
        direct = list(fig.claims)
        for b in fig.breakdowns:
            for part, cs in b.given:
                if _disagree(list(cs)):
                    named = [(name(c), c.value, c.value) for c in cs]
                    add(fig, _with(fig.scope, b.prop, part), list(cs), named)
        named = [(name(c), c.value, c.value) for c in direct]
        texts, extra = [], []
        for b in fig.breakdowns:
            parts = b.claims()
            if not direct or not b.complete or any(c.value.low is None for c in parts):
                continue
            summed = b.value()
            if all(c.value == summed for c in direct):
                continue
            cons = b.consistent_value()
            named.append((b.text(), cons if cons is not None else summed, summed))
            names = " + ".join(voc.label(URIRef(c.part), lang) for c in parts)
            texts.append(f"{names} = {b.text()} = {Claim('sum', fig.prop, summed).interval()}")
            extra += parts
        if texts or _disagree(direct):
            remainders = [r.text() for r in figure_ranges(fig).remainders if r.unexplained]
            add(fig, fig.scope, direct, named, "; ".join(texts) or None, extra, remainders)
    return [c for _, _, c in sorted(found, key=lambda t: (t[0], t[1]))]


def find_conflicts(kg: KnowledgeGraph, lang: str = "en") -> list[Conflict]:
    """Every set of claims about one figure with no common value: real conflicts."""
    return [c for c in compare_claims(kg, lang) if c.is_conflict]


def find_consistent(kg: KnowledgeGraph, lang: str = "en") -> list[Conflict]:
    """Every set of claims about one figure that differ but share a range of values."""
    return [c for c in compare_claims(kg, lang) if not c.is_conflict]
