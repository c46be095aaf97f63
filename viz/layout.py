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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx

SPRING_LIMIT = 450  # networkx needs scipy for its spring layout from 500 nodes on
SPACING = 170.0
SEED = 7


def layout(
    nodes: Sequence[str],
    edges: Iterable[tuple[str, str]],
    order: Callable[[str], object] | None = None,
    boxes: Mapping[str, Box] | None = None,
) -> dict[str, tuple[float, float]]:
    """x, y (pixels) for every node; *order* sorts nodes for the spiral fallback.

    Each connected component is laid out alone, then the components are packed in rows,
    largest first, so that small islands do not drift to the far edges of the page. With
    *boxes* (each node's shape and label box around its centre, :func:`label_box`), nodes are
    then pushed apart until no two boxes overlap (:func:`separate`).
    """
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_edges_from((a, b) for a, b in edges if a != b and a in g and b in g)
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c))
    placed = [_component(_induced(g, c), order) for c in comps]
    pos = _pack(placed)
    if boxes:  # drawn closer first, then pushed apart as far as their labels need
        pos = separate({k: (x * COMPACT, y * COMPACT) for k, (x, y) in pos.items()}, boxes)
    return pos


@dataclass(frozen=True)
class Box:
    """A node's box around its centre, in pixels: half its width, and how far it reaches
    above and below the centre (the shape above, the label under the shape)."""

    half_width: float
    above: float
    below: float


CHAR_WIDTH = 0.62  # an upper bound of the average advance of Noto/DejaVu Sans, in ems
LINE_HEIGHT = 1.25
GAP = 6.0  # the least room between two boxes
COMPACT = 0.5  # the spring layout is shrunk by this before labels push nodes apart
WIDE = 2.0  # pushed sideways unless that is this many times longer than up or down (pages are wide)


def label_box(lines: Sequence[str], size: float, font: float) -> Box:
    """The box of a node drawn by vis-network with its label under the shape: *lines* of text
    of *font* pixels (width estimated from the number of characters), a shape of radius
    *size*.

    >>> label_box(["IKANBI"], 10, 20)
    Box(half_width=37.2, above=10, below=43.0)
    """
    chars = max((len(line) for line in lines), default=0)
    half = max(size, chars * font * CHAR_WIDTH / 2)
    below = size + 3 + len(lines) * font * LINE_HEIGHT + 5 if lines else size
    return Box(round(half, 2), size, round(below, 2))


def overlaps(
    pos: Mapping[str, tuple[float, float]], boxes: Mapping[str, Box], gap: float = 0.0
) -> list[tuple[str, str]]:
    """The pairs of nodes whose boxes (widened by *gap* / 2 on each side) overlap."""
    rects = sorted(
        (
            pos[k][0] - b.half_width - gap / 2,
            pos[k][0] + b.half_width + gap / 2,
            pos[k][1] - b.above - gap / 2,
            pos[k][1] + b.below + gap / 2,
            k,
        )
        for k, b in boxes.items()
        if k in pos
    )
    out = []
    for i, (_l1, r1, t1, b1, k1) in enumerate(rects):
        for l2, _r2, t2, b2, k2 in rects[i + 1 :]:
            if l2 >= r1:
                break
            if t2 < b1 and t1 < b2:
                out.append((k1, k2))
    return out


def separate(
    pos: Mapping[str, tuple[float, float]],
    boxes: Mapping[str, Box],
    gap: float = GAP,
    rounds: int = 300,
) -> dict[str, tuple[float, float]]:
    """Push overlapping boxes apart, each pair along the axis where they overlap least, half
    the way each, until no two boxes come closer than *gap*. If that does not settle within
    *rounds*, the layout is spread out by a quarter and the pushing starts again. Seeded by
    the input only: deterministic.

    >>> b = Box(50, 10, 30)
    >>> p = separate({"a": (0.0, 0.0), "b": (10.0, 5.0)}, {"a": b, "b": b})
    >>> overlaps(p, {"a": b, "b": b})
    []
    """
    cur = {k: (float(x), float(y)) for k, (x, y) in pos.items()}
    keys = [k for k in sorted(cur) if k in boxes]
    for _spread in range(8):
        for _ in range(rounds):
            pairs = overlaps(cur, boxes, gap)
            if not pairs:
                return {k: (round(x, 1), round(y, 1)) for k, (x, y) in cur.items()}
            for a, b in pairs:
                (xa, ya), (xb, yb) = cur[a], cur[b]
                ba, bb = boxes[a], boxes[b]
                dx = xb - xa
                ox = ba.half_width + bb.half_width + gap - abs(dx)
                # b below a: a's bottom against b's top, else the other way round
                if yb >= ya:
                    oy = ya + ba.below + gap - (yb - bb.above)
                else:
                    oy = yb + bb.below + gap - (ya - ba.above)
                if ox <= 0 or oy <= 0:
                    continue
                if ox <= oy * WIDE:
                    step = ox / 2 + 0.5
                    sign = 1.0 if dx > 0 or (dx == 0 and a < b) else -1.0
                    cur[a] = (xa - sign * step, ya)
                    cur[b] = (xb + sign * step, yb)
                else:
                    step = oy / 2 + 0.5
                    sign = 1.0 if yb >= ya else -1.0
                    cur[a] = (xa, ya - sign * step)
                    cur[b] = (xb, yb + sign * step)
        cur = {k: (x * 1.25, y * 1.25) for k, (x, y) in cur.items()}
    if overlaps(cur, {k: boxes[k] for k in keys}, gap):
        raise RuntimeError("the labels could not be separated")
    return {k: (round(x, 1), round(y, 1)) for k, (x, y) in cur.items()}


def _induced(g: nx.Graph, nodes: Iterable[str]) -> nx.Graph:
    """The subgraph of *g* on *nodes*, its nodes in sorted order and its edges in *g*'s order.

    networkx's ``subgraph`` view lists its nodes in the order of a set of them, which changes
    from one process to the next (string hashing is salted), and spring_layout's result
    depends on the node order: the same store gave a different page on each run."""
    keep = sorted(nodes)
    inside = set(keep)
    h = nx.Graph()
    h.add_nodes_from(keep)
    h.add_edges_from((a, b) for a in keep for b in g.adj[a] if b in inside)
    return h


def _component(
    g: nx.Graph,
    order: Callable[[str], object] | None,
) -> dict[str, tuple[float, float]]:
    if len(g) == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if len(g) <= SPRING_LIMIT:
        return _spring(g, len(g))
    leaves: dict[str, list[str]] = defaultdict(list)
    for x in sorted(g):
        nbrs = list(g.neighbors(x))
        if len(nbrs) == 1 and g.degree(nbrs[0]) > 1:
            leaves[nbrs[0]].append(x)
    leafset = {kid for kids in leaves.values() for kid in kids}
    core = _induced(g, [x for x in g if x not in leafset])
    if len(core) <= SPRING_LIMIT:
        pos = _spring(core, len(g))
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
