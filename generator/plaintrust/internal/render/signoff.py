"""What an auditor signs off, as each format shows it: the Statement of Applicability's approval
(version, approved by, approved on) above the SoA, and why each group left out of scope is out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plaintrust.internal.gaps import FrameworkReport, GapReport

Table = tuple[list[str], list[list[str]]]

NOT_SIGNED = "not signed off: give the framework a soa block (version, approved_by, approved_on) in program.yaml"


def approval_rows(report: GapReport) -> list[list[Any]]:
    """Labelled rows above the SoA table (dates stay dates: a spreadsheet writes them as dates)."""
    s = report.soa_signoff
    if s is None:
        return [["Statement of Applicability", report.soa_framework or ""], ["Approval", NOT_SIGNED]]
    return [
        ["Statement of Applicability", report.soa_framework or ""],
        ["Version", s.version],
        ["Approved by", s.approved_by],
        ["Approved on", s.approved_on],
    ]


def with_approval(report: GapReport, table: Table) -> Table:
    """The SoA table as one CSV: the approval rows, a blank row, then the table with its headers."""
    rows = [[_text(v) for v in row] for row in approval_rows(report)]
    return rows[0], [*rows[1:], [], table[0], *table[1]]


def approval_text(report: GapReport) -> str:
    """The approval as a Markdown list: version, approved by, approved on (or that there is none)."""
    rows = approval_rows(report)[1:]
    return "\n".join(f"- {label}: {_one_line(_text(value))}" for label, value in rows) + "\n"


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def approval_json(report: GapReport) -> dict[str, str] | None:
    s = report.soa_signoff
    return (
        None
        if s is None
        else {"version": s.version, "approved_by": s.approved_by, "approved_on": s.approved_on.isoformat()}
    )


def excluded_text(framework: FrameworkReport) -> str:
    """The out-of-scope groups of a framework with their reasons, as a Markdown list ('' when none)."""
    out = [
        f"- {g.title} ({g.id}): {_one_line(g.justification or 'no reason given')}"
        for g in framework.groups
        if not g.in_scope
    ]
    return "Out of scope:\n\n" + "\n".join(out) + "\n" if out else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())  # a folded reason must not break out of its list item


WIDTHS = {"Why out of scope": 60, "Reason for inclusion": 48}
SCOPE_HEADERS = ["Framework", "Group", "Title", "In scope", "Requirements", "Why out of scope"]


def scope_table(report: GapReport) -> Table:
    rows = [
        [f.id, g.id, g.title, "yes" if g.in_scope else "no", str(g.requirements), g.justification or ""]
        for f in report.frameworks
        for g in f.groups
    ]
    return SCOPE_HEADERS, rows
