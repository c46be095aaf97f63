"""The rule registry: which rule propagates impact through which ontology term.

A rule is a class registered with :func:`rule` for one ontology class (the node kind it
handles) and, for rules an event's effect triggers, the effect individual (``okg:Loss``,
``okg:Gain``). Rules without an effect are *node rules*: they run when the node itself is
visited (the event when the run starts, an actor each time it is queued). The engine finds a
rule with :meth:`Registry.lookup`, most specific class first, so a rule for a subclass wins
over one for its superclass.

The ontology declares the same pairing (``okg:propagationRule "NAME"`` on the class and on the
effect); :meth:`Registry.verify` checks both sides agree and names the first term that does
not.

>>> from okg.analysis.impact.rules import REGISTRY
>>> from okg.terms.namespaces import OKG
>>> REGISTRY.lookup({str(OKG.Contract), str(OKG.Fact)}, str(OKG.Loss)).name
'contract-loss'
>>> REGISTRY.lookup({str(OKG.Firm), str(OKG.EconomicActor)}).name
'cascade'
>>> REGISTRY.lookup({str(OKG.Workforce)}, str(OKG.Loss)) is None
True
>>> REGISTRY.verify()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import TYPE_CHECKING, ClassVar

from okg.terms.namespaces import OKG

if TYPE_CHECKING:
    import networkx as nx
    from okg.analysis.impact.propagate import Propagation
    from okg.analysis.impact.rules.records import Hit

PROPAGATION_RULE = str(OKG.propagationRule)
"""IRI of the annotation property ``okg:propagationRule``."""


class RegistryError(ValueError):
    """The registered rules and the ontology's ``okg:propagationRule`` annotations disagree,
    or two rules claim the same term."""


class Rule:
    """One propagation rule. Subclasses set :attr:`name` and are registered with :func:`rule`.

    * a rule with an :attr:`effect` implements :meth:`hit` (something hits a node of class
      :attr:`term` with that effect);
    * a node rule (no effect) implements :meth:`visit` (the node itself is visited).
    """

    name: ClassVar[str]
    term: ClassVar[str]
    effect: ClassVar[str | None] = None

    def hit(self, run: Propagation, node: str, hit: Hit) -> None:  # pragma: no cover
        raise NotImplementedError(f"rule {self.name} handles no hit")

    def visit(self, run: Propagation, node: str, depth: int) -> None:  # pragma: no cover
        raise NotImplementedError(f"rule {self.name} handles no visit")

    def bites_from(self, G: nx.MultiDiGraph, node: str) -> list:
        """Dates from which an event's hit on *node* takes effect (used for the timing)."""
        return []

    def rows(self, run: Propagation) -> list:
        """Result rows this rule adds after the run (most rules add none)."""
        return []


def _vocabulary_superclasses(cls: str) -> frozenset[str]:
    from okg.terms.vocabulary import load_vocabulary
    from rdflib import URIRef

    return frozenset(str(c) for c in load_vocabulary().superclasses(URIRef(cls)))


def ontology_annotations() -> list[tuple[str, str]]:
    """Every ``(term IRI, rule name)`` that the core ontology and the sector modules on the
    sector path declare with ``okg:propagationRule``, sorted.

    Only those Turtle files are read (not the whole vocabulary with its reference lists), once
    per set of files."""
    from okg.terms.resources import ontology_dir
    from okg.terms.vocabulary import discover_modules

    paths = [ontology_dir() / "core.ttl"] + [m.path for m in discover_modules().values()]
    return list(_annotations_in(tuple(str(p) for p in paths)))


