"""OCDS 1.1 packages (loaders/ocds.py): a release package and a record package build, the contract
is listed by contracts-in-window, the later release wins the merge and each fact cites the release
it comes from, schema and mapping errors name the file, the release and the JSON path and load
nothing, and nothing is fetched."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import socket
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from okg.cli import app
from okg.loaders import LoadError, ocds, read_files
from okg.store import KnowledgeGraph
from okg.terms.identifiers import ADMS
from okg.terms.namespaces import OKG, OKGD, PROV, source_node
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "ocds"
PACKAGE = FIXTURES / "call-centre.ocds.json"
SRC = "ocds-call-centre"
runner = CliRunner()

CONTRACT = OKGD[f"{SRC}/ocds-x7k2p9-2024-0042-contract-0042-c1"]
HELPDESK = OKGD[f"{SRC}/ocds-x7k2p9-2024-0077-contract-0077-c1"]
TENDER = OKGD[f"{SRC}/ocds-x7k2p9-2024-0042-tender"]
BUYER = OKGD["siren-130025265"]
ATLAS = OKGD["ice-001525478000062"]
RELAIS = OKGD["siren-410774236"]


def release_source(ocid: str, rid: str, src: str = SRC) -> URIRef:
    return source_node(f"{src}/{ocid}/{rid}")


@pytest.fixture
def no_network(monkeypatch):
    """Any connection attempt (or name lookup) fails the test; the loader's caches are emptied
    so that the schemas and merge rules are computed again under the ban."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    for fn in (ocds._schemas, ocds._validator, ocds._merge_rules):
        fn.cache_clear()
    yield
    for fn in (ocds._schemas, ocds._validator, ocds._merge_rules):
        fn.cache_clear()


def package() -> dict:
    return json.loads(PACKAGE.read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict, name: str = "call-centre.ocds.json") -> Path:
    p = tmp_path / name
    p.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return p


def graph_of(path: Path):
    (bundle,) = read_files([path])
    return bundle.graph


def errors_of(path: Path) -> list[str]:
    with pytest.raises(LoadError) as exc:
        read_files([path])
    return [str(e) for e in exc.value.errors]


# -- the Done-when path: okg build, then contracts-in-window ---------------------------------


def test_release_package_builds_and_contracts_in_window_lists_its_contract(tmp_path, no_network):
    path = tmp_path / PACKAGE.name  # the package alone: no sidecar marking it illustrative
    path.write_bytes(PACKAGE.read_bytes())
    store = str(tmp_path / "store")
    built = runner.invoke(app, ["build", "--store", store, str(path)])
    assert built.exit_code == 0, built.output
    assert f"loaded {SRC}:" in built.output
    listed = runner.invoke(
        app, ["query", "contracts-in-window", "--store", store, "--format", "csv"]
    )
    assert listed.exit_code == 0, listed.output
    rows = list(csv.DictReader(io.StringIO(listed.stdout)))
    expected = {
        "date": "2025-01-01",
        "change": "start",
        "contract": "Marché de centre d'appels 2025-2027",
        "client": "Caisse d'exemple des allocations familiales",
        "provider": "Atlas Relation Client SARL",
        "precision": "day",
        "illustrative": "false",
    }
    assert any(all(r.get(k) == v for k, v in expected.items()) for r in rows), rows
    # the window is a parameter: the 2027 end is outside the default window, inside a wider one
    assert not any(r["date"] == "2027-12-31" for r in rows)
    wide = runner.invoke(
        app,
        ["query", "contracts-in-window", "--store", store, "--format", "csv"]
        + ["--param", "from=2027-01-01", "--param", "to=2027-12-31"],
    )
    assert [r["date"] for r in csv.DictReader(io.StringIO(wide.stdout))] == ["2027-12-31"]


def test_the_made_up_fixture_is_marked_illustrative_by_its_sidecar(tmp_path, no_network):
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["build", "--store", store, str(PACKAGE)]).exit_code == 0
    query = ["query", "contracts-in-window", "--store", store, "--format", "csv"]
    plain = list(csv.DictReader(io.StringIO(runner.invoke(app, query).stdout)))
    assert plain == []
    asked = runner.invoke(app, [*query, "--param", "include_illustrative=true"]).stdout
    rows = list(csv.DictReader(io.StringIO(asked)))
    assert rows and all(r["illustrative"] == "true" for r in rows)
    assert "Marché de centre d'appels 2025-2027" in {r["contract"] for r in rows}
    g = graph_of(PACKAGE)
    assert (CONTRACT, OKG.illustrative, Literal(True)) in g
    assert (ATLAS, OKG.illustrative, Literal(True)) in g


