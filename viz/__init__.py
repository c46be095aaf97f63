"""HTML views of the graph: dependency networks and impact reports, self-contained and escaped.

Pipeline: :mod:`okg.viz.extract` reads the store into a :class:`okg.viz.model.View`; :mod:`okg.viz.cut` keeps
the part asked for and groups firms above a node budget; :mod:`okg.viz.views` marks an event's
impact; :mod:`okg.viz.layout` places the nodes; :mod:`okg.viz.page` writes one HTML page with
vis-network inlined; :mod:`okg.viz.report` adds an event's tables, explanations and sources;
:mod:`okg.viz.browser` drives headless Chromium to check and photograph pages. See docs/viz.md.
"""

from __future__ import annotations

from html import escape as _escape


class InlinePage:
    """A page of :mod:`okg.viz.page` shown inline in a notebook: an ``<iframe>`` whose
    ``srcdoc`` is the whole page, escaped, and sandboxed (its scripts run, but it cannot reach
    the notebook nor fetch anything). ``html`` is the page itself; :meth:`save` writes it."""

    def __init__(self, html: str, height: int = 640, title: str = ""):
        self.html, self.height, self.title = html, height, title

    def _repr_html_(self) -> str:
        return (
            f'<iframe srcdoc="{_escape(self.html, quote=True)}" sandbox="allow-scripts" '
            f'title="{_escape(self.title, quote=True)}" '
            f'style="width: 100%; height: {int(self.height)}px; border: 1px solid #ddd"></iframe>'
        )

    def save(self, path) -> str:
        from pathlib import Path

        Path(path).write_text(self.html, encoding="utf-8")
        return str(path)


def show(
    kg,
    event: str | None = None,
    as_of: str | None = None,
    lang: str = "en",
    focus: str | None = None,
    depth: int = 2,
    sector: str | None = None,
    country: str | None = None,
    max_nodes: int = 2000,
    height: int = 640,
    include_illustrative: bool = False,
) -> InlinePage:
    """The page ``okg viz`` writes (same options, same builder:
    :func:`okg.viz.views.build_view`), to show inline in a notebook. Illustrative facts are
    left out unless *include_illustrative* (then marked), as on the command line.

    >>> from okg.store import KnowledgeGraph
    >>> from okg.terms.resources import data_dir
    >>> kg = KnowledgeGraph.in_memory(); kg.install_vocabulary()
    >>> _ = kg.load(sorted(data_dir().glob("*.yaml")))
    >>> page = show(kg, event="total-relocation", as_of="2026-02-01")
    >>> page._repr_html_().startswith('<iframe srcdoc="&lt;!DOCTYPE html&gt;')
    True
    """
    from okg.viz.page import render
    from okg.viz.style import text
    from okg.viz.views import build_view

    view, result = build_view(
        kg,
        event=event,
        as_of=as_of,
        focus=focus,
        depth=depth,
        sector=sector,
        country=country,
        include_illustrative=include_illustrative,
        lang=lang,
        max_nodes=max_nodes,
    )
    html = render(view, highlight=result is not None)
    return InlinePage(html, height, view.title or text("title", lang))
