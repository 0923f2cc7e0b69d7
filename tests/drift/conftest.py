"""Small git repositories built in the tests: commits with fixed dates, no user or system settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import helpers


def commit_files(repo: Path, day: str, files: dict[str, str], message: str = "change") -> str:
    """Write `files` (path -> text), commit every change on `day`; the new commit's hash."""
    for rel, text in files.items():
        helpers.write(repo, rel, text)
    return helpers.commit(repo, message, day)


@pytest.fixture(scope="session")
def git() -> Callable[..., str]:
    return helpers.git


@pytest.fixture(scope="session")
def commit() -> Callable[..., str]:
    return commit_files
