"""Structural analysis of the whole graph: market concentration, single points of failure, and
the countries and sectors most exposed (rules in docs/impact.md, "okg analyze").

>>> from okg.store import KnowledgeGraph
>>> from okg.terms.resources import data_dir
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
>>> a = analyze(kg, as_of="2026-09-01")
>>> [c.hhi.format() for c in a.concentration if c.actor.endswith("ma-cc-smes-single-activity")]
['1']
>>> [f.label for f in a.segments][:1]
['Moroccan export-oriented call centres']
>>> any(f.illustrative for f in a.failures)  # the automotive example is left out by default
False
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

import networkx as nx
from okg.analysis.impact import list_events, run_impact
from okg.analysis.impact.propagate import run_scenario
from okg.analysis.impact.result import CountryTotal, Row, plain
from okg.analysis.impact.timing import active_in
from okg.analysis.projection import cached_projection, for_answers
from okg.figures.intervals import UNIT, ZERO, Interval, combine_claims, total
from okg.store import KnowledgeGraph
from okg.terms.labels import label as pick_label
from okg.terms.namespaces import OKG

CONTRACT = str(OKG.Contract)
ACTOR = str(OKG.EconomicActor)
MARKET = str(OKG.Market)
SERVES_MARKET = str(OKG.servesMarket)
ON_MARKET = str(OKG.onMarket)
SEGMENT = str(OKG.IndustrySegment)

Window = tuple[dt.date | None, dt.date | None]
EVER: Window = (None, None)
"""No date given: every contract counts as running."""


def _running(G: nx.MultiDiGraph, fact: str, window: Window) -> bool:
    """A contract (or any dated fact) runs in *window*: impact's rule (``timing.active_in``)."""
    return active_in(G.nodes[fact]["dates"], window)


@dataclass
class MarketShare:
    market: str
    label: str
    share: Interval
    basis: str


@dataclass
class Concentration:
    """An actor's Herfindahl index over the markets its turnover comes from (0..1)."""

    actor: str
    label: str
    country: str | None
    hhi: Interval
    markets: list[MarketShare]
    note: str
    segment: bool = False
    illustrative: bool = False


@dataclass
class FailurePoint:
    """What losing one contract, or one actor stopping, puts at risk."""

    kind: str
    node: str
    label: str
    jobs: Interval
    unknown_terms: int
    actors_hit: int
    countries: list[str]
    segment: bool = False
    illustrative: bool = False


@dataclass
class Exposure:
    """The worst single scenario (event in the store, or single failure) for a country/sector."""

    name: str
    worst_event: str | None
    worst_event_jobs: Interval
    worst_failure: str | None
    worst_failure_jobs: Interval
    scenarios: int


@dataclass
class Analysis:
    concentration: list[Concentration]
    failures: list[FailurePoint]
    countries: list[Exposure]
    sectors: list[Exposure]
    assumptions: list[str] = field(default_factory=list)
    segments: list[FailurePoint] = field(default_factory=list)
    """Whole industry segments stopping, ranked apart: a segment is many firms, never a single
    point of failure."""
    as_of: dt.date | None = None
    include_illustrative: bool = False

    def to_dict(self) -> dict:
        return plain(self)  # type: ignore[return-value]


def _label(G: nx.MultiDiGraph, n: str, lang: str) -> str:
    return pick_label(G.nodes[n]["labels"] if n in G else {}, n, lang)


def _share(G: nx.MultiDiGraph, node: str, prop: str) -> Interval:
    value = combine_claims(c.value for c in G.nodes[node]["quantities"].get(prop, []))
    return value.percent() if value.known else UNIT


def herfindahl(shares: list[Interval]) -> Interval:
    """Bounds of the Herfindahl index Σ sᵢ² of market shares given as intervals (fractions).

    The low end is Σ lowᵢ² (the unnamed rest of the turnover spread thinly); the high end is
    Σ highᵢ² plus the square of the rest not accounted for by the lows (the rest all in one
    market), capped at 1.

    >>> herfindahl([Interval.of(1)]).format()
    '1'
    >>> herfindahl([Interval.of("0.5"), Interval.of("0.5")]).format()
    '0.5'
    """
    lo = sum((s.low * s.low for s in shares), Fraction(0))
    rest = max(Fraction(0), 1 - sum((s.low for s in shares), Fraction(0)))
    hi = sum((s.high * s.high for s in shares), Fraction(0)) + rest * rest
    return Interval(lo, min(Fraction(1), hi))


