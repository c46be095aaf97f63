"""Print a page written by :mod:`okg.viz.page` to PDF with Debian's headless Chromium.

No extra package: the page is opened over the DevTools protocol (:mod:`okg.viz.browser`) and
printed with ``Page.printToPDF``, so the page's print stylesheet (``viz/assets/okg-print.css``:
A4, margins, no search box nor interactive network, page breaks between the report's parts)
lays it out. No header or footer is added by the browser (no file path, no date). A report's
network is printed as a still image of the network as drawn (:data:`STILL_NETWORK`).

>>> PDF_OPTIONS["preferCSSPageSize"], PDF_OPTIONS["displayHeaderFooter"]
(True, False)
"""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from okg.viz.browser import BrowserError, Chromium

PDF_OPTIONS: dict[str, object] = {
    "preferCSSPageSize": True,  # @page { size: A4; margin: ... } in okg-print.css
    "printBackground": True,
    "displayHeaderFooter": False,
    "paperWidth": 8.27,  # A4 in inches, if a page has no @page rule
    "paperHeight": 11.69,
}


# The interactive network cannot be printed; its drawn canvas becomes a still image for paper
# (an <img> of a data: URL, which the page's Content-Security-Policy allows), shown only in print.
STILL_NETWORK = """(() => {
  const canvas = document.querySelector('#okg-network canvas');
  const heading = document.querySelector('.okg-network-heading');
  if (!canvas || !heading) return false;
  const img = document.createElement('img');
  img.className = 'okg-print-network';
  img.alt = heading.textContent;
  img.src = canvas.toDataURL('image/png');
  heading.insertAdjacentElement('afterend', img);
  return true;
})()"""


def print_pdf(page: Path | str, out: Path | str, timeout: float = 60.0) -> Path:
    """Open *page* (an HTML file), wait until its script is ready, and write it as PDF; a
    report's network is printed as a still image of the drawn network."""
    out = Path(out)
    with Chromium(width=1200, height=800, timeout=timeout) as browser:
        browser.open(page)
        browser.evaluate("document.fonts.ready.then(() => true)")
        browser.evaluate("new Promise(r => requestAnimationFrame(() => r(true)))")
        browser.evaluate(STILL_NETWORK)
        data = browser.call("Page.printToPDF", PDF_OPTIONS, timeout=timeout)["data"]
    pdf = base64.b64decode(data)
    if not pdf.startswith(b"%PDF"):
        raise BrowserError("Page.printToPDF did not return a PDF")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(pdf)
    return out


def html_to_pdf(html: str, out: Path | str, timeout: float = 60.0) -> Path:
    """Write *html* (a whole page) to a temporary file and print it to *out* as PDF."""
    with tempfile.TemporaryDirectory(prefix="okg-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        return print_pdf(page, out, timeout)
