"""The canned query library: query files with a machine-readable header, and typed parameters.

Each ``queries/NAME.rq`` starts with comment lines of the form::

    # title: Who serves a client
    # question: Which providers serve a client, from which country and site, for what?
    # param: client entity totalenergies — the client (fact-file id)
    # param: lang language en — label language (falls back to en, fr, ar)
    # columns: client, contract, provider, ...

A parameter line is ``# param: NAME TYPE DEFAULT — DESCRIPTION``; the default ``-`` means "not
bound" (the variable then matches anything). Values are turned into RDF terms by their type and
bound with :func:`okg.store.sparql.bind` (a VALUES block), never pasted into the text.

>>> q = parse_query("x", "# title: T\\n# question: Q?\\n# param: d date 2025-01-01 — a day\\n"
...                 "# columns: d\\nSELECT ?d WHERE { }")
>>> q.params[0].name, q.params[0].type, q.terms({})["d"].toPython()
('d', 'date', datetime.date(2025, 1, 1))
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

from okg.terms.resources import queries_dir

if TYPE_CHECKING:  # rdflib is imported when terms are built, not to read the catalog
    from okg.store.sparql import Rows
    from rdflib.term import Node

UNBOUND = "-"
_HEADER = re.compile(r"^#\s*(title|question|param|columns|note)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+([a-z]+)\s+(\S+)\s*(?:[—-]+\s*(.*))?$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/-]*$")
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_CODE = re.compile(r"^[A-Za-z]{2}$")


class QueryError(ValueError):
    """A query file, a query name or a parameter value is not usable (message names which)."""


# Each parameter type is a pure check (text -> normalised text, ValueError when it does not fit:
# enough to read the headers without rdflib) and a maker of the RDF term from the checked text.


def _check_entity(v: str) -> str:
    v = v.removeprefix("okgd:")
    if not v.startswith(("http://", "https://")) and not _ID.match(v):
        raise ValueError("not an entity id (letters, digits, . _ ~ / -)")
    return v


def _make_entity(v: str) -> Node:
    from okg.terms.namespaces import OKGD
    from rdflib import URIRef

    return URIRef(v) if v.startswith(("http://", "https://")) else OKGD[v]


def _check_iri(v: str) -> str:
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", v):
        raise ValueError("not an absolute IRI")
    return v


def _make_iri(v: str) -> Node:
    from rdflib import URIRef

    return URIRef(v)


def _make_string(v: str) -> Node:
    from rdflib import Literal

    return Literal(v)


def _check_date(v: str) -> str:
    try:
        return date.fromisoformat(v).isoformat()
    except ValueError:
        raise ValueError("not a date (YYYY-MM-DD)") from None


def _typed(datatype: str) -> Callable[[str], Node]:
    def make(v: str) -> Node:
        from rdflib import Literal
        from rdflib.namespace import XSD

        return Literal(v, datatype=XSD[datatype])

    return make


def _check_integer(v: str) -> str:
    if not re.fullmatch(r"[+-]?\d+", v):
        raise ValueError("not an integer")
    return str(int(v))


def _check_decimal(v: str) -> str:
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise ValueError("not a decimal number") from None
    if not d.is_finite():
        raise ValueError("not a finite decimal number")
    return format(d, "f")


def _check_boolean(v: str) -> str:
    low = v.strip().lower()
    if low in ("true", "yes", "1"):
        return "true"
    if low in ("false", "no", "0"):
        return "false"
    raise ValueError("not a boolean (true or false)")


def _check_language(v: str) -> str:
    if not _LANG.match(v):
        raise ValueError("not a language code (BCP 47, e.g. en, fr, ar)")
    return v.lower()


def _check_code(v: str) -> str:
    if not _CODE.match(v):
        raise ValueError("not a two-letter ISO 3166 code")
    return v.upper()


def _in(namespace: str) -> Callable[[str], Node]:
    def make(v: str) -> Node:
        from okg.terms import namespaces

        return getattr(namespaces, namespace)[v]

    return make


@dataclass(frozen=True)
class ParamType:
    """How a parameter's text is checked (pure Python) and made into an RDF term (rdflib)."""

    check: Callable[[str], str]
    make: Callable[[str], Node]

    def __call__(self, value: str) -> Node:
        return self.make(self.check(value))


