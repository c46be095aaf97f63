"""Claims: one source's figure for one property of one node, read from ``okg:Quantity`` nodes,
and the one rule that says which claims are about the same figure.

* :class:`Claim` is the one Python shape of a stored figure ("about 163" = ``146–180``), with
  its provenance (source id and title, quotes, fact-file line) and its conflict scope. The
  projection, conflicts, impact and viz all use it.
* :data:`Q_CLAIMS` is the one SPARQL text that reads ``okg:Quantity`` claims and
  :func:`claims_from_rows` turns its rows into claims; :func:`read_claims` runs the reader with
  a ``select`` callable the caller supplies (SPARQL text -> rows of plain strings, the okg
  prefixes prepended by the caller), so this layer never imports the store.
* :class:`FigureRules` is the same-figure rule, read from the ontology, never hard-coded: a class
  lists its ``okg:conflictScope`` properties (two claims of that class with the same values for
  all of them, for the same property, are about the same figure), and a value declared
  ``okg:isTotalOf`` parts (all contract types = permanent + temporary) makes claims about the
  parts a :class:`Breakdown` of the total's figure: one more claim for the total, their sum.
  :func:`group_figures` applies it.

>>> from rdflib import Dataset
>>> ds = Dataset()
>>> _ = ds.parse(format="trig", data='''
... @prefix okg: <https://w3id.org/okg/ontology#> .
... okg:Job okg:conflictScope okg:employer , okg:kind .
... okg:All okg:isTotalOf okg:A , okg:B .
... <https://w3id.org/okg/graph/source/s1> {
...   <urn:w1> a okg:Job ; okg:employer <urn:f> ; okg:kind okg:All ; okg:headcount <urn:q1> .
...   <urn:q1> a okg:Quantity ; okg:low 146 ; okg:high 180 ; okg:pointValue 163 ;
...            okg:statedAs "about 163" .
...   <urn:w2> a okg:Job ; okg:employer <urn:f> ; okg:kind okg:A ; okg:headcount <urn:q2> .
...   <urn:q2> a okg:Quantity ; okg:low 50 ; okg:high 50 ; okg:statedAs "50" .
...   <urn:w3> a okg:Job ; okg:employer <urn:f> ; okg:kind okg:B ; okg:headcount <urn:q3> .
...   <urn:q3> a okg:Quantity ; okg:low 100 ; okg:high 100 ; okg:statedAs "100" .
... }''')
>>> select = graph_select(ds)
>>> claims = read_claims(select)
>>> [(c.fact, c.stated, c.value.format(), c.source) for c in claims]
[('urn:w1', 'about 163', 'about 163 (146–180)', 's1'), ('urn:w2', '50', '50', 's1'), ('urn:w3', '100', '100', 's1')]
>>> (fig,) = group_figures(claims, FigureRules.read(select))
>>> [c.stated for c in fig.claims], fig.breakdowns[0].complete, fig.breakdowns[0].value().format()
(['about 163'], True, '150')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from fractions import Fraction

from okg.figures.intervals import (
    UNKNOWN,
    ClaimRanges,
    Interval,
    combine_claims,
    intersect_claims,
    total,
)
from okg.terms.namespaces import OKG, SOURCE_GRAPH_PREFIX, sparql_prologue

Row = Sequence[str | None]
Select = Callable[[str], Iterable[Row]]
"""SPARQL SELECT text -> rows of plain strings (IRIs, literal values; ``None`` when unbound)."""

ScopeValues = tuple[tuple[str, tuple[str, ...]], ...]
"""``((property IRI, (value IRI, ...)), ...)`` sorted by property; values sorted."""
Scope = tuple[str, ScopeValues]
"""``(class IRI, ScopeValues)``: what a fact of a class with ``okg:conflictScope`` is about."""

_UNKNOWN_QUALIFIER = str(OKG.Unknown)


def source_id_of_graph(graph: str | None) -> str | None:
    """The source id of a source's named graph, ``None`` for other graphs.

    >>> source_id_of_graph("https://w3id.org/okg/graph/source/s1"), source_id_of_graph("urn:x")
    ('s1', None)
    """
    if graph is None or not graph.startswith(SOURCE_GRAPH_PREFIX):
        return None
    return graph[len(SOURCE_GRAPH_PREFIX) :]


def claim_value(qualifier: str | None, low, high, point) -> Interval:
    """The interval of a stored Quantity: unknown when the qualifier says so or no bound exists.

    >>> claim_value(None, "146", "180", "163").format(), claim_value(None, None, None, None).known
    ('about 163 (146–180)', False)
    """
    if qualifier == _UNKNOWN_QUALIFIER or (low is None and high is None):
        return UNKNOWN

    def dec(x) -> Decimal | None:
        return None if x is None else Decimal(str(x))

    return Interval.between(dec(low), dec(high), dec(point))


def _g(x: Fraction) -> str:
    d = Decimal(x.numerator) / Decimal(x.denominator)
    return f"{d:g}"


@dataclass(frozen=True)
class Claim:
    """One source's figure for a quantity-valued property of a node.

    ``value`` is the interval the figure stands for (``UNKNOWN`` for an unknown figure), in the
    unit's own scale (percent shares are 0..100); ``stated`` is the text of the fact file
    (``okg:statedAs``); ``qualifier`` and ``unit`` are IRIs; ``source`` is the source id of the
    graph that states it, ``quotes`` that source's quotes of the fact; ``scope`` is the fact's
    conflict scope (``None`` for a class without one); ``part`` is the value that places the
    claim in a breakdown (e.g. ``okg:Permanent``, or the total ``okg:AnyEmploymentType``), set
    by whoever groups claims; ``illustrative`` marks a made-up fact.
    """

    fact: str
    prop: str
    value: Interval
    stated: str | None = None
    qualifier: str | None = None
    unit: str | None = None
    source: str | None = None
    quantity: str | None = None
    source_title: str | None = None
    quotes: tuple[str, ...] = ()
    line: int | None = None
    scope: Scope | None = None
    part: str | None = None
    illustrative: bool = False

    @property
    def stated_as(self) -> str:
        """The figure as the fact file stated it (``""`` when it did not)."""
        return self.stated or ""

    @property
    def cls(self) -> str | None:
        """The class whose conflict scope places the claim, or ``None``."""
        return self.scope[0] if self.scope else None

    def scope_values(self) -> dict[str, tuple[str, ...]]:
        """``{scope property IRI: (value IRI, ...)}`` (empty for a claim without scope)."""
        return dict(self.scope[1]) if self.scope else {}

    def same_figure_as(self, other: Claim) -> bool:
        """The same interval and point value (what "agreeing claims" means)."""
        a, b = self.value, other.value
        return (a.known, a.low, a.high, a.point) == (b.known, b.low, b.high, b.point)

    def interval(self) -> str:
        """The bounds in plain numbers: ``146–180``, ``151–open``, ``unknown``.

        >>> Claim("urn:x", "urn:p", Interval.of(151, open_high=True)).interval()
        '151–open'
        """
        v = self.value
        if not v.known or v.low is None:
            return "unknown"
        hi = "open" if v.high is None else _g(v.high)
        return f"{_g(v.low)}–{hi}"


# -- the reader -----------------------------------------------------------------------------

Q_CLAIMS = """
SELECT DISTINCT ?x ?p ?q ?g ?qual ?unit ?low ?high ?pt ?stated ?line WHERE {
  GRAPH ?g {
    ?q a okg:Quantity . ?x ?p ?q .
    OPTIONAL { ?q okg:qualifier ?qual } OPTIONAL { ?q okg:unit ?unit }
    OPTIONAL { ?q okg:low ?low } OPTIONAL { ?q okg:high ?high }
    OPTIONAL { ?q okg:pointValue ?pt } OPTIONAL { ?q okg:statedAs ?stated }
    OPTIONAL { ?x okg:line ?line }
  }
}"""
"""Every claim: node, property, Quantity node, graph, qualifier, unit, low, high, point value,
statement and the fact-file line (one row per claim and graph)."""

Q_CLAIM_QUOTES = """
SELECT DISTINCT ?x ?quote ?g WHERE { GRAPH ?g { ?x okg:quote ?quote } }"""
"""The quotes of every node, per graph (joining them to the claims in SPARQL took twice as long
at 10^5 triples as reading them all)."""

Q_SCOPES = """
SELECT DISTINCT ?x ?cls ?p ?v WHERE {
  ?cls okg:conflictScope ?p . ?x a ?cls .
  OPTIONAL { ?x ?p ?v }
}"""
"""Every fact of a class with ``okg:conflictScope``: its class, each scope property and value."""

Q_SOURCE_TITLES = """
SELECT DISTINCT ?g ?t WHERE { GRAPH ?g { ?src a okg:Source . OPTIONAL { ?src dcterms:title ?t } } }"""

Q_ILLUSTRATIVE = """
SELECT DISTINCT ?x WHERE { ?x okg:illustrative true }"""

Q_RULES = """
SELECT DISTINCT ?kind ?a ?b WHERE {
  { ?a okg:conflictScope ?b . BIND("scope" AS ?kind) }
  UNION { ?a okg:isTotalOf ?b . BIND("total" AS ?kind) }
}"""
"""The same-figure rule's declarations: class -> scope property, total value -> part value."""


