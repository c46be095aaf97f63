"""No module of ``okg`` imports from a layer above its own, nor through the old top-level names.

Layers, lowest first (README, Layout): terms < figures < loaders < store and queries < analysis
< render and viz < cli. Every module of every folder that setup.py installs under ``okg`` is
parsed with ``ast``: module-level imports, imports inside functions and classes (also under
``if TYPE_CHECKING:``), relative imports, and imports by literal name through
``importlib.import_module``, ``__import__`` and ``pytest.importorskip``. The package root
``okg/__init__.py`` (``kg/__init__.py``) re-exports lazily from every layer and is exempt.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Highest layer last; a module may import from its own layer and the layers below it.
LAYERS: list[tuple[str, ...]] = [
    ("okg.terms", "okg.ontology", "okg.data"),
    ("okg.figures",),
    ("okg.loaders",),
    ("okg.store", "okg.queries"),
    ("okg.analysis",),
    ("okg.render", "okg.viz"),
    ("okg.cli",),
]
LAYER_NAMES = ["terms", "figures", "loaders", "store/queries", "analysis", "render/viz", "cli"]
EXEMPT = {"okg"}
OLD_NAMES = {"kg", "loaders", "viz", "queries", "ontology", "okg_data"}
# Calls whose first literal argument is a module name.
STRING_IMPORTS = {"import_module", "__import__", "importorskip"}


def package_roots() -> dict[str, str]:
    """The ``ROOTS`` mapping of setup.py (import name -> folder), read without running setup()."""
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "ROOTS" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("setup.py has no ROOTS mapping")


def lazy_exports() -> dict[str, str]:
    """name -> module for the names ``okg/__init__.py`` exports lazily (``_LAZY``)."""
    tree = ast.parse((ROOT / "kg" / "__init__.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        target = getattr(node, "target", None) or (getattr(node, "targets", None) or [None])[0]
        if isinstance(node, ast.Assign | ast.AnnAssign) and getattr(target, "id", "") == "_LAZY":
            return {k: v[0] for k, v in ast.literal_eval(node.value).items()}
    return {}


def package_modules() -> dict[str, Path]:
    """Every module of the installed package ``okg``, by dotted name, from the source folders."""
    out: dict[str, Path] = {}
    for name, folder in package_roots().items():
        base = ROOT / folder
        for path in sorted(base.rglob("*.py")):
            rel = path.relative_to(base)
            if "__pycache__" in rel.parts:
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([name, *parts])] = path
    return out


def layer_of(module: str) -> int | None:
    """The layer index of an ``okg`` module, None for a module outside every layer."""
    for i, prefixes in enumerate(LAYERS):
        if any(module == p or module.startswith(p + ".") for p in prefixes):
            return i
    return None


@dataclass(frozen=True)
class Import:
    line: int
    target: str  # absolute dotted name
    old_name: bool = False  # written with an old top-level name


def _resolve_relative(module: str, is_package: bool, level: int, name: str | None) -> str:
    parts = module.split(".") if is_package else module.split(".")[:-1]
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join([*parts, name] if name else parts)


def imports_of(source: str, module: str, is_package: bool) -> list[Import]:
    """Every import in *source*, wherever it stands, with the absolute name it reaches."""
    out: list[Import] = []
    lazy = lazy_exports()

    def add(line: int, target: str) -> None:
        top = target.split(".")[0]
        out.append(Import(line, target, old_name=top in OLD_NAMES))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            base = (
                _resolve_relative(module, is_package, node.level, node.module)
                if node.level
                else node.module or ""
            )
            for alias in node.names:
                if base == "okg" and alias.name in lazy:  # from okg import KnowledgeGraph
                    add(node.lineno, lazy[alias.name])
                elif base == "okg" and alias.name != "*":
                    add(node.lineno, f"okg.{alias.name}")
                else:
                    add(node.lineno, base)
        elif isinstance(node, ast.Call):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if (
                fname in STRING_IMPORTS
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
                and not node.args[0].value.startswith(".")
            ):
                add(node.lineno, node.args[0].value)
    return sorted(out, key=lambda i: i.line)


def violations(modules: dict[str, tuple[Path, str]]) -> list[str]:
    """One line per forbidden import: module, file:line, the imported name and why."""
    found = []
    for module, (path, source) in sorted(modules.items()):
        if module in EXEMPT:
            continue
        own = layer_of(module)
        if own is None:
            found.append(f"{module} ({path}): in no layer; add its package to LAYERS")
            continue
        for imp in imports_of(source, module, path.name == "__init__.py"):
            where = f"{module} ({path}:{imp.line}) imports {imp.target}"
            if imp.old_name:
                found.append(f"{where}: an old top-level name, use okg.*")
                continue
            if imp.target.split(".")[0] != "okg" or imp.target in EXEMPT:
                continue
            theirs = layer_of(imp.target)
            if theirs is None:
                found.append(f"{where}: in no layer")
            elif theirs > own:
                found.append(f"{where}: layer {LAYER_NAMES[theirs]} is above {LAYER_NAMES[own]}")
    return found


def _read(modules: dict[str, Path]) -> dict[str, tuple[Path, str]]:
    return {m: (p.relative_to(ROOT), p.read_text(encoding="utf-8")) for m, p in modules.items()}


def test_the_walk_sees_every_layer_and_this_checker_s_own_anchors():
    modules = package_modules()
    assert "okg.cli" in modules and "okg.terms.namespaces" in modules
    assert "okg.analysis.impact" in modules and "okg.viz" in modules and "okg.loaders" in modules
    for prefixes in LAYERS[1:]:  # every layer above terms holds code
        assert any(layer_of(m) is not None and m.startswith(prefixes) for m in modules), prefixes
    assert lazy_exports()["KnowledgeGraph"] == "okg.store"


def test_no_module_imports_from_a_layer_above_its_own():
    found = violations(_read(package_modules()))
    assert not found, "\n".join(found)


def test_the_checker_finds_each_kind_of_forbidden_import():
    p = Path("kg/terms/fake.py")
    src = """\
