"""Evidence never reaches build/site/, whatever its classification; tampering shows where it should."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from evidence_repo import add_records, ledger_lines
from helpers import edit
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.internal import gaps
from plaintrust.model import EvidenceState, Integrity
from plaintrust.status import PublicStatus, evidence_health, public_status


def published(repo: Path) -> bytes:
    return b"\n".join(p.read_bytes() for p in sorted((repo / "build/site").rglob("*")) if p.is_file())


@pytest.mark.parametrize("classification", ["internal", "confidential", "restricted"])
def test_no_evidence_file_record_field_hash_or_ledger_line_reaches_the_site(
    runner, base_repo: Path, classification: str
) -> None:
    add_records(base_repo)
    for record in (base_repo / "evidence/access").glob("*.yaml"):
        edit(
            base_repo,
            f"evidence/access/{record.name}",
            "classification: confidential",
            f"classification: {classification}",
        )
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(base_repo)]).exit_code == ExitCode.OK
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    site = published(base_repo)
    lowered = site.lower()
    assert b"Every person on our team signs in with a hardware key." in site  # the build did publish
    model = pipeline.run(base_repo).model
    for record in model.evidence:
        for value in (record.id, record.title, record.source.path):
            assert value.lower().encode() not in lowered, value
        for item in record.files:
            content = item.fact.resolved.read_bytes()
            assert content.strip() not in site, item.path
            assert hashlib.sha256(content).hexdigest().encode() not in lowered
            assert item.path.encode() not in site
    heads = {day.head for day in model.ledger.days}  # published on purpose: trust.json, evidence-log.json
    assert heads == {hashlib.sha256(ledger_lines(base_repo)[-1].rstrip(b"\n")).hexdigest()}
    for line in ledger_lines(base_repo):
        assert line.strip() not in site
        digest = hashlib.sha256(line.rstrip(b"\n")).hexdigest()
        assert digest in heads or digest.encode() not in lowered
    names = {p.name for p in (base_repo / "build/site").rglob("*")}
    assert not names & {"ledger.jsonl", "mfa-policy.json", "access-review.csv", "backup-log.txt", "mfa-policy.yaml"}


def test_a_tampered_record_is_under_review_and_not_met(base_repo: Path) -> None:
    (base_repo / "evidence/files/mfa-policy.json").write_text('{"policy": "mfa-optional"}\n')
    model = pipeline.run(base_repo).model
    [record] = model.evidence
    assert (record.integrity, record.state) == (Integrity.TAMPERED, EvidenceState.TAMPERED)
    control = model.controls_by_id["AC-01"]
    assert public_status(control, evidence_health(model, control)) is PublicStatus.UNDER_REVIEW
    soc2 = next(f for f in gaps.build(model).frameworks if f.id == "soc2")
    row = next(r for r in soc2.rows if r.id == "CC6.1")
    assert row.status is gaps.ReqStatus.NOT_MET
