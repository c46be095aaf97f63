"""Registry CSVs with their own (French) headers, read through FILE.mapping.yaml (issue 12, item 3).

The fixtures in tests/fixtures/registry/ are invented firms (marked illustrative) in the shape of
a French registry export: a firm table with a comma and a headcount table with a semicolon.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from okg.loaders import LoadError, read_files
from okg.loaders.csv_mapping import name
from okg.terms.namespaces import OKG, OKGD
from okg.terms.vocabulary import load_vocabulary
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

FIXTURES = Path(__file__).parent / "fixtures" / "registry"
DOCS = Path(__file__).parent.parent / "docs" / "facts.md"
FIRMS = "etablissements"
JOBS = "effectifs"


@pytest.fixture(scope="module")
def voc():
    return load_vocabulary()


@pytest.fixture
def reg(tmp_path) -> Path:
    """A copy of the fixture folder, to be edited by a test."""
    folder = tmp_path / "registry"
    shutil.copytree(FIXTURES, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(
    folder: Path, voc, only: str | None = None
) -> list[tuple[str, int | None, str | None, str]]:
    """Errors (file name, line, field, message) of loading both tables, those of *only* if given.

    The headcounts refer to the firms: when no firm loads, each of their rows says so too.
    """
    with pytest.raises(LoadError) as err:
        read_files([folder / f"{FIRMS}.csv", folder / f"{JOBS}.csv"], voc)
    got = [(Path(e.file).name, e.line, e.field, e.message) for e in err.value.errors]
    return [e for e in got if only is None or e[0] == only]


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


# -- it loads ---------------------------------------------------------------------------------
def test_registry_csvs_load_through_their_mappings(voc):
    firms, jobs = read_files([FIXTURES / f"{FIRMS}.csv", FIXTURES / f"{JOBS}.csv"], voc)
    assert (firms.source_id, jobs.source_id) == (
        "registry-fixture-etablissements",
        "registry-fixture-effectifs",
    )
    g = firms.graph
    firm = OKGD["siren-900000027"]
    assert (firm, RDFS.label, Literal("RELATION CLIENT DÉMO, SAS", lang="fr")) in g
    assert (firm, voc.by_key["country"].iri, voc.keyed_individuals(OKG.Country)["FR"]) in g
    sectors = voc.keyed_individuals(OKG.Sector)
    sector = voc.by_key["sector"].iri
    assert (firm, sector, sectors["82.20"]) in g  # through the values: map (82.20Z)
    assert (OKGD["siren-900000035"], sector, sectors["82.11"]) in g
    assert (firm, OKG.illustrative, Literal(True)) in g  # a constant, on every row
    # the ignored columns are not loaded; the quote is the row as written, verified in the CSV
    assert not any(o == Literal("Lyon") for o in g.objects())
    assert (firm, OKG.quote, Literal('900000027,"RELATION CLIENT DÉMO, SAS",69003,Lyon,82.20Z,2016-09-15', lang="fr")) in g  # fmt: skip
    assert len(list(g.subjects(OKG.quoteVerified, Literal(True)))) == 3
    # headcounts read by the figure parser in the source's language (fr): "1 200" is 1200
    w = jobs.graph
    points = {
        str(s).rsplit("/", 2)[-2]: (w.value(s, OKG.pointValue), str(w.value(s, OKG.statedAs)))
        for s in w.subjects(OKG.statedAs, None)
    }
    assert points == {
        "eff-1": (Literal(Decimal(1200)), "1 200"),
        "eff-2": (Literal(Decimal(40000)), "environ 40 000"),
        "eff-3": (None, "plus de 80"),  # a lower bound has no point
    }
    assert w.value(URIRef(f"{OKGD['registry-fixture-effectifs/eff-3']}/okg-headcount"), OKG.low) == Literal(Decimal(81))  # fmt: skip
    eff1 = OKGD["registry-fixture-effectifs/eff-1"]
    assert (eff1, voc.by_key["employer"].iri, OKGD["siren-900000019"]) in w  # with its prefix
    assert (
        eff1,
        voc.by_key["employmentType"].iri,
        voc.keyed_individuals(OKG.EmploymentType)["permanent"],
    ) in w


def test_okg_build_then_find_entity_by_siren(tmp_path):
    from okg.cli import app
    from typer.testing import CliRunner

    store = str(tmp_path / "store")
    runner = CliRunner()
    done = runner.invoke(app, ["build", "--store", store, str(FIXTURES)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(
        app,
        ["query", "find-entity", "--store", store, "--format", "json"]
        + ["-p", "text=900 000 027", "-p", "include_illustrative=true"],
    )
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    rows = rows.get("rows", rows) if isinstance(rows, dict) else rows
    assert [(r["id"], r["matched"]) for r in rows] == [("siren-900000027", "SIREN 900000027")]


def test_the_example_in_docs_is_the_fixture_and_loads(tmp_path, voc):
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Registry CSVs with a mapping", 1)[1].split("\n## ", 1)[0]
    blocks = dict(re.findall(r"`([\w.]+)`:\n\n```\w+\n(.*?)```", section, re.DOTALL))
    assert set(blocks) == {f"{FIRMS}.csv", f"{FIRMS}.mapping.yaml"}
    for file, body in blocks.items():
        assert body == (FIXTURES / file).read_text(encoding="utf-8"), file
        (tmp_path / file).write_text(body, encoding="utf-8")
    (bundle,) = read_files([tmp_path / f"{FIRMS}.csv"], voc)
    assert len(list(bundle.graph.subjects(OKG.quoteVerified, Literal(True)))) == 3


# -- errors: file, line, field ----------------------------------------------------------------
def test_a_bad_identifier_names_the_line_the_column_and_the_key(reg, voc):
    _edit(reg / f"{FIRMS}.csv", "900000027,", "900000028,")
    errs = _errors(reg, voc)
    assert [e[:3] for e in errs] == [
        (f"{JOBS}.csv", 3, "SIREN → employer"),  # the firm of line 3 now has another id
        (f"{FIRMS}.csv", 3, "Numéro SIREN → siren"),
    ], errs
    assert "check digit" in errs[1][3]


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "words"),
    [
        (f"{FIRMS}.csv", "2020-01-06", "2020-02-30", (f"{FIRMS}.csv", 4, "Date de création → start"), "impossible"),
        (f"{FIRMS}.csv", "82.11Z", "70.22Z", (f"{FIRMS}.csv", 4, "Activité principale → sector"), "'70.22Z' is not listed under values:"),
        (f"{JOBS}.csv", ";CDD;", ";Intérim;", (f"{JOBS}.csv", 4, "Type de contrat → employmentType"), "'Intérim' is not listed"),
        (f"{JOBS}.csv", "1 200", "-5", (f"{JOBS}.csv", 2, "Effectif salarié → headcount"), "negative"),
        (f"{JOBS}.csv", "1 200", "40,000", (f"{JOBS}.csv", 2, "Effectif salarié → headcount"), "'40,000' is ambiguous in a fr source"),
        (f"{JOBS}.csv", "eff-2;", "Eff 2;", (f"{JOBS}.csv", 3, "Identifiant → id"), "expected an id"),
    ],
)  # fmt: skip
def test_a_bad_cell_names_the_line_the_column_and_the_key(reg, voc, file, old, new, where, words):
    _edit(reg / file, old, new)
    errs = _errors(reg, voc)
    assert [e[:3] for e in errs] == [where], errs
    assert words in errs[0][3]


def test_an_unmapped_column_is_refused_by_name(reg, voc):
    path = reg / f"{FIRMS}.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(
        [r + [v] for r, v in zip(rows, ["Tranche effectif", "11", "12", "21"], strict=True)]
    )
    path.write_text(out.getvalue(), encoding="utf-8")
    errs = _errors(reg, voc, f"{FIRMS}.csv")
    assert [e[:3] for e in errs] == [(f"{FIRMS}.csv", 1, "Tranche effectif")], errs
    assert "not in etablissements.mapping.yaml: map it under columns: or list it under ignore:" in errs[0][3]  # fmt: skip


MAPPING = f"{FIRMS}.mapping.yaml"


@pytest.mark.parametrize(
    ("old", "new", "anchor", "field", "words"),
    [
        ('"Date de création": start', '"Date de création": started', "started", "columns.Date de création", "unknown okg key 'started'"),
        ('"Dénomination": label@fr', '"Dénomination": label@xx', "label@xx", "columns.Dénomination", "unknown language code 'xx'"),
        ("okg: 1", "okg: 1\ncolums: {}", "colums", "colums", "unknown field"),
        ('ignore: ["Code postal", "Commune"]', 'ignore: ["Code postal", "Commune", "Capital"]', "Capital", "ignore", "column 'Capital' is not in the header of etablissements.csv"),
        ('  "Date de création": start', '  "Date de création": start\n  "Capital social": note', "Capital social", "columns.Capital social", "not in the header"),
        ('"Date de création": start', '"Date de création": label@fr', "création", "columns.Date de création", "duplicate target 'label@fr': column 'Dénomination' (line 11)"),
        ('"Date de création": start', '"Date de création": label', "création", "columns.Date de création", "duplicate target 'label': column 'Dénomination' (line 11) maps to 'label@fr'"),
        ("  country: FR", "  country: FR\n  start: 2020-01-01", "création", "columns.Date de création", "duplicate target 'start': constant 'start'"),
        ('ignore: ["Code postal", "Commune"]', 'ignore: ["Code postal", "Commune", "Dénomination"]', "ignore:", "ignore", "both mapped"),
        ("    to: sector", "    to: sector\n    lookup: x", "lookup", "columns.Activité principale.lookup", "unknown field"),
        ("\nquote: row", "\nquote: Dénomination", "quote: D", "quote", "expected 'row'"),
        ("okg: 1", "okg: 1\ndelimiter: '|'", "delimiter", "delimiter", "expected ','"),
    ],
)  # fmt: skip
def test_a_bad_mapping_names_the_mapping_its_line_and_key(reg, voc, old, new, anchor, field, words):
    _edit(reg / MAPPING, old, new)
    errs = [e for e in _errors(reg, voc) if e[0] == MAPPING]
    assert [e[1:3] for e in errs] == [(_line_of(reg / MAPPING, anchor), field)], errs
    assert words in errs[0][3]


def test_a_bad_constant_is_reported_once_at_its_line(reg, voc):
    _edit(reg / MAPPING, "  country: FR", "  country: FX")
    errs = _errors(reg, voc, MAPPING)
    assert [e[:3] for e in errs] == [(MAPPING, _line_of(reg / MAPPING, "country: FX"), "constants.country")]  # fmt: skip
    assert "unknown country 'FX'" in errs[0][3]


def test_a_key_no_column_gives_says_so(reg, voc):
    _edit(reg / MAPPING, "  type: Firm\n", "")
    errs = _errors(reg, voc, f"{FIRMS}.csv")
    assert [e[:3] for e in errs] == [(f"{FIRMS}.csv", n, "type") for n in (2, 3, 4)]
    assert "no column of etablissements.mapping.yaml maps to type" in errs[0][3]


def test_the_source_comes_from_one_file_only(reg, voc):
    (reg / f"{FIRMS}.source.yaml").write_text(
        "source: {id: other, title: Other, language: fr}\n", encoding="utf-8"
    )
    errs = _errors(reg, voc, f"{FIRMS}.source.yaml")
    assert [e[:3] for e in errs] == [(f"{FIRMS}.source.yaml", 1, "source")]
    assert "also given by etablissements.mapping.yaml" in errs[0][3]


def test_source_block_errors_name_the_file_that_holds_it(reg, voc):
    _edit(reg / f"{JOBS}.source.yaml", "language: fr", "language: xx")
    _edit(reg / MAPPING, "  date: 2026-12-01", "  date: 2026-13-01")
    errs = _errors(reg, voc)
    assert [e[:3] for e in errs] == [
        (f"{JOBS}.source.yaml", 4, "source.language"),
        (MAPPING, _line_of(reg / MAPPING, "date: 2026-13"), "source.date"),
    ], errs


def test_a_row_not_in_the_mapped_shape_names_its_line(reg, voc):
    _edit(reg / f"{JOBS}.csv", "eff-3;900000035;CDD;plus de 80;", "eff-3;900000035;CDD;plus de 80")
    assert [e[:3] for e in _errors(reg, voc)] == [(f"{JOBS}.csv", 4, None)]


# -- all or nothing ----------------------------------------------------------------------------
def test_nothing_is_loaded_when_any_row_is_bad(reg, voc, tmp_path):
    _edit(reg / f"{JOBS}.csv", "plus de 80", "plus de quatre-vingts")
    bundles = read_files([reg / f"{FIRMS}.csv", reg / f"{JOBS}.csv"], voc, raise_on_error=False)
    jobs = bundles[1]
    assert [(e.line, e.field) for e in jobs.errors] == [(4, "Effectif salarié → headcount")]
    assert len(jobs.graph) == 0  # the two good rows are not loaded either
    from okg.cli import app
    from typer.testing import CliRunner

    store = str(tmp_path / "store")
    done = CliRunner().invoke(app, ["build", "--store", store, str(reg)])
    assert done.exit_code != 0
    assert "effectifs.csv:4: [Effectif salarié → headcount]" in done.output
    assert "nothing was loaded" in done.output


def test_numbers_follow_the_source_language(reg, voc):
    _edit(reg / f"{JOBS}.source.yaml", "language: fr", "language: en")
    _edit(reg / f"{JOBS}.csv", "environ 40 000", "about 40,000")
    _edit(reg / f"{JOBS}.csv", "plus de 80", "more than 80")
    _firms, jobs = read_files([reg / f"{FIRMS}.csv", reg / f"{JOBS}.csv"], voc)
    q = URIRef(f"{OKGD['registry-fixture-effectifs/eff-2']}/okg-headcount")
    assert jobs.graph.value(q, OKG.pointValue) == Literal(Decimal(40000))
    assert str(jobs.graph.value(q, OKG.statedAs)) == "about 40,000"


# -- the same records as okg's own headers, whatever the headers -------------------------------
OWN = ["id", "type", "label@fr", "country", "siren", "quote"]
ROW = ["acme", "Firm", "Acme, Lille", "FR", "732829320", "Acme SA"]
SOURCE = "source: {id: registry-prop, title: Registry extract, language: fr}\n"

header_names = st.text(
    st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=1, max_size=12
).filter(lambda s: s == name(s))


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    headers=st.lists(header_names, min_size=len(OWN), max_size=len(OWN), unique_by=name),
    order=st.permutations(range(len(OWN))),
)
def test_any_headers_give_the_records_of_okg_own_headers(tmp_path_factory, voc, headers, order):
    def write(folder: Path, names: list[str], mapping: str | None) -> Path:
        folder.mkdir()
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow([names[i] for i in order])
        w.writerow([ROW[i] for i in order])
        (folder / "t.csv").write_text(out.getvalue(), encoding="utf-8")
        (folder / "t.source.yaml").write_text(SOURCE, encoding="utf-8")
        if mapping:
            (folder / "t.mapping.yaml").write_text(mapping, encoding="utf-8")
        return folder / "t.csv"

    base = tmp_path_factory.mktemp("prop")
    own = write(base / "own", OWN, None)
    mapping = yaml.safe_dump({"columns": dict(zip(headers, OWN, strict=True))}, allow_unicode=True)
    mapped = write(base / "mapped", headers, mapping)
    (a,) = read_files([own], voc)
    (b,) = read_files([mapped], voc)
    assert set(a.graph) == set(b.graph) and len(a.graph) > 10


def test_every_bad_row_is_reported_in_one_pass(reg, voc):
    _edit(reg / f"{FIRMS}.csv", "Lille,82.20Z", "Lille,70.22Z")
    _edit(reg / f"{FIRMS}.csv", "900000027,", "900000028,")
    _edit(reg / MAPPING, "  country: FR", "  country: FX")
    errs = _errors(reg, voc)
    assert [e[:3] for e in errs if e[0] != f"{JOBS}.csv"] == [
        (f"{FIRMS}.csv", 2, "Activité principale → sector"),
        (f"{FIRMS}.csv", 3, "Numéro SIREN → siren"),
        (MAPPING, _line_of(reg / MAPPING, "country: FX"), "constants.country"),
    ], errs


yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
mapping_docs = st.dictionaries(
    st.sampled_from(["okg", "columns", "ignore", "constants", "quote", "delimiter", "source", "x"]),
    yaml_values
    | st.dictionaries(
        st.sampled_from(["Numéro SIREN", "Dénomination", "A"]),
        st.sampled_from(["siren", "id", "label@fr", "nope"]) | yaml_values,
        max_size=3,
    ),
    max_size=6,
)


@settings(max_examples=60, deadline=None)
@given(doc=mapping_docs)
def test_any_mapping_document_gives_errors_with_lines_never_an_exception(voc, doc):
    from okg.loaders.csv_mapping import parse_mapping
    from okg.loaders.errors import ErrorSink

    sink = ErrorSink("m.mapping.yaml")
    got = parse_mapping(yaml.safe_dump(doc, allow_unicode=True), sink, voc)
    assert (got is None) == bool(sink.errors)
    assert all(e.file == "m.mapping.yaml" and e.message for e in sink.errors)


def test_a_header_with_a_column_twice_is_refused(reg, voc):
    _edit(reg / f"{FIRMS}.csv", "Date de création\n", "Commune\n")
    errs = _errors(reg, voc, f"{FIRMS}.csv")
    assert [e[:3] for e in errs] == [(f"{FIRMS}.csv", 1, "Commune")], errs
    assert "appears twice" in errs[0][3]


def test_csv_with_own_headers_refuses_a_column_twice_and_an_unknown_sidecar_key(tmp_path, voc):
    (tmp_path / "t.source.yaml").write_text(SOURCE + "contexts: {}\n", encoding="utf-8")
    (tmp_path / "t.csv").write_text(
        "id,type,country,country,quote\nacme,Firm,FR,MA,Acme\n", encoding="utf-8"
    )
    with pytest.raises(LoadError) as err:
        read_files([tmp_path / "t.csv"], voc)
    got = [(Path(e.file).name, e.line, e.field) for e in err.value.errors]
    assert got == [("t.csv", 1, "country"), ("t.source.yaml", 2, "contexts")]
