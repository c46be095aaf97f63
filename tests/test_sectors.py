"""Sector modules: listing, lint, scaffolding, ``okg sector check`` on every shipped module, and the
automotive example whose plant stoppage in Europe reaches harness jobs in Morocco."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from okg.analysis.impact import reached_nodes, run_impact
from okg.analysis.projection import project
from okg.cli import app
from okg.loaders import read_files
from okg.queries.canned import load_file, run_query
from okg.store.sectors import (
    SectorError,
    default_prefix,
    lint_module,
    list_modules,
    scaffold,
    use_sector_path,
)
from okg.store.shacl import check_bundles
from okg.terms.namespaces import OKG, OKGD, source_graph
from okg.terms.resources import SECTOR_PATH_ENV, data_dir, queries_dir
from okg.terms.vocabulary import discover_modules, load_vocabulary
from typer.testing import CliRunner

AUTO = "https://w3id.org/okg/sector/automotive#"
SCENARIO = "automotive-harness-illustrative"
STOPPAGE = OKGD[f"{SCENARIO}/eurocar-plant-stoppage"]
java = pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
runner = CliRunner()


@pytest.fixture(autouse=True)
def own_sector_path(monkeypatch):
    """Each test starts with no user modules; CLI calls that change the path are undone."""
    monkeypatch.setenv(SECTOR_PATH_ENV, "")


# -- listing and the sector path -----------------------------------------------------------------


def test_list_shows_the_shipped_modules_with_counts():
    summaries = {s.name: s for s in list_modules()}
    assert {"automotive", "call_centres"} <= set(summaries)
    auto = summaries["automotive"]
    assert (auto.module.prefix, auto.origin) == ("auto", "bundled")
    assert auto.classes >= 6 and auto.properties >= 3 and auto.individuals >= 3
    result = runner.invoke(app, ["sector", "list"])
    assert result.exit_code == 0, result.output
    assert "automotive" in result.output and "call_centres" in result.output


def test_use_sector_path_puts_folders_first_without_duplicates(tmp_path, monkeypatch):
    a, b = tmp_path / "a", tmp_path / "b"
    monkeypatch.setenv(SECTOR_PATH_ENV, str(b))
    use_sector_path([a, b])
    import os

    assert os.environ[SECTOR_PATH_ENV].split(os.pathsep) == [str(a.resolve()), str(b.resolve())]


def test_default_prefix():
    assert default_prefix("aero_parts") == "aeropart"
    assert default_prefix("textiles") == "textiles"


# -- lint on hand-built modules ----------------------------------------------------------------

GOOD = """\
@prefix ex:   <https://example.org/ex#> .
@prefix okg:  <https://w3id.org/okg/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<https://example.org/ex> a owl:Ontology ; {imports}
    okg:sectorModule "ex" ; okg:prefix "ex" .

ex:Mill a owl:Class ; rdfs:subClassOf {superclass} ;
    rdfs:label "mill"@en , "filature"@fr , "مغزل"@ar ;
    skos:definition "A spinning mill."@en , "Une filature."@fr , {ar_definition} .

ex:spunFor a owl:ObjectProperty ; rdfs:subPropertyOf {superproperty} ; okg:key "exSpunFor" ;
    rdfs:label "spun for"@en , "filé pour"@fr , "مغزول لـ"@ar ;
    skos:definition "Client."@en , "Client."@fr , "الزبون."@ar .

ex:Spinning a okg:Activity , owl:NamedIndividual ; okg:key "{activity_key}" ;
    rdfs:label "spinning"@en , "filage"@fr , "غزل"@ar ;
    skos:definition "Spinning yarn."@en , "Filer."@fr , "غزل الخيوط."@ar .
