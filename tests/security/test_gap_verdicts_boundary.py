"""The audit-period and today verdicts are internal: they stay in the gap report, never on the
public site, and whatever text they carry reaches each format as text, never as live markup or a
spreadsheet formula."""

from __future__ import annotations

import dataclasses
import json
from io import BytesIO
from pathlib import Path

from helpers import check_and_build, site_snapshot
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal.period_today import Verdict
from plaintrust.internal.render import RENDERERS

HOSTILE = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'
FORMULA = '=HYPERLINK("https://evil.example","x")'
INTERNAL = (
    "lacks evidence for",
    "period_status",
    "current_status",
    "audit_period_verdict",
    "today_verdict",
    "lapses:",
    "Audit period reason",
    "Today reason",
)


def test_the_public_site_says_nothing_of_either_verdict(runner, base_repo: Path) -> None:
    # AC-01 is continuous with evidence only from November: monthly sampling finds a lapse.
    results = check_and_build(runner, base_repo)
    report = gaps.build(pipeline.run(base_repo).model)
    assert any(c.period_verdict.state == "lapses" for f in report.frameworks for c in f.controls)
    assert results["build"].exit_code == 0, results["build"].output
    site = site_snapshot(base_repo)
    assert site
    for name, data in site.items():
        text = data.decode("utf-8", "replace")
        assert not [w for w in INTERNAL if w in text], name


def hostile_report(repo: Path) -> gaps.GapReport:
    """The report with hostile text in every new field, as if a later change let free text in."""
    report = gaps.build(pipeline.run(repo).model)
    verdict = Verdict("lapses", HOSTILE, "weak", (HOSTILE,), None, HOSTILE)
    frameworks = []
    for f in report.frameworks:
        controls = tuple(dataclasses.replace(c, period_verdict=verdict, today_verdict=verdict) for c in f.controls)
        rows = tuple(
            dataclasses.replace(
                r,
                period_status="partially met",
                period_reason=HOSTILE,
                current_status="not met",
                current_reason=FORMULA,
            )
            for r in f.rows
        )
        frameworks.append(dataclasses.replace(f, controls=controls, rows=rows))
    return dataclasses.replace(report, frameworks=tuple(frameworks))


def test_hostile_text_in_the_verdicts_stays_text(base_repo: Path) -> None:
    report = hostile_report(base_repo)
    html = RENDERERS["html"](report).decode()
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    data = json.loads(RENDERERS["json"](report))
    assert data["frameworks"][0]["requirements"][0]["period_reason"] == HOSTILE  # data, for a program to escape


def test_a_reason_that_looks_like_a_formula_stays_text(base_repo: Path) -> None:
    from openpyxl import load_workbook

    report = hostile_report(base_repo)
    assert "'" + FORMULA.replace('"', '""') in RENDERERS["csv"](report).decode()
    book = load_workbook(BytesIO(RENDERERS["xlsx"](report)))
    cells = [c for row in book["soc2"].iter_rows(min_row=2) for c in row if c.value == FORMULA]
    assert cells and all(c.data_type == "s" for c in cells)
