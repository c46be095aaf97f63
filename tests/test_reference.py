"""Reference individuals from maintained lists: ISO 3166-1, ISO 639-1 (pycountry), NACE Rev. 2."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pycountry
import pytest
from okg.loaders import LoadError, read_files
from okg.terms.namespaces import COUNTRY, MARKET, NACE, OKG
from okg.terms.vocabulary import load_vocabulary
from rdflib import Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def voc():
    return load_vocabulary()


def _labels(voc, iri) -> dict[str, str]:
    return {lit.language: str(lit) for lit in voc.graph.objects(iri, RDFS.label)}


def test_every_iso_3166_country_and_its_market_is_keyed(voc):
    countries = voc.keyed_individuals(OKG.Country)
    markets = voc.keyed_individuals(OKG.Market)
    codes = {c.alpha_2 for c in pycountry.countries}
    assert len(codes) == 249
    assert set(countries) == codes
    assert set(markets) == codes
    for code in codes:
        assert countries[code] == COUNTRY[code]
        assert markets[code] == MARKET[code]
        assert voc.graph.value(MARKET[code], OKG.marketCountry) == COUNTRY[code]
        assert voc.graph.value(COUNTRY[code], OKG.countryCode) == Literal(code)
        assert "en" in _labels(voc, COUNTRY[code])


def test_every_iso_639_1_language_is_keyed(voc):
    langs = voc.keyed_individuals(OKG.Language)
    two_letter = {lg.alpha_2 for lg in pycountry.languages if hasattr(lg, "alpha_2")}
    assert {k for k in langs if len(k) == 2} == two_letter
    # the hand-typed three-letter codes of reference.ttl stay
    assert {"ary", "ber", "zgh"} <= set(langs)


@pytest.mark.parametrize(
    "code, fr, ar",
    [("MA", "Maroc", "المغرب"), ("FR", "France", "فرنسا"), ("BE", "Belgique", "بلجيكا")],
)
def test_hand_typed_countries_keep_their_iri_and_labels(voc, code, fr, ar):
    labels = _labels(voc, COUNTRY[code])
    assert labels["fr"] == fr and labels["ar"] == ar
    assert voc.keyed_individuals(OKG.Country)[code] == COUNTRY[code]
    assert len(list(voc.graph.objects(COUNTRY[code], RDFS.label))) == 3  # no second label


def test_generated_countries_have_french_and_arabic_labels_from_the_catalogues(voc):
    import gettext

    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, ["fr"])
    co = _labels(voc, COUNTRY["CO"])
    assert co == {"en": "Colombia", "fr": fr.gettext("Colombia"), "ar": "كولومبيا"}
    assert _labels(voc, MARKET["VN"])["en"] == "Vietnam market"


def _levels(voc) -> dict[str, int]:
    patterns = {
        "section": r"[A-U]",
        "division": r"\d\d",
        "group": r"\d\d\.\d",
        "class": r"\d\d\.\d\d",
    }
    counts = dict.fromkeys(patterns, 0)
    for key in voc.keyed_individuals(OKG.Sector):
        hits = [lv for lv, p in patterns.items() if re.fullmatch(p, key)]
        assert len(hits) == 1, key
        counts[hits[0]] += 1
    return counts


def test_nace_rev2_has_its_published_counts(voc):
    assert _levels(voc) == {"section": 21, "division": 88, "group": 272, "class": 615}


def test_nace_hierarchy_and_labels(voc):
    g = voc.graph
    sectors = voc.keyed_individuals(OKG.Sector)
    for key, iri in sectors.items():
        labels = _labels(voc, iri)
        assert labels.get("en") and labels.get("fr"), key
        assert g.value(iri, SKOS.notation) == Literal(key)
        parents = list(g.objects(iri, SKOS.broader))
        if re.fullmatch(r"[A-U]", key):
            assert parents == [], key
            continue
        assert len(parents) == 1, key
        parent_key = str(g.value(parents[0], OKG.key))
        if "." in key:  # 01.1 under 01, 01.11 under 01.1
            assert parent_key == key[:-1].rstrip("."), key
    # divisions hang under the section of Regulation (EC) No 1893/2006
    assert g.value(NACE["82"], SKOS.broader) == NACE["N"]
    assert g.value(NACE["8220"], SKOS.broader) == NACE["822"]
    assert g.value(NACE["822"], SKOS.broader) == NACE["82"]
    assert _labels(voc, NACE["8220"])["fr"] == "Activités de centres d'appels"
    # the hand-typed class keeps its Arabic label
    assert _labels(voc, NACE["8220"])["ar"] == "أنشطة مراكز الاتصال"


def test_generated_iso_file_is_what_the_tool_makes():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_reference.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


FIRMS = """\
okg: 1
source:
  id: latam-vn-call-centres
  title: "Call centres in Colombia, Vietnam and Paraguay"
  language: es
facts:
  - id: bogota-contact
    type: Firm
    label: {{en: Bogota Contact}}
    country: {co}
    sector: "82.20"
    quote: "Bogota Contact"
  - id: hanoi-bpo
    type: Firm
    label: Hanoi BPO
    country: VN
    sector: "82.2"
    quote: "Hanoi BPO"
  - id: asuncion-services
    type: Firm
    label: Asunción Services
    country: PY
    sector: N
    quote: "Asunción Services"
