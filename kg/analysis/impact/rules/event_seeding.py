"""Event seeding (docs/impact.md, 4.1): an event hits what its effect relations point to.

The event's node rule: for each of the event's outbound relations marked ``okg:impactEffect``
(``okg:Loss`` or ``okg:Gain``), in IRI order, the rule registered for the target's class and
that effect is applied with the whole target (fraction 100 %, depth 1, named by the event
itself so the target's dates do not matter). An event with ``okg:share`` (``share: 40%``: it
takes away part of each contract it terminates or relocates) loses that share of each target
instead of the whole, so the provider loses share × the contract's revenue share. A target no
rule handles gets a note and is not counted.

>>> from okg.analysis.impact.rules import REGISTRY
>>> from okg.terms.namespaces import OKG
>>> type(REGISTRY.lookup({str(OKG.Event), str(OKG.Fact)})).__name__
'EventSeeding'
>>> effect_iri("loss") == str(OKG.Loss)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from okg.analysis.impact.rules.records import Hit
from okg.analysis.impact.rules.registry import Rule, rule
from okg.analysis.projection import _EFFECTS
from okg.figures.intervals import ONE
from okg.terms.namespaces import OKG

if TYPE_CHECKING:
    import networkx as nx
    from okg.analysis.impact.propagate import Propagation
    from okg.analysis.impact.rules.registry import Registry

SHARE = str(OKG.share)
"""On an event: the share of each contract it terminates or relocates that it takes away."""

EFFECT_IRIS = {name: iri for iri, name in _EFFECTS.items()}
"""The projection's effect names (``"loss"``, ``"gain"``) to the effect individuals' IRIs."""

NO_RULE = {
    str(OKG.Gain): "{label}: a gain of something other than a contract has no rule and is not "
    "counted.",
    str(OKG.Loss): "{label}: a loss of this kind of thing has no rule.",
}
"""The note for a target no rule handles, per effect (other effects: a generic wording)."""


def effect_iri(name: str) -> str:
    """The IRI of the effect the projection names *name* on an edge."""
    return EFFECT_IRIS.get(name, name)


@rule(OKG.Event, name="event-seeding")
class EventSeeding(Rule):
    def visit(self, run: Propagation, event: str, depth: int) -> None:
        taken = ONE
        if run.G.nodes[event]["quantities"].get(SHARE):
            taken, _ = run.share_of(event, SHARE)  # the share of each contract lost
        for _, target, key, d in sorted(iter(run.G.out_edges(event, keys=True, data=True))):
            if d["effect"] is None:
                continue
            effect = effect_iri(d["effect"])
            fraction = taken if d["effect"] == "loss" else ONE
            hit = Hit(fraction, 1, [run.step(event, target, key)], explicit=True)
            if not run.hit(target, effect, hit):
                text = NO_RULE.get(effect, "{label}: a {effect} of this kind of thing has no rule.")
                run.note(text.format(label=run.label(target), effect=d["effect"]))

    @staticmethod
    def effective_dates(rules: Registry, G: nx.MultiDiGraph, event: str) -> list:
        """Dates from which the event's hits take effect (each target rule's ``bites_from``)."""
        out = []
        for _, target, d in G.out_edges(event, data=True):
            if d["effect"] is None:
                continue
            found = rules.lookup(G.nodes[target]["classes"], effect_iri(d["effect"]))
            if found is not None:
                out.extend(found.bites_from(G, target))
        return out
