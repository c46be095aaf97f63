"""The pages in a real browser: Debian's headless Chromium, driven over the DevTools protocol.

Each page is opened from file:// and checked through its own JavaScript (``window.okgNetwork``):
the expected nodes and edges are drawn, no request left the page (only file:// and data: URLs),
no console error or uncaught exception, no dialog, and no script smuggled in through data ran.
Screenshots go to tests/artifacts/ (not committed).
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from browser import ARTIFACTS, hover, open_checked, synthetic_store
from okg.cli import app
from okg.store import KnowledgeGraph
from okg.terms.resources import data_dir
from okg.viz.browser import Chromium, available
from okg.viz.page import write
from okg.viz.report import report_blocks
from okg.viz.views import event_view, network_view, run_event
from typer.testing import CliRunner

pytestmark = pytest.mark.browser
if not available():
    pytest.skip("/usr/bin/chromium is not installed (.ci/run installs it)", allow_module_level=True)

ID = "https://w3id.org/okg/id/"
IKANBI = ID + "ikanbi"
TOTAL = ID + "totalenergies"
JOBS_163 = ID + "totalenergies-ikanbi-relocation/ikanbi-jobs-163"
CONTRACT = ID + "totalenergies-ikanbi-relocation/total-fr-customer-service-ikanbi"
SEED = [
    data_dir() / "totalenergies-ikanbi-2025.yaml",
    data_dir() / "assahafa-2025-05-25-telemarketing-ban.yaml",
]
IMG = "<img src=x onerror=window.__pwned=1;alert(1)>"
SCRIPT = "</script><script>window.__pwned=2;alert(2)</script>"
runner = CliRunner()


def fact_line(path: Path, fact: str) -> int:
    """The line of ``- id: FACT`` in a fact file (the line the loader records)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, t in enumerate(lines, 1) if t.strip() == f"- id: {fact}")


def js(value: str) -> str:
    return json.dumps(value)


@pytest.fixture(scope="module")
def browser():
    with Chromium(timeout=60) as chromium:  # closed by process id, profile folder removed
        yield chromium


@pytest.fixture(scope="module")
def seed() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(SEED)
    return kg


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return tmp_path_factory.mktemp("pages")


def count(browser: Chromium, what: str) -> int:
    return browser.evaluate(f"okgNetwork.body.data.{what}.length")


def test_seed_network_draws_every_node_and_edge(browser, seed, pages):
    view = network_view(seed)
    page = write(view, pages / "seed.html")
    open_checked(browser, page, "seed-network.png")
    assert count(browser, "nodes") == len(view.nodes) > 40
    assert count(browser, "edges") == len(view.edges) > 70
    assert browser.evaluate(f"okgNetwork.body.data.nodes.get({js(IKANBI)}).label") == "IKANBI"
    labels = browser.evaluate(
        f"okgNetwork.body.data.edges.get({{filter: e => e.from === {js(CONTRACT)}"
        f" && e.to === {js(IKANBI)}}}).map(e => e.label)"
    )
    assert labels == ["provider"]
    # drawn, not only loaded: vis-network has a body node and a position for it
    assert browser.evaluate(f"{js(IKANBI)} in okgNetwork.body.nodes")
    assert browser.evaluate("okgNetwork.physics.options.enabled") is False
    tip = browser.evaluate(
        f"(() => {{ const t = okgNetwork.body.data.nodes.get({js(JOBS_163)})"
        ".title; return [t instanceof HTMLElement, t.textContent]; })()"
    )
    assert tip[0] is True
    assert "تنذر هذه الخطوة بفقدان حوالي 163 موظفًا" in tip[1] and "146–180" in tip[1]
    assert f"line {fact_line(SEED[0], 'ikanbi-jobs-163')}" in tip[1]
    assert "146–180" in hover(browser, JOBS_163)


