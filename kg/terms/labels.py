"""The one rule for choosing a label: the asked language, then en, fr, ar, then a label without a
language tag, then any other (first in sorted order); with no label at all, the IRI's local name.

>>> pick({"fr": "Maroc", "en": "Morocco"}, "ar")
'Morocco'
>>> pick({None: "Plain Label Firm"}, "fr")
'Plain Label Firm'
>>> pick({"de": "Marokko", "es": "Marruecos"}, "en")
'Marokko'
>>> pick({}, "en") is None
True
>>> label({}, "https://w3id.org/okg/id/ikanbi", "en")
'ikanbi'
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("en", "fr", "ar")
"""The languages okg writes labels and reports in, in fallback order."""


def pick(labels: Mapping[str | None, str], lang: str = "en") -> str | None:
    """The label of *labels* (language tag, or ``None``/``""`` for none, to text) for *lang*."""
    if not labels:
        return None
    for choice in (lang, *LANGUAGES):
        if choice in labels:
            return labels[choice]
    for untagged in (None, ""):
        if untagged in labels:
            return labels[untagged]
    return labels[sorted(labels, key=lambda k: k or "")[0]]


def local_name(iri: object) -> str:
    """The last part of an IRI (after the last ``#`` or ``/``)."""
    s = str(iri).rstrip("/#")
    return s.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def label(labels: Mapping[str | None, str], iri: object, lang: str = "en") -> str:
    """:func:`pick`, else the IRI's :func:`local_name`."""
    found = pick(labels, lang)
    return found if found is not None else local_name(iri)