@cache
def _annotations_in(paths: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    from rdflib import Graph, URIRef

    g = Graph()
    for path in paths:
        g.parse(path, format="turtle")
    return tuple(sorted({(str(s), str(o)) for s, o in g.subject_objects(URIRef(PROPAGATION_RULE))}))


class Registry:
    """Rules keyed by ``(class IRI, effect IRI or None)``.

    *superclasses* gives a class's superclasses (itself included; default: the ontology's);
    *annotations* gives the ontology's ``(term, rule name)`` pairs (default:
    :func:`ontology_annotations`).
    """

    def __init__(
        self,
        superclasses: Callable[[str], Iterable[str]] | None = None,
        annotations: Callable[[], Iterable[tuple[str, str]]] | None = None,
    ):
        self._rules: dict[tuple[str, str | None], Rule] = {}
        self._superclasses = superclasses or _vocabulary_superclasses
        self._annotations = annotations or ontology_annotations
        self._verified = False

    def copy(
        self,
        superclasses: Callable[[str], Iterable[str]] | None = None,
        annotations: Callable[[], Iterable[tuple[str, str]]] | None = None,
    ) -> Registry:
        """A registry with the same rules (to add rules to, e.g. in a test)."""
        other = Registry(superclasses or self._superclasses, annotations or self._annotations)
        other._rules = dict(self._rules)
        return other

    def register(self, cls: type[Rule]) -> type[Rule]:
        key = (str(cls.term), str(cls.effect) if cls.effect is not None else None)
        if key in self._rules and type(self._rules[key]) is not cls:
            raise RegistryError(
                f"rules {self._rules[key].name!r} and {cls.name!r} both handle {key[0]}"
                + (f" with effect {key[1]}" if key[1] else "")
            )
        self._rules[key] = cls()
        self._verified = False
        return cls

    def rules(self) -> list[Rule]:
        """Every registered rule, in registration order."""
        return list(self._rules.values())

    def lookup(self, classes: Iterable[str], effect: str | None = None) -> Rule | None:
        """The rule for a node of *classes* (all its classes) hit with *effect* (None: the
        node's own rule), most specific class first; None when no rule applies."""
        candidates = [
            (term, r) for (term, eff), r in self._rules.items() if eff == effect and term in classes
        ]
        if not candidates:
            return None
        terms = [t for t, _ in candidates]

        def generality(item: tuple[str, Rule]) -> tuple[int, str]:
            term = item[0]
            below = sum(1 for t in terms if t != term and term in set(self._superclasses(t)))
            return below, term

        return min(candidates, key=generality)[1]

    def verify(self) -> None:
        """Check that every ontology annotation has its rule and every rule its annotations.

        Raises :class:`RegistryError` naming the first term that disagrees. Checked once per
        registry (until a rule is added)."""
        if self._verified:
            return
        declared = set(self._annotations())
        by_name = {r.name: r for r in self._rules.values()}
        expected = set()
        for r in self._rules.values():
            expected.add((str(r.term), r.name))
            if r.effect is not None:
                expected.add((str(r.effect), r.name))
        for term, name in sorted(declared - expected):
            if name not in by_name:
                raise RegistryError(
                    f"ontology: {term} okg:propagationRule {name!r}: no rule of that name is "
                    "registered (add a module to okg.analysis.impact.rules)"
                )
            raise RegistryError(
                f"ontology: {term} okg:propagationRule {name!r}: rule {name!r} is registered for "
                f"{by_name[name].term}"
                + (f" and {by_name[name].effect}" if by_name[name].effect else "")
                + f", not for {term}"
            )
        for term, name in sorted(expected - declared):
            raise RegistryError(
                f"rule {name!r} ({type(by_name[name]).__module__}) handles {term}, but the "
                f'ontology does not declare {term} okg:propagationRule "{name}"'
            )
        self._verified = True


REGISTRY = Registry()
"""The registry the engine uses by default; the modules of this package register into it."""


def rule(term: object, effect: object | None = None, *, name: str, registry: Registry = REGISTRY):
    """Class decorator: register a :class:`Rule` subclass as *name* for *term* (and *effect*).

    >>> from okg.analysis.impact.rules.registry import Registry, Rule, rule
    >>> toy = Registry(annotations=lambda: [("urn:x:Toy", "toy")])
    >>> @rule("urn:x:Toy", name="toy", registry=toy)
    ... class Toy(Rule):
    ...     def visit(self, run, node, depth):
    ...         run.note(f"{node} visited")
    >>> toy.lookup({"urn:x:Toy"}).name
    'toy'
    >>> toy.verify()
    """

    def register(cls: type[Rule]) -> type[Rule]:
        cls.name = name
        cls.term = str(term)
        cls.effect = str(effect) if effect is not None else None
        return registry.register(cls)

    return register
