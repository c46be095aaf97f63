"""``okg impact`` (event impact propagation) and ``okg analyze`` (concentration, weak points)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated

import typer
from okg.cli.common import LangOption, StoreOption, console, fail, open_store
from rich.table import Table

FormatOption = Annotated[str, typer.Option("--format", help="table, json or md.")]


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of: '{text}' is not a date (write YYYY-MM-DD)")
        raise  # unreachable


def _check_options(
    fmt: str, lang: str, as_of: str | None, threshold: float, max_depth: int | None, top: int | None
) -> dt.date | None:
    """Check the options impact and analyze share; returns the --as-of date."""
    if fmt not in ("table", "json", "md"):
        fail(f"--format: unknown format '{fmt}'; expected table, json or md")
    if lang not in ("en", "fr", "ar"):
        fail(f"--lang: unknown language '{lang}'; expected en, fr or ar")
    day = _date(as_of)
    if not 0 < threshold <= 1:
        fail(f"--threshold: {threshold} is not a share in (0, 1]")
    if max_depth is not None and max_depth < 1:
        fail(f"--max-depth: {max_depth} is less than 1")
    if top is not None and top < 1:
        fail(f"--top: {top} is less than 1")
    return day


def _print_events(kg, fmt: str, lang: str) -> None:
    from okg.analysis.impact import list_events

    events = list_events(kg)
    if fmt == "json":
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "id": e.id,
                        "source": e.source,
                        "iri": e.iri,
                        "types": e.types,
                        "label": e.label(lang),
                        "dates": {k: v.isoformat() for k, v in e.dates.items()},
                    }
                    for e in events
                ],
                ensure_ascii=False,
                indent=2,
            )
            + "\n"
        )
        return
    if fmt == "md":
        lines = ["| id | source | types | dates | label |", "|---|---|---|---|---|"]
        for e in events:
            dates = ", ".join(f"{k} {v}" for k, v in sorted(e.dates.items()))
            lines.append(
                f"| {e.id} | {e.source} | {', '.join(e.types)} | {dates} | "
                f"{e.label(lang).replace('|', '/')} |"
            )
        sys.stdout.write("\n".join(lines) + "\n")
        return
    t = Table(title="Events (okg impact EVENT)")
    t.add_column("id", no_wrap=True)
    for col in ("source", "types", "dates", "label"):
        t.add_column(col, overflow="fold")
    for e in events:
        t.add_row(
            e.id,
            e.source or "",
            ", ".join(e.types),
            ", ".join(f"{k} {v}" for k, v in sorted(e.dates.items())),
            e.label(lang),
        )
    console.print(t)
    if not events:
        console.print("The store has no events; load fact files with 'okg build'.", markup=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def impact(
        event: Annotated[
            str | None,
            typer.Argument(
                help="Event id as in the fact files (e.g. total-relocation), SOURCE/ID, or IRI.",
                show_default=False,
            ),
        ] = None,
        list_events_: Annotated[bool, typer.Option("--list", help="List the events.")] = False,
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of",
                help="Date to judge the event's stage at (default: today).",
                show_default=False,
            ),
        ] = None,
        threshold: Annotated[
            float,
            typer.Option(
                "--threshold", help="Share of revenue (0-1] whose loss means closure risk."
            ),
        ] = 0.5,
        max_depth: Annotated[
            int | None,
            typer.Option(
                "--max-depth", help="Bound the cascade (1: direct hits only).", show_default=False
            ),
        ] = None,
        top: Annotated[
            int | None,
            typer.Option(
                "--top",
                help="Show the first N rows (totals still count every row).",
                show_default=False,
            ),
        ] = None,
        format: FormatOption = "table",
        lang: LangOption = "en",
        store: StoreOption = None,
    ) -> None:
        """Propagate an event's impact: affected firms and segments ranked by jobs at risk,
        totals by country, and each row's chain of sourced edges and formula."""
        from okg.analysis.impact import run_impact
        from okg.analysis.impact.events import EventNotFound
        from okg.render.impact import markdown, print_report

        day = _check_options(format, lang, as_of, threshold, max_depth, top)
        kg = open_store(store)
        if list_events_:
            _print_events(kg, format, lang)
            return
        if not event:
            fail("name an event (okg impact EVENT), or list them with 'okg impact --list'")
        try:
            result = run_impact(
                kg, event, as_of=day, threshold=threshold, max_depth=max_depth, lang=lang
            )
        except EventNotFound as exc:
            fail(str(exc))
            return
        if format == "json":
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        elif format == "md":
            sys.stdout.write(markdown(result, top))
        else:
            print_report(result, console, top)

    @app.command()
    def analyze(
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of",
                help="Date the events are judged at (default: today).",
                show_default=False,
            ),
        ] = None,
        threshold: Annotated[
            float,
            typer.Option(
                "--threshold", help="Share of revenue (0-1] whose loss means closure risk."
            ),
        ] = 0.5,
        max_depth: Annotated[
            int | None, typer.Option("--max-depth", help="Bound each cascade.", show_default=False)
        ] = None,
        top: Annotated[int, typer.Option("--top", help="Rows shown per table.")] = 20,
        format: FormatOption = "table",
        lang: LangOption = "en",
        store: StoreOption = None,
    ) -> None:
        """Market concentration (Herfindahl) of each actor, single points of failure ranked by
        jobs at risk, and the countries and sectors most exposed."""
        from okg.analysis.analyze import analyze as run_analysis

        day = _check_options(format, lang, as_of, threshold, max_depth, top)
        result = run_analysis(
            open_store(store), threshold=threshold, max_depth=max_depth, lang=lang, as_of=day
        )
        if format == "json":
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
            return
        tables = _analysis_tables(result, top)
        if format == "md":
            out = []
            for title, cols, rows in tables:
                out += [f"## {title}", "", "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
                out += ["| " + " | ".join(c.replace("|", "/") for c in r) + " |" for r in rows]
                out.append("")
            out += ["## Assumptions", ""] + [f"- {a}" for a in result.assumptions]
            sys.stdout.write("\n".join(out) + "\n")
            return
        for title, cols, rows in tables:
            t = Table(title=title)
            for c in cols:
                t.add_column(c, overflow="fold")
            for r in rows:
                t.add_row(*r)
            console.print(t)
        console.print("Assumptions:", markup=False, style="bold")
        for a in result.assumptions:
            console.print(f"  - {a}", markup=False)


def _analysis_tables(result, top: int) -> list[tuple[str, list[str], list[list[str]]]]:
    def jobs(iv, name) -> str:
        return "—" if name is None else iv.format()

    conc = [
        [
            c.label,
            c.country or "",
            c.hhi.format(),
            "; ".join(f"{m.label} {m.share.format(percent=True)} ({m.basis})" for m in c.markets),
        ]
        for c in result.concentration[:top]
    ]
    spof = [
        [
            f.kind,
            f.label,
            f.jobs.format() + (f" (+{f.unknown_terms} unknown)" if f.unknown_terms else ""),
            str(f.actors_hit),
            ", ".join(f.countries),
        ]
        for f in result.failures[:top]
    ]
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
        (
            "Market concentration (Herfindahl index, 0-1)",
            ["actor", "country", "HHI", "markets"],
            conc,
        ),
        (
            "Single points of failure (ranked by jobs at risk)",
            ["lost", "contract/actor", "jobs at risk", "actors hit", "countries"],
            spof,
        ),
        ("Most exposed countries", ["country", *exp_cols], exp(result.countries)),
        ("Most exposed sectors (NACE)", ["sector", *exp_cols], exp(result.sectors)),
    ]
