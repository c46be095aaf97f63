"""The ontology as the loaders see it: classes, properties with their fact-file keys, keyed individuals.

The vocabulary is the core ontology, the reference individuals (countries, markets, languages,
NACE sectors) and every sector module found on the sector path. Nothing about a particular
class or property is written in Python: domains, ranges, keys, units and date orderings are
read from the Turtle files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from okg.terms.labels import pick
from okg.terms.namespaces import OKG, PREFIXES
from okg.terms.resources import ontology_dir, sector_dirs
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

CORE_FILES = ("core.ttl", "reference.ttl", "reference-iso.ttl", "reference-nace.ttl")
"""The core ontology and the reference individuals: hand-typed (reference.ttl) and generated
from maintained lists (reference-iso.ttl by tools/make_reference.py, reference-nace.ttl by
tools/make_nace.py)."""


class VocabularyError(Exception):
    """An ontology or sector module is unusable (bad Turtle, clashing keys...)."""


@dataclass(frozen=True)
class Module:
    """A sector module: a Turtle file that imports the core."""

    name: str
    prefix: str
    namespace: str
    iri: URIRef
    path: Path


@dataclass(frozen=True)
class PropertyInfo:
    iri: URIRef
    key: str
    is_object: bool
    domain: URIRef | None
    range: URIRef | None
    functional: bool
    default_unit: URIRef | None
    not_before: URIRef | None
    module: str  # "core" or the module name


@dataclass
class Vocabulary:
    graph: Graph
    modules: dict[str, Module]
    prefixes: dict[str, str]
    properties: dict[URIRef, PropertyInfo] = field(default_factory=dict)
    by_key: dict[str, PropertyInfo] = field(default_factory=dict)
    term_module: dict[URIRef, str] = field(default_factory=dict)
    _supers: dict[URIRef, frozenset[URIRef]] = field(default_factory=dict)
    _keyed: dict[URIRef, dict[str, URIRef]] = field(default_factory=dict)
    _key_lists: dict[URIRef, tuple[str, int] | None] = field(default_factory=dict)
    _labels: dict[URIRef, dict[str, str]] = field(default_factory=dict)
    # The caches above assume the graph is not changed once the vocabulary is built (it is
    # built once per sector path by load_vocabulary and only read afterwards).

    # -- classes ---------------------------------------------------------------
    def superclasses(self, cls: URIRef) -> frozenset[URIRef]:
        """*cls* and all its named superclasses (reflexive, transitive)."""
        if cls not in self._supers:
            seen = {cls}
            todo = [cls]
            while todo:
                c = todo.pop()
                for s in self.graph.objects(c, RDFS.subClassOf):
                    if isinstance(s, URIRef) and s not in seen:
                        seen.add(s)
                        todo.append(s)
            self._supers[cls] = frozenset(seen)
        return self._supers[cls]

    def is_subclass(self, cls: URIRef, of: URIRef) -> bool:
        return of in self.superclasses(cls)

    def is_class(self, iri: URIRef) -> bool:
        return (iri, RDF.type, OWL.Class) in self.graph

    def types_of(self, individual: URIRef) -> set[URIRef]:
        return {t for t in self.graph.objects(individual, RDF.type) if t != OWL.NamedIndividual}

    def individual_is_a(self, individual: URIRef, cls: URIRef) -> bool:
        return any(self.is_subclass(t, cls) for t in self.types_of(individual))

    # -- keyed individuals -------------------------------------------------------
    def keyed_individuals(self, cls: URIRef) -> dict[str, URIRef]:
        """Individuals of *cls* (or a subclass) that a fact file may name by their okg:key."""
        if cls not in self._keyed:
            out: dict[str, URIRef] = {}
            for ind, key in self.graph.subject_objects(OKG.key):
                if isinstance(ind, URIRef) and self.individual_is_a(ind, cls):
                    out[str(key)] = ind
            self._keyed[cls] = out
        return self._keyed[cls]

    def key_list(self, cls: URIRef) -> tuple[str, int] | None:
        """The published list (``okg:keyList``) whose codes key *cls*'s individuals, and how
        many of them the vocabulary holds; ``None`` for classes without one."""
        for c in sorted(self.superclasses(cls)):
            name = self.graph.value(c, OKG.keyList)
            if name is not None:
                return str(name), len(self.keyed_individuals(cls))
        return None

    # -- names -----------------------------------------------------------------
    def expand(self, name: str) -> URIRef | None:
        """``prefix:Local`` to an IRI (known prefixes only); ``Local`` to a core (okg:) term."""
        if ":" in name:
            prefix, local = name.split(":", 1)
            ns = self.prefixes.get(prefix)
            return URIRef(ns + local) if ns else None
        return OKG[name]

    def qname(self, iri: URIRef) -> str:
        s = str(iri)
        best = None
        for p, ns in self.prefixes.items():
            if s.startswith(ns) and (best is None or len(ns) > len(self.prefixes[best])):
                best = p
        return f"{best}:{s[len(self.prefixes[best]) :]}" if best else f"<{s}>"

    def label(self, iri: URIRef, lang: str = "en") -> str:
        labels = self._labels.get(iri)
        if labels is None:
            labels = self._labels[iri] = {
                lit.language: str(lit)
                for lit in self.graph.objects(iri, RDFS.label)
                if isinstance(lit, Literal)
            }
        found = pick(labels, lang)
        return found if found is not None else self.qname(iri)

    def module_of(self, iri: URIRef) -> str:
        return self.term_module.get(iri, "core")


def _load_module_files(paths: list[Path]) -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in paths:
        g = Graph()
        try:
            g.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise VocabularyError(f"{path}: not valid Turtle: {exc}") from None
        for onto in g.subjects(RDF.type, OWL.Ontology):
            name = g.value(onto, OKG.sectorModule)
            if name is None:
                continue
            prefix = g.value(onto, OKG.prefix)
            if prefix is None:
                raise VocabularyError(f"{path}: module {name} declares no okg:prefix")
            ns = dict((p, str(n)) for p, n in g.namespaces()).get(str(prefix))
            if ns is None:
                raise VocabularyError(f"{path}: prefix '{prefix}' is not declared with @prefix")
            if str(name) in modules:
                other = modules[str(name)].path
                raise VocabularyError(f"{path}: module name '{name}' already used by {other}")
            modules[str(name)] = Module(str(name), str(prefix), ns, URIRef(onto), path)
    return modules


def discover_modules(extra_dirs: list[Path] | None = None) -> dict[str, Module]:
    """Sector modules on the sector path, by name."""
    files: list[Path] = []
    for d in sector_dirs(extra_dirs):
        if d.is_dir():
            files += sorted(d.glob("*.ttl"))
    return _load_module_files(files)


def build_vocabulary(modules: dict[str, Module]) -> Vocabulary:
    g = Graph()
    for name in CORE_FILES:
        g.parse(ontology_dir() / name, format="turtle")
    core_terms = set(g.subjects())
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    term_module: dict[URIRef, str] = {}
    for m in modules.values():
        before = set(g.subjects())
        g.parse(m.path, format="turtle")
        for s in set(g.subjects()) - before:
            if isinstance(s, URIRef):
                term_module[s] = m.name
        if m.prefix in prefixes and prefixes[m.prefix] != m.namespace:
            raise VocabularyError(
                f"{m.path}: prefix '{m.prefix}' is already used for {prefixes[m.prefix]}"
            )
        prefixes[m.prefix] = m.namespace
    voc = Vocabulary(g, modules, prefixes, term_module=term_module)
    _index_properties(voc, core_terms)
    return voc


def _index_properties(voc: Vocabulary, core_terms: set) -> None:
    g = voc.graph
    keys: dict[str, list[URIRef]] = defaultdict(list)
    for kind, is_obj in ((OWL.ObjectProperty, True), (OWL.DatatypeProperty, False)):
        for p in g.subjects(RDF.type, kind):
            if not isinstance(p, URIRef):
                continue
            key = g.value(p, OKG.key)
            info = PropertyInfo(
                iri=p,
                key=str(key) if key is not None else voc.qname(p),
                is_object=is_obj,
                domain=_first_inherited(g, p, RDFS.domain),
                range=_first_inherited(g, p, RDFS.range),
                functional=(p, RDF.type, OWL.FunctionalProperty) in g,
                default_unit=g.value(p, OKG.defaultUnit),
                not_before=g.value(p, OKG.notBefore),
                module=voc.module_of(p),
            )
            voc.properties[p] = info
            if key is not None:
                keys[str(key)].append(p)
    for key, props in keys.items():
        if len(props) > 1:
            names = ", ".join(sorted(voc.qname(p) for p in props))
            raise VocabularyError(
                f"fact-file key '{key}' is declared by several properties: {names}"
            )
        voc.by_key[key] = voc.properties[props[0]]


def _first_inherited(g: Graph, p: URIRef, pred: URIRef) -> URIRef | None:
    """The property's own domain/range, else the nearest super-property's."""
    seen = set()
    todo = [p]
    while todo:
        q = todo.pop(0)
        if q in seen:
            continue
        seen.add(q)
        v = g.value(q, pred)
        if isinstance(v, URIRef):
            return v
        todo += [s for s in g.objects(q, RDFS.subPropertyOf) if isinstance(s, URIRef)]
    return None


@cache
def _cached(extra: tuple[str, ...], env: str) -> Vocabulary:
    return build_vocabulary(discover_modules([Path(p) for p in extra]))


def load_vocabulary(extra_dirs: list[Path] | None = None) -> Vocabulary:
    """The vocabulary with every module on the sector path (cached per sector path)."""
    import os

    from okg.terms.resources import SECTOR_PATH_ENV

    extra = tuple(str(p) for p in (extra_dirs or []))
    return _cached(extra, os.environ.get(SECTOR_PATH_ENV, ""))
