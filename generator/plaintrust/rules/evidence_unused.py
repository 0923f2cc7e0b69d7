"""An evidence record that no control links (directly or through its series) proves nothing: a warning.

Older records of a series (e.g. last quarter's access review) count as used when any record of the
series is linked. Not checked while a control file fails to load: it may be the one linking the record.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "evidence-unused"


def check(model: Model) -> Iterator[Diagnostic]:
    if "control" in model.incomplete:
        return  # a control that failed to load may be the one linking the record
    linked = {evidence_id for control in model.controls for evidence_id in control.evidence}
    linked_series = {model.evidence_by_id[i].series for i in linked if i in model.evidence_by_id}
    for record in model.evidence:
        if record.id not in linked and record.series not in linked_series:
            yield record.source.at("id").warning(ID, f"no control links the evidence record {record.id!r}",
                                                 "add it to a control's `evidence`, or delete it")
