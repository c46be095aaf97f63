"""SHACL shapes compiled to SPARQL SELECT queries that the store's own engine runs.

pyshacl (``okg.store.shacl``) walks the graph in Python: right for the fact files of one build,
too slow for a registry. This module reads the same shapes graph (ontology/shapes.ttl plus the
shapes of every sector module) and turns each constraint of each shape into one SELECT that
returns the violating focus nodes (``?this``) and, where the constraint is about one value,
the offending value (``?value``). The queries read the union of the store's graphs, ontology
included, so ``sh:targetClass`` and ``sh:class`` follow ``rdfs:subClassOf*`` as SHACL does.

Supported: targets (``sh:targetClass``, ``sh:targetNode``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``, implicit class targets), paths (IRIs, inverse, sequence, alternative,
zero-or-more, one-or-more, zero-or-one), ``sh:minCount``, ``sh:maxCount``, ``sh:class``,
``sh:datatype``, ``sh:nodeKind``, ``sh:in``, ``sh:hasValue``, ``sh:pattern`` (+ ``sh:flags``),
``sh:minLength``, ``sh:maxLength``, ``sh:minInclusive``, ``sh:maxInclusive``,
``sh:minExclusive``, ``sh:maxExclusive``, ``sh:lessThan``, ``sh:lessThanOrEquals``,
``sh:node``, ``sh:not``, ``sh:and``, ``sh:or``, ``sh:xone``, ``sh:property``; annotations
``sh:message``, ``sh:severity``, ``sh:deactivated``, ``sh:name``, ``sh:description``. Any other
``sh:`` term on a shape raises :class:`UnsupportedShapeError` naming the shape and the feature:
a check is never silently skipped.

>>> from rdflib import Graph
>>> g = Graph().parse(data='''
... @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .
... ex:S a sh:NodeShape ; sh:targetClass ex:C ;
...   sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:message "needs a p" ] .''', format="turtle")
>>> [(c.component, c.path, c.message) for c in compile_shapes(g)]
[('MinCount', '<http://example.org/p>', 'needs a p')]
>>> _ = g.add((next(g.subjects(SH.path, None)), SH.closed, Literal(True)))
>>> compile_shapes(g)
Traceback (most recent call last):
  ...
okg.store.shapes_sparql.UnsupportedShapeError: shape http://example.org/S (its property shape on <http://example.org/p>): sh:closed is not supported by the SPARQL compiler
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, SH, XSD
from rdflib.term import Node

__all__ = [
    "Check",
    "UnsupportedShapeError",
    "Violation",
    "compile_shapes",
    "path_sparql",
    "run_checks",
]

_TYPE = f"<{RDF.type}>/<{RDFS.subClassOf}>*"

# Predicates of a shape that never constrain anything.
_ANNOTATIONS = {SH.message, SH.name, SH.description, SH.order, SH.group, SH.defaultValue}
_TARGETS = {SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf}
_HANDLED = _ANNOTATIONS | _TARGETS | {SH.severity, SH.deactivated, SH.path, SH.flags}
_VALUE_COMPONENTS = {
    SH["class"]: "Class",
    SH.datatype: "Datatype",
    SH.nodeKind: "NodeKind",
    SH["in"]: "In",
    SH.pattern: "Pattern",
    SH.minLength: "MinLength",
    SH.maxLength: "MaxLength",
    SH.minInclusive: "MinInclusive",
    SH.maxInclusive: "MaxInclusive",
    SH.minExclusive: "MinExclusive",
    SH.maxExclusive: "MaxExclusive",
    SH.node: "Node",
    SH["not"]: "Not",
    SH["and"]: "And",
    SH["or"]: "Or",
    SH.xone: "Xone",
}
_OTHER_COMPONENTS = {
    SH.minCount: "MinCount",
    SH.maxCount: "MaxCount",
    SH.hasValue: "HasValue",
    SH.lessThan: "LessThan",
    SH.lessThanOrEquals: "LessThanOrEquals",
    SH.property: "Property",
}
_RANGE_OPS = {
    SH.minInclusive: ">=",
    SH.maxInclusive: "<=",
    SH.minExclusive: ">",
    SH.maxExclusive: "<",
}
# Datatypes whose lexical form SPARQL can check with a cast (an ill-formed literal violates
# sh:datatype, as in pyshacl).
_CASTABLE = {XSD.boolean, XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.date, XSD.dateTime}
_MAX_PAIRWISE = 6  # sh:minCount / sh:maxCount above this would need too many self-joins

_DEFAULT_MESSAGES = {
    "MinCount": "{path} has fewer than {arg} value(s)",
    "MaxCount": "{path} has more than {arg} value(s)",
    "Class": "a value of {path} is not an instance of {arg}",
    "Datatype": "a value of {path} is not a well-formed literal of datatype {arg}",
    "NodeKind": "a value of {path} is not of node kind {arg}",
    "In": "a value of {path} is not one of the allowed values",
    "HasValue": "{path} does not have the value {arg}",
    "Pattern": "a value of {path} does not match {arg}",
    "MinLength": "a value of {path} is shorter than {arg}",
    "MaxLength": "a value of {path} is longer than {arg}",
    "MinInclusive": "a value of {path} is below {arg} (or not comparable)",
    "MaxInclusive": "a value of {path} is above {arg} (or not comparable)",
    "MinExclusive": "a value of {path} is not above {arg}",
    "MaxExclusive": "a value of {path} is not below {arg}",
    "LessThan": "a value of {path} is not less than every value of {arg}",
    "LessThanOrEquals": "a value of {path} is above a value of {arg}",
    "Node": "a value of {path} does not conform to the shape it must have",
    "Not": "a value of {path} conforms to a shape it must not have",
    "And": "a value of {path} does not conform to all of its shapes",
    "Or": "a value of {path} conforms to none of its alternatives",
    "Xone": "a value of {path} does not conform to exactly one of its alternatives",
}


class UnsupportedShapeError(ValueError):
    """A shape uses a SHACL feature the compiler does not translate (named in the message)."""


@dataclass(frozen=True)
class Check:
    """One constraint of one shape as a SELECT of ``?this`` (focus) and ``?value``."""

    shape: str  # the IRI of the top-level shape (or _:id of a blank one)
    component: str  # the SHACL constraint component without its suffix: "MinCount", "Or", ...
    path: str | None  # the SPARQL path of the property shape that reports it, None for a node
    message: str
    severity: str
    sparql: str
    source_shape: str = ""  # the (possibly nested, blank) shape holding the constraint


@dataclass(frozen=True)
class Violation:
    focus: Node
    value: Node | None
    check: Check = field(compare=False)

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (str(self.focus), self.check.path, self.check.component)


@dataclass
class _Part:
    """A violation pattern over the focus variable: ``absent`` means the focus violates when
    *pattern* has no solution; ``present``, when it has one (binding *value* if not None).
    *expr*, if set, is a boolean expression that holds exactly when the focus violates (and
    *pattern* is then ``FILTER(expr)``)."""

    kind: str
    pattern: str
    value: str | None = None
    expr: str | None = None

    def conforms(self) -> str:
        if self.expr is not None:
            return f"!({self.expr})"
        if self.kind == "absent":
            return f"EXISTS {{ {self.pattern} }}"
        return f"NOT EXISTS {{ {self.pattern} }}"


@dataclass
class _Item:
    component: str
    path: str | None
    part: _Part
    message: str | None
    severity: URIRef
    shape: Node


def term(node: Node) -> str:
    """An IRI or literal of the shapes graph in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3()
    raise TypeError(node)


