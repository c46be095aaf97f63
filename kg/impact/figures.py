"""Job figures: the workforce claims about the same jobs, combined into one interval.

Workforce facts with the same employer, workplace and contract attribution describe the same
jobs. Within such a group:

* claims for all contract types (``employmentType: all``) about the same jobs conflict when they
  differ; they are combined by the hull rule of :func:`kg.intervals.combine_claims` and every
  claim is kept, with its source and quote, so the output can name them;
* a breakdown (a permanent and a temporary figure) is one more claim for the total: the sum of
  its parts;
* with no total and no complete breakdown, the figure is the sum of the parts given, and says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx

from kg.impact.result import ClaimInfo
from kg.intervals import UNKNOWN, Interval, combine_claims, total
from kg.namespaces import OKG

HEADCOUNT = str(OKG.headcount)
EMPLOYMENT_TYPE = str(OKG.employmentType)
EMPLOYER = str(OKG.employer)
WORKPLACE = str(OKG.workplace)
ATTRIBUTED_TO = str(OKG.attributedTo)
ALL_TYPES = str(OKG.AnyEmploymentType)
PARTS = (str(OKG.Permanent), str(OKG.Temporary))


@dataclass
class JobFigure:
    """One group of jobs: who employs them, where, for which contracts, and how many."""

    key: tuple
    workforces: list[str]
    employer: str | None
    workplace: str | None
    attributed: tuple[str, ...]
    headcount: Interval
    claims: list[ClaimInfo]
    conflict: bool
    rule: str


def _scope_values(G: nx.MultiDiGraph, w: str) -> dict[str, tuple[str, ...]]:
    scope = G.nodes[w].get("scope")
    return dict(scope[1]) if scope else {}


def claim_info(G: nx.MultiDiGraph, node: str, claim, employment_type: str | None = None
               ) -> ClaimInfo:
    """The :class:`ClaimInfo` of a projection claim, with its source title and quotes."""
    attrs = G.nodes[node]
    titles = G.graph.get("sources", {})
    return ClaimInfo(fact=node, stated=claim.stated, value=claim.value, source=claim.source,
                     source_title=titles.get(claim.source),
                     quotes=list(attrs["quotes"].get(claim.source, ())),
                     employment_type=employment_type,
                     illustrative=bool(attrs.get("illustrative")))


def _describe(c: ClaimInfo) -> str:
    text = c.stated or c.value.format()
    bounds = c.value.bounds_text()
    if c.value.known and c.stated != bounds:
        text += f" ({bounds})"
    if c.employment_type and c.employment_type != "AnyEmploymentType":
        text += f" {c.employment_type.lower()}"
    return text


def job_figures(G: nx.MultiDiGraph, workforces: Iterable[str]) -> list[JobFigure]:
    """Group *workforces* (Workforce node IRIs) into job figures, sorted by key."""
    groups: dict[tuple, list[str]] = {}
    for w in sorted(set(workforces)):
        values = _scope_values(G, w)
        key = tuple(sorted((p, v) for p, v in values.items() if p != EMPLOYMENT_TYPE)) or (w,)
        groups.setdefault(key, []).append(w)
    figures = []
    for key, ws in sorted(groups.items()):
        values = _scope_values(G, ws[0])
        by_type: dict[str, list[ClaimInfo]] = {}
        for w in ws:
            etypes = _scope_values(G, w).get(EMPLOYMENT_TYPE) or (ALL_TYPES,)
            etype = etypes[0]
            short = etype.rsplit("#", 1)[-1]
            claims = G.nodes[w]["quantities"].get(HEADCOUNT) or []
            if not claims:
                by_type.setdefault(etype, []).append(
                    ClaimInfo(fact=w, stated="no headcount given", value=UNKNOWN, source=None,
                              source_title=None, quotes=[], employment_type=short))
            for c in claims:
                by_type.setdefault(etype, []).append(claim_info(G, w, c, short))
        all_claims = by_type.get(ALL_TYPES, [])
        candidates = [c.value for c in all_claims]
        texts = [_describe(c) for c in all_claims]
        parts_present = [p for p in PARTS if p in by_type]
        part_values = [combine_claims(c.value for c in by_type[p]) for p in parts_present]
        if len(parts_present) == len(PARTS):
            s, _ = total(part_values)
            candidates.append(s)
            texts.append(" + ".join(_describe(c) for p in parts_present for c in by_type[p])
                         + f" = {s.format()}")
        if candidates:
            head = combine_claims(candidates)
            distinct = {(v.known, v.low, v.high) for v in candidates}
            conflict = len(distinct) > 1
            if len(candidates) == 1:
                rule = f"one claim: {texts[0]}"
            else:
                rule = (f"{'conflicting' if conflict else 'agreeing'} claims combined by their "
                        f"hull: {'; '.join(texts)} → {head.format()}")
                if any(v.known and v.high is None for v in candidates) and head.high is not None:
                    rule += " (an open upper side does not widen the maximum of bounded claims)"
        else:
            head, _ = total(part_values)
            conflict = False
            rule = ("only part of the jobs is given: "
                    + " + ".join(_describe(c) for p in parts_present for c in by_type[p])
                    + f" = {head.format()}")
        claims_out = [c for etype in sorted(by_type) for c in by_type[etype]]
        figures.append(JobFigure(
            key=key, workforces=ws,
            employer=(values.get(EMPLOYER) or (None,))[0],
            workplace=(values.get(WORKPLACE) or (None,))[0],
            attributed=tuple(values.get(ATTRIBUTED_TO) or ()),
            headcount=head.integral() if head.known else head,
            claims=claims_out, conflict=conflict, rule=rule))
    return figures
