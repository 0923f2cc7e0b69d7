"""Small git repositories built in the tests: commits with fixed dates, no user or system settings."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

# The user's and the machine's git settings stay out: no signing, no hooks, the same branch name.
_SETTINGS = ("-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "core.hooksPath=/dev/null")


def _env(day: str) -> dict[str, str]:
    moment = f"{day}T12:00:00Z"
    kept = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    return {
        **kept,
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        **{f"GIT_{who}_NAME": "Test" for who in ("AUTHOR", "COMMITTER")},
        **{f"GIT_{who}_EMAIL": "test@test.example" for who in ("AUTHOR", "COMMITTER")},
        **{f"GIT_{who}_DATE": moment for who in ("AUTHOR", "COMMITTER")},
    }


def run_git(repo: Path, *args: str, day: str = "2026-11-01") -> str:
    """git `args` in `repo`, with author and committer dated noon UTC on `day`."""
    done = subprocess.run(
        ["git", *_SETTINGS, "-C", str(repo), *args], env=_env(day), capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def commit_files(repo: Path, day: str, files: dict[str, str], message: str = "change") -> str:
    """Write `files` (path -> text), commit every change on `day`; the new commit's hash."""
    for rel, text in files.items():
        path = repo / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    run_git(repo, "add", "-A", day=day)
    run_git(repo, "commit", "-q", "--allow-empty", "-m", message, day=day)
    return run_git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="session")
def git() -> Callable[..., str]:
    return run_git


@pytest.fixture(scope="session")
def commit() -> Callable[..., str]:
    return commit_files
