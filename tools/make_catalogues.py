"""The message catalogues of okg's text output: extract the msgids, compile ``.po`` to ``.mo``.

    python tools/make_catalogues.py            # compile every okg.po to okg.mo beside it
    python tools/make_catalogues.py --check    # exit 1 naming msgids missing from a catalogue,
                                               # entries left empty, and stale .mo files

Extraction reads the code with :mod:`ast` (``kg/render``, ``kg/cli``, ``viz/summary.py`` and ``viz/style.py``): the first argument of
every call to ``_``, ``N_``, ``ngettext`` (and the methods ``loc._``/``loc.ngettext``) that is a
string literal is a msgid; ``ngettext``'s second argument is its plural. The ``.po`` reader and
the ``.mo`` writer are the small subset of gettext okg needs (msgctxt is not used); the ``.mo``
files are read at run time by the standard library's :class:`gettext.GNUTranslations`.
"""

from __future__ import annotations

import ast
import struct
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = (
    ROOT / "kg" / "render",
    ROOT / "kg" / "cli",
    ROOT / "viz" / "summary.py",
    ROOT / "viz" / "style.py",
)
"""Where the msgids are: folders (every ``.py`` file in them) and single files."""
LOCALES = ROOT / "kg" / "render" / "locales"
LANGS = ("en", "fr", "ar")
SINGULAR = {"_", "N_"}
PLURAL = {"ngettext"}


@dataclass
class Entry:
    msgid: str
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def extract(paths=SOURCES) -> dict[str, str | None]:
    """Every msgid the code uses, in order of appearance, with its plural (or None)."""
    found: dict[str, str | None] = {}
    for base in paths:
        base = Path(base)
        for py in [base] if base.is_file() else sorted(base.rglob("*.py")):
            tree = ast.parse(py.read_text(encoding="utf-8"), str(py))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                name = (
                    f.id
                    if isinstance(f, ast.Name)
                    else f.attr
                    if isinstance(f, ast.Attribute)
                    else ""
                )
                if name not in SINGULAR | PLURAL or not node.args:
                    continue
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                plural = None
                if name in PLURAL and len(node.args) > 1:
                    second = node.args[1]
                    if isinstance(second, ast.Constant) and isinstance(second.value, str):
                        plural = second.value
                found.setdefault(first.value, plural)
    return found


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: Path) -> list[Entry]:
    """The entries of a ``.po`` file (the header is the entry with the empty msgid)."""
    entries: list[Entry] = []
    cur: Entry | None = None
    key: tuple[str, int] | None = None
    comments: list[str] = []

    def finish():
        nonlocal cur
        if cur is not None:
            entries.append(cur)
        cur = None

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if cur is not None and key is not None and key[0] == "msgstr":
                finish()
            comments.append(line)
            continue
        word, _, rest = line.partition(" ")
        if line.startswith('"'):
            if cur is None or key is None:
                raise ValueError(f"{path}:{lineno}: a string outside an entry")
            value = _unquote(line)
            if key[0] == "msgid":
                cur.msgid += value
            elif key[0] == "msgid_plural":
                cur.msgid_plural = (cur.msgid_plural or "") + value
            else:
                cur.msgstr[key[1]] += value
            continue
        if word == "msgid":
            finish()
            cur = Entry(_unquote(rest), comments=comments)
            comments = []
            key = ("msgid", 0)
        elif word == "msgid_plural" and cur is not None:
            cur.msgid_plural = _unquote(rest)
            key = ("msgid_plural", 0)
        elif word.startswith("msgstr") and cur is not None:
            n = int(word[7:-1]) if word.startswith("msgstr[") else 0
            while len(cur.msgstr) <= n:
                cur.msgstr.append("")
            cur.msgstr[n] = _unquote(rest)
            key = ("msgstr", n)
        else:
            raise ValueError(f"{path}:{lineno}: cannot read {line[:40]!r}")
    finish()
    return entries


def mo_bytes(entries: list[Entry]) -> bytes:
    """The GNU ``.mo`` file of *entries* (untranslated ones are left out, as msgfmt does)."""
    pairs = []
    for e in entries:
        if not any(e.msgstr) and e.msgid:
            continue
        key = e.msgid if e.msgid_plural is None else e.msgid + "\0" + e.msgid_plural
        pairs.append((key.encode(), "\0".join(e.msgstr).encode()))
    pairs.sort()
    n = len(pairs)
    ids = b"".join(k + b"\0" for k, _ in pairs)
    strs = b"".join(v + b"\0" for _, v in pairs)
    start = 7 * 4 + 16 * n
    offsets, pos = [], 0
    for k, _ in pairs:
        offsets += [len(k), start + pos]
        pos += len(k) + 1
    base = start + len(ids)
    pos = 0
    for _, v in pairs:
        offsets += [len(v), base + pos]
        pos += len(v) + 1
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + 8 * n, 0, 0)
    return header + struct.pack(f"{4 * n}i", *offsets) + ids + strs


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "okg.po"


def problems() -> list[str]:
    """What ``--check`` reports: msgids missing from a catalogue, empty entries, stale .mo."""
    used = extract()
    out = []
    for lang in LANGS:
        po = po_path(lang)
        entries = [e for e in read_po(po) if e.msgid]
        have = {e.msgid for e in entries}
        out += [f"{po}: missing msgid {m!r}" for m in used if m not in have]
        out += [f"{po}: empty msgstr for {e.msgid!r}" for e in entries if not all(e.msgstr)]
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(read_po(po)):
            out.append(f"{mo}: stale; run python tools/make_catalogues.py")
    return out


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = problems()
        print("\n".join(found) or "catalogues complete and compiled")
        return 1 if found else 0
    for lang in LANGS:
        po = po_path(lang)
        po.with_suffix(".mo").write_bytes(mo_bytes(read_po(po)))
        print(f"wrote {po.with_suffix('.mo').relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