def test_parties_contracts_and_identifiers_are_mapped(no_network):
    g = graph_of(PACKAGE)
    assert (CONTRACT, RDF.type, OKG.Contract) in g
    assert (CONTRACT, OKG.client, BUYER) in g and (CONTRACT, OKG.provider, ATLAS) in g
    assert (BUYER, RDF.type, OKG.PublicBody) in g and (ATLAS, RDF.type, OKG.Firm) in g
    assert (ATLAS, OKG.country, OKGD["country/MA"]) in g  # "Maroc", the French label
    assert (BUYER, OKG.country, OKGD["country/FR"]) in g
    assert (OKGD["kbo-0403170701"], OKG.country, OKGD["country/BE"]) in g  # an ISO code
    # the same buyer, written "130 025 265" in one process and "130025265" in the other, is one
    assert (HELPDESK, OKG.client, BUYER) in g
    assert len(set(g.subjects(RDF.type, OKG.PublicBody))) == 1
    # identifiers okg checks go through its keys; others are kept with their org-id code
    siren = URIRef("https://w3id.org/okg/id/identifier/siren/130025265")
    assert (BUYER, ADMS.identifier, siren) in g and (siren, OKG.scheme, OKG.SIREN) in g
    other = [i for i in g.objects(ATLAS, ADMS.identifier) if (i, OKG.scheme, OKG.ICE) not in g]
    assert len(other) == 1
    assert (other[0], SKOS.notation, Literal("Casablanca-412345")) in g
    assert (g.value(other[0], OKG.scheme), OKG.orgIdScheme, Literal("MA-RC")) in g
    # period with precision, value and currency
    assert g.value(CONTRACT, OKG.startDate).toPython().isoformat() == "2025-01-01"
    assert g.value(CONTRACT, OKG.endDate).toPython().isoformat() == "2027-12-31"
    assert str(g.value(CONTRACT, OKG.datePrecision)) == "day"
    assert float(g.value(CONTRACT, OKG.valueAmount)) == 1150000
    assert str(g.value(CONTRACT, OKG.valueCurrency)) == "EUR"
    # tender: buyer issues it, the winner and the losing tenderer
    assert (TENDER, OKG.issuedBy, BUYER) in g and (TENDER, OKG.awardedTo, ATLAS) in g
    assert (TENDER, OKG.lostBy, RELAIS) in g and (TENDER, OKG.tenderFor, CONTRACT) in g


def test_cpv_codes_map_only_where_declared(no_network):
    g = graph_of(PACKAGE)
    cc = "https://w3id.org/okg/sector/call-centres#"
    assert set(g.objects(CONTRACT, OKG.coversActivity)) == {URIRef(cc + "CustomerCare")}
    assert set(g.objects(HELPDESK, OKG.coversActivity)) == {URIRef(cc + "TechnicalSupport")}
    # 79342000 (marketing services) is not in the table: kept as a classification, no activity
    assert {str(c) for c in g.objects(HELPDESK, OKG.classification)} == {
        "CPV:72253100-2",
        "CPV:79342000",
    }


def test_each_release_is_a_source_and_each_fact_cites_its_release(no_network):
    g = graph_of(PACKAGE)
    tender_rel = release_source("ocds-x7k2p9-2024-0042", "0042-tender")
    award_rel = release_source("ocds-x7k2p9-2024-0042", "0042-award")
    for rel, rid, day in (
        (tender_rel, "0042-tender", "2024-06-03"),
        (award_rel, "0042-award", "2024-09-15"),
    ):
        assert (rel, RDF.type, OKG.Source) in g
        assert (rel, OKG.releaseId, Literal(rid)) in g
        assert str(g.value(rel, DCTERMS.date)) == day
        assert str(g.value(rel, URIRef("https://schema.org/url"))) == package()["uri"]
        assert g.value(rel, OKG.sourceLanguage) == OKGD["language/fr"]
    assert (CONTRACT, PROV.hadPrimarySource, award_rel) in g
    assert (TENDER, PROV.hadPrimarySource, award_rel) in g  # the later release carries it too
    assert (RELAIS, PROV.hadPrimarySource, tender_rel) in g  # only the tender release names it
    publisher = g.value(CONTRACT, PROV.wasAttributedTo)
    assert (publisher, RDF.type, OKG.DataPublisher) in g
    assert str(g.value(publisher, RDFS.label)) == package()["publisher"]["name"]
    # the quote is the JSON of the OCDS object the fact was read from
    quote = json.loads(str(g.value(CONTRACT, OKG.quote)))
    assert quote["id"] == "0042-C1" and quote["value"] == {"amount": 1150000, "currency": "EUR"}


