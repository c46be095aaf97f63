"""Render an :class:`~okg.analysis.impact.result.ImpactResult` as a terminal report, Markdown, CSV
or JSON."""

from __future__ import annotations

from okg.analysis.impact.result import ImpactResult, Row, Step
from okg.figures.intervals import Interval
from okg.render.i18n import Locale, locale
from okg.render.sentences import add_sentences, step_sentence
from okg.render.tables import TextTable, json_text, md_text, print_table, rich_table, to_csv


def short(iri: str) -> str:
    """``okg:provider`` for core IRIs, the last path segment for others."""
    if iri.startswith("https://w3id.org/okg/ontology#"):
        return "okg:" + iri.rsplit("#", 1)[1]
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _pct(iv: Interval | None, loc: Locale) -> str:
    return "" if iv is None else loc.fig(iv, percent=True)


def jobs_heading(result: ImpactResult, lang: str | Locale = "en") -> str:
    loc = locale(lang)
    return loc._("jobs exposed") if result.measure == "exposure" else loc._("jobs at risk")


def _status(row: Row, result: ImpactResult, loc: Locale) -> str:
    when = result.timing.split(" (")[0].split(",")[0]
    inferred = f" · {loc._('inferred')}" if row.inferred else ""
    return f"{loc.text(row.status)} · {loc.text(when)}{inferred}"


def _jobs(row: Row, loc: Locale) -> str:
    text = loc.fig(row.jobs)
    return f"+{text}" if row.effect == "gain" and row.jobs.known else text


def _step_text(s: Step, loc: Locale) -> str:
    src = s.source_title or s.source or loc._("no source")
    quote = f" «{s.quotes[0]}»" if s.quotes else ""
    return f"{step_sentence(s, loc)} [{src}]{quote}"


def source_claim_lines(result: ImpactResult, lang: str | Locale = "en") -> list[str]:
    """ "What the sources say": each source's own impact claim beside the model's figure, with
    its verdict, source, claimant and quote (plain text, one claim per two lines)."""
    loc = locale(lang)
    lines = []
    for c in result.source_claims:
        if c.unit == "jobs":
            what = {"gain": loc._("jobs created"), "loss": loc._("jobs at risk")}.get(
                c.effect, loc._("jobs")
            )
        else:
            unit = loc.text(c.unit)
            what = loc._("{unit} closing").format(unit=unit) if c.effect == "loss" else unit
        made_up = loc._(" (illustrative)") if c.illustrative else ""
        lines.append(f"{c.actor_label}{made_up}, {what}: {loc.text(c.text)}")
        who = (
            loc._("according to {claimant}").format(claimant=c.claimant_label)
            if c.claimant_label
            else loc._("claimed by the source itself")
        )
        quote = f" «{c.quotes[0]}»" if c.quotes else ""
        lines.append(f"   [{c.source_title or c.source or loc._('no source')}] {who}{quote}")
    return lines


def range_lines(row: Row, lang: str | Locale = "en") -> list[str]:
    """A job figure of differing claims, briefly: both ranges and which one fed the row (a
    conflict has only its envelope), then what a breakdown leaves unexplained."""
    loc = locale(lang)
    r = row.ranges
    if r is None:
        return []
    out = []  # a conflict is named by its own line (claims_rule), with the envelope used
    if r.consistent is not None:
        out = [
            loc._(
                "claims consistent: consistent {consistent}, envelope {envelope}; {used} used "
                "(--range)"
            ).format(
                consistent=loc.fig(r.consistent),
                envelope=loc.fig(r.envelope),
                used=loc.text(row.range_used),
            )
        ]
    return out + [loc.text(x.text()) for x in r.remainders if x.unexplained]


