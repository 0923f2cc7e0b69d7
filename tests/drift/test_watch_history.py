"""What git says of watched files: `watch_history.facts` on a repository built here, commit by commit.

One repository serves the module (and two shallow clones of it): each test asks about other files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from plaintrust.load import gitrun, watch_history
from plaintrust.load.watch_history import facts
from plaintrust.load.watchglob import matches
from plaintrust.load.watchregion import watch
from plaintrust.model import Watch, WatchChange, WatchFact

TODAY = dt.date(2026, 11, 22)
IDP = """\
resource "okta_policy" "mfa" {
  name = "MFA"
  # plaintrust:start AC-02
  factor = "webauthn"
  # plaintrust:end
}
"""
OUTSIDE = "# plaintrust:start AC-02\nwhat the link points at\n# plaintrust:end\n"
SHALLOW = "the history of {} is cut short by a shallow clone: fetch the full history (fetch-depth: 0) to judge drift"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, git, commit) -> dict[str, object]:
    """The repository and its commits by name (the merge counts on 18 November, its branch's commit
    is dated 2 November)."""
    repo = tmp_path_factory.mktemp("history") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    outside = repo.parent / "outside.tf"
    outside.write_text(OUTSIDE, encoding="utf-8")
    (repo / "infra").mkdir()
    (repo / "infra" / "link.tf").symlink_to(outside)
    first = {
        "infra/idp.tf": IDP,
        "infra/net/a.tf": "a\n",
        "infra/net/b.tf": "b\n",
        "infra/old/a.tf": "a\n",
        "infra/old/b.tf": "b\n",
        "infra/plain.tf": "x\nmfa = true\ny\n",
        "infra/late.tf": "late\n",
        "infra/open.tf": "# plaintrust:start OPEN\nx\n",
        "ci/build.yml": "l1\nl2\nl3\nl4\nl5\n",
        "sub/infra/x.tf": "x\n",
    }
    c = {"added": commit(repo, "2026-11-01", first)}
    c["name"] = commit(repo, "2026-11-05", {"infra/idp.tf": IDP.replace('"MFA"', '"MFA v2"')})
    c["factor"] = commit(
        repo, "2026-11-08", {"infra/idp.tf": IDP.replace('"MFA"', '"MFA v2"').replace("webauthn", "passkey")}
    )
    (repo / "infra/old/b.tf").unlink()
    c["deleted"] = commit(repo, "2026-11-10", {})
    c["tail"] = commit(repo, "2026-11-12", {"infra/idp.tf": (repo / "infra/idp.tf").read_text() + "# end\n"})
    c["markers"] = commit(
        repo, "2026-11-14", {"infra/plain.tf": "x\n# plaintrust:start MFA\nmfa = true\n# plaintrust:end\ny\n"}
    )
    c["line5"] = commit(repo, "2026-11-15", {"ci/build.yml": "l1\nl2\nl3\nl4\nfive\n"})
    git(repo, "checkout", "-q", "-b", "feature", "HEAD~1")
    c["branch"] = commit(repo, "2026-11-02", {"infra/net/b.tf": "b, from a branch\n"})
    git(repo, "checkout", "-q", "main")
    c["unrelated"] = commit(repo, "2026-11-16", {"README.md": "hello\n"})
    git(repo, "merge", "-q", "--no-ff", "-m", "merge feature", "feature", day="2026-11-18")
    c["merge"] = git(repo, "rev-parse", "HEAD")
    c["late"] = commit(repo, "2026-11-30", {"infra/late.tf": "later\n"})
    return {"repo": repo, "commits": c}


def fact_of(root: Path, spec: str, today: dt.date = TODAY) -> WatchFact:
    found, unknown, _ = facts(root, [watch(spec)], None, today)
    assert unknown is None
    return found[spec]


def change(history, path: str, name: str, day: str) -> WatchChange:
    return WatchChange(path, dt.date.fromisoformat(day), history["commits"][name])


def test_a_glob_takes_the_newest_change_of_any_file_it_names_and_a_merge_counts_on_its_day(history) -> None:
    fact = fact_of(history["repo"], "infra/net/*.tf")
    assert fact == WatchFact(
        ("infra/net/a.tf", "infra/net/b.tf"), change(history, "infra/net/b.tf", "merge", "2026-11-18")
    )


def test_a_deleted_file_counts_as_a_change_of_the_glob(history) -> None:
    fact = fact_of(history["repo"], "infra/old/*.tf")
    assert fact == WatchFact(("infra/old/a.tf",), change(history, "infra/old/b.tf", "deleted", "2026-11-10"))


def test_a_whole_file_changes_with_any_edit(history) -> None:
    assert fact_of(history["repo"], "infra/idp.tf").change == change(history, "infra/idp.tf", "tail", "2026-11-12")


@pytest.mark.parametrize(
    ("spec", "name", "day"),
    [
        ("infra/idp.tf#AC-02", "factor", "2026-11-08"),  # edits before and after it, outside, do not count
        ("infra/idp.tf#L1-L2", "name", "2026-11-05"),
        ("ci/build.yml#L2-L3", "added", "2026-11-01"),  # line 5 changed later
        ("ci/build.yml#L4-L5", "line5", "2026-11-15"),
        ("infra/plain.tf#MFA", "added", "2026-11-01"),  # markers put around lines already there
    ],
)
def test_a_region_changes_only_with_its_own_lines(history, spec: str, name: str, day: str) -> None:
    path = spec.split("#")[0]
    assert fact_of(history["repo"], spec) == WatchFact((path,), change(history, path, name, day))


def test_a_commit_dated_after_today_is_not_counted_yet(history) -> None:
    assert fact_of(history["repo"], "infra/late.tf").change == change(history, "infra/late.tf", "added", "2026-11-01")
    later = fact_of(history["repo"], "infra/late.tf", dt.date(2026, 12, 1))
    assert later.change == change(history, "infra/late.tf", "late", "2026-11-30")


def test_a_symbolic_link_is_the_text_it_holds_never_followed(history) -> None:
    linked = fact_of(history["repo"], "infra/link.tf#AC-02")
    assert linked == WatchFact(("infra/link.tf",), None, "infra/link.tf has no `plaintrust:start AC-02` line")
    whole = fact_of(history["repo"], "infra/link.tf")
    assert whole.change == change(history, "infra/link.tf", "added", "2026-11-01")


@pytest.mark.parametrize(
    ("spec", "problem"),
    [
        ("infra/nope.tf", "infra/nope.tf is not a file in the last commit (HEAD)"),
        ("infra/**/*.yaml", "infra/**/*.yaml matches no file in the last commit (HEAD)"),
        ("infra/net", "infra/net is a folder: a watch names files (write infra/net/** for every file in it)"),
        ("infra/*.tf#AC-02", "infra/*.tf#AC-02: a region belongs to one file, but infra/*.tf is a glob"),
        ("infra/idp.tf#L4-L2", "infra/idp.tf#L4-L2: the line range ends before it starts"),
        ("infra/idp.tf#L5-L99", "infra/idp.tf has 7 lines at HEAD: lines 5-99 run past its end"),
        ("infra/idp.tf#AC-0", "infra/idp.tf has no `plaintrust:start AC-0` line"),
        ("infra/open.tf#OPEN", "infra/open.tf has no `plaintrust:end` line after `plaintrust:start OPEN`"),
    ],
)
def test_what_cannot_be_judged_says_why(history, spec: str, problem: str) -> None:
    fact = fact_of(history["repo"], spec)
    assert fact.problem == problem and fact.change is None


def test_globs_reach_into_folders_and_a_sub_folder_root_sees_paths_from_itself(history) -> None:
    repo = history["repo"]
    assert fact_of(repo, "**/x.tf").files == ("sub/infra/x.tf",)
    assert fact_of(repo / "sub", "infra/x.tf") == WatchFact(
        ("infra/x.tf",), change(history, "infra/x.tf", "added", "2026-11-01")
    )


@pytest.fixture(scope="module")
def shallow(history, tmp_path_factory: pytest.TempPathFactory, git) -> dict[int, Path]:
    """Clones holding one and two commits of the history."""
    clones = {}
    for depth in (1, 2):
        target = tmp_path_factory.mktemp(f"depth{depth}") / "clone"
        git(target.parent, "clone", "-q", f"--depth={depth}", f"file://{history['repo']}", str(target))
        clones[depth] = target
    return clones


def test_a_shallow_clone_says_the_history_is_cut_short_rather_than_report_a_false_change(history, shallow) -> None:
    for depth in (1, 2):
        assert fact_of(shallow[depth], "infra/idp.tf") == WatchFact(
            ("infra/idp.tf",), None, SHALLOW.format("infra/idp.tf")
        )
    region = fact_of(shallow[2], "infra/idp.tf#AC-02")
    assert region.change is None and region.problem == SHALLOW.format("infra/idp.tf")


def test_a_change_inside_a_shallow_clone_s_history_is_judged(history, shallow) -> None:
    fact = fact_of(shallow[2], "infra/late.tf", dt.date(2026, 12, 1))
    assert fact == WatchFact(("infra/late.tf",), change(history, "infra/late.tf", "late", "2026-11-30"))
    assert fact_of(shallow[1], "infra/late.tf", dt.date(2026, 12, 1)).problem == SHALLOW.format("infra/late.tf")


def test_no_table_is_kept_for_a_shallow_clone(shallow) -> None:
    assert facts(shallow[2], [watch("infra/idp.tf")], None, TODAY)[2] is None


def test_without_history_nothing_is_judged_and_facts_say_why(tmp_path: Path, git, monkeypatch) -> None:
    watches = [watch("infra/idp.tf")]
    assert facts(tmp_path, watches, None, TODAY) == ({}, "the repository is not a git repository", None)
    git(tmp_path, "init", "-q")
    assert facts(tmp_path, watches, None, TODAY) == ({}, "the repository has no commits yet", None)

    def missing(*args, **kwargs):
        raise gitrun.GitMissing("git is not installed")

    monkeypatch.setattr(gitrun, "run", missing)
    assert facts(tmp_path, watches, None, TODAY) == ({}, "git is not installed", None)


def test_the_cached_table_is_used_at_the_same_commit_day_and_watches(history, monkeypatch) -> None:
    repo, watches = history["repo"], [watch("infra/idp.tf#AC-02"), watch("infra/net/*.tf"), watch("infra/nope.tf")]
    found, _, table = facts(repo, watches, None, TODAY)
    assert table is not None
    table = json.loads(json.dumps(table))  # as the document cache stores it
    calls = []
    real = gitrun.run
    monkeypatch.setattr(gitrun, "run", lambda *a, **k: calls.append(a[1][0]) or real(*a, **k))
    assert facts(repo, watches, table, TODAY) == (found, None, table)
    assert calls == ["rev-parse"]  # only HEAD is asked for
    assert facts(repo, watches, table, dt.date(2026, 11, 23))[0] == found and len(calls) > 2  # another day


def test_a_tampered_table_is_read_again_from_git(history) -> None:
    repo, watches = history["repo"], [watch("infra/idp.tf")]
    found, _, table = facts(repo, watches, None, TODAY)
    assert table is not None
    table["facts"]["infra/idp.tf"][1][2] = "not a commit"
    assert facts(repo, watches, table, TODAY)[0] == found


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("infra/idp.tf", Watch("infra/idp.tf", "infra/idp.tf")),
        ("infra/idp.tf#L10-L40", Watch("infra/idp.tf#L10-L40", "infra/idp.tf", lines=(10, 40), index=3)),
        ("infra/idp.tf#AC-02", Watch("infra/idp.tf#AC-02", "infra/idp.tf", marker="AC-02", index=3)),
        ("infra/idp.tf#L10", Watch("infra/idp.tf#L10", "infra/idp.tf", marker="L10", index=3)),
    ],
)
def test_a_spec_splits_at_its_first_hash(spec: str, expected: Watch) -> None:
    assert watch(spec, expected.index) == expected


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("infra/*.tf", "infra/idp.tf", True),
        ("infra/*.tf", "infra/net/a.tf", False),  # * stays inside a folder
        ("infra/**/*.tf", "infra/idp.tf", True),  # **/ is any folders, none included
        ("infra/**/*.tf", "infra/net/deep/a.tf", True),
        ("infra/**", "infra/net/a.tf", True),
        ("infra/?.tf", "infra/a.tf", True),
        ("infra/[ab].tf", "infra/c.tf", False),
        ("infra/idp.tf", "infra/idp.tf.bak", False),
    ],
)
def test_patterns_match_as_git_globs_do(pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, path) is expected


def test_the_region_walk_is_capped(history, monkeypatch) -> None:
    """Beyond the cap, the oldest revision read is taken as the change."""
    monkeypatch.setattr(watch_history, "CAP", 2)
    assert fact_of(history["repo"], "infra/idp.tf#L1-L2").change == change(
        history, "infra/idp.tf", "factor", "2026-11-08"
    )


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("**", "infra/net/a.tf", True),  # every file, not only those at the top
        ("***/x.tf", "a/b/x.tf", True),  # a run of * between slashes is **
        ("infra/***", "infra/net/a.tf", True),
        ("infra**", "infra/net/a.tf", True),  # git compares `infra` as written, then ** stands at the start
        ("infra/a**.tf", "infra/net/a.tf", False),  # elsewhere, ** inside a name is *
        ("infra/[[:alpha:]]bc", "infra/abc", True),
        ("infra/[[:digit:]]bc", "infra/abc", False),
        ("infra/[[:nope:]]bc", "infra/abc", False),  # an unknown class names nothing
        ("infra/[x].tf", "infra/[x].tf", True),  # the name as written first
        ("infra/[x].tf", "infra/x.tf", True),
        ("infra/[a", "infra/a", False),  # a class not closed names nothing
        ("infra/[!]]x", "infra/ax", True),
        ("infra/[z-a]x", "infra/ax", False),  # a range written backwards holds nothing (but its z)
        ("infra/?.tf", "infra/é.tf", False),  # ? is one byte, as in git
        ("infra/??.tf", "infra/é.tf", True),
    ],
)
def test_patterns_match_as_git_globs_do_at_their_edges(pattern: str, path: str, expected: bool) -> None:
    assert matches(pattern, path) is expected


NAMES = [
    "a/abc", "a/bbc", "a/-bc", "a/]bc", "a/[bc", "a/Abc", "a/1bc", "a/.bc", "a/[x]/y", "a/b/c/x.tf", "a/b/x.tf",
    "a/bc/x.tf", "ünï/é.tf", "ünï/ab.tf", "x.tf", ".github/workflows/ci.yml",
]  # fmt: skip
PATTERNS = [
    "**", "**/x.tf", "a/**", "a/**/x.tf", "*.tf", "a/*", "?.tf", "a/[!a]bc", "a/[^a]bc", "a/[a-b]bc", "a/[]]bc",
    "a/[!]]bc", "a/[a-]bc", "a/[]-b]bc", "a/[-]bc", "a/[[]bc", "a/[[:alpha:]]bc", "a/[[:upper:][:digit:]]bc",
    "a/[[:punct:]]bc", "a/[[:]bc", "a/[[:alpha:]", "***/x.tf", "a/***", "**.tf", "a/**.tf", "a/b**/x.tf", "a**",
    "**b/x.tf", "a/*/", "**/", "ünï/?.tf", "ünï/??.tf", "ünï/[!a]?.tf", ".github/**", "[a-z]/*/x.tf", "*/**",
]  # fmt: skip


def test_patterns_name_the_files_git_s_glob_pathspec_names(tmp_path: Path, git, commit) -> None:
    repo = tmp_path / "globs"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, "2026-11-01", dict.fromkeys(NAMES, "x\n"))
    for pattern in PATTERNS:
        listed = git(repo, "-c", "core.quotepath=false", "ls-files", "-z", "--", f":(glob){pattern}")
        assert {n for n in NAMES if matches(pattern, n)} == set(filter(None, listed.split("\0"))), pattern


def test_lines_are_counted_as_git_counts_them(tmp_path: Path, git, commit) -> None:
    """A form feed or a U+2028 is part of a line; a CRLF ending is a line's end, not a change."""
    repo = tmp_path / "lines"
    repo.mkdir()
    git(repo, "init", "-q")
    first = commit(repo, "2026-11-01", {"f.tf": 'rule "a" {\f}\u2028\nmfa = true\n'})
    second = commit(repo, "2026-11-05", {"f.tf": 'rule "a" {\f}\u2028\nmfa = false\n'})
    commit(repo, "2026-11-07", {"f.tf": 'rule "a" {\f}\u2028\r\nmfa = false\r\n'})
    assert fact_of(repo, "f.tf#L2-L2").change == WatchChange("f.tf", dt.date(2026, 11, 5), second)
    assert fact_of(repo, "f.tf#L1-L1").change == WatchChange("f.tf", dt.date(2026, 11, 1), first)
    assert fact_of(repo, "f.tf#L3-L3").problem == "f.tf has 2 lines at HEAD: lines 3-3 run past its end"


