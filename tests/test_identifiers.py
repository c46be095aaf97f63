"""External identifiers: Wikidata as owl:sameAs, LEI/SIREN/KBO/ICE/OpenCorporates as ADMS
identifiers, check digits refused with file/line/field, shared identifiers reported, find-entity."""

from __future__ import annotations

import pytest
from okg.analysis.identity import find_shared_identifiers, shared_identifier_lines
from okg.loaders import LoadError, read_files
from okg.queries.canned import run_query
from okg.store import KnowledgeGraph
from okg.terms.identifiers import ADMS, check_lei, luhn, mod97_be
from okg.terms.namespaces import OKG, OKGD
from okg.terms.vocabulary import load_vocabulary
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

LEI = "529900T8BM49AURSDO55"  # a published LEI (check digits 55)
SIREN = "732829320"
KBO = "0403.170.701"


def _doc(source: str, records: str, lang: str = "en") -> str:
    return f"""\
okg: 1
source:
  id: {source}
  title: "Identifiers test {source}"
  language: {lang}
facts:
{records}"""


FIRM = """\
  - id: {id}
    type: Firm
    label: {{en: {label}}}
    country: {country}
{extra}    quote: "{label}"
"""


def _firm(id: str, label: str, country: str = "FR", **keys: str) -> str:
    extra = "".join(f'    {k}: "{v}"\n' for k, v in keys.items())
    return FIRM.format(id=id, label=label, country=country, extra=extra)


def _kg(tmp_path, *docs: tuple[str, str]) -> KnowledgeGraph:
    paths = []
    for name, text in docs:
        p = tmp_path / f"{name}.yaml"
        p.write_text(text, encoding="utf-8")
        paths.append(p)
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(paths)
    return kg


def test_check_digit_rules():
    assert check_lei(LEI)
    assert not check_lei(LEI[:-1] + "6")
    assert not check_lei(LEI[:5] + "U" + LEI[6:])  # one character changed
    assert luhn(SIREN) and not luhn("732829321")
    assert mod97_be("0403170701") and not mod97_be("0403170702")


def test_wikidata_is_stored_as_same_as_and_exported(tmp_path):
    kg = _kg(tmp_path, ("a", _doc("src-a", _firm("colcall", "ColCall", "CO", wikidata="Q2841"))))
    firm = OKGD["colcall"]
    assert kg.ask(
        "ASK { GRAPH ?g { ?f owl:sameAs <http://www.wikidata.org/entity/Q2841> } }", {"f": firm}
    )
    assert b"<http://www.wikidata.org/entity/Q2841>" in kg.export("nquads")
    assert b"<http://www.wikidata.org/entity/Q2841>" in kg.export("trig")