def explanation_lines(
    row: Row, rank: int, result: ImpactResult, lang: str | Locale = "en"
) -> list[str]:
    """The plain-text explanation of one row: formula, claims with quotes, chain of edges."""
    loc = locale(lang)
    what = loc._("jobs created") if row.effect == "gain" else jobs_heading(result, loc)
    where = loc._(" at {site}").format(site=row.site_label) if row.site_label else ""
    lines = [
        f"#{rank} {row.label}{where} ({row.country or loc._('country unknown')}): "
        f"{what} {loc.fig(row.jobs)} — {loc.text(row.status)}"
    ]
    if row.illustrative:
        lines.append(
            "   " + loc._("illustrative data (made up to show the model, not from a source)")
        )
    if row.revenue_formula:
        lines.append("   " + loc.text(f"revenue share lost = {row.revenue_formula}"))
    lines.append(f"   {loc.text(row.formula)}")
    if row.included_in:
        lines.append(
            "   "
            + loc._("counted within {segment} (its parent segment) in the country totals").format(
                segment=next(
                    (x.label for x in result.rows if x.actor == row.included_in),
                    short(row.included_in),
                )
            )
        )
    if row.conflict:
        lines.append(
            "   " + loc._("conflicting claims: {rule}").format(rule=loc.text(row.claims_rule))
        )
    if row.ranges is not None:
        lines.extend(f"   {x}" for x in range_lines(row, loc))
    for c in row.claims:
        if not (row.conflict or c.quotes):
            continue
        src = c.source_title or c.source or loc._("no source")
        quote = f" «{c.quotes[0]}»" if c.quotes else ""
        who = row.claimants.get(c.fact)
        who = " " + loc._("according to {claimant}").format(claimant=who) if who else ""
        lines.append(f"     - {loc.text(c.stated)}{who} [{src}]{quote}")
    lines.append("   " + loc._("chain:"))
    lines.extend(f"     {i}. {_step_text(s, loc)}" for i, s in enumerate(row.chain, 1))
    return lines


def _heading(result: ImpactResult, loc: Locale) -> str:
    """``as of DATE: TIMING — figures are an impact; closure threshold 50%``."""
    return loc._(
        "as of {date}: {timing} — figures are {measure}; closure threshold {threshold}"
    ).format(
        date=loc.num(str(result.as_of)),
        timing=loc.text(result.timing),
        measure=loc._("an exposure") if result.measure == "exposure" else loc._("an impact"),
        threshold=loc.num(f"{result.threshold:.0%}"),
    ) + (
        loc._("; max depth {depth}").format(depth=loc.num(str(result.max_depth)))
        if result.max_depth
        else ""
    )


def print_report(
    result: ImpactResult, console, top: int | None = None, lang: str | Locale = "en"
) -> None:
    """The terminal report: ranked table, country totals, assumptions, then explanations
    (the first *top* rows only, when given; totals always cover every row)."""
    loc = locale(lang)
    shown = result.rows[:top] if top else result.rows
    console.print(f"{result.event_label}", markup=False, style="bold")
    console.print(
        f"{result.event}  ({', '.join(short(t) for t in result.event_types)})", markup=False
    )
    console.print(_heading(result, loc), markup=False)
    print_table(console, rich_table(impact_table(result, top, loc)))
    if not result.rows:
        console.print(loc._("No actor is affected."), markup=False)
    elif len(shown) < len(result.rows):
        n = len(result.rows) - len(shown)
        console.print(
            "... " + loc.ngettext("{n} more row (--top)", "{n} more rows (--top)", n).format(n=n),
            markup=False,
        )
    print_table(console, rich_table(countries_table(result, loc)))
    lost = [x for x in result.contracts if x.effect == "loss"]
    gained = [x for x in result.contracts if x.effect == "gain"]
    for title, items in ((loc._("Contracts lost"), lost), (loc._("Contracts gained"), gained)):
        if items:
            console.print(loc._("{title}:").format(title=title), markup=False, style="bold")
            for x in items:
                depth = loc._("(depth {depth})").format(depth=loc.num(str(x.depth)))
                console.print(
                    f"  {x.label}: {loc.fig(x.fraction, percent=True)} {depth}",
                    markup=False,
                )
    if result.source_claims:
        console.print(loc._("What the sources say:"), markup=False, style="bold")
        for line in source_claim_lines(result, loc):
            console.print(f"  {line}", markup=False, highlight=False)
    for title, items in (
        (loc._("Assumptions"), result.assumptions),
        (loc._("Notes"), _notes(result, loc)),
    ):
        if items:
            console.print(loc._("{title}:").format(title=title), markup=False, style="bold")
            for a in items:
                console.print(f"  - {loc.text(a)}", markup=False)
    console.print(loc._("Explanations:"), markup=False, style="bold")
    lines = (line for i, r in enumerate(shown, 1) for line in explanation_lines(r, i, result, loc))
    if hasattr(console, "print_lines"):  # the CLI's console: unstyled lines written at once
        console.print_lines(lines)
    else:
        for line in lines:
            console.print(line, markup=False, highlight=False)


