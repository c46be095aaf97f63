"""The derived conflict key (okg:conflictKey, queries/derive/70_conflict_key.rq) and the
conflicting-claims query that joins claims on it.

- On the seed data (both engines) and on generated data with planted claims, the query gives
  exactly the rows of its former text (kept below as the reference: claims paired on a first
  scope value, then the same set of scope values checked with two nested NOT EXISTS).
- Random claims with random scope values: two claims share a key exactly when they are of the
  same class with the same set of conflict-scope values, which is also what the former double
  NOT EXISTS test says.
- Removing a source rebuilds the keys from what is left.
"""

from __future__ import annotations

import importlib
import itertools
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from okg.queries import run_query
from okg.queries.canned import parse_query
from okg.store import KnowledgeGraph
from okg.store.bulk import bulk_load
from okg.store.derive_steps import conflict_key, step_of
from okg.terms.namespaces import OKG, source_graph, source_node
from okg.terms.resources import queries_dir
from rdflib import URIRef

OLD_QUERY = """\
# title: Conflicting claims
# question: Which claims about the same figure (same class, same conflict-scope values) state different figures, with both quotes?
# param: lang language en — label language (falls back to en, fr, ar)
# param: include_illustrative boolean false — also list what rests on illustrative facts (made up to show the model), marked in the illustrative column
# columns: kind, figure, claimA, statedA, lowA, highA, sourceA, quoteA, claimB, statedB, lowB, highB, sourceB, quoteB, overlap, kind_iri, figure_iri, illustrative
SELECT DISTINCT ?a ?statedA ?lowA ?highA ?sourceA ?quoteA
       ?b ?statedB ?lowB ?highB ?sourceB ?quoteB ?overlap ?kind ?figure ?illustrative
WHERE {
  {
    SELECT DISTINCT ?kind ?claimA ?claimB ?figure ?qa ?qb WHERE {
      ?kind okg:conflictScope ?p0 .
      ?claimA a ?kind ; ?p0 ?v0 ; ?figure ?qa .
      FILTER NOT EXISTS { ?v0 a owl:NamedIndividual }
      FILTER EXISTS { ?qa a okg:Quantity }
      ?claimB ?p0 ?v0 ; a ?kind ; ?figure ?qb .
      FILTER(STR(?claimA) < STR(?claimB))
      FILTER NOT EXISTS {
        ?kind okg:conflictScope ?p . ?claimA ?p ?v . FILTER NOT EXISTS { ?claimB ?p ?v } }
      FILTER NOT EXISTS {
        ?kind okg:conflictScope ?p . ?claimB ?p ?v . FILTER NOT EXISTS { ?claimA ?p ?v } }
    }
  }
  ?qa okg:statedAs ?statedA . ?qb okg:statedAs ?statedB .
  OPTIONAL { ?qa okg:low ?lowA } OPTIONAL { ?qa okg:high ?highA } OPTIONAL { ?qa okg:pointValue ?pointA }
  OPTIONAL { ?qb okg:low ?lowB } OPTIONAL { ?qb okg:high ?highB } OPTIONAL { ?qb okg:pointValue ?pointB }
  FILTER(COALESCE(STR(?lowA), "-") != COALESCE(STR(?lowB), "-")
         || COALESCE(STR(?highA), "-") != COALESCE(STR(?highB), "-")
         || COALESCE(STR(?pointA), "-") != COALESCE(STR(?pointB), "-"))
  BIND(IF(BOUND(?lowA) && BOUND(?lowB),
          (!BOUND(?highB) || ?lowA <= ?highB) && (!BOUND(?highA) || ?lowB <= ?highA), true)
       AS ?overlap)
  OPTIONAL { ?claimA prov:hadPrimarySource/dcterms:title ?sourceA }
  OPTIONAL { ?claimB prov:hadPrimarySource/dcterms:title ?sourceB }
  OPTIONAL { ?claimA okg:quote ?quoteA }
  OPTIONAL { ?claimB okg:quote ?quoteB }
  BIND(STRAFTER(STR(?claimA), "https://w3id.org/okg/id/") AS ?a)
  BIND(STRAFTER(STR(?claimB), "https://w3id.org/okg/id/") AS ?b)
  OPTIONAL { ?claimA okg:shownIllustrative ?claimA_ill }
  OPTIONAL { ?claimB okg:shownIllustrative ?claimB_ill }
  BIND(COALESCE(?claimA_ill, ?claimB_ill, false) AS ?illustrative)
  FILTER(?include_illustrative = true || ?illustrative = false)
}
ORDER BY STR(?kind) STR(?figure) ?a ?b COALESCE(STR(?quoteA), "") COALESCE(STR(?quoteB), "")
"""
OLD = parse_query("conflicting-claims-reference", OLD_QUERY)

