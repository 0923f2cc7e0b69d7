"""A practice is verified only by intact, pinned evidence that keeps up with the control's own schedule.

Each case is the base repository (one continuous control, AC-01, proven by `mfa-policy`, collected
1 November 2026, refresh quarterly) with one change, judged on the pinned day, 22 November 2026.
The category page says what is missing in words; trust.json says the same.
"""

from __future__ import annotations

import json
from pathlib import Path

from helpers import edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode

CONTROL = "controls/access/ac-01.yaml"
RECORD = "evidence/access/mfa-policy.yaml"
PAGE = "practices/access-control/index.html"


def built(runner, repo: Path) -> tuple[str, dict, str]:
    """The practice's status and note on its page, its trust.json entry, and check's report."""
    checked = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    result = runner.invoke(cli.cli, ["build", "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output
    page = (repo / "build/site" / PAGE).read_text(encoding="utf-8")
    start = page.index('<li class="pt-practice">')
    item = page[start : page.index("</li>", start)]
    practice = json.loads((repo / "build/site/trust.json").read_text())["categories"][0]["practices"][0]
    return item, practice, checked.output


def quarterly_with_old_evidence(repo: Path, refresh: str) -> None:
    """The issue's case: a quarterly control whose newest evidence is seven months old."""
    edit(repo, CONTROL, "frequency: continuous", "frequency: quarterly")
    edit(repo, RECORD, "collected: 2026-11-01", "collected: 2026-04-20")
    edit(repo, RECORD, "refresh: quarterly", f"refresh: {refresh}")


def test_current_evidence_is_verified(runner, base_repo: Path) -> None:
    item, practice, _ = built(runner, base_repo)
    assert 'pt-status--implemented">Implemented<' in item
    assert '<p class="pt-meta">Last verified November 2026</p>' in item
    assert practice["status"] == "Implemented" and practice["evidence_problem"] is None
    assert practice["evidence_overdue_since"] is None and practice["last_verified"] == "2026-11"


def test_a_long_refresh_never_hides_a_missed_quarter(runner, base_repo: Path) -> None:
    quarterly_with_old_evidence(base_repo, "1y")
    item, practice, report = built(runner, base_repo)
    # Collected 20 April: the quarter after it ends on 20 July, plus 30 days of grace.
    assert 'pt-status--under-review">Under review<' in item
    assert '<p class="pt-meta">Evidence overdue since 19 August 2026.</p>' in item
    assert "Last verified" not in item
    assert practice["evidence_problem"] == "Evidence overdue since 19 August 2026"
    assert practice["evidence_overdue_since"] == "2026-08-19"
    assert (
        f"{RECORD}:5:10: warning [refresh-outlasts-frequency] refresh '1y' outlasts the quarterly schedule of AC-01, "
        "which this record proves; the site shows the evidence as overdue 30 days after a missed quarter"
    ) in report


def test_a_stale_record_is_overdue_from_its_own_refresh(runner, base_repo: Path) -> None:
    quarterly_with_old_evidence(base_repo, "monthly")
    item, practice, report = built(runner, base_repo)
    assert '<p class="pt-meta">Evidence overdue since 20 May 2026.</p>' in item
    assert practice["evidence_overdue_since"] == "2026-05-20"
    assert "refresh-outlasts-frequency" not in report


def test_covers_counts_as_the_last_day_proven(runner, base_repo: Path) -> None:
    """A monthly export of a daily job proves the days it covers, not only the day it was made."""
    edit(base_repo, CONTROL, "frequency: continuous", "frequency: daily")
    edit(
        base_repo, RECORD, "collected: 2026-11-01", "collected: 2026-11-02\ncovers: {from: 2026-10-01, to: 2026-10-31}"
    )
    edit(base_repo, RECORD, "refresh: quarterly", "refresh: monthly")
    item, _, report = built(runner, base_repo)
    assert '<p class="pt-meta">Last verified November 2026</p>' in item and "warning" not in report


def test_unpinned_evidence_is_never_verified(runner, base_repo: Path) -> None:
    text = (base_repo / RECORD).read_text()
    write(base_repo, RECORD, text[: text.index("    sha256:")])
    item, practice, _ = built(runner, base_repo)
    assert 'pt-status--under-review">Under review<' in item
    assert '<p class="pt-meta">Evidence not yet confirmed: its files have no recorded fingerprint.</p>' in item
    assert practice["last_verified"] is None


def test_tampered_evidence_is_never_verified(runner, base_repo: Path) -> None:
    write(base_repo, "evidence/files/mfa-policy.json", '{"changed": true}\n')
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS  # tampering is an error: nothing is published
    assert "evidence-tampered" in result.output


def test_a_slow_policy_beside_a_log_that_keeps_pace_is_fine(runner, base_repo: Path) -> None:
    """A monthly job proven by its monthly log, with its annual policy linked beside it."""
    edit(base_repo, CONTROL, "frequency: continuous", "frequency: monthly")
    edit(base_repo, CONTROL, "evidence: [mfa-policy]", "evidence: [mfa-policy, job-log]")
    edit(base_repo, RECORD, "refresh: quarterly", "refresh: annual")
    record = (
        (base_repo / RECORD)
        .read_text()
        .replace("id: mfa-policy", "id: job-log")
        .replace("refresh: annual", "refresh: monthly")
    )
    write(base_repo, "evidence/access/job-log.yaml", record)
    item, _, report = built(runner, base_repo)
    assert 'pt-status--implemented">Implemented<' in item and "warning" not in report


def test_a_cycle_ending_on_a_month_end_is_followed_by_one_that_does(runner, base_repo: Path) -> None:
    """February's evidence of a monthly control: March ends on the 31st, so it is due by 30 April,
    the day the gap report's March slot goes missing too (not 28 March plus 30 days)."""
    edit(base_repo, CONTROL, "frequency: continuous", "frequency: monthly")
    edit(
        base_repo, RECORD, "collected: 2026-11-01", "collected: 2026-03-02\ncovers: {from: 2026-02-01, to: 2026-02-28}"
    )
    edit(base_repo, RECORD, "refresh: quarterly", "refresh: 1y")
    item, practice, _ = built(runner, base_repo)
    assert '<p class="pt-meta">Evidence overdue since 30 April 2026.</p>' in item
    assert practice["evidence_overdue_since"] == "2026-04-30"


def test_a_fresh_policy_never_stands_in_for_a_missed_run(runner, base_repo: Path) -> None:
    """A quarterly control with its policy renewed this month and its last run in the second quarter."""
    edit(base_repo, CONTROL, "frequency: continuous", "frequency: quarterly")
    edit(base_repo, CONTROL, "evidence: [mfa-policy]", "evidence: [mfa-policy, run-q2]")
    edit(base_repo, RECORD, "refresh: quarterly", "refresh: annual")
    run = (
        (base_repo / RECORD)
        .read_text()
        .replace("id: mfa-policy", "id: run-q2")
        .replace("collected: 2026-11-01", "collected: 2026-09-25\ncovers: {from: 2026-04-01, to: 2026-06-30}")
        .replace("refresh: annual", "refresh: quarterly")
    )
    write(base_repo, "evidence/access/run-q2.yaml", run)
    item, _, report = built(runner, base_repo)
    # The run series keeps the quarterly pace, so it alone says when the next run is due: the third
    # quarter ended on 30 September, plus 30 days.
    assert '<p class="pt-meta">Evidence overdue since 30 October 2026.</p>' in item
    assert "refresh-outlasts-frequency" not in report
