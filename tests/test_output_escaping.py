"""Every output escapes data for where it goes (issue 15, item 8).

The same hostile label, quote and source title (a fact file in tmp_path) go through every command
that prints data, in every format: rich tables on the terminal, CSV, JSON, Markdown, the HTML
report. Each output is checked for its own danger: terminal escape sequences and control
characters (all formats), spreadsheet formulas (CSV), markup that renders (Markdown, rendered with
markdown-it-py and opened in headless Chromium: the payload's scripts set a marker global that
must stay unset), and the HTML report opened in Chromium too.

``CASES``, :func:`hostile_store` and :func:`problems` are reused by ``tools/fault_matrix.py``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from okg.cli.application import app
from typer.testing import CliRunner

runner = CliRunner()

MARK = "okgPwned"
SCRIPT = f"<script>window.{MARK}=1</script>"
IMG = f'<img src=x onerror="window.{MARK}=2">'
FORMULA = '=HYPERLINK("http://x","y")'
TERMINAL = "\x1b]0;pwn\x07\x1b[2J\x9b31m"
LINK = f"[link](javascript:window.{MARK}=3)"
HOSTILE = f"{SCRIPT} {IMG} a|b `code` {LINK} *em* _u_ [bold]x[/bold] {TERMINAL}end"
"""One text with every payload: HTML, a Markdown link, code, emphasis, rich markup, a table
pipe and terminal escapes (OSC title, erase screen, 8-bit CSI)."""

EVENT = "move"
FORMATS = ("table", "csv", "json", "md")
CASES: list[tuple[str, list[str], tuple[str, ...]]] = [
    ("query sources", ["query", "sources"], FORMATS),
    ("query own .rq", ["query", "{labels}"], FORMATS),
    ("impact", ["impact", EVENT, "--as-of", "2026-06-01"], FORMATS),
    ("analyze", ["analyze", "--as-of", "2026-06-01"], FORMATS),
    ("sources", ["sources"], FORMATS),
    ("impact --list", ["impact", "--list"], FORMATS),
    ("check conflicts", ["check", "--no-reasoner"], ("table",)),
]
"""(what, argv, formats): every command that prints data from the store, on the hostile store."""


def _q(text: str) -> str:
    return json.dumps(text)


def hostile_fact_file(folder: Path) -> Path:
    """A fact file whose labels, quotes and source title are all the hostile text; a formula
    starts the client's label and the source title, so CSV cells begin with it."""
    doc = f"""okg: 1
source: {{id: hostile, title: {_q(FORMULA + " " + HOSTILE)}, language: en}}
modules: [call_centres]
facts:
  - id: client
    type: Firm
    label: {{en: {_q(FORMULA)}}}
    country: FR
    quote: {_q(HOSTILE)}
  - id: provider
    type: cc:ContactCentreOperator
    label: {{en: {_q("-2+3+cmd|' /C calc'!A0 " + HOSTILE)}}}
    country: BE
    quote: {_q(HOSTILE)}
  - id: site
    type: cc:ContactCentre
    label: {{en: {_q("@SUM(1+1) " + HOSTILE)}}}
    siteOf: provider
    country: BE
    quote: {_q(HOSTILE)}
  - id: deal
    type: Contract
    label: {{en: {_q(HOSTILE)}}}
    client: client
    provider: provider
    activity: [customer-care]
    deliveredFrom: site
    servesMarket: FR
    quote: {_q(HOSTILE)}
  - id: {EVENT}
    type: Relocation
    label: {{en: {_q(HOSTILE)}}}
    terminates: deal
    from: site
    to: MA
    affects: provider
    date: 2026-01-01
    quote: {_q(HOSTILE)}
  - id: jobs
    type: Workforce
    employer: provider
    site: site
    attributedTo: deal
    employmentType: all
    headcount: about 100
    quote: {_q(HOSTILE)}
  - id: jobs-2
    type: Workforce
    employer: provider
    site: site
    attributedTo: deal
    employmentType: all
    headcount: more than 150
    quote: {_q(HOSTILE)}
"""
    path = folder / "hostile.yaml"
    path.write_text(doc, encoding="utf-8")
    return path


LABELS_RQ = """# title: labels
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {
  GRAPH ?g { ?thing rdfs:label ?label } FILTER(STRENDS(STR(?g), "/hostile"))
} ORDER BY ?label
"""


def hostile_store(folder: Path) -> tuple[Path, dict[str, str]]:
    """The hostile fact file built into a store in *folder*; the store and the substitutions
    of the CASES' argv."""
    store = folder / "store"
    rq = folder / "labels.rq"
    rq.write_text(LABELS_RQ, encoding="utf-8")
    res = runner.invoke(app, ["build", str(hostile_fact_file(folder)), "--store", str(store)])
    assert res.exit_code == 0, res.output
    return store, {"labels": str(rq)}


def run_case(argv: list[str], fmt: str, store: Path, subst: dict[str, str]):
    args = [a.format(**subst) for a in argv] + ["--store", str(store)]
    if fmt != "table":
        args += ["--format", fmt]
    return runner.invoke(app, args, env={"COLUMNS": "400"})