# The former pairing test alone: are two claims of a class about the same figure?
SAME_FIGURE_ASK = """ASK {
  ?kind okg:conflictScope ?p0 .
  FILTER NOT EXISTS {
    ?kind okg:conflictScope ?p . ?claimA ?p ?v . FILTER NOT EXISTS { ?claimB ?p ?v } }
  FILTER NOT EXISTS {
    ?kind okg:conflictScope ?p . ?claimB ?p ?v . FILTER NOT EXISTS { ?claimA ?p ?v } }
}"""

OKG_NS = str(OKG)
D = "https://w3id.org/okg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
DCT_TITLE = "http://purl.org/dc/terms/title"
PRIMARY = "http://www.w3.org/ns/prov#hadPrimarySource"
DEC = "http://www.w3.org/2001/XMLSchema#decimal"


def _rows(kg, query, **params) -> list[tuple]:
    return [tuple(map(str, r)) for r in run_query(kg, query, params).rows]


def _pairs(kg) -> list[tuple[str, str]]:
    rows = run_query(kg, "conflicting-claims")
    i, j = rows.columns.index("claimA"), rows.columns.index("claimB")
    return [(str(r[i]), str(r[j])) for r in rows.rows]


def _same_rows(kg) -> int:
    """The new query and the reference give the same rows, in the same order, with and
    without illustrative facts; returns how many."""
    n = 0
    for ill in ("false", "true"):
        old = _rows(kg, OLD, include_illustrative=ill)
        new = _rows(kg, "conflicting-claims", include_illustrative=ill)
        assert new == old
        n += len(old)
    return n


# -- planted claims -----------------------------------------------------------------------


class Quads:
    """N-Quads of one source graph, with the shapes the loader writes (source, title, quote)."""

    def __init__(self, source: str):
        self.g = f"<{source_graph(source)}>"
        self.src = f"<{source_node(source)}>"
        self.lines: list[str] = []
        self.add(self.src, RDF_TYPE, f"<{OKG_NS}Source>")
        self.add(self.src, DCT_TITLE, f'"planted {source}"')

    def add(self, s: str, p: str, o: str) -> None:
        p = p if p.startswith("<") else f"<{p}>"
        self.lines.append(f"{s} {p} {o} {self.g} .\n")

    def claim(self, name: str, cls: str, scope: dict[str, list[str]], figure=None) -> str:
        """A claim of class *cls* with scope values (IRIs under okg/id/ or okg: terms) and,
        when *figure* (low, high) is given, a headcount Quantity."""
        c = f"<{D}planted/{name}>"
        self.add(c, RDF_TYPE, f"<{OKG_NS}{cls}>")
        self.add(c, PRIMARY, self.src)
        self.add(c, f"{OKG_NS}quote", f'"quote of {name}"@en')
        for prop, values in scope.items():
            for v in values:
                self.add(c, f"{OKG_NS}{prop}", v if v.startswith("<") else f"<{D}{v}>")
        if figure is not None:
            low, high = figure
            q = f"<{D}planted/{name}/q>"
            self.add(c, f"{OKG_NS}headcount", q)
            self.add(q, RDF_TYPE, f"<{OKG_NS}Quantity>")
            self.add(q, f"{OKG_NS}statedAs", f'"{low}–{high}"')
            self.add(q, f"{OKG_NS}low", f'"{low}"^^<{DEC}>')
            self.add(q, f"{OKG_NS}high", f'"{high}"^^<{DEC}>')
        return c

    def data(self) -> bytes:
        return "".join(self.lines).encode("utf-8")


