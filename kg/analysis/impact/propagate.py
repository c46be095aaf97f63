"""Propagate one event's impact through the projection (rules in docs/impact.md).

The engine is generic: what happens at a node is decided by the rule registered for the
node's class (and the effect that reaches it) in :mod:`okg.analysis.impact.rules`, most
specific class first; nothing here branches on ontology classes or effects. A run starts with
the event's own rule (event seeding), applies the rules of what it hits, then visits queued
actors (the cascade) until nothing changes, and finally builds the rows.

The propagation is a monotone fixed point: contracts lost only get more lost, actors' revenue
losses only grow, statuses only escalate, depths only shrink. Whatever order nodes are visited
in, it ends in the same state; explanation chains are chosen by (depth, chain) so they too do
not depend on the order. Only the nodes the event reaches are visited.

>>> from okg.store import KnowledgeGraph
>>> from okg.terms.resources import data_dir
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
>>> run_impact(kg, "eurocar-plant-stoppage", as_of="2026-03-10")  # a made-up example
Traceback (most recent call last):
...
okg.analysis.impact.propagate.IllustrativeEvent: the event 'Eurocar stops its assembly plant for four weeks' rests on illustrative facts (made up to show the model, not from a source); pass --include-illustrative to trace it
>>> r = run_impact(kg, "eurocar-plant-stoppage", as_of="2026-03-10", include_illustrative=True)
>>> sorted({str(row.status) for row in r.rows if row.effect == "loss"})
['closure risk', 'exposed', 'stopped']
"""

from __future__ import annotations

import datetime as dt
import heapq
import weakref
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
from okg.analysis.impact.rules import REGISTRY, Registry
from okg.analysis.impact.rules.event_seeding import EventSeeding
from okg.analysis.impact.rules.records import ActorState, ContractState, Hit, Reason, pct
from okg.analysis.impact.source_claims import source_claims
from okg.analysis.impact.status import SEVERITY, Status
from okg.analysis.impact.timing import Timing, event_timing
from okg.analysis.projection import cached_projection, for_answers
from okg.figures.intervals import ONE, UNIT, UNKNOWN, ZERO, Interval, combine_claims, total
from okg.store import KnowledgeGraph
from okg.terms.labels import label as pick_label
from okg.terms.namespaces import OKG, OKGD

WORKFORCE = str(OKG.Workforce)
SITE = str(OKG.Site)
ACTOR = str(OKG.EconomicActor)
EVENT = str(OKG.Event)
FACT = str(OKG.Fact)
SITE_OF = str(OKG.siteOf)
LOSS = str(OKG.Loss)
INFERRED = str(OKG.Inferred)

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
    "claims": "Claims about the same figure that differ are read two ways: the consistent "
    "range (their intersection: what holds if every source is right) and the envelope (their "
    "hull; an open upper side does not widen the maximum set by bounded claims); a permanent + "
    "temporary breakdown counts as one more claim for the total. Claims with no common value "
    "conflict. The envelope feeds propagation unless --range consistent is given (a conflict "
    "keeps its envelope).",
}


_MEMOS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _memo(G: nx.MultiDiGraph, lang: str) -> dict[str, dict]:
    """What runs on *G* can share: node labels in *lang* and each actor's workforces (pure
    functions of the graph). Shared between runs for a cached projection (``fingerprint`` set:
    never changed once built, e.g. the thousands of what-ifs of ``okg analyze``); a graph built
    by hand, which may still change, gets a fresh memo per run."""
    fresh = {"label": {}, "workforces": {}, "words": {}}
    if "fingerprint" not in G.graph:
        return fresh
    per_graph = _MEMOS.setdefault(G, {})
    return per_graph.setdefault(lang, fresh)


