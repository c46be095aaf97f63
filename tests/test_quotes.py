"""Quotes checked against the source document (docs/facts.md, "Quotes").

A quote must occur in the source's ``file:`` after the documented normalisation; a list is a
sequence of verbatim fragments in document order; "..." never glues fragments; a quote not
found names file, line and field and the nearest passage. The data pack's quotes all verify.
"""

from __future__ import annotations

import textwrap
import time

import pytest
from okg.loaders import LoadError, read_files
from okg.loaders.quotes import SourceText, normalise, quote_shares
from okg.terms.namespaces import OKG
from okg.terms.resources import data_dir
from rdflib import Graph, Literal

ARTICLE = """\
TotalEnergies announced it moves all French-language customer service to Morocco.
About 163 jobs are at risk, according to the unions.   The general manager said
“avoiding layoffs is hard” — despite efforts.
وقال المدير العام إن «تجنّب التسريح أمرٌ صعـب».
"""


def pack(tmp_path, quote_yaml: str, file: str | None = "sources/article.txt"):
    (tmp_path / "sources").mkdir(exist_ok=True)
    (tmp_path / "sources" / "article.txt").write_text(ARTICLE, encoding="utf-8")
    p = tmp_path / "facts.yaml"
    src_file = f", file: {file}" if file else ""
    p.write_text(
        textwrap.dedent(
            f"""\
            okg: 1
            source: {{id: q-src, title: T, language: en{src_file}}}
            facts:
              - id: totalenergies
                type: Firm
                label: TotalEnergies
                quote: "TotalEnergies announced"
              - id: te-jobs
                type: Workforce
                employer: totalenergies
                employmentType: all
                headcount: about 163
            """
        )
        + textwrap.indent(quote_yaml, "    "),
        encoding="utf-8",
    )
    return p


def errors(p):
    with pytest.raises(LoadError) as exc:
        read_files([p])
    return exc.value.errors


def test_a_made_up_quote_is_refused_with_file_line_field_and_nearest_passage(tmp_path):
    p = pack(tmp_path, 'quote: "About 136 jobs are at risk, according to the employer"\n')
    (err,) = errors(p)
    assert (err.file, err.line, err.field) == (str(p), 13, "quote")
    src = tmp_path / "sources" / "article.txt"
    assert err.message.startswith(f"not found in {src}; nearest passage: ")
    assert 'About 163 jobs are at risk, according to the unions."' in err.message
    assert str(err).startswith(f"{p}:13: [quote] not found in {src}")


def test_a_quote_found_after_normalisation_loads_and_is_marked_verified(tmp_path):
    # whitespace runs, typographic quotes and dashes, Arabic tatweel and diacritics
    p = pack(
        tmp_path,
        "quote:\n"
        '  - "at risk, according to the unions. The general manager said"\n'
        "  - '\"avoiding layoffs is hard\" - despite'\n"
        '  - "إن «تجنب التسريح أمر صعب»"\n',
    )
    (bundle,) = read_files([p])
    verified = set(bundle.graph.subjects(OKG.quoteVerified, Literal(True)))
    assert {str(s).rsplit("/", 1)[-1] for s in verified} == {"totalenergies", "te-jobs"}
    # the quotes are stored as written, not normalised
    assert Literal('"avoiding layoffs is hard" - despite', lang="en") in set(
        bundle.graph.objects(None, OKG.quote)
    )


def test_fragments_are_a_list_in_document_order(tmp_path):
    p = pack(tmp_path, 'quote: ["About 163 jobs", "according to the unions"]\n')
    read_files([p])
    p = pack(tmp_path, 'quote: ["according to the unions", "About 163 jobs"]\n')
    (err,) = errors(p)
    assert err.field == "quote" and err.line == 13
    assert "comes before the previous fragment" in err.message
    assert "in the order of the document" in err.message


@pytest.mark.parametrize("glue", ["...", "…"])
def test_fragments_glued_with_an_ellipsis_are_refused(tmp_path, glue):
    p = pack(tmp_path, f'quote: "About 163 jobs {glue} according to the unions"\n')
    (err,) = errors(p)
    assert err.field == "quote" and err.line == 13
    assert "write the quote as a list of verbatim fragments in order" in err.message


def test_an_ellipsis_is_refused_even_without_a_source_file(tmp_path):
    p = pack(tmp_path, 'quote: "About 163 jobs ... the unions"\n', file=None)
    (err,) = errors(p)
    assert "list of verbatim fragments" in err.message


def test_without_a_file_quotes_load_unverified(tmp_path):
    p = pack(tmp_path, 'quote: "anything the analyst copied"\n', file=None)
    (bundle,) = read_files([p])
    assert not set(bundle.graph.subjects(OKG.quoteVerified, None))


def test_a_missing_source_file_is_an_error_of_source_file(tmp_path):
    p = pack(tmp_path, 'quote: "About 163 jobs"\n', file="sources/nope.txt")
    (err,) = errors(p)
    assert err.field == "source.file" and err.line == 2
    assert "no such file" in err.message


def test_quote_verified_cannot_be_written_by_a_fact_file(tmp_path):
    p = pack(tmp_path, 'quote: "About 163 jobs"\nokg:quoteVerified: true\n')
    (err,) = errors(p)
    assert err.field == "okg:quoteVerified" and "set by the loader" in err.message


@pytest.mark.parametrize(
    "raw, normal",
    [
        ("a  \t\n b", "a b"),
        ("“x” «y» ‘z’", '"x" "y" \'z\''),
        ("a – b — c − d", "a - b - c - d"),
        ("صعـــب", "صعب"),  # tatweel
        ("تجنُّب", "تجنب"),  # shadda, damma
        ("e\u0301", "é"),  # NFC
    ],
)
def test_normalisation(raw, normal):
    assert normalise(raw) == normal


def test_nearest_passage_is_bounded_on_a_long_document():
    doc = SourceText("big.txt", ("lorem ipsum dolor sit amet " * 40000) + "the needle passage here")
    t = time.process_time()
    (problem,) = doc.find(["the needle pasage here"])
    assert "the needle passage here" in problem
    assert time.process_time() - t < 60  # a guard against an unbounded search, not a benchmark


def test_the_data_pack_validates_with_every_quote_verified():
    files = sorted(data_dir().glob("*.yaml"))
    bundles = read_files(files)
    g = Graph()
    for b in bundles:
        g += b.graph
    shares = {s.source_id: s for s in quote_shares(g)}
    for sid in ("assahafa-2025-05-25-telemarketing-ban", "totalenergies-ikanbi-relocation"):
        assert shares[sid].has_file and shares[sid].quoted > 10
        assert shares[sid].verified == shares[sid].quoted, shares[sid]
    assert shares["automotive-harness-illustrative"].quoted == 0


def test_the_two_fixed_quotes_of_the_pack():
    text = (data_dir() / "totalenergies-ikanbi-2025.yaml").read_text(encoding="utf-8")
    assert '"للتقدم للوظائف الجديدة' in text
    ban = (data_dir() / "assahafa-2025-05-25-telemarketing-ban.yaml").read_text(encoding="utf-8")
    assert "..." not in ban and "…" not in ban