_ESCAPE_OR_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def _markdown_html(text: str) -> str:
    from markdown_it import MarkdownIt

    # the CommonMark preset passes raw HTML through, as many Markdown viewers do
    return MarkdownIt("commonmark").enable("table").render(text)


def problems(fmt: str, text: str) -> list[str]:
    """What in *text* (the output of one case in *fmt*) would act where it goes."""
    found = []
    bad = sorted({hex(ord(c)) for c in _ESCAPE_OR_CONTROL.findall(text)})
    if bad:
        found.append(f"control characters reach the output: {', '.join(bad)}")
    if fmt == "csv":
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not _NUMBER.fullmatch(cell):
                    found.append(f"CSV cell would run as a formula: {cell[:40]!r}")
    if fmt == "json":
        json.loads(text)
    if fmt == "md":
        html = _markdown_html(text)
        for tag in ("<script", "<img", "javascript:window", "<code>code", "<em>em", "<em>u"):
            if tag in html and (tag != "javascript:window" or "href=" in html):
                found.append(f"Markdown renders {tag}")
    if fmt == "table" and "[bold]x[/bold]" not in text and MARK in text:
        found.append("rich markup in data was interpreted")
    return found


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    store, subst = hostile_store(folder)
    outputs: dict[tuple[str, str], str] = {}
    for what, argv, formats in CASES:
        for fmt in formats:
            res = run_case(argv, fmt, store, subst)
            assert res.exit_code == 0, (what, fmt, res.output)
            outputs[(what, fmt)] = res.output
    return folder, store, outputs


@pytest.mark.parametrize(
    ("what", "fmt"), [(w, f) for w, _, formats in CASES for f in formats], ids=str
)
def test_each_output_is_escaped_for_where_it_goes(world, what, fmt):
    _, _, outputs = world
    text = outputs[(what, fmt)]
    assert MARK in text, "the payload is shown (as text)"
    assert problems(fmt, text) == []


def test_the_checks_catch_the_raw_payload():
    """The checker is not blind: the payload written raw fails every format's check."""
    assert problems("table", HOSTILE)
    assert problems("md", f"| a |\n|---|\n| {HOSTILE} |\n")
    assert problems("csv", f"{FORMULA}\n")
    assert problems("csv", "-1+2\n") and not problems("csv", "-12.5,3\n")


def test_json_keeps_the_exact_text(world):
    """JSON is lossless: the label comes back as written, escapes included (as \\u escapes)."""
    _, _, outputs = world
    labels = {r["label"] for r in json.loads(outputs[("query own .rq", "json")])}
    assert HOSTILE in labels
    assert "\\u001b]0;pwn" in outputs[("query own .rq", "json")]


def test_csv_guards_text_but_not_numbers(world):
    _, _, outputs = world
    rows = list(csv.reader(io.StringIO(outputs[("query own .rq", "csv")])))
    assert ["'" + FORMULA] in [r[1:] for r in rows]
    sources = list(csv.reader(io.StringIO(outputs[("query sources", "csv")])))
    assert sources[1][1].startswith("'" + FORMULA)
    assert sources[1][-1] == "7"  # facts: a number, not a guarded text


def test_terminal_shows_the_text_without_escapes(world):
    _, _, outputs = world
    table = outputs[("query own .rq", "table")]
    assert "]0;pwn" not in table and "\x1b" not in table
    assert "pwn" not in table  # an OSC sequence goes with its payload (the window title)
    assert SCRIPT in table and "[bold]x[/bold]" in table and "a|b" in table and "end" in table


def _blank(browser, html: str, path: Path) -> object:
    path.write_text(
        "<!doctype html><meta charset=utf-8><body>"
        + html
        + "<script>window.okgReady = true</script></body>",
        encoding="utf-8",
    )
    browser.open(path)
    browser.evaluate("new Promise(r => setTimeout(r, 300))")  # let onerror handlers fire
    return browser.evaluate(f"typeof window.{MARK} === 'undefined' ? null : window.{MARK}")


@pytest.mark.browser
def test_markdown_and_report_run_no_script_in_chromium(world, tmp_path):
    from okg.viz.browser import Chromium, available

    if not available():
        pytest.skip("no chromium")
    folder, store, outputs = world
    report = tmp_path / "report.html"
    res = runner.invoke(
        app, ["report", EVENT, "--out", str(report), "--as-of", "2026-06-01", "--store", str(store)]
    )
    assert res.exit_code == 0, res.output
    with Chromium(timeout=60) as browser:
        # the control: the payload rendered raw does run (the check can fail)
        assert _blank(browser, _markdown_html(HOSTILE), tmp_path / "raw.html") is not None
        for what, _, formats in CASES:
            if "md" in formats:
                html = _markdown_html(outputs[(what, "md")])
                assert _blank(browser, html, tmp_path / "md.html") is None, what
        browser.open(report, ready="document.readyState === 'complete'")
        browser.evaluate("new Promise(r => setTimeout(r, 500))")
        assert browser.evaluate(f"typeof window.{MARK}") == "undefined"
        assert SCRIPT in browser.evaluate("document.body.innerText")  # shown as text
