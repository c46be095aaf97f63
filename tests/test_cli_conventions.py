"""CLI conventions (issue 10, items 5 and 6): a fast start that loads no RDF stack for --help and
query --list, --version, choices shown in help and refused in one line, every command but build
and bulk-load refusing a missing store without creating it, one line when Java is missing, and
tables that stay readable in a pipe. Speed itself is measured in benchmarks/startup.py, never here.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from okg.cli import app
from typer.testing import CliRunner

runner = CliRunner()
HEAVY = ("rdflib", "pyoxigraph", "pyshacl", "owlready2", "networkx", "numpy", "jinja2", "pyvis")

PROBE = """
import json, sys
sys.argv = ["okg", *json.loads(sys.argv[1])]
from okg.cli import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules})), file=sys.stderr)
"""


def okg_process(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run ``okg ARGS`` in a fresh interpreter, output through pipes (not a terminal)."""
    return subprocess.run(
        [sys.executable, "-m", "okg.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
        env=env,
    )


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("conventions") / "store"
    done = runner.invoke(app, ["build", "--store", str(path)])
    assert done.exit_code == 0, done.output
    return str(path)


# -- fast start ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args", [["--help"], ["query", "--list"], ["--version"], ["impact", "--help"]]
)
def test_start_loads_no_rdf_stack(args):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stderr.strip().splitlines()[-1]))
    assert not loaded & set(HEAVY), f"okg {' '.join(args)} imported {sorted(loaded & set(HEAVY))}"
    assert done.stdout.strip()


