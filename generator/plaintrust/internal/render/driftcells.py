"""Drifting controls in every gap-report format: a section of its own (HTML, Markdown, JSON, a sheet of
the workbook, drift.csv) and a Drift column beside each control and requirement in the flat tables.

All of it only when some control watches files (`report.watched`): the reports of repositories
without watches stay as they were. The public status is not touched by drift: it changes only when
evidence lapses, and each section says so.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from plaintrust.internal.gaps import ControlFinding, DriftRow, GapReport, RequirementRow

Table = tuple[list[str], list[list[str]]]

TITLE = "Drifting controls"
PUBLIC = "The public status is not affected until evidence lapses."
# A confirmed change is not drift but did happen: the sentence must stay true when every change was confirmed.
NONE_DRIFT = "No watched file changed after its control's newest evidence or, when later, its drift confirmation."
HEADERS = [
    "Control",
    "Title",
    "Watches",
    "Changed file",
    "Changed on",
    "Commit",
    "Newest evidence",
    "Drift confirmed on",
]
COLUMN_HEADERS = ["Drift"]  # the column the requirement and control tables gain
WIDTHS = {"Watches": 36, "Changed file": 36, "Drift": 60}


def unknown_text(report: GapReport) -> str:
    return f"Drift was not checked: {(report.drift_unknown or '').rstrip('.')}."


def status_text(report: GapReport) -> str:
    """The sentences above the table, or instead of it."""
    if report.drift_unknown:
        return unknown_text(report)
    if not report.drift:
        return NONE_DRIFT
    # A row is one watch: two watches of a control (a glob and a region) can name the same changed file.
    files = _counted(len({r.path for r in report.drift}), "watched file")
    controls = _counted(len({r.control for r in report.drift}), "control")
    changed = f"{files} changed after the newest evidence of {controls}"
    return f"{changed}: collect fresh evidence, or once someone has checked it still holds, set drift_confirmed_on. {PUBLIC}"


def _counted(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def change_text(row: DriftRow) -> str:
    """`infra/idp.tf changed 2026-11-30 (commit 0123456789ab), newest evidence 2026-11-03`."""
    text = f"{row.path} changed {row.changed_on.isoformat()} (commit {row.commit})"
    text += f", newest evidence {row.newest_evidence.isoformat()}"
    return text + (f", confirmed {row.confirmed_on.isoformat()}" if row.confirmed_on else "")


def table(report: GapReport) -> Table:
    rows = [
        [
            r.control,
            r.title,
            r.watch,
            r.path,
            r.changed_on.isoformat(),
            r.commit,
            r.newest_evidence.isoformat(),
            r.confirmed_on.isoformat() if r.confirmed_on else "",
        ]
        for r in report.drift
    ]
    return HEADERS, rows


def preamble(report: GapReport) -> list[list[str]]:
    """The labelled row above the workbook's drift sheet."""
    return [[TITLE, status_text(report)]]


# The Drift column of the flat tables (CSV, workbook): None when no control watches a file.


def by_control(report: GapReport) -> Mapping[str, str] | None:
    """Each drifting control's changes as text, by control id; None: no column at all."""
    if not report.watched:
        return None
    found: dict[str, dict[str, None]] = {}  # ordered sets: two watches can name the same change
    for row in report.drift:
        found.setdefault(row.control, {})[change_text(row)] = None
    return {control: "; ".join(texts) for control, texts in found.items()}


def column_headers(drifting: Mapping[str, str] | None) -> list[str]:
    return [] if drifting is None else COLUMN_HEADERS


def requirement_cells(row: RequirementRow, drifting: Mapping[str, str] | None) -> list[str]:
    if drifting is None:
        return []
    return ["; ".join(f"{c.id}: {drifting[c.id]}" for c in row.controls if c.id in drifting)]


def control_cells(finding: ControlFinding, drifting: Mapping[str, str] | None) -> list[str]:
    return [] if drifting is None else [drifting.get(finding.id, "")]


# JSON (gap-report.schema.json): `drift` and `drift_unknown`, absent when no control watches a file.


def report_json(report: GapReport) -> dict[str, Any]:
    if not report.watched:
        return {}
    rows = [
        {
            "control": r.control,
            "title": r.title,
            "watch": r.watch,
            "path": r.path,
            "changed_on": r.changed_on.isoformat(),
            "commit": r.commit,
            "newest_evidence": r.newest_evidence.isoformat(),
            "confirmed_on": r.confirmed_on.isoformat() if r.confirmed_on else None,
        }
        for r in report.drift
    ]
    return {"drift": rows, "drift_unknown": report.drift_unknown}


# Markdown. Titles and paths are the team's own text: escaped, so none becomes live markup or a link
# where the report is shown (a pull request, a wiki).

_PUNCTUATION = re.compile(r"([\\`*_\[\]()|!~#])")


def md_text(value: str) -> str:
    escaped = html.escape(" ".join(value.split()), quote=False)  # no attribute to break out of once < is escaped
    return _PUNCTUATION.sub(r"\\\1", escaped) or " "


def markdown(report: GapReport) -> str:
    """The section, '' when no control watches a file."""
    if not report.watched:
        return ""
    parts = [f"## {TITLE}\n", f"{md_text(status_text(report))}\n"]
    if report.drift:
        headers, rows = table(report)
        lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
        lines += ["| " + " | ".join(md_text(cell) for cell in row) + " |" for row in rows]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)
