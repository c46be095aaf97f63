"""Propagate one event's impact through the projection (rules in docs/impact.md).

The propagation is a monotone fixed point: contracts lost only get more lost, actors' revenue
losses only grow, statuses only escalate, depths only shrink. Whatever order nodes are visited
in, it ends in the same state; explanation chains are chosen by (depth, chain) so they too do
not depend on the order. Only the nodes the event reaches are visited.
"""

from __future__ import annotations

import datetime as dt
import heapq
from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx
from okg.analysis.impact.events import list_events, resolve_event
from okg.analysis.impact.figures import JobFigure, job_figures
from okg.analysis.impact.result import (
    ContractImpact,
    CountryTotal,
    ImpactResult,
    Row,
    Step,
    reached_nodes,
)
from okg.analysis.impact.timing import Timing, active_in, event_timing
from okg.analysis.projection import cached_projection
from okg.figures.intervals import ONE, UNIT, UNKNOWN, ZERO, Interval, combine_claims, total
from okg.store import KnowledgeGraph
from okg.terms.labels import label as pick_label
from okg.terms.namespaces import OKG

CONTRACT = str(OKG.Contract)
REGULATION = str(OKG.Regulation)
ACTOR = str(OKG.EconomicActor)
WORKFORCE = str(OKG.Workforce)
SITE = str(OKG.Site)
EVENT = str(OKG.Event)
FACT = str(OKG.Fact)
SITE_OF = str(OKG.siteOf)

SEVERITY = {"exposed": 1, "possible closure": 2, "closure risk": 3, "stopped": 3}

ASSUMPTIONS = {
    "shares": "An actor's revenue share lost to a regulation is the product of its shares along "
    "every scope dimension (activity share × market share): the activity is assumed "
    "to be spread evenly across markets, and shares of activity volume are read as "
    "shares of turnover.",
    "unknown_share": "A share that is not given (a contract's share of its provider's revenue, "
    "an actor's share of a market or activity) is unknown: anywhere from 0 to "
    "100%, never assumed.",
    "pro_rata": "Jobs not attributed to a contract are at risk pro rata to their employer's "
    "revenue share lost.",
    "mixed": "When an actor loses revenue both through contracts and through market/activity "
    "shares, the two may overlap: the loss is at least the larger and at most the sum.",
    "partial_contract": "A contract that covers several activities (or markets) of which only "
    "some are in a regulation's scope loses an unknown fraction (0 to 100%).",
    "segments": "Jobs of a sub-segment are part of its parent segment's jobs: when the parent's "
    "figure is known they are shown but counted once, within the parent.",
    "claims": "Conflicting claims about the same figure are combined by their hull; an open upper "
    "side does not widen the maximum set by bounded claims; a permanent + temporary "
    "breakdown counts as one more claim for the total.",
}


@dataclass
class _Term:
    value: Interval
    text: str
    factors: list[tuple[str, Interval]]
    depth: int
    chain: list[Step]


@dataclass
class _Contract:
    fraction: Interval
    depth: int
    chain: list[Step]


@dataclass
class _Actor:
    share_term: _Term | None = None
    contract_terms: dict[str, _Term] = field(default_factory=dict)
    stopped: _Term | None = None
    status: str | None = None
    loss: Interval = ZERO
    depth: int = 0
    chain: list[Step] = field(default_factory=list)


def _chain_key(chain: list[Step]) -> tuple:
    return tuple((s.start, s.relation, s.end) for s in chain)


def _better(depth: int, chain: list[Step], old_depth: int, old_chain: list[Step]) -> bool:
    return (depth, len(chain), _chain_key(chain)) < (
        old_depth,
        len(old_chain),
        _chain_key(old_chain),
    )


def _pct(iv: Interval) -> str:
    return iv.format(percent=True)


def _widen(a: Interval, b: Interval) -> Interval:
    """The larger of two loss fractions, bound by bound."""
    if a == b:
        return a
    return Interval(max(a.low, b.low), max(a.high, b.high))


