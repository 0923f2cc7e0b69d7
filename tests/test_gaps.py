"""The gap report's numbers, hand-counted on tests/fixtures/gap-mini (judged on 2026-11-22).

Every requirement of the `mini` framework, and why it has its status:
  R1  met            C-QUARTERLY: quarterly reviews cover Q1, Q2, Q3; Q4 has not ended (open)
  R2  partially met  C-STALE: its only evidence (annual, collected 2025-10-01) went stale 2026-10-01
  R3  not met        C-PLANNED is planned and has no evidence
  R4  not met        no control at all
  R5  not applicable with its justification
  R6  not applicable WITHOUT a justification (check reports it as an error)
  P.1, P.2  met      C-PARENT is mapped to their parent P: "via P"
  R7  partially met  C-MONTHLY: no scan proves March 2026; the newest scan is current
  R8  partially met  C-CONTINUOUS: evidence only from November, none for January to September (sampled monthly)
  R9  partially met  C-QUARTERLY is effective, C-PARTIAL is partial
  X1  out of scope   group `extra`
So 9 applicable requirements (11 leaves in `core` minus 2 not applicable), 3 met: 33.3%.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import TESTS, edit
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.internal import gaps
from plaintrust.internal import slots as coverage
from plaintrust.internal.render import RENDERERS
from plaintrust.model import Period
from plaintrust.schemas import schema

MINI = TESTS / "fixtures" / "gap-mini"
GOLDEN = TESTS / "golden" / "gap-mini"
S = gaps.ReqStatus


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    shutil.copytree(MINI, tmp_path / "mini")
    return tmp_path / "mini"


def report(root: Path) -> gaps.GapReport:
    return gaps.build(pipeline.run(root).model)


def rows(root: Path) -> dict[str, gaps.RequirementRow]:
    return {r.id: r for r in report(root).frameworks[0].rows}


def test_every_status_and_reason(mini: Path) -> None:
    found = rows(mini)
    assert {k: r.status for k, r in found.items()} == {
        "R1": S.MET,
        "R2": S.PARTIAL,
        "R3": S.NOT_MET,
        "R4": S.NOT_MET,
        "R5": S.NOT_APPLICABLE,
        "R6": S.NOT_APPLICABLE,
        "P.1": S.MET,
        "P.2": S.MET,
        "R7": S.PARTIAL,
        "R8": S.PARTIAL,
        "R9": S.PARTIAL,
        "X1": S.OUT_OF_SCOPE,
    }
    assert found["R2"].reason == "evidence 'baseline-2025' is stale since 2026-10-01"
    assert found["R3"].reason == "C-PLANNED is planned; no evidence linked"
    assert found["R4"].reason == "no control addresses it"
    assert found["R5"].justification == "We hold no such systems."
    assert found["R6"].reason == "declared not applicable WITHOUT a justification" and found["R6"].justification is None
    assert found["P.1"].via == ("P",) and [c.id for c in found["P.2"].controls] == ["C-PARENT"]
    assert found["R7"].reason == "C-MONTHLY (monthly) lacks evidence for 2026-03-01 to 2026-03-31"
    assert found["R8"].reason == "C-CONTINUOUS (continuous) lacks evidence for 2026-01-01 to 2026-09-30"
    assert found["R9"].reason == "C-PARTIAL is partial"
    assert found["X1"].reason == "group 'extra' is out of scope"


def test_summary_counts_match_the_hand_count(mini: Path) -> None:
    mini_report = report(mini).frameworks[0]
    assert [mini_report.count(s) for s in S] == [3, 4, 2, 2, 1]
    assert mini_report.applicable == 9
    assert mini_report.percent_met == 33.3
    assert [(g.id, g.in_scope, g.requirements) for g in mini_report.groups] == [("core", True, 11), ("extra", False, 1)]


def test_quarterly_slots_fill_and_stay_open_until_they_end(mini: Path) -> None:
    model = pipeline.run(mini).model
    slots = coverage.slots(
        model, model.controls_by_id["C-QUARTERLY"], Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    )
    assert [(s.start.isoformat(), s.state.value, s.evidence) for s in slots] == [
        ("2026-01-01", "filled", ("review-q1",)),
        ("2026-04-01", "filled", ("review-q2",)),
        ("2026-07-01", "filled", ("review-q3",)),
        ("2026-10-01", "open", ()),
    ]


def test_a_missing_file_weakens_a_control_and_empties_its_slot(mini: Path) -> None:
    (mini / "evidence/files/review-q2.txt").unlink()
    row = rows(mini)["R1"]
    assert row.status is S.PARTIAL
    assert "evidence 'review-q2' has missing files" in row.reason
    assert "C-QUARTERLY (quarterly) lacks evidence for 2026-04-01 to 2026-06-30" in row.reason


def test_a_tampered_file_makes_a_control_fail(mini: Path) -> None:
    (mini / "evidence/files/review-q3.txt").write_text("edited after it was pinned\n")
    found = rows(mini)
    assert found["R1"].status is S.NOT_MET  # C-QUARTERLY is its only control
    assert "evidence 'review-q3' has tampered files" in found["R1"].reason
    assert found["R9"].status is S.NOT_MET  # both of its controls link review-q3


@pytest.mark.parametrize(
    ("frequency", "expected"),
    [
        ("monthly", 12),
        ("quarterly", 4),
        ("semiannual", 2),
        ("annual", 1),
        ("weekly", 53),
        ("daily", 365),
        ("continuous", 12),
    ],
)
def test_slot_counts_for_a_calendar_year(frequency: str, expected: int) -> None:
    year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    periods = coverage.slot_periods(year, frequency)
    assert len(periods) == expected
    assert periods[0].start == year.start and periods[-1].end == year.end


def test_slots_count_from_the_period_start() -> None:
    pci = Period(dt.date(2025, 12, 1), dt.date(2026, 11, 30))
    assert [(p.start.isoformat(), p.end.isoformat()) for p in coverage.slot_periods(pci, "semiannual")] == [
        ("2025-12-01", "2026-05-31"),
        ("2026-06-01", "2026-11-30"),
    ]
    assert [(p.start.isoformat(), p.end.isoformat()) for p in coverage.slot_periods(pci, "continuous", "edges")] == [
        ("2025-12-01", "2025-12-31"),
        ("2026-11-01", "2026-11-30"),
    ]


def test_matrix_and_soa(mini: Path) -> None:
    matrix = {m.control: m for m in report(mini).matrix}
    assert matrix["C-NOTHING"].satisfies_nothing
    assert matrix["C-QUARTERLY"].requirements == (("mini", ("R1", "R9")),)
    assert report(mini).soa == ()  # no ISO/IEC 27001 framework here


def test_statement_of_applicability_lists_all_93_annex_a_controls() -> None:
    example = gaps.build(pipeline.run(TESTS.parent).model)
    assert len(example.soa) == 93
    excluded = [s for s in example.soa if not s.applicable]
    assert excluded and all(s.justification and s.status is S.NOT_APPLICABLE for s in excluded)


def test_json_follows_its_published_schema(mini: Path) -> None:
    data = json.loads(RENDERERS["json"](report(mini)))
    Draft202012Validator(schema("gap-report")).validate(data)
    assert data["frameworks"][0]["summary"] == {
        "met": 3,
        "partial": 4,
        "not_met": 2,
        "not_applicable": 2,
        "out_of_scope": 1,
        "applicable": 9,
        "percent_met": 33.3,
    }


def test_html_is_standalone(mini: Path) -> None:
    html = RENDERERS["html"](report(mini)).decode()
    assert "<link" not in html and "src=" not in html and "@import" not in html
    assert "http://" not in html and "https://" not in html.replace("https://json-schema.org", "")


def test_xlsx_has_a_sheet_per_framework_the_soa_and_the_evidence() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(RENDERERS["xlsx"](gaps.build(pipeline.run(TESTS.parent).model))))
    assert book.sheetnames == [
        "Summary",
        "soc2",
        "iso27001",
        "pci-dss",
        "Statement of Applicability",
        "Evidence",
        "Policies",
        "Drifting controls",
        "Matrix",
        "Controls",
        "Audit-period slots",
        "Scope",
    ]
    assert book["iso27001"]["A1"].value == "Framework" and book["Evidence"].max_row > 100


def test_xlsx_is_deterministic(mini: Path) -> None:
    import zipfile
    from io import BytesIO

    data = RENDERERS["xlsx"](report(mini))
    assert data == RENDERERS["xlsx"](report(mini))
    with zipfile.ZipFile(BytesIO(data)) as archive:  # nothing in it depends on when it was written
        assert {info.date_time[:2] for info in archive.infolist()} == {(1980, 1)}
        assert b">2026-11-22T00:00:00Z<" in archive.read("docProps/core.xml")


@pytest.mark.parametrize("fmt", ["html", "md"])
def test_golden_output(mini: Path, fmt: str, golden) -> None:
    golden.check(RENDERERS[fmt](report(mini)).decode(), GOLDEN / f"gap-report.{fmt}")


def test_cli_formats_framework_filter_and_fail_under(runner, mini: Path, tmp_path: Path) -> None:
    base = ["gaps", "--root", str(mini)]
    csv = runner.invoke(cli.cli, [*base, "--format", "csv", "--framework", "mini"])
    assert csv.stdout.splitlines()[1].startswith("mini,R1,Quarterly review,core,met,")
    assert "mini: 33.3% met (3 of 9 applicable)" in csv.stderr
    assert csv.exit_code == ExitCode.FINDINGS  # R6's missing justification is an error in the files
    edit(mini, "controls/program.yaml", "      R6:\n", "      R6: Retired system.\n")
    assert runner.invoke(cli.cli, [*base, "--fail-under", "33"]).exit_code == ExitCode.OK
    below = runner.invoke(cli.cli, [*base, "--fail-under", "34"])
    assert below.exit_code == ExitCode.FINDINGS and "below --fail-under 34" in below.stderr
    out = tmp_path / "r.xlsx"
    assert runner.invoke(cli.cli, [*base, "--format", "xlsx", "-o", str(out)]).exit_code == ExitCode.OK
    assert out.read_bytes()[:2] == b"PK"
    assert runner.invoke(cli.cli, [*base, "--framework", "nope"]).exit_code == ExitCode.USAGE


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_DATE": "2026-09-15T12:00:00Z",
            "GIT_COMMITTER_DATE": "2026-09-15T12:00:00Z",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(repo),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_changes_since_a_git_ref(runner, mini: Path) -> None:
    git(mini, "init", "-q")
    git(mini, "add", "-A")
    git(mini, "commit", "-qm", "audit kick-off")  # judged on 2026-09-15: baseline-2025 was still current
    edit(mini, "controls/c-planned.yaml", "status: planned", "status: partial")
    shutil.copy(mini / "controls/c-planned.yaml", mini / "controls/c-new.yaml")
    edit(mini, "controls/c-new.yaml", "id: C-PLANNED", "id: C-NEW")
    result = runner.invoke(cli.cli, ["gaps", "--root", str(mini), "--since", "HEAD", "--format", "json"])
    changes = json.loads(result.stdout)["changes"]
    assert changes["since_date"] == "2026-09-15"
    assert {(c["id"], c["before"], c["after"]) for c in changes["requirements"]} == {
        ("R2", "met", "partially met"),
        ("R3", "not met", "partially met"),
    }
    assert changes["controls_added"] == ["C-NEW"] and changes["controls_removed"] == []
    assert changes["evidence_gone_stale"] == ["baseline-2025"]
    assert changes["evidence_renewed"] == []


def test_since_an_unknown_ref_is_a_usage_error(runner, mini: Path) -> None:
    git(mini, "init", "-q")
    result = runner.invoke(cli.cli, ["gaps", "--root", str(mini), "--since", "no-such-ref"])
    assert result.exit_code == ExitCode.USAGE
    assert "Traceback" not in result.output


def test_the_slot_summary_agrees_with_the_slots() -> None:
    model = pipeline.run(TESTS.parent).model
    for framework in model.program.frameworks:
        if framework.audit_period is None:
            continue
        for control in model.controls:
            listed = coverage.slots(model, control, framework.audit_period)
            summary = coverage.summarize(model, control, framework.audit_period)
            assert summary.filled == sum(s.state is coverage.SlotState.FILLED for s in listed)
            assert summary.open == sum(s.state is coverage.SlotState.OPEN for s in listed)
            assert list(summary.missing) == coverage.missing_ranges(listed), control.id


def test_not_applicable_on_a_parent_covers_its_leaves(mini: Path) -> None:
    edit(
        mini,
        "controls/program.yaml",
        "      R5: We hold no such systems.\n",
        "      R5: We hold no such systems.\n      P: Retired with the old platform.\n",
    )
    found = rows(mini)
    assert [(found[k].status, found[k].via, found[k].justification) for k in ("P.1", "P.2")] == [
        (S.NOT_APPLICABLE, ("P",), "Retired with the old platform.")
    ] * 2
    conflict = [d for d in pipeline.run(mini).diagnostics if d.rule == "satisfied-and-not-applicable"]
    assert [d.message for d in conflict] == [
        "mini P is satisfied here but declared not applicable at controls/program.yaml:9"
    ]


def test_out_of_scope_annex_a_controls_are_not_applicable_in_the_soa(tmp_path: Path) -> None:
    shutil.copytree(TESTS / "cases" / "base", tmp_path / "repo")
    edit(
        tmp_path / "repo",
        "controls/program.yaml",
        "    catalog: iso27001-2022\n",
        "    catalog: iso27001-2022\n    scope: [clause, subclause, organizational, people, physical]\n",
    )
    soa = {s.id: s for s in gaps.build(pipeline.run(tmp_path / "repo").model).soa}
    assert len(soa) == 93
    assert (soa["A.8.5"].applicable, soa["A.8.5"].controls) == (False, (("AC-01", "implemented"),))
    assert soa["A.8.5"].justification == "Outside the scope declared in program.yaml (group 'technological')"


def test_text_that_looks_like_a_formula_stays_text(mini: Path) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    edit(mini, "controls/c-quarterly.yaml", "owner: alice@mini.example", 'owner: "=HYPERLINK(\\"https://x.example\\")"')
    report = gaps.build(pipeline.run(mini).model)
    assert "'=HYPERLINK(" in RENDERERS["csv"](report).decode()
    sheet = load_workbook(BytesIO(RENDERERS["xlsx"](report)))["mini"]
    owners = [row[8] for row in sheet.iter_rows(min_row=2) if row[8].value and "HYPERLINK" in row[8].value]
    assert owners and all(cell.data_type == "s" for cell in owners)


def test_a_cyclic_custom_catalog_does_not_hang_the_report(tmp_path: Path) -> None:
    from helpers import build_case

    repo = build_case(TESTS / "cases" / "invalid" / "catalog-parent-cycle", tmp_path / "repo")
    custom = next(f for f in gaps.build(pipeline.run(repo).model).frameworks if f.id == "custom")
    assert [(r.id, r.status) for r in custom.rows] == [("R1.1", S.NOT_MET), ("R2", S.NOT_MET)]


def test_an_audit_period_ending_in_9999_does_not_crash_the_report(tmp_path: Path) -> None:
    from helpers import build_case

    repo = build_case(TESTS / "cases" / "invalid" / "audit-period-too-long", tmp_path / "repo")
    for frequency in ("weekly", "monthly", "annual", "daily"):
        edit(repo, "controls/access/ac-01.yaml", "frequency: ", f"frequency: {frequency}\n# was: ")
        assert gaps.build(pipeline.run(repo).model).frameworks[0].rows
