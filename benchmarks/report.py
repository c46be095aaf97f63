"""benchmarks/RESULTS.md from the results of benchmarks/run.py (tables, targets, machine).

``python benchmarks/report.py`` rewrites RESULTS.md from results.json (and notes.md).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOTES = HERE / "notes.md"
"""Hand-written reading of the latest run (why a target is missed, what would fix it)."""
TARGETS = {  # issue 13, items 1 and 2 (the bulk load of N-Quads is held to the build goals)
    "build_s": 60,
    "build_rss_mb": 1.5 * 1024,
    "query_s": 1,
    "ratio": 20,
    "impact_warm_s": 1,
    "impact_cold_s": 10,
    "viz_s": 5,
    "analyze_s": 10,
}


def _s(x) -> str:
    if x is None:
        return "–"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def _q(m: dict | None) -> str:
    """One query's cell: its median, or the time-out it passed, or the error it raised.

    >>> _q({"median_s": 0.0123, "runs": [0.0123], "rows": 3})
    '0.012 s'
    >>> _q({"median_s": None, "runs": [], "rows": None, "timeout_s": 1})
    '> 1 s'
    >>> _q({"median_s": 0.8, "runs": [0.8], "rows": 3, "timeout_s": 1})
    '0.800 s (a later run > 1 s)'
    >>> _q({"median_s": None, "runs": [], "rows": None, "error": "ValueError: x"})
    'failed (ValueError: x)'
    """
    if not m:
        return "–"
    if m.get("median_s") is None:
        if m.get("timeout_s"):
            return f"> {m['timeout_s']:g} s"
        return f"failed ({m['error']})" if m.get("error") else "–"
    late = f" (a later run > {m['timeout_s']:g} s)" if m.get("timeout_s") else ""
    return f"{_s(m['median_s'])} s{late}"


def _mib(x) -> str:
    return "–" if x is None else f"{x:,.0f} MiB"


def _worker_failed(eng: str, e: dict) -> str:
    """The line for a worker that ended without results (its error, or that it said nothing).

    >>> _worker_failed("rdflib", {"target": 100000, "rdflib": {"error": ""}})
    'rdflib worker at 100000 ended without results or message (stopped from outside: see the notes)'
    >>> _worker_failed("rdflib", {"target": 10, "rdflib": {"error": "exit 1: MemoryError"}})
    'rdflib worker failed at 10: `exit 1: MemoryError`'
    """
    err = e[eng]["error"][-300:]
    if not err.strip():
        return (
            f"{eng} worker at {e['target']} ended without results or message "
            "(stopped from outside: see the notes)"
        )
    return f"{eng} worker failed at {e['target']}: `{err}`"


def _ratio(ox: dict | None, rd: dict | None) -> str:
    if not ox or ox.get("median_s") in (None, 0):
        return "–"
    if not rd or rd.get("median_s") is None:
        t = (rd or {}).get("timeout_s")
        return f"> {t / ox['median_s']:.0f}x" if t else "–"
    return f"{rd['median_s'] / ox['median_s']:.0f}x"


def _rb(rd: dict) -> str:
    b = rd.get("build", {})
    if b and b.get("seconds") is None:
        st = b.get("steps", {})
        return (
            f"> {_s(st.get('load', 0) + st.get('derive', 0) + rd['check_timeout_s'])} s "
            f"(checks > {rd['check_timeout_s']:g} s)"
        )
    return f"{_s(b.get('seconds'))} s" if b.get("seconds") is not None else "–"


def _cmd(m: dict | None) -> str:
    if not m:
        return "–"
    if "missing" in m:
        return "not measured (" + m["missing"] + ")"
    if m.get("seconds") is None:
        return f"> {m.get('timeout_s'):g} s" if m.get("timeout_s") else "–"
    return f"{_s(m['seconds'])} s" + ("" if m.get("ok") else f" (failed: {m.get('error', '')})")


def write_report(results: dict, path: Path) -> None:
    sizes = results["sizes"]
    m = results["machine"]
    L = [
        "# okg benchmarks",
        "",
        "Made by `benchmarks/run.py` with the committed code; do not edit the tables by hand "
        "(the notes at the end are written after reading them).",
        "",
        f"- Date: {results['date']}",
        f"- Command: `{results['command']}`",
        f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gb']} GiB RAM; {m['os']}",
        f"- Versions: Python {m['python']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, "
        f"networkx {m['networkx']}",
        f"- Data: benchmarks/generate.py, seed {results['seed']}; query medians over up to "
        f"{results['reps']} runs; per-query time-out {results['timeout_s']:g} s",
        "",
        "## Build",
        "",
        "okg: on-disk Oxigraph store through kg/bulk.py (vocabulary, bulk load of N-Quads, "
        "derive rules in the engine, SPARQL integrity checks restating the core SHACL shapes and "
        "the loader's reference checks). rdflib: the same steps on rdflib's in-memory Dataset. "
        "Peak memory is the worker process's peak RSS after the build (MiB).",
        "",
        "| data triples | sources | store quads | okg build | load / derive / check | triples/s "
        "| peak RSS | in-memory okg build | rdflib build | rdflib peak RSS | ratio | problems |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    after: list[str] = []
    for e in sizes:
        ox, rd = e.get("oxigraph", {}), e.get("rdflib", {})
        ob, rb = ox.get("build", {}), rd.get("build", {})
        st = ob.get("steps", {})
        if rb and rb.get("seconds") is None:  # a lower bound: load + derive + the time-out
            rst = rb.get("steps", {})
            low = rst.get("load", 0) + rst.get("derive", 0) + (rd.get("check_timeout_s") or 0)
            ratio = f"> {low / ob['seconds']:.0f}x"
        else:
            ratio = f"{rb['seconds'] / ob['seconds']:.1f}x" if ob and rb else "–"
        L.append(
            f"| {e['data_triples']:,} | {e['sources']:,} | {ob.get('store_quads', 0):,} "
            f"| {_s(ob.get('seconds'))} s | {_s(st.get('load'))} / {_s(st.get('derive'))} / "
            f"{_s(st.get('check'))} s | {ob.get('triples_per_s', 0):,.0f} "
            f"| {ob.get('peak_rss_mb', 0):,.0f} MiB | {_rb(e.get('oxigraph-memory', {}))} "
            f"| {_rb(rd)} "
            f"| {_mib(rb.get('peak_rss_mb'))} | {ratio} | {len(ob.get('problems', []))} |"
        )
        for eng in ("oxigraph", "oxigraph-memory", "rdflib"):
            if "error" in e.get(eng, {}):
                after.append(_worker_failed(eng, e))
            if "skipped" in e.get(eng, {}):
                after.append(f"{eng} not run at {e['data_triples']:,} triples: {e[eng]['skipped']}")
    if after:  # below the table: a line inside it would end the table
        L += ["", *(f"- {line}" for line in after)]
    L += [
        "",
        "Load average (1, 5, 15 min) of the machine when each size started (the machine is "
        "shared; other work running at the same time slows every column): "
        + "; ".join(
            f"{e['data_triples']:,}: " + ", ".join(f"{x:.1f}" for x in e["load_average_before"])
            for e in sizes
            if "load_average_before" in e
        ),
    ]
    std = [e for e in sizes if "standard_build" in e]
    if std:
        L += [
            "",
            "## The standard path: `okg build` of fact files",
            "",
            "`okg build` of the same graph written as YAML fact files (the loaders with their "
            "line-and-field checks, the compiled SHACL shapes run by Oxigraph, derive, one write "
            "to disk): wall time of the command, its CPU time and peak RSS, and the goals of "
            "issue 13 (10^5 triples < 6 s, 10^6 < 60 s, peak RSS < 1.5 GiB).",
            "",
            "| data triples | files | wall | CPU | peak RSS | load average before | goals |",
            "|---|---|---|---|---|---|---|",
        ]
        for e in std:
            b = e["standard_build"]
            goals = "; ".join(
                f"{g['goal']}: **{'met' if g['met'] else 'MISSED'}**" for g in b.get("goals", [])
            )
            cpu = f"{_s(b['cpu_s'])} s" if b.get("cpu_s") is not None else "–"
            peak = f"{b['peak_rss_mb']:,.0f} MiB" if b.get("peak_rss_mb") else "–"
            load = b.get("load_average_before") or ["–"]
            load = f"{load[0]:.1f}" if isinstance(load[0], float | int) else "–"
            L.append(
                f"| {e['data_triples']:,} | {b.get('files', '–')} | {_cmd(b)} | {cpu} | {peak} "
                f"| {load} | {goals or '–'} |"
            )
    names = sorted({q for e in sizes for q in e.get("oxigraph", {}).get("queries", {})})
    L += ["", "## Canned queries (median latency, default parameters)", ""]
    if not names:
        L.append(
            "No canned queries found (okg.queries.canned / queries/*.rq missing): not measured."
        )
    else:
        head = (
            "| query | "
            + " | ".join(f"{e['data_triples']:,}: okg / in memory / rdflib / ratio" for e in sizes)
            + " |"
        )
        L += [head, "|---|" + "---|" * len(sizes)]
        for n in names:
            cells = []
            for e in sizes:
                ox = e.get("oxigraph", {}).get("queries", {}).get(n)
                rd = e.get("rdflib", {}).get("queries", {}).get(n)
                mem = e.get("oxigraph-memory", {}).get("queries", {}).get(n)
                cells.append(f"{_q(ox)} / {_q(mem)} / {_q(rd)} / {_ratio(ox, rd)}")
            L.append(f"| {n} | " + " | ".join(cells) + " |")
    L += _servers(sizes)
    L += ["", "## Impact, analyze, viz (okg only)", ""]
    cold_cli = results.get("cli_cold_removes_cache", False)
    L += [
        "In process: `okg.analysis.impact.run_impact` (cold: projection cache removed; warm: median). "
        "CLI: `okg impact EVENT --as-of 2026-09-01`, wall time of the command "
        + (
            "(cold: the projection cache removed first; warm: with it)."
            if cold_cli
            else "(first and second run; this run did not remove the projection cache before "
            "the first, so both read the cache the in-process runs wrote)."
        ),
        "",
        "| data triples | event | cold | warm (median) | "
        + ("CLI cold | CLI warm" if cold_cli else "CLI first | CLI second")
        + " | rows "
        "| reached | projection nodes / edges |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for e in sizes:
        imp = e.get("oxigraph", {}).get("impact", {})
        if "missing" in imp:
            L.append(f"| {e['data_triples']:,} | not measured: {imp['missing']} |||||||")
            continue
        for name, r in imp.items():
            if "error" in r:
                L.append(
                    f"| {e['data_triples']:,} | {name} `{r['event']}` | failed: {r['error']} ||||||"
                )
                continue
            L.append(
                f"| {e['data_triples']:,} | {name} `{r['event']}` | {_s(r['cold_s'])} s "
                f"| {_s(r['warm_median_s'])} s | {_cmd(r.get('cli_cold'))} "
                f"| {_cmd(r.get('cli_warm'))} | {r['rows']} "
                f"| {r['reached']} | {r['projection_nodes']:,} / {r['projection_edges']:,} |"
            )
    L += [
        "",
        "## Growth: impact cost against the part of the graph the event reaches",
        "",
        "Warm propagation (projection cached) for every event and size, ordered by the nodes "
        "the event reaches (`okg.analysis.impact.result.reached_nodes`). The cost follows the reached "
        "part, not the graph: compare the time per reached node across graph sizes.",
        "",
        "| event | data triples | projection nodes | reached nodes | warm time "
        "| µs per reached node |",
        "|---|---|---|---|---|---|",
    ]
    growth = [
        (r["reached"], e["data_triples"], name, r)
        for e in sizes
        for name, r in e.get("oxigraph", {}).get("impact", {}).items()
        if isinstance(r, dict) and "cold_s" in r
    ]
    for reached, triples, name, r in sorted(growth, key=lambda g: (g[2], g[1])):
        per = 1e6 * r["warm_median_s"] / reached if reached else float("nan")
        L.append(
            f"| {name} | {triples:,} | {r['projection_nodes']:,} | {reached:,} "
            f"| {_s(r['warm_median_s'])} s | {per:,.0f} |"
        )
    L += [
        "",
        "| data triples | okg analyze | okg viz page (whole graph) "
        "| okg viz page (--event regulation) |",
        "|---|---|---|---|",
    ]
    for e in sizes:
        ox = e.get("oxigraph", {})
        L.append(
            f"| {e['data_triples']:,} | {_cmd(ox.get('analyze'))} | {_cmd(ox.get('viz'))} "
            f"| {_cmd(ox.get('viz_event'))} |"
        )
    L += ["", "## Targets (reported, not asserted)", ""]
    for e in std:
        for g in e["standard_build"].get("goals", []):
            mark = "met" if g["met"] else "MISSED"
            L.append(
                f"- standard okg build, {e['data_triples']:,} triples, {g['goal']}: **{mark}**"
            )
    if sizes:
        L += ["", f"At the largest size ({sizes[-1]['data_triples']:,} triples):", ""]
        L += _targets(sizes[-1])
    if NOTES.exists():
        L += ["", NOTES.read_text(encoding="utf-8").strip()]
    path.write_text("\n".join(L) + "\n", encoding="utf-8")


SERVERS = (("oxigraph", "Oxigraph server"), ("virtuoso", "Virtuoso"))


def _sq(m: dict | None, embedded: dict | None) -> str:
    """A server's cell: :func:`_q`, and the rows when they differ from the embedded store's.

    >>> _sq({"median_s": 0.5, "runs": [0.5], "rows": 3}, {"median_s": 0.1, "rows": 4})
    '0.500 s (3 rows, embedded 4)'
    >>> _sq({"median_s": 0.5, "runs": [0.5], "rows": 4}, {"median_s": 0.1, "rows": 4})
    '0.500 s'
    >>> _sq({"median_s": None, "runs": [], "rows": None, "error": "EndpointError: query q: "
    ...      "HTTP 500 Error: too costly. SPARQL query: SELECT ?a {?a <p>|<q> ?b}"}, None)
    'failed (500 Error: too costly.)'
    """
    if m and m.get("median_s") is None and m.get("error") and not m.get("timeout_s"):
        # the server's own words, without the query it echoes (a table cell holds no "|")
        why = m["error"].split("SPARQL query:")[0].strip()
        why = why.split(": HTTP ", 1)[-1] if ": HTTP " in why else why
        return "failed (" + why[-160:].replace("|", "\\|") + ")"
    cell = _q(m)
    if m and embedded and m.get("median_s") is not None and embedded.get("rows") is not None:
        if m.get("rows") != embedded["rows"]:
            cell += f" ({m['rows']} rows, embedded {embedded['rows']})"
    return cell


def _servers(sizes: list[dict]) -> list[str]:
    """The section "Canned queries on SPARQL servers": per size, embedded on-disk / Oxigraph
    server / Virtuoso, from each entry's ``servers`` part (benchmarks/servers.py)."""
    L = ["", "## Canned queries on SPARQL servers (median latency)", ""]
    run = [e for e in sizes if e.get("servers")]
    if not run:
        L.append(
            "The servers were not run (no `servers` part in results.json; "
            "benchmarks/servers.py times them)."
        )
        return L
    versions = sorted(
        {
            e["servers"][k]["version"]
            for e in run
            for k, _ in SERVERS
            if e["servers"].get(k, {}).get("version")
        }
    )
    s0 = run[0]["servers"]
    L += [
        "The same store's quads (vocabulary, sources, derived graphs) loaded into each server on "
        "127.0.0.1 (Oxigraph: `oxigraph load`, then `oxigraph serve --union-default-graph`; "
        "Virtuoso: a fresh database, its bulk loader `ld_dir` + `rdf_loader_run()`), every canned "
        "query with its default parameters through `okg.queries.canned.run_query` on an "
        f"`Endpoint`, median of up to {s0.get('reps', '?')} runs, client time-out "
        f"{s0.get('timeout_s', 0):g} s (the servers' own {s0.get('server_timeout_s', 0):g} s). "
        "Embedded on-disk: the okg column of the table above. Rows are shown where a server "
        "answered another number of rows than the embedded store. "
        f"Versions: {', '.join(versions) or '–'}.",
        "",
        "| data triples | quads loaded | export | Oxigraph load | Virtuoso load |",
        "|---|---|---|---|---|",
    ]
    for e in run:
        s = e["servers"]
        loads = []
        for k, _ in SERVERS:
            r = s.get(k, {})
            if "load_s" in r:
                warn = f" ({r['load_warning']})" if r.get("load_warning") else ""
                loads.append(f"{_s(r['load_s'])} s{warn}")
            elif r.get("missing"):
                loads.append(f"not run ({r['missing']})")
            else:
                loads.append(f"failed ({r.get('error') or s.get('error', '?')})")
        L.append(
            f"| {e['data_triples']:,} | {s.get('quads', 0):,} | {_s(s.get('export_s'))} s | "
            + " | ".join(loads)
            + " |"
        )
    names = sorted(
        {q for e in run for k, _ in SERVERS for q in e["servers"].get(k, {}).get("queries", {})}
    )
    head = " | ".join(
        f"{e['data_triples']:,}: embedded on-disk / " + " / ".join(label for _, label in SERVERS)
        for e in run
    )
    L += ["", f"| query | {head} |", "|---|" + "---|" * len(run)]
    for n in names:
        cells = []
        for e in run:
            emb = e.get("oxigraph", {}).get("queries", {}).get(n)
            cells.append(
                " / ".join(
                    [_q(emb)]
                    + [
                        _sq(e["servers"].get(k, {}).get("queries", {}).get(n), emb)
                        for k, _ in SERVERS
                    ]
                )
            )
        L.append(f"| {n} | " + " | ".join(cells) + " |")
    return L


