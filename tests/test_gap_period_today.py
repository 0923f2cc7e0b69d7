"""Continuous controls sampled honestly, and the audit period kept apart from today.

Hand-counted on tests/fixtures/gap-mini (audit period 2026-01-01 to 2026-12-31, judged on
2026-11-22, so a slot that ended on or before 2026-10-22 is missing when nothing fills it and
October, November and December are still open unless filled):

- C-CONTINUOUS (R8) links `logging-config-nov` (collected 2026-11-10). With the records written
  below for January and September it has evidence in January, September and November:
  monthly sampling finds February to August empty, one seven-month lapse, merged into
  "2026-02-01 to 2026-08-31"; edges sampling looks only at January (filled) and December (open).
- C-QUARTERLY (R1) has reviews for Q1, Q2 and Q3 (review-q3 collected 2026-10-04); Q4 is open.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import TESTS, edit, write
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal import slots as coverage
from plaintrust.internal.render import RENDERERS
from plaintrust.model import Period
from plaintrust.schemas import schema

MINI = TESTS / "fixtures" / "gap-mini"
S = gaps.ReqStatus
LAPSE = "2026-02-01 to 2026-08-31"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def add_log_record(repo: Path, record_id: str, collected: str) -> None:
    """A pinned record of C-CONTINUOUS's logging configuration, collected on `collected`."""
    content = f"logging configuration exported {collected}\n"
    write(repo, f"evidence/files/{record_id}.txt", content)
    digest = hashlib.sha256(content.encode()).hexdigest()
    write(
        repo,
        f"evidence/{record_id}.yaml",
        f"""\
id: {record_id}
title: Logging configuration
series: logging-config-nov
kind: configuration
collected: {collected}
refresh: quarterly
classification: internal
files:
  - path: files/{record_id}.txt
    sha256: {digest}
""",
    )


@pytest.fixture
def lapsed(mini: Path) -> Path:
    """C-CONTINUOUS with evidence in January, September and November: nothing from February to August."""
    add_log_record(mini, "logging-config-jan", "2026-01-15")
    add_log_record(mini, "logging-config-sep", "2026-09-15")
    return mini


def set_sampling(repo: Path, sampling: str) -> None:
    edit(
        repo,
        "controls/program.yaml",
        "    audit_period: {from: 2026-01-01, to: 2026-12-31}\n",
        f"    audit_period: {{from: 2026-01-01, to: 2026-12-31}}\n    sampling: {sampling}\n",
    )


def framework(repo: Path) -> gaps.FrameworkReport:
    return gaps.build(pipeline.run(repo).model).frameworks[0]


def finding(report: gaps.FrameworkReport, control_id: str) -> gaps.ControlFinding:
    return next(c for c in report.controls if c.id == control_id)


def row(report: gaps.FrameworkReport, requirement_id: str) -> gaps.RequirementRow:
    return next(r for r in report.rows if r.id == requirement_id)


def test_monthly_sampling_is_the_default_and_finds_a_seven_month_lapse(lapsed: Path) -> None:
    report = framework(lapsed)
    control = finding(report, "C-CONTINUOUS")
    assert report.sampling == "monthly"
    assert [(p.start.isoformat(), p.end.isoformat()) for p in control.missing] == [("2026-02-01", "2026-08-31")]
    # January, September, November filled; October and December open; February to August missing.
    assert (control.filled_slots, control.open_slots) == (3, 2)
    assert control.effect is gaps.Effect.WEAK
    assert row(report, "R8").status is S.PARTIAL
    assert row(report, "R8").reason == f"C-CONTINUOUS (continuous) lacks evidence for {LAPSE}"
    assert control.period_verdict.text == f"lapses: {LAPSE}"


def test_edges_sampling_keeps_the_old_behaviour(lapsed: Path) -> None:
    set_sampling(lapsed, "edges")
    report = framework(lapsed)
    control = finding(report, "C-CONTINUOUS")
    assert report.sampling == "edges"
    assert control.missing == () and (control.filled_slots, control.open_slots) == (1, 1)  # January; December
    assert control.effect is gaps.Effect.EFFECTIVE
    assert (row(report, "R8").status, row(report, "R8").period_status) == (S.MET, "met")


