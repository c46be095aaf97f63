"""Actor stop (docs/impact.md, 4.1 and 4.4): an event's loss on an actor stops it.

Applied when ``okg:Loss`` reaches an ``okg:EconomicActor`` (``stops``, ``auto:halts``) or a
what-if assumes the actor stops: the actor loses 100 % of its revenue for the event's period
(status ``stopped``), all its jobs are at risk, and the cascade loses its contracts as client.

>>> from okg.analysis.impact.rules import REGISTRY
>>> from okg.terms.namespaces import OKG
>>> type(REGISTRY.lookup({str(OKG.Firm), str(OKG.EconomicActor)}, str(OKG.Loss))).__name__
'ActorStop'
>>> stop_text((None, None)), stop_text(("2026-03-01", "2026-03-20"))
('activity stopped by the event', 'activity stopped by the event (2026-03-01 to 2026-03-20)')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from okg.analysis.impact.rules.records import Hit, Term
from okg.analysis.impact.rules.registry import Rule, rule
from okg.figures.intervals import ONE
from okg.terms.namespaces import OKG

if TYPE_CHECKING:
    from okg.analysis.impact.propagate import Propagation


def stop_text(window: tuple) -> str:
    """The revenue formula of an actor the event stops during *window* (first, last day)."""
    when = f" ({window[0]} to {window[1]})" if window[0] and window[1] else ""
    return f"activity stopped by the event{when}"


@rule(OKG.EconomicActor, OKG.Loss, name="actor-stop")
class ActorStop(Rule):
    def hit(self, run: Propagation, actor: str, hit: Hit) -> None:
        text = hit.reason or stop_text(run.timing.window)
        run.actor(actor).stopped = Term(ONE, text, [], hit.depth, hit.chain)
        run.push(actor, hit.depth)
