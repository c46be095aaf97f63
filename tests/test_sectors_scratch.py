"""A brand-new sector built from scratch in a temporary folder: a Turtle module and a fact file,
nothing else. With $OKG_SECTOR_PATH pointing at the folder, the module is listed and checked, the
facts load through ``okg build``, a query sees the module's own relations as the core ones, and
``okg impact`` follows them from the event to the jobs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from okg.queries.canned import load_file, run_query
from okg.store import KnowledgeGraph
from okg.terms.namespaces import OKGD
from okg.terms.resources import SECTOR_PATH_ENV, queries_dir

MODULE = """\
@prefix aero: <https://example.org/sector/aerospace#> .
@prefix okg:  <https://w3id.org/okg/ontology#> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sh:   <http://www.w3.org/ns/shacl#> .

<https://example.org/sector/aerospace> a owl:Ontology ;
    owl:imports <https://w3id.org/okg/ontology> ;
    okg:sectorModule "aerospace" ; okg:prefix "aero" ;
    rdfs:label "Aerospace"@en , "Aéronautique"@fr , "الطيران"@ar .

aero:Airframer a owl:Class ; rdfs:subClassOf okg:Firm ;
    rdfs:label "airframer"@en , "avionneur"@fr , "مصنع طائرات"@ar ;
    skos:definition "A firm that designs and assembles aircraft."@en ,
        "Une entreprise qui conçoit et assemble des avions."@fr ,
        "شركة تصمم الطائرات وتجمعها."@ar .
aero:PartsMaker a owl:Class ; rdfs:subClassOf okg:Firm ;
    rdfs:label "parts maker"@en , "fabricant de pièces"@fr , "مصنع قطع"@ar ;
    skos:definition "A firm that machines aircraft parts."@en ,
        "Une entreprise qui usine des pièces d'avion."@fr ,
        "شركة تصنع قطع الطائرات."@ar .
aero:WorkPackage a owl:Class ; rdfs:subClassOf okg:Contract ;
    rdfs:label "work package"@en , "lot de travaux"@fr , "حزمة أشغال"@ar ;
    skos:definition "A share of an aircraft programme given to a parts maker."@en ,
        "Une part d'un programme d'avion confiée à un fabricant."@fr ,
        "جزء من برنامج طائرة يُسند إلى مصنع قطع."@ar .
aero:ProgrammeCancelled a owl:Class ; rdfs:subClassOf okg:Event ;
    rdfs:label "programme cancelled"@en , "programme annulé"@fr , "إلغاء برنامج"@ar ;
    skos:definition "An airframer cancels an aircraft programme."@en ,
        "Un avionneur annule un programme d'avion."@fr ,
        "مصنع طائرات يلغي برنامج طائرة."@ar .

aero:orderedBy a owl:ObjectProperty ; rdfs:subPropertyOf okg:client ; okg:key "orderedBy" ;
    rdfs:domain aero:WorkPackage ;
    rdfs:label "ordered by"@en , "commandé par"@fr , "بطلب من"@ar ;
    skos:definition "The airframer that orders the work package."@en ,
        "L'avionneur qui commande le lot."@fr , "مصنع الطائرات الذي يطلب الحزمة."@ar .
aero:machinedBy a owl:ObjectProperty ; rdfs:subPropertyOf okg:provider ; okg:key "machinedBy" ;
    rdfs:domain aero:WorkPackage ;
    rdfs:label "machined by"@en , "usiné par"@fr , "من تصنيع"@ar ;
    skos:definition "The parts maker that carries out the work package."@en ,
        "Le fabricant qui réalise le lot."@fr , "مصنع القطع الذي ينجز الحزمة."@ar .
aero:cancels a owl:ObjectProperty ; rdfs:subPropertyOf okg:terminates ; okg:key "cancels" ;
    rdfs:domain aero:ProgrammeCancelled ;
    rdfs:label "cancels"@en , "annule"@fr , "يلغي"@ar ;
    skos:definition "The work package a cancellation ends."@en ,
        "Le lot qu'une annulation arrête."@fr , "الحزمة التي ينهيها الإلغاء."@ar .

aero:Machining a okg:Activity , owl:NamedIndividual ; okg:key "aero-machining" ;
    rdfs:label "machining"@en , "usinage"@fr , "تشغيل المعادن"@ar ;
    skos:definition "Cutting metal parts to shape."@en , "Couper des pièces de métal."@fr ,
        "قطع الأجزاء المعدنية وتشكيلها."@ar .

