"""How each kind of node looks, and the page's own words in English, French and Arabic.

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

TEXT: dict[str, dict[str, str]] = {
    "title": {"en": "Dependency network", "fr": "Réseau de dépendances", "ar": "شبكة التبعيات"},
    "report": {"en": "Impact report", "fr": "Rapport d'impact", "ar": "تقرير الأثر"},
    "search": {
        "en": "Find a node by label",
        "fr": "Chercher un nœud par son nom",
        "ar": "ابحث عن عقدة باسمها",
    },
    "find": {"en": "Find", "fr": "Chercher", "ar": "بحث"},
    "no_match": {"en": "no match", "fr": "aucun résultat", "ar": "لا نتيجة"},
    "matches": {"en": "match(es)", "fr": "résultat(s)", "ar": "نتيجة"},
    "legend": {"en": "Legend", "fr": "Légende", "ar": "مفتاح الرموز"},
    "size_rule": {
        "en": "Node size: jobs (high end of the largest headcount claim, log scale); "
        "smallest: no jobs figure.",
        "fr": "Taille des nœuds : emplois (borne haute de l'effectif le plus grand, échelle "
        "logarithmique) ; la plus petite : pas de chiffre d'emplois.",
        "ar": "حجم العقدة: الوظائف (الحد الأعلى لأكبر رقم للعاملين، بمقياس لوغاريتمي)؛ "
        "الأصغر: لا رقم للوظائف.",
    },
    "edges": {
        "en": "Edges are labelled by relation.",
        "fr": "Les liens portent le nom de la relation.",
        "ar": "تحمل الروابط اسم العلاقة.",
    },
    "group": {"en": "group of firms", "fr": "groupe d'entreprises", "ar": "مجموعة شركات"},
    "grouped": {
        "en": "{n} nodes exceed the budget of {budget}: {firms} firms are grouped by {by}, "
        "with their counts and summed jobs; their facts and sites are folded into the "
        "groups.",
        "fr": "{n} nœuds dépassent le budget de {budget} : {firms} entreprises sont regroupées "
        "par {by}, avec leur nombre et la somme de leurs emplois ; leurs faits et sites "
        "sont repliés dans les groupes.",
        "ar": "{n} عقدة تتجاوز الحد ({budget}): جُمعت {firms} شركة حسب {by} مع عددها ومجموع "
        "وظائفها؛ وطُويت وقائعها ومواقعها داخل المجموعات.",
    },
    "by_country_sector": {
        "en": "country and sector",
        "fr": "pays et secteur",
        "ar": "البلد والقطاع",
    },
    "by_country": {"en": "country", "fr": "pays", "ar": "البلد"},
    "truncated": {
        "en": "Still {n} nodes after grouping: only the {budget} best connected are drawn.",
        "fr": "Encore {n} nœuds après regroupement : seuls les {budget} plus connectés sont "
        "dessinés.",
        "ar": "ما زالت {n} عقدة بعد التجميع: رُسمت {budget} الأكثر ارتباطًا فقط.",
    },
    "firms": {"en": "firms", "fr": "entreprises", "ar": "شركات"},
    "jobs": {"en": "jobs", "fr": "emplois", "ar": "الوظائف"},
    "unknown_jobs": {
        "en": "with no jobs figure",
        "fr": "sans chiffre d'emplois",
        "ar": "دون رقم للوظائف",
    },
    "figures": {"en": "Figures", "fr": "Chiffres", "ar": "الأرقام"},
    "sources": {"en": "Sources", "fr": "Sources", "ar": "المصادر"},
    "line": {"en": "line", "fr": "ligne", "ar": "السطر"},
    "illustrative": {"en": "illustrative", "fr": "illustratif", "ar": "توضيحي"},
    "stated": {"en": "stated as", "fr": "énoncé", "ar": "كما ورد"},
    "impact": {"en": "Impact", "fr": "Impact", "ar": "الأثر"},
    "jobs_at_risk": {"en": "jobs at risk", "fr": "emplois menacés", "ar": "وظائف مهددة"},
    "revenue_lost": {
        "en": "revenue share lost",
        "fr": "part du chiffre d'affaires perdue",
        "ar": "حصة رقم المعاملات المفقودة",
    },
    "depth": {"en": "depth", "fr": "profondeur", "ar": "العمق"},
    "status": {"en": "status", "fr": "statut", "ar": "الحالة"},
    "affected": {
        "en": "affected by the event",
        "fr": "touché par l'événement",
        "ar": "متأثر بالحدث",
    },
    "path": {"en": "propagation path", "fr": "chemin de propagation", "ar": "مسار الانتقال"},
    "details": {
        "en": "Click a node for its details.",
        "fr": "Cliquez sur un nœud pour ses détails.",
        "ar": "انقر على عقدة لعرض تفاصيلها.",
    },
    "nodes_edges": {
        "en": "{nodes} nodes, {edges} edges",
        "fr": "{nodes} nœuds, {edges} liens",
        "ar": "{nodes} عقدة، {edges} رابط",
    },
    "summary": {"en": "Event", "fr": "Événement", "ar": "الحدث"},
    "as_of": {"en": "as of", "fr": "à la date du", "ar": "بتاريخ"},
    "measure": {"en": "measure", "fr": "mesure", "ar": "المقياس"},
    "threshold": {"en": "threshold", "fr": "seuil", "ar": "العتبة"},
    "assumptions": {"en": "Assumptions", "fr": "Hypothèses", "ar": "الافتراضات"},
    "notes": {"en": "Notes", "fr": "Remarques", "ar": "ملاحظات"},
    "table": {"en": "Who is hit", "fr": "Qui est touché", "ar": "من يتأثر"},
    "totals": {"en": "Totals by country", "fr": "Totaux par pays", "ar": "المجاميع حسب البلد"},
    "contracts": {"en": "Contracts", "fr": "Contrats", "ar": "العقود"},
    "explanations": {
        "en": "Why: each row's explanation",
        "fr": "Pourquoi : l'explication de chaque ligne",
        "ar": "لماذا: شرح كل سطر",
    },
    "network": {
        "en": "The network around the event",
        "fr": "Le réseau autour de l'événement",
        "ar": "الشبكة حول الحدث",
    },
    "firm": {"en": "firm or segment", "fr": "entreprise ou segment", "ar": "الشركة أو الشريحة"},
    "site": {"en": "site", "fr": "site", "ar": "الموقع"},
    "country": {"en": "country", "fr": "pays", "ar": "البلد"},
    "effect": {"en": "effect", "fr": "effet", "ar": "الأثر"},
    "lost": {"en": "jobs lost", "fr": "emplois perdus", "ar": "الوظائف المفقودة"},
    "created": {"en": "jobs created", "fr": "emplois créés", "ar": "الوظائف المحدثة"},
    "net": {"en": "net", "fr": "solde", "ar": "الصافي"},
    "unknown_terms": {
        "en": "figures unknown (lost / created)",
        "fr": "chiffres inconnus (perdus / créés)",
        "ar": "أرقام غير معروفة (مفقودة / محدثة)",
    },
    "contract": {"en": "contract", "fr": "contrat", "ar": "العقد"},
    "fraction": {"en": "share of the contract", "fr": "part du contrat", "ar": "حصة العقد"},
    "provider": {"en": "provider", "fr": "prestataire", "ar": "المزود"},
    "client": {"en": "client", "fr": "client", "ar": "الزبون"},
    "formula": {"en": "rule", "fr": "règle", "ar": "القاعدة"},
    "claims": {"en": "claims", "fr": "affirmations", "ar": "الادعاءات"},
    "included_in": {"en": "already counted in", "fr": "déjà compté dans", "ar": "محسوب ضمن"},
    "conflict": {
        "en": "the sources disagree; all claims are kept",
        "fr": "les sources divergent ; toutes les affirmations sont gardées",
        "ar": "المصادر متعارضة؛ احتُفظ بكل الادعاءات",
    },
    "none": {"en": "Nothing is reached.", "fr": "Rien n'est atteint.", "ar": "لا شيء يتأثر."},
    "facets": {
        "en": "Show reference nodes",
        "fr": "Afficher les nœuds de référence",
        "ar": "إظهار العقد المرجعية",
    },
    "node_list": {
        "en": "Nodes shown, as a list",
        "fr": "Nœuds affichés, en liste",
        "ar": "العقد المعروضة في قائمة",
    },
}


def text(key: str, lang: str, **fields: object) -> str:
    """The page's own words for *key* in *lang* (English if missing), with *fields* filled in."""
    words = TEXT[key].get(lang) or TEXT[key]["en"]
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
    right-to-left letter it is made ``dir="ltr"``."""
    if _RTL.search(m.group(1)):
        return m.group(0)
    return f'<bdi dir="ltr">{m.group(1)}</bdi>'


def has_rtl(text: str) -> bool:
    return bool(_RTL.search(text))
