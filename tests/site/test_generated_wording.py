"""The site's own words pass the readability bar summaries must pass.

A repository that shows every generated warning at once (an overdue notice, an overdue practice, a
report out of date, an audit in progress, an overdue restore test, the evidence log) is built; the
sentences Plaintrust writes are read from each page, with dates, numbers and fingerprints put as
short words (they are facts, not wording), and scored like a summary: reading ease at least 50,
grade at most 10.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import BASE, EPOCH, OVERDUE, OVERDUE_NOTICE, build_case, edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.rules.readability import summary_score

CERTIFICATIONS = """\
  - framework: iso27001
    kind: ISO/IEC 27001:2022
    auditor: Example Certification Body
    issued: 2024-01-10
    expires: 2027-01-09
    last_surveillance: 2026-02-12
    report: on-request
    request_url: https://test.example/request
  - framework: soc2
    kind: SOC 2 Type II
    auditor: Example Assurance LLP
    period: {from: 2024-10-01, to: 2025-09-30}
    report_date: 2025-11-14
    next_report_expected: 2027-03
    report: on-request
    request_url: https://test.example/request
resilience: {rto: 4h, rpo: 15m, status_page: "https://status.test.example", restore_test: {control: AC-01}}
"""
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
FACTS = [
    (re.compile(rf"(\d{{1,2}} )?({MONTHS}) \d{{4}}(, \d\d:\d\d UTC)?"), "then"),
    (re.compile(r"\b[0-9a-f]{12,}\b"), "code"),
    (re.compile(r"\d+"), "two"),
]
# What Plaintrust writes: notes, banners, the legend, the footnote and the recovery facts.
WORDING = re.compile(
    r'<(?:p|strong)\b[^>]*class="[^"]*(?:pt-cert__note|pt-footnote|pt-overdue)[^"]*"[^>]*>(.*?)</(?:p|strong)>'
    r'|<details class="pt-legend">(.*?)</details>|<div class="pt-banner[^"]*"[^>]*>(.*?)</div>'
    r'|<p class="pt-meta">((?:Evidence|No evidence)[^<]*)</p>|aria-labelledby="pt-resilience">(.*?)</section>',
    re.S,
)
PAGES = [
    "index.html",
    "certifications/index.html",
    "practices/access-control/index.html",
    "updates/index.html",
    "updates/2026-11-20-slow-exports/index.html",
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    repo = build_case(BASE, tmp_path_factory.mktemp("wording") / "repo")
    write(repo, OVERDUE_NOTICE, OVERDUE)
    edit(repo, "controls/access/ac-01.yaml", "frequency: continuous", "frequency: quarterly")
    edit(repo, "evidence/access/mfa-policy.yaml", "collected: 2026-11-01", "collected: 2026-04-20")
    edit(repo, "evidence/access/mfa-policy.yaml", "refresh: quarterly", "refresh: 1y")
    write(repo, "site/trust.yaml", (repo / "site/trust.yaml").read_text() + CERTIFICATIONS)
    runner = CliRunner()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)  # the autouse pin is per test; this fixture is per module
        assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(repo)]).exit_code == ExitCode.OK
        result = runner.invoke(cli.cli, ["build", "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output
    return repo / "build/site"


def wording(page: str) -> str:
    """The page's generated sentences as one paragraph, facts put as short words."""
    parts = []
    for match in WORDING.finditer(page):
        raw = next(group for group in match.groups() if group)
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())
        for pattern, word in FACTS:
            text = pattern.sub(word, text)
        parts.append(text if text.endswith(".") else f"{text}.")
    return " ".join(parts)


@pytest.mark.parametrize("rel", PAGES)
def test_generated_wording_reads_plainly(site: Path, rel: str) -> None:
    text = wording((site / rel).read_text(encoding="utf-8"))
    assert len(text.split()) >= 5, f"{rel} shows none of the generated wording"
    ease, grade = summary_score(text)
    assert ease >= 50 and grade <= 10, f"{rel}: reading ease {ease:.0f}, grade {grade:.1f}:\n{text}"


def test_every_kind_of_warning_is_on_show(site: Path) -> None:
    pages = " ".join(wording((site / rel).read_text(encoding="utf-8")) for rel in PAGES)
    for phrase in (
        "Update overdue since",
        "Evidence overdue since",
        "Out of date",
        "Audit in progress",
        "Overdue since",
        "Evidence log",
    ):
        assert phrase in pages