REGION = "a\nb\n# plaintrust:start R\nkey = 1\n# plaintrust:end\nc\nd\ne\nf\n"


def test_a_rename_is_no_change_of_a_region_its_history_goes_on_under_the_former_name(
    tmp_path: Path, git, commit
) -> None:
    repo = tmp_path / "renames"
    repo.mkdir()
    git(repo, "init", "-q")
    commit(repo, "2026-11-01", {"f.tf": REGION, "infra/k.tf": REGION, "h.tf": REGION})
    edited = commit(repo, "2026-11-03", {"f.tf": REGION.replace("1", "2"), "infra/k.tf": REGION.replace("1", "2")})
    for old, new in (("f.tf", "g.tf"), ("infra/k.tf", "infra/m.tf"), ("h.tf", "i.tf")):
        git(repo, "mv", old, new, day="2026-11-10")
    moved = commit(repo, "2026-11-10", {"i.tf": REGION.replace("1", "9")})  # renamed and its region changed
    commit(repo, "2026-11-12", {"g.tf": REGION.replace("1", "2").replace("c\n", "C\n")})  # outside the region
    added = commit(repo, "2026-11-15", {"n.tf": REGION})
    assert fact_of(repo, "g.tf#R").change == WatchChange("g.tf", dt.date(2026, 11, 3), edited)
    assert fact_of(repo, "g.tf#L4-L4").change == WatchChange("g.tf", dt.date(2026, 11, 3), edited)
    assert fact_of(repo, "i.tf#R").change == WatchChange("i.tf", dt.date(2026, 11, 10), moved)
    assert fact_of(repo, "n.tf#R").change == WatchChange("n.tf", dt.date(2026, 11, 15), added)
    assert fact_of(repo / "infra", "m.tf#R").change == WatchChange("m.tf", dt.date(2026, 11, 3), edited)
    assert fact_of(repo, "g.tf").change.day == dt.date(2026, 11, 12)  # a whole file: any commit counts
    clone = tmp_path / "shallow"  # cut at the edit of 3 November: past the rename, nothing older is known
    git(tmp_path, "clone", "-q", "--depth=4", f"file://{repo}", str(clone))
    assert fact_of(clone, "g.tf#R") == WatchFact(("g.tf",), None, SHALLOW.format("g.tf"))


