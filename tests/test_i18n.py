"""Every word in the user's language (issue 14 item 1): the message catalogue of the text,
Markdown and CSV output, its completeness, numbers per locale, and the seed reports in French
and Arabic with no English word of the UI left."""

import csv
import html
import importlib.util
import io
import json
import re
import string
import sys
from pathlib import Path

import pytest
from okg.cli import app
from okg.figures.intervals import UNKNOWN, Interval
from okg.render import i18n
from okg.render.i18n import locale
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()

spec = importlib.util.spec_from_file_location("make_catalogues", ROOT / "tools/make_catalogues.py")
mc = importlib.util.module_from_spec(spec)
sys.modules["make_catalogues"] = mc  # dataclasses look their module up
spec.loader.exec_module(mc)

SAME = {
    # French words spelt as the English msgid (not left untranslated: they are French too)
    "fr": {
        "source",
        "types",
        "dates",
        "segment",
        " (segment)",
        "site",
        "impact",
        "gain",
        "Sources",
        "Impact",
        "client",
    },
    "ar": set(),
}
"""Entries whose translation may equal the msgid; every other one must differ, unless the
msgid has no letters outside its {slots} (punctuation, separators)."""

LRI, PDI, NNBSP = "\u2066", "\u2069", "\u202f"


def _catalogue(lang):
    return {e.msgid: e for e in mc.read_po(mc.po_path(lang)) if e.msgid}


def _slots(text):
    return sorted(f for _, f, _, _ in string.Formatter().parse(text) if f)


# -- the catalogue -------------------------------------------------------------------------------


def test_extraction_finds_the_code_messages():
    used = mc.extract()
    # msgids from each renderer and from the pattern table, and a plural with its plural
    assert {"Jobs by country", "Most exposed countries", "possible closure"} <= set(used)
    assert "in transition ({start} to {end})" in used
    assert used["(incl. {n} unknown figure)"] == "(incl. {n} unknown figures)"
    assert len(used) > 150


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_every_msgid_is_in_the_catalogue(lang):
    have = _catalogue(lang)
    missing = [m for m in mc.extract() if m not in have]
    assert not missing, f"{lang}: msgids used in kg/render or kg/cli missing: {missing}"
    unused = [m for m in have if m not in mc.extract()]
    assert not unused, f"{lang}: catalogue entries no code uses: {unused}"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_entry_is_translated(lang):
    nplurals = {"fr": 2, "ar": 6}[lang]
    bad = []
    for msgid, e in _catalogue(lang).items():
        forms = e.msgstr
        if not all(forms):
            bad.append((msgid, "empty"))
            continue
        if e.msgid_plural is not None and len(forms) != nplurals:
            bad.append((msgid, f"{len(forms)} plural forms, not {nplurals}"))
        letters = re.sub(r"\{\w+\}", "", msgid)
        if any(c.isalpha() for c in letters) and msgid not in SAME[lang]:
            if any(f == msgid or f == e.msgid_plural for f in forms):
                bad.append((msgid, "untranslated"))
        for f in forms:  # a translation fills the same slots (a plural may spell out 1 or 2)
            if _slots(f) != _slots(msgid) and not (e.msgid_plural and not _slots(f)):
                bad.append((msgid, f"slots {_slots(f)} != {_slots(msgid)}"))
    assert not bad, bad


def test_exceptions_are_real():
    # the SAME list holds only entries that exist and are indeed spelt alike
    fr = _catalogue("fr")
    assert all(fr[m].msgstr == [m] for m in SAME["fr"])


def test_mo_files_are_compiled_from_the_po_files():
    for lang in ("en", "fr", "ar"):
        po = mc.po_path(lang)
        assert po.with_suffix(".mo").read_bytes() == mc.mo_bytes(mc.read_po(po)), (
            f"{po.with_suffix('.mo')} is stale: run python tools/make_catalogues.py"
        )
    assert mc.problems() == []


