"""viz without a browser: extraction, cuts, grouping, layout, escaping, the pages, the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from okg.cli import app
from okg.figures.intervals import Interval
from okg.store import KnowledgeGraph
from okg.terms.resources import data_dir
from okg.viz.cut import group_firms, neighbourhood, resolve, subview
from okg.viz.extract import extract
from okg.viz.layout import layout
from okg.viz.model import Edge, Impact, Node, View
from okg.viz.page import node_size, payload, render, safe_json
from okg.viz.views import ViewError, network_view
from typer.testing import CliRunner

ID = "https://w3id.org/okg/id/"
IKANBI = ID + "ikanbi"
JOBS_163 = ID + "totalenergies-ikanbi-relocation/ikanbi-jobs-163"
CONTRACT = ID + "totalenergies-ikanbi-relocation/total-fr-customer-service-ikanbi"
HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "<!-- x",
    "&amp; \u2028 \u2029 ]]>",
]
SEED = [
    data_dir() / "totalenergies-ikanbi-2025.yaml",
    data_dir() / "assahafa-2025-05-25-telemarketing-ban.yaml",
]
runner = CliRunner()


@pytest.fixture(scope="module")
def seed() -> KnowledgeGraph:
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.load(SEED)
    return kg


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("viz") / "store")
    res = runner.invoke(app, ["build", "--store", path, *map(str, SEED)])
    assert res.exit_code == 0, res.output
    return path


# -- extraction ----------------------------------------------------------------------------
def test_extract_seed_nodes_edges_figures_sources(seed):
    v = extract(seed, "en")
    assert v.nodes[IKANBI].category == "firm" and v.nodes[IKANBI].label == "IKANBI"
    assert v.nodes[ID + "country/BE"].category == "country"
    assert ID + "country/DE" not in v.nodes  # reference data no source points to
    w = v.nodes[JOBS_163]
    assert w.category == "workforce"
    fig = w.figures[0]
    assert (fig.stated, fig.interval.format()) == ("about 163", "about 163 (146–180)")
    assert "approximate" in fig.text() and "146–180" in fig.text()
    src = w.sources[0]
    line = fact_line(SEED[0], "ikanbi-jobs-163")
    assert f"line {line}" in src.meta and "totalenergies-ikanbi-2025.yaml" in src.meta
    assert [q.lang for q in src.quotes] == ["ar"] and "163" in src.quotes[0].text
    edge = {(e.source, e.target): e.label for e in v.edges}
    assert edge[(CONTRACT, IKANBI)] == "provider"
    assert edge[(JOBS_163, IKANBI)] == "employer"
    # conflicting claims are combined (hull), not added: about 163 and more than 150
    assert v.nodes[IKANBI].jobs.format() == "146–180"


def fact_line(path: Path, fact: str) -> int:
    """The line of ``- id: FACT`` in a fact file (the line the loader records)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, t in enumerate(lines, 1) if t.strip() == f"- id: {fact}")


def test_extract_open_and_unknown_figures(seed):
    v = extract(seed, "en")
    dep = v.nodes[ID + "assahafa-2025-05-25-telemarketing-ban/ma-cc-france-dependency"]
    assert dep.figures[0].interval.format() == "80–100"
    unknown = v.nodes[ID + "assahafa-2025-05-25-telemarketing-ban/smes-firms-at-risk"]
    assert unknown.figures[0].interval.known is False
    assert unknown.jobs is not None and not unknown.jobs.known  # never zero


@pytest.mark.parametrize(
    "lang,label,edge", [("fr", "Maroc", "prestataire"), ("ar", "المغرب", "المزود")]
)
def test_labels_follow_the_language(seed, lang, label, edge):
    v = extract(seed, lang)
    assert v.nodes[ID + "country/MA"].label == label
    assert {(e.source, e.target): e.label for e in v.edges}[(CONTRACT, IKANBI)] == edge


# -- cuts and grouping -----------------------------------------------------------------------
def _chain_view() -> View:
    nodes = {
        k: Node(k, k, cat, cat)
        for k, cat in [
            ("a", "firm"),
            ("k", "contract"),
            ("b", "firm"),
            ("FR", "country"),
            ("c", "firm"),
        ]
    }
    edges = [
        Edge("k", "a", "p", "provider"),
        Edge("k", "b", "c", "client"),
        Edge("a", "FR", "country", "country"),
        Edge("c", "FR", "country", "country"),
    ]
    return View(nodes, edges, "en")