def path_sparql(g: Graph, node: Node) -> str:
    """A SHACL path (an IRI or a blank node path) as a SPARQL property path."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in g:
        return "(" + "/".join(path_sparql(g, n) for n in Collection(g, node)) + ")"
    for p, fmt in (
        (SH.inversePath, "^({})"),
        (SH.zeroOrMorePath, "({})*"),
        (SH.oneOrMorePath, "({})+"),
        (SH.zeroOrOnePath, "({})?"),
    ):
        inner = g.value(node, p)
        if inner is not None:
            return fmt.format(path_sparql(g, inner))
    alt = g.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(path_sparql(g, n) for n in Collection(g, alt)) + ")"
    raise UnsupportedShapeError(f"path {node!r} is not a SHACL path the compiler knows")


class _Compiler:
    def __init__(self, g: Graph):
        self.g = g
        self.counter = itertools.count(1)
        self.top: Node | None = None

    def var(self) -> str:
        return f"?v{next(self.counter)}"

    def name(self, shape: Node) -> str:
        if shape == self.top or self.top is None:
            return str(shape)
        path = self.g.value(shape, SH.path)
        where = f"its property shape on {path_sparql(self.g, path)}" if path is not None else ""
        return f"{self.top} ({where or 'a nested shape'})"

    def fail(self, shape: Node, feature: str) -> UnsupportedShapeError:
        return UnsupportedShapeError(
            f"shape {self.name(shape)}: {feature} is not supported by the SPARQL compiler"
        )

    def message(self, shape: Node) -> str | None:
        msgs = sorted(self.g.objects(shape, SH.message), key=lambda m: (m.language or "", m))
        for m in msgs:
            if not m.language or m.language == "en":
                return str(m)
        return str(msgs[0]) if msgs else None

    def members(self, shape: Node, lst: Node, what: str) -> list[Node]:
        if lst == RDF.nil:
            return []
        if (lst, RDF.first, None) not in self.g:
            raise self.fail(shape, f"{what} whose value is not a list")
        return list(Collection(self.g, lst))

    def check_features(self, shape: Node) -> None:
        for p in set(self.g.predicates(shape)):
            if str(p).startswith(str(SH)) and p not in _HANDLED:
                if p not in _VALUE_COMPONENTS and p not in _OTHER_COMPONENTS:
                    raise self.fail(shape, f"sh:{p[len(str(SH)) :]}")
        sev = self.g.value(shape, SH.severity)
        if sev is not None and sev not in (SH.Violation, SH.Warning, SH.Info):
            raise self.fail(shape, f"sh:severity {sev}")

    # -- compiling ---------------------------------------------------------------
    def items(self, shape: Node, focus: str) -> list[_Item]:
        """Every constraint of *shape* (and of its property shapes) over *focus*."""
        self.check_features(shape)
        if self.g.value(shape, SH.deactivated) == Literal(True):
            return []
        severity = self.g.value(shape, SH.severity) or SH.Violation
        message = self.message(shape)
        path_node = self.g.value(shape, SH.path)
        out: list[_Item] = []
        if path_node is None:
            for p in (SH.minCount, SH.maxCount, SH.lessThan, SH.lessThanOrEquals):
                if (shape, p, None) in self.g:
                    raise self.fail(shape, f"sh:{p[len(str(SH)) :]} on a node shape")
            for p, comp in _VALUE_COMPONENTS.items():
                for arg in self.g.objects(shape, p):
                    expr = self.value_ok(shape, p, arg, focus)
                    part = _Part("present", f"FILTER(!({expr}))", focus, expr=f"!({expr})")
                    out.append(_Item(comp, None, part, message, severity, shape))
            for h in self.g.objects(shape, SH.hasValue):
                expr = f"!sameTerm({focus}, {self.const(shape, h)})"
                part = _Part("present", f"FILTER({expr})", focus, expr=expr)
                out.append(_Item("HasValue", None, part, message, severity, shape))
        else:
            path = path_sparql(self.g, path_node)
            out += self.property_items(shape, path, focus, message, severity)
        for ps in self.g.objects(shape, SH.property):
            if self.g.value(ps, SH.path) is None:
                raise self.fail(ps, "sh:property without sh:path")
            out += self.items(ps, focus)
        return out

    def property_items(
        self, shape: Node, path: str, focus: str, message: str | None, severity: URIRef
    ) -> list[_Item]:
        out = []

        def add(comp: str, part: _Part) -> None:
            out.append(_Item(comp, path, part, message, severity, shape))

        for n in self.g.objects(shape, SH.minCount):
            n = self.count(shape, n, "sh:minCount")
            if n:
                add("MinCount", _Part("absent", self.distinct_values(focus, path, n)))
        for n in self.g.objects(shape, SH.maxCount):
            n = self.count(shape, n, "sh:maxCount")
            add("MaxCount", _Part("present", self.distinct_values(focus, path, n + 1)))
        for h in self.g.objects(shape, SH.hasValue):
            add("HasValue", _Part("absent", f"{focus} {path} {self.const(shape, h)} ."))
        for p, op in (("LessThan", "<"), ("LessThanOrEquals", "<=")):
            for other in self.g.objects(shape, SH[p[0].lower() + p[1:]]):
                if not isinstance(other, URIRef):
                    raise self.fail(shape, f"sh:{p[0].lower() + p[1:]} with a non-IRI property")
                v, w = self.var(), self.var()
                pattern = (
                    f"{focus} {path} {v} . {focus} <{other}> {w} . "
                    f"FILTER(!({_comparable(v, w)} && COALESCE({v} {op} {w}, false)))"
                )
                add(p, _Part("present", pattern, v))
        for p, comp in _VALUE_COMPONENTS.items():
            for arg in self.g.objects(shape, p):
                v = self.var()
                expr = self.value_ok(shape, p, arg, v)
                add(comp, _Part("present", f"{focus} {path} {v} . FILTER(!({expr}))", v))
        return out

    def distinct_values(self, focus: str, path: str, n: int) -> str:
        """A pattern with *n* pairwise distinct values of *path* from *focus*."""
        vs = [self.var() for _ in range(n)]
        triples = " ".join(f"{focus} {path} {v} ." for v in vs)
        pairs = " && ".join(f"!sameTerm({a}, {b})" for a, b in itertools.combinations(vs, 2))
        return triples + (f" FILTER({pairs})" if pairs else "")

    def count(self, shape: Node, n: Node, what: str) -> int:
        try:
            k = int(n.toPython())  # type: ignore[union-attr]
        except (TypeError, ValueError, AttributeError):
            raise self.fail(shape, f"{what} {n!r}") from None
        if k > _MAX_PAIRWISE:
            raise self.fail(shape, f"{what} {k} (at most {_MAX_PAIRWISE})")
        return k

    def const(self, shape: Node, node: Node) -> str:
        if isinstance(node, BNode):
            raise self.fail(shape, "a blank node as a constant (sh:hasValue, sh:in)")
        return term(node)

    def conforms(self, shape: Node, focus: str) -> str:
        """A boolean expression: *focus* conforms to *shape* (every constraint, any severity)."""
        parts = [i.part.conforms() for i in self.items(shape, focus)]
        return " && ".join(f"({p})" for p in parts) or "true"

    def value_ok(self, shape: Node, p: URIRef, arg: Node, v: str) -> str:
        """A boolean expression: the value node *v* satisfies the constraint ``p arg``."""
        if p == SH["class"]:
            return f"EXISTS {{ {v} {_TYPE} {self.const(shape, arg)} }}"
        if p == SH.datatype:
            ok = f"isLiteral({v}) && sameTerm(DATATYPE({v}), {self.const(shape, arg)})"
            if arg == XSD.date:  # no xsd:date cast in rdflib's SPARQL: the day as a dateTime
                ok += (
                    f' && REGEX(STR({v}), "^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}'
                    f'(Z|[+-][0-9]{{2}}:[0-9]{{2}})?$") && COALESCE(isLiteral(<{XSD.dateTime}>('
                    f'CONCAT(SUBSTR(STR({v}), 1, 10), "T00:00:00"))), false)'
                )
            elif arg in _CASTABLE:
                ok += f" && COALESCE(isLiteral(<{arg}>(STR({v}))), false)"
            return ok
        if p == SH.nodeKind:
            kinds = {
                SH.IRI: f"isIRI({v})",
                SH.BlankNode: f"isBlank({v})",
                SH.Literal: f"isLiteral({v})",
                SH.BlankNodeOrIRI: f"!isLiteral({v})",
                SH.BlankNodeOrLiteral: f"!isIRI({v})",
                SH.IRIOrLiteral: f"!isBlank({v})",
            }
            if arg not in kinds:
                raise self.fail(shape, f"sh:nodeKind {arg}")
            return kinds[arg]
        if p == SH["in"]:
            vals = [self.const(shape, x) for x in self.members(shape, arg, "sh:in")]
            return " || ".join(f"sameTerm({v}, {x})" for x in vals) or "false"
        if p == SH.pattern:
            flags = self.g.value(shape, SH.flags)
            fl = f", {Literal(str(flags)).n3()}" if flags is not None else ""
            return f"!isBlank({v}) && REGEX(STR({v}), {Literal(str(arg)).n3()}{fl})"
        if p in (SH.minLength, SH.maxLength):
            op = ">=" if p == SH.minLength else "<="
            try:
                k = int(arg.toPython())  # type: ignore[union-attr]
            except (TypeError, ValueError, AttributeError):
                raise self.fail(shape, f"sh:{p[len(str(SH)) :]} {arg!r}") from None
            return f"!isBlank({v}) && STRLEN(STR({v})) {op} {k}"
        if p in _RANGE_OPS:
            if not isinstance(arg, Literal):
                raise self.fail(shape, f"sh:{p[len(str(SH)) :]} {arg!r}")
            return (
                f"{_comparable(v, arg)} && "
                f"COALESCE({v} {_RANGE_OPS[p]} {self.const(shape, arg)}, false)"
            )
        if p == SH.node:
            return self.conforms(arg, v)
        if p == SH["not"]:
            return f"!({self.conforms(arg, v)})"
        members = [self.conforms(m, v) for m in self.members(shape, arg, f"sh:{p[len(str(SH)) :]}")]
        if p == SH["and"]:
            return " && ".join(f"({m})" for m in members) or "true"
        if p == SH["or"]:
            return " || ".join(f"({m})" for m in members) or "false"
        # sh:xone: exactly one member conforms
        ones = " + ".join(f"IF({m}, 1, 0)" for m in members) or "0"
        return f"({ones}) = 1"

    def or_of_absents(self, shape: Node, arg: Node, focus: str) -> _Part | None:
        """sh:or whose members are each one 'absent' pattern: violated when none is found,
        which MINUS of their UNION says in one hash join (no per-node probe)."""
        patterns = []
        for m in self.members(shape, arg, "sh:or"):
            items = self.items(m, focus)
            if len(items) != 1 or items[0].part.kind != "absent":
                return None
            patterns.append(items[0].part.pattern)
        if not patterns:
            return None
        return _Part("absent", " UNION ".join(f"{{ {p} }}" for p in patterns))

    def targets(self, shape: Node) -> str | None:
        g = self.g
        alts = []
        classes = set(g.objects(shape, SH.targetClass))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            classes.add(shape)
        for c in sorted(classes):
            alts.append(
                f"{{ {{ SELECT DISTINCT ?t WHERE {{ ?t <{RDFS.subClassOf}>* {self.const(shape, c)} }} }}"
                f" ?this a ?t }}"
            )
        for n in sorted(g.objects(shape, SH.targetNode)):
            alts.append(f"{{ BIND({self.const(shape, n)} AS ?this) }}")
        for p in sorted(g.objects(shape, SH.targetSubjectsOf)):
            alts.append(f"{{ ?this {self.const(shape, p)} ?any }}")
        for p in sorted(g.objects(shape, SH.targetObjectsOf)):
            alts.append(f"{{ ?any {self.const(shape, p)} ?this }}")
        if not alts:
            return None
        return "{ SELECT DISTINCT ?this WHERE { " + " UNION ".join(alts) + " } }"

    def compile(self, shape: Node) -> list[Check]:
        self.top = shape
        target = self.targets(shape)
        if target is None:
            return []
        items = self.items(shape, "?this")
        # sh:or directly on the top-level shape: the MINUS form when it applies
        out = []
        for it in items:
            if it.component == "Or" and it.path is None and it.shape == shape:
                arg = next(iter(self.g.objects(shape, SH["or"])))
                if len(set(self.g.objects(shape, SH["or"]))) == 1:
                    better = self.or_of_absents(shape, arg, "?this")
                    if better is not None:
                        it.part = better
            out.append(self.check(shape, it, target))
        return out

    def check(self, shape: Node, it: _Item, target: str) -> Check:
        part = it.part
        if part.kind == "absent":
            body = f"SELECT ?this WHERE {{ {target} MINUS {{ {part.pattern} }} }}"
        else:
            value = f"({part.value} AS ?value)" if part.value else ""
            body = f"SELECT DISTINCT ?this {value} WHERE {{ {target} {part.pattern} }}"
        arg = _component_arg(self.g, it)
        path = it.path or "the node"
        message = it.message or _DEFAULT_MESSAGES.get(it.component, it.component).format(
            path=path, arg=arg
        )
        sid = shape if isinstance(shape, URIRef) else f"_:{shape}"
        return Check(
            str(sid),
            it.component,
            it.path,
            message,
            str(it.severity)[len(str(SH)) :],
            body,
            str(it.shape),
        )


_ORDERED = (XSD.date, XSD.dateTime, XSD.string)
_NUMERIC = {
    XSD[n]
    for n in (
        "integer decimal double float int long short byte nonNegativeInteger positiveInteger "
        "negativeInteger nonPositiveInteger unsignedInt unsignedLong unsignedShort unsignedByte"
    ).split()
}


def _comparable(v: str, other: str | Literal) -> str:
    """SPARQL for: *v* and *other* (a variable or a literal) can be ordered, as SHACL's
    comparisons ask (numbers with numbers; dates, date-times or strings of one datatype).
    Both engines then agree; rdflib's SPARQL alone would order a string before a number."""
    if isinstance(other, Literal):
        if other.datatype in _NUMERIC:
            return f"isNumeric({v})"
        dt = other.datatype or XSD.string
        if dt not in _ORDERED or other.language:
            return "false"
        return f"isLiteral({v}) && sameTerm(DATATYPE({v}), <{dt}>)"
    ordered = ", ".join(f"<{d}>" for d in _ORDERED)
    return (
        f"((isNumeric({v}) && isNumeric({other})) || (isLiteral({v}) && isLiteral({other})"
        f" && sameTerm(DATATYPE({v}), DATATYPE({other})) && DATATYPE({v}) IN ({ordered})))"
    )


