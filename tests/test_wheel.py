"""The wheel as a user gets it: built, installed with its dependencies into a fresh venv, run.

The wheel is built with ``python -m build --wheel`` from a copy of the checkout (so that a
stale ``build/`` folder cannot leak files into it), must hold exactly the files of the folders
setup.py maps under ``okg`` plus its dist-info, and must build without a warning of the
project's own configuration. Then a fresh venv gets the wheel with its dependencies (no extras,
not editable), and from a folder outside the checkout the commands of the README run on the
bundled data. One build and one venv for the whole module.
"""

from __future__ import annotations

import ast
import csv
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
OLD_TOP_LEVEL = ("kg", "loaders", "viz", "queries", "ontology", "okg_data")
# Build output lines that come from the machine, not from the project's configuration.
ENVIRONMENT_WARNINGS = (re.compile(r"byte-compiling is disabled"),)
COPY_IGNORE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    "*.pyc",
    ".okg",
    "out",
    ".pytest_cache",
    ".ruff_cache",
    ".hypothesis",
    "artifacts",
)


def package_roots(tree_root: Path = ROOT) -> dict[str, str]:
    """setup.py's ``ROOTS`` (import name -> folder), read without running setup()."""
    tree = ast.parse((tree_root / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ROOTS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no ROOTS mapping")


def expected_files(tree_root: Path) -> set[str]:
    """Every file the wheel must hold under okg/, from the source tree (caches left out)."""
    out = set()
    for name, folder in package_roots(tree_root).items():
        base = tree_root / folder
        prefix = name.replace(".", "/")
        for path in base.rglob("*"):
            rel = path.relative_to(base)
            if path.is_file() and "__pycache__" not in rel.parts and path.suffix != ".pyc":
                out.add(f"{prefix}/{rel.as_posix()}")
    return out


def _clean_env(**extra: str) -> dict[str, str]:
    """The caller's environment without anything that points at the checkout or its venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "PYTHONSTARTUP")
        and not k.startswith("OKG_")
    }
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(wheel path, build output, the copy of the tree it was built from)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT, src, ignore=COPY_IGNORE)
    dist = base / "dist"
    p = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(src)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=900,
    )
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    (wheel,) = dist.glob("okg-*.whl")
    return wheel, p.stdout + p.stderr, src


@pytest.fixture(scope="module")
def venv(built, tmp_path_factory):
    """A fresh venv with the wheel and its dependencies installed (no extras, not editable)."""
    wheel, _, _ = built
    home = tmp_path_factory.mktemp("venv") / "v"
    subprocess.run([sys.executable, "-m", "venv", str(home)], check=True, timeout=300)
    py = home / "bin" / "python"
    # pip may reach the package index; its cache and the machine's find-links are reused.
    p = subprocess.run(
        [str(py), "-m", "pip", "install", "--quiet", str(wheel)],
        capture_output=True,
        text=True,
        env=_clean_env(),
        timeout=1800,
    )
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    return home


def test_building_the_wheel_prints_no_warning_of_the_project(built):
    _, output, _ = built
    warnings = [
        line
        for line in output.splitlines()
        if re.search(r"warn|deprecat|is absent from|would be ignored", line, re.I)
        and not any(p.search(line) for p in ENVIRONMENT_WARNINGS)
    ]
    assert not warnings, "\n".join(warnings)


def test_the_wheel_holds_only_okg_with_every_file_and_folder_of_the_tree(built):
    wheel, _, src = built
    names = {n for n in zipfile.ZipFile(wheel).namelist() if not n.endswith("/")}
    tops = {n.split("/")[0] for n in names}
    assert tops == {"okg", "okg-0.1.0.dist-info"}, tops
    shipped = {n for n in names if n.startswith("okg/")}
    expected = expected_files(src)  # the snapshot built, not the tree others keep editing
    folders = {n.rsplit("/", 1)[0] for n in expected}
    assert {n.rsplit("/", 1)[0] for n in shipped} >= folders, sorted(
        folders - {n.rsplit("/", 1)[0] for n in shipped}
    )
    assert not expected - shipped, f"left out of the wheel: {sorted(expected - shipped)}"
    assert not shipped - expected, f"not in the tree: {sorted(shipped - expected)}"
    # The anchors the code finds its resources by, whatever the tree holds besides.
    assert {
        "okg/__init__.py",
        "okg/cli/__init__.py",
        "okg/ontology/core.ttl",
        "okg/ontology/shapes.ttl",
        "okg/queries/derive/10_types.rq",
        "okg/data/totalenergies-ikanbi-2025.yaml",
        "okg/viz/assets/okg-viz.js",
    } <= shipped


def test_the_wheel_metadata_declares_license_entry_point_and_run_time_dependencies(built):
    wheel, _, _ = built
    with zipfile.ZipFile(wheel) as z:
        meta = z.read("okg-0.1.0.dist-info/METADATA").decode()
        entry = z.read("okg-0.1.0.dist-info/entry_points.txt").decode()
    assert "License-Expression: Apache-2.0" in meta
    requires = {
        re.split(r"[<>=!~ ;\[]", line.split(":", 1)[1].strip())[0].lower()
        for line in meta.splitlines()
        if line.startswith("Requires-Dist:") and "extra ==" not in line
    }
    for dep in ("rdflib", "pyoxigraph", "networkx", "numpy", "jinja2", "typer", "pyyaml"):
        assert dep in requires, (dep, requires)
    assert "pandas" not in requires and "pytest" not in requires
    assert re.search(r"^okg\s*=\s*okg\.cli:main$", entry, re.M), entry


def test_the_installed_okg_runs_from_outside_the_checkout(venv, tmp_path):
    work = tmp_path / "user"
    work.mkdir()
    assert ROOT not in work.parents
    bin_dir = venv / "bin"
    # A fixed width, so that content checks do not depend on how tables wrap without a terminal.
    env = _clean_env(PATH=f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin", COLUMNS="200")

    def okg(*args: str) -> str:
        p = subprocess.run(
            [str(bin_dir / "okg"), *args],
            cwd=work,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert p.returncode == 0, (args, p.stdout[-2000:], p.stderr[-2000:])
        assert "Traceback" not in p.stdout + p.stderr, (args, p.stderr[-2000:])
        return p.stdout

    assert re.search(r"\b0\.1\.0\b", okg("--version"))

    out = okg("build")
    assert "loaded totalenergies-ikanbi-relocation" in out
    assert "site-packages" in out  # the bundled data pack, from the installed package
    assert (work / ".okg").is_dir()

    assert "Jobs by country" in okg("query", "jobs")
    rows = list(csv.DictReader(io.StringIO(okg("query", "jobs", "--format", "csv"))))
    ikanbi = [r for r in rows if "IKANBI" in r.get("employer", "")]
    assert ikanbi and {"146", "180"} <= set(ikanbi[0].values()), rows

    out = okg("impact", "total-relocation", "--as-of", "2026-02-01")
    assert "in transition" in out and "IKANBI" in out and "135–180" in out

    out = okg("analyze", "--as-of", "2026-09-01")
    assert "Herfindahl" in out and "IKANBI" in out

    out = okg("viz", "--out", "x.html")
    page = (work / "x.html").read_text(encoding="utf-8")
    assert "wrote x.html" in out and "IKANBI" in page and "<script" in page

    out = okg("report", "total-relocation", "--as-of", "2026-02-01", "--out", "r.html")
    report = (work / "r.html").read_text(encoding="utf-8")
    assert "wrote r.html" in out and "IKANBI" in report and "135–180" in report

    code = (
        "import importlib.util, okg\n"
        "from okg import KnowledgeGraph\n"
        "from okg.queries import run_query\n"
        "print(okg.__file__)\n"
        "print(okg.__version__)\n"
        f"print([n for n in {OLD_TOP_LEVEL!r} if importlib.util.find_spec(n)])\n"
        "with KnowledgeGraph.open('.okg') as kg:\n"
        "    print(len(run_query(kg, 'jobs', {'country': 'BE'})))\n"
    )
    p = subprocess.run(
        [str(bin_dir / "python"), "-c", code],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    where, version, old, n_rows = p.stdout.splitlines()
    assert Path(where).is_relative_to(venv) and "site-packages" in where
    assert version == "0.1.0"
    assert old == "[]", f"old top-level packages importable: {old}"
    assert int(n_rows) >= 1
