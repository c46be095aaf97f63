"""The views the command line draws: the network (cut, filtered, grouped) and an event's impact.

:func:`network_view` reads the store (:func:`okg.viz.extract.extract`), keeps the part asked for
(the neighbourhood, *depth* hops, of the ``focus`` entity and of the firms and
segments of ``sector`` in ``country``), marks what an event reaches when one is
given, and groups firms above the node budget (:func:`okg.viz.cut.group_firms`).

:func:`mark_impact` puts an :class:`okg.analysis.impact.ImpactResult` on a view: every actor, site and
contract of the result, and every node of its explanation chains, gets its impact lines (jobs at
risk or created, revenue share lost, depth, status) and the edges of the chains are marked as
propagation paths.

>>> from okg.store import KnowledgeGraph
>>> from okg.terms.resources import data_dir
>>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
>>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
>>> v = network_view(kg, focus="ikanbi", depth=1)
>>> sorted(n.label for n in v.nodes.values() if n.category == "firm")
['IKANBI']
"""

from __future__ import annotations

import inspect

from okg.store import KnowledgeGraph
from okg.viz.cut import actors_in, group_firms, neighbourhood, resolve, subview
from okg.viz.extract import Skeleton, extract, extract_nodes
from okg.viz.model import Impact, View
from okg.viz.style import text

DEFAULT_BUDGET = 2000


class ViewError(ValueError):
    """An option names nothing in the store (an unknown entity, sector, country or event)."""


def _need(view: View, key: str, what: str, categories: set[str] | None = None) -> str:
    hit = resolve(view, key, categories)
    if hit is None:
        raise ViewError(f"no {what} '{key}' in the store")
    return hit


def network_view(
    kg: KnowledgeGraph,
    lang: str = "en",
    focus: str | None = None,
    depth: int = 2,
    sector: str | None = None,
    country: str | None = None,
    max_nodes: int = DEFAULT_BUDGET,
    impact: object | None = None,
    include_illustrative: bool = False,
) -> View:
    """The view to draw (see the module doc); *impact* is an ImpactResult to highlight.
    Illustrative nodes are left out unless *include_illustrative* (then marked).

    Cut first: with a ``focus``, ``sector`` or ``country``, the kept nodes are found in the
    store (:class:`okg.viz.extract.Skeleton`: the neighbourhood walked with bound VALUES) and
    only they are read (:func:`okg.viz.extract.extract_nodes`); the page is the one
    :func:`network_view_full` draws. A name the quick lookup cannot settle (no match, or not
    ASCII) is resolved on the whole view, as before."""
    if max_nodes < 1:
        raise ViewError("--max-nodes must be at least 1")
    if depth < 0:
        raise ViewError("--depth must be 0 or more")
    args = (kg, lang, focus, depth, sector, country, max_nodes, impact, include_illustrative)
    if not (focus or sector or country):
        return network_view_full(*args)
    skel = Skeleton(kg, include_illustrative)
    seeds: set[str] = set()
    if focus:
        hit = skel.resolve(focus, None, lang)
        if hit is None:
            return network_view_full(*args)
        seeds.add(hit)
    if sector or country:
        s = skel.resolve(sector, {"sector"}, lang) if sector else None
        c = skel.resolve(country, {"country"}, lang) if country else None
        if (sector and s is None) or (country and c is None):
            return network_view_full(*args)
        found = skel.actors_in(s, c)
        if not found:
            raise ViewError(
                f"no firm or segment in sector '{sector or '*'}' and country '{country or '*'}'"
            )
        seeds |= found
    keep = skel.neighbourhood(seeds, depth)
    if keep is None:  # most of the store: read whole, then cut
        return network_view_full(*args)
    view = extract_nodes(kg, skel, keep, lang)
    if impact is not None:
        mark_impact(view, impact)
    return group_firms(view, max_nodes)


