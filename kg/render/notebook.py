"""Notebook display of impact results and analyses: HTML tables and pandas frames.

In Jupyter, ``%load_ext okg.render.notebook`` (or ``okg.render.notebook.enable()``) registers
``text/html`` formatters, so an :class:`~okg.analysis.impact.result.ImpactResult` or an
:class:`~okg.analysis.analyze.Analysis` left at the end of a cell shows as tables (the same
tables as ``okg impact`` and ``okg analyze``). Query rows (:class:`okg.store.sparql.Rows`) have
their own ``_repr_html_``. The analysis layer knows nothing of this module: the formatters are
registered from here, by type.

:func:`impact_frame` and :func:`analysis_frames` give pandas frames with every interval as
columns: ``jobs_low``, ``jobs_high`` (``NaN`` when open or unknown), ``jobs_point``,
``jobs_known`` and ``jobs`` (the text ``okg impact`` prints), so ranges stay ranges.

>>> from okg.figures.intervals import Interval
>>> bounds("jobs", Interval.of(135, 180))
{'jobs_low': 135.0, 'jobs_high': 180.0, 'jobs_point': nan, 'jobs_known': True, 'jobs': '135–180'}
>>> print(html_table(TextTable("t", ["a"], [["<b>"]])))
<table class="okg-table"><caption>t</caption><thead><tr><th>a</th></tr></thead><tbody><tr><td dir="auto">&lt;b&gt;</td></tr></tbody></table>
"""

from __future__ import annotations

import math
from html import escape

from okg.analysis.analyze import Analysis
from okg.analysis.impact.result import ImpactResult
from okg.figures.intervals import Interval
from okg.render.analysis import analysis_tables
from okg.render.impact import countries_table, impact_table
from okg.render.tables import TextTable, to_markdown

TOP = 10
"""Rows shown per table of an Analysis in a notebook."""


