"""Issue 11, item 7: facts marked illustrative stay out of default answers (queries, impact,
analyze, viz) and are marked when ``--include-illustrative`` asks for them."""

import json
from pathlib import Path

import pytest
from okg.analysis.projection import for_answers, illustrative_nodes, project, real_only
from okg.cli import app
from okg.queries.canned import QueryError, catalog, resolve, run_query
from okg.store import KnowledgeGraph
from okg.terms.namespaces import OKGD
from okg.terms.resources import data_dir
from okg.viz.extract import extract
from typer.testing import CliRunner

runner = CliRunner()

REAL_TANGIER = """okg: 1
source:
  id: tangier-real
  title: "Hand-written test source naming Tangier"
  language: en
facts:
  - id: tangier
    type: City
    label: {en: Tangier}
    country: MA
    quote: "Tangier"

  - id: harness-beta
    type: Firm
    label: {en: Harness Beta}
    country: MA
    quote: "Harness Beta"
"""


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("illustrative") / "store"
    done = runner.invoke(app, ["build", "--store", str(folder)])
    assert done.exit_code == 0, done.output
    return folder


def okg(*args):
    return runner.invoke(app, list(args))


def _json_rows(text: str) -> list[dict]:
    data = json.loads(text)
    return data["rows"] if isinstance(data, dict) else data


def test_query_jobs_leaves_illustrative_rows_out(store):
    plain = okg("query", "jobs", "--store", str(store), "--format", "json")
    assert plain.exit_code == 0, plain.output
    rows = _json_rows(plain.stdout)
    employers = {r["employer"] for r in rows}
    assert "IKANBI" in employers
    assert not any("Harness" in e or "fictional" in e for e in employers)
    assert {r["illustrative"] for r in rows} == {False}
    table = okg("query", "jobs", "--store", str(store))
    assert "Harness Alpha" not in table.stdout and "IKANBI" in table.stdout


def test_query_jobs_with_the_flag_marks_them(store):
    done = okg("query", "jobs", "--store", str(store), "--format", "json", "--include-illustrative")
    assert done.exit_code == 0, done.output
    rows = _json_rows(done.stdout)
    marks = {r["employer"]: r["illustrative"] for r in rows}
    assert marks["Harness Alpha (fictional supplier)"] is True
    assert marks["Atlas Contact (fictional contact centre)"] is True
    assert marks["IKANBI"] is False
    # the parameter itself, typed boolean and bound (never pasted)
    same = okg("query", "jobs", "--store", str(store), "--format", "json", "-p",
               "include_illustrative=true")  # fmt: skip
    assert _json_rows(same.stdout) == rows
    bad = okg("query", "jobs", "--store", str(store), "-p", "include_illustrative=maybe")
    assert bad.exit_code == 1 and "not a boolean" in bad.output


def test_every_fact_listing_query_has_the_parameter():
    listing = {n for n, q in catalog().items() if q.param("include_illustrative")}
    assert listing >= {
        "jobs",
        "who-serves-client",
        "contracts-in-window",
        "relocations",
        "timeline",
        "market-dependence",
        "regulation-exposure",
        "downstream",
        "find-entity",
        "provenance",
        "conflicting-claims",
        "concentration",
    }
    for name in listing:
        q = resolve(name)
        assert q.columns[-1] == "illustrative", name
        assert q.param("include_illustrative").default == "false", name
    with pytest.raises(QueryError):
        resolve("jobs").terms({"include_illustrative": "perhaps"})


def test_queries_on_the_seed(seed_kg):
    for name, q in catalog().items():
        if not q.param("include_illustrative"):
            continue
        default = run_query(seed_kg, name).python()
        assert not any(r["illustrative"] for r in default), name
        both = run_query(seed_kg, name, {"include_illustrative": "true"}).python()
        assert len(both) >= len(default), name
    timeline = run_query(seed_kg, "timeline", {"include_illustrative": "true"}).python()
    made_up = [r for r in timeline if r["illustrative"]]
    assert [r["event"] for r in made_up] == ["Eurocar stops its assembly plant for four weeks"]


def test_analyze_leaves_out_and_marks(store):
    plain = okg("analyze", "--store", str(store), "--as-of", "2026-09-01")
    assert plain.exit_code == 0, plain.output
    assert "Eurocar" not in plain.stdout and "Harness" not in plain.stdout
    assert "illustrative" in plain.stdout  # the assumption says they are left out
    data = json.loads(
        okg("analyze", "--store", str(store), "--format", "json", "--as-of", "2026-09-01").stdout
    )
    assert not any(f["illustrative"] for f in data["failures"])
    assert data["include_illustrative"] is False
    asked = okg("analyze", "--store", str(store), "--as-of", "2026-09-01", "--include-illustrative")
    assert asked.exit_code == 0, asked.output
    assert "Eurocar (fictional carmaker) (illustrative)" in asked.stdout
    full = json.loads(
        okg(
            "analyze",
            "--store",
            str(store),
            "--format",
            "json",
            "--as-of",
            "2026-09-01",
            "--include-illustrative",
        ).stdout
    )
    by = {f["node"].rsplit("/", 1)[-1]: f for f in full["failures"]}
    assert by["eurocar"]["illustrative"] is True
    assert by["ikanbi"]["illustrative"] is False


