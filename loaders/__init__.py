"""Loaders: source facts (YAML fact files, CSV tables, RDF) to RDF triples, one named graph per source.

>>> from okg.loaders import read_files
>>> bundles = read_files([])   # every file is checked before anything is returned
>>> bundles
[]
"""

from __future__ import annotations

from pathlib import Path

from okg.loaders import csv_facts, ocds, rdf_files, yaml_facts  # noqa: F401  (register the loaders)
from okg.loaders.errors import FactError, LoadError
from okg.loaders.facts import Resolver, SourceBundle
from okg.loaders.registry import loader_for, loaders, register
from okg.terms.vocabulary import Vocabulary, load_vocabulary

__all__ = [
    "FactError",
    "LoadError",
    "SourceBundle",
    "read_files",
    "loaders",
    "loader_for",
    "register",
    "load_vocabulary",
    "Vocabulary",
]


def read_files(
    paths: list[Path],
    voc: Vocabulary | None = None,
    resolver: Resolver | None = None,
    raise_on_error: bool = True,
    progress=None,
) -> list[SourceBundle]:
    """Read and check every file; raise LoadError with all errors of all files if any is wrong.

    Files loaded together may refer to each other's entities; *resolver* gives the types of
    entities already in the store. *progress* is called with a message after each file step.
    """
    voc = voc or load_vocabulary()
    pending = []
    errors: list[FactError] = []
    for p in paths:
        p = Path(p)
        try:
            spec = loader_for(p)
        except KeyError as exc:
            errors.append(FactError(str(p), None, None, str(exc.args[0])))
            continue
        if not p.exists():
            errors.append(FactError(str(p), None, None, "no such file"))
            continue
        pending.append(spec.read(p, voc))
        if progress:
            progress(f"read {p.name}")
    batch = {}
    seen_sources: dict[str, str] = {}
    for pnd in pending:
        b = pnd.bundle
        if b.source_id:
            if b.source_id in seen_sources:  # lines looked up on this error path only
                other = seen_sources[b.source_id]
                first, line, _ = source_id_line(other, b.source_id)
                file, here, note = source_id_line(b.file, b.source_id)
                of = f" (of {b.file})" if file != b.file else ""
                at = f"line {line}" if first == other else f"{first} line {line}"
                errors.append(
                    FactError(
                        file,
                        here,
                        "source.id",
                        f"source id '{b.source_id}'{of}{note} is also used by {other} ({at}); "
                        "a source id names one source",
                    )
                )
            else:
                seen_sources[b.source_id] = b.file
        for rid, decl in b.declared.items():
            batch.setdefault(rid, decl)
    for pnd in pending:
        pnd.complete(batch, resolver or (lambda iri: None))
        errors += pnd.bundle.errors
        if progress:
            progress(f"checked {Path(pnd.bundle.file).name}")
    if errors and raise_on_error:
        raise LoadError(errors)
    return [p.bundle for p in pending]


def source_id_line(file: str, source_id: str) -> tuple[str, int, str]:
    """Where *file*'s source id is written: (file, line, note). The line of the ``id:`` key of
    the ``source:`` block, in the file itself (a YAML fact file) or in its ``FILE.source.yaml``
    sidecar (CSV and RDF files) or a CSV's ``FILE.mapping.yaml``, when that key holds
    *source_id*. An id the loader derives (an RDF file without a sidecar: from the file name; an
    OCDS package) is shown at line 1 of *file*, the note saying so.

    >>> source_id_line("nowhere.ttl", "rdf:nowhere.ttl")
    ('nowhere.ttl', 1, ' (derived by its loader, not written in a source: block)')
    """
    from okg.loaders.limits import InputRefused, read_text
    from okg.loaders.yamlnodes import Map, Scalar, YamlSyntaxError, parse_yaml

    path = Path(file)
    candidates = [path] if path.suffix.lower() in (".yaml", ".yml") else []
    stem = path.name[: -len(path.suffix) or None]
    candidates.append(path.with_name(stem + ".source.yaml"))
    if path.suffix.lower() == ".csv":  # a registry CSV's source block may sit in its mapping
        candidates.append(path.with_name(stem + ".mapping.yaml"))
    for cand in candidates:
        if not cand.is_file():
            continue
        try:
            doc = parse_yaml(read_text(cand))
        except (InputRefused, YamlSyntaxError, OSError):
            continue
        block = doc.get("source") if isinstance(doc, Map) else None
        node = block.get("id") if isinstance(block, Map) else None
        if isinstance(node, Scalar) and node.value == source_id:
            return str(cand), block.line_of("id"), ""
    return file, 1, " (derived by its loader, not written in a source: block)"
