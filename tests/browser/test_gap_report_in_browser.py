"""The example's internal gap report in headless Chromium: accessible in both colour schemes, and
its sortable headers are keyboard buttons that say how the table is sorted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from browsing import ROOT, serve
from plaintrust import pipeline
from plaintrust.internal import reportbuild

pytestmark = pytest.mark.browser

SERIOUS = ("serious", "critical")
TODAY = dt.date(2026, 11, 22)  # the day the other browser tests build the example on


@pytest.fixture(scope="module")
def gap_report_url(chromium_path: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The files `plaintrust build` writes to build/gap-report/, written to a scratch folder."""
    result = pipeline.run(ROOT, today=TODAY)
    folder: Path = tmp_path_factory.mktemp("gap-report")
    for name, data in reportbuild.files(reportbuild.report(result)).items():
        (folder / name).write_bytes(data)
    yield from serve(folder)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_serious_accessibility_violations(browser, axe_source: str, gap_report_url: str, scheme: str) -> None:
    context = browser.new_context(color_scheme=scheme)
    page = context.new_page()
    page.goto(gap_report_url)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == {"light": "rgb(255, 255, 255)", "dark": "rgb(13, 17, 23)"}[scheme]  # both really tested
    page.add_script_tag(content=axe_source)
    results = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}, resultTypes: ['violations']})"
    )
    context.close()
    bad = [
        f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in SERIOUS
    ]
    assert bad == []


def _sort_states(page, table: str) -> list[str | None]:
    return page.locator(f"#{table} thead th").evaluate_all("hs => hs.map(h => h.getAttribute('aria-sort'))")


def test_clicking_a_sort_header_updates_aria_sort(watched, gap_report_url: str) -> None:
    page = watched.page
    page.goto(gap_report_url)
    headers = page.locator("#t-evidence thead th")
    assert _sort_states(page, "t-evidence")[:4] == ["none"] * 4
    collected = headers.nth(3).get_by_role("button", name="Collected")
    collected.click()
    assert _sort_states(page, "t-evidence")[:4] == ["none", "none", "none", "ascending"]
    days = page.locator("#t-evidence tbody tr td:nth-child(4)").all_inner_texts()
    assert days == sorted(days)
    collected.click()
    assert _sort_states(page, "t-evidence")[3] == "descending"
    assert page.locator("#t-evidence tbody tr td:nth-child(4)").all_inner_texts() == sorted(days, reverse=True)
    headers.nth(0).get_by_role("button").click()
    assert _sort_states(page, "t-evidence")[:4] == ["ascending", "none", "none", "none"]
    assert watched.errors == []


def test_sort_headers_are_reachable_and_usable_by_keyboard(watched, gap_report_url: str) -> None:
    page = watched.page
    page.goto(gap_report_url)
    page.locator("#evidence input[type=search]").focus()
    page.keyboard.press("Tab")  # from the evidence filter to the first header of its table
    assert page.evaluate("document.activeElement.textContent") == "Record"
    page.keyboard.press("Enter")
    assert _sort_states(page, "t-evidence")[0] == "ascending"
    page.keyboard.press("Space")
    assert _sort_states(page, "t-evidence")[0] == "descending"
    assert watched.errors == []
