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

Names of entities: a header column ``X`` followed somewhere by ``X_iri`` is a *label column*.
The query projects only the other columns, in header order (``?provider`` for ``provider_iri``);
okg then fills ``X`` with the label of the IRI in ``X_iri`` by the one fallback rule of
:mod:`okg.terms.labels` (asked language, en, fr, ar, untagged, any other, else the IRI's local
name), looked up after the query in one bound VALUES query per 500 IRIs. So labels are chosen
after DISTINCT, the same way on every engine, and the query text stays small.

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

    def label_columns(self) -> list[str]:
        """Header columns okg fills with the label of the ``X_iri`` column (not projected).

        >>> parse_query("x", "# columns: a, a_iri, n\\nSELECT ?a ?n {}").label_columns()
        ['a']
        """
        return [c for c in self.columns if f"{c}_iri" in self.columns]

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


_TOKEN = re.compile(
    r"<[^<>\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'|#[^\n]*|[A-Za-z_][\w-]*:?|\S"
)
UPDATE_KEYWORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY")
QUERY_FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")


def query_form(text: str) -> tuple[str, int]:
    """The query's form (SELECT, CONSTRUCT, ASK, DESCRIBE, or the update keyword it starts
    with) and the line of the file it is on, after comments and PREFIX/BASE declarations.

    >>> query_form("# c\\nPREFIX ex: <http://x#>\\n\\nask { ?s ?p ?o }")
    ('ASK', 4)
    >>> query_form("PREFIX : <urn:x>\\nINSERT DATA { :a :b :c }")
    ('INSERT', 2)
    """
    expect_iri = False
    for m in _TOKEN.finditer(text):
        tok = m.group()
        if tok.startswith("#"):
            continue
        if expect_iri:
            expect_iri = not tok.startswith("<")
            continue
        word = tok.upper()
        if word in ("PREFIX", "BASE"):
            expect_iri = True
            continue
        return word.rstrip(":"), text.count("\n", 0, m.start()) + 1
    return "", 1


_POSITION = re.compile(r"\bat (\d+):(\d+)")


def _file_position(message: str, offset: int, where: str) -> str:
    """An engine's parse error with its position in the user's own lines (okg's prefix
    declarations, *offset* lines, come first in what the engine saw)."""
    m = _POSITION.search(message)
    first = message.strip().splitlines()[0] if message.strip() else "syntax error"
    if not m or int(m.group(1)) <= offset:
        return f"{where}: {first}"
    line, col = int(m.group(1)) - offset, m.group(2)
    what = _POSITION.sub("", first, count=1).replace("error :", "").strip(" :")
    return f"{where}:{line}:{col}: syntax error: {what}"


def _select(target, text: str, name: str) -> Rows:
    return target.backend.select(text) if hasattr(target, "backend") else target.select(text, name)


def _resolve_id(target, raw: str, iri, name: str):
    """*iri* when the store has it; else the one node whose IRI ends in ``/raw`` (a fact id
    given without its source, as ``okg impact`` takes it); QueryError when several do."""
    from okg.store.sparql import term_to_sparql
    from rdflib import Literal

    if _select(target, f"SELECT ?p WHERE {{ {term_to_sparql(iri)} ?p ?o }} LIMIT 1", name).rows:
        return iri
    suffix = term_to_sparql(Literal("/" + raw))
    rows = _select(
        target,
        "SELECT DISTINCT ?x WHERE { ?x a ?t . "
        'FILTER(STRSTARTS(STR(?x), "https://w3id.org/okg/id/") '
        f"&& STRENDS(STR(?x), {suffix})) }} ORDER BY ?x LIMIT 6",
        name,
    ).rows
    if len(rows) > 1:
        found = ", ".join(str(r[0]).removeprefix("https://w3id.org/okg/id/") for r in rows[:5])
        raise QueryError(f"parameter '{name}': {raw!r} is ambiguous: {found}; give SOURCE/ID")
    return rows[0][0] if rows else iri