class _Run:
    def __init__(
        self,
        G: nx.MultiDiGraph,
        event: str | None,
        timing: Timing,
        threshold: float,
        max_depth: int | None,
        lang: str,
        explain: bool = True,
    ):
        self.G = G
        self.explain = explain
        self.event = event
        self.timing = timing
        self.threshold = Fraction(str(threshold))
        self.max_depth = max_depth
        self.lang = lang
        self.lost: dict[str, _Contract] = {}
        self.gained: dict[str, _Contract] = {}
        self.actors: dict[str, _Actor] = {}
        self.queue: list[tuple[int, str]] = []
        self.notes: list[str] = []
        self.used: set[str] = set()

    # -- helpers -----------------------------------------------------------------------------
    def label(self, n: str) -> str:
        return pick_label(self.G.nodes[n]["labels"] if n in self.G else {}, n, self.lang)

    def classes(self, n: str) -> frozenset:
        return self.G.nodes[n]["classes"]

    def step(self, u: str, v: str, key: str) -> Step:
        d = self.G.edges[u, v, key]
        return Step(
            start=u,
            end=v,
            start_label=self.label(u),
            end_label=self.label(v),
            relation=key,
            predicate=d["predicate"],
            source=d["source"],
            source_title=self.G.graph.get("sources", {}).get(d["source"]),
            quotes=list(d["quotes"]),
            fact=d["fact"],
        )

    def share_of(self, node: str, prop: str) -> tuple[Interval, str]:
        """A share-valued property of *node* as a fraction 0..1 (unknown -> 0..100%)."""
        claims = self.G.nodes[node]["quantities"].get(prop, [])
        value = combine_claims(c.value for c in claims)
        stated = "; ".join(sorted({c.stated for c in claims if c.stated})) or "not given"
        if not value.known:
            self.used.add("unknown_share")
            return UNIT, "unknown (0–100%)"
        return value.percent(), stated

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- seeds ---------------------------------------------------------------------------------
    def seed(self) -> None:
        G = self.G
        if self.event not in G:
            self.note(
                "The event has no relation that carries impact (okg:impactFlow): "
                "nothing to propagate."
            )
            return
        for _, v, key, d in sorted(G.out_edges(self.event, keys=True, data=True)):
            if d["effect"] is None:
                continue
            chain = [self.step(self.event, v, key)]
            cls = self.classes(v)
            if d["effect"] == "gain":
                if CONTRACT in cls:
                    self.gained.setdefault(v, _Contract(ONE, 1, chain))
                else:
                    self.note(
                        f"{self.label(v)}: a gain of something other than a contract "
                        "has no rule and is not counted."
                    )
            elif REGULATION in cls:
                self.regulation(v, chain)
            elif CONTRACT in cls:
                self.lose_contract(v, ONE, 1, chain, explicit=True)
            elif ACTOR in cls:
                period = self.timing.window
                when = f" ({period[0]} to {period[1]})" if period[0] and period[1] else ""
                self.actor(v).stopped = _Term(
                    ONE, f"activity stopped by the event{when}", [], 1, chain
                )
                self.push(v, 1)
            else:
                self.note(f"{self.label(v)}: a loss of this kind of thing has no rule.")

    def regulation(self, reg: str, chain: list[Step]) -> None:
        """Hit what the regulation reaches along every one of its scope dimensions."""
        G = self.G
        dims: dict[str, list[str]] = {}
        for _, t, key, d in sorted(G.out_edges(reg, keys=True, data=True)):
            if d["scope"]:
                dims.setdefault(key, []).append(t)
        if not dims:
            self.note(f"{self.label(reg)} declares no scope dimension: it hits nothing.")
            return
        reached: dict[str, dict[str, list]] = {}
        narrower = G.graph.get("narrower", {})
        for rel, targets in sorted(dims.items()):
            # A rule on a concept (an activity) also covers its narrower concepts.
            in_scope = set(targets)
            for t in targets:
                in_scope.update(n for n in narrower.get(t, ()) if n in G)
            for t in sorted(in_scope):
                declared = t in targets
                via = t if declared else next(x for x in targets if t in narrower.get(x, ()))
                s1 = self.step(reg, via, rel)
                if not declared:
                    self.note(
                        f"{self.label(t)} is covered as a narrower activity of {self.label(via)}."
                    )
                for _, f, k1 in sorted(G.out_edges(t, keys=True)):
                    if CONTRACT in self.classes(f):
                        covered = {u for u, _, k in G.in_edges(f, keys=True) if k == k1}
                        frac = ONE if covered <= in_scope else UNIT
                        reached.setdefault(f, {}).setdefault(rel, []).append(
                            (frac, [s1, self.step(t, f, k1)], None, t)
                        )
                        continue
                    for _, a, k2, d2 in sorted(G.out_edges(f, keys=True, data=True)):
                        if d2["weight"] is None or ACTOR not in self.classes(a):
                            continue
                        share, stated = self.share_of(f, d2["weight"])
                        reached.setdefault(a, {}).setdefault(rel, []).append(
                            (share, [s1, self.step(t, f, k1), self.step(f, a, k2)], f, t, stated)
                        )
        for node, by_dim in sorted(reached.items()):
            missing = sorted(set(dims) - set(by_dim))
            if missing:
                names = ", ".join(m.rsplit("#", 1)[-1] for m in missing)
                self.note(
                    f"{self.label(node)}: reached by {self.label(reg)} but not along "
                    f"{names}; not hit (a regulation hits only what it reaches along "
                    "every scope dimension)."
                )
                continue
            steps = list(chain)
            value = ONE
            factors = []
            for rel in sorted(by_dim):
                reaches = by_dim[rel]
                for r in reaches:
                    steps.extend(s for s in r[1] if s not in steps)
                if CONTRACT in self.classes(node):
                    v = UNIT if any(r[0] == UNIT for r in reaches) else ONE
                    if v == UNIT:
                        self.used.add("partial_contract")
                    factors.append((rel, v))
                else:
                    v = self._dimension_share(reaches)
                    what = " + ".join(sorted({self.label(r[3]) for r in reaches}))
                    unknown = " unknown" if all(r[4].startswith("unknown") for r in reaches) else ""
                    factors.append((f"{what} share{unknown}", v))
                value = value * v
            if CONTRACT in self.classes(node):
                if value != ONE:
                    self.note(
                        f"{self.label(node)}: only part of its activities or markets is "
                        "in the regulation's scope; the fraction lost is unknown (0–100%)."
                    )
                self.lose_contract(node, value, 1, steps)
            else:
                self.used.add("shares")
                text = " × ".join(f"{name} {_pct(v)}" for name, v in factors)
                term = _Term(value, text, factors, 1, steps)
                a = self.actor(node)
                if a.share_term is None or _better(
                    1, steps, a.share_term.depth, a.share_term.chain
                ):
                    a.share_term = term
                self.push(node, 1)

    def _dimension_share(self, reaches: list) -> Interval:
        """Shares reaching one actor along one dimension: claims about the same figure are
        combined by their hull; shares of different things add up (capped at 100%)."""
        by_scope: dict[object, list[Interval]] = {}
        for share, _steps, fact, _t, _stated in reaches:
            key = self.G.nodes[fact].get("scope") if fact else None
            by_scope.setdefault(key or fact, []).append(share)
        ordered = sorted(by_scope.items(), key=lambda kv: str(kv[0]))
        parts = [combine_claims(vs) for _, vs in ordered]
        s, _ = total(parts)
        return s.cap(1)

    # -- propagation ---------------------------------------------------------------------------
    def actor(self, a: str) -> _Actor:
        return self.actors.setdefault(a, _Actor())

    def push(self, a: str, depth: int) -> None:
        heapq.heappush(self.queue, (depth, a))

    def lose_contract(
        self, c: str, fraction: Interval, depth: int, chain: list[Step], explicit: bool = False
    ) -> None:
        if not explicit and not active_in(self.G.nodes[c]["dates"], self.timing.window):
            self.note(f"{self.label(c)}: not running when the event bites; not hit.")
            return
        st = self.lost.get(c)
        if st is None:
            st = self.lost[c] = _Contract(fraction, depth, chain)
        else:
            wider = _widen(st.fraction, fraction)
            closer = _better(depth, chain, st.depth, st.chain)
            if wider == st.fraction and not closer:
                return
            st.fraction = wider
            if closer:
                st.depth, st.chain = depth, chain
        for _, p, key, d in sorted(self.G.out_edges(c, keys=True, data=True)):
            if d["weight"] is None or ACTOR not in self.classes(p):
                continue
            share, stated = self.share_of(c, d["weight"])
            value = (st.fraction * share).cap(1)
            lost = "" if st.fraction == ONE else f"{_pct(st.fraction)} of "
            text = f"{lost}{self.label(c)} (revenue share {stated})"
            term = _Term(
                value,
                text,
                [(self.label(c), st.fraction), ("revenue share", share)],
                st.depth,
                st.chain + [self.step(c, p, key)],
            )
            self.actor(p).contract_terms[c] = term
            self.push(p, st.depth)

    def seed_scenario(self, contracts: list[str], actors: list[str]) -> None:
        """Seed a what-if: the *contracts* are lost outright and the *actors* stop."""
        for c in sorted(contracts):
            self.lose_contract(c, ONE, 1, [], explicit=True)
        for a in sorted(actors):
            self.actor(a).stopped = _Term(ONE, "assumed to stop (what-if)", [], 1, [])
            self.push(a, 1)

    def run(self) -> None:
        if self.event is not None:
            self.seed()
        self.settle()

    def settle(self) -> None:
        while self.queue:
            _, a = heapq.heappop(self.queue)
            self.evaluate(a)

    def evaluate(self, a: str) -> None:
        st = self.actor(a)
        terms = [t for t in (st.stopped, st.share_term) if t] + [
            st.contract_terms[c] for c in sorted(st.contract_terms)
        ]
        best = min(terms, key=lambda t: (t.depth, len(t.chain), _chain_key(t.chain)))
        st.depth, st.chain = best.depth, best.chain
        loss, _ = self._revenue_loss(st)
        if st.stopped:
            status = "stopped"
        else:
            if loss.low >= self.threshold:
                status = "closure risk"
            elif loss.high >= self.threshold:
                status = "possible closure"
            else:
                status = "exposed"
        st.loss = loss
        escalated = st.status is None or SEVERITY[status] > SEVERITY[st.status]
        st.status = status if st.status is None or escalated else st.status
        if status == "exposed" or (self.max_depth is not None and st.depth >= self.max_depth):
            return
        fraction = UNIT if status == "possible closure" else ONE
        for _, c, key in sorted(self.G.out_edges(a, keys=True)):
            if CONTRACT in self.classes(c):
                self.lose_contract(c, fraction, st.depth + 1, st.chain + [self.step(a, c, key)])

    def _revenue_loss(self, st: _Actor, with_text: bool = False) -> tuple[Interval, str]:
        """An actor's revenue share lost (and, *with_text*, the formula)."""
        if st.stopped:
            return ONE, st.stopped.text
        contract = [st.contract_terms[c] for c in sorted(st.contract_terms)]
        c_loss = None
        text = ""
        if contract:
            c_loss, _ = total(t.value for t in contract)
            c_loss = c_loss.cap(1)
            if with_text:
                text = " + ".join(f"{t.text}: {_pct(t.value)}" for t in contract)
                if len(contract) > 1:
                    text += f" = {_pct(c_loss)}"
        if st.share_term and c_loss is not None:
            s = st.share_term.value
            self.used.add("mixed")
            loss = Interval(max(c_loss.low, s.low), min(Fraction(1), c_loss.high + s.high))
            if with_text:
                text = (
                    f"contracts lost {_pct(c_loss)} ({text}) and {st.share_term.text} = "
                    f"{_pct(s)}: at least the larger, at most the sum = {_pct(loss)}"
                )
            return loss, text
        if st.share_term:
            value = st.share_term.value
            return value, (f"{st.share_term.text} = {_pct(value)}" if with_text else "")
        assert c_loss is not None
        return c_loss, text

    # -- results -----------------------------------------------------------------------------
    def revenue_text(self, a: str) -> str | None:
        """The revenue-loss formula of actor *a*, built once (None when not explaining)."""
        if not self.explain:
            return None
        cache = self.__dict__.setdefault("_revenue_texts", {})
        if a not in cache:
            cache[a] = self._revenue_loss(self.actors[a], True)[1] or None
        return cache[a]

    def workforces_of(self, a: str) -> list[str]:
        """Workforce nodes of an actor: as employer, or at its sites."""
        out = set()
        for _, w in self.G.out_edges(a):
            if WORKFORCE in self.classes(w):
                out.add(w)
            elif SITE in self.classes(w):
                out.update(x for _, x in self.G.out_edges(w) if WORKFORCE in self.classes(x))
        return sorted(out)

    def attributed_to(self, c: str) -> list[str]:
        return sorted(w for _, w in self.G.out_edges(c) if WORKFORCE in self.classes(w))

    def owner(self, fig: JobFigure) -> str | None:
        if fig.employer:
            return fig.employer
        if fig.workplace and fig.workplace in self.G:
            ops = sorted(u for u, _, k in self.G.in_edges(fig.workplace, keys=True) if k == SITE_OF)
            if ops:
                return ops[0]
        return None

    def figure_country(self, fig: JobFigure, actor: str | None, gain: bool) -> str | None:
        nodes = self.G.nodes
        if fig.workplace and fig.workplace in self.G and nodes[fig.workplace]["country"]:
            return nodes[fig.workplace]["country"]
        for c in fig.attributed:
            if c in self.G and nodes[c]["country"]:
                return nodes[c]["country"]
        return nodes[actor]["country"] if actor and actor in self.G else None

    def jobs_at_risk(self, fig: JobFigure, actor: str | None) -> tuple[Interval, str] | None:
        """Jobs of one figure at risk, and the formula (empty when not explaining)."""
        H = fig.headcount
        say = self.explain
        reasons: list[tuple[Interval, str]] = []
        for c in fig.attributed:
            if c in self.lost:
                f = self.lost[c].fraction
                if f == ONE:
                    reasons.append(
                        (
                            H,
                            say
                            and f"all jobs attributed to the lost contract "
                            f"{self.label(c)} = {H.format()}",
                        )
                    )
                else:
                    v = (H * f).integral() if H.known else UNKNOWN
                    reasons.append(
                        (
                            v,
                            say
                            and f"jobs attributed to {self.label(c)} "
                            f"{H.format()} × fraction lost {_pct(f)} = "
                            f"{v.format()}",
                        )
                    )
        st = self.actors.get(actor) if actor else None
        if st is not None:
            thr = _pct(Interval.of(self.threshold)) if say else ""
            if st.status in ("closure risk", "stopped"):
                why = (
                    "the actor is stopped"
                    if st.status == "stopped"
                    else say
                    and f"closure risk (revenue share lost {_pct(st.loss)} ≥ threshold {thr})"
                )
                reasons.append((H, say and f"{why}: all its jobs = {H.format()}"))
            elif st.status == "possible closure":
                v = (
                    Interval(st.loss.low * H.low, H.high).integral()
                    if H.bounded
                    else (UNKNOWN if not H.known else Interval(st.loss.low * H.low, None))
                )
                reasons.append(
                    (
                        v,
                        say
                        and f"possible closure (revenue share lost "
                        f"{_pct(st.loss)} reaches the threshold {thr} only "
                        f"at its top): from pro rata {H.format()} × "
                        f"{_pct(Interval.of(st.loss.low))} to all "
                        f"{H.format()} = {v.format()}",
                    )
                )
            elif not fig.attributed:
                self.used.add("pro_rata")
                v = (H * st.loss).integral() if H.known else UNKNOWN
                reasons.append(
                    (v, say and f"jobs at risk = {H.format()} × {self._factors(st)} = {v.format()}")
                )
        if not reasons:
            return None
        if len(reasons) == 1:
            return reasons[0][0], reasons[0][1] or ""
        joined = "; ".join(r[1] for r in reasons) if say else ""
        if not H.known or any(not r[0].known for r in reasons):
            return UNKNOWN, say and joined + " → unknown"
        lo = max(r[0].low for r in reasons)
        highs = [r[0].high for r in reasons]
        hi = None if any(h is None for h in highs) else sum(highs)
        if H.high is not None:
            hi = H.high if hi is None else min(hi, H.high)
        v = Interval(lo, hi)
        return v, say and f"{joined} → the same jobs counted once: {v.format()}"

    def _factors(self, st: _Actor) -> str:
        if st.share_term and not st.contract_terms and not st.stopped:
            return " × ".join(_pct(v) for _, v in st.share_term.factors)
        return f"revenue share lost {_pct(st.loss)}"

    def rows(self) -> list[Row]:
        G = self.G
        workforces: set[str] = set()
        for a in self.actors:
            workforces.update(self.workforces_of(a))
        for c in self.lost:
            workforces.update(self.attributed_to(c))
        figures = job_figures(G, workforces)
        rows: list[Row] = []
        with_rows: set[str] = set()
        for fig in figures:
            actor = self.owner(fig)
            if actor is None:
                attributed = [c for c in fig.attributed if c in self.lost]
                actor = next(
                    (
                        p
                        for c in attributed
                        for _, p, d in sorted(G.out_edges(c, data=True))
                        if d["weight"]
                    ),
                    None,
                )
            got = self.jobs_at_risk(fig, actor)
            if got is None or actor is None:
                continue
            jobs, formula = got
            rows.append(self._row(actor, fig, jobs.integral(), formula))
            with_rows.add(actor)
        for a in sorted(set(self.actors) - with_rows):
            has_figures = bool(self.workforces_of(a))
            jobs = ZERO if has_figures else UNKNOWN
            formula = (
                "its job figures are attributed to contracts that are not lost"
                if has_figures
                else "no job figure for this actor in the data: unknown"
            )
            rows.append(self._row(a, None, jobs, formula))
        rows.extend(self.gain_rows())
        self._segments(rows)
        return sorted(rows, key=_rank)

    def _row(self, actor: str, fig: JobFigure | None, jobs: Interval, formula: str) -> Row:
        G = self.G
        st = self.actors.get(actor)
        depth = (
            st.depth
            if st
            else min(
                (self.lost[c].depth for c in (fig.attributed if fig else ()) if c in self.lost),
                default=1,
            )
        )
        chain = list(st.chain) if st else []
        if fig is not None:
            c = next((c for c in fig.attributed if c in self.lost), None)
            if not chain and c is not None:
                chain = list(self.lost[c].chain)
            w = fig.workforces[0]
            lost = [c for c in fig.attributed if c in self.lost]
            src = next(
                (u for u, _, k in sorted(G.in_edges(w, keys=True)) if u in (*lost, actor)), None
            )
            if src is not None:
                key = next(k for u, _, k in sorted(G.in_edges(w, keys=True)) if u == src)
                chain.append(self.step(src, w, key))
        site = fig.workplace if fig else None
        return Row(
            actor=actor,
            label=self.label(actor),
            kind=G.nodes[actor]["kind"],
            effect="loss",
            country=self.figure_country(fig, actor, False) if fig else G.nodes[actor]["country"],
            site=site,
            site_label=self.label(site) if site else None,
            revenue_share_lost=st.loss if st else None,
            jobs=jobs,
            depth=depth,
            status=st.status if st else "contract lost",
            formula=formula,
            revenue_formula=self.revenue_text(actor) if st else None,
            chain=chain,
            claims=fig.claims if fig else [],
            conflict=bool(fig and fig.conflict),
            claims_rule=fig.rule if fig else None,
            illustrative=bool(G.nodes[actor].get("illustrative")),
        )

    def gain_rows(self) -> list[Row]:
        G = self.G
        rows = []
        for c, st in sorted(self.gained.items()):
            providers = sorted(
                p
                for _, p, d in G.out_edges(c, data=True)
                if d["weight"] and ACTOR in self.classes(p)
            )
            figures = job_figures(G, self.attributed_to(c))
            for p in providers:
                chain = st.chain + [
                    self.step(c, p, next(k for _, v, k in G.out_edges(c, keys=True) if v == p))
                ]
                if not figures:
                    country = G.nodes[c]["country"] or G.nodes[p]["country"]
                    rows.append(
                        Row(
                            actor=p,
                            label=self.label(p),
                            kind=G.nodes[p]["kind"],
                            effect="gain",
                            country=country,
                            site=None,
                            site_label=None,
                            revenue_share_lost=None,
                            jobs=UNKNOWN,
                            depth=st.depth,
                            status="contract gained",
                            formula=f"jobs created by {self.label(c)}: no job figure given "
                            "(unknown, not zero)",
                            revenue_formula=None,
                            chain=chain,
                            illustrative=bool(G.nodes[p].get("illustrative")),
                        )
                    )
                for fig in figures:
                    w = fig.workforces[0]
                    country = (
                        (G.nodes[fig.workplace]["country"] if fig.workplace in G else None)
                        or G.nodes[c]["country"]
                        or G.nodes[p]["country"]
                    )
                    rows.append(
                        Row(
                            actor=p,
                            label=self.label(p),
                            kind=G.nodes[p]["kind"],
                            effect="gain",
                            country=country,
                            site=fig.workplace,
                            site_label=self.label(fig.workplace) if fig.workplace else None,
                            revenue_share_lost=None,
                            jobs=fig.headcount,
                            depth=st.depth,
                            status="contract gained",
                            formula=f"jobs created = jobs attributed to {self.label(c)}: "
                            f"{fig.headcount.format()} ({fig.rule})",
                            revenue_formula=None,
                            chain=chain
                            + [
                                self.step(
                                    c, w, next(k for _, v, k in G.out_edges(c, keys=True) if v == w)
                                )
                            ],
                            claims=fig.claims,
                            conflict=fig.conflict,
                            claims_rule=fig.rule,
                            illustrative=bool(G.nodes[p].get("illustrative")),
                        )
                    )
        return rows

    def _segments(self, rows: list[Row]) -> None:
        """Mark rows of sub-segments whose parent's row already counts their jobs."""
        known = {r.actor for r in rows if r.effect == "loss" and r.jobs.known}
        for r in rows:
            if r.effect != "loss":
                continue
            seen, frontier = set(), list(self.G.nodes[r.actor]["parents"])
            while frontier:
                p = frontier.pop(0)
                if p in seen:
                    continue
                seen.add(p)
                if p in known:
                    r.included_in = p
                    self.used.add("segments")
                    break
                if p in self.G:
                    frontier.extend(self.G.nodes[p]["parents"])

    def contracts(self) -> list[ContractImpact]:
        out = []
        for effect, table in (("loss", self.lost), ("gain", self.gained)):
            for c, st in sorted(table.items()):
                provider = next(
                    (p for _, p, d in sorted(self.G.out_edges(c, data=True)) if d["weight"]), None
                )
                client = next(
                    (
                        u
                        for u, _, k in sorted(self.G.in_edges(c, keys=True))
                        if ACTOR in self.classes(u)
                        and self.G.edges[u, c, k]["flow"] == "inbound"
                        and self.G.edges[u, c, k]["subject"] == c
                    ),
                    None,
                )
                out.append(
                    ContractImpact(
                        c, self.label(c), effect, st.fraction, provider, client, st.depth, st.chain
                    )
                )
        return out


