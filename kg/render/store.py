"""What is in the store (``okg stats``, ``okg sources``) and the installed sector modules
(``okg sector list``), as tables.

>>> t = stats_tables({"graphs": [("g1", 3), ("g2", 4)], "classes": [("okg:Firm", 2)]})
>>> t[0].rows
[['g1', '3'], ['g2', '4'], ['total', '7']]
"""

from __future__ import annotations

from okg.render.tables import TextTable


def stats_tables(stats: dict) -> list[TextTable]:
    """Triples per named graph (with the total) and individuals per class."""
    graphs = [[g, str(n)] for g, n in stats["graphs"]]
    graphs.append(["total", str(sum(n for _, n in stats["graphs"]))])
    return [
        TextTable("Triples per named graph", ["graph", "triples"], graphs, "graphs", {1}),
        TextTable(
            "Individuals per class (data graphs)",
            ["class", "individuals"],
            [[c, str(n)] for c, n in stats["classes"]],
            "classes",
            {1},
        ),
    ]


def sources_table(sources) -> TextTable:
    """The sources (``SourceInfo``): id, triples, fact file, title."""
    return TextTable(
        "Sources (one named graph each)",
        ["source", "triples", "fact file", "title"],
        [[s.source_id, str(s.triples), s.fact_file or "", s.title or ""] for s in sources],
        "sources",
        {1},
    )


def modules_table(modules) -> TextTable:
    """The sector modules (``ModuleSummary``): name, prefix, term counts, origin, file."""
    return TextTable(
        "Sector modules",
        ["name", "prefix", "classes", "properties", "individuals", "found in", "file"],
        [
            [
                s.name,
                s.module.prefix,
                str(s.classes),
                str(s.properties),
                str(s.individuals),
                s.origin,
                str(s.module.path),
            ]
            for s in modules
        ],
        "modules",
        {2, 3, 4},
    )


def aligned_lines(t: TextTable) -> list[str]:
    """The table as aligned plain-text lines (header first, the last column unpadded).

    >>> aligned_lines(TextTable("", ["name", "n", "file"], [["ab", "12", "x.ttl"]], right={1}))
    ['name   n  file', 'ab    12  x.ttl']
    """
    rows = [t.columns, *t.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(t.columns) - 1)]
    return [
        "  ".join(
            [
                *(
                    c.rjust(w) if i in t.right else c.ljust(w)
                    for i, (c, w) in enumerate(zip(r, widths, strict=False))
                ),
                r[-1],
            ]
        )
        for r in rows
    ]