def scopes_from_rows(rows: Iterable[Row]) -> dict[str, Scope]:
    """``{fact IRI: scope}`` from :data:`Q_SCOPES` rows. A fact of several scoped classes takes
    the first class by IRI and the union of their properties; a property the fact does not
    give has no values (``()``)."""
    cls_of: dict[str, str] = {}
    values: dict[str, dict[str, set[str]]] = {}
    for x, cls, p, v in rows:
        cls_of[x] = min(cls_of.get(x, cls), cls)
        vals = values.setdefault(x, {}).setdefault(p, set())
        if v is not None:
            vals.add(v)
    return {
        x: (cls_of[x], tuple(sorted((p, tuple(sorted(vs))) for p, vs in props.items())))
        for x, props in values.items()
    }


def quotes_from_rows(rows: Iterable[Row]) -> dict[tuple[str, str], tuple[str, ...]]:
    """``{(node IRI, source id): (quote, ...)}`` from rows ``(node, quote, graph)``, sorted."""
    out: dict[tuple[str, str], set[str]] = {}
    for x, quote, g in rows:
        src = source_id_of_graph(g)
        if src is not None and quote is not None:
            out.setdefault((x, src), set()).add(quote)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def claims_from_rows(
    rows: Iterable[Row],
    *,
    quotes: Mapping[tuple[str, str], tuple[str, ...]] | None = None,
    titles: Mapping[str, str | None] | None = None,
    scopes: Mapping[str, Scope] | None = None,
    illustrative: Iterable[str] = (),
    sources_only: bool = False,
) -> list[Claim]:
    """Claims from :data:`Q_CLAIMS` rows (plain strings), with their provenance and scope
    looked up in the given mappings; sorted by (node, property, source, Quantity node).

    *quotes* is keyed by (node, source id), *titles* by source id, *scopes* by node;
    *sources_only* drops claims stated outside a source graph.
    """
    quotes = quotes or {}
    titles = titles or {}
    scopes = scopes or {}
    made_up = set(illustrative)
    out = []
    for x, p, q, g, qual, unit, low, high, pt, stated, line in rows:
        src = source_id_of_graph(g)
        if sources_only and src is None:
            continue
        out.append(
            Claim(
                fact=x,
                prop=p,
                value=claim_value(qual, low, high, pt),
                stated=stated,
                qualifier=qual,
                unit=unit,
                source=src,
                quantity=q,
                source_title=titles.get(src) if src is not None else None,
                quotes=quotes.get((x, src), ()) if src is not None else (),
                line=int(Decimal(line)) if line is not None else None,
                scope=scopes.get(x),
                illustrative=x in made_up,
            )
        )
    out.sort(key=lambda c: (c.fact, c.prop, c.source or "", c.quantity or ""))
    return out