_ABSOLUTE = re.compile(r"^https?://\S+$")
LABEL_CHUNK = 500
"""IRIs per label look-up query (each a bound VALUES block)."""


def _labels_of(target, iris: list) -> dict[str, dict[str | None, str]]:
    """Every rdfs:label of *iris*, by IRI and language tag (``None`` untagged); one VALUES
    query per :data:`LABEL_CHUNK` IRIs, on the store or the endpoint alike."""
    from okg.store.sparql import term_to_sparql

    found: dict[str, dict[str | None, str]] = {}
    store = getattr(getattr(target, "backend", None), "store", None)
    if store is not None and hasattr(store, "quads_for_pattern"):  # embedded Oxigraph: index
        import pyoxigraph as ox

        label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
        for x in iris:
            got = store.quads_for_pattern(ox.NamedNode(str(x)), label, None)
            for lit in sorted({q.object for q in got}, key=lambda v: v.value):
                tag = getattr(lit, "language", None) or None
                found.setdefault(str(x), {}).setdefault(tag, lit.value)
        return found
    for i in range(0, len(iris), LABEL_CHUNK):
        chunk = " ".join(term_to_sparql(x) for x in iris[i : i + LABEL_CHUNK])
        text = (
            f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {chunk} }} "
            "?x <http://www.w3.org/2000/01/rdf-schema#label> ?l }"
        )
        rows = _select(target, text, "labels")
        for x, lit in sorted(rows.rows, key=lambda r: (str(r[0]), str(r[1]))):
            tag = getattr(lit, "language", None) or None
            found.setdefault(str(x), {}).setdefault(tag, str(lit))
    return found


def _with_labels(target, q: CannedQuery, rows: Rows, lang: str) -> Rows:
    """*rows* with the header's label columns filled in (see the module's docstring)."""
    from okg.store.sparql import Rows
    from okg.terms.labels import label
    from rdflib import Literal, URIRef

    labelled = q.label_columns()
    plain = [c for c in q.columns if c not in labelled]
    if len(rows.columns) != len(plain):
        raise QueryError(
            f"query {q.name!r}: it projects {len(rows.columns)} variables, its header names "
            f"{len(plain)} columns besides the label columns ({', '.join(labelled)})"
        )
    # the projected variables by name (?provider for provider_iri), else by position
    names = {c: i for i, c in enumerate(rows.columns)}
    index = {c: names.get(c, names.get(c.removesuffix("_iri"))) for c in plain}
    if None in index.values() or len(set(index.values())) != len(plain):
        index = {c: i for i, c in enumerate(plain)}
    # an _iri column holds IRIs; a server that returns one as a plain string (Virtuoso 7.2 does
    # for IRI() of an aggregate) is read as the IRI it spells
    iri_at = {index[f"{c}_iri"] for c in labelled}
    fixed = [
        tuple(
            URIRef(str(v)) if i in iri_at and isinstance(v, Literal) and _ABSOLUTE.match(v) else v
            for i, v in enumerate(r)
        )
        for r in rows.rows
    ]
    rows = Rows(list(rows.columns), fixed)
    values = {r[i] for r in rows.rows for i in iri_at}
    iris = sorted((x for x in values if isinstance(x, URIRef)), key=str)
    found = _labels_of(target, iris) if iris else {}

    def name(v):
        if v is None or not isinstance(v, URIRef):
            return v
        return Literal(label(found.get(str(v), {}), v, lang))

    out = [
        tuple(name(r[index[f"{c}_iri"]]) if c in labelled else r[index[c]] for c in q.columns)
        for r in rows.rows
    ]
    return Rows(list(q.columns), out)


