"""Recovery objectives and the last restore test, on the overview and in trust.json.

The base repository's only control, AC-01, stands in for the restore test (made quarterly here);
its evidence was collected on 1 November 2026. The pinned day is 22 November 2026.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helpers import edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.schemas import schema

CONTROL = "controls/access/ac-01.yaml"
RECORD = "evidence/access/mfa-policy.yaml"
RESILIENCE = """
resilience:
  rto: 4h
  rpo: 15m
  status_page: https://status.test.example
  restore_test: {control: AC-01}
"""


@pytest.fixture
def repo(base_repo: Path) -> Path:
    edit(base_repo, CONTROL, "frequency: continuous", "frequency: quarterly")
    with (base_repo / "site/trust.yaml").open("a", encoding="utf-8") as trust:
        trust.write(RESILIENCE)
    return base_repo


def build(runner, repo: Path) -> tuple[str, dict]:
    result = runner.invoke(cli.cli, ["build", "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output
    page = (repo / "build/site/index.html").read_text(encoding="utf-8")
    section = page[page.index('aria-labelledby="pt-resilience"') :]
    document = json.loads((repo / "build/site/trust.json").read_text())
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    return section[: section.index("</section>")], document["resilience"]


def test_objectives_and_the_last_restore_test_are_shown(runner, repo: Path) -> None:
    section, data = build(runner, repo)
    assert (
        "<dt>Back in service after a major failure</dt><dd>Within 4 hours (our recovery time objective)</dd>" in section
    )
    assert (
        "<dt>Data a major failure could lose</dt><dd>At most the last 15 minutes (our recovery point objective)</dd>"
    ) in section
    assert "<dt>Backups last restored in a test</dt><dd>November 2026 (every quarter)</dd>" in section
    assert '<dt>Live service status</dt><dd><a href="https://status.test.example">Our status page</a></dd>' in section
    assert data == {
        "rto": "4h",
        "rpo": "15m",
        "status_page": "https://status.test.example",
        "restore_test": {"last": "2026-11", "frequency": "quarterly", "overdue_since": None},
    }


def test_an_overdue_restore_test_says_so(runner, repo: Path) -> None:
    edit(repo, RECORD, "collected: 2026-11-01", "collected: 2026-04-20")
    section, data = build(runner, repo)
    assert (
        '<dd>April 2026 (every quarter). <strong class="pt-overdue">Overdue since 20 July 2026</strong></dd>' in section
    )
    assert data["restore_test"] == {"last": "2026-04", "frequency": "quarterly", "overdue_since": "2026-07-20"}


def test_a_control_without_evidence_has_no_restore_test_on_record(runner, repo: Path) -> None:
    edit(repo, CONTROL, "status: implemented", "status: planned")
    checked = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    assert (
        "site/trust.yaml:16:27: warning [restore-test-control] AC-01 is planned: "
        "the overview says no restore test is on record yet"
    ) in checked.output
    section, data = build(runner, repo)
    assert "<dd>No restore test on record yet</dd>" in section
    assert data["restore_test"] == {"last": None, "frequency": "quarterly", "overdue_since": None}


def test_an_unknown_control_is_an_error(runner, repo: Path) -> None:
    edit(repo, "site/trust.yaml", "{control: AC-01}", "{control: AC-1}")
    result = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert "site/trust.yaml:16:27: error [restore-test-control] no control has the id 'AC-1'" in result.output
    assert "did you mean 'AC-01'?" in result.output


def test_objectives_alone_are_enough(runner, base_repo: Path) -> None:
    with (base_repo / "site/trust.yaml").open("a", encoding="utf-8") as trust:
        trust.write("\nresilience: {rto: 1d, rpo: 0m}\n")
    section, data = build(runner, base_repo)
    assert "<dd>Within 1 day (our recovery time objective)</dd>" in section
    assert "<dd>None (our recovery point objective)</dd>" in section
    assert "restored" not in section and "status page" not in section
    assert data == {"rto": "1d", "rpo": "0m", "status_page": None, "restore_test": None}


def test_without_resilience_nothing_is_claimed(runner, base_repo: Path) -> None:
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "pt-resilience" not in (base_repo / "build/site/index.html").read_text(encoding="utf-8")
    assert json.loads((base_repo / "build/site/trust.json").read_text())["resilience"] is None


def test_the_restore_test_date_comes_from_the_runs_not_a_fresh_policy(runner, repo: Path) -> None:
    edit(repo, CONTROL, "evidence: [mfa-policy]", "evidence: [mfa-policy, restore-q2]")
    edit(repo, RECORD, "refresh: quarterly", "refresh: annual")
    run = (
        (repo / RECORD)
        .read_text()
        .replace("id: mfa-policy", "id: restore-q2")
        .replace("collected: 2026-11-01", "collected: 2026-09-25\ncovers: {from: 2026-04-01, to: 2026-06-30}")
        .replace("refresh: annual", "refresh: quarterly")
    )
    write(repo, "evidence/access/restore-q2.yaml", run)
    section, data = build(runner, repo)
    assert (
        '<dd>June 2026 (every quarter). <strong class="pt-overdue">Overdue since 30 October 2026</strong></dd>'
        in section
    )
    assert data["restore_test"] == {"last": "2026-06", "frequency": "quarterly", "overdue_since": "2026-10-30"}
