"""The ``okg`` command line. Each command group lives in its own module of :mod:`okg.cli`
(a ``register(app)`` function); those modules import typer and :mod:`okg.cli.common` only, and
everything else inside the command bodies, so ``okg --help`` and ``okg query --list`` start fast
(``benchmarks/startup.py`` measures it).
"""

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
        metavar="DIR",
        help="Folder of sector modules (repeatable), searched before $OKG_SECTOR_PATH.",
    ),
]


def _print_version(value: bool) -> None:
    if value:
        import okg

        typer.echo(f"okg {okg.__version__}")
        raise typer.Exit()


VersionOption = Annotated[
    bool,
    typer.Option(
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the installed version and exit.",
    ),
]


@app.callback()
def _global_options(
    ctx: typer.Context, sector_path: SectorPathOption = None, version: VersionOption = False
) -> None:
    """Offshoring Knowledge Graph: build, check, query and explain a sourced graph of offshoring."""
    from okg.cli.common import close_stores

    ctx.call_on_close(close_stores)
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


DEBUG_ENV = "OKG_DEBUG"
"""Set to 1 to let an unexpected error end with its Python traceback (for a bug report)."""


def unexpected_error_line(exc: BaseException) -> str:
    """The one line printed for an error no command handled: its type, its first line and how
    to see the traceback.

    >>> unexpected_error_line(KeyError("x"))
    "error: unexpected KeyError: 'x' (run with OKG_DEBUG=1 for the traceback)"
    """
    from okg.render.tables import term_text

    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    what = (
        f"{type(exc).__name__}: {term_text(text, newlines=False)}" if text else type(exc).__name__
    )
    return f"error: unexpected {what[:500]} (run with {DEBUG_ENV}=1 for the traceback)"


def main() -> None:
    """Run the command line. Every error a command foresees is already one line; anything else
    is turned into one line here too (never a traceback), unless $OKG_DEBUG is set."""
    import os
    import sys

    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("error: interrupted\n")
        sys.exit(130)
    except BrokenPipeError:  # the reader went away (okg ... | head): nothing more to say
        sys.stderr.close()
        os._exit(1)
    except Exception as exc:  # noqa: BLE001 - the last guard: one line, no traceback
        if os.environ.get(DEBUG_ENV, "") not in ("", "0"):
            raise
        sys.stderr.write(unexpected_error_line(exc) + "\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
