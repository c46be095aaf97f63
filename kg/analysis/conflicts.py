"""Conflicting claims: figures about the same thing that the sources state differently.

Which claims are about the same thing is the ontology's same-figure rule, shared with impact and
viz (:class:`okg.figures.claims.FigureRules`, applied by :func:`okg.figures.claims.group_figures`):
a class lists its ``okg:conflictScope`` properties (a Workforce's employer, site, contract and
employment type). Two facts of that class with the same values for all of them, whose figures for
the same property differ, disagree. A value declared ``okg:isTotalOf`` parts (all jobs =
permanent + temporary) also compares the sum of the parts' figures with each total figure.
Nothing is overwritten: every claim is reported with its source and quote. Claims are read by
the one reader of ``okg:Quantity`` (:func:`okg.figures.claims.read_claims`).

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> find_conflicts(kg)
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from okg.analysis.projection import select
from okg.figures.claims import (
    Claim,
    FigureRules,
    SameFigure,
    ScopeValues,
    group_figures,
    read_claims,
)
from okg.store import KnowledgeGraph
from rdflib import URIRef

__all__ = ["Claim", "Conflict", "find_conflicts"]


@dataclass
class Conflict:
    """Claims about one figure (class, scope values, property) that disagree."""

    cls: str
    prop: str
    scope: dict[str, str]
    claims: list[Claim] = field(default_factory=list)
    breakdown: str | None = (
        None  # "permanent + temporary = 135–165" when a sum of parts is involved
    )

    @property
    def label(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.scope.items())
        return f"{self.cls} {self.prop} ({where})"


def _with(scope: ScopeValues, prop: str, value: str) -> ScopeValues:
    return tuple((p, (value,) if p == prop else vs) for p, vs in scope)


def _order(cls: str | None, scope: ScopeValues, prop: str) -> tuple:
    return (cls or "", tuple(",".join(vs) for _, vs in scope), prop)


def _disagree(claims: list[Claim]) -> bool:
    return any(not claims[0].same_figure_as(c) for c in claims[1:])


def find_conflicts(kg: KnowledgeGraph, lang: str = "en") -> list[Conflict]:
    """Every set of disagreeing claims in the store, in a stable order (labels in *lang*)."""
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

    def add(fig: SameFigure, scope: ScopeValues, group: list[Claim], breakdown=None, extra=()):
        conflict = Conflict(
            voc.label(URIRef(fig.cls), lang),
            voc.label(URIRef(fig.prop), lang),
            scope_dict(scope),
            group + list(extra),
            breakdown=breakdown,
        )
        found.append((_order(fig.cls, scope, fig.prop), len(found), conflict))

    for fig in group_figures(claims, rules):
        direct = list(fig.claims)
        if _disagree(direct):
            add(fig, fig.scope, direct)
        for b in fig.breakdowns:
            for part, cs in b.given:
                if _disagree(list(cs)):
                    add(fig, _with(fig.scope, b.prop, part), list(cs))
        for b in fig.breakdowns:
            parts = b.claims()
            if not direct or not b.complete or any(c.value.low is None for c in parts):
                continue
            summed = Claim("sum of parts", fig.prop, b.value())
            if all(c.value == summed.value for c in direct):
                continue
            names = " + ".join(voc.label(URIRef(c.part), lang) for c in parts)
            stated = " + ".join(c.stated_as for c in parts)
            add(
                fig,
                fig.scope,
                direct,
                breakdown=f"{names} = {stated} = {summed.interval()}",
                extra=parts,
            )
    return [c for _, _, c in sorted(found, key=lambda t: (t[0], t[1]))]
