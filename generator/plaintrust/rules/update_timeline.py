"""A notice's timeline is a dated list that only grows: each entry starts with its date.

Entries read `- 2026-11-18 14:05 UTC — what happened` (the time is optional) and run oldest first, so a
new entry goes at the end; an entry newer than the notice's `updated` time means `updated` was not
moved forward with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from plaintrust import notices
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model, Notice

ID = "update-timeline"


def check(model: Model) -> Iterator[Diagnostic]:
    for notice in model.notices:
        section = notices.find(notice.sections, "Timeline")
        if section is not None:
            yield from _entries(notice, notices.timeline(section))


def _entries(notice: Notice, entries: tuple[notices.Entry, ...]) -> Iterator[Diagnostic]:
    previous = None
    for entry in entries:
        where = Location(notice.source.path, entry.line, 1)
        if entry.when is None:
            yield where.error(ID, "a timeline entry must start with its date", "write e.g. - 2026-11-18 14:05 UTC — what happened")
            continue
        if previous is not None and entry.when < previous:
            yield where.error(ID, "timeline entries must run oldest first; add new ones at the end")
        if entry.when > notice.updated:
            updated = notice.updated.astimezone(dt.timezone.utc)
            yield where.error(ID, f"this entry is newer than `updated` ({updated:%Y-%m-%d %H:%M} UTC)",
                              "move `updated` forward whenever the timeline grows")
        previous = entry.when
