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
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from okg.store.sparql import BindingError, Rows, bind, term_to_sparql
from okg.terms.namespaces import COUNTRY, MARKET, OKGD, sparql_prologue
from okg.terms.resources import queries_dir
from rdflib import Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

UNBOUND = "-"
_HEADER = re.compile(r"^#\s*(title|question|param|columns|note)\s*:\s*(.*?)\s*$")
_PARAM = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)\s+([a-z]+)\s+(\S+)\s*(?:[—-]+\s*(.*))?$")
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._~/-]*$")
_LANG = re.compile(r"^[a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*$")
_CODE = re.compile(r"^[A-Za-z]{2}$")


class QueryError(ValueError):
    """A query file, a query name or a parameter value is not usable (message names which)."""


def _entity(v: str) -> Node:
    v = v.removeprefix("okgd:")
    if v.startswith(("http://", "https://")):
        return URIRef(v)
    if not _ID.match(v):
        raise ValueError("not an entity id (letters, digits, . _ ~ / -)")
    return OKGD[v]


def _iri(v: str) -> Node:
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", v):
        raise ValueError("not an absolute IRI")
    return URIRef(v)


def _date(v: str) -> Node:
    try:
        return Literal(date.fromisoformat(v).isoformat(), datatype=XSD.date)
    except ValueError:
        raise ValueError("not a date (YYYY-MM-DD)") from None


def _integer(v: str) -> Node:
    if not re.fullmatch(r"[+-]?\d+", v):
        raise ValueError("not an integer")
    return Literal(str(int(v)), datatype=XSD.integer)


def _decimal(v: str) -> Node:
    try:
        d = Decimal(v)
    except InvalidOperation:
        raise ValueError("not a decimal number") from None
    if not d.is_finite():
        raise ValueError("not a finite decimal number")
    return Literal(format(d, "f"), datatype=XSD.decimal)


def _language(v: str) -> Node:
    if not _LANG.match(v):
        raise ValueError("not a language code (BCP 47, e.g. en, fr, ar)")
    return Literal(v.lower())


def _code(ns):
    def make(v: str) -> Node:
        if not _CODE.match(v):
            raise ValueError("not a two-letter ISO 3166 code")
        return ns[v.upper()]

    return make


TYPES = {
    "entity": _entity,  # a fact-file id (``ikanbi``, ``SOURCE/FACT``) or a full IRI
    "iri": _iri,
    "string": Literal,
    "date": _date,
    "integer": _integer,
    "decimal": _decimal,
    "language": _language,
    "country": _code(COUNTRY),
    "market": _code(MARKET),
}
"""Parameter types: each makes an RDF term from the text given on the command line."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    description: str = ""

    def term(self, value: str) -> Node:
        """The RDF term for *value*; QueryError naming the parameter when it does not fit."""
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
            out[name] = Literal(values[name])
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
                param.term(param.default)
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