def test_neighbourhood_does_not_cross_reference_nodes():
    v = _chain_view()
    assert neighbourhood(v, {"a"}, 2) == {"a", "k", "b", "FR"}  # not c, behind the country
    assert neighbourhood(v, {"FR"}, 1) == {"FR", "a", "c"}  # a seed hub is expanded
    assert neighbourhood(v, {"a"}, 0) == {"a"}


def test_resolve_by_iri_last_part_and_label(seed):
    v = extract(seed, "en")
    assert resolve(v, "ikanbi") == IKANBI
    assert resolve(v, "iKanBi") == IKANBI
    assert resolve(v, "82.20", {"sector"}) == "http://data.europa.eu/ux2/nace2/8220"
    assert resolve(v, "nope") is None


def _firms(n: int) -> View:
    nodes: dict[str, Node] = {}
    edges: list[Edge] = []
    for c in ("FR", "MA"):
        nodes[c] = Node(c, c, "country", "country")
    for i in range(n):
        f = f"f{i}"
        jobs = Interval.of(10, 20) if i % 3 else None
        nodes[f] = Node(
            f, f"firm {i}", "firm", "firm", jobs=jobs, country="FR" if i % 2 else "MA", sector="S"
        )
        edges.append(Edge(f, nodes[f].country, "country", "country"))
        nodes[f"w{i}"] = Node(f"w{i}", "w", "workforce", "workforce")
        edges.append(Edge(f"w{i}", f, "employer", "employer"))
    return View(nodes, edges, "en")


def test_group_firms_counts_sums_and_says_so():
    v = _firms(12)
    assert group_firms(v, budget=100) is v  # under the budget nothing changes
    g = group_firms(v, budget=10)
    groups = {k: n for k, n in g.nodes.items() if n.category == "group"}
    assert sorted(groups) == ["group:FR|S", "group:MA|S"]
    fr = groups["group:FR|S"]
    assert fr.members == 6
    # f1 f3 f5 f7 f9 f11: f3 and f9 have no figure; the others 10–20 each: 40–80
    assert fr.jobs.format() == "40–80"
    assert ("with no jobs figure", "2") in fr.attributes
    assert not any(n.category == "workforce" for n in g.nodes.values())  # folded
    e = {(x.source, x.target): x for x in g.edges}
    assert e[("group:FR|S", "FR")].count == 6 and "×6" in e[("group:FR|S", "FR")].label
    assert g.notices and "grouped by country and sector" in g.notices[0]


def test_group_keeps_what_an_event_reached():
    v = _firms(12)
    v.nodes["f1"].impact = Impact([("jobs at risk", "10–20")])
    v.edges[1].on_path = True  # w0 -> f0, folded into group MA
    g = group_firms(v, budget=10)
    fr, ma = g.nodes["group:FR|S"], g.nodes["group:MA|S"]
    assert fr.impact is not None and ("affected by the event", "1") in fr.impact.lines
    assert ma.impact is None
    assert [e.on_path for e in g.edges] == [False, False]  # the path was inside a group


def test_group_firms_falls_back_to_countries_then_truncates():
    v = _firms(12)
    for n in v.nodes.values():
        if n.category == "firm":
            n.sector = n.id  # one sector per firm: grouping by sector cannot fit
    g = group_firms(v, budget=4)
    assert {k for k in g.nodes if k.startswith("group:")} == {"group:FR", "group:MA"}
    g = group_firms(v, budget=1)
    assert len(g.nodes) == 1 and len(g.notices) == 2


# -- layout ----------------------------------------------------------------------------------
@settings(deadline=None, max_examples=40)
@given(st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=80))
def test_layout_places_every_node_deterministically(n, m):
    nodes = [f"n{i}" for i in range(n)]
    edges = [(f"n{(i * 7) % n}", f"n{(i * 3 + 1) % n}") for i in range(m)]
    pos = layout(nodes, edges)
    assert set(pos) == set(nodes)
    assert pos == layout(list(reversed(nodes)), edges)


def test_layout_large_graph_uses_leaves_and_stays_compact():
    nodes = [f"h{i}" for i in range(30)] + [f"l{i}" for i in range(1500)]
    edges = [(f"h{i}", f"h{(i + 1) % 30}") for i in range(30)]
    edges += [(f"h{i % 30}", f"l{i}") for i in range(1500)]
    pos = layout(nodes, edges)
    assert len(pos) == 1530
    xs = [p[0] for p in pos.values()]
    assert max(xs) - min(xs) < 20000


