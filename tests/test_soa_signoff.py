"""The Statement of Applicability an auditor signs off: its approval at the top of the SoA in every
format, each included Annex A control's reason, links from the SoA to the report's rows, and the
reasons for the groups left out of scope."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from jsonschema import Draft202012Validator

from helpers import edit
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal.render import RENDERERS, tables
from plaintrust.schemas import schema

SIGNOFF = (
    "    catalog: iso27001-2022\n"
    '    soa: {version: "2.1", approved_by: "Ada Lovelace, CISO", approved_on: 2026-03-30}\n'
    "    soa_reasons:\n"
    "      A.5.17: Required by the risk treatment plan.\n"
    "      A.5.1: Customer contracts ask for it\n"
)


@pytest.fixture
def signed(base_repo: Path) -> Path:
    edit(base_repo, "controls/program.yaml", "    catalog: iso27001-2022\n", SIGNOFF)
    edit(
        base_repo,
        "controls/program.yaml",
        "privacy: Not in this report.",
        "privacy: We hold no personal data of consumers.",
    )
    return base_repo


def build(repo: Path) -> gaps.GapReport:
    result = pipeline.run(repo)
    assert not result.failed(), result.diagnostics
    return gaps.build(result.model)


def test_the_approval_heads_the_soa_in_every_format(signed: Path) -> None:
    report = build(signed)
    markdown = RENDERERS["md"](report).decode()
    soa_part = markdown.split("## Statement of Applicability (iso27001)\n", 1)[1]
    assert soa_part.startswith("\n- Version: 2.1\n- Approved by: Ada Lovelace, CISO\n- Approved on: 2026-03-30\n")
    html = RENDERERS["html"](report).decode()
    assert "<dt>Approved by</dt><dd>Ada Lovelace, CISO</dd><dt>Approved on</dt><dd>30 March 2026</dd>" in html
    Draft202012Validator(schema("gap-report")).validate(json.loads(RENDERERS["json"](report)))
    assert json.loads(RENDERERS["json"](report))["statement_of_applicability"]["approval"] == {
        "version": "2.1",
        "approved_by": "Ada Lovelace, CISO",
        "approved_on": "2026-03-30",
    }
    rows = list(csv.reader(io.StringIO(tables.csv_files(report)["statement-of-applicability.csv"].decode())))
    assert rows[:5] == [
        ["Statement of Applicability", "iso27001"],
        ["Version", "2.1"],
        ["Approved by", "Ada Lovelace, CISO"],
        ["Approved on", "2026-03-30"],
        [],
    ]
    assert rows[5][0] == "Annex A control" and len(rows) == 6 + 93
    sheet = openpyxl.load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))["Statement of Applicability"]
    assert [c.value for c in sheet["A"][:3]] == ["Statement of Applicability", "Version", "Approved by"]
    assert sheet["B3"].value == "Ada Lovelace, CISO" and sheet["B4"].value.date().isoformat() == "2026-03-30"
    assert sheet["A6"].value == "Annex A control"


def test_without_an_approval_the_soa_says_it_is_not_signed_off(base_repo: Path) -> None:
    report = build(base_repo)
    assert report.soa_signoff is None
    assert "- Approval: not signed off" in RENDERERS["md"](report).decode()
    assert json.loads(RENDERERS["json"](report))["statement_of_applicability"]["approval"] is None
    assert "<dt>Approval</dt><dd>Not signed off" in RENDERERS["html"](report).decode()


def test_each_included_control_gives_its_reason(signed: Path) -> None:
    soa = {s.id: s for s in build(signed).soa}
    assert soa["A.5.17"].reason == "Required by the risk treatment plan."
    assert soa["A.5.17"].justification == "Required by the risk treatment plan. Implemented through AC-01"
    assert soa["A.5.1"].justification == "Customer contracts ask for it. No control implements it yet"
    assert soa["A.8.5"].justification == "Implemented through AC-01"
    assert soa["A.5.2"].reason is None
    assert soa["A.5.2"].justification == "Applicable, but no reason given and no control implements it yet"
    assert soa["A.7.4"].reason is None  # not applicable: its justification is the reason it is out
    assert soa["A.7.4"].justification == "No office or data centre of ours holds customer data."
    row = next(
        r
        for r in json.loads(RENDERERS["json"](build(signed)))["statement_of_applicability"]["controls"]
        if r["id"] == "A.5.17"
    )
    assert row["reason"] == "Required by the risk treatment plan."


def test_soa_ids_link_to_their_rows_in_the_report(signed: Path) -> None:
    html = RENDERERS["html"](build(signed)).decode()
    soa = html.split('<section id="soa">', 1)[1].split("</section>", 1)[0]
    assert '<a href="#c-iso27001-AC-01"><b>AC-01</b></a>' in soa
    assert '<a href="#r-iso27001-A.5.17">A.5.17</a>' in soa
    assert 'id="c-iso27001-AC-01"' in html and 'id="r-iso27001-A.5.17"' in html


def test_the_reasons_for_groups_out_of_scope_show_in_every_format(signed: Path) -> None:
    report = build(signed)
    soc2 = report.frameworks[0]
    assert {g.id: g.justification for g in soc2.groups}["privacy"] == "We hold no personal data of consumers."
    assert {g.id: g.justification for g in soc2.groups}["security"] is None
    reason = "We hold no personal data of consumers."
    assert f"- Privacy (privacy): {reason}" in RENDERERS["md"](report).decode()
    assert f"<b>Privacy</b> ({reason})" in RENDERERS["html"](report).decode()
    groups = json.loads(RENDERERS["json"](report))["frameworks"][0]["groups"]
    assert {g["id"]: g["justification"] for g in groups}["privacy"] == reason
    scope = list(csv.DictReader(io.StringIO(tables.csv_files(report)["scope.csv"].decode())))
    assert {(r["Framework"], r["Group"]): (r["In scope"], r["Why out of scope"]) for r in scope}[
        ("soc2", "privacy")
    ] == ("no", reason)
    sheet = openpyxl.load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))["Scope"]
    assert [c.value for c in sheet[1]] == [
        "Framework",
        "Group",
        "Title",
        "In scope",
        "Requirements",
        "Why out of scope",
    ]
    assert ["soc2", "privacy", "Privacy", "no", reason] == [
        c.value for row in sheet.iter_rows(min_row=2) if row[1].value == "privacy" for c in row if c.column != 5
    ]


def test_an_annex_a_control_out_of_scope_gives_the_exclusion_reason(base_repo: Path) -> None:
    edit(
        base_repo,
        "controls/program.yaml",
        "    catalog: iso27001-2022\n",
        "    catalog: iso27001-2022\n    scope: [clause, subclause, organizational, people, physical]\n"
        "    scope_exclusions: {technological: Run by our hosting provider.}\n",
    )
    soa = {s.id: s for s in build(base_repo).soa}
    assert soa["A.8.5"].justification == (
        "Outside the scope declared in program.yaml (group 'technological'): Run by our hosting provider."
    )