def test_the_probe_does_see_rdflib(store):
    """The probe above is able to fail: a real query does load rdflib."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(["query", "sources", "--store", store])],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert "rdflib" in json.loads(done.stderr.strip().splitlines()[-1])


def test_shared_constants_match_the_layers_they_mirror():
    from okg import store as store_pkg
    from okg.cli import common
    from okg.render import tables
    from okg.viz import style

    assert common.STORE_ENV == store_pkg.STORE_ENV
    assert common.FORMATS == tables.FORMATS
    assert common.LANGS == tuple(style.LANGS)


# -- --version and help -------------------------------------------------------------------------


def test_version_comes_from_the_installed_metadata():
    done = runner.invoke(app, ["--version"])
    assert done.exit_code == 0
    assert done.output.strip() == f"okg {version('okg')}"


@pytest.mark.parametrize(
    "command",
    [["query"], ["impact"], ["analyze"], ["sources"], ["stats"], ["sector", "list"]],
)
def test_help_shows_the_format_choices(command):
    done = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert done.exit_code == 0, done.output
    assert "--format [table|csv|json|md]" in done.output
    assert "<list[str]>" not in done.output and " TEXT" not in done.output


@pytest.mark.parametrize("command", [["query"], ["impact"], ["analyze"], ["check"], ["viz"]])
def test_help_shows_the_languages(command):
    done = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert "--lang [en|fr|ar]" in done.output


def test_export_help_shows_its_rdf_syntaxes():
    done = runner.invoke(app, ["export", "--help"], env={"COLUMNS": "200"})
    assert "--format [turtle|trig|nquads|ntriples|jsonld" in done.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "--list", "--format", "xml"], "error: --format: unknown format 'xml'"),
        (["sources", "--format", "pdf"], "error: --format: unknown format 'pdf'"),
        (["analyze", "--lang", "nl"], "error: --lang: unknown language 'nl'; expected one of"),
        (["export", "--format", "rdfxml"], "expected one of turtle, trig, nquads"),
    ],
)
def test_a_bad_choice_is_one_line(args, message, tmp_path):
    done = runner.invoke(app, [*args, "--store", str(tmp_path / "none")])
    assert done.exit_code == 1
    assert message in done.output
    assert len(done.output.strip().splitlines()) == 1 and "Usage" not in done.output


# -- the same formats everywhere ----------------------------------------------------------------


def test_sources_and_stats_in_every_format(store):
    sources = json.loads(
        runner.invoke(app, ["sources", "--store", store, "--format", "json"]).output
    )
    assert {"totalenergies-ikanbi-relocation"} <= {s["source"] for s in sources}
    assert all(int(s["triples"]) > 0 for s in sources)
    stats = runner.invoke(app, ["stats", "--store", store, "--format", "csv"]).output
    assert stats.startswith("# Triples per named graph\ngraph,triples\n")
    assert "# Individuals per class (data graphs)\nclass,individuals\n" in stats
    md = runner.invoke(app, ["stats", "--store", store, "--format", "md"]).output
    assert "## Triples per named graph" in md and "|---|---:|" in md
    table = runner.invoke(app, ["sources", "--store", store]).output
    assert "assahafa-2025-05-25-telemarketing-ban" in table


def test_query_list_in_every_format():
    listed = json.loads(runner.invoke(app, ["query", "--list", "--format", "json"]).output)
    jobs = next(q for q in listed if q["name"] == "jobs")
    assert {p["name"] for p in jobs["parameters"]} >= {"country"}
    rows = list(
        csv.reader(io.StringIO(runner.invoke(app, ["query", "--list", "--format", "csv"]).output))
    )
    assert rows[0] == ["name", "title", "parameters"] and len(rows) == len(listed) + 1
    md = runner.invoke(app, ["query", "--list", "--format", "md"]).output
    assert md.startswith("| name | title | parameters |")


def test_impact_and_analyze_as_csv(store):
    events = runner.invoke(app, ["impact", "--list", "--store", store, "--format", "csv"]).output
    assert events.startswith("id,source,types,dates,label\n") and "total-relocation," in events
    done = runner.invoke(
        app,
        [
            "impact",
            "total-relocation",
            "--as-of",
            "2026-02-01",
            "--store",
            store,
            "--format",
            "csv",
        ],
    )
    assert done.exit_code == 0, done.output
    ranked = done.output.split("\n\n")[0].splitlines()
    assert ranked[0] == "# Affected actors ranked by jobs at risk"
    assert ranked[1].startswith("rank,firm/segment,site,country,")
    assert any("IKANBI" in line for line in ranked[2:])
    assert "# Jobs by country (each figure counted once)\ncountry,lost,created,net" in done.output
    done = runner.invoke(
        app, ["analyze", "--as-of", "2026-09-01", "--store", store, "--format", "csv"]
    )
    assert done.exit_code == 0, done.output
    for title in ("Market concentration", "Single points of failure", "Most exposed countries"):
        assert f"# {title}" in done.output


FORMATTED = {
    "impact": ["impact", "total-relocation", "--as-of", "2026-02-01"],
    "impact --list": ["impact", "--list"],
    "analyze": ["analyze", "--as-of", "2026-09-01"],
    "query --list": ["query", "--list"],
}


def csv_tables(text: str) -> dict[str, list[list[str]]]:
    """The tables of a CSV output, by title: one table, or several each after a ``# title``
    line and separated by a blank line; each must be rectangular, its header first."""
    tables = {}
    for block in text.strip("\n").split("\n\n"):
        lines = block.splitlines()
        title = lines[0][2:] if len(lines) > 1 and lines[0].startswith("# ") else ""
        rows = list(csv.reader(io.StringIO("\n".join(lines[1:] if title else lines))))
        assert rows and len({len(r) for r in rows}) == 1, (title, rows[:3])
        assert not rows[0][0].startswith("#"), f"a header read as a comment: {rows[0]}"
        assert all(c.strip() for c in rows[0]), f"an empty column name: {rows[0]}"
        tables[title] = rows
    return tables


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
@pytest.mark.parametrize("command", list(FORMATTED))
def test_every_format_of_impact_analyze_and_lists(store, command, lang):
    args = [*FORMATTED[command], "--lang", lang]
    if command != "query --list":
        args += ["--store", store]
    out = {}
    for fmt in ("table", "csv", "json", "md"):
        done = runner.invoke(app, [*args, "--format", fmt], env={"COLUMNS": "200"})
        assert done.exit_code == 0, done.output
        out[fmt] = done.stdout
    data = json.loads(out["json"])
    tables = csv_tables(out["csv"])
    assert "|---" in out["md"] and out["table"].strip()
    if command.endswith("--list"):  # one table: a row per item, as in JSON
        (rows,) = tables.values()
        assert len(rows) == len(data) + 1
    else:  # several tables, each titled
        assert len(tables) >= 2 and all(tables)


def test_event_types_are_written_alike(store):
    """Core and sector types both as CURIEs of the store's prefixes, never a bare IRI."""
    done = runner.invoke(
        app, ["impact", "--list", "--include-illustrative", "--store", store, "--format", "csv"]
    )
    (rows,) = csv_tables(done.stdout).values()
    types = {r[0]: r[2] for r in rows[1:]}
    assert types["total-relocation"] == "okg:Relocation"
    assert types["eurocar-plant-stoppage"] == "auto:PlantStoppage"
    assert not any("://" in t for t in types.values())