"""
GOOD_VALUES = {
    "imports": "owl:imports <https://w3id.org/okg/ontology> ;",
    "superclass": "okg:Firm",
    "ar_definition": '"مصنع غزل."@ar',
    "superproperty": "okg:client",
    "activity_key": "ex-spinning",
}


def lint(tmp_path: Path, monkeypatch, **changes) -> list[str]:
    text = GOOD
    for k, v in {**GOOD_VALUES, **changes}.items():
        text = text.replace("{" + k + "}", v)
    (tmp_path / "ex.ttl").write_text(text, encoding="utf-8")
    monkeypatch.setenv(SECTOR_PATH_ENV, str(tmp_path))
    return lint_module(discover_modules()["ex"], load_vocabulary())


def test_lint_accepts_a_complete_module(tmp_path, monkeypatch):
    assert lint(tmp_path, monkeypatch) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"imports": ""}, "does not owl:imports the core"),
        ({"ar_definition": '"x"@en'}, "ex:Mill has no skos:definition in ar"),
        (
            {"superclass": "okg:Factory"},
            "rdfs:subClassOf okg:Factory, which is not a declared class",
        ),
        ({"superproperty": "okg:customer"}, "okg:customer, which is not a declared property"),
        (
            {"activity_key": "telemarketing"},
            "key 'telemarketing' of ex:Spinning is also the key of cc:Telemarketing",
        ),
    ],
)
def test_lint_names_each_problem(tmp_path, monkeypatch, change, expected):
    problems = lint(tmp_path, monkeypatch, **change)
    assert any(expected in p for p in problems), problems


def test_shipped_modules_pass_lint():
    voc = load_vocabulary()
    for name, module in discover_modules().items():
        assert lint_module(module, voc) == [], name


# -- okg sector check ----------------------------------------------------------------------------


@java
@pytest.mark.reasoner
@pytest.mark.parametrize("name", ["call_centres", "automotive"])
def test_sector_check_passes_on_every_shipped_module(name):
    result = runner.invoke(app, ["sector", "check", name])
    assert result.exit_code == 0, result.output
    assert "HermiT: consistent" in result.output
    assert result.output.strip().endswith(f"{name}: ok")


def test_every_shipped_module_is_covered_by_the_check_test():
    bundled = {m.name for m in list_modules() if m.origin == "bundled"}
    assert bundled == {"call_centres", "automotive"}


def test_sector_check_reports_a_shape_violation_in_the_example(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (data_dir() / f"{SCENARIO}.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("    halts: eurocar\n", ""), encoding="utf-8")
    result = runner.invoke(
        app, ["sector", "check", "automotive", "--no-reasoner", "--example", str(bad)]
    )
    assert result.exit_code == 1
    assert "A plant stoppage names the firm it halts" in result.output


def test_sector_check_unknown_module_is_one_line_error():
    result = runner.invoke(app, ["sector", "check", "nosuch"])
    assert result.exit_code == 1
    assert "no sector module 'nosuch'" in result.output
    assert "Traceback" not in result.output


# -- scaffolding -------------------------------------------------------------------------------


def test_new_scaffolds_three_files_that_check_and_refuses_to_overwrite(tmp_path):
    folder = tmp_path / "sectors"
    result = runner.invoke(app, ["sector", "new", "textiles", "--dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        "test_textiles.py",
        "textiles-example.yaml",
        "textiles.ttl",
    ]
    before = (folder / "textiles.ttl").read_text(encoding="utf-8")
    again = runner.invoke(app, ["sector", "new", "textiles", "--dir", str(folder)])
    assert again.exit_code == 1 and "already exists" in again.output
    assert (folder / "textiles.ttl").read_text(encoding="utf-8") == before
    checked = runner.invoke(
        app, ["--sector-path", str(folder), "sector", "check", "textiles", "--no-reasoner"]
    )
    assert checked.exit_code == 0, checked.output
    assert "textiles:madeBy ⊑ okg:provider" in checked.output


def test_new_refuses_to_overwrite_any_file(tmp_path):
    (tmp_path / "test_weaving.py").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(SectorError, match="refusing to overwrite"):
        scaffold("weaving", tmp_path)
    assert not (tmp_path / "weaving.ttl").exists()
    assert (tmp_path / "test_weaving.py").read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad-Name"], "module name 'Bad-Name'"),
        (["weaving", "--prefix", "cc"], "prefix 'cc' is already used"),
        (["weaving", "--prefix", "9x"], "prefix '9x'"),
        (["weaving", "--namespace", "urn:x"], "namespace 'urn:x'"),
        (["automotive"], "already exists"),
    ],
)
def test_new_rejects_bad_names(tmp_path, args, message):
    result = runner.invoke(app, ["sector", "new", *args, "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert message in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_scaffolded_test_passes(tmp_path):
    scaffold("weaving", tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            str(tmp_path / "test_weaving.py"),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "failed" not in done.stdout


# -- the automotive example --------------------------------------------------------------------


def test_automotive_facts_are_written_with_the_sector_relations(seed_kg):
    """The fact file writes buyer/supplier; okg:client/provider only appear in the derived graph."""
    g = source_graph(SCENARIO)
    q = f"ASK {{ GRAPH ?g {{ ?c a <{AUTO}SupplyContract> ; <%s> ?x }} }}"
    assert seed_kg.ask(q % (AUTO + "buyer"), {"g": g})
    assert seed_kg.ask(q % (AUTO + "supplier"), {"g": g})
    assert not seed_kg.ask(q % OKG.client, {"g": g})
    assert not seed_kg.ask(q % OKG.provider, {"g": g})


def test_automotive_facts_are_all_illustrative(seed_kg):
    rows = seed_kg.query(
        """
        SELECT DISTINCT ?x WHERE {
          GRAPH ?g { ?x prov:hadPrimarySource ?s }
          FILTER NOT EXISTS { GRAPH ?g { ?x okg:illustrative true } }
        }""",
        {"g": source_graph(SCENARIO)},
    ).rows
    assert rows == []


def test_stoppage_reaches_moroccan_harness_jobs_along_core_relations(seed_kg):
    """The sector relations, seen as the core ones they refine, chain from the stoppage in France
    to the Moroccan suppliers' workforce and, across sectors, to a contact centre's jobs."""
    rows = seed_kg.query(
        """
        SELECT DISTINCT ?supplier ?jobs ?country WHERE {
          ?event okg:stops ?carmaker .
          ?contract okg:client ?carmaker ; okg:provider ?supplier .
          ?jobs okg:employer ?supplier ; okg:attributedTo ?contract .
          ?supplier okg:country ?c . ?c okg:countryCode ?country .
        }""",
        {"event": STOPPAGE},
    ).python()
    assert {(r["supplier"], r["country"]) for r in rows} == {
        (str(OKGD["harness-alpha"]), "MA"),
        (str(OKGD["harness-beta"]), "MA"),
    }
    cross = seed_kg.query(
        """
        SELECT DISTINCT ?operator WHERE {
          ?event okg:stops ?carmaker .
          ?c1 okg:client ?carmaker ; okg:provider ?supplier .
          ?c2 okg:client ?supplier ; okg:provider ?operator .
          ?operator a <https://w3id.org/okg/sector/call-centres#ContactCentreOperator> .
        }""",
        {"event": STOPPAGE},
    ).rows
    assert cross == [(OKGD["atlas-contact"],)]


def test_impact_of_the_stoppage_reaches_the_moroccan_harness_jobs(seed_kg):
    result = run_impact(seed_kg, "eurocar-plant-stoppage", include_illustrative=True)
    rows = {row.actor: row for row in result.rows}
    for supplier in ("harness-alpha", "harness-beta"):
        row = rows[str(OKGD[supplier])]
        assert row.country == "MA"
        assert row.jobs.known and row.jobs.low is not None and row.jobs.low > 0
        assert any(step.predicate in (AUTO + "supplier", AUTO + "buyer") for step in row.chain)
    assert str(OKGD["atlas-contact"]) in rows
    reached = set(reached_nodes(result))
    for jobs in ("harness-alpha-jobs", "harness-beta-jobs", "atlas-contact-jobs"):
        assert str(OKGD[f"{SCENARIO}/{jobs}"]) in reached
    ma = [c for c in result.countries if c.country == "MA"]
    assert ma and ma[0].lost.low is not None and ma[0].lost.low > 0


def test_project_and_sector_relation_keep_their_own_predicate(seed_kg):
    G = project(seed_kg)
    preds = {d["predicate"] for _, _, d in G.edges(data=True) if d["relation"] == str(OKG.provider)}
    assert AUTO + "supplier" in preds
    assert str(STOPPAGE) in G


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True))
@example(name="true")  # a YAML boolean when unquoted
@example(name="a")  # the Turtle keyword for rdf:type
def test_any_valid_name_scaffolds_a_module_that_lints_and_loads_clean(
    tmp_path_factory, monkeypatch, name
):
    folder = tmp_path_factory.mktemp("scaffold")
    monkeypatch.setenv(SECTOR_PATH_ENV, "")
    taken = set(load_vocabulary().prefixes) | {m.prefix for m in discover_modules().values()}
    if name in discover_modules() or default_prefix(name) in taken:
        with pytest.raises(SectorError):
            scaffold(name, folder)
        return
    scaffold(name, folder)
    monkeypatch.setenv(SECTOR_PATH_ENV, str(folder))
    voc = load_vocabulary()
    assert lint_module(discover_modules()[name], voc) == []
    bundles = read_files([folder / f"{name}-example.yaml"], voc)
    assert check_bundles(bundles, voc) == []


# -- fact files and module terms ---------------------------------------------------------------


def _fact_file(tmp_path: Path, modules: str, record: str) -> Path:
    path = tmp_path / "facts.yaml"
    path.write_text(
        f"""\
