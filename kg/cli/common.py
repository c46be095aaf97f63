"""Options and output helpers shared by the commands.

Importing this module costs typer and click only: the store, rdflib and rich are imported when
a command runs. The choices of ``--format`` and ``--lang`` are defined here once; a value outside
them is refused in one line (``error: --format: unknown format 'pdf'; expected one of ...``),
and ``--help`` shows them as ``[table|csv|json|md]``.
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

STORE_ENV = "OKG_STORE"
"""The environment variable naming the store folder (the same as :data:`okg.store.STORE_ENV`)."""

FORMATS = ("table", "csv", "json", "md")
"""Output formats of every command that prints rows (as :data:`okg.render.tables.FORMATS`)."""
LANGS = ("en", "fr", "ar")
"""Label languages (as :data:`okg.viz.style.LANGS`); labels fall back to the others."""


def one_of(choices: tuple[str, ...], what: str, option: str) -> dict:
    """typer.Option arguments for a choice: shown as ``[a|b|c]`` in help, completed by the shell,
    and refused in one line (no usage block) when the value is not one of *choices*."""

    def parse(value: str) -> str:
        if value not in choices:
            fail(f"{option}: unknown {what} '{value}'; expected one of {', '.join(choices)}")
        return value

    def complete(incomplete: str) -> list[str]:
        return [c for c in choices if c.startswith(incomplete)]

    return {"parser": parse, "metavar": f"[{'|'.join(choices)}]", "autocompletion": complete}


StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help=f"Store folder (default: ${STORE_ENV} or .okg/ in the current folder).",
        show_default=False,
    ),
]
LangOption = Annotated[
    str,
    typer.Option(
        "--lang",
        **one_of(LANGS, "language", "--lang"),
        help="Label language (falls back to the others).",
    ),
]
FormatOption = Annotated[
    str,
    typer.Option(
        "--format",
        **one_of(FORMATS, "format", "--format"),
        help="Output format; csv, json and md are for other programs and documents.",
    ),
]

IncludeIllustrativeOption = Annotated[
    bool,
    typer.Option(
        "--include-illustrative",
        help="Also use facts marked illustrative (made up to show the model), marked as such; "
        "left out by default.",
    ),
]


THRESHOLD_FORMS = "a percent (50%) or a share (0.5) in (0, 1]"
"""The forms ``--threshold`` accepts, as its error message names them."""


def parse_threshold(value: str | float, option: str = "--threshold") -> float:
    """A share of revenue in (0, 1] written as a percent (``50%``, ``50 %``, ``12.5%``) or a
    share (``0.5``); anything else is refused in one line naming *option* and the accepted forms.

    A percent is divided in decimal, so ``33.3%`` is the share ``0.333`` exactly as written.

    >>> parse_threshold("50%"), parse_threshold("50 %"), parse_threshold("0.5")
    (0.5, 0.5, 0.5)
    >>> parse_threshold("33.3%") == parse_threshold("0.333")
    True
    """
    if isinstance(value, float | int) and not isinstance(value, bool):
        text = repr(float(value))
    else:
        text = str(value).strip()
    percent = text.endswith("%")
    number = text[:-1].strip() if percent else text
    try:
        amount = Decimal(number)
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        fail(f"{option}: '{text}' is not {THRESHOLD_FORMS}")
        raise AssertionError  # unreachable
    share = amount / 100 if percent else amount
    if not 0 < share <= 1:
        hint = f" (did you mean {number}%?)" if not percent and 1 < amount <= 100 else ""
        fail(f"{option}: '{text}' is not {THRESHOLD_FORMS}{hint}")
    result = float(share)
    if not 0 < result <= 1 or math.isnan(result):  # a share too small for a float
        fail(f"{option}: '{text}' is not {THRESHOLD_FORMS}")
    return result


def parse_date(value: str | dt.date | None, option: str = "--as-of") -> dt.date | None:
    """A date written YYYY-MM-DD, refused in one line naming *option* otherwise.

    >>> parse_date("2026-02-01")
    datetime.date(2026, 2, 1)
    """
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        fail(f"{option}: '{value}' is not a date (write YYYY-MM-DD)")
        raise  # unreachable


def at_least_one(option: str):
    """A parser of a whole number of at least 1 (``--max-depth``, ``--top``), refused in one
    line naming *option* otherwise."""

    def parse(value: str | int) -> int:
        text = str(value).strip()
        try:
            number = int(text)
        except ValueError:
            fail(f"{option}: '{text}' is not a whole number")
            raise  # unreachable
        if number < 1:
            fail(f"{option}: {number} is less than 1")
        return number

    return parse


AsOfOption = Annotated[
    dt.date | None,
    typer.Option(
        "--as-of",
        parser=parse_date,
        metavar="YYYY-MM-DD",
        help="Date the event's stage is judged at (default: today).",
        show_default=False,
    ),
]
ThresholdOption = Annotated[
    float,
    typer.Option(
        "--threshold",
        parser=parse_threshold,
        metavar="SHARE",
        help="Share of revenue whose loss means closure risk, as a percent (50%) or share (0.5).",
        show_default="50%",
    ),
]
MaxDepthOption = Annotated[
    int | None,
    typer.Option(
        "--max-depth",
        parser=at_least_one("--max-depth"),
        metavar="N",
        help="Bound the cascade (1: direct hits only).",
        show_default=False,
    ),
]
TopOption = Annotated[
    int | None,
    typer.Option(
        "--top",
        parser=at_least_one("--top"),
        metavar="N",
        help="Show the first N rows of each table (totals still count every row).",
    ),
]


EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="Read from this SPARQL server's query URL instead of the store (after okg push; "
        "basic auth from $OKG_ENDPOINT_USER and $OKG_ENDPOINT_PASSWORD).",
        show_default=False,
    ),
]


def open_reader(store: Path | None, endpoint: str | None):
    """The store to read: the SPARQL server at *endpoint* (read-only; its default graph is
    checked first) or else the local store, read-only."""
    if not endpoint:
        return open_store(store, read_only=True)
    from okg.store.reader import open_endpoint
    from okg.store.remote import EndpointError

    try:
        return open_endpoint(endpoint)
    except EndpointError as exc:
        fail(str(exc))
        raise  # unreachable


class _LazyConsole:
    """A rich console created on first use (rich is not imported for ``--help``)."""

    def __init__(self, stderr: bool = False):
        self._stderr = stderr
        self._console = None

    def get(self):
        """The rich Console itself (for rich objects that need one, e.g. a Progress)."""
        if self._console is None:
            from rich.console import Console

            # no file given: rich writes to whatever sys.stdout / sys.stderr is at print time
            self._console = Console(stderr=self._stderr, soft_wrap=True)
        return self._console

    def print(self, *objects, **kwargs) -> None:
        """rich's print, with terminal escapes and control characters removed from texts."""
        from okg.render.tables import term_text

        kwargs.setdefault("emoji", False)
        self.get().print(*(term_text(o) if isinstance(o, str) else o for o in objects), **kwargs)

    def print_lines(self, lines) -> None:
        """Unstyled lines, written as they are (terminal escapes removed): what ``print`` with
        ``markup=False, highlight=False`` writes on this soft-wrapping console, without rich's
        per-line rendering (an impact report at 10^5 triples has ~20,000 explanation lines)."""
        from okg.render.tables import term_text

        out = self.get().file
        out.write("".join(term_text(line) + "\n" for line in lines))
        out.flush()

    def __getattr__(self, name):
        return getattr(self.get(), name)


