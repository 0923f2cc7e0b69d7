"""Policies as proof in the gap report and the audit package.

The base repository with its own policies replaced by these, judged on 2026-11-22. AC-01 (met in
iso27001, which has no audit period) also maps the flagged A.5.10 and A.5.15:

- access-control: approved 2026-06-01, its text in the ledger: current. Maps the flagged A.5.15
  (beside AC-01), A.5.16 (no control) and soc2 CC6.1.
- logging: a draft. Maps the flagged A.5.1 (no control) and A.5.10 (beside AC-01).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator

from helpers import edit, write
from plaintrust import cli, pipeline, status
from plaintrust.evidence import ledger
from plaintrust.internal import gaps
from plaintrust.internal.gaps import ReqStatus as S
from plaintrust.internal.render import RENDERERS, policycells, tables
from plaintrust.schemas import schema
from test_audit_package import standalone_verify

ACCESS = """\
---
id: access-control
title: Access control policy
version: "1.2"
owner: security@test.example
approved_by: Dana Smith, CTO
approved_on: {approved_on}
review: annual
effective: 2026-06-15
satisfies:
  iso27001: [A.5.15, A.5.16]
  soc2: [CC6.1]
public: full
---
We give people the access their work needs, and no more.

## Who gets access

A manager asks for it in a ticket.
"""

LOGGING = """\
---
id: logging
title: Logging policy
version: "0.1"
owner: security@test.example
review: annual
effective: 2026-06-15
satisfies:
  iso27001: [A.5.1, A.5.10]
public: none
---
We keep the logs of every system for a year.
"""


@pytest.fixture
def repo(base_repo: Path) -> Path:
    for old in (base_repo / "policies").glob("*.md"):
        old.unlink()
    edit(base_repo, "controls/access/ac-01.yaml", "iso27001: [A.5.17", "iso27001: [A.5.10, A.5.15, A.5.17")
    write(base_repo, "policies/access-control.md", ACCESS.format(approved_on="2026-06-01"))
    write(base_repo, "policies/logging.md", LOGGING)
    return base_repo


def approve(repo: Path, policy_id: str = "access-control") -> int:
    """Record the approval of the policy's current text, as `plaintrust policy approve` does; its line."""
    policy = pipeline.run(repo).model.policies_by_id[policy_id]
    book = ledger.read(repo)
    pin = (f"policy:{policy_id}", policy.source.path, policy.text_sha256, len(policy.body.encode()))
    ledger.append(repo, ledger.next_entries(book, [pin], dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)))
    return book.head()[0] + 1


def rows(repo: Path, framework: str = "iso27001") -> dict[str, gaps.RequirementRow]:
    report = gaps.build(pipeline.run(repo).model)
    return {r.id: r for f in report.frameworks if f.id == framework for r in f.rows}


def test_a_current_policy_meets_the_need_and_proves_alone(repo: Path) -> None:
    approve(repo)
    found = rows(repo)
    flagged = found["A.5.15"]
    assert (flagged.status, flagged.reason) == (S.MET, "every control is implemented with current evidence")
    assert [(p.id, p.version, p.state, p.approved_by) for p in flagged.policies] == [
        ("access-control", "1.2", "current", "Dana Smith, CTO")
    ]
    alone = found["A.5.16"]  # no control: the policy is the proof
    assert (alone.status, alone.reason) == (S.MET, "approved policy access-control (version 1.2)")
    assert (alone.current_status, alone.period_status) == ("met", "no audit period")
    assert found["A.8.5"].status is S.MET and found["A.8.5"].policies == ()  # untouched


def test_an_overdue_or_changed_policy_counts_in_part(repo: Path) -> None:
    edit(repo, "policies/access-control.md", "approved_on: 2026-06-01", "approved_on: 2025-06-01")
    approve(repo)  # the text approved; its review was due on 2026-06-01, overdue from 2026-07-02
    found = rows(repo)
    why = "policy access-control was due for review on 2026-06-01 (more than 30 days ago)"
    assert (found["A.5.15"].status, found["A.5.15"].reason) == (S.PARTIAL, why)
    assert (found["A.5.16"].status, found["A.5.16"].reason) == (S.PARTIAL, why)
    assert found["A.5.16"].current_status == "partially met"
    edit(repo, "policies/access-control.md", "no more.", "no more, ever.")
    assert rows(repo)["A.5.16"].reason == "policy access-control changed after its approval"