def test_a_region_walk_reads_only_as_far_back_as_the_region_s_last_change(
    tmp_path: Path, git, commit, monkeypatch
) -> None:
    repo = tmp_path / "many"
    repo.mkdir()
    git(repo, "init", "-q")
    for n in range(20):
        commit(repo, "2026-10-01", {"f.tf": REGION.replace("f\n", f"f{n}\n")})
    changed = commit(repo, "2026-10-05", {"f.tf": REGION.replace("1", "2")})
    for n in range(5):
        commit(repo, "2026-10-06", {"f.tf": REGION.replace("1", "2").replace("f\n", f"f{n}\n")})
    read: list[int] = []
    real = gitrun.run

    def counting(root, args, stdin=None, **kwargs):
        read.extend([len(stdin.splitlines())] if args[0] == "cat-file" else [])
        return real(root, args, stdin, **kwargs)

    monkeypatch.setattr(gitrun, "run", counting)
    assert fact_of(repo, "f.tf#R").change == WatchChange("f.tf", dt.date(2026, 10, 5), changed)
    assert read == [5, 8]  # HEAD and 4 revisions, then 8 more: the 7th is the one before the change


def test_a_watch_outside_a_sub_folder_root_says_so(history) -> None:
    """With --root a sub-folder of the git repository, paths are written from it: files elsewhere
    cannot be watched, and the problem says that rather than that the file does not exist."""
    sub = history["repo"] / "sub"
    outside = (
        "infra/idp.tf is outside the folder Plaintrust reads (sub/ in the git repository): a watch names a file "
        "inside it"
    )
    assert fact_of(sub, "infra/idp.tf").problem == outside
    assert fact_of(sub, "infra/net/*.tf").problem.startswith("infra/net/*.tf is outside the folder Plaintrust reads")
    assert fact_of(sub, "infra/nope.tf").problem == "infra/nope.tf is not a file in the last commit (HEAD)"
    assert fact_of(history["repo"], "infra/nope.tf").problem == "infra/nope.tf is not a file in the last commit (HEAD)"