def network_view_full(
    kg: KnowledgeGraph,
    lang: str = "en",
    focus: str | None = None,
    depth: int = 2,
    sector: str | None = None,
    country: str | None = None,
    max_nodes: int = DEFAULT_BUDGET,
    impact: object | None = None,
    include_illustrative: bool = False,
) -> View:
    """:func:`network_view` the first way: the whole store extracted, then cut (the reference
    the cut-first path is tested against, and the path of the uncut view)."""
    if max_nodes < 1:
        raise ViewError("--max-nodes must be at least 1")
    if depth < 0:
        raise ViewError("--depth must be 0 or more")
    view = extract(kg, lang, include_illustrative)
    seeds: set[str] | None = None
    if focus:
        seeds = {_need(view, focus, "entity")}
    if sector or country:
        s = _need(view, sector, "sector", {"sector"}) if sector else None
        c = _need(view, country, "country", {"country"}) if country else None
        found = actors_in(view, s, c)
        if not found:
            raise ViewError(
                f"no firm or segment in sector '{sector or '*'}' and country '{country or '*'}'"
            )
        seeds = found if seeds is None else seeds | found
    if seeds is not None:
        view = subview(view, neighbourhood(view, seeds, depth))
    if impact is not None:
        mark_impact(view, impact)
    return group_firms(view, max_nodes)


def build_view(
    kg: KnowledgeGraph,
    event: str | None = None,
    as_of: object = None,
    focus: str | None = None,
    depth: int = 2,
    sector: str | None = None,
    country: str | None = None,
    include_illustrative: bool = False,
    lang: str = "en",
    max_nodes: int = DEFAULT_BUDGET,
) -> tuple[View, object | None]:
    """The page's view and the impact result behind it (``None`` without *event*): what
    ``okg viz`` draws and :func:`okg.viz.show` shows, built by this one function so both take
    the same options the same way. The title names the event when one is given.

    ViewError when an option names nothing in the store (or an illustrative event is asked for
    without *include_illustrative*).

    >>> from okg.store import KnowledgeGraph
    >>> from okg.terms.resources import data_dir
    >>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
    >>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
    >>> view, result = build_view(kg, event="total-relocation", as_of="2026-02-01")
    >>> view.title.endswith(result.event_label), any(n.impact for n in view.nodes.values())
    (True, True)
    """
    result = run_event(kg, event, as_of, lang, include_illustrative) if event else None
    view = network_view(
        kg,
        lang,
        focus=focus,
        depth=depth,
        sector=sector,
        country=country,
        max_nodes=max_nodes,
        impact=result,
        include_illustrative=include_illustrative,
    )
    if result is not None:
        view.title = f"{text('title', lang)} — {result.event_label}"
    return view, result


def _fmt(iv: object) -> str:
    return iv.format() if iv is not None else ""


def mark_impact(view: View, result: object) -> set[str]:
    """Mark the nodes and paths an ImpactResult reaches; return the marked node ids."""
    lang = view.lang
    marked: dict[str, Impact] = {}

    def mark(node: str | None) -> Impact | None:
        if not node or node not in view.nodes:
            return None
        return marked.setdefault(node, Impact([]))

    pairs: set[frozenset[str]] = set()
    chains = [r.chain for r in result.rows] + [c.chain for c in result.contracts]
    for chain in chains:
        for step in chain:
            mark(step.start)
            mark(step.end)
            pairs.add(frozenset((step.start, step.end)))
    event = mark(result.event)
    if event is not None:
        event.lines.append((text("status", lang), result.timing))
    for row in result.rows:
        jobs_key = "jobs_at_risk" if row.effect == "loss" else "jobs"
        # one label per figure: the badge goes on the actor (on the site if the actor is not
        # drawn); the site's tooltip still has the figure
        badged = False
        for node in (row.actor, row.site):
            imp = mark(node)
            if imp is None:
                continue
            imp.lines.append((text(jobs_key, lang), f"{row.jobs.format()} ({row.status})"))
            sign = "" if row.effect == "loss" else "+"
            badge = f"{sign}{row.jobs.format()} {text(jobs_key, lang)}"
            if not badged:
                badged = True
                imp.badge = (
                    badge if not imp.badge or badge in imp.badge else f"{imp.badge}; {badge}"
                )
            if row.revenue_share_lost is not None:
                imp.lines.append(
                    (text("revenue_lost", lang), row.revenue_share_lost.format(percent=True))
                )
            imp.lines.append((text("depth", lang), str(row.depth)))
    for c in result.contracts:
        imp = mark(c.contract)
        if imp is not None:
            imp.lines.append((c.effect, f"{c.fraction.format(percent=True)}"))
            imp.lines.append((text("depth", lang), str(c.depth)))
    for node, imp in marked.items():
        seen: list[tuple[str, str]] = []
        for line in imp.lines:
            if line not in seen:
                seen.append(line)
        imp.lines = seen
        view.nodes[node].impact = imp
    for e in view.edges:
        if frozenset((e.source, e.target)) in pairs:
            e.on_path = True
    return set(marked)


