"""``okg query`` (canned or own SPARQL, on the store or an endpoint) and ``okg push``."""

from __future__ import annotations

from typing import Annotated

import typer
from okg.cli.common import (
    FormatOption,
    IncludeIllustrativeOption,
    LangOption,
    StoreOption,
    console,
    fail,
    open_store,
    say,
    utf8_stdout,
    write,
)

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


def parse_params(items: list[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            fail(f"--param must be KEY=VALUE, got {item!r}")
        out[key.strip()] = value
    return out


def register(app: typer.Typer) -> None:
    @app.command()
    def query(
        name: Annotated[
            str | None,
            typer.Argument(help="A canned query name (see --list) or a .rq file of your own."),
        ] = None,
        param: Annotated[
            list[str] | None,
            typer.Option(
                "--param",
                "-p",
                metavar="KEY=VALUE",
                help="A parameter, typed by the query header; repeatable.",
            ),
        ] = None,
        format: FormatOption = "table",
        lang: LangOption = "en",
        list_: Annotated[bool, typer.Option("--list", help="List the canned queries.")] = False,
        store: StoreOption = None,
        endpoint: EndpointOption = None,
        update_endpoint: UpdateOption = None,
        timeout: Annotated[
            float | None,
            typer.Option(
                "--timeout",
                help="Seconds per HTTP request (default 30); on the embedded store, the most "
                "to wait for the answer (default: no limit).",
                show_default=False,
            ),
        ] = None,
        retries: RetriesOption = 3,
        include_illustrative: IncludeIllustrativeOption = False,
    ) -> None:
        """Run a canned query, or your own .rq file, on the store or on a SPARQL endpoint."""
        from okg.queries.canned import QueryError, catalog, resolve

        utf8_stdout()
        if list_:
            from okg.render.rows import catalog_table, render_catalog
            from okg.render.tables import print_tables

            if format == "table":
                print_tables([catalog_table(catalog(), lang)], console)
            else:
                write(render_catalog(catalog(), format))
            return
        if not name:
            fail("give a query name or a .rq file (okg query --list shows the canned ones)")
        from okg.queries.canned import run_query
        from okg.render.rows import print_rows, render

        errors: tuple[type[Exception], ...] = (QueryError,)
        try:
            q = resolve(name)
            params = parse_params(param or [])
            if include_illustrative and q.param("include_illustrative") is not None:
                params.setdefault("include_illustrative", "true")
            q.terms(params, lang)
            if endpoint:
                from okg.store.remote import Endpoint, EndpointError

                errors = (QueryError, EndpointError)
                target = Endpoint(
                    endpoint, update_url=update_endpoint, timeout=timeout or 30.0, attempts=retries
                )
            else:
                target = open_store(store, read_only=True)
            rows = run_query(target, q, params, lang, timeout=None if endpoint else timeout)
        except errors as exc:  # evaluated when raised: EndpointError only with --endpoint
            fail(str(exc))
            return
        except typer.Exit:  # a one-line error already printed (e.g. no store there)
            raise
        except Exception as exc:  # noqa: BLE001 - the engine refused the query: one line, no traceback
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            fail(f"query '{name}': {first}")
            return
        if format == "table":
            print_rows(rows, q.title, console, lang)
        else:
            write(render(rows, format))

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
        from okg.store.remote import Endpoint, EndpointError, push

        if not update_endpoint and not gsp:
            fail("give --update-endpoint URL (SPARQL Update) or --gsp URL (Graph Store Protocol)")
        kg = open_store(store, read_only=True)
        ep = Endpoint(
            endpoint, update_url=update_endpoint, gsp_url=gsp, timeout=timeout, attempts=retries
        )
        try:
            counts = push(kg.dataset(), ep, status=kg.status())
        except EndpointError as exc:
            fail(str(exc))
            return
        for g, n in counts.items():
            say(f"pushed {g}: {n} triples")
        say(f"{len(counts)} graph(s) pushed to {ep}; read back: {sum(counts.values())} triples")
