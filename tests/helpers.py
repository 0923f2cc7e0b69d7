"""Helpers shared by the tests: case repositories, small file edits, the pinned "today"."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

TESTS = Path(__file__).parent
ROOT = TESTS.parent  # the example repository: the repository's root
CASES = TESTS / "cases"
BASE = CASES / "base"
# 2026-11-22 12:00 UTC: every date in the fixtures and the example is judged against this day.
EPOCH = "1795348800"

OVERDUE_NOTICE = "site/updates/2026-11-20-slow-exports.md"
# An open notice whose promised update (21 November, 09:00 UTC) is overdue on the pinned day.
OVERDUE = """\
---
title: Slow data exports
status: identified
severity: low
published: 2026-11-20T09:00:00Z
updated: 2026-11-20T09:00:00Z
next_update_by: 2026-11-21T09:00:00Z
affected: Customers who export projects as a ZIP file.
---

## What happened

Exports of large projects take up to an hour.

## What we know

Only exports are slow; nothing is lost.

## What we don't know yet

Why the export queue grew.

## What we are doing

We are adding export workers.

## What customers should do

Nothing: exports finish, only later.

## Timeline

- 2026-11-20 08:30 UTC — Exports slow down.
- 2026-11-20 09:00 UTC — We publish this notice.
"""


def copy_tree(source: Path, target: Path) -> None:
    """Copy keeping symbolic links as links (some cases test links that leave evidence/)."""
    shutil.copytree(source, target, symlinks=True, dirs_exist_ok=True)


# What a build reads of the example: a copy of these builds the same trust center.
EXAMPLE_INPUTS = ("controls", "evidence", "site", "answers", "policies", "mkdocs.yml")


def example_copy(target: Path) -> Path:
    """The example's inputs, old enough for the document cache to keep them (it skips files
    written in the last two seconds)."""
    for name in EXAMPLE_INPUTS:
        source = ROOT / name
        if source.is_dir():
            copy_tree(source, target / name)
        else:
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    old = time.time() - 3600
    for path in target.rglob("*"):
        os.utime(path, (old, old), follow_symlinks=False)
    return target


def build_case(case: Path, target: Path) -> Path:
    """The base repository with the case's files laid over it; `.delete` lists base files to remove."""
    copy_tree(BASE, target)
    for item in case.iterdir():
        if item.name in ("expected.txt", ".delete", "README.md"):
            continue
        destination = target / item.name
        if item.is_dir() and not item.is_symlink():
            copy_tree(item, destination)
        else:
            shutil.copy2(item, destination, follow_symlinks=False)
    deletions = case / ".delete"
    for rel in deletions.read_text().split() if deletions.exists() else ():
        (target / rel).unlink()
    return target


def write(repo: Path, rel: str, text: str) -> Path:
    """Write a file into a test repository, creating its folders."""
    path = repo / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def edit(repo: Path, rel: str, old: str, new: str) -> None:
    """Replace one exact snippet of a file; fails loudly if the snippet is not there."""
    path = repo / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# The user's and the machine's git settings stay out: no signing, no hooks, the same branch name.
_GIT_SETTINGS = [
    *("-c", "init.defaultBranch=main", "-c", "core.hooksPath=/dev/null"),
    *("-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"),
]


def _git_env(day: str) -> dict[str, str]:
    moment = f"{day}T12:00:00Z"
    kept = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    fixed = {"NAME": "Test", "EMAIL": "test@test.example", "DATE": moment}
    who = {f"GIT_{role}_{part}": value for role in ("AUTHOR", "COMMITTER") for part, value in fixed.items()}
    return {**kept, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", **who}


def git(repo: Path, *args: str, day: str = "2026-11-01", stdin: bytes | None = None) -> str:
    """git `args` in `repo`, author and committer "Test" dated noon UTC on `day`, whatever the
    machine's configuration says; what it printed, stripped."""
    command = ["git", *_GIT_SETTINGS, "-C", str(repo), *args]
    done = subprocess.run(command, input=stdin, env=_git_env(day), capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    return done.stdout.decode().strip()


def commit(repo: Path, message: str, day: str = "2026-11-01") -> str:
    """Commit every change in `repo` (or none) on `day`; the new commit's hash."""
    git(repo, "add", "-A", day=day)
    git(repo, "commit", "-q", "--allow-empty", "-m", message, day=day)
    return git(repo, "rev-parse", "HEAD")


class Golden:
    """Compare text with an expected file, or rewrite it under --update-golden."""

    def __init__(self, update: bool) -> None:
        self.update = update

    def check(self, actual: str, expected_file: Path) -> None:
        if self.update:
            expected_file.parent.mkdir(parents=True, exist_ok=True)
            expected_file.write_text(actual, encoding="utf-8")
            return
        assert expected_file.exists(), f"{expected_file} is missing: run `make golden` to create it"
        assert actual == expected_file.read_text(encoding="utf-8")


def workflow(path: Path) -> dict:
    """A GitHub Actions workflow as data, its `on` under that key (YAML 1.1 reads a bare `on` as true)."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))
    return data


def check_and_build(runner, repo: Path, *extra: str) -> dict:
    """`check` and `build` on the same repository: {command: click Result}. Neither may crash: the
    runner keeps an exception that would have been a traceback (exit 3) outside it."""
    from plaintrust import cli

    results = {
        command: runner.invoke(cli.cli, [command, "--root", str(repo), *extra]) for command in ("check", "build")
    }
    for command, result in results.items():
        assert result.exception is None or isinstance(result.exception, SystemExit), (command, result.exception)
    return results


def site_snapshot(repo: Path) -> dict[str, bytes]:
    """The built site's files and bytes (empty when nothing was built)."""
    site = repo / "build/site"
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
