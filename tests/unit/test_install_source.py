"""What `init` writes into the CI workflow: the pip requirement of the Plaintrust that ran it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from plaintrust.actions import installsource
from plaintrust.actions.installsource import from_direct_url

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def _clone(remote: str | None, unpushed: bool = False):
    return lambda folder: None if remote is None else (remote, COMMIT, unpushed)


def test_an_index_install_is_pinned_to_its_version() -> None:
    source = from_direct_url(None, "1.2.3")
    assert source.requirement == "plaintrust==1.2.3"


def test_a_git_install_is_pinned_to_its_commit() -> None:
    direct = {"url": "https://github.com/acme/plaintrust.git", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}
    source = from_direct_url(direct, "0.1.0")
    assert source.requirement == f"plaintrust @ git+https://github.com/acme/plaintrust.git@{COMMIT}"
    assert not source.unpushed


@pytest.mark.parametrize(
    "remote, expected",
    [
        ("https://github.com/acme/plaintrust.git", "https://github.com/acme/plaintrust.git"),
        ("git@github.com:acme/plaintrust.git", "https://github.com/acme/plaintrust.git"),
        ("ssh://git@gitlab.example/acme/plaintrust.git", "https://gitlab.example/acme/plaintrust.git"),
    ],
)
def test_a_clone_is_read_as_its_origin_and_commit(remote: str, expected: str) -> None:
    direct = {"url": "file:///home/me/plaintrust", "dir_info": {"editable": True}}
    source = from_direct_url(direct, "0.1.0", _clone(remote, unpushed=True))
    assert source.requirement == f"plaintrust @ git+{expected}@{COMMIT}"
    assert source.unpushed


@pytest.mark.parametrize(
    "direct, clone",
    [
        ({"url": "file:///home/me/plaintrust", "dir_info": {}}, _clone(None)),
        ({"url": "file:///home/me/plaintrust", "dir_info": {}}, _clone("/srv/git/plaintrust")),
        ({"url": "file:///srv/git/plaintrust", "vcs_info": {"vcs": "git", "commit_id": COMMIT}}, None),
        ({"url": "file:///home/me/plaintrust-0.1.0.tar.gz", "archive_info": {}}, None),
    ],
)
def test_a_source_other_machines_cannot_reach_gives_no_requirement(direct: dict, clone) -> None:
    source = from_direct_url(direct, "0.1.0", clone)
    assert source.requirement is None
    assert "cannot reach" in source.origin or "not a git clone" in source.origin


def test_a_published_archive_is_named_by_its_url() -> None:
    direct = {"url": "https://files.example/plaintrust-0.1.0.tar.gz", "archive_info": {}}
    assert from_direct_url(direct, "0.1.0").requirement == "plaintrust @ https://files.example/plaintrust-0.1.0.tar.gz"


def _git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_real_clone_gives_its_origin_and_head_and_says_the_commit_is_not_pushed(tmp_path: Path) -> None:
    _git(tmp_path, "init", "--quiet")
    (tmp_path / "file.txt").write_text("one\n")
    _git(tmp_path, "add", "file.txt")
    _git(tmp_path, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "one")
    _git(tmp_path, "remote", "add", "origin", "https://example.org/acme/plaintrust.git")
    remote, commit, unpushed = installsource._clone(tmp_path)
    assert (remote, commit) == ("https://example.org/acme/plaintrust.git", _git(tmp_path, "rev-parse", "HEAD"))
    assert unpushed  # no remote branch contains it


def test_a_folder_without_git_is_not_a_clone(tmp_path: Path) -> None:
    assert installsource._clone(tmp_path) is None


@pytest.mark.parametrize(
    "remote, expected",
    [
        ("https://alice:ghp_SECRET@github.com/acme/plaintrust.git", "https://github.com/acme/plaintrust.git"),
        (
            "https://gitlab-ci-token:glcbt-x@gitlab.example/acme/plaintrust.git",
            "https://gitlab.example/acme/plaintrust.git",
        ),
        ("ssh://git@github.com:22/acme/plaintrust.git", "https://github.com/acme/plaintrust.git"),
        ("https://github.com/acme/plaintrust.git#egg=other", "https://github.com/acme/plaintrust.git"),
        ("https://github.com/acme/plaintrust.git?x=1", "https://github.com/acme/plaintrust.git"),
    ],
)
def test_credentials_ssh_queries_and_fragments_never_reach_the_workflow(remote: str, expected: str) -> None:
    direct = {"url": "file:///home/me/plaintrust", "dir_info": {}}
    source = from_direct_url(direct, "0.1.0", _clone(remote))
    assert source.requirement == f"plaintrust @ git+{expected}@{COMMIT}"
    assert "SECRET" not in source.origin and "glcbt" not in source.origin


@pytest.mark.parametrize(
    "remote",
    [
        "https://github.com/acme/plain$(id)trust",
        "https://github.com/a b/c",
        "https://tok:x@host.example/a'b",
        "https://github.com/acme/p@q",
    ],
)
def test_a_remote_a_requirement_cannot_carry_gives_none_and_no_secret(remote: str) -> None:
    direct = {"url": "file:///home/me/plaintrust", "dir_info": {}}
    source = from_direct_url(direct, "0.1.0", _clone(remote))
    assert source.requirement is None
    assert "tok:x" not in source.origin


@pytest.mark.parametrize(
    "text, accepted",
    [
        ("plaintrust==0.1.0", True),
        (f"plaintrust @ git+https://github.com/acme/plaintrust@{COMMIT}", True),
        ("plaintrust @ https://files.example/plaintrust-0.1.0.tar.gz", True),
        ("-e .", False),
        ("--index-url https://evil.example/ plaintrust", False),
        ("x: y", False),
        ("plaintrust @ file:///tmp/x", False),
        ("plaintrust @ git+https://token@github.com/acme/plaintrust", False),
        ('plaintrust; python_version>"3"', False),
        ("plaintrust\x85", False),
        ("other==1.0", False),
    ],
)
def test_init_source_takes_plaintrust_pinned_and_nothing_else(text: str, accepted: bool) -> None:
    assert bool(installsource.REQUIREMENT.match(text)) is accepted
