"""Loaders registered by name, as rdflib registers its parsers: a new input format is a new module.

A loader reads one file in two steps, so that files loaded together can refer to each other:
``read`` declares the source and the ids of its records, ``complete`` maps them to triples once
every file of the batch has been declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from okg.loaders.facts import Declared, Resolver, SourceBundle
from okg.terms.vocabulary import Vocabulary


@dataclass
class Pending:
    """A file whose records are declared but not yet mapped."""

    bundle: SourceBundle
    complete: Callable[[dict[str, Declared], Resolver], None]


ReadFn = Callable[[Path, Vocabulary], Pending]


@dataclass(frozen=True)
class LoaderSpec:
    name: str
    extensions: tuple[str, ...]
    read: ReadFn
    description: str


_LOADERS: dict[str, LoaderSpec] = {}


def register(
    name: str, extensions: tuple[str, ...], description: str
) -> Callable[[ReadFn], ReadFn]:
    """Decorator: register *read* as the loader *name* for files ending in *extensions*."""

    def deco(fn: ReadFn) -> ReadFn:
        _LOADERS[name] = LoaderSpec(name, extensions, fn, description)
        return fn

    return deco


def loaders() -> dict[str, LoaderSpec]:
    return dict(_LOADERS)


def loader_for(path: Path, name: str | None = None) -> LoaderSpec:
    if name:
        if name not in _LOADERS:
            raise KeyError(f"no loader named '{name}'; registered: {', '.join(sorted(_LOADERS))}")
        return _LOADERS[name]
    lower = path.name.lower()
    matches = [spec for spec in _LOADERS.values() for ext in spec.extensions if lower.endswith(ext)]
    if not matches:
        known = ", ".join(sorted(e for s in _LOADERS.values() for e in s.extensions))
        raise KeyError(f"{path}: no loader for this file type; known extensions: {known}")
    return max(matches, key=lambda s: max(len(e) for e in s.extensions if lower.endswith(e)))
