"""`okg query downstream` reaches what `okg impact` reaches (issue 14, item 6).

For every bundled event, the nodes the canned query lists are the nodes the impact run reports
as reached (:func:`okg.analysis.impact.reached_nodes`) at a threshold just above 0, where every actor hit
may close and the cascade goes all the way: downstream lists what *can* be reached. At the
default threshold impact reaches a part of it.
"""

from __future__ import annotations

from okg.analysis.impact import list_events, reached_nodes, run_impact
from okg.queries.canned import run_query


def downstream(kg, event: str, illustrative: bool) -> set[str]:
    params = {"event": event, "include_illustrative": "true" if illustrative else "false"}
    return {r["node_iri"] for r in run_query(kg, "downstream", params).python()}


def bundled_events(kg):
    return [(e.iri, e.id) for e in list_events(kg)]


def test_every_bundled_event_reaches_what_impact_reaches(seed_kg):
    events = bundled_events(seed_kg)
    assert len(events) >= 4
    for iri, _ in events:
        illustrative = iri.endswith("eurocar-plant-stoppage")
        result = run_impact(seed_kg, iri, threshold=1e-9, include_illustrative=illustrative)
        reached = set(reached_nodes(result))
        assert reached, iri  # a real answer on both sides
        assert downstream(seed_kg, iri, illustrative) == reached, iri
        default = set(reached_nodes(run_impact(seed_kg, iri, include_illustrative=illustrative)))
        assert default <= reached, iri


def test_a_fact_file_id_names_the_event(seed_kg):
    """`-p event=fr-ban-vote` (the id without its source) is the ban's vote, as in okg impact."""
    full = downstream(seed_kg, "assahafa-2025-05-25-telemarketing-ban/fr-ban-vote", False)
    assert downstream(seed_kg, "fr-ban-vote", False) == full
    rows = run_query(seed_kg, "downstream", {"event": "fr-ban-vote"}).python()
    segments = {r["node"] for r in rows if r["kind"] == "offshore call-centre segment"}
    assert len(segments) == 3 and "Moroccan export-oriented call centres" in segments
    assert downstream(seed_kg, "no-such-event", False) == set()


def test_illustrative_rows_stay_out_unless_asked(seed_kg):
    iri = next(i for i, _ in bundled_events(seed_kg) if i.endswith("eurocar-plant-stoppage"))
    assert downstream(seed_kg, iri, False) == set()
    rows = run_query(seed_kg, "downstream", {"event": iri, "include_illustrative": "true"}).python()
    assert rows and all(r["illustrative"] for r in rows)


def test_each_node_is_listed_once_with_its_name(seed_kg):
    rows = run_query(seed_kg, "downstream", {"event": "total-relocation"}).python()
    iris = [r["node_iri"] for r in rows]
    assert len(iris) == len(set(iris))
    by = {r["node_iri"]: r for r in rows}
    ikanbi = by["https://w3id.org/okg/id/ikanbi"]
    assert (ikanbi["node"], ikanbi["kind"]) == ("IKANBI", "contact-centre operator")
