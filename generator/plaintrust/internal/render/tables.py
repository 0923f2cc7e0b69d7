"""The gap report as flat tables: CSV files and an Excel workbook share them."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from collections.abc import Iterable, Mapping, Sequence

from plaintrust.internal.gaps import FrameworkReport, GapReport, ReqStatus
from plaintrust.internal.render import driftcells, policycells, sheetcells, signoff, traced, verdicts

Table = tuple[list[str], list[list[str]]]

REQUIREMENT_HEADERS = [
    "Framework",
    "Requirement",
    "Title",
    "Group",
    "Status",
    "Reason",
    "Controls",
    "Control status",
    "Owners",
    "Evidence",
    "Missing audit-period evidence",
    *policycells.REQUIREMENT_HEADERS,
    "Via",
    "Not-applicable justification",
    *traced.REQUIREMENT_HEADERS,
    *verdicts.REQUIREMENT_HEADERS,
]


def _join(values: Iterable[str]) -> str:
    return "; ".join(v for v in values if v)


def period_text(period) -> str:
    return "" if period is None else f"{period.start.isoformat()} to {period.end.isoformat()}"


def requirement_rows(framework: FrameworkReport, drifting: Mapping[str, str] | None = None) -> list[list[str]]:
    """`drifting`: driftcells.by_control of the report; a Drift column at the end unless None."""
    rows = []
    for r in framework.rows:
        missing = [f"{c.id}: {_join(period_text(p) for p in c.missing)}" for c in r.controls if c.missing]
        rows.append(
            [
                framework.id,
                r.id,
                r.title,
                r.group,
                r.status.value,
                r.reason,
                _join(c.id for c in r.controls),
                _join(f"{c.id}: {c.status}" for c in r.controls),
                _join(sorted({c.owner for c in r.controls})),
                _join(sorted({e for c in r.controls for e in c.evidence})),
                _join(missing),
                *policycells.requirement_cells(r),
                _join(r.via),
                r.justification or "",
                *traced.requirement_cells(r),
                *verdicts.requirement_cells(r),
                *driftcells.requirement_cells(r, drifting),
            ]
        )
    return rows


def requirements_table(report: GapReport) -> Table:
    drifting = driftcells.by_control(report)
    headers = [*REQUIREMENT_HEADERS, *driftcells.column_headers(drifting)]
    return headers, [row for f in report.frameworks for row in requirement_rows(f, drifting)]


def summary_table(report: GapReport) -> Table:
    headers = [
        "Framework",
        "Catalog",
        "Audit period",
        *[s.value.capitalize() for s in ReqStatus],
        "Applicable",
        "Percent met",
        "Continuous controls sampled",
    ]
    rows = [
        [
            f.id,
            f.name,
            period_text(f.audit_period),
            *[str(f.count(s)) for s in ReqStatus],
            str(f.applicable),
            f"{f.percent_met:.1f}",
            f.sampling if f.audit_period else "",
        ]
        for f in report.frameworks
    ]
    return headers, rows


def evidence_table(report: GapReport) -> Table:
    headers = [
        "Evidence",
        "Title",
        "Kind",
        "Series",
        "Collected",
        "Covers",
        "Refresh",
        "Stale on",
        "State",
        "Classification",
        "Files",
        "SHA-256",
        "Controls",
        *traced.EVIDENCE_HEADERS,
    ]
    rows = [
        [
            e.id,
            e.title,
            e.kind,
            e.series,
            e.collected.isoformat(),
            period_text(e.covers),
            e.refresh,
            e.stale_on.isoformat(),
            e.state,
            e.classification,
            _join(f"{f.path} ({f.integrity})" for f in e.files),
            _join(f.sha256 or "unpinned" for f in e.files),
            _join(e.controls),
            *traced.evidence_cells(e),
        ]
        for e in report.evidence
    ]
    return headers, rows


def soa_table(report: GapReport) -> Table:
    headers = [
        "Annex A control",
        "Title",
        "Theme",
        "Applicable",
        "Justification",
        "Implemented by",
        "Status",
        "Reason for inclusion",
    ]
    rows = [
        [
            s.id,
            s.title,
            s.theme,
            "yes" if s.applicable else "no",
            s.justification,
            _join(f"{c} ({st})" for c, st in s.controls),
            s.status.value,
            s.reason or "",
        ]
        for s in report.soa
    ]
    return headers, rows


def matrix_table(report: GapReport) -> Table:
    frameworks = [f for f, _ in report.matrix[0].requirements] if report.matrix else []
    headers = ["Control", "Title", "Status", "Owner", *frameworks, "Satisfies nothing"]
    rows = [
        [
            m.control,
            m.title,
            m.status,
            m.owner,
            *[_join(ids) for _, ids in m.requirements],
            "yes" if m.satisfies_nothing else "",
        ]
        for m in report.matrix
    ]
    return headers, rows


# A cell starting with one of these is a formula to a spreadsheet program: an owner written as
# "=HYPERLINK(...)" must stay text in an auditor's Excel.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table[0])
    writer.writerows([_inert(cell) for cell in row] for row in table[1])
    return buffer.getvalue().encode("utf-8")


def requirements_csv(report: GapReport) -> bytes:
    return to_csv(requirements_table(report))


def workbook(report: GapReport) -> bytes:
    """Summary, a sheet per framework, the SoA, the evidence list, the policies, the drifting
    controls (when some control watches files) and the matrix.

    Written with XlsxWriter row by row (constant memory): twice as fast as openpyxl's streaming
    mode on a large report. Text is written as text, never as a formula; counts and ISO days in
    the columns `sheetcells.COLUMN_KINDS` names become numbers and dates; empty cells stay blank.
    The zip members carry fixed times, so the same report gives the same bytes.
    """
    import xlsxwriter  # imported on use: only the xlsx format needs it

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="plaintrust-xlsx-") as scratch:
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "tmpdir": scratch})
        moment = dt.datetime.combine(report.today, dt.time())
        book.set_properties({"author": "Plaintrust", "created": moment})
        header = book.add_format(
            {"bold": True, "font_color": "#FFFFFF", "bg_color": "#1F3B57", "valign": "top", "text_wrap": True}
        )
        _sheet(book, header, "Summary", summary_table(report), sheetcells.summary_preamble(report))
        drifting = driftcells.by_control(report)
        headers = [*REQUIREMENT_HEADERS, *driftcells.column_headers(drifting)]
        for framework in report.frameworks:
            _sheet(book, header, framework.id[:31], (headers, requirement_rows(framework, drifting)))
        if report.soa:
            _sheet(book, header, "Statement of Applicability", soa_table(report), signoff.approval_rows(report))
        _sheet(book, header, "Evidence", evidence_table(report))
        if report.policies:
            _sheet(book, header, "Policies", policycells.policies_table(report))
        if report.watched:
            _sheet(book, header, driftcells.TITLE, driftcells.table(report), driftcells.preamble(report))
        _sheet(book, header, "Matrix", matrix_table(report), typed=False)  # its headers are framework ids
        _sheet(book, header, "Controls", traced.controls_table(report))
        _sheet(book, header, "Audit-period slots", traced.slots_table(report))
        _sheet(book, header, "Scope", signoff.scope_table(report))
        book.close()
    return buffer.getvalue()


_WIDTHS = {
    "Title": 48,
    "Reason": 70,
    "Justification": 60,
    "Evidence": 36,
    "SHA-256": 40,
    "Missing audit-period evidence": 48,
    "Files": 48,
    **traced.WIDTHS,
    **verdicts.WIDTHS,
    **signoff.WIDTHS,
    **policycells.WIDTHS,
    **driftcells.WIDTHS,
}


_DATE_FORMAT, _COUNT_FORMAT, _DECIMAL_FORMAT = "yyyy-mm-dd", "0", "0.0"


def _sheet(
    book, header, title: str, table: Table, above: Sequence[Sequence[sheetcells.Cell]] = (), *, typed: bool = True
) -> None:
    """The table with its header row frozen and filtered, below the labelled rows `above` and a
    blank row (constant-memory mode writes rows in order: what is above comes first). `typed`
    False keeps every cell text: for a table whose headers the user names."""
    headers, rows = table
    sheet = book.add_worksheet(title)
    for index, name in enumerate(headers):
        sheet.set_column(index, index, _WIDTHS.get(name, max(12, min(len(name) + 4, 24))))
    top = _preamble(book, sheet, headers, above)
    sheet.freeze_panes(top + 1, 0)
    sheet.autofilter(top, 0, top + len(rows), len(headers) - 1)
    sheet.write_row(top, 0, headers, header)
    styles, kinds = _styles(book), [sheetcells.COLUMN_KINDS.get(name) if typed else None for name in headers]
    for number, row in enumerate(rows, start=top + 1):
        for column, value in enumerate(row):
            kind = kinds[column] if column < len(kinds) else None
            _write(sheet, styles, number, column, sheetcells.typed(kind, value))


def _preamble(book, sheet, headers: list[str], above: Sequence[Sequence[sheetcells.Cell]]) -> int:
    """Writes the labelled rows; returns the row the table's header goes to."""
    if not above:
        return 0
    label_width = max(len(str(row[0])) + 2 for row in above)  # labels stay readable beside their values
    sheet.set_column(0, 0, max(_WIDTHS.get(headers[0], 12), label_width))
    styles = _styles(book)
    for number, (label, *values) in enumerate(above):
        sheet.write_string(number, 0, str(label), styles["label"])
        for column, value in enumerate(values, start=1):
            _write(sheet, styles, number, column, value)
    return len(above) + 1


