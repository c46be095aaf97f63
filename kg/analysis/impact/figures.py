"""Job figures: the workforce claims about the same jobs, combined into one interval.

Which workforce facts describe the same jobs is the ontology's same-figure rule
(:class:`okg.figures.claims.FigureRules`: the class's ``okg:conflictScope`` values, with a part
of an ``okg:isTotalOf`` total counted under its total), applied by
:func:`okg.figures.claims.group_figures`. Within such a group:

* claims about the whole (``employmentType: all``) and a complete breakdown (every declared
  part, such as a permanent and a temporary figure; one more claim for the total, the sum of
  its parts) are read two ways (:func:`okg.figures.claims.figure_ranges`): the *consistent*
  range, their intersection (what holds if every source is right), and the *envelope*, their
  hull (:func:`okg.figures.intervals.combine_claims`); they *conflict* only when the
  intersection is empty. The envelope feeds propagation unless the consistent range is chosen;
  every claim is kept, with its source and quote, so the output can name them; what a
  breakdown leaves unexplained of a total ("13 jobs of the total are in no part") is named;
* with no claim about the whole, the figure is the sum of the parts given, and says so.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass

import networkx as nx
from okg.analysis.impact.result import ClaimInfo
from okg.figures.claims import Claim, FigureRanges, FigureRules, figure_ranges, group_figures
from okg.figures.intervals import RANGES, UNKNOWN, Interval
from okg.terms.namespaces import OKG

HEADCOUNT = str(OKG.headcount)
EMPLOYER = str(OKG.employer)
WORKPLACE = str(OKG.workplace)
ATTRIBUTED_TO = str(OKG.attributedTo)


@dataclass
class JobFigure:
    """One group of jobs: who employs them, where, for which contracts, and how many.

    ``headcount`` is the range chosen by ``job_figures(..., figure_range)`` (``range_used``:
    ``envelope``, or ``consistent`` when chosen and the claims do not conflict), as whole
    numbers; ``ranges`` holds both ranges and the remainders; ``conflict`` means the claims
    have no common value (an empty consistent range)."""

    key: tuple
    workforces: list[str]
    employer: str | None
    workplace: str | None
    attributed: tuple[str, ...]
    headcount: Interval
    claims: list[ClaimInfo]
    conflict: bool
    rule: str
    ranges: FigureRanges | None = None
    range_used: str = "envelope"


def _scope_values(G: nx.MultiDiGraph, w: str) -> dict[str, tuple[str, ...]]:
    scope = G.nodes[w].get("scope")
    return dict(scope[1]) if scope else {}


def _rules(G: nx.MultiDiGraph) -> FigureRules:
    return G.graph.get("figure_rules") or FigureRules()


def _headcount_claims(G: nx.MultiDiGraph, w: str) -> list[Claim]:
    """The headcount claims of workforce *w*; one unknown claim when it gives none."""
    claims = G.nodes[w]["quantities"].get(HEADCOUNT) or []
    if claims:
        return list(claims)
    return [
        Claim(
            fact=w,
            prop=HEADCOUNT,
            value=UNKNOWN,
            stated="no headcount given",
            scope=G.nodes[w].get("scope"),
        )
    ]


def _describe(c: ClaimInfo, part: bool = False) -> str:
    """``about 163 (146–180)``; a part's claim names its part: ``about 50 (45–55) permanent``."""
    text = c.stated or c.value.format()
    bounds = c.value.bounds_text()
    if c.value.known and c.stated != bounds:
        text += f" ({bounds})"
    if part and c.employment_type:
        text += f" {c.employment_type.lower()}"
    return text


_INDEX: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _key(G: nx.MultiDiGraph, w: str) -> tuple:
    """The figure *w* is about: its class and scope values, parts rolled up to their total."""
    scope = G.nodes[w].get("scope")
    if not scope:
        return (w,)
    return (scope[0], _rules(G).rolled(scope[1]))


def _index(G: nx.MultiDiGraph) -> dict:
    """Per projection: group keys, groups and figures built so far, anchors already grouped."""
    index = _INDEX.get(G)
    if index is None:
        index = _INDEX[G] = {"key_of": {}, "groups": {}, "figures": {}, "anchors": set()}
    return index