def titles_from_rows(rows: Iterable[Row]) -> dict[str, str | None]:
    """``{source id: title}`` from :data:`Q_SOURCE_TITLES` rows."""
    out: dict[str, str | None] = {}
    for g, title in rows:
        src = source_id_of_graph(g)
        if src is not None and (out.get(src) is None or (title is not None and title < out[src])):
            out[src] = title
    return out


def read_claims(select: Select, *, sources_only: bool = False) -> list[Claim]:
    """Every claim in the store behind *select*, with quotes, source titles and scopes."""
    return claims_from_rows(
        select(Q_CLAIMS),
        quotes=quotes_from_rows(select(Q_CLAIM_QUOTES)),
        titles=titles_from_rows(select(Q_SOURCE_TITLES)),
        scopes=scopes_from_rows(select(Q_SCOPES)),
        illustrative=[r[0] for r in select(Q_ILLUSTRATIVE)],
        sources_only=sources_only,
    )


def graph_select(graph) -> Select:
    """A :data:`Select` over an rdflib ``Graph`` or ``Dataset`` (named graphs are queried
    through ``GRAPH``, the default graph as their union): for tests and small graphs."""
    from rdflib import Dataset

    if isinstance(graph, Dataset):
        graph.default_union = True

    def select(sparql: str) -> list[tuple[str | None, ...]]:
        res = graph.query(sparql_prologue() + sparql)
        return [tuple(None if v is None else str(v) for v in r) for r in res]

    return select


