"""`plaintrust evidence due`: stale and soon-stale evidence, and empty audit-period slots, by date."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode

CONTROL = "controls/access/ac-01.yaml"
RECORD = "evidence/access/mfa-policy.yaml"
OWNER = "it-security@test.example"


def due(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["evidence", "due", "--root", str(repo), *args])


def rows(result) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_the_base_repository_lists_its_empty_slots(runner, base_repo: Path) -> None:
    """Continuous control sampled monthly, evidence collected 2026-11-01: January to September are
    empty; October's evidence is due by 2026-11-30 and December's by 2027-01-30 (a slot's end, then
    30 days of grace)."""
    result = due(runner, base_repo, "--within", "70d")
    assert result.exit_code == ExitCode.OK
    assert result.stdout.splitlines() == [
        "due         status   kind  id     owners                    by      detail",
        f"2026-01-31  missing  slot  AC-01  {OWNER}  person  Multi-factor authentication for workforce access: "
        "no evidence for 2026-01-01 to 2026-09-30 (9 continuous slots; soc2 audit period)",
        f"2026-11-30  due      slot  AC-01  {OWNER}  person  Multi-factor authentication for workforce access: "
        "no evidence for 2026-10-01 to 2026-10-31 (1 continuous slot; soc2 audit period)",
        f"2027-01-30  due      slot  AC-01  {OWNER}  person  Multi-factor authentication for workforce access: "
        "no evidence for 2026-12-01 to 2026-12-31 (1 continuous slot; soc2 audit period)",
    ]
    assert "3 item(s) due by 2027-01-31" in result.stderr


def test_the_window_limits_what_is_due(runner, base_repo: Path) -> None:
    assert [r["status"] for r in rows(due(runner, base_repo, "--format", "csv"))] == ["missing", "due"]
    assert [r["status"] for r in rows(due(runner, base_repo, "--format", "csv", "--within", "0d"))] == ["missing"]
    assert [r["status"] for r in rows(due(runner, base_repo, "--format", "csv", "--within", "60d"))] == [
        "missing",
        "due",
    ]
    assert [r["status"] for r in rows(due(runner, base_repo, "--format", "csv", "--within", "70d"))] == [
        "missing",
        "due",
        "due",
    ]
    assert (
        rows(due(runner, base_repo, "--format", "csv", "--within", "1y"))[-1]["id"] == "mfa-policy"
    )  # stale 2027-02-01


def test_stale_and_soon_stale_records_with_their_owners(runner, base_repo: Path) -> None:
    edit(base_repo, RECORD, "collected: 2026-11-01", "collected: 2026-08-01")  # stale since 2026-11-01
    write(
        base_repo,
        "evidence/access/review.yaml",
        (base_repo / RECORD)
        .read_text()
        .replace("id: mfa-policy", "id: review")
        .replace("collected: 2026-08-01", "collected: 2026-09-10"),
    )
    edit(base_repo, CONTROL, "evidence: [mfa-policy]", "evidence: [mfa-policy, review]")
    result = due(runner, base_repo, "--format", "csv")
    assert result.exit_code == ExitCode.OK, result.output
    found = [(r["due"], r["status"], r["kind"], r["id"], r["owners"]) for r in rows(result)]
    assert found == [
        ("2026-01-31", "missing", "slot", "AC-01", OWNER),
        ("2026-11-01", "stale", "evidence", "mfa-policy", OWNER),
        ("2026-11-30", "due", "slot", "AC-01", OWNER),  # October: nothing since the review of 2026-09-10
        ("2026-12-10", "due", "evidence", "review", OWNER),
    ]
    assert rows(result)[1]["detail"] == (
        "Identity provider MFA policy export (stale since 2026-11-01; collected 2026-08-01, refresh quarterly)"
    )
    assert result.stdout.splitlines()[0] == "due,status,kind,id,detail,owners,by"
    assert {r["by"] for r in rows(result)} == {"person"}


def test_superseded_and_unlinked_records_are_not_due(runner, base_repo: Path) -> None:
    edit(base_repo, RECORD, "collected: 2026-11-01", "collected: 2026-05-01\nseries: mfa")
    write(
        base_repo,
        "evidence/access/mfa-2.yaml",
        (base_repo / RECORD)
        .read_text()
        .replace("id: mfa-policy", "id: mfa-2")
        .replace("collected: 2026-05-01", "collected: 2026-11-01"),
    )
    write(
        base_repo,
        "evidence/access/unlinked.yaml",
        (base_repo / RECORD).read_text().replace("id: mfa-policy", "id: unlinked").replace("series: mfa\n", ""),
    )
    kinds = [(r["kind"], r["id"]) for r in rows(due(runner, base_repo, "--format", "csv"))]
    assert ("evidence", "mfa-policy") not in kinds and ("evidence", "unlinked") not in kinds


def test_consecutive_empty_slots_are_one_line(runner, base_repo: Path) -> None:
    edit(base_repo, CONTROL, "frequency: continuous", "frequency: daily")
    [row] = [r for r in rows(due(runner, base_repo, "--format", "csv", "--within", "0d")) if r["status"] == "missing"][
        :1
    ]
    # Slots ending on or after 2026-10-23 are still in their 30-day grace on 2026-11-22.
    assert "no evidence for 2026-01-01 to 2026-10-22 (295 daily slots; soc2 audit period)" in row["detail"]


def test_planned_controls_have_no_slots(runner, base_repo: Path) -> None:
    edit(base_repo, CONTROL, "status: implemented", "status: planned")
    assert [r for r in rows(due(runner, base_repo, "--format", "csv", "--within", "1y")) if r["kind"] == "slot"] == []
    assert "nothing is due by 2026-12-22" in due(runner, base_repo).stderr


@pytest.mark.parametrize("within", ["30", "d", "-1d", "1.5d", "30 days"])
def test_a_bad_window_is_a_usage_error(runner, base_repo: Path, within: str) -> None:
    result = due(runner, base_repo, "--within", within)
    assert result.exit_code == ExitCode.USAGE
    assert "--within" in result.output
