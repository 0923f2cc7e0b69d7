"""A `collect:` block gives its collector more than 10 minutes to run.

It fires at `collect.timeout` when the timeout is longer than 10 minutes (`10m` or `600s`).
`plaintrust evidence collect` runs the collectors one after another, usually in a nightly CI job:
one that may hang for an hour holds up every other series and the job itself.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, set `timeout` to 10m or less. An export that takes longer is better run by a scheduled
job of its own, leaving a file that the `file` collector then snapshots.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.collect.api import MAX_TIMEOUT
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "collect-limit"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        if record.collect is not None and record.collect.timeout > MAX_TIMEOUT:
            written = record.source.data["collect"]["timeout"]
            yield record.source.at("collect", "timeout").error(
                ID,
                f"timeout: {written} is more than the {MAX_TIMEOUT // 60} minutes a collector may run",
                f"set it to {MAX_TIMEOUT // 60}m or less",
            )