def _component_arg(g: Graph, it: _Item) -> str:
    p = SH[it.component[0].lower() + it.component[1:]]
    if it.component in ("Class", "In", "Not", "And", "Or", "Xone", "Node"):
        p = {"Class": SH["class"], "In": SH["in"], "Not": SH["not"]}.get(
            it.component, SH[it.component.lower()]
        )
    arg = g.value(it.shape, p)
    return arg.n3() if isinstance(arg, URIRef | Literal) else ""


def shape_nodes(g: Graph) -> list[Node]:
    """Every shape that has a target (declared a node or property shape, or carrying one)."""
    found = set(g.subjects(RDF.type, SH.NodeShape)) | set(g.subjects(RDF.type, SH.PropertyShape))
    for p in _TARGETS:
        found |= set(g.subjects(p, None))
    return sorted(found, key=str)


def compile_shapes(g: Graph) -> list[Check]:
    """One :class:`Check` per constraint of every targeted shape of *g*, in a stable order."""
    out = []
    for shape in shape_nodes(g):
        out += _Compiler(g).compile(shape)
    return out


def run_checks(
    select: Callable[[str], Iterable[tuple]],
    checks: list[Check],
    limit: int | None = None,
) -> list[Violation]:
    """Run *checks* through *select* (a SPARQL SELECT to rows of (this, value)); at most
    *limit* violations per check."""
    out = []
    for c in checks:
        sparql = c.sparql + (f"\nLIMIT {limit}" if limit else "")
        for row in select(sparql):
            row = tuple(row)
            out.append(Violation(row[0], row[1] if len(row) > 1 else None, c))
    return out