def _targets(e: dict) -> list[str]:
    ox, rd = e.get("oxigraph", {}), e.get("rdflib", {})
    b = ox.get("build", {})
    out = []

    def line(ok: bool | None, text: str) -> None:
        mark = "not measured" if ok is None else ("met" if ok else "MISSED")
        out.append(f"- {text}: **{mark}**")

    if b:
        line(
            b["seconds"] < TARGETS["build_s"],
            f"okg bulk-load of N-Quads < 60 s incl. checks ({_s(b['seconds'])} s)",
        )
        line(
            b["peak_rss_mb"] < TARGETS["build_rss_mb"],
            f"okg bulk-load within 1.5 GiB ({b['peak_rss_mb']:,.0f} MiB peak RSS)",
        )
    for n, q in sorted(ox.get("queries", {}).items()):
        r = rd.get("queries", {}).get(n)
        line(
            q["median_s"] is not None and q["median_s"] < TARGETS["query_s"],
            f"query {n} < 1 s median ({_q(q)})",
        )
        if q["median_s"] is None:
            line(None, f"query {n} >= 20x faster than rdflib (okg passed the time-out)")
        elif r is not None:
            if r.get("median_s") is None:  # rdflib timed out: faster than T / okg at least
                ok = True if r.get("timeout_s", 0) / q["median_s"] >= TARGETS["ratio"] else None
            else:
                ok = r["median_s"] / q["median_s"] >= TARGETS["ratio"]
            line(
                ok,
                f"query {n} >= 20x faster than rdflib ({_ratio(q, r)}"
                + (", the time-out is too short to tell)" if ok is None else ")"),
            )
    for name, r in ox.get("impact", {}).items():
        if isinstance(r, dict) and "cold_s" in r:
            line(
                r["warm_median_s"] < TARGETS["impact_warm_s"],
                f"impact {name} warm < 1 s ({_s(r['warm_median_s'])} s)",
            )
            line(
                r["cold_s"] < TARGETS["impact_cold_s"],
                f"impact {name} cold < 10 s ({_s(r['cold_s'])} s)",
            )
    for key, what, limit in (
        ("viz", "viz page (whole graph) < 5 s", TARGETS["viz_s"]),
        ("viz_event", "viz page --event < 5 s", TARGETS["viz_s"]),
        ("analyze", "okg analyze < 10 s", TARGETS["analyze_s"]),
    ):
        m = ox.get(key) or {}
        line(None if m.get("seconds") is None else m["seconds"] < limit, f"{what} ({_cmd(m)})")
    return out


if __name__ == "__main__":
    write_report(json.loads((HERE / "results.json").read_text()), HERE / "RESULTS.md")