"""


def test_build_firms_in_colombia_vietnam_and_paraguay(tmp_path):
    from okg.store import KnowledgeGraph

    path = tmp_path / "latam.yaml"
    path.write_text(FIRMS.format(co="CO"), encoding="utf-8")
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([path])
    rows = kg.query("SELECT ?f ?c WHERE { GRAPH ?g { ?f okg:country ?c } } ORDER BY ?f").rows
    assert [(str(f).rsplit("/", 1)[1], str(c).rsplit("/", 1)[1]) for f, c in rows] == [
        ("asuncion-services", "PY"),
        ("bogota-contact", "CO"),
        ("hanoi-bpo", "VN"),
    ]


def test_unknown_country_names_the_list_it_was_checked_against(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(FIRMS.format(co="XX"), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_files([path], load_vocabulary())
    messages = [str(e) for e in err.value.errors]
    assert any(
        m.endswith(":10: [country] unknown country 'XX': not in ISO 3166-1 (249 codes)")
        for m in messages
    ), messages


def test_unknown_country_hint_suggests_the_code_in_capitals(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(FIRMS.format(co="co"), encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_files([path], load_vocabulary())
    (message,) = [str(e) for e in err.value.errors]
    assert "not in ISO 3166-1 (249 codes); did you mean CO?" in message
    # the hint is true: the suggested code loads
    path.write_text(FIRMS.format(co="CO"), encoding="utf-8")
    read_files([path], load_vocabulary())


@pytest.mark.reasoner
def test_all_reference_individuals_are_consistent_with_the_ontology():
    """The reasoner leaves unreferenced reference individuals out (okg.store.reasoning); here
    they are all checked once, with the ontology, by HermiT."""
    from okg.store.reasoning import JavaMissingError, check_consistency, owl_compatible
    from okg.terms.resources import ontology_dir
    from okg.terms.vocabulary import CORE_FILES
    from rdflib import Graph

    g = Graph()
    for name in CORE_FILES:
        g.parse(ontology_dir() / name, format="turtle")
    assert len(owl_compatible(g)) < len(g) / 4  # the run on data leaves them out
    holder = URIRef("https://w3id.org/okg/id/reference-check")
    for cls in (OKG.Country, OKG.Market, OKG.Language, OKG.Sector):
        for x in list(g.subjects(RDF.type, cls)):
            g.add((holder, RDFS.seeAlso, x))  # referenced: none is left out now
    imports = len(list(g.triples((None, OWL.imports, None))))
    assert len(owl_compatible(g)) == len(g) - imports
    try:
        report = check_consistency(g)
    except JavaMissingError as exc:
        pytest.skip(str(exc))
    assert report.consistent, report.message


def _tool(name: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _label_set(codes: dict[str, dict[str, str]]) -> str:
    """A LimeSurvey label-set export shaped like the FSO's files."""
    labels, l10ns = [], []
    for i, (code, titles) in enumerate(codes.items(), start=1):
        labels.append(f"<row><id><![CDATA[{i}]]></id><code><![CDATA[{code}]]></code></row>")
        for lang, title in titles.items():
            l10ns.append(
                f"<row><id><![CDATA[{i}{lang}]]></id><label_id><![CDATA[{i}]]></label_id>"
                f"<title><![CDATA[{title}]]></title><language><![CDATA[{lang}]]></language></row>"
            )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><document>"
        f"<labels><rows>{''.join(labels)}</rows></labels>"
        f"<label_l10ns><rows>{''.join(l10ns)}</rows></label_l10ns></document>"
    )


def test_make_nace_reads_label_sets_and_refuses_wrong_counts(tmp_path):
    tool = _tool("make_nace")
    sets = {
        "SECTION": {"N": {"en": "ADMINISTRATIVE", "fr": "ADMINISTRATIF"}},
        "DIVISION": {"82": {"en": "Office support", "fr": "Soutien de bureau"}},
        "GROUP": {"822": {"en": "Call centres", "fr": "Centres d'appels"}},
        "CLASS": {"8220": {"en": "Activities of call centres", "fr": "Centres d'appels"}},
    }
    for level, codes in sets.items():
        (tmp_path / f"DV_NOGA_{level}.lsl").write_text(_label_set(codes), encoding="utf-8")
    assert tool.read_label_set(tmp_path / "DV_NOGA_CLASS.lsl") == sets["CLASS"]
    assert tool.notation("GROUP", "822") == "82.2" and tool.notation("CLASS", "8220") == "82.20"
    assert {tool.section_of(f"{d:02d}") for d in (1, 35, 82, 99)} == {"A", "D", "N", "U"}
    with pytest.raises(tool.SourceError, match="1 codes, expected 21"):
        tool.render(tmp_path, None)
    with pytest.raises(tool.SourceError, match="falls in 0 sections"):
        tool.section_of("04")  # no division 04 in NACE Rev. 2


def test_generated_file_helper_doctests():
    """tools/ is not installed, so tests/test_doctests.py does not see its doctests."""
    import doctest

    result = doctest.testmod(_tool("generated"), optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 3 and result.failed == 0
