"""The sources' own impact claims beside the estimate (issue 11.5, docs/impact.md "What the
sources say"): the verdict rule on hand-made intervals, the fact class through the generic
loader, and ``okg impact`` end to end on the data pack."""

from __future__ import annotations

import json
import math
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from okg.analysis.impact import run_impact
from okg.analysis.impact.source_claims import (
    AGREE,
    APART,
    NOT_REACHED,
    OVERLAP,
    UNKNOWN_VERDICT,
    intersection,
    ratio,
    ratio_text,
    verdict,
)
from okg.cli import app
from okg.figures.intervals import UNKNOWN, Interval
from okg.loaders.errors import LoadError
from okg.store import KnowledgeGraph
from typer.testing import CliRunner

runner = CliRunner()


def iv(low, high=None, open_high=False):
    return Interval.of(low, high, open_high=open_high)


# -- the verdict rule on hand-made intervals --------------------------------------------------


def test_apart_with_ratio_of_the_ban_headline():
    v = verdict(iv(24000, 199999), iv(2000, 9999))
    assert v.kind == APART and v.relation is None and v.shared is None
    assert v.ratio == Interval.between(Fraction(24000, 9999), Fraction(199999, 2000))
    assert ratio_text(v.ratio) == "2.4–100×"
    # the model lies above the source by 14,001 (nearest bounds) to 197,999 (farthest)
    assert v.gap == iv(14001, 197999)


def test_apart_below_has_a_negative_gap_and_a_ratio_under_one():
    v = verdict(iv(10, 20), iv(100, 200))
    assert v.kind == APART
    assert v.gap == Interval.between(-190, -80)
    assert v.ratio == Interval.between(Fraction(1, 20), Fraction(1, 5))
    assert ratio_text(v.ratio) == "0.05–0.2×"


@pytest.mark.parametrize(
    ("model", "source", "relation"),
    [
        (iv(135, 180), iv(146, 180), "model contains source"),
        (iv(150, 160), iv(146, 180), "source contains model"),
        (iv(146, 180), iv(146, 180), "same"),
        (iv(151, open_high=True), iv(200, 300), "model contains source"),
    ],
)
def test_agree_when_one_contains_the_other(model, source, relation):
    v = verdict(model, source)
    assert (v.kind, v.relation) == (AGREE, relation)
    assert v.shared == (source if relation == "model contains source" else model)


def test_overlap_names_the_shared_part():
    v = verdict(iv(135, 180), iv(151, open_high=True))
    assert v.kind == OVERLAP and v.shared == iv(151, 180)
    # the source is open above: the ratio goes down to 0; 180 / 151 above
    assert v.ratio == Interval.between(0, Fraction(180, 151))
    assert ratio_text(v.ratio) == "0–1.2×"


def test_open_ended_intervals():
    assert verdict(iv(10, open_high=True), iv(20, open_high=True)).kind == AGREE
    v = verdict(iv(500, open_high=True), iv(10, 20))
    assert v.kind == APART and v.gap == Interval.between(480, None)
    assert v.ratio == Interval.between(25, None) and ratio_text(v.ratio) == "≥25×"
    # a source of [0, 5]: a ratio with no upper bound
    assert ratio(iv(10, 20), iv(0, 5)) == Interval.between(2, None)


def test_unknown_bounds_give_no_verdict_and_no_ratio():
    for model, source in ((UNKNOWN, iv(5)), (iv(5), UNKNOWN), (UNKNOWN, UNKNOWN)):
        v = verdict(model, source)
        assert v.kind == UNKNOWN_VERDICT and v.ratio is None and v.shared is None
    assert ratio(iv(5), iv(0)) is None  # the source says zero: no ratio
    assert ratio(Interval.between(None, 5), iv(1, 2)) is None  # open below (a difference)
    assert intersection(iv(1, 2), UNKNOWN) is None


def test_ratio_text_rounds_outwards():
    assert ratio_text(Interval.between(Fraction(2449, 1000), Fraction(1001, 100))) == "2.4–11×"
    assert ratio_text(iv(3)) == "3×"
    assert ratio_text(None) is None


# -- properties ----------------------------------------------------------------------------

