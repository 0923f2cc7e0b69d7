"""A control's `evidence` may only list ids of existing evidence records."""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.rules._suggest import did_you_mean

ID = "unknown-evidence"


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        for index, evidence_id in enumerate(control.evidence):
            if evidence_id not in model.evidence_by_id and evidence_id not in model.broken_ids:
                where = control.source.at("evidence", index)
                yield where.error(ID, f"no evidence record has the id {evidence_id!r}",
                                  did_you_mean(evidence_id, model.evidence_by_id))
