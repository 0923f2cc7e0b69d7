"""A control's `evidence` lists an id that no evidence record has.

It fires for each id in a control's `evidence` that matches no record under evidence/. An id whose
record file failed to load is not reported again: that file's own error is. The hint offers the
closest record id.

A link to proof that does not exist proves nothing: the gap report counts the control as only
partly effective.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, correct the id, or add the record (`plaintrust evidence new FILE` scaffolds and pins
one).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.suggest import did_you_mean

ID = "unknown-evidence"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        for index, evidence_id in enumerate(control.evidence):
            if evidence_id not in model.evidence_by_id and evidence_id not in model.broken_ids:
                where = control.source.at("evidence", index)
                yield where.error(
                    ID,
                    f"no evidence record has the id {evidence_id!r}",
                    did_you_mean(evidence_id, model.evidence_by_id),
                )
