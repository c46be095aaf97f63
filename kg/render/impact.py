"""Render an :class:`~okg.analysis.impact.result.ImpactResult` as a terminal report, Markdown, CSV
or JSON."""

from __future__ import annotations

from okg.analysis.impact.result import ImpactResult, Row, Step
from okg.figures.intervals import Interval
from okg.render.tables import TextTable, json_text, md_text, print_table, rich_table, to_csv


def short(iri: str) -> str:
    """``okg:provider`` for core IRIs, the last path segment for others."""
    if iri.startswith("https://w3id.org/okg/ontology#"):
        return "okg:" + iri.rsplit("#", 1)[1]
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _pct(iv: Interval | None) -> str:
    return "" if iv is None else iv.format(percent=True)


def jobs_heading(result: ImpactResult) -> str:
    return "jobs exposed" if result.measure == "exposure" else "jobs at risk"


def _status(row: Row, result: ImpactResult) -> str:
    when = result.timing.split(" (")[0].split(",")[0]
    return f"{row.status} · {when}"


def _jobs(row: Row) -> str:
    text = row.jobs.format()
    return f"+{text}" if row.effect == "gain" and row.jobs.known else text


def _step_text(s: Step) -> str:
    src = s.source_title or s.source or "no source"
    quote = f" «{s.quotes[0]}»" if s.quotes else ""
    return f"{s.start_label} —{short(s.relation)}→ {s.end_label} [{src}]{quote}"


def source_claim_lines(result: ImpactResult) -> list[str]:
    """ "What the sources say": each source's own impact claim beside the model's figure, with
    its verdict, source, claimant and quote (plain text, one claim per two lines)."""
    lines = []
    for c in result.source_claims:
        what = "jobs created" if c.effect == "gain" and c.unit == "jobs" else c.unit
        if c.effect == "loss":
            what += " at risk" if c.unit == "jobs" else " closing"
        made_up = " (illustrative)" if c.illustrative else ""
        lines.append(f"{c.actor_label}{made_up}, {what}: {c.text}")
        who = (
            f"according to {c.claimant_label}"
            if c.claimant_label
            else "claimed by the source itself"
        )
        quote = f" «{c.quotes[0]}»" if c.quotes else ""
        lines.append(f"   [{c.source_title or c.source or 'no source'}] {who}{quote}")
    return lines


def range_lines(row: Row) -> list[str]:
    """A job figure of differing claims, briefly: both ranges and which one fed the row (a
    conflict has only its envelope), then what a breakdown leaves unexplained."""
    r = row.ranges
    if r is None:
        return []
    out = []  # a conflict is named by its own line (claims_rule), with the envelope used
    if r.consistent is not None:
        out = [
            f"claims consistent: consistent {r.consistent.format()}, envelope "
            f"{r.envelope.format()}; {row.range_used} used (--range)"
        ]
    return out + [x.text() for x in r.remainders if x.unexplained]


def explanation_lines(row: Row, rank: int, result: ImpactResult) -> list[str]:
    """The plain-text explanation of one row: formula, claims with quotes, chain of edges."""
    what = "jobs created" if row.effect == "gain" else jobs_heading(result)
    where = f" at {row.site_label}" if row.site_label else ""
    lines = [
        f"#{rank} {row.label}{where} ({row.country or 'country unknown'}): "
        f"{what} {row.jobs.format()} — {row.status}"
    ]
    if row.illustrative:
        lines.append("   illustrative data (made up to show the model, not from a source)")
    if row.revenue_formula:
        lines.append(f"   revenue share lost = {row.revenue_formula}")
    lines.append(f"   {row.formula}")
    if row.included_in:
        lines.append(
            f"   counted within {short(row.included_in)} (its parent segment) in the country totals"
        )
    if row.conflict:
        lines.append(f"   conflicting claims: {row.claims_rule}")
    if row.ranges is not None:
        lines.extend(f"   {x}" for x in range_lines(row))
    for c in row.claims:
        if not (row.conflict or c.quotes):
            continue
        src = c.source_title or c.source or "no source"
        quote = f" «{c.quotes[0]}»" if c.quotes else ""
        lines.append(f"     - {c.stated} [{src}]{quote}")
    lines.append("   chain:")
    lines.extend(f"     {i}. {_step_text(s)}" for i, s in enumerate(row.chain, 1))
    return lines


def print_report(result: ImpactResult, console, top: int | None = None) -> None:
    """The terminal report: ranked table, country totals, assumptions, then explanations
    (the first *top* rows only, when given; totals always cover every row)."""
    shown = result.rows[:top] if top else result.rows
    console.print(f"{result.event_label}", markup=False, style="bold")
    console.print(
        f"{result.event}  ({', '.join(short(t) for t in result.event_types)})", markup=False
    )
    console.print(
        f"as of {result.as_of}: {result.timing} — figures are "
        f"{'an exposure' if result.measure == 'exposure' else 'an impact'}; "
        f"closure threshold {result.threshold:.0%}"
        + (f"; max depth {result.max_depth}" if result.max_depth else ""),
        markup=False,
    )
    print_table(console, rich_table(impact_table(result, top)))
    if not result.rows:
        console.print("No actor is affected.", markup=False)
    elif len(shown) < len(result.rows):
        console.print(f"... {len(result.rows) - len(shown)} more rows (--top)", markup=False)
    print_table(console, rich_table(countries_table(result)))
    lost = [x for x in result.contracts if x.effect == "loss"]
    gained = [x for x in result.contracts if x.effect == "gain"]
    for title, items in (("Contracts lost", lost), ("Contracts gained", gained)):
        if items:
            console.print(f"{title}:", markup=False, style="bold")
            for x in items:
                console.print(
                    f"  {x.label}: {x.fraction.format(percent=True)} (depth {x.depth})",
                    markup=False,
                )
    if result.source_claims:
        console.print("What the sources say:", markup=False, style="bold")
        for line in source_claim_lines(result):
            console.print(f"  {line}", markup=False, highlight=False)
    for title, items in (("Assumptions", result.assumptions), ("Notes", _notes(result))):
        if items:
            console.print(f"{title}:", markup=False, style="bold")
            for a in items:
                console.print(f"  - {a}", markup=False)
    console.print("Explanations:", markup=False, style="bold")
    for i, r in enumerate(shown, 1):
        for line in explanation_lines(r, i, result):
            console.print(line, markup=False, highlight=False)


