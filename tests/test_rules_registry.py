"""The propagation rule registry: lookup, the ontology/registry agreement, and extra rules."""

from __future__ import annotations

import pytest
from okg.analysis.impact import run_impact
from okg.analysis.impact.events import resolve_event
from okg.analysis.impact.propagate import run_scenario
from okg.analysis.impact.rules import REGISTRY, Registry, RegistryError, Rule, rule
from okg.analysis.impact.rules.registry import ontology_annotations
from okg.analysis.impact.status import Status
from okg.analysis.projection import project
from okg.terms.namespaces import OKG

CONTRACT, ACTOR, FACT = str(OKG.Contract), str(OKG.EconomicActor), str(OKG.Fact)
LOSS, GAIN = str(OKG.Loss), str(OKG.Gain)
TOY = str(OKG.ToyContract)  # made up: a subclass of okg:Contract no ontology declares
TOY_NODE = str(OKG.ToyThing)  # made up: a node kind with a node rule of its own


@pytest.fixture(scope="module")
def graph(seed_kg):
    return project(seed_kg)


def _terminated_contract(G, event: str) -> str:
    (c,) = [
        v
        for _, v, d in G.out_edges(event, data=True)
        if d["effect"] == "loss" and CONTRACT in G.nodes[v]["classes"]
    ]
    return c


def test_lookup_by_class_and_effect():
    assert REGISTRY.lookup({CONTRACT, FACT}, LOSS).name == "contract-loss"
    assert REGISTRY.lookup({CONTRACT, FACT}, GAIN).name == "contract-gain"
    assert REGISTRY.lookup({str(OKG.Regulation), FACT}, LOSS).name == "regulation-scope"
    assert REGISTRY.lookup({str(OKG.Firm), ACTOR}, LOSS).name == "actor-stop"
    assert REGISTRY.lookup({str(OKG.Firm), ACTOR}).name == "cascade"
    assert REGISTRY.lookup({str(OKG.Relocation), str(OKG.Event), FACT}).name == "event-seeding"
    # No rule: a gain on an actor, a loss of a workforce, a contract's own (node) rule.
    assert REGISTRY.lookup({ACTOR}, GAIN) is None
    assert REGISTRY.lookup({str(OKG.Workforce), FACT}, LOSS) is None
    assert REGISTRY.lookup({CONTRACT, FACT}) is None


def test_lookup_prefers_the_most_specific_class():
    reg = REGISTRY.copy(superclasses=lambda c: {c, CONTRACT, FACT} if c == TOY else {c})

    @rule(TOY, OKG.Loss, name="toy-contract-loss", registry=reg)
    class ToyLoss(Rule):
        pass

    assert reg.lookup({CONTRACT, FACT, TOY}, LOSS).name == "toy-contract-loss"
    assert reg.lookup({CONTRACT, FACT}, LOSS).name == "contract-loss"
    # The registry it was copied from is unchanged.
    assert REGISTRY.lookup({CONTRACT, FACT, TOY}, LOSS).name == "contract-loss"


def test_ontology_declares_every_registered_rule():
    declared = set(ontology_annotations())
    for r in REGISTRY.rules():
        assert (r.term, r.name) in declared
        if r.effect:
            assert (r.effect, r.name) in declared
    assert (CONTRACT, "contract-loss") in declared and (LOSS, "contract-loss") in declared
    REGISTRY.verify()


def test_an_annotated_term_without_a_rule_is_refused():
    workforce = str(OKG.Workforce)
    reg = REGISTRY.copy(annotations=lambda: ontology_annotations() + [(workforce, "layoffs")])
    with pytest.raises(RegistryError, match="Workforce okg:propagationRule 'layoffs': no rule"):
        reg.verify()


def test_a_rule_annotated_on_another_term_is_refused():
    extra = [(str(OKG.Tender), "contract-loss")]
    reg = REGISTRY.copy(annotations=lambda: ontology_annotations() + extra)
    with pytest.raises(RegistryError, match=r"Tender .*registered for .*Contract"):
        reg.verify()


def test_a_rule_the_ontology_does_not_declare_is_refused():
    reg = REGISTRY.copy()

    @rule(TOY_NODE, name="toy-node", registry=reg)
    class ToyNode(Rule):
        pass

    with pytest.raises(RegistryError) as err:
        reg.verify()
    message = str(err.value)
    assert "toy-node" in message and TOY_NODE in message and "\n" not in message


