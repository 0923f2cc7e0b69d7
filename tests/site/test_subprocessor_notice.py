"""Subprocessor notice periods on the subprocessors page and in trust.json: a planned addition shows
when it starts and until when customers may object, and where; once it starts it is listed like
any other. The pinned day is 22 November 2026."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helpers import write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.schemas import schema

HEAD = """\
organization: Example Test Co
security_contact: mailto:security@test.example
categories:
  - {id: access-control, title: Access control}
"""

NOTICE = """\
subprocessor_notice_days: 30
subprocessor_objections: mailto:privacy@test.example
subprocessors:
  - {name: Example Cloud, purpose: Hosting, location: EU, data: All customer data, added: 2024-03-01}
  - {name: Next Desk, purpose: Support, location: EU, data: Support requests, added: 2026-12-01, effective: 2027-01-15}
  - {name: Search Co, purpose: Search, location: EU, data: Project names, added: 2026-11-16, effective: 2027-01-15}
  - {name: Late Forms, purpose: Forms, location: EU, data: Form answers, added: 2026-10-01, effective: 2026-12-01}
  - {name: New Maps, purpose: Maps, location: US, data: Addresses, added: 2026-10-01, effective: 2026-11-05}
  - {name: Dropped Chat, purpose: Chat, location: US, data: Messages, added: 2026-10-01, effective: 2027-03-01, removed: 2026-11-10}
