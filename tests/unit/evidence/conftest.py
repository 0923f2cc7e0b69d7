"""A base repository with five pinned evidence files in four records, and its ledger."""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_repo import add_records
from plaintrust import cli


@pytest.fixture
def pinned_repo(base_repo: Path, runner) -> Path:
    """Ledger lines, in record-path order: 1 access-review, 2 backup-log, 3 mfa-policy,
    4 network-rules rules-a, 5 network-rules rules-b."""
    add_records(base_repo)
    result = runner.invoke(cli.cli, ["evidence", "pin", "--root", str(base_repo)])
    assert result.exit_code == 0, result.output
    return base_repo
