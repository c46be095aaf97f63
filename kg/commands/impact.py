"""``okg impact`` (event impact propagation) and ``okg analyze`` (concentration, weak points)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from kg.commands.common import LangOption, StoreOption, console, fail, open_store

FormatOption = Annotated[str, typer.Option("--format", help="table, json or md.")]


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        fail(f"--as-of: '{text}' is not a date (write YYYY-MM-DD)")
        raise  # unreachable


def _check_format(fmt: str) -> None:
    if fmt not in ("table", "json", "md"):
        fail(f"--format: unknown format '{fmt}'; expected table, json or md")


def _print_events(kg, fmt: str, lang: str) -> None:
    from kg.impact import list_events

    events = list_events(kg)
    if fmt == "json":
        sys.stdout.write(json.dumps([{"id": e.id, "source": e.source, "iri": e.iri,
                                      "types": e.types, "label": e.label(lang),
                                      "dates": {k: v.isoformat() for k, v in e.dates.items()}}
                                     for e in events], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "md":
        lines = ["| id | source | types | dates | label |", "|---|---|---|---|---|"]
        for e in events:
            dates = ", ".join(f"{k} {v}" for k, v in sorted(e.dates.items()))
            lines.append(f"| {e.id} | {e.source} | {', '.join(e.types)} | {dates} | "
                         f"{e.label(lang).replace('|', '/')} |")
        sys.stdout.write("\n".join(lines) + "\n")
        return
    t = Table(title="Events (okg impact EVENT)")
    for col in ("id", "source", "types", "dates", "label"):
        t.add_column(col, overflow="fold")
    for e in events:
        t.add_row(e.id, e.source or "", ", ".join(e.types),
                  ", ".join(f"{k} {v}" for k, v in sorted(e.dates.items())), e.label(lang))
    console.print(t)
    if not events:
        console.print("The store has no events; load fact files with 'okg build'.", markup=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def impact(
        event: Annotated[str | None, typer.Argument(
            help="Event id as in the fact files (e.g. total-relocation), SOURCE/ID, or IRI.",
            show_default=False)] = None,
        list_events_: Annotated[bool, typer.Option("--list", help="List the events.")] = False,
        as_of: Annotated[str | None, typer.Option(
            "--as-of", help="Date to judge the event's stage at (default: today).",
            show_default=False)] = None,
        threshold: Annotated[float, typer.Option(
            "--threshold", help="Share of revenue (0-1] whose loss means closure risk.")] = 0.5,
        max_depth: Annotated[int | None, typer.Option(
            "--max-depth", help="Bound the cascade (1: direct hits only).",
            show_default=False)] = None,
        format: FormatOption = "table",
        lang: LangOption = "en",
        store: StoreOption = None,
    ) -> None:
        """Propagate an event's impact: affected firms and segments ranked by jobs at risk,
        totals by country, and each row's chain of sourced edges and formula."""
        from kg.impact import run_impact
        from kg.impact.events import EventNotFound
        from kg.impact.report import markdown, print_report

        _check_format(format)
        if lang not in ("en", "fr", "ar"):
            fail(f"--lang: unknown language '{lang}'; expected en, fr or ar")
        day = _date(as_of)
        if not 0 < threshold <= 1:
            fail(f"--threshold: {threshold} is not a share in (0, 1]")
        if max_depth is not None and max_depth < 1:
            fail(f"--max-depth: {max_depth} is less than 1")
        kg = open_store(store)
        if list_events_:
            _print_events(kg, format, lang)
            return
        if not event:
            fail("name an event (okg impact EVENT), or list them with 'okg impact --list'")
        try:
            result = run_impact(kg, event, as_of=day, threshold=threshold,
                                max_depth=max_depth, lang=lang)
        except EventNotFound as exc:
            fail(str(exc))
            return
        if format == "json":
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        elif format == "md":
            sys.stdout.write(markdown(result))
        else:
            print_report(result, console)
