"""Generate ``ontology/reference-nace.ttl``: the full NACE Rev. 2 structure (21 sections, 88
divisions, 272 groups, 615 classes) with English and French labels and the ``skos:broader``
hierarchy.

No registry package carries NACE Rev. 2 with French labels, so the list is read from a public
copy: the NOGA 2008 code lists that the Swiss Federal Statistical Office publishes on its I14Y
interoperability platform, as LimeSurvey label sets in the public GitHub repository
``I14Y-ch/iSurvey`` (``i14y/app/lsl-files/DV_NOGA_{SECTION,DIVISION,GROUP,CLASS}.lsl``, labels
in de, en, fr, it). NOGA 2008 is the Swiss version of NACE Rev. 2 and identical to it down to
the fourth level (class): the same 996 codes. The labels are the FSO's English and French
wordings (section titles in capitals, as published). Divisions are placed in their sections by
the division ranges of Regulation (EC) No 1893/2006, Annex I (a division code does not name its
section); the tool checks that every division falls in exactly one range.

Usage (the folder holds the four .lsl files of a checkout of that repository)::

    python tools/make_nace.py --from path/to/iSurvey/i14y/app/lsl-files [--commit SHA]
    python tools/make_nace.py --from ... --check

Codes already typed by hand in ``ontology/reference.ttl`` keep their IRIs, keys and labels: for
them the generated file adds only the hierarchy. The tool refuses to write unless the counts are
21, 88, 272 and 615 and every group and class has a parent in the list.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generated import write_or_check  # noqa: E402  (tools/ is not a package)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "ontology" / "reference-nace.ttl"
HAND = ROOT / "ontology" / "reference.ttl"
LEVELS = {"SECTION": 21, "DIVISION": 88, "GROUP": 272, "CLASS": 615}
REPOSITORY = "https://github.com/I14Y-ch/iSurvey"
# Regulation (EC) No 1893/2006, Annex I: the divisions of each section.
SECTION_DIVISIONS = {
    "A": (1, 3),
    "B": (5, 9),
    "C": (10, 33),
    "D": (35, 35),
    "E": (36, 39),
    "F": (41, 43),
    "G": (45, 47),
    "H": (49, 53),
    "I": (55, 56),
    "J": (58, 63),
    "K": (64, 66),
    "L": (68, 68),
    "M": (69, 75),
    "N": (77, 82),
    "O": (84, 84),
    "P": (85, 85),
    "Q": (86, 88),
    "R": (90, 93),
    "S": (94, 96),
    "T": (97, 98),
    "U": (99, 99),
}


class SourceError(Exception):
    pass


def read_label_set(path: Path) -> dict[str, dict[str, str]]:
    """code -> {language: title} from one LimeSurvey label-set export."""
    root = ET.parse(path).getroot()
    codes: dict[str, str] = {}
    for row in root.findall("./labels/rows/row"):
        codes[row.findtext("id")] = row.findtext("code").strip()
    out: dict[str, dict[str, str]] = {c: {} for c in codes.values()}
    for row in root.findall("./label_l10ns/rows/row"):
        code = codes.get(row.findtext("label_id"))
        if code is None:
            raise SourceError(f"{path}: label_l10ns row for unknown label {row.findtext('id')}")
        out[code][row.findtext("language").strip()] = " ".join(row.findtext("title").split())
    return out


def notation(level: str, code: str) -> str:
    """NOGA code to NACE notation: 82 -> 82, 822 -> 82.2, 8220 -> 82.20."""
    if level in ("SECTION", "DIVISION"):
        return code
    return f"{code[:2]}.{code[2:]}"


def section_of(division: str) -> str:
    n = int(division)
    hits = [s for s, (lo, hi) in SECTION_DIVISIONS.items() if lo <= n <= hi]
    if len(hits) != 1:
        raise SourceError(f"division {division} falls in {len(hits)} sections")
    return hits[0]


def _hand_codes() -> set[str]:
    from rdflib import Graph, URIRef
    from rdflib.namespace import RDF

    okg = "https://w3id.org/okg/ontology#"
    g = Graph()
    g.parse(HAND, format="turtle")
    return {
        str(k)
        for s in g.subjects(RDF.type, URIRef(okg + "Sector"))
        for k in g.objects(s, URIRef(okg + "key"))
    }


def _lit(text: str, lang: str) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{esc}"@{lang}'


def render(folder: Path, commit: str | None) -> str:
    entries: dict[str, tuple[str, str, dict[str, str], str | None]] = {}
    digests = []
    for level, expected in LEVELS.items():
        path = folder / f"DV_NOGA_{level}.lsl"
        if not path.is_file():
            raise SourceError(f"{path}: missing")
        digests.append(f"#   {path.name} sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}")
        labels = read_label_set(path)
        if len(labels) != expected:
            raise SourceError(f"{path}: {len(labels)} codes, expected {expected}")
        for code, by_lang in labels.items():
            missing = {"en", "fr"} - set(by_lang)
            if missing:
                raise SourceError(f"{path}: code {code} has no {', '.join(sorted(missing))} label")
            if level == "SECTION":
                parent = None
            elif level == "DIVISION":
                parent = section_of(code)
            else:
                parent = code[:-1]
            if code in entries:
                raise SourceError(f"{path}: code {code} appears twice")
            entries[code] = (level, notation(level, code), by_lang, parent)
    for code, (level, _, _, parent) in entries.items():
        if parent is not None and parent not in entries:
            raise SourceError(f"{level.lower()} {code}: parent {parent} is not in the list")
    hand = _hand_codes()
    origin = f"{REPOSITORY} (i14y/app/lsl-files/)" + (f" at commit {commit}" if commit else "")
    lines = [
        "# GENERATED by tools/make_nace.py — do not edit by hand; run the tool instead.",
        "# NACE Rev. 2: 21 sections, 88 divisions, 272 groups, 615 classes, skos:broader hierarchy.",
        "# Origin: NOGA 2008 code lists of the Swiss Federal Statistical Office (I14Y platform),",
        f"# {origin}; NOGA 2008 is identical to NACE Rev. 2 down to",
        "# the class level. Labels: the FSO's English and French titles, verbatim. Sections of the",
        "# divisions: Regulation (EC) No 1893/2006, Annex I. Input files:",
        *digests,
        "# Codes typed by hand in ontology/reference.ttl keep their labels there; this file adds",
        "# their place in the hierarchy.",
        "",
        "@prefix okg:  <https://w3id.org/okg/ontology#> .",
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@prefix owl:  <http://www.w3.org/2002/07/owl#> .",
        "@prefix nace: <http://data.europa.eu/ux2/nace2/> .",
        "",
    ]
    for code, (_level, note, by_lang, parent) in entries.items():
        iri = f"nace:{code}"
        broader = f" ;\n    skos:broader nace:{parent}" if parent else ""
        if note in hand:
            if parent:
                lines.append(f"{iri} skos:broader nace:{parent} .")
            continue
        lines.append(
            f'{iri} a okg:Sector , owl:NamedIndividual ; okg:key "{note}" ; '
            f'skos:notation "{note}" ;'
        )
        lines.append(
            f"    rdfs:label {_lit(by_lang['en'], 'en')} , {_lit(by_lang['fr'], 'fr')}{broader} ."
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--from", dest="folder", type=Path, required=True)
    ap.add_argument("--commit", help="commit of the checkout, written into the header")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare, do not write")
    args = ap.parse_args(argv)
    try:
        text = render(args.folder, args.commit)
    except (SourceError, ET.ParseError) as exc:
        print(f"make_nace: {exc}", file=sys.stderr)
        return 2
    return write_or_check(args.out, text, "tools/make_nace.py", args.check)


if __name__ == "__main__":
    sys.exit(main())
