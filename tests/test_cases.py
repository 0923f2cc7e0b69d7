"""Data-driven cases: tests/cases/{valid,invalid}/<case>/ laid over tests/cases/base/.

An invalid case's `expected.txt` is the exact text report of `plaintrust check` (positions
included); a valid case must check clean (an `expected.txt` there lists the warnings it may give).
Regenerate with `make golden` after reading the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import CASES, build_case
from plaintrust import pipeline
from plaintrust.reporters import text

INVALID = sorted(p for p in (CASES / "invalid").iterdir() if p.is_dir())
VALID = sorted(p for p in (CASES / "valid").iterdir() if p.is_dir())


def report(case: Path, tmp_path: Path) -> pipeline.Result:
    return pipeline.run(build_case(case, tmp_path / "repo"))


@pytest.mark.parametrize("case", INVALID, ids=[p.name for p in INVALID])
def test_invalid_case_reports_exactly_the_expected_diagnostics(case: Path, tmp_path: Path, golden) -> None:
    result = report(case, tmp_path)
    assert result.failed(), "an invalid case must produce at least one error"
    golden.check(text(result.diagnostics), case / "expected.txt")


@pytest.mark.parametrize("case", VALID, ids=[p.name for p in VALID])
def test_valid_case_checks_clean(case: Path, tmp_path: Path, golden) -> None:
    result = report(case, tmp_path)
    assert not result.failed(), text(result.diagnostics)
    expected = case / "expected.txt"
    if expected.exists() or result.diagnostics:
        golden.check(text(result.diagnostics), expected)


def test_base_repository_is_clean(base_repo: Path) -> None:
    result = pipeline.run(base_repo)
    assert result.diagnostics == ()
    assert [c.id for c in result.model.controls] == ["AC-01"]