def _rank(r: Row) -> tuple:
    j = r.jobs
    low = j.low if j.known and j.low is not None else 0
    high = (j.high if j.high is not None else float("inf")) if j.known else -1
    return (r.effect != "loss", -low, -SEVERITY.get(r.status, 0), -high, r.label, r.site or "")


def country_totals(rows: list[Row]) -> list[CountryTotal]:
    """Jobs lost and created per country, each job figure once (see docs/impact.md)."""
    lost: dict[str, list[Interval]] = {}
    created: dict[str, list[Interval]] = {}
    children_low: dict[str, Fraction] = {}
    for r in rows:
        if r.included_in and r.jobs.known and r.jobs.low is not None:
            children_low[r.included_in] = children_low.get(r.included_in, 0) + r.jobs.low
    for r in rows:
        if r.included_in:
            continue
        country = r.country or "unknown country"
        jobs = r.jobs
        if r.effect == "loss" and r.actor in children_low and jobs.known:
            jobs = jobs.floor_at(children_low.pop(r.actor))
        (lost if r.effect == "loss" else created).setdefault(country, []).append(jobs)
    out = []
    for country in sorted(set(lost) | set(created)):
        lo, n_lo = total(lost.get(country, []))
        cr, n_cr = total(created.get(country, []))
        out.append(CountryTotal(country, lo, cr, cr - lo, n_lo, n_cr))
    return out


