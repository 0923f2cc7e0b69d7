"""A repository's own .git/config travels with a copied folder, so whoever wrote it may name programs
there: an fsmonitor hook, a signature program that `log.showSignature` runs on a signed commit,
hooks, a filter driver `git archive` applies. `gaps --since` reads the repository with git and must
run none of them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from helpers import write
from plaintrust import cli
from plaintrust.errors import ExitCode

NO_GIT = subprocess.run(["git", "--version"], capture_output=True).returncode != 0
HOOKS = ("pre-commit", "post-checkout", "post-index-change", "reference-transaction", "pre-auto-gc", "post-rewrite")


def _env(home: Path) -> dict[str, str]:
    """This test's own git: no settings of the machine's, a fixed author."""
    who = {
        f"GIT_{role}_{part}": value
        for role in ("AUTHOR", "COMMITTER")
        for part, value in (("NAME", "t"), ("EMAIL", "t@t"))
    }
    return {**who, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}


def _git(repo: Path, *args: str, stdin: bytes | None = None, check: bool = True) -> bytes:
    done = subprocess.run(["git", "-C", str(repo), *args], input=stdin, capture_output=True, env=_env(repo.parent))
    assert done.returncode == 0 or not check, done.stderr
    return done.stdout


def _program(ran: Path, name: str, tail: str = "") -> Path:
    """A program that leaves `ran/name` behind when it runs."""
    path = ran.parent / "programs" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"#!/bin/sh\ntouch '{ran / name}'\n{tail}")
    path.chmod(0o755)
    return path


def _signed_commit(repo: Path) -> None:
    """The staged files as a commit carrying a signature: `log.showSignature` has something to check."""
    tree = _git(repo, "write-tree").decode().strip()
    signature = "gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n"
    text = f"tree {tree}\nauthor t <t@t> 1789000000 +0000\ncommitter t <t@t> 1789000000 +0000\n{signature}\nfirst\n"
    commit = _git(repo, "hash-object", "-t", "commit", "-w", "--stdin", stdin=text.encode()).decode().strip()
    _git(repo, "update-ref", "HEAD", commit)


def _arm(repo: Path, ran: Path) -> None:
    """The repository's own settings naming a program for each way in."""
    hooks = ran.parent / "hooks"
    hooks.mkdir()
    for hook in HOOKS:
        (hooks / hook).symlink_to(_program(ran, "hook"))
    settings = {
        "core.fsmonitor": str(_program(ran, "fsmonitor")),
        "log.showSignature": "true",
        "gpg.program": str(_program(ran, "gpg", "exit 1\n")),
        "core.hooksPath": str(hooks),
        "filter.evil.smudge": str(_program(ran, "filter", "cat\n")),
        "filter.evil-process.process": str(_program(ran, "filter-process", "exit 1\n")),
    }
    for key, value in settings.items():
        _git(repo, "config", key, value)


@pytest.mark.skipif(NO_GIT or os.name == "nt", reason="needs git and a POSIX shell")
def test_gaps_since_runs_no_program_the_repository_names(runner, base_repo: Path, tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    ran.mkdir()
    write(base_repo, ".gitattributes", "* filter=evil\n*.yaml filter=evil-process\n")
    _git(base_repo, "init", "-q")
    _git(base_repo, "add", "-A")
    _signed_commit(base_repo)
    write(base_repo, "notes.txt", "second\n")
    _git(base_repo, "add", "-A")
    _git(base_repo, "commit", "-qm", "second")
    _arm(base_repo, ran)
    result = runner.invoke(cli.cli, ["gaps", "--root", str(base_repo), "--since", "HEAD~1", "--format", "json"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "changes" in json.loads(result.stdout)
    assert sorted(p.name for p in ran.iterdir()) == []
    # The trap is armed: plain git runs each program (and may fail on the way).
    _git(base_repo, "show", "-s", "HEAD~1", check=False)
    _git(base_repo, "archive", "--format=tar", "HEAD~1", check=False)
    _git(base_repo, "status", check=False)
    _git(base_repo, "commit", "-q", "--allow-empty", "-m", "third", check=False)
    assert {p.name for p in ran.iterdir()} == {"gpg", "filter", "filter-process", "fsmonitor", "hook"}
