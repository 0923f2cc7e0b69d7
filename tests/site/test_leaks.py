"""Nothing internal reaches build/site/: markers seeded into every internal field never appear,
and the post-build guard stops a build that would publish one."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from helpers import edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode

MARKERS = {
    "owner": "zqowner7741@test.example",
    "title": "Zqtitle Seven Seven Four Two",
    "description": "Zqdescription marker sentence 7743 for auditors only.",
    "evidence id": "zqevidence-7744",
    "evidence title": "Zqevidencetitle marker 7745",
    "evidence source": "Zqsource exporter 7746",
    "evidence notes": "Zqnotes marker 7747 for the compliance team.",
    "file name": "zqfile7748.json",
    "justification": "Zqjustification 7749 no office holds customer data.",
    "program organization": "Zqprogram Holding 7750",
}

RECORD = """\
id: zqevidence-7744
title: Zqevidencetitle marker 7745
kind: configuration
collected: 2026-11-01
refresh: quarterly
classification: restricted
source: Zqsource exporter 7746
notes: Zqnotes marker 7747 for the compliance team.
files:
  - path: files/zqfile7748.json
    sha256: {sha}
"""


def seed_markers(repo: Path) -> str:
    """Every internal field of the base repository carries a marker; returns the evidence hash."""
    content = b'{"zqcontent": 7751}\n'
    write(repo, "evidence/files/zqfile7748.json", content.decode())
    sha = hashlib.sha256(content).hexdigest()
    write(repo, "evidence/access/zq.yaml", RECORD.replace("{sha}", sha))
    control = "controls/access/ac-01.yaml"
    edit(repo, control, "it-security@test.example", MARKERS["owner"])
    edit(repo, control, "title: Multi-factor authentication for workforce access", f"title: {MARKERS['title']}")
    edit(
        repo,
        control,
        "description: The identity provider requires a security key for every workforce login.",
        f"description: {MARKERS['description']}",
    )
    edit(repo, control, "evidence: [mfa-policy]", "evidence: [mfa-policy, zqevidence-7744]")
    program = "controls/program.yaml"
    edit(repo, program, "organization: Example Test Co", f"organization: {MARKERS['program organization']}")
    edit(repo, program, "No office or data centre of ours holds customer data.", MARKERS["justification"])
    return sha


def all_output(repo: Path) -> str:
    return "\n".join(p.read_bytes().decode("utf-8", "replace") for p in (repo / "build/site").rglob("*") if p.is_file())


def test_no_internal_value_reaches_the_site(runner, base_repo: Path) -> None:
    sha = seed_markers(base_repo)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    published = all_output(base_repo).lower()
    for field, marker in {**MARKERS, "file hash": sha, "evidence content": "zqcontent"}.items():
        for token in marker.lower().split():
            if token.startswith("zq") or len(token) == 64:
                assert token not in published, f"the {field} leaked into build/site"
    assert "Every person on our team signs in with a hardware key." in all_output(base_repo)


def test_a_page_that_repeats_an_owner_stops_check_and_build(runner, base_repo: Path) -> None:
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    before = (base_repo / "build/site/index.html").read_bytes()
    write(base_repo, "site/contact.md", "# Contact\n\nWrite to it-security@test.example any time.\n")
    expected = (
        "site/contact.md:3:10: error [internal-value] site/contact.md contains the owner of control AC-01 "
        "(controls/access/ac-01.yaml): 'it-security@test.example'"
    )
    for command in ("check", "build"):
        result = runner.invoke(cli.cli, [command, "--root", str(base_repo)])
        assert result.exit_code == ExitCode.FINDINGS
        assert expected in result.output
    assert (base_repo / "build/site/index.html").read_bytes() == before  # the previous site stays


def test_a_copied_evidence_file_stops_check_and_build(runner, base_repo: Path) -> None:
    shutil.copy(base_repo / "evidence/files/mfa-policy.json", base_repo / "site/policy-export.json")
    for command in ("check", "build"):
        result = runner.invoke(cli.cli, [command, "--root", str(base_repo)])
        assert result.exit_code == ExitCode.FINDINGS
        assert (
            "site/policy-export.json:1:1: error [evidence-copy] site/policy-export.json is a copy of the evidence "
            "file evidence/files/mfa-policy.json"
        ) in result.output


def test_a_public_text_that_mentions_an_internal_phrase_is_not_a_leak(runner, base_repo: Path) -> None:
    # The evidence id `mfa-policy` reads as "mfa policy": a summary may say so on purpose.
    edit(
        base_repo,
        "controls/access/ac-01.yaml",
        "A password alone is never enough.",
        "A password alone is never enough, says our MFA policy.",
    )
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output


def test_the_guard_looks_inside_archives_and_compressed_files(runner, base_repo: Path) -> None:
    import gzip

    assert (
        runner.invoke(
            cli.cli, ["gaps", "--root", str(base_repo), "--format", "xlsx", "-o", str(base_repo / "audit.xlsx")]
        ).exit_code
        == ExitCode.OK
    )
    shutil.copy(base_repo / "audit.xlsx", base_repo / "site/audit-pack.xlsx")
    report = runner.invoke(cli.cli, ["gaps", "--root", str(base_repo), "--format", "json"]).stdout_bytes
    (base_repo / "site/report.json.gz").write_bytes(gzip.compress(report))
    for command in ("check", "build"):
        result = runner.invoke(cli.cli, [command, "--root", str(base_repo)])
        assert result.exit_code == ExitCode.FINDINGS
        assert "site/audit-pack.xlsx!xl/worksheets/sheet2.xml contains the owner of control AC-01" in result.output
        assert "site/report.json.gz contains the owner of control AC-01" in result.output


def test_markup_cannot_hide_an_internal_phrase(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "  - search\n", "")  # no search index to catch it either
    write(
        base_repo,
        "site/faq.md",
        "# FAQ\n\nThe identity provider requires a <b>security key</b> for every workforce login.\n",
    )
    for command in ("check", "build"):
        result = runner.invoke(cli.cli, [command, "--root", str(base_repo)])
        assert result.exit_code == ExitCode.FINDINGS
        assert (
            "site/faq.md:3:1: error [internal-value] site/faq.md contains the description of control AC-01"
            in result.output
        )


def test_the_gap_report_cannot_be_written_into_the_site(runner, base_repo: Path) -> None:
    result = runner.invoke(cli.cli, ["gaps", "--root", str(base_repo), "-o", str(base_repo / "site/report.md")])
    assert result.exit_code == ExitCode.USAGE and "site/report.md is in site/" in result.output
    assert not (base_repo / "site/report.md").exists()
