"""Propagation rules, one module per rule kind, each registered for the ontology term it handles.

======================  ==============================  ===================================
module                  registered for                  docs/impact.md
======================  ==============================  ===================================
``event_seeding``       ``okg:Event`` (node rule)       4.1 the event hits its targets
``regulation_scope``    ``okg:Regulation`` + Loss       4.2 every scope dimension
``contract_loss``       ``okg:Contract`` + Loss         4.3 a contract lost
``actor_stop``          ``okg:EconomicActor`` + Loss    4.1/4.4 an actor stopped
``cascade``             ``okg:EconomicActor`` (node)    4.4 threshold and cascade
``contract_gain``       ``okg:Contract`` + Gain         4.5 gains
======================  ==============================  ===================================

Importing this package registers them all in :data:`REGISTRY`; the ontology declares the same
pairs with ``okg:propagationRule`` (checked by :meth:`Registry.verify`). To add a rule, see
"Adding a rule" in docs/impact.md.

>>> sorted(r.name for r in REGISTRY.rules())
['actor-stop', 'cascade', 'contract-gain', 'contract-loss', 'event-seeding', 'regulation-scope']
"""

from okg.analysis.impact.rules import (  # noqa: F401  (importing registers the rules)
    actor_stop,
    cascade,
    contract_gain,
    contract_loss,
    event_seeding,
    regulation_scope,
)
from okg.analysis.impact.rules.records import Hit
from okg.analysis.impact.rules.registry import (
    REGISTRY,
    Registry,
    RegistryError,
    Rule,
    ontology_annotations,
    rule,
)

__all__ = [
    "REGISTRY",
    "Hit",
    "Registry",
    "RegistryError",
    "Rule",
    "ontology_annotations",
    "rule",
]
