"""The gap report's workbook as an auditor uses it: real numbers and dates, true blanks, the as-of
date and audit period on the Summary sheet, slot counts per control, frozen and filtered headers.

Counted by hand on tests/fixtures/gap-mini (judged on 2026-11-22, audit period the year 2026):
C-MONTHLY has a scan for every month but March; December has not ended (open); so 10 filled,
1 open, 1 missing (2026-03-01 to 2026-03-31). C-QUARTERLY: Q1 to Q3 filled, Q4 open.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from helpers import TESTS
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal import slots as coverage
from plaintrust.internal.render import RENDERERS, sheetcells, tables

MINI = TESTS / "fixtures" / "gap-mini"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def report(root: Path) -> gaps.GapReport:
    return gaps.build(pipeline.run(root).model)


def book_of(report: gaps.GapReport):
    return load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))


def records(sheet, header_row: int = 1) -> list[dict]:
    """The sheet's rows as {header: cell}."""
    headers = [c.value for c in sheet[header_row]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=header_row + 1)]


def test_the_summary_names_the_organization_the_day_and_the_audit_period(mini: Path) -> None:
    sheet = book_of(report(mini))["Summary"]
    assert [[c.value for c in row if c.value is not None] for row in sheet.iter_rows(max_row=4)] == [
        ["Organization", "Mini Co"],
        ["As of", dt.datetime(2026, 11, 22)],
        ["Audit period (mini)", dt.datetime(2026, 1, 1), dt.datetime(2026, 12, 31)],
        [],
    ]
    assert all(sheet.cell(row, column).is_date for row, column in ((2, 2), (3, 2), (3, 3)))
    assert sheet["B2"].number_format == "yyyy-mm-dd" and sheet["A1"].font.b


def test_counts_and_the_percentage_are_numbers(mini: Path) -> None:
    (row,) = records(book_of(report(mini))["Summary"], header_row=5)
    counts = {
        k: row[k].value for k in ("Met", "Partially met", "Not met", "Not applicable", "Out of scope", "Applicable")
    }
    assert counts == {
        "Met": 3,
        "Partially met": 4,
        "Not met": 2,
        "Not applicable": 2,
        "Out of scope": 1,
        "Applicable": 9,
    }
    assert all(row[k].data_type == "n" and row[k].number_format == "0" for k in counts)
    percent = row["Percent met"]
    assert (percent.value, percent.data_type, percent.number_format) == (33.3, "n", "0.0")


def test_evidence_and_slot_dates_are_dates(mini: Path) -> None:
    book = book_of(report(mini))
    baseline = next(r for r in records(book["Evidence"]) if r["Evidence"].value == "baseline-2025")
    assert (baseline["Collected"].value, baseline["Stale on"].value) == (
        dt.datetime(2025, 10, 1),
        dt.datetime(2026, 10, 1),
    )
    assert baseline["Collected"].is_date and baseline["Stale on"].number_format == "yyyy-mm-dd"
    assert baseline["Covers"].value is None  # no `covers`: nothing written, not an empty string
    slots = records(book["Audit-period slots"])
    assert slots and all(r["From"].is_date and r["To"].is_date and r["Slots"].data_type == "n" for r in slots)


def test_the_controls_sheet_counts_slots_per_control(mini: Path) -> None:
    rows = {r["Control"].value: r for r in records(book_of(report(mini))["Controls"])}
    counted = {
        k: [rows[k][h].value for h in ("Filled slots", "Open slots", "Missing slots", "Missing audit-period evidence")]
        for k in ("C-MONTHLY", "C-QUARTERLY")
    }
    assert counted == {"C-MONTHLY": [10, 1, 1, "2026-03-01 to 2026-03-31"], "C-QUARTERLY": [3, 1, 0, None]}
    assert [rows["C-MONTHLY"][h].value for h in ("Title", "Owner", "Status", "Frequency", "Effect")] == [
        "Monthly vulnerability scan",
        "erin@mini.example",
        "implemented",
        "monthly",
        "weak",
    ]
    assert all(rows["C-MONTHLY"][h].data_type == "n" for h in ("Filled slots", "Open slots", "Missing slots"))


