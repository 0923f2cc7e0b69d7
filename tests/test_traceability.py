"""The auditor's trail through the gap report, hand-counted on tests/fixtures/gap-mini (judged on
2026-11-22): every record of a control's series, the controls of every record, the records that
fill each audit-period slot, where evidence came from, and remediation, in every format.

What the fixture holds that these tests lean on:
  C-MONTHLY links scan-2026-01 only; its series `scan` has 10 records (no March scan), the newest
    (scan-2026-11) current, the nine others superseded.
  C-PARTIAL (partial, quarterly) links review-q3 only; C-QUARTERLY links review-q1..q3 (series `review`).
  R1 is met (C-QUARTERLY), R3 not met (C-PLANNED, planned), R9 partially met (C-PARTIAL, C-QUARTERLY).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import TESTS, edit, write
from plaintrust import pipeline
from plaintrust.internal import gaps, trace
from plaintrust.internal import slots as coverage
from plaintrust.internal.render import RENDERERS, tables
from plaintrust.schemas import schema

MINI = TESTS / "fixtures" / "gap-mini"
YEAR = gaps.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def report(root: Path) -> gaps.GapReport:
    return gaps.build(pipeline.run(root).model)


def control(root: Path, control_id: str) -> gaps.ControlFinding:
    return next(c for c in report(root).frameworks[0].controls if c.id == control_id)


def test_a_control_lists_every_record_of_its_series(mini: Path) -> None:
    monthly = control(mini, "C-MONTHLY")
    assert monthly.evidence == ("scan-2026-01",)  # what the control links, as written
    months = ["01", "02", "04", "05", "06", "07", "08", "09", "10", "11"]
    assert [(r.id, r.collected.isoformat(), r.state) for r in monthly.records] == [
        (f"scan-2026-{m}", f"2026-{m}-15", "current" if m == "11" else "superseded") for m in months
    ]
    partial = control(mini, "C-PARTIAL")
    assert [(r.id, r.state) for r in partial.records] == [
        ("review-q1", "superseded"),
        ("review-q2", "superseded"),
        ("review-q3", "current"),
    ]


def test_a_superseded_record_names_every_control_of_its_series(mini: Path) -> None:
    rows = {e.id: e for e in report(mini).evidence}
    assert rows["review-q1"].state == "superseded"
    assert rows["review-q1"].controls == ("C-PARTIAL", "C-QUARTERLY")  # C-PARTIAL links only review-q3
    assert rows["scan-2026-05"].controls == ("C-MONTHLY",)  # no control names it; its series is linked
    assert rows["parent-proof"].controls == ("C-NOTHING", "C-PARENT")
    assert all(e.controls for e in report(TESTS.parent).evidence)  # the example: every record has its controls


def test_quarterly_slots_name_the_record_that_fills_each(mini: Path) -> None:
    assert [
        (s.start.isoformat(), s.end.isoformat(), s.state, s.evidence, s.slots)
        for s in control(mini, "C-QUARTERLY").slots
    ] == [
        ("2026-01-01", "2026-03-31", "filled", ("review-q1",), 1),
        ("2026-04-01", "2026-06-30", "filled", ("review-q2",), 1),
        ("2026-07-01", "2026-09-30", "filled", ("review-q3",), 1),
        ("2026-10-01", "2026-12-31", "open", (), 1),
    ]


LOG = """\
id: {id}
title: Backup job log {id}
series: backup-logs
kind: log
collected: {collected}
covers: {{from: {start}, to: {end}}}
refresh: monthly
classification: internal
files:
  - path: files/{id}.txt
