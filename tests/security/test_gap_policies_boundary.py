"""Policies in the gap report and the audit package are internal: their owner, approver and ledger
line stay in the report, never on the public site, and their text reaches each format as text,
never as live markup, a link or a spreadsheet formula."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from helpers import check_and_build, site_snapshot, write
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal.render import RENDERERS

HOSTILE = '<script>alert(1)</script><a href="javascript:alert(2)">x</a>'
FORMULA = '=HYPERLINK("https://evil.example","x")'
OWNER, APPROVER = "zebra-owner-7731@test.example", "Zebra Approver 7731"

POLICY = """\
---
id: access-control
title: {title}
version: "1.0"
owner: {owner}
approved_by: {approver}
approved_on: 2026-06-01
review: annual
effective: 2026-06-15
satisfies:
  soc2: [CC6.1]
  iso27001: [A.5.15, A.5.16]
public: full
---
Each person gets only the access their job needs.
"""


def with_policy(repo: Path, title: str, owner: str, approver: str) -> None:
    for old in (repo / "policies").glob("*.md"):
        old.unlink()
    text = POLICY.format(title=json.dumps(title), owner=json.dumps(owner), approver=json.dumps(approver))
    write(repo, "policies/access-control.md", text)


def test_the_public_site_never_shows_the_owner_or_the_approver(runner, base_repo: Path) -> None:
    with_policy(base_repo, "Access control policy", OWNER, APPROVER)
    results = check_and_build(runner, base_repo)
    assert results["build"].exit_code in (0, 1), results["build"].output
    site = site_snapshot(base_repo)
    assert site
    for name, data in site.items():
        text = data.decode("utf-8", "replace")
        assert OWNER not in text and APPROVER not in text, name
    internal = (base_repo / "build/gap-report/gap-report.md").read_text()
    assert OWNER in internal and APPROVER in internal  # in the report, so the screen above means something


def test_hostile_policy_text_stays_text_in_html(base_repo: Path) -> None:
    with_policy(base_repo, HOSTILE, HOSTILE, HOSTILE)
    html = RENDERERS["html"](gaps.build(pipeline.run(base_repo).model)).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html[html.index('<section id="policies">') :]
    assert "<script>alert(1)" not in html and 'href="javascript:' not in html


def test_a_formula_stays_text_in_the_workbook(base_repo: Path) -> None:
    with_policy(base_repo, FORMULA, FORMULA, FORMULA)
    data = RENDERERS["xlsx"](gaps.build(pipeline.run(base_repo).model))
    sheet = load_workbook(io.BytesIO(data))["Policies"]
    assert [(c.value, c.data_type) for c in sheet[2][1:5:2]] == [(FORMULA, "s"), (FORMULA, "s")]  # title, owner
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert not any(re.search(r"<f[ >]", s) for s in sheets)