# -- the same-figure rule ---------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRules:
    """The ontology's same-figure declarations: ``scopes`` (class IRI -> its
    ``okg:conflictScope`` properties, sorted) and ``totals`` (a value IRI -> the values it
    ``okg:isTotalOf``)."""

    scopes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    totals: Mapping[str, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: Iterable[Row]) -> FigureRules:
        """From :data:`Q_RULES` rows ``(kind, a, b)``."""
        scopes: dict[str, set[str]] = {}
        totals: dict[str, set[str]] = {}
        for kind, a, b in rows:
            (scopes if kind == "scope" else totals).setdefault(a, set()).add(b)
        return cls(
            {c: tuple(sorted(ps)) for c, ps in sorted(scopes.items())},
            {t: frozenset(ps) for t, ps in sorted(totals.items())},
        )

    @classmethod
    def read(cls, select: Select) -> FigureRules:
        """The rules declared in the store (or graph) behind *select*."""
        return cls.from_rows(select(Q_RULES))

    def total_of(self, value: str) -> str | None:
        """The total that *value* is a declared part of (the first by IRI), else ``None``."""
        owners = [t for t, parts in self.totals.items() if value in parts]
        return min(owners) if owners else None

    def is_part(self, value: str) -> bool:
        return self.total_of(value) is not None

    def is_whole(self, claim: Claim) -> bool:
        """True when no scope value of *claim* is a declared part of a total: the claim is
        about a whole figure (all contract types, or a fact outside any breakdown)."""
        return (
            not any(self.is_part(v) for _, vs in claim.scope[1] for v in vs)
            if claim.scope
            else True
        )

    def rolled(self, values: ScopeValues) -> ScopeValues:
        """*values* with every single value that is a declared part replaced by its total."""
        out = []
        for p, vs in values:
            t = self.total_of(vs[0]) if len(vs) == 1 else None
            out.append((p, (t,) if t is not None else vs))
        return tuple(out)

    def figure_key(self, claim: Claim) -> tuple:
        """What *claim* is about: ``(class, property, rolled scope values)``; a claim without a
        conflict scope is about its own node's figure: ``(None, property, ((fact, ()),))``."""
        if claim.scope is None:
            return (None, claim.prop, ((claim.fact, ()),))
        return (claim.scope[0], claim.prop, self.rolled(claim.scope[1]))