@pytest.fixture(scope="module")
def blobless(history, tmp_path_factory: pytest.TempPathFactory, git) -> Path:
    """A partial clone without the blobs of earlier revisions (`--filter=blob:none`)."""
    git(history["repo"], "config", "uploadpack.allowFilter", "true")
    target = tmp_path_factory.mktemp("blobless") / "clone"
    git(target.parent, "clone", "-q", "--filter=blob:none", f"file://{history['repo']}", str(target))
    return target


def test_a_partial_clone_judges_whole_files_and_says_a_region_s_history_is_incomplete(history, blobless) -> None:
    watches = [watch("infra/idp.tf"), watch("infra/idp.tf#AC-02"), watch("infra/net/*.tf")]
    found, unknown, table = facts(blobless, watches, None, TODAY)
    assert unknown is None and table is None  # what git could not read is read again next time
    assert found["infra/idp.tf"] == fact_of(history["repo"], "infra/idp.tf")
    assert found["infra/net/*.tf"] == fact_of(history["repo"], "infra/net/*.tf")
    assert found["infra/idp.tf#AC-02"] == WatchFact(
        ("infra/idp.tf",),
        None,
        "the history of infra/idp.tf is incomplete in this partial clone: clone the repository without --filter "
        "to judge drift",
    )


