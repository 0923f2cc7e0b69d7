"""`plaintrust evidence check-branch`: the nightly job continues the branch collect-evidence, and so
runs the collectors of that branch's checkout with its secrets, only when the branch adds nothing
but what `plaintrust evidence collect` writes. Whoever pushes anything else to it (a changed
`collect:` block, a script, a record with a `collect:` block of its own, a link) stops the job,
with each such path named; a branch the default branch already holds (merged, or squashed) is
started again."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli
from plaintrust.actions import collectbranch
from plaintrust.errors import ExitCode

RECORD = "evidence/access/mfa-policy.yaml"
MERGED = 4
BRANCH = "collect-evidence"
COLLECTED = [
    "evidence/files/mfa-policy/2026-11-22.txt",
    "evidence/ledger.jsonl",
    "evidence/mfa-policy/mfa-policy-2026-11-22.yaml",
]

NOT_WRITTEN = (
    "a new file `evidence collect` would not write (it writes evidence/files/SERIES/DATE.EXT "
    "and evidence/SERIES/SERIES-DATE.yaml, nothing else)"
)


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "--quiet", "--allow-empty", "-m", message)


@pytest.fixture
def repo(runner, base_repo: Path) -> Path:
    """main: the base series collecting itself daily, pinned; then the branch collect-evidence with
    one night's collection on it, as the nightly job commits it; HEAD back on main."""
    argv = json.dumps([sys.executable, "-c", "print('sign-on policy: webauthn required')"])
    write(base_repo, RECORD, (base_repo / RECORD).read_text() + f"collect:\n  run: {argv}\n  every: daily\n")
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(base_repo)]).exit_code == ExitCode.OK
    write(base_repo, ".gitignore", ".plaintrust-cache/\n")
    _git(base_repo, "init", "--quiet", "-b", "main")
    _commit(base_repo, "start")
    _git(base_repo, "switch", "--quiet", "-c", BRANCH)
    result = runner.invoke(cli.cli, ["evidence", "collect", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    _commit(base_repo, "Collected evidence, 2026-11-22")
    return base_repo


def _on_branch(repo: Path, change) -> None:
    """One more commit on the branch, made by `change(repo)`; HEAD back on main."""
    _git(repo, "switch", "--quiet", BRANCH)
    change(repo)
    _commit(repo, "pushed by someone")
    _git(repo, "switch", "--quiet", "main")


def _checked(runner, repo: Path, ref: str = BRANCH):
    return runner.invoke(cli.cli, ["evidence", "check-branch", "--root", str(repo), ref])


def test_a_branch_of_collected_evidence_is_continued(runner, repo: Path) -> None:
    _git(repo, "switch", "--quiet", "main")
    result = _checked(runner, repo)
    assert result.exit_code == ExitCode.OK, result.output
    assert "collect-evidence adds only collected evidence (2 file(s))" in result.output
    verdict = collectbranch.check(repo, BRANCH)
    assert verdict == collectbranch.Verdict((), tuple(p for p in COLLECTED if "ledger" not in p), False)


def test_a_second_night_on_top_is_collected_evidence_too(runner, repo: Path) -> None:
    def night(repo: Path) -> None:
        write(repo, "evidence/files/mfa-policy/2026-11-23.txt", "sign-on policy\n")
        write(repo, "evidence/mfa-policy/mfa-policy-2026-11-23.yaml", "id: mfa-policy-2026-11-23\n")
        with (repo / "evidence/ledger.jsonl").open("a") as book:
            book.write('{"line": 2}\n')

    _on_branch(repo, night)
    assert _checked(runner, repo).exit_code == ExitCode.OK


def _foreign(runner, repo: Path, change, *expected: str) -> str:
    _on_branch(repo, change)
    result = _checked(runner, repo)
    assert result.exit_code == ExitCode.FINDINGS, result.output
    for line in expected:
        assert line in result.output.splitlines(), result.output
    assert "collect-evidence holds" in result.output and "change(s) that `evidence collect` does not make" in (
        result.output
    )
    return result.output


def test_a_changed_collect_block_is_foreign(runner, repo: Path) -> None:
    """The reviewer's attack: the next night would run this with the job's secrets."""
    leak = json.dumps([sys.executable, "-c", "import os; open('/dev/null', 'w').write(os.environ['IDP_API_TOKEN'])"])

    def attack(repo: Path) -> None:
        text = (repo / RECORD).read_text()
        write(repo, RECORD, text[: text.index("collect:")] + f"collect:\n  run: {leak}\n  every: daily\n")

    _foreign(runner, repo, attack, f"{RECORD}: changed")


def test_a_changed_script_and_a_new_file_elsewhere_are_foreign(runner, repo: Path) -> None:
    def change(repo: Path) -> None:
        write(repo, "scripts/export.py", "print('hello')\n")
        write(repo, "evidence/notes.txt", "a note\n")
        edit(repo, "controls/access/ac-01.yaml", "A password alone is never enough.", "Changed.")

    _foreign(
        runner,
        repo,
        change,
        "controls/access/ac-01.yaml: changed",
        f"evidence/notes.txt: {NOT_WRITTEN}",
        f"scripts/export.py: {NOT_WRITTEN}",
    )


def test_a_new_record_with_a_collect_block_is_foreign_under_evidence_files_too(runner, repo: Path) -> None:
    """Every YAML file under evidence/ is read as a record, one under evidence/files/ as well."""
    block = "id: x\ncollect:\n  run: [sh, -c, env]\n  every: daily\n"

    def change(repo: Path) -> None:
        write(repo, "evidence/x/x-2026-11-22.yaml", block)
        write(repo, "evidence/files/x/2026-11-22.yml", block)

    why = "a new record with a collect: block (only the default branch may say what runs)"
    _foreign(runner, repo, change, f"evidence/files/x/2026-11-22.yml: {why}", f"evidence/x/x-2026-11-22.yaml: {why}")


def test_a_new_record_plaintrust_cannot_read_is_foreign(runner, repo: Path) -> None:
    def change(repo: Path) -> None:
        write(repo, "evidence/x/x-2026-11-21.yaml", "base: &b {collect: {run: [sh], every: daily}}\n<<: *b\nid: x\n")
        write(repo, "evidence/x/x-2026-11-22.yaml", "id: [unclosed\n")

    out = _foreign(runner, repo, change)
    assert (
        "evidence/x/x-2026-11-21.yaml: a new record Plaintrust cannot read (merge keys (<<) are not supported)" in out
    )
    assert "evidence/x/x-2026-11-22.yaml: a new record Plaintrust cannot read (" in out


def test_a_deleted_a_renamed_and_a_changed_collected_file_are_foreign(runner, repo: Path) -> None:
    def change(repo: Path) -> None:
        (repo / "evidence/files/mfa-policy.json").unlink()
        (repo / "evidence/access/mfa-policy.yaml").rename(repo / "evidence/access/renamed.yaml")

    _foreign(
        runner,
        repo,
        change,
        "evidence/access/mfa-policy.yaml: deleted",
        "evidence/files/mfa-policy.json: deleted",
    )


def test_a_rewritten_ledger_is_foreign_an_appended_one_is_not(runner, repo: Path) -> None:
    def rewrite(repo: Path) -> None:
        book = repo / "evidence/ledger.jsonl"
        book.write_text(book.read_text().replace('"sha256"', '"sha256 "', 1))

    _foreign(runner, repo, rewrite, "evidence/ledger.jsonl: changed other than by lines added at its end")
    assert collectbranch._appended(b"a\n", b"a\nb\n") and collectbranch._appended(b"", b"a\n")
    assert not collectbranch._appended(b"a", b"ab\n")  # the last line itself changed
    assert not collectbranch._appended(b"a\nb\n", b"a\n")


def test_a_link_an_executable_and_a_submodule_are_foreign(runner, repo: Path) -> None:
    def change(repo: Path) -> None:
        (repo / "evidence/files/x").mkdir()
        (repo / "evidence/files/x/link.txt").symlink_to("../../../scripts")
        run = write(repo, "evidence/files/x/run.sh", "#!/bin/sh\n")
        run.chmod(0o755)
        _git(repo, "init", "--quiet", "evidence/files/x/sub")  # `git add` takes a repository as a submodule
        _commit(repo / "evidence/files/x/sub", "nested")

    _foreign(
        runner,
        repo,
        change,
        "evidence/files/x/link.txt: a symbolic link (mode 120000)",
        "evidence/files/x/run.sh: an executable file (mode 100755)",
        "evidence/files/x/sub: a submodule (mode 160000)",
    )


def test_a_branch_squashed_into_main_and_kept_is_merged(runner, repo: Path) -> None:
    """GitLab's squash merge that keeps the branch: continuing it would conflict in the ledger."""
    _git(repo, "switch", "--quiet", "main")
    _git(repo, "merge", "--quiet", "--squash", BRANCH)
    _commit(repo, "Collected evidence (squashed)")
    result = _checked(runner, repo)
    assert result.exit_code == MERGED, result.output
    assert "the current commit already holds every file collect-evidence adds: it was merged" in result.output


def test_a_branch_merged_into_main_is_merged(runner, repo: Path) -> None:
    _git(repo, "switch", "--quiet", "main")
    _git(repo, "merge", "--quiet", "--no-ff", "-m", "Merge", BRANCH)
    assert _checked(runner, repo).exit_code == MERGED


def test_main_moving_on_keeps_the_branch_collected_evidence(runner, repo: Path) -> None:
    """A change on main after the fork is no change of the branch's."""
    _git(repo, "switch", "--quiet", "main")
    edit(repo, "controls/access/ac-01.yaml", "A password alone is never enough.", "Changed on main.")
    _commit(repo, "main moves on")
    assert _checked(runner, repo).exit_code == ExitCode.OK


def test_an_unrelated_history_is_foreign_and_an_unknown_ref_a_usage_error(runner, repo: Path) -> None:
    _git(repo, "switch", "--quiet", "--orphan", "other")
    write(repo, "evidence/files/z.txt", "z\n")
    _commit(repo, "unrelated")
    _git(repo, "switch", "--quiet", "main")
    result = _checked(runner, repo, "other")
    assert result.exit_code == ExitCode.FINDINGS
    assert "other: shares no history with the current commit" in result.output
    result = _checked(runner, repo, "no-such-branch")
    assert result.exit_code == ExitCode.USAGE
    assert "'no-such-branch' is no branch, tag or commit of this repository" in result.output
    result = runner.invoke(cli.cli, ["evidence", "check-branch", "--root", str(repo), "--", "--output=x"])
    assert result.exit_code == ExitCode.USAGE and "'--output=x' is no branch, tag or commit" in result.output


def test_a_trust_center_in_a_folder_of_a_larger_repository(runner, repo: Path) -> None:
    """Paths are named from the repository's top; evidence may grow only in the trust center's folder."""
    top = repo.parent / "top"
    shutil.copytree(repo, top / "trust", ignore=shutil.ignore_patterns(".git"))
    _git(top, "init", "--quiet", "-b", "main")
    _commit(top, "start")
    _git(top, "switch", "--quiet", "-c", BRANCH)
    write(top / "trust", "evidence/files/mfa-policy/2026-11-23.txt", "x\n")
    _commit(top, "collected")
    _git(top, "switch", "--quiet", "main")
    assert _checked(runner, top / "trust").exit_code == ExitCode.OK
    _on_branch(top, lambda top: write(top, "Makefile", "all:\n"))
    result = _checked(runner, top / "trust")
    assert result.exit_code == ExitCode.FINDINGS
    assert "Makefile: outside the trust-center repository's folder" in result.output.splitlines()
    _on_branch(top, lambda top: edit(top, "trust/" + RECORD, "every: daily", "every: weekly"))
    assert "trust/evidence/access/mfa-policy.yaml: changed" in _checked(runner, top / "trust").output


def test_joining_the_chains_of_a_conflicting_request_passes(runner, repo: Path) -> None:
    """The guide's way out of a ledger conflict: merge the default branch into the branch, take its
    ledger, pin again. The branch then adds collected evidence only, on top of today's main."""
    _git(repo, "switch", "--quiet", "main")
    write(repo, "evidence/files/by-hand.txt", "exported by hand\n")
    result = runner.invoke(cli.cli, ["evidence", "new", "--root", str(repo), "evidence/files/by-hand.txt"])
    assert result.exit_code == ExitCode.OK, result.output
    _commit(repo, "a record by hand")
    _git(repo, "switch", "--quiet", BRANCH)
    merge = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "merge", "main"]
    done = subprocess.run(merge, cwd=repo, capture_output=True, text=True)
    assert "CONFLICT (content): Merge conflict in evidence/ledger.jsonl" in done.stdout  # the two new ends
    _git(repo, "checkout", "--theirs", "--", "evidence/ledger.jsonl")
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(repo)]).exit_code == ExitCode.OK
    _git(repo, "add", "evidence/ledger.jsonl")
    _git(repo, "commit", "--quiet", "--no-edit")
    _git(repo, "switch", "--quiet", "main")
    result = _checked(runner, repo)
    assert result.exit_code == ExitCode.OK, result.output


def test_a_hidden_file_such_as_gitattributes_is_foreign(runner, repo: Path) -> None:
    """git applies a branch's .gitattributes when it writes files out (working-tree-encoding can
    turn a harmless record into one with a collect: block): only the names collect gives are new."""

    def change(repo: Path) -> None:
        write(repo, "evidence/files/.gitattributes", "*.yaml working-tree-encoding=SHIFT_JIS\n")
        write(repo, "evidence/files/x/.hidden", "x\n")
        write(repo, "evidence/files/x/notes.txt", "x\n")

    _foreign(
        runner,
        repo,
        change,
        f"evidence/files/.gitattributes: {NOT_WRITTEN}",
        f"evidence/files/x/.hidden: {NOT_WRITTEN}",
        f"evidence/files/x/notes.txt: {NOT_WRITTEN}",
    )
