"""``okg impact`` (event impact propagation) and ``okg analyze`` (concentration, weak points)."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

import typer
from okg.cli.common import (
    AsOfOption,
    EndpointOption,
    FormatOption,
    IncludeIllustrativeOption,
    LangOption,
    MaxDepthOption,
    StoreOption,
    ThresholdOption,
    TopOption,
    console,
    fail,
    one_of,
    open_reader,
    say,
    write,
)

RangeOption = Annotated[
    str,
    typer.Option(
        "--range",
        **one_of(("envelope", "consistent"), "range", "--range"),
        help="Range of a job figure made of several claims that propagates: envelope (their "
        "hull, conservative when a source may be wrong) or consistent (their intersection: "
        "what holds if every source is right). See docs/impact.md.",
    ),
]


DigitsOption = Annotated[
    str,
    typer.Option(
        "--digits",
        **one_of(("latn", "arab"), "digits", "--digits"),
        help="Digits of Arabic output (--lang ar): latn (0-9, the default) or arab (Arabic-Indic).",
    ),
]


def _curie(kg, iri: str) -> str:
    """An event type as the store's prefixes write it (``auto:PlantStoppage`` for a sector
    module's type, as ``okg:Relocation`` for a core one); the IRI when no prefix covers it."""
    voc = getattr(kg, "voc", None)
    if voc is None or not iri.startswith(("http://", "https://")):
        return iri
    from rdflib import URIRef

    short = voc.qname(URIRef(iri))
    return iri if short.startswith("<") else short


def _print_events(kg, fmt: str, lang: str) -> None:
    from okg.analysis.impact import list_events
    from okg.render.analysis import NO_EVENTS, events_json, events_table
    from okg.render.i18n import _
    from okg.render.tables import print_tables, render

    events = list_events(kg)
    if fmt == "json":
        write(events_json(events, lang))
        return
    events = [replace(e, types=[_curie(kg, t) for t in e.types]) for e in events]
    if fmt != "table":
        write(render([events_table(events, lang)], fmt))
    else:
        print_tables([events_table(events, lang)], console)
        if not events:
            say(_(NO_EVENTS, lang))


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
        as_of: AsOfOption = None,
        threshold: ThresholdOption = 0.5,
        max_depth: MaxDepthOption = None,
        top: TopOption = None,
        format: FormatOption = "table",
        lang: LangOption = "en",
        store: StoreOption = None,
        include_illustrative: IncludeIllustrativeOption = False,
        figure_range: RangeOption = "envelope",
        endpoint: EndpointOption = None,
        digits: DigitsOption = "latn",
    ) -> None:
        """Propagate an event's impact: affected firms and segments ranked by jobs at risk,
        totals by country, and each row's chain of sourced edges and formula."""
        from okg.analysis.impact import run_impact
        from okg.analysis.impact.events import EventNotFound
        from okg.analysis.impact.propagate import IllustrativeEvent
        from okg.render.i18n import locale
        from okg.render.impact import print_report, render_impact
        from okg.store.remote import EndpointError

        kg = open_reader(store, endpoint)
        if list_events_:
            try:
                _print_events(kg, format, lang)
            except EndpointError as exc:
                fail(str(exc))
            return
        if not event:
            fail("name an event (okg impact EVENT), or list them with 'okg impact --list'")
        try:
            result = run_impact(
                kg,
                event,
                as_of=as_of,
                threshold=threshold,
                max_depth=max_depth,
                lang=lang,
                include_illustrative=include_illustrative,
                figure_range=figure_range,
            )
        except (EventNotFound, IllustrativeEvent, EndpointError) as exc:
            fail(str(exc))
            return
        if format == "table":
            print_report(result, console, top, locale(lang, digits))
        else:
            write(render_impact(result, format, top, lang, digits))

    @app.command()
    def analyze(
        as_of: AsOfOption = None,
        threshold: ThresholdOption = 0.5,
        max_depth: MaxDepthOption = None,
        top: TopOption = 20,
        format: FormatOption = "table",
        lang: LangOption = "en",
        store: StoreOption = None,
        include_illustrative: IncludeIllustrativeOption = False,
        figure_range: RangeOption = "envelope",
        endpoint: EndpointOption = None,
        digits: DigitsOption = "latn",
    ) -> None:
        """Market concentration (Herfindahl) of each actor, single points of failure ranked by
        jobs at risk, and the countries and sectors most exposed."""
        from okg.analysis.analyze import analyze as run_analysis
        from okg.render.analysis import print_analysis, render_analysis
        from okg.render.i18n import locale
        from okg.store.remote import EndpointError

        kg = open_reader(store, endpoint)
        try:
            result = run_analysis(
                kg,
                threshold=threshold,
                max_depth=max_depth,
                lang=lang,
                as_of=as_of,
                include_illustrative=include_illustrative,
                figure_range=figure_range,
            )
        except EndpointError as exc:
            fail(str(exc))
            return
        if format == "table":
            print_analysis(result, console, top, locale(lang, digits))
        else:
            write(render_analysis(result, format, top, lang, digits))
