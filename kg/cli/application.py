"""The ``okg`` command line. Each command group lives in its own module under kg/commands/."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from typing import Annotated

import typer
from okg import cli as commands

app = typer.Typer(
    name="okg",
    help="Offshoring Knowledge Graph: build, check, query and explain a sourced graph of "
    "offshoring.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


SectorPathOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--sector-path",
        help="Folder of sector modules (repeatable), searched before $OKG_SECTOR_PATH.",
    ),
]


@app.callback()
def _global_options(sector_path: SectorPathOption = None) -> None:
    """Offshoring Knowledge Graph: build, check, query and explain a sourced graph of offshoring."""
    if sector_path:
        from okg.store.sectors import use_sector_path

        use_sector_path(sector_path)


def _register_commands() -> None:
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        if mod.name.startswith("_") or mod.name in ("application", "common"):
            continue
        module = importlib.import_module(f"okg.cli.{mod.name}")
        register = getattr(module, "register", None)
        if register:
            register(app)


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
