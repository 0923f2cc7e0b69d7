"""The SoA's sign-off and reasons, the scope exclusions and the baselines are internal: they stay in
the gap report, never on the public site, and their text reaches each format as text, never as live
markup, a link or a spreadsheet formula."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

from openpyxl import load_workbook

from helpers import check_and_build, edit, site_snapshot
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal.render import RENDERERS, tables

HOSTILE = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'
FORMULA = '=HYPERLINK("https://evil.example","x")'
MARKERS = ("Zebra-Approver-7731", "zebra-reason-7731", "zebra-exclusion-7731", "zebra-baseline-7731")


def with_fields(repo: Path, approver: str, reason: str, exclusion: str) -> None:
    edit(
        repo,
        "controls/program.yaml",
        "    catalog: iso27001-2022\n",
        "    catalog: iso27001-2022\n"
        f"    soa: {{version: {json.dumps(approver)}, approved_by: {json.dumps(approver)}, approved_on: 2026-03-30}}\n"
        f"    soa_reasons: {{A.5.17: {json.dumps(reason)}}}\n",
    )
    edit(repo, "controls/program.yaml", "privacy: Not in this report.", f"privacy: {json.dumps(exclusion)}")


def test_the_public_site_says_nothing_of_them(runner, base_repo: Path) -> None:
    with_fields(base_repo, MARKERS[0], MARKERS[1], MARKERS[2])
    edit(
        base_repo,
        "controls/program.yaml",
        "    catalog: soc2-2017\n",
        f"    catalog: soc2-2017\n    baseline: {MARKERS[3]}\n",
    )
    results = check_and_build(runner, base_repo)
    assert results["build"].exit_code == 0, results["build"].output
    assert "not a git repository" in results["build"].stderr  # the baseline is skipped, with a warning
    site = site_snapshot(base_repo)
    assert site
    for name, data in site.items():
        text = data.decode("utf-8", "replace")
        assert not [m for m in MARKERS if m in text], name
    internal = (base_repo / "build/gap-report/gap-report.md").read_text()
    assert all(m in internal for m in MARKERS)  # they are in the report, so the screen above means something


def test_hostile_text_stays_text_in_html(base_repo: Path) -> None:
    with_fields(base_repo, HOSTILE, HOSTILE, HOSTILE)
    report = gaps.build(pipeline.run(base_repo).model)
    change = gaps.StatusChange("soc2", "CC6.1", HOSTILE, gaps.ReqStatus.MET, gaps.ReqStatus.NOT_MET, HOSTILE)
    since = gaps.Changes(HOSTILE, None, (change,), (HOSTILE,), (), (), (), frameworks=(HOSTILE,), skipped=None)
    skipped = dataclasses.replace(since, skipped=HOSTILE)
    html = RENDERERS["html"](dataclasses.replace(report, baselines=(since, skipped))).decode()
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 8
    data = json.loads(RENDERERS["json"](report))
    assert data["statement_of_applicability"]["approval"]["approved_by"] == HOSTILE  # data, for a program to escape


def test_a_reason_that_looks_like_a_formula_stays_text(base_repo: Path) -> None:
    with_fields(base_repo, FORMULA, FORMULA, FORMULA)
    report = gaps.build(pipeline.run(base_repo).model)
    files = tables.csv_files(report)
    soa = list(csv.reader(io.StringIO(files["statement-of-applicability.csv"].decode())))
    assert soa[2] == ["Approved by", "'" + FORMULA]
    assert any(row[-1] == "'" + FORMULA for row in soa[6:])  # the reason for inclusion
    assert any(row[-1] == "'" + FORMULA for row in csv.reader(io.StringIO(files["scope.csv"].decode())))
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))
    cells = [
        c
        for name in ("Statement of Applicability", "Scope")
        for row in book[name].iter_rows()
        for c in row
        if c.value == FORMULA
    ]
    assert len(cells) >= 4 and all(c.data_type == "s" for c in cells)


def test_copied_onto_a_public_page_they_are_refused(runner, base_repo: Path) -> None:
    """The leak guard holds them as internal values, as it does not-applicable justifications."""
    approver, reason = "Zebra Approver of the Statement", "Kept in because the zebra risk treatment plan requires it."
    exclusion = "Left out because the zebra privacy programme is audited on its own."
    with_fields(base_repo, approver, reason, exclusion)
    (base_repo / "site/about.md").write_text(f"# About\n\n{approver}. {reason} {exclusion}\n", encoding="utf-8")
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == 1, f"{command}: {result.output}"
        for what in ("the SoA's approver", "the SoA reason", "the scope exclusion"):
            assert f"site/about.md contains {what} of " in result.output, f"{command}: {result.output}"
    assert site_snapshot(base_repo) == {}
