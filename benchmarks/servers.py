"""The canned queries on SPARQL servers, beside the embedded store's (issue 13, item 6).

Given an okg store folder (what ``benchmarks/run.py`` leaves in ``size-N/store``) or N-Quads
of generated data (then bulk-loaded, derived and checked in memory first, so that the servers
hold what an okg store holds: vocabulary, sources, derived graphs), :func:`time_servers`

1. writes the store's quads as one N-Quads file (``export_s``);
2. **Oxigraph server**: ``oxigraph load --location DIR --file X.nq`` (``load_s``), then
   ``oxigraph serve --bind 127.0.0.1:PORT --union-default-graph --timeout-s T'``;
3. **Virtuoso 7** (Debian's ``virtuoso-opensource``, when installed): a fresh database in a
   temp folder with a copy of the package's ``virtuoso.ini``, both ports on 127.0.0.1, then
   Virtuoso's bulk loader (``ld_dir`` + ``rdf_loader_run()`` + ``checkpoint`` through
   ``isql-vt``) on the N-Quads file (``load_s``);

and times every canned query with its default parameters through
``okg.queries.canned.run_query(Endpoint(...), name, {}, "en")``: the median of up to *reps*
runs, each query in a forked child killed after *timeout* seconds (benchmarks/run.py's
``time_forked``), so a time-out is recorded as ``timeout_s`` and never raises. The servers'
own time-outs are set 2 s above the client's (the client always stops first, so a time-out
is never mistaken for a server error), and after a time-out the server is given those 2 s to
drop the query before the next one is timed. Each server is stopped by its pid in a
``finally`` block (tests/servers.py, the tests' module, starts and stops both servers: config
in the temp folder, free ports). Virtuoso's defaults that would change answers are raised (``ResultSetMaxRows``
10,000 truncates silently); its ``MaxQueryCostEstimationTime`` (400 s) is kept, so a query
its planner refuses is recorded as an error.

    python benchmarks/servers.py --store /tmp/okg-bench/size-100000/store
    python benchmarks/servers.py --nquads /tmp/okg-bench/size-10000/graph-seed1.nq --reps 3
    python benchmarks/servers.py --store DIR --engines oxigraph --out servers.json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ENGINES = ("oxigraph", "virtuoso")
GRACE_S = 2  # the servers' own time-out above the client's; the wait after a time-out
LOAD_TIMEOUT_S = 3600


def _test_servers():
    """tests/servers.py (the one module that starts and stops the Oxigraph server and Virtuoso
    on 127.0.0.1), loaded by its path: the name ``servers`` is this module's too."""
    import importlib.util

    name = "okg_tests_servers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "tests" / "servers.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


_servers = _test_servers()


def _run(cmd: list[str], timeout: float = LOAD_TIMEOUT_S, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        cmd, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, **kw
    )


Q_OKG_QUADS = """SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }
    FILTER(STRSTARTS(STR(?g), "https://w3id.org/okg/")) }"""
"""The quads in okg's graphs: the same on the store and on a server that loaded all of them
(Virtuoso's bulk loader skips a line it cannot parse without an error: measured)."""


# -- the data the servers load --------------------------------------------------------------------


def store_nquads(source: Path, out: Path) -> dict:
    """*source* (an okg store folder, or N-Quads of data to bulk-load first) as one N-Quads
    file *out* holding every graph of the store; seconds and quads."""
    from okg.store import KnowledgeGraph

    t0 = time.perf_counter()
    info: dict = {"source": str(source)}
    if source.is_dir():
        kg = KnowledgeGraph.open(source, read_only=True)
    else:
        from okg.store.bulk import bulk_load

        kg = KnowledgeGraph.in_memory("oxigraph")
        report = bulk_load(kg, [source])
        if report.problems:
            raise ValueError(f"{source}: {len(report.problems)} problems in the bulk load")
        info["bulk_load_s"] = time.perf_counter() - t0
    try:
        out.write_bytes(kg.backend.dump("nquads"))  # the status graph too, as okg push sends it
        info["quads"] = kg.backend.count()
        info["okg_quads"] = int(kg.backend.select(Q_OKG_QUADS).rows[0][0].toPython())
    finally:
        kg.close()
    info["export_s"] = time.perf_counter() - t0 - info.get("bulk_load_s", 0.0)
    return info


