"""The regulation-exposure and jobs queries read facts derived at build time
(queries/derive/62_exposure_activity.rq, 63_workplace_country.rq) and hash-join sub-SELECTs:
they must answer exactly the rows, in the same order, of the texts they replaced (kept below as
the reference), for every parameter value, on the bundled data and on generated data."""

from __future__ import annotations

from pathlib import Path

import conftest
import pytest
from okg.queries.canned import catalog, parse_query, run_query
from okg.terms.namespaces import COUNTRY

ROOT = Path(__file__).resolve().parent.parent

# The texts before the derived facts (commit f0a69ca), from their first SELECT on.
OLD = {
    "regulation-exposure": """SELECT DISTINCT ?effective ?activityShare ?marketShare ?jobsStated ?jobsLow ?jobsHigh ?regulation
       ?activity ?market ?actor ?contract ?site ?jobsQualifier ?illustrative
WHERE {
  ?regulation a okg:Regulation ; okg:prohibitsActivity ?prohibited ; okg:appliesToMarket ?market .
  OPTIONAL { ?regulation okg:effectiveDate ?effective }
  ?activity skos:broader* ?prohibited .
  {
    ?share okg:ofActivity ?activity ; okg:holder ?actor ; okg:share/okg:statedAs ?activityShare .
    ?dependency okg:onMarket ?market ; okg:dependent ?actor ; okg:share/okg:statedAs ?marketShare .
    OPTIONAL { ?actor okg:hasSite ?site }
  } UNION {
    ?contract okg:coversActivity ?activity ; okg:servesMarket ?market ; okg:provider ?actor .
    OPTIONAL { ?contract okg:endDate ?end }
    OPTIONAL { ?contract okg:deliveredFrom ?site . ?site a okg:Site }
  }
  FILTER(!BOUND(?end) || !BOUND(?effective) || ?end >= ?effective)
  OPTIONAL {
    ?workforce okg:employer ?actor ; okg:headcount ?jobs .
    ?jobs okg:statedAs ?jobsStated ; okg:qualifier ?jobsQualifier .
    OPTIONAL { ?jobs okg:low ?jobsLow }
    OPTIONAL { ?jobs okg:high ?jobsHigh }
    OPTIONAL { ?workforce okg:attributedTo ?tiedTo }
    FILTER(!BOUND(?tiedTo) || ?tiedTo = ?contract)
  }
  # illustrative: okg:shownIllustrative, derived at build time (queries/derive/50_illustrative.rq,
  # docs/facts.md "Illustrative facts"); a row is illustrative when any of its nodes is
  OPTIONAL { ?regulation okg:shownIllustrative ?regulation_ill }
  OPTIONAL { ?actor okg:shownIllustrative ?actor_ill }
  BIND(COALESCE(?contract, rdf:nil) AS ?contractKey)
  OPTIONAL { ?contractKey okg:shownIllustrative ?contract_ill }
  BIND(COALESCE(?regulation_ill, ?actor_ill, ?contract_ill, false) AS ?illustrative)
  FILTER(?include_illustrative = true || ?illustrative = false)
}
ORDER BY STR(?regulation) COALESCE(STR(?effective), "") STR(?activity) STR(?market) STR(?actor)
         COALESCE(STR(?contract), "") COALESCE(STR(?activityShare), "") COALESCE(STR(?marketShare), "")
         COALESCE(STR(?site), "") COALESCE(?jobsLow, -1) COALESCE(?jobsHigh, -1)
         COALESCE(STR(?jobsStated), "") COALESCE(STR(?jobsQualifier), "")
""",
    "jobs": """SELECT DISTINCT ?sector ?stated ?low ?high ?sourceTitle ?place ?employmentType ?employer ?site
       ?qualifier ?illustrative
WHERE {
  ?workforce a okg:Workforce ; okg:employer ?employer ; okg:headcount ?jobs .
  ?jobs okg:statedAs ?stated ; okg:qualifier ?qualifier .
  OPTIONAL { ?jobs okg:low ?low }
  OPTIONAL { ?jobs okg:high ?high }
  OPTIONAL { ?workforce okg:employmentType ?employmentType }
  OPTIONAL { ?workforce okg:workplace ?site }
  OPTIONAL { ?workforce okg:workplace/okg:country ?siteCountry }
  OPTIONAL { ?employer okg:country ?employerCountry }
  BIND(COALESCE(?siteCountry, ?employerCountry) AS ?place)
  FILTER(!BOUND(?country) || ?place = ?country)
  OPTIONAL { ?employer okg:inSector/skos:notation ?sector }
  OPTIONAL { ?workforce prov:hadPrimarySource/dcterms:title ?sourceTitle }
  # illustrative: okg:shownIllustrative, derived at build time (queries/derive/50_illustrative.rq,
  # docs/facts.md "Illustrative facts"); a row is illustrative when any of its nodes is
  OPTIONAL { ?workforce okg:shownIllustrative ?workforce_ill }
  OPTIONAL { ?employer okg:shownIllustrative ?employer_ill }
  BIND(COALESCE(?site, rdf:nil) AS ?siteKey)
  OPTIONAL { ?siteKey okg:shownIllustrative ?site_ill }
  BIND(COALESCE(?workforce_ill, ?employer_ill, ?site_ill, false) AS ?illustrative)
  FILTER(?include_illustrative = true || ?illustrative = false)
}
ORDER BY COALESCE(STR(?place), "") COALESCE(STR(?sector), "") COALESCE(STR(?employmentType), "")
         STR(?employer) COALESCE(STR(?site), "") COALESCE(?low, -1) COALESCE(?high, -1)
         STR(?stated) STR(?qualifier) COALESCE(STR(?sourceTitle), "")
""",
}


