"""Event impact propagation over the impact projection (see docs/impact.md).

>>> from okg.store import KnowledgeGraph
>>> from okg.terms.resources import data_dir
>>> from okg.analysis.impact import run_impact
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
>>> r = run_impact(kg, "total-relocation", as_of="2026-02-01")
>>> r.timing
'in transition (2025-10-01 to 2026-03-31; takes effect 2026-01-01)'
>>> [row.jobs.format() for row in r.rows if row.label == "IKANBI"]  # share: at most 100%
['0–180']
"""

from okg.analysis.impact.events import EventInfo, list_events, resolve_event
from okg.analysis.impact.propagate import run_impact
from okg.analysis.impact.result import (
    ClaimInfo,
    ContractImpact,
    CountryTotal,
    ImpactResult,
    Row,
    Step,
    reached_nodes,
)
from okg.analysis.impact.status import Status

__all__ = [
    "ClaimInfo",
    "ContractImpact",
    "CountryTotal",
    "EventInfo",
    "ImpactResult",
    "Row",
    "Status",
    "Step",
    "list_events",
    "reached_nodes",
    "resolve_event",
    "run_impact",
]
