"""The plain data an impact run returns: rows, contracts, country totals, explanations.

Every interval is a :class:`okg.figures.intervals.Interval`; ``to_dict()`` turns the whole result into
JSON-ready data (intervals as ``{"known", "low", "high", "point", "text"}``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from okg.analysis.impact.status import Status
from okg.figures.claims import Claim, FigureRanges
from okg.figures.intervals import Interval

if TYPE_CHECKING:
    from okg.analysis.impact.source_claims import SourceClaimComparison


def plain(value: object) -> object:
    """JSON-ready form of a result value (dataclasses, intervals, dates, lists, dicts)."""
    if isinstance(value, Interval):
        d = value.to_dict()
        d["text"] = value.format()
        return d
    if isinstance(value, ClaimInfo):
        return value.to_plain()
    if isinstance(value, Fraction):
        return int(value) if value.denominator == 1 else float(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


@dataclass
class Step:
    """One edge of an explanation chain, in the direction impact travels, with its evidence."""

    start: str
    end: str
    start_label: str
    end_label: str
    relation: str
    predicate: str
    source: str | None
    source_title: str | None
    quotes: list[str]
    fact: str | None = None
    subject: str | None = None
    """The stored triple's subject (``start`` or ``end``): sentences read the stored direction."""
    relation_label: str | None = None
    fact_kind_label: str | None = None
    """For a step through an n-ary fact node: its class label, figure(s) as stated, and the
    actor the fact is about (its holder, dependent or employer)."""
    fact_figure: str | None = None
    fact_holder_label: str | None = None
    claimant: str | None = None
    """Who makes the claim the step rests on (``prov:wasAttributedTo``), and its label."""
    claimant_label: str | None = None
    inferred: bool = False
    """The fact is the analyst's inference (``okg:basis okg:Inferred``); ``basis_reason`` why."""
    basis_reason: str | None = None
    sentence: str | None = None
    """The step in plain words (set by the renderer, :mod:`okg.render.sentences`)."""


@dataclass(frozen=True)
class ClaimInfo(Claim):
    """One source's figure behind a number: the shared :class:`okg.figures.claims.Claim` (what
    it said, the interval, its source and quotes), as impact results name it.

    ``employment_type`` is the local name of the claim's breakdown position (``part``:
    ``AnyEmploymentType``, ``Permanent``...). Its JSON form keeps the fields impact results
    have always had.

    >>> from okg.figures.claims import Claim
    >>> from okg.figures.intervals import Interval
    >>> c = ClaimInfo.of(Claim("urn:w", "urn:p", Interval.of(45, 55, 50), stated="about 50",
    ...                        part="https://w3id.org/okg/ontology#Permanent"))
    >>> plain(c)["employment_type"], plain(c)["value"]["text"]
    ('Permanent', 'about 50 (45–55)')
    """

    @classmethod
    def of(cls, claim: Claim) -> ClaimInfo:
        """The same claim, as a :class:`ClaimInfo`."""
        if isinstance(claim, cls):
            return claim
        return cls(**{f.name: getattr(claim, f.name) for f in fields(Claim)})

    @property
    def employment_type(self) -> str | None:
        return self.part.rsplit("#", 1)[-1] if self.part else None

    def to_plain(self) -> dict:
        return {
            "fact": self.fact,
            "stated": self.stated,
            "value": plain(self.value),
            "source": self.source,
            "source_title": self.source_title,
            "quotes": list(self.quotes),
            "employment_type": self.employment_type,
            "illustrative": self.illustrative,
        }


@dataclass
class Row:
    """One affected actor (firm or segment) and one of its job figures.

    ``effect`` is ``"loss"`` (jobs at risk) or ``"gain"`` (jobs created). ``status`` is the
    impact level (``closure risk``, ``possible closure``, ``exposed``, ``stopped``,
    ``contract gained``). ``included_in`` names the parent segment whose figure already holds
    these jobs (they are then left out of the country totals).
    """

    actor: str
    label: str
    kind: str | None
    effect: str
    country: str | None
    site: str | None
    site_label: str | None
    revenue_share_lost: Interval | None
    jobs: Interval
    depth: int
    status: Status
    formula: str
    revenue_formula: str | None
    chain: list[Step]
    claims: list[ClaimInfo] = field(default_factory=list)
    conflict: bool = False
    claims_rule: str | None = None
    included_in: str | None = None
    illustrative: bool = False
    ranges: FigureRanges | None = None
    """When the job figure's claims differ: its consistent range (``None`` on a conflict), its
    envelope and what its breakdowns leave unexplained (:func:`okg.figures.claims.figure_ranges`)."""
    range_used: str = "envelope"
    """The range of the job figure that ``jobs`` was computed from."""
    inferred: bool = False
    """The row rests on an inferred fact (a step of its chain or a claim behind its figure);
    ``inferences`` names each (``{"fact", "label", "reason"}``)."""
    inferences: list[dict] = field(default_factory=list)
    claimants: dict[str, str] = field(default_factory=dict)
    """``{fact IRI: claimant label}`` for the claims behind the figure that name a claimant."""


@dataclass
class ContractImpact:
    """A contract the event takes away (``fraction`` of it lost) or creates."""

    contract: str
    label: str
    effect: str
    fraction: Interval
    provider: str | None
    client: str | None
    depth: int
    chain: list[Step]


@dataclass
class CountryTotal:
    """Jobs lost and created in one country, counted once; unknown terms are counted apart."""

    country: str
    lost: Interval
    created: Interval
    net: Interval
    lost_unknown_terms: int = 0
    created_unknown_terms: int = 0


@dataclass
class ImpactResult:
    """What :func:`okg.analysis.impact.run_impact` computes for one event at one date."""

    event: str
    event_label: str
    event_types: list[str]
    as_of: dt.date
    timing: str
    measure: str
    threshold: float
    max_depth: int | None
    rows: list[Row]
    contracts: list[ContractImpact]
    countries: list[CountryTotal]
    assumptions: list[str]
    notes: list[str]
    reached: int = 0
    """How many nodes the event reached (see :func:`reached_nodes`)."""
    source_claims: list[SourceClaimComparison] = field(default_factory=list)
    """The sources' own impact claims about the event beside the model's figures
    (:mod:`okg.analysis.impact.source_claims`)."""

    def to_dict(self) -> dict:
        return plain(self)  # type: ignore[return-value]


def reached_nodes(result: ImpactResult) -> list[str]:
    """Every node the event reached: affected actors, their sites, contracts lost or gained,
    the workforce facts behind the job figures, and every node on an explanation chain."""
    nodes: set[str] = set()
    for r in result.rows:
        nodes.add(r.actor)
        if r.site:
            nodes.add(r.site)
        nodes.update(c.fact for c in r.claims)
        for s in r.chain:
            nodes.update((s.start, s.end))
    for c in result.contracts:
        nodes.add(c.contract)
        for s in c.chain:
            nodes.update((s.start, s.end))
    nodes.discard(result.event)
    return sorted(nodes)
