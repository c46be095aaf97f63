"""The docstring examples of every module of the installed ``okg`` package run and pass.

The modules are found with ``pkgutil`` from each root of the installed package (``okg`` and the
folders setup.py maps under it: ``okg.loaders``, ``okg.queries``, ``okg.viz``, ...), one test
per module, so a failure names the module and shows the failing example. A module that cannot
be imported fails (nothing optional is skipped silently); ``__main__`` modules, which run the
program when imported, are checked to hold no example instead.
"""

from __future__ import annotations

import ast
import doctest
import importlib
import importlib.util
import pkgutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def package_roots() -> dict[str, str]:
    """setup.py's ``ROOTS`` (import name -> folder), read without running setup()."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ROOTS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no ROOTS mapping")


def installed_modules() -> list[str]:
    """Every module of the installed package, walked from each root with pkgutil."""
    names: set[str] = set()
    for root in package_roots():
        package = importlib.import_module(root)
        names.add(root)
        names.update(m.name for m in pkgutil.walk_packages(package.__path__, root + "."))
    return sorted(names)


def source_modules() -> set[str]:
    """Every module of the source folders, by the dotted name it is installed under."""
    out = set()
    for name, folder in package_roots().items():
        base = ROOT / folder
        for path in base.rglob("*.py"):
            parts = list(path.relative_to(base).with_suffix("").parts)
            if "__pycache__" in parts:
                continue
            if parts[-1] == "__init__":
                parts.pop()
            out.add(".".join([name, *parts]))
    return out


MODULES = installed_modules()


def run_doctests(module) -> tuple[int, int, str]:
    """(examples tried, failed, the report of each failing example)."""
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(verbose=False)
    report: list[str] = []
    for test in sorted(finder.find(module), key=lambda t: t.name):
        runner.run(test, out=report.append)
    results = runner.summarize(verbose=False)
    return results.attempted, results.failed, "".join(report)


def test_the_walk_finds_every_module_of_the_source_tree():
    assert set(MODULES) == source_modules()
    assert {"okg.cli", "okg.loaders", "okg.queries.canned", "okg.viz.page"} <= set(MODULES)


@pytest.mark.parametrize("name", [m for m in MODULES if m.rsplit(".", 1)[-1] != "__main__"])
def test_docstring_examples(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # an example that writes a file writes it here
    monkeypatch.delenv("OKG_STORE", raising=False)
    monkeypatch.delenv("OKG_SECTOR_PATH", raising=False)
    module = importlib.import_module(name)  # an import error fails here, it is never skipped
    tried, failed, report = run_doctests(module)
    assert failed == 0, f"{name}: {failed} of {tried} examples failed\n{report}"
    source = Path(module.__file__).read_text(encoding="utf-8")
    if any(line.lstrip().startswith(">>> ") for line in source.splitlines()):
        # Examples doctest cannot see (a string that is not a docstring, a nested function).
        assert tried > 0, f"{name} has >>> examples, but doctest finds none of them"


@pytest.mark.parametrize("name", [m for m in MODULES if m.rsplit(".", 1)[-1] == "__main__"])
def test_main_modules_hold_no_examples(name):
    spec = importlib.util.find_spec(name)
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    docs = [
        ast.get_docstring(n) or ""
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
    ]
    assert not any(">>>" in d for d in docs), f"{name} runs the program when imported"


def test_a_failing_example_is_reported_with_module_and_example():
    import types

    fake = types.ModuleType("okg_fake_for_doctest")
    fake.__doc__ = ">>> 1 + 1\n3\n"
    tried, failed, report = run_doctests(fake)
    assert (tried, failed) == (1, 1)
    assert "okg_fake_for_doctest" in report and "1 + 1" in report and "Expected:" in report
