"""A notice's timeline entry has no date, is out of order, or is newer than the notice's `updated` time.

Each list item under `## Timeline` must start with its date and, optionally, a time, read as UTC:
`- 2026-11-18 14:05 UTC — what happened` (a date alone counts as 00:00). Entries run oldest first,
so a new one goes at the end. An entry later than the notice's `updated` means `updated` was not
moved forward with it.

The timeline is the record customers read of what happened and when, and `updated` tells them and
feed readers when the notice last changed.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, start the entry with its date, move it into place, or move `updated` forward whenever
the timeline grows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from plaintrust import notices
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model, Notice

ID = "update-timeline"
READS_FILES = False


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
            yield where.error(
                ID, "a timeline entry must start with its date", "write e.g. - 2026-11-18 14:05 UTC — what happened"
            )
            continue
        if previous is not None and entry.when < previous:
            yield where.error(ID, "timeline entries must run oldest first; add new ones at the end")
        if entry.when > notice.updated:
            updated = notice.updated.astimezone(dt.UTC)
            yield where.error(
                ID,
                f"this entry is newer than `updated` ({updated:%Y-%m-%d %H:%M} UTC)",
                "move `updated` forward whenever the timeline grows",
            )
        previous = entry.when