# -- escaping and pages ---------------------------------------------------------------------
@given(st.text())
def test_safe_json_round_trips_and_cannot_close_a_script(s):
    out = safe_json({"label": s})
    assert not set("<>&\u2028\u2029") & set(out)
    assert json.loads(out) == {"label": s}


def _hostile_view() -> View:
    nodes = {f"n{i}": Node(f"n{i}", t, "firm", t) for i, t in enumerate(HOSTILE)}
    nodes["n0"].attributes.append((HOSTILE[1], HOSTILE[0]))
    edges = [Edge("n0", "n1", HOSTILE[1], HOSTILE[0])]
    v = View(nodes, edges, "en", kinds={"firm": HOSTILE[0]}, notices=[HOSTILE[1]], title=HOSTILE[0])
    return v


def test_page_escapes_every_text_from_data():
    html = render(
        _hostile_view(),
        report={
            "before": [
                {
                    "heading": HOSTILE[0],
                    "paragraphs": [HOSTILE[1]],
                    "columns": [HOSTILE[0]],
                    "rows": [[HOSTILE[1]]],
                    "entries": [
                        {
                            "title": HOSTILE[0],
                            "lines": [],
                            "quotes": [{"text": HOSTILE[1], "lang": "ar"}],
                        }
                    ],
                }
            ],
            "network": HOSTILE[0],
            "after": [],
        },
    )
    assert "<img" not in html
    assert len(re.findall(r"<script\b", html)) == 4  # json, vis-network, the page, + vis's own
    assert html.count("</script>") == 3
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # visible as text in the HTML parts
    assert "<!-- x" not in html