aero:WorkPackageShape a sh:NodeShape ; sh:targetClass aero:WorkPackage ;
    sh:property [ sh:path aero:machinedBy ; sh:minCount 1 ;
                  sh:message "A work package names its parts maker (machinedBy)." ] .
"""

FACTS = """\
okg: 1
source:
  id: aero-scratch
  title: "Illustrative aerospace scenario"
  language: en
  note: "Illustrative, not reporting."
modules: [aerospace]
facts:
  - id: skyframe
    type: aero:Airframer
    label: {en: Skyframe}
    country: FR
    illustrative: true
  - id: atlas-parts
    type: aero:PartsMaker
    label: {en: Atlas Parts}
    country: MA
    illustrative: true
  - id: wing-ribs
    type: aero:WorkPackage
    orderedBy: skyframe
    machinedBy: atlas-parts
    activity: aero-machining
    revenueShare: 80
    illustrative: true
  - id: atlas-jobs
    type: Workforce
    employer: atlas-parts
    attributedTo: wing-ribs
    employmentType: all
    headcount: 250
    illustrative: true
  - id: programme-cancelled
    type: aero:ProgrammeCancelled
    label: {en: Skyframe cancels its programme}
    cancels: wing-ribs
    date: 2026-05-01
    illustrative: true
"""


def okg(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "okg.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """The sector folder, a built store, and the environment that points at the folder."""
    root = tmp_path_factory.mktemp("scratch")
    sectors = root / "sectors"
    sectors.mkdir()
    (sectors / "aerospace.ttl").write_text(MODULE, encoding="utf-8")
    (sectors / "aero-scratch.yaml").write_text(FACTS, encoding="utf-8")
    env = {**os.environ, SECTOR_PATH_ENV: str(sectors)}
    store = root / "store"
    built = okg("build", str(sectors / "aero-scratch.yaml"), "--store", str(store), env=env)
    assert built.returncode == 0, built.stderr
    assert "loaded aero-scratch" in built.stdout
    return sectors, store, env


def test_the_new_module_is_listed_and_checked(scratch):
    _, _, env = scratch
    listed = okg("sector", "list", env=env)
    assert "aerospace" in listed.stdout and "sector path" in listed.stdout
    checked = okg("sector", "check", "aerospace", "--no-reasoner", env=env)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "aero:machinedBy ⊑ okg:provider" in checked.stdout
    assert "aero:cancels ⊑ okg:terminates" in checked.stdout


def test_without_the_sector_path_the_facts_are_refused(scratch):
    sectors, _, env = scratch
    done = okg("validate", str(sectors / "aero-scratch.yaml"), env={**env, SECTOR_PATH_ENV: ""})
    assert done.returncode == 1
    assert "unknown sector module 'aerospace'" in done.stderr


def test_a_query_sees_the_module_relations_as_core_ones(scratch, monkeypatch):
    _, store, env = scratch
    monkeypatch.setenv(SECTOR_PATH_ENV, env[SECTOR_PATH_ENV])
    kg = KnowledgeGraph.open(store)
    rows = kg.query("""
        SELECT DISTINCT ?client ?provider ?jobs WHERE {
          ?event okg:terminates ?contract .
          ?contract okg:client ?client ; okg:provider ?provider .
          ?w okg:employer ?provider ; okg:attributedTo ?contract ; okg:headcount ?q .
          ?q okg:pointValue ?jobs .
        }""").python()
    assert rows == [
        {"client": str(OKGD["skyframe"]), "provider": str(OKGD["atlas-parts"]), "jobs": 250}
    ]


def test_the_canned_who_serves_client_query_answers_for_the_new_sector(scratch, monkeypatch):
    _, store, env = scratch
    monkeypatch.setenv(SECTOR_PATH_ENV, env[SECTOR_PATH_ENV])
    query = load_file(queries_dir() / "who-serves-client.rq")
    rows = run_query(
        KnowledgeGraph.open(store, read_only=True),
        query,
        {"client": "skyframe", "include_illustrative": "true"},
        "en",
    )
    assert {(str(r["provider"]), str(r["activity"])) for r in rows.dicts()} == {
        ("Atlas Parts", "machining")
    }


def test_okg_impact_follows_the_module_relations(scratch):
    _, store, env = scratch
    done = okg(
        "impact",
        "programme-cancelled",
        "--store",
        str(store),
        "--format",
        "json",
        "--include-illustrative",
        env=env,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    rows = {row["actor"]: row for row in result["rows"]}
    atlas = rows[str(OKGD["atlas-parts"])]
    assert atlas["country"] == "MA"
    assert atlas["jobs"]["low"] == 250 and atlas["jobs"]["high"] == 250
