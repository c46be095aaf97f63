"""``okg analyze`` results, the event list of ``okg impact --list`` and the conflicting claims
of ``okg check``, as tables and text. Renderers only format what they are given.

>>> from okg.render.tables import render
>>> from types import SimpleNamespace as NS
>>> import datetime as dt
>>> e = NS(id="fr-ban-vote", source="assahafa", iri="https://w3id.org/okg/data/fr-ban-vote",
...        types=["okg:Regulation"], dates={"effective": dt.date(2026, 8, 1)},
...        label=lambda lang: "French ban")
>>> print(render([events_table([e], "en")], "csv"), end="")
id,source,types,dates,label
fr-ban-vote,assahafa,okg:Regulation,effective 2026-08-01,French ban
"""

from __future__ import annotations

from okg.render.tables import TextTable, json_text, md_text, print_tables, render

# -- okg impact --list --------------------------------------------------------------------------


def events_table(events, lang: str) -> TextTable:
    """The events (``EventInfo``) as a table: id, source, types, dates, label in *lang*."""
    return TextTable(
        "Events (okg impact EVENT)",
        ["id", "source", "types", "dates", "label"],
        [
            [
                e.id,
                e.source or "",
                ", ".join(e.types),
                ", ".join(f"{k} {v}" for k, v in sorted(e.dates.items())),
                e.label(lang),
            ]
            for e in events
        ],
    )


def events_json(events, lang: str) -> str:
    """The events as JSON (dates as ISO text, types as a list)."""
    data = [
        {
            "id": e.id,
            "source": e.source,
            "iri": e.iri,
            "types": e.types,
            "label": e.label(lang),
            "dates": {k: v.isoformat() for k, v in e.dates.items()},
        }
        for e in events
    ]
    return json_text(data)


NO_EVENTS = "The store has no events; load fact files with 'okg build'."


# -- okg analyze --------------------------------------------------------------------------------


def analysis_tables(result, top: int) -> list[TextTable]:
    """The four tables of an :class:`~okg.analysis.analyze.Analysis`, *top* rows each."""

    def jobs(iv, name) -> str:
        return "—" if name is None else iv.format()

    def mark(x) -> str:  # segments and illustrative rows say so (okg.analysis.analyze)
        return (
            x.label
            + (" (segment)" if getattr(x, "segment", False) else "")
            + (" (illustrative)" if getattr(x, "illustrative", False) else "")
        )

    conc = [
        [
            mark(c),
            c.country or "",
            c.hhi.format(),
            "; ".join(f"{m.label} {m.share.format(percent=True)} ({m.basis})" for m in c.markets),
        ]
        for c in result.concentration[:top]
    ]

    def failure_rows(items):
        return [
            [
                f.kind,
                mark(f),
                f.jobs.format() + (f" (+{f.unknown_terms} unknown)" if f.unknown_terms else ""),
                str(f.actors_hit),
                ", ".join(f.countries),
            ]
            for f in items[:top]
        ]

    spof = failure_rows(result.failures)
    exp_cols = ["worst event", "jobs", "worst single failure", "jobs", "scenarios"]

    def exp(items):
        return [
            [
                e.name,
                e.worst_event or "—",
                jobs(e.worst_event_jobs, e.worst_event),
                e.worst_failure or "—",
                jobs(e.worst_failure_jobs, e.worst_failure),
                str(e.scenarios),
            ]
            for e in items[:top]
        ]

    return [
        TextTable(
            "Market concentration (Herfindahl index, 0-1)",
            ["actor", "country", "HHI", "markets"],
            conc,
            key="concentration",
        ),
        TextTable(
            "Single points of failure (ranked by jobs at risk)",
            ["lost", "contract/actor", "jobs at risk", "actors hit", "countries"],
            spof,
            key="failures",
            right={3},
        ),
        TextTable(
            "Segments stopping as a whole (many firms: not single points of failure)",
            ["lost", "segment", "jobs at risk", "actors hit", "countries"],
            failure_rows(getattr(result, "segments", [])),
            key="segments",
            right={3},
        ),
        TextTable(
            "Most exposed countries",
            ["country", *exp_cols],
            exp(result.countries),
            key="countries",
            right={5},
        ),
        TextTable(
            "Most exposed sectors (NACE)",
            ["sector", *exp_cols],
            exp(result.sectors),
            key="sectors",
            right={5},
        ),
    ]


def render_analysis(result, fmt: str, top: int) -> str:
    """The analysis as ``json`` (every row, :meth:`to_dict`), ``md`` or ``csv`` (*top* rows)."""
    if fmt == "json":
        return json_text(result.to_dict())
    tables = analysis_tables(result, top)
    if fmt == "md":
        text = render(tables, "md")
        return (
            text + "\n## Assumptions\n\n" + "".join(f"- {md_text(a)}\n" for a in result.assumptions)
        )
    return render(tables, fmt)


def print_analysis(result, console, top: int) -> None:
    """The analysis as rich tables, then its assumptions."""
    print_tables(analysis_tables(result, top), console)
    console.print("Assumptions:", markup=False, style="bold")
    for a in result.assumptions:
        console.print(f"  - {a}", markup=False)


# -- okg check: conflicting claims --------------------------------------------------------------


def conflict_lines(conflicts, title: str = "Conflicting claims") -> list[str]:
    """Claims about one figure as text: each figure, its breakdown, both ranges (or why they
    conflict), what a breakdown leaves unexplained, its claims and their quotes."""
    lines = [f"{title}: {len(conflicts)}"]
    for i, c in enumerate(conflicts, 1):
        lines += ["", f"[{i}] {c.label}"]
        if c.breakdown:
            lines.append(f"    breakdown: {c.breakdown}")
        if c.envelope is not None:
            lines.append(f"    {c.ranges_text()}")
        lines += [f"    {r}" for r in c.remainders]
        for cl in c.claims:
            where = f"{cl.source_title}" + (f", fact file line {cl.line}" if cl.line else "")
            lines.append(f"  - {cl.stated_as}  → {cl.interval()}   ({where})")
            lines += [f"      «{q}»" for q in cl.quotes]
    return lines
