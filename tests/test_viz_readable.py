"""Networks that read and right-to-left text, the Python side (no browser; issue 14, items 5, 2).

The browser measures the same pages in tests/test_browser_readable.py.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from okg.store import KnowledgeGraph
from okg.terms.resources import data_dir
from okg.viz.layout import Box, label_box, layout, overlaps, separate
from okg.viz.page import (
    FONT,
    label_lines,
    node_size,
    payload,
    reference_lines,
    render,
    wrap,
)
from okg.viz.style import FACETS, LRI, PDI, isolate, isolate_html, ltr_runs
from okg.viz.views import network_view, run_event

ID = "https://w3id.org/okg/id/"
IKANBI = ID + "ikanbi"
RTL = re.compile(r"[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def seed() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(sorted(data_dir().glob("*.yaml")))
    return kg


# --- labels and layout -------------------------------------------------------------------


def test_wrap_keeps_words_and_bounds_lines():
    assert wrap("IKANBI") == ["IKANBI"]
    lines = wrap("Small and medium Moroccan call centres tied to single-activity contracts")
    assert len(lines) == 3 and lines[-1].endswith("…")
    assert all(len(line) <= 22 for line in lines[:-1])
    assert " ".join(wrap("a b c")) == "a b c"


def test_label_box_grows_with_text_and_lines():
    one = label_box(["IKANBI"], 10, FONT)
    two = label_box(["IKANBI", "135–180 jobs at risk"], 10, FONT)
    assert two.half_width > one.half_width and two.below > one.below
    assert label_box([], 12, FONT).half_width == 12  # no label: the shape alone


boxes_st = st.dictionaries(
    st.text("abcdefgh", min_size=1, max_size=3),
    st.tuples(
        st.floats(-200, 200),
        st.floats(-200, 200),
        st.builds(Box, st.floats(5, 80), st.floats(5, 20), st.floats(10, 60)),
    ),
    min_size=2,
    max_size=25,
)


@settings(max_examples=40, deadline=None)
@given(boxes_st)
def test_separate_leaves_no_overlap_and_is_deterministic(items):
    pos = {k: (x, y) for k, (x, y, _b) in items.items()}
    boxes = {k: b for k, (_x, _y, b) in items.items()}
    out = separate(pos, boxes)
    assert set(out) == set(pos)
    assert overlaps(out, boxes) == []
    assert separate(pos, boxes) == out


def test_overlaps_sees_two_boxes_on_one_spot():
    b = Box(30, 10, 20)
    assert overlaps({"a": (0, 0), "b": (5, 5)}, {"a": b, "b": b}) == [("a", "b")]
    assert overlaps({"a": (0, 0), "b": (100, 0)}, {"a": b, "b": b}) == []


@pytest.mark.parametrize("highlight", [False, True])
def test_seed_layout_has_no_overlapping_label_boxes(seed, highlight):
    result = run_event(seed, "total-relocation") if highlight else None
    view = network_view(seed, impact=result)
    boxes = {
        k: label_box(label_lines(n, highlight), node_size(n), FONT) for k, n in view.nodes.items()
    }
    pos = layout(list(view.nodes), [(e.source, e.target) for e in view.edges], boxes=boxes)
    assert overlaps(pos, boxes) == []
    # and the page draws with those very positions
    data = payload(view, highlight)
    drawn = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert overlaps(drawn, boxes) == []


# --- reference nodes, the event, one badge per figure, names -----------------------------


def test_reference_nodes_hidden_and_kept_in_tooltips(seed):
    view = network_view(seed)
    data = payload(view)
    hidden = {n["id"] for n in data["nodes"] if n["hidden"]}
    refs = {k for k, n in view.nodes.items() if n.category in FACETS}
    assert refs and hidden == refs
    assert {"country", "sector", "language"} <= set(data["facets"])
    ikanbi = dict(tuple(a) for a in data["info"][IKANBI]["attrs"])
    assert ikanbi.get("country") == "Belgium"
    assert ("country", "Belgium") in reference_lines(view)[IKANBI]
    html = render(view)
    for key in data["facets"]:
        assert f'data-facet="{key}"' in html
    # the text list holds every node, the reference ones hidden
    items = re.findall(r'<li data-id="([^"]+)" data-category="([^"]+)"( hidden)?>', html)
    assert {i for i, _c, _h in items} == set(view.nodes)
    assert {i for i, _c, h in items if h} == refs


def test_event_page_lists_reached_and_shows_reached_references(seed):
    result = run_event(seed, "total-relocation")
    view = network_view(seed, impact=result)
    data = payload(view, highlight=True)
    reached = {k for k, n in view.nodes.items() if n.impact is not None}
    assert set(data["reached"]) == reached and reached
    for n in data["nodes"]:
        assert n["reached"] == (n["id"] in reached)
        if n["id"] in reached:
            assert not n["hidden"]
        else:
            assert n["opacity"] < 1
    path_labels = {e["label"] for e in data["edges"] if e["width"] == 3}
    assert path_labels and " " not in path_labels
    assert {e["text"] for e in data["edges"]} >= path_labels


def test_one_badge_per_figure(seed):
    result = run_event(seed, "total-relocation")
    view = network_view(seed, impact=result)
    row = next(r for r in result.rows if r.actor == IKANBI)
    assert row.site in view.nodes
    badge = f"{row.jobs.format()} jobs at risk"
    assert view.nodes[IKANBI].impact.badge == badge
    assert not view.nodes[row.site].impact.badge
    # the site's tooltip still has the figure
    assert any(row.jobs.format() in v for _k, v in view.nodes[row.site].impact.lines)
    drawn = [n["label"] for n in payload(view, highlight=True)["nodes"]]
    assert sum(badge in label.split("\n") for label in drawn) == 1


def test_unlabelled_facts_never_show_their_id(seed):
    view = network_view(seed)
    membership = next(n for k, n in view.nodes.items() if k.endswith("/kohn-general-manager"))
    assert membership.label == "Daniel Kohn, IKANBI (general manager)"
    for key, n in view.nodes.items():
        assert n.label != key.rsplit("/", 1)[-1] or n.category in FACETS | {"market"}, key


# --- right to left ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, runs",
    [
        ("حصة: 15 to 20%", ["15 to 20%"]),
        ("الصافي: −199,999 to −24,000", ["−199,999 to −24,000"]),
        ("وظائف مهددة: 135–180 (قيد الانتقال)", ["135–180"]),
        ("أعلن IKANBI، في Liège", ["IKANBI", "Liège"]),
        ("حوالي 163 (146–180) وظيفة", ["163 (146–180)"]),
        ("نص عربي فقط", []),
    ],
)
def test_ltr_runs(text, runs):
    parts = ltr_runs(text)
    assert "".join(p for p, _ltr in parts) == text
    assert [p for p, ltr in parts if ltr] == runs


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab 1٢3،:()%–−,.\u0627\u0644<>&\"'", max_size=30))
def test_isolation_keeps_the_text_and_escapes_it(text):
    assert isolate(text).replace(LRI, "").replace(PDI, "") == text
    html = str(isolate_html(text))
    assert "<" not in re.sub(r'</?bdi( dir="ltr")?>', "", html)
    plain = re.sub(r'</?bdi( dir="ltr")?>', "", html)
    assert (
        plain.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#34;", '"')
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        == text
    )


def test_markup_keeps_its_tags_and_bare_bdi_get_a_direction():
    m = Markup("<bdi>135–180</bdi> · <bdi>إيكانبي</bdi> <b>x</b>")
    assert str(isolate_html(m)) == ('<bdi dir="ltr">135–180</bdi> · <bdi>إيكانبي</bdi> <b>x</b>')


def test_arabic_page_isolates_figures_in_html_and_tooltips(seed):
    result = run_event(seed, "total-relocation", lang="ar")
    view = network_view(seed, lang="ar", impact=result)
    html = render(view, highlight=True).split('<script type="application/json"')[0]
    badge = view.nodes[IKANBI].impact.badge  # in the text list: "135–180 وظائف مهددة"
    figure = badge.split(" ")[0]
    assert "–" in figure and f'<bdi dir="ltr">{figure}</bdi>' in html
    assert re.search(r"[^>]" + re.escape(figure), html) is None  # never bare
    data = payload(view, highlight=True)
    for info in data["info"].values():
        for _k, v in info["figures"]:
            for run, ltr in ltr_runs(v.replace(LRI, "").replace(PDI, "")):
                if ltr:
                    assert f"{LRI}{run}{PDI}" in v, v
    # quotes are the source's own text: left as they are
    quotes = [q["text"] for i in data["info"].values() for s in i["sources"] for q in s["quotes"]]
    assert quotes and all(LRI not in q for q in quotes)
    # an English page is not touched
    en_view = network_view(seed)
    assert LRI not in repr(payload(en_view)["info"]).replace("\\u2066", LRI)
    en_html = render(en_view).split('<script type="application/json"')[0]
    # only the page's own counts are isolated there (facets and the list)
    assert en_html.count('<bdi dir="ltr">') == en_html.count("data-facet=")


def test_arabic_labels_do_not_cut_a_run_across_lines(seed):
    result = run_event(seed, "total-relocation", lang="ar")
    data = payload(network_view(seed, lang="ar", impact=result), highlight=True)
    cut = 0
    for n in data["nodes"]:
        for line in n["label"].split("\n"):
            assert line.count(LRI) == line.count(PDI), line
        cut += n["label"].count(LRI)
    assert cut > 10  # the seed has Latin names and figures in its Arabic labels
    # a left-to-right run is kept whole: its spaces are no-break spaces (no line cuts it)
    runs = [r for n in data["nodes"] for r in n["label"].replace("\n", "").split(LRI)[1:]]
    assert runs and not [r for r in runs if " " in r.split(PDI)[0]]
    # figures of unlabelled facts are in the page's words: "more than 150" in Arabic
    assert any("أكثر من" in n["label"] and "150" in n["label"] for n in data["nodes"])
