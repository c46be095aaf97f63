"""``okg build``, ``validate``, ``sources``, ``remove``: getting facts in, checked."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.cli.common import FormatOption, StoreOption, console, err_console, fail, open_store, show


def bundled_files() -> list[Path]:
    from okg.terms.resources import data_dir

    return sorted(p for p in data_dir().iterdir() if p.suffix in (".yaml", ".yml", ".csv"))


def expand(paths: list[Path]) -> list[Path]:
    from okg.loaders.registry import loaders

    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out += sorted(
                q
                for q in p.iterdir()
                if q.is_file()
                and not q.name.endswith((".source.yaml", ".mapping.yaml"))
                and any(
                    q.name.lower().endswith(e) for s in loaders().values() for e in s.extensions
                )
            )
        else:
            out.append(p)
    return out


def print_errors(exc) -> None:
    for e in exc.errors:
        err_console.print(str(e), markup=False, highlight=False)
    files = len({e.file for e in exc.errors})
    err_console.print(
        f"{len(exc.errors)} error(s) in {files} file(s); nothing was loaded.", markup=False
    )


def register(app: typer.Typer) -> None:
    @app.command()
    def build(
        files: Annotated[
            list[Path] | None,
            typer.Argument(
                metavar="PATH",
                help="Fact files or folders (default: the bundled data pack).",
            ),
        ] = None,
        store: StoreOption = None,
        no_shapes: Annotated[
            bool, typer.Option("--no-shapes", help="Skip the SHACL check (faster for huge loads).")
        ] = False,
        forget_missing_modules: Annotated[
            bool,
            typer.Option(
                "--forget-missing-modules",
                help="Drop from the store the sector modules no longer on the sector path.",
            ),
        ] = False,
        shapes: Annotated[
            str,
            typer.Option(
                "--shapes",
                help="Who checks the SHACL shapes: engine (compiled to SPARQL, run by the store) "
                "or pyshacl (the reference, slower).",
            ),
        ] = "engine",
    ) -> None:
        """Load fact files into the store: each source replaces its own named graph; all or nothing."""
        from okg.loaders import LoadError
        from okg.store import MissingModuleError
        from rich.progress import Progress

        paths = expand(files) if files else bundled_files()
        if not paths:
            fail("no input files")
        if shapes not in ("engine", "pyshacl"):
            fail(f"--shapes {shapes}: expected engine or pyshacl")
        kg = open_store(store, create=True)
        with Progress(console=err_console.get(), transient=True) as progress:
            task = progress.add_task("loading", total=2 * len(paths) + 4)
            try:
                kg.install_vocabulary(forget_missing=forget_missing_modules)
            except MissingModuleError as exc:
                progress.stop()
                fail(str(exc))
            progress.advance(task)
            try:
                bundles = kg.load(
                    paths,
                    check_shapes=not no_shapes,
                    shapes=shapes,
                    keep_graphs=False,
                    progress=lambda msg: progress.update(task, description=msg, advance=1),
                )
            except LoadError as exc:
                progress.stop()
                print_errors(exc)
                raise typer.Exit(1) from None
            progress.advance(task)
        for b in bundles:
            console.print(
                f"loaded {b.source_id}: {kg.loaded[b.source_id]} triples from {b.file}",
                markup=False,
            )
        from okg.render.store import stats_tables

        show(stats_tables(kg.stats()), "table")

    @app.command()
    def validate(
        files: Annotated[
            list[Path],
            typer.Argument(metavar="PATH", help="Fact files or folders to check."),
        ],
        store: StoreOption = None,
    ) -> None:
        """Check fact files without loading them; report every error of every file, exit 1 if any."""
        from okg.loaders import LoadError, load_vocabulary, read_files
        from okg.store import KnowledgeGraph, default_store_path
        from okg.store.knowledge_graph import is_store

        paths = expand(files)
        path = store or default_store_path()
        kg = None
        if is_store(path):
            try:  # read only: entities already in the store may be referenced; no lock taken
                kg = KnowledgeGraph.open(path, read_only=True)
            except OSError as exc:
                fail(str(exc))
            except RuntimeError as exc:  # RocksDB: garbage in the store folder's files
                from okg.cli.common import store_error

                fail(f"the store at {path} cannot be opened: {store_error(exc)}")
        resolver = kg.types_of if kg else None
        voc = load_vocabulary()
        try:
            bundles = read_files(paths, voc, resolver=resolver)
            from okg.store.shacl import check_bundles

            violations = check_bundles(bundles, voc, engine="engine")
            if violations:
                raise LoadError(violations)
        except LoadError as exc:
            for e in exc.errors:
                err_console.print(str(e), markup=False, highlight=False)
            err_console.print(
                f"{len(exc.errors)} error(s) in {len({e.file for e in exc.errors})} file(s)."
            )
            raise typer.Exit(1) from None
        for b in bundles:
            console.print(
                f"ok {b.file}: source {b.source_id}, {len(b.graph)} triples", markup=False
            )

    @app.command()
    def sources(store: StoreOption = None, format: FormatOption = "table") -> None:
        """List the sources in the store (one named graph each)."""
        from okg.render.store import sources_table

        show([sources_table(open_store(store, read_only=True).sources())], format)

    @app.command()
    def remove(
        source_id: Annotated[str, typer.Argument(help="The source id to remove.")],
        store: StoreOption = None,
    ) -> None:
        """Remove one source: exactly the triples of its named graph."""
        kg = open_store(store)
        if not kg.remove_source(source_id):
            fail(f"no source '{source_id}' in the store; see okg sources")
        console.print(f"removed {source_id}", markup=False)