def impact_table(result: ImpactResult, top: int | None = None) -> TextTable:
    """The ranked rows (the first *top* when given) as a table."""
    shown = result.rows[:top] if top else result.rows
    return TextTable(
        f"Affected actors ranked by {jobs_heading(result)}",
        [
            "#",
            "firm/segment",
            "site",
            "country",
            "revenue share lost",
            f"{jobs_heading(result)} / created",
            "depth",
            "status",
        ],
        [
            [
                str(i),
                r.label + (" (illustrative)" if r.illustrative else ""),
                r.site_label or "",
                r.country or "",
                _pct(r.revenue_share_lost),
                _jobs(r),
                str(r.depth),
                _status(r, result),
            ]
            for i, r in enumerate(shown, 1)
        ],
        key="rows",
        right={0, 6},
    )


def countries_table(result: ImpactResult) -> TextTable:
    """Jobs lost, created and net by country (each figure counted once)."""
    return TextTable(
        "Jobs by country (each figure counted once)",
        ["country", "lost", "created", "net"],
        [
            [
                ct.country,
                _with_unknown(ct.lost, ct.lost_unknown_terms),
                _with_unknown(ct.created, ct.created_unknown_terms),
                ct.net.format(),
            ]
            for ct in result.countries
        ],
        key="countries",
    )


def render_impact(result: ImpactResult, fmt: str, top: int | None = None) -> str:
    """The impact as ``json`` (everything, :meth:`ImpactResult.to_dict`), ``md`` (the report)
    or ``csv`` (the ranked rows, then the totals by country)."""
    if fmt == "json":
        return json_text(result.to_dict())
    if fmt == "md":
        return markdown(result, top)
    if fmt == "csv":
        return to_csv([impact_table(result, top), countries_table(result)])
    raise ValueError(f"unknown format {fmt!r}; expected csv, json or md")


MAX_NOTES = 20


def _notes(result: ImpactResult) -> list[str]:
    """The first notes, and how many more there are (JSON output keeps them all)."""
    notes = result.notes[:MAX_NOTES]
    if len(result.notes) > MAX_NOTES:
        notes.append(
            f"... {len(result.notes) - MAX_NOTES} more notes (--format json lists them all)"
        )
    return notes


def _with_unknown(iv: Interval, n: int) -> str:
    return iv.format() + (f" (incl. {n} unknown figure{'s' if n > 1 else ''})" if n else "")


def _md(text: str) -> str:
    return md_text(text)


def markdown(result: ImpactResult, top: int | None = None) -> str:
    """The same report as Markdown."""
    shown = result.rows[:top] if top else result.rows
    out = [
        f"# Impact of {_md(result.event_label)}",
        "",
        f"- event: `{result.event}` ({', '.join(short(t) for t in result.event_types)})",
        f"- as of {result.as_of}: **{_md(result.timing)}** "
        f"({'exposure' if result.measure == 'exposure' else 'impact'})",
        f"- closure threshold: {result.threshold:.0%}"
        + (f"; max depth {result.max_depth}" if result.max_depth else ""),
        "",
        f"| # | firm/segment | site | country | revenue share lost | "
        f"{jobs_heading(result)} / created | depth | status |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i, r in enumerate(shown, 1):
        out.append(
            f"| {i} | {_md(r.label + (' (illustrative)' if r.illustrative else ''))} | {_md(r.site_label or '')} | {_md(r.country or '')} | "
            f"{_pct(r.revenue_share_lost)} | {_jobs(r)} | {r.depth} | "
            f"{_md(_status(r, result))} |"
        )
    out += ["", "## Jobs by country", "", "| country | lost | created | net |", "|---|---|---|---|"]
    for ct in result.countries:
        out.append(
            f"| {_md(ct.country)} | {_with_unknown(ct.lost, ct.lost_unknown_terms)} | "
            f"{_with_unknown(ct.created, ct.created_unknown_terms)} | "
            f"{ct.net.format()} |"
        )
    if result.source_claims:
        out += ["", "## What the sources say", ""]
        for line in source_claim_lines(result):
            indent = "  " if line.startswith("   ") else ""
            out.append(f"{indent}- {_md(line.strip())}")
    for title, items in (("Assumptions", result.assumptions), ("Notes", _notes(result))):
        if items:
            out += ["", f"## {title}", ""] + [f"- {_md(a)}" for a in items]
    if len(shown) < len(result.rows):
        out += ["", f"… {len(result.rows) - len(shown)} more rows (--top)"]
    out += ["", "## Explanations", ""]
    for i, r in enumerate(shown, 1):
        lines = explanation_lines(r, i, result)
        out.append(f"### {_md(lines[0])}")
        out.append("")
        for line in lines[1:]:
            indent = "  " if line.startswith("     ") else ""
            text = line.strip().lstrip("- ")
            out.append(f"{indent}- {_md(text)}")
        out.append("")
    return "\n".join(out) + "\n"
