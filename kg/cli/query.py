"""``okg query`` (canned or own SPARQL, on the store or an endpoint) and ``okg push``."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from decimal import Decimal
from typing import Annotated

import typer
from okg.cli.common import LangOption, StoreOption, console, fail, open_store
from okg.queries.canned import CannedQuery, QueryError, catalog, resolve, run_query
from okg.store.remote import Endpoint, EndpointError, push
from okg.store.sparql import Rows, to_python
from rich.table import Table

FORMATS = ("table", "csv", "json", "md")

EndpointOption = Annotated[
    str | None,
    typer.Option(
        "--endpoint",
        help="SPARQL query URL of a server (basic auth from $OKG_ENDPOINT_USER and "
        "$OKG_ENDPOINT_PASSWORD).",
        show_default=False,
    ),
]
UpdateOption = Annotated[
    str | None,
    typer.Option("--update-endpoint", help="SPARQL Update URL of the server.", show_default=False),
]
TimeoutOption = Annotated[float, typer.Option("--timeout", help="Seconds per HTTP request.")]
RetriesOption = Annotated[int, typer.Option("--retries", help="Tries of a read before giving up.")]


def cell(v) -> str:
    """A result value as text: numbers without trailing zeros, dates ISO, None empty."""
    py = to_python(v)
    if py is None:
        return ""
    if isinstance(py, bool):
        return "true" if py else "false"
    if isinstance(py, Decimal):
        return format(py.normalize(), "f") if py == py.to_integral() else format(py, "f")
    if isinstance(py, float) and py.is_integer():
        return str(int(py))
    return str(py)


def _json_value(v):
    py = to_python(v)
    if isinstance(py, Decimal):
        return int(py) if py == py.to_integral() else float(py)
    if isinstance(py, date):
        return py.isoformat()
    return py


def render(rows: Rows, fmt: str) -> str:
    """The rows as csv, json or a Markdown table (UTF-8 text, Arabic kept as is)."""
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(rows.columns)
        w.writerows([cell(v) for v in r] for r in rows.rows)
        return buf.getvalue()
    if fmt == "json":
        data = [
            {c: _json_value(v) for c, v in zip(rows.columns, r, strict=True)} for r in rows.rows
        ]
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    if fmt == "md":

        def esc(s: str) -> str:
            return s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        out = ["| " + " | ".join(rows.columns) + " |", "|" + "---|" * len(rows.columns)]
        out += ["| " + " | ".join(esc(cell(v)) for v in r) + " |" for r in rows.rows]
        return "\n".join(out) + "\n"
    raise ValueError(fmt)


def _table(rows: Rows, title: str) -> Table:
    t = Table(title=title, show_lines=False)
    for c in rows.columns:
        t.add_column(c, overflow="fold")
    for r in rows.rows:
        t.add_row(*(cell(v) for v in r))
    return t


def parse_params(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--param must be KEY=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


def _utf8_stdout() -> None:
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    if enc != "utf8" and hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")


def _list(queries: dict[str, CannedQuery]) -> None:
    t = Table(title="Canned queries (okg query NAME --param KEY=VALUE)")
    for c in ("name", "title", "parameters"):
        t.add_column(c, overflow="fold")
    for q in queries.values():
        params = ", ".join(
            f"{p.name}:{p.type}={p.default if p.default is not None else '-'}" for p in q.params
        )
        t.add_row(q.name, q.title, params)
    console.print(t)


def register(app: typer.Typer) -> None:
    @app.command()
    def query(
        name: Annotated[
            str | None,
            typer.Argument(help="A canned query name (see --list) or a .rq file of your own."),
        ] = None,
        param: Annotated[
            list[str] | None,
            typer.Option("--param", "-p", help="KEY=VALUE, typed by the query header; repeatable."),
        ] = None,
        format: Annotated[str, typer.Option("--format", help="table, csv, json or md.")] = "table",
        lang: LangOption = "en",
        list_: Annotated[bool, typer.Option("--list", help="List the canned queries.")] = False,
        store: StoreOption = None,
        endpoint: EndpointOption = None,
        update_endpoint: UpdateOption = None,
        timeout: TimeoutOption = 30.0,
        retries: RetriesOption = 3,
    ) -> None:
        """Run a canned query, or your own .rq file, on the store or on a SPARQL endpoint."""
        _utf8_stdout()
        if list_:
            _list(catalog())
            return
        if not name:
            fail("give a query name or a .rq file (okg query --list shows the canned ones)")
        if format not in FORMATS:
            fail(f"unknown format '{format}'; expected one of {', '.join(FORMATS)}")
        try:
            q = resolve(name)
            params = parse_params(param or [])
            q.terms(params, lang)
            if endpoint:
                target = Endpoint(
                    endpoint, update_url=update_endpoint, timeout=timeout, attempts=retries
                )
            else:
                target = open_store(store)
            rows = run_query(target, q, params, lang)
        except (QueryError, EndpointError) as exc:
            fail(str(exc))
            return
        except Exception as exc:  # noqa: BLE001 - the engine refused the query: one line, no traceback
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            fail(f"query '{name}': {first}")
            return
        if format == "table":
            console.print(_table(rows, q.title))
            console.print(f"{len(rows)} row(s)", markup=False, highlight=False)
        else:
            sys.stdout.buffer.write(render(rows, format).encode("utf-8"))
            sys.stdout.flush()

    @app.command(name="push")
    def push_cmd(
        endpoint: Annotated[
            str,
            typer.Option(
                "--endpoint", help="SPARQL query URL of the server (used to list its graphs)."
            ),
        ],
        update_endpoint: UpdateOption = None,
        gsp: Annotated[
            str | None,
            typer.Option(
                "--gsp",
                help="Graph Store Protocol URL (e.g. http://host:7878/store).",
                show_default=False,
            ),
        ] = None,
        store: StoreOption = None,
        timeout: TimeoutOption = 120.0,
        retries: RetriesOption = 3,
    ) -> None:
        """Upload the store's okg named graphs to a server, replacing only those graphs."""
        if not update_endpoint and not gsp:
            fail("give --update-endpoint URL (SPARQL Update) or --gsp URL (Graph Store Protocol)")
        kg = open_store(store)
        ep = Endpoint(
            endpoint, update_url=update_endpoint, gsp_url=gsp, timeout=timeout, attempts=retries
        )
        try:
            counts = push(kg.dataset(), ep)
        except EndpointError as exc:
            fail(str(exc))
            return
        for g, n in counts.items():
            console.print(f"pushed {g}: {n} triples", markup=False, highlight=False)
        console.print(f"{len(counts)} graph(s) pushed to {endpoint}", markup=False, highlight=False)
