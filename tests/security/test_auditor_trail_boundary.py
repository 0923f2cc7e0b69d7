"""The auditor's trail is internal: remediation plans and owners, evidence `source` and `notes`
reach the gap report and never the public site; copied into a public page, `check` and `build`
refuse them; and markup in them stays text in the gap report's HTML."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import check_and_build, edit, site_snapshot, write
from payloads import PAYLOAD
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.internal import gaps
from plaintrust.internal.render import RENDERERS

CONTROL = "controls/access/ac-01.yaml"
RECORD = "evidence/access/mfa-policy.yaml"
PLAN = "Replace the legacy VPN concentrator with per-application tunnels before the Zanzibar migration."
PLAN_OWNER = "netops-rollout@test.example"
SOURCE = "identity provider admin console, export of policy Workforce-FIDO2-Strict"
NOTES = "Exported by hand because the reporting API omits conditional access exceptions."


def with_trail(repo: Path, plan: str = PLAN, source: str = SOURCE, notes: str = NOTES) -> None:
    edit(repo, CONTROL, "status: implemented", "status: partial")
    edit(
        repo,
        CONTROL,
        "evidence: [mfa-policy]\n",
        f"evidence: [mfa-policy]\nremediation:\n  plan: {json.dumps(plan)}\n  owner: {PLAN_OWNER}\n  due: 2027-02-26\n",
    )
    edit(
        repo,
        RECORD,
        "classification: confidential\n",
        f"classification: confidential\nsource: {json.dumps(source)}\nnotes: {json.dumps(notes)}\n",
    )


def test_the_trail_reaches_the_gap_report_and_never_the_site(runner, base_repo: Path) -> None:
    with_trail(base_repo)
    results = check_and_build(runner, base_repo)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["build"].output
    published = b"".join(site_snapshot(base_repo).values())
    for internal in (
        PLAN,
        PLAN_OWNER,
        SOURCE,
        NOTES,
        "Zanzibar",
        "Workforce-FIDO2-Strict",
        "conditional access exceptions",
    ):
        assert internal.encode() not in published, internal
    report = (base_repo / "build/gap-report/gap-report.json").read_text(encoding="utf-8")
    for internal in (PLAN, PLAN_OWNER, SOURCE, NOTES):  # the test is only meaningful if they were there to leak
        assert internal in report, internal


def refused(runner, repo: Path, expected: str) -> None:
    results = check_and_build(runner, repo)
    for command, result in results.items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert expected in result.output, f"{command}:\n{result.output}"
        assert "Traceback" not in result.output


def test_a_remediation_plan_copied_into_a_page_is_refused(runner, base_repo: Path) -> None:
    with_trail(base_repo)
    write(base_repo, "site/roadmap.md", f"# Roadmap\n\n{PLAN}\n")
    refused(
        runner,
        base_repo,
        "site/roadmap.md:3:1: error [internal-value] site/roadmap.md contains the remediation plan "
        f"of control AC-01 ({CONTROL}): 'Replace the legacy VPN concentrator with per-application ...'",
    )


def test_a_remediation_owner_in_a_page_is_refused(runner, base_repo: Path) -> None:
    with_trail(base_repo)
    write(base_repo, "site/contact.md", f"# Contact\n\nWrite to {PLAN_OWNER}.\n")
    refused(
        runner,
        base_repo,
        "site/contact.md:3:10: error [internal-value] site/contact.md contains the remediation owner "
        f"of control AC-01 ({CONTROL}): {PLAN_OWNER!r}",
    )


def test_an_evidence_source_copied_into_a_page_is_refused(runner, base_repo: Path) -> None:
    with_trail(base_repo)
    write(base_repo, "site/how-we-check.md", f"# How we check\n\nWe read the {SOURCE}.\n")
    refused(
        runner,
        base_repo,
        "site/how-we-check.md:3:13: error [internal-value] site/how-we-check.md contains the source "
        f"of evidence record mfa-policy ({RECORD}): 'identity provider admin console, export of policy Workfor...'",
    )


def test_an_evidence_note_in_a_control_summary_is_refused(runner, base_repo: Path) -> None:
    with_trail(base_repo)
    edit(base_repo, CONTROL, "A password alone is never enough.", NOTES)
    refused(
        runner,
        base_repo,
        "error [internal-value] the public summary of AC-01 contains the notes of evidence record mfa-policy",
    )


def test_markup_in_the_trail_stays_text_in_the_gap_report(runner, base_repo: Path) -> None:
    link = "[report](javascript:alert(5))"
    with_trail(base_repo, plan=f"Plan {PAYLOAD} {link}", source=f"Source {PAYLOAD}", notes=f"Notes {PAYLOAD} {link}")
    edit(
        base_repo,
        CONTROL,
        "description: The identity provider",
        f"description: {PAYLOAD.replace(':', '')} The identity provider",
    )
    html = RENDERERS["html"](gaps.build(pipeline.run(base_repo).model)).decode()
    for live in ("<script>alert", "<img src=x", "<svg onload", 'href="javascript:'):
        assert live not in html, live
    assert (
        html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 5
    )  # plan (row and control), source, notes, description
    built = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert built.exit_code == ExitCode.OK, built.output
    published = b"".join(site_snapshot(base_repo).values())
    assert b"alert(1)" not in published and b"javascript:alert(5)" not in published
