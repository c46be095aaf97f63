"""Map a fact document (a source block and records) to the RDF of one named graph.

The mapping is generic: a record's ``type`` names an ontology class, every other key names a
property by its ``okg:key`` (or as ``prefix:Name``). Domains, ranges, units and date orderings
come from the ontology, so a sector module's classes and relations load with no code change.
Every error is collected with its file, line and field; a document with any error yields no
triples.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from okg.figures.quantities import (
    QuantityError,
    from_mapping,
    make_quantity,
    parse_text,
    unit_from_name,
)
from okg.loaders.errors import ErrorSink
from okg.loaders.quotes import ELLIPSES, SourceText
from okg.loaders.yamlnodes import Map, Scalar, Seq
from okg.terms.identifiers import IdentifierError, schemes_of
from okg.terms.namespaces import OKG, OKGD, PROV, SCHEMA, source_graph, source_node
from okg.terms.vocabulary import PropertyInfo, Vocabulary
from rdflib import XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
RECORD_KEYS = {"id", "type", "label", "quote"}
SOURCE_KEYS = {"id", "title", "publisher", "date", "language", "file", "url", "note"}
TOP_KEYS = {"okg", "source", "modules", "facts"}
LOADER_SET = {OKG.quoteVerified, OKG.line}  # written by the loader, never by a fact file
MAX_SOURCE_TEXT = 20_000_000  # bytes of a source document read to check quotes

Resolver = Callable[[URIRef], set[URIRef] | None]
"""Gives the rdf:types of an entity already in the store, or None when it is unknown."""


@dataclass
class Declared:
    iri: URIRef
    cls: URIRef
    line: int


@dataclass
class SourceBundle:
    """The outcome of reading one input: its source id, graph and triples, or its errors."""

    file: str
    source_id: str | None
    graph: Graph = field(default_factory=Graph)
    errors: list = field(default_factory=list)
    declared: dict[str, Declared] = field(default_factory=dict)

    @property
    def graph_iri(self) -> URIRef | None:
        return source_graph(self.source_id) if self.source_id else None


def _scalar(node, sink: ErrorSink, field_name: str, line: int) -> str | None:
    if isinstance(node, Scalar):
        return node.value
    sink.add(
        getattr(node, "line", line), field_name, "expected a single value, not a list or mapping"
    )
    return None


def read_source_block(node, sink: ErrorSink, voc: Vocabulary, line: int) -> dict | None:
    """Check the ``source:`` block; returns its plain fields or None."""
    if not isinstance(node, Map):
        sink.add(line, "source", "expected a mapping with id, title, language...")
        return None
    out: dict = {}
    for key in node.items:
        if key not in SOURCE_KEYS:
            sink.add(
                node.line_of(key),
                f"source.{key}",
                f"unknown field; expected one of {', '.join(sorted(SOURCE_KEYS))}",
            )
    for key in ("id", "title", "language"):
        if key not in node.items:
            sink.add(node.line, f"source.{key}", "required field is missing")
    for key, value in node.items.items():
        if key in SOURCE_KEYS:
            v = _scalar(value, sink, f"source.{key}", node.line_of(key))
            if v is not None and v != "" and v.lower() != "null":
                out[key] = (v, node.line_of(key))
    if "id" in out and not ID_PATTERN.match(out["id"][0]):
        sink.add(
            out["id"][1],
            "source.id",
            f"'{out['id'][0]}' is not a valid id; expected lower-case letters, digits, '.', '_' or '-'",
        )
    if "language" in out and out["language"][0] not in voc.keyed_individuals(OKG.Language):
        sink.add(
            out["language"][1],
            "source.language",
            unknown_key_message(
                voc, OKG.Language, "language code", out["language"][0], voc.key_list(OKG.Language)
            ),
        )
    if "date" in out:
        try:
            dt.date.fromisoformat(out["date"][0])
        except ValueError:
            sink.add(
                out["date"][1],
                "source.date",
                f"impossible or malformed date '{out['date'][0]}'; expected YYYY-MM-DD",
            )
    return out


def unknown_key_message(voc: Vocabulary, cls: URIRef, kind: str, text: str, listed) -> str:
    """'unknown country 'XX': not in ISO 3166-1 (249 codes)', with the nearest codes."""
    import difflib

    name, count = listed
    keys = voc.keyed_individuals(cls)
    near = [k for k in keys if k.casefold() == text.casefold()]
    near = near or difflib.get_close_matches(text, list(keys), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(near)}?" if near else ""
    return f"unknown {kind} '{text}': not in {name} ({count} codes){hint}"


class DocumentMapper:
    """Reads one document's records into triples, with every error located."""

    def __init__(
        self,
        voc: Vocabulary,
        file: str,
        resolver: Resolver | None = None,
        batch: dict[str, Declared] | None = None,
    ):
        self.voc = voc
        self.sink = ErrorSink(file)
        self.resolver = resolver or (lambda iri: None)
        self.batch = batch or {}
        self.graph = Graph()
        self.allowed_modules: set[str] = {"core"}

    # -- entry points ------------------------------------------------------------
    def declare(self, doc, bundle: SourceBundle) -> None:
        """First pass: the source, modules and the ids and types of all records."""
        sink = self.sink
        if not isinstance(doc, Map):
            sink.add(getattr(doc, "line", 1), None, "expected a mapping with source: and facts:")
            return
        for key in doc.items:
            if key not in TOP_KEYS:
                sink.add(
                    doc.line_of(key),
                    key,
                    f"unknown top-level field; expected {', '.join(sorted(TOP_KEYS))}",
                )
        version = doc.get("okg")
        if isinstance(version, Scalar) and version.value != "1":
            sink.add(
                version.line, "okg", f"unsupported format version '{version.value}'; expected 1"
            )
        self.source = (
            read_source_block(doc.get("source"), sink, self.voc, doc.line_of("source")) or {}
        )
        bundle.source_id = self.source.get("id", (None,))[0]
        modules = doc.get("modules")
        if modules is not None:
            items = modules.items if isinstance(modules, Seq) else [modules]
            for m in items:
                name = getattr(m, "value", None)
                if name not in self.voc.modules:
                    sink.add(
                        getattr(m, "line", doc.line),
                        "modules",
                        f"unknown sector module '{name}'; installed: {', '.join(sorted(self.voc.modules)) or 'none'}",
                    )
                else:
                    self.allowed_modules.add(name)
        facts = doc.get("facts")
        if not isinstance(facts, Seq):
            sink.add(
                doc.line_of("facts") if "facts" in doc.items else doc.line,
                "facts",
                "expected a list of records",
            )
            self.records = []
            return
        self.records = []
        for rec in facts.items:
            if not isinstance(rec, Map):
                sink.add(
                    getattr(rec, "line", facts.line),
                    None,
                    "a record must be a mapping with id and type",
                )
                continue
            self._declare_record(rec, bundle)

    def _declare_record(self, rec: Map, bundle: SourceBundle) -> None:
        sink = self.sink
        rid = rec.get("id")
        rtype = rec.get("type")
        ok = True
        if not isinstance(rid, Scalar) or not ID_PATTERN.match(rid.value):
            sink.add(
                rec.line_of("id"),
                "id",
                "expected an id of lower-case letters, digits, '.', '_' or '-'"
                if rid is not None
                else "required field is missing",
            )
            ok = False
        if not isinstance(rtype, Scalar):
            sink.add(
                rec.line_of("type") if rtype is not None else rec.line,
                "type",
                "required field is missing; expected a class such as Firm, Contract, Workforce",
            )
            return
        cls = self.voc.expand(rtype.value)
        if cls is None or not self.voc.is_class(cls):
            sink.add(
                rtype.line,
                "type",
                f"unknown type '{rtype.value}'; expected a class of the core or of a listed module ({self._class_hint()})",
            )
            return
        if not self._module_allowed(cls, rtype.line, "type"):
            return
        if not ok:
            return
        if rid.value in bundle.declared:
            sink.add(
                rid.line,
                "id",
                f"duplicate id '{rid.value}' (first declared on line {bundle.declared[rid.value].line})",
            )
            return
        iri = self.mint(rid.value, cls, bundle.source_id or "_")
        bundle.declared[rid.value] = Declared(iri, cls, rec.line)
        self.records.append((rec, iri, cls))

    def mint(self, rid: str, cls: URIRef, source_id: str) -> URIRef:
        """Entities get global IRIs; facts (okg:Fact) are scoped by their source."""
        if self.voc.is_subclass(cls, OKG.Fact):
            return OKGD[f"{source_id}/{rid}"]
        return OKGD[rid]

    def map(self, bundle: SourceBundle, source_file: str | None) -> None:
        """Second pass: every record's fields to triples."""
        if not bundle.source_id:
            return
        self.local = bundle.declared
        self.source_lang = self.source.get("language", ("und",))[0]
        self.document = self._read_document()
        self._map_source(bundle, source_file)
        for rec, iri, cls in self.records:
            self._map_record(rec, iri, cls, bundle)

    # -- helpers -----------------------------------------------------------------
    def _class_hint(self) -> str:
        names = []
        for c in self.voc.graph.subjects(RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")):
            if (
                isinstance(c, URIRef)
                and self.voc.module_of(c) in self.allowed_modules
                and (str(c).startswith(str(OKG)) or self.voc.module_of(c) != "core")
            ):
                names.append(self.voc.qname(c).removeprefix("okg:"))
        return ", ".join(sorted(names)[:40])

    def _module_allowed(self, iri: URIRef, line: int, field_name: str) -> bool:
        mod = self.voc.module_of(iri)
        if mod not in self.allowed_modules:
            self.sink.add(
                line,
                field_name,
                f"'{self.voc.qname(iri)}' belongs to sector module '{mod}', which this file does not list under modules:",
            )
            return False
        return True

    def _read_document(self) -> SourceText | None:
        """The source's ``file:`` (relative to the fact file's folder), to check quotes in."""
        if "file" not in self.source:
            return None
        name, line = self.source["file"]
        if Path(name).is_absolute():
            self.sink.add(
                line,
                "source.file",
                f"'{name}' is absolute; expected a path relative to the fact file's folder",
            )
            return None
        path = Path(self.sink.file).parent / name
        try:
            size = path.stat().st_size
            if size > MAX_SOURCE_TEXT:
                self.sink.add(
                    line,
                    "source.file",
                    f"{path} has {size} bytes; at most {MAX_SOURCE_TEXT} are read to check quotes",
                )
                return None
            return SourceText(str(path), path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            self.sink.add(
                line,
                "source.file",
                f"no such file {path} (the path is relative to the fact file's folder); the quotes are checked in it",
            )
        except UnicodeDecodeError as exc:
            self.sink.add(
                line, "source.file", f"{path} is not UTF-8 text ({exc.reason} at byte {exc.start})"
            )
        except OSError as exc:
            self.sink.add(line, "source.file", f"cannot read {path}: {exc.strerror}")
        return None

    def _map_source(self, bundle: SourceBundle, source_file: str | None) -> None:
        g, s = self.graph, source_node(bundle.source_id)
        g.add((s, RDF.type, OKG.Source))
        src = self.source
        g.add((s, DCTERMS.title, Literal(src["title"][0])))
        langs = self.voc.keyed_individuals(OKG.Language)
        if self.source_lang in langs:
            g.add((s, OKG.sourceLanguage, langs[self.source_lang]))
        if "publisher" in src:
            g.add((s, DCTERMS.publisher, Literal(src["publisher"][0])))
        if "date" in src:
            g.add((s, DCTERMS.date, Literal(src["date"][0], datatype=XSD.date)))
        if "file" in src:
            g.add((s, OKG.sourceFile, Literal(src["file"][0])))
        if "url" in src:
            g.add((s, SCHEMA.url, Literal(src["url"][0], datatype=XSD.anyURI)))
        if "note" in src:
            g.add((s, OKG.note, Literal(src["note"][0])))
        if source_file:
            g.add((s, OKG.factFile, Literal(source_file)))

    def _map_record(self, rec: Map, iri: URIRef, cls: URIRef, bundle: SourceBundle) -> None:
        g, sink, voc = self.graph, self.sink, self.voc
        g.add((iri, RDF.type, cls))
        g.add((iri, PROV.hadPrimarySource, source_node(bundle.source_id)))
        g.add((iri, OKG.line, Literal(rec.line)))
        illustrative = False
        basis: tuple[URIRef, int] | None = None
        reason: int | None = None
        dates: dict[URIRef, tuple[dt.date, int]] = {}
        for key, value in rec.items.items():
            line = rec.line_of(key)
            if key in ("id", "type"):
                continue
            if key == "label":
                self._labels(iri, value, line)
                continue
            if key == "quote":
                if self._quotes(iri, value, line):
                    g.add((iri, OKG.quoteVerified, Literal(True)))
                continue
            prop = voc.by_key.get(key)
            if prop is None and ":" in key:
                piri = voc.expand(key)
                prop = voc.properties.get(piri) if piri else None
            if prop is None:
                sink.add(
                    line, key, f"unknown field for a {voc.label(cls)}; {self._field_hint(cls)}"
                )
                continue
            if prop.iri in LOADER_SET:
                sink.add(line, key, "is set by the loader, not written in a fact file")
                continue
            if not self._module_allowed(prop.iri, line, key):
                continue
            if prop.domain is not None and not voc.is_subclass(cls, prop.domain):
                sink.add(
                    line,
                    key,
                    f"does not apply to a {voc.label(cls)}; it belongs to a {voc.label(prop.domain)}",
                )
                continue
            values = value.items if isinstance(value, Seq) else [value]
            if prop.functional and len(values) > 1:
                sink.add(line, key, "takes a single value, got a list")
                continue
            scheme = schemes_of(voc).get(prop.iri)
            if scheme is not None:
                self._identifiers(scheme, iri, values, line, key)
                continue
            for v in values:
                obj = self._value(prop, v, getattr(v, "line", line), key, iri)
                if obj is None:
                    continue
                g.add((iri, prop.iri, obj))
                if prop.iri == OKG.illustrative and obj == Literal(True):
                    illustrative = True
                if prop.iri == OKG.basis:
                    basis = (obj, getattr(v, "line", line))
                if prop.iri == OKG.basisReason:
                    reason = getattr(v, "line", line)
                if isinstance(obj, Literal) and obj.datatype == XSD.date:
                    dates[prop.iri] = (obj.toPython(), getattr(v, "line", line))
        for p, (d, line) in dates.items():
            other = voc.properties[p].not_before
            if other is not None and other in dates and d < dates[other][0]:
                sink.add(
                    line,
                    voc.properties[p].key,
                    f"{d.isoformat()} is before {voc.properties[other].key} {dates[other][0].isoformat()}; expected a date on or after it",
                )
        illustrative = self._basis(iri, rec, basis, reason, illustrative)
        if "quote" not in rec.items and not illustrative:
            sink.add(
                rec.line,
                "quote",
                "required: the words of the source that support this record (or illustrative: true)",
            )

    def _basis(self, iri, rec: Map, basis, reason, illustrative: bool) -> bool:
        """Check basis, reason and illustrative together; True when the record is illustrative."""
        g, sink = self.graph, self.sink
        if basis is None:
            if illustrative:
                g.add((iri, OKG.basis, OKG.Illustrative))
            if reason is not None:
                sink.add(
                    reason,
                    "reason",
                    "explains an inference: give basis: inferred (or illustrative) with it",
                )
            return illustrative
        value, line = basis
        if illustrative and value != OKG.Illustrative:
            sink.add(
                line,
                "basis",
                f"'{self.voc.graph.value(value, OKG.key)}' contradicts illustrative: true; expected basis: illustrative",
            )
        if value == OKG.Illustrative and not illustrative:
            g.add((iri, OKG.illustrative, Literal(True)))
        if value == OKG.Inferred and reason is None:
            sink.add(
                line,
                "reason",
                "required with basis: inferred: say how the analyst inferred the record from the quoted words",
            )
        if value == OKG.Reported and reason is not None:
            sink.add(
                reason,
                "reason",
                "explains an inference: a reported record takes no reason (set basis: inferred)",
            )
        return value == OKG.Illustrative or illustrative

    def _field_hint(self, cls: URIRef) -> str:
        keys = sorted(
            p.key
            for p in self.voc.by_key.values()
            if p.domain is not None
            and self.voc.is_subclass(cls, p.domain)
            and p.module in self.allowed_modules
        )
        return (
            "expected one of " + ", ".join(["label", "quote", *keys])
            if keys
            else "see docs/facts.md"
        )

    def _labels(self, iri: URIRef, value, line: int) -> None:
        langs = self.voc.keyed_individuals(OKG.Language)
        if isinstance(value, Scalar):
            self.graph.add((iri, RDFS.label, Literal(value.value)))
            return
        if not isinstance(value, Map):
            self.sink.add(line, "label", "expected a text or a mapping of language code to text")
            return
        for lang, text in value.items.items():
            if lang not in langs:
                self.sink.add(
                    value.line_of(lang),
                    f"label.{lang}",
                    unknown_key_message(
                        self.voc,
                        OKG.Language,
                        "language code",
                        lang,
                        self.voc.key_list(OKG.Language),
                    ),
                )
            elif isinstance(text, Scalar) and text.value.strip():
                self.graph.add((iri, RDFS.label, Literal(text.value, lang=lang)))
            else:
                self.sink.add(value.line_of(lang), f"label.{lang}", "expected a non-empty text")

    def _quotes(self, iri: URIRef, value, line: int) -> bool:
        """Store the quote (one text, or a list of verbatim fragments in document order);
        True when the source document is known and every fragment was found in it."""
        items = value.items if isinstance(value, Seq) else [value]
        texts: list[tuple[str, int]] = []
        for q in items:
            qline = getattr(q, "line", line)
            if isinstance(q, Scalar) and q.value.strip():
                texts.append((q.value.strip(), qline))
            else:
                self.sink.add(qline, "quote", "expected the quoted words of the source as text")
        if not texts or len(texts) != len(items):
            return False
        found = self.document.find([t for t, _ in texts]) if self.document else None
        ok = True
        for i, (text, qline) in enumerate(texts):
            problem = found[i] if found else None
            if any(e in text for e in ELLIPSES) and (found is None or problem is not None):
                self.sink.add(
                    qline,
                    "quote",
                    "'...' joins fragments: write the quote as a list of verbatim fragments in order (quote: [first part, second part])",
                )
                ok = False
                continue
            if problem is not None:
                self.sink.add(qline, "quote", problem)
                ok = False
                continue
            self.graph.add((iri, OKG.quote, Literal(text, lang=self.source_lang)))
        return ok and self.document is not None

    def _identifiers(self, scheme, subject: URIRef, values, line: int, key: str) -> None:
        """External identifiers (okg:identifierScheme keys): validated, stored as the scheme says."""
        for v in values:
            vline = getattr(v, "line", line)
            if not isinstance(v, Scalar) or not v.value.strip():
                self.sink.add(vline, key, f"expected a {scheme.label} as text; {scheme.fmt}")
                continue
            try:
                notation = scheme.read(v.value)
            except IdentifierError as exc:
                self.sink.add(vline, key, str(exc))
                continue
            for t in scheme.triples(subject, notation):
                self.graph.add(t)

    def _value(self, prop: PropertyInfo, node, line: int, key: str, subject: URIRef):
        voc, sink = self.voc, self.sink
        if prop.is_object and prop.range is not None and voc.is_subclass(prop.range, OKG.Quantity):
            return self._quantity(prop, node, line, key, subject)
        if not isinstance(node, Scalar):
            sink.add(line, key, "expected a single value, not a mapping")
            return None
        text = node.value.strip()
        if prop.is_object:
            return self._reference(prop, text, line, key)
        return self._literal(prop, text, line, key)

    def _literal(self, prop: PropertyInfo, text: str, line: int, key: str):
        rng = prop.range
        if rng == XSD.date:
            try:
                return Literal(dt.date.fromisoformat(text), datatype=XSD.date)
            except ValueError:
                self.sink.add(
                    line, key, f"impossible or malformed date '{text}'; expected YYYY-MM-DD"
                )
                return None
        if rng == XSD.boolean:
            if text.lower() in ("true", "yes"):
                return Literal(True)
            if text.lower() in ("false", "no"):
                return Literal(False)
            self.sink.add(line, key, f"expected true or false, got '{text}'")
            return None
        if rng in (XSD.decimal, XSD.integer):
            return self._number(prop, text, line, key)
        return Literal(text)

    def _number(self, prop: PropertyInfo, text: str, line: int, key: str):
        """A decimal or integer literal, within the property's okg:minInclusive/maxInclusive."""
        pattern = (
            r"[+-]?[0-9]+" if prop.range == XSD.integer else r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"
        )
        if not re.fullmatch(pattern, text):
            self.sink.add(line, key, f"expected a number, got '{text}'")
            return None
        value = Decimal(text)
        low = self.voc.graph.value(prop.iri, OKG.minInclusive)
        high = self.voc.graph.value(prop.iri, OKG.maxInclusive)
        if (low is not None and value < Decimal(str(low))) or (
            high is not None and value > Decimal(str(high))
        ):
            want = (
                f"from {low} to {high}"
                if low is not None and high is not None
                else (f"at least {low}" if low is not None else f"at most {high}")
            )
            self.sink.add(line, key, f"{text} is out of range; expected a number {want}")
            return None
        return Literal(text, datatype=prop.range)

    def _reference(self, prop: PropertyInfo, text: str, line: int, key: str):
        voc, sink = self.voc, self.sink
        rng = prop.range
        if rng is not None:
            keyed = voc.keyed_individuals(rng)
            if text in keyed:
                return keyed[text] if self._module_allowed(keyed[text], line, key) else None
        target: URIRef | None = None
        types: set[URIRef] | None = None
        if ":" in text and not text.startswith("http"):
            target = voc.expand(text)
            if target is None:
                sink.add(
                    line,
                    key,
                    f"unknown prefix in '{text}'; known: {', '.join(sorted(voc.prefixes))}",
                )
                return None
            if re.search(r'[\s<>"{}|\\^`]', str(target)):  # not an IRI: never reaches SPARQL
                sink.add(line, key, f"'{text}' is not a valid name (no spaces nor <>\"{{}}|\\^`)")
                return None
            types = voc.types_of(target) or self.resolver(target)
            if types and not self._module_allowed(target, line, key):
                return None
        elif text in self.local:
            target, types = self.local[text].iri, {self.local[text].cls}
        elif text in self.batch:
            target, types = self.batch[text].iri, {self.batch[text].cls}
        elif ID_PATTERN.match(text.replace("/", "-")):
            target = OKGD[text]
            types = self.resolver(target)
        listed = voc.key_list(rng) if rng is not None else None
        if not types and listed is not None and ":" not in text:
            kind = voc.label(rng)
            sink.add(line, key, unknown_key_message(voc, rng, kind, text, listed))
            return None
        kind = voc.label(rng) if rng is not None else "thing"  # for the messages below
        if not types:
            hint = ""
            if rng is not None and voc.keyed_individuals(rng):
                hint = f"; known {kind} keys: {', '.join(sorted(voc.keyed_individuals(rng))[:30])}"
            sink.add(
                line,
                key,
                f"unknown {kind} '{text}': not declared in this file, the files loaded with it, or the store{hint}",
            )
            return None
        if rng is not None and not any(voc.is_subclass(t, rng) for t in types):
            got = ", ".join(sorted(voc.label(t) for t in types))
            sink.add(line, key, f"'{text}' is a {got}; expected: {kind}")
            return None
        return target

    def _quantity(self, prop: PropertyInfo, node, line: int, key: str, subject: URIRef):
        voc = self.voc
        try:
            if isinstance(node, Scalar):
                form, values, percent = parse_text(node.value, self.source_lang)
                unit = unit_from_name("percent" if percent else None, prop.default_unit, voc)
                stated = node.value.strip()
            elif isinstance(node, Map):
                spec = {}
                for k, v in node.items.items():
                    if isinstance(v, Seq):
                        spec[k] = [getattr(i, "value", None) for i in v.items]
                    else:
                        spec[k] = getattr(v, "value", None)
                stated = ", ".join(f"{k}: {v}" for k, v in spec.items())
                form, values, unit_name = from_mapping(spec)
                unit = unit_from_name(unit_name, prop.default_unit, voc)
            else:
                raise QuantityError("expected a figure")
            q = make_quantity(form, values, unit, stated, voc)
        except QuantityError as exc:
            self.sink.add(line, key, str(exc))
            return None
        qn = URIRef(f"{subject}/{voc.qname(prop.iri).replace(':', '-')}")
        g = self.graph
        g.add((qn, RDF.type, OKG.Quantity))
        g.add((qn, OKG.qualifier, q.qualifier))
        g.add((qn, OKG.unit, q.unit))
        g.add((qn, OKG.statedAs, Literal(q.stated_as)))
        if q.low is not None:
            g.add((qn, OKG.low, Literal(q.low, datatype=XSD.decimal)))
        if q.high is not None:
            g.add((qn, OKG.high, Literal(q.high, datatype=XSD.decimal)))
        if q.point is not None:
            g.add((qn, OKG.pointValue, Literal(q.point, datatype=XSD.decimal)))
        if q.vague_term is not None:
            g.add((qn, OKG.vagueTerm, q.vague_term))
        return qn
