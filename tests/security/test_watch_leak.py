"""The paths a control watches are internal: they name the organization's systems. A public text that
quotes one fails `check` and `build` (internal-value), however plain its words ("infra/idp.tf" reads as
three), and neither the watch nor a drift reaches the trust center's files. Of a glob, its folders are
looked for, never ordinary when two or more (`infra/identity`), and its file name when written out whole
in three words or more (`branch-protection.json`); a single folder's plain words are no leak
("Terraform"), nor is a standard file name at the top (`SECURITY.md`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import check_and_build, edit, site_snapshot, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.public import trust_json, view

AC01 = "controls/access/ac-01.yaml"
SUMMARY = "A password alone is never enough."


@pytest.fixture
def built(runner, base_repo: Path) -> Path:
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    return base_repo


def watching(repo: Path, *specs: str) -> None:
    edit(repo, AC01, "evidence: [mfa-policy]\n", f"evidence: [mfa-policy]\nwatches: [{', '.join(specs)}]\n")


def refused(runner, repo: Path, expected: str) -> None:
    before = site_snapshot(repo)
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert expected in result.output, f"{command}:\n{result.output}"
    assert site_snapshot(repo) == before


@pytest.mark.parametrize(
    ("spec", "quoted"),
    [
        ("infra/idp.tf", "Our settings live in infra/idp.tf."),
        ('"infra/identity/okta.tf#AC-02"', "We keep infra/identity/okta.tf under review."),
    ],
)
def test_a_public_summary_quoting_a_watched_path_fails(runner, built: Path, spec: str, quoted: str) -> None:
    watching(built, spec)
    edit(built, AC01, SUMMARY, quoted)
    pattern = spec.strip('"').split("#")[0]
    refused(
        runner,
        built,
        f"{AC01}:14:12: error [internal-value] the public summary of AC-01 contains the watched path of "
        f"control AC-01 ({AC01}): '{pattern}'",
    )


def test_a_public_summary_quoting_the_folders_of_a_watched_glob_fails(runner, built: Path) -> None:
    watching(built, '"infra/prod-eu1/**/*.tf"')
    edit(built, AC01, SUMMARY, "See infra/prod-eu1/**/*.tf for our setup.")
    refused(
        runner,
        built,
        f"{AC01}:14:12: error [internal-value] the public summary of AC-01 contains the watched folder of "
        f"control AC-01 ({AC01}): 'infra/prod-eu1'",
    )


@pytest.mark.parametrize(
    ("spec", "quoted", "field", "value"),
    [
        ('"infra/identity/*.tf"', "Our infra identity setup is reviewed.", "watched folder", "infra/identity"),
        ('"infra/okta-prod/*.tf"', "Changes to infra okta prod are reviewed.", "watched folder", "infra/okta-prod"),
        (
            '"infra/**/branch-protection.json"',
            "Our branch protection JSON is reviewed.",
            "watched file name",
            "branch-protection.json",
        ),
    ],
    ids=["two-folders", "named-folder", "file-name"],
)
def test_plain_words_naming_a_glob_s_folders_or_its_file_name_fail(
    runner, built: Path, spec: str, quoted: str, field: str, value: str
) -> None:
    """Two folders (or a file name of three words) name the organization's own layout: never ordinary."""
    watching(built, spec)
    edit(built, AC01, SUMMARY, quoted)
    refused(
        runner,
        built,
        f"{AC01}:14:12: error [internal-value] the public summary of AC-01 contains the {field} of "
        f"control AC-01 ({AC01}): '{value}'",
    )


def test_a_short_file_name_of_a_glob_is_no_leak(runner, built: Path) -> None:
    """`okta.tf` after `**/` is two words, too common to mean a leak; `infra` alone is one short word."""
    watching(built, '"infra/**/okta.tf"', '"deploy/*/main.tf"')
    edit(built, AC01, SUMMARY, "Our Okta TF files and main TF module are reviewed before each deploy.")
    results = check_and_build(runner, built)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["check"].output


def test_plain_words_of_a_glob_and_a_standard_file_name_are_no_leak(runner, built: Path) -> None:
    watching(built, '"terraform/**"', '"kubernetes/*.yaml"', "SECURITY.md", ".github/SECURITY.md")
    edit(built, AC01, SUMMARY, "Our cloud is defined in Terraform and Kubernetes YAML, and every change is reviewed.")
    policy = "security_policy: https://github.com/example/app/blob/main/.github/SECURITY.md\n"
    edit(built, "site/trust.yaml", "categories:\n", f"{policy}categories:\n")
    write(built, "site/setup.md", "# Setup\n\nRead our SECURITY.md and the GitHub SECURITY.md too.\n")
    results = check_and_build(runner, built)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["check"].output


def test_a_site_page_quoting_a_watched_path_fails(runner, built: Path) -> None:
    watching(built, "infra/idp.tf")
    write(built, "site/setup.md", "# Setup\n\nWe describe infra/idp.tf here.\n")
    refused(runner, built, "site/setup.md:3:13: error [internal-value] site/setup.md contains the watched path of")


def test_a_watch_without_a_path_s_look_is_no_needle(runner, built: Path) -> None:
    """A bare word (`Makefile`) is common language: only what looks like a path is looked for."""
    watching(built, "Makefile")
    edit(built, AC01, SUMMARY, "Every Makefile change is reviewed.")
    results = check_and_build(runner, built)
    assert [r.exit_code for r in results.values()] == [ExitCode.OK, ExitCode.OK], results["build"].output


def test_the_public_view_carries_no_watch_and_no_confirmation(base_repo: Path) -> None:
    watching(base_repo, "infra/zebra-7731.tf")
    edit(base_repo, AC01, "frequency: continuous\n", "frequency: continuous\ndrift_confirmed_on: 2026-11-20\n")
    result = pipeline.run(base_repo)
    assert result.model.controls[0].watches and not result.failed()
    document = trust_json.render(view.build(result.model), "", True)
    assert b"zebra" not in document and b"2026-11-20" not in document and b"drift" not in document