"""


def daily_control(root: Path) -> None:
    """C-DAILY: logs for January to April, May to August, October; none for September. A restore
    drill on 10 June is linked too. Today (2026-11-22) minus the 30-day grace is 2026-10-23."""
    write(
        root,
        "controls/c-daily.yaml",
        "id: C-DAILY\ntitle: Daily backups\nstatus: implemented\n"
        "owner: ivan@mini.example\nfrequency: daily\nsatisfies: {mini: [R4]}\nevidence: [logs-1, drill]\n",
    )
    spans = {
        "logs-1": ("2026-05-02", "2026-01-01", "2026-04-30"),
        "logs-2": ("2026-09-02", "2026-05-01", "2026-08-31"),
        "logs-3": ("2026-11-02", "2026-10-01", "2026-10-31"),
    }
    for record_id, (collected, start, end) in spans.items():
        write(root, f"evidence/{record_id}.yaml", LOG.format(id=record_id, collected=collected, start=start, end=end))
        write(root, f"evidence/files/{record_id}.txt", f"{record_id}\n")
    write(
        root,
        "evidence/drill.yaml",
        LOG.format(id="drill", collected="2026-06-10", start="2026-06-10", end="2026-06-10").replace(
            "series: backup-logs\n", ""
        ),
    )
    write(root, "evidence/files/drill.txt", "drill\n")


def test_daily_slots_are_merged_into_runs_of_the_same_records(mini: Path) -> None:
    daily_control(mini)
    found = control(mini, "C-DAILY")
    assert [(s.start.isoformat(), s.end.isoformat(), s.state, s.evidence, s.slots) for s in found.slots] == [
        ("2026-01-01", "2026-04-30", "filled", ("logs-1",), 120),
        ("2026-05-01", "2026-06-09", "filled", ("logs-2",), 40),
        ("2026-06-10", "2026-06-10", "filled", ("logs-2", "drill"), 1),
        ("2026-06-11", "2026-08-31", "filled", ("logs-2",), 82),
        ("2026-09-01", "2026-09-30", "missing", (), 30),
        ("2026-10-01", "2026-10-31", "filled", ("logs-3",), 31),
        ("2026-11-01", "2026-12-31", "open", (), 61),
    ]
    assert (found.filled_slots, found.open_slots) == (274, 61)  # the counts agree with the runs


def test_runs_agree_with_the_slot_by_slot_definition(mini: Path) -> None:
    daily_control(mini)
    for root in (mini, TESTS.parent):
        model = pipeline.run(root).model
        for framework in model.program.frameworks:
            if framework.audit_period is None:
                continue
            for item in model.controls:
                listed = coverage.slots(model, item, framework.audit_period)
                expanded = [
                    (window, run.state, sorted(run.evidence))  # runs list records by the day they start
                    for run in trace.slot_runs(model, item, framework.audit_period)
                    for window in _windows(run, item.frequency, framework.audit_period)
                ]
                assert expanded == [((s.start, s.end), s.state.value, sorted(s.evidence)) for s in listed], item.id


def _windows(run: trace.SlotRun, frequency: str, period: gaps.Period) -> list[tuple[dt.date, dt.date]]:
    inside = [
        (w.start, w.end) for w in coverage.slot_periods(period, frequency) if run.start <= w.start and w.end <= run.end
    ]
    assert len(inside) == run.slots
    return inside


def test_no_slots_before_the_audit_period_begins(mini: Path) -> None:
    edit(
        mini,
        "controls/program.yaml",
        "audit_period: {from: 2026-01-01, to: 2026-12-31}",
        "audit_period: {from: 2027-01-01, to: 2027-12-31}",
    )
    assert control(mini, "C-QUARTERLY").slots == ()


SOURCE = "service desk export, filter category = access review"
NOTES = "Reviewed by both team leads; exceptions listed on the second sheet."


def with_source_and_notes(root: Path) -> None:
    edit(
        root,
        "evidence/review-q2.yaml",
        "classification: internal\n",
        f"classification: internal\nsource: {SOURCE}\nnotes: {NOTES}\n",
    )


def test_source_and_notes_in_every_format(mini: Path) -> None:
    with_source_and_notes(mini)
    built = report(mini)
    data = json.loads(RENDERERS["json"](built))
    Draft202012Validator(schema("gap-report")).validate(data)
    records = {e["id"]: e for e in data["evidence"]}
    assert (records["review-q2"]["source"], records["review-q2"]["notes"]) == (SOURCE, NOTES)
    assert (records["review-q1"]["source"], records["review-q1"]["notes"]) == (None, None)
    [row] = [
        r
        for r in csv.DictReader(io.StringIO(tables.csv_files(built)["evidence.csv"].decode()))
        if r["Evidence"] == "review-q2"
    ]
    assert (row["Source"], row["Notes"]) == (SOURCE, NOTES)
    assert sheet_row(built, "Evidence", "review-q2", "Source", "Notes") == [SOURCE, NOTES]
    markdown = RENDERERS["md"](built).decode()
    assert f"| {SOURCE} | {NOTES} |" in markdown
    html = RENDERERS["html"](built).decode()
    assert f"<td>{SOURCE}</td><td>{NOTES}</td>" in html


def sheet_row(built: gaps.GapReport, sheet: str, first: str, *columns: str) -> list[str]:
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(RENDERERS["xlsx"](built)))[sheet].values)
    headers = list(rows[0])
    row = next(r for r in rows if first in r[:2])
    return [row[headers.index(c)] for c in columns]


def test_records_slots_and_description_in_every_format(mini: Path) -> None:
    edit(
        mini,
        "controls/c-partial.yaml",
        "frequency: quarterly\n",
        "frequency: quarterly\ndescription: Reviews run in the identity provider's access review module.\n",
    )
    built = report(mini)
    data = json.loads(RENDERERS["json"](built))
    partial = next(c for c in data["frameworks"][0]["controls"] if c["id"] == "C-PARTIAL")
    assert partial["description"] == "Reviews run in the identity provider's access review module."
    assert partial["records"][0] == {"id": "review-q1", "collected": "2026-04-05", "state": "superseded"}
    assert partial["slots"][0] == {
        "from": "2026-01-01",
        "to": "2026-03-31",
        "state": "filled",
        "slots": 1,
        "evidence": ["review-q1"],
    }
    records = "review-q1 (2026-04-05, superseded), review-q2 (2026-07-03, superseded), review-q3 (2026-10-04, current)"
    slots = "2026-01-01 to 2026-03-31 filled by review-q1; 2026-04-01 to 2026-06-30 filled by review-q2"
    controls = {r["Control"]: r for r in csv.DictReader(io.StringIO(tables.csv_files(built)["controls.csv"].decode()))}
    assert controls["C-PARTIAL"]["Evidence records (collected, state)"] == records
    assert controls["C-PARTIAL"]["Audit-period slots (records)"].startswith(slots)
    assert controls["C-PARTIAL"]["Description"].startswith("Reviews run in the identity")
    slot_rows = list(csv.reader(io.StringIO(tables.csv_files(built)["slots.csv"].decode())))
    assert ["mini", "C-PARTIAL", "quarterly", "2026-04-01", "2026-06-30", "1", "filled", "review-q2"] in slot_rows
    [row9] = [r for r in csv.DictReader(io.StringIO(RENDERERS["csv"](built).decode())) if r["Requirement"] == "R9"]
    assert f"C-PARTIAL: {records}" in row9["Evidence records (collected, state)"]
    assert sheet_row(built, "Controls", "C-PARTIAL", "Evidence records (collected, state)")[0] == records
    markdown = RENDERERS["md"](built).decode()
    assert f"| Reviews run in the identity provider's access review module. | {records} | {slots};" in markdown
    html = RENDERERS["html"](built).decode()
    assert "Reviews run in the identity provider&#39;s access review module." in html
    assert '<a href="#ev-review-q1">review-q1</a> <small>2026-04-05 → 2026-07-05, superseded</small>' in html
    assert 'filled by <a href="#ev-review-q1">review-q1</a>' in html


PLAN = "Automate the quarterly review export from the identity provider."


def with_remediation(root: Path) -> None:
    edit(
        root,
        "controls/c-partial.yaml",
        "frequency: quarterly\n",
        f"frequency: quarterly\nremediation: {{plan: {PLAN}, owner: grace@mini.example, due: 2027-03-31}}\n",
    )
    edit(
        root,
        "controls/c-planned.yaml",
        "frequency: annual\n",
        "frequency: annual\nremediation:\n  plan: Buy the tool.\n  owner: carol@mini.example\n  due: 2026-10-01\n",
    )
    edit(
        root,
        "controls/c-quarterly.yaml",
        "frequency: quarterly\n",  # effective: not shown on its rows
        "frequency: quarterly\nremediation: {plan: Nothing left to do., owner: alice@mini.example, due: 2027-01-01}\n",
    )


def test_rows_not_met_show_the_remediation_of_their_weak_controls(mini: Path) -> None:
    with_remediation(mini)
    rows = {r.id: r for r in report(mini).frameworks[0].rows}
    assert rows["R9"].status is gaps.ReqStatus.PARTIAL
    assert rows["R9"].remediation == (
        trace.RemediationItem("C-PARTIAL", PLAN, "grace@mini.example", dt.date(2027, 3, 31), False),
    )
    assert rows["R3"].remediation == (
        trace.RemediationItem("C-PLANNED", "Buy the tool.", "carol@mini.example", dt.date(2026, 10, 1), True),
    )
    assert rows["R1"].remediation == ()  # met
    assert (
        rows["R3"].reason == "C-PLANNED is planned; no evidence linked; C-PLANNED remediation overdue since 2026-10-01"
    )


def test_remediation_in_every_format(mini: Path) -> None:
    with_remediation(mini)
    built = report(mini)
    data = json.loads(RENDERERS["json"](built))
    Draft202012Validator(schema("gap-report")).validate(data)
    requirements = {r["id"]: r for r in data["frameworks"][0]["requirements"]}
    assert requirements["R3"]["remediation"] == [
        {
            "control": "C-PLANNED",
            "plan": "Buy the tool.",
            "owner": "carol@mini.example",
            "due": "2026-10-01",
            "overdue": True,
        }
    ]
    assert requirements["R1"]["remediation"] == []
    overdue = (
        "C-PLANNED: Buy the tool. (owner carol@mini.example, due 2026-10-01; remediation overdue since 2026-10-01)"
    )
    on_time = f"C-PARTIAL: {PLAN} (owner grace@mini.example, due 2027-03-31)"
    by_id = {r["Requirement"]: r for r in csv.DictReader(io.StringIO(RENDERERS["csv"](built).decode()))}
    assert (by_id["R3"]["Remediation"], by_id["R9"]["Remediation"], by_id["R1"]["Remediation"]) == (
        overdue,
        on_time,
        "",
    )
    assert sheet_row(built, "mini", "R3", "Remediation") == [overdue]
    markdown = RENDERERS["md"](built).decode()
    assert f"| {overdue} |" in markdown and f"| {on_time} |" in markdown
    html = RENDERERS["html"](built).decode()
    assert (
        "<b>C-PLANNED</b>: Buy the tool. <small>(carol@mini.example, due 2026-10-01)</small> "
        '<span class="st st-NOT_MET">remediation overdue since 2026-10-01</span>'
    ) in html
