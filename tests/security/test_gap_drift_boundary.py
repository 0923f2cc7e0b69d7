"""The gap report's drifting controls are internal, and the team's own text in them stays text: a
control title or a watched path carrying markup reaches the HTML and Markdown report escaped, never
as a live tag or a javascript: link, and the watched path never reaches the public site."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

from helpers import check_and_build, edit, site_snapshot, write
from plaintrust import pipeline
from plaintrust.internal import gaps
from plaintrust.internal.render import RENDERERS
from plaintrust.model import WatchChange, WatchFact

TITLE = '<script>alert(1)</script><a href="javascript:alert(2)">x</a> [y](javascript:alert(3)) ![i](x) a | b'
PATH = "infra/<script>alert(4)</script>javascript:alert(5).tf"
SPEC = "infra/*.tf"
SECRET_PATH = "infra/zebra-idp-7731.tf"


def hostile_report(repo: Path) -> gaps.GapReport:
    ac01 = "controls/access/ac-01.yaml"
    edit(repo, ac01, "title: Multi-factor authentication for workforce access\n", f"title: {json.dumps(TITLE)}\n")
    edit(repo, ac01, "evidence: [mfa-policy]\n", f'evidence: [mfa-policy]\nwatches: ["{SPEC}"]\n')
    model = pipeline.run(repo).model
    assert model.controls_by_id["AC-01"].title == TITLE and model.controls_by_id["AC-01"].watches
    change = WatchChange(PATH, dt.date(2026, 11, 20), "ab" * 20)
    model = dataclasses.replace(model, watch_facts={SPEC: WatchFact((PATH,), change)}, watch_unknown=None)
    report = gaps.build(model)
    assert [(d.title, d.path) for d in report.drift] == [(TITLE, PATH)]
    return report


def test_hostile_titles_and_paths_stay_text_in_the_html_report(base_repo: Path) -> None:
    html = RENDERERS["html"](hostile_report(base_repo)).decode()
    start = html.index('<section id="drift">')
    section = html[start : html.index("</section>", start)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in section and "&lt;script&gt;alert(4)&lt;/script&gt;" in section
    assert "<script>alert" not in html and 'href="javascript:' not in html


def test_hostile_titles_and_paths_stay_text_in_the_markdown_report(base_repo: Path) -> None:
    markdown = RENDERERS["md"](hostile_report(base_repo)).decode()
    start = markdown.index("## Drifting controls")
    section = markdown[start : markdown.index("\n## ", start)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" not in section  # parentheses are escaped too
    assert "&lt;script&gt;alert\\(1\\)&lt;/script&gt;" in section and "&lt;script&gt;alert\\(4\\)" in section
    assert "<script" not in section and "<a " not in section
    assert "\\[y\\]\\(javascript:alert\\(3\\)\\)" in section and "\\!\\[i\\]\\(x\\)" in section
    assert not re.search(r"(?<!\\)[\[\]()!]", section.split("| AC-01 |", 1)[1])  # no link or image survives
    row = next(line for line in section.splitlines() if line.startswith("| AC-01 |"))
    assert row.count(" | ") == 7  # the title's text never adds a cell


def test_the_watched_path_never_reaches_the_public_site(runner, base_repo: Path) -> None:
    watches = f"evidence: [mfa-policy]\nwatches: [{SECRET_PATH}]\n"
    edit(base_repo, "controls/access/ac-01.yaml", "evidence: [mfa-policy]\n", watches)
    write(base_repo, SECRET_PATH, "mfa = true\n")
    results = check_and_build(runner, base_repo)
    assert results["build"].exit_code in (0, 1), results["build"].output
    site = site_snapshot(base_repo)
    assert site
    for name, data in site.items():
        assert b"zebra-idp-7731" not in data, name
    report = (base_repo / "build/gap-report/gap-report.md").read_text()
    assert "## Drifting controls" in report  # the section is there (git is not: drift was not checked)
