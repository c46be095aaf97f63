"""The store: named graph per source, idempotent reload, exact removal, exports, derived facts."""

from __future__ import annotations

from pathlib import Path

import pytest
from okg.store import KnowledgeGraph
from okg.terms.namespaces import DERIVED_GRAPH, OKG, OKGD, source_graph
from okg.terms.resources import data_dir
from rdflib import BNode, Dataset, URIRef

SEED = [
    data_dir() / "totalenergies-ikanbi-2025.yaml",
    data_dir() / "assahafa-2025-05-25-telemarketing-ban.yaml",
]
TOTAL = "totalenergies-ikanbi-relocation"
BAN = "assahafa-2025-05-25-telemarketing-ban"


def quads(kg: KnowledgeGraph) -> set:
    """The store's quads without blank nodes (a parse gives them fresh ids)."""
    ds = Dataset()
    ds.parse(data=kg.export("nquads"), format="nquads")
    return {
        (s, p, o, str(getattr(g, "identifier", g)))
        for s, p, o, g in ds.quads()
        if not isinstance(s, BNode) and not isinstance(o, BNode)
    }


@pytest.fixture(params=["oxigraph", "rdflib"])
def seeded(request) -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory(request.param)
    kg.install_vocabulary()
    kg.load(SEED)
    return kg


def test_each_source_has_its_graph(seeded):
    ids = {s.source_id for s in seeded.sources()}
    assert ids == {TOTAL, BAN}
    assert str(DERIVED_GRAPH) in seeded.graph_names()


def test_reload_is_idempotent(seeded):
    before = quads(seeded)
    seeded.load(SEED)
    assert quads(seeded) == before


def test_remove_source_removes_exactly_its_facts(seeded):
    before = quads(seeded)
    other = {q for q in before if q[3] == str(source_graph(BAN))}
    assert seeded.remove_source(TOTAL)
    after = quads(seeded)
    assert not any(q[3] == str(source_graph(TOTAL)) for q in after)
    assert {q for q in after if q[3] == str(source_graph(BAN))} == other
    # derived facts about the removed source are gone too
    assert not any(q[0] == OKGD["ikanbi"] for q in after)
    assert not seeded.remove_source(TOTAL)


def test_every_fact_has_source_and_quote(seeded):
    rows = seeded.query("""
        SELECT DISTINCT ?x WHERE {
          ?x a okg:Fact .
          FILTER NOT EXISTS { ?x prov:hadPrimarySource ?s ; okg:quote ?q }
          FILTER NOT EXISTS { ?x okg:illustrative true }
        }""").rows
    assert rows == []
    quote = seeded.query(
        "SELECT ?q WHERE { ?x okg:quote ?q }", {"x": OKGD[f"{TOTAL}/ikanbi-jobs-163"]}
    ).rows[0][0]
    assert quote.language == "ar" and "163" in str(quote)


def test_figures_keep_how_they_were_stated(seeded):
    rows = seeded.query(
        """
        SELECT ?stated ?low ?high ?point ?qual WHERE {
          ?x okg:headcount ?q . ?q okg:statedAs ?stated ; okg:qualifier ?qual .
          OPTIONAL { ?q okg:low ?low } OPTIONAL { ?q okg:high ?high } OPTIONAL { ?q okg:pointValue ?point }
        }""",
        {"x": OKGD[f"{TOTAL}/ikanbi-jobs-150"]},
    ).python()
    assert rows == [
        {
            "stated": "more than 150",
            "low": 151,
            "high": None,
            "point": None,
            "qual": str(OKG.LowerBound),
        }
    ]
    vague = seeded.query(
        """
        SELECT ?low ?high WHERE { ?x okg:headcount ?q . ?q okg:low ?low ; okg:high ?high }""",
        {"x": OKGD[f"{BAN}/ma-cc-workforce"]},
    ).python()
    assert vague == [{"low": 200000, "high": 999999}]


def test_sector_classes_are_core_classes_after_derivation(seeded):
    assert seeded.ask("ASK { ?x a okg:Firm }", {"x": OKGD["ikanbi"]})
    assert seeded.ask(
        "ASK { ?f okg:hasSite ?s . ?s okg:locatedIn ?c }",
        {"f": OKGD["ikanbi"], "c": URIRef("https://w3id.org/okg/id/country/BE")},
    )


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld", "turtle", "ntriples"])
def test_export_formats(seeded, fmt):
    data = seeded.export(fmt)
    assert len(data) > 1000
    if fmt in ("trig", "nquads"):
        ds = Dataset()
        ds.parse(data=data, format={"trig": "trig", "nquads": "nquads"}[fmt])
        assert any(
            str(getattr(g, "identifier", g)) == str(source_graph(TOTAL)) for g in ds.graphs()
        )


