"""Certification currency: what the certifications page, the overview, trust.json and `check` say
about a report or certificate on the pinned day (22 November 2026)."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helpers import write
from plaintrust import cli, currency, pipeline, status
from plaintrust.errors import ExitCode
from plaintrust.internal import gaps
from plaintrust.public import pages, trust_json
from plaintrust.public import view as public
from plaintrust.reporters import text
from plaintrust.schemas import schema

HEAD = """\
organization: Example Test Co
security_contact: mailto:security@test.example
categories:
  - {id: access-control, title: Access control}
certifications:
"""
SOC2_OLD = """\
  - framework: soc2
    kind: SOC 2 Type II
    auditor: Example Assurance LLP
    period: {from: 2024-10-01, to: 2025-09-30}
    report_date: 2025-11-14
    report: on-request
    request_url: https://test.example/request
"""
BASE_URL = "https://trust.test.example/"


def repository(repo: Path, entries: str) -> pipeline.Result:
    write(repo, "site/trust.yaml", HEAD + entries)
    return pipeline.run(repo)


def cards(result: pipeline.Result, page: str) -> list[str]:
    """The text of each certification card on a generated page, tags dropped, spaces collapsed."""
    [content] = [p.content for p in pages.render_all(public.build(result.model)) if p.src_uri == page]
    found = re.findall(r'<article class="pt-card pt-cert">(.*?)</article>', content, re.S)
    return [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", card)).split()) for card in found]


def links(result: pipeline.Result) -> list[str]:
    [content] = [p.content for p in pages.render_all(public.build(result.model)) if p.src_uri == "certifications.md"]
    return re.findall(r'<a class="pt-button[^"]*" href="([^"]*)"', content)


def certification_json(result: pipeline.Result) -> list[dict]:
    document = trust_json.document(public.build(result.model), BASE_URL, True)
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    return document["certifications"]


def report(result: pipeline.Result, rule: str) -> str:
    return text([d for d in result.diagnostics if d.rule == rule])


def test_a_report_whose_period_ended_over_12_months_ago_is_out_of_date(base_repo: Path) -> None:
    result = repository(
        base_repo,
        SOC2_OLD.replace("    report: on-request", "    next_report_expected: 2027-03\n    report: on-request"),
    )
    assert cards(result, "certifications.md") == [
        "SOC 2 Type II Out of date Out of date: the audit period ended on 30 September 2025, more than 12 months ago. "
        "Next report expected in March 2027. Auditor Example Assurance LLP Audit period 1 October 2024 to "
        "30 September 2025 Report issued 14 November 2025 Report Available on request Request access"
    ]
    assert cards(result, "index.md") == [
        "SOC 2 Type II Out of date Audit period 1 October 2024 to 30 September 2025 · Report issued 14 November 2025 "
        "Out of date: the audit period ended on 30 September 2025, more than 12 months ago. "
        "Next report expected in March 2027. Audited by Example Assurance LLP"
    ]
    assert public.build(result.model).certifications[0].badge == public.Badge("Out of date", "warn")
    [soc2] = certification_json(result)
    assert (soc2["status"], soc2["report_date"], soc2["next_report_expected"]) == (
        "out-of-date",
        "2025-11-14",
        "2027-03",
    )
    assert report(result, "certification-expiry") == (
        "site/trust.yaml:9:36: warning [certification-expiry] SOC 2 Type II is shown as out of date: its audit period "
        "ended on 2025-09-30, more than 12 months ago\n"
        "    hint: publish the new report's period, or a bridge_letter whose `through` covers the days until it is out\n"
    )
    assert report(result, "certification-gaps") == ""  # not shown as current: nothing to contrast


def test_a_bridge_letter_covering_today_keeps_the_report_current(base_repo: Path) -> None:
    write(base_repo, "site/documents/bridge-letter-2026.pdf", "%PDF-1.4 letter")
    entry = SOC2_OLD + "    bridge_letter: {through: 2027-03-31, file: documents/bridge-letter-2026.pdf}\n"
    result = repository(base_repo, entry)
    assert cards(result, "certifications.md") == [
        "SOC 2 Type II Current Auditor Example Assurance LLP Audit period 1 October 2024 to 30 September 2025 "
        "Report issued 14 November 2025 Bridge letter Covers up to 31 March 2027 Download "
        "Report Available on request Request access"
    ]
    assert cards(result, "index.md") == [
        "SOC 2 Type II Current Audit period 1 October 2024 to 30 September 2025 · Report issued 14 November 2025 "
        "Bridge letter covers up to 31 March 2027. Audited by Example Assurance LLP"
    ]
    assert links(result) == ["../documents/bridge-letter-2026.pdf", "https://test.example/request"]
    [soc2] = certification_json(result)
    assert soc2["status"] == "current"
    assert soc2["bridge_letter"] == {"through": "2027-03-31", "url": BASE_URL + "documents/bridge-letter-2026.pdf"}
    assert report(result, "certification-expiry") == ""
    assert report(result, "site-file-missing") == report(result, "access-unreachable") == ""


def test_a_bridge_letter_to_request_links_to_its_request_page(base_repo: Path) -> None:
    entry = SOC2_OLD + "    bridge_letter: {through: 2027-01-15, request_url: https://test.example/bridge}\n"
    result = repository(base_repo, entry)
    assert links(result) == ["https://test.example/bridge", "https://test.example/request"]
    [soc2] = certification_json(result)
    assert soc2["bridge_letter"] == {"through": "2027-01-15", "url": "https://test.example/bridge"}
    # it runs out soon: the team hears of it before customers see "Out of date"
    assert report(result, "certification-expiry") == (
        "site/trust.yaml:13:30: warning [certification-expiry] SOC 2 Type II will be shown as out of date in 55 days "
        "(2027-01-16)\n"
        "    hint: publish the new report's period, or a bridge_letter whose `through` covers the days until it is out\n"
    )


def test_a_bridge_letter_that_ran_out_leaves_the_report_out_of_date(base_repo: Path) -> None:
    entry = SOC2_OLD + "    bridge_letter: {through: 2026-10-31, request_url: https://test.example/bridge}\n"
    result = repository(base_repo, entry)
    assert cards(result, "index.md")[0].startswith(
        "SOC 2 Type II Out of date Audit period 1 October 2024 to 30 September 2025 · Report issued 14 November 2025 "
        "Out of date: the audit period ended on 30 September 2025, more than 12 months ago."
    )
    assert "Bridge letter Covered up to 31 October 2026" in cards(result, "certifications.md")[0]
    assert "ran to 2026-10-31" in report(result, "certification-expiry")


def test_an_audit_in_progress_shows_when_its_report_is_expected(base_repo: Path) -> None:
    result = pipeline.run(base_repo)  # the base repository's SOC 2 audit is under way
    assert result.diagnostics == ()
    assert cards(result, "certifications.md") == [
        "SOC 2 Type II Audit in progress Audit in progress, report expected March 2027. Auditor Example Assurance LLP"
    ]
    assert cards(result, "index.md") == [
        "SOC 2 Type II Audit in progress Audit in progress, report expected March 2027. Auditor: Example Assurance LLP"
    ]
    assert public.build(result.model).certifications[0].badge == public.Badge("Audit in progress", "info")
    [soc2] = certification_json(result)
    assert (soc2["status"], soc2["expected"], soc2["report"], soc2["period"]) == ("in-progress", "2027-03", None, None)


def test_an_audit_in_progress_past_its_expected_month_is_a_warning(base_repo: Path) -> None:
    result = repository(
        base_repo,
        "  - {framework: soc2, kind: SOC 2 Type II, auditor: Example LLP, state: in-progress, expected: 2026-10}\n",
    )
    assert report(result, "certification-expiry") == (
        "site/trust.yaml:6:96: warning [certification-expiry] SOC 2 Type II: the trust center says a report is "
        "expected in October 2026, which has passed\n"
        "    hint: publish the report and its dates, or move the expected month\n"
    )
    assert cards(result, "certifications.md")[0].startswith(
        "SOC 2 Type II Audit in progress Audit in progress. The report was expected in October 2026 and is late."
    )


def test_a_late_next_report_says_so(base_repo: Path) -> None:
    result = repository(base_repo, SOC2_OLD + "    next_report_expected: 2026-10\n")
    assert "The next report was expected in October 2026 and is late." in cards(result, "certifications.md")[0]


def test_a_certificate_shows_its_last_surveillance_audit_and_renewal_60_days_ahead(base_repo: Path) -> None:
    entry = """\
  - framework: iso27001
    kind: ISO/IEC 27001:2022
    auditor: Example Certification Body
    issued: 2024-01-11
    expires: 2027-01-10
    last_surveillance: 2026-02-12
    certificate_number: EX-123456
    report: on-request
    request_url: https://test.example/request
