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
        """A pandas DataFrame of :meth:`python` rows (needs pandas)."""
        import pandas as pd

        return pd.DataFrame(self.python(), columns=self.columns)

    def __len__(self) -> int:
        return len(self.rows)


def to_python(v: Node | None):
    if v is None:
        return None
    if isinstance(v, Literal):
        py = v.toPython()
        return py if not isinstance(py, Literal) else str(v)
    if isinstance(v, BNode):
        return f"_:{v}"
    return str(v)
