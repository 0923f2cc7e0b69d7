"""`plaintrust evidence due`: stale and soon-stale evidence, and empty audit-period slots, by date."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli, pipeline
from plaintrust.actions import due as due_list
from plaintrust.errors import ExitCode
from plaintrust.model import Period

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


def collecting(base_repo: Path, every: str, covers: str, collected: str) -> Path:
    """The base record, collected on `collected`, gathers its series itself."""
    edit(base_repo, RECORD, "collected: 2026-11-01", f"collected: {collected}")
    block = f'collect:\n  run: [python3, -c, "print(1)"]\n  every: {every}\n  covers: {covers}\n'
    (base_repo / RECORD).write_text((base_repo / RECORD).read_text() + block)
    return base_repo


# Today is Sunday 22 November 2026. (every, covers, the record's day): {slot: filled by the collector}
FILLS = {
    # Due now: runs tonight, then on Mondays.
    ("weekly", "collected-day", "2026-11-01"): {
        ("2026-10-01", "2026-10-31"): False,  # passed
        ("2026-11-01", "2026-11-30"): True,  # tonight
        ("2026-12-01", "2026-12-31"): True,  # Monday 7 December
        ("2026-11-23", "2026-11-23"): True,  # a Monday
        ("2026-11-24", "2026-11-24"): False,
    },
    ("daily", "collected-day", "2026-11-01"): {
        ("2026-11-09", "2026-11-15"): False,
        ("2026-11-16", "2026-11-22"): True,
        ("2026-11-25", "2026-11-25"): True,
        ("2026-12-01", "2026-12-31"): True,
    },
    # November has its record: runs on the first of each month from December on.
    ("monthly", "collected-day", "2026-11-01"): {
        ("2026-11-16", "2026-11-22"): False,
        ("2026-11-23", "2026-11-29"): False,
        ("2026-11-30", "2026-12-06"): True,
        ("2026-12-07", "2026-12-13"): False,
        ("2026-12-28", "2027-01-03"): True,
        ("2026-12-01", "2026-12-01"): True,
        ("2026-12-02", "2026-12-02"): False,
        ("2026-12-01", "2026-12-31"): True,
    },
    # Due now: runs tonight, then on the first of each month.
    ("monthly", "collected-day", "2026-10-15"): {
        ("2026-11-16", "2026-11-22"): True,
        ("2026-11-23", "2026-11-29"): False,
        ("2026-11-22", "2026-11-22"): True,
        ("2026-11-21", "2026-11-21"): False,
    },
    # Tonight proves October; November holds a record, so 1 December proves nothing; 1 January proves December.
    ("monthly", "previous-slot", "2026-11-01"): {
        ("2026-09-01", "2026-09-30"): False,
        ("2026-10-01", "2026-10-07"): True,  # passed, and tonight's run proves it
        ("2026-10-26", "2026-11-01"): True,
        ("2026-11-02", "2026-11-08"): False,
        ("2026-11-16", "2026-11-22"): False,
        ("2026-11-22", "2026-11-22"): False,
        ("2026-11-30", "2026-12-06"): True,
    },
    # October holds a record: the next run, 1 December, proves November.
    ("monthly", "previous-slot", "2026-10-15"): {
        ("2026-10-19", "2026-10-25"): False,
        ("2026-11-16", "2026-11-22"): True,
        ("2026-11-22", "2026-11-22"): True,
        ("2026-11-01", "2026-11-30"): True,
    },
    # Tonight proves 9 to 15 November, Monday 23 November the week before; 2 to 8 November is never collected.
    ("weekly", "previous-slot", "2026-11-01"): {
        ("2026-10-01", "2026-10-31"): False,
        ("2026-11-01", "2026-11-30"): True,
        ("2026-11-08", "2026-11-08"): False,
        ("2026-11-09", "2026-11-09"): True,
        ("2026-11-22", "2026-11-22"): True,
    },
    # Tonight proves 21 November.
    ("daily", "previous-slot", "2026-11-01"): {
        ("2026-10-01", "2026-10-31"): False,
        ("2026-11-09", "2026-11-15"): False,
        ("2026-11-16", "2026-11-22"): True,
        ("2026-11-20", "2026-11-20"): False,
        ("2026-11-21", "2026-11-21"): True,
    },
    # Tonight proves July to September; the fourth quarter holds a record; 1 April 2027 proves the first.
    ("quarterly", "previous-slot", "2026-11-01"): {
        ("2026-06-01", "2026-06-30"): False,
        ("2026-07-01", "2026-07-31"): True,
        ("2026-12-01", "2026-12-31"): False,
        ("2027-01-01", "2027-01-31"): True,
    },
}


@pytest.mark.parametrize(("every", "covers", "collected"), list(FILLS))
def test_a_collector_fills_the_slots_its_coming_collections_prove(
    base_repo: Path, every: str, covers: str, collected: str
) -> None:
    """Whatever the sizes: a slot is the collector's when one of its coming collections proves a day of it."""
    model = pipeline.run(collecting(base_repo, every, covers, collected)).model
    by = f"collector command ({every})"
    days = dt.date.fromisoformat
    found = {
        (start, end): due_list.collected_by(model, ["mfa-policy"], Period(days(start), days(end))) == by
        for start, end in FILLS[every, covers, collected]
    }
    assert found == FILLS[every, covers, collected]


