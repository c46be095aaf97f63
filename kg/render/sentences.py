"""Explanation steps in plain words: one sentence per edge, with labels, in the stored direction.

A step through an n-ary fact node (a share, a dependency, a workforce) names the fact by its
class label, its figure as the source stated it and the actor it is about ("the workforce of
IKANBI (about 163)"), never by its id. Each relation kind has an English template (passed
through the message catalogue, :mod:`okg.render.i18n`); a relation without one reads
"X — <relation label> — Y", the relation label taken from the ontology. A claim with a
claimant reads "According to <claimant>, ...", an inferred fact ends "(inferred by the
analyst)".
"""

from __future__ import annotations

from okg.analysis.impact.result import Step
from okg.render.i18n import N_, Locale, locale

OKG_NS = "https://w3id.org/okg/ontology#"

TEMPLATES = {
    "enacts": N_("{subject} enacts {object}"),
    "appliesToMarket": N_("{subject} applies to {object}"),
    "prohibitsActivity": N_("{subject} prohibits {object}"),
    "onMarket": N_("{subject} concerns {object}"),
    "ofActivity": N_("{subject} concerns {object}"),
    "dependent": N_("{subject} is that of {object}"),
    "holder": N_("{subject} is that of {object}"),
    "employer": N_("{subject} is employed by {object}"),
    "workplace": N_("{subject} works at {object}"),
    "attributedTo": N_("{subject} works on {object}"),
    "provider": N_("{object} is the provider of {subject}"),
    "client": N_("{object} is the client of {subject}"),
    "terminates": N_("{subject} terminates {object}"),
    "awards": N_("{subject} awards {object}"),
    "stops": N_("{subject} stops {object}"),
    "coversActivity": N_("{subject} covers {object}"),
    "servesMarket": N_("{subject} serves {object}"),
}
"""Relation local name -> English template with ``{subject}`` and ``{object}``."""


def fact_phrase(step: Step, other_label: str, loc: Locale) -> str:
    """The fact node of *step* in words: ``the market dependency of X (more than 80%)``; the
    holder is left out when it is the step's other end."""
    kind = step.fact_kind_label or loc._("fact")
    holder = step.fact_holder_label
    if holder and holder != other_label:
        text = loc._("the {kind} of {holder}").format(kind=kind, holder=holder)
    else:
        text = loc._("the {kind}").format(kind=kind)
    if step.fact_figure:
        text += f" ({loc.text(step.fact_figure)})"
    return text


def step_sentence(step: Step, lang: str | Locale = "en") -> str:
    """One explanation step as a sentence, in the stored direction (subject, relation,
    object), naming the claimant and marking an inference."""
    loc = locale(lang)
    forward = step.subject is None or step.subject == step.start
    subj, obj = (step.start, step.end) if forward else (step.end, step.start)
    subj_label, obj_label = (
        (step.start_label, step.end_label) if forward else (step.end_label, step.start_label)
    )
    if step.fact_kind_label and subj == step.fact:
        subj_label = fact_phrase(step, obj_label, loc)
    elif step.fact_kind_label and obj == step.fact:
        obj_label = fact_phrase(step, subj_label, loc)
    name = step.relation.rsplit("#", 1)[-1] if step.relation.startswith(OKG_NS) else None
    template = TEMPLATES.get(name) if name else None
    if template is not None:
        text = loc._(template).format(subject=subj_label, object=obj_label)
    else:
        rel = step.relation_label or step.relation.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        text = f"{subj_label} — {rel} — {obj_label}"
    if step.claimant_label:
        text = loc._("According to {claimant}, {sentence}").format(
            claimant=step.claimant_label, sentence=text
        )
    else:
        text = text[:1].upper() + text[1:]
    if step.inferred:
        text += " " + loc._("(inferred by the analyst)")
    return text + "."


def add_sentences(steps: list[Step], lang: str | Locale = "en") -> None:
    """Set ``sentence`` on each step (for the JSON output)."""
    loc = locale(lang)
    for s in steps:
        s.sentence = step_sentence(s, loc)
