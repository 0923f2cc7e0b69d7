"""`refs`: every spelling of RANGE resolves to the commits git would name, the default branch is
found as the help says, and whatever cannot be resolved is a usage error saying what to do, fetched
from the clone's remote only when asked."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import helpers
from helpers import git
from plaintrust.errors import ExitCode
from plaintrust.impact import refs
from plaintrust.impact.refs import Range, RangeError, Wanted
from plaintrust.impact.report import Side
from plaintrust.load import gitrun

WORKING_TREE = Side("working tree", None, None)


def commit(repo: Path, name: str, day: str) -> str:
    (repo / f"{name}.txt").write_text(name + "\n")
    return helpers.commit(repo, name, day)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str | Path]:
    """main: m1 - m2; feature (checked out), from m1: f1."""
    root = tmp_path_factory.mktemp("refs") / "origin"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    m1 = commit(root, "m1", "2026-11-01")
    m2 = commit(root, "m2", "2026-11-05")
    git(root, "checkout", "-q", "-b", "feature", m1)
    f1 = commit(root, "f1", "2026-11-03")
    return {"root": root, "m1": m1, "m2": m2, "f1": f1}


def side(label: str, commit: str | Path, day: str) -> Side:
    return Side(label, str(commit), dt.date.fromisoformat(day))


# -- the grammar --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "wanted"),
    [
        (None, Wanted(None, None, True)),
        ("v1.0", Wanted("v1.0", None, False)),
        ("main..feature", Wanted("main", "feature", False)),
        ("main..", Wanted("main", "HEAD", False)),
        ("..main", Wanted("HEAD", "main", False)),
        ("main...feature", Wanted("main", "feature", True)),
        ("main...", Wanted("main", "HEAD", True)),
        ("origin/main~2..HEAD^", Wanted("origin/main~2", "HEAD^", False)),
    ],
)
def test_each_spelling_of_a_range(spec: str | None, wanted: Wanted) -> None:
    assert refs.parse(spec) == wanted


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "the base is empty: name a branch, tag or commit"),
        ("..", "the range '..' names no commit: write BASE..HEAD"),
        ("...", "the range '...' names no commit: write BASE...HEAD"),
        ("--output=x", "the base '--output=x' starts with '-', so it cannot be a git name (git would read an option)"),
        ("main..-x", "the head '-x' starts with '-', so it cannot be a git name (git would read an option)"),
        ("main\n..HEAD", "the base holds a line break or NUL, which no git name has"),
        ("ma\0in", "the base holds a line break or NUL, which no git name has"),
    ],
)
def test_what_cannot_be_a_range_is_a_usage_error(spec: str, message: str) -> None:
    with pytest.raises(RangeError) as raised:
        refs.parse(spec)
    assert raised.value.message == message
    assert raised.value.exit_code == ExitCode.USAGE


# -- resolving --------------------------------------------------------------------------------------


def test_each_form_resolves_to_the_commits_git_names(repo) -> None:
    root, m1, m2, f1 = repo["root"], repo["m1"], repo["m2"], repo["f1"]
    merge_base = side("merge base of main and HEAD", m1, "2026-11-01")
    assert refs.resolve(root, None) == Range(merge_base, WORKING_TREE)
    assert refs.resolve(root, "main") == Range(side("main", m2, "2026-11-05"), WORKING_TREE)
    two = Range(side("main", m2, "2026-11-05"), side("feature", f1, "2026-11-03"))
    assert refs.resolve(root, "main..feature") == two
    assert refs.resolve(root, "main..") == Range(side("main", m2, "2026-11-05"), side("HEAD", f1, "2026-11-03"))
    assert refs.resolve(root, "..main") == Range(side("HEAD", f1, "2026-11-03"), side("main", m2, "2026-11-05"))
    three = Range(side("merge base of main and feature", m1, "2026-11-01"), side("feature", f1, "2026-11-03"))
    assert refs.resolve(root, "main...feature") == three
    assert refs.resolve(root, f"{m2[:10]}..{f1}").base.commit == m2  # a short hash is a name too


def test_a_name_starting_with_a_dash_never_reaches_git(repo, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[str, ...]] = []
    real = gitrun.run
    monkeypatch.setattr(
        gitrun, "run", lambda root, args, *a, **k: seen.append(tuple(args)) or real(root, args, *a, **k)
    )
    for spec in ("--upload-pack=touch x", "main..--exec=x", "-"):
        with pytest.raises(RangeError, match="starts with '-'"):
            refs.resolve(repo["root"], spec)
    with pytest.raises(RangeError, match="the --remote '--upload-pack=x' starts with '-'"):
        refs.resolve(repo["root"], "main", remote="--upload-pack=x")
    assert seen == []


def test_an_unknown_name_says_which_side_it_is(repo) -> None:
    with pytest.raises(RangeError) as raised:
        refs.resolve(repo["root"], "main..nope")
    assert raised.value.message == (
        "no commit, branch or tag named 'nope' (the head) in this repository: "
        "check the name, or pass --fetch to fetch it from origin"
    )


def test_a_folder_outside_git_is_a_usage_error_saying_so(tmp_path: Path) -> None:
    with pytest.raises(RangeError) as raised:
        refs.resolve(tmp_path, "main")
    assert raised.value.message == (
        f"plaintrust impact compares states of the git history, but the repository is not a git repository ({tmp_path})"
    )


# -- the default branch ------------------------------------------------------------------------------


def small(tmp_path: Path, *branches: str) -> Path:
    """A repository with one commit on each of `branches` (the first checked out)."""
    git(tmp_path, "init", "-q", "-b", branches[0])
    commit(tmp_path, "one", "2026-11-01")
    for branch in branches[1:]:
        git(tmp_path, "branch", branch)
    return tmp_path


def test_the_default_branch_is_the_remotes_head_first(tmp_path: Path) -> None:
    root = small(tmp_path, "work", "main", "develop")
    git(root, "update-ref", "refs/remotes/origin/develop", "HEAD")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    assert refs.default_branch(root, "origin") == "origin/main"  # <remote>/main before main
    git(root, "symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/develop")
    assert refs.default_branch(root, "origin") == "origin/develop"
    assert refs.default_branch(root, "upstream") == "main"  # another remote has none of its own


def test_then_main_then_master(tmp_path: Path) -> None:
    root = small(tmp_path, "work", "master")
    assert refs.default_branch(root, "origin") == "master"
    git(root, "branch", "main")
    assert refs.default_branch(root, "origin") == "main"


def test_no_default_branch_is_a_usage_error_naming_what_to_pass(tmp_path: Path) -> None:
    root = small(tmp_path, "work")
    with pytest.raises(RangeError) as raised:
        refs.resolve(root, None)
    assert raised.value.message == (
        "found no default branch to compare with (neither origin/HEAD, origin/main, origin/master, main nor "
        "master): name the base, as in `plaintrust impact BASE` or `plaintrust impact BASE..HEAD` "
        "(a branch, tag or commit)"
    )


# -- shallow clones ----------------------------------------------------------------------------------


@pytest.fixture
def shallow(repo, tmp_path: Path) -> Path:
    """A CI-like checkout: the feature branch alone, one commit deep."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "feature", f"file://{repo['root']}", str(clone))
    return clone


