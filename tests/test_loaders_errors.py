"""Every kind of bad input is refused with its file, line and field, and nothing is loaded."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from okg.loaders import LoadError, read_files
from okg.store import KnowledgeGraph

HEADER = """\
okg: 1
source: {id: test-src, title: Test source, language: en}
modules: [call_centres]
facts:
  - id: acme
    type: Firm
    label: {en: Acme}
    country: MA
    quote: "Acme is a firm"
  - id: client
    type: Firm
    label: {en: Client}
    country: FR
    quote: "Client is a firm"
"""


def write(tmp_path: Path, body: str, name: str = "facts.yaml") -> Path:
    p = tmp_path / name
    p.write_text(HEADER + textwrap.indent(textwrap.dedent(body), "  "), encoding="utf-8")
    return p


def errors_of(paths: list[Path]) -> list:
    with pytest.raises(LoadError) as exc:
        read_files(paths)
    return exc.value.errors


def line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_good_file_loads(tmp_path):
    p = write(
        tmp_path,
        """\
      - id: k
        type: Contract
        client: client
        provider: acme
        activity: [telemarketing, customer-care]
        start: 2024-01-01
        end: 2025-12-31
        quote: "a contract"
    """,
    )
    (bundle,) = read_files([p])
    assert bundle.source_id == "test-src"
    assert len(bundle.graph) > 20


def test_malformed_yaml(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("source: {id: x\nfacts: [\n", encoding="utf-8")
    (e,) = errors_of([p])
    assert e.file == str(p) and e.line is not None and "malformed YAML" in e.message


@pytest.mark.parametrize(
    "body, needle, field, words",
    [
        (
            """\
      - id: k
        type: Contract
        client: nobody
        provider: acme
        activity: telemarketing
        quote: q
    """,
            "client: nobody",
            "client",
            "unknown",
        ),
        (
            """\
      - id: k
        type: Contract
        client: country:MA
        provider: acme
        activity: telemarketing
        quote: q
    """,
            "client: country:MA",
            "client",
            "expected: economic actor",
        ),
        (
            """\
      - id: w
        type: Workforce
        employer: acme
        employmentType: permanent
        headcount: -5
        quote: q
    """,
            "headcount: -5",
            "headcount",
            "negative",
        ),
        (
            """\
      - id: k
        type: Contract
        client: client
        provider: acme
        activity: telemarketing
        start: 2025-06-01
        end: 2025-01-31
        quote: q
    """,
            "end: 2025-01-31",
            "end",
            "before",
        ),
        (
            """\
      - id: k
        type: Contract
        client: client
        provider: acme
        activity: telemarketing
        start: 2025-02-30
        quote: q
    """,
            "start: 2025-02-30",
            "start",
            "impossible",
        ),
        (
            """\
      - id: x
        type: Firm
        label: {xx: Foo}
        quote: q
    """,
            "label: {xx: Foo}",
            "label.xx",
            "unknown language code",
        ),
        (
            """\
      - id: s
        type: ActivityShare
        holder: acme
        activityShareOf: telemarketing
        share: {between: [20, 15]}
        quote: q
    """,
            "share: {between: [20, 15]}",
            "share",
            "exceeds",
        ),
        (
            """\
      - id: k
        type: Contract
        client: client
        provider: acme
        activity: telemarkting
        quote: q
    """,
            "activity: telemarkting",
            "activity",
            "unknown activity",
        ),
        (
            """\
      - id: k
        type: Contract
        client: client
        provider: acme
        activity: telemarketing
        colour: blue
        quote: q
    """,
            "colour: blue",
            "colour",
            "unknown field",
        ),
        (
            """\
      - id: k
        type: Contract
        client: client
        provider: acme
        activity: telemarketing
    """,
            "id: k",
            "quote",
            "required",
        ),
        (
            """\
      - id: w
        type: Workforce
        employer: acme
        employmentType: permanent
        headcount: about many
        quote: q
    """,
            "headcount: about many",
            "headcount",
            "cannot read",
        ),
    ],
    ids=[
        "unknown-reference",
        "wrong-type",
        "negative-headcount",
        "end-before-start",
        "impossible-date",
        "unknown-language",
        "range-min-gt-max",
        "unknown-activity",
        "unknown-field",
        "missing-quote",
        "unreadable-figure",
    ],
)
def test_bad_record(tmp_path, body, needle, field, words):
    p = write(tmp_path, body)
    errs = errors_of([p])
    assert len(errs) == 1, errs
    (e,) = errs
    assert e.file == str(p)
    assert e.line == line_of(p, needle)
    assert e.field == field
    assert words in e.message


def test_unknown_source_language(tmp_path):
    p = tmp_path / "f.yaml"
    p.write_text("okg: 1\nsource: {id: s, title: T, language: zz}\nfacts: []\n", encoding="utf-8")
    (e,) = errors_of([p])
    assert (e.line, e.field) == (2, "source.language") and "zz" in e.message


def test_all_errors_of_all_files_in_one_pass(tmp_path):
    a = write(
        tmp_path,
        """\
      - id: k
        type: Contract
        client: nobody
        provider: acme
        activity: telemarkting
        quote: q
    """,
        "a.yaml",
    )
    b = tmp_path / "b.yaml"
    b.write_text(
        "okg: 1\nsource: {id: b, title: B, language: en}\nfacts:\n  - id: x\n    type: Frim\n",
        encoding="utf-8",
    )
    errs = errors_of([a, b])
    assert {(Path(e.file).name, e.field) for e in errs} == {
        ("a.yaml", "client"),
        ("a.yaml", "activity"),
        ("b.yaml", "type"),
    }


def test_sector_term_needs_its_module(tmp_path):
    p = tmp_path / "f.yaml"
    p.write_text(
        HEADER.replace("modules: [call_centres]\n", "")
        + textwrap.indent(
            textwrap.dedent("""\
      - id: site
        type: cc:ContactCentre
        label: {en: S}
        siteOf: acme
        country: MA
        quote: q
    """),
            "  ",
        ),
        encoding="utf-8",
    )
    (e,) = errors_of([p])
    assert (
        e.field == "type"
        and "call_centres" in e.message
        and e.line == line_of(p, "cc:ContactCentre")
    )


def test_a_file_with_errors_loads_nothing(tmp_path):
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    before = kg.backend.count()
    good = write(tmp_path, "", "good.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        HEADER.replace("test-src", "bad-src") + "  - id: w\n    type: Workforce\n"
        "    employer: acme\n    employmentType: permanent\n    headcount: -1\n    quote: q\n",
        encoding="utf-8",
    )
    with pytest.raises(LoadError):
        kg.load([good, bad])
    assert kg.backend.count() == before
    assert kg.sources() == []


def test_shacl_violation_names_line(tmp_path):
    p = write(
        tmp_path,
        """\
      - id: k
        type: Contract
        client: client
        activity: telemarketing
        quote: q
    """,
    )
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    with pytest.raises(LoadError) as exc:
        kg.load([p])
    (e,) = exc.value.errors
    assert e.line == line_of(p, "id: k") and e.field == "provider" and "SHACL" in e.message


def test_duplicate_source_id_names_both_files_and_lines(tmp_path):
    a = tmp_path / "a.yaml"
    a.write_text(HEADER, encoding="utf-8")  # source: {id: ...} on line 2
    b = tmp_path / "b.yaml"
    b.write_text(
        "okg: 1\n# the same source again\nsource:\n  title: Again\n  id: test-src\n"
        "  language: en\nfacts: []\n",
        encoding="utf-8",
    )
    (err,) = [e for e in errors_of([a, b]) if e.field == "source.id"]
    assert (err.file, err.line) == (str(b), 5)
    assert f"also used by {a} (line 2)" in err.message
    assert str(err).startswith(f"{b}:5: [source.id] ")


def test_duplicate_source_id_in_a_csv_mapping_names_the_mapping_line(tmp_path):
    """A registry CSV's source block may sit in its FILE.mapping.yaml: the duplicate id is shown
    at the line of that block's id: key, not as 'derived by its loader'."""
    import shutil

    fixtures = Path(__file__).parent / "fixtures" / "registry"
    for name in ("etablissements.csv", "etablissements.mapping.yaml"):
        shutil.copy(fixtures / name, tmp_path / name)
    mapping = tmp_path / "etablissements.mapping.yaml"
    source_id = "registry-fixture-etablissements"
    other = tmp_path / "other.yaml"
    other.write_text(
        f"okg: 1\nsource:\n  id: {source_id}\n  title: T\n  language: en\nfacts: []\n",
        encoding="utf-8",
    )
    (err,) = [
        e for e in errors_of([other, tmp_path / "etablissements.csv"]) if e.field == "source.id"
    ]
    assert (err.file, err.line) == (str(mapping), line_of(mapping, f"id: {source_id}"))
    assert "derived by its loader" not in err.message
