"""An open notice whose promised update has not come says so where customers look.

The pinned moment is 22 November 2026, 12:00 UTC; the notice promised an update by 21 November,
09:00 UTC. The page, the overview alert, the updates list, the feed entry and trust.json all say
"Update overdue since ...", from the dates alone; `check` warns and `--strict` fails.
"""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest

from helpers import OVERDUE, edit, write
from helpers import OVERDUE_NOTICE as NOTICE
from plaintrust import cli
from plaintrust.errors import ExitCode

SINCE = '<time datetime="2026-11-21T09:00:00Z">21 November 2026, 09:00 UTC</time>'
SAYS = f'<strong class="pt-overdue">Update overdue since {SINCE}.</strong> We promised an update by then and have not published it yet.'


@pytest.fixture
def repo(base_repo: Path) -> Path:
    write(base_repo, NOTICE, OVERDUE)
    return base_repo


@pytest.fixture
def site(runner, repo: Path) -> Path:
    result = runner.invoke(cli.cli, ["build", "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output
    return repo / "build/site"


def read(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_the_notice_page_says_the_update_is_overdue(site: Path) -> None:
    page = read(site, "updates/2026-11-20-slow-exports/index.html")
    assert f"<p>{SAYS}</p>" in page
    assert 'class="pt-banner pt-banner--identified pt-banner--overdue"' in page
    assert "Next update by" not in page


def test_the_overview_alert_says_it_too(site: Path) -> None:
    page = read(site, "index.html")
    alert = page[page.index('aria-label="Open security notice"') : page.index("</aside>")]
    assert "Slow data exports" in alert
    assert f'Updated <time datetime="2026-11-20T09:00:00Z">20 November 2026, 09:00 UTC</time>. {SAYS}' in alert


def test_the_updates_list_says_it_too(site: Path) -> None:
    assert f'<p class="pt-meta">{SAYS}</p>' in read(site, "updates/index.html")


def test_the_feed_entry_is_marked_and_dated_when_the_promise_was_missed(site: Path) -> None:
    feed = feedparser.parse((site / "feeds/updates.xml").read_bytes())
    entry = next(e for e in feed.entries if "Slow data exports" in e.title)
    assert entry.title == "[Identified, update overdue] Slow data exports"
    assert entry.updated == "2026-11-21T09:00:00Z" and entry.published == "2026-11-20T09:00:00Z"
    assert (
        "<p>Update overdue since 21 November 2026, 09:00 UTC: we promised an update by then and have not "
        "published it yet.</p>"
    ) in entry.summary


def test_trust_json_carries_the_promised_time(site: Path) -> None:
    notice = next(n for n in json.loads(read(site, "trust.json"))["notices"] if n["title"] == "Slow data exports")
    assert notice["update_overdue_since"] == "2026-11-21T09:00:00Z"
    assert notice["next_update_by"] == "2026-11-21T09:00:00Z"


def test_check_warns_and_strict_fails(runner, repo: Path) -> None:
    plain = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    assert plain.exit_code == ExitCode.OK
    assert (
        f"{NOTICE}:7:17: warning [update-next-update] the promised update (2026-11-21 09:00 UTC) is overdue; "
        "the site says so on the notice, the overview and the feed"
    ) in plain.output
    assert runner.invoke(cli.cli, ["check", "--root", str(repo), "--strict"]).exit_code == ExitCode.FINDINGS


def test_build_strict_fails_and_keeps_the_previous_site(runner, repo: Path) -> None:
    edit(repo, NOTICE, "next_update_by: 2026-11-21T09:00:00Z", "next_update_by: 2026-11-23T09:00:00Z")
    edit(repo, NOTICE, "updated: 2026-11-20T09:00:00Z", "updated: 2026-11-22T10:00:00Z")
    assert runner.invoke(cli.cli, ["build", "--root", str(repo), "--strict"]).exit_code == ExitCode.OK
    before = read(repo / "build/site", "index.html")
    write(repo, NOTICE, OVERDUE)
    result = runner.invoke(cli.cli, ["build", "--root", str(repo), "--strict"])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert read(repo / "build/site", "index.html") == before


def test_a_kept_promise_shows_the_next_update(runner, repo: Path) -> None:
    edit(repo, NOTICE, "next_update_by: 2026-11-21T09:00:00Z", "next_update_by: 2026-11-23T09:00:00Z")
    edit(repo, NOTICE, "updated: 2026-11-20T09:00:00Z", "updated: 2026-11-22T10:00:00Z")
    assert runner.invoke(cli.cli, ["build", "--root", str(repo)]).exit_code == ExitCode.OK
    page = read(repo / "build/site", "updates/2026-11-20-slow-exports/index.html")
    assert 'Next update by <time datetime="2026-11-23T09:00:00Z">23 November 2026, 09:00 UTC</time>.' in page
    assert "overdue" not in page


def test_a_resolved_notice_is_never_overdue(runner, repo: Path) -> None:
    text = OVERDUE.replace("status: identified", "status: resolved") + "\n## Resolution\n\nExports are fast again.\n"
    write(repo, NOTICE, text)
    assert runner.invoke(cli.cli, ["build", "--root", str(repo), "--strict"]).exit_code == ExitCode.OK
    assert "overdue" not in read(repo / "build/site", "updates/2026-11-20-slow-exports/index.html")


def test_an_update_after_the_promised_time_kept_the_promise(runner, repo: Path) -> None:
    """Updated after next_update_by: the promise was kept, late; there is just no new one yet."""
    edit(repo, NOTICE, "updated: 2026-11-20T09:00:00Z", "updated: 2026-11-21T10:00:00Z")
    checked = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    assert (
        f"{NOTICE}:7:17: warning [update-next-update] next_update_by is not after updated: customers are not "
        "told when the next update comes"
    ) in checked.output
    assert runner.invoke(cli.cli, ["build", "--root", str(repo)]).exit_code == ExitCode.OK
    for rel in ("index.html", "updates/index.html", "updates/2026-11-20-slow-exports/index.html"):
        page = read(repo / "build/site", rel)
        assert "Update overdue" not in page and "Next update by" not in page
