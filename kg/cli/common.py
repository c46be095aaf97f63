"""Options and output helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.store import STORE_ENV, KnowledgeGraph, default_store_path
from rich.console import Console

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help=f"Store folder (default: ${STORE_ENV} or .okg/ in the current folder).",
        show_default=False,
    ),
]
LangOption = Annotated[
    str, typer.Option("--lang", help="Label language: en, fr or ar (falls back to the others).")
]


_OPEN: dict[str, KnowledgeGraph] = {}


def open_store(store: Path | None, create: bool = False) -> KnowledgeGraph:
    """Open the store for the running command.

    A store a previous command of the same process left open (an error's traceback can keep it
    alive) is closed first, so that its lock is released. Only ``build`` and ``bulk-load`` pass
    ``create=True``: every other command refuses a folder that holds no store, creating nothing.
    """
    path = Path(store or default_store_path()).resolve()
    previous = _OPEN.pop(str(path), None)
    if previous is not None:
        previous.close()
    try:
        kg = KnowledgeGraph.open(path, create=create)
    except OSError as exc:
        fail(str(exc))
        raise  # unreachable
    _OPEN[str(path)] = kg
    return kg


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error (no traceback) and exit non-zero."""
    err_console.print(f"error: {message}", markup=False, highlight=False)
    raise typer.Exit(code)