def failing(monkeypatch: pytest.MonkeyPatch, command: str, error: Exception | bytes) -> None:
    """git fails at `command`: raising `error`, or saying it on stderr."""
    real = gitrun.run

    def run(root, args, *rest, **kwargs):
        if args[0] != command:
            return real(root, args, *rest, **kwargs)
        if isinstance(error, Exception):
            raise error
        return subprocess.CompletedProcess(args, 128, b"", error)

    monkeypatch.setattr(gitrun, "run", run)


def test_when_git_fails_facts_say_so_in_git_s_words(history, monkeypatch) -> None:
    failing(monkeypatch, "log", gitrun.GitError("timed out after 30 seconds"))
    assert facts(history["repo"], [watch("infra/idp.tf")], None, TODAY) == (
        {},
        "git could not read the repository's history: timed out after 30 seconds",
        None,
    )
    failing(monkeypatch, "log", b"fatal: unrecognized argument: --diff-merges=first-parent\n")
    assert facts(history["repo"], [watch("infra/idp.tf")], None, TODAY)[1] == (
        "git could not read the repository's history: unrecognized argument: --diff-merges=first-parent"
    )


def test_a_repository_git_refuses_as_another_user_s_is_no_missing_repository(history, monkeypatch) -> None:
    said = (
        b"fatal: detected dubious ownership in repository at '/x'\nTo add an exception for this directory, call:\n\n"
        b"\tgit config --global --add safe.directory /x\n"
    )
    failing(monkeypatch, "rev-parse", said)
    assert facts(history["repo"], [watch("infra/idp.tf")], None, TODAY) == (
        {},
        "git refuses to read the repository: it belongs to another user than the one running Plaintrust",
        None,
    )
    assert watch_history.UNKNOWN["dubious"] not in watch_history.SILENT


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to give a folder away")
def test_a_repository_owned_by_another_user_is_refused_for_real(history, tmp_path: Path) -> None:
    copy = tmp_path / "theirs"
    shutil.copytree(history["repo"], copy, symlinks=True)
    for folder, names, files in os.walk(copy):
        for name in [folder, *(os.path.join(folder, n) for n in (*names, *files))]:
            os.lchown(name, 4321, 4321)
    assert facts(copy, [watch("infra/idp.tf")], None, TODAY)[1] == watch_history.UNKNOWN["dubious"]