def market_concentration(
    G: nx.MultiDiGraph, lang: str = "en", window: Window = EVER
) -> list[Concentration]:
    """Each actor's concentration on its client markets, most concentrated first.

    Market shares come from the actor's MarketDependency facts; a market it serves only through
    contracts (``okg:servesMarket``) gets the sum of those contracts' revenue shares (unknown:
    0..100%). A contract serving several markets gives each of them 0..its share (no even split
    is assumed). Only facts running in *window* count (a contract ended before it does not).
    """
    per_actor: dict[str, dict[str, tuple[list[Interval], str]]] = {}
    for a in G:
        if ACTOR not in G.nodes[a]["classes"]:
            continue
        markets: dict[str, tuple[list[Interval], str]] = {}
        for f, _, d in G.in_edges(a, data=True):
            if d["weight"] is None or not _running(G, f, window):
                continue
            fact_markets = sorted(
                m for m, _, k in G.in_edges(f, keys=True) if k in (ON_MARKET, SERVES_MARKET)
            )
            if not fact_markets:
                continue
            share = _share(G, f, d["weight"])
            if len(fact_markets) > 1:
                share = Interval(ZERO.low, share.high)
            is_dependency = CONTRACT not in G.nodes[f]["classes"]
            for m in fact_markets:
                shares, basis = markets.get(m, ([], ""))
                if is_dependency and basis != "market dependency":
                    shares, basis = [], "market dependency"
                elif not is_dependency and basis == "market dependency":
                    continue
                else:
                    basis = basis or "contracts"
                markets[m] = (shares + [share], basis)
        if markets:
            per_actor[a] = markets
    out = []
    for a, markets in per_actor.items():
        entries = []
        for m, (shares, basis) in sorted(markets.items()):
            if basis == "market dependency":
                value = combine_claims(shares)
            else:
                value, _ = total(shares)
                value = value.cap(1)
            entries.append(MarketShare(m, _label(G, m, lang), value, basis))
        hhi = herfindahl([e.share for e in entries])
        note = (
            "shares of turnover by market; markets not in the data may take the rest"
            if sum(e.share.low for e in entries) < 1
            else "shares of turnover by market"
        )
        node = G.nodes[a]
        out.append(
            Concentration(
                a,
                _label(G, a, lang),
                node["country"],
                hhi,
                entries,
                note,
                segment=SEGMENT in node["classes"],
                illustrative=bool(node.get("illustrative")),
            )
        )
    return sorted(out, key=lambda c: (-c.hhi.low, -c.hhi.high, c.label))


def _lost_jobs(countries: list[CountryTotal]) -> tuple[Interval, int]:
    value, _ = total(c.lost for c in countries)
    return value, sum(c.lost_unknown_terms for c in countries)


def _rank_jobs(jobs: Interval) -> tuple:
    if not jobs.known:
        return (0, 0)
    return (-(jobs.low or 0), -(jobs.high if jobs.high is not None else float("inf")))


def _failures(
    G: nx.MultiDiGraph,
    threshold: float,
    max_depth: int | None,
    lang: str,
    window: Window = EVER,
    figure_range: str = "envelope",
) -> list[tuple[FailurePoint, list[Row]]]:
    out = []
    for n in sorted(G):
        cls = G.nodes[n]["classes"]
        if CONTRACT in cls:
            if not _running(G, n, window):
                continue  # ended before (or starts after) the date: nothing left to lose
            kind, seeds = "contract", {"contracts": [n]}
        elif ACTOR in cls:
            kind, seeds = ("segment" if SEGMENT in cls else "actor"), {"actors": [n]}
        else:
            continue
        rows, countries = run_scenario(
            G,
            **seeds,
            threshold=threshold,
            max_depth=max_depth,
            lang=lang,
            explain=False,
            window=window,
            figure_range=figure_range,
        )
        jobs, unknown = _lost_jobs(countries)
        hit = {r.actor for r in rows if r.effect == "loss"}
        out.append(
            (
                FailurePoint(
                    kind,
                    n,
                    _label(G, n, lang),
                    jobs,
                    unknown,
                    len(hit),
                    sorted({c.country for c in countries}),
                    segment=kind == "segment",
                    illustrative=bool(G.nodes[n].get("illustrative"))
                    or any(r.illustrative for r in rows),
                ),
                rows,
            )
        )
    return sorted(
        out, key=lambda fr: (*_rank_jobs(fr[0].jobs), -fr[0].actors_hit, fr[0].label, fr[0].node)
    )


def single_points_of_failure(
    G: nx.MultiDiGraph, threshold: float = 0.5, max_depth: int | None = None, lang: str = "en"
) -> list[FailurePoint]:
    """Losing each contract, and each firm stopping, one at a time: ranked by jobs lost.
    Industry segments are left out (see :func:`analyze`'s ``segments``)."""
    return [f for f, _ in _failures(G, threshold, max_depth, lang) if not f.segment]