def test_mo_writer_round_trips_through_gettext(tmp_path):
    import gettext

    entries = [
        mc.Entry(
            "",
            msgstr=[
                "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: "
                "nplurals=2; plural=(n > 1);\n"
            ],
        ),
        mc.Entry("lost", msgstr=["perdus"]),
        mc.Entry("{n} row", "{n} rows", ["{n} ligne", "{n} lignes"]),
        mc.Entry("left out", msgstr=[""]),
    ]
    path = tmp_path / "x.mo"
    path.write_bytes(mc.mo_bytes(entries))
    t = gettext.GNUTranslations(path.open("rb"))
    assert t.gettext("lost") == "perdus" and t.gettext("left out") == "left out"
    assert t.ngettext("{n} row", "{n} rows", 1) == "{n} ligne"
    assert t.ngettext("{n} row", "{n} rows", 2) == "{n} lignes"


def test_arabic_plurals_have_six_forms():
    ar = locale("ar")
    msgstr = _catalogue("ar")["{n} more row (--top)"].msgstr
    assert len(msgstr) == 6
    for n, form in ((0, 0), (1, 1), (2, 2), (3, 3), (10, 3), (11, 4), (99, 4), (100, 5)):
        assert ar.ngettext("{n} more row (--top)", "{n} more rows (--top)", n) == msgstr[form]
    assert len({msgstr[i] for i in (1, 2, 3, 4)}) == 4
    fr = locale("fr")
    assert fr.ngettext("(+{n} unknown)", "(+{n} unknown)", 1) == "(+{n} inconnu)"
    assert fr.ngettext("(+{n} unknown)", "(+{n} unknown)", 3) == "(+{n} inconnus)"


# -- numbers and words of figures ----------------------------------------------------------------


def test_english_figures_unchanged():
    en = locale("en")
    for iv, pct in [
        (Interval.of(24000, 199999), False),
        (Interval.of(146, 180, 163), False),
        (Interval.of(-180, -135), False),
        (Interval.of(0.15, 0.2), True),
        (Interval.between(151, None), False),
    ]:
        assert en.fig(iv, pct) == iv.format(pct)
    assert en.text("in transition (2025-10-01 to 2026-03-31)") == (
        "in transition (2025-10-01 to 2026-03-31)"
    )


def test_french_numbers():
    fr = locale("fr")
    assert fr.fig(Interval.of(24000, 199999)) == f"24{NNBSP}000–199{NNBSP}999"
    assert fr.fig(Interval.of(146, 180, 163)) == "environ 163 (146–180)"
    assert fr.fig(Interval.of(-199999, -24000)) == f"−199{NNBSP}999 à −24{NNBSP}000"
    assert fr.fig(Interval.of(0.15, 0.2), percent=True) == f"15–20{NNBSP}%"
    assert fr.fig(Interval.of("0.64", 1)) == "0,64–1"
    assert fr.fig(UNKNOWN) == "inconnu"


def test_arabic_numbers_isolated_western_by_default():
    ar = locale("ar")
    assert ar.fig(Interval.of(24000, 199999)) == f"{LRI}24,000–199,999{PDI}"
    assert ar.fig(Interval.of(0.15, 0.2), percent=True) == f"{LRI}15–20%{PDI}"
    assert ar.fig(Interval.of(146, 180, 163)) == f"حوالي {LRI}163{PDI} ({LRI}146–180{PDI})"
    indic = locale("ar", digits="arab")
    assert indic.fig(Interval.of(24000, 199999)) == f"{LRI}٢٤٬٠٠٠–١٩٩٬٩٩٩{PDI}"
    assert indic.fig(Interval.of(0.15, 0.2), percent=True) == f"{LRI}١٥–٢٠٪{PDI}"
    assert locale("ar", isolate=False).fig(Interval.of(1, 2)) == "1–2"


