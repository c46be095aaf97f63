"""The text parts of an event's impact page, from a :class:`okg.analysis.impact.ImpactResult`.

:func:`report_blocks` returns plain strings in blocks (summary, impact table, totals by country,
contracts, each row's explanation, sources with their quotes) that the page template writes with
autoescape on. Every number is the result's own interval, formatted by
:meth:`okg.figures.intervals.Interval.format`; ranges stay ranges and unknown stays "unknown".
"""

from __future__ import annotations

from okg.analysis.impact.result import ImpactResult, Row, Step
from okg.render.i18n import locale
from okg.render.sentences import step_sentence
from okg.store import KnowledgeGraph
from okg.terms.namespaces import OKGD
from okg.viz.extract import Labels
from okg.viz.style import text
from okg.viz.summary import summary as summary_paragraph
from okg.viz.summary import words as summary_words


def _pct(iv: object, lang: str = "en") -> str:
    return "" if iv is None else locale(lang, isolate=False).fig(iv, percent=True)


def _step(step: Step, label: Labels, lang: str = "en") -> str:
    """The step in plain words (:mod:`okg.render.sentences`); *label* is kept for callers."""
    return step_sentence(step, locale(lang, isolate=False))


def _table_row(row: Row, result: ImpactResult, lang: str) -> list[str]:
    loc = locale(lang, isolate=False)  # analysis-layer words and figures in the page's language
    jobs = loc.fig(row.jobs)
    if row.effect != "loss":
        jobs = f"+{jobs} ({text('created', lang)})"
    if row.included_in:
        jobs = f"{jobs} ({text('included_in', lang)} {_label_of(result, row.included_in)})"
    return [
        row.label,
        row.site_label or "",
        row.country or "",
        _pct(row.revenue_share_lost, lang),
        jobs,
        str(row.depth),
        loc.text(row.status) + (f" · {loc._('inferred')}" if row.inferred else ""),
    ]


def _label_of(result: ImpactResult, iri: str) -> str:
    return next((r.label for r in result.rows if r.actor == iri), iri.rsplit("/", 1)[-1])


Q_SOURCE_LANGS = """SELECT DISTINCT ?src ?code WHERE {
  ?src okg:sourceLanguage ?l . ?l okg:languageCode ?code
}"""


def source_languages(kg: KnowledgeGraph) -> dict[str, str]:
    """Source id to the BCP 47 code of the language it is written in (its quotes' language)."""
    prefix = str(OKGD["source/"])
    return {
        str(src)[len(prefix) :]: str(code)
        for src, code in kg.query(Q_SOURCE_LANGS).rows
        if str(src).startswith(prefix)
    }


def _explanation(row: Row, label: Labels, lang: str, langs: dict[str, str]) -> dict[str, object]:
    loc = locale(lang, isolate=False)
    lines = [f"{text('formula', lang)}: {loc.text(row.formula)}"]
    if row.revenue_formula:
        lines.append(f"{text('revenue_lost', lang)}: {loc.text(row.revenue_formula)}")
    if row.claims_rule:
        lines.append(loc.text(row.claims_rule))
    if row.conflict:
        lines.append(text("conflict", lang))
    lines += [f"{i}. {_step(s, label, lang)}" for i, s in enumerate(row.chain, 1)]
    for c in row.claims:
        lines.append(
            f"{text('claims', lang)}: {loc.text(c.stated or '')} → {loc.fig(c.value)} "
            f"({loc.text(c.employment_type or '')}{loc._('; ')}{c.source_title or c.source or ''})"
        )
    quotes: list[dict[str, str]] = []
    said = [(q, s.source) for s in row.chain for q in s.quotes]
    said += [(q, c.source) for c in row.claims for q in c.quotes]
    for q, source in said:
        if all(x["text"] != q for x in quotes):
            quotes.append({"text": q, "lang": langs.get(source or "", "")})
    title = row.label + (f" — {row.site_label}" if row.site_label else "")
    return {"title": title, "lines": lines, "quotes": quotes}


def _sources(result: ImpactResult, langs: dict[str, str]) -> list[dict[str, object]]:
    by_source: dict[str, dict[str, object]] = {}

    def add(source: str | None, title: str | None, quotes: list[str]) -> None:
        if not source:
            return
        item = by_source.setdefault(
            source, {"title": title or source, "lines": [source], "quotes": []}
        )
        for q in quotes:
            if all(x["text"] != q for x in item["quotes"]):
                item["quotes"].append({"text": q, "lang": langs.get(source, "")})

    for row in result.rows:
        for s in row.chain:
            add(s.source, s.source_title, s.quotes)
        for c in row.claims:
            add(c.source, c.source_title, c.quotes)
    for c in result.contracts:
        for s in c.chain:
            add(s.source, s.source_title, s.quotes)
    for c in result.source_claims:
        add(c.source, c.source_title, c.quotes)
    return [by_source[k] for k in sorted(by_source)]