def _by(rows: list[Row], G: nx.MultiDiGraph, what: str) -> dict[str, Interval]:
    groups: dict[str, list[Interval]] = {}
    for r in rows:
        if r.effect != "loss" or r.included_in:
            continue
        key = (
            r.country
            if what == "country"
            else (G.nodes[r.actor]["sector"] if r.actor in G else None)
        )
        groups.setdefault(key or f"unknown {what}", []).append(r.jobs)
    return {k: total(v)[0] for k, v in groups.items()}


def _worse(a: Interval, b: Interval | None) -> bool:
    return b is None or _rank_jobs(a) < _rank_jobs(b)


def exposure(
    G: nx.MultiDiGraph, scenarios: list[tuple[str, str, list[Row]]], what: str
) -> list[Exposure]:
    """Per country (or NACE sector), the worst event and the worst single failure."""
    table: dict[str, dict] = {}
    for kind, name, rows in scenarios:
        for key, jobs in _by(rows, G, what).items():
            e = table.setdefault(key, {"event": (None, None), "failure": (None, None), "n": 0})
            e["n"] += 1
            slot = "event" if kind == "event" else "failure"
            if _worse(jobs, e[slot][1]):
                e[slot] = (name, jobs)
    out = [
        Exposure(
            k,
            v["event"][0],
            v["event"][1] or ZERO,
            v["failure"][0],
            v["failure"][1] or ZERO,
            v["n"],
        )
        for k, v in table.items()
    ]
    return sorted(
        out,
        key=lambda e: (*_rank_jobs(e.worst_event_jobs), *_rank_jobs(e.worst_failure_jobs), e.name),
    )


def analyze(
    kg: KnowledgeGraph,
    threshold: float = 0.5,
    max_depth: int | None = None,
    lang: str = "en",
    as_of: dt.date | str | None = None,
    include_illustrative: bool = False,
    figure_range: str = "envelope",
) -> Analysis:
    """Concentration, single points of failure and exposure for the whole store.

    With *as_of*, only contracts running that day count (in concentration, as failure points
    and in every cascade: the same rule as impact's); without it, every contract counts. Facts
    marked illustrative are left out unless *include_illustrative* (then rows on them are
    marked). Industry segments are ranked apart from firms and contracts (``segments``).
    *figure_range* is the range of a job figure made of several claims that propagates
    (``envelope`` or ``consistent``, as in :func:`okg.analysis.impact.run_impact`).
    """
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    window: Window = (as_of, as_of) if as_of is not None else EVER
    full = cached_projection(kg)
    G = for_answers(full, include_illustrative)
    concentration = market_concentration(G, lang, window)
    found = _failures(G, threshold, max_depth, lang, window, figure_range)
    failures = [fr for fr in found if not fr[0].segment]
    segments = [fr[0] for fr in found if fr[0].segment]
    scenarios: list[tuple[str, str, list[Row]]] = []
    for e in list_events(kg):
        if e.iri in full and e.iri not in G:
            continue  # an illustrative event, not asked for
        r = run_impact(
            kg,
            e.iri,
            as_of=as_of,
            threshold=threshold,
            max_depth=max_depth,
            lang=lang,
            projection=G,
            explain=False,
            include_illustrative=True,  # G is already the graph to answer from
            figure_range=figure_range,
        )
        scenarios.append(("event", e.label(lang), r.rows))
    scenarios += [("failure", f.label, rows) for f, rows in failures]
    return Analysis(
        concentration=concentration,
        failures=[f for f, _ in failures],
        segments=segments,
        as_of=as_of,
        include_illustrative=include_illustrative,
        countries=exposure(G, scenarios, "country"),
        sectors=exposure(G, scenarios, "sector"),
        assumptions=[
            "Herfindahl index over the markets an actor's turnover comes from (0 = spread, "
            "1 = one market); MarketDependency shares are used where given, else the revenue "
            "shares of the contracts serving each market (unknown = 0–100%).",
            "Single points of failure: each contract lost, and each firm stopped, one at a "
            "time, through the same rules as okg impact; "
            + (
                f"only contracts running on {as_of} count (as points and in every cascade)."
                if as_of is not None
                else "every contract counted as running (give --as-of to date them)."
            ),
            "Industry segments (many firms counted together) are never single points of "
            "failure: a segment stopping as a whole is ranked apart, under Segments.",
            (
                "Facts marked illustrative (made up to show the model) are included and marked."
                if include_illustrative
                else "Facts marked illustrative (made up to show the model) are left out; "
                "--include-illustrative adds them, marked."
            ),
            "Exposure of a country or sector: the largest jobs at risk of any one event in "
            "the store and of any one single failure (scenarios are not added up, so no job is "
            "counted twice).",
        ],
    )
