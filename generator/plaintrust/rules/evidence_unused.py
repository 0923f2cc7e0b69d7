"""No control links an evidence record, neither directly nor through its series.

It fires at a record's `id` when no control lists it under `evidence` and no control lists another
record of its `series`: older records of a series (last quarter's access review) count as used
while any record of the series is linked. It is not checked while a control file fails to load, as
that file may be the one linking the record.

Evidence that no control uses proves nothing; it is often left over from a renamed control or a
mistyped id.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, add the record's id to the `evidence` of the control it proves, or delete the record.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "evidence-unused"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if "control" in model.incomplete:
        return  # a control that failed to load may be the one linking the record
    linked = {evidence_id for control in model.controls for evidence_id in control.evidence}
    linked_series = {model.evidence_by_id[i].series for i in linked if i in model.evidence_by_id}
    for record in model.evidence:
        if record.id not in linked and record.series not in linked_series:
            yield record.source.at("id").warning(
                ID,
                f"no control links the evidence record {record.id!r}",
                "add it to a control's `evidence`, or delete it",
            )