okg: 1
source: {{id: sector-terms, title: T, language: en, note: "Illustrative."}}
modules: {modules}
facts:
{record}""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("modules", "record", "expected"),
    [
        (
            "[]",
            "  - {id: x, type: auto:Carmaker, label: X, illustrative: true}\n",
            ":5: [type] 'auto:Carmaker' belongs to sector module 'automotive', which this file does not",
        ),
        (
            "[automotive]",
            "  - {id: x, type: auto:Carmakr, label: X, illustrative: true}\n",
            ":5: [type] unknown type 'auto:Carmakr'",
        ),
        (
            "[automotive]",
            "  - id: x\n    type: auto:SupplyContract\n    buyer: nobody\n    illustrative: true\n",
            ":7: [buyer] unknown economic actor 'nobody'",
        ),
    ],
)
def test_sector_terms_in_fact_files_are_checked_with_file_and_line(
    tmp_path, modules, record, expected
):
    result = runner.invoke(app, ["validate", str(_fact_file(tmp_path, modules, record))])
    assert result.exit_code == 1
    assert expected in result.output, result.output


INCONSISTENT_MODULE = """\
@prefix bad:  <https://example.org/bad#> .
@prefix okg:  <https://w3id.org/okg/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://example.org/bad> a owl:Ontology ; owl:imports <https://w3id.org/okg/ontology> ;
    okg:sectorModule "bad" ; okg:prefix "bad" .
bad:PlantFirm a owl:Class ; rdfs:subClassOf okg:Site , okg:Firm ;
    rdfs:label "plant firm"@en , "usine entreprise"@fr , "مصنع شركة"@ar ;
    skos:definition "Wrong on purpose."@en , "Faux exprès."@fr , "خطأ متعمد."@ar .
"""


