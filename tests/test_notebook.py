"""Notebooks: query rows, impact results and analyses shown as tables; typed data frames; the
inline network; and docs/notebook.ipynb run end to end with nbclient."""

from __future__ import annotations

import builtins
import html
import math
import re
from pathlib import Path

import pandas as pd
import pytest
from okg.analysis.analyze import Analysis, analyze
from okg.analysis.impact import resolve_event, run_impact
from okg.analysis.impact.result import ImpactResult
from okg.queries import run_query
from okg.render import notebook
from okg.store import KnowledgeGraph
from okg.store.sparql import Rows
from okg.terms.resources import data_dir
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD as xsd

ROOT = Path(__file__).resolve().parent.parent
SEED = [
    data_dir() / "totalenergies-ikanbi-2025.yaml",
    data_dir() / "assahafa-2025-05-25-telemarketing-ban.yaml",
]
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    g = KnowledgeGraph.in_memory()
    g.install_vocabulary()
    g.load(SEED)
    return g


def typed_rows() -> Rows:
    return Rows(
        ["n", "x", "when", "flag", "who", "label", "mixed"],
        [
            (
                Literal(3),
                Literal("1.5", datatype=xsd.decimal),
                Literal("2026-01-01", datatype=xsd.date),
                Literal(True),
                URIRef("https://w3id.org/okg/id/ikanbi"),
                Literal("IKANBI", lang="en"),
                Literal(1),
            ),
            (None, None, None, None, None, None, Literal("about 163")),
            (
                Literal("7", datatype=xsd.nonNegativeInteger),
                Literal(2),  # an integer among decimals: the column stays float
                Literal("2026-03-31T12:00:00", datatype=xsd.dateTime),
                Literal(False),
                BNode("b1"),
                Literal(HOSTILE),
                Literal(2),
            ),
        ],
    )


# -- Rows ----------------------------------------------------------------------------------


def test_rows_dataframe_has_numeric_dtypes_and_na_for_unknown():
    df = typed_rows().dataframe()
    assert str(df["n"].dtype) == "Int64" and df["n"].tolist()[0] == 3 and df["n"].isna()[1]
    assert df["x"].dtype == "float64" and df["x"][0] == 1.5 and math.isnan(df["x"][1])
    assert df["x"][2] == 2.0
    assert pd.api.types.is_datetime64_any_dtype(df["when"])
    assert df["when"][0] == pd.Timestamp("2026-01-01") and pd.isna(df["when"][1])
    assert str(df["flag"].dtype) == "boolean" and df["flag"][0] and df["flag"].isna()[1]
    assert isinstance(df["who"].dtype, pd.StringDtype)
    assert df["who"][0] == "https://w3id.org/okg/id/ikanbi" and df["who"][2] == "_:b1"
    assert df["label"][0] == "IKANBI" and df["label"].isna()[1]
    assert isinstance(df["mixed"].dtype, pd.StringDtype)  # 1, "about 163", 2: text
    assert df["mixed"].tolist() == ["1", "about 163", "2"]
    assert list(df.columns) == typed_rows().columns


def test_rows_dataframe_of_a_canned_query(kg):
    df = run_query(kg, "jobs", {"country": "BE"}).dataframe()
    assert df["low"].dtype == "float64" and df["high"].dtype == "float64"
    more_than_150 = df[df["stated"] == "more than 150"]
    assert more_than_150["low"].tolist() == [151.0] and more_than_150["high"].isna().all()
    assert isinstance(df["employer"].dtype, pd.StringDtype)
    timeline = run_query(kg, "timeline", {}).dataframe()
    assert pd.api.types.is_datetime64_any_dtype(timeline["when"])


def test_rows_dataframe_without_pandas_names_the_extra(monkeypatch):
    real = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=re.escape("pip install 'okg[pandas]'")) as err:
        typed_rows().dataframe()
    assert "\n" not in str(err.value)


def test_rows_repr_is_a_short_text_table():
    rows = typed_rows()
    text = repr(rows)
    assert "rdflib" not in text and "Literal(" not in text
    lines = text.splitlines()
    assert lines[0] == "Rows: 3 rows × 7 columns"
    assert lines[1].split() == rows.columns
    assert lines[2].split()[:2] == ["3", "1.5"] and "IKANBI" in lines[2]
    many = Rows(["i"], [(Literal(i),) for i in range(25)])
    assert repr(many).splitlines()[-1] == "… 15 more rows"
    assert len(repr(many).splitlines()) == 2 + 10 + 1


def test_rows_html_is_an_escaped_table():
    out = typed_rows()._repr_html_()
    assert out.startswith('<table class="okg-rows">')
    assert "<img" not in out and html.escape(HOSTILE) in out
    assert out.count("<tr>") == 1 + 3
    assert "<th>when</th>" in out and '<td dir="auto">2026-01-01</td>' in out


# -- impact results and analyses --------------------------------------------------------------


