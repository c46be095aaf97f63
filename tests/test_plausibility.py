"""Figures beyond what is plausible are refused with file, line and field (issue 15, item 5).

The bound is data: ``okg:plausibleMaximum`` on the unit in ontology/core.ttl (10^9 jobs or
firms); shares are bounded by ``okg:maximum 100`` of okg:Percent.
"""

from __future__ import annotations

import pytest
from okg.loaders import LoadError, read_files

FILE = """\
okg: 1
source:
  id: plausibility-test
  title: A made-up source
  language: en
facts:
  - id: f1
    type: Firm
    label: F1
    country: FR
    illustrative: true
  - id: w1
    type: Workforce
    employer: f1
    headcount: {figure}
    illustrative: true
"""


def _errors(tmp_path, figure: str) -> list[str]:
    path = tmp_path / "figures.yaml"
    path.write_text(FILE.format(figure=figure), encoding="utf-8")
    try:
        read_files([path])
    except LoadError as exc:
        return [str(e) for e in exc.errors]
    return []


@pytest.mark.parametrize(
    "figure", ["1,000,000,001", "about 40,000,000,000", "more than 2000000000"]
)
def test_jobs_beyond_a_billion_are_refused_with_line_and_field(tmp_path, figure):
    errors = _errors(tmp_path, f'"{figure}"')
    assert len(errors) == 1, errors
    assert errors[0].startswith(f"{tmp_path / 'figures.yaml'}:15: [headcount]")
    assert "plausible maximum of 1000000000" in errors[0]


@pytest.mark.parametrize("figure", ["1,000,000,000", "about 163", "hundreds of thousands"])
def test_plausible_figures_load(tmp_path, figure):
    assert _errors(tmp_path, f'"{figure}"') == []


def test_the_bound_leaves_open_figures_open(tmp_path):
    """``more than 150`` stays open above: the plausibility bound is not a natural maximum."""
    path = tmp_path / "figures.yaml"
    path.write_text(FILE.format(figure='"more than 150"'), encoding="utf-8")
    (bundle,) = read_files([path])
    from okg.terms.namespaces import OKG

    lows = [int(x) for x in bundle.graph.objects(None, OKG.low)]
    highs = list(bundle.graph.objects(None, OKG.high))
    assert lows == [151] and highs == []
