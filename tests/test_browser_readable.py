"""Networks that read, measured in headless Chromium (issue 14, items 5 and 2).

* no two label boxes overlap on the seed page: vis-network's own ``getBoundingBox`` of every
  drawn node (shape and label), with the reference facets off and on;
* reference nodes (countries, sectors, activities, languages) are hidden until their checkbox
  is ticked, and the text list for screen readers holds exactly the nodes shown;
* ``--event`` zooms to exactly what the event reaches;
* in Arabic pages a range keeps its left-to-right order: the rendered position of each
  character of ``135–180`` (``document.createRange()`` and ``getClientRects()``).
"""

from __future__ import annotations

import json
import re

import pytest
from browser import ARTIFACTS, open_checked
from okg.store import KnowledgeGraph
from okg.viz.browser import Chromium, available
from okg.viz.layout import label_box
from okg.viz.page import FONT, label_lines, node_size, write
from okg.viz.report import report_blocks
from okg.viz.style import FACETS
from okg.viz.views import event_view, network_view, run_event

pytestmark = pytest.mark.browser
if not available():
    pytest.skip("/usr/bin/chromium is not installed (.ci/run installs it)", allow_module_level=True)

ID = "https://w3id.org/okg/id/"
IKANBI = ID + "ikanbi"


@pytest.fixture(scope="module")
def browser():
    with Chromium(timeout=60) as chromium:
        yield chromium


@pytest.fixture(scope="module")
def seed(seed_kg) -> KnowledgeGraph:
    """The bundled data pack (conftest's session store, read only)."""
    return seed_kg


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    return tmp_path_factory.mktemp("readable")


BOXES = """(() => {
  const ds = okgNetwork.body.data.nodes;
  const out = {};
  ds.get({filter: n => !n.hidden}).forEach(n => {
    const b = okgNetwork.getBoundingBox(n.id);
    out[n.id] = [b.left, b.top, b.right, b.bottom];
  });
  return out;
})()"""


def drawn_boxes(browser: Chromium) -> dict[str, list[float]]:
    return browser.evaluate(BOXES)


def overlapping(boxes: dict[str, list[float]]) -> list[tuple[str, str]]:
    keys = sorted(boxes)
    hits = []
    for i, a in enumerate(keys):
        la, ta, ra, ba = boxes[a]
        for b in keys[i + 1 :]:
            lb, tb, rb, bb = boxes[b]
            if la < rb and lb < ra and ta < bb and tb < ba:
                hits.append((a, b))
    return hits


def hidden_ids(browser: Chromium) -> list[str]:
    return sorted(browser.evaluate("okgNetwork.body.data.nodes.getIds({filter: n => n.hidden})"))


