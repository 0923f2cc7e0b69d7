"""Policies as the model holds them: front matter, sections, approval state and git history."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from helpers import write
from plaintrust import pipeline, policies
from plaintrust.evidence import ledger
from plaintrust.load import policy_history
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
        out = {"rev-parse": b"0" * 40 + b"\n", "log": b"", "cat-file": b""}.get(command[command.index("-C") + 2], b"")
        return subprocess.CompletedProcess(command, 0, out, b"")

    monkeypatch.setattr(policy_history.subprocess, "run", fake)
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
        } <= settings
        assert env["GIT_NO_LAZY_FETCH"] == "1" and not [
            k for k in env if k.startswith("GIT_") and k != "GIT_NO_LAZY_FETCH"
        ]
    log = calls[1][0]
    assert "--no-show-signature" in log and "-z" in log


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_the_history_is_kept_by_head_commit_and_the_ledger_read_afresh(base_repo: Path, monkeypatch) -> None:
    _git(base_repo, "init", "-q")
    _revise(base_repo, "1.10", "First version.")
    _commit(base_repo, "first")  # not approved yet
    _revise(base_repo, "2.0", "Second version.")
    run = lambda: pipeline.run(base_repo, today=TODAY).model.policies_by_id["access-control"]  # noqa: E731
    assert run().history == ()
    real = policy_history.subprocess.run
    seen: list[str] = []

    def counted(command, **kwargs):
        if "-C" in command:  # the history's git, not this test's
            seen.append(command[command.index("-C") + 2])
        return real(command, **kwargs)

    monkeypatch.setattr(policy_history.subprocess, "run", counted)
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
