"""Where the ontology, sector modules and canned queries live, in a checkout or an installed wheel."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

SECTOR_PATH_ENV = "OKG_SECTOR_PATH"


def ontology_dir() -> Path:
    """The folder holding core.ttl, reference.ttl, shapes.ttl and sectors/."""
    return Path(str(resources.files("okg.ontology")))


def queries_dir() -> Path:
    """The folder holding the canned ``*.rq`` queries."""
    return Path(str(resources.files("okg.queries")))


def sector_dirs(extra: list[Path] | None = None) -> list[Path]:
    """Folders searched for sector modules: the bundled one, then ``$OKG_SECTOR_PATH``, then *extra*."""
    dirs = [ontology_dir() / "sectors"]
    env = os.environ.get(SECTOR_PATH_ENV, "")
    dirs += [Path(p) for p in env.split(os.pathsep) if p]
    dirs += list(extra or [])
    return dirs


def data_dir() -> Path:
    """The bundled data pack (``data/`` of a checkout)."""
    return Path(str(resources.files("okg.data")))
