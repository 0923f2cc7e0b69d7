"""Two questions the gap report keeps apart: did a control operate through the audit period, and
is its evidence current today? Pure: no I/O.

A record that goes stale today says nothing about the quarter it proved, and a fresh record says
nothing about the months before it. So each control gets two verdicts, and each requirement two
statuses beside its overall one:

- audit period: judged on the control's status and its audit-period slots only. A control that is
  planned or not implemented has failed (not in place); a partial one, or one with missing slots
  (lapses), is weak; otherwise it operated (or nothing of the period is due yet).
- today: judged on the control's status and the health of its evidence now (current, stale,
  missing, unpinned, tampered), never on its slots.

A requirement is met, partially met or not met on each question the way its overall status is
judged; a framework without an audit period answers the first with "no audit period".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypedDict

from plaintrust.model import Control, Integrity, Period, Status

MET, PARTIAL, NOT_MET = "met", "partially met", "not met"
NO_AUDIT_PERIOD = "no audit period"
EFFECTIVE, WEAK, FAILED = "effective", "weak", "failed"


@dataclass(frozen=True)
class Verdict:
    """A control's answer to one of the two questions."""

    # period: operated | lapses | not yet due | not in place | no audit period;
    # today: current | stale | missing | unpinned | tampered
    state: str
    text: str  # the state with its dates: "lapses: 2026-03-01 to 2026-09-30", "stale since 2026-10-01"
    effect: str = EFFECTIVE  # effective | weak | failed, for this question alone
    problems: tuple[str, ...] = ()  # what the requirement's reason spells out
    since: dt.date | None = None  # today: the day the evidence went stale
    detail: str = ""  # the dates or status alone, shown under the state: "2026-03-01 to 2026-09-30"


NOT_JUDGED = Verdict(NO_AUDIT_PERIOD, NO_AUDIT_PERIOD)


class Finding(Protocol):
    # Read-only, so that a frozen dataclass (the gap report's ControlFinding) matches.
    @property
    def period_verdict(self) -> Verdict: ...

    @property
    def today_verdict(self) -> Verdict: ...


class Split(TypedDict):
    """A requirement's answer to each question: the RequirementRow fields of the same names."""

    period_status: str
    period_reason: str
    current_status: str
    current_reason: str


def span(period: Period) -> str:
    if period.start == period.end:
        return period.start.isoformat()
    return f"{period.start.isoformat()} to {period.end.isoformat()}"


def lapses_text(missing: Iterable[Period]) -> str:
    return ", ".join(span(p) for p in missing)


def control_period(
    control: Control, audit_period: Period | None, filled: int, missing: tuple[Period, ...], problems: list[str]
) -> Verdict:
    """`problems`: the control's status and missing-slot problems (not its evidence's health)."""
    if audit_period is None:
        return NOT_JUDGED
    effect = _status_effect(control)
    if missing:
        state, detail, effect = "lapses", lapses_text(missing), FAILED if effect == FAILED else WEAK
        text = f"lapses: {detail}"
    elif effect == FAILED:  # planned or not implemented: nothing it shows counts as operating
        state, detail = "not in place", control.status.value
        text = f"not in place ({detail})"
    elif filled:
        state, detail = "operated", ""
        text = state
    else:  # every slot still open, or the period not begun: nothing yet shows it operated
        state, detail, text = "not yet due", "", "not yet due"
        effect = WEAK if effect == EFFECTIVE else effect
        problems = [*problems, f"{control.id}: no slot of the audit period has closed with evidence yet"]
    return Verdict(state, text, effect, tuple(problems), detail=detail)


def control_today(control: Control, health, problems: list[str]) -> Verdict:
    """`health`: the control's EvidenceHealth; `problems`: its status and evidence problems."""
    tampered = any(r.integrity is Integrity.TAMPERED for r in health.linked)
    effect = _status_effect(control)
    since = None
    if tampered:
        state, effect = "tampered", FAILED
    elif not health.deciding or health.unknown_ids or health.broken:
        state = "missing"
    elif health.overdue_since:
        state, since = "stale", health.overdue_since
    elif health.unpinned:
        state = "unpinned"
    else:
        state = "current"
    if state != "current" and effect == EFFECTIVE:
        effect = WEAK
    detail = f"since {since.isoformat()}" if since else ""
    return Verdict(state, f"{state} {detail}" if detail else state, effect, tuple(problems), since, detail)


def _status_effect(control: Control) -> str:
    if control.status in (Status.PLANNED, Status.NOT_IMPLEMENTED):
        return FAILED
    return EFFECTIVE if control.status is Status.IMPLEMENTED else WEAK


def requirement_period(controls: tuple[Finding, ...], audit_period: Period | None) -> tuple[str, str]:
    if audit_period is None:
        return NO_AUDIT_PERIOD, "the framework has no audit period"
    operated = "every control operated through the audit period, as far as it is due"
    return _judge([c.period_verdict for c in controls], operated)


def requirement_today(controls: tuple[Finding, ...]) -> tuple[str, str]:
    return _judge([c.today_verdict for c in controls], "every control is in place with current, intact evidence")


REASON_CONTROLS = 3  # as in the overall reason: this many controls spelled out, the rest counted


def _judge(verdicts: list[Verdict], all_good: str) -> tuple[str, str]:
    if not verdicts:
        return NOT_MET, "no control addresses it"
    effects = {v.effect for v in verdicts}
    if effects == {EFFECTIVE}:
        return MET, all_good
    troubled = [v for v in verdicts if v.effect != EFFECTIVE and v.problems]
    spelled = "; ".join(p for v in troubled[:REASON_CONTROLS] for p in v.problems)
    rest = len(troubled) - REASON_CONTROLS
    reason = spelled + (f"; and {rest} more control{'s' * (rest != 1)} with problems" if rest > 0 else "")
    return (NOT_MET if effects == {FAILED} else PARTIAL), reason


def requirement_split(controls: tuple[Finding, ...], audit_period: Period | None) -> Split:
    """The requirement's `period_status`, `current_status` and their reasons."""
    period_status, period_reason = requirement_period(controls, audit_period)
    current_status, current_reason = requirement_today(controls)
    return Split(
        period_status=period_status,
        period_reason=period_reason,
        current_status=current_status,
        current_reason=current_reason,
    )


def not_judged(status: str, reason: str) -> Split:
    """A requirement that is not applicable or out of scope says so on both questions."""
    return Split(period_status=status, period_reason=reason, current_status=status, current_reason=reason)
