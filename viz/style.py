"""How each kind of node looks, and the page's own words (msgids of the message catalogue).

A node's *category* is the first class in :data:`CATEGORIES` it belongs to (types include the
derived closure, so a ``cc:ContactCentreOperator`` is a ``firm``). Categories that are reference
vocabulary (countries, markets, activities...) end a path when views are cut around seeds.

>>> from okg.viz.style import category_of, CATEGORY
>>> from okg.terms.namespaces import OKG
>>> category_of({OKG.Relocation, OKG.Event, OKG.Fact})
'event'
>>> CATEGORY["firm"].shape
'dot'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape
from okg.render.i18n import N_, locale
from okg.terms.namespaces import OKG
from rdflib import URIRef


@dataclass(frozen=True)
class Category:
    key: str
    cls: URIRef
    color: str
    shape: str
    symbol: str  # the legend's sign for the shape


CATEGORIES: list[Category] = [
    Category("event", OKG.Event, "#d62728", "star", "★"),
    Category("regulation", OKG.Regulation, "#9467bd", "star", "★"),
    Category("contract", OKG.Contract, "#6baed6", "diamond", "◆"),
    Category("tender", OKG.Tender, "#fdae6b", "diamond", "◆"),
    Category("workforce", OKG.Workforce, "#31a354", "square", "■"),
    Category("dependency", OKG.MarketDependency, "#fd8d3c", "diamond", "◆"),
    Category("share", OKG.ActivityShare, "#bcbddc", "diamond", "◆"),
    Category("membership", OKG.Membership, "#f7b6d2", "square", "■"),
    Category("segment", OKG.IndustrySegment, "#17becf", "dot", "●"),
    Category("firm", OKG.Firm, "#1f77b4", "dot", "●"),
    Category("actor", OKG.EconomicActor, "#1f77b4", "dot", "●"),
    Category("association", OKG.Association, "#bcbd22", "triangle", "▲"),
    Category("person", OKG.Person, "#e377c2", "triangleDown", "▼"),
    Category("site", OKG.Site, "#2ca02c", "square", "■"),
    Category("city", OKG.City, "#98df8a", "square", "■"),
    Category("country", OKG.Country, "#8c564b", "hexagon", "⬢"),
    Category("market", OKG.Market, "#ff7f0e", "hexagon", "⬢"),
    Category("activity", OKG.Activity, "#7f7f7f", "triangle", "▲"),
    Category("sector", OKG.Sector, "#c49c94", "triangleDown", "▼"),
    Category("language", OKG.Language, "#c7c7c7", "triangleDown", "▼"),
]
CATEGORY: dict[str, Category] = {c.key: c for c in CATEGORIES}
GROUP = Category("group", OKG.Firm, "#9ecae1", "dot", "●")
"""An aggregated node: the firms of one country (and sector)."""

REFERENCE = frozenset({"country", "market", "activity", "sector", "language", "city"})
"""Categories that end a path when a view is cut around seeds (they are hubs)."""
FOLDED = frozenset({"workforce", "dependency", "share", "contract", "tender", "membership", "site"})
"""Categories of facts and places folded into their firm's group when firms are grouped."""
FIRM_LIKE = frozenset({"firm", "actor"})

_BY_CLASS = {str(c.cls): c.key for c in CATEGORIES}


def category_of(types: Iterable[str]) -> str | None:
    """The first category (in :data:`CATEGORIES` order) among *types* (IRIs), or None."""
    keys = {_BY_CLASS[str(t)] for t in types if str(t) in _BY_CLASS}
    return next((c.key for c in CATEGORIES if c.key in keys), None)


LANGS = ("en", "fr", "ar")

