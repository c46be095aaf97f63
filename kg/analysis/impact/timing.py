"""Where an event stands at a date, and the window during which it bites.

Rules (docs/impact.md, "Time"):

* A regulation enacted by the event bites from its ``okg:effectiveDate``: before it the event is
  ``scheduled, in force from DATE`` and its figures are an *exposure*; from it on, ``in force``.
* Any other event: before its ``okg:startDate`` (or, with no start, its ``okg:date``) it is
  ``announced``; between its start and its end (or its date) it is ``in transition``; after,
  ``in effect``.
* The window of the event (used to tell which contracts are running when it bites) starts at the
  effective date, start or date, and ends at its end date (open when none is given).

>>> import datetime as dt
>>> ev = {"startDate": dt.date(2025, 10, 1), "endDate": dt.date(2026, 3, 31),
...       "date": dt.date(2026, 1, 1)}
>>> event_timing(ev, [], dt.date(2025, 9, 1)).status
'announced (transition from 2025-10-01; takes effect 2026-01-01)'
>>> event_timing(ev, [], dt.date(2026, 4, 1)).status
'in effect (since 2026-01-01)'
>>> event_timing({}, [dt.date(2026, 8, 1)], dt.date(2026, 1, 1)).status
'scheduled, in force from 2026-08-01'
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """``status`` text; ``measure`` is ``"exposure"`` before the event bites, else ``"impact"``;
    ``window`` is (first day, last day or None) of the event's effect."""

    status: str
    measure: str
    window: tuple[dt.date | None, dt.date | None]


def event_timing(dates: dict[str, dt.date], effective: list[dt.date], as_of: dt.date) -> Timing:
    """The timing of an event with *dates* (its ``startDate``/``endDate``/``date``/``reportedOn``)
    enacting regulations with *effective* dates, seen at *as_of*."""
    start, end, date = dates.get("startDate"), dates.get("endDate"), dates.get("date")
    if effective:
        eff = min(effective)
        window = (eff, None)
        if as_of < eff:
            return Timing(f"scheduled, in force from {eff}", "exposure", window)
        return Timing(f"in force (since {eff})", "impact", window)
    begin = start or date
    finish = end or date or start
    window = (begin, end)
    if begin is None:
        return Timing("in effect (no date given)", "impact", window)
    takes = f"; takes effect {date}" if date and date != begin else ""
    if as_of < begin:
        what = f"transition from {start}{takes}" if start else f"takes effect {begin}"
        return Timing(f"announced ({what})", "exposure", window)
    if start and finish and finish > start and as_of <= finish:
        return Timing(f"in transition ({start} to {finish}{takes})", "impact", window)
    return Timing(f"in effect (since {date or begin})", "impact", window)


def active_in(dates: dict[str, dt.date], window: tuple[dt.date | None, dt.date | None]) -> bool:
    """True when a contract with *dates* runs at some point of the event's *window*."""
    first, last = window
    c_start, c_end = dates.get("startDate"), dates.get("endDate")
    if first is not None and c_end is not None and c_end < first:
        return False
    if last is not None and c_start is not None and c_start > last:
        return False
    return True