class Propagation:
    """The state of one run and the services rules use (labels, steps, shares, notes, queue).

    Rules read and write ``lost``/``gained`` (contract IRI -> :class:`ContractState`),
    ``actors`` (IRI -> :class:`ActorState`), ``notes`` and ``used`` (assumption keys), and
    pass impact on with :meth:`hit` (a node hit with an effect) and :meth:`push` (a node
    queued for its own rule).
    """

    def __init__(
        self,
        G: nx.MultiDiGraph,
        event: str | None,
        timing: Timing,
        threshold: float,
        max_depth: int | None,
        lang: str,
        explain: bool = True,
        rules: Registry | None = None,
        figure_range: str = "envelope",
    ):
        self.G = G
        self.figure_range = figure_range
        self.explain = explain
        self.event = event
        self.timing = timing
        self.threshold = Fraction(str(threshold))
        self.max_depth = max_depth
        self.lang = lang
        self.rules = rules if rules is not None else REGISTRY
        self.rules.verify()
        self.lost: dict[str, ContractState] = {}
        self.gained: dict[str, ContractState] = {}
        self.actors: dict[str, ActorState] = {}
        self.queue: list[tuple[int, str]] = []
        self.notes: list[str] = []
        self._noted: set[str] = set()  # the notes, for an O(1) "already said"
        self.used: set[str] = set()
        self._revenue_texts: dict[str, str | None] = {}
        self._nodes = G._node  # node -> attributes (a filtered mapping on a view): no view per call
        self._succ = G._succ  # u -> v -> key -> attributes (filtered likewise on a view)
        self._memo = _memo(G, lang)

    # -- services for rules ------------------------------------------------------------------
    def label(self, n: str) -> str:
        labels = self._memo["label"]
        found = labels.get(n)
        if found is None:
            a = self._nodes[n] if n in self._nodes else None
            found = labels[n] = pick_label(a["labels"] if a is not None else {}, n, self.lang)
        return found

    def classes(self, n: str) -> frozenset:
        a = self._nodes[n] if n in self._nodes else None
        return a["classes"] if a is not None else frozenset()

    def step(self, u: str, v: str, key: str) -> Step:
        d = self._succ[u][v][key]  # G.edges[u, v, key] without a view per call
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
            subject=d.get("subject"),
            relation_label=self.term_label(key),
            **self._fact_words(d["fact"], d.get("subject"), d.get("object")),
        )

    def term_label(self, iri: str | None) -> str | None:
        """The ontology's label of a class or relation, in the run's language."""
        labels = self.G.graph.get("term_labels", {}).get(iri) if iri else None
        return pick_label(labels, iri, self.lang) if labels else None

    def _fact_words(self, fact: str | None, subject: str | None, obj: str | None) -> dict:
        """:meth:`fact_words`, worked out once per fact (the result is only read)."""
        memo = self._memo["words"]
        found = memo.get((fact, subject, obj))
        if found is None:
            found = memo[fact, subject, obj] = self.fact_words(fact, subject, obj)
        return found

    def fact_words(self, fact: str | None, subject: str | None, obj: str | None) -> dict:
        """What a step's sentence says of the fact it rests on (the n-ary fact node, else the
        subject): class label, figure as stated, the actor it is about, claimant, basis."""
        node = fact or subject
        a = self.G.nodes[node] if node in self.G else {}
        out: dict = {}
        claimants = a.get("claimants") or {}
        if claimants:
            who = sorted(claimants)[0]
            out["claimant"] = who
            out["claimant_label"] = pick_label(claimants[who], who, self.lang)
        if a.get("basis") == INFERRED:
            out["inferred"] = True
            out["basis_reason"] = a.get("basis_reason")
        if fact is None or fact not in self.G or self.G.nodes[fact]["labels"]:
            return out  # a labelled fact (an event, a regulation) is named by its label
        out["fact_kind_label"] = self.term_label(a.get("kind"))
        stated = [c.stated for cs in a.get("quantities", {}).values() for c in cs if c.stated]
        out["fact_figure"] = "; ".join(dict.fromkeys(stated)) or None
        ends = {y for _, y in self.G.out_edges(fact)} | {x for x, _ in self.G.in_edges(fact)}
        holders = sorted(n for n in ends if ACTOR in self.G.nodes[n]["classes"])
        if holders:
            out["fact_holder_label"] = self.label(holders[0])
        return out

    def mark_inferred(self, rows: list[Row]) -> list[str]:
        """Mark each row resting on an inferred fact (a step of its chain, or a claim behind
        its figure); return one assumption line per inferred fact used."""
        lines: dict[str, str] = {}
        for r in rows:
            for c in r.claims:
                who = self.fact_words(None, c.fact, None).get("claimant_label")
                if who:
                    r.claimants[c.fact] = who
            facts = [(s.fact or s.subject) for s in r.chain] + [c.fact for c in r.claims]
            for f in dict.fromkeys(x for x in facts if x):
                a = self.G.nodes[f] if f in self.G else {}
                if a.get("basis") != INFERRED:
                    continue
                w = self.fact_words(f, f, None) if f in self.G else {}
                what = w.get("fact_kind_label") or self.label(f)
                if w.get("fact_holder_label"):
                    what = f"{what} of {w['fact_holder_label']}"
                if w.get("fact_figure"):
                    what = f"{what}: {w['fact_figure']}"
                reason = a.get("basis_reason")
                r.inferred = True
                r.inferences.append({"fact": f, "label": what, "reason": reason})
                lines[f] = f"Inferred by the analyst: {what}" + (
                    f" — reason: {reason}" if reason else ""
                )
        return list(lines.values())

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
        if text not in self._noted:
            self._noted.add(text)
            self.notes.append(text)

    def actor(self, a: str) -> ActorState:
        return self.actors.setdefault(a, ActorState())

    def push(self, node: str, depth: int) -> None:
        """Queue *node* to be visited by its node rule (shallowest first)."""
        heapq.heappush(self.queue, (depth, node))

    def hit(self, node: str, effect: str, hit: Hit) -> bool:
        """Apply the rule registered for *node*'s class and *effect*; False when none is."""
        found = self.rules.lookup(self.classes(node), effect)
        if found is None:
            return False
        found.hit(self, node, hit)
        return True

    def visit(self, node: str, depth: int) -> bool:
        """Apply *node*'s own rule (its node rule); False when none is registered."""
        found = self.rules.lookup(self.classes(node))
        if found is None:
            return False
        found.visit(self, node, depth)
        return True

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> None:
        if self.event is not None:
            if self.event not in self.G:
                self.note(
                    "The event has no relation that carries impact (okg:impactFlow): "
                    "nothing to propagate."
                )
            elif not self.visit(self.event, 0):
                self.note(f"{self.label(self.event)}: no rule for this kind of event.")
        self.settle()

    def seed_scenario(self, contracts: list[str], actors: list[str]) -> None:
        """Seed a what-if: the *contracts* are lost outright and the *actors* stop."""
        for c in sorted(contracts):
            if not self.hit(c, LOSS, Hit(ONE, 1, [], explicit=True)):
                self.note(f"{self.label(c)}: a loss of this kind of thing has no rule.")
        for a in sorted(actors):
            stop = Hit(ONE, 1, [], explicit=True, reason="assumed to stop (what-if)")
            if not self.hit(a, LOSS, stop):
                self.note(f"{self.label(a)}: a loss of this kind of thing has no rule.")

    def settle(self) -> None:
        """Visit queued nodes, shallowest first, until the fixed point."""
        while self.queue:
            depth, node = heapq.heappop(self.queue)
            self.visit(node, depth)

    # -- results -----------------------------------------------------------------------------
    def revenue_text(self, a: str) -> str | None:
        """The revenue-loss formula of actor *a*, built once (None when not explaining)."""
        if not self.explain:
            return None
        cache = self._revenue_texts
        if a not in cache:
            _, text = self.actors[a].revenue_loss(self.used, True)
            cache[a] = text or None
        return cache[a]

    def workforces_of(self, a: str) -> list[str]:
        """Workforce nodes of an actor: as employer, or at its sites."""
        memo = self._memo["workforces"]
        found = memo.get(a)
        if found is None:
            found = memo[a] = self._workforces_of(a)
        return found

    def _workforces_of(self, a: str) -> list[str]:
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
        h_text = _Text(H.format) if say else ""  # the headcount as text, made once if needed
        reasons: list[Reason] = []
        for c in fig.attributed:
            if c in self.lost:
                f = self.lost[c].fraction
                if f == ONE:
                    reasons.append(
                        Reason(
                            H,
                            say
                            and f"all jobs attributed to the lost contract "
                            f"{self.label(c)} = {h_text}",
                        )
                    )
                else:
                    v = (H * f).integral() if H.known else UNKNOWN
                    reasons.append(
                        Reason(
                            v,
                            say
                            and f"jobs attributed to {self.label(c)} "
                            f"{h_text} × fraction lost {pct(f)} = "
                            f"{v.format()}",
                        )
                    )
        st = self.actors.get(actor) if actor else None
        if st is not None:
            thr = self._threshold_text() if say else ""
            if st.status in (Status.CLOSURE_RISK, Status.STOPPED):
                why = (
                    "the actor is stopped"
                    if st.status == Status.STOPPED
                    else say
                    and f"closure risk (revenue share lost {pct(st.loss)} ≥ threshold {thr})"
                )
                reasons.append(Reason(H, say and f"{why}: all its jobs = {h_text}"))
            elif st.status == Status.POSSIBLE_CLOSURE:
                v = (
                    Interval(st.loss.low * H.low, H.high).integral()
                    if H.bounded
                    else (UNKNOWN if not H.known else Interval(st.loss.low * H.low, None))
                )
                reasons.append(
                    Reason(
                        v,
                        say
                        and f"possible closure (revenue share lost "
                        f"{pct(st.loss)} reaches the threshold {thr} only "
                        f"at its top): from pro rata {h_text} × "
                        f"{pct(Interval.of(st.loss.low))} to all "
                        f"{h_text} = {v.format()}",
                    )
                )
            elif not fig.attributed:
                self.used.add("pro_rata")
                v = (H * st.loss).integral() if H.known else UNKNOWN
                reasons.append(
                    Reason(
                        v,
                        say and f"jobs at risk = {h_text} × {self._factors(st)} = {v.format()}",
                    )
                )
        if not reasons:
            return None
        if len(reasons) == 1:
            return reasons[0].jobs, reasons[0].text or ""
        joined = "; ".join(r.text for r in reasons) if say else ""
        if not H.known or any(not r.jobs.known for r in reasons):
            return UNKNOWN, say and joined + " → unknown"
        lo = max(r.jobs.low for r in reasons)
        highs = [r.jobs.high for r in reasons]
        hi = None if any(h is None for h in highs) else sum(highs)
        if H.high is not None:
            hi = H.high if hi is None else min(hi, H.high)
        v = Interval(lo, hi)
        return v, say and f"{joined} → the same jobs counted once: {v.format()}"

    def _threshold_text(self) -> str:
        text = self.__dict__.get("_thr_text")
        if text is None:
            text = self._thr_text = pct(Interval.of(self.threshold))
        return text

    def _factors(self, st: ActorState) -> str:
        if st.share_term and not st.contract_terms and not st.stopped:
            return " × ".join(pct(f.value) for f in st.share_term.factors)
        return f"revenue share lost {pct(st.loss)}"

    def rows(self) -> list[Row]:
        G = self.G
        workforces: set[str] = set()
        for a in self.actors:
            workforces.update(self.workforces_of(a))
        for c in self.lost:
            workforces.update(self.attributed_to(c))
        figures = job_figures(G, workforces, self.figure_range)
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
                        for _, p, d in sorted(iter(G.out_edges(c, data=True)))
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
        for found in self.rules.rules():
            rows.extend(found.rows(self))
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
            into = sorted(iter(G.in_edges(w, keys=True)))
            src = next((u for u, _, k in into if u in (*lost, actor)), None)
            if src is not None:
                key = next(k for u, _, k in into if u == src)
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
            status=st.status if st else Status.CONTRACT_LOST,
            formula=formula,
            revenue_formula=self.revenue_text(actor) if st else None,
            chain=chain,
            claims=fig.claims if fig else [],
            conflict=bool(fig and fig.conflict),
            claims_rule=fig.rule if fig else None,
            ranges=fig.ranges if fig and fig.ranges and fig.ranges.shown else None,
            range_used=fig.range_used if fig else self.figure_range,
            illustrative=bool(G.nodes[actor].get("illustrative")),
        )

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
                    (p for _, p, d in sorted(iter(self.G.out_edges(c, data=True))) if d["weight"]),
                    None,
                )
                client = next(
                    (
                        u
                        for u, _, k in sorted(iter(self.G.in_edges(c, keys=True)))
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


class _Text:
    """A text made on first use, then reused (an f-string formats it with ``{x}``)."""

    __slots__ = ("_make", "_text")

    def __init__(self, make):
        self._make, self._text = make, None

    def __format__(self, spec: str) -> str:
        if self._text is None:
            self._text = self._make()
        return format(self._text, spec)


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


class IllustrativeEvent(ValueError):
    """The event rests on illustrative facts and they were not asked for."""


def _event_in(G: nx.MultiDiGraph, text: str) -> str | None:
    """The event *text* names when the projection alone can tell: its IRI, or ``SOURCE/ID``
    (an IRI is unique, so no other event can match the same text); else None, and
    :func:`resolve_event` asks the store (ids without their source, errors with hints)."""
    text = text.strip()
    for iri in (text, str(OKGD) + text):
        if iri in G and EVENT in G.nodes[iri]["classes"]:
            return iri
    return None


def run_impact(
    kg: KnowledgeGraph,
    event: str,
    as_of: dt.date | str | None = None,
    threshold: float = 0.5,
    max_depth: int | None = None,
    lang: str = "en",
    projection: nx.MultiDiGraph | None = None,
    explain: bool = True,
    rules: Registry | None = None,
    include_illustrative: bool = False,
    figure_range: str = "envelope",
) -> ImpactResult:
    """Propagate *event* (fact-file id, ``SOURCE/ID`` or IRI) through the store at *as_of*.

    *threshold* is the share of revenue (0..1) whose loss puts an actor at closure risk;
    *max_depth* bounds the cascade (1: only what the event hits directly). *projection* is the
    graph to use (default: the store's cached one); ``explain=False`` leaves formulas empty;
    *rules* is the rule registry (default: :data:`okg.analysis.impact.rules.REGISTRY`).
    *figure_range* is the range of a job figure made of several claims that propagates:
    ``envelope`` (their hull, the default) or ``consistent`` (their intersection; a figure whose
    claims conflict keeps its envelope), see docs/impact.md.
    Raises :class:`okg.analysis.impact.events.EventNotFound` for an unknown event.
    Illustrative nodes and edges are left out unless *include_illustrative* (then rows on them
    are marked); an illustrative event then raises :class:`IllustrativeEvent`.
    """
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    as_of = as_of or dt.date.today()
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], got {threshold}")
    if max_depth is not None and max_depth < 1:
        raise ValueError(f"max depth must be at least 1, got {max_depth}")
    full = projection if projection is not None else cached_projection(kg)
    iri = _event_in(full, str(event)) or resolve_event(kg, event)
    G = for_answers(full, include_illustrative)
    if iri in full and iri not in G:
        name = pick_label(full.nodes[iri]["labels"], iri, lang)
        raise IllustrativeEvent(
            f"the event '{name}' rests on illustrative facts (made up to show the model, not from a "
            "source); pass --include-illustrative to trace it"
        )
    attrs = (
        G.nodes[iri]
        if iri in G
        else {"dates": {}, "labels": {}, "classes": frozenset(), "types": ()}
    )
    rules = rules if rules is not None else REGISTRY
    effective = EventSeeding.effective_dates(rules, G, iri) if iri in G else []
    dates = dict(attrs["dates"])
    if iri not in G:
        info = next(e for e in list_events(kg) if e.iri == iri)
        dates = info.dates
    timing = event_timing(dates, effective, as_of)
    run = Propagation(G, iri, timing, threshold, max_depth, lang, explain, rules, figure_range)
    run.run()
    rows = run.rows()
    inferred = run.mark_inferred(rows)
    contracts = run.contracts()
    if any(c.claims and (c.conflict or c.ranges is not None) for c in rows):
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
        assumptions=[text for key, text in ASSUMPTIONS.items() if key in run.used] + inferred,
        notes=run.notes,
    )
    result.reached = len(reached_nodes(result))
    result.source_claims = source_claims(kg, iri, rows, lang) if kg is not None else []
    return result


def run_scenario(
    G: nx.MultiDiGraph,
    contracts: list[str] = (),
    actors: list[str] = (),
    threshold: float = 0.5,
    max_depth: int | None = None,
    lang: str = "en",
    explain: bool = True,
    rules: Registry | None = None,
    include_illustrative: bool = True,
    window: tuple[dt.date | None, dt.date | None] = (None, None),
    figure_range: str = "envelope",
) -> tuple[list[Row], list[CountryTotal]]:
    """What if the *contracts* were lost and the *actors* stopped, with no dated event: the
    same rules as :func:`run_impact`, every contract counted as running. Returns the rows and
    the country totals; ``explain=False`` leaves the formulas empty (faster, for rankings).
    *window* (first day, last day) limits the contracts the cascade reaches to those running in
    it (``okg analyze --as-of D`` passes (D, D)); the seeds themselves are always hit.
    """
    G = for_answers(G, include_illustrative)
    what_if = Timing("what-if", "impact", window)
    run = Propagation(G, None, what_if, threshold, max_depth, lang, explain, rules, figure_range)
    run.seed_scenario(list(contracts), list(actors))
    run.settle()
    rows = run.rows()
    if explain:
        run.mark_inferred(rows)
    return rows, country_totals(rows)
