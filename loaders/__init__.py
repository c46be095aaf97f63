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
            if b.source_id in seen_sources:
                errors.append(
                    FactError(
                        b.file,
                        None,
                        "source.id",
                        f"source id '{b.source_id}' is also used by {seen_sources[b.source_id]}",
                    )
                )
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