def test_typed_identifiers_are_adms_nodes_with_scheme_and_notation(tmp_path):
    records = _firm("acme", "Acme", lei=LEI.lower(), siren="732 829 320", kbo=KBO)
    records += _firm("atlas", "Atlas", "MA", ice="001234567000089", opencorporates="fr/542051180")
    kg = _kg(tmp_path, ("a", _doc("src-a", records)))
    g = Graph()
    for s, p, o, _g in kg.dataset().quads((None, None, None, None)):
        g.add((s, p, o))
    acme = OKGD["acme"]
    found = {}
    for ident in g.objects(acme, ADMS.identifier):
        assert (ident, RDF.type, ADMS.Identifier) in g
        found[g.value(ident, OKG.scheme)] = g.value(ident, SKOS.notation)
    assert found == {
        OKG.LEI: Literal(LEI),  # capitals
        OKG.SIREN: Literal(SIREN),  # spaces removed
        OKG.KBO: Literal("0403170701"),  # dots removed
    }
    atlas = {
        g.value(i, OKG.scheme): str(g.value(i, SKOS.notation))
        for i in g.objects(OKGD["atlas"], ADMS.identifier)
    }
    assert atlas == {OKG.ICE: "001234567000089", OKG.OpenCorporates: "fr/542051180"}
    lei_node = URIRef(f"https://w3id.org/okg/id/identifier/lei/{LEI}")
    assert (lei_node, ADMS.schemeAgency, Literal("GLEIF")) in g
    assert (acme, OWL.sameAs, None) not in g


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("lei", LEI[:-1] + "6", "fails the check digits of a Legal Entity Identifier"),
        ("lei", "ABC", "is not a Legal Entity Identifier (ISO 17442); expected 20 characters"),
        ("siren", "732829321", "fails the check digits of a SIREN number (France) (luhn)"),
        ("siren", "12345678", "is not a SIREN number (France); expected 9 digits"),
        ("kbo", "0403.170.702", "fails the check digits of a enterprise number KBO/BCE"),
        ("ice", "12345", "expected 15 digits"),
        ("wikidata", "2841", "is not a Wikidata item; expected Q followed by digits"),
        ("opencorporates", "542051180", "expected jurisdiction/number"),
    ],
)
def test_bad_identifiers_are_refused_with_file_line_and_field(tmp_path, key, value, expected):
    path = tmp_path / "bad.yaml"
    path.write_text(_doc("bad", _firm("acme", "Acme", **{key: value})), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_files([path], load_vocabulary())
    (error,) = err.value.errors
    assert (error.file, error.line, error.field) == (str(path), 11, key)
    assert expected in error.message, error.message
    assert str(error).startswith(f"{path}:11: [{key}] '{value}' ")


def test_same_identifier_in_two_sources_is_reported(tmp_path):
    kg = _kg(
        tmp_path,
        ("a", _doc("src-a", _firm("acme", "Acme", lei=LEI, wikidata="Q42"))),
        ("b", _doc("src-b", _firm("acme-sa", "ACME S.A.", lei=LEI), "fr")),
        ("c", _doc("src-c", _firm("other", "Other", wikidata="Q42"))),
    )
    shared = find_shared_identifiers(kg)
    assert [(s.scheme, s.notation, s.first, s.second) for s in shared] == [
        ("LEI", LEI, str(OKGD["acme"]), str(OKGD["acme-sa"])),
        ("Wikidata", "Q42", str(OKGD["acme"]), str(OKGD["other"])),
    ]
    assert shared[0].first_sources == ("src-a",) and shared[0].second_sources == ("src-b",)
    lines = shared_identifier_lines(kg)
    assert lines[0].startswith(
        f"LEI {LEI} is held by two actors: Acme (src-a) and ACME S.A. (src-b)"
    )


def test_one_actor_in_two_sources_is_not_reported(tmp_path):
    kg = _kg(
        tmp_path,
        ("a", _doc("src-a", _firm("acme", "Acme", lei=LEI))),
        ("b", _doc("src-b", _firm("acme", "Acme", lei=LEI))),
    )
    assert find_shared_identifiers(kg) == []


@pytest.fixture(scope="module")
def find_kg(tmp_path_factory):
    return _kg(
        tmp_path_factory.mktemp("find"),
        ("a", _doc("src-a", _firm("acme", "Acme Contact", lei=LEI, wikidata="Q2841", kbo=KBO))),
        ("b", _doc("src-b", _firm("unrelated", "Unrelated", lei="5493001KJTIIGC8Y1R12"))),
    )


@pytest.mark.parametrize(
    "text, matched",
    [
        (LEI, f"LEI {LEI}"),
        ("5299 00T8 BM49 AURS DO55", f"LEI {LEI}"),
        ("Q2841", "Wikidata Q2841"),
        ("wikidata:q2841", "Wikidata Q2841"),
        ("http://www.wikidata.org/entity/Q2841", "Wikidata Q2841"),
        ("0403.170.701", "KBO 0403170701"),
        ("Q284", None),  # identifiers match whole, not in part
    ],
)
def test_find_entity_by_identifier(find_kg, text, matched):
    rows = run_query(find_kg, "find-entity", {"text": text}).python()
    assert [(r["id"], r["matched"]) for r in rows] == ([("acme", matched)] if matched else [])


def test_find_entity_still_finds_by_label(find_kg):
    rows = run_query(find_kg, "find-entity", {"text": "contact"}).python()
    assert [(r["id"], r["label"]) for r in rows] == [("acme", "Acme Contact")]


def test_identifiers_load_from_csv_columns(tmp_path):
    (tmp_path / "firms.source.yaml").write_text(
        'source:\n  id: registry-csv\n  title: "Registry extract"\n  language: fr\n',
        encoding="utf-8",
    )
    (tmp_path / "firms.csv").write_text(
        f"id,type,label@fr,country,siren,lei,quote\nacme,Firm,Acme,FR,{SIREN},{LEI},Acme SA\n",
        encoding="utf-8",
    )
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([tmp_path / "firms.csv"])
    rows = run_query(kg, "find-entity", {"text": SIREN}).python()
    assert [(r["id"], r["matched"]) for r in rows] == [("acme", f"SIREN {SIREN}")]
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "firms.source.yaml").write_text(
        (tmp_path / "firms.source.yaml").read_text(), encoding="utf-8"
    )
    (bad / "firms.csv").write_text(
        "id,type,label@fr,country,siren,quote\nacme,Firm,Acme,FR,732829321,Acme SA\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError) as err:
        read_files([bad / "firms.csv"], load_vocabulary())
    (error,) = err.value.errors
    assert (error.line, error.field) == (2, "siren") and "check digits" in error.message


def test_okg_check_reports_a_shared_identifier(tmp_path):
    from okg.cli import app
    from typer.testing import CliRunner

    paths = []
    for name, text in (
        ("a", _doc("src-a", _firm("acme", "Acme", lei=LEI))),
        ("b", _doc("src-b", _firm("acme-sa", "ACME S.A.", lei=LEI), "fr")),
    ):
        p = tmp_path / f"{name}.yaml"
        p.write_text(text, encoding="utf-8")
        paths.append(str(p))
    store = str(tmp_path / "store")
    runner = CliRunner()
    done = runner.invoke(app, ["build", "--store", store, *paths])
    assert done.exit_code == 0, done.output
    done = runner.invoke(app, ["check", "--store", store, "--no-reasoner"])
    assert f"LEI {LEI} is held by two actors: Acme (src-a) and ACME S.A. (src-b)" in done.output