PERM, TEMP = f"<{OKG_NS}Permanent>", f"<{OKG_NS}Temporary>"


def planted() -> bytes:
    """Claims the two tests of the former query tell apart: same set (a conflict), a subset,
    a superset, another employment type, several values of one property, reference values
    only, no scope value at all, and equal figures."""
    q = Quads("planted-conflicts")
    e, s1, s2 = ["planted/employer"], ["planted/site-1"], ["planted/site-2"]
    base = {"employer": e, "workplace": s1, "employmentType": [PERM]}
    q.claim("w-a", "Workforce", base, (100, 110))
    q.claim("w-b", "Workforce", base, (120, 130))  # conflicts with w-a
    q.claim("w-c", "Workforce", base, (100, 110))  # same figure as w-a: only w-b differs
    q.claim("w-sub", "Workforce", {"employer": e, "employmentType": [PERM]}, (1, 2))
    q.claim("w-sup", "Workforce", {**base, "attributedTo": ["planted/contract"]}, (3, 4))
    q.claim("w-temp", "Workforce", {**base, "employmentType": [TEMP]}, (5, 6))
    two = {**base, "workplace": s1 + s2}
    q.claim("w-two-1", "Workforce", two, (7, 8))
    q.claim("w-two-2", "Workforce", two, (9, 10))
    q.claim("w-site2", "Workforce", {**base, "workplace": s2}, (11, 12))
    q.claim("w-ref-1", "Workforce", {"employmentType": [PERM]}, (13, 14))
    q.claim("w-ref-2", "Workforce", {"employmentType": [PERM]}, (15, 16))  # no data entity
    q.claim("w-none-1", "Workforce", {}, (17, 18))
    q.claim("w-none-2", "Workforce", {}, (19, 20))  # no scope value at all
    return q.data()


def _bulk(kg, *inputs: bytes) -> None:
    report = bulk_load(kg, list(inputs), check=False)
    assert report.quads > 0


# -- the rows are the former query's ----------------------------------------------------


def test_the_derive_rule_is_a_step_of_the_registry():
    rule = queries_dir() / "derive" / "70_conflict_key.rq"
    assert step_of(rule.read_text(encoding="utf-8")) is conflict_key
    with pytest.raises(KeyError, match="unknown step"):
        step_of("# step: no_such_step\nSELECT * {}")


def test_seed_data_same_rows_as_the_former_query(queries_seed_kg, queries_seed_kg_rdflib):
    assert _same_rows(queries_seed_kg) > 0
    # rdflib takes minutes on the former text: its rows are compared with the reference's
    for ill in ("false", "true"):
        new = _rows(queries_seed_kg_rdflib, "conflicting-claims", include_illustrative=ill)
        assert new == _rows(queries_seed_kg, OLD, include_illustrative=ill)
    for kg in (queries_seed_kg, queries_seed_kg_rdflib):
        _every_claim_has_its_key(kg)


def _every_claim_has_its_key(kg) -> None:
    # every claim of a class with a conflict scope has one key per such class
    missing = kg.query("""SELECT ?c WHERE { ?k okg:conflictScope ?p . ?c a ?k .
        FILTER NOT EXISTS { ?c okg:conflictKey ?key . FILTER(STRBEFORE(?key, " ") = STR(?k)) } }""")
    assert missing.rows == []


def test_seed_keys_are_the_same_on_both_engines(queries_seed_kg, queries_seed_kg_rdflib):
    q = "SELECT ?c ?k WHERE { ?c okg:conflictKey ?k }"
    ox_keys = {(str(c), str(k)) for c, k in queries_seed_kg.query(q).rows}
    rdf_keys = {(str(c), str(k)) for c, k in queries_seed_kg_rdflib.query(q).rows}
    assert ox_keys and ox_keys == rdf_keys


@pytest.fixture(scope="module")
def generated_kg(tmp_path_factory):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    gen = importlib.import_module("benchmarks.generate")
    nq = tmp_path_factory.mktemp("generated") / "g.nq"
    gen.write_nquads(gen.generate(10_000, seed=2), nq)
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    _bulk(kg, nq.read_bytes(), planted())
    return kg


