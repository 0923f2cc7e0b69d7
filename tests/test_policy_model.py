"""Policies as the model holds them: front matter, sections, approval state and git history."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from helpers import write
from plaintrust import cli, pipeline, policies
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger
from plaintrust.load import gitrun, policy_history
from plaintrust.policies import PolicyState

TODAY = dt.date(2026, 11, 22)

POLICY = """\
---
id: access-control
title: Access control policy
version: "1.10"
owner: security@example.com
approved_by: Dana Smith, CTO
approved_on: {approved_on}
review: annual
effective: 2026-01-15
change: {change}
satisfies:
  soc2: [CC6.1]
public: full
---
We give people the access their work needs, and no more.

## Who gets access

A manager asks for it in a ticket.

```text
## not a heading
```

## When access ends

Within one business day of leaving.
"""


def _policy(repo: Path, approved_on: str = "2026-01-10", change: str = "First version.") -> None:
    write(repo, "policies/access-control.md", POLICY.format(approved_on=approved_on, change=change))


def _run(repo: Path, today: dt.date = TODAY) -> pipeline.Result:
    return pipeline.run(repo, today=today, cache=False)


def _approve(repo: Path, policy_id: str = "access-control") -> None:
    """Record an approval of the policy's current text, as `plaintrust policy approve` does."""
    policy = _run(repo).model.policies_by_id[policy_id]
    book = ledger.read(repo)
    body = policy.body.encode()
    entries = ledger.next_entries(
        book,
        [(f"policy:{policy.id}", policy.source.path, policy.text_sha256, len(body))],
        dt.datetime(2026, 1, 10, 9, tzinfo=dt.UTC),
    )
    ledger.append(repo, entries)


def test_front_matter_becomes_a_policy(base_repo: Path) -> None:
    _policy(base_repo)
    result = _run(base_repo)
    policy = result.model.policies_by_id["access-control"]
    assert policy.version == "1.10"  # text, not the number 1.1
    assert policy.approved_on == dt.date(2026, 1, 10)
    assert policy.next_review == dt.date(2027, 1, 10)
    assert policy.body_line == 15
    assert [(s.title, s.line) for s in policy.sections] == [("", 15), ("Who gets access", 17), ("When access ends", 25)]
    assert "## not a heading" in policy.sections[1].text
    assert not [d for d in result.diagnostics if d.path.startswith("policies/") and d.rule == "schema"]


def test_a_policy_without_approval_is_a_draft(base_repo: Path) -> None:
    text = POLICY.format(approved_on="x", change="x").replace("approved_by: Dana Smith, CTO\n", "")
    write(base_repo, "policies/access-control.md", text.replace("approved_on: x\n", ""))
    result = _run(base_repo)
    policy = result.model.policies_by_id["access-control"]
    assert policy.draft and policy.next_review is None
    assert policies.state(policy, result.model) is PolicyState.DRAFT


def test_text_digest_ignores_line_endings_and_trailing_blank_lines() -> None:
    head = ("T", "1.0", "2026-01-15", "First version.", "S")
    plain = policies.text_digest(*head, "line one\nline two\n")
    assert policies.text_digest(*head, "line one\r\nline two\r\n\r\n") == plain
    assert policies.text_digest(*head, "line one\nline 2\n") != plain
    assert policies.text_digest("T", "1.0", "2026-01-15", "First version.", "S2", "line one\nline two\n") != plain
    assert policies.text_digest("T", "1.1", "2026-01-15", "First version.", "S", "line one\nline two\n") != plain