TEXT: dict[str, str] = {
    "title": N_("Dependency network"),
    "report": N_("Impact report"),
    "search": N_("Find a node by label"),
    "find": N_("Find"),
    "no_match": N_("no match"),
    "matches": N_("match(es)"),
    "legend": N_("Legend"),
    "size_rule": N_(
        "Node size: jobs (high end of the largest headcount claim, log scale); smallest: no jobs figure."
    ),
    "edges": N_("Edges are labelled by relation."),
    "group": N_("group of firms"),
    "grouped": N_(
        "{n} nodes exceed the budget of {budget}: {firms} firms are grouped by {by}, with their counts and summed jobs; their facts and sites are folded into the groups."
    ),
    "by_country_sector": N_("country and sector"),
    "by_country": N_("country"),
    "truncated": N_("Still {n} nodes after grouping: only the {budget} best connected are drawn."),
    "firms": N_("firms"),
    "jobs": N_("jobs"),
    "unknown_jobs": N_("with no jobs figure"),
    "figures": N_("Figures"),
    "sources": N_("Sources"),
    "line": N_("line"),
    "illustrative": N_("illustrative"),
    "stated": N_("stated as"),
    "impact": N_("Impact"),
    "jobs_at_risk": N_("jobs at risk"),
    "revenue_lost": N_("revenue share lost"),
    "depth": N_("depth"),
    "status": N_("status"),
    "affected": N_("affected by the event"),
    "path": N_("propagation path"),
    "details": N_("Click a node for its details."),
    "nodes_edges": N_("{nodes} nodes, {edges} edges"),
    "summary": N_("Event"),
    "as_of": N_("as of"),
    "measure": N_("measure"),
    "threshold": N_("threshold"),
    "assumptions": N_("Assumptions"),
    "notes": N_("Notes"),
    "table": N_("Who is hit"),
    "totals": N_("Totals by country"),
    "contracts": N_("Contracts"),
    "explanations": N_("Why: each row's explanation"),
    "network": N_("The network around the event"),
    "firm": N_("firm or segment"),
    "site": N_("site"),
    "country": N_("country"),
    "effect": N_("effect"),
    "lost": N_("jobs lost"),
    "created": N_("jobs created"),
    "net": N_("net"),
    "unknown_terms": N_("figures unknown (lost / created)"),
    "contract": N_("contract"),
    "fraction": N_("share of the contract"),
    "provider": N_("provider"),
    "client": N_("client"),
    "formula": N_("rule"),
    "claims": N_("claims"),
    "included_in": N_("already counted in"),
    "conflict": N_("the sources disagree; all claims are kept"),
    "none": N_("Nothing is reached."),
    "facets": N_("Show reference nodes"),
    "node_list": N_("Nodes shown, as a list"),
}


def text(key: str, lang: str, **fields: object) -> str:
    """The page's own words for *key* in *lang*, from the one message catalogue
    (:mod:`okg.render.i18n`; English for a language it does not have), *fields* filled in.

    >>> text("legend", "fr"), text("legend", "xx")
    ('Légende', 'Legend')
    """
    words = locale(lang)._(TEXT[key]) if lang in LANGS else TEXT[key]
    return words.format(**fields) if fields else words


FACETS: tuple[str, ...] = ("country", "sector", "activity", "language")
"""Reference categories hidden by default on a network page and shown by a checkbox (facet).

Their information stays on the nodes that point to them, as tooltip lines (``country:
Belgium``)."""

LRI, PDI = "\u2066", "\u2069"
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
_RUN = re.compile(r"[^\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff\n]+")
_STRONG_OR_DIGIT = re.compile(r"[0-9A-Za-z\u00c0-\u024f]")
_TRIM = " \t:;,.،؛"


def _trim(run: str) -> tuple[int, int]:
    """Start and end of the part of *run* to isolate: without the spaces and separators around
    it, and without a bracket that is not closed inside it."""
    a, b = 0, len(run)
    while True:
        start, end = a, b
        while a < b and run[a] in _TRIM:
            a += 1
        while b > a and run[b - 1] in _TRIM:
            b -= 1
        part = run[a:b]
        if part.endswith("(") or part.endswith(")") and part.count(")") > part.count("("):
            b -= 1
        elif part.startswith(")") or part.startswith("(") and part.count("(") > part.count(")"):
            a += 1
        if (a, b) == (start, end):
            return a, b


