"""The policies on the trust center: a "Policies" page and one page per published policy, in the
nav after the practices; trust.json's `policies`; the state in customers' words; the change
history from git; nothing at all while no policy is published."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helpers import TESTS, check_and_build, edit, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.model import Approval
from plaintrust.policies import PolicyState
from plaintrust.public import pages
from plaintrust.public import view as public
from plaintrust.rules.readability import summary_score
from plaintrust.schemas import schema
from policy_site import FULL, add_policies, approve

GOLDEN = TESTS / "golden" / "policy-page"


def built(runner, repo: Path) -> Path:
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    return repo / "build/site"


def test_no_published_policy_means_no_page_and_no_nav_entry(runner, base_repo: Path) -> None:
    assert [p for p in pipeline.run(base_repo).model.policies if p.draft]  # the base's policies are drafts
    site = built(runner, base_repo)
    assert not (site / "policies").exists()
    assert ">Policies<" not in (site / "index.html").read_text().replace(" ", "").replace("\n", "")
    assert json.loads((site / "trust.json").read_text())["policies"] == []


def test_published_policies_get_a_list_a_page_each_and_a_nav_entry(runner, base_repo: Path) -> None:
    site = built(runner, add_policies(base_repo))
    listing = (site / "policies/index.html").read_text()
    assert listing.index("Remote work policy") < listing.index("Vendor review policy")  # by title
    assert 'href="remote-work/"' in listing and 'href="vendor-review/"' in listing
    assert "16 March 2026" in listing and "2 March 2027" in listing  # effective, next review: in words
    home = (site / "index.html").read_text()
    nav = home[home.index("md-nav--primary") :]
    assert nav.index("Security practices") < nav.index("Policies") < nav.index("Security updates")
    page = (site / "policies/remote-work/index.html").read_text()
    for fact in ("Version", "2.0", "Effective", "Last approved", "2 March 2026", "Next review", "Current"):
        assert fact in page, fact
    assert "<h2>Full text</h2>" in page and "<h2>Devices</h2>" in page and "<h3>Networks</h3>" in page
    assert "<table>" in page and "Home routers now need current updates." in page


def test_trust_json_lists_the_published_policies(runner, base_repo: Path) -> None:
    site = built(runner, add_policies(base_repo))
    document = json.loads((site / "trust.json").read_text())
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    assert document["policies"] == [
        {
            "id": "remote-work",
            "title": "Remote work policy",
            "version": "2.0",
            "effective": "2026-03-16",
            "next_review": "2027-03-02",
            "state": "current",
            "url": "https://trust.test.example/policies/remote-work/",
        },
        {
            "id": "vendor-review",
            "title": "Vendor review policy",
            "version": "1.1",
            "effective": "2026-09-01",
            "next_review": "2027-09-01",
            "state": "current",
            "url": "https://trust.test.example/policies/vendor-review/",
        },
    ]


def _view_of(repo: Path, **changes) -> public.PublicPolicy:
    model = pipeline.run(repo).model
    policy = dataclasses.replace(model.policies_by_id["remote-work"], **changes)
    approvals = {**model.approvals, "remote-work": Approval(policy.text_sha256, "2026-03-02T12:00:00Z", 1)}
    return public.public_policy(policy, dataclasses.replace(model, policies=(policy,), approvals=approvals))


@pytest.mark.parametrize(
    ("approved_on", "state", "words"),
    [
        (dt.date(2026, 3, 2), PolicyState.CURRENT, "Current"),
        (dt.date(2025, 11, 10), PolicyState.DUE, "Review due"),
        (dt.date(2025, 10, 2), PolicyState.OVERDUE, "Review overdue since 1 November 2026"),
    ],
)
def test_the_state_in_customers_words(base_repo: Path, approved_on: dt.date, state, words: str) -> None:
    add_policies(base_repo, {"policies/remote-work.md": FULL})
    next_review = approved_on.replace(year=approved_on.year + 1)
    shown = _view_of(base_repo, approved_on=approved_on, next_review=next_review)
    assert (shown.state, shown.state_words) == (state, words)
    assert shown.overdue_since == (dt.date(2026, 11, 1) if state is PolicyState.OVERDUE else None)


def test_a_policy_changed_after_its_approval_is_being_revised(runner, base_repo: Path) -> None:
    add_policies(base_repo, {"policies/remote-work.md": FULL})
    edit(base_repo, "policies/remote-work.md", "five minutes", "three minutes")
    site = built(runner, base_repo)
    page = (site / "policies/remote-work/index.html").read_text()
    assert "Being revised: the text changed after its last approval" in page
    assert json.loads((site / "trust.json").read_text())["policies"][0]["state"] == "changed"


def _git(repo: Path, *args: str) -> None:
    command = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", *args]
    subprocess.run(command, cwd=repo, check=True, capture_output=True)


@pytest.mark.skipif(subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="no git")
def test_the_change_history_lists_each_approved_version_newest_first(runner, base_repo: Path) -> None:
    earlier = FULL.replace('version: "2.0"', 'version: "1.0"').replace("2026-03-16", "2025-03-03")
    add_policies(base_repo, {"policies/remote-work.md": earlier.replace("Home routers", "First version; home routers")})
    _git(base_repo, "init", "-q")
    _git(base_repo, "add", "-A")
    _git(base_repo, "commit", "-q", "-m", "Internal note that never reaches customers")
    write(base_repo, "policies/remote-work.md", FULL)
    approve(base_repo)
    _git(base_repo, "commit", "-q", "-am", "Second approval")
    page = (built(runner, base_repo) / "policies/remote-work/index.html").read_text()
    history = page[page.index("Change history") :]
    assert history.index("16 March 2026") < history.index("3 March 2025")
    assert "First version; home routers" in history and "Internal note" not in page


def test_a_page_of_yours_in_place_of_the_policies_page_is_refused(runner, base_repo: Path) -> None:
    write(base_repo, "site/policies/index.md", "# Our policies\n\nAsk us for them.\n")
    assert runner.invoke(cli.cli, ["check", "--root", str(base_repo)]).exit_code == ExitCode.OK  # none published
    add_policies(base_repo)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS and "page-clash" in result.output, result.output
    assert "the list of policies" in result.output


def test_a_policy_whose_id_is_index_gets_a_page_of_its_own(base_repo: Path) -> None:
    add_policies(base_repo, {"policies/index.md": FULL.replace("id: remote-work", "id: index")})
    rendered = {p.src_uri for p in pages.render_all(public.build(pipeline.run(base_repo).model))}
    assert {"policies/index.md", "policies/policy-index.md"} <= rendered


def test_the_generated_wording_reads_plainly(base_repo: Path) -> None:
    add_policies(base_repo)
    rendered = pages.render_all(public.build(pipeline.run(base_repo).model))
    text = " ".join(
        re.sub(r"<[^>]+>", " ", match)
        for p in rendered
        if p.src_uri.startswith("policies/")
        for match in re.findall(r'<p class="pt-(?:lead|meta)">(.*?)</p>', p.content)
    )
    assert "summary" in text and "review" in text
    ease, grade = summary_score(text)
    assert ease >= 50 and grade <= 10, (ease, grade, text)


def test_golden_policy_page(base_repo: Path, golden) -> None:
    """The Markdown file MkDocs is handed for one policy page, byte for byte."""
    add_policies(base_repo)
    rendered = {p.src_uri: p.content for p in pages.render_all(public.build(pipeline.run(base_repo).model))}
    golden.check(rendered["policies/remote-work.md"], GOLDEN / "remote-work.md")
    golden.check(rendered["policies/index.md"], GOLDEN / "index.md")
