"""Named records the propagation engine and its rules share (no tuples read by position).

>>> from okg.figures.intervals import Interval
>>> widen(Interval(0, 1), Interval(1, 1)) == Interval(1, 1)
True
>>> pct(Interval.of(0.5))
'50%'
>>> Hit(Interval(1, 1), depth=1, chain=[]).explicit
False
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

from okg.analysis.impact.result import Step
from okg.analysis.impact.status import Status
from okg.figures.intervals import ONE, ZERO, Interval, total


class Hit(NamedTuple):
    """What reaches a node: the *fraction* of it taken (or created), at *depth*, along *chain*.

    ``explicit`` marks a hit the event (or a what-if) names itself, so the node's dates do not
    matter; ``reason`` is the text to print instead of the rule's default wording.
    """

    fraction: Interval
    depth: int
    chain: list[Step]
    explicit: bool = False
    reason: str | None = None


class Factor(NamedTuple):
    """One factor of a revenue-loss formula: its name and its value (a fraction 0..1)."""

    name: str
    value: Interval


@dataclass
class Term:
    """One reason an actor loses revenue: the value lost, its formula text and factors, and the
    chain (at *depth*) that leads to it."""

    value: Interval
    text: str
    factors: list[Factor]
    depth: int
    chain: list[Step]


@dataclass
class ContractState:
    """A contract lost (or gained): the fraction of it, its depth and explanation chain."""

    fraction: Interval
    depth: int
    chain: list[Step]


@dataclass
class ActorState:
    """Everything that hits one actor, and the status and revenue loss it adds up to."""

    share_term: Term | None = None
    contract_terms: dict[str, Term] = field(default_factory=dict)
    stopped: Term | None = None
    status: Status | None = None
    loss: Interval = ZERO
    depth: int = 0
    chain: list[Step] = field(default_factory=list)

    def terms(self) -> list[Term]:
        """Every term of the actor: stopped, share, then contracts by IRI."""
        found = [t for t in (self.stopped, self.share_term) if t]
        return found + [self.contract_terms[c] for c in sorted(self.contract_terms)]

    def revenue_loss(self, used: set[str], with_text: bool = False) -> tuple[Interval, str]:
        """The actor's revenue share lost (and, *with_text*, its formula; docs/impact.md 4.3).

        Stopped: 100 %. Losses through different contracts add up (capped at 100 %); with a
        share term too, the two may overlap: at least the larger, at most the sum (the
        ``mixed`` assumption is added to *used*).
        """
        if self.stopped:
            return ONE, self.stopped.text
        contract = [self.contract_terms[c] for c in sorted(self.contract_terms)]
        c_loss = None
        text = ""
        if contract:
            c_loss, _ = total(t.value for t in contract)
            c_loss = c_loss.cap(1)
            if with_text:
                text = " + ".join(f"{t.text}: {pct(t.value)}" for t in contract)
                if len(contract) > 1:
                    text += f" = {pct(c_loss)}"
        if self.share_term and c_loss is not None:
            s = self.share_term.value
            used.add("mixed")
            loss = Interval(max(c_loss.low, s.low), min(Fraction(1), c_loss.high + s.high))
            if with_text:
                text = (
                    f"contracts lost {pct(c_loss)} ({text}) and {self.share_term.text} = "
                    f"{pct(s)}: at least the larger, at most the sum = {pct(loss)}"
                )
            return loss, text
        if self.share_term:
            value = self.share_term.value
            return value, (f"{self.share_term.text} = {pct(value)}" if with_text else "")
        if c_loss is None:
            raise ValueError("an actor with no term has no revenue loss")
        return c_loss, text


class Reach(NamedTuple):
    """What a regulation reaches along one scope dimension: the *value* (a contract's
    fraction in scope, or an actor's share), the *steps* to it, the share *fact* (None for a
    contract), the in-scope *target* concept, and the share as *stated* (None for a contract).
    """

    value: Interval
    steps: list[Step]
    fact: str | None
    target: str
    stated: str | None = None


class Reason(NamedTuple):
    """One reason jobs of a figure are at risk: the jobs and the formula ("" when not
    explaining)."""

    jobs: Interval
    text: str


def chain_key(chain: list[Step]) -> tuple:
    """A sort key of an explanation chain (so that choices do not depend on visit order)."""
    return tuple((s.start, s.relation, s.end) for s in chain)


def better(depth: int, chain: list[Step], old_depth: int, old_chain: list[Step]) -> bool:
    """True when (*depth*, *chain*) is a better explanation than the old one."""
    return (depth, len(chain), chain_key(chain)) < (old_depth, len(old_chain), chain_key(old_chain))


def term_key(t: Term) -> tuple:
    return (t.depth, len(t.chain), chain_key(t.chain))


def pct(iv: Interval) -> str:
    return iv.format(percent=True)


def widen(a: Interval, b: Interval) -> Interval:
    """The larger of two loss fractions, bound by bound."""
    if a == b:
        return a
    return Interval(max(a.low, b.low), max(a.high, b.high))
