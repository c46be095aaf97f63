"""``okg stats`` and ``okg export``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from okg.cli.common import StoreOption, console, fail, open_store
from okg.store import KnowledgeGraph
from rich.table import Table

FORMATS = {"turtle": "ttl", "trig": "trig", "nquads": "nq", "ntriples": "nt", "jsonld": "jsonld"}


def print_stats(kg: KnowledgeGraph) -> None:
    st = kg.stats()
    t = Table(title="Triples per named graph")
    t.add_column("graph")
    t.add_column("triples", justify="right")
    total = 0
    for g, n in st["graphs"]:
        t.add_row(g, str(n))
        total += n
    t.add_row("total", str(total))
    console.print(t)
    c = Table(title="Individuals per class (data graphs)")
    c.add_column("class")
    c.add_column("individuals", justify="right")
    for cls, n in st["classes"]:
        c.add_row(cls, str(n))
    console.print(c)


def register(app: typer.Typer) -> None:
    @app.command()
    def stats(store: StoreOption = None) -> None:
        """Triples per named graph and individuals per class."""
        print_stats(open_store(store))

    @app.command()
    def export(
        format: Annotated[
            str, typer.Option("--format", help="turtle, trig, nquads, ntriples or jsonld.")
        ] = "trig",
        out: Annotated[
            Path | None, typer.Option("--out", help="Output file (default: standard output).")
        ] = None,
        store: StoreOption = None,
    ) -> None:
        """Export the store; TriG, N-Quads and JSON-LD keep the named graphs."""
        if format not in FORMATS:
            fail(f"unknown format '{format}'; expected one of {', '.join(FORMATS)}")
        data = open_store(store).export(format)
        if out:
            out.write_bytes(data)
            console.print(f"wrote {out} ({len(data)} bytes)", markup=False)
        else:
            sys.stdout.buffer.write(data)