def test_state_follows_the_ledger_and_the_calendar(base_repo: Path) -> None:
    _policy(base_repo)
    model = _run(base_repo).model
    assert policies.state(model.policies_by_id["access-control"], model) is PolicyState.CHANGED  # no approval recorded
    _approve(base_repo)
    for today, expected in [
        (TODAY, PolicyState.CURRENT),
        (dt.date(2027, 1, 10), PolicyState.DUE),
        (dt.date(2027, 2, 9), PolicyState.DUE),  # 30 days late: still within the grace
        (dt.date(2027, 2, 10), PolicyState.OVERDUE),  # more than 30 days late
    ]:
        model = _run(base_repo, today).model
        assert policies.state(model.policies_by_id["access-control"], model) is expected, today
        assert model.approvals["access-control"].sha256 == model.policies_by_id["access-control"].text_sha256
    text = (base_repo / "policies/access-control.md").read_text()
    write(base_repo, "policies/access-control.md", text + "\nOne more line.\n")
    model = _run(base_repo).model
    assert policies.state(model.policies_by_id["access-control"], model) is PolicyState.CHANGED


def test_approvals_are_read_from_policy_lines_only(base_repo: Path) -> None:
    _policy(base_repo)
    _approve(base_repo)
    lines = (base_repo / ledger.PATH).read_bytes().splitlines()
    last = json.loads(lines[-1])
    assert last["record"] == "policy:access-control" and last["file"] == "policies/access-control.md"
    assert set(ledger.approvals(base_repo)) == {"access-control"}


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


NO_GIT = subprocess.run(["git", "--version"], capture_output=True).returncode != 0


def _commit(repo: Path, message: str) -> None:
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", message)


def _revise(repo: Path, version: str, change: str, rel: str = "policies/access-control.md", **fields: str) -> None:
    """The policy at `rel` with another version and change line (and any other front-matter values)."""
    text = POLICY.format(approved_on="2026-01-10", change=change).replace('"1.10"', f'"{version}"')
    for name, value in fields.items():
        text = re.sub(rf"(?m)^{name}: .*$", f"{name}: {value}", text)
    write(repo, rel, text)


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_history_lists_each_approved_version_from_git(base_repo: Path) -> None:
    _git(base_repo, "init", "-q")
    _revise(base_repo, "1.10", "First version.")
    _approve(base_repo)
    _commit(base_repo, "secret internal words")
    _revise(base_repo, "1.11", "Second version.")
    _approve(base_repo)
    _commit(base_repo, "more internal words")
    _revise(base_repo, "2.0", "Third version.")  # the working copy: the policy itself, not its history
    policy = _run(base_repo).model.policies_by_id["access-control"]
    assert [(v.version, v.change) for v in policy.history] == [("1.11", "Second version."), ("1.10", "First version.")]
    assert policy.history[0].effective == dt.date(2026, 1, 15)


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_history_leaves_out_versions_never_approved_never_public_or_of_another_policy(base_repo: Path) -> None:
    _git(base_repo, "init", "-q")
    _revise(base_repo, "0.9", "Written as the access policy.", id="access")
    _approve(base_repo, "access")  # approved, but under another id: not this policy's history
    _commit(base_repo, "start")
    _revise(base_repo, "1.10", "First version.")
    _approve(base_repo)
    _commit(base_repo, "first")
    _revise(base_repo, "1.11", "Committed, never approved.")
    _commit(base_repo, "unapproved")
    _revise(base_repo, "1.12", "Approved while kept private.", public="none")
    _approve(base_repo)
    _commit(base_repo, "private")
    _revise(base_repo, "1.13", "Committed as a draft.", approved_on="", approved_by="")
    _commit(base_repo, "draft")
    _revise(base_repo, "2.0", "Current version.")
    policy = _run(base_repo).model.policies_by_id["access-control"]
    assert [(v.version, v.change) for v in policy.history] == [("1.10", "First version.")]


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_a_name_with_a_quote_or_backslash_keeps_its_history(base_repo: Path) -> None:
    rel = 'policies/access "control" \\ rules.md'
    _git(base_repo, "init", "-q")
    _git(base_repo, "config", "core.quotepath", "true")  # the repository's own setting changes nothing
    _revise(base_repo, "1.10", "First version.", rel)
    _approve(base_repo)
    _commit(base_repo, "first")
    _revise(base_repo, "2.0", "Second version.", rel)
    policy = _run(base_repo).model.policies_by_id["access-control"]
    assert policy.source.path == rel
    assert [v.version for v in policy.history] == ["1.10"]


