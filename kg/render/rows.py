"""SPARQL result rows and the canned-query catalog as tables, CSV, JSON or Markdown.

Values are shown as their Python values (numbers without trailing zeros, dates in ISO form,
unbound as empty); JSON keeps numbers as numbers. rdflib is imported only when rows are
rendered, so listing the catalog stays cheap.

>>> from okg.store.sparql import Rows
>>> from rdflib import Literal, XSD
>>> rows = Rows(["n", "name"], [(Literal("163.0", datatype=XSD.decimal), Literal("IKANBI"))])
>>> print(render(rows, "csv"), end="")
n,name
163,IKANBI
>>> render(rows, "json")
'[\\n  {\\n    "n": 163,\\n    "name": "IKANBI"\\n  }\\n]\\n'
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from okg.render.tables import TextTable, json_text, to_csv, to_markdown


def cell(v) -> str:
    """A result value as text: numbers without trailing zeros, dates ISO, None empty."""
    from okg.store.sparql import to_python

    py = to_python(v)
    if py is None:
        return ""
    if isinstance(py, bool):
        return "true" if py else "false"
    if isinstance(py, Decimal):
        return format(py.normalize(), "f") if py == py.to_integral() else format(py, "f")
    if isinstance(py, float) and py.is_integer():
        return str(int(py))
    return str(py)


def json_value(v):
    """A result value for JSON: integers and decimals as numbers, dates as ISO text."""
    from okg.store.sparql import to_python

    py = to_python(v)
    if isinstance(py, Decimal):
        return int(py) if py == py.to_integral() else float(py)
    if isinstance(py, date):
        return py.isoformat()
    return py


def rows_table(rows, title: str = "") -> TextTable:
    """The rows (an :class:`okg.store.sparql.Rows`) as a :class:`TextTable` of text cells."""
    return TextTable(title, list(rows.columns), [[cell(v) for v in r] for r in rows.rows])


def render(rows, fmt: str) -> str:
    """The rows as ``csv``, ``json`` or a Markdown table (``md``); UTF-8 text, Arabic kept."""
    if fmt == "json":
        data = [{c: json_value(v) for c, v in zip(rows.columns, r, strict=True)} for r in rows.rows]
        return json_text(data)
    if fmt == "csv":
        return to_csv([rows_table(rows)])
    if fmt == "md":
        return to_markdown([rows_table(rows)], headings=False)
    raise ValueError(f"unknown format {fmt!r}; expected csv, json or md")


def print_rows(rows, title: str, console, lang: str = "en") -> None:
    """The rows as a rich table on *console*, then their count (in *lang*)."""
    from okg.render.i18n import ngettext
    from okg.render.tables import print_table, rich_table

    print_table(console, rich_table(rows_table(rows, title)))
    n = len(rows)
    count = ngettext("{n} row(s)", "{n} row(s)", n, lang).format(n=n)
    console.print(count, markup=False, highlight=False)


def _params(q) -> str:
    return ", ".join(
        f"{p.name}:{p.type}={p.default if p.default is not None else '-'}" for p in q.params
    )


def catalog_table(queries: dict, lang: str = "en") -> TextTable:
    """The canned queries (name, title, parameters with their types and defaults).

    >>> from okg.queries.canned import parse_query
    >>> q = parse_query("x", "# title: T\\n# param: d date 2025-01-01 — a day\\nSELECT * {}")
    >>> catalog_table({"x": q}).rows
    [['x', 'T', 'd:date=2025-01-01']]
    """
    from okg.render.i18n import _

    return TextTable(
        _("Canned queries (okg query NAME --param KEY=VALUE)", lang),
        [_("name", lang), _("title", lang), _("parameters", lang)],
        [[q.name, q.title, _params(q)] for q in queries.values()],
    )


def render_catalog(queries: dict, fmt: str) -> str:
    """The catalog as ``csv``, ``md`` or ``json`` (JSON lists each parameter as an object)."""
    if fmt != "json":
        t = catalog_table(queries)
        return to_csv([t]) if fmt == "csv" else to_markdown([t], headings=False)
    data = [
        {
            "name": q.name,
            "title": q.title,
            "question": q.question,
            "columns": q.columns,
            "parameters": [
                {"name": p.name, "type": p.type, "default": p.default, "description": p.description}
                for p in q.params
            ],
        }
        for q in queries.values()
    ]
    return json_text(data)