def test_on_disk_store_persists(tmp_path):
    kg = KnowledgeGraph.open(tmp_path / "store")
    kg.install_vocabulary()
    kg.load(SEED)
    n = kg.backend.count()
    del kg
    again = KnowledgeGraph.open(tmp_path / "store")
    assert again.backend.count() == n


def test_bound_parameters_cannot_change_a_query(seeded):
    hostile = "\"} ; DROP ALL ; { # \n \\ ' {"
    from rdflib import Literal

    rows = seeded.query("SELECT ?x WHERE { ?x rdfs:label ?l }", {"l": Literal(hostile)}).rows
    assert rows == []
    assert seeded.sources()


def test_stats(seeded):
    st = seeded.stats()
    assert dict(st["classes"])["okg:Workforce"] == 7
    assert any(g.endswith(TOTAL) for g, _ in st["graphs"])


def test_csv_loader(tmp_path):
    (tmp_path / "firms.source.yaml").write_text(
        "source: {id: csv-src, title: Register extract, language: fr}\nmodules: [call_centres]\n",
        encoding="utf-8",
    )
    (tmp_path / "firms.csv").write_text(
        "id,type,label@fr,country,sector,quote\n"
        "callco,cc:ContactCentreOperator,CallCo,MA,82.20,CallCo SARL\n"
        "buyer,Firm,Buyer SA,FR,,Buyer SA\n",
        encoding="utf-8",
    )
    (tmp_path / "jobs.source.yaml").write_text(
        "source: {id: csv-jobs, title: Jobs table, language: fr}\n", encoding="utf-8"
    )
    (tmp_path / "jobs.csv").write_text(
        "id,type,employer,employmentType,headcount,quote\n"
        "w1,Workforce,callco,permanent,about 120,environ 120 salariés\n"
        "w2,Workforce,callco,temporary,15 to 20,15 à 20 intérimaires\n",
        encoding="utf-8",
    )
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([tmp_path / "firms.csv", tmp_path / "jobs.csv"])
    rows = kg.query(
        "SELECT ?low ?high WHERE { ?w okg:employer ?f ; okg:headcount ?q . "
        "?q okg:low ?low ; okg:high ?high } ORDER BY ?low",
        {"f": OKGD["callco"]},
    ).python()
    assert rows == [{"low": 15, "high": 20}, {"low": 108, "high": 132}]


def test_csv_errors_name_line_and_column(tmp_path):
    from okg.loaders import LoadError, read_files

    (tmp_path / "t.source.yaml").write_text(
        "source: {id: t, title: T, language: fr}\n", encoding="utf-8"
    )
    (tmp_path / "t.csv").write_text(
        "id,type,employer,employmentType,headcount,quote\nw1,Workforce,nobody,permanent,12,q\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as exc:
        read_files([tmp_path / "t.csv"])
    (e,) = exc.value.errors
    assert (e.line, e.field) == (2, "employer")


def test_rdf_loader_and_parse_error(tmp_path):
    good = tmp_path / "extra.ttl"
    good.write_text(
        "@prefix okg: <https://w3id.org/okg/ontology#> .\n"
        "<https://w3id.org/okg/id/x> a okg:Firm .\n",
        encoding="utf-8",
    )
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([good], check_shapes=False)
    assert "rdf:extra.ttl" in {s.source_id for s in kg.sources()}
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        "@prefix okg: <https://w3id.org/okg/ontology#> .\n\nokg:a okg:b \n", encoding="utf-8"
    )
    from okg.loaders import LoadError, read_files

    with pytest.raises(LoadError) as exc:
        read_files([bad])
    assert exc.value.errors[0].file == str(bad)


def test_bundled_data_pack_is_found():
    names = {p.name for p in data_dir().glob("*.yaml")}
    assert {"totalenergies-ikanbi-2025.yaml", "assahafa-2025-05-25-telemarketing-ban.yaml"} <= names
    assert (Path(data_dir()) / "sources" / "003_b2d60d8055a074e6.txt").exists()