def test_the_later_release_wins_whatever_the_order_in_the_file(tmp_path, no_network):
    data = package()
    data["releases"].reverse()
    g = graph_of(write(tmp_path, data))
    # release 2 (2024-09-15) retitles the tender; release 1 (2024-06-03) is older
    assert str(g.value(TENDER, RDFS.label)) == "Centre d'appels pour les allocataires (lot unique)"
    # a value only the older release gives stays (OCDS merge: omitted fields keep their value)
    assert float(g.value(TENDER, OKG.valueAmount)) == 1200000


def test_merged_values_follow_ocdsmerge():
    r1, r2 = package()["releases"][:2]
    compiled = ocds.compile_releases([r2, r1])
    assert compiled["tender"]["title"].endswith("(lot unique)")
    assert compiled["tender"]["status"] == "complete"
    assert compiled["tender"]["value"] == {"amount": 1200000, "currency": "EUR"}


def test_record_package_with_releases_or_a_compiled_release_builds(tmp_path, no_network):
    data = package()
    r1, r2, r3 = data["releases"]
    linked = {"url": f"{data['uri']}#{r3['id']}", "date": r3["date"], "tag": r3["tag"]}
    records = {key: data[key] for key in ("uri", "version", "publishedDate", "publisher")} | {
        "records": [
            {"ocid": r1["ocid"], "releases": [r1, r2]},
            {
                "ocid": r3["ocid"],
                "releases": [linked],
                "compiledRelease": ocds.compile_releases([r3]),
            },
        ]
    }
    path = write(tmp_path, records, "records.ocds.json")
    store = tmp_path / "store"
    with KnowledgeGraph.open(store) as kg:
        kg.install_vocabulary()
        kg.load([path])
        rows = kg.query("SELECT ?c WHERE { ?c a okg:Contract }").rows
    src = "ocds-records"
    assert {r[0] for r in rows} == {
        OKGD[f"{src}/ocds-x7k2p9-2024-0042-contract-0042-c1"],
        OKGD[f"{src}/ocds-x7k2p9-2024-0077-contract-0077-c1"],
    }
    g = graph_of(path)
    compiled_id = f"{r3['ocid']}-{r3['date']}"
    helpdesk = OKGD[f"{src}/ocds-x7k2p9-2024-0077-contract-0077-c1"]
    assert g.value(helpdesk, PROV.hadPrimarySource) == release_source(
        r3["ocid"], ocds.slug(compiled_id), src
    )


# -- bad input: file, release, field; nothing loaded ----------------------------------------


def _set(data: dict, path: str, value) -> None:
    parts = [int(p) if p.isdigit() else p for p in re.findall(r"[^.\[\]]+", path)]
    obj = data
    for p in parts[:-1]:
        obj = obj[p]
    if value is KeyError:
        del obj[parts[-1]]
    else:
        obj[parts[-1]] = value


SCHEMA_CASES = [
    (
        "releases[1].awards[0].date",
        "2026-13-01",
        "[releases[1].awards[0].date] release ocds-x7k2p9-2024-0042/0042-award: '2026-13-01' is not a 'date-time'",
    ),
    (
        "releases[0].tender.status",
        "open",
        "[releases[0].tender.status] release ocds-x7k2p9-2024-0042/0042-tender: 'open' is not one of",
    ),
    (
        "releases[2].date",
        KeyError,
        "[releases[2]] release ocds-x7k2p9-2024-0077/0077-contract: 'date' is a required property",
    ),
    (
        "releases[2].contracts[0].value.amount",
        "lots",
        "[releases[2].contracts[0].value.amount] release ocds-x7k2p9-2024-0077/0077-contract: 'lots' is not of type 'number'",
    ),
    ("publishedDate", "yesterday", "[publishedDate] 'yesterday' is not a 'date-time'"),
]