def test_git_runs_hardened_whatever_the_repository_configures(base_repo: Path, monkeypatch) -> None:
    """A repository's .git/config could name a program (gpg.program with log.showSignature, an
    fsmonitor hook, a remote helper for a lazy fetch): every git call turns those off."""
    _policy(base_repo)
    calls: list[tuple[list[str], dict[str, str]]] = []

    def fake(command, **kwargs):
        calls.append((command, kwargs["env"]))
        out = {"rev-parse": b"false\n" + b"0" * 40 + b"\n", "log": b""}.get(command[command.index("-C") + 2], b"")
        return subprocess.CompletedProcess(command, 0, out, b"")

    monkeypatch.setattr(gitrun.subprocess, "run", fake)
    _run(base_repo)
    assert [c[c.index("-C") + 2] for c, _ in calls] == ["rev-parse", "log"]
    for command, env in calls:
        settings = {command[i + 1] for i, word in enumerate(command) if word == "-c"}
        assert {
            "log.showSignature=false",
            "protocol.allow=never",
            "core.fsmonitor=false",
            "core.hooksPath=/dev/null",
            "core.quotepath=false",
            # by name too: a repository's protocol.<name>.allow=always beats protocol.allow=never
            *(f"protocol.{name}.allow=never" for name in ("ext", "file", "http", "https", "ssh", "git")),
        } <= settings
        assert env["GIT_NO_LAZY_FETCH"] == "1" and not [
            k for k in env if k.startswith("GIT_") and k != "GIT_NO_LAZY_FETCH"
        ]
    log = calls[1][0]
    assert "--no-show-signature" in log and "-z" in log and "--diff-filter=d" in log


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_the_history_is_kept_by_head_commit_and_the_ledger_read_afresh(base_repo: Path, monkeypatch) -> None:
    _git(base_repo, "init", "-q")
    _revise(base_repo, "1.10", "First version.")
    _commit(base_repo, "first")  # not approved yet
    _revise(base_repo, "2.0", "Second version.")
    run = lambda: pipeline.run(base_repo, today=TODAY).model.policies_by_id["access-control"]  # noqa: E731
    assert run().history == ()
    real = gitrun.subprocess.run
    seen: list[str] = []

    def counted(command, **kwargs):
        if "-C" in command:  # the history's git, not this test's
            seen.append(command[command.index("-C") + 2])
        return real(command, **kwargs)

    monkeypatch.setattr(gitrun.subprocess, "run", counted)
    _revise(base_repo, "1.10", "First version.")
    _approve(base_repo)  # an approval of the committed text, recorded later: no new commit
    _revise(base_repo, "2.0", "Second version.")
    seen.clear()
    assert [v.version for v in run().history] == ["1.10"]
    assert seen == ["rev-parse"]  # the revisions came from the cache
    _commit(base_repo, "second")
    seen.clear()
    assert [v.version for v in run().history] == ["1.10"]
    assert seen == ["rev-parse", "log", "cat-file"]  # a new HEAD: read again


def test_history_is_empty_outside_git(base_repo: Path) -> None:
    _policy(base_repo)
    assert _run(base_repo).model.policies_by_id["access-control"].history == ()


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_a_deleted_policy_whose_name_has_a_space_leaves_the_history_readable(runner, base_repo: Path) -> None:
    """git has no content for a file in the commit that deleted it: that commit is not asked for."""
    _git(base_repo, "init", "-q")
    _revise(base_repo, "1.10", "First version.", "policies/old policy.md", id="old-policy")
    _commit(base_repo, "old")
    (base_repo / "policies/old policy.md").unlink()
    _revise(base_repo, "1.10", "First version.")
    _approve(base_repo)
    _commit(base_repo, "the old policy goes")
    _revise(base_repo, "2.0", "Second version.")
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert [v.version for v in _run(base_repo).model.policies_by_id["access-control"].history] == ["1.10"]


