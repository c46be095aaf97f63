"""Bound parameters and result rows, the same for every engine.

Parameters are never pasted into the query text as text: each value is first made an RDF term,
checked, and written by :func:`term_to_sparql`, which escapes every character that could end
a string (``\\``, ``"``, newlines) and refuses IRIs with characters IRIs may not contain. The terms
go into one ``VALUES`` block placed at the start of the query's outermost group, so the rest of
the query is untouched whatever the value (quotes, braces, ``#``, newlines, ``} ; DROP ALL ; {``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


class BindingError(ValueError):
    """A parameter value cannot be made a safe RDF term, or the query has no group to bind into."""


def term_to_sparql(term: Node) -> str:
    """An RDF term in SPARQL syntax that cannot break out of its position."""
    if isinstance(term, URIRef):
        if _IRI_FORBIDDEN.search(str(term)):
            raise BindingError(f"not a valid IRI: {str(term)!r}")
        return f"<{term}>"
    if isinstance(term, Literal):
        body = "".join(_ESCAPES.get(c, c) for c in str(term))
        if term.language:
            if not _LANG.match(term.language):
                raise BindingError(f"not a valid language tag: {term.language!r}")
            return f'"{body}"@{term.language}'
        if term.datatype is not None:
            return f'"{body}"^^{term_to_sparql(URIRef(term.datatype))}'
        return f'"{body}"'
    raise BindingError(f"cannot bind a {type(term).__name__} as a parameter")


def _scan(query: str):
    """Yield (index, char) of the characters that are syntax (outside strings, IRIs, comments)."""
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c == "#":
            while i < n and query[i] != "\n":
                i += 1
            continue
        if c in "\"'":
            long = query.startswith(c * 3, i)
            end = c * 3 if long else c
            i += 3 if long else 1
            while i < n and not query.startswith(end, i):
                i += 2 if query[i] == "\\" else 1
            i += len(end)
            continue
        if c == "<":
            m = re.match(r"<[^\x00-\x20<>\"{}|^`\\]*>", query[i:])
            if m:
                i += m.end()
                continue
        yield i, c
        i += 1


def _outer_group_start(query: str) -> int:
    """Index just after the ``{`` that opens the query's WHERE group."""
    depth = 0
    text_before = []
    form = None
    skipped_template = False
    for i, c in _scan(query):
        if depth == 0 and c != "{":
            text_before.append(c)
            if form is None:
                m = re.search(r"\b(SELECT|CONSTRUCT|ASK|DESCRIBE)\b", "".join(text_before), re.I)
                form = m.group(1).upper() if m else None
        if c == "{":
            if depth == 0:
                head = "".join(text_before)
                is_template = (
                    form == "CONSTRUCT"
                    and not skipped_template
                    and not re.search(r"\bWHERE\s*$", head, re.I)
                )
                if not is_template:
                    return i + 1
                skipped_template = True
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                text_before = []
    raise BindingError("the query has no { ... } group to bind parameters into")


def bind(query: str, params: dict[str, Node] | None) -> str:
    """The query with *params* (variable name to RDF term) bound by a VALUES block."""
    if not params:
        return query
    names = []
    for name in params:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise BindingError(f"not a valid variable name: {name!r}")
        names.append(name)
    values = " ".join(term_to_sparql(params[n]) for n in names)
    block = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({values}) }} "
    at = _outer_group_start(query)
    return query[:at] + block + query[at:]


