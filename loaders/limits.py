"""Limits on what one input file may cost, and reading its text with every refusal located.

Every input is read whole, so its size bounds the work of the parsers (which are linear in their
input once YAML aliases and XML entities are bounded or refused). The limits, in bytes, come from
the environment when set:

- ``OKG_MAX_FILE_BYTES`` (default 64 MiB): the size of one input file; a YAML document whose
  aliases would expand beyond it is refused too.
- ``OKG_MAX_VALUE_BYTES`` (default 8 MiB, at most 16 MiB - 1 KiB): one value (a YAML scalar, a
  CSV cell, an RDF literal or IRI) in UTF-8. The embedded store cannot hold a single term of
  16 MiB, so a larger setting is lowered to that bound.
- ``OKG_MAX_YAML_ALIASES`` (default 1000): the number of alias uses (``*name``) in one YAML
  document.

>>> limits_from({"OKG_MAX_VALUE_BYTES": "1024"}).max_value_bytes
1024
>>> limits_from({"OKG_MAX_VALUE_BYTES": "lots"}).max_value_bytes
Traceback (most recent call last):
ValueError: OKG_MAX_VALUE_BYTES must be a positive whole number of bytes, not 'lots'
>>> line_col("ab\\ncd", 4)
(2, 2)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024
STORE_TERM_BYTES = 16 * MIB
"""Oxigraph refuses a single term of this size (``Reached the buffer maximal size``)."""
VALUE_CEILING = STORE_TERM_BYTES - 1024

DEFAULTS = {
    "OKG_MAX_FILE_BYTES": 64 * MIB,
    "OKG_MAX_VALUE_BYTES": 8 * MIB,
    "OKG_MAX_YAML_ALIASES": 1000,
}


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int
    max_value_bytes: int
    max_yaml_aliases: int


class InputRefused(Exception):
    """One input cannot be read: *line* (1-based, or None) and *field* say where."""

    def __init__(self, line: int | None, field: str | None, message: str):
        self.line = line
        self.field = field
        super().__init__(message)


def limits_from(env: Mapping[str, str]) -> Limits:
    values = {}
    for name, default in DEFAULTS.items():
        raw = env.get(name)
        if raw is None or raw.strip() == "":
            values[name] = default
            continue
        try:
            n = int(raw.strip().replace("_", ""))
        except ValueError:
            n = 0
        if n <= 0:
            raise ValueError(f"{name} must be a positive whole number of bytes, not {raw!r}")
        values[name] = n
    return Limits(
        max_file_bytes=values["OKG_MAX_FILE_BYTES"],
        max_value_bytes=min(values["OKG_MAX_VALUE_BYTES"], VALUE_CEILING),
        max_yaml_aliases=values["OKG_MAX_YAML_ALIASES"],
    )


def current() -> Limits:
    """The limits of this process (read from the environment at each call, so tests can set it).

    A malformed setting is an :class:`InputRefused` (reported against the file being read).
    """
    try:
        return limits_from(os.environ)
    except ValueError as exc:
        raise InputRefused(None, None, str(exc)) from None


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character *index* in *text*."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def utf8_size(value: str) -> int:
    return len(value) if value.isascii() else len(value.encode("utf-8", "surrogatepass"))


def value_too_big(value: str, limits: Limits | None = None) -> str | None:
    """A refusal text when *value* is over the per-value limit, else None."""
    lim = (limits or current()).max_value_bytes
    if len(value) * 4 <= lim:  # fast path: cannot be over
        return None
    size = utf8_size(value)
    if size > lim:
        return f"value of {size:,} bytes is over the limit of {lim:,} bytes (OKG_MAX_VALUE_BYTES)"
    return None


def read_bytes(path: Path, limits: Limits | None = None) -> bytes:
    """The file's bytes, refused before reading when it is over the per-file limit."""
    lim = (limits or current()).max_file_bytes
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputRefused(None, None, f"cannot read: {exc.strerror or exc}") from None
    if size > lim:
        raise InputRefused(
            None,
            None,
            f"file of {size:,} bytes is over the limit of {lim:,} bytes (OKG_MAX_FILE_BYTES)",
        )
    try:
        with path.open("rb") as fh:
            # read(n) allocates n bytes first: ask for the size seen, more only if it grew
            data = fh.read(size + 1)
            if len(data) > size:
                data += fh.read(lim + 1 - len(data))
    except OSError as exc:
        raise InputRefused(None, None, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > lim:  # grew while being read
        raise InputRefused(
            None, None, f"file is over the limit of {lim:,} bytes (OKG_MAX_FILE_BYTES)"
        )
    return data


def decode_text(data: bytes) -> str:
    """UTF-8 text (a leading BOM dropped); an encoding error or a NUL names its line and column."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.start + 1].hex()
        raise InputRefused(
            line, None, f"not UTF-8 text: byte 0x{bad} at column {col} ({exc.reason})"
        ) from None
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        line, col = line_col(text, nul)
        raise InputRefused(line, None, f"NUL character at column {col}; expected text")
    return text


def read_text(path: Path, limits: Limits | None = None) -> str:
    """:func:`read_bytes` then :func:`decode_text`."""
    return decode_text(read_bytes(path, limits))