console = _LazyConsole()
err_console = _LazyConsole(stderr=True)


def utf8_stdout() -> None:
    """Write standard output as UTF-8 whatever the locale (Arabic labels)."""
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if enc != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")


def write(text: str) -> None:
    """Write *text* (csv, json, md output) to standard output as UTF-8."""
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()


def show(tables, fmt: str) -> None:
    """Print :class:`~okg.render.tables.TextTable` objects in the chosen format."""
    from okg.render.tables import print_tables, render

    if fmt == "table":
        print_tables(tables, console)
    else:
        write(render(tables, fmt))


def say(text: str) -> None:
    """Print one line as is (no markup, no highlighting)."""
    console.print(text, markup=False, highlight=False)


_OPEN: dict = {}


def open_store(store: Path | None, create: bool = False, read_only: bool = False):
    """Open the store for the running command.

    A store a previous command of the same process left open (an error's traceback can keep it
    alive) is closed first, so that its lock is released. Only ``build`` and ``bulk-load`` pass
    ``create=True``: every other command refuses a folder that holds no store, creating nothing.
    Commands that only read pass ``read_only=True``: no lock, so they run in parallel and beside
    a build. An incomplete store (an interrupted write) is refused in one line but by those two.
    """
    from okg.store import KnowledgeGraph, default_store_path

    path = Path(store or default_store_path()).resolve()
    previous = _OPEN.pop(str(path), None)
    if previous is not None:
        previous.close()
    try:
        kg = KnowledgeGraph.open(path, create=create, read_only=read_only)
    except OSError as exc:
        fail(str(exc))
        raise  # unreachable
    except RuntimeError as exc:  # RocksDB: garbage in the store folder's files
        fail(f"the store at {path} cannot be opened: {store_error(exc)}")
        raise  # unreachable
    _OPEN[str(path)] = kg
    return kg


def store_error(exc: BaseException) -> str:
    """The first line of a store engine's error, with what to do when it says the files are
    corrupt."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    if "orrupt" in text or "IO error" in text:
        text += "; the store's files are damaged: remove the folder and run okg build again"
    return text


def close_stores() -> None:
    """Close the stores the running command opened (their locks are released); called when the
    command ends, in the shell as under a test runner."""
    while _OPEN:
        _, kg = _OPEN.popitem()
        kg.close()


def fail(message: str, code: int = 1) -> None:
    """Print a one-line error (no traceback) and exit non-zero."""
    err_console.print(f"error: {message}", markup=False, highlight=False)
    raise typer.Exit(code)
