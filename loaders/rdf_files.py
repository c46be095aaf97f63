"""Plain RDF input (Turtle, N-Triples, TriG, N-Quads, JSON-LD, RDF/XML): each file is one source.

A file's triples go to the named graph of its own source, and only there:

- **The source.** ``FILE.source.yaml`` beside ``FILE.ttl`` (same stem, as for CSV tables) holds
  the ``source:`` block of fact files (id, title, language...) and, for JSON-LD, ``contexts:``.
  Without a sidecar the source id is ``rdf:`` + the file name (``extra.ttl`` -> ``rdf:extra.ttl``,
  lower-cased, other characters as ``-``); a ``:`` is never part of a fact-file id, so such a
  default can never be the id of another source, and a file named like a source never replaces
  it. Such a source has the file name as title and no language (the SHACL shapes of ``okg
  build`` want one: give a sidecar).
- **Own graph only.** TriG and N-Quads may name no graph but the source's own graph
  (``https://w3id.org/okg/graph/source/ID``) or the default graph; any other graph is refused by
  name. No triple may have an ontology term as subject (okg: terms, module terms, countries,
  languages...), another source's facts (``okgd:OTHER/…``) or source node as subject, or cite
  another source with ``prov:hadPrimarySource``.
- **Checked literals.** A literal whose text is not of its datatype (``"abc"^^xsd:decimal``) is
  refused with its line when it can be found in the text; no term may be over
  ``OKG_MAX_VALUE_BYTES``.
- **Nothing fetched, nothing expanded.** Files are read as UTF-8 within ``OKG_MAX_FILE_BYTES``
  (:mod:`okg.loaders.limits`). RDF/XML with a DOCTYPE or an ENTITY declaration is refused before
  parsing (no billion laughs, no external entities). A JSON-LD ``@context`` or ``@import`` that
  names a document is replaced by a local copy from the sidecar's allow-list, ``contexts: {URL:
  FILE}`` where FILE is a file in the same folder; any other reference (http(s), ``file:``, a
  path) is refused with the file, line and field, before rdflib sees the document, so rdflib
  is only ever given inline contexts. okg's own context, ``ontology/context.jsonld``, is always
  allowed, as ``https://w3id.org/okg/context.jsonld``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from pathlib import Path

from okg.loaders.errors import ErrorSink, FactError
from okg.loaders.facts import DocumentMapper, SourceBundle, read_source_block
from okg.loaders.limits import InputRefused, current, line_col, read_text, value_too_big
from okg.loaders.registry import Pending, register
from okg.loaders.yamlnodes import Map, Scalar, YamlSyntaxError, parse_yaml
from okg.terms.namespaces import OKG, OKGD, PROV, source_graph, source_node
from okg.terms.resources import ontology_dir
from okg.terms.vocabulary import Vocabulary
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCTERMS, RDF

FORMATS: dict[str, tuple[str, ...]] = {
    "turtle": (".ttl",),
    "nt": (".nt",),
    "trig": (".trig",),
    "nquads": (".nq",),
    "json-ld": (".jsonld",),
    "xml": (".rdf", ".owl"),
}
QUAD_FORMATS = {"trig", "nquads"}
SIDECAR_KEYS = {"source", "contexts"}
MAX_ERRORS = 50
MAX_CONTEXT_DEPTH = 8
OKG_CONTEXT_URL = "https://w3id.org/okg/context.jsonld"
_DOCTYPE = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9._-]+", "-", name.lower()).strip("-") or "rdf"


def default_source_id(path: Path) -> str:
    """``rdf:`` + the slugged file name: never a fact-file id (those have no ``:``)."""
    return "rdf:" + slug(path.name)


def sidecar(path: Path) -> Path:
    return path.with_name(path.name[: -len(path.suffix)] + ".source.yaml")


@contextlib.contextmanager
def _quiet_rdflib():
    """rdflib logs a traceback for each ill-typed literal; those are reported as errors here."""
    log = logging.getLogger("rdflib.term")
    old = log.level
    log.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        log.setLevel(old)


# -- the sidecar -------------------------------------------------------------------------
def _read_sidecar(path: Path, voc: Vocabulary, sink: ErrorSink):
    """(source fields, contexts {url: local path}) from FILE.source.yaml, errors in *sink*."""
    side = sidecar(path)
    if not side.exists():
        return None, {}
    try:
        doc = parse_yaml(read_text(side))
    except (InputRefused, YamlSyntaxError) as exc:
        sink.add(exc.line, exc.field, str(exc))
        return None, {}
    if not isinstance(doc, Map):
        sink.add(getattr(doc, "line", 1), None, "expected a mapping with source: (and contexts:)")
        return None, {}
    for key in doc.items:
        if key not in SIDECAR_KEYS:
            sink.add(
                doc.line_of(key),
                key,
                f"unknown field; expected {', '.join(sorted(SIDECAR_KEYS))}",
            )
    source = read_source_block(doc.get("source"), sink, voc, doc.line_of("source"))
    contexts: dict[str, Path] = {}
    ctx = doc.get("contexts")
    if ctx is not None:
        if not isinstance(ctx, Map):
            sink.add(doc.line_of("contexts"), "contexts", "expected a mapping {URL: FILE}")
        else:
            for url, node in ctx.items.items():
                line = ctx.line_of(url)
                name = node.value if isinstance(node, Scalar) else None
                if not name or "/" in name or "\\" in name or name in (".", ".."):
                    sink.add(
                        line,
                        f"contexts.{url}",
                        "expected the name of a file in the same folder (no path)",
                    )
                    continue
                local = side.with_name(name)
                if not local.is_file():
                    sink.add(line, f"contexts.{url}", f"no file {name} beside {side.name}")
                    continue
                contexts[url] = local
    return source, contexts


# -- JSON-LD contexts ---------------------------------------------------------------------
class _ContextRefused(Exception):
    def __init__(self, ref: str, field: str, message: str):
        self.ref = ref
        self.field = field
        super().__init__(message)


class _Contexts:
    """Replaces every context reference by the allowed local document, or refuses it."""

    def __init__(self, allowed: dict[str, Path]):
        own = ontology_dir() / "context.jsonld"
        self.allowed = ({OKG_CONTEXT_URL: own} if own.is_file() else {}) | allowed
        self.inlined = 0
        self.budget = current().max_file_bytes
        self.cache: dict[str, object] = {}

    def load(self, ref: str, field: str, depth: int):
        if ref not in self.allowed:
            kind = (
                "a file: context"
                if ref.lower().startswith("file:")
                else "a remote context"
                if re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.IGNORECASE)
                else "a context by path"
            )
            raise _ContextRefused(
                ref,
                field,
                f"{kind} '{ref}' is not fetched; list it in the sidecar as contexts: "
                "{URL: FILE} with a local copy beside the file, or put the context inline",
            )
        if depth > MAX_CONTEXT_DEPTH:
            raise _ContextRefused(ref, field, f"contexts nested more than {MAX_CONTEXT_DEPTH} deep")
        local = self.allowed[ref]
        # each use is inlined: bound the total, or many references to one context would be a bomb
        self.inlined += local.stat().st_size if local.exists() else 0
        if self.inlined > self.budget:
            raise _ContextRefused(
                ref,
                field,
                f"inlined contexts exceed {self.budget:,} bytes (OKG_MAX_FILE_BYTES)",
            )
        if ref in self.cache:
            return self.cache[ref]
        try:
            doc = json.loads(read_text(local))
        except (InputRefused, json.JSONDecodeError, RecursionError) as exc:
            raise _ContextRefused(ref, field, f"local context {local.name}: {exc}") from None
        if not isinstance(doc, dict) or "@context" not in doc:
            raise _ContextRefused(ref, field, f"local context {local.name} has no @context")
        self.cache[ref] = None  # a cycle of contexts is refused below
        value = self.context(doc["@context"], field, depth + 1)
        self.cache[ref] = value
        return value

    def context(self, value, field: str, depth: int):
        """The value of an ``@context`` with every reference resolved."""
        if isinstance(value, str):
            if value in self.cache and self.cache[value] is None:
                raise _ContextRefused(value, field, f"context '{value}' includes itself")
            return self.load(value, field, depth)
        if isinstance(value, list):
            out = []
            for item in value:
                got = self.context(item, field, depth)
                out += got if isinstance(got, list) else [got]
            return out
        if isinstance(value, dict):
            return self.walk(value, field, depth, in_context=True)
        return value  # null

    def walk(self, node, field: str, depth: int, in_context: bool = False):
        """The document with contexts resolved (scoped contexts and @import included)."""
        if isinstance(node, list):
            return [self.walk(i, field, depth, in_context) for i in node]
        if not isinstance(node, dict):
            return node
        out: dict = {}
        if in_context and "@import" in node:
            ref = node["@import"]
            if not isinstance(ref, str):
                raise _ContextRefused(str(ref), f"{field}.@import", "@import must name a context")
            imported = self.load(ref, f"{field}.@import", depth + 1)
            if not isinstance(imported, dict):
                raise _ContextRefused(
                    ref, f"{field}.@import", "an imported context must be one object"
                )
            out.update(imported)
        for key, value in node.items():
            if key == "@import" and in_context:
                continue
            if key == "@context":
                out[key] = self.context(value, "@context", depth)
            else:
                out[key] = self.walk(value, field, depth, in_context and isinstance(value, dict))
        return out


def _jsonld(text: str, allowed: dict[str, Path], sink: ErrorSink) -> str | None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        sink.add(exc.lineno, None, f"not valid JSON: {exc.msg} (column {exc.colno})")
        return None
    except RecursionError:
        sink.add(None, None, "JSON nested too deeply")
        return None
    try:
        resolved = _Contexts(allowed).walk(doc, "@context", 0)
    except _ContextRefused as exc:
        sink.add(_line_of(text, json.dumps(exc.ref)), exc.field, str(exc))
        return None
    except RecursionError:
        sink.add(None, None, "JSON-LD nested too deeply")
        return None
    return json.dumps(resolved)


# -- checks ------------------------------------------------------------------------------
def _line_of(text: str, needle: str) -> int | None:
    i = text.find(needle) if needle else -1
    return line_col(text, i)[0] if i >= 0 else None


def _parse_error(exc: Exception, text: str, fmt: str, sink: ErrorSink) -> None:
    why = getattr(exc, "_why", None)
    if why is not None and isinstance(getattr(exc, "_i", None), int):  # notation3 BadSyntax
        raw = getattr(exc, "_str", b"")
        src = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
        line = line_col(src, max(0, min(exc._i, len(src))))[0]
        sink.add(line, None, f"not valid {fmt}: {why}")
        return
    get_line = getattr(exc, "getLineNumber", None)  # SAX
    if callable(get_line):
        msg = getattr(exc, "getMessage", lambda: str(exc))()
        sink.add(get_line() or None, None, f"not valid {fmt}: {msg}")
        return
    msg = " ".join(str(exc).split()) or type(exc).__name__
    m = re.search(r"line (\d+)", msg)
    line = int(m.group(1)) if m else None
    if line is None:  # N-Triples / N-Quads quote the offending line
        q = re.search(r"'(.+)'$", msg)
        line = _line_of(text, q.group(1)) if q else None
    sink.add(line, None, f"not valid {fmt}: {msg[:300]}")


_SUBJECT_AT = re.compile(
    r"^[ \t]*(<[^>\s]*>|[A-Za-z_][\w.-]*:[^\s;,.]*(?:\.[^\s;,.]+)*|_:\S+)"  # Turtle family
    r'|"@id"\s*:\s*"([^"]+)"'  # JSON-LD
    r'|rdf:about\s*=\s*"([^"]+)"',  # RDF/XML
    re.MULTILINE,
)


def _add_lines(g: Graph, text: str, ds, voc: Vocabulary) -> None:
    """``okg:line`` for each IRI subject, as a fact file's records have: the first line that
    writes it as a subject (a Turtle statement starting with it, a JSON-LD ``"@id"``, an
    RDF/XML ``rdf:about``), in full or with one of the file's prefixes; a subject not found
    so, or one the file already gives a line, gets none. So a SHACL violation on an RDF file
    names its line. One pass over the text; a look-up per subject and prefix."""
    first: dict[str, int] = {}
    line, pos = 1, 0
    for m in _SUBJECT_AT.finditer(text):
        line += text.count("\n", pos, m.start())
        pos = m.start()
        token = m.group(1) or m.group(2) or m.group(3)
        first.setdefault(token, line)
    if not first:
        return
    prefixes = [(str(ns), pfx) for pfx, ns in ds.namespace_manager.namespaces()]
    prefixes += [(str(OKGD), "okgd"), (str(OKG), "okg")]
    for subj in set(g.subjects()):
        if not isinstance(subj, URIRef) or (subj, OKG.line, None) in g:
            continue
        iri = str(subj)
        found = first.get(f"<{iri}>") or first.get(iri)
        for ns, pfx in prefixes if found is None else ():
            if ns and iri.startswith(ns):
                found = first.get(f"{pfx}:{iri[len(ns) :]}")
                if found:
                    break
        if found:
            g.add((subj, OKG.line, Literal(found)))


def _qname(voc: Vocabulary, term) -> str:
    try:
        return voc.qname(term)
    except Exception:  # noqa: BLE001 - any term without a prefix is shown whole
        return f"<{term}>"


class _Checker:
    def __init__(self, text: str, source_id: str, voc: Vocabulary, sink: ErrorSink):
        self.text, self.source_id, self.voc, self.sink = text, source_id, voc, sink
        self.own_node = source_node(source_id)
        self.own_prefix = str(OKGD[f"{source_id}/"])
        self.limits = current()
        self.check_size = len(text) * 4 > self.limits.max_value_bytes
        self.seen: set = set()

    def error(self, line, field, message) -> None:
        if len(self.sink.errors) < MAX_ERRORS:
            self.sink.add(line, field, message)
        elif len(self.sink.errors) == MAX_ERRORS:
            self.sink.add(None, None, f"more than {MAX_ERRORS} errors; the rest are not listed")

    def line_of_term(self, term) -> int | None:
        """Where the term is first written as a subject (else at all), in full or prefixed."""
        forms = [f"<{term}>", _qname(self.voc, term), str(term)]
        for form in forms:
            m = re.search(r"^[ \t]*" + re.escape(form), self.text, re.MULTILINE)
            if m:
                return line_col(self.text, m.end())[0]
        for form in forms:
            line = _line_of(self.text, form)
            if line:
                return line
        return None

    def line_with(self, *terms) -> int | None:
        """The first line that writes every one of *terms* (in full or prefixed), if any."""
        forms = [
            (str(t), _qname(self.voc, t), t.n3() if hasattr(t, "n3") else str(t)) for t in terms
        ]
        for n, line in enumerate(self.text.splitlines(), start=1):
            if all(any(f in line for f in alts) for alts in forms):
                return n
        return _line_of(self.text, str(terms[-1]))

    def subject(self, s) -> None:
        if not isinstance(s, URIRef) or s in self.seen:
            return
        self.seen.add(s)
        iri = str(s)
        if iri.startswith(str(OKG)) or (s, None, None) in self.voc.graph:
            self.error(
                self.line_of_term(s),
                _qname(self.voc, s),
                "is a term of the ontology or its reference data; a data file cannot change it",
            )
            return
        if iri.startswith(str(OKGD)):
            local = iri[len(str(OKGD)) :]
            if "/" in local and s != self.own_node and not iri.startswith(self.own_prefix):
                owner = local.split("/", 1)[0]
                what = "another source" if owner == "source" else f"source '{owner}'"
                self.error(
                    self.line_of_term(s),
                    _qname(self.voc, s),
                    f"belongs to {what}; this file states facts only about its own "
                    f"(okgd:{self.source_id}/…) and shared entities",
                )

    def triple(self, s, p, o) -> None:
        self.subject(s)
        if p == PROV.hadPrimarySource and o != self.own_node:
            self.error(
                self.line_with(PROV.hadPrimarySource, o),
                "prov:hadPrimarySource",
                f"cites {_qname(self.voc, o)}; facts of this file come from its own source "
                f"{_qname(self.voc, self.own_node)}",
            )
        if isinstance(o, Literal):
            if o.ill_typed:
                lexical = str(o)
                line = _line_of(self.text, json.dumps(lexical, ensure_ascii=False)) or _line_of(
                    self.text, lexical
                )
                self.error(
                    line,
                    _qname(self.voc, p),
                    f"'{lexical[:80]}' is not a valid {_qname(self.voc, o.datatype)}",
                )
        if self.check_size:
            for term in (s, p, o):
                too_big = value_too_big(str(term), self.limits)
                if too_big:
                    self.error(None, _qname(self.voc, p), too_big)


# -- reading -----------------------------------------------------------------------------
def _safe_parse(
    path: Path, fmt: str, contexts: dict[str, Path], sink: ErrorSink
) -> tuple[str, Dataset] | None:
    """(text, parsed dataset), or None with the errors in *sink*: bounded, nothing fetched."""
    try:
        text = read_text(path)
    except InputRefused as exc:
        sink.add(exc.line, exc.field, str(exc))
        return None
    if fmt == "xml":
        m = _DOCTYPE.search(text)
        if m:
            sink.add(
                line_col(text, m.start())[0],
                m.group(1).upper(),
                "RDF/XML with a DOCTYPE or ENTITY declaration is refused (entity expansion, "
                "external entities)",
            )
            return None
    data: str | None = text
    if fmt == "json-ld":
        data = _jsonld(text, contexts, sink)
    if data is None:
        return None
    ds = Dataset()
    try:
        with _quiet_rdflib():
            ds.parse(data=data, format=fmt, publicID=path.resolve().as_uri())
    except RecursionError:
        sink.add(None, None, f"not valid {fmt}: nested too deeply")
        return None
    except Exception as exc:  # noqa: BLE001 - rdflib's parsers raise many types; all mean "cannot parse"
        _parse_error(exc, text, fmt, sink)
        return None
    return text, ds


def parse_rdf_file(path: Path, voc: Vocabulary | None = None) -> Graph:
    """Every triple of one RDF file (graphs merged), parsed under the rules above (bounded,
    nothing fetched; the sidecar's ``contexts:`` apply) but not checked as a source; for
    reading a file beside the store, e.g. ``okg check --with``. Raises LoadError.
    """
    from okg.loaders.errors import LoadError
    from okg.loaders.registry import loader_for
    from okg.terms.vocabulary import load_vocabulary

    path = Path(path)
    sink = ErrorSink(str(path))
    fmt = next((f for f, exts in FORMATS.items() if path.name.lower().endswith(exts)), None)
    if fmt is None:
        try:
            loader_for(path)
        except KeyError as exc:
            raise LoadError([FactError(str(path), None, None, str(exc.args[0]))]) from None
        raise LoadError([FactError(str(path), None, None, "not an RDF file")])
    side_sink = ErrorSink(str(sidecar(path)))
    _, contexts = _read_sidecar(path, voc or load_vocabulary(), side_sink)
    parsed = None if side_sink else _safe_parse(path, fmt, contexts, sink)
    if parsed is None:
        raise LoadError(list(side_sink.errors) + list(sink.errors))
    g = Graph()
    for s, p, o, _c in parsed[1].quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def _read(path: Path, fmt: str, voc: Vocabulary) -> Pending:
    sink = ErrorSink(str(path))
    side_sink = ErrorSink(str(sidecar(path)))
    source, contexts = _read_sidecar(path, voc, side_sink)
    source_id = source["id"][0] if source and "id" in source else None
    if source is None:
        source_id = default_source_id(path)
    bundle = SourceBundle(file=str(path), source_id=source_id)

    def done() -> Pending:
        bundle.errors = list(side_sink.errors) + list(sink.errors)
        return Pending(bundle, lambda batch, resolver: None)

    if side_sink or not source_id:
        return done()
    parsed = _safe_parse(path, fmt, contexts, sink)
    if parsed is None:
        return done()
    text, ds = parsed
    own = source_graph(source_id)
    g = Graph()
    checker = _Checker(text, source_id, voc, sink)
    refused_graphs: set = set()
    with _quiet_rdflib():
        for s, p, o, c in ds.quads((None, None, None, None)):
            name = getattr(c, "identifier", c)
            if name not in (None, DATASET_DEFAULT_GRAPH_ID, own):
                if name not in refused_graphs:
                    refused_graphs.add(name)
                    checker.error(
                        _line_of(text, str(name)),
                        "graph",
                        f"names graph <{name}>; this file loads only into its own source graph <{own}>",
                    )
                continue
            checker.triple(s, p, o)
            g.add((s, p, o))
    if sink:
        return done()
    _add_lines(g, text, ds, voc)
    src = source_node(source_id)
    if source:
        mapper = DocumentMapper(voc, str(path))
        mapper.source = source
        mapper.source_lang = source.get("language", ("und",))[0]
        mapper._map_source(bundle, path.name)
        g += mapper.graph
    else:
        g.add((src, RDF.type, OKG.Source))
        if (src, DCTERMS.title, None) not in g:
            g.add((src, DCTERMS.title, Literal(path.name)))
        g.add((src, OKG.factFile, Literal(path.name)))
    bundle.graph = g
    return done()


def _make(fmt: str, extensions: tuple[str, ...]) -> None:
    def read(path: Path, voc: Vocabulary) -> Pending:
        return _read(path, fmt, voc)

    what = "quads: only its own graph" if fmt in QUAD_FORMATS else "one source graph"
    register(f"rdf-{fmt}", extensions, f"RDF ({fmt}) into {what}; FILE.source.yaml optional")(read)


for _fmt, _exts in FORMATS.items():
    _make(_fmt, _exts)
