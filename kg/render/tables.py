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

Every cell and text from data is escaped for where it goes, here and only here (issue 15, item 8):

- **Markdown** (:func:`md_text`, :func:`md_cell`): ``\\ ` * _ [ ] < > | & ~ #`` and a leading
  ``-``/``+``/``=`` are backslash-escaped, so a label is shown as its own text (no HTML, no link,
  no code span, no emphasis, no extra table column); newlines become spaces in cells.
- **CSV** (:func:`csv_cell`, OWASP's guard against formula injection): a text cell starting with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms) is prefixed
  with ``'``. A cell that is a plain number (``-12``, ``3.5``, ``-1e3``) stays as it is: a
  spreadsheet reads it as a number, never as a formula, so negative figures keep working.
- **Terminal** (:func:`term_text`): ANSI/OSC/DCS escape sequences and the C0/C1 control
  characters are removed (newlines and tabs kept where the layout needs them), also from remote
  answers, and rich markup in cells is never interpreted.
- **JSON**: the json module escapes C0 characters; :func:`to_json` also writes C1 characters and
  DEL as ``\\u`` escapes (the same text, but nothing a terminal acts on).
- **HTML** pages are escaped by :mod:`okg.viz` (unchanged).

>>> md_text("<b>|`x`|[a](j:b)")
'\\\\<b\\\\>\\\\|\\\\`x\\\\`\\\\|\\\\[a\\\\](j:b)'
>>> [csv_cell(c) for c in ["=1+1", "-12.5", "-1-2", "@x", "+33 1", "ok"]]
["'=1+1", '-12.5', "'-1-2", "'@x", "'+33 1", 'ok']
>>> term_text("a\\x1b]0;pwn\\x07b\\x1b[2Jc\\x9b1md")
'abcd'
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
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


_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]?"  # CSI (colours, cursor, erase)
    r"|\x1b[\]PX^_][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # other ESC sequences (charsets, keypad, reset)
    r"|\x9b[0-?]*[ -/]*[@-~]?"  # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit strings
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def term_text(text: str, newlines: bool = True) -> str:
    """*text* without terminal escape sequences (ANSI CSI, OSC titles, DCS...) and without C0/C1
    control characters; newlines and tabs are kept when *newlines*, else each becomes a space.

    >>> term_text("x\\x1b[31mred\\x1b[0m\\ttab\\r\\nnext")
    'xred\\ttab\\nnext'
    >>> term_text("a\\nb", newlines=False)
    'a b'
    """
    text = _ESCAPES.sub("", str(text))
    if newlines:
        return _CONTROLS.sub("", text)
    return _CONTROLS_ONE_LINE.sub(lambda m: " " if m.group() in "\t\n" else "", text)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|&~#])")


def md_text(text: str) -> str:
    """*text* shown literally in Markdown (inline: a list item, a heading, a cell): every
    character that could start markup is backslash-escaped, control characters are dropped and
    newlines become spaces.

    >>> md_text("- *a* <script>")
    '\\\\- \\\\*a\\\\* \\\\<script\\\\>'
    """
    text = _MD_SPECIAL.sub(r"\\\1", term_text(text, newlines=False))
    if text[:1] in ("-", "+", "="):  # a list item or a setext heading underline
        text = "\\" + text
    return _ORDERED.sub(r"\1\\\2", text, count=1)  # "1." would start an ordered list


_ORDERED = re.compile(r"^(\d+)([.)])")


def md_cell(text: str) -> str:
    """*text* safe inside a Markdown table cell (as :func:`md_text`: one line, pipes escaped).

    >>> md_cell("a|b\\nc")
    'a\\\\|b c'
    """
    return md_text(text)


_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def csv_cell(text) -> str:
    """A CSV cell that no spreadsheet runs as a formula (OWASP CSV injection): text starting
    with ``= + - @``, a tab or a carriage return gets a leading ``'``; plain numbers stay.
    Escape sequences and control characters other than tab and newline are dropped."""
    text = str(text)
    if _NUMBER.fullmatch(text):
        return text
    text = _CONTROLS.sub("", _ESCAPES.sub("", text))
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(tables: list[TextTable]) -> str:
    """One CSV table; several are separated by a blank line, each after a ``# title`` line."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for i, t in enumerate(tables):
        if len(tables) > 1:
            buf.write(("\n" if i else "") + f"# {term_text(t.title, newlines=False)}\n")
        w.writerow([csv_cell(c) for c in t.columns])
        w.writerows([csv_cell(c) for c in r] for r in t.rows)
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
    return json_text(data)


_C1 = re.compile(r"[\x7f-\x9f\u2028\u2029]")


def json_text(data) -> str:
    """*data* as indented UTF-8 JSON; C0 characters are escaped by json, C1 characters, DEL and
    the line/paragraph separators here (the same strings once parsed).

    >>> json_text({"a": "x\\x1b\\x9by"})
    '{\\n  "a": "x\\\\u001b\\\\u009by"\\n}\\n'
    """
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _C1.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


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
    from rich.text import Text

    # Text objects: rich markup in data ("[x]", "[bold]") is shown, never interpreted
    table = Table(title=Text(term_text(t.title, newlines=False)) if t.title else None)
    for i, c in enumerate(t.columns):
        table.add_column(
            Text(term_text(c, newlines=False)),
            overflow="fold",
            justify="right" if i in t.right else "left",
        )
    for r in t.rows:
        table.add_row(*(Text(term_text(c)) for c in r))
    return table


def print_text(console, text: str, **style) -> None:
    """Print one text from data on a terminal console: escapes and controls removed, no markup,
    no highlighting (*style*: e.g. ``style="bold"``)."""
    console.print(term_text(text), markup=False, highlight=False, **style)


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