def test_a_base_missing_from_a_shallow_clone_says_how_to_get_it(shallow: Path) -> None:
    with pytest.raises(RangeError) as raised:
        refs.resolve(shallow, "origin/main..HEAD")
    assert raised.value.message == (
        "the base 'origin/main' is not in this clone, which is shallow (it holds only part of the history): "
        "pass --fetch, or run: git fetch --depth=1 origin main"
    )


def test_fetch_gets_the_missing_base_from_the_remote(repo, shallow: Path) -> None:
    found = refs.resolve(shallow, "main..HEAD", fetch=True)
    assert found.base == side("main", repo["m2"], "2026-11-05")
    assert found.head == side("HEAD", repo["f1"], "2026-11-03")
    assert found.notes == ("fetched main from origin (depth 1) for the base",)
    assert git(shallow, "rev-parse", "--is-shallow-repository") == "true"  # one commit, not the history


def test_fetch_keeps_a_whole_clone_whole(repo, tmp_path: Path) -> None:
    clone = tmp_path / "whole"
    git(tmp_path, "clone", "-q", "--single-branch", "--branch", "feature", f"file://{repo['root']}", str(clone))
    found = refs.resolve(clone, "origin/main...HEAD", fetch=True)
    assert found.base == side("merge base of origin/main and HEAD", repo["m1"], "2026-11-01")
    assert found.notes == ("fetched origin/main from origin for the base",)
    assert git(clone, "rev-parse", "--is-shallow-repository") == "false"


