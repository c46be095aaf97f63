"""Regulation scope (docs/impact.md, 4.2): a regulation hits only what it reaches along every
one of its scope dimensions.

Applied when an event's ``okg:Loss`` reaches an ``okg:Regulation`` (``enacts``). For each of
the regulation's relations marked ``okg:scopeDimension`` (prohibited activity, protected
market...) the rule follows the in-scope concepts (and their narrower concepts) to:

* contracts covering them: lost in full when all their activities (markets) are in scope,
  else by an unknown fraction 0–100 %; the contract-loss rule takes it from there;
* actors through their share facts (ActivityShare, MarketDependency): revenue share lost =
  the product of the shares along every dimension (claims about the same share combined by
  their hull, shares of different in-scope things added, capped at 100 %).

A node reached along only some dimensions is not hit (a note says so). The regulation's
``okg:effectiveDate`` is when the event bites (see :mod:`okg.analysis.impact.timing`).

>>> import datetime as dt, networkx as nx
>>> G = nx.MultiDiGraph(); G.add_node("r", dates={"effectiveDate": dt.date(2026, 8, 1)})
>>> RegulationScope().bites_from(G, "r")
[datetime.date(2026, 8, 1)]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from okg.analysis.impact.rules.records import Factor, Hit, Reach, Term, better, pct
from okg.analysis.impact.rules.registry import Rule, rule
from okg.figures.intervals import ONE, UNIT, Interval, combine_claims, total
from okg.terms.namespaces import OKG

if TYPE_CHECKING:
    import networkx as nx
    from okg.analysis.impact.propagate import Propagation

CONTRACT = str(OKG.Contract)
ACTOR = str(OKG.EconomicActor)
LOSS = str(OKG.Loss)


@rule(OKG.Regulation, OKG.Loss, name="regulation-scope")
class RegulationScope(Rule):
    def bites_from(self, G: nx.MultiDiGraph, node: str) -> list:
        eff = G.nodes[node]["dates"].get("effectiveDate")
        return [eff] if eff else []

    def hit(self, run: Propagation, reg: str, hit: Hit) -> None:
        G = run.G
        dims: dict[str, list[str]] = {}
        for _, t, key, d in sorted(iter(G.out_edges(reg, keys=True, data=True))):
            if d["scope"]:
                dims.setdefault(key, []).append(t)
        if not dims:
            run.note(f"{run.label(reg)} declares no scope dimension: it hits nothing.")
            return
        reached = self._reach(run, reg, dims)
        for node, by_dim in sorted(reached.items()):
            missing = sorted(set(dims) - set(by_dim))
            if missing:
                names = ", ".join(m.rsplit("#", 1)[-1] for m in missing)
                run.note(
                    f"{run.label(node)}: reached by {run.label(reg)} but not along "
                    f"{names}; not hit (a regulation hits only what it reaches along "
                    "every scope dimension)."
                )
                continue
            self._hit_node(run, node, by_dim, list(hit.chain))

    def _reach(self, run: Propagation, reg: str, dims: dict[str, list[str]]) -> dict:
        """Per reached node, per scope dimension, what reaches it (:class:`Reach` records)."""
        G = run.G
        reached: dict[str, dict[str, list[Reach]]] = {}
        narrower = G.graph.get("narrower", {})
        for rel, targets in sorted(dims.items()):
            # A rule on a concept (an activity) also covers its narrower concepts.
            in_scope = set(targets)
            for t in targets:
                in_scope.update(n for n in narrower.get(t, ()) if n in G)
            for t in sorted(in_scope):
                declared = t in targets
                via = t if declared else next(x for x in targets if t in narrower.get(x, ()))
                s1 = run.step(reg, via, rel)
                if not declared:
                    run.note(
                        f"{run.label(t)} is covered as a narrower activity of {run.label(via)}."
                    )
                for _, f, k1 in sorted(iter(G.out_edges(t, keys=True))):
                    if CONTRACT in run.classes(f):
                        covered = {u for u, _, k in G.in_edges(f, keys=True) if k == k1}
                        frac = ONE if covered <= in_scope else UNIT
                        reached.setdefault(f, {}).setdefault(rel, []).append(
                            Reach(frac, [s1, run.step(t, f, k1)], None, t)
                        )
                        continue
                    for _, a, k2, d2 in sorted(iter(G.out_edges(f, keys=True, data=True))):
                        if d2["weight"] is None or ACTOR not in run.classes(a):
                            continue
                        share, stated = run.share_of(f, d2["weight"])
                        steps = [s1, run.step(t, f, k1), run.step(f, a, k2)]
                        reached.setdefault(a, {}).setdefault(rel, []).append(
                            Reach(share, steps, f, t, stated)
                        )
        return reached

    def _hit_node(
        self, run: Propagation, node: str, by_dim: dict[str, list[Reach]], steps: list
    ) -> None:
        is_contract = CONTRACT in run.classes(node)
        value = ONE
        factors: list[Factor] = []
        for rel in sorted(by_dim):
            reaches = by_dim[rel]
            for r in reaches:
                steps.extend(s for s in r.steps if s not in steps)
            if is_contract:
                v = UNIT if any(r.value == UNIT for r in reaches) else ONE
                if v == UNIT:
                    run.used.add("partial_contract")
                factors.append(Factor(rel, v))
            else:
                v = self._dimension_share(run, reaches)
                what = " + ".join(sorted({run.label(r.target) for r in reaches}))
                unknown = " unknown" if all(r.stated.startswith("unknown") for r in reaches) else ""
                factors.append(Factor(f"{what} share{unknown}", v))
            value = value * v
        if is_contract:
            if value != ONE:
                run.note(
                    f"{run.label(node)}: only part of its activities or markets is "
                    "in the regulation's scope; the fraction lost is unknown (0–100%)."
                )
            run.hit(node, LOSS, Hit(value, 1, steps))
            return
        run.used.add("shares")
        text = " × ".join(f"{f.name} {pct(f.value)}" for f in factors)
        term = Term(value, text, factors, 1, steps)
        a = run.actor(node)
        if a.share_term is None or better(1, steps, a.share_term.depth, a.share_term.chain):
            a.share_term = term
        run.push(node, 1)

    @staticmethod
    def _dimension_share(run: Propagation, reaches: list[Reach]) -> Interval:
        """Shares reaching one actor along one dimension: claims about the same figure are
        combined by their hull; shares of different things add up (capped at 100%)."""
        by_scope: dict[object, list[Interval]] = {}
        for r in reaches:
            key = run.G.nodes[r.fact].get("scope") if r.fact else None
            by_scope.setdefault(key or r.fact, []).append(r.value)
        ordered = sorted(by_scope.items(), key=lambda kv: str(kv[0]))
        parts = [combine_claims(vs) for _, vs in ordered]
        s, _ = total(parts)
        return s.cap(1)