def test_analysis_sentences_translated_by_pattern():
    fr = locale("fr")
    text = (
        "all jobs attributed to the lost contract X = 135–180; possible closure (revenue share "
        "lost 0–100% reaches the threshold 50% only at its top): from pro rata 135–180 × 0% to "
        "all 135–180 = 0–180 → the same jobs counted once: 135–180"
    )
    assert fr.text(text) == (
        "tous les emplois rattachés au contrat perdu X = 135–180 ; fermeture possible (la part "
        "du chiffre d'affaires perdue 0–100\u202f% n'atteint le seuil 50\u202f% qu'à son "
        "maximum) : du prorata 135–180 × 0\u202f% à la totalité 135–180 = 0–180 → les mêmes "
        "emplois comptés une fois : 135–180"
    )
    # a name keeps its words; a sentence the catalogue does not know keeps its English
    assert fr.text("Sunrise Call") == "Sunrise Call"
    assert fr.text("in force (since 2026-08-01)") == "en vigueur (depuis le 2026-08-01)"


# -- the seed reports in French and Arabic -------------------------------------------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("i18n") / "store"
    done = runner.invoke(app, ["build", "--store", str(path)])
    assert done.exit_code == 0, done.output
    return str(path)


def okg(*args):
    done = runner.invoke(app, [*args], env={"COLUMNS": "300"})
    assert done.exit_code == 0, done.output
    return done.stdout


def _words(texts):
    out = set()
    for t in texts:
        out |= {w.lower() for w in re.findall(r"[A-Za-z]{2,}", re.sub(r"\{\w+\}", "", t))}
    return out


def english_ui_words(lang):
    """The words of the English UI (every word of the en catalogue's msgids, not their slots)
    that the *lang* catalogue itself never writes: "transition" or "possible" in French
    output are French words, "jobs" or "closure" are English left over."""
    own = _words(f for e in _catalogue(lang).values() for f in e.msgstr)
    return _words(_catalogue("en")) - own


# Words that are English UI words and also written so in the translation: program names,
# option values and the names of Latin-script units the output keeps.
KEPT = {"okg", "hhi", "nace"}


def _data_texts(data):
    """Every data-derived text of an impact JSON result: names, sites, titles, quotes, IRIs."""
    out = {data["event"], data["event_label"], *data["event_types"]}
    for r in data["rows"]:
        out |= {r["label"], r["site_label"] or "", r["actor"], r["included_in"] or ""}
        for s in r["chain"]:
            out |= {s["start_label"], s["end_label"], s["source_title"] or "", s["relation"]}
            out |= set(s["quotes"])
        for c in r["claims"]:
            out |= {c["source_title"] or "", *c["quotes"]}
        out |= {i["reason"] or "" for i in r.get("inferences") or []}  # the analyst's words
    for c in data["contracts"]:
        out.add(c["label"])
    for c in data.get("source_claims", []):
        out |= {c.get("actor_label") or "", c.get("claimant_label") or ""}
        out |= {c.get("source_title") or "", *c.get("quotes", [])}
    return {t for t in out if t}


def english_left(text: str, data: dict, lang: str) -> set[str]:
    """English UI words in *text* once the data-derived texts are taken out."""
    codes = {r["country"] for r in data["rows"]} | {c["country"] for c in data["countries"]}
    return english_left_of(text, _data_texts(data), lang, codes)


def english_left_of(text: str, data_texts, lang: str, codes=()) -> set[str]:
    """English UI words in *text* once *data_texts* (names, titles, quotes, ids from the data)
    and *codes* (country codes, as whole words) are taken out."""
    for t in sorted(filter(None, data_texts), key=len, reverse=True):
        text = text.replace(t, " ")
    for code in filter(None, codes):  # country codes (BE) as whole words, case kept
        text = re.sub(rf"\b{code}\b", " ", text)
    text = re.sub(r"okg:\w+", " ", text)  # relation names (CURIEs) are identifiers
    tokens = {w.lower() for w in re.findall(r"[A-Za-z]{2,}", text)}
    return (tokens & english_ui_words(lang)) - KEPT


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_total_relocation_has_no_english_ui_word(store, lang, fmt):
    args = ["impact", "total-relocation", "--as-of", "2026-02-01", "--store", store]
    data = json.loads(okg(*args, "--format", "json", "--lang", lang))
    out = okg(*args, "--format", fmt, "--lang", lang)
    assert english_left(out, data, lang) == set(), out
    # and the check bites: the English report is full of them
    english = okg(*args, "--format", fmt)
    assert {"jobs", "country", "lost"} <= english_left(english, data, lang)


