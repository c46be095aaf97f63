"""``okg check``: reasoner consistency, SHACL shapes and conflicting claims over the whole store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.analysis.conflicts import find_conflicts
from okg.cli.common import LangOption, StoreOption, console, fail, open_store
from okg.store import KnowledgeGraph
from rdflib import Graph


def store_graph(kg: KnowledgeGraph) -> Graph:
    g = Graph()
    g.parse(data=kg.export("ntriples"), format="nt")
    return g


def print_conflicts(kg: KnowledgeGraph, lang: str) -> int:
    conflicts = find_conflicts(kg, lang)
    console.print(f"Conflicting claims: {len(conflicts)}", markup=False)
    for i, c in enumerate(conflicts, 1):
        console.print(f"\n[{i}] {c.label}", markup=False)
        if c.breakdown:
            console.print(f"    breakdown: {c.breakdown}", markup=False)
        for cl in c.claims:
            where = f"{cl.source_title}" + (f", fact file line {cl.line}" if cl.line else "")
            console.print(f"  - {cl.stated_as}  → {cl.interval()}   ({where})", markup=False)
            for q in cl.quotes:
                console.print(f"      «{q}»", markup=False)
    return len(conflicts)


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        store: StoreOption = None,
        lang: LangOption = "en",
        reasoner: Annotated[
            bool, typer.Option("--reasoner/--no-reasoner", help="Run HermiT (needs Java).")
        ] = True,
        extra: Annotated[
            list[Path] | None,
            typer.Option(
                "--with",
                help="Extra RDF file(s) to check together with the store (e.g. a test fixture).",
            ),
        ] = None,
    ) -> None:
        """Is the graph consistent (HermiT), does it meet the shapes (SHACL), which claims disagree?"""
        kg = open_store(store)
        graph = store_graph(kg)
        for path in extra or []:
            try:
                graph.parse(path)
            except Exception as exc:  # rdflib parser errors
                fail(f"{path}: cannot parse: {str(exc).splitlines()[0]}")
        problems = 0
        if reasoner:
            from okg.store.reasoning import check_consistency

            try:
                report = check_consistency(graph)
            except RuntimeError as exc:
                fail(str(exc))
            console.print(report.message, markup=False)
            if not report.consistent:
                problems += 1
        from okg.store.shacl import validate

        violations = validate(graph, kg.voc)
        console.print(
            f"SHACL: {'conforms' if not violations else f'{len(violations)} violation(s)'}",
            markup=False,
        )
        for focus, path, msg in violations:
            console.print(f"  - {kg.voc.qname(focus)} {path}: {msg}", markup=False)
        problems += len(violations)
        print_conflicts(kg, lang)
        if problems:
            raise typer.Exit(1)