def test_a_weekly_collector_fills_the_months_of_a_control_sampled_monthly(runner, base_repo: Path) -> None:
    """October has passed for a collector that proves the day it runs; December holds its Mondays."""
    collecting(base_repo, "weekly", "collected-day", "2026-11-01")
    by = [(r["detail"].split("no evidence for ")[1].split(" (")[0], r["by"]) for r in
          rows(due(runner, base_repo, "--format", "csv", "--within", "70d")) if r["kind"] == "slot"]  # fmt: skip
    assert by == [
        ("2026-01-01 to 2026-09-30", "person"),
        ("2026-10-01 to 2026-10-31", "person"),
        ("2026-12-01 to 2026-12-31", "collector command (weekly)"),
    ]


def test_a_monthly_collector_fills_only_the_weeks_it_runs_in(runner, base_repo: Path) -> None:
    """A run of empty slots ends where who fills them changes. It runs on 1 December; 1 January
    falls after the audit period's last week, cut short on 31 December."""
    collecting(base_repo, "monthly", "collected-day", "2026-11-01")
    edit(base_repo, CONTROL, "frequency: continuous", "frequency: weekly")
    by = [(r["detail"].split("no evidence for ")[1].split(" (")[0], r["by"]) for r in
          rows(due(runner, base_repo, "--format", "csv", "--within", "70d")) if r["kind"] == "slot"]  # fmt: skip
    assert by == [
        ("2026-01-01 to 2026-10-18", "person"),
        ("2026-10-19 to 2026-10-25", "person"),  # the next week holds the record of 1 November
        ("2026-11-02 to 2026-11-29", "person"),
        ("2026-11-30 to 2026-12-06", "collector command (monthly)"),
        ("2026-12-07 to 2026-12-31", "person"),
    ]


def test_a_previous_slot_collector_fills_the_passed_slots_it_covers(runner, base_repo: Path) -> None:
    """Tonight's run proves July to September: the passed months it covers are an item of their own."""
    collecting(base_repo, "quarterly", "previous-slot", "2026-11-01")
    found = [(r["status"], r["detail"].split("no evidence for ")[1].split(" (")[0], r["by"]) for r in
             rows(due(runner, base_repo, "--format", "csv")) if r["kind"] == "slot"]  # fmt: skip
    assert found == [
        ("missing", "2026-01-01 to 2026-06-30", "person"),
        ("missing", "2026-07-01 to 2026-09-30", "collector command (quarterly)"),
        ("due", "2026-10-01 to 2026-10-31", "person"),  # the quarter holds a record: never collected
    ]
