"""The gap report's "Drifting controls" section, in every format.

The base repository, judged on 2026-11-22: AC-01's newest evidence (mfa-policy) was collected on
2026-11-01, and AC-01 watches infra/idp.tf. Git is not asked: the model is given what git would say
(`watch_facts`), so each case states its change day and commit.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from openpyxl import load_workbook

from helpers import edit, write
from plaintrust import cli, pipeline
from plaintrust.internal import gaps
from plaintrust.internal.render import RENDERERS, tables
from plaintrust.model import Model, WatchChange, WatchFact
from plaintrust.schemas import schema

SPEC = "infra/idp.tf"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
SHORT = COMMIT[:12]
CHANGED, EVIDENCE = dt.date(2026, 11, 20), dt.date(2026, 11, 1)
NONE_DRIFT = "No watched file changed after its control's newest evidence or, when later, its drift confirmation."
PUBLIC = "The public status is not affected until evidence lapses."
NOT_CHECKED = "Drift was not checked: the repository is not a git repository."


@pytest.fixture
def watched(base_repo: Path) -> Path:
    edit(
        base_repo,
        "controls/access/ac-01.yaml",
        "evidence: [mfa-policy]\n",
        f"evidence: [mfa-policy]\nwatches: [{SPEC}]\n",
    )
    write(base_repo, SPEC, 'resource "idp_policy" "mfa" {}\n')
    return base_repo


def model_of(repo: Path, changed: dt.date | None = CHANGED, unknown: str | None = None) -> Model:
    """The repository's model with git's answer stated: the watched file last changed on `changed`."""
    model = pipeline.run(repo).model
    assert model.controls_by_id["AC-01"].watches, "the control's watches were not read"
    change = None if changed is None else WatchChange(SPEC, changed, COMMIT)
    facts = {} if unknown else {SPEC: WatchFact((SPEC,), change)}
    return dataclasses.replace(model, watch_facts=facts, watch_unknown=unknown)


def formats(report: gaps.GapReport) -> dict[str, str]:
    """Every text format: the HTML report, Markdown, JSON, the --format csv table and build's CSV files."""
    shown = {fmt: RENDERERS[fmt](report).decode() for fmt in ("html", "md", "json", "csv")}
    return {**shown, **{name: data.decode() for name, data in tables.csv_files(report).items()}}


def drift_section(html: str) -> str:
    start = html.index('<section id="drift">')
    return html[start : html.index("</section>", start)]


def md_section(markdown: str) -> str:
    start = markdown.index("## Drifting controls\n")
    return markdown[start : markdown.index("\n## ", start + 1)]


def valid(report: gaps.GapReport) -> dict:
    data = json.loads(RENDERERS["json"](report))
    errors = [e.message for e in Draft202012Validator(schema("gap-report")).iter_errors(data)]
    assert errors == []
    return data


def test_a_drifting_control_is_in_every_format(watched: Path) -> None:
    report = gaps.build(model_of(watched))
    assert report.drift == (
        gaps.DriftRow(
            "AC-01", "Multi-factor authentication for workforce access", SPEC, SPEC, CHANGED, SHORT, EVIDENCE, None
        ),
    )
    texts = formats(report)
    for name in ("html", "md", "json", "csv", "controls.csv", "drift.csv"):
        assert all(part in texts[name] for part in (SPEC, "2026-11-20", SHORT, "2026-11-01")), name
    section = drift_section(texts["html"])
    assert '<td class="id">AC-01</td>' in section and PUBLIC in section
    assert f"<code>{SPEC}</code>" in section and '<a href="#drift">Drifting controls</a>' in texts["html"]
    row = f"| AC-01 | Multi-factor authentication for workforce access | {SPEC} | {SPEC} | 2026-11-20 | {SHORT} | 2026-11-01 |   |"
    assert row in md_section(texts["md"]).splitlines() and PUBLIC in md_section(texts["md"])
    assert valid(report)["drift"] == [
        {
            "control": "AC-01",
            "title": "Multi-factor authentication for workforce access",
            "watch": SPEC,
            "path": SPEC,
            "changed_on": "2026-11-20",
            "commit": SHORT,
            "newest_evidence": "2026-11-01",
            "confirmed_on": None,
        }
    ]
    assert valid(report)["drift_unknown"] is None