@dataclass(frozen=True)
class Breakdown:
    """The parts of a total figure along one scope property: ``prop`` (``okg:employmentType``),
    ``total`` (``okg:AnyEmploymentType``) and every declared part with the claims given for it
    (in part IRI order; a part nobody gives has no claims)."""

    prop: str
    total: str
    parts: tuple[tuple[str, tuple[Claim, ...]], ...]

    @property
    def complete(self) -> bool:
        """Every declared part has at least one claim."""
        return all(cs for _, cs in self.parts)

    @property
    def given(self) -> tuple[tuple[str, tuple[Claim, ...]], ...]:
        return tuple((p, cs) for p, cs in self.parts if cs)

    def claims(self) -> list[Claim]:
        """The parts' claims, part by part."""
        return [c for _, cs in self.parts for c in cs]

    def value(self) -> Interval:
        """The sum of the parts given, each part's claims combined by their hull first (the
        breakdown's envelope)."""
        return total(combine_claims(c.value for c in cs) for _, cs in self.given)[0]

    def consistent_value(self) -> Interval | None:
        """The sum of the parts given, each part's claims intersected first: what the parts
        add up to if every claim about them is right; ``None`` when the claims about some part
        do not overlap."""
        parts = [intersect_claims(c.value for c in cs) for _, cs in self.given]
        if any(p is None for p in parts):
            return None
        return total(parts)[0]

    def ranges(self) -> ClaimRanges:
        """The breakdown as one claim for the total, in both ranges."""
        return ClaimRanges(self.consistent_value(), self.value())

    def points(self) -> Fraction | None:
        """The sum of the parts' point values ("about 50" + "about 100" = 150) when the
        breakdown is complete and every part's claims give one and the same point value."""
        if not self.complete:
            return None
        acc = Fraction(0)
        for _, cs in self.parts:
            pts = {c.value.point for c in cs}
            if len(pts) != 1 or None in pts:
                return None
            acc += pts.pop()
        return acc

    def text(self) -> str:
        """``about 50 + about 100``: the parts' claims as stated."""
        return " + ".join(c.stated or c.value.format() for c in self.claims())


@dataclass(frozen=True)
class Remainder:
    """What a breakdown leaves unexplained of one claim about the total.

    ``unexplained`` = the total claim's point value − the sum of the parts' point values (both as the
    sources stated them: "about 163" − ("about 50" + "about 100") = 13); ``range`` = the
    total claim's interval − the parts' consistent sum, by interval arithmetic (146–180 −
    135–165 = −19 to 45): the remainder the stated ranges allow. Positive: jobs of the total in
    no part; negative: the parts hold more than the total.
    """

    total_fact: str
    total_stated: str
    parts_stated: str
    prop: str
    unexplained: Fraction
    range: Interval

    def text(self, unit: str = "jobs") -> str:
        """``13 jobs of the total are in no part of the breakdown (about 163 − (about 50 +
        about 100))``."""
        n = self.unexplained
        how = f"{self.total_stated} − ({self.parts_stated})"
        if n == 0:
            return f"the parts account for the whole total ({how} = 0)"
        num = Interval(abs(n), abs(n)).format()
        if n > 0:
            return f"{num} {unit} of the total are in no part of the breakdown ({how} = {num})"
        return f"the parts hold {num} {unit} more than the total ({how} = −{num})"


