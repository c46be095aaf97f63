"""Explanations in plain words (issue 14 item 3), claimants shown (issue 11 item 3) and
inferences marked in every output format (issue 11 item 4)."""

from __future__ import annotations

import csv
import html
import io
import json
import re

import pytest
from okg.cli import app
from okg.store import KnowledgeGraph
from okg.terms.namespaces import OKG
from typer.testing import CliRunner

runner = CliRunner()
BAN = ("impact", "fr-ban-vote", "--as-of", "2026-09-01")
MOVE = ("impact", "total-relocation", "--as-of", "2026-02-01")
SMES = "Small and medium Moroccan call centres"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("plain") / "store"
    done = runner.invoke(app, ["build", "--store", str(path)])
    assert done.exit_code == 0, done.output
    return str(path)


def okg(store, *args) -> str:
    done = runner.invoke(app, [*args, "--store", store])
    assert done.exit_code == 0, done.output
    return done.output


def fact_ids(store) -> set[str]:
    """The local ids of every n-ary fact node (shares, dependencies, workforces...)."""
    kg = KnowledgeGraph.open(store)
    rows = kg.query("SELECT DISTINCT ?x WHERE { ?x a ?c . ?c rdfs:subClassOf* okg:Fact }").rows
    return {str(x).rsplit("/", 1)[-1] for (x,) in rows}


def chain_lines(text: str) -> list[str]:
    """The numbered chain lines of the explanations."""
    part = text.split("Explanations:", 1)[1]
    return [line for line in part.splitlines() if re.match(r"\s+\d+\. ", line)]


def explanation_lines(text: str) -> list[str]:
    return text.split("Explanations:", 1)[1].splitlines()


def test_ban_explanations_have_no_curie_and_no_fact_id(store):
    text = okg(store, *BAN)
    ids = fact_ids(store)
    assert "smes-france-dependency" in ids and "ma-cc-workforce" in ids
    lines = explanation_lines(text)
    assert lines
    for line in lines:
        assert "okg:" not in line, line
        words = set(re.findall(r"[\w-]+", line))
        assert not (words & ids), (words & ids, line)
    chain = chain_lines(text)
    assert len(chain) >= 20
    # each step is a sentence with labels, the n-ary facts named by class and figure
    assert any(
        "The market dependency of Moroccan export-oriented call centres (more than 80%)"
        " concerns France market." in x
        for x in chain
    )
    assert any("The regulation" not in x and "enacts French ban" in x for x in chain)
    for line in chain:
        assert re.search(r"\.\s*\[", line), line  # a sentence, then its source


def test_sentences_in_the_stored_direction(store):
    text = okg(store, *MOVE)
    chain = chain_lines(text)
    # stored: contract okg:provider IKANBI (impact runs contract -> IKANBI)
    assert any("IKANBI is the provider of TotalEnergies French-language" in x for x in chain)
    # stored: workforce okg:employer IKANBI
    assert any("The workforce (more than 150) is employed by IKANBI." in x for x in chain)


def test_ikanbi_figure_according_to_the_unions(store):
    kg = KnowledgeGraph.open(store)
    ((label,),) = kg.query(
        "SELECT ?l WHERE { ?w prov:wasAttributedTo ?u . ?u rdfs:label ?l ."
        " FILTER(LANG(?l) = 'en') FILTER(CONTAINS(STR(?u), 'unions')) } LIMIT 1"
    ).rows
    text = okg(store, *MOVE)
    figures = [x for x in explanation_lines(text) if x.startswith("     - about 163")]
    assert figures and f"according to {label}" in figures[0]
    # a claim with no claimant says nothing extra
    (more,) = [x for x in explanation_lines(text) if x.startswith("     - more than 150")]
    assert "according to" not in more
    # a step resting on a claimed fact names the claimant
    assert any("According to TotalEnergies, " in x for x in chain_lines(text))


def test_json_adds_sentences_and_keeps_machine_fields(store):
    d = json.loads(okg(store, *BAN, "--format", "json"))
    steps = [s for r in d["rows"] for s in r["chain"]]
    assert steps and all(s["sentence"] for s in steps)
    assert all(s["relation"].startswith(str(OKG)) for s in steps)
    assert all(s["start"].startswith("https://") for s in steps)
    (smes,) = [r for r in d["rows"] if r["label"].startswith(SMES)]
    assert smes["inferred"] is True
    reasons = [x["reason"] for x in smes["inferences"]]
    assert any("all of their turnover coming from France" in r for r in reasons)
    assert all(x["fact"].startswith("https://") for x in smes["inferences"])
    (sector,) = [r for r in d["rows"] if r["label"].startswith("Moroccan export")]
    assert sector["inferred"] is False and sector["inferences"] == []
    assert any(
        a.startswith("Inferred by the analyst: market dependency of " + SMES)
        and "— reason: The source defines the segment" in a
        for a in d["assumptions"]
    )


def test_table_marks_the_inferred_row(store):
    text = okg(store, *BAN)
    table = text.split("Jobs by country", 1)[0]
    smes = [x for x in table.splitlines() if "Small and medium" in x]
    sector = [x for x in table.splitlines() if "Moroccan export-oriented" in x]
    assert smes and "inferred" in smes[0]
    assert sector and "inferred" not in sector[0]
    assumptions = text.split("Assumptions:", 1)[1].split("Explanations:", 1)[0]
    assert "Inferred by the analyst: market dependency of " + SMES in assumptions
    assert "— reason: The source defines the segment" in assumptions


def test_md_and_csv_mark_the_inferred_row(store):
    md = okg(store, *BAN, "--format", "md")
    (row,) = [x for x in md.splitlines() if x.startswith("| 2 |")]
    assert "inferred" in row
    assert "Inferred by the analyst: market dependency of" in md.split("## Assumptions", 1)[1]
    table = okg(store, *BAN, "--format", "csv")
    rows = list(csv.reader(io.StringIO(table)))
    smes = [r for r in rows if any(c.startswith(SMES) for c in r)]
    sector = [r for r in rows if any(c.startswith("Moroccan export") for c in r)]
    assert smes and any("inferred" in c for c in smes[0])
    assert sector and not any("inferred" in c for c in sector[0])


def test_report_marks_inferences_and_lists_reasons(store, tmp_path):
    out = tmp_path / "r.html"
    okg(store, "report", "fr-ban-vote", "--as-of", "2026-09-01", "--out", str(out))
    page = html.unescape(out.read_text(encoding="utf-8"))
    assert "Inferred by the analyst: market dependency of " + SMES in page
    assert "reason: The source defines the segment" in page
    assert re.search(r"closure risk · inferred", page)
    assert "okg:onMarket" not in page
    assert "smes-france-dependency concerns" not in page
    assert re.search(
        "The market dependency of " + SMES + r"[^<]* \(100%\) concerns France market", page
    )


def test_french_sentences(store):
    text = okg(store, *MOVE, "--lang", "fr")
    chain = chain_lines(text) if "Explanations:" in text else []
    assert "Selon TotalEnergies, " in text
    assert " est le prestataire de " in text
    assert not chain  # the heading is translated too