def test_the_flat_tables_gain_a_drift_column(watched: Path) -> None:
    report = gaps.build(model_of(watched))
    text = f"{SPEC} changed 2026-11-20 (commit {SHORT}), newest evidence 2026-11-01"
    requirements = list(csv.DictReader(io.StringIO(RENDERERS["csv"](report).decode())))
    assert {r["Requirement"]: r["Drift"] for r in requirements if r["Controls"] == "AC-01"} == {
        "CC6.1": f"AC-01: {text}",
        "A.5.17": f"AC-01: {text}",
        "A.8.5": f"AC-01: {text}",
    }
    assert {r["Drift"] for r in requirements if r["Controls"] != "AC-01"} == {""}
    controls = list(csv.DictReader(io.StringIO(tables.csv_files(report)["controls.csv"].decode())))
    assert [(r["Framework"], r["Control"], r["Drift"]) for r in controls] == [
        ("soc2", "AC-01", text),
        ("iso27001", "AC-01", text),
    ]
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))
    sheet = [[c.value for c in row] for row in book["Drifting controls"].iter_rows()]
    assert sheet[0][0] == "Drifting controls" and PUBLIC in sheet[0][1]
    assert sheet[2][:4] == ["Control", "Title", "Watches", "Changed file"]
    assert sheet[3] == [
        "AC-01",
        "Multi-factor authentication for workforce access",
        SPEC,
        SPEC,
        dt.datetime(2026, 11, 20),
        SHORT,
        dt.datetime(2026, 11, 1),
        None,
    ]
    soc2 = [[c.value for c in row] for row in book["soc2"].iter_rows()]
    assert soc2[0][-1] == "Drift" and f"AC-01: {text}" in [row[-1] for row in soc2]


def test_a_confirmation_after_the_change_ends_the_drift(watched: Path) -> None:
    edit(watched, "controls/access/ac-01.yaml", "watches:", "drift_confirmed_on: 2026-11-21\nwatches:")
    report = gaps.build(model_of(watched))
    assert report.watched and report.drift == ()
    texts = formats(report)
    assert NONE_DRIFT in drift_section(texts["html"]) and NONE_DRIFT in md_section(texts["md"])
    for name in ("html", "md", "json", "csv", "controls.csv", "drift.csv"):
        assert SHORT not in texts[name] and "2026-11-20" not in texts[name], name
    assert valid(report)["drift"] == []


def test_two_watches_naming_one_changed_file_count_once(watched: Path) -> None:
    # A glob and a region of one control both see the same commit: one file, one control, one cell text.
    glob, region = "infra/[a-z]*.tf", f"{SPEC}#AC-01"
    edit(watched, "controls/access/ac-01.yaml", f"watches: [{SPEC}]", f'watches: ["{glob}", "{region}"]')
    change = WatchChange(SPEC, CHANGED, COMMIT)
    facts = {glob: WatchFact((SPEC,), change), region: WatchFact((SPEC,), change)}
    report = gaps.build(dataclasses.replace(pipeline.run(watched).model, watch_facts=facts, watch_unknown=None))
    assert [(d.watch, d.path) for d in report.drift] == [(glob, SPEC), (region, SPEC)]
    said = "1 watched file changed after the newest evidence of 1 control: collect fresh evidence"
    texts = formats(report)
    assert said in md_section(texts["md"])
    text = f"{SPEC} changed 2026-11-20 (commit {SHORT}), newest evidence 2026-11-01"
    controls = list(csv.DictReader(io.StringIO(texts["controls.csv"])))
    assert {r["Drift"] for r in controls} == {text}
    requirements = list(csv.DictReader(io.StringIO(texts["csv"])))
    assert {r["Drift"] for r in requirements if r["Controls"] == "AC-01"} == {f"AC-01: {text}"}
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))
    assert book["Drifting controls"]["B1"].value.startswith(said)


