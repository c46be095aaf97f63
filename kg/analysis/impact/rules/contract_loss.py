"""Contract loss (docs/impact.md, 4.3): a contract lost takes its share of its provider's revenue.

Applied when ``okg:Loss`` reaches an ``okg:Contract``: named by the event (``terminates``),
in a regulation's scope, or given up by a client that may close (the cascade). A contract not
running during the event's window is not hit, unless the event names it itself. Losses only
grow: the fraction lost is widened bound by bound and the shallowest explanation kept. Each
provider (a relation weighted by ``okg:revenueShare``) then loses the contract's revenue share
× the fraction lost (a share not given is unknown, 0–100 %) and is queued for the cascade.

>>> from okg.analysis.impact.rules import REGISTRY
>>> from okg.terms.namespaces import OKG
>>> type(REGISTRY.lookup({str(OKG.Contract), str(OKG.Fact)}, str(OKG.Loss))).__name__
'ContractLoss'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from okg.analysis.impact.rules.records import ContractState, Factor, Hit, Term, better, pct, widen
from okg.analysis.impact.rules.registry import Rule, rule
from okg.analysis.impact.timing import active_in
from okg.figures.intervals import ONE
from okg.terms.namespaces import OKG

if TYPE_CHECKING:
    from okg.analysis.impact.propagate import Propagation

ACTOR = str(OKG.EconomicActor)


@rule(OKG.Contract, OKG.Loss, name="contract-loss")
class ContractLoss(Rule):
    def hit(self, run: Propagation, c: str, hit: Hit) -> None:
        if not hit.explicit and not active_in(run.G.nodes[c]["dates"], run.timing.window):
            run.note(f"{run.label(c)}: not running when the event bites; not hit.")
            return
        st = run.lost.get(c)
        if st is None:
            st = run.lost[c] = ContractState(hit.fraction, hit.depth, hit.chain)
        else:
            wider = widen(st.fraction, hit.fraction)
            closer = better(hit.depth, hit.chain, st.depth, st.chain)
            if wider == st.fraction and not closer:
                return
            st.fraction = wider
            if closer:
                st.depth, st.chain = hit.depth, hit.chain
        for _, p, key, d in sorted(iter(run.G.out_edges(c, keys=True, data=True))):
            if d["weight"] is None or ACTOR not in run.classes(p):
                continue
            share, stated = run.share_of(c, d["weight"])
            value = (st.fraction * share).cap(1)
            lost = "" if st.fraction == ONE else f"{pct(st.fraction)} of "
            text = f"{lost}{run.label(c)} (revenue share {stated})"
            term = Term(
                value,
                text,
                [Factor(run.label(c), st.fraction), Factor("revenue share", share)],
                st.depth,
                st.chain + [run.step(c, p, key)],
            )
            run.actor(p).contract_terms[c] = term
            run.push(p, st.depth)