def test_an_unknown_sampling_is_an_error_in_the_files(mini: Path) -> None:
    set_sampling(mini, "weekly")
    diagnostics = pipeline.run(mini).diagnostics
    assert any("sampling" in d.message and d.severity.value == "error" for d in diagnostics), diagnostics


def test_continuous_slots_are_calendar_months_clipped_to_the_period() -> None:
    odd = Period(dt.date(2025, 12, 15), dt.date(2026, 3, 10))
    assert [(p.start.isoformat(), p.end.isoformat()) for p in coverage.slot_periods(odd, "continuous")] == [
        ("2025-12-15", "2025-12-31"),
        ("2026-01-01", "2026-01-31"),
        ("2026-02-01", "2026-02-28"),
        ("2026-03-01", "2026-03-10"),
    ]
    assert [(p.start.isoformat(), p.end.isoformat()) for p in coverage.slot_periods(odd, "continuous", "edges")] == [
        ("2025-12-15", "2025-12-31"),
        ("2026-03-01", "2026-03-10"),
    ]
    one_month = Period(dt.date(2026, 5, 3), dt.date(2026, 5, 20))
    assert coverage.slot_periods(one_month, "continuous", "edges") == [one_month]  # one slot, not the same twice


def test_consecutive_missing_months_merge_into_ranges() -> None:
    """Evidence in January, April and September: February-March and May-August are two lapses."""
    year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    windows = coverage._calendar_windows(year, "continuous", "monthly")
    day = lambda m, d: dt.date(2026, m, d).toordinal()  # noqa: E731
    proofs = [(day(1, 10), day(1, 10)), (day(4, 2), day(4, 2)), (day(9, 30), day(9, 30))]
    filled, open_, missing = coverage.count_windows(windows, proofs, cutoff=day(10, 22))
    assert (filled, open_) == (3, 3)  # October to December are open
    assert missing == [(day(2, 1), day(3, 31)), (day(5, 1), day(8, 31))]


def test_the_lapse_range_is_in_every_format(lapsed: Path) -> None:
    from openpyxl import load_workbook

    report = gaps.build(pipeline.run(lapsed).model)
    for fmt in ("html", "md", "csv", "json"):
        assert LAPSE in RENDERERS[fmt](report).decode(), fmt
    book = load_workbook(BytesIO(RENDERERS["xlsx"](report)))
    cells = [str(c.value) for row_ in book["mini"].iter_rows(min_row=2) for c in row_ if c.value]
    assert any(LAPSE in c for c in cells)


def test_stale_today_does_not_flip_the_period_verdict(mini: Path) -> None:
    """review-q3 proves Q3 and was collected in the period; with a monthly refresh it went stale
    on 2026-11-04. The period is still met; today is not."""
    before = row(framework(mini), "R1")
    assert (before.status, before.period_status, before.current_status) == (S.MET, "met", "met")
    edit(mini, "evidence/review-q3.yaml", "refresh: quarterly", "refresh: monthly")
    report = framework(mini)
    after = row(report, "R1")
    assert after.status is S.PARTIAL  # the overall verdict still mixes both
    assert (after.period_status, after.current_status) == ("met", "partially met")
    assert after.current_reason == "evidence 'review-q3' is stale since 2026-11-04"
    control = finding(report, "C-QUARTERLY")
    assert (control.period_verdict.state, control.today_verdict.text) == ("operated", "stale since 2026-11-04")
    assert control.today_verdict.since == dt.date(2026, 11, 4)


def test_current_today_does_not_hide_a_lapse_in_the_period(lapsed: Path) -> None:
    r8 = row(framework(lapsed), "R8")
    assert (r8.period_status, r8.current_status) == ("partially met", "met")
    assert r8.period_reason == f"C-CONTINUOUS (continuous) lacks evidence for {LAPSE}"
    assert r8.current_reason == "every control is in place with current, intact evidence"


