"""Canned queries on the seed data: headers, real values, and the okg query CLI."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from okg.cli import app
from okg.queries.canned import QueryError, catalog, parse_query, resolve, run_query
from typer.testing import CliRunner

runner = CliRunner()


def rows_of(kg, name, lang="en", **params):
    return run_query(kg, name, {k: str(v) for k, v in params.items()}, lang).python()


def test_catalog_has_twelve_queries_with_complete_headers():
    queries = catalog()
    assert len(queries) >= 12
    for q in queries.values():
        assert q.title and q.title != q.name, q.name
        assert q.question.endswith("?"), q.name
        assert q.columns, q.name
        assert q.param("lang") is not None, q.name


def test_header_columns_are_the_result_columns(queries_seed_kg):
    for q in catalog().values():
        rows = run_query(queries_seed_kg, q)
        assert rows.columns == q.columns, q.name


def test_param_typing_and_errors():
    q = parse_query(
        "t",
        "# title: T\n# question: Q?\n# param: d date 2025-01-01 — day\n"
        "# param: e entity - — thing\n# param: n decimal 50 — n\n"
        "# columns: a\nSELECT ?a WHERE { }",
    )
    terms = q.terms({"e": "ikanbi"})
    assert str(terms["e"]) == "https://w3id.org/okg/id/ikanbi"
    assert "e" in terms and str(terms["d"]) == "2025-01-01"
    assert "e" not in q.terms({})
    with pytest.raises(QueryError, match="parameter 'd'.*not a date"):
        q.terms({"d": "2025-02-30"})
    with pytest.raises(QueryError, match="parameter 'n'"):
        q.terms({"n": "lots"})
    with pytest.raises(QueryError, match="parameter 'e'"):
        q.terms({"e": "ikanbi> } DROP ALL {"})
    with pytest.raises(QueryError, match="no parameter 'zz'"):
        q.terms({"zz": "1"})
    with pytest.raises(QueryError, match="param line"):
        parse_query("bad", "# param: x sometype 1 — ?\nSELECT * WHERE {}")
    with pytest.raises(QueryError, match="no canned query"):
        resolve("no-such-query")


def test_regulation_exposure_french_ban(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "regulation-exposure")
    assert {str(r["effective"]) for r in rows} == {"2026-08-01"}
    assert {r["activity"] for r in rows} == {"cold-call telemarketing"}
    actors = {r["actor"]: r for r in rows}
    assert actors["Moroccan export-oriented call centres"]["marketShare"] == "more than 80%"
    assert actors["Moroccan export-oriented call centres"]["jobsLow"] == Decimal(200000)
    assert (
        actors["Large Moroccan call-centre groups that diversified into higher-value services"][
            "marketShare"
        ]
        == "unknown"
    )
    assert "IKANBI" not in actors  # customer care for Belgium: not in the ban's scope


def test_market_dependence_keeps_ranges(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "market-dependence", market="FR")
    by = {r["actor"]: r for r in rows}
    m = by["Moroccan export-oriented call centres"]
    assert (m["stated"], m["qualifier"], m["low"], m["high"]) == (
        "more than 80%",
        "lower bound",
        80,
        100,
    )
    unknown = by["Large Moroccan call-centre groups that diversified into higher-value services"]
    assert unknown["low"] is None and unknown["high"] is None
    assert rows_of(queries_seed_kg, "market-dependence", market="BE") == []


def test_who_serves_totalenergies(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "who-serves-client", client="totalenergies")
    ikanbi = [r for r in rows if r["provider"] == "IKANBI"]
    assert {r["fromSite"] for r in ikanbi} == {"IKANBI Liège contact centre"}
    assert {r["fromCity"] for r in ikanbi} == {"Liège"}
    assert {str(r["end"]) for r in ikanbi} == {"2025-12-31"}
    morocco = [r for r in rows if r["fromCountry"] == "Morocco"]
    assert {r["provider"] for r in morocco} == {"Unnamed Moroccan provider"}
    assert {r["language"] for r in morocco} == {"French"}
    assert "customer care" in {r["activity"] for r in morocco}
    # the services TotalEnergies says stay managed from Belgium: the article gives no language
    kept_by = "Whoever manages the services kept in Belgium (not named)"
    kept = [r for r in rows if r["provider"] == kept_by]
    assert kept and {r["language"] for r in kept} == {None}
    assert {r["activity"] for r in kept} == {"business customer support", "customer care"}
    assert {r["language"] for r in rows} == {"French", "Dutch", None}


def test_contracts_in_window(queries_seed_kg):
    rows = rows_of(
        queries_seed_kg, "contracts-in-window", **{"from": "2025-12-01", "to": "2026-01-31"}
    )
    got = {(str(r["date"]), r["change"], r["provider"]) for r in rows}
    assert ("2025-12-31", "end", "IKANBI") in got
    assert ("2026-01-01", "start", "Unnamed Moroccan provider") in got
    assert (
        rows_of(
            queries_seed_kg, "contracts-in-window", **{"from": "2026-01-02", "to": "2026-01-31"}
        )
        == []
    )


def test_relocations_belgium_to_morocco(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "relocations", **{"from": "BE", "to": "MA"})
    assert {r["fromPlace"] for r in rows} == {"IKANBI Liège contact centre"}
    leaving = {r["jobsStated"] for r in rows if r["side"] == "from"}
    assert leaving == {"about 163", "more than 150", "about 50", "about 100"}
    arriving = [r for r in rows if r["side"] == "to"]
    assert [(r["jobsStated"], r["jobsLow"]) for r in arriving] == [("unknown", None)]
    assert rows_of(queries_seed_kg, "relocations", **{"from": "MA"}) == []


def test_jobs_by_country_is_honest_about_unknowns(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "jobs", country="BE")
    assert {(r["employmentType"], r["stated"]) for r in rows} == {
        ("all contract types", "about 163"),
        ("all contract types", "more than 150"),
        ("permanent", "about 50"),
        ("temporary", "about 100"),
    }
    ma = rows_of(queries_seed_kg, "jobs", country="MA")
    unknown = [r for r in ma if r["qualifier"] == "unknown"]
    assert unknown and all(r["low"] is None and r["high"] is None for r in unknown)


def test_provenance_of_ikanbi_has_quotes_and_lines(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "provenance", entity="ikanbi")
    own = [r for r in rows if r["role"] is None]
    assert own and own[0]["quote"] == "مركز الاتصالات البلجيكي IKANBI"
    assert any(r["quote"] and "163" in r["quote"] and r["role"] == "employer" for r in rows)
    assert all(r["source"] for r in rows)


def test_conflicting_claims_keep_both_quotes(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "conflicting-claims")
    pair = [r for r in rows if {r["statedA"], r["statedB"]} == {"about 163", "more than 150"}]
    assert pair and pair[0]["overlap"] is True
    assert {pair[0]["quoteA"][:5], pair[0]["quoteB"][:5]} == {"تنذر ", "مع خس"}


def test_concentration(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "concentration", threshold="80")
    got = {(r["actor"], r["kind"], r["on"]) for r in rows}
    assert ("IKANBI", "client", "TotalEnergies") in got
    assert ("Moroccan export-oriented call centres", "market", "France market") in got
    high = rows_of(queries_seed_kg, "concentration", threshold="90")
    assert ("Moroccan export-oriented call centres", "market", "France market") not in {
        (r["actor"], r["kind"], r["on"]) for r in high
    }


def test_timeline_order_and_kinds(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "timeline")
    whens = [r["when"] for r in rows]
    assert whens == sorted(whens)
    vote = next(r for r in rows if r["event"] == "French parliament votes the cold-calling ban")
    assert (str(vote["when"]), vote["dated"]) == ("2025-05-25", "reportedOn")
    ban = next(r for r in rows if r["dated"] == "effective")
    assert str(ban["when"]) == "2026-08-01"


def test_downstream_of_the_relocation(queries_seed_kg):
    rows = rows_of(queries_seed_kg, "downstream")
    nodes = {r["node"] for r in rows}
    assert {"IKANBI", "IKANBI Liège contact centre", "Unnamed Moroccan provider"} <= nodes
    assert "TotalEnergies" not in nodes  # the client is upstream, not downstream
    assert "about 163" in {r["jobsStated"] for r in rows}
    ban = rows_of(
        queries_seed_kg, "downstream", event="assahafa-2025-05-25-telemarketing-ban/fr-ban-vote"
    )
    assert "Moroccan export-oriented call centres" in {r["node"] for r in ban}


def test_sector_overview(queries_seed_kg):
    rows = {r["nace"]: r for r in rows_of(queries_seed_kg, "sector-overview")}
    cc = rows["82.20"]
    assert cc["sector"] == "Activities of call centres"
    assert cc["jobsAtLeast"] == Decimal(200000) and cc["unknownClaims"] >= 2
    assert rows["35.14"]["contractsAsClient"] >= 3


def test_labels_fall_back_by_language(queries_seed_kg):
    ar = rows_of(queries_seed_kg, "who-serves-client", lang="ar")
    assert "توتال إنيرجيز" in {r["client"] for r in ar}
    assert "لييج" in {r["fromCity"] for r in ar}
    fr = rows_of(queries_seed_kg, "timeline", lang="fr")
    assert "Interdiction française du démarchage téléphonique" in {r["event"] for r in fr}
    nl = rows_of(queries_seed_kg, "sources", lang="nl")  # no Dutch labels: falls back to English
    assert "Arabic" in {r["language"] for r in nl}


# -- the command line ----------------------------------------------------------


@pytest.fixture(scope="module")
def seed_store(tmp_path_factory):
    store = tmp_path_factory.mktemp("store")
    res = runner.invoke(app, ["build", "--store", str(store)])
    assert res.exit_code == 0, res.output
    return store


def test_cli_list_shows_all_queries():
    res = runner.invoke(app, ["query", "--list"])
    assert res.exit_code == 0
    for name in catalog():
        assert name in res.output


def test_cli_csv_and_json_keep_arabic(seed_store):
    res = runner.invoke(
        app,
        [
            "query",
            "who-serves-client",
            "--store",
            str(seed_store),
            "--format",
            "csv",
            "--lang",
            "ar",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "لييج" in res.output and "\\u" not in res.output
    assert res.output.splitlines()[0].startswith("client,contract,provider")
    res = runner.invoke(
        app,
        [
            "query",
            "market-dependence",
            "--store",
            str(seed_store),
            "--format",
            "json",
            "-p",
            "market=FR",
        ],
    )
    data = json.loads(res.output)
    assert any(d["quote"].startswith("السوق الفرنسية") and d["low"] == 80 for d in data)
    assert "السوق" in res.output


def test_cli_table_and_md(seed_store):
    res = runner.invoke(app, ["query", "timeline", "--store", str(seed_store), "--lang", "ar"])
    # 5 events: the illustrative automotive one is left out by default (issue 11)
    assert res.exit_code == 0 and "5 صفوف" in res.output  # the row count in Arabic too
    assert "تشريع" in res.output  # the kind "regulation" in Arabic, no mojibake
    res = runner.invoke(
        app, ["query", "jobs", "--store", str(seed_store), "--format", "md", "-p", "country=BE"]
    )
    assert res.output.startswith("| country |") and "| about 163 |" in res.output


def test_cli_bad_parameter_is_one_line(seed_store):
    res = runner.invoke(
        app, ["query", "contracts-in-window", "--store", str(seed_store), "-p", "from=2025-13-45"]
    )
    assert res.exit_code == 1
    assert "parameter 'from'" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["query", "timeline", "--store", str(seed_store), "-p", "nope=1"])
    assert res.exit_code == 1 and "no parameter 'nope'" in res.output
    res = runner.invoke(app, ["query", "no-such", "--store", str(seed_store)])
    assert res.exit_code == 1 and "okg query --list" in res.output


def test_cli_own_query_file(seed_store, tmp_path):
    own = tmp_path / "mine.rq"
    own.write_text(
        "SELECT ?l WHERE { ?x okg:countryCode ?code ; rdfs:label ?l FILTER(LANG(?l) = ?lang) }",
        encoding="utf-8",
    )
    res = runner.invoke(
        app,
        [
            "query",
            str(own),
            "--store",
            str(seed_store),
            "--format",
            "csv",
            "--lang",
            "fr",
            "-p",
            "code=MA",
        ],
    )
    assert res.exit_code == 0, res.output
    assert res.output.splitlines() == ["l", "Maroc"]
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT ?x WHERE { ?x ?y }", encoding="utf-8")
    res = runner.invoke(app, ["query", str(bad), "--store", str(seed_store)])
    assert res.exit_code == 1 and "error: query" in res.output and "Traceback" not in res.output


def test_python_api_gives_a_dataframe(queries_seed_kg):
    pytest.importorskip("pandas")
    df = run_query(queries_seed_kg, "jobs", {"country": "BE"}, "fr").dataframe()
    assert list(df.columns) == resolve("jobs").columns
    assert set(df["stated"]) >= {"about 163", "about 50"}
    assert set(df["country"]) == {"Belgique"}