def run_event(
    kg: KnowledgeGraph,
    event: str,
    as_of: str | None = None,
    lang: str = "en",
    include_illustrative: bool = False,
):
    """Resolve *event* and run okg.analysis.impact on it; ViewError if it names no event (or
    an illustrative one, unless *include_illustrative*)."""
    from okg.analysis.impact import resolve_event, run_impact

    try:
        iri = resolve_event(kg, event)
    except ValueError as exc:
        raise ViewError(str(exc)) from None
    kwargs: dict[str, object] = {"as_of": as_of, "include_illustrative": include_illustrative}
    if "lang" in inspect.signature(run_impact).parameters:
        kwargs["lang"] = lang
    try:
        return run_impact(kg, iri, **kwargs)
    except ValueError as exc:
        raise ViewError(str(exc)) from None


def event_view(
    kg: KnowledgeGraph,
    result: object,
    lang: str = "en",
    depth: int = 1,
    max_nodes: int = DEFAULT_BUDGET,
    include_illustrative: bool = False,
) -> View:
    """The network around an event: what it reaches and *depth* hops more, paths marked.

    Cut first: the nodes the result marks (:func:`impact_nodes`, from run_impact's result)
    seed a walk in the store, and only the kept nodes are read; the same view as
    :func:`event_view_full`."""
    skel = Skeleton(kg, include_illustrative)
    keep = skel.neighbourhood(impact_nodes(result), depth)
    if keep is None:  # the event reaches most of the store: read whole, then cut
        return event_view_full(kg, result, lang, depth, max_nodes, include_illustrative)
    view = extract_nodes(kg, skel, keep, lang)
    mark_impact(view, result)
    return group_firms(view, max_nodes)


def event_view_full(
    kg: KnowledgeGraph,
    result: object,
    lang: str = "en",
    depth: int = 1,
    max_nodes: int = DEFAULT_BUDGET,
    include_illustrative: bool = False,
) -> View:
    """:func:`event_view` the first way: the whole store extracted, marked, then cut (the
    reference of the tests)."""
    view = extract(kg, lang, include_illustrative)
    reached = mark_impact(view, result)
    view = subview(view, neighbourhood(view, reached, depth))
    return group_firms(view, max_nodes)


def impact_nodes(result: object) -> set[str]:
    """Every node :func:`mark_impact` marks when the view holds it: the event, the actors and
    sites of its rows, its contracts, and both ends of every step of their chains."""
    nodes: set[str] = set()
    for chain in [r.chain for r in result.rows] + [c.chain for c in result.contracts]:
        for step in chain:
            nodes.update((step.start, step.end))
    nodes.update(x for r in result.rows for x in (r.actor, r.site))
    nodes.update(c.contract for c in result.contracts)
    nodes.add(result.event)
    return {x for x in nodes if x}