def test_missing_slot_counts_agree_with_the_slots_of_the_example() -> None:
    model = pipeline.run(TESTS.parent).model
    found = gaps.build(model)
    for framework in found.frameworks:
        declared = model.program.framework(framework.id)
        for finding in framework.controls:
            cells = sheetcells.missing_cells(framework, finding)
            if framework.audit_period is None:
                assert cells == ["", ""]
                continue
            listed = coverage.slots(model, model.controls_by_id[finding.id], framework.audit_period, declared.sampling)
            assert int(cells[0]) == sum(s.state is coverage.SlotState.MISSING for s in listed), finding.id


def test_blank_cells_are_true_blanks(mini: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(RENDERERS["xlsx"](report(mini)))) as archive:
        strings = archive.read("xl/sharedStrings.xml").decode() if "xl/sharedStrings.xml" in archive.namelist() else ""
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")]
    assert "<t></t>" not in strings and "<t/>" not in strings
    assert all('t="inlineStr"><is><t></t>' not in s and "<v></v>" not in s for s in sheets)


def test_every_sheet_freezes_and_filters_its_header_row() -> None:
    found = gaps.build(pipeline.run(TESTS.parent).model)
    book = book_of(found)
    assert book["Summary"].freeze_panes == f"A{len(sheetcells.summary_preamble(found)) + 3}"  # a blank row between
    for sheet in book.worksheets:
        header = int(sheet.freeze_panes[1:]) - 1  # labelled rows may stand above a table
        assert sheet.auto_filter.ref == f"A{header}:{get_column_letter(sheet.max_column)}{sheet.max_row}", sheet.title
        cells = [c for c in sheet[header] if c.value is not None]
        assert len(cells) == sheet.max_column and all(c.font.b and c.fill.fgColor.rgb == "FF1F3B57" for c in cells)


def test_the_matrix_keeps_requirement_ids_as_text(mini: Path) -> None:
    # Framework ids head the matrix's columns: one named like a count column must not turn ids into numbers.
    row = gaps.MatrixRow(
        "C-1", "Backups", "implemented", "ops@mini.example", (("Slots", ("012",)), ("Collected", ("2026-01-01",)))
    )
    sheet = book_of(dataclasses.replace(report(mini), matrix=(row,)))["Matrix"]
    assert [(c.value, c.data_type) for c in sheet[2]][4:6] == [("012", "s"), ("2026-01-01", "s")]


def test_the_same_report_gives_the_same_bytes(mini: Path) -> None:
    first = report(mini)
    assert RENDERERS["xlsx"](first) == RENDERERS["xlsx"](first) == RENDERERS["xlsx"](report(mini))


def test_the_csv_files_stay_text(mini: Path) -> None:
    found = report(mini)
    summary = list(csv.reader(io.StringIO(tables.to_csv(tables.summary_table(found)).decode())))
    assert summary[1][3:5] == ["3", "4"] and "33.3" in summary[1]
    evidence = tables.csv_files(found)["evidence.csv"].decode()
    assert "baseline-2025,Evidence baseline-2025,report,baseline-2025,2025-10-01,,annual,2026-10-01," in evidence


@pytest.mark.parametrize(
    ("kind", "text", "cell"),
    [
        (sheetcells.DATE, "2026-11-22", dt.date(2026, 11, 22)),
        (sheetcells.DATE, "2026-02-30", "2026-02-30"),  # not a day: stays what it says
        (sheetcells.DATE, "1899-12-31", "1899-12-31"),  # before spreadsheet dates begin
        (sheetcells.DATE, "2026-01-01 to 2026-03-31", "2026-01-01 to 2026-03-31"),
        (sheetcells.COUNT, "12", 12),
        (sheetcells.COUNT, "012", "012"),  # a leading zero: an identifier
        (sheetcells.COUNT, "١٢", "١٢"),  # digits of another script are not read as a number
        (sheetcells.COUNT, "=1+1", "=1+1"),
        (sheetcells.DECIMAL, "33.3", 33.3),
        (sheetcells.DECIMAL, "1e9", "1e9"),
        (None, "12", "12"),
        (sheetcells.COUNT, "", ""),
    ],
)
def test_a_cell_is_typed_only_when_it_reads_as_its_columns_kind(kind, text, cell) -> None:
    assert sheetcells.typed(kind, text) == cell