def _group(G: nx.MultiDiGraph, w: str, key: tuple, index: dict) -> list[str]:
    """Every workforce with the same key as *w*: they all hang off the same employer (or
    workplace, or contract), so only that node's neighbours are looked at, once."""
    values = dict(key[1]) if key != (w,) else {}
    anchors = [v for p in (EMPLOYER, WORKPLACE, ATTRIBUTED_TO) for v in values.get(p, ()) if v in G]
    if not anchors:
        return [w]
    anchor = anchors[0]
    if anchor not in index["anchors"]:
        index["anchors"].add(anchor)
        for _, x in G.out_edges(anchor):
            scope = G.nodes[x].get("scope")
            if scope and scope[0] == key[0]:
                k = index["key_of"].setdefault(x, _key(G, x))
                index["groups"].setdefault(k, set()).add(x)
    return sorted(index["groups"].get(key, set()) | {w})


def job_figures(
    G: nx.MultiDiGraph, workforces: Iterable[str], figure_range: str = "envelope"
) -> list[JobFigure]:
    """The job figures that *workforces* (Workforce node IRIs) belong to, sorted by key, their
    headcount taken from *figure_range* (``envelope`` or ``consistent``, see docs/impact.md).

    A figure always combines every workforce fact about the same jobs in the projection, not
    only the ones passed in; figures are built once per projection and range.
    """
    if figure_range not in RANGES:
        raise ValueError(f"unknown range {figure_range!r}; expected one of {', '.join(RANGES)}")
    index = _index(G)
    key_of = index["key_of"]
    keys = {}
    for w in workforces:
        if w not in key_of:
            key_of[w] = _key(G, w)
        keys.setdefault(key_of[w], w)
    out = []
    for key in sorted(keys):
        fig = index["figures"].get((figure_range, key))
        if fig is None:
            ws = _group(G, keys[key], key, index)
            fig = index["figures"][(figure_range, key)] = _figure(G, key, ws, figure_range)
        out.append(fig)
    return out


def _figure(G: nx.MultiDiGraph, key: tuple, ws: list[str], figure_range: str) -> JobFigure:
    values = _scope_values(G, ws[0])
    claims = [c for w in ws for c in _headcount_claims(G, w)]
    (fig,) = group_figures(claims, _rules(G))
    ranges = figure_ranges(fig)
    whole = [ClaimInfo.of(c) for c in fig.claims]
    breakdown = fig.breakdowns[0] if fig.breakdowns else None
    given = [[ClaimInfo.of(c) for c in cs] for _, cs in breakdown.given] if breakdown else []
    candidates = [c.value for c in whole]
    texts = [_describe(c) for c in whole]
    parts_text = " + ".join(_describe(c, part=True) for cs in given for c in cs)
    if breakdown is not None and breakdown.complete:
        s = breakdown.value()
        candidates.append(s)
        texts.append(parts_text + f" = {s.format()}")
    head = ranges.pick(figure_range)
    used = "consistent" if figure_range == "consistent" and not ranges.conflict else "envelope"
    if candidates:
        if len(candidates) == 1:
            rule = f"one claim: {texts[0]}"
        elif not ranges.differ:
            rule = f"agreeing claims: {'; '.join(texts)} → {head.format()}"
        else:
            both = _both(ranges)
            if ranges.conflict:
                low, high = ranges.witness or ("?", "?")
                rule = (
                    f"conflicting claims ({low} and {high} do not overlap): {'; '.join(texts)}"
                    f" → envelope {both}"
                )
                if figure_range == "consistent":
                    rule += " (no consistent range: the envelope is used)"
            else:
                rule = f"consistent claims: {'; '.join(texts)} → {both}; {used} used"
            if any(v.known and v.high is None for v in candidates) and ranges.envelope.high:
                rule += " (an open upper side does not widen the envelope's maximum)"
    else:
        rule = f"only part of the jobs is given: {parts_text} = {head.format()}"
    for r in ranges.remainders:
        if r.unexplained:
            rule += f"; {r.text()}"
    everything = whole + [c for cs in given for c in cs]
    claims_out = sorted(everything, key=lambda c: c.part or "")
    return JobFigure(
        key=key,
        workforces=ws,
        employer=(values.get(EMPLOYER) or (None,))[0],
        workplace=(values.get(WORKPLACE) or (None,))[0],
        attributed=tuple(values.get(ATTRIBUTED_TO) or ()),
        headcount=head.integral() if head.known else head,
        claims=claims_out,
        conflict=ranges.conflict,
        rule=rule,
        ranges=ranges,
        range_used=used,
    )


def _both(r: FigureRanges) -> str:
    """``consistent 151–165, envelope 135–180``; a conflict has only its envelope."""
    if r.consistent is None:
        return r.envelope.format()
    return f"consistent {r.consistent.format()}, envelope {r.envelope.format()}"