# -- shared options: --threshold as a percent or a share, --as-of, --max-depth, --top -------------


@pytest.mark.parametrize("text", ["50%", "50 %", " 50% ", "0.5", ".5", "5e-1"])
def test_a_threshold_is_a_percent_or_a_share(text):
    from okg.cli.common import parse_threshold

    assert parse_threshold(text) == 0.5


@given(st.decimals(min_value="0.01", max_value="100", places=2))
def test_a_percent_and_its_share_are_the_same_threshold(p):
    from okg.cli.common import parse_threshold

    assert parse_threshold(f"{p}%") == parse_threshold(str(p / 100)) == float(p / 100)
    assert parse_threshold(f"{p} %") == parse_threshold(f"{p}%")


@pytest.mark.parametrize(
    "text", ["150%", "0", "0%", "-1", "-5%", "abc", "nan", "NaN%", "inf", "1.01", "%", "", "50"]
)
def test_a_bad_threshold_is_one_line_naming_the_forms(text, store):
    done = runner.invoke(app, ["impact", "fr-ban-vote", "--threshold", text, "--store", store])
    assert done.exit_code == 1, done.output
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.output and "Usage" not in done.output
    assert lines[0].startswith(f"error: --threshold: '{text.strip()}' is not a percent (50%)")
    assert "or a share (0.5)" in lines[0]


@pytest.mark.parametrize("command", [["impact"], ["analyze"]])
def test_help_names_both_threshold_forms(command):
    done = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert "percent (50%) or share (0.5)" in done.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--as-of", "next week"], "error: --as-of: 'next week' is not a date (write YYYY-MM-DD)"),
        (["--max-depth", "0"], "error: --max-depth: 0 is less than 1"),
        (["--max-depth", "two"], "error: --max-depth: 'two' is not a whole number"),
        (["--top", "-3"], "error: --top: -3 is less than 1"),
    ],
)
@pytest.mark.parametrize("command", [["impact", "fr-ban-vote"], ["analyze"]])
def test_shared_options_are_checked_alike(command, args, message, store):
    done = runner.invoke(app, [*command, *args, "--store", store])
    assert done.exit_code == 1 and done.output.strip() == message, done.output


def _impact_json(store: str, threshold: str) -> dict:
    done = runner.invoke(
        app,
        ["impact", "total-relocation", "--as-of", "2026-02-01", "--format", "json"]
        + ["--threshold", threshold, "--store", store],
    )
    assert done.exit_code == 0, done.output
    return json.loads(done.output)


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(p=st.one_of(st.integers(1, 100), st.decimals(min_value="0.1", max_value="100", places=1)))
def test_percent_and_share_give_the_same_impact(store, p):
    as_percent = _impact_json(store, f"{p}%")
    assert as_percent == _impact_json(store, str(p / 100))
    assert as_percent["threshold"] == float(p / 100)


def test_the_threshold_changes_the_impact(store):
    """The test above can fail: the output does depend on the threshold."""
    assert _impact_json(store, "30%") != _impact_json(store, "90%")


# -- a missing store is refused, never created --------------------------------------------------

MISSING = [
    ["check"],
    ["stats"],
    ["sources"],
    ["export"],
    ["remove", "some-source"],
    ["impact", "total-relocation"],
    ["impact", "--list"],
    ["analyze"],
    ["query", "jobs"],
    ["viz", "--out", "{tmp}/net.html"],
    ["report", "total-relocation", "--out", "{tmp}/report.html"],
    ["push", "--endpoint", "http://127.0.0.1:9/q", "--update-endpoint", "http://127.0.0.1:9/u"],
]


