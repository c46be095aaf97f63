"""One line, never a traceback (issue 15, item 9).

Every command runs on broken inputs: a store whose files hold garbage (two ways), references
that are not names, figures that are not finite, oversized CSV cells, an update or a syntax error
in a user's ``.rq``, a hostile query parameter. Each must exit non-zero with a short error and no
``Traceback``; under the test runner an exception that escapes a command is a failure too (the
last guard in ``okg.cli.application.main`` is tested on its own below).

``broken_cases`` and ``outcome`` are reused by ``tools/fault_matrix.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from okg.cli.application import app
from typer.testing import CliRunner

runner = CliRunner()

GOOD = """okg: 1
source: {id: good, title: Good, language: en}
modules: [call_centres]
facts:
  - id: a
    type: Firm
    label: {en: A}
    country: FR
    quote: "a"
  - id: b
    type: cc:ContactCentreOperator
    label: {en: B}
    country: MA
    quote: "b"
  - id: ab
    type: Contract
    client: a
    provider: b
    activity: [customer-care]
    quote: "ab"
  - id: ev
    type: Relocation
    terminates: ab
    to: MA
    date: 2026-01-01
    quote: "ev"
"""

BAD_FACTS = {
    "bad-reference": "  - id: c\n    type: Contract\n    client: 'okgd:a>b c'\n"
    "    provider: b\n    quote: q\n",
    "nan-figure": "  - id: w\n    type: Workforce\n    employer: b\n    headcount: {about: NaN}\n"
    "    quote: q\n",
    "infinite-figure": "  - id: w\n    type: Workforce\n    employer: b\n"
    "    headcount: {more_than: Infinity}\n    quote: q\n",
    "huge-figure": "  - id: w\n    type: Workforce\n    employer: b\n    headcount: {exact: 1e999999}\n"
    "    quote: q\n",
    "loader-field": "  - id: w\n    type: Firm\n    label: {en: W}\n    okg:line: NaN\n    quote: q\n",
}
"""Fact files that must be refused: GOOD plus one broken fact each."""

READ_COMMANDS = [
    ["sources"],
    ["stats"],
    ["query", "sources"],
    ["impact", "ev"],
    ["impact", "--list"],
    ["analyze"],
    ["check", "--no-reasoner"],
    ["export", "--format", "nquads", "--out", "{tmp}/out.nq"],
    ["viz", "--out", "{tmp}/v.html"],
    ["report", "ev", "--out", "{tmp}/r.html"],
    ["remove", "good"],
    ["build", "{good}"],
    ["validate", "{good}"],
    ["bulk-load", "{nq}"],
    ["push", "--endpoint", "http://127.0.0.1:9/q", "--update-endpoint", "http://127.0.0.1:9/u"],
]
"""Every command that opens the store (with what it needs)."""


def _corrupt(src: Path, dst: Path, which: str) -> Path:
    shutil.copytree(src, dst)
    for f in dst.iterdir():
        hit = f.suffix == ".sst" if which == "tables" else f.name.startswith(("CURRENT", "MANIF"))
        if hit:
            f.write_bytes(os.urandom(2000))
    return dst


def broken_cases(folder: Path) -> list[tuple[str, str, list[str]]]:
    """(class, what, argv) of every broken input; builds what they need in *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    good = folder / "good.yaml"
    good.write_text(GOOD, encoding="utf-8")
    store = folder / "store"
    res = runner.invoke(app, ["build", str(good), "--store", str(store)])
    assert res.exit_code == 0, res.output
    runner.invoke(app, ["impact", "ev", "--store", str(store)])  # writes the projection cache
    nq = folder / "x.nq"
    nq.write_text("<urn:a> <urn:b> <urn:c> <urn:g> .\n", encoding="utf-8")
    subst = {"tmp": str(folder), "good": str(good), "nq": str(nq)}
    cases: list[tuple[str, str, list[str]]] = []
    for which in ("tables", "manifest"):
        bad = _corrupt(store, folder / f"corrupt-{which}", which)
        for argv in READ_COMMANDS:
            args = [a.format(**subst) for a in argv] + ["--store", str(bad)]
            name = " ".join(a for a in argv[:2] if not a.startswith(("{", "--")))
            cases.append(("corrupt store", f"{which}: okg {name}", args))
    for name, fact in BAD_FACTS.items():
        path = folder / f"{name}.yaml"
        path.write_text(GOOD + fact, encoding="utf-8")
        for cmd in ("validate", "build"):
            args = [cmd, str(path), "--store", str(folder / f"s-{name}")]
            cases.append(("bad fact file", f"{name}: okg {cmd}", args))
    dup = folder / "same-source-again.yaml"  # the good file's source id in a second file
    dup.write_text(GOOD, encoding="utf-8")
    for cmd in ("validate", "build"):
        args = [cmd, str(good), str(dup), "--store", str(folder / "s-dup")]
        cases.append(("bad fact file", f"duplicate source id: okg {cmd}", args))
    (folder / "big.source.yaml").write_text(
        "source:\n  id: big\n  title: T\n  language: en\n", encoding="utf-8"
    )
    big = folder / "big.csv"
    big.write_text("id,type,label\nf,Firm," + "q" * 9_000_000 + "\n", encoding="utf-8")
    for cmd in ("validate", "build"):
        args = [cmd, str(big), "--store", str(folder / "s-big")]
        cases.append(("oversized cell", f"9 MB CSV cell: okg {cmd}", args))
    rq = {
        "update": "PREFIX : <urn:x>\nINSERT DATA { :a :b :c }\n",
        "syntax": "# title: t\n\nSELECT ?x WHERE {\n  ?x ?y\n}\n",
        "bad-header": "# param: x nosuchtype 1 — bad\nSELECT * {}\n",
    }
    for name, text in rq.items():
        path = folder / f"{name}.rq"
        path.write_text(text, encoding="utf-8")
        cases.append(("own query", f"{name}.rq", ["query", str(path), "--store", str(store)]))
    for value in ["a>b c", "okgd:a>b c", '"} ; DROP ALL ; {"', "x\x00y"]:
        args = ["query", "who-serves-client", "-p", f"client={value}", "--store", str(store)]
        cases.append(("query parameter", f"client={value!r}", args))
    args = ["query", "sources", "--endpoint", "file:///etc/passwd", "--store", str(store)]
    cases.append(("query parameter", "file: endpoint", args))
    return cases