"""
    result = repository(base_repo, entry)
    assert cards(result, "certifications.md") == [
        "ISO/IEC 27001:2022 Renewal due Auditor Example Certification Body Issued 11 January 2024 "
        "Valid until 10 January 2027 Last surveillance audit 12 February 2026 Certificate number EX-123456 "
        "Report Available on request Request access"
    ]
    assert cards(result, "index.md") == [
        "ISO/IEC 27001:2022 Renewal due Issued 11 January 2024 · Valid until 10 January 2027 · "
        "Last surveillance audit 12 February 2026 Audited by Example Certification Body"
    ]
    [iso] = certification_json(result)
    assert (iso["status"], iso["last_surveillance"]) == ("renewal-due", "2026-02-12")
    assert report(result, "certification-expiry") == (
        "site/trust.yaml:10:14: warning [certification-expiry] ISO/IEC 27001:2022 expires in 49 days (2027-01-10)\n"
    )


@pytest.mark.parametrize(
    ("expires", "status"),
    [("2026-11-21", "expired"), ("2026-11-22", "renewal-due"), ("2027-01-21", "renewal-due"), ("2027-01-22", "valid")],
)
def test_certificate_status_by_days_left(base_repo: Path, expires: str, status: str) -> None:
    entry = (
        f"  - {{framework: iso27001, kind: ISO, auditor: CB, issued: 2024-01-01, expires: {expires}, "
        "report: on-request, request_url: https://test.example/request}\n"
    )
    [cert] = certification_json(repository(base_repo, entry))
    assert cert["status"] == status


@pytest.mark.parametrize(
    ("end", "bridge", "standing"),
    [
        (dt.date(2025, 11, 22), None, currency.Standing.CURRENT),  # exactly 12 months ago
        (dt.date(2025, 11, 21), None, currency.Standing.OUT_OF_DATE),
        (dt.date(2025, 11, 21), dt.date(2026, 11, 22), currency.Standing.CURRENT),  # the letter covers today
        (dt.date(2025, 11, 21), dt.date(2026, 11, 21), currency.Standing.OUT_OF_DATE),
    ],
)
def test_a_report_is_current_12_months_after_its_period(end, bridge, standing) -> None:
    from plaintrust.model import BridgeLetter, Certification, Period

    cert = Certification(
        "soc2",
        "SOC 2",
        "A",
        "nda",
        Period(dt.date(2024, 11, 1), end),
        None,
        None,
        None,
        None,
        None,
        0,
        bridge_letter=BridgeLetter(bridge, None, "https://x.example") if bridge else None,
    )
    assert currency.standing(cert, dt.date(2026, 11, 22)) is standing


def test_months_are_added_as_people_count_them() -> None:
    assert currency.add_months(dt.date(2024, 2, 29), 12) == dt.date(2025, 2, 28)
    assert currency.add_months(dt.date(2025, 9, 30), 12) == dt.date(2026, 9, 30)
    assert currency.add_months(dt.date(9999, 6, 1), 12) == dt.date.max  # a typo never crashes check


def test_a_current_certification_with_gaps_in_its_framework_is_a_warning(base_repo: Path) -> None:
    recent = SOC2_OLD.replace("2024-10-01, to: 2025-09-30", "2025-10-01, to: 2026-09-30").replace(
        "2025-11-14", "2026-11-14"
    )
    result = repository(base_repo, recent)
    assert report(result, "certification-gaps") == (
        "site/trust.yaml:6:16: warning [certification-gaps] SOC 2 Type II is shown as current, but 32 requirements "
        "in soc2 are not met (CC1.1, CC1.2, CC1.3, …): the auditor's opinion stands; the team should know\n"
        "    hint: plaintrust gaps --framework soc2\n"
    )
    assert not result.failed()  # a warning: the certificate is still shown


def test_a_failed_control_counts_as_a_gap_too(base_repo: Path) -> None:
    entry = (
        "  - {framework: iso27001, kind: ISO/IEC 27001:2022, auditor: CB, issued: 2024-01-01, expires: 2027-06-30, "
        "report: on-request, request_url: https://test.example/request}\n"
    )
    result = repository(base_repo, entry)
    assert "but 120 requirements in iso27001 are not met" in report(result, "certification-gaps")
    (base_repo / "controls/access/ac-01.yaml").write_text(
        (base_repo / "controls/access/ac-01.yaml").read_text().replace("status: implemented", "status: planned")
    )
    assert "but 122 requirements in iso27001 are not met (4.1, 4.2, 4.3, …)" in report(
        pipeline.run(base_repo), "certification-gaps"
    )


def test_check_finds_the_same_unmet_requirements_as_the_gap_report(base_repo: Path) -> None:
    for root in (base_repo, Path(__file__).parents[2]):
        model = pipeline.run(root).model
        for framework in model.program.frameworks:
            rows = gaps.framework_report(model, framework).rows
            assert status.not_met(model, framework) == [r.id for r in rows if r.status is gaps.ReqStatus.NOT_MET]


def test_the_example_certifications_are_current_on_the_pinned_day() -> None:
    result = pipeline.run(Path(__file__).parents[2])
    assert [c.status for c in public.build(result.model).certifications] == [
        currency.Standing.CURRENT,
        currency.Standing.VALID,
        currency.Standing.VALID,
    ]
    assert report(result, "certification-expiry") == report(result, "access-unreachable") == ""


def test_the_built_site_and_trust_json_carry_the_bridge_letter(runner, base_repo: Path) -> None:
    write(base_repo, "site/documents/bridge-letter-2026.pdf", "%PDF-1.4 letter")
    write(
        base_repo,
        "site/trust.yaml",
        HEAD + SOC2_OLD + "    bridge_letter: {through: 2027-03-31, file: documents/bridge-letter-2026.pdf}\n",
    )
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    site = base_repo / "build/site"
    page = (site / "certifications/index.html").read_text(encoding="utf-8")
    assert 'href="../documents/bridge-letter-2026.pdf" download>Download</a>' in page
    assert (site / "documents/bridge-letter-2026.pdf").read_text() == "%PDF-1.4 letter"
    document = json.loads((site / "trust.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    [soc2] = document["certifications"]
    assert soc2["bridge_letter"]["url"].endswith("/documents/bridge-letter-2026.pdf") and soc2["status"] == "current"


def test_a_bridge_letter_far_ahead_is_a_promise_not_a_letter(base_repo: Path) -> None:
    letter = "    bridge_letter: {through: 2099-12-31, request_url: https://test.example/request}\n"
    result = repository(base_repo, SOC2_OLD + letter)
    assert (
        "warning [certification-expiry] SOC 2 Type II: its bridge letter claims to cover up to 2099-12-31, "
        "more than 183 days ahead; the site shows the report as current until then"
    ) in report(result, "certification-expiry")


def test_a_bridge_letter_must_cover_days_after_the_period(base_repo: Path) -> None:
    letter = "    bridge_letter: {through: 2025-09-30, request_url: https://test.example/request}\n"
    result = repository(base_repo, SOC2_OLD + letter)
    assert (
        "error [date-range] the bridge letter's through (2025-09-30) is not after the audit period ends (2025-09-30)"
    ) in report(result, "date-range")
