"""Quotes checked against the source document (docs/facts.md, "Quotes").

A quote must occur in the document after one normalisation applied to both texts: Unicode NFC,
any run of whitespace to one space, the Arabic tatweel and diacritics (harakat, dagger alef)
removed, typographic quotes to ``"`` and ``'``, dashes and the minus sign to ``-``.

>>> normalise("«التقدّم   للوظائف» – غدًا")
'"التقدم للوظائف" - غدا'
>>> doc = SourceText("sources/a.txt", "The ban threatens thousands of jobs. Firms may close.")
>>> doc.find(["threatens thousands", "may close"])
[None, None]
>>> doc.find(["may close", "threatens"])
[None, 'comes before the previous fragment in sources/a.txt; list fragments in the order of the document']
>>> doc.find(["threatens millions"])[0]
'not found in sources/a.txt; nearest passage: "threatens thousands"'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")  # tatweel, harakat, dagger alef
_PUNCT = str.maketrans(
    {
        **dict.fromkeys("“”„‟«»‹›″〝〞＂", '"'),
        **dict.fromkeys("‘’‚‛′＇", "'"),
        **dict.fromkeys("‐‑‒–—―−﹘﹣－", "-"),
    }
)
ELLIPSES = ("...", "…")
MAX_WINDOWS = 2000  # bounded cost of the nearest-passage search
PASSAGE_CHARS = 160


def normalise(text: str) -> str:
    """The text as quotes are compared (see the module docstring)."""
    t = _MARKS.sub("", unicodedata.normalize("NFC", text)).translate(_PUNCT)
    return " ".join(t.split())


class SourceText:
    """A source document, normalised once, in which quotes are looked up."""

    def __init__(self, name: str, text: str):
        self.name = name
        self.text = normalise(text)

    def find(self, fragments: list[str]) -> list[str | None]:
        """For each fragment (in the order given) None when found after the previous one, else
        what is wrong with it."""
        out: list[str | None] = []
        pos = 0
        for frag in fragments:
            q = normalise(frag)
            at = self.text.find(q, pos)
            if at >= 0:
                out.append(None)
                pos = at + len(q)
            elif q and q in self.text:
                out.append(
                    f"comes before the previous fragment in {self.name}; "
                    "list fragments in the order of the document"
                )
            else:
                out.append(f'not found in {self.name}; nearest passage: "{self.nearest(q)}"')
        return out

    def nearest(self, quote: str) -> str:
        """The passage of the document most like *quote* (difflib ratio over a sliding window
        of the quote's length, at most MAX_WINDOWS windows, then refined around the best)."""
        doc, n = self.text, len(quote)
        if not doc or not quote:
            return ""
        if len(doc) <= n:
            return _clip(doc)
        sm = SequenceMatcher(None, autojunk=False)
        sm.set_seq2(quote)
        last = len(doc) - n
        step = max(1, n // 4, last // MAX_WINDOWS + 1)

        def score(i: int, best: float) -> float:
            sm.set_seq1(doc[i : i + n])
            if sm.real_quick_ratio() <= best or sm.quick_ratio() <= best:
                return -1.0
            return sm.ratio()

        best, at = -1.0, 0
        for i in [*range(0, last + 1, step), last]:
            r = score(i, best)
            if r > best:
                best, at = r, i
        fine = max(1, step // 16)
        for i in range(max(0, at - step), min(last, at + step) + 1, fine):
            r = score(i, best)
            if r > best:
                best, at = r, i
        start, end = at, at + n
        while start > 0 and not doc[start - 1].isspace():  # whole words
            start -= 1
        while end < len(doc) and not doc[end].isspace():
            end += 1
        return _clip(doc[start:end].strip())


def _clip(text: str) -> str:
    return text if len(text) <= PASSAGE_CHARS else text[: PASSAGE_CHARS - 1] + "…"


@dataclass(frozen=True)
class QuoteShare:
    """How many records of one source carry quotes, and how many of them were verified."""

    source_id: str
    quoted: int
    verified: int
    has_file: bool

    def line(self) -> str:
        """One line for ``okg check``.

        >>> QuoteShare("s", 4, 3, True).line()
        's: 3 of 4 quoted records verified in the source document (75%)'
        >>> QuoteShare("t", 2, 0, False).line()
        't: 0 of 2 quoted records verified (0%): the source gives no file: to check them in'
        """
        if not self.quoted:
            return f"{self.source_id}: no quoted records"
        pct = round(100 * self.verified / self.quoted)
        if not self.has_file:
            return (
                f"{self.source_id}: {self.verified} of {self.quoted} quoted records verified "
                f"({pct}%): the source gives no file: to check them in"
            )
        return (
            f"{self.source_id}: {self.verified} of {self.quoted} quoted records verified "
            f"in the source document ({pct}%)"
        )


_SHARE_QUERY = """
PREFIX okg: <https://w3id.org/okg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?s (COUNT(DISTINCT ?r) AS ?quoted) (COUNT(DISTINCT ?v) AS ?verified) (SAMPLE(?f) AS ?file)
WHERE {
  ?s a okg:Source .
  OPTIONAL { ?s okg:sourceFile ?f }
  OPTIONAL { ?r prov:hadPrimarySource ?s ; okg:quote ?q
             OPTIONAL { ?r okg:quoteVerified true BIND(?r AS ?v) } }
} GROUP BY ?s ORDER BY ?s
"""


def quote_shares(graph) -> list[QuoteShare]:
    """Per source of an rdflib *graph*: its records with quotes and those marked okg:quoteVerified."""
    out = []
    for row in graph.query(_SHARE_QUERY):
        sid = str(row.s).rsplit("/source/", 1)[-1]
        out.append(QuoteShare(sid, int(row.quoted), int(row.verified), row.file is not None))
    return out