@dataclass
class Rows:
    """A SELECT result: column names and rows of rdflib terms (None when unbound)."""

    columns: list[str]
    rows: list[tuple[Node | None, ...]] = field(default_factory=list)

    def dicts(self) -> list[dict[str, Node | None]]:
        return [dict(zip(self.columns, r, strict=True)) for r in self.rows]

    def python(self) -> list[dict[str, object]]:
        """Rows with literals as Python values (int, Decimal, date, str) and IRIs as str."""
        return [{c: to_python(v) for c, v in zip(self.columns, r, strict=True)} for r in self.rows]

    def dataframe(self):
        """A pandas DataFrame with one typed column per variable (needs ``okg[pandas]``).

        Each column's dtype comes from the datatypes of its literals (:func:`column_kind`):
        ``xsd:integer`` and its sub-types give nullable ``Int64``, ``xsd:decimal``, ``double``
        and ``float`` give ``float64``, ``xsd:date`` and ``dateTime`` give ``datetime64``,
        ``xsd:boolean`` gives ``boolean``; IRIs, labels and everything else give ``string``.
        Unbound values are ``<NA>`` (``NaN`` in float columns, ``NaT`` in dates); a column whose
        values disagree (an integer and a label) is ``string``.
        """
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("Rows.dataframe() needs pandas: pip install 'okg[pandas]'") from None
        data = {}
        for i, name in enumerate(self.columns):
            values = [r[i] for r in self.rows]
            kind = column_kind(values)
            if kind == "int":
                data[name] = pd.array([_py_or_none(v, int) for v in values], dtype="Int64")
            elif kind == "float":
                data[name] = pd.array(
                    [float("nan") if v is None else float(v.toPython()) for v in values],
                    dtype="float64",
                )
            elif kind == "datetime":
                data[name] = _datetimes(pd, [None if v is None else str(v) for v in values])
            elif kind == "bool":
                data[name] = pd.array([_py_or_none(v, bool) for v in values], dtype="boolean")
            else:
                data[name] = pd.array(
                    [None if v is None else _text(v) for v in values], dtype="string"
                )
        return pd.DataFrame(data, columns=self.columns)

    def __len__(self) -> int:
        return len(self.rows)

    def _cells(self, limit: int) -> list[list[str]]:
        return [["" if v is None else _text(v) for v in r] for r in self.rows[:limit]]

    def __repr__(self) -> str:
        """A short text table: the first 10 rows, cells cut at 40 characters."""
        cells = [[_cut(c, 40) for c in r] for r in self._cells(REPR_ROWS)]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        lines = [f"Rows: {len(self.rows)} rows × {len(self.columns)} columns"]
        if self.columns:
            lines.append(
                "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)).rstrip()
            )
            lines += [
                "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                for r in cells
            ]
        if len(self.rows) > REPR_ROWS:
            lines.append(f"… {len(self.rows) - REPR_ROWS} more rows")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        """An HTML table of the first 50 rows for notebooks; every text escaped."""
        head = "".join(f"<th>{escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f'<td dir="auto">{escape(c)}</td>' for c in r) + "</tr>"
            for r in self._cells(HTML_ROWS)
        )
        more = ""
        if len(self.rows) > HTML_ROWS:
            more = f"<p>… {len(self.rows) - HTML_ROWS} more rows</p>"
        caption = f"<caption>{len(self.rows)} rows</caption>"
        return (
            f'<table class="okg-rows">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table>{more}"
        )


REPR_ROWS = 10
HTML_ROWS = 50
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INT_TYPES = {
    _XSD + t
    for t in (
        "integer int long short byte nonNegativeInteger positiveInteger nonPositiveInteger "
        "negativeInteger unsignedLong unsignedInt unsignedShort unsignedByte"
    ).split()
}
_FLOAT_TYPES = {_XSD + "decimal", _XSD + "double", _XSD + "float"}
_DATE_TYPES = {_XSD + "date", _XSD + "dateTime", _XSD + "dateTimeStamp"}
_BOOL_TYPES = {_XSD + "boolean"}


def _kind(v: Node) -> str:
    if not isinstance(v, Literal) or v.datatype is None or v.ill_typed:
        return "string"
    dt = str(v.datatype)
    if dt in _INT_TYPES:
        return "int"
    if dt in _FLOAT_TYPES:
        return "float"
    if dt in _DATE_TYPES:
        return "datetime"
    if dt in _BOOL_TYPES:
        return "bool"
    return "string"


def column_kind(values: list[Node | None]) -> str:
    """``int``, ``float``, ``datetime``, ``bool`` or ``string`` for a column's values.

    Integers and decimals together are ``float``; any other mix is ``string``; a column of
    unbound values only is ``string``.

    >>> from rdflib import Literal, URIRef
    >>> from rdflib.namespace import XSD
    >>> column_kind([Literal(1), None, Literal("2.5", datatype=XSD.decimal)])
    'float'
    >>> column_kind([Literal(1), Literal("IKANBI")]), column_kind([URIRef("urn:x")])
    ('string', 'string')
    """
    kinds = {_kind(v) for v in values if v is not None}
    if len(kinds) == 1:
        return kinds.pop()
    if kinds == {"int", "float"}:
        return "float"
    return "string"


def _datetimes(pd, texts: list[str | None]):
    """ISO dates and date-times as datetime64 (UTC when their offsets differ)."""
    try:
        return pd.to_datetime(texts, format="ISO8601")
    except (ValueError, TypeError):
        return pd.to_datetime(texts, format="ISO8601", utc=True)


def _py_or_none(v: Node | None, cast):
    return None if v is None else cast(v.toPython())


def _text(v: Node) -> str:
    """A term as text: a literal's lexical form, an IRI as itself, a blank node as ``_:id``."""
    return f"_:{v}" if isinstance(v, BNode) else str(v)


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def to_python(v: Node | None):
    if v is None:
        return None
    if isinstance(v, Literal):
        py = v.toPython()
        return py if not isinstance(py, Literal) else str(v)
    if isinstance(v, BNode):
        return f"_:{v}"
    return str(v)