@pytest.mark.parametrize("args", MISSING, ids=lambda a: " ".join(a[:2]))
def test_a_missing_store_is_refused_and_not_created(args, tmp_path):
    missing = tmp_path / "no" / "store"
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    done = runner.invoke(app, [*args, "--store", str(missing)])
    assert done.exit_code == 1, done.output
    lines = done.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.output, done.output
    assert str(missing) in lines[0] and "okg build" in lines[0]
    assert not (tmp_path / "no").exists()
    assert not list(tmp_path.glob("*.html"))


def test_the_default_store_is_not_created_either(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "OKG_STORE"}
    done = subprocess.run(
        [sys.executable, "-m", "okg.cli", "query", "jobs"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 1
    assert "okg build" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / ".okg").exists()


def test_an_empty_folder_is_refused_and_left_empty(tmp_path):
    done = runner.invoke(app, ["stats", "--store", str(tmp_path)])
    assert done.exit_code == 1 and "holds no okg store" in done.output
    assert list(tmp_path.iterdir()) == []


# -- no Java ------------------------------------------------------------------------------------


def _path_without_java() -> str:
    """$PATH without the folders that hold a java executable."""
    return os.pathsep.join(
        d
        for d in os.environ.get("PATH", "").split(os.pathsep)
        if d and not (Path(d) / "java").exists()
    )


def test_reasoning_says_java_is_needed(monkeypatch):
    import owlready2
    from okg.store.reasoning import JavaMissingError, check_consistency, java_executable
    from rdflib import Graph

    monkeypatch.setattr(owlready2, "JAVA_EXE", "/nonexistent/bin/java")
    assert java_executable() is None
    with pytest.raises(
        JavaMissingError, match="Java is needed for the HermiT reasoner.*--no-reasoner"
    ):
        check_consistency(Graph())


@pytest.mark.reasoner
def test_check_without_java_is_one_line_and_runs_the_rest(store):
    env = {k: v for k, v in os.environ.items() if k not in ("JAVA_HOME",)}
    env["PATH"] = _path_without_java()
    done = okg_process("check", "--store", store, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    java_lines = [line for line in done.stdout.splitlines() if "Java" in line]
    assert len(java_lines) == 1
    assert (
        "Java is needed for the HermiT reasoner" in java_lines[0]
        and "--no-reasoner" in java_lines[0]
    )
    assert "SHACL: conforms" in done.stdout and "Conflicting claims:" in done.stdout
    skipped = okg_process("check", "--no-reasoner", "--store", store, env=env)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "HermiT: skipped (--no-reasoner)" in skipped.stdout


# -- tables in a pipe ---------------------------------------------------------------------------


def test_a_wide_table_keeps_its_headers_in_a_pipe(store):
    from okg.queries.canned import catalog

    columns = catalog()["regulation-exposure"].columns
    assert len(columns) >= 13  # a wide table: the point is that every header survives a pipe
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    done = okg_process("query", "regulation-exposure", "--store", store, env=env)
    assert done.returncode == 0, done.stderr
    header = next(line for line in done.stdout.splitlines() if line.startswith("┃"))
    cells = [c.strip() for c in header.strip("┃ ").split("┃")]
    assert cells == columns


def test_print_tables_widens_only_off_a_terminal():
    from okg.render.tables import MIN_PIPE_WIDTH, TextTable, print_tables
    from rich.console import Console

    cols = [f"column number {i}" for i in range(13)]
    table = TextTable("wide", cols, [[f"value {i}" for i in range(13)]])
    pipe = io.StringIO()
    print_tables([table], Console(file=pipe, width=80))
    lines = pipe.getvalue().splitlines()
    assert max(len(line) for line in lines) >= MIN_PIPE_WIDTH
    assert all(c in pipe.getvalue() for c in cols)
    tty = io.StringIO()
    print_tables([table], Console(file=tty, width=80, force_terminal=True, color_system=None))
    assert max(len(line) for line in tty.getvalue().splitlines()) <= 80
    assert not all(c in tty.getvalue() for c in cols)


def test_startup_benchmark_examples_run():
    """benchmarks/startup.py's docstring examples (the figures themselves are never asserted)."""
    import doctest
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "startup.py"
    spec = importlib.util.spec_from_file_location("okg_benchmarks_startup", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = doctest.testmod(module)
    assert result.attempted >= 2 and result.failed == 0
