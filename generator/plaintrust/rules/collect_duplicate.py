"""Two records of one evidence series each carry a `collect:` block.

A series declares how it collects itself once, on one of its records (the one it started with);
the records `plaintrust evidence collect` writes do not repeat the block, so there is one place to
edit it. With two blocks it would be unclear which one runs: the first record's (by file path) is
used, and every later one is reported here, at its `collect` key, naming the first.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, keep one `collect:` block for the series and delete the others (merge what differs
into the one you keep).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "collect-duplicate"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if not model.collecting:  # no record has a collect block: most repositories
        return
    for record in model.evidence:
        first = model.collecting.get(record.series)
        if record.collect is not None and first is not None and first is not record:
            yield record.source.key_at("collect").error(
                ID,
                f"series {record.series} already collects itself: {first.source.path} has its collect block",
                "keep one collect block per series, on one of its records; delete this one",
            )