def _bundled_events(store: str) -> list[str]:
    listed = okg("impact", "--list", "--format", "json", "--include-illustrative", "--store", store)
    events = [e["id"] for e in json.loads(listed)]
    assert {"total-relocation", "fr-ban-vote", "eurocar-plant-stoppage"} <= set(events)
    return events


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_bundled_event_has_no_english_ui_word(store, lang):
    """Every event of the bundled data, illustrative ones included, in table and Markdown."""
    left = {}
    for event in _bundled_events(store):
        args = ["impact", event, "--include-illustrative", "--lang", lang, "--store", store]
        data = json.loads(okg(*args, "--format", "json"))
        for fmt in ("table", "md"):
            words = english_left(okg(*args, "--format", fmt), data, lang)
            if words:
                left[(event, fmt)] = sorted(words)
    assert left == {}


def test_inferred_facts_are_translated_but_the_reason_kept(store):
    args = ["impact", "fr-ban-vote", "--as-of", "2026-09-01", "--store", store]
    data = json.loads(okg(*args, "--format", "json"))
    reason = next(i["reason"] for r in data["rows"] for i in r["inferences"] if i["reason"])
    fr = okg(*args, "--lang", "fr")
    assert "Déduit par l'analyste : " in fr and "Inferred by the analyst" not in fr
    assert f"— raison : {reason}" in fr.replace("\n", "")  # the analyst's words, as written
    assert "le modèle ne donne aucun chiffre (en entreprises)" in fr
    ar = okg(*args, "--lang", "ar")
    assert "استنتاج المحلّل: " in ar and "— السبب: " in ar


