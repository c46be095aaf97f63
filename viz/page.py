"""Write a view as one self-contained HTML page: vis-network inlined, no request to anything.

pyvis builds the network's nodes, edges and options; the page is the project's own template
(pyvis's templates fetch vis-network and Bootstrap from CDNs). vis-network's JS and CSS are read
from the pyvis package and inlined. All data goes into a ``<script type="application/json">``
element with ``<``, ``>`` and ``&`` written as ``\\u003c``, ``\\u003e``, ``\\u0026``, so no text
from the data can end the element; the page's script reads it with ``JSON.parse`` and builds
every tooltip as DOM nodes with ``textContent``. Texts in the HTML itself (legend, notices,
tables) are escaped by Jinja's autoescape.

>>> safe_json({"label": "</script><script>alert(1)</script>"})
'{"label":"\\\\u003c/script\\\\u003e\\\\u003cscript\\\\u003ealert(1)\\\\u003c/script\\\\u003e"}'
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import jinja2
import pyvis
from okg.viz.layout import label_box, layout
from okg.viz.model import Node, View
from okg.viz.style import (
    CATEGORIES,
    CATEGORY,
    FACETS,
    GROUP,
    isolate,
    isolate_html,
    ltr_runs,
    text,
)
from pyvis.network import Network

HERE = Path(__file__).parent
VIS_DIR = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
MAX_LABEL = 48
LINE_CHARS = 22  # labels are wrapped at about this many characters a line
MAX_LINES = 3
FONT = 18
SEPARATE_LIMIT = 500  # above this many nodes labels are not pushed apart (too slow in Python)
DIM = "#e4e4e4"
FADED = 0.35
PATH_COLOUR = "#d62728"

_JSON_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def safe_json(obj: object) -> str:
    """JSON that cannot end a ``<script>`` element nor open a comment or entity inside it."""
    raw = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return "".join(_JSON_ESCAPES.get(c, c) for c in raw)


def node_size(node: Node) -> float:
    """10 + 5·log10(1 + jobs), jobs the high end of the node's jobs (its low end when open
    above); 7 when the node has no jobs figure."""
    jobs = node.jobs
    if jobs is None or not jobs.known or (jobs.high is None and jobs.low is None):
        return 7.0
    top = jobs.high if jobs.high is not None else jobs.low
    return round(10 + 5 * math.log10(1 + float(top)), 2)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"


def wrap(label: str, width: int = LINE_CHARS, max_lines: int = MAX_LINES) -> list[str]:
    """*label* in lines of about *width* characters, cut at spaces (a longer word stays
    whole), at most *max_lines* (the last one ends with "…" when text is left out).

    >>> wrap("TotalEnergies French-language customer service at IKANBI")
    ['TotalEnergies', 'French-language', 'customer service at…']
    """
    lines: list[str] = []
    for word in label.split(" "):
        if not word:
            continue
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines or [""]


def shown_by_default(node: Node, highlight: bool) -> bool:
    """Reference nodes (:data:`okg.viz.style.FACETS`) are hidden until their facet is ticked,
    except those an event reaches (they are on its paths)."""
    return node.category not in FACETS or (highlight and node.impact is not None)


def _unbroken(text: str) -> str:
    """*text* with the spaces inside its left-to-right runs made no-break spaces, so that
    wrapping a right-to-left label does not cut ``more than 150`` (and its isolate) in two."""
    return "".join(part.replace(" ", "\u00a0") if ltr else part for part, ltr in ltr_runs(text))


def label_lines(node: Node, highlight: bool, rtl: bool = False) -> list[str]:
    """The lines drawn under a node: its label wrapped, then its impact badge (one per
    figure: an actor's jobs at risk are drawn on the actor only). In a right-to-left page
    the left-to-right runs are not cut."""
    lines = wrap(_unbroken(_short(node.label)) if rtl else _short(node.label))
    if highlight and node.impact is not None and node.impact.badge:
        lines.append(node.impact.badge)
    return lines


def build_network(view: View, highlight: bool = False) -> Network:
    """A pyvis Network of the view, with positions from :func:`okg.viz.layout.layout`."""
    order = {c.key: i for i, c in enumerate(CATEGORIES)}
    rtl = view.lang == "ar"
    lines = {k: label_lines(n, highlight, rtl) for k, n in view.nodes.items()}
    boxes = None
    if len(view.nodes) <= SEPARATE_LIMIT:
        boxes = {k: label_box(lines[k], node_size(n), FONT) for k, n in view.nodes.items()}
    pos = layout(
        list(view.nodes),
        [(e.source, e.target) for e in view.edges],
        order=lambda k: (order.get(view.nodes[k].category, 99), view.nodes[k].label),
        boxes=boxes,
    )
    net = Network(directed=True)
    for key in sorted(view.nodes):
        n = view.nodes[key]
        cat = CATEGORY.get(n.category, GROUP)
        colour = cat.color
        border = "#555555"
        width = 1
        extra: dict[str, object] = {}
        if highlight:
            if n.impact is not None:
                border, width = PATH_COLOUR, 4
            else:
                colour, border = DIM, "#bbbbbb"
                extra = {"opacity": FADED, "font": {"color": "#9a9a9a"}}
        x, y = pos[key]
        label = "\n".join(isolate(t) if rtl else t for t in lines[key])
        net.add_node(
            key,
            label=label,
            hidden=not shown_by_default(n, highlight),
            reached=highlight and n.impact is not None,
            **extra,
            shape=cat.shape,
            size=node_size(n),
            x=x,
            y=y,
            color={
                "background": colour,
                "border": border,
                "highlight": {"background": colour, "border": "#000000"},
                "hover": {"background": colour, "border": "#000000"},
            },
            borderWidth=width,
            category=n.category,
        )
    for i, e in enumerate(view.edges):
        colour, width = "#999999", 1
        if highlight:
            colour, width = (PATH_COLOUR, 3) if e.on_path else ("#dddddd", 1)
        net.add_edge(
            e.source,
            e.target,
            id=f"e{i}",
            # an event page draws the labels of its paths only; every edge keeps its tooltip
            label=(isolate(e.label) if rtl else e.label) if not highlight or e.on_path else " ",
            text=isolate(e.label) if rtl else e.label,
            relation=e.relation,
            color={"color": colour, "highlight": "#333333", "hover": "#333333"},
            width=width,
        )
    many = len(view.edges) > 400
    net.options = {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": many,
            "hideEdgesOnZoom": many,
        },
        "nodes": {
            "font": {
                "size": FONT,
                "face": "Noto Sans, DejaVu Sans, sans-serif",
                "strokeWidth": 3,
                "strokeColor": "#ffffff",
            }
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
            "smooth": False,
            "font": {
                "size": 12,
                "align": "horizontal",
                "color": "#555555",
                "face": "Noto Sans, DejaVu Sans, sans-serif",
            },
        },
    }
    return net


def reference_lines(view: View) -> dict[str, list[tuple[str, str]]]:
    """For each node, its links to reference nodes (the facets, hidden by default) as tooltip
    lines, ``(relation, label)``: ``("country", "Belgium")``, so what a hidden node tells
    stays on the nodes that point to it."""
    out: dict[str, list[tuple[str, str]]] = {}
    for e in view.edges:
        a, b = view.nodes.get(e.source), view.nodes.get(e.target)
        if a is None or b is None:
            continue
        if b.category in FACETS and a.category not in FACETS:
            out.setdefault(a.id, []).append((e.label, b.label))
        elif a.category in FACETS and b.category not in FACETS:
            out.setdefault(b.id, []).append((e.label, a.label))
    return {k: sorted(set(v)) for k, v in out.items()}


def _info(n: Node, refs: list[tuple[str, str]], rtl: bool) -> dict[str, object]:
    """The tooltip of *n*; in a right-to-left page every figure, range, code and Latin name is
    isolated (:func:`okg.viz.style.isolate`), quotes excepted (they are the source's text)."""
    iso = isolate if rtl else str

    def rows(pairs: object) -> list[list[str]]:
        return [[iso(str(k)), iso(str(v))] for k, v in pairs]

    return {
        "label": iso(n.label),
        "plain": n.label,
        "kind": n.kind,
        "impact": rows(n.impact.lines if n.impact else []),
        "figures": rows((f.name, f.text()) for f in n.figures),
        "attrs": rows(sorted(set(n.attributes) | set(refs))),
        "sources": [
            {
                "title": iso(s.title),
                "meta": iso(s.meta),
                "quotes": [{"text": q.text, "lang": q.lang or ""} for q in s.quotes],
            }
            for s in n.sources
        ],
    }


def facets(view: View) -> list[dict[str, object]]:
    """The checkboxes of the reference categories present: key, label (the class label),
    count of nodes."""
    counts = {c: 0 for c in FACETS}
    for n in view.nodes.values():
        if n.category in counts:
            counts[n.category] += 1
    return [{"key": c, "label": view.kinds.get(c, c), "count": k} for c, k in counts.items() if k]


def node_list(view: View, highlight: bool = False) -> list[dict[str, object]]:
    """The text list of the nodes for screen readers, in legend order then by label: id,
    category, label, kind, impact badge, and whether it is shown by default."""
    order = {c.key: i for i, c in enumerate(CATEGORIES)}
    rows = []
    for n in sorted(
        view.nodes.values(), key=lambda n: (order.get(n.category, 99), n.label.casefold(), n.id)
    ):
        badge = n.impact.badge if highlight and n.impact is not None else ""
        rows.append(
            {
                "id": n.id,
                "category": n.category,
                "label": n.label,
                "kind": n.kind,
                "badge": badge,
                "shown": shown_by_default(n, highlight),
            }
        )
    return rows


def payload(view: View, highlight: bool = False) -> dict[str, object]:
    """Everything the page's script needs: vis nodes, edges, options, tooltips, words."""
    net = build_network(view, highlight)
    nodes, edges, _heading, _height, _width, options = net.get_network_data()
    lang = view.lang
    refs = reference_lines(view)
    return {
        "nodes": nodes,
        "edges": edges,
        "options": options if isinstance(options, dict) else json.loads(options),
        "info": {k: _info(n, refs.get(k, []), lang == "ar") for k, n in view.nodes.items()},
        "reached": sorted(k for k, n in view.nodes.items() if highlight and n.impact),
        "facets": [f["key"] for f in facets(view)],
        "lang": lang,
        "dir": "rtl" if lang == "ar" else "ltr",
        "text": {
            k: text(k, lang)
            for k in ("no_match", "matches", "figures", "sources", "impact", "details")
        },
    }


def legend(view: View, highlight: bool = False) -> list[dict[str, str]]:
    """The legend rows for the categories present in the view."""
    present = {n.category for n in view.nodes.values()}
    rows = [
        {"symbol": c.symbol, "color": c.color, "label": view.kinds.get(c.key, c.key)}
        for c in CATEGORIES
        if c.key in present
    ]
    if "group" in present:
        rows.append(
            {"symbol": GROUP.symbol, "color": GROUP.color, "label": text("group", view.lang)}
        )
    if highlight:
        rows.append({"symbol": "◯", "color": PATH_COLOUR, "label": text("affected", view.lang)})
        rows.append({"symbol": "━", "color": PATH_COLOUR, "label": text("path", view.lang)})
    return rows


def _asset(name: str) -> str:
    return (HERE / "assets" / name).read_text(encoding="utf-8")


def _inline(code: str, tag: str) -> str:
    if f"</{tag}" in code.lower():
        raise ValueError(f"cannot inline code that contains </{tag}")
    return code


def render(view: View, highlight: bool = False, report: dict[str, object] | None = None) -> str:
    """The HTML page of *view* (and of an impact *report*, see :mod:`okg.viz.report`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    lang = view.lang
    words = {
        k: text(k, lang)
        for k in (
            "search",
            "find",
            "legend",
            "size_rule",
            "edges",
            "details",
            "sources",
            "line",
            "facets",
            "node_list",
        )
    }
    if lang == "ar":
        env.filters["bidi"] = isolate_html
    else:
        env.filters["bidi"] = lambda value: value
    return env.get_template("page.html").render(
        lang=lang,
        dir="rtl" if lang == "ar" else "ltr",
        title=view.title or text("title", lang),
        counts=text(
            "nodes_edges", lang, nodes=f"{len(view.nodes):,}", edges=f"{len(view.edges):,}"
        ),
        notices=view.notices,
        words=words,
        legend=legend(view, highlight),
        facets=facets(view),
        nodes=node_list(view, highlight),
        report=report,
        data_json=safe_json(payload(view, highlight)),
        vis_css=_inline((VIS_DIR / "vis-network.css").read_text(encoding="utf-8"), "style"),
        vis_js=_inline((VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"), "script"),
        page_css=_inline(_asset("okg-viz.css") + _asset("okg-print.css"), "style"),
        page_js=_inline(_asset("okg-viz.js"), "script"),
    )


def write(
    view: View, out: Path, highlight: bool = False, report: dict[str, object] | None = None
) -> Path:
    """Render and write the page; the folder is created if needed."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(view, highlight, report), encoding="utf-8")
    return out