def html_table(t: TextTable) -> str:
    """One :class:`TextTable` as an HTML table, every cell escaped."""
    head = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    body = "".join(
        "<tr>" + "".join(f'<td dir="auto">{escape(c)}</td>' for c in row) + "</tr>"
        for row in t.rows
    )
    return (
        f'<table class="okg-table"><caption>{escape(t.title)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def impact_html(result: ImpactResult) -> str:
    """The event, its timing, the ranked rows and the totals by country, as HTML."""
    lines = [
        f'<h4 dir="auto">{escape(result.event_label)}</h4>',
        f"<p>as of {escape(result.as_of.isoformat())}: {escape(result.timing)}</p>",
        html_table(impact_table(result)),
        html_table(countries_table(result)),
    ]
    return '<div class="okg-impact">' + "".join(lines) + "</div>"


def analysis_html(analysis: Analysis, top: int = TOP) -> str:
    """The four tables of ``okg analyze`` (the first *top* rows each), as HTML."""
    return (
        '<div class="okg-analysis">'
        + "".join(html_table(t) for t in analysis_tables(analysis, top))
        + "</div>"
    )


# -- pandas frames ----------------------------------------------------------------------------


def _num(x) -> float:
    return math.nan if x is None else float(x)


def bounds(name: str, iv: Interval | None) -> dict[str, object]:
    """An interval as columns: low, high, point (NaN when open or unknown), known, text."""
    if iv is None or not iv.known:
        return {
            f"{name}_low": math.nan,
            f"{name}_high": math.nan,
            f"{name}_point": math.nan,
            f"{name}_known": iv is not None and iv.known,
            name: "" if iv is None else iv.format(),
        }
    return {
        f"{name}_low": _num(iv.low),
        f"{name}_high": _num(iv.high),
        f"{name}_point": _num(iv.point),
        f"{name}_known": True,
        name: iv.format(),
    }


def _pandas():
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("okg's data frames need pandas: pip install 'okg[pandas]'") from None
    return pd


def _frame(records: list[dict[str, object]], columns: list[str]):
    pd = _pandas()
    df = pd.DataFrame.from_records(records, columns=columns)
    for c in columns:
        if c.endswith("_known"):
            df[c] = df[c].astype("boolean")
        elif c.endswith(("_low", "_high", "_point")):
            df[c] = df[c].astype("float64")
        elif c in ("depth", "actors_hit", "scenarios", "unknown_terms"):
            df[c] = df[c].astype("Int64")
        else:
            df[c] = df[c].astype("string")
    return df


def _columns(*parts: str | tuple[str, str]) -> list[str]:
    out: list[str] = []
    for p in parts:
        if isinstance(p, tuple):  # an interval: its five columns
            name = p[0]
            out += [f"{name}_low", f"{name}_high", f"{name}_point", f"{name}_known", name]
        else:
            out.append(p)
    return out


def impact_frame(result: ImpactResult):
    """One row per affected actor: labels, country, status and the intervals as bounds."""
    columns = _columns(
        "actor",
        "label",
        "effect",
        "country",
        "site",
        ("jobs",),
        ("revenue_share_lost",),
        "depth",
        "status",
        "included_in",
    )
    records = [
        {
            "actor": r.actor,
            "label": r.label,
            "effect": r.effect,
            "country": r.country,
            "site": r.site_label,
            **bounds("jobs", r.jobs),
            **bounds("revenue_share_lost", r.revenue_share_lost),
            "depth": r.depth,
            "status": str(r.status),
            "included_in": r.included_in,
        }
        for r in result.rows
    ]
    return _frame(records, columns)


def countries_frame(result: ImpactResult):
    """Jobs lost, created and net by country, as bounds."""
    columns = _columns("country", ("lost",), ("created",), ("net",))
    records = [
        {
            "country": t.country,
            **bounds("lost", t.lost),
            **bounds("created", t.created),
            **bounds("net", t.net),
        }
        for t in result.countries
    ]
    return _frame(records, columns)


def analysis_frames(analysis: Analysis) -> dict[str, object]:
    """The analysis as four frames: ``concentration``, ``failures``, ``countries``,
    ``sectors``, every interval as bounds."""
    conc = [
        {"actor": c.actor, "label": c.label, "country": c.country, **bounds("hhi", c.hhi)}
        for c in analysis.concentration
    ]
    fail = [
        {
            "kind": f.kind,
            "node": f.node,
            "label": f.label,
            **bounds("jobs", f.jobs),
            "unknown_terms": f.unknown_terms,
            "actors_hit": f.actors_hit,
            "countries": ", ".join(f.countries),
        }
        for f in analysis.failures
    ]

    def exposure(items) -> list[dict[str, object]]:
        return [
            {
                "name": e.name,
                "worst_event": e.worst_event,
                **bounds("worst_event_jobs", e.worst_event_jobs),
                "worst_failure": e.worst_failure,
                **bounds("worst_failure_jobs", e.worst_failure_jobs),
                "scenarios": e.scenarios,
            }
            for e in items
        ]

    exp_cols = _columns(
        "name",
        "worst_event",
        ("worst_event_jobs",),
        "worst_failure",
        ("worst_failure_jobs",),
        "scenarios",
    )
    return {
        "concentration": _frame(conc, _columns("actor", "label", "country", ("hhi",))),
        "failures": _frame(
            fail,
            _columns(
                "kind", "node", "label", ("jobs",), "unknown_terms", "actors_hit", "countries"
            ),
        ),
        "countries": _frame(exposure(analysis.countries), exp_cols),
        "sectors": _frame(exposure(analysis.sectors), exp_cols),
    }


# -- IPython ----------------------------------------------------------------------------------


def enable(ip=None) -> None:
    """Register the ``text/html`` formatters in IPython (the running shell if *ip* is None)."""
    if ip is None:
        try:
            from IPython import get_ipython
        except ImportError:
            raise ImportError(
                "okg.render.notebook.enable() runs inside IPython or Jupyter"
            ) from None
        ip = get_ipython()
        if ip is None:
            raise RuntimeError("okg.render.notebook.enable(): no IPython shell is running")
    html = ip.display_formatter.formatters["text/html"]
    html.for_type(ImpactResult, impact_html)
    html.for_type(Analysis, analysis_html)
    plain = ip.display_formatter.formatters["text/plain"]
    plain.for_type(ImpactResult, lambda obj, p, cycle: p.text(impact_text(obj)))
    plain.for_type(Analysis, lambda obj, p, cycle: p.text(analysis_text(obj)))


def impact_text(result: ImpactResult) -> str:
    """The plain-text form in a notebook: the event, its timing and the two tables (Markdown)."""
    head = f"{result.event_label}\nas of {result.as_of.isoformat()}: {result.timing}\n\n"
    return head + to_markdown([impact_table(result), countries_table(result)])


def analysis_text(analysis: Analysis, top: int = TOP) -> str:
    return to_markdown(analysis_tables(analysis, top))


def load_ipython_extension(ip) -> None:
    """``%load_ext okg.render.notebook``."""
    enable(ip)


def unload_ipython_extension(ip) -> None:
    html = ip.display_formatter.formatters["text/html"]
    plain = ip.display_formatter.formatters["text/plain"]
    for cls in (ImpactResult, Analysis):
        html.type_printers.pop(cls, None)
        plain.type_printers.pop(cls, None)
