"""The evidence-collection CI examples: nightly and by hand, least privilege, no secret in a log,
a pull or merge request only when something was collected, and red when a collector failed."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
from pathlib import Path

import click
import pytest
import yaml

from plaintrust import cli
from plaintrust.errors import ExitCode

ROOT = Path(__file__).parents[2]
GITHUB = ROOT / "examples/ci/github-collect-evidence.yml"
GITLAB = ROOT / "examples/ci/gitlab-collect-evidence.yml"
TEMPLATE = ROOT / "generator/plaintrust/templates/init/dot-github/workflows/collect-evidence.yml"
HOW_TO = ROOT / "docs/content/how-to/publish-from-ci.md"
TOKEN = "canary-token-5f0c2a9e"


def _github() -> dict:
    workflow = yaml.safe_load(GITHUB.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads a bare `on` as true
    return workflow


def _steps() -> list[dict]:
    return _github()["jobs"]["collect"]["steps"]


def _step(name: str) -> dict:
    return next(s for s in _steps() if s.get("name") == name)


def _gitlab_script() -> list[str]:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["collect-evidence"]["script"]


def _is_command(words: list[str]) -> bool:
    """`plaintrust evidence collect --due` names a real (sub)command whose options parse."""
    command: click.Command = cli.cli
    rest = words[1:]
    while isinstance(command, click.Group) and rest and not rest[0].startswith("-"):
        command = command.commands.get(rest.pop(0))
        if command is None:
            return False
    return command.make_context("plaintrust", list(rest), resilient_parsing=False) is not None


def _plaintrust_lines(script: str) -> list[list[str]]:
    lines = [line.strip().split("||")[0] for line in script.splitlines()]
    return [shlex.split(line) for line in lines if line.startswith("plaintrust ")]


@pytest.mark.parametrize("path", [GITHUB, GITLAB, TEMPLATE])
def test_the_examples_parse_and_never_trace_or_take_untrusted_triggers(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace("{{plaintrust_requirement}}", '""')  # as `init` fills it
    assert isinstance(yaml.safe_load(text), dict)
    assert "pull_request_target" not in text
    assert "set -x" not in text.replace("Never add `set -x`", "")
    assert "plaintrust evidence collect --due" in text


def test_github_runs_nightly_and_by_hand_with_the_least_permissions() -> None:
    workflow = _github()
    assert set(workflow["on"]) == {"schedule", "workflow_dispatch"}
    assert workflow["on"]["schedule"][0]["cron"].endswith("* * *")
    assert workflow["permissions"] == {"contents": "write", "pull-requests": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert workflow["concurrency"]["cancel-in-progress"] is False


def test_github_pins_its_actions_and_passes_secrets_only_through_the_environment() -> None:
    for step in _steps():
        if "uses" in step:
            assert step["uses"].split("@")[1].startswith("v"), step
        assert "secrets." not in step.get("run", "") and "github.token" not in step.get("run", "")
    assert "secrets." in str(_step("Collect the evidence that is due")["env"])
    assert _step("Open a pull request with the new records")["env"] == {"GH_TOKEN": "${{ github.token }}"}


def test_every_plaintrust_command_in_the_collect_examples_is_real() -> None:
    lines = [words for step in _steps() for words in _plaintrust_lines(step.get("run", ""))]
    lines += [words for line in _gitlab_script() for words in _plaintrust_lines(line.split(";")[-1])]
    assert [w[:3] for w in lines].count(["plaintrust", "evidence", "collect"]) == 2
    assert all(_is_command(words) for words in lines), lines


def test_github_opens_the_pull_request_before_it_fails_for_a_collector() -> None:
    names = [s.get("name") for s in _steps()]
    opened, failed = (
        names.index("Open a pull request with the new records"),
        names.index("Fail when a collector failed"),
    )
    assert names.index("Collect the evidence that is due") < opened < failed
    assert "steps.collect.outputs.status" in _steps()[failed]["if"]
    assert "gh pr create" in _steps()[opened]["run"] and "git status --porcelain" in _steps()[opened]["run"]


def test_gitlab_runs_on_a_schedule_and_opens_a_merge_request_with_push_options() -> None:
    pipeline = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    job = pipeline["collect-evidence"]
    assert job["stage"] in pipeline["stages"] and job["variables"]["GIT_DEPTH"] == 0
    assert "schedule" in job["rules"][0]["if"]
    script = "\n".join(job["script"])
    assert "-o merge_request.create" in script and '-o merge_request.target="$CI_DEFAULT_BRANCH"' in script
    assert "git status --porcelain" in script
    assert script.index("git push") < script.rindex('if [ "$status" -ne 0 ]')  # red only after the request
    # The push token appears in the push address alone, never echoed.
    assert [line.strip() for line in script.splitlines() if "PLAINTRUST_PUSH_TOKEN}" in line] == [
        '"https://collect-evidence:${PLAINTRUST_PUSH_TOKEN}@${CI_SERVER_HOST}/${CI_PROJECT_PATH}.git" \\'
    ]
    assert "echo" not in " ".join(line for line in script.splitlines() if "TOKEN" in line)


def test_init_writes_the_collect_workflow_as_the_example_ships_it(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["init", str(tmp_path / "t"), "--source", ""])
    assert result.exit_code == ExitCode.OK, result.output
    written = (tmp_path / "t/.github/workflows/collect-evidence.yml").read_bytes()
    assert written == GITHUB.read_bytes()
    requirement = "plaintrust @ git+https://github.com/acme/plaintrust@0123456789abcdef0123456789abcdef01234567"
    assert runner.invoke(cli.cli, ["init", str(tmp_path / "u"), "--source", requirement]).exit_code == ExitCode.OK
    workflow = yaml.safe_load((tmp_path / "u/.github/workflows/collect-evidence.yml").read_text(encoding="utf-8"))
    assert workflow["env"]["PLAINTRUST"] == requirement


def test_the_how_to_page_shows_both_collect_examples() -> None:
    text = HOW_TO.read_text(encoding="utf-8")
    for name in ("github-collect-evidence.yml", "gitlab-collect-evidence.yml"):
        assert f"<!-- include: ../examples/ci/{name} -->" in text


# The pull-request step, run for real against a local remote with a stand-in for `gh`.


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    remote, work = tmp_path / "remote.git", tmp_path / "work"
    _git(tmp_path, "init", "--quiet", "--bare", str(remote))
    _git(tmp_path, "init", "--quiet", "-b", "main", str(work))
    (work / "evidence").mkdir()
    (work / "evidence/ledger.jsonl").write_text("{}\n")
    _git(work, "add", "-A")
    _git(work, "-c", "user.name=t", "-c", "user.email=t@t.invalid", "commit", "--quiet", "-m", "start")
    _git(work, "remote", "add", "origin", str(remote))
    _git(work, "push", "--quiet", "origin", "main")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    gh = bin_dir / "gh"
    gh.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > "$GH_ARGS"\n')
    gh.chmod(0o755)
    return work


def _open_pull_request(work: Path) -> subprocess.CompletedProcess:
    if shutil.which("bash") is None:
        pytest.skip("no bash here")
    env = {
        "PATH": f"{work.parent / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(work.parent),
        "GH_TOKEN": TOKEN,
        "GH_ARGS": str(work.parent / "gh-args"),
    }
    script = _step("Open a pull request with the new records")["run"]
    return subprocess.run(["bash", "-e", "-c", script], cwd=work, env=env, capture_output=True, text=True)


def test_nothing_collected_opens_no_pull_request(checkout: Path) -> None:
    done = _open_pull_request(checkout)
    assert done.returncode == 0, done.stderr
    assert "Nothing new was collected." in done.stdout
    assert not (checkout.parent / "gh-args").exists()
    assert _git(checkout.parent / "remote.git", "branch", "--list").split() == ["main"]


def test_new_records_go_on_a_dated_branch_and_a_pull_request(checkout: Path) -> None:
    (checkout / "evidence/files/tls").mkdir(parents=True)
    (checkout / "evidence/files/tls/2026-12-01.json").write_text("{}\n")
    (checkout / "notes.txt").write_text("not evidence\n")  # left out of the commit
    done = _open_pull_request(checkout)
    assert done.returncode == 0, done.stderr
    branches = _git(checkout.parent / "remote.git", "branch", "--list", "--format=%(refname:short)").split()
    (branch,) = [b for b in branches if b != "main"]
    assert branch.startswith("collect-evidence/20")
    files = _git(checkout, "show", "--name-only", "--format=", branch).split()
    assert files == ["evidence/files/tls/2026-12-01.json"]
    args = (checkout.parent / "gh-args").read_text().splitlines()
    assert args[:4] == ["pr", "create", "--head", branch]
    assert TOKEN not in done.stdout + done.stderr
