"""The pre-commit hooks and the CI examples: they parse, name real commands, and never publish the gap report."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import yaml

from plaintrust import cli

ROOT = Path(__file__).parents[2]
HOW_TO = ROOT / "docs/content/how-to"
DOCS = "".join((HOW_TO / name).read_text(encoding="utf-8") for name in ("pre-commit.md", "publish-from-ci.md"))
GITHUB = ROOT / "examples/ci/github-actions.yml"
GITLAB = ROOT / "examples/ci/gitlab-ci.yml"


def _is_command(words: list[str]) -> bool:
    """`plaintrust evidence verify --format github` names a real (sub)command; its options parse."""
    assert words[0] == "plaintrust", words
    command: click.Command = cli.cli
    rest = words[1:]
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        command = command.commands.get(rest.pop(0))
        if command is None:
            return False
    context = command.make_context("plaintrust", list(rest), resilient_parsing=False)
    return context is not None


def _plaintrust_lines(script: str) -> list[list[str]]:
    return [shlex.split(line) for line in script.splitlines() if line.strip().startswith("plaintrust ")]


def test_the_pre_commit_hooks_parse_and_name_real_commands() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"plaintrust-check", "plaintrust-evidence-verify"}
    assert hooks["plaintrust-check"]["entry"] == "plaintrust check"
    assert hooks["plaintrust-evidence-verify"]["entry"] == "plaintrust evidence verify"
    for hook in hooks.values():
        assert hook["pass_filenames"] is False and hook["language"] == "python" and hook["name"]
        assert _is_command(shlex.split(hook["entry"]))
        assert f"id: {hook['id']}" in DOCS


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("controls/access/ac-01.yaml", True),
        ("controls/program.yaml", True),
        ("evidence/files/x.csv", True),
        ("site/trust.yaml", True),
        ("frameworks/nist.yaml", True),
        ("policies/access-control.md", True),
        ("mkdocs.yml", True),
        ("README.md", False),
        ("docs/mkdocs.yml", False),
        ("build/site/index.html", False),
    ],
)
def test_the_check_hook_runs_on_repository_files_only(path: str, runs: bool) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert bool(re.search(hooks["plaintrust-check"]["files"], path)) is runs


def _github() -> dict:
    workflow = yaml.safe_load(GITHUB.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads a bare `on` as true
    return workflow


def _steps(job: dict) -> list[dict]:
    return job["steps"]


def test_the_github_workflow_checks_pull_requests_with_annotations() -> None:
    workflow = _github()
    assert {"pull_request", "push"} <= set(workflow["on"]) and workflow["on"]["push"]["branches"] == ["main"]
    check = workflow["jobs"]["check"]
    assert "pull_request" in check["if"] and "!=" not in check["if"]
    runs = [s["run"] for s in _steps(check) if "run" in s]
    assert "plaintrust check --format github" in runs


def test_the_github_workflow_publishes_the_site_and_keeps_the_gap_report_private() -> None:
    jobs = _github()["jobs"]
    build = _steps(jobs["build"])
    assert "pull_request" in jobs["build"]["if"] and "!=" in jobs["build"]["if"]
    assert any(s.get("run", "").startswith("plaintrust build") for s in build)
    pages = [s for s in build if s.get("uses", "").startswith("actions/upload-pages-artifact@")]
    assert [s["with"]["path"].rstrip("/") for s in pages] == ["build/site"]
    artifact = [s for s in build if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert [s["with"]["path"].rstrip("/") for s in artifact] == ["build/gap-report"]
    assert 1 <= artifact[0]["with"]["retention-days"] <= 90
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert [s["uses"].split("@")[0] for s in _steps(deploy)] == ["actions/deploy-pages"]
    text = GITHUB.read_text()
    # The gap report goes nowhere near Pages: its path appears in the artifact step alone.
    assert text.count("build/gap-report") == 2 and "gap-report" not in str(pages)


def test_the_gitlab_pipeline_publishes_only_the_site() -> None:
    pipeline = yaml.safe_load(GITLAB.read_text())
    assert pipeline["pages"]["artifacts"]["paths"] == ["public"]
    assert "cp -r build/site public" in pipeline["pages"]["script"]
    assert not any("gap-report" in line for line in pipeline["pages"]["script"])
    report = pipeline["gap-report"]["artifacts"]
    assert report["paths"] == ["build/gap-report/"] and report["access"] == "developer"
    assert "merge_request_event" in pipeline["check"]["rules"][0]["if"]


def test_every_plaintrust_command_in_the_examples_is_real() -> None:
    github = _github()
    lines = [
        words
        for job in github["jobs"].values()
        for step in job["steps"]
        for words in _plaintrust_lines(step.get("run", ""))
    ]
    gitlab = yaml.safe_load(GITLAB.read_text())
    lines += [
        shlex.split(line)
        for job in gitlab.values()
        if isinstance(job, dict)
        for line in job.get("script", [])
        if line.startswith("plaintrust ")
    ]
    assert len(lines) >= 6
    assert all(_is_command(words) for words in lines)


def test_the_how_to_pages_show_the_examples_and_hooks() -> None:
    for name in (
        "<!-- include: ../examples/ci/github-actions.yml -->",
        "<!-- include: ../examples/ci/gitlab-ci.yml -->",
        ".pre-commit-hooks.yaml",
    ):
        assert name in DOCS


def test_pre_commit_accepts_the_hooks_manifest_and_the_config_init_writes(runner, tmp_path: Path) -> None:
    import subprocess
    import sys

    assert runner.invoke(cli.cli, ["init", str(tmp_path / "t"), "--source", ""]).exit_code == 0
    for verb, path in (
        ("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
        ("validate-config", tmp_path / "t/.pre-commit-config.yaml"),
    ):
        done = subprocess.run([sys.executable, "-m", "pre_commit", verb, str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