@dataclass(frozen=True)
class FigureRanges:
    """The claims about one figure read two ways, and what its breakdowns leave unexplained.

    ``consistent``: the intersection of every claim (direct claims, and each complete
    breakdown's sum of its parts' intersections), what holds if every source is right;
    ``None`` when it is empty: a real ``conflict``. ``envelope``: the hull of the claims
    (:func:`okg.figures.intervals.combine_claims`), each breakdown counted as the sum of its
    parts' hulls. ``differ``: the claims do not all give the same interval. ``witness``: when
    in conflict, the two claims that do not overlap (the one with the highest low end, the one
    with the lowest high end), as stated. ``remainders``: one :class:`Remainder` per claim about
    the total with a point value and complete breakdown whose parts all have one.
    """

    consistent: Interval | None
    envelope: Interval
    differ: bool
    witness: tuple[str, str] | None = None
    remainders: tuple[Remainder, ...] = ()

    @property
    def conflict(self) -> bool:
        return self.consistent is None

    @property
    def shown(self) -> bool:
        """Worth showing beside the figure: the claims differ, or a breakdown leaves a
        remainder."""
        return self.differ or any(r.unexplained for r in self.remainders)

    def ranges(self) -> ClaimRanges:
        return ClaimRanges(self.consistent, self.envelope)

    def pick(self, which: str) -> Interval:
        """See :meth:`okg.figures.intervals.ClaimRanges.pick`."""
        return self.ranges().pick(which)


@dataclass(frozen=True)
class SameFigure:
    """Every claim about one figure: ``claims`` about it directly (sorted by fact), and the
    ``breakdowns`` whose parts add up to it; ``finer`` claims are parts along several
    properties at once (a part of a part of the figure): kept, but in no sum."""

    cls: str | None
    prop: str
    scope: ScopeValues
    claims: tuple[Claim, ...]
    breakdowns: tuple[Breakdown, ...] = ()
    finer: tuple[Claim, ...] = ()

    @property
    def key(self) -> tuple:
        return (self.cls, self.prop, self.scope)

    def all_claims(self) -> list[Claim]:
        """Direct claims, then the breakdowns' claims, then the finer ones."""
        parts = [c for b in self.breakdowns for c in b.claims()]
        return list(self.claims) + parts + list(self.finer)


def figure_ranges(fig: SameFigure) -> FigureRanges:
    """Both ranges of *fig* and its remainders (see :class:`FigureRanges`). With no claim about
    the whole, the figure is the sum of the parts given (each breakdown's, the first one's when
    there are several). The result does not depend on the order of the claims.

    >>> from okg.figures.intervals import Interval
    >>> t = Claim("urn:t", "urn:p", Interval.of(146, 180, 163), stated="about 163")
    >>> a = Claim("urn:a", "urn:p", Interval.of(45, 55, 50), stated="about 50")
    >>> b = Claim("urn:b", "urn:p", Interval.of(90, 110, 100), stated="about 100")
    >>> fig = SameFigure(None, "urn:p", (), (t,), (Breakdown("urn:k", "urn:all",
    ...     (("urn:A", (a,)), ("urn:B", (b,)))),))
    >>> r = figure_ranges(fig)
    >>> r.consistent.format(), r.envelope.format(), r.remainders[0].text()
    ('146–165', '135–180', '13 jobs of the total are in no part of the breakdown (about 163 − (about 50 + about 100) = 13)')
    """
    named: list[tuple[str, Interval | None, Interval]] = [
        (c.stated or c.value.format(), c.value, c.value) for c in fig.claims
    ]
    sums = [b for b in fig.breakdowns if b.complete] if fig.claims else list(fig.breakdowns[:1])
    part_conflict: tuple[str, str] | None = None
    for b in fig.breakdowns:
        for _, cs in b.given:
            if part_conflict is None and intersect_claims(c.value for c in cs) is None:
                part_conflict = non_overlapping(
                    [(c.stated or c.value.format(), c.value) for c in cs]
                )
    for b in sums:
        named.append((b.text(), b.consistent_value(), b.value()))
    envelope = combine_claims(e for _, _, e in named) if named else UNKNOWN
    if part_conflict is not None:
        consistent, witness = None, part_conflict
    else:
        consistent = intersect_claims(c for _, c, _ in named) if named else UNKNOWN
        witness = None if consistent is not None else non_overlapping([(n, c) for n, c, _ in named])
    differ = len({(e.known, e.low, e.high) for _, _, e in named}) > 1 or part_conflict is not None
    remainders = []
    for b in fig.breakdowns:
        pts = b.points()
        cons = b.consistent_value()
        if pts is None or cons is None:
            continue
        for c in fig.claims:
            if c.value.known and c.value.point is not None:
                remainders.append(
                    Remainder(
                        c.fact,
                        c.stated or c.value.format(),
                        b.text(),
                        b.prop,
                        c.value.point - pts,
                        c.value - cons,
                    )
                )
    return FigureRanges(consistent, envelope, differ, witness, tuple(remainders))


