"""Conflicting claims: figures about the same thing that the sources state differently.

Which claims are about the same thing is declared in the ontology: a class lists its
``okg:conflictScope`` properties (a Workforce's employer, site, contract and employment type).
Two facts of that class with the same values for all of them, whose figures for the same
property differ, disagree. A value declared ``okg:isTotalOf`` parts (all jobs = permanent +
temporary) also compares the sum of the parts' figures with each total figure. Nothing is
overwritten: every claim is reported with its source and quote.

>>> from okg.store import KnowledgeGraph
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> find_conflicts(kg)
[]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from okg.store import KnowledgeGraph
from rdflib import URIRef


@dataclass(frozen=True)
class Claim:
    fact: str
    stated_as: str
    low: Decimal | None
    high: Decimal | None
    point: Decimal | None
    quotes: tuple[str, ...]
    source: str
    source_title: str
    line: int | None

    def interval(self) -> str:
        if self.low is None:
            return "unknown"
        hi = "open" if self.high is None else f"{self.high:g}"
        return f"{self.low:g}–{hi}"


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


_SCOPES = """
SELECT DISTINCT ?c ?p WHERE { ?c okg:conflictScope ?p } ORDER BY ?c ?p
"""

_FACTS = """
SELECT DISTINCT ?x ?p ?v WHERE {
  ?x a ?cls .
  OPTIONAL { ?cls okg:conflictScope ?p . ?x ?p ?v }
}
"""

_FIGURES = """
SELECT DISTINCT ?x ?qp ?stated ?low ?high ?point ?src ?title ?line WHERE {
  ?x a ?cls ; ?qp ?q .
  ?q a okg:Quantity ; okg:statedAs ?stated .
  OPTIONAL { ?q okg:low ?low } OPTIONAL { ?q okg:high ?high } OPTIONAL { ?q okg:pointValue ?point }
  OPTIONAL { ?x prov:hadPrimarySource ?src . OPTIONAL { ?src dcterms:title ?title } }
  OPTIONAL { ?x okg:line ?line }
}
"""

_QUOTES = "SELECT DISTINCT ?x ?quote WHERE { ?x a ?cls ; okg:quote ?quote }"
_TOTALS = "SELECT DISTINCT ?total ?part WHERE { ?total okg:isTotalOf ?part }"


def _dec(v) -> Decimal | None:
    return None if v is None else Decimal(str(v))


def _same(a: Claim, b: Claim) -> bool:
    return (a.low, a.high, a.point) == (b.low, b.high, b.point)


def _sum(claims: list[Claim]) -> tuple[Decimal | None, Decimal | None]:
    if any(c.low is None for c in claims):
        return None, None
    low = sum((c.low for c in claims), Decimal(0))
    high = (
        None if any(c.high is None for c in claims) else sum((c.high for c in claims), Decimal(0))
    )
    return low, high


def find_conflicts(kg: KnowledgeGraph, lang: str = "en") -> list[Conflict]:
    """Every set of disagreeing claims in the store, in a stable order (labels in *lang*)."""
    voc = kg.voc
    scopes: dict[URIRef, list[URIRef]] = defaultdict(list)
    for c, p in kg.query(_SCOPES).rows:
        scopes[c].append(p)
    totals: dict[URIRef, set[URIRef]] = defaultdict(set)
    for t, part in kg.query(_TOTALS).rows:
        totals[t].add(part)
    out: list[Conflict] = []
    for cls in sorted(scopes):
        props = sorted(scopes[cls])
        values: dict[str, dict[URIRef, URIRef]] = defaultdict(dict)
        for x, p, v in kg.query(_FACTS, {"cls": cls}).rows:
            values[str(x)]
            if p is not None:
                values[str(x)][p] = v
        quotes: dict[str, list[str]] = defaultdict(list)
        for x, q in kg.query(_QUOTES, {"cls": cls}).rows:
            quotes[str(x)].append(str(q))
        claims: dict[tuple, list[Claim]] = defaultdict(list)
        for x, qp, stated, low, high, point, src, title, line in kg.query(
            _FIGURES, {"cls": cls}
        ).rows:
            key = tuple(values[str(x)].get(p) for p in props)
            claim = Claim(
                str(x),
                str(stated),
                _dec(low),
                _dec(high),
                _dec(point),
                tuple(sorted(quotes[str(x)])),
                str(src) if src else "",
                str(title) if title else "",
                int(line) if line is not None else None,
            )
            claims[(key, qp)].append(claim)
        cls_label = voc.label(cls, lang)

        def scope_dict(key: tuple, props: list[URIRef] = props) -> dict[str, str]:
            return {
                voc.label(p, lang): kg.label(v, lang)
                for p, v in zip(props, key, strict=True)
                if v is not None
            }

        for (key, qp), group in sorted(claims.items(), key=lambda kv: (str(kv[0]),)):
            group = sorted(group, key=lambda c: c.fact)
            if any(not _same(group[0], c) for c in group[1:]):
                out.append(Conflict(cls_label, voc.label(qp, lang), scope_dict(key), group))
            for i, p in enumerate(props):
                total = key[i]
                if total not in totals:
                    continue
                parts: list[Claim] = []
                for part in sorted(totals[total]):
                    pkey = key[:i] + (part,) + key[i + 1 :]
                    parts += claims.get((pkey, qp), [])
                covered = {values[c.fact].get(p) for c in parts}
                if covered != totals[total] or len(parts) != len(totals[total]):
                    continue
                low, high = _sum(parts)
                if low is None:
                    continue
                summed = Claim(
                    "sum of parts",
                    " + ".join(c.stated_as for c in parts),
                    low,
                    high,
                    None,
                    (),
                    "",
                    "",
                    None,
                )
                disagree = [c for c in group if (c.low, c.high) != (low, high)]
                if disagree:
                    names = " + ".join(voc.label(values[c.fact].get(p), lang) for c in parts)
                    out.append(
                        Conflict(
                            cls_label,
                            voc.label(qp, lang),
                            scope_dict(key),
                            group + parts,
                            breakdown=f"{names} = {summed.stated_as} = {summed.interval()}",
                        )
                    )
    return out