def _page_text(path: Path) -> str:
    """The words a reader sees on a report page: no script or style, nor the network's list of
    nodes (its labels are the network page's, tested with it); inline isolates joined."""
    page = path.read_text(encoding="utf-8")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    body = re.sub(r"<li data-id=.*?</li>", " ", body, flags=re.S)
    body = re.sub(r"</?(bdi|span)\b[^>]*>", "", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_every_bundled_report_has_no_english_ui_word(store, lang, tmp_path):
    left = {}
    for event in _bundled_events(store):
        args = [event, "--include-illustrative", "--lang", lang, "--store", store]
        data = json.loads(okg("impact", *args, "--format", "json"))
        out = tmp_path / f"{event}.html"
        okg("report", *args, "--out", str(out))
        words = english_left(_page_text(out), data, lang)
        if words:
            left[event] = sorted(words)
    assert left == {}
    # and the check bites: the English page is full of them
    data = json.loads(okg("impact", "fr-ban-vote", "--format", "json", "--store", store))
    okg("report", "fr-ban-vote", "--out", str(tmp_path / "en.html"), "--store", store)
    english = english_left(_page_text(tmp_path / "en.html"), data, lang)
    assert {"jobs", "model", "apart", "inferred", "analyst"} <= english


@pytest.mark.parametrize("lang", ["fr", "ar"])
@pytest.mark.parametrize("fmt", ["table", "md", "csv"])
def test_analyze_has_no_english_ui_word(store, lang, fmt):
    args = ["analyze", "--include-illustrative", "--lang", lang, "--store", store]
    data = json.loads(okg(*args, "--format", "json"))
    texts = {r["label"] for k in ("concentration", "failures", "segments") for r in data[k]}
    texts |= {r[k] or "" for r in data["countries"] + data["sectors"] for k in ("name",)}
    texts |= {r[k] or "" for r in data["countries"] + data["sectors"] for k in ("worst_event",)}
    texts |= {r[k] or "" for r in data["countries"] + data["sectors"] for k in ("worst_failure",)}
    codes = {r["country"] for r in data["concentration"]}
    codes |= {c for r in data["failures"] + data["segments"] for c in r["countries"] or []}
    out = okg(*args, "--format", fmt)
    assert english_left_of(out, texts, lang, codes) == set(), out
    english = okg("analyze", "--include-illustrative", "--store", store, "--format", fmt)
    assert {"market", "exposed"} <= english_left_of(english, texts, lang, codes)


def test_french_report_reads_french(store):
    out = okg(
        "impact", "total-relocation", "--as-of", "2026-02-01", "--lang", "fr", "--store", store
    )
    assert "Emplois par pays" in out and "fermeture possible · en transition" in out
    assert "environ 163" in out and "0–100\u202f%" in out and " à " in out
    md = okg(
        "impact",
        "fr-ban-vote",
        "--as-of",
        "2026-09-01",
        "--lang",
        "fr",
        "--format",
        "md",
        "--store",
        store,
    )
    assert md.startswith("# Impact de ") and "## Emplois par pays" in md
    assert f"24{NNBSP}000–199{NNBSP}999" in md and "exposé · en vigueur" in md


def test_arabic_report_isolates_ranges(store):
    out = okg(
        "impact", "total-relocation", "--as-of", "2026-02-01", "--lang", "ar", "--store", store
    )
    assert "الوظائف حسب البلد" in out and "إغلاق محتمل" in out
    assert f"{LRI}0–100%{PDI}" in out and f"حوالي {LRI}163{PDI}" in out
    # quotes from the sources are left as they are: never isolated nor renumbered
    assert "«تنذر هذه الخطوة بفقدان حوالي 163 موظفًا في مركز IKANBI»" in out
    indic = okg(
        "impact",
        "fr-ban-vote",
        "--as-of",
        "2026-09-01",
        "--lang",
        "ar",
        "--digits",
        "arab",
        "--format",
        "md",
        "--store",
        store,
    )
    assert "٢٤٬٠٠٠–١٩٩٬٩٩٩" in indic
    csv_text = okg(
        "impact",
        "total-relocation",
        "--as-of",
        "2026-02-01",
        "--lang",
        "ar",
        "--format",
        "csv",
        "--store",
        store,
    )
    assert "0–100%" in csv_text and "إغلاق محتمل" in csv_text
    assert LRI not in csv_text, [x for x in csv_text.splitlines() if LRI in x]  # no isolates


def test_json_stays_english(store):
    args = [
        "impact",
        "total-relocation",
        "--as-of",
        "2026-02-01",
        "--format",
        "json",
        "--store",
        store,
    ]
    en, fr = json.loads(okg(*args)), json.loads(okg(*args, "--lang", "fr"))
    assert fr["rows"][0]["status"] == en["rows"][0]["status"] == "possible closure"
    assert fr["timing"] == en["timing"] and set(fr) == set(en)
    assert fr["rows"][0]["jobs"] == en["rows"][0]["jobs"] and "–" in en["rows"][0]["jobs"]["text"]


def test_analyze_in_french(store):
    md = okg("analyze", "--lang", "fr", "--format", "md", "--store", store)
    for heading in (
        "## Concentration des marchés",
        "## Points de défaillance uniques",
        "## Pays les plus exposés",
        "## Secteurs les plus exposés",
        "## Hypothèses",
    ):
        assert heading in md
    assert "Market concentration" not in md and "Assumptions" not in md
    assert "82.20" in md or "82\\.20" in md  # a NACE code is a code, not a decimal number
    rows = list(
        csv.reader(io.StringIO(okg("analyze", "--lang", "fr", "--format", "csv", "--store", store)))
    )
    assert ["acteur", "pays", "HHI", "marchés"] in rows
    table = okg("analyze", "--lang", "fr", "--store", store)
    assert "Hypothèses :" in table and "Single points" not in table


def test_events_list_in_french(store):
    out = okg("impact", "--list", "--lang", "fr", "--format", "csv", "--store", store)
    assert out.splitlines()[0] == "id,source,types,dates,libellé"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError):
        i18n.locale("de")


def test_query_list_and_row_count_in_french(store):
    out = okg("query", "--list", "--lang", "fr", "--store", store)
    assert "Requêtes prêtes" in out and "paramètres" in out and "parameters" not in out
    assert okg("query", "jobs", "--lang", "fr", "--store", store).rstrip().endswith(" lignes")
    assert okg("query", "jobs", "--store", store).rstrip().endswith(" row(s)")  # English as before


# -- okg check in French and Arabic --------------------------------------------------------------