def ltr_runs(text: str) -> list[tuple[str, bool]]:
    """*text* cut into parts; the parts marked True are left-to-right runs to isolate in a
    right-to-left page: figures, ranges (``15 to 20%``, ``−199,999 to −24,000``), codes and
    Latin names, i.e. a stretch with no right-to-left letter that holds a digit or a Latin
    letter, without the spaces, separators and unmatched brackets around it.

    >>> ltr_runs("حصة النشاط: 15 to 20% (تقريبي)")
    [('حصة النشاط: ', False), ('15 to 20%', True), (' (تقريبي)', False)]
    """
    out: list[tuple[str, bool]] = []
    at = 0
    for m in _RUN.finditer(text):
        run = m.group()
        if not _STRONG_OR_DIGIT.search(run):
            continue
        a, b = _trim(run)
        if a >= b or not _STRONG_OR_DIGIT.search(run[a:b]):
            continue
        s, e = m.start() + a, m.start() + b
        if s > at:
            out.append((text[at:s], False))
        out.append((text[s:e], True))
        at = e
    if at < len(text):
        out.append((text[at:], False))
    return out


def isolate(text: str) -> str:
    """*text* with every left-to-right run (:func:`ltr_runs`) between the Unicode isolates LRI
    and PDI, for text that a script or the canvas draws (tooltips, node labels).

    A left-to-right isolate, not a first-strong one (FSI): ``15–20%`` holds no strong letter,
    and an FSI would take the right-to-left direction around it and show ``20%–15``.

    >>> isolate("العمق: 2") == "العمق: " + LRI + "2" + PDI
    True
    """
    if not isinstance(text, str) or not _STRONG_OR_DIGIT.search(text):
        return text
    return "".join(f"{LRI}{part}{PDI}" if ltr else part for part, ltr in ltr_runs(text))


def isolate_html(text: object) -> Markup:
    """*text* escaped, each left-to-right run in ``<bdi dir="ltr">`` (for the page's HTML).

    Markup (built by okg code, e.g. :mod:`okg.viz.summary`) is kept, except that its bare
    ``<bdi>`` elements with no right-to-left letter get ``dir="ltr"``.

    >>> str(isolate_html("نحو 15–20%، <i>"))
    'نحو <bdi dir="ltr">15–20%</bdi>، <bdi dir="ltr">&lt;i&gt;</bdi>'
    """
    if isinstance(text, Markup):  # built by okg code: only its bare <bdi> get a direction
        return Markup(_BARE_BDI.sub(_bdi_direction, str(text)))
    return Markup("").join(
        Markup('<bdi dir="ltr">{}</bdi>').format(part) if ltr else escape(part)
        for part, ltr in ltr_runs(str(text))
    )


_BARE_BDI = re.compile(r"<bdi>([^<]*)</bdi>")


def _bdi_direction(m: re.Match) -> str:
    """A ``<bdi>`` without ``dir`` takes the first strong letter's direction, and the page's
    when it holds none: ``<bdi>15–20%</bdi>`` shows ``20%–15`` in Arabic. Without any
    right-to-left letter it is made ``dir="ltr"``; with one, each left-to-right run inside it is
    isolated (``<bdi>حوالي 163 (146–180)</bdi>`` would show ``180–146``).

    >>> _BARE_BDI.sub(_bdi_direction, "<bdi>حوالي 163 (146–180)</bdi>")
    '<bdi>حوالي <bdi dir="ltr">163 (146–180)</bdi></bdi>'
    """
    inner = m.group(1)
    if _RTL.search(inner):
        runs = (f'<bdi dir="ltr">{p}</bdi>' if ltr else p for p, ltr in ltr_runs(inner))
        return f"<bdi>{''.join(runs)}</bdi>"
    return f'<bdi dir="ltr">{inner}</bdi>'


def has_rtl(text: str) -> bool:
    return bool(_RTL.search(text))
