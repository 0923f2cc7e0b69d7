"""Typed cells for the gap report's workbook.

The report's tables are text, shared with the CSV files and the Markdown report. An auditor's
spreadsheet wants real numbers and dates, to sort, filter and add them up. So the workbook types a
cell by its column's header: a count becomes a number, an ISO day a date. A value that does not
read as its column's kind stays text, so a new column or an odd value is never lost.
"""

from __future__ import annotations

import datetime as dt
import re

from plaintrust.internal.gaps import ControlFinding, FrameworkReport, GapReport, ReqStatus

Cell = str | int | float | dt.date | None

DATE, COUNT, DECIMAL = "date", "count", "decimal"

COLUMN_KINDS = {
    "Collected": DATE,
    "Stale on": DATE,
    "From": DATE,
    "To": DATE,
    **{s.value.capitalize(): COUNT for s in ReqStatus},
    "Applicable": COUNT,
    "Slots": COUNT,
    "Filled slots": COUNT,
    "Open slots": COUNT,
    "Missing slots": COUNT,
    "Percent met": DECIMAL,
    "Approved on": DATE,
    "Next review": DATE,
    "Ledger line": COUNT,
    "Changed on": DATE,
    "Newest evidence": DATE,
    "Drift confirmed on": DATE,
}

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# 15 digits: what a spreadsheet holds exactly; a leading zero means an identifier, not a count.
_COUNT = re.compile(r"0|[1-9][0-9]{0,14}")
_DECIMAL = re.compile(r"(0|[1-9][0-9]{0,14})(\.[0-9]{1,6})?")
# Spreadsheet dates start in 1900, and 1900's first two months are off by a day (the 1900 leap year
# bug): an earlier day stays text rather than showing as another day.
_FIRST_DAY = (1900, 3, 1)


def typed(kind: str | None, value: Cell) -> Cell:
    """`value` as its column's kind when it reads as one; anything else unchanged."""
    if not isinstance(value, str):
        return value
    if kind == DATE and _ISO_DAY.fullmatch(value):
        try:
            return day(dt.date.fromisoformat(value))
        except ValueError:
            return value
    if kind == COUNT and _COUNT.fullmatch(value):
        return int(value)
    if kind == DECIMAL and _DECIMAL.fullmatch(value):
        return float(value)
    return value


def day(value: dt.date) -> Cell:
    """A date a spreadsheet can show as one, else its ISO text."""
    return value if (value.year, value.month, value.day) >= _FIRST_DAY else value.isoformat()


def summary_preamble(report: GapReport) -> list[list[Cell]]:
    """The labelled rows above the Summary sheet's table: whose report, as of when, which periods."""
    rows: list[list[Cell]] = [["Organization", report.organization], ["As of", day(report.today)]]
    rows += [
        [f"Audit period ({f.id})", day(f.audit_period.start), day(f.audit_period.end)]
        for f in report.frameworks
        if f.audit_period
    ]
    return rows


MISSING_HEADERS = ["Missing slots", "Missing audit-period evidence"]


def missing_cells(framework: FrameworkReport, control: ControlFinding) -> list[str]:
    """How many audit-period slots lack evidence, and which days (blank without an audit period)."""
    if framework.audit_period is None:
        return ["", ""]
    count = sum(run.slots for run in control.slots if run.state == "missing")
    ranges = "; ".join(
        p.start.isoformat() if p.start == p.end else f"{p.start.isoformat()} to {p.end.isoformat()}"
        for p in control.missing
    )
    return [str(count), ranges]
