"""HTML views of the graph: dependency networks and impact reports, self-contained and escaped.

Pipeline: :mod:`viz.extract` reads the store into a :class:`viz.model.View`; :mod:`viz.cut` keeps
the part asked for and groups firms above a node budget; :mod:`viz.views` marks an event's
impact; :mod:`viz.layout` places the nodes; :mod:`viz.page` writes one HTML page with
vis-network inlined; :mod:`viz.report` adds an event's tables, explanations and sources;
:mod:`viz.browser` drives headless Chromium to check and photograph pages. See docs/viz.md.
"""
