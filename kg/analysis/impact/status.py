"""The impact level of a row: an enum whose members are the very strings the output prints.

``Status`` is a ``str`` enum (:class:`enum.StrEnum`): a member compares, hashes, formats and serialises to JSON exactly like
its text, so ``row.status == "closure risk"`` and ``f"{row.status}"`` behave as with plain
strings, and the JSON output is unchanged.

>>> Status.CLOSURE_RISK == "closure risk", f"{Status.STOPPED} · in effect"
(True, 'stopped · in effect')
>>> import json; json.dumps({"status": Status.POSSIBLE_CLOSURE}), {"stopped": 1}[Status.STOPPED]
('{"status": "possible closure"}', 1)
>>> Status("exposed").severity < Status.POSSIBLE_CLOSURE.severity < Status.CLOSURE_RISK.severity
True
>>> Status.escalate(Status.CLOSURE_RISK, Status.EXPOSED)
<Status.CLOSURE_RISK: 'closure risk'>
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """What an event does to an actor (loss rows) or why a row is there (contract rows)."""

    EXPOSED = "exposed"
    POSSIBLE_CLOSURE = "possible closure"
    CLOSURE_RISK = "closure risk"
    STOPPED = "stopped"
    CONTRACT_LOST = "contract lost"
    CONTRACT_GAINED = "contract gained"

    # A str Enum (StrEnum prints and formats as its value); hash as the text too, so that a
    # member and its plain string are the same dict key or set element.
    __hash__ = str.__hash__

    @property
    def severity(self) -> int:
        """Rank used to escalate statuses and order rows (0: not an impact level)."""
        return SEVERITY.get(self, 0)

    @staticmethod
    def escalate(old: Status | None, new: Status) -> Status:
        """The status after *new* is found for an actor already at *old*: statuses only rise."""
        if old is None or new.severity > old.severity:
            return new
        return old


SEVERITY: dict[str, int] = {
    Status.EXPOSED: 1,
    Status.POSSIBLE_CLOSURE: 2,
    Status.CLOSURE_RISK: 3,
    Status.STOPPED: 3,
}
"""Severity of each impact level (keys compare equal to the plain strings)."""
