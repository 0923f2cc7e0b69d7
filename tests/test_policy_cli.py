"""`plaintrust policy approve` and `plaintrust policies pdf`, through the command line."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli, pipeline, policies
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger
from policy_site import run, with_drafts

POLICY = "policies/access-control.md"
# A policy written by hand: comments, single quotes, a summary and a key order of its own.
HANDWRITTEN = """\
---
# Reviewed every year by the security team.
id: vendor-management
title: 'Vendor management policy'
version: '3'   # bumped by hand
owner: vendors@internal.example
review: annual
effective: 2026-03-01
public: summary
summary: We check each vendor before we use it, and every year after.
---

## Scope

Every vendor that can reach customer data.
"""
DRAFT_ONLY = """\
---
id: hr-internal
title: Hiring checks policy
version: "1.0"
owner: people-team@internal.example
review: annual
effective: 2026-01-01
public: none
---

We check references for every new hire.
"""


@pytest.fixture
def repo(runner, base_repo: Path) -> Path:
    """The base repository with two draft policies of its own (the base's may change with other
    tests' needs), and its evidence pinned, so that the ledger exists and verifies."""
    return with_drafts(runner, base_repo)


def approve(runner, repo: Path, *args: str):
    return run(runner, repo, "policy", "approve", *args)


def last_entry(repo: Path) -> dict:
    return json.loads((repo / ledger.PATH).read_text(encoding="utf-8").splitlines()[-1])


def model(repo: Path):
    return pipeline.run(repo).model


# -- policy approve --------------------------------------------------------------------------------


def test_approve_sets_the_fields_and_keeps_every_other_byte(runner, repo: Path) -> None:
    before = (repo / POLICY).read_text(encoding="utf-8")
    result = approve(runner, repo, "access-control", "--by", "Dana Smith, CTO")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == "approved access-control version 1.0 (ledger entry 2)\n"
    after = (repo / POLICY).read_text(encoding="utf-8")
    added = ["approved_by: Dana Smith, CTO", "approved_on: 2026-11-22"]
    assert after.splitlines()[4:6] == added  # right after `version:`
    assert [line for line in after.splitlines(keepends=True) if line.rstrip() not in added] == before.splitlines(
        keepends=True
    )


def test_approve_appends_one_chained_entry_for_the_approved_text(runner, repo: Path) -> None:
    lines = len((repo / ledger.PATH).read_bytes().splitlines())
    assert approve(runner, repo, "access-control", "--by", "Dana Smith, CTO").exit_code == ExitCode.OK
    assert len((repo / ledger.PATH).read_bytes().splitlines()) == lines + 1
    entry, policy = last_entry(repo), model(repo).policies_by_id["access-control"]
    assert entry["record"] == "policy:access-control"
    assert entry["file"] == POLICY
    assert entry["seq"] == lines + 1
    assert entry["time"] == "2026-11-22T12:00:00Z"
    shown = (policy.title, policy.version, policy.effective.isoformat(), policy.change, policy.summary, policy.body)
    assert entry["sha256"] == policies.text_digest(*shown) == policy.text_sha256
    assert entry["size"] == len(policy.body.encode("utf-8"))
    verified = run(runner, repo, "evidence", "verify")
    assert verified.exit_code == ExitCode.OK, verified.output


def test_an_approved_policy_is_current_until_its_text_changes(runner, repo: Path) -> None:
    assert approve(runner, repo, "access-control", "--by", "Dana Smith, CTO").exit_code == ExitCode.OK
    approved = model(repo)
    assert policies.state(approved.policies_by_id["access-control"], approved) is policies.PolicyState.CURRENT
    assert "policy-changed" not in run(runner, repo, "check").stdout
    edit(repo, POLICY, "Every account", "Each account")
    edited = model(repo)
    assert policies.state(edited.policies_by_id["access-control"], edited) is policies.PolicyState.CHANGED
    checked = run(runner, repo, "check")
    assert "warning [policy-changed]" in checked.stdout


def test_version_rewrites_the_version_as_a_string(runner, repo: Path) -> None:
    result = approve(runner, repo, "access-control", "--by", "Dana", "--version", "1.10")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == "approved access-control version 1.10, effective 2026-11-22 (ledger entry 2)\n"
    assert 'version: "1.10"\n' in (repo / POLICY).read_text(encoding="utf-8")
    assert model(repo).policies_by_id["access-control"].version == "1.10"


def test_a_handwritten_policy_keeps_its_comments_quotes_and_line_endings(runner, repo: Path) -> None:
    approved = "version: '3'   # bumped by hand\napproved_by: 'Old Name'\napproved_on: 2026-03-01  # by hand"
    crlf = HANDWRITTEN.replace("version: '3'   # bumped by hand", approved).replace("\n", "\r\n")
    (repo / "policies/vendor-management.md").write_bytes(b"\xef\xbb\xbf" + crlf.encode("utf-8"))
    result = approve(runner, repo, "vendor-management", "--by", "Dana O'Neil", "--version", "4")
    assert result.exit_code == ExitCode.OK, result.output
    expected = (
        crlf.replace("version: '3'", "version: '4'")
        .replace("'Old Name'", "'Dana O''Neil'")
        .replace("approved_on: 2026-03-01", "approved_on: 2026-11-22")
        .replace("effective: 2026-03-01", "effective: 2026-11-22")  # a new version takes effect on approval
    )
    assert (repo / "policies/vendor-management.md").read_bytes() == b"\xef\xbb\xbf" + expected.encode("utf-8")
    assert model(repo).policies_by_id["vendor-management"].approved_by == "Dana O'Neil"


def effective_line(repo: Path) -> str:
    return next(line for line in (repo / POLICY).read_text(encoding="utf-8").splitlines() if "effective" in line)


def test_a_new_version_takes_effect_on_the_approval_day_unless_effective_says(runner, repo: Path) -> None:
    assert approve(runner, repo, "access-control", "--by", "Dana").exit_code == ExitCode.OK
    assert effective_line(repo) == "effective: 2026-01-01"  # no new version: the day the file holds
    result = approve(runner, repo, "access-control", "--by", "Dana", "--version", "1.1", "--on", "2026-11-02")
    assert result.exit_code == ExitCode.OK, result.output
    assert effective_line(repo) == "effective: 2026-11-02"  # the --on day
    approved = model(repo)
    policy = approved.policies_by_id["access-control"]
    assert (policy.version, policy.approved_on, policy.effective) == ("1.1", dt.date(2026, 11, 2), dt.date(2026, 11, 2))
    assert last_entry(repo)["sha256"] == policy.text_sha256  # the approval pins the new effective day
    assert policies.state(policy, approved) is policies.PolicyState.CURRENT
    result = approve(runner, repo, "access-control", "--by", "Dana", "--version", "1.2")
    assert result.stdout == "approved access-control version 1.2, effective 2026-11-22 (ledger entry 4)\n"
    assert effective_line(repo) == "effective: 2026-11-22"  # today


def test_the_same_version_again_keeps_its_effective_day(runner, repo: Path) -> None:
    result = approve(runner, repo, "access-control", "--by", "Dana", "--version", "1.0")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == "approved access-control version 1.0 (ledger entry 2)\n"  # nothing moved
    assert effective_line(repo) == "effective: 2026-01-01"
    assert 'version: "1.0"\n' in (repo / POLICY).read_text(encoding="utf-8")


def test_a_prepared_later_effective_day_stays_with_the_new_version(runner, repo: Path) -> None:
    edit(repo, POLICY, "effective: 2026-01-01", "effective: 2026-12-15")
    result = approve(runner, repo, "access-control", "--by", "Dana", "--version", "1.1")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == "approved access-control version 1.1 (ledger entry 2)\n"
    assert effective_line(repo) == "effective: 2026-12-15"
    policy = model(repo).policies_by_id["access-control"]
    assert (policy.version, policy.effective) == ("1.1", dt.date(2026, 12, 15))
    assert last_entry(repo)["sha256"] == policy.text_sha256


def test_effective_sets_the_day_the_version_takes_effect(runner, repo: Path) -> None:
    result = approve(runner, repo, "access-control", "--by", "Dana", "--version", "2.0", "--effective", "2027-01-01")
    assert result.exit_code == ExitCode.OK, result.output
    assert effective_line(repo) == "effective: 2027-01-01"
    approved = model(repo)
    policy = approved.policies_by_id["access-control"]
    assert (policy.version, policy.approved_on, policy.effective) == ("2.0", dt.date(2026, 11, 22), dt.date(2027, 1, 1))
    assert policies.state(policy, approved) is policies.PolicyState.UPCOMING
    assert result.stdout == "approved access-control version 2.0, effective 2027-01-01 (ledger entry 2)\n"
    again = approve(runner, repo, "access-control", "--by", "Dana", "--effective", "2026-12-01")
    assert again.exit_code == ExitCode.OK, again.output  # alone: the version stays
    assert again.stdout == "approved access-control version 2.0, effective 2026-12-01 (ledger entry 3)\n"
    assert effective_line(repo) == "effective: 2026-12-01"
    assert model(repo).policies_by_id["access-control"].version == "2.0"


@pytest.mark.parametrize("day", ["2026-13-01", "tomorrow", "01/12/2026"])
def test_effective_is_a_day(runner, repo: Path, day: str) -> None:
    before = (repo / POLICY).read_bytes()
    result = approve(runner, repo, "access-control", "--by", "Dana", "--effective", day)
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--effective'" in result.stderr
    assert (repo / POLICY).read_bytes() == before


def test_approve_help_says_what_effective_and_on_do(runner) -> None:
    helped = " ".join(runner.invoke(cli.cli, ["policy", "approve", "--help"]).output.split())
    assert "--effective YYYY-MM-DD" in helped and "--on YYYY-MM-DD" in helped
    said = "Default: the day the file holds; with a new --version, the approval day if the file's is earlier."
    assert said in helped


def test_a_name_yaml_would_misread_is_quoted(runner, repo: Path) -> None:
    assert approve(runner, repo, "access-control", "--by", "Dana: CTO #1").exit_code == ExitCode.OK
    assert 'approved_by: "Dana: CTO #1"\n' in (repo / POLICY).read_text(encoding="utf-8")
    assert model(repo).policies_by_id["access-control"].approved_by == "Dana: CTO #1"


def test_new_text_under_the_same_version_warns_but_approves(runner, repo: Path) -> None:
    assert approve(runner, repo, "access-control", "--by", "Dana").exit_code == ExitCode.OK
    edit(repo, POLICY, "Every account", "Each account")
    again = approve(runner, repo, "access-control", "--by", "Dana")
    assert again.exit_code == ExitCode.OK
    assert again.stdout == "approved access-control version 1.0 (ledger entry 3)\n"
    assert (
        "the text changed since the last approval but the version is still 1.0: "
        "pass --version to give customers a new version"
    ) in again.stderr
    assert "the text changed" not in approve(runner, repo, "access-control", "--by", "Dana").stderr  # a review


@pytest.mark.parametrize(
    "options",
    [("--version", "1.1"), ("--version", "1.0"), ("--effective", "2026-12-01"), ("--effective", "2026-01-01")],
)
def test_new_text_approved_with_version_or_effective_does_not_warn(runner, repo: Path, options) -> None:
    assert approve(runner, repo, "access-control", "--by", "Dana").exit_code == ExitCode.OK
    edit(repo, POLICY, "Every account", "Each account")
    again = approve(runner, repo, "access-control", "--by", "Dana", *options)
    assert again.exit_code == ExitCode.OK, again.output
    assert "the text changed" not in again.stderr


def test_only_a_new_effective_day_does_not_warn(runner, repo: Path) -> None:
    assert approve(runner, repo, "access-control", "--by", "Dana").exit_code == ExitCode.OK
    again = approve(runner, repo, "access-control", "--by", "Dana", "--effective", "2026-12-01")
    assert again.exit_code == ExitCode.OK, again.output
    assert again.stderr == ""
    assert "the text changed" not in approve(runner, repo, "access-control", "--by", "Dana").stderr


def test_an_unknown_id_is_a_usage_error_with_a_suggestion(runner, repo: Path) -> None:
    before = (repo / ledger.PATH).read_bytes()
    result = approve(runner, repo, "acces-control", "--by", "Dana")
    assert result.exit_code == ExitCode.USAGE
    assert "no policy has the id 'acces-control'; did you mean 'access-control'?" in result.stderr
    assert (repo / ledger.PATH).read_bytes() == before


def test_a_policy_with_errors_is_not_approved(runner, repo: Path) -> None:
    edit(repo, POLICY, "owner: security@example.com\n", "")
    before = (repo / POLICY).read_bytes(), (repo / ledger.PATH).read_bytes()
    result = approve(runner, repo, "access-control", "--by", "Dana")
    assert result.exit_code == ExitCode.FINDINGS
    assert f"{POLICY}:2:1: error [schema] missing required field 'owner'" in result.stdout
    assert "nothing was approved" in result.stderr
    assert ((repo / POLICY).read_bytes(), (repo / ledger.PATH).read_bytes()) == before


def test_a_broken_ledger_stops_the_approval(runner, repo: Path) -> None:
    edit(repo, ledger.PATH, '"seq": 1,', '"seq": 7,')
    before = (repo / POLICY).read_bytes()
    result = approve(runner, repo, "access-control", "--by", "Dana")
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [ledger-chain]" in result.stdout
    assert (repo / POLICY).read_bytes() == before


def test_a_failed_append_restores_the_policy(runner, repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full_disk(root, entries):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ledger, "append", full_disk)
    before = (repo / POLICY).read_bytes(), (repo / ledger.PATH).read_bytes()
    result = approve(runner, repo, "access-control", "--by", "Dana")
    assert result.exit_code == ExitCode.FINDINGS
    assert "cannot append to evidence/ledger.jsonl: No space left on device" in result.stdout
    assert ((repo / POLICY).read_bytes(), (repo / ledger.PATH).read_bytes()) == before


@pytest.mark.parametrize("name", ["", "   ", "Dana\nSmith", "Dana\tSmith", "Dana\x1b[31m"])
def test_the_name_is_one_printable_line(runner, repo: Path, name: str) -> None:
    result = approve(runner, repo, "access-control", "--by", name)
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--by'" in result.stderr


@pytest.mark.parametrize("version", ["", "1 2", ".1", "1/2", "x" * 33])
def test_the_version_follows_the_schema(runner, repo: Path, version: str) -> None:
    result = approve(runner, repo, "access-control", "--by", "Dana", "--version", version)
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--version'" in result.stderr


# -- policies pdf ----------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    pypdf = pytest.importorskip("pypdf")
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def mixed(runner, repo: Path) -> Path:
    """access-control approved, information-security a draft, vendor-management approved with
    its summary public, hr-internal approved and never public."""
    write(repo, "policies/vendor-management.md", HANDWRITTEN)
    write(repo, "policies/hr-internal.md", DRAFT_ONLY)
    for policy in ("access-control", "vendor-management", "hr-internal"):
        assert approve(runner, repo, policy, "--by", "Dana Approver").exit_code == ExitCode.OK
    return repo


def test_pdf_writes_one_file_per_policy_and_the_bundle(runner, mixed: Path) -> None:
    result = run(runner, mixed, "policies", "pdf")
    assert result.exit_code == ExitCode.OK, result.output
    written = files(mixed / "build/policies")
    assert sorted(written) == [
        "access-control.pdf",
        "hr-internal.pdf",
        "information-security.pdf",
        "policies.pdf",
        "vendor-management.pdf",
    ]
    assert all(data.startswith(b"%PDF-") for data in written.values())
    bundle = pdf_text(mixed / "build/policies/policies.pdf")
    for title in ("Access control policy", "Hiring checks policy", "Information security policy"):
        assert title in bundle
    assert "Draft: not approved" in bundle  # information-security
    assert "security@example.com" in bundle  # internal: owners are named
    assert "Dana Approver" in bundle
    assert "wrote 4 policy PDF(s) and the bundle" in result.stderr


def test_pdf_bytes_are_the_same_on_every_run(runner, mixed: Path) -> None:
    assert run(runner, mixed, "policies", "pdf").exit_code == ExitCode.OK
    first = files(mixed / "build/policies")
    assert run(runner, mixed, "policies", "pdf").exit_code == ExitCode.OK
    assert files(mixed / "build/policies") == first
    assert run(runner, mixed, "policies", "pdf", "--public", "-o", "out").exit_code == ExitCode.OK
    public = files(mixed / "out")
    assert run(runner, mixed, "policies", "pdf", "--public", "-o", "out").exit_code == ExitCode.OK
    assert files(mixed / "out") == public


def test_public_pdfs_leave_out_drafts_hidden_policies_owners_and_approvers(runner, mixed: Path) -> None:
    result = run(runner, mixed, "policies", "pdf", "--public", "-o", "out")
    assert result.exit_code == ExitCode.OK, result.output
    assert sorted(files(mixed / "out")) == ["access-control.pdf", "policies.pdf", "vendor-management.pdf"]
    bundle = pdf_text(mixed / "out/policies.pdf")
    assert "Access control policy" in bundle and "Vendor management policy" in bundle
    assert "We check each vendor before we use it" in bundle  # the summary
    for absent in ("Information security policy", "Hiring checks policy", "Every vendor that can reach"):
        assert absent not in bundle
    for pdf in (mixed / "out").iterdir():
        text, raw = pdf_text(pdf), pdf.read_bytes()
        for secret in ("security@example.com", "vendors@internal.example", "Dana Approver", "Owner"):
            assert secret not in text
            assert secret.encode() not in raw  # written uncompressed: the bytes are the text


def test_public_pdfs_with_no_published_policy_leave_an_empty_folder(runner, repo: Path) -> None:
    result = run(runner, repo, "policies", "pdf", "--public", "-o", "out")
    assert result.exit_code == ExitCode.OK, result.output
    assert list((repo / "out").iterdir()) == []
    assert "no approved policy that the trust center publishes to write" in result.stderr


def test_pdf_refuses_while_a_policy_has_errors(runner, repo: Path) -> None:
    edit(repo, POLICY, "review: annual", "review: sometimes")
    result = run(runner, repo, "policies", "pdf")
    assert result.exit_code == ExitCode.FINDINGS
    assert f"{POLICY}:" in result.stdout
    assert "no PDF was written" in result.stderr
    assert not (repo / "build/policies").exists()


def test_a_character_the_font_lacks_is_a_finding(runner, repo: Path) -> None:
    edit(repo, POLICY, "Every account", "Every account \u2713")
    result = run(runner, repo, "policies", "pdf")
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [policy-pdf-font] policy access-control uses '\u2713' (U+2713)" in result.stdout
    assert not (repo / "build/policies").exists()


def test_an_organisation_name_the_font_lacks_points_at_where_it_is_written(runner, repo: Path) -> None:
    edit(repo, "site/trust.yaml", "organization: Example Test Co", "organization: Przykład sp. z o.o.")
    result = run(runner, repo, "policies", "pdf")
    assert result.exit_code == ExitCode.FINDINGS
    assert "site/trust.yaml:1:15: error [policy-pdf-font] the organisation's name uses 'ł' (U+0142)" in result.stdout
    (repo / "site/trust.yaml").unlink()  # then the name is program.yaml's
    edit(repo, "controls/program.yaml", "organization: Example Test Co", "organization: Przykład sp. z o.o.")
    result = run(runner, repo, "policies", "pdf")
    assert result.exit_code == ExitCode.FINDINGS
    said = "controls/program.yaml:1:15: error [policy-pdf-font] the organisation's name uses 'ł' (U+0142)"
    assert said in result.stdout, result.stdout


def test_a_front_matter_character_the_font_lacks_is_at_its_field(runner, repo: Path) -> None:
    edit(repo, POLICY, "title: Access control policy", "title: Polityka dostępu")
    edit(repo, POLICY, "public: full", "public: full\nchange: Nowe zasady ✓")
    result = run(runner, repo, "policies", "pdf")
    assert result.exit_code == ExitCode.FINDINGS
    assert f"{POLICY}:3:8: error [policy-pdf-font] policy access-control uses 'ę' (U+0119)" in result.stdout
    assert f"{POLICY}:11:9: error [policy-pdf-font] policy access-control uses '✓' (U+2713)" in result.stdout


def test_pdf_never_replaces_a_folder_it_did_not_write(runner, repo: Path) -> None:
    write(repo, "notes/todo.txt", "keep me\n")
    for target in ("notes", ".", "policies"):
        result = run(runner, repo, "policies", "pdf", "-o", target)
        assert result.exit_code == ExitCode.USAGE, target
        assert "nothing was written" in result.stderr
    assert (repo / "notes/todo.txt").read_text() == "keep me\n"
    assert (repo / POLICY).is_file()