bound = st.integers(min_value=0, max_value=10**6)


@st.composite
def intervals(draw):
    a, b = sorted((draw(bound), draw(bound)))
    return Interval.between(a, None if draw(st.booleans()) and draw(st.booleans()) else b)


def _points(draw, x: Interval) -> Fraction:
    hi = x.high if x.high is not None else x.low + 10**7
    return Fraction(draw(st.integers(min_value=int(x.low), max_value=int(hi))))


@settings(max_examples=300, deadline=None)
@given(intervals(), intervals())
def test_verdict_classification_is_symmetric(a, b):
    ab, ba = verdict(a, b), verdict(b, a)
    assert ab.kind == ba.kind
    assert ab.shared == ba.shared
    flip = {
        "model contains source": "source contains model",
        "source contains model": "model contains source",
        "same": "same",
        None: None,
    }
    assert ba.relation == flip[ab.relation]
    if ab.gap is not None:
        assert ba.gap == -ab.gap


@settings(max_examples=300, deadline=None)
@given(intervals(), intervals(), st.data())
def test_ratio_bounds_bracket_every_ratio_of_points(model, source, data):
    r = ratio(model, source)
    m = _points(data.draw, model)
    s = _points(data.draw, source)
    if s == 0 or source.high == 0:
        return
    assert r is not None
    q = m / s
    assert r.low <= q
    assert r.high is None or q <= r.high
    # and the bounds are the tightest: attained at the intervals' bounds when both are closed
    if model.high is not None and source.high is not None and source.low > 0:
        assert r.low == model.low / source.high and r.high == model.high / source.low
    # the printed ratio is never narrower than the exact one
    text = ratio_text(r)
    if text and "–" in text and r.high is not None:
        lo, hi = (float(x.replace(",", "")) for x in text.rstrip("×").split("–"))
        assert lo <= float(r.low) + 1e-12 and float(r.high) <= hi + 1e-9 * max(1.0, hi)


@settings(max_examples=200, deadline=None)
@given(intervals(), intervals())
def test_verdict_agrees_with_set_relations(a, b):
    v = verdict(a, b)
    a_hi = math.inf if a.high is None else a.high
    b_hi = math.inf if b.high is None else b.high
    disjoint = a.low > b_hi or b.low > a_hi
    assert (v.kind == APART) == disjoint
    if v.kind == AGREE:
        assert a.contains_interval(b) or b.contains_interval(a)


# -- the fact class through the generic loader ----------------------------------------------

FACTS = """\
okg: 1
source:
  id: claims-test
  title: "A test source"
  language: {lang}
facts:
  - id: acme
    type: Firm
    label: Acme
    country: FR
    quote: "Acme"
  - id: acme-closes
    type: ContractTerminated
    date: 2026-01-01
    quote: "Acme closes"
  - id: acme-claim
    type: ImpactClaim
    event: acme-closes
    affected: acme
    effect: {effect}
    claimedBy: acme
    jobs: "{jobs}"
    quote: "thousands of jobs"
"""


def _kg_with(tmp_path, **fields):
    path = tmp_path / "claims.yaml"
    path.write_text(FACTS.format(**fields), encoding="utf-8")
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([path])
    return kg


def test_loader_reads_an_impact_claim_and_impact_says_not_reached(tmp_path):
    kg = _kg_with(tmp_path, lang="fr", effect="loss", jobs="des milliers")
    r = run_impact(kg, "acme-closes", as_of="2026-02-01")
    (c,) = r.source_claims
    assert c.actor_label == "Acme" and c.claimant_label == "Acme" and c.effect == "loss"
    assert c.source_value == iv(2000, 9999) and c.stated == "des milliers"
    assert c.vague_term == "thousands"
    assert c.verdict == NOT_REACHED and c.model_value is None
    assert "does not reach" in c.text and c.quotes == ["thousands of jobs"]


def test_loader_refuses_an_unknown_effect_with_line_and_field(tmp_path):
    with pytest.raises(LoadError) as err:
        _kg_with(tmp_path, lang="en", effect="maybe", jobs="thousands")
    text = str(err.value)
    assert "claims.yaml:20: [effect] unknown impact effect 'maybe'" in text
    assert "known impact effect keys: gain, loss" in text


