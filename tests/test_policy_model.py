"""Policies as the model holds them: front matter, sections, approval state and git history."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest

from helpers import write
from plaintrust import pipeline, policies
from plaintrust.evidence import ledger
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


def _approve(repo: Path) -> None:
    """Record an approval of the policy's current text, as `plaintrust policy approve` does."""
    policy = _run(repo).model.policies_by_id["access-control"]
    book = ledger.read(repo)
    body = policy.body.encode()
    entries = ledger.next_entries(
        book,
        [(f"policy:{policy.id}", "policies/access-control.md", policy.text_sha256, len(body))],
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
    plain = policies.text_digest("T", "S", "line one\nline two\n")
    assert policies.text_digest("T", "S", "line one\r\nline two\r\n\r\n") == plain
    assert policies.text_digest("T", "S", "line one\nline 2\n") != plain
    assert policies.text_digest("T", "S2", "line one\nline two\n") != plain


def test_state_follows_the_ledger_and_the_calendar(base_repo: Path) -> None:
    _policy(base_repo)
    model = _run(base_repo).model
    assert policies.state(model.policies_by_id["access-control"], model) is PolicyState.CHANGED  # no approval recorded
    _approve(base_repo)
    for today, expected in [
        (TODAY, PolicyState.CURRENT),
        (dt.date(2027, 1, 10), PolicyState.DUE),
        (dt.date(2027, 2, 8), PolicyState.DUE),
        (dt.date(2027, 2, 9), PolicyState.OVERDUE),
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


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="no git")
def test_history_lists_each_approved_version_from_git(base_repo: Path) -> None:
    _git(base_repo, "init", "-q")
    _policy(base_repo, change="First version.")
    _git(base_repo, "add", "-A")
    _git(base_repo, "commit", "-qm", "secret internal words")
    text = (base_repo / "policies/access-control.md").read_text()
    write(base_repo, "policies/access-control.md", text.replace('"1.10"', '"1.11"').replace("First", "Second"))
    _git(base_repo, "commit", "-qam", "more internal words")
    write(base_repo, "policies/access-control.md", text.replace('"1.10"', '"2.0"').replace("First", "Third"))
    policy = _run(base_repo).model.policies_by_id["access-control"]
    assert [(v.version, v.change) for v in policy.history] == [("1.11", "Second version."), ("1.10", "First version.")]


def test_history_is_empty_outside_git(base_repo: Path) -> None:
    _policy(base_repo)
    assert _run(base_repo).model.policies_by_id["access-control"].history == ()
