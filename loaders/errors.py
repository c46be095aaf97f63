"""Errors that say where a fact file is wrong: file, line or record, field, what was expected."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class FactError:
    """One problem in one input file."""

    file: str
    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        field = f" [{self.field}]" if self.field else ""
        return f"{where}:{field} {self.message}"


class LoadError(Exception):
    """Raised when any input file has errors; carries every error of every file. Nothing was loaded."""

    def __init__(self, errors: list[FactError]):
        self.errors = sorted(errors, key=lambda e: (e.file, e.line or 0, e.field or "", e.message))
        super().__init__("\n".join(str(e) for e in self.errors))


class ErrorSink:
    """Collects errors for one file so that a loader reports them all in one pass."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[FactError] = []

    def add(self, line: int | None, field: str | None, message: str) -> None:
        self.errors.append(FactError(self.file, line, field, message))

    def __bool__(self) -> bool:
        return bool(self.errors)
