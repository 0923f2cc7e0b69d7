"""The public status is derived from evidence and dates, exactly as DESIGN.md says."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import pipeline
from plaintrust.status import PublicStatus, evidence_health, public_status

CONTROL = "controls/access/ac-01.yaml"
RECORD = "evidence/access/mfa-policy.yaml"


def status_of(repo: Path) -> PublicStatus:
    model = pipeline.run(repo).model
    control = model.controls_by_id["AC-01"]
    return public_status(control, evidence_health(model, control))


def test_implemented_with_current_evidence(base_repo: Path) -> None:
    assert status_of(base_repo) is PublicStatus.IMPLEMENTED


def test_stale_evidence_puts_it_under_review(base_repo: Path) -> None:
    edit(base_repo, RECORD, "collected: 2026-11-01", "collected: 2026-08-01")  # quarterly: stale from 2026-11-01
    assert status_of(base_repo) is PublicStatus.UNDER_REVIEW


def test_stale_on_its_last_day_boundary(base_repo: Path) -> None:
    edit(base_repo, RECORD, "collected: 2026-11-01", "collected: 2026-08-23")  # stale from 2026-11-23: current today
    assert status_of(base_repo) is PublicStatus.IMPLEMENTED
    edit(base_repo, RECORD, "collected: 2026-08-23", "collected: 2026-08-22")  # stale from 2026-11-22: today
    assert status_of(base_repo) is PublicStatus.UNDER_REVIEW


def test_missing_file_puts_it_under_review(base_repo: Path) -> None:
    (base_repo / "evidence/files/mfa-policy.json").unlink()
    assert status_of(base_repo) is PublicStatus.UNDER_REVIEW


def test_no_evidence_puts_it_under_review(base_repo: Path) -> None:
    edit(base_repo, CONTROL, "evidence: [mfa-policy]\n", "")
    assert status_of(base_repo) is PublicStatus.UNDER_REVIEW


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("partial", PublicStatus.IN_PROGRESS),
        ("planned", PublicStatus.IN_PROGRESS),
        ("not-implemented", PublicStatus.NOT_IN_PLACE),
    ],
)
def test_typed_status_only_ever_lowers_what_is_shown(base_repo: Path, typed: str, shown: PublicStatus) -> None:
    edit(base_repo, CONTROL, "status: implemented", f"status: {typed}")
    assert status_of(base_repo) is shown


def test_newest_record_of_a_series_decides(base_repo: Path) -> None:
    edit(base_repo, RECORD, "refresh: quarterly", "refresh: quarterly\nseries: mfa")
    old = (
        (base_repo / RECORD)
        .read_text()
        .replace("id: mfa-policy", "id: mfa-policy-old")
        .replace("collected: 2026-11-01", "collected: 2026-05-01")
    )
    write(base_repo, "evidence/access/mfa-policy-old.yaml", old)
    edit(base_repo, CONTROL, "evidence: [mfa-policy]", "evidence: [mfa-policy-old]")
    # Linking the old record links its series: the newer, current record decides.
    assert status_of(base_repo) is PublicStatus.IMPLEMENTED
    (base_repo / RECORD).unlink()
    assert status_of(base_repo) is PublicStatus.UNDER_REVIEW  # only the stale one is left


def test_last_verified_is_the_newest_evidence_date(base_repo: Path) -> None:
    model = pipeline.run(base_repo).model
    health = evidence_health(model, model.controls_by_id["AC-01"])
    assert health.last_verified.isoformat() == "2026-11-01"
