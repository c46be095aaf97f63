"""HTML views of the graph: dependency networks and impact reports, self-contained and escaped.

Pipeline: :mod:`okg.viz.extract` reads the store into a :class:`okg.viz.model.View`; :mod:`okg.viz.cut` keeps
the part asked for and groups firms above a node budget; :mod:`okg.viz.views` marks an event's
impact; :mod:`okg.viz.layout` places the nodes; :mod:`okg.viz.page` writes one HTML page with
vis-network inlined; :mod:`okg.viz.report` adds an event's tables, explanations and sources;
:mod:`okg.viz.browser` drives headless Chromium to check and photograph pages. See docs/viz.md.
"""