TYPES = {
    "entity": ParamType(_check_entity, _make_entity),  # a fact-file id or a full IRI
    "iri": ParamType(_check_iri, _make_iri),
    "string": ParamType(str, _make_string),
    "date": ParamType(_check_date, _typed("date")),
    "integer": ParamType(_check_integer, _typed("integer")),
    "decimal": ParamType(_check_decimal, _typed("decimal")),
    "boolean": ParamType(_check_boolean, _typed("boolean")),
    "language": ParamType(_check_language, _make_string),
    "country": ParamType(_check_code, _in("COUNTRY")),
    "market": ParamType(_check_code, _in("MARKET")),
}
"""Parameter types: each makes an RDF term from the text given on the command line."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str = ""

    def check(self, value: str) -> str:
        """*value* checked against the type without building a term (no rdflib needed)."""
        try:
            return TYPES[self.type].check(value)
        except ValueError as exc:
            raise QueryError(f"parameter '{self.name}' ({self.type}): {exc}: {value!r}") from None

    def term(self, value: str) -> Node:
        """The RDF term for *value*; QueryError naming the parameter when it does not fit."""
        from okg.store.sparql import BindingError, term_to_sparql

        try:
            term = TYPES[self.type](value)
            term_to_sparql(term)
        except (ValueError, BindingError) as exc:
            raise QueryError(f"parameter '{self.name}' ({self.type}): {exc}: {value!r}") from None
        return term


@dataclass
class CannedQuery:
    """A query file with its header: what it answers, its parameters and its columns."""

    name: str
    title: str
    question: str
    text: str
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    path: Path | None = None

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def terms(self, values: dict[str, str], lang: str | None = None) -> dict[str, Node]:
        """Typed RDF terms for the given values plus the defaults; unknown names are refused."""
        declared = {p.name for p in self.params}
        unknown = sorted(set(values) - declared)
        if unknown and self.params:
            raise QueryError(
                f"query '{self.name}' has no parameter '{unknown[0]}'; "
                f"its parameters: {', '.join(sorted(declared))}"
            )
        out: dict[str, Node] = {}
        for p in self.params:
            if p.name in values:
                raw = values[p.name]
            elif p.type == "language" and p.name == "lang" and lang:
                raw = lang
            else:
                raw = p.default
            if raw is not None and raw != UNBOUND:
                out[p.name] = p.term(raw)
        for name in unknown:  # a user's own file without a header: plain strings
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
                raise QueryError(f"not a valid parameter name: {name!r}")
            out[name] = _make_string(values[name])
        if lang and "lang" not in out and re.search(r"[?$]lang\b", self.text):
            out["lang"] = Param("lang", "language", None).term(lang)
        return out


def parse_query(name: str, text: str, path: Path | None = None) -> CannedQuery:
    """Read the comment header of a query; the header may be empty for a user's own file."""
    fields: dict[str, str] = {}
    params: list[Param] = []
    columns: list[str] = []
    notes: list[str] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#"):
            break
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.groups()
        where = f"{path or name}:{lineno}"
        if key == "param":
            pm = _PARAM.match(value)
            if not pm or pm.group(2) not in TYPES:
                raise QueryError(
                    f"{where}: param line must be 'NAME TYPE DEFAULT — description' "
                    f"with TYPE one of {', '.join(TYPES)}: {value!r}"
                )
            pname, ptype, default, desc = pm.groups()
            param = Param(pname, ptype, None if default == UNBOUND else default, desc or "")
            if param.default is not None:
                param.check(param.default)
            params.append(param)
        elif key == "columns":
            columns = [c.strip() for c in value.split(",") if c.strip()]
        elif key == "note":
            notes.append(value)
        else:
            fields[key] = value
    return CannedQuery(
        name,
        fields.get("title", name),
        fields.get("question", ""),
        text,
        params,
        columns,
        notes,
        path,
    )


def load_file(path: Path) -> CannedQuery:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"cannot read {path}: {exc}") from None
    return parse_query(path.stem, text, path)


def catalog(folder: Path | None = None) -> dict[str, CannedQuery]:
    """Every canned query of *folder* (default: the bundled ``queries/``), by name."""
    folder = folder or queries_dir()
    return {p.stem: load_file(p) for p in sorted(folder.glob("*.rq"))}


def resolve(name_or_path: str) -> CannedQuery:
    """A canned query by name, or a user's own ``.rq`` file by path."""
    path = Path(name_or_path)
    if name_or_path.endswith(".rq") or path.is_file():
        if not path.is_file():
            raise QueryError(f"no query file {path}")
        return load_file(path)
    queries = catalog()
    if name_or_path not in queries:
        raise QueryError(f"no canned query '{name_or_path}'; see okg query --list")
    return queries[name_or_path]


def run_query(
    target, name: str | CannedQuery, params: dict[str, str] | None = None, lang: str = "en"
) -> Rows:
    """Run a canned query (or a user's ``.rq`` file) on a KnowledgeGraph or an Endpoint.

    *params* are the raw texts (as on the command line); they are typed by the query header
    and bound with a VALUES block, never pasted.

    >>> from okg.store import KnowledgeGraph
    >>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
    >>> run_query(kg, "sources").columns
    ['source', 'title', 'publisher', 'date', 'language', 'facts']
    """
    from okg.store.sparql import BindingError, bind
    from okg.terms.namespaces import sparql_prologue

    q = name if isinstance(name, CannedQuery) else resolve(name)
    terms = q.terms(params or {}, lang)
    try:
        text = sparql_prologue() + bind(q.text, terms)
    except BindingError as exc:
        raise QueryError(f"query '{q.name}': {exc}") from None
    if hasattr(target, "backend"):
        rows = target.backend.select(text)
    else:
        rows = target.select(text, q.name)
    if len(q.columns) == len(rows.columns):  # the header's names for the projected variables
        rows.columns = list(q.columns)
    return rows
