"""Cut a view around seeds, and group firms when a view is larger than its node budget.

Around seeds (``--focus``, ``--sector``, ``--country``, an event's affected nodes) a view keeps
every node within *depth* hops, edges taken in either direction. Reference nodes (countries,
markets, activities, sectors, languages, cities) are reached but not crossed: they are hubs,
and crossing them would pull in everything that shares a country.

Above the budget, firms are grouped by country and sector (by country alone if that is still too
many), with their count and the sum of their jobs (:func:`okg.figures.intervals.total`: firms with no
jobs figure are counted apart and leave the sum open above). Facts and sites attached to a
grouped firm (contracts, workforce, dependencies, shares, tenders, memberships, sites) are folded
into its group; edges between groups are merged and counted. The page says so.

>>> from okg.viz.model import Node, Edge, View
>>> v = View({i: Node(i, i, "firm", "firm", country="FR") for i in "abc"},
...          [Edge("a", "b", "p", "p")], "en")
>>> sorted(neighbourhood(v, {"a"}, 1))
['a', 'b']
>>> g = group_firms(v, budget=2)
>>> [(n.label, n.members) for n in g.nodes.values()]
[('FR: 3 firms', 3)]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from okg.figures.intervals import total
from okg.viz.model import Edge, Impact, Node, View
from okg.viz.style import FIRM_LIKE, FOLDED, REFERENCE, text


def neighbourhood(view: View, seeds: Iterable[str], depth: int) -> set[str]:
    """The seeds and every node within *depth* hops of them, not crossing reference nodes."""
    adj: dict[str, set[str]] = defaultdict(set)
    for e in view.edges:
        adj[e.source].add(e.target)
        adj[e.target].add(e.source)
    seen = {s for s in seeds if s in view.nodes}
    frontier = set(seen)
    for _ in range(depth):
        nxt = set()
        for x in frontier:
            if x not in seeds and view.nodes[x].category in REFERENCE:
                continue
            nxt |= adj[x] - seen
        seen |= nxt
        frontier = nxt
    return seen


def subview(view: View, keep: set[str]) -> View:
    """The view restricted to the nodes in *keep* and the edges between them."""
    nodes = {k: n for k, n in view.nodes.items() if k in keep}
    edges = [e for e in view.edges if e.source in nodes and e.target in nodes]
    return View(nodes, edges, view.lang, view.kinds, list(view.notices), view.title)


def resolve(view: View, key: str, categories: Iterable[str] | None = None) -> str | None:
    """The node named by *key*: its IRI, the last part of its IRI (``ikanbi``, ``FR``, ``82.20``
    for ``.../8220``), or its label (case-insensitive); None if no node matches."""
    cats = set(categories) if categories else None
    cands = [n for n in view.nodes.values() if cats is None or n.category in cats]
    k = key.strip()
    tests = (
        lambda n: n.id == k,
        lambda n: n.id.rsplit("/", 1)[-1].rsplit("#", 1)[-1] in (k, k.replace(".", "")),
        lambda n: n.label.casefold() == k.casefold(),
    )
    for test in tests:
        hits = sorted(n.id for n in cands if test(n))
        if hits:
            return hits[0]
    return None


def actors_in(view: View, sector: str | None = None, country: str | None = None) -> set[str]:
    """Firms and segments whose sector and country nodes are *sector* and *country* (node ids)."""
    return {
        n.id
        for n in view.nodes.values()
        if n.category in FIRM_LIKE | {"segment"}
        and (sector is None or n.sector == sector)
        and (country is None or n.country == country)
    }


def group_firms(view: View, budget: int) -> View:
    """The view with firms grouped when it has more than *budget* nodes (see the module doc)."""
    if len(view.nodes) <= budget:
        return view
    lang = view.lang
    firms = [n for n in view.nodes.values() if n.category in FIRM_LIKE]
    out = _grouped(view, firms, by_sector=True)
    by = "by_country_sector"
    if len(out.nodes) > budget:
        out, by = _grouped(view, firms, by_sector=False), "by_country"
    out.notices.append(
        text(
            "grouped",
            lang,
            n=f"{len(view.nodes):,}",
            budget=f"{budget:,}",
            firms=f"{len(firms):,}",
            by=text(by, lang),
        )
    )
    if len(out.nodes) > budget:
        degree = Counter()
        for e in out.edges:
            degree[e.source] += e.count
            degree[e.target] += e.count
        keep = sorted(out.nodes, key=lambda k: (-degree[k], k))[:budget]
        out.notices.append(text("truncated", lang, n=f"{len(out.nodes):,}", budget=f"{budget:,}"))
        out = subview(out, set(keep))
    return out


def _grouped(view: View, firms: list[Node], by_sector: bool) -> View:
    rep: dict[str, str] = {}
    members: dict[str, list[Node]] = defaultdict(list)
    for f in firms:
        gid = f"group:{f.country or '?'}" + (f"|{f.sector or '?'}" if by_sector else "")
        rep[f.id] = gid
        members[gid].append(f)
    for _ in range(3):  # facts reach their firm's group through at most a few folded nodes
        for e in view.edges:
            for a, b in ((e.source, e.target), (e.target, e.source)):
                if a not in rep and view.nodes[a].category in FOLDED and b in rep:
                    rep[a] = rep[b]
    nodes = {k: n for k, n in view.nodes.items() if k not in rep}
    for gid, group in sorted(members.items()):
        folded = [k for k, g in rep.items() if g == gid]
        nodes[gid] = _group_node(view, gid, group, folded, by_sector)
    counted: dict[tuple[str, str, str], Edge] = {}
    for e in view.edges:
        a, b = rep.get(e.source, e.source), rep.get(e.target, e.target)
        if a == b:
            continue
        key = (a, e.relation, b)
        if key in counted:
            counted[key].count += 1
            counted[key].on_path |= e.on_path
        else:
            counted[key] = Edge(a, b, e.relation, e.label, 1, e.on_path)
    edges = list(counted.values())
    for e in edges:
        if e.count > 1:
            e.label = f"{e.label} ×{e.count:,}"
    return View(nodes, edges, view.lang, view.kinds, list(view.notices), view.title)


def _group_node(
    view: View, gid: str, group: list[Node], folded: list[str], by_sector: bool
) -> Node:
    lang = view.lang
    first = group[0]
    keys = [first.country] + ([first.sector] if by_sector else [])
    name = (
        " · ".join(
            view.nodes[k].label if k in view.nodes else k.rsplit("/", 1)[-1] for k in keys if k
        )
        or "?"
    )
    jobs, unknown = total(f.jobs for f in group if f.jobs is not None)
    no_figure = sum(1 for f in group if f.jobs is None) + unknown
    node = Node(
        id=gid,
        label=f"{name}: {len(group):,} {text('firms', lang)}",
        category="group",
        kind=text("group", lang),
        members=len(group),
        jobs=jobs,
        country=first.country,
        sector=first.sector if by_sector else None,
    )
    node.attributes.append((text("firms", lang), f"{len(group):,}"))
    node.attributes.append((text("jobs", lang), jobs.format()))
    if no_figure:
        node.attributes.append((text("unknown_jobs", lang), f"{no_figure:,}"))
    hit = [view.nodes[x] for x in folded if view.nodes[x].impact is not None]
    if hit:
        node.impact = Impact(
            [(text("affected", lang), f"{len(hit):,}")], on_path=any(h.impact.on_path for h in hit)
        )
    seen: set[str] = set()
    for f in group:
        for s in f.sources:
            if s.iri not in seen and len(seen) < 3:
                seen.add(s.iri)
                node.sources.append(type(s)(s.iri, s.title, s.meta, s.quotes[:1]))
    return node
