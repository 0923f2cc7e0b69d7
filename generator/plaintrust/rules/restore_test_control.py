"""The restore-test control that site/trust.yaml names does not exist, or cannot prove a restore test.

The overview shows when backups were last restored in a test, from the newest evidence of the
control that `resilience.restore_test.control` names. It is an error when that id matches no
control (the hint offers the closest), and a warning when the control is not `implemented` or links
no evidence: the overview then says "No restore test on record yet". It is not checked while a
control file fails to load.

A restore-test claim must rest on evidence, not on a name.

Severity: error for an unknown id; warning for a control that cannot prove it. An error makes
`plaintrust check` fail and `plaintrust build` build nothing; the warning fails them only with
`--strict`.

To fix it, name the control that holds your restore tests, mark it implemented, and link the
record of the latest test under its `evidence`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model, Status
from plaintrust.suggest import did_you_mean

ID = "restore-test-control"
READS_FILES = True  # the control's position is looked up before it is judged: a cached trust.yaml is read again


def check(model: Model) -> Iterator[Diagnostic]:
    trust = model.trust
    resilience = trust.resilience if trust else None
    control_id = resilience.restore_control if resilience else None
    if trust is None or control_id is None or control_id in model.broken_ids or "control" in model.incomplete:
        return
    where = trust.source.at("resilience", "restore_test", "control")
    control = model.controls_by_id.get(control_id)
    if control is None:
        yield where.error(ID, f"no control has the id {control_id!r}", did_you_mean(control_id, model.controls_by_id))
    elif control.status is not Status.IMPLEMENTED or not control.evidence:
        state = "links no evidence" if control.status is Status.IMPLEMENTED else f"is {control.status.value}"
        yield where.warning(
            ID,
            f"{control_id} {state}: the overview says no restore test is on record yet",
            "link the evidence of your latest restore test to an implemented control",
        )
