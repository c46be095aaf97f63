"""Plain tables (a title, column names, rows of text) and their four output formats.

Every command that prints a table builds :class:`TextTable` objects and hands them to
:func:`render` (``csv``, ``json``, ``md``) or :func:`print_tables` (a rich table on the terminal).
When the output is not a terminal (a pipe, ``tee``, a file), rich would lay tables out in 80
columns and fold 13-column headers into three-letter stubs: :func:`table_width` gives them the
width they need instead (``$COLUMNS`` still wins when set).

>>> t = TextTable("Sources", ["source", "triples"], [["a", "12"], ["b|c", "3"]], right={1})
>>> print(render([t], "csv"), end="")
source,triples
a,12
b|c,3
>>> print(render([t], "md"), end="")
| source | triples |
|---|---:|
| a | 12 |
| b\\|c | 3 |
>>> import json; json.loads(render([t], "json"))[1]
{'source': 'b|c', 'triples': '3'}
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import dataclass, field

FORMATS = ("table", "csv", "json", "md")
"""The output formats of every command that prints rows."""

MIN_PIPE_WIDTH = 160
"""Width of tables written to a pipe or a file when they need less (and $COLUMNS is not set)."""
MAX_PIPE_WIDTH = 400
"""Beyond this, long cells fold even in a pipe (use ``--format csv`` for the full text)."""


@dataclass
class TextTable:
    """A titled table of text cells; *key* names it in JSON output with several tables."""

    title: str
    columns: list[str]
    rows: list[list[str]]
    key: str = ""
    right: set[int] = field(default_factory=set)
    """Indexes of right-aligned (numeric) columns."""


def md_cell(text: str) -> str:
    """*text* safe inside a Markdown table cell (pipes and backslashes escaped, one line).

    >>> md_cell("a|b\\nc")
    'a\\\\|b c'
    """
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_csv(tables: list[TextTable]) -> str:
    """One CSV table; several are separated by a blank line, each after a ``# title`` line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for i, t in enumerate(tables):
        if len(tables) > 1:
            buf.write(("\n" if i else "") + f"# {t.title}\n")
        w.writerow(t.columns)
        w.writerows(t.rows)
    return buf.getvalue()


def to_markdown(tables: list[TextTable], headings: bool | None = None) -> str:
    """Markdown tables; with several (or *headings*), each under a ``## title`` heading."""
    headings = len(tables) > 1 if headings is None else headings
    out: list[str] = []
    for t in tables:
        if headings:
            out += [f"## {md_cell(t.title)}", ""]
        out.append("| " + " | ".join(md_cell(c) for c in t.columns) + " |")
        out.append(
            "|" + "".join("---:|" if i in t.right else "---|" for i in range(len(t.columns)))
        )
        out += ["| " + " | ".join(md_cell(c) for c in r) + " |" for r in t.rows]
        if headings:
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def to_records(t: TextTable) -> list[dict[str, str]]:
    return [dict(zip(t.columns, r, strict=True)) for r in t.rows]


def to_json(tables: list[TextTable]) -> str:
    """One table as a list of objects; several as an object keyed by each table's *key*."""
    if len(tables) == 1:
        data: object = to_records(tables[0])
    else:
        data = {t.key or t.title: to_records(t) for t in tables}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(tables: list[TextTable], fmt: str) -> str:
    """The tables as ``csv``, ``json`` or ``md`` text (``table`` is :func:`print_tables`)."""
    if fmt == "csv":
        return to_csv(tables)
    if fmt == "json":
        return to_json(tables)
    if fmt == "md":
        return to_markdown(tables)
    raise ValueError(f"unknown format {fmt!r}; expected csv, json or md")


def rich_table(t: TextTable):
    """The table as a :class:`rich.table.Table` (cells fold rather than being cut)."""
    from rich.table import Table

    table = Table(title=t.title or None)
    for i, c in enumerate(t.columns):
        table.add_column(c, overflow="fold", justify="right" if i in t.right else "left")
    for r in t.rows:
        table.add_row(*r)
    return table


def table_width(console, renderable) -> int | None:
    """The width to print *renderable* with: None on a terminal or when $COLUMNS is set (rich's
    own choice), else what the table needs, between MIN_PIPE_WIDTH and MAX_PIPE_WIDTH."""
    if console.is_terminal or os.environ.get("COLUMNS"):
        return None
    from rich.measure import Measurement

    needed = Measurement.get(console, console.options.update_width(MAX_PIPE_WIDTH), renderable)
    return max(MIN_PIPE_WIDTH, min(needed.maximum, MAX_PIPE_WIDTH))


def print_table(console, renderable) -> None:
    """Print a rich renderable (usually a table) at a readable width, terminal or not."""
    width = table_width(console, renderable)
    if width is None:
        console.print(renderable)
        return
    from rich.console import Console

    # console.print(width=...) never goes beyond the console's own width: print on a wider one
    Console(file=console.file, width=width, soft_wrap=True).print(renderable)


def print_tables(tables: list[TextTable], console) -> None:
    """Print the tables on *console* (rich), readable in a terminal, a pipe or a file."""
    for t in tables:
        print_table(console, rich_table(t))
