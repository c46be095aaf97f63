"""Node positions computed in Python, seeded and deterministic, so the browser runs no physics.

Up to :data:`SPRING_LIMIT` nodes the layout is networkx's Fruchterman–Reingold spring layout
(seeded). Larger graphs first set their leaves aside (nodes with one neighbour, placed on a
small circle around it); if the rest is still too large for the spring layout it is laid out on
a sunflower (Vogel) spiral in a stable order (category, then label). Coordinates are scaled so
that nodes are about :data:`SPACING` pixels apart.

>>> pos = layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
>>> pos == layout(["a", "b", "c"], [("a", "b"), ("b", "c")])
True
>>> sorted(pos)
['a', 'b', 'c']
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import networkx as nx

SPRING_LIMIT = 450  # networkx needs scipy for its spring layout from 500 nodes on
SPACING = 170.0
SEED = 7


def layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    order: Callable[[str], object] | None = None,
) -> dict[str, tuple[float, float]]:
    """x, y (pixels) for every node; *order* sorts nodes for the spiral fallback.

    Each connected component is laid out alone, then the components are packed in rows,
    largest first, so that small islands do not drift to the far edges of the page.
    """
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from((a, b) for a, b in edges if a != b and a in g and b in g)
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c))
    placed = [_component(g.subgraph(c), order) for c in comps]
    return _pack(placed)


def _component(
    g: nx.Graph,
    order: Callable[[str], object] | None,
) -> dict[str, tuple[float, float]]:
    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if len(g) <= SPRING_LIMIT:
        return _spring(nx.Graph(g), len(g))
    leaves: dict[str, list[str]] = defaultdict(list)
    for x in sorted(g):
        nbrs = list(g.neighbors(x))
        if len(nbrs) == 1 and g.degree(nbrs[0]) > 1:
            leaves[nbrs[0]].append(x)
    leafset = {kid for kids in leaves.values() for kid in kids}
    core = g.subgraph(x for x in g if x not in leafset)
    if len(core) <= SPRING_LIMIT:
        pos = _spring(nx.Graph(core), len(g))
    else:
        pos = _spiral(sorted(core, key=order or str))
    for parent, kids in leaves.items():
        px, py = pos[parent]
        radius = SPACING * (0.6 + 0.04 * len(kids))
        for i, kid in enumerate(kids):
            angle = 2 * math.pi * i / len(kids)
            pos[kid] = (px + radius * math.cos(angle), py + radius * math.sin(angle))
    return pos


def _pack(parts: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Place the components side by side in rows about as wide as the largest one."""
    out: dict[str, tuple[float, float]] = {}
    boxes = []
    for pos in parts:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs) + SPACING, max(ys) - min(ys) + SPACING))
    row_width = max([b[2] for b in boxes[:1]] + [SPACING * 6])
    x = y = row_h = 0.0
    for pos, (x0, y0, w, h) in zip(parts, boxes, strict=True):
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h, 0.0
        for k, (px, py) in pos.items():
            out[k] = (round(px - x0 + x, 1), round(py - y0 + y, 1))
        x += w
        row_h = max(row_h, h)
    return out


def _spring(g: nx.Graph, total: int) -> dict[str, tuple[float, float]]:
    scale = SPACING * math.sqrt(total) / 1.2
    k = 2.0 / math.sqrt(len(g))
    raw = nx.spring_layout(g, seed=SEED, iterations=200, scale=scale, k=k)
    return {k: (round(float(v[0]), 1), round(float(v[1]), 1)) for k, v in raw.items()}


def _spiral(nodes: Sequence[str], start: int = 0) -> dict[str, tuple[float, float]]:
    golden = math.pi * (3 - math.sqrt(5))
    out = {}
    for i, x in enumerate(nodes, start=start):
        r = SPACING * 0.6 * math.sqrt(i + 0.5)
        out[x] = (round(r * math.cos(i * golden), 1), round(r * math.sin(i * golden), 1))
    return out
