"""``okg check``: reasoner consistency, SHACL shapes and conflicting claims over the whole store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from okg.cli.common import LangOption, StoreOption, fail, open_store, say

EXIT_PROBLEMS = 1
"""Exit code when a check found problems (inconsistency, SHACL violations)."""
EXIT_INCOMPLETE = 2
"""Exit code when the other checks passed but the reasoner could not run (no Java)."""


def store_graph(kg):
    """The whole store as an rdflib Graph (the reasoner and SHACL read rdflib)."""
    from rdflib import Graph

    g = Graph()
    g.parse(data=kg.export("ntriples"), format="nt")
    return g


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        store: StoreOption = None,
        lang: LangOption = "en",
        reasoner: Annotated[
            bool, typer.Option("--reasoner/--no-reasoner", help="Run HermiT (needs Java).")
        ] = True,
        extra: Annotated[
            list[Path] | None,
            typer.Option(
                "--with",
                metavar="FILE",
                help="Extra RDF file(s) to check together with the store (e.g. a test fixture).",
            ),
        ] = None,
    ) -> None:
        """Is the graph consistent (HermiT), does it meet the shapes (SHACL), which claims disagree?

        Exit 0: all checks ran and passed; 1: problems found; 2: no problems found but HermiT
        could not run (no Java: say --no-reasoner to skip it).
        """
        from okg.analysis.conflicts import compare_claims
        from okg.render import check as lines

        kg = open_store(store, read_only=True)
        graph = store_graph(kg)
        from okg.loaders import LoadError
        from okg.loaders.rdf_files import parse_rdf_file

        for path in extra or []:
            try:  # bounded, nothing fetched (JSON-LD contexts, XML entities): docs/facts.md
                graph += parse_rdf_file(path, kg.voc)
            except LoadError as exc:
                fail(str(exc.errors[0]))
        problems = 0
        incomplete = False
        if reasoner:
            from okg.store.reasoning import JavaMissingError, check_consistency

            try:
                report = check_consistency(graph)
            except JavaMissingError as exc:
                say(lines.reasoner_not_run(str(exc), lang))
                incomplete = True
            except RuntimeError as exc:
                fail(str(exc))
            else:
                for line in lines.reasoner_lines(report.consistent, report.offenders, lang):
                    say(line)
                if not report.consistent:
                    problems += 1
        else:
            say(lines.reasoner_skipped(lang))
        from okg.store.shacl import validate

        violations = validate(graph, kg.voc)
        for line in lines.shacl_lines(violations, kg.voc.qname, lang):
            say(line)
        problems += len(violations)
        from okg.loaders.quotes import quote_shares

        for line in lines.quote_lines(quote_shares(graph), lang):
            say(line)
        compared = compare_claims(kg, lang)
        for line in lines.conflict_lines(
            [c for c in compared if c.is_conflict], "conflicting", lang
        ):
            say(line)
        consistent = [c for c in compared if not c.is_conflict]
        for line in lines.conflict_lines(consistent, "consistent", lang):
            say(line)
        from okg.analysis.identity import find_shared_identifiers
        from rdflib import URIRef

        shared = find_shared_identifiers(kg)
        for line in lines.identifier_lines(shared, lambda iri: kg.label(URIRef(iri), lang), lang):
            say(line)
        if problems:
            raise typer.Exit(EXIT_PROBLEMS)
        if incomplete:
            raise typer.Exit(EXIT_INCOMPLETE)
