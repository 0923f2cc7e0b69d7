"""The document cache is an optimisation only: it never changes a result, and may be deleted or broken."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from helpers import CASES, build_case, edit
from plaintrust import pipeline
from plaintrust.load import checked as checked_module
from plaintrust.load.paths import CACHE_FOLDER

CASE = CASES / "invalid" / "many-problems-at-once"


def age(repo: Path) -> None:
    """Files written in the last two seconds are not cached: make every file older."""
    old = time.time() - 60
    for path in repo.rglob("*"):
        if path.is_file():
            os.utime(path, (old, old))


def test_cached_and_fresh_runs_give_the_same_diagnostics(tmp_path: Path) -> None:
    repo = build_case(CASE, tmp_path / "repo")
    age(repo)
    fresh = pipeline.run(repo, cache=False).diagnostics
    first = pipeline.run(repo).diagnostics  # fills the cache
    second = pipeline.run(repo).diagnostics  # reads it
    assert fresh == first == second and fresh


def test_positions_come_back_from_the_file_when_a_rule_needs_them(base_repo: Path, monkeypatch) -> None:
    age(base_repo)
    pipeline.run(base_repo)
    reads = []
    original = checked_module.parse_bytes
    monkeypatch.setattr(checked_module, "parse_bytes", lambda *a: reads.append(a[0]) or original(*a))
    edit(base_repo, "site/trust.yaml", "access-control, title", "access-control-x, title")  # AC-01's category vanishes
    [problem] = pipeline.run(base_repo).diagnostics
    assert (problem.rule, problem.line, problem.col) == ("unknown-category", 12, 13)
    assert reads == [
        "site/trust.yaml",
        "controls/access/ac-01.yaml",
    ]  # the edited file; ac-01 only to place the diagnostic


def test_an_edited_file_is_read_again(base_repo: Path) -> None:
    age(base_repo)
    pipeline.run(base_repo)
    edit(base_repo, "controls/access/ac-01.yaml", "status: implemented", "status: finished")
    assert [d.rule for d in pipeline.run(base_repo).diagnostics] == ["schema"]


def test_a_corrupt_or_missing_cache_is_ignored(base_repo: Path) -> None:
    age(base_repo)
    pipeline.run(base_repo)
    for shard in (base_repo / CACHE_FOLDER / "documents").iterdir():
        shard.write_bytes(b"not a pickle")
    assert pipeline.run(base_repo).diagnostics == ()
    shutil.rmtree(base_repo / CACHE_FOLDER)
    assert pipeline.run(base_repo).diagnostics == ()