import importlib
from okg.figures.intervals import Interval
from . import labels


def later():
    from okg.cli import app
    import okg.analysis.impact
    return app


def by_name(pytest):
    importlib.import_module("okg.viz.page")
    pytest.importorskip("okg.store")
    __import__("okg.terms.labels")


from ..render import impact
from okg import KnowledgeGraph
import kg.store
from loaders import facts
"""
    found = violations({"okg.terms.fake": (p, src)})
    assert found == [
        "okg.terms.fake (kg/terms/fake.py:2) imports okg.figures.intervals: "
        "layer figures is above terms",
        "okg.terms.fake (kg/terms/fake.py:7) imports okg.cli: layer cli is above terms",
        "okg.terms.fake (kg/terms/fake.py:8) imports okg.analysis.impact: "
        "layer analysis is above terms",
        "okg.terms.fake (kg/terms/fake.py:13) imports okg.viz.page: layer render/viz is above terms",
        "okg.terms.fake (kg/terms/fake.py:14) imports okg.store: layer store/queries is above terms",
        "okg.terms.fake (kg/terms/fake.py:18) imports okg.render: layer render/viz is above terms",
        "okg.terms.fake (kg/terms/fake.py:19) imports okg.store: layer store/queries is above terms",
        "okg.terms.fake (kg/terms/fake.py:20) imports kg.store: an old top-level name, use okg.*",
        "okg.terms.fake (kg/terms/fake.py:21) imports loaders: an old top-level name, use okg.*",
    ]


def test_the_checker_allows_own_and_lower_layers_and_flags_unknown_packages():
    src = (
        "from okg.terms.namespaces import OKG\n"
        "from okg.figures import intervals\n"
        "from . import other\n"
        "from .. import projection\n"
        "def f():\n    import okg\n    import rdflib\n    from okg.queries import canned\n"
    )
    assert violations({"okg.analysis.impact.x": (Path("kg/analysis/impact/x.py"), src)}) == []
    assert violations({"okg.newthing.y": (Path("kg/newthing/y.py"), "")}) == [
        "okg.newthing.y (kg/newthing/y.py): in no layer; add its package to LAYERS"
    ]
    assert violations({"okg.cli.z": (Path("kg/cli/z.py"), "import okg.newthing\n")}) == [
        "okg.cli.z (kg/cli/z.py:1) imports okg.newthing: in no layer"
    ]
