"""``okg stats`` and ``okg export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.cli.common import (
    FormatOption,
    LangOption,
    StoreOption,
    console,
    one_of,
    open_store,
    show,
)

EXPORT_FORMATS = ("turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf")


def register(app: typer.Typer) -> None:
    @app.command()
    def stats(store: StoreOption = None, format: FormatOption = "table") -> None:
        """Triples per named graph and individuals per class."""
        from okg.render.store import stats_tables

        show(stats_tables(open_store(store, read_only=True).stats()), format)

    @app.command()
    def export(
        format: Annotated[
            str,
            typer.Option(
                "--format",
                **one_of(EXPORT_FORMATS, "format", "--format"),
                help="RDF syntax (jsonld is compact), or graphml, gexf for the dependency network.",
            ),
        ] = "trig",
        out: Annotated[
            Path | None, typer.Option("--out", help="Output file (default: standard output).")
        ] = None,
        store: StoreOption = None,
        ontology: Annotated[
            bool,
            typer.Option(
                "--ontology/--no-ontology", help="Include the ontology graphs (RDF formats)."
            ),
        ] = True,
        lang: LangOption = "en",
    ) -> None:
        """Export the store (TriG, N-Quads and JSON-LD keep the named graphs), or the
        dependency network as the impact projection sees it (GraphML, GEXF; labels in --lang)."""
        from okg.render.export import export_store

        data = export_store(open_store(store, read_only=True), format, ontology=ontology, lang=lang)
        if out:
            out.write_bytes(data)
            console.print(f"wrote {out} ({len(data)} bytes)", markup=False)
        else:
            import sys

            sys.stdout.buffer.write(data)