SOURCES_SAY = {
    "en": "What the sources say",
    "fr": "Ce que disent les sources",
    "ar": "ما تقوله المصادر",
}


def _source_claim(c, langs: dict[str, str], lang: str = "en") -> dict[str, object]:
    """One source's impact claim beside the model's figure (okg.analysis.impact.source_claims)."""
    loc = locale(lang, isolate=False)
    who = c.claimant_label or c.source_title or c.source or ""
    lines = [
        loc.text(c.text),
        f"{loc.text(c.verdict)}{loc._('; ')}{who} ({c.source_title or c.source or ''})",
    ]
    quotes = [{"text": q, "lang": langs.get(c.source or "", "")} for q in c.quotes]
    return {"title": c.actor_label, "lines": lines, "quotes": quotes}


def report_blocks(kg: KnowledgeGraph, result: ImpactResult, lang: str = "en") -> dict[str, object]:
    """The report's blocks for the page template: ``before`` and ``after`` the network."""
    label = Labels(kg, lang)
    langs = source_languages(kg)
    loc = locale(lang, isolate=False)  # analysis-layer words and figures in the page's language
    measure = loc._("exposure") if result.measure == "exposure" else loc._("impact")
    summary = [
        summary_paragraph(result, lang),
        f"{text('as_of', lang)} {result.as_of.isoformat()}: {loc.text(result.timing)}",
        f"{text('measure', lang)}: {measure}{loc._('; ')}"
        f"{text('threshold', lang)}: {loc.num(f'{result.threshold:.0%}')}",
    ]
    blocks: list[dict[str, object]] = [
        {"heading": summary_words(lang)["heading"], "paragraphs": summary, "css": "okg-summary"},
        {
            "heading": text("assumptions", lang),
            "paragraphs": [loc.text(a) for a in (*result.assumptions, *result.notes)],
        },
        {
            "heading": text("table", lang),
            "paragraphs": [] if result.rows else [text("none", lang)],
            "columns": [text(k, lang) for k in ("firm", "site", "country")]
            + [
                text("revenue_lost", lang),
                text("jobs_at_risk", lang),
                text("depth", lang),
                text("status", lang),
            ],
            "rows": [_table_row(r, result, lang) for r in result.rows],
        },
        {
            "heading": text("totals", lang),
            "columns": [
                text(k, lang) for k in ("country", "lost", "created", "net", "unknown_terms")
            ],
            "rows": [
                [
                    t.country,
                    loc.fig(t.lost),
                    loc.fig(t.created),
                    loc.fig(t.net),
                    f"{t.lost_unknown_terms} / {t.created_unknown_terms}",
                ]
                for t in result.countries
            ],
        },
    ]
    if result.source_claims:
        blocks.append(
            {
                "heading": SOURCES_SAY.get(lang, SOURCES_SAY["en"]),
                "entries": [_source_claim(c, langs, lang) for c in result.source_claims],
            }
        )
    if result.contracts:
        blocks.append(
            {
                "heading": text("contracts", lang),
                "columns": [
                    text(k, lang)
                    for k in ("contract", "effect", "fraction", "provider", "client", "depth")
                ],
                "rows": [
                    [
                        c.label,
                        loc.text(c.effect),
                        _pct(c.fraction, lang),
                        label(c.provider) if c.provider else "",
                        label(c.client) if c.client else "",
                        str(c.depth),
                    ]
                    for c in result.contracts
                ],
            }
        )
    after: list[dict[str, object]] = [
        {
            "heading": text("explanations", lang),
            "css": "okg-break",
            "entries": [_explanation(r, label, lang, langs) for r in result.rows],
        }
    ]
    after.append(
        {"heading": text("sources", lang), "css": "okg-break", "entries": _sources(result, langs)}
    )
    if not (result.assumptions or result.notes):
        del blocks[1]
    for b in blocks + after:
        for k in ("paragraphs", "columns", "rows", "entries"):
            b.setdefault(k, [])
        b.setdefault("css", "")
    return {"before": blocks, "network": text("network", lang), "after": after}
