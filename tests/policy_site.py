"""Policies for the tests: one of each kind the trust center treats differently, and approving them
in the ledger as `plaintrust policy approve` would (the text's hash, chained); two drafts that the
commands' tests start from; and one policy as the PDF writer takes it (a Sheet)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

from helpers import EPOCH, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger
from plaintrust.internal.policypdf import Sheet

# Internal values: none may reach any file of the built site.
OWNER = "Priya Ramanathan, Platform Security"
APPROVER = "Quentin Okafor, Chief Risk Officer"
SUMMARY_APPROVER = "Wilhelmina Castellanos, General Counsel"
HIDDEN_OWNER = "nightwatch-rota@ops.internal.example"
# Text customers must never read: a summary-only policy's body, a `public: none` policy, a draft.
SUMMARY_BODY = "Vendors rated red go to the procurement committee within two working days."
HIDDEN_TITLE = "Pager escalation runbook for night shifts"
HIDDEN_BODY = "Dial the bridge on extension nine four two before you page the duty manager."
DRAFT_TITLE = "Travel with laptops to high risk countries"
DRAFT_BODY = "Burner laptops are handed out by the front desk of the Lisbon office."

FULL = f"""\
---
id: remote-work
title: Remote work policy
version: "2.0"
owner: {OWNER}
approved_by: {APPROVER}
approved_on: 2026-03-02
review: annual
effective: 2026-03-16
change: Home routers now need current updates.
public: full
summary: Staff may work from home on laptops we manage.
---
We let staff work from home when they keep our data safe.

# Devices

- Staff work only on laptops we give them.
- Laptops lock after five minutes.

## Networks

Staff use the company VPN on every network that is not ours.

| Place | What is needed |
| --- | --- |
| Home | The VPN and a router with current updates |
"""

SUMMARY_ONLY = f"""\
---
id: vendor-review
title: Vendor review policy
version: "1.1"
owner: {OWNER}
approved_by: {SUMMARY_APPROVER}
approved_on: 2026-09-01
review: annual
effective: 2026-09-01
public: summary
summary: We check each vendor before it gets any customer data.
---
{SUMMARY_BODY}
"""

HIDDEN = f"""\
---
id: pager-runbook
title: {HIDDEN_TITLE}
version: "3"
owner: {HIDDEN_OWNER}
approved_by: {APPROVER}
approved_on: 2026-10-01
review: annual
effective: 2026-10-01
public: none
summary: How the night shift wakes up the right people.
---
{HIDDEN_BODY}
"""

DRAFT = f"""\
---
id: travel
title: {DRAFT_TITLE}
version: "0.1"
owner: {OWNER}
review: annual
effective: 2026-12-01
public: full
summary: What to do before a trip with a work laptop.
---
{DRAFT_BODY}
"""

ALL = {
    "policies/remote-work.md": FULL,
    "policies/vendor-review.md": SUMMARY_ONLY,
    "policies/pager-runbook.md": HIDDEN,
    "policies/travel.md": DRAFT,
}


def add_policies(repo: Path, files: dict[str, str] | None = None) -> Path:
    """Write the policies, then approve every one that says it was approved."""
    for rel, text in (ALL if files is None else files).items():
        write(repo, rel, text)
    approve(repo)
    return repo


def approve(repo: Path) -> None:
    """A ledger entry for each approved policy's current text, as `plaintrust policy approve` makes."""
    model = pipeline.run(repo).model
    pins = [
        (f"{ledger.POLICY_PREFIX}{p.id}", p.source.path, p.text_sha256, len(p.body.encode("utf-8")))
        for p in model.policies
        if not p.draft
    ]
    moment = dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)
    ledger.append(repo, ledger.next_entries(ledger.read(repo), pins, moment))


NO_GIT = subprocess.run(["git", "--version"], capture_output=True).returncode != 0


def with_history(repo: Path, earlier_change: str) -> Path:
    """remote-work approved as version 1.0 (effective 3 March 2025) with `earlier_change` as its
    change line and committed, then approved as FULL (2.0) and committed again, beside the others."""
    earlier = FULL.replace('version: "2.0"', 'version: "1.0"').replace("2026-03-16", "2025-03-03")
    first = earlier.replace("Home routers now need current updates.", earlier_change)
    add_policies(repo, {**ALL, "policies/remote-work.md": first})
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "Internal note that never reaches customers")
    write(repo, "policies/remote-work.md", FULL)
    approve(repo)
    _git(repo, "commit", "-q", "-am", "Second approval")
    return repo


def _git(repo: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args]
    subprocess.run(command, cwd=repo, check=True, capture_output=True)


# -- two drafts for the commands (policy approve, policies pdf) ------------------------------------

ACCESS = """\
---
id: access-control
title: Access control policy
version: "1.0"
owner: security@example.com
review: annual
effective: 2026-01-01
satisfies:
  iso27001: [A.5.15]
public: full
---

Each person gets only the access their job needs. Every account uses a second step to sign in.
"""
SECURITY = """\
---
id: information-security
title: Information security policy
version: "1.0"
owner: security@example.com
review: annual
effective: 2026-01-01
satisfies:
  iso27001: [A.5.1]
public: full
---

This policy says how we keep our service and your data safe.

## Our rules

- Staff report a lost laptop or a strange email at once.
"""


def run(runner, repo: Path, *args: str):
    """The command line on `repo`; a crash fails the test rather than passing as an exit code."""
    result = runner.invoke(cli.cli, [*args, "--root", str(repo)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def with_drafts(runner, repo: Path, access: str = ACCESS) -> Path:
    """`repo` with access-control (`access`) and information-security as its only policies, both
    drafts, and its evidence pinned, so that the ledger exists and verifies."""
    shutil.rmtree(repo / "policies", ignore_errors=True)
    write(repo, "policies/access-control.md", access)
    write(repo, "policies/information-security.md", SECURITY)
    assert run(runner, repo, "evidence", "pin").exit_code == ExitCode.OK
    return repo


# -- one policy as the PDF writer takes it ---------------------------------------------------------

MOMENT = dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)  # 22 November 2026, the tests' today
BODY = """\
## Purpose

Every person signs in with a hardware key.

## Service accounts

- Each service account has an owner.
- Its keys rotate **every quarter**.

| Account kind | Review |
|---|---|
| **Human** | `yearly` |
| Service | quarterly |
"""
SHEET = Sheet(
    id="access-control",
    title="Access control policy",
    version="1.2",
    effective=dt.date(2026, 6, 15),
    state_words="Approved; next review 1 June 2027",
    approved_by="Dana Smith, CTO",
    approved_on=dt.date(2026, 6, 1),
    next_review=dt.date(2027, 6, 1),
    owner="security@example.com",
    summary="We check who can reach what.",
    body=BODY,
    body_line=15,
    path="policies/access-control.md",
)
