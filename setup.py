"""Package layout for setuptools: the design card's top-level folders installed as one package ``okg``.

``pyproject.toml`` holds the metadata; this file only maps folders to packages, because setuptools'
declarative ``packages.find`` cannot put several folders under one import root. Every sub-folder is
found (never listed by hand), so a new sub-package cannot be left out of the wheel.
"""

from setuptools import find_namespace_packages, setup

ROOTS = {
    "okg": "kg",
    "okg.ontology": "ontology",
    "okg.loaders": "loaders",
    "okg.queries": "queries",
    "okg.viz": "viz",
    "okg.data": "data",
}
# Every file of a package folder ships (Turtle, SPARQL, YAML, JSON-LD, assets...): a new kind
# of data file cannot be left out by a missing pattern. Only editors' and caches' leftovers are not.
DATA = ["*"]
LEFTOVERS = ["*.pyc", "*.pyo", "*.swp", "*~", ".DS_Store"]

packages = []
package_dir = {}
for name, folder in ROOTS.items():
    packages.append(name)
    package_dir[name] = folder
    for sub in find_namespace_packages(where=folder, exclude=["__pycache__", "*.__pycache__"]):
        packages.append(f"{name}.{sub}")

setup(
    packages=packages,
    package_dir=package_dir,
    package_data={p: DATA for p in packages},
    exclude_package_data={"": LEFTOVERS},
)
