"""Job figures: the workforce claims about the same jobs, combined into one interval.

Workforce facts with the same employer, workplace and contract attribution describe the same
jobs. Within such a group:

* claims for all contract types (``employmentType: all``) about the same jobs conflict when they
  differ; they are combined by the hull rule of :func:`okg.figures.intervals.combine_claims` and every
  claim is kept, with its source and quote, so the output can name them;
* a breakdown (a permanent and a temporary figure) is one more claim for the total: the sum of
  its parts;
* with no total and no complete breakdown, the figure is the sum of the parts given, and says so.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from okg.analysis.impact.result import ClaimInfo
from okg.figures.intervals import UNKNOWN, Interval, combine_claims, total
from okg.terms.namespaces import OKG

HEADCOUNT = str(OKG.headcount)
EMPLOYMENT_TYPE = str(OKG.employmentType)
EMPLOYER = str(OKG.employer)
WORKPLACE = str(OKG.workplace)
ATTRIBUTED_TO = str(OKG.attributedTo)
ALL_TYPES = str(OKG.AnyEmploymentType)
PARTS = (str(OKG.Permanent), str(OKG.Temporary))
WORKFORCE = str(OKG.Workforce)


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


def claim_info(
    G: nx.MultiDiGraph, node: str, claim, employment_type: str | None = None
) -> ClaimInfo:
    """The :class:`ClaimInfo` of a projection claim, with its source title and quotes."""
    attrs = G.nodes[node]
    titles = G.graph.get("sources", {})
    return ClaimInfo(
        fact=node,
        stated=claim.stated,
        value=claim.value,
        source=claim.source,
        source_title=titles.get(claim.source),
        quotes=list(attrs["quotes"].get(claim.source, ())),
        employment_type=employment_type,
        illustrative=bool(attrs.get("illustrative")),
    )


def _describe(c: ClaimInfo) -> str:
    text = c.stated or c.value.format()
    bounds = c.value.bounds_text()
    if c.value.known and c.stated != bounds:
        text += f" ({bounds})"
    if c.employment_type and c.employment_type != "AnyEmploymentType":
        text += f" {c.employment_type.lower()}"
    return text


_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _key(G: nx.MultiDiGraph, w: str) -> tuple:
    values = _scope_values(G, w)
    return tuple(sorted((p, v) for p, v in values.items() if p != EMPLOYMENT_TYPE)) or (w,)


def _index(G: nx.MultiDiGraph) -> dict:
    """Per projection: group keys, groups and figures built so far, anchors already grouped."""
    index = _INDEX.get(G)
    if index is None:
        index = _INDEX[G] = {"key_of": {}, "groups": {}, "figures": {}, "anchors": set()}
    return index


def _group(G: nx.MultiDiGraph, w: str, key: tuple, index: dict) -> list[str]:
    """Every workforce with the same key as *w*: they all hang off the same employer (or
    workplace, or contract), so only that node's neighbours are looked at, once."""
    values = dict(key) if key != (w,) else {}
    anchors = [v for p in (EMPLOYER, WORKPLACE, ATTRIBUTED_TO) for v in values.get(p, ()) if v in G]
    if not anchors:
        return [w]
    anchor = anchors[0]
    if anchor not in index["anchors"]:
        index["anchors"].add(anchor)
        for _, x in G.out_edges(anchor):
            if WORKFORCE in G.nodes[x]["classes"]:
                k = index["key_of"].setdefault(x, _key(G, x))
                index["groups"].setdefault(k, set()).add(x)
    return sorted(index["groups"].get(key, set()) | {w})


def job_figures(G: nx.MultiDiGraph, workforces: Iterable[str]) -> list[JobFigure]:
    """The job figures that *workforces* (Workforce node IRIs) belong to, sorted by key.

    A figure always combines every workforce fact about the same jobs in the projection, not
    only the ones passed in; figures are built once per projection.
    """
    index = _index(G)
    key_of = index["key_of"]
    keys = {}
    for w in workforces:
        if w not in key_of:
            key_of[w] = _key(G, w)
        keys.setdefault(key_of[w], w)
    out = []
    for key in sorted(keys):
        fig = index["figures"].get(key)
        if fig is None:
            ws = _group(G, keys[key], key, index)
            fig = index["figures"][key] = _figure(G, key, ws)
        out.append(fig)
    return out


def _figure(G: nx.MultiDiGraph, key: tuple, ws: list[str]) -> JobFigure:
    values = _scope_values(G, ws[0])
    by_type: dict[str, list[ClaimInfo]] = {}
    for w in ws:
        etypes = _scope_values(G, w).get(EMPLOYMENT_TYPE) or (ALL_TYPES,)
        etype = etypes[0]
        short = etype.rsplit("#", 1)[-1]
        claims = G.nodes[w]["quantities"].get(HEADCOUNT) or []
        if not claims:
            by_type.setdefault(etype, []).append(
                ClaimInfo(
                    fact=w,
                    stated="no headcount given",
                    value=UNKNOWN,
                    source=None,
                    source_title=None,
                    quotes=[],
                    employment_type=short,
                )
            )
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
        texts.append(
            " + ".join(_describe(c) for p in parts_present for c in by_type[p]) + f" = {s.format()}"
        )
    if candidates:
        head = combine_claims(candidates)
        distinct = {(v.known, v.low, v.high) for v in candidates}
        conflict = len(distinct) > 1
        if len(candidates) == 1:
            rule = f"one claim: {texts[0]}"
        else:
            rule = (
                f"{'conflicting' if conflict else 'agreeing'} claims combined by their "
                f"hull: {'; '.join(texts)} → {head.format()}"
            )
            if any(v.known and v.high is None for v in candidates) and head.high is not None:
                rule += " (an open upper side does not widen the maximum of bounded claims)"
    else:
        head, _ = total(part_values)
        conflict = False
        rule = (
            "only part of the jobs is given: "
            + " + ".join(_describe(c) for p in parts_present for c in by_type[p])
            + f" = {head.format()}"
        )
    claims_out = [c for etype in sorted(by_type) for c in by_type[etype]]
    return JobFigure(
        key=key,
        workforces=ws,
        employer=(values.get(EMPLOYER) or (None,))[0],
        workplace=(values.get(WORKPLACE) or (None,))[0],
        attributed=tuple(values.get(ATTRIBUTED_TO) or ()),
        headcount=head.integral() if head.known else head,
        claims=claims_out,
        conflict=conflict,
        rule=rule,
    )
