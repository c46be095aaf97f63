"""The lines ``okg check`` prints, in the user's language (issue 14 item 1).

Each function takes the records the checks return (the reasoner's report, SHACL violations,
quote shares, compared claims, shared identifiers) and writes their lines from the message
catalogue; English output is the msgids themselves. Names, source ids, quotes and titles come
from the data and are kept as they are; figures are written in the language's numbers (isolated
in Arabic, as every text output is).

>>> from okg.render.i18n import locale
>>> reasoner_lines(True, [], locale("fr"))
['HermiT : cohérent']
>>> shacl_lines([], str, locale("en"))
['SHACL: conforms']
"""

from __future__ import annotations

from okg.render.i18n import Locale, locale

LRI, PDI = "\u2066", "\u2069"


def code(text: str, loc: Locale) -> str:
    """An identifier (a source id, a CURIE, a registry number) as it is, isolated in Arabic
    output so that it keeps its order in right-to-left text."""
    return f"{LRI}{text}{PDI}" if text and loc.numbers.isolate else text


def reasoner_lines(consistent: bool, offenders: list[str], lang: str | Locale = "en") -> list[str]:
    """HermiT's verdict in one line, with the individuals typed with two disjoint classes."""
    loc = locale(lang)
    if consistent:
        return [loc._("HermiT: consistent")]
    line = loc._("HermiT: the ontology and data are inconsistent")
    if offenders:
        line += loc._("; ") + loc._("; ").join(loc.text(o) for o in offenders)
    return [line]


def reasoner_not_run(reason: str, lang: str | Locale = "en") -> str:
    """HermiT could not run (no Java): the reason, translated when the catalogue knows it."""
    loc = locale(lang)
    return loc._("HermiT: not run: {reason}").format(reason=loc.text(reason))


def reasoner_skipped(lang: str | Locale = "en") -> str:
    return locale(lang)._("HermiT: skipped (--no-reasoner)")


def shacl_lines(violations, qname, lang: str | Locale = "en") -> list[str]:
    """``SHACL: conforms`` or the count, then one line per (focus, path, message); *qname*
    writes a focus node's IRI short. The messages are the shapes' own (``sh:message``)."""
    loc = locale(lang)
    if not violations:
        return [loc._("SHACL: conforms")]
    n = len(violations)
    head = loc.ngettext("SHACL: {n} violation", "SHACL: {n} violations", n)
    lines = [head.format(n=loc.num(str(n)))]
    for focus, path, msg in violations:
        lines.append(f"  - {code(qname(focus), loc)} {code(path, loc)}: {loc.text(msg)}")
    return lines


def quote_lines(shares, lang: str | Locale = "en") -> list[str]:
    """How many quoted records of each source were found in its document
    (:class:`okg.loaders.quotes.QuoteShare` records), one line each under a heading."""
    loc = locale(lang)
    lines = [loc._("Quotes checked against the source documents:")]
    for s in shares:
        if not s.quoted:
            text = loc._("{source}: no quoted records").format(source=code(s.source_id, loc))
        else:
            fields = {
                "source": code(s.source_id, loc),
                "verified": loc.num(str(s.verified)),
                "quoted": loc.num(str(s.quoted)),
                "pct": loc.num(f"{round(100 * s.verified / s.quoted)}%"),
            }
            if s.has_file:
                text = loc._(
                    "{source}: {verified} of {quoted} quoted records verified in the source "
                    "document ({pct})"
                ).format(**fields)
            else:
                text = loc._(
                    "{source}: {verified} of {quoted} quoted records verified ({pct}): the "
                    "source gives no file: to check them in"
                ).format(**fields)
        lines.append(f"  - {text}")
    return lines


def _bounds(claim, loc: Locale) -> str:
    """A claim's bounds in plain numbers (``146–180``, ``151–open``), in this language."""
    v = claim.value
    if not v.known or v.low is None:
        return loc._("unknown")
    text = claim.interval()
    if v.high is None:
        return loc.num(text.removesuffix("–open")) + "–" + loc._("open")
    return loc.num(text)


def _ranges(c, loc: Locale) -> str:
    env = loc.fig(c.envelope) if c.envelope is not None else loc._("unknown")
    if c.consistent is not None:
        return loc._("consistent {consistent}, envelope {envelope}").format(
            consistent=loc.fig(c.consistent), envelope=env
        )
    if c.witness:
        first, second = (loc.text(w) for w in c.witness)
        return loc._(
            "no common value ({first} and {second} do not overlap); envelope {envelope}"
        ).format(first=first, second=second, envelope=env)
    return loc._("no common value; envelope {envelope}").format(envelope=env)


def conflict_lines(conflicts, kind: str = "conflicting", lang: str | Locale = "en") -> list[str]:
    """Claims about one figure (:class:`okg.analysis.conflicts.Conflict` records) as text: each
    figure, its breakdown, both ranges (or why they conflict), what a breakdown leaves
    unexplained, its claims and their quotes. *kind* is ``conflicting`` (no common value) or
    ``consistent`` (they differ but overlap)."""
    loc = locale(lang)
    if kind == "conflicting":
        title = loc._("Conflicting claims: {n}")
    else:
        title = loc._("Consistent claims (they differ but overlap): {n}")
    lines = [title.format(n=loc.num(str(len(conflicts))))]
    for i, c in enumerate(conflicts, 1):
        head = c.cls if c.cls.casefold() == c.prop.casefold() else f"{c.cls} {c.prop}"
        where = loc._(", ").join(f"{k}={v}" for k, v in c.scope.items())
        lines += ["", f"[{loc.num(str(i))}] {head} ({where})"]
        if c.breakdown:
            lines.append("    " + loc._("breakdown: {parts}").format(parts=loc.text(c.breakdown)))
        if c.envelope is not None:
            lines.append(f"    {_ranges(c, loc)}")
        lines += [f"    {loc.text(r)}" for r in c.remainders]
        for cl in c.claims:
            title = cl.source_title or ""
            where = (
                loc._("{title}, fact file line {line}").format(
                    title=title, line=loc.num(str(cl.line))
                )
                if cl.line
                else title
            )
            lines.append(f"  - {loc.text(cl.stated_as)}  → {_bounds(cl, loc)}   ({where})")
            lines += [f"      «{q}»" for q in cl.quotes]
    return lines


def identifier_lines(shared, label, lang: str | Locale = "en") -> list[str]:
    """One line per identifier two actors hold
    (:class:`okg.analysis.identity.SharedIdentifier` records); *label* names an actor's IRI."""
    loc = locale(lang)

    def who(iri: str, sources: tuple[str, ...]) -> str:
        held = loc._(", ").join(code(s, loc) for s in sources) or loc._("no source")
        return loc._("{actor} ({sources})").format(actor=label(iri), sources=held)

    return [
        loc._(
            "{scheme} {notation} is held by two actors: {first} and {second}; give them one id, "
            "or correct the identifier"
        ).format(
            scheme=code(s.scheme, loc),
            notation=code(s.notation, loc),
            first=who(s.first, s.first_sources),
            second=who(s.second, s.second_sources),
        )
        for s in shared
    ]