"""


def build(runner, repo: Path, tail: str) -> Path:
    write(repo, "site/trust.yaml", HEAD + tail)
    result = runner.invoke(cli.cli, ["build", "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output
    return repo / "build/site"


def text(html: str) -> str:
    """What a reader sees: cells and items apart, inline tags dropped, spaces joined."""
    apart = re.sub(r"</?(td|th|tr|li|h2)\b[^>]*>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", apart))


def section(page: str, heading: str) -> str:
    start = page.index(f"<h2>{heading}</h2>")
    return page[start : page.index("</table>", start)]


@pytest.fixture
def site(runner, base_repo: Path) -> Path:
    return build(runner, base_repo, NOTICE)


def test_a_planned_addition_shows_its_start_its_objection_period_and_where_to_object(site: Path) -> None:
    page = (site / "subprocessors/index.html").read_text(encoding="utf-8")
    planned = section(page, "Planned additions")
    row = "Next Desk Support EU Support requests Starts on 15 January 2027; objections until 31 December 2026"
    assert row + " to privacy@test.example" in text(planned)
    assert "Starts on 15 January 2027; objections until 16 December 2026 to privacy@test.example" in text(planned)
    assert planned.count('<a href="mailto:privacy@test.example">privacy@test.example</a>') == 2
    assert "at least 30 days before it starts, and customers may object to it until that notice ends" in page


def test_after_the_notice_ends_the_page_says_objections_closed_and_links_nowhere(site: Path) -> None:
    planned = text(section((site / "subprocessors/index.html").read_text(encoding="utf-8"), "Planned additions"))
    assert "Late Forms Forms EU Form answers Starts on 1 December 2026; objections closed on 31 October 2026" in planned
    assert planned.index("Late Forms") < planned.index("Next Desk") < planned.index("Search Co")  # soonest start first


def test_a_started_addition_is_listed_since_its_effective_day_and_planned_ones_are_not(site: Path) -> None:
    page = (site / "subprocessors/index.html").read_text(encoding="utf-8")
    current = text(page[page.index("<table") : page.index("</table>")])
    assert "New Maps Maps US Addresses 5 November 2026" in current
    assert "Example Cloud Hosting EU All customer data 1 March 2024" in current
    assert not any(name in current for name in ("Next Desk", "Search Co", "Late Forms", "Dropped Chat"))
    assert "Dropped Chat" not in section(page, "Planned additions")
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert "2 companies process data on our behalf." in overview


def test_the_change_log_dates_an_addition_by_its_announcement(site: Path) -> None:
    page = (site / "subprocessors/index.html").read_text(encoding="utf-8")
    log = text(page[page.index("<h2>Changes</h2>") :])
    assert "1 December 2026: Next Desk will be announced (Support, EU); starts on 15 January 2027" in log
    assert "16 November 2026: Search Co announced (Search, EU); starts on 15 January 2027" in log
    assert "1 October 2026: New Maps announced (Maps, US); started on 5 November 2026" in log
    assert "1 October 2026: Dropped Chat announced (Chat, US); was to start on 1 March 2027" in log
    assert "10 November 2026: Dropped Chat removed" in log
    assert "1 March 2024: Example Cloud added (Hosting, EU)" in log


def test_trust_json_carries_the_start_and_the_objection_period(site: Path) -> None:
    document = json.loads((site / "trust.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    rows = {s["name"]: s for s in document["subprocessors"]}
    assert rows["Search Co"] | {"purpose": "", "location": "", "data": ""} == {
        "name": "Search Co",
        "purpose": "",
        "location": "",
        "data": "",
        "url": None,
        "added": "2026-11-16",
        "effective": "2027-01-15",
        "objections_until": "2026-12-16",
        "objection_contact": "mailto:privacy@test.example",
        "removed": None,
    }
    # Listed before the site promised notice: it started the day it was added, with no objection period.
    assert rows["Example Cloud"]["effective"] == "2024-03-01"
    assert rows["Example Cloud"]["objections_until"] is rows["Example Cloud"]["objection_contact"] is None


def test_objections_go_to_the_security_contact_unless_trust_yaml_names_an_address(runner, base_repo: Path) -> None:
    site = build(runner, base_repo, NOTICE.replace("subprocessor_objections: mailto:privacy@test.example\n", ""))
    planned = section((site / "subprocessors/index.html").read_text(encoding="utf-8"), "Planned additions")
    assert planned.count('<a href="mailto:security@test.example">security@test.example</a>') == 2
    assert "privacy@test.example" not in planned


def test_an_https_objection_address_is_a_link_to_a_page(runner, base_repo: Path) -> None:
    site = build(runner, base_repo, NOTICE.replace("mailto:privacy@test.example", "https://test.example/object"))
    planned = section((site / "subprocessors/index.html").read_text(encoding="utf-8"), "Planned additions")
    assert "objections until 31 December 2026 on our objections page" in text(planned)
    assert '<a href="https://test.example/object">our objections page</a>' in planned


def test_without_a_notice_period_a_planned_addition_shows_only_its_start(runner, base_repo: Path) -> None:
    site = build(runner, base_repo, NOTICE.replace("subprocessor_notice_days: 30\n", ""))
    page = (site / "subprocessors/index.html").read_text(encoding="utf-8")
    planned = text(section(page, "Planned additions"))
    assert "Next Desk Support EU Support requests Starts on 15 January 2027 " in planned + " "
    assert "objection" not in planned and "privacy@test.example" not in page and "at least" not in page
    document = json.loads((site / "trust.json").read_text(encoding="utf-8"))
    assert {s["objections_until"] for s in document["subprocessors"]} == {None}


def test_an_addition_withdrawn_before_its_early_start_breaks_no_promise(runner, base_repo: Path) -> None:
    """It never starts, so its start inside the notice is no start at all; one that does start early is."""
    early = (
        "  - {name: Quick Mail, purpose: Email, location: EU, data: Addresses, added: 2026-11-16, effective: 2026-11-25"
    )
    tail = "subprocessor_notice_days: 30\nsubprocessors:\n" + early + "%s}\n"
    write(base_repo, "site/trust.yaml", HEAD + tail % "")
    started = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert started.exit_code == ExitCode.FINDINGS and "[subprocessor-notice]" in started.output
    write(base_repo, "site/trust.yaml", HEAD + tail % ", removed: 2026-11-20")
    withdrawn = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert withdrawn.exit_code == ExitCode.OK, withdrawn.output