def impact_table(
    result: ImpactResult, top: int | None = None, lang: str | Locale = "en"
) -> TextTable:
    """The ranked rows (the first *top* when given) as a table."""
    loc = locale(lang)
    shown = result.rows[:top] if top else result.rows
    heading = jobs_heading(result, loc)
    return TextTable(
        loc._("Affected actors ranked by {jobs}").format(jobs=heading),
        [
            "#",
            loc._("firm/segment"),
            loc._("site"),
            loc._("country"),
            loc._("revenue share lost"),
            loc._("{jobs} / created").format(jobs=heading),
            loc._("depth"),
            loc._("status"),
        ],
        [
            [
                str(i),
                r.label + (loc._(" (illustrative)") if r.illustrative else ""),
                r.site_label or "",
                r.country or "",
                _pct(r.revenue_share_lost, loc),
                _jobs(r, loc),
                str(r.depth),
                _status(r, result, loc),
            ]
            for i, r in enumerate(shown, 1)
        ],
        key="rows",
        right={0, 6},
    )


def countries_table(result: ImpactResult, lang: str | Locale = "en") -> TextTable:
    """Jobs lost, created and net by country (each figure counted once)."""
    loc = locale(lang)
    return TextTable(
        loc._("Jobs by country (each figure counted once)"),
        [loc._("country"), loc._("lost"), loc._("created"), loc._("net")],
        [
            [
                ct.country,
                _with_unknown(ct.lost, ct.lost_unknown_terms, loc),
                _with_unknown(ct.created, ct.created_unknown_terms, loc),
                loc.fig(ct.net),
            ]
            for ct in result.countries
        ],
        key="countries",
    )


def render_impact(
    result: ImpactResult,
    fmt: str,
    top: int | None = None,
    lang: str | Locale = "en",
    digits: str = "latn",
) -> str:
    """The impact as ``json`` (everything, :meth:`ImpactResult.to_dict`), ``md`` (the report)
    or ``csv`` (the ranked rows, then the totals by country). Human text is in *lang*
    (:mod:`okg.render.i18n`); JSON keeps its English keys and machine values."""
    if fmt == "json":
        loc = locale(lang, digits, isolate=False)
        for r in result.rows:
            add_sentences(r.chain, loc)
        for c in result.contracts:
            add_sentences(c.chain, loc)
        data = result.to_dict()
        # shares stay shares in the machine fields (low/high in 0..1); their text is the percent
        # every other output prints ("0–100 %", not "0–1")
        for r, d in zip(result.rows, data["rows"], strict=True):
            if d.get("revenue_share_lost"):
                d["revenue_share_lost"]["text"] = _pct(r.revenue_share_lost, loc)
        for c, d in zip(result.contracts, data["contracts"], strict=True):
            if d.get("fraction"):
                d["fraction"]["text"] = _pct(c.fraction, loc)
        return json_text(data)
    if fmt == "md":
        return markdown(result, top, locale(lang, digits))
    if fmt == "csv":  # CSV cells carry no bidirectional isolates
        loc = locale(lang, digits, isolate=False)
        ranked = impact_table(result, top, loc)
        # a header line starting with "#" would read as a comment (pandas' comment="#")
        ranked.columns = [loc._("rank"), *ranked.columns[1:]]
        return to_csv([ranked, countries_table(result, loc)])
    raise ValueError(f"unknown format {fmt!r}; expected csv, json or md")


MAX_NOTES = 20