def test_impact_and_analysis_frames_have_interval_bounds(kg):
    result = run_impact(kg, resolve_event(kg, "fr-ban-vote"), as_of="2026-09-01")
    df = notebook.impact_frame(result)
    assert len(df) == len(result.rows)
    first = result.rows[0]
    assert df["jobs_low"][0] == float(first.jobs.low) and df["jobs_high"][0] == float(
        first.jobs.high
    )
    assert df["jobs"][0] == first.jobs.format()
    unknown = [i for i, r in enumerate(result.rows) if not r.jobs.known]
    assert unknown and all(math.isnan(df["jobs_low"][i]) for i in unknown)
    assert all(not df["jobs_known"][i] for i in unknown)
    assert df["jobs_low"].dtype == "float64" and str(df["depth"].dtype) == "Int64"
    countries = notebook.countries_frame(result)
    assert countries["lost_low"].tolist() == [float(t.lost.low) for t in result.countries]
    frames = notebook.analysis_frames(analyze(kg, as_of="2026-09-01"))
    assert set(frames) == {"concentration", "failures", "countries", "sectors"}
    assert frames["concentration"]["hhi_high"].dtype == "float64"
    assert (frames["concentration"]["hhi_high"] <= 1).all()


class FakeFormatter:
    def __init__(self):
        self.type_printers: dict[type, object] = {}

    def for_type(self, cls, func):
        self.type_printers[cls] = func


class FakeShell:
    def __init__(self):
        self.display_formatter = type(
            "DF", (), {"formatters": {"text/html": FakeFormatter(), "text/plain": FakeFormatter()}}
        )()


def test_load_ext_registers_html_formatters(kg):
    ip = FakeShell()
    notebook.load_ipython_extension(ip)
    printers = ip.display_formatter.formatters["text/html"].type_printers
    assert set(printers) >= {ImpactResult, Analysis}
    result = run_impact(kg, resolve_event(kg, "total-relocation"), as_of="2026-02-01")
    result.event_label = HOSTILE
    out = printers[ImpactResult](result)
    assert "<img" not in out and html.escape(HOSTILE) in out
    assert out.count('<table class="okg-table">') == 2
    for r in result.rows:
        assert f'<td dir="auto">{html.escape(r.label)}' in out
    analysis = analyze(kg, as_of="2026-09-01")
    tables = notebook.analysis_tables(analysis, notebook.TOP)
    assert printers[Analysis](analysis).count("<table") == len(tables) >= 4
    notebook.unload_ipython_extension(ip)
    assert ImpactResult not in printers


def test_inline_network_is_the_viz_page_escaped(kg):
    import okg.viz
    from okg.viz.page import render
    from okg.viz.views import network_view

    page = okg.viz.show(kg, height=500)
    assert page.html == render(network_view(kg))
    out = page._repr_html_()
    assert out.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in out
    srcdoc = re.match(r'<iframe srcdoc="([^"]*)"', out).group(1)
    assert html.unescape(srcdoc) == page.html  # the whole page, escaped once, no raw quote
    marked = okg.viz.show(kg, event="total-relocation", as_of="2026-02-01")
    assert "0–180 jobs at risk" in marked.html  # the relocation's share: at most 100%


# -- the example notebook ---------------------------------------------------------------------


def test_example_notebook_runs(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="pip install -e .[test] installs nbformat")
    nbclient = pytest.importorskip("nbclient", reason="pip install -e .[test] installs nbclient")
    from contextlib import ExitStack

    nb = nbformat.read(ROOT / "docs" / "notebook.ipynb", as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    with ExitStack() as stack:
        try:  # only a kernel that cannot start skips; any failing cell fails the test
            stack.enter_context(client.setup_kernel())
        except Exception as exc:  # noqa: BLE001
            pytest.skip(f"the Jupyter kernel cannot start: {type(exc).__name__}: {exc}")
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
    outputs = [
        o.get("data", {})
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "execute_result"
    ]
    htmls = [d.get("text/html", "") for d in outputs]
    assert any(h.startswith('<table class="okg-rows">') for h in htmls)
    impact = [h for h in htmls if h.startswith('<div class="okg-impact">')]
    # IKANBI: 0-100% of 135-180 jobs, the relocation taking "at most 100%" of the contract
    assert len(impact) == 2 and "IKANBI" in impact[0] and "0–180" in impact[0]
    assert any(h.startswith('<div class="okg-analysis">') for h in htmls)
    assert any(h.startswith("<iframe srcdoc=") for h in htmls)
    dtypes = next(d["text/plain"] for d in outputs if "float64" in d.get("text/plain", ""))
    assert re.search(r"low\s+float64", dtypes)


def test_inline_network_is_the_cli_page_illustrative_facts_included_or_not(tmp_path):
    """show() and ``okg viz`` are one builder (okg.viz.views.build_view): the same page for the
    same options, illustrative facts left out unless asked for, on both."""
    import subprocess
    import sys

    import okg.viz

    store = tmp_path / "store"
    with KnowledgeGraph.open(store) as g:
        g.install_vocabulary()
        g.load(sorted(data_dir().glob("*.yaml")))
    pages = {}
    for flag in ([], ["--include-illustrative"]):
        out = tmp_path / f"page{len(flag)}.html"
        cmd = [sys.executable, "-m", "okg.cli", "viz", "--out", str(out), "--store", str(store)]
        done = subprocess.run(cmd + flag, capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr
        pages[bool(flag)] = out.read_text(encoding="utf-8")
    with KnowledgeGraph.open(store, read_only=True) as g:
        hidden = okg.viz.show(g).html
        shown = okg.viz.show(g, include_illustrative=True).html
    assert hidden == pages[False] and shown == pages[True]
    assert "Eurocar" in shown and "(illustrative)" in shown
    assert "Eurocar" not in hidden and "(illustrative)" not in hidden