def test_generated_data_with_planted_claims_same_rows(generated_kg):
    assert _same_rows(generated_kg) > 0
    pairs = {p for p in _pairs(generated_kg) if p[0].startswith("planted/")}
    assert pairs == {
        ("planted/w-a", "planted/w-b"),
        ("planted/w-b", "planted/w-c"),
        ("planted/w-two-1", "planted/w-two-2"),
    }


# -- same key iff same class and same scope set -------------------------------------------

CLASSES = ["Workforce", "Contract"]
SCOPE = {
    "Workforce": ("employer", "workplace", "attributedTo", "employmentType"),
    "Contract": ("client", "provider", "contractLanguage"),
}
PROPS = ["employer", "workplace", "client", "provider", "note"]  # note: no conflict scope
VALUES = [f"<{D}v/a>", f"<{D}v/b>", '"a"', '"a"@fr', f'"1"^^<{DEC}>', PERM]

claim_st = st.tuples(
    st.sampled_from(CLASSES),
    st.frozensets(st.tuples(st.sampled_from(PROPS), st.sampled_from(VALUES)), max_size=4),
)


@pytest.fixture(scope="module")
def vocab_kg():
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    return kg


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(claims=st.lists(claim_st, min_size=2, max_size=7))
def test_same_key_iff_same_class_and_scope_set(vocab_kg, claims):
    kg = vocab_kg
    for g in [g for g in kg.graph_names() if "/source/" in g]:
        kg.remove_source(g.rsplit("/", 1)[1])
    q = Quads("random-claims")
    iris = []
    for i, (cls, pairs) in enumerate(claims):
        c = f"<{D}random/c{i}>"
        iris.append(c)
        q.add(c, RDF_TYPE, f"<{OKG_NS}{cls}>")
        for p, v in sorted(pairs):
            q.add(c, f"{OKG_NS}{p}", v)
    _bulk(kg, q.data())
    keys = {
        str(c): str(k) for c, k in kg.query("SELECT ?c ?k WHERE { ?c okg:conflictKey ?k }").rows
    }
    assert len(keys) == len(claims)  # one key each (one class each)
    for (i, (ci, pi)), (j, (cj, pj)) in itertools.combinations(enumerate(claims), 2):
        same = ci == cj and {x for x in pi if x[0] in SCOPE[ci]} == {
            x for x in pj if x[0] in SCOPE[cj]
        }
        a, b = iris[i][1:-1], iris[j][1:-1]
        assert (keys[a] == keys[b]) == same, (claims[i], claims[j])
        if ci == cj:  # the former query's test says the same
            terms = {"claimA": URIRef(a), "claimB": URIRef(b), "kind": OKG[ci]}
            assert kg.ask(SAME_FIGURE_ASK, terms) == same


# -- removing a source rebuilds the keys --------------------------------------------------


def test_removing_a_source_rebuilds_the_keys():
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    one = Quads("planted-one")
    base = {"employer": ["planted/employer"], "employmentType": [PERM]}
    one.claim("r-1", "Workforce", base, (10, 20))
    one.claim("r-2", "Workforce", base, (30, 40))
    two = Quads("planted-two")  # a second source adds a site to r-2: another figure then
    two.add(f"<{D}planted/r-2>", f"{OKG_NS}workplace", f"<{D}planted/site>")
    _bulk(kg, one.data(), two.data())

    def key(name):
        c = URIRef(f"{D}planted/{name}")
        rows = kg.query("SELECT ?k WHERE { ?c okg:conflictKey ?k }", {"c": c}).rows
        assert len(rows) == 1
        return str(rows[0][0])

    assert key("r-1") != key("r-2")
    assert _rows(kg, "conflicting-claims") == [] == _rows(kg, OLD)
    assert kg.remove_source("planted-two")
    assert key("r-1") == key("r-2")
    assert _pairs(kg) == [("planted/r-1", "planted/r-2")]
    assert _rows(kg, "conflicting-claims") == _rows(kg, OLD)
    assert kg.remove_source("planted-one")
    assert kg.query("SELECT ?c WHERE { ?c okg:conflictKey ?k }").rows == []