def _notes(result: ImpactResult, lang: str | Locale = "en") -> list[str]:
    """The first notes, and how many more there are (JSON output keeps them all)."""
    loc = locale(lang)
    notes = result.notes[:MAX_NOTES]
    if len(result.notes) > MAX_NOTES:
        n = len(result.notes) - MAX_NOTES
        notes.append(
            "... "
            + loc.ngettext(
                "{n} more note (--format json lists them all)",
                "{n} more notes (--format json lists them all)",
                n,
            ).format(n=n)
        )
    return notes


def _with_unknown(iv: Interval, n: int, loc: Locale) -> str:
    if not n:
        return loc.fig(iv)
    what = loc.ngettext("(incl. {n} unknown figure)", "(incl. {n} unknown figures)", n)
    return loc.fig(iv) + " " + what.format(n=loc.num(str(n)))


def _md(text: str) -> str:
    return md_text(text)


def markdown(result: ImpactResult, top: int | None = None, lang: str | Locale = "en") -> str:
    """The same report as Markdown."""
    loc = locale(lang)
    shown = result.rows[:top] if top else result.rows
    cols = [
        "#",
        loc._("firm/segment"),
        loc._("site"),
        loc._("country"),
        loc._("revenue share lost"),
        loc._("{jobs} / created").format(jobs=jobs_heading(result, loc)),
        loc._("depth"),
        loc._("status"),
    ]
    out = [
        "# " + loc._("Impact of {event}").format(event=_md(result.event_label)),
        "",
        "- "
        + loc._("event: {event} ({types})").format(
            event=f"`{result.event}`", types=", ".join(short(t) for t in result.event_types)
        ),
        "- "
        + loc._("as of {date}: {timing} ({measure})").format(
            date=loc.num(str(result.as_of)),
            timing=f"**{_md(loc.text(result.timing))}**",
            measure=loc._("exposure") if result.measure == "exposure" else loc._("impact"),
        ),
        "- "
        + loc._("closure threshold: {threshold}").format(
            threshold=loc.num(f"{result.threshold:.0%}")
        )
        + (
            loc._("; max depth {depth}").format(depth=loc.num(str(result.max_depth)))
            if result.max_depth
            else ""
        ),
        "",
        "| " + " | ".join(cols) + " |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(shown, 1):
        out.append(
            f"| {i} | {_md(r.label + (loc._(' (illustrative)') if r.illustrative else ''))} | {_md(r.site_label or '')} | {_md(r.country or '')} | "
            f"{_pct(r.revenue_share_lost, loc)} | {_jobs(r, loc)} | {r.depth} | "
            f"{_md(_status(r, result, loc))} |"
        )
    out += [
        "",
        "## " + loc._("Jobs by country"),
        "",
        "| " + " | ".join(loc._(c) for c in ("country", "lost", "created", "net")) + " |",
        "|---|---|---|---|",
    ]
    for ct in result.countries:
        out.append(
            f"| {_md(ct.country)} | {_with_unknown(ct.lost, ct.lost_unknown_terms, loc)} | "
            f"{_with_unknown(ct.created, ct.created_unknown_terms, loc)} | "
            f"{loc.fig(ct.net)} |"
        )
    if result.source_claims:
        out += ["", "## " + loc._("What the sources say"), ""]
        for line in source_claim_lines(result, loc):
            indent = "  " if line.startswith("   ") else ""
            out.append(f"{indent}- {_md(line.strip())}")
    for title, items in (
        (loc._("Assumptions"), result.assumptions),
        (loc._("Notes"), _notes(result, loc)),
    ):
        if items:
            out += ["", f"## {title}", ""] + [f"- {_md(loc.text(a))}" for a in items]
    if len(shown) < len(result.rows):
        n = len(result.rows) - len(shown)
        more = loc.ngettext("{n} more row (--top)", "{n} more rows (--top)", n)
        out += ["", "… " + more.format(n=n)]
    out += ["", "## " + loc._("Explanations"), ""]
    for i, r in enumerate(shown, 1):
        lines = explanation_lines(r, i, result, loc)
        out.append(f"### {_md(lines[0])}")
        out.append("")
        for line in lines[1:]:
            indent = "  " if line.startswith("     ") else ""
            text = line.strip().lstrip("- ")
            out.append(f"{indent}- {_md(text)}")
        out.append("")
    return "\n".join(out) + "\n"
