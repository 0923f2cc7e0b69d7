"""A `collect:` block exceeds a limit: a timeout over 10 minutes, or a series name too long for the ids of the records it writes.

It fires at `collect.timeout` when the timeout is longer than 10 minutes (`10m` or `600s`).
`plaintrust evidence collect` runs the collectors one after another, usually in a nightly CI job:
one that may hang for an hour holds up every other series and the job itself.

It also fires at the record's `series` (at its `id` when it names no series) when the series name
has more than 53 characters. Each record a collection writes gets the id `<series>-<YYYY-MM-DD>`
and an id has at most 64 characters, so the series could never be collected: every run would
start the collector and then refuse its record.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, set `timeout` to 10m or less. An export that takes longer is better run by a scheduled
job of its own, leaving a file that the `file` collector then snapshots. Give a series with a long
name a shorter one, on each of its records.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from plaintrust import schemas
from plaintrust.collect.api import MAX_TIMEOUT
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import EvidenceRecord, Model

ID = "collect-limit"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if not model.collecting:  # no record has a collect block: most repositories
        return
    for record in model.evidence:
        if record.collect is not None:
            yield from _timeout(record)
            yield from _series(record, f"{record.series}-{model.today.isoformat()}")


def _timeout(record: EvidenceRecord) -> Iterator[Diagnostic]:
    assert record.collect is not None
    if record.collect.timeout > MAX_TIMEOUT:
        written = record.source.data["collect"]["timeout"]
        yield record.source.at("collect", "timeout").error(
            ID,
            f"timeout: {written} is more than the {MAX_TIMEOUT // 60} minutes a collector may run",
            f"set it to {MAX_TIMEOUT // 60}m or less",
        )


def _series(record: EvidenceRecord, collected_id: str) -> Iterator[Diagnostic]:
    """The id a collection would give its record, `<series>-<YYYY-MM-DD>`, must be an id too."""
    if _id_pattern().search(collected_id):
        return
    field = "series" if "series" in record.source.data else "id"
    room = _longest_id() - (len(collected_id) - len(record.series))
    yield record.source.at(field).error(
        ID,
        f"{field}: the records this series collects would have ids of {len(collected_id)} characters "
        f"(<series>-<YYYY-MM-DD>), more than the {_longest_id()} an id may have",
        f"give the series a name of at most {room} characters",
    )


@cache
def _id_pattern() -> re.Pattern[str]:
    return re.compile(schemas.schema("evidence")["$defs"]["id"]["pattern"])


@cache
def _longest_id() -> int:
    """The most characters the schema's id pattern admits (64), read from the pattern itself."""
    return next((n for n in range(1024) if not _id_pattern().search("a" * (n + 1))), 1024)