def run_impact(
    kg: KnowledgeGraph,
    event: str,
    as_of: dt.date | str | None = None,
    threshold: float = 0.5,
    max_depth: int | None = None,
    lang: str = "en",
    projection: nx.MultiDiGraph | None = None,
    explain: bool = True,
) -> ImpactResult:
    """Propagate *event* (fact-file id, ``SOURCE/ID`` or IRI) through the store at *as_of*.

    *threshold* is the share of revenue (0..1) whose loss puts an actor at closure risk;
    *max_depth* bounds the cascade (1: only what the event hits directly). *projection* is the
    graph to use (default: the store's cached one); ``explain=False`` leaves formulas empty.
    Raises :class:`okg.analysis.impact.events.EventNotFound` for an unknown event.
    """
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    as_of = as_of or dt.date.today()
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if max_depth is not None and max_depth < 1:
        raise ValueError(f"max depth must be at least 1, got {max_depth}")
    G = projection if projection is not None else cached_projection(kg)
    is_event = event in G and EVENT in G.nodes[event]["classes"]
    iri = str(event) if is_event else resolve_event(kg, event)
    attrs = (
        G.nodes[iri]
        if iri in G
        else {"dates": {}, "labels": {}, "classes": frozenset(), "types": ()}
    )
    effective = []
    for _, v, d in G.out_edges(iri, data=True) if iri in G else ():
        if d["effect"] == "loss" and REGULATION in G.nodes[v]["classes"]:
            eff = G.nodes[v]["dates"].get("effectiveDate")
            if eff:
                effective.append(eff)
    dates = dict(attrs["dates"])
    if iri not in G:
        info = next(e for e in list_events(kg) if e.iri == iri)
        dates = info.dates
    timing = event_timing(dates, effective, as_of)
    run = _Run(G, iri, timing, threshold, max_depth, lang, explain)
    run.run()
    rows = run.rows()
    contracts = run.contracts()
    if any(c.claims and c.conflict for c in rows):
        run.used.add("claims")
    if any(r.illustrative for r in rows):
        run.note(
            "Some rows come from illustrative facts (made up to show the model), "
            "not from a cited source."
        )
    types = [t for t in attrs.get("types", ()) if t not in (EVENT, FACT)]
    result = ImpactResult(
        event=iri,
        event_label=run.label(iri) if iri in G else iri.rsplit("/", 1)[-1],
        event_types=types,
        as_of=as_of,
        timing=timing.status,
        measure=timing.measure,
        threshold=threshold,
        max_depth=max_depth,
        rows=rows,
        contracts=contracts,
        countries=country_totals(rows),
        assumptions=[text for key, text in ASSUMPTIONS.items() if key in run.used],
        notes=run.notes,
    )
    result.reached = len(reached_nodes(result))
    return result


def run_scenario(
    G: nx.MultiDiGraph,
    contracts: list[str] = (),
    actors: list[str] = (),
    threshold: float = 0.5,
    max_depth: int | None = None,
    lang: str = "en",
    explain: bool = True,
) -> tuple[list[Row], list[CountryTotal]]:
    """What if the *contracts* were lost and the *actors* stopped, with no dated event: the
    same rules as :func:`run_impact`, every contract counted as running. Returns the rows and
    the country totals; ``explain=False`` leaves the formulas empty (faster, for rankings).
    """
    run = _Run(
        G, None, Timing("what-if", "impact", (None, None)), threshold, max_depth, lang, explain
    )
    run.seed_scenario(list(contracts), list(actors))
    run.settle()
    rows = run.rows()
    return rows, country_totals(rows)
