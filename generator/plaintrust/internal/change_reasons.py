"""One line on why a requirement's status moved between two gap reports ("AC-02 is now weak: evidence
'x' is stale since ..."). Pure: it reads the two rows, nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # gaps imports this module: a runtime import would be circular
    from plaintrust.internal.gaps import ControlFinding, RequirementRow

_OUT, _NA = "out of scope", "not applicable"


def why(before: RequirementRow | None, after: RequirementRow | None) -> str:
    if before is None:
        return "new in the report (framework added, or the requirement brought into the report)"
    if after is None:
        return "no longer in the report (framework removed or narrowed by --framework)"
    moved = _scope_or_exclusion(before, after)
    if moved:
        return moved
    return "; ".join(_control_changes(before.controls, after.controls)) or after.reason


def _scope_or_exclusion(before: RequirementRow, after: RequirementRow) -> str:
    """Scope and not-applicable declarations outrank anything the controls did."""
    if after.status.value == _OUT:
        return f"group '{after.group}' taken out of scope"
    if before.status.value == _OUT:
        return f"group '{after.group}' brought into scope"
    if after.status.value == _NA:
        return "declared not applicable" + (f": {after.justification}" if after.justification else "")
    if before.status.value == _NA:
        return "no longer declared not applicable"
    return ""


def _control_changes(before: tuple[ControlFinding, ...], after: tuple[ControlFinding, ...]) -> list[str]:
    old = {c.id: c for c in before}
    new = {c.id: c for c in after}
    parts = [f"control {i} added" for i in new if i not in old]
    parts += [f"control {i} removed" for i in old if i not in new]
    for control_id, now in new.items():
        then = old.get(control_id)
        if then is None or then.effect == now.effect:
            continue
        fresh = [p for p in now.problems if p not in then.problems]
        parts.append(f"{control_id} is now {now.effect.value}" + (f": {'; '.join(fresh)}" if fresh else ""))
    return parts
