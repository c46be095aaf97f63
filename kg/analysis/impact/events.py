"""Find events in the store: list them, and resolve what a user typed to one event IRI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from okg.analysis.projection import source_id_of_graph
from okg.store import KnowledgeGraph
from okg.terms.labels import pick
from okg.terms.namespaces import OKG, OKGD
from rdflib import Literal

Q_EVENTS = """
SELECT DISTINCT ?e ?t ?g WHERE {
  ?e a okg:Event .
  GRAPH ?g { ?e a ?t }
  FILTER(STRSTARTS(STR(?g), "https://w3id.org/okg/graph/source/"))
}"""

Q_EVENT_DETAILS = """
SELECT DISTINCT ?e ?p ?v WHERE {
  ?e a okg:Event .
  VALUES ?p { rdfs:label okg:startDate okg:endDate okg:date okg:reportedOn }
  ?e ?p ?v
}"""


class EventNotFound(ValueError):
    """The text names no event, or several."""


@dataclass
class EventInfo:
    """An event as ``okg impact --list`` shows it."""

    iri: str
    id: str
    source: str | None
    types: list[str]
    labels: dict[str, str] = field(default_factory=dict)
    dates: dict[str, dt.date] = field(default_factory=dict)

    def label(self, lang: str = "en") -> str:
        found = pick(self.labels, lang)
        return found if found is not None else self.id


def list_events(kg: KnowledgeGraph) -> list[EventInfo]:
    """Every event in the store, sorted by date (undated last) then IRI."""
    events: dict[str, EventInfo] = {}
    for e, t, g in kg.query(Q_EVENTS).rows:
        iri = str(e)
        src = source_id_of_graph(str(g))
        local = iri[len(str(OKGD)) :] if iri.startswith(str(OKGD)) else iri
        ident = local.split("/", 1)[1] if src and local.startswith(src + "/") else local
        info = events.setdefault(iri, EventInfo(iri, ident, src, []))
        name = str(t)
        short = "okg:" + name[len(str(OKG)) :] if name.startswith(str(OKG)) else name
        if short not in info.types:
            info.types.append(short)
    for e, p, v in kg.query(Q_EVENT_DETAILS).rows:
        info = events.get(str(e))
        if info is None:
            continue
        if isinstance(v, Literal) and v.language:
            info.labels.setdefault(v.language, str(v))
        else:
            value = v.toPython() if isinstance(v, Literal) else None
            if isinstance(value, dt.date):
                info.dates.setdefault(str(p)[len(str(OKG)) :], value)
    for info in events.values():
        info.types.sort()

    def when(i: EventInfo):
        d = i.dates.get("date") or i.dates.get("startDate") or i.dates.get("reportedOn")
        return (d is None, d or dt.date.min, i.iri)

    return sorted(events.values(), key=when)


def resolve_event(kg: KnowledgeGraph, text: str) -> str:
    """The IRI of the event named by *text*: its fact-file id, ``SOURCE/ID``, or its IRI.

    Raises :class:`EventNotFound` (one line, with how to find events) when none or several match.
    """
    events = list_events(kg)
    text = text.strip()
    matches = [e for e in events if text in (e.iri, e.id, f"{e.source}/{e.id}")]
    if not matches and text.startswith("<") and text.endswith(">"):
        matches = [e for e in events if e.iri == text[1:-1]]
    if len(matches) == 1:
        return matches[0].iri
    if len(matches) > 1:
        names = ", ".join(f"{e.source}/{e.id}" for e in matches)
        raise EventNotFound(f"'{text}' names several events: {names}; write SOURCE/ID")
    hint = "run 'okg impact --list' to see the events in the store"
    if not events:
        raise EventNotFound(f"no event '{text}': the store has no events ({hint})")
    raise EventNotFound(f"no event '{text}' in the store; {hint}")
