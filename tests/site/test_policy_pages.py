"""The policies on the trust center: a "Policies" page and one page per published policy, in the
nav after the practices; trust.json's `policies`; the state in customers' words; the change
history from git, without a line from it that `check` withheld; nothing at all while no policy is
published."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helpers import TESTS, check_and_build, edit, write
from plaintrust import cli, pipeline
from plaintrust.boundary.pagenames import policy_page
from plaintrust.errors import ExitCode
from plaintrust.model import Approval
from plaintrust.policies import PolicyState
from plaintrust.public import pages
from plaintrust.public import view as public
from plaintrust.rules.readability import summary_score
from plaintrust.schemas import schema
from policy_site import FULL, NO_GIT, add_policies, with_history

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
        (dt.date(2025, 10, 23), PolicyState.DUE, "Review due"),  # 30 days late: still within the grace
        (dt.date(2025, 10, 22), PolicyState.OVERDUE, "Review overdue: it was due on 22 October 2026"),
        (dt.date(2025, 10, 2), PolicyState.OVERDUE, "Review overdue: it was due on 2 October 2026"),
    ],
)
def test_the_state_in_customers_words(base_repo: Path, approved_on: dt.date, state, words: str) -> None:
    add_policies(base_repo, {"policies/remote-work.md": FULL})
    next_review = approved_on.replace(year=approved_on.year + 1)
    shown = _view_of(base_repo, approved_on=approved_on, next_review=next_review)
    assert (shown.state, shown.state_words) == (state, words)
    late = state is PolicyState.OVERDUE
    assert shown.overdue_since == (next_review + dt.timedelta(days=31) if late else None)


def test_a_policy_not_yet_in_effect_says_when_it_takes_effect(runner, base_repo: Path) -> None:
    add_policies(base_repo, {"policies/remote-work.md": FULL.replace("effective: 2026-03-16", "effective: 2027-01-01")})
    site = built(runner, base_repo)
    for rel in ("policies/index.html", "policies/remote-work/index.html"):
        page = (site / rel).read_text()
        assert "Takes effect on 1 January 2027" in page and "pt-badge--info" in page, rel
        assert "1 January 2027" in page.replace("Takes effect on 1 January 2027", ""), rel  # its Effective column
    assert "took effect" not in (site / "policies/index.html").read_text()
    assert json.loads((site / "trust.json").read_text())["policies"][0]["state"] == "upcoming"


def test_a_policy_changed_after_its_approval_is_being_revised(runner, base_repo: Path) -> None:
    add_policies(base_repo, {"policies/remote-work.md": FULL})
    edit(base_repo, "policies/remote-work.md", "five minutes", "three minutes")
    site = built(runner, base_repo)
    page = (site / "policies/remote-work/index.html").read_text()
    assert "Being revised: the text changed after its last approval" in page
    assert "Approval not on record" not in page
    assert json.loads((site / "trust.json").read_text())["policies"][0]["state"] == "changed"


def test_an_approval_dated_in_the_future_is_date_future_s_error_alone(runner, base_repo: Path) -> None:
    """No ledger line and an approved_on after today: one error, no policy-changed warning on top."""
    write(base_repo, "policies/remote-work.md", FULL.replace("approved_on: 2026-03-02", "approved_on: 2026-12-01"))
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS and "[date-future]" in result.output, result.output
    assert "policy-changed" not in result.output


def test_a_policy_whose_approval_the_ledger_never_recorded_says_so_plainly(runner, base_repo: Path) -> None:
    write(base_repo, "policies/remote-work.md", FULL)  # approved_on set by hand: no ledger line
    site = built(runner, base_repo)
    for rel in ("policies/index.html", "policies/remote-work/index.html"):
        page = (site / rel).read_text()
        assert "Approval not on record" in page and "Being revised" not in page, rel
    assert json.loads((site / "trust.json").read_text())["policies"][0]["state"] == "changed"


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_the_change_history_lists_each_approved_version_newest_first(runner, base_repo: Path) -> None:
    with_history(base_repo, "First version; home routers need updates.")
    page = (built(runner, base_repo) / "policies/remote-work/index.html").read_text()
    history = page[page.index("Change history") :]
    assert history.index("16 March 2026") < history.index("3 March 2025")
    assert "First version; home routers" in history and "Internal note" not in page


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_a_history_line_that_check_withholds_leaves_a_dash_and_a_warning(runner, base_repo: Path) -> None:
    with_history(base_repo, "First version, see <b>the annex</b>.")
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "policies/remote-work.md:1:" in result.output and "policy-history" in result.output
    assert "the change line of version 1.0 (from git history) holds HTML ('<b>')" in result.output
    assert "it is left out of the change history" in result.output and "rewriting git history" in result.output
    strict = runner.invoke(cli.cli, ["check", "--strict", "--root", str(base_repo)])
    assert strict.exit_code == ExitCode.FINDINGS, strict.output
    page = (built(runner, base_repo) / "policies/remote-work/index.html").read_text()
    assert "<tr><td>1.0</td><td>3 March 2025</td><td>—</td></tr>" in page
    assert "annex" not in page and "Home routers now need current updates." in page  # the current line stays


def test_a_page_of_yours_in_place_of_the_policies_page_is_refused(runner, base_repo: Path) -> None:
    write(base_repo, "site/policies/index.md", "# Our policies\n\nAsk us for them.\n")
    assert runner.invoke(cli.cli, ["check", "--root", str(base_repo)]).exit_code == ExitCode.OK  # none published
    add_policies(base_repo)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS and "page-clash" in result.output, result.output
    assert "the list of policies" in result.output


def test_a_page_of_yours_in_place_of_a_policy_page_is_refused(runner, base_repo: Path) -> None:
    write(base_repo, "site/policies/remote-work/index.md", "# Remote work\n\nAsk us.\n")
    add_policies(base_repo)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS and "page-clash" in result.output, result.output
    assert "site/policies/remote-work/index.md takes the place of the page of the policy 'remote-work'" in result.output


@pytest.mark.parametrize("odd_id", ["index", "readme", "README", "Remote-Work"])
def test_an_id_that_would_take_the_list_s_place_is_refused(runner, base_repo: Path, odd_id: str) -> None:
    """Each policy's page is policies/<id>.md: the schema keeps ids to lowercase slugs, never index or readme."""
    add_policies(base_repo, {"policies/odd.md": FULL.replace("id: remote-work", f"id: {odd_id}")})
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS and "policies/odd.md:2:" in result.output, result.output
    assert not [p for p in pipeline.run(base_repo).model.policies if p.id == odd_id]
    assert policy_page("remote-work") == "policies/remote-work.md"


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