def test_an_upcoming_policy_counts_in_part_until_it_takes_effect(repo: Path) -> None:
    edit(repo, "policies/access-control.md", "effective: 2026-06-15", "effective: 2026-12-01")
    approve(repo)  # approved, but in effect only from 1 December
    found = rows(repo)
    why = "policy access-control takes effect on 2026-12-01"
    assert (found["A.5.15"].status, found["A.5.15"].reason) == (S.PARTIAL, why)  # flagged, beside AC-01
    assert (found["A.5.16"].status, found["A.5.16"].reason) == (S.PARTIAL, why)  # the policy alone
    assert (found["A.5.16"].current_status, found["A.5.16"].policies[0].state) == ("partially met", "upcoming")
    report = gaps.build(pipeline.run(repo).model)
    data = json.loads(RENDERERS["json"](report))
    Draft202012Validator(schema("gap-report")).validate(data)
    assert data["policies"][0]["state"] == "upcoming"
    table = list(csv.reader(io.StringIO(tables.csv_files(report)["policies.csv"].decode())))
    assert table[1][table[0].index("State")] == "upcoming: takes effect 2026-12-01"
    assert '<span class="st st-PARTIAL">upcoming</span>' in RENDERERS["html"](report).decode()


def test_one_troubled_policy_lowers_a_requirement_two_policies_map(repo: Path) -> None:
    edit(repo, "policies/logging.md", "version:", "approved_by: Sam Lee\napproved_on: 2025-06-01\nversion:")
    edit(repo, "policies/logging.md", "iso27001: [A.5.1, A.5.10]", "iso27001: [A.5.1, A.5.10, A.5.16]")
    approve(repo)
    approve(repo, "logging")  # its review was due on 2026-06-01: overdue
    alone = rows(repo)["A.5.16"]  # no control: access-control current, logging overdue
    assert [(p.id, p.state) for p in alone.policies] == [("access-control", "current"), ("logging", "overdue")]
    assert (alone.status, alone.reason) == (
        S.PARTIAL,
        "policy logging was due for review on 2026-06-01 (more than 30 days ago)",
    )


def test_a_current_policy_does_not_meet_a_requirement_its_planned_control_fails(repo: Path) -> None:
    edit(repo, "controls/access/ac-01.yaml", "status: implemented", "status: planned")
    approve(repo)
    found = rows(repo)
    for requirement in ("A.5.15", "A.5.17"):  # flagged and not: either way AC-01 decides
        assert found[requirement].status is S.NOT_MET, requirement
    assert found["A.5.15"].policies[0].state == "current"
    assert found["A.5.16"].status is S.MET  # the policy alone, no control


def test_a_policy_without_an_approval_in_the_ledger_counts_in_part(repo: Path) -> None:
    found = rows(repo)
    assert (found["A.5.16"].status, found["A.5.16"].reason) == (
        S.PARTIAL,
        "policy access-control has no approval in the ledger",
    )


def test_drafts_prove_nothing(repo: Path) -> None:
    found = rows(repo)
    beside = found["A.5.10"]  # flagged, AC-01 meets it
    assert (beside.status, beside.reason) == (S.PARTIAL, "needs an approved policy; logging is a draft")
    alone = found["A.5.1"]  # flagged, no control
    assert (alone.status, alone.reason) == (
        S.NOT_MET,
        "no control addresses it; needs an approved policy; logging is a draft",
    )
    edit(repo, "policies/logging.md", "iso27001: [A.5.1, A.5.10]", "iso27001: [A.5.1, A.5.16]")
    assert rows(repo)["A.5.10"].reason == "needs an approved policy: none is mapped"


def test_a_requirement_with_controls_keeps_their_status_beside_its_policies(repo: Path) -> None:
    edit(repo, "policies/access-control.md", "approved_on: 2026-06-01", "approved_on: 2025-06-01")
    approve(repo)
    soc2 = rows(repo, "soc2")["CC6.1"]  # not flagged: AC-01 decides, the overdue policy is listed
    assert [p.state for p in soc2.policies] == ["overdue"]
    assert "policy" not in soc2.reason


def test_check_counts_the_same_unmet_requirements_as_the_report(repo: Path) -> None:
    approve(repo)
    model = pipeline.run(repo).model
    for framework in model.program.frameworks:
        report = gaps.framework_report(model, framework)
        assert status.not_met(model, framework) == [r.id for r in report.rows if r.status is S.NOT_MET]
    iso = model.program.framework("iso27001")
    unmet = status.not_met(model, iso)
    assert "A.5.16" not in unmet and "A.5.1" in unmet


def test_json_lists_the_policies_and_follows_its_schema(repo: Path) -> None:
    line = approve(repo)
    data = json.loads(RENDERERS["json"](gaps.build(pipeline.run(repo).model)))
    Draft202012Validator(schema("gap-report")).validate(data)
    iso = next(f for f in data["frameworks"] if f["id"] == "iso27001")
    row = next(r for r in iso["requirements"] if r["id"] == "A.5.16")
    assert row["policies"] == [
        {
            "id": "access-control",
            "title": "Access control policy",
            "version": "1.2",
            "approved_on": "2026-06-01",
            "approved_by": "Dana Smith, CTO",
            "state": "current",
        }
    ]
    access, logging = data["policies"]
    assert access["approval"]["ledger_line"] == line and access["next_review"] == "2027-06-01"
    assert access["requirements"] == {"soc2": ["CC6.1"], "iso27001": ["A.5.15", "A.5.16"]}
    assert access["owner"] == "security@test.example" and access["file"] == "policies/access-control.md"
    assert (logging["state"], logging["approved_on"], logging["approval"]) == ("draft", None, None)