def listed_ids(browser: Chromium) -> list[str]:
    return sorted(
        browser.evaluate(
            "Array.from(document.querySelectorAll('#okg-node-list li'))"
            ".filter(li => !li.hidden).map(li => li.getAttribute('data-id'))"
        )
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_seed_labels_do_not_overlap_with_or_without_facets(browser, seed, pages, lang):
    view = network_view(seed, lang=lang)
    page = write(view, pages / f"seed-{lang}.html")
    open_checked(browser, page, f"readable-seed-{lang}.png")
    boxes = drawn_boxes(browser)
    assert len(boxes) == sum(n.category not in FACETS for n in view.nodes.values()) > 20
    assert overlapping(boxes) == []
    # the boxes really are the label's: IKANBI's is wider than its dot
    left, _top, right, _bottom = boxes[IKANBI]
    assert right - left > 50
    # and Python's estimate (layout.label_box, used to push nodes apart) holds each of them
    for key, (x0, y0, x1, y1) in boxes.items():
        n = view.nodes[key]
        x, y = browser.evaluate(f"(p => [p.x, p.y])(okgNetwork.getPosition({json.dumps(key)}))")
        est = label_box(label_lines(n, False, lang == "ar"), node_size(n), FONT)
        assert x - est.half_width <= x0 + 0.5 and x1 - 0.5 <= x + est.half_width, (key, n.label)
        assert y - est.above <= y0 + 0.5 and y1 - 0.5 <= y + est.below, (key, n.label)
    for key in browser.evaluate(
        "Array.from(document.querySelectorAll('[data-facet]'))"
        ".map(b => b.getAttribute('data-facet'))"
    ):
        browser.evaluate(f"document.querySelector('[data-facet={json.dumps(key)}]').click(); 1")
    boxes = drawn_boxes(browser)
    assert len(boxes) == len(view.nodes)
    assert overlapping(boxes) == []
    browser.screenshot(ARTIFACTS / f"readable-seed-{lang}-all.png")


def test_overlap_check_can_fail(browser, seed, pages):
    """The measure above sees an overlap when two nodes are put on the same spot."""
    page = pages / "seed-en.html"
    if not page.exists():
        write(network_view(seed), page)
    open_checked(browser, page)
    other = browser.evaluate(
        "okgNetwork.body.data.nodes.getIds({filter: n => !n.hidden && n.id !== "
        f"{json.dumps(IKANBI)}}})[0]"
    )
    browser.evaluate(
        f"(() => {{ const p = okgNetwork.getPosition({json.dumps(IKANBI)});"
        f" okgNetwork.moveNode({json.dumps(other)}, p.x + 5, p.y + 5); return 1; }})()"
    )
    assert (min(IKANBI, other), max(IKANBI, other)) in overlapping(drawn_boxes(browser))


def test_reference_nodes_hidden_until_their_facet_is_ticked(browser, seed, pages):
    view = network_view(seed)
    page = write(view, pages / "facets.html")
    open_checked(browser, page)
    refs = {k for k, n in view.nodes.items() if n.category in FACETS}
    countries = sorted(k for k in refs if view.nodes[k].category == "country")
    assert countries and hidden_ids(browser) == sorted(refs)
    # the screen-reader list holds exactly the nodes shown, and says how many
    assert listed_ids(browser) == sorted(set(view.nodes) - refs)
    count = browser.evaluate("document.getElementById('okg-list-count').textContent")
    assert count == str(len(view.nodes) - len(refs))
    # the country stays in the tooltip of the firm that points to it
    tip = browser.evaluate(
        f"okgNetwork.body.data.nodes.get({json.dumps(IKANBI)}).title.textContent"
    )
    assert "Belgium" in tip
    browser.evaluate("document.querySelector('[data-facet=\"country\"]').click(); 1")
    assert hidden_ids(browser) == sorted(refs - set(countries))
    assert listed_ids(browser) == sorted(set(view.nodes) - refs | set(countries))
    browser.evaluate("document.querySelector('[data-facet=\"country\"]').click(); 1")
    assert hidden_ids(browser) == sorted(refs)
    # the legend and the list are in the page, the list inside a collapsible <details>
    assert browser.evaluate("document.querySelector('details#okg-list > ul') !== null")
    network_box = "document.getElementById('okg-network')"
    assert browser.evaluate(f"{network_box}.getAttribute('aria-describedby')") == "okg-list"
    assert browser.evaluate("document.querySelectorAll('.okg-legend li').length") >= 8


REACH = """(() => {
  const r = document.getElementById('okg-network').getBoundingClientRect();
  const ids = %s;
  const pts = ids.map(id => okgNetwork.canvasToDOM(okgNetwork.getPosition(id)));
  const others = okgNetwork.body.data.nodes.getIds({filter: n => !n.hidden && !n.reached})
    .map(id => okgNetwork.canvasToDOM(okgNetwork.getPosition(id)));
  const inside = p => p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height;
  const xs = pts.map(p => p.x), ys = pts.map(p => p.y);
  return {w: r.width, h: r.height, all_inside: pts.every(inside),
          span_x: Math.max(...xs) - Math.min(...xs), span_y: Math.max(...ys) - Math.min(...ys),
          others_outside: others.filter(p => !inside(p)).length, others: others.length,
          scale: okgNetwork.getScale()};
})()"""


@pytest.mark.parametrize("event", ["total-relocation", "fr-ban-vote"])
def test_event_page_zooms_to_what_the_event_reaches(browser, seed, pages, event):
    result = run_event(seed, event)
    view = network_view(seed, impact=result)
    page = write(view, pages / f"event-{event}.html", highlight=True)
    open_checked(browser, page, f"readable-event-{event}.png")
    reached = sorted(k for k, n in view.nodes.items() if n.impact is not None)
    assert (
        sorted(browser.evaluate("okgNetwork.body.data.nodes.getIds({filter: n => n.reached})"))
        == reached
    )
    m = browser.evaluate(REACH % json.dumps(reached))
    assert m["all_inside"], m
    # fitted to the reached nodes: they span the canvas in one direction (fit's margins aside)
    assert m["span_x"] > 0.6 * m["w"] or m["span_y"] > 0.6 * m["h"], m
    assert m["others"] > 0 and m["others_outside"] > 0, m
    # the rest is faded; the badge is drawn once per figure
    faded = browser.evaluate(
        "okgNetwork.body.data.nodes.get({filter: n => !n.reached}).every(n => n.opacity < 1)"
    )
    assert faded
    labels = browser.evaluate(
        "Object.fromEntries(okgNetwork.body.data.nodes.get().map(n => [n.id, n.label]))"
    )
    actors = {r.actor for r in result.rows}
    pairs = 0
    for row in result.rows:
        if row.effect != "loss" or row.actor not in labels:
            continue
        assert f"{row.jobs.format()} jobs at risk" in labels[row.actor].split("\n")
        if row.site in labels and row.site not in actors:
            pairs += 1
            assert "jobs at risk" not in labels[row.site], labels[row.site]
    if event == "total-relocation":
        assert pairs, "the seed relocation draws a site beside its firm"


# the characters of a rendered string, left to right on screen; the string is found in the
# text nodes under the selector
ORDER = """((sel, needle) => {
  const root = document.querySelector(sel);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const found = [];
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(needle);
    if (at === -1) continue;
    const xs = [];
    for (let i = 0; i < needle.length; i++) {
      const range = document.createRange();
      range.setStart(node, at + i);
      range.setEnd(node, at + i + 1);
      const rects = range.getClientRects();
      xs.push(rects.length ? rects[0].left + rects[0].width / 2 : null);
    }
    found.push(xs);
  }
  return found;
})(%s, %s)"""


def char_positions(browser: Chromium, selector: str, needle: str) -> list[list[float]]:
    return browser.evaluate(ORDER % (json.dumps(selector), json.dumps(needle)))


def left_to_right(xs: list[float]) -> bool:
    return all(a is not None for a in xs) and all(a < b for a, b in zip(xs, xs[1:], strict=False))


def test_arabic_report_ranges_read_left_to_right(browser, seed, pages):
    result = run_event(seed, "total-relocation", "2026-02-01", "ar")
    view = event_view(seed, result, "ar")
    page = write(
        view, pages / "report-ar.html", highlight=True, report=report_blocks(seed, result, "ar")
    )
    open_checked(browser, page, "readable-report-ar.png")
    assert browser.evaluate("document.documentElement.dir") == "rtl"
    ranges = sorted({r.jobs.format() for r in result.rows if "–" in r.jobs.format()})
    assert ranges, "the seed event has ranges of jobs"
    for needle in ranges:
        seen = char_positions(browser, "article.okg-report", needle)
        assert seen, needle
        for xs in seen:
            assert left_to_right(xs), (needle, xs)
    # every range the report shows, negative ones ("−180 to −135") and dates included
    shown = browser.evaluate("document.querySelector('article.okg-report').innerText")
    found = {m.rstrip(".,-") for m in re.findall(r"−?\d[\d,.-]*(?:–| to )−?\d[\d,.-]*%?", shown)}
    # a range written with the Arabic "إلى" (the country totals: "−180 إلى 0") reads right to
    # left as Arabic does, each figure isolated: a negative figure keeps its sign before its
    # digits, left to right
    negatives = set(re.findall(r"−\d[\d,.]*\d|−\d", shown))
    assert negatives, shown
    for needle in sorted(found | negatives):
        seen = char_positions(browser, "article.okg-report", needle)
        assert seen, needle  # each range is one text node (an isolate)
        for xs in seen:
            assert left_to_right(xs), (needle, xs)
    # the screen-reader list and the details panel: figures isolated there too
    browser.evaluate("document.getElementById('okg-list').open = true; 1")
    badge = next(n.impact.badge for n in view.nodes.values() if n.impact and n.impact.badge)
    number = badge.split(" ")[0]
    for xs in char_positions(browser, "#okg-node-list", number):
        assert left_to_right(xs), (number, xs)


def test_range_order_check_can_fail(browser, pages):
    """Without isolation a bare range in a right-to-left cell shows as 180–135."""
    page = pages / "bare-ar.html"
    page.write_text(
        '<!DOCTYPE html><html lang="ar" dir="rtl"><meta charset="utf-8"><body>'
        '<article class="okg-report"><p dir="auto">وظائف مهددة: 135–180</p>'
        '<p dir="auto">وظائف مهددة: <bdi dir="ltr">135–180</bdi></p></article>'
        "<script>document.body.setAttribute('data-ready', '1'); window.okgReady = true;</script>"
        "</body></html>",
        encoding="utf-8",
    )
    browser.open(page)
    bare, isolated = char_positions(browser, "article.okg-report", "135–180")
    assert not left_to_right(bare)
    assert left_to_right(isolated)


def test_arabic_tooltip_figures_are_isolated(browser, seed, pages):
    """A node's details (built by the page's script with textContent) keep ranges in order."""
    view = network_view(seed, lang="ar")
    page = write(view, pages / "seed-ar-tip.html")
    open_checked(browser, page)
    node, needle = next(
        (k, f.interval.format())
        for k, n in sorted(view.nodes.items())
        for f in n.figures
        if "–" in f.interval.format() and n.category not in FACETS
    )
    browser.evaluate(
        "document.getElementById('okg-details').replaceChildren("
        f"okgNetwork.body.data.nodes.get({json.dumps(node)}).title); 1"
    )
    seen = char_positions(browser, "#okg-details", needle)
    assert seen, needle
    for xs in seen:
        assert left_to_right(xs), (needle, xs)
