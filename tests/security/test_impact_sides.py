"""What a side of `plaintrust impact` holds is what git holds, and nothing the repository's settings
or the machine add: a committed side is written from git's objects (no `.gitattributes` export rule
can hide a file from `--fail-on leak`), the working-tree side is the files git lists (an ignored
file never counts), a symbolic link stays a link on both sides (a link leaving the repository is
the same error either way), no tree entry is written outside its folder, a file of any size is
copied without being held whole in memory, and an interrupted cleanup or SIGTERM still removes the
sides."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from helpers import BASE, commit, copy_tree, git, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.impact import sides
from plaintrust.impact.refs import Range
from plaintrust.impact.report import Side
from plaintrust.internal import history
from plaintrust.load import gitrun

pytestmark = pytest.mark.skipif(os.name != "posix", reason="needs git and symbolic links")

OWNER = "it-security@test.example"  # AC-01's owner: an internal value
FAQ = f"# FAQ\n\nWrite to {OWNER} for our identity provider's export.\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The base repository committed on main."""
    root = tmp_path / "repo"
    copy_tree(BASE, root)
    git(root, "init", "-q", "-b", "main")
    commit(root, "base")
    return root


def impact(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["impact", "--root", str(repo), *args], prog_name="plaintrust")


def found(runner, repo: Path, *args: str) -> dict:
    result = impact(runner, repo, *args, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    document = json.loads(result.stdout)
    return {"sections": document["sections"], "leaks": document["leaks"], "errors": document["errors"]}


# -- a committed side is what git holds -------------------------------------------------------------------


@pytest.mark.parametrize("attributes", [".gitattributes", ".git/info/attributes"])
def test_export_ignore_cannot_hide_a_leak_from_fail_on_leak(runner, repo: Path, attributes: str) -> None:
    git(repo, "checkout", "-q", "-b", "pr")
    write(repo, "site/faq.md", FAQ)
    write(repo, attributes, "site/faq.md export-ignore\n* export-subst\n")
    commit(repo, "faq", day="2026-11-02")
    result = impact(runner, repo, "main..pr", "--fail-on", "leak", "--format", "json")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert [leak["path"] for leak in json.loads(result.stdout)["leaks"]] == ["site/faq.md"]
    assert result.stderr.startswith("--fail-on met: leak")
    # The same files read from the working tree: the very same report.
    assert found(runner, repo, "main..pr") == found(runner, repo, "main")


def test_export_subst_leaves_a_committed_file_as_written(runner, repo: Path) -> None:
    git(repo, "checkout", "-q", "-b", "pr")
    write(repo, ".gitattributes", "site/trust.yaml export-subst\n")
    trust = (repo / "site/trust.yaml").read_text(encoding="utf-8")
    write(repo, "site/trust.yaml", trust + 'tagline: "Made by $Format:%an <%ae>$"\n')
    commit(repo, "tagline", day="2026-11-02")
    committed = found(runner, repo, "main..pr")
    assert committed == found(runner, repo, "main")
    assert "test@test.example" not in json.dumps(committed)  # the committer, helpers.git's


# -- the working tree is the files git lists ----------------------------------------------------------------


def test_an_ignored_file_never_counts(runner, repo: Path) -> None:
    write(repo, ".git/info/exclude", "controls/access/*.local.yaml\nsite/private-notes.md\n")
    ac01 = (repo / "controls/access/ac-01.yaml").read_text(encoding="utf-8")
    write(repo, "controls/access/ac-77.local.yaml", ac01.replace("id: AC-01", "id: AC-77"))
    write(repo, "site/private-notes.md", FAQ)
    result = impact(runner, repo, "main", "--fail-on", "leak,public-change", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    document = json.loads(result.stdout)
    assert not any(document["sections"].values()) and document["leaks"] == []
    # Untracked but not ignored: it counts.
    write(repo, "controls/access/ac-78.yaml", ac01.replace("id: AC-01", "id: AC-78"))
    added = found(runner, repo, "main")["sections"]["controls"]
    assert [(item["key"], item["change"]) for item in added] == [("AC-78", "added")]


def test_a_committed_link_leaving_the_repository_is_the_error_it_is_in_the_working_tree(runner, repo: Path) -> None:
    outside = repo.parent / "outside.yaml"
    outside.write_text("id: AC-02\n", encoding="utf-8")
    (repo / "controls/access/ac-02.yaml").symlink_to(outside)
    commit(repo, "link", day="2026-11-02")
    committed = found(runner, repo, "main~1..main")
    assert [(e["path"], e["rule"]) for e in committed["errors"]] == [("controls/access/ac-02.yaml", "symlink-outside")]
    assert committed == found(runner, repo, "main~1")


def test_the_working_tree_side_is_a_copy_whose_links_stay_links(repo: Path) -> None:
    (repo / "notes.md").symlink_to("/etc/hostname")
    write(repo, "infra/idp.tf", "mfa = true\n")
    span = Range(Side("main", git(repo, "rev-parse", "HEAD"), None), Side("working tree", None))
    with sides.opened(repo, span, dt.date(2026, 11, 22)) as (base, head):
        assert head.root != repo
        assert os.readlink(head.root / "notes.md") == "/etc/hostname"
        assert head.read("notes.md") is None and head.read("infra/idp.tf") == b"mfa = true\n"
        folders = (base.root, head.root)
    assert not any(folder.exists() for folder in folders)


# -- names and cleanup -------------------------------------------------------------------------------------


def test_no_tree_entry_is_written_outside_its_folder(tmp_path: Path) -> None:
    into, elsewhere = tmp_path / "side", tmp_path / "elsewhere"
    into.mkdir()
    elsewhere.mkdir()
    entries = [
        ("../escaped", history.FILE, [b"x"]),
        (f"{tmp_path}/absolute", history.FILE, [b"x"]),
        (".git/config", history.FILE, [b"x"]),
        ("a/./b", history.FILE, [b"x"]),
        ("through", history.LINK, [os.fsencode(elsewhere)]),
        ("through/inner", history.FILE, [b"x"]),
        ("kept/file", history.FILE, [b"fi", b"rst"]),
        ("kept/file", history.FILE, [b"second"]),
        ("kept/file/below", history.FILE, [b"x"]),
    ]
    assert history.write_tree(into, entries) == ("through", "kept/file")
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == [
        "elsewhere",
        "side",
        "side/kept",
        "side/kept/file",
        "side/through",
    ]
    assert (into / "kept/file").read_bytes() == b"first"


def test_a_crafted_commit_naming_dot_dot_writes_inside_alone(repo: Path, tmp_path: Path) -> None:
    blob = git(repo, "hash-object", "-w", "--stdin", stdin=b"evil\n")
    inner = git(repo, "mktree", stdin=f"100644 blob {blob}\tescaped\n".encode())
    raw = b"".join(
        mode + b" " + name + b"\0" + bytes.fromhex(oid)
        for mode, name, oid in ((b"40000", b"..", inner), (b"40000", b".git", inner), (b"100644", b"ok", blob))
    )
    tree = git(repo, "hash-object", "-t", "tree", "-w", "--literally", "--stdin", stdin=raw)
    crafted = git(repo, "commit-tree", tree, "-m", "crafted")
    into = tmp_path / "deep" / "side"
    into.mkdir(parents=True)
    history.checkout(repo, crafted, into)
    assert sorted(p.name for p in into.iterdir()) == ["ok"]
    assert (into / "ok").read_bytes() == b"evil\n"  # the refused entries' bytes were read past, not into it
    assert not (tmp_path / "deep" / "escaped").exists()


def test_an_interrupted_cleanup_still_removes_the_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "side"
    write(folder, "controls/a.yaml", "id: A\n")
    real, calls = sides.shutil.rmtree, []

    def interrupted_once(path, ignore_errors=False):
        calls.append(path)
        if len(calls) == 1:
            raise KeyboardInterrupt  # Ctrl-C while the removal runs
        real(path, ignore_errors=ignore_errors)

    monkeypatch.setattr(sides.shutil, "rmtree", interrupted_once)
    with pytest.raises(KeyboardInterrupt):
        sides._removed(folder)
    assert not folder.exists() and len(calls) == 2


def test_sigterm_removes_the_sides_and_restores_the_handler_before(repo: Path, tmp_path: Path) -> None:
    class Terminated(Exception):
        pass

    def before(signum: int, frame: object) -> None:
        raise Terminated  # what runs when SIGTERM is not handled as Ctrl+C (the default would end pytest)

    span = Range(Side("main", git(repo, "rev-parse", "HEAD"), None), Side("working tree", None))
    previous = signal.signal(signal.SIGTERM, before)
    try:
        with pytest.raises(KeyboardInterrupt), sides.opened(repo, span, dt.date(2026, 11, 22)) as (base, head):
            folders = (base.root, head.root)
            os.kill(os.getpid(), signal.SIGTERM)  # its handler runs as the call returns
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert not any(folder.exists() for folder in folders)


# -- memory: a file goes to its copy in chunks ---------------------------------------------------------------

BIG = 24 * 1024 * 1024  # bytes; far more than a chunk, well under what a test may write
BOUND = 8 * 1024 * 1024  # bytes of Python memory the copy may use at its peak


def peak(work: Callable[[], object]) -> int:
    """The most memory Python held at once while `work` ran, in bytes."""
    tracemalloc.start()
    try:
        work()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_commit_side_streams_each_blob_to_its_file(repo: Path, tmp_path: Path) -> None:
    """A small .git can hold blobs that inflate to gigabytes: none is ever held whole, or twice."""
    big = git(repo, "hash-object", "-w", "--stdin", stdin=bytes(BIG))
    small = git(repo, "hash-object", "-w", "--stdin", stdin=b"small\n")
    tree = git(
        repo,
        "mktree",
        stdin=(
            f"100644 blob {big}\tbig.bin\n100755 blob {big}\tcopy.bin\n"
            f"120000 blob {big}\tlong-link\n100644 blob {small}\tz.txt\n"
        ).encode(),
    )
    crafted = git(repo, "commit-tree", tree, "-m", "big")
    into = tmp_path / "side"
    into.mkdir()
    assert peak(lambda: history.checkout(repo, crafted, into)) < BOUND
    assert sorted(p.name for p in into.iterdir()) == ["big.bin", "copy.bin", "z.txt"]  # no link's text is that long
    assert (into / "big.bin").stat().st_size == (into / "copy.bin").stat().st_size == BIG
    assert os.access(into / "copy.bin", os.X_OK) and (into / "z.txt").read_bytes() == b"small\n"


def test_the_working_tree_side_copies_each_file_in_chunks(repo: Path, tmp_path: Path) -> None:
    with open(repo / "big.bin", "wb") as stream:
        stream.truncate(BIG)
    write(repo, "z.txt", "small\n")
    into = tmp_path / "side"
    into.mkdir()
    copied = sides._entries(repo, ["big.bin", "z.txt"])
    assert peak(lambda: history.write_tree(into, copied)) < BOUND
    assert (into / "big.bin").stat().st_size == BIG and (into / "z.txt").read_bytes() == b"small\n"


def test_a_git_streaming_objects_is_killed_at_its_timeout(repo: Path) -> None:
    with (
        pytest.raises(gitrun.GitError, match=r"timed out after 0\.3 seconds"),
        gitrun.popen(repo, ["cat-file", "--batch"], timeout=0.3) as objects,
    ):
        assert objects.stdout is not None
        assert objects.stdout.read() == b""  # nothing asked: git waits for a line until it is killed