@pytest.mark.parametrize(("path", "value", "expected"), SCHEMA_CASES)
def test_schema_errors_name_file_release_and_field(tmp_path, no_network, path, value, expected):
    data = package()
    _set(data, path, value)
    errors = errors_of(write(tmp_path, data))
    assert len(errors) == 1, errors
    assert errors[0].startswith(str(tmp_path / "call-centre.ocds.json") + ": ")
    assert expected in errors[0]


def test_a_bad_release_loads_nothing(tmp_path, no_network):
    data = package()
    _set(data, "releases[1].awards[0].date", "2026-13-01")
    path = write(tmp_path, data)
    store = str(tmp_path / "store")
    built = runner.invoke(app, ["build", "--store", store, str(path), str(PACKAGE)])
    assert built.exit_code == 1
    assert "releases[1].awards[0].date" in built.output
    assert "nothing was loaded" in built.output
    with KnowledgeGraph.open(store, read_only=True) as kg:
        assert not [s for s in kg.sources() if s.source_id.startswith("ocds-")]


MAPPING_CASES = [
    (  # the country is written in the tender release only: the error points there
        "releases[0].parties[1].address.countryName",
        "Atlantis",
        "[releases[0].parties[1].address.countryName] release ocds-x7k2p9-2024-0042/0042-tender: unknown country 'Atlantis'",
    ),
    (
        "releases[2].parties[1].identifier.id",
        "0403.170.702",
        "[releases[2].parties[1].identifier] release ocds-x7k2p9-2024-0077/0077-contract: '0403170702' fails the check digits",
    ),
    (
        "releases[2].awards[0].items[0]",
        {"id": "1", "classification": {"scheme": "CPV", "id": "45000000"}},
        "[releases[2].contracts[0].items] release ocds-x7k2p9-2024-0077/0077-contract: no classification maps to an okg activity (CPV:45000000)",
    ),
    (
        "releases[2].contracts[0].awardID",
        "nope",
        "[releases[2].contracts[0].awardID] release ocds-x7k2p9-2024-0077/0077-contract: no award with id 'nope'",
    ),
    (
        "releases[2].contracts[0].period.endDate",
        "2024-01-01T00:00:00Z",
        "[releases[2].contracts[0].period.endDate] release ocds-x7k2p9-2024-0077/0077-contract: 2024-01-01 is before start 2025-02-01",
    ),
    (
        "releases[1].language",
        "xx",
        "[releases[1].language] release ocds-x7k2p9-2024-0042/0042-award: unknown language 'xx'",
    ),
]


@pytest.mark.parametrize(("path", "value", "expected"), MAPPING_CASES)
def test_mapping_errors_name_release_and_field(tmp_path, no_network, path, value, expected):
    data = package()
    _set(data, path, value)
    errors = errors_of(write(tmp_path, data))
    assert any(expected in e for e in errors), errors


def test_a_sidecar_declares_more_cpv_codes(tmp_path, no_network):
    data = package()
    _set(
        data,
        "releases[2].awards[0].items[0]",
        {"id": "1", "classification": {"scheme": "CPV", "id": "79342000"}},
    )
    path = write(tmp_path, data)
    assert "no classification maps" in "\n".join(errors_of(path))
    (tmp_path / "call-centre.source.yaml").write_text('cpv:\n  "79342000": telemarketing\n')
    g = graph_of(path)
    assert set(g.objects(HELPDESK, OKG.coversActivity)) == {
        URIRef("https://w3id.org/okg/sector/call-centres#Telemarketing")
    }
    (tmp_path / "call-centre.source.yaml").write_text('cpv:\n  "79342000": knitting\n')
    errors = errors_of(path)
    assert any(
        "call-centre.source.yaml:2: [cpv.79342000] unknown activity 'knitting'" in e for e in errors
    ), errors


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"releases": [', ":1: not JSON: Expecting value"),
        ('{"uri": "x"}', "expected an OCDS release package (releases) or record package (records)"),
        ('{"releases": [], "x": NaN}', "not JSON: NaN is not JSON"),
        ("[1, 2]", "expected an OCDS release package"),
    ],
)
def test_not_ocds_is_one_error(tmp_path, text, expected):
    p = tmp_path / "bad.ocds.json"
    p.write_text(text, encoding="utf-8")
    (error,) = errors_of(p)
    assert expected in error