def test_csv_xlsx_markdown_and_html_show_the_policies(repo: Path) -> None:
    approve(repo)
    report = gaps.build(pipeline.run(repo).model)
    table = list(csv.reader(io.StringIO(RENDERERS["csv"](report).decode())))
    column = table[0].index("Policies")
    cells = {(r[0], r[1]): r[column] for r in table[1:]}
    assert cells[("iso27001", "A.5.15")] == "access-control 1.2 approved 2026-06-01 (current)"
    assert cells[("iso27001", "A.5.10")] == "logging 0.1 (draft)"
    policies = list(csv.reader(io.StringIO(tables.csv_files(report)["policies.csv"].decode())))
    assert policies[0] == policycells.HEADERS
    assert [row[:3] for row in policies[1:]] == [
        ["access-control", "Access control policy", "1.2"],
        ["logging", "Logging policy", "0.1"],
    ]
    assert policies[1][policies[0].index("Approved on")] == "2026-06-01"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))
    sheet = [[c.value for c in r] for r in book["Policies"].iter_rows()]
    assert sheet[0][:3] == ["Policy", "Title", "Version"]
    assert sheet[1][5] == dt.datetime(2026, 6, 1) and sheet[1][7] == "current"
    markdown = RENDERERS["md"](report).decode()
    assert "## Policies\n" in markdown
    assert (
        "| logging | Logging policy | 0.1 | security@test.example |   |   |   | draft |   | iso27001: A.5.1, A.5.10 |"
        in markdown
    )
    html = RENDERERS["html"](report).decode()
    assert '<section id="policies">' in html and '<tr id="p-access-control">' in html


def test_policies_csv_keeps_a_formula_as_text(repo: Path) -> None:
    edit(
        repo, "policies/access-control.md", "owner: security@test.example", "owner: '=HYPERLINK(\"https://x.example\")'"
    )
    report = gaps.build(pipeline.run(repo).model)
    table = list(csv.reader(io.StringIO(tables.csv_files(report)["policies.csv"].decode())))
    assert table[1][table[0].index("Owner")] == '\'=HYPERLINK("https://x.example")'  # a leading ' keeps it text


def test_a_report_without_policies_has_no_policy_section(base_repo: Path) -> None:
    for old in (base_repo / "policies").glob("*.md"):
        old.unlink()
    report = gaps.build(pipeline.run(base_repo).model)
    assert report.policies == ()
    assert "## Policies" not in RENDERERS["md"](report).decode()
    assert 'id="policies"' not in RENDERERS["html"](report).decode()
    assert "policies.csv" not in tables.csv_files(report)


def test_the_audit_package_holds_the_approved_policies(repo: Path, runner: CliRunner) -> None:
    pinned = runner.invoke(cli.cli, ["evidence", "pin", "--root", str(repo)])
    assert pinned.exit_code == 0, pinned.output
    line = approve(repo)
    target = repo.parent / "package.zip"
    built = runner.invoke(cli.cli, ["audit-package", "--root", str(repo), "--framework", "soc2", "-o", str(target)])
    assert built.exit_code in (0, 1) and f"wrote {target}" in built.stderr, built.output
    assert ": 1 evidence record(s), 0 of their files and 1 policy; 1 more evidence file(s) listed" in built.stderr
    helped = runner.invoke(cli.cli, ["audit-package", "--help"])
    assert "the approved policies" in " ".join(helped.output.split())
    with zipfile.ZipFile(target) as archive:
        names = set(archive.namelist())
        found = json.loads(archive.read("MANIFEST.json"))
        held = archive.read("policies/access-control.md")
    assert held == (repo / "policies/access-control.md").read_bytes()
    assert "policies/logging.md" not in names  # a draft, and it maps nothing of soc2
    entry = next(f for f in found["files"] if f["path"] == "policies/access-control.md")
    assert (entry["role"], entry["records"], entry["included"]) == ("policy", [], True)
    assert entry["policy"]["approval"]["ledger_line"] == line
    assert {k: entry["policy"][k] for k in ("version", "approved_on", "approved_by", "state")} == {
        "version": "1.2",
        "approved_on": "2026-06-01",
        "approved_by": "Dana Smith, CTO",
        "state": "current",
    }
    verified = runner.invoke(cli.cli, ["audit-package", "verify", str(target)])
    assert verified.exit_code == 0 and "no problems found" in verified.stderr, verified.output
    code, said = standalone_verify(target)  # the auditor's verify.py takes a role it does not know
    assert code == 0 and said[0].startswith("OK: "), said
