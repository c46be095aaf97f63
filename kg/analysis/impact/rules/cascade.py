"""Cascade and threshold (docs/impact.md, 4.4): an actor that may close loses its contracts
as client, recursively.

The node rule of ``okg:EconomicActor``, run each time an actor is queued (by a contract lost,
a regulation's share, a stop). Its revenue share lost (:meth:`ActorState.revenue_loss`) is
compared with the threshold: ``closure risk`` (low end ≥ threshold), ``possible closure``
(only the high end reaches it) or ``exposed``; a stopped actor stays ``stopped``. Statuses
only escalate. An actor that may close loses the contracts where it is the client, in full
(closure risk, stopped) or by an unknown fraction (possible closure), one level deeper; at
``--max-depth`` the cascade stops.

>>> from fractions import Fraction
>>> from okg.figures.intervals import Interval
>>> classify(Interval(Fraction(1, 2), 1), Fraction(1, 2))
<Status.CLOSURE_RISK: 'closure risk'>
>>> classify(Interval(0, Fraction(1, 5)), Fraction(1, 2))
<Status.EXPOSED: 'exposed'>
>>> classify(Interval(0, 1), Fraction(1, 2))
<Status.POSSIBLE_CLOSURE: 'possible closure'>
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from okg.analysis.impact.rules.records import Hit, term_key
from okg.analysis.impact.rules.registry import Rule, rule
from okg.analysis.impact.status import Status
from okg.figures.intervals import ONE, UNIT, Interval
from okg.terms.namespaces import OKG

if TYPE_CHECKING:
    from okg.analysis.impact.propagate import Propagation

CONTRACT = str(OKG.Contract)
LOSS = str(OKG.Loss)


def classify(loss: Interval, threshold: Fraction) -> Status:
    """The impact level of a revenue share lost *loss* against *threshold*."""
    if loss.low >= threshold:
        return Status.CLOSURE_RISK
    if loss.high >= threshold:
        return Status.POSSIBLE_CLOSURE
    return Status.EXPOSED


@rule(OKG.EconomicActor, name="cascade")
class Cascade(Rule):
    def visit(self, run: Propagation, a: str, depth: int) -> None:
        st = run.actor(a)
        best = min(st.terms(), key=term_key)
        st.depth, st.chain = best.depth, best.chain
        loss, _ = st.revenue_loss(run.used)
        status = Status.STOPPED if st.stopped else classify(loss, run.threshold)
        st.loss = loss
        st.status = Status.escalate(st.status, status)
        if status == Status.EXPOSED or (run.max_depth is not None and st.depth >= run.max_depth):
            return
        fraction = UNIT if status == Status.POSSIBLE_CLOSURE else ONE
        for _, c, key in sorted(iter(run.G.out_edges(a, keys=True))):
            if CONTRACT in run.classes(c):
                run.hit(c, LOSS, Hit(fraction, st.depth + 1, st.chain + [run.step(a, c, key)]))