def _check_data_texts(store: str, lang: str) -> set[str]:
    """What okg check prints from the data: source ids, the compared claims' figure and scope
    labels, source titles and quotes."""
    from okg.analysis.conflicts import compare_claims
    from okg.store import KnowledgeGraph

    sources = json.loads(okg("sources", "--format", "json", "--store", store))
    out = {s["source"] for s in sources}
    with KnowledgeGraph.open(Path(store), read_only=True) as kg:
        for c in compare_claims(kg, lang):
            out |= {c.cls, c.prop, *c.scope, *c.scope.values()}
            for cl in c.claims:
                out |= {cl.source_title or "", *cl.quotes}
    return out


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_check_has_no_english_ui_word(store, lang):
    out = okg("check", "--no-reasoner", "--lang", lang, "--store", store)
    texts = _check_data_texts(store, lang)
    assert english_left_of(out, texts, lang) == set(), out
    english = okg("check", "--no-reasoner", "--store", store)
    left = english_left_of(english, _check_data_texts(store, "en"), lang)
    assert {"quotes", "claims", "checked", "envelope"} <= left  # the check bites


def test_check_in_french_reads_french(store):
    out = okg("check", "--no-reasoner", "--lang", "fr", "--store", store)
    assert "SHACL : conforme" in out and "Affirmations contradictoires : 0" in out
    assert "intervalle commun 151–165, enveloppe 135–180" in out
    assert "  - plus de 150  → 151–ouvert   (" in out and "ligne 225 du fichier de faits" in out
    assert "ventilation : CDI + temporaire = environ 50 + environ 100 = 135–165" in out
    ar = okg("check", "--no-reasoner", "--lang", "ar", "--store", store)
    assert f"{LRI}totalenergies-ikanbi-relocation{PDI}: " in ar  # an id keeps its order
    assert f"المجال المشترك {LRI}151–165{PDI}" in ar


def test_check_lines_of_every_kind_are_translated():
    from types import SimpleNamespace

    from okg.render import check

    fr = locale("fr")
    offender = (
        "okgd:chimera is typed okg:Firm, okg:Person, but okg:Firm and okg:Person are disjoint"
    )
    lines = check.reasoner_lines(False, [offender], fr)
    assert lines == [
        "HermiT : l'ontologie et les données sont incohérentes ; okgd:chimera est de type "
        "okg:Firm, okg:Person, mais okg:Firm et okg:Person sont disjointes"
    ]
    assert check.reasoner_lines(False, [offender], "en") == [
        f"HermiT: the ontology and data are inconsistent; {offender}"
    ]
    from okg.store.reasoning import JavaMissingError

    assert check.reasoner_not_run(str(JavaMissingError()), fr).startswith(
        "HermiT : non exécuté : Java est nécessaire au raisonneur HermiT"
    )
    one = [("urn:x", "okg:client", "Less than 1 values")]
    assert check.shacl_lines(one, str, fr)[0] == "SHACL : 1 violation"
    assert check.shacl_lines(one * 3, str, fr)[0] == "SHACL : 3 violations"
    assert check.shacl_lines(one * 2, str, "ar")[0] == "SHACL: مخالفتان"
    assert check.shacl_lines(one * 3, str, "en")[0] == "SHACL: 3 violations"
    share = SimpleNamespace(source_id="src", quoted=4, verified=3, has_file=False)
    assert check.quote_lines([share], fr)[1] == (
        "  - src : 3 enregistrements cités sur 4 vérifiés (75\u202f%) : la source n'indique "
        "pas de fichier (file:) où les vérifier"
    )
    shared = SimpleNamespace(
        scheme="LEI",
        notation="123",
        first="urn:a",
        second="urn:b",
        first_sources=("s1",),
        second_sources=(),
    )
    (line,) = check.identifier_lines([shared], lambda iri: iri[-1].upper(), fr)
    assert line == (
        "LEI 123 est porté par deux acteurs : A (s1) et B (sans source) ; donnez-leur un seul "
        "id, ou corrigez l'identifiant"
    )
    for text in (*lines, line):
        assert english_left_of(text, {offender.split()[0], "okg:Firm", "okg:Person"}, "fr") == set()
