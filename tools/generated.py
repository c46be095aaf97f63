"""Write a generated file, or check that the checked-in copy is what the tool makes.

Shared by the generators in ``tools/`` (``make_reference.py``, ``make_nace.py``): each renders
its file as text, then calls :func:`write_or_check`.

>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "x.ttl"
>>> write_or_check(out, "a\\n", "tools/x.py", check=True)  # one line on stderr, exit 1
1
>>> write_or_check(out, "a\\n", "tools/x.py", check=False)  # doctest: +ELLIPSIS
wrote .../x.ttl
0
>>> write_or_check(out, "a\\n", "tools/x.py", check=True)
0
"""

from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(out: Path, text: str, tool: str, check: bool) -> int:
    """Exit status: with *check*, 0 when *out* holds exactly *text*, else 1 with one line on
    stderr; without it, write *text* to *out* and say so on stdout (0)."""
    if check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            print(f"{tool}: {out} is not what {tool} generates", file=sys.stderr)
            return 1
        return 0
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0
