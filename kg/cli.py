"""The ``okg`` command line. Each command group lives in its own module under kg/commands/."""

from __future__ import annotations

import importlib
import pkgutil

import typer

from kg import commands

app = typer.Typer(
    name="okg",
    help="Offshoring Knowledge Graph: build, check, query and explain a sourced graph of offshoring.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _register_commands() -> None:
    for mod in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"kg.commands.{mod.name}")
        register = getattr(module, "register", None)
        if register:
            register(app)


_register_commands()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
