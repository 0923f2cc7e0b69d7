"""A certification's new public fields (report date, bridge letter, expected months, surveillance
date): a bridge letter's file stays a regular file inside site/, its request address is never a
script, the dates carry no markup, and what `check` knows about gaps never reaches the site."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from helpers import check_and_build, site_snapshot, write
from payloads import PAYLOAD
from plaintrust.errors import ExitCode

HEAD = """\
organization: Example Test Co
security_contact: mailto:security@test.example
categories:
  - {id: access-control, title: Access control}
certifications:
  - framework: soc2
    kind: SOC 2 Type II
    auditor: Example Assurance LLP
    period: {from: 2024-10-01, to: 2025-09-30}
    report: on-request
    request_url: https://test.example/request
"""


def with_letter(repo: Path, letter: str, extra: str = "") -> None:
    write(repo, "site/trust.yaml", HEAD + f"    bridge_letter: {letter}\n" + extra)


def refused(runner, repo: Path, *expected: str) -> None:
    """`check` and `build` both exit 1 naming every expected line, and nothing is built."""
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "Traceback" not in result.output
        for line in expected:
            assert line in result.output, f"{command} did not say {line!r}:\n{result.output}"
    assert site_snapshot(repo) == {}


def test_a_bridge_letter_linked_to_a_host_file_is_refused(runner, base_repo: Path) -> None:
    (base_repo / "site/documents").mkdir(parents=True)
    os.symlink("/etc/passwd", base_repo / "site/documents/bridge.pdf")
    with_letter(base_repo, "{through: 2027-03-31, file: documents/bridge.pdf}")
    refused(
        runner,
        base_repo,
        "site/documents/bridge.pdf:1:1: error [site-symlink] site/documents/bridge.pdf is a symbolic link",
        "site/trust.yaml:12:48: error [site-file-missing] 'documents/bridge.pdf' leads out of site/ through a symbolic link",
    )


def test_a_bridge_letter_linked_to_an_internal_file_is_refused(runner, base_repo: Path) -> None:
    (base_repo / "site/documents").mkdir(parents=True)
    os.symlink("../../controls/access/ac-01.yaml", base_repo / "site/documents/bridge.pdf")
    with_letter(base_repo, "{through: 2027-03-31, file: documents/bridge.pdf}")
    refused(runner, base_repo, "error [site-symlink] site/documents/bridge.pdf is a symbolic link")


def test_a_bridge_letter_that_is_a_folder_is_refused(runner, base_repo: Path) -> None:
    write(base_repo, "site/documents/bridge/inside.txt", "a page of our own")
    with_letter(base_repo, "{through: 2027-03-31, file: documents/bridge}")
    refused(
        runner, base_repo, "site/trust.yaml:12:48: error [site-file-missing] 'documents/bridge' is not a regular file"
    )


@pytest.mark.parametrize(
    "path",
    [
        "../controls/access/ac-01.yaml",
        "/etc/passwd",
        "documents/../../evidence/x.json",
        'documents/x" onerror="alert(1).pdf',
        "javascript:alert(1)",
    ],
)
def test_a_bridge_letter_path_out_of_site_or_with_markup_is_a_schema_error(runner, base_repo: Path, path: str) -> None:
    with_letter(base_repo, "{through: 2027-03-31, file: " + json.dumps(path) + "}")
    refused(runner, base_repo, "error [schema] file: ", "is not a valid file")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        'https://x.example/" onmouseover="alert(1)',
        "http://test.example/letter",
    ],
)
def test_a_bridge_letter_request_url_is_mailto_or_https_only(runner, base_repo: Path, url: str) -> None:
    with_letter(base_repo, "{through: 2027-03-31, request_url: " + json.dumps(url) + "}")
    refused(runner, base_repo, "error [schema] request_url: ", "is not a valid request_url")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("report_date", PAYLOAD),
        ("next_report_expected", PAYLOAD),
        ("last_surveillance", PAYLOAD),
        ("next_report_expected", "2027-03<script>"),
        ("report_date", "2025-11-14T00:00:00Z"),
    ],
)
def test_dates_and_months_carry_no_text(runner, base_repo: Path, field: str, value: str) -> None:
    write(base_repo, "site/trust.yaml", HEAD + f"    {field}: {json.dumps(value)}\n")
    refused(runner, base_repo, f"{field}: ")


def test_an_in_progress_audit_carries_no_report_link(runner, base_repo: Path) -> None:
    write(
        base_repo,
        "site/trust.yaml",
        HEAD.split("  - framework")[0] + "  - framework: soc2\n    kind: SOC 2\n"
        '    auditor: A\n    state: in-progress\n    expected: 2027-03\n    request_url: "javascript:alert(1)"\n',
    )
    refused(runner, base_repo, "error [schema]")


def test_an_internal_value_in_a_bridge_letter_is_a_leak(runner, base_repo: Path) -> None:
    with_letter(base_repo, "{through: 2027-03-31, request_url: 'mailto:it-security@test.example'}")
    refused(runner, base_repo, "error [internal-value] site/trust.yaml contains the owner of control AC-01")


def test_what_check_knows_about_gaps_never_reaches_the_site(runner, base_repo: Path) -> None:
    write(base_repo, "site/documents/bridge.pdf", "%PDF-1.4 letter")
    with_letter(base_repo, "{through: 2027-03-31, file: documents/bridge.pdf}", "    next_report_expected: 2027-03\n")
    results = check_and_build(runner, base_repo)
    assert results["build"].exit_code == ExitCode.OK, results["build"].output
    assert (
        "[certification-gaps] SOC 2 Type II is shown as current, but 32 requirements in soc2" in results["check"].output
    )
    published = b"".join(site_snapshot(base_repo).values())
    assert b"Bridge letter covers up to 31 March 2027" in published
    for internal in (
        b"CC1.1",
        b"CC7.2",
        b"32 requirements",
        b"requirements in soc2",
        b"team should know",
        b"AC-01",
        b"it-security@test.example",
    ):
        assert internal not in published, internal
    document = json.loads(site_snapshot(base_repo)["trust.json"])
    assert set(document["certifications"][0]) == {
        "name",
        "auditor",
        "status",
        "period",
        "report_date",
        "issued",
        "expires",
        "last_surveillance",
        "certificate_number",
        "bridge_letter",
        "next_report_expected",
        "expected",
        "report",
        "request_url",
        "file",
    }