def test_search_box_finds_and_focuses_a_node(browser, seed, pages):
    page = pages / "seed.html"
    if not page.exists():
        write(network_view(seed), page)
    open_checked(browser, page)
    browser.evaluate(
        "document.getElementById('okg-query').value = 'ikanbi';"
        "document.querySelector('#okg-search button').click(); true"
    )
    assert browser.evaluate("okgNetwork.getSelectedNodes()") == [IKANBI]
    assert "IKANBI" in browser.evaluate("document.getElementById('okg-details').textContent")
    assert browser.evaluate("okgSearch('no such thing at all')") is None
    assert (
        browser.evaluate("document.getElementById('okg-search-status').textContent") == "no match"
    )


def test_arabic_page_is_right_to_left(browser, seed, pages):
    page = write(network_view(seed, lang="ar"), pages / "seed-ar.html")
    open_checked(browser, page, "seed-network-ar.png")
    assert browser.evaluate("document.documentElement.dir") == "rtl"
    assert browser.evaluate(f"okgNetwork.body.data.nodes.get({js(TOTAL)}).label") == "توتال إنيرجيز"
    tip = browser.evaluate(f"okgNetwork.body.data.nodes.get({js(TOTAL)}).title.dir")
    assert tip == "rtl"
    assert "أعلنت مجموعة TotalEnergies الفرنسية" in hover(browser, TOTAL)
    browser.screenshot(ARTIFACTS / "seed-network-ar-tooltip.png")


