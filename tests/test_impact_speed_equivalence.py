"""The shortcuts that make ``run_impact`` fast give the results of the slow path, byte for byte.

A run answers from the store's cached projection (built once per store version, kept in memory
and as a JSON file) and from what earlier runs on it memoised (labels, fact words, workforces,
job figures). Each test compares the rendered JSON (``okg impact --format json``) of a run on a
projection freshly built from the store, with nothing shared, against runs on the cached
projection, on its JSON cache read back, and a second (warm) run: for every bundled event and
the French telemarketing ban of generated data, at several as-of dates, thresholds, ranges and
with or without the illustrative facts (which the real-only view leaves out).
"""

from pathlib import Path

import conftest
import pytest
from okg.analysis.impact import list_events, run_impact
from okg.analysis.impact.propagate import IllustrativeEvent, Propagation, _Text
from okg.analysis.impact.timing import Timing
from okg.analysis.projection import (
    cached_projection,
    for_answers,
    project,
    projection_from_json,
    projection_to_json,
)
from okg.render.impact import render_impact

ROOT = Path(__file__).resolve().parent.parent
BAN = "synthetic-regulations/fr-telemarketing-ban-enacted"
SETTINGS = [
    # as of, threshold, figure range, include illustrative, language
    ("2024-01-01", 0.5, "envelope", False, "en"),
    ("2026-02-01", 0.5, "envelope", True, "en"),
    ("2026-09-01", 0.2, "consistent", False, "fr"),
    ("2026-09-01", 0.9, "envelope", True, "en"),
    ("2028-01-01", 0.5, "consistent", False, "en"),
]


@pytest.fixture(scope="module")
def generated_kg(tmp_path_factory):
    return conftest.generated_kg(tmp_path_factory, 10_000, seed=1)


def _json(kg, event, projection, as_of, threshold, figure_range, illustrative, lang) -> str:
    try:
        result = run_impact(
            kg,
            event,
            as_of=as_of,
            threshold=threshold,
            figure_range=figure_range,
            include_illustrative=illustrative,
            lang=lang,
            projection=projection,
        )
    except IllustrativeEvent as exc:
        return f"illustrative: {exc}"
    return render_impact(result, "json", None, lang, "latn")


def _same_every_way(kg, events: list[str]) -> int:
    """Compare the four ways for each event and setting; return how many reports had rows."""
    cached = cached_projection(kg, refresh=True)
    read_back = projection_from_json(projection_to_json(cached))
    assert read_back.graph["fingerprint"] == cached.graph["fingerprint"]
    with_rows = 0
    for event in events:
        for setting in SETTINGS:
            fresh = project(kg)  # no fingerprint: no memo, no shared view, nothing reused
            expected = _json(kg, event, fresh, *setting)
            assert _json(kg, event, None, *setting) == expected, (event, setting)
            assert _json(kg, event, None, *setting) == expected, (event, setting, "warm")
            assert _json(kg, event, read_back, *setting) == expected, (event, setting, "cache")
            with_rows += '"actor"' in expected
    return with_rows


def test_every_bundled_event_gives_the_same_report_every_way(seed_kg):
    events = [e.iri for e in list_events(seed_kg)]
    assert len(events) >= 3
    assert _same_every_way(seed_kg, events) > 0  # not only empty reports were compared


def test_the_french_ban_on_generated_data_gives_the_same_report_every_way(generated_kg):
    assert _same_every_way(generated_kg, [BAN]) > 0


def test_a_step_reads_the_edge_it_names_also_on_the_real_only_view(seed_kg):
    """Steps read the adjacency directly (no edge view per call): on the whole projection and
    on the filtered view that leaves the illustrative facts out, the same data as
    ``G.edges[u, v, key]``; an edge the view leaves out cannot be read through it."""
    G = cached_projection(seed_kg)
    real = for_answers(G)
    assert real is not G  # the seed data has illustrative facts: a filtered view
    left_out = [(u, v, k) for u, v, k in G.edges(keys=True) if not real.has_edge(u, v, k)]
    assert left_out
    what_if = Timing("what-if", "impact", (None, None))
    for graph in (G, real):
        run = Propagation(graph, None, what_if, 0.5, None, "en")
        for u, v, k in graph.edges(keys=True):
            step = run.step(u, v, k)
            d = graph.edges[u, v, k]
            assert (step.start, step.end, step.relation) == (u, v, k)
            assert (step.predicate, step.source, step.quotes) == (
                d["predicate"],
                d["source"],
                list(d["quotes"]),
            )
    run = Propagation(real, None, what_if, 0.5, None, "en")
    with pytest.raises(KeyError):
        run.step(*left_out[0])


def test_a_lazy_text_is_made_once_and_only_when_used():
    calls = []

    def make():
        calls.append(1)
        return "135–180"

    text = _Text(make)
    assert calls == []
    assert f"all its jobs = {text}; again {text}" == "all its jobs = 135–180; again 135–180"
    assert calls == [1]
    assert f"{text:>9}" == "  135–180"


def test_the_cache_keeps_apart_values_that_compare_equal_but_differ():
    """``Interval.point`` is left out of ``==``, and ``True == 1``: the cache's shared table
    and claim pool must still keep such values apart (a ``columns-1`` cache gave a plain
    44–54 the point 49 of another claim, or dropped it, and the report changed)."""
    from fractions import Fraction

    import networkx as nx
    from okg.figures.claims import Claim
    from okg.figures.intervals import Interval

    about = Interval(Fraction(44), Fraction(54), Fraction(49))
    plain = Interval(Fraction(44), Fraction(54))
    assert about == plain and about.point != plain.point
    claims = [Claim(fact="w", prop="p", value=v, stated=None) for v in (about, plain)]
    G = nx.MultiDiGraph()
    G.add_node("a", iv=about, flag=True, q={"p": [claims[0]]})
    G.add_node("b", iv=plain, flag=1, q={"p": [claims[1]]})
    back = projection_from_json(projection_to_json(G))
    for n in "ab":
        for attr in ("iv", "flag"):
            got, want = back.nodes[n][attr], G.nodes[n][attr]
            assert type(got) is type(want) and got == want
        assert back.nodes[n]["iv"].point == G.nodes[n]["iv"].point
        assert back.nodes[n]["q"]["p"][0].value.point == G.nodes[n]["q"]["p"][0].value.point