def _answer(target, q: CannedQuery, text: str, form: str, lang: str = "en") -> Rows:
    from okg.store.sparql import Rows
    from rdflib import Literal

    if not hasattr(target, "backend"):
        if form != "SELECT":
            raise QueryError(f"{q.path or q.name}: --endpoint runs SELECT queries only, not {form}")
        rows = target.select(text, q.name)
    elif form == "ASK":
        return Rows(["answer"], [(Literal(target.backend.ask(text)),)])
    elif form in ("CONSTRUCT", "DESCRIBE"):
        triples = sorted(target.backend.construct(text), key=lambda t: tuple(map(str, t)))
        return Rows(["subject", "predicate", "object"], [tuple(t) for t in triples])
    else:
        rows = target.backend.select(text)
    if q.label_columns():
        return _with_labels(target, q, rows, lang)
    return rows


def _within(seconds: float, call):
    """*call()*, or QueryError when it has not answered within *seconds*. The embedded engine
    cannot cancel a query: it runs in a daemon thread that okg stops waiting for (the process
    then exits, which ends it)."""
    import threading

    out: dict = {}

    def run() -> None:
        try:
            out["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed to the waiting thread
            out["error"] = exc

    worker = threading.Thread(target=run, name="okg-query", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise QueryTimeout(seconds)
    if "error" in out:
        raise out["error"]
    return out["value"]


class QueryTimeout(QueryError):
    """The local time limit (``--timeout``) passed before the embedded store answered."""

    def __init__(self, seconds: float):
        super().__init__(
            f"no answer within {seconds:g} s (--timeout); stopped waiting (the embedded "
            "engine cannot cancel a running query; okg exits, which ends it)"
        )


def run_query(
    target,
    name: str | CannedQuery,
    params: dict[str, str] | None = None,
    lang: str = "en",
    timeout: float | None = None,
) -> Rows:
    """Run a canned query (or a user's ``.rq`` file) on a KnowledgeGraph or an Endpoint.

    *params* are the raw texts (as on the command line); they are typed by the query header
    and bound with a VALUES block, never pasted. A user's CONSTRUCT or DESCRIBE is answered as
    rows of subject, predicate, object, an ASK as one row ``answer``; an update is refused.
    *timeout* (seconds) limits the wait for the embedded store (``QueryTimeout``); on an
    endpoint the HTTP client has its own.

    >>> from okg.store import KnowledgeGraph
    >>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
    >>> run_query(kg, "sources").columns
    ['source', 'title', 'publisher', 'date', 'language', 'language_iri', 'facts']
    """
    from okg.store.sparql import BindingError, bind
    from okg.terms.namespaces import sparql_prologue

    q = name if isinstance(name, CannedQuery) else resolve(name)
    where = f"query file {q.path}" if q.path else f"query {q.name!r}"
    form, form_line = query_form(q.text)
    if form in UPDATE_KEYWORDS or form == "WITH":
        raise QueryError(
            f"{where}:{form_line}: {form} is an update; okg query runs SELECT, CONSTRUCT, ASK "
            "and DESCRIBE queries only (the store is changed by okg build and okg remove)"
        )
    terms = q.terms(params or {}, lang)
    for p in q.params:  # a fact id without its source (fr-ban-vote) names the one node it ends
        raw = (params or {}).get(p.name)
        if p.type == "entity" and raw and "/" not in raw and p.name in terms:
            terms[p.name] = _resolve_id(target, raw, terms[p.name], p.name)
    label_lang = str(terms["lang"]) if "lang" in terms else lang
    prologue = sparql_prologue()
    try:
        text = prologue + bind(q.text, terms)
    except BindingError as exc:
        raise QueryError(f"query '{q.name}': {exc}") from None
    try:
        if timeout and hasattr(target, "backend"):
            rows = _within(timeout, lambda: _answer(target, q, text, form, label_lang))
        else:
            rows = _answer(target, q, text, form, label_lang)
    except SyntaxError as exc:  # pyoxigraph's parse errors: positions in the file's own lines
        raise QueryError(_file_position(str(exc), prologue.count("\n"), where)) from None
    if not hasattr(target, "backend"):  # a server hiding okg's graphs answers nothing: say so
        target.check_default_graph()
    if len(q.columns) == len(rows.columns):  # the header's names for the projected variables
        rows.columns = list(q.columns)
    return rows
