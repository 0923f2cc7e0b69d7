"""The audit-period and today verdicts (plaintrust.internal.period_today) as each format shows them.

Kept beside, never inside, the overall status: an auditor testing the period reads the first, the
team keeping evidence fresh reads the second.
"""

from __future__ import annotations

from typing import Any

from plaintrust.internal.period_today import Verdict

REQUIREMENT_HEADERS = ["Audit period", "Audit period reason", "Today", "Today reason"]
CONTROL_HEADERS = ["Over the audit period", "Today"]
WIDTHS = {"Audit period reason": 60, "Today reason": 60}


def requirement_cells(row) -> list[str]:
    return [row.period_status, row.period_reason, row.current_status, row.current_reason]


def control_cells(finding) -> list[str]:
    return [finding.period_verdict.text, finding.today_verdict.text]


def _verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {"state": verdict.state, "text": verdict.text, "effect": verdict.effect}


def control_json(finding) -> dict[str, Any]:
    today = finding.today_verdict
    return {
        "audit_period_verdict": _verdict_json(finding.period_verdict),
        "today_verdict": {**_verdict_json(today), "stale_since": today.since.isoformat() if today.since else None},
    }


def requirement_json(row) -> dict[str, Any]:
    return {
        "period_status": row.period_status,
        "period_reason": row.period_reason,
        "current_status": row.current_status,
        "current_reason": row.current_reason,
    }


def markdown_cells(row) -> list[str]:
    """The requirement table's two columns: the status, and the reason when it is not met."""
    return [_with_reason(row.period_status, row.period_reason), _with_reason(row.current_status, row.current_reason)]


def _with_reason(status: str, reason: str) -> str:
    return f"{status}: {reason}" if status in ("partially met", "not met") else status


def sampling_text(framework) -> str:
    """How continuous controls were sampled, for the line under a framework's audit period."""
    if framework.sampling == "edges":
        return "continuous controls need evidence in its first and last month"
    return "continuous controls need evidence in every month"
