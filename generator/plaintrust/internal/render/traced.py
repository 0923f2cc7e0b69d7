"""The auditor's trail in every gap-report format: each control's description, all records of its
evidence series, the records filling each audit-period slot, where evidence came from, and the
remediation of what is not yet in place. The JSON fields and the table cells share these helpers.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from plaintrust.internal.gaps import ControlFinding, EvidenceRow, GapReport, RequirementRow
from plaintrust.internal.render import driftcells, sheetcells, verdicts
from plaintrust.internal.trace import RecordRef, RemediationItem, SlotRun

Table = tuple[list[str], list[list[str]]]


def _join(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)


def _range(first, last) -> str:
    return first.isoformat() if first == last else f"{first.isoformat()} to {last.isoformat()}"


# JSON (gap-report.schema.json): fields added to a control, a requirement and an evidence record.


def remediation_json(item: RemediationItem | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {
        "control": item.control,
        "plan": item.plan,
        "owner": item.owner,
        "due": item.due.isoformat(),
        "overdue": item.overdue,
    }


def control_json(c: ControlFinding) -> dict[str, Any]:
    return {
        "description": c.description,
        "records": [{"id": r.id, "collected": r.collected.isoformat(), "state": r.state} for r in c.records],
        "slots": [
            {
                "from": s.start.isoformat(),
                "to": s.end.isoformat(),
                "state": s.state,
                "slots": s.slots,
                "evidence": list(s.evidence),
            }
            for s in c.slots
        ],
        "remediation": remediation_json(c.remediation),
    }


def requirement_json(r: RequirementRow) -> dict[str, Any]:
    return {"remediation": [remediation_json(item) for item in r.remediation]}


def evidence_json(e: EvidenceRow) -> dict[str, Any]:
    return {"source": e.source or None, "notes": e.notes or None}


# Text, for the CSV, XLSX and Markdown cells and the HTML report.


def record_text(record: RecordRef) -> str:
    return f"{record.id} ({record.collected.isoformat()}, {record.state})"


def records_text(c: ControlFinding) -> str:
    return ", ".join(record_text(r) for r in c.records)


def slot_text(run: SlotRun) -> str:
    """`2026-01-01 to 2026-04-30 filled by offboarding-2026-h1`, `2026-03-01 to 2026-03-31 missing`."""
    text = f"{_range(run.start, run.end)} {run.state}"
    return text + (f" by {', '.join(run.evidence)}" if run.evidence else "")


def slots_text(c: ControlFinding) -> str:
    return _join(slot_text(run) for run in c.slots)


def remediation_text(item: RemediationItem) -> str:
    """`C-PARTIAL: Automate the review (owner grace@mini.example, due 2027-03-31)`."""
    late = f"; remediation overdue since {item.due.isoformat()}" if item.overdue else ""
    return f"{item.control}: {item.plan} (owner {item.owner}, due {item.due.isoformat()}{late})"


def requirement_cells(r: RequirementRow) -> list[str]:
    """The cells a requirement row gains: every record of its controls' series, and remediation."""
    records = _join(f"{c.id}: {records_text(c)}" for c in r.controls if c.records)
    return [records, _join(remediation_text(item) for item in r.remediation)]


REQUIREMENT_HEADERS = ["Evidence records (collected, state)", "Remediation"]
EVIDENCE_HEADERS = ["Source", "Notes"]


def evidence_cells(e: EvidenceRow) -> list[str]:
    return [e.source, e.notes]


CONTROL_HEADERS = [
    "Framework",
    "Control",
    "Title",
    "Description",
    "Status",
    "Frequency",
    "Owner",
    "Effect",
    "Linked evidence",
    "Evidence records (collected, state)",
    "Filled slots",
    "Open slots",
    "Audit-period slots (records)",
    "Remediation",
    "Problems",
    *sheetcells.MISSING_HEADERS,
    *verdicts.CONTROL_HEADERS,
]


def controls_table(report: GapReport) -> Table:
    """Each control of each framework, once: what it is, every record of its series, its slots
    (and whether its watched files drifted, when some control watches files)."""
    drifting = driftcells.by_control(report)
    rows = [
        [
            f.id,
            c.id,
            c.title,
            c.description,
            c.status,
            c.frequency,
            c.owner,
            c.effect.value,
            ", ".join(c.evidence),
            records_text(c),
            str(c.filled_slots) if f.audit_period else "",
            str(c.open_slots) if f.audit_period else "",
            slots_text(c),
            remediation_text(c.remediation) if c.remediation else "",
            _join(c.problems),
            *sheetcells.missing_cells(f, c),
            *verdicts.control_cells(c),
            *driftcells.control_cells(c, drifting),
        ]
        for f in report.frameworks
        for c in f.controls
    ]
    return [*CONTROL_HEADERS, *driftcells.column_headers(drifting)], rows


# Column widths in the workbook for the long cells above.
WIDTHS = {
    "Description": 60,
    "Evidence records (collected, state)": 60,
    "Audit-period slots (records)": 60,
    "Remediation": 60,
    "Problems": 60,
    "Source": 40,
    "Notes": 48,
}


SLOT_HEADERS = ["Framework", "Control", "Frequency", "From", "To", "Slots", "State", "Evidence"]


def slots_table(report: GapReport) -> Table:
    """One row per run of audit-period slots: which records fill it, or that none does."""
    rows = [
        [f.id, c.id, c.frequency, s.start.isoformat(), s.end.isoformat(), str(s.slots), s.state, ", ".join(s.evidence)]
        for f in report.frameworks
        for c in f.controls
        for s in c.slots
    ]
    return SLOT_HEADERS, rows
