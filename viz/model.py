"""What a page draws: nodes with their figures and sources, and labelled edges.

Everything here is plain data taken from the store (see :mod:`okg.viz.extract`); nothing is HTML.
Escaping happens where the data is written into a page (:mod:`okg.viz.page`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from okg.figures.claims import Claim
from okg.figures.intervals import Interval


@dataclass
class Quote:
    text: str
    lang: str | None


@dataclass
class SourceRef:
    """One source backing a node: where it is written (fact file, line) and what it says."""

    iri: str
    title: str
    meta: str  # publisher, date, fact file and line
    quotes: list[Quote] = field(default_factory=list)


@dataclass
class Figure:
    """A quantity of a node as the source stated it: ``headcount: about 163 (147–179)``.

    ``claim`` is the shared claim (:class:`okg.figures.claims.Claim`); ``name``, ``qualifier``
    and ``unit`` are its property, qualifier and unit as the page shows them.
    """

    name: str
    claim: Claim
    qualifier: str
    unit: str

    @property
    def stated(self) -> str:
        return self.claim.stated or ""

    @property
    def interval(self) -> Interval:
        return self.claim.value

    def text(self) -> str:
        unit = f" {self.unit}" if self.unit and self.unit != "%" else self.unit
        return f"{self.interval.format()}{unit} ({self.qualifier}; {self.stated!r})"


@dataclass
class Impact:
    """How an event reaches a node (filled from okg.analysis.impact)."""

    lines: list[tuple[str, str]] = field(default_factory=list)  # (field, value) for tooltips
    on_path: bool = True
    badge: str = ""  # drawn under the node's label: its jobs at risk or created


@dataclass
class Node:
    id: str
    label: str
    category: str
    kind: str  # the class label in the page language
    figures: list[Figure] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    sources: list[SourceRef] = field(default_factory=list)
    jobs: Interval | None = None  # combined headcount claims of all contract types
    country: str | None = None  # node id of its country (firms)
    sector: str | None = None  # node id of its sector (firms)
    members: int = 0  # for a group: how many firms it stands for
    impact: Impact | None = None


@dataclass
class Edge:
    source: str
    target: str
    relation: str  # property IRI
    label: str
    count: int = 1  # edges of grouped nodes are counted
    on_path: bool = False


@dataclass
class View:
    """A graph ready to draw, with the notices the page must show."""

    nodes: dict[str, Node]
    edges: list[Edge]
    lang: str
    kinds: dict[str, str] = field(default_factory=dict)  # category -> class label
    notices: list[str] = field(default_factory=list)
    title: str = ""