HOSTILE_FACTS = f"""\
okg: 1
source:
  id: hostile
  title: {js(IMG + " title")}
  language: en
modules: [call_centres]
facts:
  - id: evil-firm
    type: Firm
    label: {{en: {js(IMG)}}}
    country: FR
    quote: {js(SCRIPT + " & <b>bold</b> href")}
  - id: evil-client
    type: Firm
    label: {{en: {js(SCRIPT)}}}
    country: FR
    quote: {js(IMG)}
  - id: evil-contract
    type: Contract
    label: {{en: {js("<svg onload=window.__pwned=5>")}}}
    client: evil-client
    provider: evil-firm
    activity: customer-care
    revenueShare: 100%
    quote: "<iframe src=javascript:window.__pwned=6></iframe>"
  - id: evil-jobs
    type: Workforce
    employer: evil-firm
    attributedTo: evil-contract
    employmentType: all
    headcount: about 40
    quote: {js(IMG)}
  - id: evil-end
    type: ContractTerminated
    label: {{en: {js(SCRIPT + " ends")}}}
    terminates: evil-contract
    date: 2026-01-01
    quote: {js(SCRIPT)}
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> KnowledgeGraph:
    path = tmp_path_factory.mktemp("hostile") / "hostile.yaml"
    path.write_text(textwrap.dedent(HOSTILE_FACTS), encoding="utf-8")
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load([path])
    return kg


NOTHING_RAN = (
    "window.__pwned === undefined && document.querySelectorAll('img, svg, iframe, b').length === 0"
)


def test_hostile_labels_and_quotes_show_as_text_and_run_nothing(browser, hostile, pages):
    page = write(network_view(hostile), pages / "hostile.html")
    open_checked(browser, page, "hostile.png")
    assert browser.evaluate(NOTHING_RAN) is True
    evil = ID + "evil-firm"
    drawn = browser.evaluate(f"okgNetwork.body.data.nodes.get({js(evil)}).label")
    assert drawn.replace("\n", " ") == IMG  # wrapped at spaces
    tip = hover(browser, evil)
    assert IMG in tip and SCRIPT in tip and "<b>bold</b> href" in tip
    assert browser.evaluate("document.querySelectorAll('div.vis-tooltip *').length") > 0
    assert browser.evaluate(NOTHING_RAN) is True
    assert browser.evaluate("okgSearch('<img')") == evil
    assert IMG in browser.evaluate("document.getElementById('okg-details').textContent")
    assert browser.evaluate(NOTHING_RAN) is True
    assert browser.dialogs == [] and browser.errors == []


def test_hostile_report_runs_nothing(browser, hostile, pages):
    result = run_event(hostile, "evil-end", "2026-02-01")
    assert result.rows  # the event reaches the hostile firm
    view = event_view(hostile, result)
    view.title = result.event_label
    page = write(
        view, pages / "hostile-report.html", highlight=True, report=report_blocks(hostile, result)
    )
    open_checked(browser, page, "hostile-report.png")
    assert browser.evaluate(NOTHING_RAN) is True
    text = browser.evaluate("document.body.innerText")
    assert IMG in text and SCRIPT in text  # the table, explanations and sources show them
    assert browser.evaluate("document.title") == SCRIPT + " ends"
    assert browser.dialogs == []


@pytest.mark.parametrize(
    "event,as_of,actor",
    [
        ("total-relocation", "2026-02-01", IKANBI),
        ("fr-ban-vote", "2026-09-01", ID + "ma-offshore-call-centres"),
    ],
)
def test_event_network_and_report_pages(browser, pages, event, as_of, actor, tmp_path_factory):
    store = str(tmp_path_factory.mktemp("store") / "s")
    assert runner.invoke(app, ["build", "--store", store, *map(str, SEED)]).exit_code == 0
    net, rep = pages / f"{event}-network.html", pages / f"{event}-report.html"
    for args in (
        ["viz", "--event", event, "--as-of", as_of, "--out", str(net)],
        ["report", event, "--as-of", as_of, "--out", str(rep)],
    ):
        res = runner.invoke(app, [*args, "--store", store])
        assert res.exit_code == 0, res.output
    with KnowledgeGraph.open(store) as kg:
        result = run_event(kg, event, as_of)
    open_checked(browser, net, f"{event}-network.png")
    assert browser.evaluate(f"okgNetwork.body.data.nodes.get({js(actor)}).borderWidth") == 4
    row = next(r for r in result.rows if r.actor == actor)
    assert browser.evaluate(f"okgNetwork.body.data.nodes.get({js(actor)}).label").endswith(
        f"\n{row.jobs.format()} jobs at risk"
    )
    assert (
        browser.evaluate("okgNetwork.body.data.edges.get({filter: e => e.width === 3}).length") > 0
    )
    assert browser.evaluate("document.querySelectorAll('.okg-legend li').length") > 5
    open_checked(browser, rep, f"{event}-report.png")
    rows = browser.evaluate("document.querySelector('.okg-report table').tBodies[0].rows.length")
    assert rows == len(result.rows) > 0
    first = browser.evaluate(
        "document.querySelector('.okg-report table').tBodies[0].rows[0].cells[4].textContent"
    )
    assert first.startswith(result.rows[0].jobs.format())
    assert browser.evaluate(f"okgNetwork.body.data.nodes.get({js(actor)}) !== null")
    quotes = browser.evaluate("document.querySelectorAll('.okg-report blockquote').length")
    assert quotes > 0


def test_twenty_thousand_firms_are_grouped_and_render(browser, pages):
    kg = synthetic_store(20_000)
    view = network_view(kg)
    assert len(view.nodes) <= 2000
    page = write(view, pages / "twenty-thousand.html")
    took = open_checked(browser, page, "twenty-thousand-firms.png", timeout=120)
    (ARTIFACTS / "twenty-thousand-firms.txt").write_text(
        f"{len(view.nodes)} nodes, {len(view.edges)} edges drawn in {took:.1f} s\n",
        encoding="utf-8",
    )
    assert count(browser, "nodes") == len(view.nodes)
    notice = browser.evaluate("document.querySelector('.okg-notice').textContent")
    assert "20,000 firms are grouped by country and sector" in notice
    group = browser.evaluate(
        "okgNetwork.body.data.nodes.get('group:https://w3id.org/okg/id/"
        "country/MA|http://data.europa.eu/ux2/nace2/8220').label"
    )
    assert group.endswith("firms") and "Morocco" in group
    assert browser.evaluate("okgNetwork.physics.options.enabled") is False