@java
@pytest.mark.reasoner
def test_sector_check_names_what_the_reasoner_finds_inconsistent(tmp_path):
    (tmp_path / "bad.ttl").write_text(INCONSISTENT_MODULE, encoding="utf-8")
    _fact_file(
        tmp_path,
        "[bad]",
        "  - {id: bad-plant, type: bad:PlantFirm, label: P, siteOf: bad-plant,"
        " country: MA, illustrative: true}\n",
    )
    result = runner.invoke(app, ["--sector-path", str(tmp_path), "sector", "check", "bad"])
    assert result.exit_code == 1
    assert "problem: HermiT: the ontology and data are inconsistent" in result.output
    assert "bad-plant" in result.output and "disjoint" in result.output


def test_canned_who_serves_client_lists_the_harness_suppliers_of_the_carmaker(seed_kg):
    query = load_file(queries_dir() / "who-serves-client.rq")
    rows = run_query(
        seed_kg, query, {"client": "eurocar", "include_illustrative": "true"}, "en"
    ).dicts()
    assert {(str(r["provider"]), str(r["activity"])) for r in rows} == {
        ("Harness Alpha (fictional supplier)", "wiring-harness assembly"),
        ("Harness Alpha (fictional supplier)", "cable cutting and crimping"),
        ("Harness Beta (fictional supplier)", "seat-cover sewing"),
    }