def _history_repo(repo: Path) -> None:
    """A repository whose policy has one approved version in git (1.10) and 2.0 in the working copy."""
    _git(repo, "init", "-q")
    _revise(repo, "1.10", "First version.")
    _approve(repo)
    _commit(repo, "first")
    _revise(repo, "2.0", "Second version.")
    _approve(repo)
    _commit(repo, "second")


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_a_failed_read_of_git_is_never_kept(base_repo: Path, monkeypatch) -> None:
    """A cat-file that fails (a timeout, a partial clone refusing to fetch) must not leave an empty
    history in the cache for that commit: the next run reads git again."""
    _history_repo(base_repo)
    real = gitrun.subprocess.run
    seen: list[str] = []
    failed: list[str] = []

    def fails_once(command, **kwargs):
        step = command[command.index("-C") + 2] if "-C" in command else ""
        seen.append(step)
        if step == "cat-file" and not failed:
            failed.append(step)
            return subprocess.CompletedProcess(command, 128, b"", b"fatal: could not fetch")
        return real(command, **kwargs)

    monkeypatch.setattr(gitrun.subprocess, "run", fails_once)
    run = lambda: pipeline.run(base_repo, today=TODAY).model.policies_by_id["access-control"]  # noqa: E731
    assert run().history == ()
    seen.clear()
    assert [v.version for v in run().history] == ["1.10"]
    assert seen == ["rev-parse", "log", "cat-file"]  # read again, not taken from the cache
    seen.clear()
    assert [v.version for v in run().history] == ["1.10"]
    assert seen == ["rev-parse"]  # a complete read is kept


def test_a_missing_object_makes_a_read_incomplete(base_repo: Path, monkeypatch) -> None:
    """`cat-file` names a missing object after the name asked for, spaces and all: never a size."""
    answers = {
        "rev-parse": b"false\n" + b"a" * 40 + b"\n",
        "log": b"\x01" + b"a" * 40 + b"\n\0\npolicies/old policy.md\0",
        "cat-file": b"a" * 40 + b":./policies/old policy.md missing\n",
    }

    def fake(command, **kwargs):
        return subprocess.CompletedProcess(command, 0, answers[command[command.index("-C") + 2]], b"")

    monkeypatch.setattr(gitrun.subprocess, "run", fake)
    found = policy_history.revisions(base_repo, policies.front_matter_digest)
    assert found is not None and found.paths == {} and not found.complete


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_fetching_the_whole_history_of_a_shallow_clone_reads_it_again(base_repo: Path, tmp_path: Path) -> None:
    _history_repo(base_repo)
    clone = tmp_path / "clone"
    _git(tmp_path, "clone", "-q", "--depth", "1", base_repo.as_uri(), str(clone))
    run = lambda: pipeline.run(clone, today=TODAY).model.policies_by_id["access-control"]  # noqa: E731
    assert run().history == ()  # only the last commit is there
    assert policy_history.head(clone).endswith(" shallow")
    _git(clone, "fetch", "-q", "--unshallow")
    assert [v.version for v in run().history] == ["1.10"]
    assert not policy_history.head(clone).endswith(" shallow")


def test_rows_of_the_cache_are_kept_only_as_a_fresh_read_could_give_them() -> None:
    good = ["1.10", "2026-01-15", "First version.", "access-control", "full", "2026-01-10", "ab" * 32]
    bad = {
        "a version the schema refuses": ["<b>1</b>", *good[1:]],
        "a version with a line break": ["1.10\n", *good[1:]],
        "an empty version": ["", *good[1:]],
        "a day not written YYYY-MM-DD": [good[0], "20260115", *good[2:]],
        "a number": [1.1, *good[1:]],
        "a list": [good[0], good[1], ["x"], *good[3:]],
        "a field short": good[:-1],
        "not a row": "1.10",
    }
    table = {"key": "k", "paths": {"policies/a.md": [good, *bad.values()]}}
    kept = policy_history.from_table(table, "k")
    assert kept is not None and kept.paths == {"policies/a.md": (policy_history.Revision(*good),)}
    assert policy_history.from_table({"key": "k", "paths": {"policies/a.md": "rows"}}, "k") is None