def _to_rdflib(t) -> Node:
    import pyoxigraph as ox

    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if t.language:
            return Literal(t.value, lang=t.language)
        return Literal(t.value, datatype=URIRef(t.datatype.value))
    return t


CHECK_ONTOLOGY = "urn:okg:check:ontology"
"""The scratch graph holding the ontology while the compiled shapes run over staged sources."""
CHECK_CLOSURE = "urn:okg:check:closure"
"""The scratch graph holding the staged sources' super-property closure (as pyshacl is given)."""
_COMPILED: dict[int, tuple] = {}


def compiled(voc) -> tuple[list[Check], list]:
    """The Violation checks of the shapes of *voc* (core and every sector module) and the
    ontology as pyoxigraph quads of :data:`CHECK_ONTOLOGY`: compiled once per vocabulary."""
    hit = _COMPILED.get(id(voc))
    if hit is None or hit[0] is not voc:
        from okg.store.backends import OxTerms
        from okg.store.shacl import shapes_graph

        checks = [c for c in compile_shapes(shapes_graph(voc)) if c.severity == "Violation"]
        hit = (voc, checks, OxTerms().quads(voc.graph, CHECK_ONTOLOGY))
        _COMPILED[id(voc)] = hit
    return hit[1], hit[2]


_CLOSURE = f"""
SELECT ?s ?q ?o WHERE {{
  {{ SELECT DISTINCT ?p ?q WHERE {{
      GRAPH <{CHECK_ONTOLOGY}> {{ ?p <{RDFS.subPropertyOf}>+ ?q }}
      FILTER(isIRI(?q) && !sameTerm(?p, ?q)) }} }}
  GRAPH ?g {{ ?s ?p ?o }}
  FILTER(!sameTerm(?g, <{CHECK_ONTOLOGY}>))
}}"""