def test_two_rules_for_the_same_term_and_effect_are_refused():
    reg = REGISTRY.copy()
    with pytest.raises(RegistryError, match="both handle"):

        @rule(OKG.Contract, OKG.Loss, name="another-contract-loss", registry=reg)
        class Another(Rule):
            pass


def _toy_registry(fired: list):
    """The default rules plus a loss rule for the made-up okg:ToyContract ⊑ okg:Contract."""
    reg = REGISTRY.copy(
        superclasses=lambda c: {c, CONTRACT, FACT} if c == TOY else REGISTRY._superclasses(c),
        annotations=lambda: (
            ontology_annotations() + [(TOY, "toy-contract-loss"), (LOSS, "toy-contract-loss")]
        ),
    )

    @rule(TOY, OKG.Loss, name="toy-contract-loss", registry=reg)
    class ToyLoss(Rule):
        def hit(self, run, node, hit):
            fired.append((node, hit.depth, hit.explicit))
            run.note(f"{run.label(node)}: a toy contract, kept.")

    reg.verify()
    return reg


def test_an_extra_rule_for_a_made_up_class_fires(seed_kg, graph):
    event = resolve_event(seed_kg, "ikanbi-contract-ends")
    contract = _terminated_contract(graph, event)
    plain = run_impact(seed_kg, event, as_of="2026-02-01", projection=graph)
    assert [c.contract for c in plain.contracts if c.effect == "loss"] == [contract]
    assert any(r.effect == "loss" for r in plain.rows)

    G = graph.copy()
    G.nodes[contract]["classes"] = G.nodes[contract]["classes"] | {TOY}
    fired: list = []
    toy = run_impact(seed_kg, event, as_of="2026-02-01", projection=G, rules=_toy_registry(fired))
    assert fired == [(contract, 1, True)]
    assert any(n.endswith("a toy contract, kept.") for n in toy.notes)
    assert toy.contracts == [] and toy.rows == []
    # The engine is unchanged for everything else: the default registry still loses it.
    again = run_impact(seed_kg, event, as_of="2026-02-01", projection=G)
    assert [c.contract for c in again.contracts] == [contract]


def test_an_extra_rule_fires_in_a_what_if_and_in_a_cascade(graph):
    G = graph.copy()
    contract = next(
        c
        for c in sorted(G)
        if CONTRACT in G.nodes[c]["classes"]
        and any(G.edges[u, c, k]["flow"] == "inbound" for u, _, k in G.in_edges(c, keys=True))
    )
    G.nodes[contract]["classes"] = G.nodes[contract]["classes"] | {TOY}
    fired: list = []
    rows, _ = run_scenario(G, contracts=[contract], rules=_toy_registry(fired))
    assert fired == [(contract, 1, True)] and rows == []
    # Its client stopping loses it through the cascade, one level deeper, by the toy rule.
    client = next(
        u
        for u, _, k in sorted(G.in_edges(contract, keys=True))
        if ACTOR in G.nodes[u]["classes"] and G.edges[u, contract, k]["flow"] == "inbound"
    )
    fired.clear()
    rows, _ = run_scenario(G, actors=[client], rules=_toy_registry(fired))
    assert (contract, 2, False) in fired
    assert any(r.actor == client and r.status == Status.STOPPED for r in rows)


def test_statuses_are_the_printed_strings(seed_kg, graph):
    result = run_impact(
        seed_kg,
        "eurocar-plant-stoppage",
        as_of="2026-03-10",
        projection=graph,
        include_illustrative=True,
    )
    statuses = {r.status for r in result.rows}
    assert statuses <= set(Status)
    assert {"stopped", "closure risk"} <= statuses
    assert all(isinstance(d["status"], str) for d in result.to_dict()["rows"])


def test_a_registry_with_no_rules_hits_nothing(seed_kg, graph):
    empty = Registry(annotations=lambda: [])
    result = run_impact(
        seed_kg, "total-relocation", as_of="2026-02-01", projection=graph, rules=empty
    )
    assert result.rows == [] and result.contracts == []
    assert any("no rule for this kind of event" in n for n in result.notes)