def test_a_merge_base_beyond_a_shallow_clone(repo, shallow: Path) -> None:
    git(shallow, "fetch", "-q", "--depth=1", "origin", "main")
    with pytest.raises(RangeError) as raised:
        refs.resolve(shallow, f"{repo['m2']}...HEAD")
    assert raised.value.message == (
        f"git found no merge base of {repo['m2']} and HEAD in this clone, which is shallow (it holds only part "
        "of the history): pass --fetch, or run: git fetch --unshallow origin"
    )


def test_fetch_deepens_a_shallow_clone_until_the_merge_base_shows(repo, shallow: Path) -> None:
    found = refs.resolve(shallow, "main...HEAD", fetch=True)
    assert found.base == side("merge base of main and HEAD", repo["m1"], "2026-11-01")
    assert found.head == side("HEAD", repo["f1"], "2026-11-03")
    assert found.notes == (
        "fetched main from origin (depth 1) for the base",
        "fetched 50 more commits of history from origin to find the merge base",
    )


def test_a_fetch_that_fails_is_a_usage_error(shallow: Path) -> None:
    with pytest.raises(RangeError, match=r"^could not fetch nope from origin: .*nope"):
        refs.resolve(shallow, "nope..HEAD", fetch=True)


def test_an_ancestor_missing_from_a_shallow_clone_says_how_to_get_it(shallow: Path) -> None:
    with pytest.raises(RangeError) as raised:
        refs.resolve(shallow, "HEAD~1..HEAD")
    assert raised.value.message == (
        "the base 'HEAD~1' is not in this clone, which is shallow (it holds only part of the history): "
        "pass --fetch, or run: git fetch --unshallow origin"
    )


@pytest.mark.parametrize(
    ("spec", "notes"),
    [
        ("HEAD~1..HEAD", ("fetched 50 more commits of history from origin for the base HEAD~1",)),
        (
            "main^..HEAD",
            (
                "fetched main from origin (depth 1) for the base",
                "fetched 50 more commits of history from origin for the base main^",
            ),
        ),
    ],
)
def test_fetch_deepens_a_shallow_clone_until_an_ancestor_shows(repo, shallow: Path, spec: str, notes) -> None:
    found = refs.resolve(shallow, spec, fetch=True)
    assert found.base.commit == repo["m1"]
    assert found.head == side("HEAD", repo["f1"], "2026-11-03")
    assert found.notes == notes


def test_other_revision_syntax_cannot_be_fetched(shallow: Path) -> None:
    with pytest.raises(RangeError) as raised:
        refs.resolve(shallow, "HEAD@{9}..HEAD", fetch=True)
    assert raised.value.message == (
        "the base 'HEAD@{9}' is not in this clone, which is shallow (it holds only part of the history): "
        "fetch the history it lies in, e.g. git fetch --unshallow origin"
    )


def test_fetch_reaches_a_remote_over_http(shallow: Path) -> None:
    """http is allowed like https (a local server, say); the fetch fails only for want of a server."""
    git(shallow, "remote", "set-url", "origin", "http://127.0.0.1:9/nothing.git")
    with pytest.raises(RangeError) as raised:
        refs.resolve(shallow, "nope..HEAD", fetch=True)
    assert raised.value.message.startswith("could not fetch nope from origin: ")
    assert "not allowed" not in raised.value.message
    assert "protocol.ext.allow=never" in gitrun.HARDENED and "protocol.ext.allow=always" not in refs._FETCHING


# -- an orphan branch --------------------------------------------------------------------------------


def test_on_an_orphan_branch_other_branches_still_compare(repo, tmp_path: Path) -> None:
    clone = tmp_path / "orphan"
    git(tmp_path, "clone", "-q", "--branch", "feature", f"file://{repo['root']}", str(clone))
    git(clone, "checkout", "-q", "--orphan", "fresh")
    found = refs.resolve(clone, "origin/main..origin/feature")
    assert (found.base.commit, found.head.commit) == (repo["m2"], repo["f1"])
    assert refs.resolve(clone, "origin/main").head == WORKING_TREE
    for spec in (None, "HEAD~1..HEAD", "origin/main..@"):
        with pytest.raises(RangeError, match="but the repository has no commits yet"):
            refs.resolve(clone, spec)