def validate_store(store, voc) -> list[tuple[Node, str, str]]:
    """(focus, path, message) of each Violation of the sources staged in the named graphs of
    the in-memory pyoxigraph *store*, checked as ``okg.store.shacl.validate`` checks them with
    pyshacl: merged with the ontology and the super-property closure of the staged triples
    (the same entailment as ``super_property_closure``), both added to scratch graphs that are
    removed again before this returns, so *store* holds only what it held."""
    import pyoxigraph as ox

    checks, onto = compiled(voc)
    ont, clo = ox.NamedNode(CHECK_ONTOLOGY), ox.NamedNode(CHECK_CLOSURE)
    try:
        store.bulk_extend(onto)
        closure = [
            ox.Quad(r[0], r[1], r[2], clo) for r in store.query(_CLOSURE) if r[0] is not None
        ]
        store.bulk_extend(closure)
        del closure

        def select(q: str):
            return store.query(q, use_default_graph_as_union=True)

        out = []
        for v in run_checks(select, checks):  # one row per focus (and value), as pyshacl
            path = v.check.path or ""
            if path.startswith("<") and path.endswith(">"):
                path = voc.qname(URIRef(path[1:-1]))
            out.append((_to_rdflib(v.focus), path, v.check.message))
        return out
    finally:
        store.remove_graph(ont)
        store.remove_graph(clo)


def validate(data: Graph, voc) -> list[tuple[Node, str, str]]:
    """Like ``okg.store.shacl.validate`` (focus, path, message of each Violation of *data*
    merged with the ontology and its super-property closure), but the shapes run as compiled
    SPARQL in an in-memory Oxigraph store instead of pyshacl."""
    import pyoxigraph as ox
    from okg.store.backends import OxTerms

    store = ox.Store()
    store.bulk_extend(OxTerms().quads(data, "urn:okg:check:data"))
    return validate_store(store, voc)
