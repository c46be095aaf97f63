"""``okg analyze``: Herfindahl concentration, single points of failure, exposure."""

import json
from fractions import Fraction

from okg.analysis.analyze import analyze, herfindahl, market_concentration, single_points_of_failure
from okg.analysis.projection import project
from okg.cli import app
from okg.figures.intervals import Interval
from typer.testing import CliRunner

runner = CliRunner()


def test_herfindahl_bounds():
    assert herfindahl([Interval.of(1)]) == Interval.of(1)
    assert herfindahl([Interval.of("0.5"), Interval.of("0.5")]) == Interval.of("0.5")
    # 80-100% on one market: at least 0.64; the rest may all be in one other market
    h = herfindahl([Interval.of("0.8", 1)])
    assert h.low == Fraction(16, 25) and h.high == 1
    # an unknown share says nothing
    assert herfindahl([Interval.of(0, 1)]) == Interval.of(0, 1)


def test_concentration_on_the_seed(seed_kg):
    conc = {c.actor.rsplit("/", 1)[-1]: c for c in market_concentration(project(seed_kg))}
    assert conc["ma-cc-smes-single-activity"].hhi == Interval.of(1)
    assert conc["ma-offshore-call-centres"].hhi == Interval.of(Fraction(16, 25), 1)
    (fr,) = conc["ma-offshore-call-centres"].markets
    assert fr.basis == "market dependency" and fr.share == Interval.of("0.8", 1)
    (be,) = conc["ikanbi"].markets
    assert be.basis == "contracts" and be.share == Interval.of(0, 1)
    order = list(conc)
    assert order[0] == "ma-cc-smes-single-activity"


def test_single_points_of_failure_are_ranked_by_jobs(seed_kg):
    failures = single_points_of_failure(project(seed_kg))
    by_name = {f.node.rsplit("/", 1)[-1]: f for f in failures}
    alpha = by_name["eurocar-harness-alpha"]
    assert alpha.kind == "contract"
    assert (alpha.jobs.low, alpha.jobs.high) == (1120, 1360)  # Alpha's 1,080-1,320 + Atlas 40
    assert alpha.actors_hit == 2 and alpha.countries == ["MA"]
    ikanbi = by_name["total-fr-customer-service-ikanbi"]
    assert (ikanbi.jobs.low, ikanbi.jobs.high) == (135, 180)
    lows = [f.jobs.low for f in failures if f.jobs.known]
    assert lows == sorted(lows, reverse=True)
    assert failures.index(alpha) < failures.index(ikanbi)


def test_exposed_countries_and_sectors(seed_kg):
    # the automotive sector (29.31) is illustrative: it counts only when asked for (issue 11)
    a = analyze(seed_kg, as_of="2026-09-01", include_illustrative=True)
    assert "29.31" not in {e.name for e in analyze(seed_kg, as_of="2026-09-01").sectors}
    countries = {e.name: e for e in a.countries}
    assert a.countries[0].name == "MA"
    assert countries["MA"].worst_event == "French parliament votes the cold-calling ban"
    assert countries["BE"].worst_event_jobs == Interval.of(135, 180)
    sectors = {e.name: e for e in a.sectors}
    assert "82.20" in sectors and "29.31" in sectors
    assert len(a.assumptions) == 5  # + segments apart, illustrative facts (issue 11)


def test_cli(seed_kg, tmp_path):
    store = str(tmp_path / "store")
    assert runner.invoke(app, ["build", "--store", store]).exit_code == 0
    done = runner.invoke(
        app, ["analyze", "--store", store, "--format", "json", "--as-of", "2026-09-01"]
    )
    assert done.exit_code == 0, done.output
    data = json.loads(done.stdout)
    assert {"concentration", "failures", "countries", "sectors"} <= set(data)
    table = runner.invoke(app, ["analyze", "--store", store, "--top", "3"])
    assert table.exit_code == 0 and "Single points of failure" in table.stdout
    md = runner.invoke(app, ["analyze", "--store", store, "--format", "md"])
    assert md.exit_code == 0 and "## Market concentration" in md.stdout
    bad = runner.invoke(app, ["analyze", "--store", store, "--top", "0"])
    assert bad.exit_code == 1 and "--top: 0 is less than 1" in bad.output
