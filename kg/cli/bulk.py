"""``okg bulk-load``: big N-Quads files in fast, checked, all or nothing (see kg/bulk.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.cli.common import StoreOption, console, err_console, fail, open_store


def register(app: typer.Typer) -> None:
    @app.command("bulk-load")
    def bulk_load_command(
        files: Annotated[
            list[Path],
            typer.Argument(metavar="FILE", help="N-Quads files, one named graph per source."),
        ],
        store: StoreOption = None,
    ) -> None:
        """Load big N-Quads files into a store without sources: bulk loader, derive, SPARQL checks.

        For exports (okg export --format nquads) and generated registries; fact files go
        through okg build. Any problem empties the store again and exits 1.
        """
        from okg.store.bulk import bulk_load, clear

        for f in files:
            if not f.is_file():
                fail(f"{f}: no such file")
            if f.suffix != ".nq":
                fail(f"{f}: expected N-Quads (.nq); use okg build for fact files and other RDF")
        with open_store(store, create=True) as kg:
            try:
                report = bulk_load(kg, files)
            except ValueError as exc:
                fail(str(exc))
            except SyntaxError as exc:
                clear(kg)
                fail(f"not valid N-Quads: {exc}; nothing was loaded")
            if report.problems:
                for p in report.problems:
                    where = f"{p.where()}: " if p.where() else ""
                    err_console.print(
                        f"{where}{p.focus}: {p.message} ({p.check})", markup=False, highlight=False
                    )
                clear(kg)
                fail(f"{len(report.problems)} problem(s); nothing was loaded")
        steps = ", ".join(f"{k} {v:.1f} s" for k, v in report.seconds.items())
        console.print(
            f"loaded {report.quads} quads from {len(files)} file(s) ({steps})", markup=False
        )