def non_overlapping(named: list[tuple[str, Interval]]) -> tuple[str, str] | None:
    """The claim with the highest low end and the one with the lowest high end, when they do
    not overlap (ties broken by text, so the order of the claims does not matter)."""
    known = [(n, v) for n, v in named if v.known]
    lows = [(v.low, n) for n, v in known if v.low is not None]
    highs = [(v.high, n) for n, v in known if v.high is not None]
    if not lows or not highs:
        return None
    lo = max(lows, key=lambda t: (t[0], t[1]))
    hi = min(highs, key=lambda t: (t[0], t[1]))
    return (lo[1], hi[1]) if lo[0] > hi[0] else None


def _sort_key(key: tuple) -> tuple:
    cls, prop, scope = key
    return (cls or "", tuple((p, vs) for p, vs in scope), prop)


def group_figures(claims: Iterable[Claim], rules: FigureRules) -> list[SameFigure]:
    """Group *claims* by the figure they are about (see :class:`FigureRules`), sorted by class,
    scope values and property. Claims about a part of a declared total join the total's figure
    as a :class:`Breakdown` along the property that holds the part; each claim gets ``part`` =
    its value on that property (the total's own claims get the total). The result does not
    depend on the order of *claims*."""
    by_key: dict[tuple, list[Claim]] = {}
    for c in claims:
        by_key.setdefault(rules.figure_key(c), []).append(c)
    out = []
    for key in sorted(by_key, key=_sort_key):
        cls, prop, scope = key
        direct: list[Claim] = []
        parts: dict[tuple[str, str], list[Claim]] = {}
        finer: list[Claim] = []
        totals_here = {p: vs[0] for p, vs in scope if len(vs) == 1 and vs[0] in rules.totals}
        for c in by_key[key]:
            own = c.scope[1] if c.scope else scope
            diff = [
                (p, vs) for (p, vs), (_, rolled) in zip(own, scope, strict=True) if vs != rolled
            ]
            if not diff:
                part = min(totals_here.values()) if totals_here else None
                direct.append(replace(c, part=part) if part is not None else c)
            elif len(diff) == 1:
                p, vs = diff[0]
                parts.setdefault((p, vs[0]), []).append(replace(c, part=vs[0]))
            else:  # a part along several properties at once: finer than any one breakdown
                finer.append(c)
        breakdowns = []
        for p, t in sorted(totals_here.items()):
            given = {v: cs for (q, v), cs in parts.items() if q == p}
            if not given:
                continue
            breakdowns.append(
                Breakdown(
                    p,
                    t,
                    tuple(
                        (v, tuple(sorted(given.get(v, []), key=_claim_order)))
                        for v in sorted(rules.totals[t])
                    ),
                )
            )
        out.append(
            SameFigure(
                cls,
                prop,
                scope,
                tuple(sorted(direct, key=_claim_order)),
                tuple(breakdowns),
                tuple(sorted(finer, key=_claim_order)),
            )
        )
    return out


def _claim_order(c: Claim) -> tuple:
    return (c.fact, c.source or "", c.quantity or "", c.stated or "")
