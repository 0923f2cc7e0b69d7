"""The example trust center in headless Chromium: content, search, console, accessibility, screenshots."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from browsing import ROOT, SERIOUS, Watched, build_with_pinned_date, serious_violations, serve
from helpers import BASE, OVERDUE, OVERDUE_NOTICE, build_case, write
from payloads import apply_payloads
from plaintrust import pipeline
from plaintrust.public import view as public
from policy_site import add_policies

pytestmark = pytest.mark.browser

PAGES = [
    "",
    "certifications/",
    "practices/access-control/",
    "practices/data-protection/",
    "updates/",
    "updates/2026-11-18-email-provider-incident/",
    "policies/",
    "policies/access-control/",
    "subprocessors/",
    "disclosure/",
    "faq/",
]


def example_view() -> public.PublicView:
    return public.build(pipeline.run(ROOT).model)


def test_overview_shows_certifications_with_their_dates(watched: Watched, site_url: str) -> None:
    watched.page.goto(site_url)
    cards = watched.page.locator(".pt-cert")
    text = " ".join(cards.all_inner_texts())
    assert "ISO/IEC 27001:2022" in text and "Valid until 19 October 2028" in text
    assert "Audit period 1 October 2025 to 30 September 2026" in text
    assert cards.count() == len(example_view().certifications)


def test_a_category_page_lists_its_practices(watched: Watched, site_url: str) -> None:
    watched.page.goto(site_url + "practices/access-control/")
    expected = next(c for c in example_view().categories if c.id == "access-control")
    practices = watched.page.locator(".pt-practice")
    assert practices.count() == len(expected.practices)
    titles = watched.page.locator(".pt-practice__title").all_inner_texts()
    assert "Sign-in with security keys" in titles
    assert watched.page.locator(".pt-practice .pt-status").first.inner_text() in {
        "Implemented",
        "Under review",
        "In progress",
        "Not in place",
    }


def test_search_finds_a_practice(watched: Watched, site_url: str) -> None:
    page = watched.page
    page.goto(site_url)
    page.locator("input.md-search__input").click()
    page.keyboard.type("security keys")  # Material searches on key events, not on a filled value
    result = page.locator(".md-search-result__item").first
    result.wait_for(timeout=10_000)
    links = page.locator(".md-search-result__link").evaluate_all("els => els.map(e => e.href)")
    assert any("practices/access-control/" in link for link in links)


@pytest.mark.parametrize("path", PAGES)
def test_no_console_errors(watched: Watched, site_url: str, path: str) -> None:
    watched.page.goto(site_url + path)
    watched.page.wait_for_load_state("networkidle")
    assert watched.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(browser, axe_source: str, site_url: str, path: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(site_url + path)
    bad = serious_violations(page, axe_source)
    context.close()
    assert bad == []


@pytest.mark.parametrize(("name", "width", "height"), [("desktop", 1280, 900), ("mobile", 390, 844)])
def test_overview_screenshots(browser, site_url: str, name: str, width: int, height: int) -> None:
    target = ROOT / "build" / "screenshots" / f"overview-{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(site_url)
    page.screenshot(path=str(target), full_page=True)
    context.close()
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000


@contextlib.contextmanager
def alert_watched_page(browser, repo: Path) -> Iterator[tuple[object, str, list[str]]]:
    """A page on `repo`'s freshly built site, its base URL, and every dialog a script opened there."""
    site = build_with_pinned_date(repo)
    for url in serve(site):
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d, seen=dialogs: (seen.append(d.message), d.dismiss()))
        yield page, url, dialogs
        context.close()


def test_payloads_never_run_in_the_browser(browser, chromium_path: str, tmp_path: Path) -> None:
    repo = build_case(BASE, tmp_path / "repo")
    apply_payloads(repo)
    with alert_watched_page(browser, repo) as (page, url, dialogs):
        for path in ["", "certifications/", "practices/access-control/"]:
            page.goto(url + path)
            assert page.locator("img[src='x'], svg[onload]").count() == 0
        assert "Category <script>alert(1)</script>" in page.locator(".pt-category h1").inner_text()
        page.locator("input.md-search__input").click()
        page.keyboard.type("Category")
        page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
        page.wait_for_timeout(300)
        assert page.locator("img[src='x'], svg[onload]").count() == 0
        assert dialogs == []


HAND_WRITTEN = """\
# Help

<script>alert('script')</script>
<img src="missing.png" onerror="alert('onerror')">
<a id="js" href="javascript:alert('link')">a link</a>
<svg onload="alert('svg')"></svg><iframe srcdoc="<script>alert('frame')</script>"></iframe>
"""


def test_a_script_in_a_hand_written_page_never_runs(browser, chromium_path: str, tmp_path: Path) -> None:
    repo = build_case(BASE, tmp_path / "repo")
    (repo / "site/help.md").write_text(HAND_WRITTEN, encoding="utf-8")
    with alert_watched_page(browser, repo) as (page, url, dialogs):
        page.goto(url + "help/")
        page.locator("#js").click()
        page.wait_for_timeout(300)
        assert dialogs == []
        assert page.locator("article iframe, article svg[onload], article script").count() == 0


def test_an_overdue_update_is_announced_and_readable(browser, axe_source: str, tmp_path: Path) -> None:
    repo = build_case(BASE, tmp_path / "repo")
    write(repo, OVERDUE_NOTICE, OVERDUE)
    with alert_watched_page(browser, repo) as (page, url, _):
        for path in ["", "updates/2026-11-20-slow-exports/"]:
            page.goto(url + path)
            banner = page.locator(".pt-banner--overdue")
            assert banner.is_visible()
            assert "Update overdue since 21 November 2026, 09:00 UTC." in banner.inner_text()
            page.add_script_tag(content=axe_source)
            results = page.evaluate(
                "async () => await axe.run('.pt-banner', {runOnly: {type: 'tag', values: ['wcag2aa']}})"
            )
            assert [v["id"] for v in results["violations"] if v["impact"] in SERIOUS] == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_policy_pages_are_accessible(browser, axe_source: str, tmp_path: Path, scheme: str) -> None:
    """The example publishes no policy yet: a fixture's list of policies and one policy page, whole."""
    repo = add_policies(build_case(BASE, tmp_path / "repo"))
    for url in serve(build_with_pinned_date(repo)):
        context = browser.new_context(color_scheme=scheme)
        page = context.new_page()
        for path in ["policies/", "policies/remote-work/"]:
            page.goto(url + path)
            assert page.locator("article h1").inner_text() in ("Policies", "Remote work policy")
            assert serious_violations(page, axe_source) == [], path
        context.close()
