"""A small trust center with news of every topic, for the feed tests: two notices, subprocessor
changes (one planned under a notice period), a certification in each state the certifications topic
reports, published policies (and internal ones), and an email sign-up link."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser

from helpers import write
from plaintrust import cli
from plaintrust.errors import ExitCode
from policy_site import add_policies

BASE_URL = "https://trust.test.example/"
SUBSCRIBE = "https://lists.test.example/join?list=trust&lang=en"
TOPICS = ("updates", "subprocessors", "certifications", "policies", "all")
# 23 November 2026, 06:00 UTC: the day after the pinned one, before the open notice's next update is due.
NEXT_DAY = str(1795348800 + 18 * 3600)

TRUST = f"""\
organization: Example Test Co
security_contact: mailto:security@test.example
subscribe_url: "{SUBSCRIBE}"
subprocessor_notice_days: 30
subprocessor_objections: https://test.example/object
categories:
  - {{id: access-control, title: Access control}}
certifications:
  # Its 12 months ran out on 30 September 2026: out of date since 1 October.
  - framework: soc2
    kind: SOC 2 Type II
    auditor: Example Assurance LLP
    period: {{from: 2024-10-01, to: 2025-09-30}}
    report_date: 2025-11-10
    report: on-request
    request_url: https://test.example/request
  # Expires 10 January 2027: its 60-day renewal window opened on 11 November 2026.
  - framework: iso27001
    kind: ISO/IEC 27001:2022
    auditor: Example Certification Body
    issued: 2024-01-11
    expires: 2027-01-10
    report: on-request
    request_url: https://test.example/request
  # Expired on 31 July 2026.
  - framework: iso27001
    kind: Cloud security certificate
    auditor: Example Certification Body
    issued: 2025-08-01
    expires: 2026-07-31
    report: nda
    request_url: https://test.example/request
  # Expected in October 2026, late since 1 November.
  - framework: soc2
    kind: SOC 2 Type I
    auditor: Example Assurance LLP
    state: in-progress
    expected: 2026-10
subprocessors:
  - {{name: Example Cloud, purpose: Hosting, location: EU, data: All customer data, added: 2024-03-01}}
  - {{name: Old Mailer, purpose: Email, location: US, data: Email addresses, added: 2023-01-10, removed: 2025-06-30}}
  - {{name: Wingtip Search, purpose: Search, location: EU, data: Project names, added: 2026-11-16, effective: 2027-01-15}}
"""

OPEN_NOTICE = "site/updates/2026-11-21-slow-sign-ins.md"
NOTICE = """\
---
title: Slow sign-ins for some customers
status: identified
severity: medium
published: 2026-11-21T09:00:00Z
updated: {updated}
next_update_by: 2026-11-23T07:00:00Z
affected: Customers in the EU region who sign in with single sign-on.
---

## What happened

Sign-ins took up to a minute.

## What we know

One server was overloaded.

## What we don't know yet

Why the load rose.

## What we are doing

{doing}

## What customers should do

Nothing.

## Timeline

- 2026-11-21 08:40 UTC — Alerts fire for slow sign-ins.
"""
UPDATED = "2026-11-22T08:00:00Z"
DOING = "We added capacity."

RESOLVED_NOTICE = "site/updates/2026-10-01-old-issue.md"
RESOLVED = """\
---
title: Old issue, fixed
status: resolved
severity: low
published: 2026-10-01T10:00:00Z
updated: 2026-10-02T10:00:00Z
affected: Nobody, in the end.
---

## Resolution

We fixed the cause on 2 October.

## What happened

An error page showed too much detail.
"""


def lay_out(repo: Path, trust: str = TRUST, policies: bool = True) -> Path:
    """The news of every topic in the base repository `repo`."""
    write(repo, "site/trust.yaml", trust)
    write(repo, OPEN_NOTICE, NOTICE.format(updated=UPDATED, doing=DOING))
    write(repo, RESOLVED_NOTICE, RESOLVED)
    if policies:
        add_policies(repo)
    return repo


def build(runner, repo: Path) -> Path:
    """`plaintrust build`, which must succeed: the built site."""
    result = runner.invoke(cli.cli, ["build", "--root", str(repo), "--force"])
    assert result.exit_code == ExitCode.OK, result.output
    return repo / "build/site"


def atom(site: Path, topic: str):
    parsed = feedparser.parse((site / f"feeds/{topic}.xml").read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


def json_feed(site: Path, topic: str) -> dict:
    return json.loads((site / f"feeds/{topic}.json").read_text(encoding="utf-8"))


def feed_bytes(site: Path) -> dict[str, bytes]:
    """Every file of feeds/, by name."""
    return {p.name: p.read_bytes() for p in sorted((site / "feeds").iterdir())}
