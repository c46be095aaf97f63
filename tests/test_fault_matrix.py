"""The fault matrix in docs/reliability.md is what tools/fault_matrix.py computes now
(issue 15, item 10): each release states the numbers its tests produce."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _tool():
    spec = importlib.util.spec_from_file_location(
        "fault_matrix", ROOT / "tools" / "fault_matrix.py"
    )
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


def test_the_committed_matrix_claims_zero_where_it_must():
    fm = _tool()
    rows = fm.rows_of(fm.section((ROOT / "docs" / "reliability.md").read_text(encoding="utf-8")))
    assert rows, "docs/reliability.md has no generated fault matrix"
    total = rows["**total**"]
    columns = fm.COLUMNS[1:]
    for name in ("partial loads", "data-loss states", "tracebacks", "injections that worked"):
        assert total[columns.index(name)] == "0", name
    assert any(k.startswith("kills") for k in rows), (
        "the kill row (python tools/fault_matrix.py --kills)"
    )


def test_the_committed_matrix_is_what_the_cases_give_now(capsys):
    fm = _tool()
    assert fm.main(["--check"]) == 0, capsys.readouterr().out
