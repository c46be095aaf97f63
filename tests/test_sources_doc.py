"""docs/sources.md goes through both source articles claim by claim (issue 11, item 8).

Every quote of its tables occurs in the article (after the quote normalisation of
docs/facts.md), every record it names exists in the article's fact file, every row says where
the claim is in the pack or why it is left out, and every sentence of each article (up to the
cookie banner) is covered by a row's quote.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from okg.loaders.quotes import normalise
from okg.terms.resources import data_dir

DOC = Path(__file__).resolve().parents[1] / "docs" / "sources.md"
QUOTE = re.compile(r"«([^»]+)»")
CODE = re.compile(r"`([^`]+)`")
BANNER = "نحن نستخدم ملفات تعريف الارتباط"  # the site's cookie banner: not the article


def sections() -> list[tuple[Path, Path, list[list[str]]]]:
    """(fact file, article file, table rows) per "## N." section of the page."""
    out = []
    for block in re.split(r"^## (?=\d+\.)", DOC.read_text(encoding="utf-8"), flags=re.M)[1:]:
        facts = data_dir() / Path(CODE.search(block.splitlines()[0]).group(1)).name
        article = data_dir() / "sources" / re.search(r"sources/([\w.]+\.txt)", block).group(1)
        rows = [
            [c.strip() for c in line.strip().strip("|").split("|")]
            for line in block.splitlines()
            if re.match(r"\| \d+ \|", line)
        ]
        out.append((facts, article, rows))
    return out


SECTIONS = sections()


def article_text(path: Path, second: bool) -> str:
    """The article's own text: the first ends at the cookie banner, the second starts after it."""
    text = path.read_text(encoding="utf-8")
    if BANNER in text:
        before, after = text.split(BANNER, 1)
        text = after.split("موافق", 1)[1] if second else before
    return normalise(text)


def test_both_articles_have_a_table():
    assert [f.name for f, _, _ in SECTIONS] == [
        "assahafa-2025-05-25-telemarketing-ban.yaml",
        "totalenergies-ikanbi-2025.yaml",
    ]
    assert all(len(rows) >= 20 for _, _, rows in SECTIONS)


@pytest.mark.parametrize("facts,article,rows", SECTIONS, ids=lambda x: getattr(x, "stem", ""))
def test_quotes_are_verbatim_and_records_exist(facts, article, rows):
    text = normalise(article.read_text(encoding="utf-8"))
    ids = {r["id"] for r in yaml.safe_load(facts.read_text(encoding="utf-8"))["facts"]}
    for number, claim, quote, where in rows:
        quotes = QUOTE.findall(quote)
        assert quotes, f"row {number} has no quote"
        for q in quotes:
            assert normalise(q) in text, f"row {number}: quote not in {article.name}: {q}"
        assert claim and where, f"row {number} is incomplete"
        named = [c for c in CODE.findall(where) if re.fullmatch(r"[a-z0-9][a-z0-9._-]*", c)]
        records = [c for c in named if c in ids]
        left_out = where.startswith(("left out", "not a claim")) or "left out" in where
        assert records or left_out, f"row {number} names no record and no reason: {where}"
        if where.startswith("left out"):
            assert re.match(r"left out( as its own record)?: \S", where), where


@pytest.mark.parametrize("facts,article,rows", SECTIONS, ids=lambda x: getattr(x, "stem", ""))
def test_every_sentence_of_the_article_has_a_row(facts, article, rows):
    """Every stretch of the article is inside some row's quote, but for a few words between
    two quotes (a conjunction, "according to", punctuation)."""
    text = article_text(article, second="totalenergies" in facts.name)
    covered = [False] * len(text)
    for q in (normalise(q) for row in rows for q in QUOTE.findall(row[2])):
        at = text.find(q)
        while at >= 0:
            covered[at : at + len(q)] = [True] * len(q)
            at = text.find(q, at + 1)
    runs = []
    for flag in re.finditer(r"0+", "".join("1" if c else "0" for c in covered)):
        gap = text[flag.start() : flag.end()]
        if len(re.findall(r"[^\W\d_]{2,}|\d+", gap)) > 3:
            runs.append(gap.strip())
    assert not runs, f"passages of {article.name} in no row: {runs}"


def test_the_contradiction_is_in_the_pack():
    facts = data_dir() / "totalenergies-ikanbi-2025.yaml"
    records = {r["id"]: r for r in yaml.safe_load(facts.read_text(encoding="utf-8"))["facts"]}
    kept = records["total-services-kept-in-belgium"]
    assert kept["claimedBy"] == "totalenergies" and "business-support" in kept["activity"]
    assert "بالكامل" in records["total-fr-customer-service-morocco"]["quote"][0]
