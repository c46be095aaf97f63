"""Options and output helpers shared by the commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from kg.store import STORE_ENV, KnowledgeGraph, default_store_path

console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

StoreOption = Annotated[
    Path | None,
    typer.Option("--store", help=f"Store folder (default: ${STORE_ENV} or .okg/ in the current folder).",
                 show_default=False),
]
LangOption = Annotated[str, typer.Option("--lang", help="Label language: en, fr or ar (falls back to the others).")]


def open_store(store: Path | None) -> KnowledgeGraph:
    path = store or default_store_path()
    try:
        return KnowledgeGraph.open(path)
    except OSError as exc:
        fail(str(exc))
        raise  # unreachable


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error (no traceback) and exit non-zero."""
    err_console.print(f"error: {message}", markup=False, highlight=False)
    raise typer.Exit(code)
