"""The paths a control watches are internal: they name the organization's systems. A public text that
quotes one fails `check` and `build` (internal-value), however plain its words ("infra/idp.tf" reads as
three), and neither the watch nor a drift reaches the trust center's files."""

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
        ('"infra/**/*.tf"', "See infra/**/*.tf for our setup."),
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