def test_the_count_names_files_and_controls(watched: Path) -> None:
    second = (watched / "controls/access/ac-01.yaml").read_text().replace("AC-01", "AC-02")
    write(
        watched, "controls/access/ac-02.yaml", second.replace(f"watches: [{SPEC}]", f"watches: [{SPEC}, infra/ci.yml]")
    )
    facts = {
        SPEC: WatchFact((SPEC,), WatchChange(SPEC, CHANGED, COMMIT)),
        "infra/ci.yml": WatchFact(("infra/ci.yml",), WatchChange("infra/ci.yml", CHANGED, COMMIT)),
    }
    model = dataclasses.replace(pipeline.run(watched).model, watch_facts=facts, watch_unknown=None)
    report = gaps.build(model)
    assert [(d.control, d.path) for d in report.drift] == [("AC-01", SPEC), ("AC-02", SPEC), ("AC-02", "infra/ci.yml")]
    assert "2 watched files changed after the newest evidence of 2 controls:" in md_section(formats(report)["md"])


def test_a_confirmation_before_the_change_is_shown_beside_it(watched: Path) -> None:
    edit(watched, "controls/access/ac-01.yaml", "watches:", "drift_confirmed_on: 2026-11-10\nwatches:")
    report = gaps.build(model_of(watched))
    assert [(d.control, d.confirmed_on) for d in report.drift] == [("AC-01", dt.date(2026, 11, 10))]
    assert "<td>2026-11-10</td>" in drift_section(formats(report)["html"])
    assert valid(report)["drift"][0]["confirmed_on"] == "2026-11-10"


@pytest.mark.parametrize("changed", [None, EVIDENCE, dt.date(2026, 10, 2)])
def test_no_change_after_the_evidence_says_so(watched: Path, changed: dt.date | None) -> None:
    report = gaps.build(model_of(watched, changed))  # never changed, or on or before the evidence's day
    texts = formats(report)
    assert NONE_DRIFT in drift_section(texts["html"]) and "<table" not in drift_section(texts["html"])
    assert md_section(texts["md"]) == f"## Drifting controls\n\n{NONE_DRIFT}\n"
    assert texts["drift.csv"].splitlines()[1:] == []
    assert valid(report)["drift"] == []


def test_without_git_history_drift_was_not_checked(watched: Path) -> None:
    report = gaps.build(model_of(watched, unknown="the repository is not a git repository"))
    texts = formats(report)
    assert NOT_CHECKED in drift_section(texts["html"]) and NONE_DRIFT not in texts["html"]
    assert md_section(texts["md"]) == f"## Drifting controls\n\n{NOT_CHECKED}\n"
    data = valid(report)
    assert (data["drift"], data["drift_unknown"]) == ([], "the repository is not a git repository")
    book = load_workbook(io.BytesIO(RENDERERS["xlsx"](report)))
    assert book["Drifting controls"]["B1"].value == NOT_CHECKED


def test_no_watches_no_section_in_any_format(base_repo: Path) -> None:
    report = gaps.build(pipeline.run(base_repo).model)
    assert (report.watched, report.drift, report.drift_unknown) == (False, (), None)
    texts = formats(report)
    assert "drift.csv" not in texts
    for name, text in texts.items():
        assert "drift" not in text.lower(), name
    assert "drift" not in valid(report)
    assert "Drifting controls" not in load_workbook(io.BytesIO(RENDERERS["xlsx"](report))).sheetnames


def test_gaps_on_a_copy_without_git_says_drift_was_not_checked(runner, watched: Path) -> None:
    result = runner.invoke(cli.cli, ["gaps", "--root", str(watched), "--format", "md"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"## Drifting controls\n\n{NOT_CHECKED}\n" in result.stdout
