"""``okg viz`` and ``okg report``: self-contained HTML pages of the network and of an event."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.cli.common import (
    AsOfOption,
    EndpointOption,
    IncludeIllustrativeOption,
    LangOption,
    StoreOption,
    console,
    fail,
    open_reader,
)

OutOption = Annotated[Path, typer.Option("--out", help="The HTML file to write.")]
ShotOption = Annotated[
    Path | None,
    typer.Option("--screenshot", help="Also save a PNG of the page (needs /usr/bin/chromium)."),
]


def _shoot(page: Path, png: Path | None) -> None:
    if png is None:
        return
    from okg.viz.browser import BrowserError, screenshot

    try:
        screenshot(page, png)
    except BrowserError as exc:
        fail(f"screenshot: {exc}")
    console.print(f"wrote {png}", markup=False)


def register(app: typer.Typer) -> None:
    @app.command()
    def viz(
        out: OutOption,
        event: Annotated[
            str | None,
            typer.Option("--event", help="Highlight what this event reaches (event id or label)."),
        ] = None,
        focus: Annotated[
            str | None,
            typer.Option("--focus", help="Draw only around this entity (id, IRI or label)."),
        ] = None,
        depth: Annotated[
            int, typer.Option("--depth", help="Hops around --focus, --sector, --country.")
        ] = 2,
        sector: Annotated[
            str | None,
            typer.Option(
                "--sector", help="Draw around the firms of this NACE sector (e.g. 82.20)."
            ),
        ] = None,
        country: Annotated[
            str | None,
            typer.Option("--country", help="Draw around the firms of this country (ISO code)."),
        ] = None,
        as_of: AsOfOption = None,
        max_nodes: Annotated[
            int, typer.Option("--max-nodes", help="Node budget; above it firms are grouped.")
        ] = 2000,
        lang: LangOption = "en",
        screenshot: ShotOption = None,
        store: StoreOption = None,
        include_illustrative: IncludeIllustrativeOption = False,
        endpoint: EndpointOption = None,
    ) -> None:
        """Write the dependency network as one HTML page that works offline."""
        from okg.store.remote import EndpointError
        from okg.viz.page import write
        from okg.viz.views import ViewError, build_view

        with open_reader(store, endpoint) as kg:
            try:
                view, result = build_view(
                    kg,
                    event=event,
                    as_of=as_of,
                    focus=focus,
                    depth=depth,
                    sector=sector,
                    country=country,
                    include_illustrative=include_illustrative,
                    lang=lang,
                    max_nodes=max_nodes,
                )
            except (ViewError, EndpointError) as exc:
                fail(str(exc))
        write(view, out, highlight=result is not None)
        console.print(
            f"wrote {out} ({len(view.nodes)} nodes, {len(view.edges)} edges)", markup=False
        )
        for notice in view.notices:
            console.print(notice, markup=False)
        _shoot(out, screenshot)

    @app.command()
    def report(
        event: Annotated[str, typer.Argument(help="The event (id or label).")],
        out: OutOption,
        as_of: AsOfOption = None,
        max_nodes: Annotated[
            int,
            typer.Option(
                "--max-nodes", help="Node budget of the network; above it firms are grouped."
            ),
        ] = 2000,
        lang: LangOption = "en",
        screenshot: ShotOption = None,
        store: StoreOption = None,
        include_illustrative: IncludeIllustrativeOption = False,
        endpoint: EndpointOption = None,
    ) -> None:
        """Write an event's impact report (summary, tables, network, explanations, sources) as
        one HTML page, or as a PDF laid out for print when --out ends in .pdf (needs chromium)."""
        from okg.store.remote import EndpointError
        from okg.viz.page import write
        from okg.viz.report import report_blocks
        from okg.viz.style import text
        from okg.viz.views import ViewError, event_view, run_event

        with open_reader(store, endpoint) as kg:
            try:
                result = run_event(kg, event, as_of, lang, include_illustrative)
                view = event_view(
                    kg,
                    result,
                    lang,
                    max_nodes=max_nodes,
                    include_illustrative=include_illustrative,
                )
                blocks = report_blocks(kg, result, lang)
            except (ViewError, EndpointError) as exc:
                fail(str(exc))
        view.title = f"{text('report', lang)} — {result.event_label}"
        if out.suffix.lower() == ".pdf":  # the same page, printed by Chromium (okg.viz.pdf)
            from okg.viz.browser import BrowserError
            from okg.viz.page import render
            from okg.viz.pdf import html_to_pdf

            try:
                html_to_pdf(render(view, highlight=True, report=blocks), out)
            except BrowserError as exc:
                fail(f"pdf: {exc}")
        else:
            write(view, out, highlight=True, report=blocks)
        console.print(
            f"wrote {out} ({len(result.rows)} rows, {len(view.nodes)} nodes)", markup=False
        )
        _shoot(out, screenshot)