def _styles(book) -> dict:
    # XlsxWriter stores identical formats once, so asking again for each sheet costs nothing.
    return {
        "label": book.add_format({"bold": True}),
        "date": book.add_format({"num_format": _DATE_FORMAT}),
        "count": book.add_format({"num_format": _COUNT_FORMAT}),
        "decimal": book.add_format({"num_format": _DECIMAL_FORMAT}),
    }


def _write(sheet, styles: dict, row: int, column: int, value: sheetcells.Cell) -> None:
    if value is None or value == "":
        return  # a true blank: an empty string would count as a value in the auditor's filters
    if isinstance(value, dt.date):
        value = sheetcells.day(value)
    if isinstance(value, str):
        sheet.write_string(row, column, value)  # text stays text, whatever it starts with
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, column, value, styles["date"])
    else:
        sheet.write_number(row, column, value, styles["count" if isinstance(value, int) else "decimal"])


def csv_files(report: GapReport) -> dict[str, bytes]:
    """The CSV files `plaintrust build` writes beside the HTML report."""
    files = {
        "requirements.csv": requirements_csv(report),
        "evidence.csv": to_csv(evidence_table(report)),
        "matrix.csv": to_csv(matrix_table(report)),
        "controls.csv": to_csv(traced.controls_table(report)),
        "slots.csv": to_csv(traced.slots_table(report)),
    }
    if report.soa:
        files["statement-of-applicability.csv"] = to_csv(signoff.with_approval(report, soa_table(report)))
    if report.policies:
        files["policies.csv"] = to_csv(policycells.policies_table(report))
    if report.watched:
        files["drift.csv"] = to_csv(driftcells.table(report))
    files["scope.csv"] = to_csv(signoff.scope_table(report))
    return files
