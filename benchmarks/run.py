"""Benchmarks of okg at 10^4, 10^5 and 10^6 triples (10^7 with --huge), against plain rdflib.

For each size, in one run: the synthetic graph is generated (benchmarks/generate.py, cached in
the work folder), then two worker processes measure, so that sizes and engines do not pollute
each other's memory:

* ``oxigraph``: the build into an on-disk store through the fast path (kg/bulk.py: bulk load,
  native derive, SPARQL integrity checks), triples/s, peak RSS; each canned query's median
  latency (queries/*.rq through okg.queries.canned, default parameters); ``okg impact`` for a regulation
  event and a contract termination, cold (no cached projection) and warm; ``okg analyze`` and
  ``okg viz`` when those commands exist.
* ``oxigraph-memory``: the same build and queries on an in-memory Oxigraph store, to show
  what the disk costs.
* ``rdflib``: the same build (parse, derive, checks) and the same queries on rdflib's in-memory
  store, each query in a forked child killed after the time-out (shown as "> T s").

Up to ``--standard-max`` (default 10^6) the standard path is timed too: ``okg build`` of the
same graph written as YAML fact files (loader, shapes compiled to SPARQL, derive), as a user runs
it, with its wall time, CPU time and peak RSS, and the load-path goals (10^5 triples < 6 s, 10^6 <
60 s, peak < 1.5 GiB) recorded as met or missed. Results go to benchmarks/results.json and
benchmarks/RESULTS.md.

    python benchmarks/run.py                      # 10^4, 10^5, 10^6
    python benchmarks/run.py --sizes 10000 --reps 2 --out-dir /tmp/b   # the smoke test
    python benchmarks/run.py --only build --sizes 10000 100000   # just okg build, to stdout
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import select
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from benchmarks.generate import generate, write_nquads, write_yaml  # noqa: E402

OKG = [sys.executable, "-m", "okg.cli"]
REGULATION_EVENT = "synthetic-regulations/fr-telemarketing-ban-enacted"
AS_OF = "2026-09-01"  # after the French ban takes effect
# The on-disk store okg uses, the same engine in memory (build and queries only), the baseline.
ENGINES = ("oxigraph", "oxigraph-memory", "rdflib")
WORKER_TIMEOUT = 3600


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux: ru_maxrss is in KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- worker side -----------------------------------------------------------------------------------


def canned_queries() -> dict:
    """name -> (sparql, params) for every canned query, with its default parameters."""
    try:
        from okg.queries.canned import catalog
    except ImportError:
        return {}
    return {name: (q.text, q.terms({})) for name, q in catalog().items()}


def _median(xs: list[float]) -> float:
    return statistics.median(xs)


def time_in_process(fn, reps: int, budget: float) -> dict:
    """Run *fn* up to *reps* times (fewer once *budget* seconds are spent); median seconds."""
    runs: list[float] = []
    rows = None
    while len(runs) < reps:
        t0 = time.perf_counter()
        rows = fn()
        runs.append(time.perf_counter() - t0)
        if sum(runs) > budget:
            break
    return {"median_s": _median(runs), "runs": runs, "rows": rows}


def time_forked(fn, reps: int, timeout: float) -> dict:
    """Like time_in_process, in a forked child killed after *timeout* s of one run.

    The result is :func:`timing_result`'s: a run killed at the time-out is recorded as
    ``timeout_s``, never as a time, so a loaded machine changes the figures, not their shape.
    """
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: report each run's seconds, one line each
        os.close(r)
        try:
            spent = 0.0
            for _ in range(reps):
                t0 = time.perf_counter()
                n = fn()
                d = time.perf_counter() - t0
                os.write(w, f"{d} {n}\n".encode())
                spent += d
                if spent > timeout:
                    break
        except BaseException as exc:  # noqa: BLE001 - sent to the parent, reported in results
            msg = f"{type(exc).__name__}: {exc}".replace("\n", " ")[:300]
            os.write(w, f"error {msg}\n".encode())
        finally:
            os._exit(0)
    os.close(w)
    runs: list[float] = []
    rows = None
    error = None
    buf = b""
    deadline = time.monotonic() + timeout
    timed_out = False
    with os.fdopen(r, "rb", buffering=0) as fh:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([fh], [], [], left)
            if not ready:
                timed_out = True
                break
            chunk = fh.read(4096)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                if line.startswith(b"error "):
                    error = line[6:].decode(errors="replace")
                    continue
                d, n = line.split()
                runs.append(float(d))
                rows = int(n)
                deadline = time.monotonic() + timeout
    if timed_out:
        os.kill(pid, 9)
    os.waitpid(pid, 0)
    return timing_result(runs, rows, timeout if timed_out else None, error)


def timing_result(
    runs: list[float], rows, timeout: float | None = None, error: str | None = None
) -> dict:
    """One measurement: the median of the completed runs, or None when no run completed.

    A run stopped at the time-out is recorded as ``timeout_s`` (the limit it passed), an
    exception in the measured code as ``error``; neither is ever dropped or turned into a time:

    >>> timing_result([0.2, 0.1, 0.3], 4)
    {'median_s': 0.2, 'runs': [0.2, 0.1, 0.3], 'rows': 4}
    >>> timing_result([], None, timeout=1.0)
    {'median_s': None, 'runs': [], 'rows': None, 'timeout_s': 1.0}
    >>> timing_result([0.5], 2, timeout=1.0)["median_s"]
    0.5
    """
    out: dict = {"median_s": _median(runs) if runs else None, "runs": runs, "rows": rows}
    if timeout is not None:
        out["timeout_s"] = timeout
    if error is not None:
        out["error"] = error
    return out


def okg_commands() -> set[str]:
    from okg.cli import app

    return {c.name or c.callback.__name__ for c in app.registered_commands}


def run_cli(args: list[str], timeout: float) -> dict:
    t0 = time.perf_counter()
    try:
        p = subprocess.run(OKG + args, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"seconds": None, "timeout_s": timeout, "ok": False}
    out = {"seconds": time.perf_counter() - t0, "ok": p.returncode == 0}
    if p.returncode:
        out["error"] = (p.stderr.strip().splitlines() or ["?"])[-1][:300]
    return out


def impact_measures(kg, store: Path, reps: int, budget: float) -> dict:
    """run_impact in this process, cold (projection rebuilt) and warm (cached), per event."""
    try:
        from okg.analysis import projection
        from okg.analysis.impact import run_impact
    except ImportError as exc:
        return {"missing": f"okg.analysis.impact not importable: {exc}"}
    events = {"regulation": REGULATION_EVENT}
    # The termination of a contract of the provider with the most contracts.
    rows = kg.query("""SELECT ?e WHERE { ?e a okg:ContractTerminated ; okg:terminates ?k .
        ?k okg:provider ?p . ?p okg:providerOf ?other } GROUP BY ?e
        ORDER BY DESC(COUNT(DISTINCT ?other)) ?e LIMIT 1""").rows
    if rows:
        events["termination"] = str(rows[0][0]).split("/id/", 1)[1]
    out: dict = {}
    for name, event in events.items():
        cache = store / projection.CACHE_FILE
        getattr(projection, "_MEMORY", {}).clear()
        if cache.exists():
            cache.unlink()
        t0 = time.perf_counter()
        try:
            res = run_impact(kg, event, as_of=AS_OF)
        except Exception as exc:  # noqa: BLE001 - reported in the results, not hidden
            out[name] = {"event": event, "error": f"{type(exc).__name__}: {exc}"[:300]}
            continue
        cold = time.perf_counter() - t0
        warm = time_in_process(lambda ev=event: run_impact(kg, ev, as_of=AS_OF), reps, budget)
        G = projection.cached_projection(kg)
        out[name] = {
            "event": event,
            "cold_s": cold,
            "warm_median_s": warm["median_s"],
            "rows": len(getattr(res, "rows", []) or []),
            "reached": _reached(res),
            "projection_nodes": G.number_of_nodes(),
            "projection_edges": G.number_of_edges(),
        }
    return out


def cli_measures(out: dict, store: Path) -> None:
    """The commands as users run them (own process, store opened by the command)."""
    commands = okg_commands()
    for r in out.get("impact", {}).values():
        if isinstance(r, dict) and "cold_s" in r:
            cmd = ["impact", r["event"], "--as-of", AS_OF, "--store", str(store)]
            from okg.analysis.projection import CACHE_FILE

            cache = store / CACHE_FILE  # the 2026-12-02 run removed an old file name here, so
            if cache.exists():  # its "CLI cold" read the cache the in-process runs had written
                cache.unlink()
            r["cli_cold"] = run_cli(cmd, 600)
            r["cli_warm"] = run_cli(cmd, 600)
    out["analyze"] = (
        run_cli(["analyze", "--store", str(store)], 600)
        if "analyze" in commands
        else {"missing": "no okg analyze command yet"}
    )
    if "viz" not in commands:
        out["viz"] = {"missing": "no okg viz command yet"}
        return
    page = store.parent / "viz.html"
    out["viz"] = run_cli(["viz", "--store", str(store), "--out", str(page)], 600)
    reg = out.get("impact", {}).get("regulation", {})
    if "event" in reg:
        out["viz_event"] = run_cli(
            [
                "viz",
                "--store",
                str(store),
                "--out",
                str(page),
                "--event",
                reg["event"],
                "--as-of",
                AS_OF,
            ],
            600,
        )


def _reached(res) -> int:
    """Nodes the event reached (okg.analysis.impact.result.reached_nodes)."""
    from okg.analysis.impact.result import reached_nodes

    return len(reached_nodes(res))


def worker(args: argparse.Namespace) -> dict:
    from okg.store import KnowledgeGraph
    from okg.store.bulk import bulk_load, integrity_problems

    out: dict = {"engine": args.engine}
    if args.engine == "oxigraph":
        shutil.rmtree(args.store, ignore_errors=True)
        kg = KnowledgeGraph.open(args.store)
    elif args.engine == "oxigraph-memory":
        kg = KnowledgeGraph.in_memory("oxigraph")
    else:
        kg = KnowledgeGraph.in_memory("rdflib")
    t0 = time.perf_counter()
    # rdflib's checks can take many minutes at 10^6: they run in a child killed at the time-out.
    report = bulk_load(kg, [args.nq], check=args.engine != "rdflib")
    build = time.perf_counter() - t0
    if args.engine == "rdflib":
        checks = time_forked(lambda: len(integrity_problems(kg)), 1, args.timeout)
        report.seconds["check"] = checks["median_s"]
        build = None if checks["median_s"] is None else build + checks["median_s"]
        out["check_timeout_s"] = None if build is not None else args.timeout
    out["build"] = {
        "seconds": build,
        "steps": report.seconds,
        "quads": report.quads,
        "triples_per_s": report.quads / build if build else None,
        "peak_rss_mb": peak_rss_mb(),
        "store_quads": kg.backend.count(),
        "problems": [p.__dict__ for p in report.problems],
    }
    queries = {}
    for name, (sparql, params) in canned_queries().items():

        def fn(s=sparql, p=params):
            return len(kg.query(s, p).rows)

        queries[name] = time_forked(fn, args.reps, args.timeout)
    out["queries"] = queries
    if args.engine == "oxigraph":
        out["impact"] = impact_measures(kg, args.store, args.reps, args.timeout)
        kg.close()  # release the store for the commands
        cli_measures(out, args.store)
    out["peak_rss_mb"] = peak_rss_mb()
    return out


# -- orchestration -------------------------------------------------------------------------------


def machine() -> dict:
    import psutil
    import pyoxigraph
    import rdflib

    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import networkx

        nx_version = networkx.__version__
    except ImportError:
        nx_version = None
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "python": platform.python_version(),
        "pyoxigraph": pyoxigraph.__version__,
        "rdflib": rdflib.__version__,
        "networkx": nx_version,
        "os": platform.platform(),
    }


def spawn_worker(
    engine: str, nq: Path, store: Path, reps: int, timeout: float, limit: float = 0
) -> dict:
    limit = limit or WORKER_TIMEOUT
    out = store.parent / f"{store.name}-{engine}.json"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        engine,
        "--nq",
        str(nq),
        "--store",
        str(store),
        "--reps",
        str(reps),
        "--timeout",
        str(timeout),
        "--worker-out",
        str(out),
    ]
    t0 = time.perf_counter()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=limit)
    except subprocess.TimeoutExpired:
        return {"engine": engine, "error": f"worker killed after {limit:g} s"}
    if p.returncode:  # a negative code is the signal that stopped it
        return {"engine": engine, "error": f"exit {p.returncode}: {p.stderr.strip()[-2000:]}"}
    res = json.loads(out.read_text())
    res["wall_s"] = time.perf_counter() - t0
    return res


# The goals of the standard load path (issue 13, item 1), on the benchmark machine.
BUILD_GOALS = ((100_000, 6.0), (1_000_000, 60.0))
BUILD_PEAK_GOAL_MB = 1.5 * 1024


def run_measured(args: list[str], timeout: float) -> dict:
    """Run ``okg ARGS`` as a child: wall seconds, CPU seconds (user + system) and peak RSS of
    that child alone (``os.wait4``), or the time-out it passed (then killed, no figures)."""
    import tempfile

    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(OKG + args, stdout=out, stderr=err, cwd=ROOT)
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                return {"seconds": None, "timeout_s": timeout, "ok": False}
            time.sleep(0.05)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        res = {
            "seconds": wall,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "peak_rss_mb": usage.ru_maxrss / 1024,
            "ok": proc.returncode == 0,
        }
        if proc.returncode:
            err.seek(0)
            lines = err.read().decode("utf-8", "replace").strip().splitlines() or ["?"]
            res["error"] = lines[-1][:300]
    return res


def build_goals(triples: int, m: dict) -> list[dict]:
    """The load-path goals that apply at *triples* (the nearest size class), met or missed.

    >>> build_goals(100_032, {"seconds": 5.0, "peak_rss_mb": 400, "ok": True})
    [{'goal': '10^5 triples in < 6 s', 'met': True}, {'goal': 'peak RSS < 1.5 GiB', 'met': True}]
    >>> [g["met"] for g in build_goals(1_000_004, {"seconds": None, "timeout_s": 1800})]
    [False, False]
    """
    out = []
    for size, limit in BUILD_GOALS:
        if size / 2 <= triples < size * 5:
            done = m.get("ok") and m.get("seconds") is not None
            exp = len(str(size)) - 1
            goal = f"10^{exp} triples in < {limit:g} s"
            out.append({"goal": goal, "met": bool(done and m["seconds"] < limit)})
    peak = m.get("peak_rss_mb")
    out.append(
        {"goal": "peak RSS < 1.5 GiB", "met": peak is not None and peak < BUILD_PEAK_GOAL_MB}
    )
    return out


def standard_build(docs, folder: Path, timeout: float = 1800) -> dict:
    """``okg build`` of the YAML fact files (loader, compiled shapes, derive) into a new
    on-disk store: wall, CPU, peak RSS, and the goals met or missed."""
    yaml_dir = folder / "yaml"
    shutil.rmtree(yaml_dir, ignore_errors=True)
    write_yaml(docs, yaml_dir)
    store = folder / "standard-store"
    shutil.rmtree(store, ignore_errors=True)
    res = run_measured(["build", str(yaml_dir), "--store", str(store)], timeout)
    res["files"] = len(docs)
    res["triples"] = sum(d.triples for d in docs)
    res["load_average_before"] = os.getloadavg()
    res["goals"] = build_goals(res["triples"], res)
    shutil.rmtree(store, ignore_errors=True)
    return res


def run_build_only(args: argparse.Namespace) -> dict:
    """``--only build``: the standard ``okg build`` at each size, printed and written to
    OUT_DIR/standard-build.json (RESULTS.md is left alone)."""
    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    results = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        "machine": machine(),
        "seed": args.seed,
        "sizes": [],
    }
    for size in args.sizes:
        folder = work / f"size-{size}"
        folder.mkdir(exist_ok=True)
        docs = generate(size, args.seed)
        res = standard_build(docs, folder, args.build_timeout)
        del docs
        results["sizes"].append({"target": size, "standard_build": res})
        goals = "; ".join(f"{g['goal']}: {'met' if g['met'] else 'missed'}" for g in res["goals"])
        wall = f"{res['seconds']:.1f} s" if res.get("seconds") else f"> {res['timeout_s']:g} s"
        cpu = f"{res['cpu_s']:.1f} s CPU" if "cpu_s" in res else "no CPU figure"
        peak = f"{res['peak_rss_mb']:.0f} MiB peak" if "peak_rss_mb" in res else ""
        fail = "" if res.get("ok") else f" FAILED: {res.get('error', 'timed out')}"
        print(
            f"{res['triples']:,} triples, {res['files']} files: {wall}, {cpu}, {peak}; "
            f"load {res['load_average_before'][0]:.1f}; {goals}{fail}",
            flush=True,
        )
    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "standard-build.json").write_text(json.dumps(results, indent=1, default=str))
    return results


def run(args: argparse.Namespace) -> dict:
    work = args.work_dir
    work.mkdir(parents=True, exist_ok=True)
    results = {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "command": " ".join(["python", "benchmarks/run.py", *sys.argv[1:]]),
        "machine": machine(),
        "seed": args.seed,
        "reps": args.reps,
        "timeout_s": args.timeout,
        "cli_cold_removes_cache": True,  # the JSON projection cache (earlier runs: not removed)
        "sizes": [],
    }
    for size in args.sizes:
        print(f"== {size} triples", file=sys.stderr, flush=True)
        folder = work / f"size-{size}"
        folder.mkdir(exist_ok=True)
        nq = folder / f"graph-seed{args.seed}.nq"
        t0 = time.perf_counter()
        docs = generate(size, args.seed)
        if not nq.exists():
            write_nquads(docs, nq)
        entry = {
            "target": size,
            "data_triples": sum(d.triples for d in docs),
            "sources": len(docs),
            "generate_s": time.perf_counter() - t0,
        }
        if size <= args.standard_max:
            entry["standard_build"] = standard_build(docs, folder, args.build_timeout)
        del docs
        entry["load_average_before"] = os.getloadavg()
        for engine in ENGINES:
            if engine == "rdflib" and size > args.baseline_max:
                entry[engine] = {"skipped": f"rdflib baseline run up to {args.baseline_max:,}"}
                continue
            print(f"   {engine}", file=sys.stderr, flush=True)
            limit = args.baseline_timeout if engine == "rdflib" else WORKER_TIMEOUT
            entry[engine] = spawn_worker(
                engine, nq, folder / "store", args.reps, args.timeout, limit
            )
        if args.servers:
            from benchmarks.servers import time_servers

            print("   servers", file=sys.stderr, flush=True)
            entry["servers"] = time_servers(
                folder / "store", folder / "servers", args.reps, args.timeout, tuple(args.servers)
            )
        results["sizes"].append(entry)
        args.out_dir.mkdir(parents=True, exist_ok=True)
        (args.out_dir / "results.json").write_text(json.dumps(results, indent=1, default=str))
    from benchmarks.report import write_report

    write_report(results, args.out_dir / "RESULTS.md")
    return results


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="okg benchmarks against plain rdflib")
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--huge", action="store_true", help="add 10^7 triples")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=5, help="runs per query (median)")
    ap.add_argument("--timeout", type=float, default=30.0, help="per-query time-out, seconds")
    ap.add_argument(
        "--standard-max",
        type=int,
        default=1_000_000,
        help="also time okg build of YAML fact files up to this size",
    )
    ap.add_argument(
        "--only",
        choices=["build"],
        help="run one part only: build = the standard okg build of fact files (no workers, "
        "RESULTS.md left alone; writes OUT_DIR/standard-build.json)",
    )
    ap.add_argument(
        "--build-timeout", type=float, default=1800.0, help="time-out of one okg build, seconds"
    )
    ap.add_argument(
        "--baseline-max",
        type=int,
        default=10**12,
        help="run the rdflib baseline only up to this size (it takes > 13 min at 10^6)",
    )
    ap.add_argument(
        "--baseline-timeout",
        type=float,
        default=900.0,
        help="stop the rdflib baseline's worker after this many seconds (its derive rules took "
        "87 s at 10^4 and over 19 min at 10^5 on 2026-12-02)",
    )
    ap.add_argument(
        "--servers",
        nargs="*",
        choices=["oxigraph", "virtuoso"],
        default=["oxigraph", "virtuoso"],
        help="SPARQL servers to time beside the embedded store (none: skip)",
    )
    ap.add_argument("--work-dir", type=Path, default=Path("/tmp/okg-bench"))
    ap.add_argument("--out-dir", type=Path, default=HERE)
    ap.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    ap.add_argument("--nq", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--worker-out", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        args.engine = args.worker
        Path(args.worker_out).write_text(json.dumps(worker(args), default=str))
        return
    if args.huge:
        args.sizes = [*args.sizes, 10_000_000]
    if args.only == "build":
        run_build_only(args)
        return
    run(args)


if __name__ == "__main__":
    main()