def test_page_is_self_contained(seed):
    html = render(network_view(seed))
    assert not re.search(r"<(link|img|iframe)\b", html)
    assert not re.search(r"""\b(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "@import" not in html and "@font-face" not in html
    assert "default-src 'none'" in html  # and the browser is told to fetch nothing


def test_payload_nodes_have_positions_sizes_and_no_physics(seed):
    v = network_view(seed)
    data = payload(v)
    assert data["options"]["physics"]["enabled"] is False
    ids = {n["id"] for n in data["nodes"]}
    assert ids == set(v.nodes)
    assert all("x" in n and "y" in n for n in data["nodes"])
    info = data["info"][JOBS_163]
    assert info["sources"][0]["quotes"][0]["lang"] == "ar"
    assert any("146–180" in f[1] for f in info["figures"])


def test_node_size_grows_with_jobs_on_a_log_scale():
    def size(jobs):
        return node_size(Node("x", "x", "firm", "firm", jobs=jobs))

    assert size(None) == 7.0
    assert size(Interval.between(None, None, None)) == 7.0
    assert size(Interval.of(10, 99)) == size(Interval.of(50, 99)) == 20.0
    assert size(Interval.between(151, None)) == size(Interval.of(151))  # open: its low end
    assert size(Interval.of(0, 999999)) == 40.0


# -- views and the command line -------------------------------------------------------------
def test_network_view_focus_sector_country(seed):
    v = network_view(seed, focus="ikanbi", depth=1)
    assert IKANBI in v.nodes and CONTRACT in v.nodes
    assert ID + "totalenergies" not in v.nodes  # two hops away, through the contract
    v = network_view(seed, sector="35.14", depth=1)
    assert {n.label for n in v.nodes.values() if n.category == "firm"} == {"TotalEnergies"}
    v = network_view(seed, country="MA", depth=0)
    assert {n.category for n in v.nodes.values()} <= {"firm", "segment"}
    assert len(v.nodes) == 4
    with pytest.raises(ViewError, match="no entity 'nope'"):
        network_view(seed, focus="nope")
    with pytest.raises(ViewError, match="no country 'ZZ'"):
        network_view(seed, country="ZZ")


def test_subview_keeps_edges_between_kept_nodes(seed):
    v = extract(seed, "en")
    s = subview(v, {IKANBI, CONTRACT})
    assert [(e.source, e.target) for e in s.edges] == [(CONTRACT, IKANBI)]


def test_cli_viz_writes_an_offline_page(store, tmp_path):
    out = tmp_path / "seed.html"
    res = runner.invoke(app, ["viz", "--store", store, "--out", str(out), "--lang", "ar"])
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    assert "IKANBI" in html and "توتال إنيرجيز" in html
    res = runner.invoke(app, ["viz", "--store", store, "--out", str(out), "--max-nodes", "5"])
    assert res.exit_code == 0 and "grouped" in res.output


@pytest.mark.parametrize(
    "args,message",
    [
        (["viz", "--focus", "nope"], "error: no entity 'nope' in the store"),
        (
            ["viz", "--lang", "de"],
            "error: --lang: unknown language 'de'; expected one of en, fr, ar",
        ),
        (["viz", "--max-nodes", "0"], "error: --max-nodes must be at least 1"),
        (["viz", "--event", "nope"], "error: no event 'nope'"),
        (["report", "nope"], "error: no event 'nope'"),
    ],
)
def test_cli_errors_are_one_line(store, tmp_path, args, message):
    res = runner.invoke(app, [*args, "--store", store, "--out", str(tmp_path / "x.html")])
    assert res.exit_code == 1
    assert message in res.output
    assert "Traceback" not in res.output
    assert not Path(tmp_path / "x.html").exists()


# -- events ----------------------------------------------------------------------------------
def test_mark_impact_and_report_blocks_follow_the_result(seed):
    from okg.viz.report import report_blocks
    from okg.viz.views import event_view, mark_impact, run_event

    result = run_event(seed, "total-relocation", "2026-02-01")
    view = extract(seed, "en")
    marked = mark_impact(view, result)
    assert {IKANBI, CONTRACT, result.event} <= marked
    ikanbi = view.nodes[IKANBI].impact
    row = next(r for r in result.rows if r.actor == IKANBI)
    assert ikanbi.badge == f"{row.jobs.format()} jobs at risk"
    assert ("jobs at risk", f"{row.jobs.format()} ({row.status})") in ikanbi.lines
    assert any(e.on_path for e in view.edges if (e.source, e.target) == (CONTRACT, IKANBI))
    assert not any(e.on_path for e in view.edges if e.label == "jurisdiction")
    around = event_view(seed, result)
    assert IKANBI in around.nodes and ID + "ma-offshore-call-centres" not in around.nodes
    blocks = report_blocks(seed, result)
    table = next(b for b in blocks["before"] if b["heading"] == "Who is hit")
    assert len(table["rows"]) == len(result.rows)
    assert table["rows"][0][4].startswith(result.rows[0].jobs.format())
    sources = blocks["after"][-1]["entries"]
    assert sources and all(s["quotes"] for s in sources)
    assert {q["lang"] for s in sources for q in s["quotes"]} == {"ar"}
    with pytest.raises(ViewError, match="no event 'nope'"):
        run_event(seed, "nope")


def test_extract_is_the_same_on_both_engines(seed):
    ref = KnowledgeGraph.in_memory("rdflib")
    ref.install_vocabulary()
    ref.load(SEED)
    a, b = extract(seed, "ar"), extract(ref, "ar")
    assert a.nodes.keys() == b.nodes.keys()
    assert [(e.source, e.relation, e.target, e.label) for e in a.edges] == [
        (e.source, e.relation, e.target, e.label) for e in b.edges
    ]
    for k, n in a.nodes.items():
        m = b.nodes[k]
        assert (n.label, n.figures, n.attributes, n.jobs) == (
            m.label,
            m.figures,
            m.attributes,
            m.jobs,
        )
        assert [(s.title, s.meta, s.quotes) for s in n.sources] == [
            (s.title, s.meta, s.quotes) for s in m.sources
        ]


def test_the_layout_is_the_same_in_every_process():
    """String hashing is salted per process; the page's positions must not depend on it (a
    networkx subgraph view listed its nodes in the order of a set: the same store gave a
    different page from one run to the next)."""
    import os
    import subprocess
    import sys

    code = (
        "import json\n"
        "from okg.store import KnowledgeGraph\n"
        "from okg.terms.resources import data_dir\n"
        "from okg.viz.layout import layout\n"
        "from okg.viz.views import network_view\n"
        "kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()\n"
        "kg.load(sorted(data_dir().glob('*.yaml')))\n"
        "v = network_view(kg, include_illustrative=True)\n"
        "pos = layout(list(v.nodes), [(e.source, e.target) for e in v.edges])\n"
        "print(json.dumps(pos, sort_keys=True))\n"
    )
    outs = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
        )
        assert done.returncode == 0, done.stderr
        outs.add(done.stdout)
    assert len(outs) == 1
