"""SHACL in the engine: pyshacl against the shapes compiled to SPARQL, on generated graphs.

For each size, benchmarks/generate.py writes a seeded graph as N-Quads; both checkers then read
the same data merged with the ontology (as ``okg build`` checks a load):

- ``pyshacl``: ``okg.store.shacl.validate`` (what ``okg build`` runs by default);
- ``engine``: ``okg.store.shapes_sparql.validate`` (the same data loaded into an in-memory
  Oxigraph store, then every compiled check; what ``okg build --shapes engine`` runs);
- ``in-store``: the compiled checks alone over a store that already holds the data (what
  ``okg bulk-load`` runs after its load and derive), on an in-memory Oxigraph store.

Both must report the same number of violations (0 on generated data, then the same count on a
copy with every tenth contract's client removed). Times are wall-clock seconds of one run each,
with the load average: the machine is shared.

    python benchmarks/shapes.py --sizes 10000 100000 [--out benchmarks/shapes.json]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def run(size: int, seed: int = 7) -> dict:
    import pyoxigraph as ox
    from okg.loaders import load_vocabulary
    from okg.store import KnowledgeGraph
    from okg.store.bulk import derive_native, integrity_checks
    from okg.store.shacl import validate as pyshacl_validate
    from okg.store.shapes_sparql import run_checks
    from okg.store.shapes_sparql import validate as engine_validate
    from okg.terms.namespaces import OKG
    from rdflib import Dataset, Graph

    from benchmarks.generate import generate, write_nquads

    voc = load_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        nq = Path(tmp) / "g.nq"
        quads = write_nquads(generate(size, seed=seed, voc=voc), nq, voc)
        ds = Dataset()
        ds.parse(nq, format="nquads")
        data = Graph()
        for g in ds.graphs():
            data += g
        broken = Graph()
        broken += data
        contracts = sorted(broken.subjects(OKG.client, None))[::10]
        for k in contracts:
            broken.remove((k, OKG.client, None))
        out: dict = {"size": size, "quads": quads, "load_avg": os.getloadavg()}
        for name, graph in (("good", data), ("broken", broken)):
            row = {}
            for checker, fn in (("pyshacl", pyshacl_validate), ("engine", engine_validate)):
                t0 = time.perf_counter()
                found = fn(graph, voc)
                row[checker] = {"seconds": time.perf_counter() - t0, "violations": len(found)}
            out[name] = row
        kg = KnowledgeGraph.in_memory()
        kg.install_vocabulary()
        kg.backend.store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
        derive_native(kg)
        checks = integrity_checks(voc)
        t0 = time.perf_counter()
        found = run_checks(lambda q: kg.query(q).rows, checks)
        out["in_store"] = {
            "seconds": time.perf_counter() - t0,
            "checks": len(checks),
            "violations": len(found),
        }
        out["load_avg_after"] = os.getloadavg()
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args(argv)
    results = []
    for size in args.sizes:
        r = run(size, args.seed)
        results.append(r)
        print(json.dumps(r), flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