# -- Oxigraph server --------------------------------------------------------------------------


class OxigraphServer(_servers.OxigraphServer):
    """``oxigraph load`` of *nq* into *folder*, then tests/servers.py's ``oxigraph serve`` on
    127.0.0.1 (``load_s``, ``start_s``, ``version``)."""

    stop_grace_s = 30.0

    def __init__(self, nq: Path, folder: Path, server_timeout_s: int):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        binary = _servers.oxigraph_binary()
        self.version = _run([binary, "--version"], 60).stdout.strip()
        t0 = time.perf_counter()
        done = _run([binary, "load", "--location", str(folder), "--file", str(nq)])
        if done.returncode:
            raise RuntimeError(f"oxigraph load failed: {(done.stderr or done.stdout)[-300:]}")
        self.load_s = time.perf_counter() - t0
        super().__init__(folder, timeout_s=server_timeout_s, wait_s=60)


# -- Virtuoso 7 -----------------------------------------------------------------------------------


def virtuoso_settings(server_timeout_s: int) -> dict[tuple[str, str], str]:
    """The limits of the package's ``virtuoso.ini`` that would change a benchmark, raised
    (result rows, query time, buffers), as tests/servers.py's ``settings``."""
    try:
        import psutil

        free = psutil.virtual_memory().available
    except ImportError:
        free = 4 * 2**30
    buffers = int(max(10_000, min(340_000, free / 4 / 8192)))  # 8 KiB pages, a quarter of RAM
    return {
        ("SPARQL", "ResultSetMaxRows"): "10000000",
        ("SPARQL", "MaxQueryExecutionTime"): str(server_timeout_s),
        ("Parameters", "NumberOfBuffers"): str(buffers),
        ("Parameters", "MaxDirtyBuffers"): str(buffers * 3 // 4),
    }


class VirtuosoServer(_servers.VirtuosoServer):
    """A fresh Virtuoso database in *folder* (tests/servers.py's, on 127.0.0.1, with
    :func:`virtuoso_settings`), *nq* loaded by the bulk loader (``load_s``)."""

    def __init__(self, nq: Path, folder: Path, server_timeout_s: int):
        why = _servers.virtuoso_missing()
        if why:
            raise FileNotFoundError(why)
        shutil.rmtree(folder, ignore_errors=True)
        settings = virtuoso_settings(server_timeout_s)
        super().__init__(folder, wait_s=120, settings=settings, grant_update=False)
        try:
            ver = _run(["virtuoso-t", "-?"], 60)  # "Version 7.2.5.3229-pthreads as of ..."
            found = [w for w in (ver.stdout + ver.stderr).split() if w[:1].isdigit() and "." in w]
            self.version = "Virtuoso " + (found[0].split("-")[0] if found else "7")
            data = folder / "data.nq"  # DirsAllowed holds the folder
            try:
                os.link(nq, data)
            except OSError:  # another file system
                shutil.copy(nq, data)
            t0 = time.perf_counter()
            self.isql(f"ld_dir('{folder}', 'data.nq', 'https://w3id.org/okg/graph/default');")
            self.isql("rdf_loader_run();")
            self.isql("checkpoint;")
            self.load_s = time.perf_counter() - t0
            # "LOAD" and "ERROR:" apart, so the marker is only in a row, never in the echo
            errors = self.isql(
                "SELECT concat('LOAD', 'ERROR:', ll_error) FROM DB.DBA.LOAD_LIST "
                "WHERE ll_error IS NOT NULL;"
            )
            if "LOADERROR:" in errors:
                raise RuntimeError(f"Virtuoso's bulk loader: {errors[-400:]}")
        except BaseException:
            self.stop()
            raise

    def isql(self, statement: str, timeout: float = LOAD_TIMEOUT_S) -> str:
        return super().isql(statement, timeout)


# -- timing -----------------------------------------------------------------------------------


def server_quads(query_url: str, timeout: float) -> int:
    """The quads in okg's graphs on the server (:data:`Q_OKG_QUADS`)."""
    from okg.store.remote import Endpoint

    ep = Endpoint(query_url, attempts=1, timeout=max(60.0, 4 * timeout))
    return int(ep.select(Q_OKG_QUADS, name="quad count").rows[0][0].toPython())


def time_queries(query_url: str, reps: int, timeout: float) -> dict:
    """Every canned query (default parameters) on *query_url*: benchmarks/run.py's
    ``time_forked`` result per query (median, runs, rows; ``timeout_s`` or ``error``)."""
    from okg.queries.canned import catalog, run_query
    from okg.store.remote import Endpoint

    from benchmarks.run import time_forked

    ep = Endpoint(query_url, attempts=1, timeout=timeout + 2 * GRACE_S)
    ep.check_default_graph()  # once, here: the forked children inherit the answer
    out = {}
    for name in sorted(catalog()):
        out[name] = time_forked(lambda n=name: len(run_query(ep, n, {}, "en").rows), reps, timeout)
        if out[name].get("timeout_s"):
            time.sleep(GRACE_S)  # the server stops the query by its own time-out
    return out


def time_servers(
    source: Path | str,
    work_dir: Path | str,
    reps: int = 5,
    timeout: float = 30.0,
    engines: tuple[str, ...] = ENGINES,
) -> dict:
    """Load *source* (an okg store folder or data N-Quads) into each server of *engines* in
    turn and time every canned query there; never raises for a server or a query (a failure is
    recorded as ``error``, a server not installed as ``missing``). Work files go to *work_dir*
    (its ``servers-data.nq`` and one folder per engine, removed at the end)."""
    source, work = Path(source), Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    nq = work / "servers-data.nq"
    server_timeout = math.ceil(timeout) + GRACE_S
    result: dict = {"reps": reps, "timeout_s": timeout, "server_timeout_s": server_timeout}
    try:
        result |= store_nquads(source, nq)
    except Exception as exc:  # noqa: BLE001 - reported in the results
        result["error"] = f"{type(exc).__name__}: {exc}"[:300]
        return result
    kinds = {"oxigraph": OxigraphServer, "virtuoso": VirtuosoServer}
    for engine in engines:
        folder = work / f"server-{engine}"
        server = None
        res: dict = {}
        try:
            server = kinds[engine](nq, folder, server_timeout)
            res = {"version": server.version, "load_s": server.load_s, "start_s": server.start_s}
            res["okg_quads"] = server_quads(server.query_url, timeout)
            if res["okg_quads"] != result["okg_quads"]:
                res["load_warning"] = (
                    f"{res['okg_quads']:,} of the store's {result['okg_quads']:,} quads loaded"
                )
            res["queries"] = time_queries(server.query_url, reps, timeout)
        except FileNotFoundError as exc:
            res["missing"] = str(exc)
        except Exception as exc:  # noqa: BLE001 - reported in the results
            res["error"] = f"{type(exc).__name__}: {exc}"[:300]
        finally:
            if server is not None:
                server.stop()
            shutil.rmtree(folder, ignore_errors=True)
        result[engine] = res
    nq.unlink(missing_ok=True)
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="okg's canned queries on SPARQL servers")
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--store", type=Path, help="an okg store folder")
    src.add_argument("--nquads", type=Path, help="N-Quads of data (bulk-loaded in memory first)")
    ap.add_argument("--work-dir", type=Path, default=Path("/tmp/okg-bench-servers"))
    ap.add_argument("--reps", type=int, default=5, help="runs per query (median)")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-query time-out, seconds")
    ap.add_argument("--engines", nargs="+", choices=ENGINES, default=list(ENGINES))
    ap.add_argument("--out", type=Path, help="write the results as JSON here (else stdout)")
    args = ap.parse_args(argv)
    res = time_servers(
        args.store or args.nquads, args.work_dir, args.reps, args.timeout, tuple(args.engines)
    )
    text = json.dumps(res, indent=1, default=str)
    if args.out:
        args.out.write_text(text + "\n")
    else:
        print(text)
    for engine in args.engines:
        r = res.get(engine, {})
        line = f"{engine}: {r.get('version', '')} load {r.get('load_s', 0):.1f} s"
        if "queries" not in r:
            line += f" {r.get('missing') or r.get('error') or res.get('error')}"
        print(line, file=sys.stderr)
        for name, m in r.get("queries", {}).items():
            fig = f"{m['median_s']:.3f} s" if m["median_s"] is not None else ""
            fig = fig or (f"> {m['timeout_s']:g} s" if m.get("timeout_s") else m.get("error"))
            print(f"  {name}: {fig} ({m['rows']} rows)", file=sys.stderr)


if __name__ == "__main__":
    main()
