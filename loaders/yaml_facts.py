"""YAML fact files (docs/facts.md): one source document, its records and quotes."""

from __future__ import annotations

from pathlib import Path

from okg.loaders.errors import ErrorSink
from okg.loaders.facts import DocumentMapper, SourceBundle
from okg.loaders.limits import InputRefused, read_text
from okg.loaders.registry import Pending, register
from okg.loaders.yamlnodes import YamlSyntaxError, parse_yaml
from okg.terms.vocabulary import Vocabulary


def read_document(path: Path, doc, voc: Vocabulary, sink_errors: list | None = None) -> Pending:
    bundle = SourceBundle(file=str(path), source_id=None)
    mapper = DocumentMapper(voc, str(path))
    if sink_errors:
        mapper.sink.errors += sink_errors
    mapper.declare(doc, bundle)

    def complete(batch, resolver) -> None:
        mapper.batch = batch
        mapper.resolver = resolver
        if not mapper.sink:
            mapper.map(bundle, path.name)
        bundle.errors = list(mapper.sink.errors)
        bundle.graph = mapper.graph if not bundle.errors else bundle.graph

    return Pending(bundle, complete)


@register("yaml", (".yaml", ".yml"), "YAML fact file: one source, its records and quotes")
def read_yaml(path: Path, voc: Vocabulary) -> Pending:
    sink = ErrorSink(str(path))
    try:
        doc = parse_yaml(read_text(path))
    except InputRefused as exc:
        sink.add(exc.line, exc.field, str(exc))
        doc = None
    except YamlSyntaxError as exc:
        sink.add(exc.line, exc.field, str(exc))
        doc = None
    if doc is None:
        if not sink:
            sink.add(1, None, "empty file; expected source: and facts:")
        bundle = SourceBundle(file=str(path), source_id=None, errors=list(sink.errors))
        return Pending(bundle, lambda batch, resolver: None)
    return read_document(path, doc, voc)
