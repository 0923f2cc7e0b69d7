"""Since the last audit, built in: each framework's `baseline` (a git ref in program.yaml) gives the
gap report its changes section without a flag; `--since` still overrides it for every framework.

The repository is tests/fixtures/gap-mini with a second framework, `twin`, on the same catalog.
History made here: audit-a (the fixture), then audit-b (C-PLANNED became partial), then the
working tree adds C-NEW for R4 in both frameworks. Commits are dated 2026-09-15.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import TESTS, edit, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.internal import baselines, history, reportbuild
from plaintrust.internal.render import RENDERERS
from plaintrust.schemas import schema

TWIN = (
    "  - id: twin\n    catalog: frameworks/mini.yaml\n    scope: [core]\n"
    "    scope_exclusions: {extra: Left to a later audit.}\n    baseline: audit-b\n"
)
C_NEW = (
    "id: C-NEW\ntitle: New control\nstatus: implemented\nowner: dan@mini.example\nfrequency: annual\n"
    "satisfies: {mini: [R4], twin: [R4]}\n"
)


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), *args],
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_DATE": "2026-09-15T12:00:00Z",
            "GIT_COMMITTER_DATE": "2026-09-15T12:00:00Z",
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(repo),
            "PATH": "/usr/bin:/bin",
        },
    )


def commit(repo: Path, tag: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", tag)
    git(repo, "tag", tag)


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    repo = tmp_path / "mini"
    shutil.copytree(TESTS / "fixtures" / "gap-mini", repo)
    program = repo / "controls/program.yaml"
    program.write_text(program.read_text() + "    baseline: audit-a\n" + TWIN)
    return repo


@pytest.fixture
def history_made(mini: Path) -> Path:
    git(mini, "init", "-q")
    commit(mini, "audit-a")
    edit(mini, "controls/c-planned.yaml", "status: planned", "status: partial")
    commit(mini, "audit-b")
    write(mini, "controls/c-new.yaml", C_NEW)
    return mini


def gaps_json(runner, repo: Path, *extra: str):
    """`plaintrust gaps --format json`: the click result and the report, held to its published schema."""
    result = runner.invoke(cli.cli, ["gaps", "--root", str(repo), "--format", "json", *extra])
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    report = json.loads(result.stdout) if result.stdout.startswith("{") else None
    if report is not None:
        Draft202012Validator(schema("gap-report")).validate(report)
    return result, report


def moves(changes: dict) -> dict[tuple[str, str], tuple[str, str, str]]:
    return {(r["framework"], r["id"]): (r["before"], r["after"], r["why"]) for r in changes["requirements"]}


def test_each_framework_is_compared_with_its_own_baseline(runner, history_made: Path) -> None:
    _, report = gaps_json(runner, history_made)
    assert "changes" not in report
    mini, twin = report["baselines"]
    assert (mini["since"], mini["frameworks"], mini["since_date"]) == ("audit-a", ["mini"], "2026-09-15")
    assert (twin["since"], twin["frameworks"]) == ("audit-b", ["twin"])
    assert moves(mini) == {
        ("mini", "R2"): (
            "met",
            "partially met",
            "C-STALE is now weak: evidence 'baseline-2025' is stale since 2026-10-01",
        ),
        ("mini", "R3"): ("not met", "partially met", "C-PLANNED is now weak: C-PLANNED is partial"),
        ("mini", "R4"): ("not met", "partially met", "control C-NEW added"),
    }
    assert moves(twin) == {("twin", "R4"): ("not met", "partially met", "control C-NEW added")}
    assert mini["controls_added"] == twin["controls_added"] == ["C-NEW"]


def test_each_distinct_ref_is_checked_out_once(history_made: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(history_made, "controls/program.yaml", "baseline: audit-b", "baseline: audit-a")
    seen: list[str] = []
    real = history.checkout

    def counting(root: Path, ref: str, into: Path):
        seen.append(ref)
        return real(root, ref, into)

    monkeypatch.setattr(history, "checkout", counting)
    report = reportbuild.report(pipeline.run(history_made))
    assert seen == ["audit-a"]
    assert [(c.since, c.frameworks) for c in report.baselines] == [("audit-a", ("mini", "twin"))]


def test_sigterm_removes_the_copy_of_a_baseline(
    history_made: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminated(Exception):
        pass

    def before(signum: int, frame: object) -> None:
        raise Terminated  # what runs when SIGTERM is not handled as Ctrl+C (the default would end pytest)

    def terminated(root: Path, ref: str, into: Path):
        day = real(root, ref, into)
        os.kill(os.getpid(), signal.SIGTERM)  # while the copy exists
        return day

    real, temporary = history.checkout, tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(history, "checkout", terminated)
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    result = pipeline.run(history_made)
    previous = signal.signal(signal.SIGTERM, before)
    try:
        with pytest.raises(KeyboardInterrupt):
            reportbuild.report(result)
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert list(temporary.iterdir()) == []


def test_since_overrides_every_baseline(runner, history_made: Path) -> None:
    _, report = gaps_json(runner, history_made, "--since", "audit-b")
    assert "baselines" not in report
    assert report["changes"]["since"] == "audit-b" and report["changes"]["frameworks"] == []
    assert set(moves(report["changes"])) == {
        ("mini", "R2"),
        ("mini", "R4"),
        ("twin", "R4"),
    }  # not R3: partial at audit-b


def test_the_changes_and_their_reasons_in_markdown_and_html(history_made: Path) -> None:
    report = reportbuild.report(pipeline.run(history_made))
    markdown = RENDERERS["md"](report).decode()
    assert "## Changes since audit-a (2026-09-15) for mini\n" in markdown
    assert "| twin | R4 | Nobody's job | not met | partially met | control C-NEW added |" in markdown
    html = RENDERERS["html"](report).decode()
    assert '<section id="changes">' in html and '<section id="changes-2">' in html
    assert "<td>C-PLANNED is now weak: C-PLANNED is partial</td>" in html
    assert '<a href="#r-twin-R4">R4</a>' in html


def test_a_baseline_that_names_no_commit_is_an_error_at_its_position(runner, history_made: Path) -> None:
    edit(history_made, "controls/program.yaml", "baseline: audit-b", "baseline: audit-zz")
    result, _ = gaps_json(runner, history_made)
    assert result.exit_code == ExitCode.FINDINGS
    line = next(
        n
        for n, text in enumerate((history_made / "controls/program.yaml").read_text().splitlines(), 1)
        if "audit-zz" in text
    )
    assert f"controls/program.yaml:{line}:15: the baseline 'audit-zz' of twin is no commit" in result.stderr
    assert "Traceback" not in result.output


def test_without_git_history_the_changes_are_skipped_with_a_warning(runner, mini: Path) -> None:
    result, report = gaps_json(runner, mini)
    assert (
        "warning: the changes since each framework's baseline are left out: the repository is not a git repository"
        in result.stderr
    )
    assert [(c["since"], c["skipped"], c["requirements"]) for c in report["baselines"]] == [
        ("audit-a", "the repository is not a git repository", []),
        ("audit-b", "the repository is not a git repository", []),
    ]
    markdown = RENDERERS["md"](reportbuild.report(pipeline.run(mini))).decode()
    assert "## Changes since audit-b for twin\n\nNot compared: the repository is not a git repository.\n" in markdown


def test_a_repository_without_commits_is_skipped_too(mini: Path) -> None:
    git(mini, "init", "-q")
    assert history.missing_history(mini) == "the repository has no commits yet"
    assert all(c.skipped for c in baselines.per_baseline(pipeline.run(mini), reportbuild.report(pipeline.run(mini))))


def test_without_baselines_nothing_runs_git(base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(history, "missing_history", lambda root: pytest.fail("git asked without a baseline"))
    assert reportbuild.report(pipeline.run(base_repo)).baselines == ()


def test_a_baseline_must_look_like_a_git_ref(base_repo: Path) -> None:
    edit(
        base_repo,
        "controls/program.yaml",
        "    catalog: iso27001-2022\n",
        "    catalog: iso27001-2022\n    baseline: --upload-pack=evil\n",
    )
    assert [d.rule for d in pipeline.run(base_repo).diagnostics] == ["schema"]


def test_build_stops_on_a_missing_baseline_before_building_anything(runner, base_repo: Path) -> None:
    edit(
        base_repo,
        "controls/program.yaml",
        "    catalog: iso27001-2022\n",
        "    catalog: iso27001-2022\n    baseline: iso-2025-audit\n",
    )
    git(base_repo, "init", "-q")
    commit(base_repo, "first")
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert "controls/program.yaml:10:15: the baseline 'iso-2025-audit' of iso27001 is no commit" in result.stderr
    assert not (base_repo / "build").exists() and "Traceback" not in result.output


def test_a_shallow_clone_without_the_tag_skips_the_changes_with_a_warning(
    runner, history_made: Path, tmp_path: Path
) -> None:
    """CI checkouts are shallow and fetch no tags: the report is still written, the site still built."""
    commit(history_made, "latest")
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", "--no-tags", f"file://{history_made}", str(clone)],
        check=True,
        capture_output=True,
    )
    result, report = gaps_json(runner, clone)
    assert report is not None, result.output  # written (the fixture's own R6 error aside)
    assert "warning: the changes since audit-a are left out: this clone is shallow and lacks it" in result.stderr
    assert {c["skipped"] for c in report["baselines"]} == {
        "this clone is shallow and lacks it (fetch the tags and history, e.g. fetch-depth: 0)"
    }


def test_a_baseline_from_before_the_program_is_noted_not_fatal(runner, tmp_path: Path) -> None:
    repo = tmp_path / "adopted"
    repo.mkdir()
    write(repo, "README.md", "Before the compliance program.\n")
    git(repo, "init", "-q")
    commit(repo, "before-program")
    shutil.copytree(TESTS / "fixtures" / "gap-mini", repo, dirs_exist_ok=True)
    program = repo / "controls/program.yaml"
    program.write_text(program.read_text() + "    baseline: before-program\n")
    result, report = gaps_json(runner, repo)
    assert report is not None, result.output
    assert report["baselines"][0]["skipped"] == "the repository at before-program has no usable controls/program.yaml"
