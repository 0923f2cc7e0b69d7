"""Security notices, subprocessors, Atom feeds, security.txt and trust.json."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import feedparser
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helpers import check_and_build, edit, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.schemas import schema

OPEN_NOTICE = """\
---
title: Slow sign-ins for some customers
status: identified
severity: medium
published: 2026-11-21T09:00:00Z
updated: 2026-11-22T08:00:00Z
next_update_by: 2026-11-23T08:00:00Z
affected: Customers in the EU region who sign in with single sign-on.
---

## What happened

Sign-ins through single sign-on took up to a minute.

## What we know

- The delay comes from **one** overloaded server.

## What we don't know yet

Why the load rose so fast.

## What we are doing

We added capacity. [Status page](https://status.test.example/)

## What customers should do

Nothing: sign-ins work, only slower.

## Timeline

- 2026-11-21 08:40 UTC — Alerts fire for slow sign-ins.
- 2026-11-21 09:00 UTC — We publish this notice.
- 2026-11-22 08:00 UTC — Capacity added; we keep watching.
"""

RESOLVED_NOTICE = """\
---
title: Old issue, fixed
status: resolved
severity: low
published: 2026-10-01T10:00:00Z
updated: 2026-10-02T10:00:00Z
affected: Nobody, in the end.
---

## Resolution

We fixed the cause on 2 October and confirmed that no data was exposed.

## What happened

A report reached us about an error page that showed too much detail.
"""

SUBPROCESSORS = """\
subprocessors:
  - {name: Example Cloud, purpose: Hosting, location: EU, data: All customer data, added: 2024-03-01, url: https://cloud.test.example/}
  - {name: Old Mailer, purpose: Email, location: US, data: Email addresses, added: 2023-01-10, removed: 2025-06-30}
  - {name: Next Desk, purpose: Support, location: EU, data: Support requests, added: 2026-12-15}
"""


@pytest.fixture
def site(runner, base_repo: Path) -> Path:
    write(base_repo, "site/updates/2026-11-21-slow-sign-ins.md", OPEN_NOTICE)
    write(base_repo, "site/updates/2026-10-01-old-issue.md", RESOLVED_NOTICE)
    (base_repo / "site/trust.yaml").write_text((base_repo / "site/trust.yaml").read_text() + SUBPROCESSORS)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    return base_repo / "build/site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_the_updates_page_lists_notices_newest_first(site: Path) -> None:
    page = read(site, "updates/index.html")
    assert page.index("Slow sign-ins for some customers") < page.index("Old issue, fixed")
    assert 'pt-badge--warn">Identified<' in page and 'pt-badge--ok">Resolved<' in page


def test_a_notice_page_has_its_banner_sections_and_timeline(site: Path) -> None:
    page = read(site, "updates/2026-11-21-slow-sign-ins/index.html")
    assert "This notice is open" in page and "Next update by <time" in page and "23 November 2026, 08:00 UTC" in page
    assert "Customers in the EU region who sign in with single sign-on." in page
    order = [
        page.index(f"<h2>{h}</h2>")
        for h in (
            "What happened",
            "What we know",
            "What we don&#39;t know yet",
            "What we are doing",
            "What customers should do",
            "Timeline",
        )
    ]
    assert order == sorted(order)
    assert "<strong>one</strong>" in page
    assert '<a href="https://status.test.example/">Status page</a>' in page
    assert page.count("<li><time") == 3


def test_a_script_in_a_notice_is_an_error_and_never_reaches_a_page(runner, base_repo: Path) -> None:
    hostile = OPEN_NOTICE.replace("overloaded server.", "overloaded server. <script>alert(1)</script>")
    write(base_repo, "site/updates/2026-11-21-slow-sign-ins.md", hostile)
    results = check_and_build(runner, base_repo)
    for result in results.values():
        assert result.exit_code == ExitCode.FINDINGS
        assert (
            "site/updates/2026-11-21-slow-sign-ins.md:17:51: error [public-markup] the notice holds HTML "
            "('<script>'), which the trust center leaves out: customers would not see it"
        ) in result.output
    assert not (base_repo / "build/site").exists()


def test_a_resolved_notice_leads_with_its_resolution(site: Path) -> None:
    page = read(site, "updates/2026-10-01-old-issue/index.html")
    assert "This matter is resolved." in page and "Next update by" not in page
    assert page.index("<h2>Resolution</h2>") < page.index("<h2>What happened</h2>")


def test_subprocessors_current_list_and_change_log(site: Path) -> None:
    page = read(site, "subprocessors/index.html")
    table = page[page.index("<table") : page.index("</table>")]
    assert "Example Cloud" in table and "Old Mailer" not in table and "Next Desk" not in table
    log = page[page.index("<h2>Changes</h2>") :]
    assert log.index("Next Desk will be added") < log.index("Old Mailer removed") < log.index("Example Cloud added")


@pytest.mark.parametrize("feed", ["feeds/updates.xml", "feeds/subprocessors.xml"])
def test_feeds_are_valid_atom_with_absolute_links(site: Path, feed: str) -> None:
    parsed = feedparser.parse((site / feed).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.id == f"https://trust.test.example/{feed}"
    assert parsed.entries and all(e.link.startswith("https://trust.test.example/") for e in parsed.entries)
    assert len({e.id for e in parsed.entries}) == len(parsed.entries)


def test_feed_entries_and_ids(site: Path) -> None:
    updates = feedparser.parse((site / "feeds/updates.xml").read_bytes())
    assert [e.id for e in updates.entries] == [
        "https://trust.test.example/updates/2026-11-21-slow-sign-ins/",
        "https://trust.test.example/updates/2026-10-01-old-issue/",
    ]
    assert updates.entries[0].title == "[Identified] Slow sign-ins for some customers"
    changes = feedparser.parse((site / "feeds/subprocessors.xml").read_bytes())
    assert [e.title for e in changes.entries] == [
        # Next Desk is announced for a day after the build's: news waits for its day
        "Removed: Old Mailer",
        "Added: Example Cloud",
        "Added: Old Mailer",
    ]


def test_pages_advertise_the_feeds(site: Path) -> None:
    head = read(site, "index.html").split("</head>")[0]
    assert (
        'rel="alternate feed" type="application/atom+xml" title="Security updates" href="https://trust.test.example/feeds/updates.xml"'
        in head
    )


def test_security_txt_follows_rfc_9116(site: Path) -> None:
    fields = dict(line.split(": ", 1) for line in read(site, ".well-known/security.txt").splitlines())
    assert fields["Contact"] == "mailto:security@test.example"
    expires = dt.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    today = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    assert today < expires <= today + dt.timedelta(days=365)
    assert fields["Preferred-Languages"] == "en"
    assert fields["Canonical"] == "https://trust.test.example/.well-known/security.txt"
    assert fields["Policy"] == "https://trust.test.example/disclosure/"
    assert "security@test.example" in read(site, "disclosure/index.html")


def test_trust_json_follows_its_schema(site: Path) -> None:
    document = json.loads(read(site, "trust.json"))
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    assert json.loads(read(site, "trust-center.schema.json"))["title"].startswith("Plaintrust trust center")
    assert document["certifications"][0] == {
        "name": "SOC 2 Type II",
        "auditor": "Example Assurance LLP",
        "status": "in-progress",
        "period": None,
        "report_date": None,
        "issued": None,
        "expires": None,
        "last_surveillance": None,
        "certificate_number": None,
        "bridge_letter": None,
        "next_report_expected": None,
        "expected": "2027-03",
        "report": None,
        "request_url": None,
        "file": None,
    }
    [category] = document["categories"]
    assert (
        category["practices"][0]["status"] == "Implemented" and category["practices"][0]["last_verified"] == "2026-11"
    )
    assert [n["status"] for n in document["notices"]] == ["identified", "resolved"]


def test_own_disclosure_page_wins(runner, base_repo: Path) -> None:
    write(base_repo, "site/disclosure.md", "# Our disclosure policy\n\nWrite to us.\n")
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    assert "Our disclosure policy" in read(base_repo / "build/site", "disclosure/index.html")


def test_update_new_scaffolds_a_notice_that_check_holds_back(runner, base_repo: Path) -> None:
    made = runner.invoke(
        cli.cli, ["update", "new", "Suspicious sign-ins", "--root", str(base_repo), "--severity", "high"]
    )
    assert made.exit_code == ExitCode.OK
    path = Path(made.stdout.strip())
    assert path.name == "2026-11-22-suspicious-sign-ins.md"
    text = path.read_text()
    assert "published: 2026-11-22T12:00:00Z" in text and "next_update_by: 2026-11-23T12:00:00Z" in text
    assert all(
        f"## {s}" in text
        for s in (
            "What happened",
            "What we know",
            "What we don't know yet",
            "What we are doing",
            "What customers should do",
            "Timeline",
        )
    )
    found = [d for d in pipeline.run(base_repo).diagnostics if d.rule == "update-sections"]
    assert len(found) == 5 and all("TODO" in d.message for d in found)
    again = runner.invoke(cli.cli, ["update", "new", "Suspicious sign-ins", "--root", str(base_repo)])
    assert again.exit_code == ExitCode.FINDINGS and "already exists" in again.output


def test_a_missing_site_url_is_an_error(base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "site_url: https://trust.test.example/\n", "")
    [problem] = pipeline.run(base_repo).diagnostics
    assert (problem.path, problem.rule) == ("mkdocs.yml", "site-url")