def test_the_hand_counted_rows_of_gap_mini(mini: Path) -> None:
    report = framework(mini)
    split = {r.id: (r.period_status, r.current_status) for r in report.rows}
    assert split == {
        "R1": ("met", "met"),
        "R2": ("partially met", "partially met"),  # baseline-2025 is stale; 2026's review not due
        "R3": ("not met", "not met"),
        "R4": ("not met", "not met"),
        "R5": ("not applicable", "not applicable"),
        "R6": ("not applicable", "not applicable"),
        "P.1": ("met", "met"),
        "P.2": ("met", "met"),
        "R7": ("partially met", "met"),
        "R8": ("partially met", "met"),  # lapses, newest evidence current
        "R9": ("partially met", "partially met"),
        "X1": ("out of scope", "out of scope"),
    }
    assert row(report, "R3").period_reason == "C-PLANNED is planned"
    assert finding(report, "C-PLANNED").period_verdict.text == "not in place (planned)"
    assert finding(report, "C-STALE").period_verdict.state == "not yet due"  # its annual slot ends 2026-12-31


def test_tampered_and_missing_evidence_show_today(mini: Path) -> None:
    (mini / "evidence/files/review-q3.txt").write_text("edited after it was pinned\n")
    (mini / "evidence/files/logging-config-nov.txt").unlink()
    report = framework(mini)
    assert finding(report, "C-QUARTERLY").today_verdict.state == "tampered"
    assert row(report, "R1").current_status == "not met"
    assert finding(report, "C-CONTINUOUS").today_verdict.state == "missing"


def test_no_audit_period(mini: Path) -> None:
    edit(mini, "controls/program.yaml", "    audit_period: {from: 2026-01-01, to: 2026-12-31}\n", "")
    report = framework(mini)
    r1 = row(report, "R1")
    assert (r1.period_status, r1.period_reason) == ("no audit period", "the framework has no audit period")
    assert finding(report, "C-QUARTERLY").period_verdict.state == "no audit period"


def test_json_carries_both_verdicts_and_follows_the_schema(lapsed: Path) -> None:
    data = json.loads(RENDERERS["json"](gaps.build(pipeline.run(lapsed).model)))
    Draft202012Validator(schema("gap-report")).validate(data)
    mini = data["frameworks"][0]
    assert mini["sampling"] == "monthly"
    r8 = next(r for r in mini["requirements"] if r["id"] == "R8")
    assert (r8["period_status"], r8["current_status"]) == ("partially met", "met")
    control = next(c for c in mini["controls"] if c["id"] == "C-CONTINUOUS")
    assert control["audit_period_verdict"] == {"state": "lapses", "text": f"lapses: {LAPSE}", "effect": "weak"}
    assert control["today_verdict"] == {
        "state": "current",
        "text": "current",
        "effect": "effective",
        "stale_since": None,
    }


def test_csv_xlsx_markdown_and_html_show_both_columns(lapsed: Path) -> None:
    from openpyxl import load_workbook

    report = gaps.build(pipeline.run(lapsed).model)
    header = RENDERERS["csv"](report).decode().splitlines()[0].split(",")
    assert header[-4:] == ["Audit period", "Audit period reason", "Today", "Today reason"]
    book = load_workbook(BytesIO(RENDERERS["xlsx"](report)))
    sheet = [[c.value for c in r] for r in book["mini"].iter_rows()]
    r8 = next(r for r in sheet if r[1] == "R8")
    assert r8[-4:] == [
        "partially met",
        f"C-CONTINUOUS (continuous) lacks evidence for {LAPSE}",
        "met",
        "every control is in place with current, intact evidence",
    ]
    controls = [[c.value for c in r] for r in book["Controls"].iter_rows()]
    assert controls[0][-2:] == ["Over the audit period", "Today"]
    assert next(r for r in controls if r[1] == "C-CONTINUOUS")[-2:] == [f"lapses: {LAPSE}", "current"]
    markdown = RENDERERS["md"](report).decode()
    assert f"| partially met: C-CONTINUOUS (continuous) lacks evidence for {LAPSE} | met |" in markdown
    assert "continuous controls need evidence in every month" in markdown
    html = RENDERERS["html"](report).decode()
    assert f'<span class="st st-WEAK">lapses</span><div><small>{LAPSE}</small></div>' in html
    assert "continuous controls sampled monthly" in html


def test_the_example_samples_its_continuous_controls_at_the_edges() -> None:
    """The example's evidence was gathered for auditors who sample the period's first and last month."""
    report = gaps.build(pipeline.run(TESTS.parent).model)
    assert {f.id: f.sampling for f in report.frameworks} == {"soc2": "edges", "iso27001": "monthly", "pci-dss": "edges"}