# -- end to end on the data pack ------------------------------------------------------------


def test_ikanbi_claims_agree_and_overlap(seed_kg):
    r = run_impact(seed_kg, "total-relocation", as_of="2026-02-01")
    by_stated = {c.stated: c for c in r.source_claims}
    unions, article = by_stated["حوالي 163"], by_stated["أكثر من 150"]
    ikanbi = next(row for row in r.rows if row.label == "IKANBI")
    assert unions.model_value == ikanbi.jobs == article.model_value
    assert unions.claimant_label == "Belgian trade unions"
    # the model's hull contains the unions' 146–180, and goes below the article's ≥151
    assert (unions.verdict, unions.relation) == (AGREE, "model contains source")
    assert article.verdict == OVERLAP and article.shared == Interval.of(151, 180)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("source-claims") / "store"
    done = runner.invoke(app, ["build", "--store", str(path)])
    assert done.exit_code == 0, done.output
    return str(path)


def test_ban_json_holds_the_headline_beside_the_estimate(store):
    done = runner.invoke(
        app,
        ["impact", "fr-ban-vote", "--as-of", "2026-09-01", "--format", "json", "--store", store],
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert "rows" in data and "countries" in data  # existing keys unchanged
    jobs = [c for c in data["source_claims"] if c["unit"] == "jobs"]
    (headline,) = [c for c in jobs if c["claim"].endswith("/headline-thousands-of-jobs")]
    # the article's "unprecedented wave of mass layoffs" has no number: kept, never compared
    (layoffs,) = [c for c in jobs if c["claim"].endswith("/mass-layoffs-feared")]
    assert layoffs["source_value"]["known"] is False and layoffs["verdict"] == "unknown"
    assert layoffs["ratio"] is None and len(jobs) == 2
    assert headline["stated"] == "آلاف" and headline["vague_term"] == "thousands"
    assert (headline["source_value"]["low"], headline["source_value"]["high"]) == (2000, 9999)
    assert (headline["model_value"]["low"], headline["model_value"]["high"]) == (24000, 199999)
    assert headline["quotes"] == [
        "حظر التسويق الهاتفي في فرنسا يهدد آلاف الوظائف بمراكز الاتصال المغربية"
    ]
    assert headline["source"] == "assahafa-2025-05-25-telemarketing-ban"
    assert headline["claimant"] is None  # the newspaper's own headline
    assert headline["verdict"] == "apart" and headline["ratio_text"] == "2.4–100×"
    assert headline["ratio"]["low"] == pytest.approx(24000 / 9999)
    assert headline["ratio"]["high"] == pytest.approx(199999 / 2000)
    row = next(r for r in data["rows"] if r["actor"] == headline["actor"])
    assert row["jobs"] == headline["model_value"]
    (firms,) = [c for c in data["source_claims"] if c["unit"] == "firms"]
    assert firms["verdict"] == "no model figure" and firms["model_status"] == "closure risk"
    assert (firms["source_value"]["low"], firms["source_value"]["high"]) == (24, 99)


def test_ban_text_and_markdown_say_what_the_sources_say(store):
    args = ["impact", "fr-ban-vote", "--as-of", "2026-09-01", "--store", store]
    text = runner.invoke(app, args)
    assert text.exit_code == 0, text.output
    assert "What the sources say" in text.stdout
    assert (
        "model 24,000–199,999 vs source 'آلاف' (thousands) 2,000–9,999: apart; "
        "the model is 2.4–100× the source" in text.stdout
    )
    assert "claimed by the source itself «حظر التسويق الهاتفي" in text.stdout
    total = runner.invoke(
        app, ["impact", "total-relocation", "--as-of", "2026-02-01", "--store", store]
    )
    assert total.exit_code == 0, total.output
    assert "according to Belgian trade unions «تنذر هذه الخطوة" in total.stdout
    md = runner.invoke(app, [*args, "--format", "md"])
    assert md.exit_code == 0 and "## What the sources say" in md.stdout
    assert "2.4–100×" in md.stdout