def test_impact_of_an_illustrative_event_says_so(store):
    done = okg("impact", "eurocar-plant-stoppage", "--store", str(store))
    assert done.exit_code == 1  # never an empty answer with exit 0
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.output
    assert "rests on illustrative facts" in lines[0] and "--include-illustrative" in lines[0]
    asked = okg(
        "impact",
        "eurocar-plant-stoppage",
        "--store",
        str(store),
        "--format",
        "json",
        "--include-illustrative",
    )
    assert asked.exit_code == 0, asked.output
    rows = json.loads(asked.stdout)["rows"]
    assert rows and all(r["illustrative"] for r in rows)
    md = okg(
        "impact",
        "eurocar-plant-stoppage",
        "--store",
        str(store),
        "--format",
        "md",
        "--include-illustrative",
    )
    assert "(illustrative)" in md.stdout


def test_impact_of_a_real_event_is_unchanged_by_the_flag(store):
    args = ["impact", "total-relocation", "--store", str(store), "--format", "json"]
    plain = json.loads(okg(*args, "--as-of", "2026-02-01").stdout)
    asked = json.loads(okg(*args, "--as-of", "2026-02-01", "--include-illustrative").stdout)
    assert [r["actor"] for r in plain["rows"]] == [r["actor"] for r in asked["rows"]]
    assert not any(r["illustrative"] for r in plain["rows"])


def test_projection_marks_nodes_and_edges(seed_kg):
    G = project(seed_kg)
    alpha = str(OKGD["harness-alpha"])
    assert G.nodes[alpha]["illustrative"] and not G.nodes[str(OKGD["ikanbi"])]["illustrative"]
    marked = [d for _, _, d in G.edges(data=True) if d["illustrative"]]
    assert marked and all(
        G.nodes[d["subject"]]["illustrative"]
        or G.nodes[d["object"]]["illustrative"]
        or (d["fact"] and G.nodes[d["fact"]]["illustrative"])
        for d in marked
    )
    R = real_only(G)
    assert alpha not in R and str(OKGD["ikanbi"]) in R
    assert not any(a["illustrative"] for _, a in R.nodes(data=True))
    assert not any(d["illustrative"] for _, _, d in R.edges(data=True))
    assert for_answers(G, include_illustrative=True) is G
    assert R.graph is G.graph


def test_a_node_another_source_describes_unmarked_is_real(seed_kg, tmp_path):
    """The rule: illustrative only when marked in every source graph that describes it."""
    tangier = str(OKGD["tangier"])
    assert tangier in illustrative_nodes(seed_kg)
    real = tmp_path / "tangier.yaml"
    real.write_text(REAL_TANGIER, encoding="utf-8")
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([*sorted(data_dir().glob("*.yaml")), real])
    assert tangier not in illustrative_nodes(kg)
    assert str(OKGD["harness-alpha"]) in illustrative_nodes(kg)
    G = project(kg)  # the same rule in the projection
    assert not G.nodes[str(OKGD["harness-beta"])]["illustrative"]
    assert G.nodes[str(OKGD["harness-alpha"])]["illustrative"]
    found = run_query(kg, "find-entity", {"text": "Tangier"}).python()
    assert found and not any(r["illustrative"] for r in found)


def test_viz_leaves_out_and_marks(seed_kg):
    plain = extract(seed_kg, "en")
    assert not any("Harness Alpha" in n.label for n in plain.nodes.values())
    assert any(n.label == "IKANBI" for n in plain.nodes.values())
    asked = extract(seed_kg, "en", include_illustrative=True)
    alpha = asked.nodes[str(OKGD["harness-alpha"])]
    assert alpha.label == "Harness Alpha (fictional supplier) (illustrative)"
    assert asked.nodes[str(OKGD["ikanbi"])].label == "IKANBI"


def test_viz_cli_flag(store, tmp_path):
    out = tmp_path / "net.html"
    plain = okg("viz", "--out", str(out), "--store", str(store))
    assert plain.exit_code == 0, plain.output
    assert "Harness Alpha" not in out.read_text(encoding="utf-8")
    asked = okg("viz", "--out", str(out), "--store", str(store), "--include-illustrative")
    assert asked.exit_code == 0, asked.output
    assert "Harness Alpha (fictional supplier) (illustrative)" in out.read_text(encoding="utf-8")
    report = okg("report", "eurocar-plant-stoppage", "--out", str(out), "--store", str(store))
    assert report.exit_code == 1 and "--include-illustrative" in report.output
