"""Policies in every gap-report format: beside each requirement (id, version, state) and as one table
of their own (owner, approval, next review, the requirements each satisfies). The JSON fields and the
table cells share these helpers. Internal: owners and approvers are never published.
"""

from __future__ import annotations

from typing import Any

from plaintrust.internal.gaps import GapReport, RequirementRow
from plaintrust.internal.policyproof import PolicyFinding, state_text

Table = tuple[list[str], list[list[str]]]

REQUIREMENT_HEADERS = ["Policies"]
HEADERS = [
    "Policy",
    "Title",
    "Version",
    "Owner",
    "Approved by",
    "Approved on",
    "Next review",
    "State",
    "Ledger line",
    "Satisfies",
]
WIDTHS = {"Policies": 36, "Satisfies": 48}


def _day(value) -> str:
    return value.isoformat() if value else ""


def ref_text(policy: PolicyFinding) -> str:
    """`access-control 1.2 approved 2026-06-08 (current)`, `logging 0.1 (draft)`: what a requirement
    row shows of each of its policies."""
    approved = f" approved {policy.approved_on.isoformat()}" if policy.approved_on else ""
    return f"{policy.id} {policy.version}{approved} ({state_text(policy)})"


def requirement_cells(row: RequirementRow) -> list[str]:
    return ["; ".join(ref_text(p) for p in row.policies)]


def satisfies_text(policy: PolicyFinding) -> str:
    return "; ".join(f"{framework}: {', '.join(ids)}" for framework, ids in policy.requirements)


def policies_table(report: GapReport) -> Table:
    rows = [
        [
            p.id,
            p.title,
            p.version,
            p.owner,
            p.approved_by or "",
            _day(p.approved_on),
            _day(p.next_review),
            state_text(p),
            str(p.approval.line) if p.approval else "",
            satisfies_text(p),
        ]
        for p in report.policies
    ]
    return HEADERS, rows


# JSON (gap-report.schema.json): `policies` on a requirement, and the report's `policies` list.


def ref_json(policy: PolicyFinding) -> dict[str, Any]:
    return {
        "id": policy.id,
        "title": policy.title,
        "version": policy.version,
        "approved_on": _day(policy.approved_on) or None,
        "approved_by": policy.approved_by,
        "state": policy.state,
    }


def requirement_json(row: RequirementRow) -> dict[str, Any]:
    return {"policies": [ref_json(p) for p in row.policies]}


def policy_json(policy: PolicyFinding) -> dict[str, Any]:
    approval = policy.approval
    return {
        **ref_json(policy),
        "owner": policy.owner,
        "file": policy.path,
        "review": policy.review,
        "effective": policy.effective.isoformat(),
        "next_review": _day(policy.next_review) or None,
        "overdue_from": _day(policy.overdue_from) or None,
        "approval": None
        if approval is None
        else {"ledger_line": approval.line, "time": approval.time, "sha256": approval.sha256},
        "requirements": {framework: list(ids) for framework, ids in policy.requirements},
    }
