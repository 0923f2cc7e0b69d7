"""`resilience.restore_test.control` in site/trust.yaml must name an existing control.

The overview shows when backups were last restored in a test from that control's evidence; a name
that matches no control would leave the claim without proof. A control that is not implemented,
or has no evidence, is shown as "No restore test on record yet" (a warning says so here).
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model, Status
from plaintrust.rules._suggest import did_you_mean

ID = "restore-test-control"


def check(model: Model) -> Iterator[Diagnostic]:
    resilience = model.trust.resilience if model.trust else None
    control_id = resilience.restore_control if resilience else None
    if control_id is None or control_id in model.broken_ids or "control" in model.incomplete:
        return
    where = model.trust.source.at("resilience", "restore_test", "control")
    control = model.controls_by_id.get(control_id)
    if control is None:
        yield where.error(ID, f"no control has the id {control_id!r}", did_you_mean(control_id, model.controls_by_id))
    elif control.status is not Status.IMPLEMENTED or not control.evidence:
        state = "links no evidence" if control.status is Status.IMPLEMENTED else f"is {control.status.value}"
        yield where.warning(ID, f"{control_id} {state}: the overview says no restore test is on record yet",
                            "link the evidence of your latest restore test to an implemented control")