REFUSAL = re.compile(r"^(?:error: |\S+:\d+(?::\d+)?: )")
"""An error line: ``error: ...`` or ``FILE:LINE: ...`` (the loaders' refusals)."""
FILE_LINE_FIELD = re.compile(r"^\S+:\d+(?::\d+)?: \[[^\]]+\] ")


def outcome(res) -> str:
    """``one line`` (refused: non-zero, an error line, no traceback), ``traceback``, ``exit 0``
    (accepted), ``escaped`` (an exception left the command) or ``no message``."""
    text = res.output
    if "Traceback" in text:
        return "traceback"
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        return "escaped"
    if res.exit_code == 0:
        return "exit 0"
    return "one line" if any(REFUSAL.match(x) for x in text.splitlines()) else "no message"


def names_file_line_field(res) -> bool:
    """Does the refusal name the file, the line and the field (``FILE:LINE: [field] ...``)?"""
    return any(FILE_LINE_FIELD.match(x) for x in res.output.splitlines())


def run_case(argv: list[str]):
    return runner.invoke(app, argv, env={"COLUMNS": "200"})


@pytest.fixture(scope="module")
def cases(tmp_path_factory):
    return broken_cases(tmp_path_factory.mktemp("broken"))


def test_every_command_on_broken_inputs_is_one_line(cases):
    seen = {}
    for cls, what, argv in cases:
        res = run_case(argv)
        seen[(cls, what)] = (outcome(res), res.output.strip().splitlines()[-1:] or [""])
    bad = {k: v for k, v in seen.items() if v[0] != "one line"}
    assert bad == {}
    for cls, what, argv in cases:  # fact-file refusals name file, line and field
        if cls in ("bad fact file", "oversized cell"):
            assert names_file_line_field(run_case(argv)), what
    assert len(seen) == len(cases) >= 50


def test_specific_messages(cases, tmp_path):
    by_what = {what: argv for _, what, argv in cases}
    out = run_case(by_what["tables: okg sources"]).output
    assert "cannot be opened" in out and "remove the folder and run okg build again" in out
    out = run_case(by_what["bad-reference: okg validate"]).output
    assert "bad-reference.yaml:" in out and "[client]" in out and "not a valid name" in out
    out = run_case(by_what["update.rq"]).output
    assert "update.rq:2: INSERT is an update" in out
    out = run_case(by_what["syntax.rq"]).output
    line = int(re.search(r"syntax\.rq:(\d+):", out).group(1))
    assert 4 <= line <= 6, out  # the file's own line, not okg's prefix lines (~20 of them)


def test_own_construct_ask_describe_are_answered(cases, tmp_path):
    store = next(argv for _, what, argv in cases if what == "update.rq")[-1]
    for text, first in [
        (
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s a okg:Relocation ; ?p ?o }",
            "subject,predicate,object",
        ),
        ("ASK { ?s a okg:Relocation }", "answer"),
        ("DESCRIBE <https://w3id.org/okg/id/good/ev>", "subject,predicate,object"),
    ]:
        rq = tmp_path / "q.rq"
        rq.write_text(text + "\n", encoding="utf-8")
        res = run_case(["query", str(rq), "--store", store, "--format", "csv"])
        assert res.exit_code == 0, res.output
        lines = res.output.splitlines()
        assert lines[0] == first and len(lines) >= 2
    assert lines[1:] == [] or "true" in res.output or "Relocation" in res.output


def test_local_timeout_stops_waiting(cases, tmp_path):
    """pyoxigraph cannot cancel a query: okg stops waiting and exits (a subprocess here)."""
    store = next(argv for _, what, argv in cases if what == "update.rq")[-1]
    rq = tmp_path / "slow.rq"
    rq.write_text(
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f . ?g ?h ?i }\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, "-m", "okg.cli", "query", str(rq), "--store", store, "--timeout", "1"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.startswith("error: ") and "--timeout" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout


def test_the_last_guard_is_one_line_unless_debug(monkeypatch, capsys):
    from okg.cli import application

    def broken() -> None:
        raise ZeroDivisionError("boom\nsecond line")

    monkeypatch.setattr(application, "app", broken)
    monkeypatch.delenv("OKG_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        application.main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert (
        err
        == "error: unexpected ZeroDivisionError: boom (run with OKG_DEBUG=1 for the traceback)\n"
    )
    monkeypatch.setenv("OKG_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        application.main()