def test_plain_json_is_not_taken_for_ocds():
    from okg.loaders import loader_for

    assert loader_for(Path("x.ocds.json")).name == "ocds"
    assert loader_for(Path("x.jsonld")).name != "ocds"
    with pytest.raises(KeyError):
        loader_for(Path("x.json"))


# -- the impact question of docs/ocds.md ------------------------------------------------------


def test_a_terminated_contract_is_an_event(no_network):
    g = graph_of(PACKAGE)
    event = OKGD[f"{SRC}/ocds-x7k2p9-2024-0077-contract-0077-c1-terminated"]
    assert (event, RDF.type, OKG.ContractTerminated) in g
    assert (event, OKG.terminates, HELPDESK) in g
    assert str(g.value(event, OKG.date)) == "2025-09-30"


def test_the_commands_of_docs_ocds_md_run(tmp_path, monkeypatch, no_network):
    """Every `okg ...` line of the doc's console blocks runs (store moved to a temp folder)."""
    monkeypatch.chdir(ROOT)
    text = (ROOT / "docs" / "ocds.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```console\n(.*?)```", text, flags=re.S)
    commands = [line[2:] for b in blocks for line in b.splitlines() if line.startswith("$ okg ")]
    assert len(commands) >= 4
    store = str(tmp_path / "ocds-store")
    outputs = []
    for line in commands:
        args = [store if a == ".okg-ocds" else a for a in shlex.split(line)[1:]]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, (line, result.output)
        outputs.append(result.output)
    joined = "\n".join(outputs)
    assert "Marché de centre d'appels 2025-2027" in joined
    assert "Atlas Relation Client SARL" in joined
    assert "jobs at risk" in joined


# -- every input: a LoadError or a graph, never another exception ------------------------------


def _paths(obj, prefix=()):
    yield prefix
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from _paths(v, (*prefix, i))


_PATHS = [p for p in _paths(json.loads(PACKAGE.read_text(encoding="utf-8"))) if p]
_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=st.lists(st.tuples(st.sampled_from(_PATHS), _JSON), min_size=1, max_size=3))
def test_any_changed_package_loads_or_fails_with_located_errors(tmp_path, changes):
    data = package()
    for path, value in changes:
        obj = data
        try:
            for p in path[:-1]:
                obj = obj[p]
            obj[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    p = tmp_path / "fuzz.ocds.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    try:
        (bundle,) = read_files([p])
    except LoadError as exc:
        assert exc.errors
        assert all(str(e).startswith(str(p)) or ".source.yaml" in e.file for e in exc.errors)
    else:
        assert len(bundle.graph) > 0


def test_a_fact_file_built_with_the_package_names_its_contract_by_store_id(tmp_path, no_network):
    store = str(tmp_path / "store")
    built = runner.invoke(app, ["build", "--store", store, str(FIXTURES)])
    assert built.exit_code == 0, built.output
    assert "loaded scenario-buyer-ends-call-centre" in built.output
    with KnowledgeGraph.open(store, read_only=True) as kg:
        event = OKGD["scenario-buyer-ends-call-centre/buyer-ends-call-centre"]
        assert kg.ask("ASK { ?e okg:terminates ?c }", {"e": event, "c": CONTRACT})


def test_okg_sources_counts_the_package_graph_once(tmp_path, no_network):
    """The package graph holds one okg:Source per release besides its own: the listing counts
    its triples once and takes the package's own title."""
    with KnowledgeGraph.open(tmp_path / "store") as kg:
        kg.install_vocabulary()
        (bundle,) = kg.load([PACKAGE])
        (info,) = [s for s in kg.sources() if s.source_id == SRC]
    assert info.triples == len(bundle.graph)
    assert info.title == f"OCDS release package {package()['uri']}"
    assert info.fact_file == PACKAGE.name


def test_record_package_errors_name_the_embedded_release(tmp_path, no_network):
    data = package()
    r1, r2, _ = data["releases"]
    _set(r2, "awards[0].date", "2026-13-01")
    records = {k: data[k] for k in ("uri", "version", "publishedDate", "publisher")}
    records["records"] = [{"ocid": r1["ocid"], "releases": [r1, r2]}]
    (error,) = errors_of(write(tmp_path, records, "records.ocds.json"))
    assert (
        "[records[0].releases[1].awards[0].date] release ocds-x7k2p9-2024-0042/0042-award: "
        "'2026-13-01' is not a 'date-time'"
    ) in error
