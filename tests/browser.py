"""Helpers of the viz and browser tests: stores built from generated data, and page checks.

The headless-Chromium driver itself is :mod:`okg.viz.browser`.
"""

from __future__ import annotations

import json
from pathlib import Path

from okg.store import KnowledgeGraph
from okg.terms.namespaces import COUNTRY, NACE, OKG, OKGD, PROV, source_graph, source_node
from okg.viz.browser import Chromium

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
COUNTRIES = ["MA", "TN", "SN", "FR", "BE", "PT", "RO", "ES"]
SECTORS = ["8220", "6110", "3514", "6419", "4791", "6201"]
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
DCT_TITLE = "http://purl.org/dc/terms/title"
DEC = "http://www.w3.org/2001/XMLSchema#decimal"
INT = "http://www.w3.org/2001/XMLSchema#integer"


def _lit(text: str, lang: str | None = None, dtype: str | None = None) -> str:
    body = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    if lang:
        return f'"{body}"@{lang}'
    return f'"{body}"^^<{dtype}>' if dtype else f'"{body}"'


def synthetic_firms(n: int, source: str = "synthetic-viz") -> bytes:
    """N-Quads of *n* firms spread over 8 countries and 6 sectors, each with a headcount claim
    (every 10th unknown) and every 4th providing a contract to one of 50 client firms; with the
    types, labels, sources, lines and quotes the loader would write."""
    g = f"<{source_graph(source)}>"
    src = f"<{source_node(source)}>"
    out: list[str] = []

    def q(s: str, p: str, o: str) -> None:
        out.append(f"{s} <{p}> {o} {g} .")

    q(src, RDF_TYPE, f"<{OKG.Source}>")
    q(src, DCT_TITLE, _lit("Synthetic registry"))
    for i in range(n):
        firm = f"<{OKGD[f'synthetic-firm-{i}']}>"
        for t in (OKG.Firm, OKG.EconomicActor):
            q(firm, RDF_TYPE, f"<{t}>")
        q(firm, RDFS_LABEL, _lit(f"Firm {i}", "en"))
        q(firm, str(OKG.country), f"<{COUNTRY[COUNTRIES[i % len(COUNTRIES)]]}>")
        q(firm, str(OKG.inSector), f"<{NACE[SECTORS[(i // len(COUNTRIES)) % len(SECTORS)]]}>")
        q(firm, str(PROV.hadPrimarySource), src)
        q(firm, str(OKG.line), _lit(str(i + 1), dtype=INT))
        q(firm, str(OKG.quote), _lit(f"registry record {i}", "en"))
        wf = f"<{OKGD[f'{source}/jobs-{i}']}>"
        qty = f"<{OKGD[f'{source}/jobs-{i}/okg-headcount']}>"
        for t in (OKG.Workforce, OKG.Fact):
            q(wf, RDF_TYPE, f"<{t}>")
        q(wf, str(OKG.employer), firm)
        q(wf, str(OKG.employmentType), f"<{OKG.AnyEmploymentType}>")
        q(wf, str(OKG.headcount), qty)
        q(wf, str(PROV.hadPrimarySource), src)
        q(qty, RDF_TYPE, f"<{OKG.Quantity}>")
        q(qty, str(OKG.unit), f"<{OKG.Jobs}>")
        if i % 10 == 9:
            q(qty, str(OKG.qualifier), f"<{OKG.Unknown}>")
            q(qty, str(OKG.statedAs), _lit("unknown"))
        else:
            low, high = 10 + i % 90, 20 + i % 90
            q(qty, str(OKG.qualifier), f"<{OKG.Range}>")
            q(qty, str(OKG.low), _lit(str(low), dtype=DEC))
            q(qty, str(OKG.high), _lit(str(high), dtype=DEC))
            q(qty, str(OKG.statedAs), _lit(f"{low} to {high}"))
        if i % 4 == 0 and i >= 50:
            k = f"<{OKGD[f'{source}/contract-{i}']}>"
            for t in (OKG.Contract, OKG.Fact):
                q(k, RDF_TYPE, f"<{t}>")
            q(k, str(OKG.provider), firm)
            q(k, str(OKG.client), f"<{OKGD[f'synthetic-firm-{i % 50}']}>")
            q(k, str(PROV.hadPrimarySource), src)
    return ("\n".join(out) + "\n").encode("utf-8")


def synthetic_store(n: int) -> KnowledgeGraph:
    """An in-memory store with the vocabulary and :func:`synthetic_firms` (*n* firms)."""
    kg = KnowledgeGraph.in_memory()
    kg.install_vocabulary()
    kg.backend.add_nquads(synthetic_firms(n))
    return kg


def open_checked(
    browser: Chromium, page: Path, shot: str | None = None, timeout: float = 90.0
) -> float:
    """Open *page*, wait until drawn, check it made no request and logged no error; seconds."""
    browser.requests.clear()
    browser.errors.clear()
    browser.dialogs.clear()
    took = browser.open(page, timeout=timeout)
    outside = [u for u in browser.requests if not u.startswith(("file://", "data:"))]
    assert outside == [], f"the page requested {outside}"
    assert browser.errors == [], browser.errors
    assert browser.dialogs == []
    if shot:
        browser.screenshot(ARTIFACTS / shot)
    return took


def hover(browser: Chromium, node_id: str) -> str:
    """Move the mouse onto a node; the text of the tooltip vis-network then shows."""
    js = json.dumps(node_id)
    x, y = browser.evaluate(
        f"(() => {{ const p = okgNetwork.canvasToDOM(okgNetwork.getPosition({js}));"
        " const r = document.getElementById('okg-network').getBoundingClientRect();"
        " return [p.x + r.left, p.y + r.top]; })()"
    )
    for dx in (0, 1):  # vis-network shows the tooltip on a move over the node
        browser.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + dx, "y": y})
    shown = (
        "(() => { const t = document.querySelector('div.vis-tooltip');"
        " return t && t.style.visibility !== 'hidden' && t.textContent.length > 0; })()"
    )
    browser.wait_for(shown, timeout=10)
    return browser.evaluate("document.querySelector('div.vis-tooltip').textContent")
