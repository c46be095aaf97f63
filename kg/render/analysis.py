"""``okg analyze`` results and the event list of ``okg impact --list``, as tables and text
(``okg check``'s lines are in :mod:`okg.render.check`). Renderers only format what they are
given.

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

from okg.render.i18n import N_, Locale, locale
from okg.render.tables import TextTable, json_text, md_text, print_tables, render

# -- okg impact --list --------------------------------------------------------------------------


def events_table(events, lang: str | Locale) -> TextTable:
    """The events (``EventInfo``) as a table: id, source, types, dates, label in *lang*."""
    loc = locale(lang)
    return TextTable(
        loc._("Events (okg impact EVENT)"),
        ["id", loc._("source"), loc._("types"), loc._("dates"), loc._("label")],
        [
            [
                e.id,
                e.source or "",
                ", ".join(e.types),
                ", ".join(f"{k} {v}" for k, v in sorted(e.dates.items())),
                e.label(loc.lang),
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


NO_EVENTS = N_("The store has no events; load fact files with 'okg build'.")


# -- okg analyze --------------------------------------------------------------------------------


def analysis_tables(result, top: int, lang: str | Locale = "en") -> list[TextTable]:
    """The four tables of an :class:`~okg.analysis.analyze.Analysis`, *top* rows each."""
    loc = locale(lang)

    def jobs(iv, name) -> str:
        return "—" if name is None else loc.fig(iv)

    def mark(x) -> str:  # segments and illustrative rows say so (okg.analysis.analyze)
        return (
            x.label
            + (loc._(" (segment)") if getattr(x, "segment", False) else "")
            + (loc._(" (illustrative)") if getattr(x, "illustrative", False) else "")
        )

    conc = [
        [
            mark(c),
            c.country or "",
            loc.fig(c.hhi),
            "; ".join(
                f"{m.label} {loc.fig(m.share, percent=True)} ({loc.text(m.basis)})"
                for m in c.markets
            ),
        ]
        for c in result.concentration[:top]
    ]

    def failure_rows(items):
        return [
            [
                loc.text(f.kind),
                mark(f),
                loc.fig(f.jobs)
                + (
                    " "
                    + loc.ngettext("(+{n} unknown)", "(+{n} unknown)", f.unknown_terms).format(
                        n=loc.num(str(f.unknown_terms))
                    )
                    if f.unknown_terms
                    else ""
                ),
                str(f.actors_hit),
                ", ".join(f.countries),
            ]
            for f in items[:top]
        ]

    spof = failure_rows(result.failures)
    exp_cols = [
        loc._("worst event"),
        loc._("jobs"),
        loc._("worst single failure"),
        loc._("jobs"),
        loc._("scenarios"),
    ]

    def exp(items):
        return [
            [
                loc._(e.name) if e.name == "unknown sector" else e.name,
                e.worst_event or "—",
                jobs(e.worst_event_jobs, e.worst_event),
                e.worst_failure or "—",
                jobs(e.worst_failure_jobs, e.worst_failure),
                str(e.scenarios),
            ]
            for e in items[:top]
        ]

    hit = [loc._("lost"), None, loc._("jobs at risk"), loc._("actors hit"), loc._("countries")]
    return [
        TextTable(
            loc._("Market concentration (Herfindahl index, 0-1)"),
            [loc._("actor"), loc._("country"), "HHI", loc._("markets")],
            conc,
            key="concentration",
        ),
        TextTable(
            loc._("Single points of failure (ranked by jobs at risk)"),
            [hit[0], loc._("contract/actor"), *hit[2:]],
            spof,
            key="failures",
            right={3},
        ),
        TextTable(
            loc._("Segments stopping as a whole (many firms: not single points of failure)"),
            [hit[0], loc._("segment"), *hit[2:]],
            failure_rows(getattr(result, "segments", [])),
            key="segments",
            right={3},
        ),
        TextTable(
            loc._("Most exposed countries"),
            [loc._("country"), *exp_cols],
            exp(result.countries),
            key="countries",
            right={5},
        ),
        TextTable(
            loc._("Most exposed sectors (NACE)"),
            [loc._("sector"), *exp_cols],
            exp(result.sectors),
            key="sectors",
            right={5},
        ),
    ]


def render_analysis(
    result, fmt: str, top: int, lang: str | Locale = "en", digits: str = "latn"
) -> str:
    """The analysis as ``json`` (every row, :meth:`to_dict`), ``md`` or ``csv`` (*top* rows);
    human text in *lang* (JSON keeps its English keys and machine values)."""
    if fmt == "json":
        return json_text(result.to_dict())
    loc = locale(lang, digits, isolate=None if fmt == "md" else False)
    tables = analysis_tables(result, top, loc)
    if fmt == "md":
        text = render(tables, "md")
        return (
            text
            + f"\n## {loc._('Assumptions')}\n\n"
            + "".join(f"- {md_text(loc.text(a))}\n" for a in result.assumptions)
        )
    return render(tables, fmt)


def print_analysis(result, console, top: int, lang: str | Locale = "en") -> None:
    """The analysis as rich tables, then its assumptions."""
    loc = locale(lang)
    print_tables(analysis_tables(result, top, loc), console)
    console.print(loc._("Assumptions:"), markup=False, style="bold")
    for a in result.assumptions:
        console.print(f"  - {loc.text(a)}", markup=False)