def _reference(name: str):
    new = catalog()[name]
    text = new.text[: new.text.index("SELECT DISTINCT")] + OLD[name]
    return parse_query(name, text)


@pytest.fixture(scope="module")
def generated_kg(tmp_path_factory):
    return conftest.generated_kg(tmp_path_factory, 10_000, seed=7)


def _iris(kg, sparql: str) -> list[str]:
    return sorted({str(r[0]) for r in kg.query(sparql).rows})


def _regulations(kg) -> list[str | None]:
    return [None, *_iris(kg, "SELECT ?r WHERE { ?r a okg:Regulation }")]


def _countries(kg) -> list[str | None]:
    iris = _iris(kg, "SELECT DISTINCT ?c WHERE { ?x okg:country ?c }")
    return [None, *(i.removeprefix(str(COUNTRY)) for i in iris if i.startswith(str(COUNTRY)))]


def _same_rows(kg, name: str, key: str, values: list[str | None]) -> int:
    ref, answered = _reference(name), 0
    for value in values:
        for illustrative in ("false", "true"):
            params = {"include_illustrative": illustrative}
            if value is not None:
                params[key] = value
            old, new = run_query(kg, ref, params), run_query(kg, name, params)
            assert new.columns == old.columns, params
            assert new.rows == old.rows, params
            answered += len(new.rows)
    return answered


@pytest.mark.parametrize("data", ["seed_kg", "generated_kg"])
def test_exposure_rows_are_the_old_texts_rows(data, request):
    kg = request.getfixturevalue(data)
    regulations = _regulations(kg)
    assert len(regulations) > 1
    assert _same_rows(kg, "regulation-exposure", "regulation", regulations) > 0


@pytest.mark.parametrize("data", ["seed_kg", "generated_kg"])
def test_jobs_rows_are_the_old_texts_rows(data, request):
    kg = request.getfixturevalue(data)
    countries = _countries(kg)
    assert len(countries) > 2
    assert _same_rows(kg, "jobs", "country", countries) > 0


def test_derived_edges_are_what_the_paths_give(generated_kg):
    kg = generated_kg
    scope = kg.query(
        "SELECT DISTINCT ?r ?a WHERE { ?r a okg:Regulation ; okg:prohibitsActivity ?p . "
        "?a skos:broader* ?p }"
    ).rows
    derived = kg.query("SELECT ?r ?a WHERE { ?r okg:exposureActivity ?a }").rows
    assert scope and sorted(map(tuple, scope)) == sorted(map(tuple, derived))
    places = kg.query(
        "SELECT DISTINCT ?w ?c WHERE { ?w a okg:Workforce ; okg:workplace/okg:country ?c }"
    ).rows
    derived = kg.query("SELECT ?w ?c WHERE { ?w okg:workplaceCountry ?c }").rows
    assert places and sorted(map(tuple, places)) == sorted(map(tuple, derived))
