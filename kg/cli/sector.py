"""``okg sector list | new NAME | check NAME``: the sector modules, a new one, and its check."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.cli.common import FormatOption, console, fail, say, show

DirOption = Annotated[
    Path, typer.Option("--dir", help="Folder to write the module, example and test in.")
]
PrefixOption = Annotated[
    str | None,
    typer.Option(
        "--prefix", help="Prefix of the module's terms (default: the name without '_', 8 letters)."
    ),
]
NamespaceOption = Annotated[
    str | None,
    typer.Option("--namespace", help="Namespace IRI of the module's terms, ending in '#' or '/'."),
]
ExampleOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--example",
        metavar="FILE",
        help="Fact file(s) to check with the module (default: those that list it).",
    ),
]
ReasonerOption = Annotated[
    bool, typer.Option("--reasoner/--no-reasoner", help="Run HermiT (needs Java).")
]


def register(app: typer.Typer) -> None:
    sector = typer.Typer(
        help="Sector modules: list them, scaffold a new one, check one.", no_args_is_help=True
    )
    app.add_typer(sector, name="sector")

    @sector.command("list")
    def list_(format: FormatOption = "table") -> None:
        """Installed sector modules: name, prefix, term counts, where each was found."""
        from okg.render.store import aligned_lines, modules_table
        from okg.store.sectors import list_modules
        from okg.terms.vocabulary import VocabularyError

        try:
            modules = list_modules()
        except VocabularyError as exc:
            fail(str(exc))
        if format != "table":
            show([modules_table(modules)], format)
            return
        for line in aligned_lines(modules_table(modules)):
            say(line)

    @sector.command("new")
    def new(
        name: Annotated[str, typer.Argument(help="Module name: lower-case letters, digits, '_'.")],
        dir: DirOption = Path("."),
        prefix: PrefixOption = None,
        namespace: NamespaceOption = None,
    ) -> None:
        """Scaffold DIR/NAME.ttl, DIR/NAME-example.yaml and DIR/test_NAME.py (never overwrites)."""
        from okg.store.sectors import SectorError, scaffold
        from okg.terms.resources import SECTOR_PATH_ENV

        try:
            paths = scaffold(name, dir, prefix, namespace)
        except SectorError as exc:
            fail(str(exc))
        for p in paths:
            console.print(f"wrote {p}", markup=False)
        console.print(
            f"next: okg --sector-path {dir} sector check {name}   "
            f"(or export {SECTOR_PATH_ENV}={dir.resolve()})",
            markup=False,
        )

    @sector.command("check")
    def check(
        name: Annotated[str, typer.Argument(help="The module to check (see okg sector list).")],
        example: ExampleOption = None,
        reasoner: ReasonerOption = True,
    ) -> None:
        """Lint the module (labels and definitions in en/fr/ar, keys, imports, super-terms), load
        its example fact files with SHACL, and run the reasoner on module + core + examples."""
        from okg.store.sectors import SectorError, check_module

        try:
            report = check_module(name, example, reasoner=reasoner)
        except SectorError as exc:
            fail(str(exc))
        console.print(f"module {name} ({report.module.path})", markup=False)
        for line in report.propagating:
            console.print(f"  propagates: {line}", markup=False)
        for p in report.examples:
            console.print(f"  example: {p}", markup=False)
        if report.reasoner:
            console.print(f"  {report.reasoner}", markup=False)
        for p in report.problems:
            console.print(f"  problem: {p}", markup=False)
        for e in report.data_errors:
            console.print(f"  data: {e}", markup=False)
        n = len(report.problems) + len(report.data_errors)
        console.print(f"{name}: ok" if report.ok else f"{name}: {n} problem(s)", markup=False)
        if not report.ok:
            raise typer.Exit(1)
