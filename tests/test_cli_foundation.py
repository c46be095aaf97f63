"""End to end through the CLI: build, validate, stats, sources, remove, export (wheel: test_wheel.py)."""

from __future__ import annotations

import json
from pathlib import Path

from okg.cli import app
from okg.terms.resources import data_dir
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
SEED = [
    str(data_dir() / "totalenergies-ikanbi-2025.yaml"),
    str(data_dir() / "assahafa-2025-05-25-telemarketing-ban.yaml"),
]
runner = CliRunner()


def test_build_stats_export_remove(tmp_path):
    store = str(tmp_path / "store")
    res = runner.invoke(app, ["build", "--store", store, *SEED])
    assert res.exit_code == 0, res.output
    assert "loaded totalenergies-ikanbi-relocation" in res.output
    assert "okg:Workforce" in res.output
    res = runner.invoke(app, ["sources", "--store", store])
    assert "assahafa-2025-05-25-telemarketing-ban" in res.output
    out = tmp_path / "g.jsonld"
    res = runner.invoke(app, ["export", "--store", store, "--format", "jsonld", "--out", str(out)])
    assert res.exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))
    res = runner.invoke(app, ["remove", "--store", store, "totalenergies-ikanbi-relocation"])
    assert res.exit_code == 0
    res = runner.invoke(app, ["sources", "--store", store])
    assert "totalenergies" not in res.output
    res = runner.invoke(app, ["remove", "--store", store, "nope"])
    assert res.exit_code == 1 and "no source 'nope'" in res.output


def test_store_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("OKG_STORE", str(tmp_path / "envstore"))
    assert runner.invoke(app, ["build", SEED[0]]).exit_code == 0
    assert (tmp_path / "envstore").is_dir()


def test_validate_reports_every_error_and_exits_1(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "okg: 1\nsource: {id: b, title: B, language: en, date: 2025-13-01}\n"
        "facts:\n  - id: x\n    type: Frim\n    quote: q\n",
        encoding="utf-8",
    )
    res = runner.invoke(app, ["validate", str(bad), *SEED])
    assert res.exit_code == 1
    assert f"{bad}:2: [source.date]" in res.output
    assert f"{bad}:5: [type]" in res.output
    assert "Traceback" not in res.output
    ok = runner.invoke(app, ["validate", *SEED])
    assert ok.exit_code == 0, ok.output


def test_build_refuses_bad_files_and_keeps_the_store(tmp_path):
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["build", "--store", store, SEED[0]]).exit_code == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("source: [\n", encoding="utf-8")
    res = runner.invoke(app, ["build", "--store", store, SEED[1], str(bad)])
    assert res.exit_code == 1 and "nothing was loaded" in res.output
    res = runner.invoke(app, ["sources", "--store", store])
    assert "totalenergies" in res.output and "assahafa" not in res.output


MODULE = """\
@prefix tx: <https://example.org/tx#> .
@prefix okg: <https://w3id.org/okg/ontology#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/tx> a owl:Ontology ; owl:imports <https://w3id.org/okg/ontology> ;
    okg:sectorModule "textiles_tmp" ; okg:prefix "tx" .
tx:Mill a owl:Class ; rdfs:subClassOf okg:Firm ; rdfs:label "mill"@en .
"""


def test_build_keeps_modules_it_cannot_see(tmp_path, monkeypatch):
    sectors = tmp_path / "sectors"
    sectors.mkdir()
    (sectors / "textiles_tmp.ttl").write_text(MODULE, encoding="utf-8")
    store = str(tmp_path / "store")
    monkeypatch.setenv("OKG_SECTOR_PATH", str(sectors))
    assert runner.invoke(app, ["build", "--store", store, SEED[0]]).exit_code == 0
    monkeypatch.delenv("OKG_SECTOR_PATH")
    res = runner.invoke(app, ["build", "--store", store, SEED[0]])
    assert res.exit_code == 1 and "textiles_tmp" in res.output and "--sector-path" in res.output
    res = runner.invoke(app, ["build", "--store", store, "--forget-missing-modules", SEED[0]])
    assert res.exit_code == 0, res.output
