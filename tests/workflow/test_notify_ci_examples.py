"""The email-digest CI examples: after a publish (never for a pull request), one run at a time, the
SMTP settings and the subscribers from secrets (never in a command line or the repository), the
record taken from main (not from the older commit a run may start from) and committed back so the
next run sends nothing twice, and red when a message could not be sent. Their shell runs for real:
the real `plaintrust notify` against a local SMTP server, then the commit of the record to a local
remote that gained a commit meanwhile; a stand-in `plaintrust` shows how each exit code is kept."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from helpers import EPOCH, OVERDUE, OVERDUE_NOTICE, edit, workflow, write
from smtp_inbox import Inbox, smtp_server

ROOT = Path(__file__).parents[2]
GITHUB = ROOT / "examples/ci/github-notify.yml"
GITLAB = ROOT / "examples/ci/gitlab-notify.yml"
PUBLISH = ROOT / "examples/ci/github-actions.yml"
TOKEN = "canary-token-3d7f1b20"
PASSWORD = "canary-password-a61c"
TAKE_STEP = "Take the record of what was sent from main"
NOTIFY_STEP = "Email what changed to the subscribers"
COMMIT_STEP = "Commit the record of what was sent"
SUBSCRIBERS = "ann@customer.example\nbo@other.example"
UNSUBSCRIBE = "https://lists.test.example/unsubscribe"
PLAINTRUST_BIN = shutil.which("plaintrust", path=str(Path(sys.executable).parent))
GITLAB_URL = f"https://notify:{TOKEN}@gitlab.test/acme/trust.git"


def _github() -> dict:
    return workflow(GITHUB)


def _steps() -> list[dict]:
    return _github()["jobs"]["notify"]["steps"]


def _step(name: str) -> dict:
    return next(s for s in _steps() if s.get("name") == name)


def _gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["notify"]


@pytest.mark.parametrize("path", [GITHUB, GITLAB])
def test_the_examples_parse_and_never_trace_or_take_untrusted_triggers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert isinstance(yaml.safe_load(text), dict)
    assert "pull_request_target" not in text and "set -x" not in text.replace("Never add `set -x`", "")
    assert "plaintrust notify" in text and "notifications" in text


def test_github_follows_the_publishing_workflow_with_the_least_permissions() -> None:
    notify = _github()
    assert notify["on"]["workflow_run"] == {
        "workflows": [workflow(PUBLISH)["name"]],
        "types": ["completed"],
        "branches": ["main"],
    }
    assert set(notify["on"]["workflow_dispatch"]["inputs"]) == {"since"}
    assert notify["permissions"] == {"contents": "write"} and notify["concurrency"]["cancel-in-progress"] is False
    condition = notify["jobs"]["notify"]["if"]
    assert "conclusion == 'success'" in condition and "event != 'pull_request'" in condition
    (checkout,) = [s for s in _steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False and checkout["with"]["fetch-depth"] == 0
    assert checkout["with"]["ref"].startswith("${{ github.event.workflow_run.head_sha")  # what was published


def test_github_passes_secrets_and_inputs_only_through_the_environment() -> None:
    for step in _steps():
        if "uses" in step:
            assert step["uses"].split("@")[1].startswith("v"), step
        assert "${{" not in step.get("run", "")  # no value is ever pasted into a shell script
    env = _step(NOTIFY_STEP)["env"]
    assert env["PLAINTRUST_SMTP_PASSWORD"] == "${{ secrets.PLAINTRUST_SMTP_PASSWORD }}"
    assert env["SUBSCRIBERS"] == "${{ secrets.PLAINTRUST_SUBSCRIBERS }}" and env["SINCE"] == "${{ inputs.since }}"
    assert [s["name"] for s in _steps() if "github.token" in str(s.get("env"))] == [TAKE_STEP, COMMIT_STEP]
    assert _step(COMMIT_STEP)["if"] == "${{ !cancelled() }}"  # the record of a run that failed halfway is kept too


def test_gitlab_follows_the_pages_job_one_run_at_a_time() -> None:
    job = _gitlab()
    assert job["needs"] == ["pages"] and job["resource_group"] == "notify"
    assert job["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    assert job["artifacts"]["access"] == "developer" and job["artifacts"]["when"] == "always"
    script = "\n".join(job["script"])
    assert "-o ci.skip" in script  # the record's commit starts no pipeline of its own
    assert "env -u PLAINTRUST_PUSH_TOKEN plaintrust notify" in script


# The shell, run for real.


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args], cwd=cwd, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def remote(base_repo: Path, tmp_path: Path) -> Path:
    """The trust-center repository with news since 1 November, pushed to a bare remote as main."""
    if shutil.which("bash") is None or PLAINTRUST_BIN is None:
        pytest.skip("needs bash and the plaintrust script")
    write(base_repo, OVERDUE_NOTICE, OVERDUE)
    edit(base_repo, "site/trust.yaml", "    state: in-progress\n", "    state: in-progress\n    started: 2026-11-16\n")
    write(base_repo, ".gitignore", ".plaintrust-cache/\nbuild/\n")
    bare = tmp_path / "remote.git"
    _git(tmp_path, "init", "--quiet", "--bare", str(bare))
    _git(bare, "config", "receive.advertisePushOptions", "true")
    _git(base_repo, "init", "--quiet", "-b", "main")
    _git(base_repo, "add", "-A")
    _git(base_repo, "commit", "--quiet", "-m", "start")
    _git(base_repo, "push", "--quiet", str(bare), "main")
    return bare


@pytest.fixture
def inbox(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    yield from smtp_server(monkeypatch, tls=False)


def _checkout(remote: Path, name: str, at: str = "main") -> Path:
    """A fresh clone at commit `at` (main's, unless a run for an older one), detached, as each CI run
    starts; then main gains a commit."""
    work = remote.parent / name
    _git(remote.parent, "clone", "--quiet", "--branch", "main", str(remote), str(work))
    _git(work, "switch", "--quiet", "--detach", at)
    other = remote.parent / f"{name}-meanwhile"
    _git(remote.parent, "clone", "--quiet", "--branch", "main", str(remote), str(other))
    write(other, "site/other.md", f"# Another page, {name}\n")
    _git(other, "add", "-A")
    _git(other, "commit", "--quiet", "-m", f"meanwhile {name}")
    _git(other, "push", "--quiet", "origin", "main")
    return work


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    kept = {k: os.environ[k] for k in ("PLAINTRUST_SMTP_HOST", "PLAINTRUST_SMTP_PORT")}
    return {
        "PATH": os.pathsep.join([str(Path(PLAINTRUST_BIN).parent), os.environ["PATH"]]),
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "SOURCE_DATE_EPOCH": EPOCH,
        "PLAINTRUST_SMTP_FROM": "news@test.example",
        **kept,
        **extra,
    }


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=120)


def _github_run(remote: Path, name: str, since: str = "", at: str = "main") -> str:
    """The step that takes main's record, the notify step, then the commit step, as the runner runs
    them in a checkout of `at`; their output."""
    work, tmp_path = _checkout(remote, name, at), remote.parent
    (tmp_path / "runner").mkdir(exist_ok=True)
    outputs = tmp_path / f"{name}.outputs"
    env = _environment(
        tmp_path,
        RUNNER_TEMP=str(tmp_path / "runner"),
        GITHUB_OUTPUT=str(outputs),
        GITHUB_SERVER_URL="https://github.test",
    )
    take = _bash(_step(TAKE_STEP)["run"], work, {**env, "GH_TOKEN": TOKEN})
    assert take.returncode == 0, take.stdout + take.stderr
    notify = _bash(
        _step(NOTIFY_STEP)["run"], work, {**env, "SUBSCRIBERS": SUBSCRIBERS, "UNSUBSCRIBE": UNSUBSCRIBE, "SINCE": since}
    )
    assert notify.returncode == 0 and outputs.read_text() == "status=0\n", notify.stdout + notify.stderr
    assert list((tmp_path / "runner").iterdir()) == []  # the addresses were written outside the checkout, then deleted
    commit = _bash(_step(COMMIT_STEP)["run"], work, {**env, "GH_TOKEN": TOKEN})
    assert commit.returncode == 0, commit.stdout + commit.stderr
    return take.stdout + take.stderr + notify.stdout + notify.stderr + commit.stdout + commit.stderr


def _recorded(remote: Path) -> dict:
    return json.loads(_git(remote, "show", "main:notifications/sent.json"))


def test_github_sends_commits_the_record_on_top_of_main_and_sends_nothing_twice(remote: Path, inbox: Inbox) -> None:
    out = _github_run(remote, "run1", since="2026-11-01")
    assert "Committed the record to main." in out and TOKEN not in out
    assert (
        sorted(r.recipients[0] for r in inbox.received) == ["ann@customer.example"] * 2 + ["bo@other.example"] * 2
    )  # updates, certifications
    assert _git(remote, "log", "-1", "--format=%s", "main").strip() == "Record the news emailed to subscribers"
    assert _git(remote, "log", "-1", "--format=%s", "main~1").strip() == "meanwhile run1"  # rebased, nothing lost
    assert _recorded(remote)["since"] == "2026-11-01T00:00:00Z"
    count = len(inbox.received)
    out = _github_run(remote, "run2")  # no input: the record says what is news
    assert "nothing new: notifications/sent.json holds" in out and "Nothing was sent: the record is unchanged." in out
    assert len(inbox.received) == count


def _publish(remote: Path, name: str) -> str:
    """A push to main with news (the open notice updated): the commit a trust-center run publishes."""
    work = remote.parent / name
    _git(remote.parent, "clone", "--quiet", "--branch", "main", str(remote), str(work))
    edit(work, OVERDUE_NOTICE, "updated: 2026-11-20T09:00:00Z", "updated: 2026-11-22T10:00:00Z")
    edit(work, OVERDUE_NOTICE, "next_update_by: 2026-11-21T09:00:00Z", "next_update_by: 2026-11-23T09:00:00Z")
    _git(work, "commit", "--quiet", "-am", "an update of the notice")
    _git(work, "push", "--quiet", "origin", "main")
    return _git(work, "rev-parse", "HEAD").strip()


def test_github_a_run_for_an_older_commit_reads_mains_record_and_sends_nothing_twice(
    remote: Path, inbox: Inbox
) -> None:
    """Two publishes in a row: the run for the later one sends the notice's update first; the run
    for the earlier one comes after, from a commit whose record predates that. It sends nothing."""
    _github_run(remote, "run1", since="2026-11-01")
    published = _publish(remote, "publish")
    count = len(inbox.received)
    _github_run(remote, "run2")
    assert len(inbox.received) == count + 2  # the update, to each recipient
    out = _github_run(remote, "run3", at=published)
    assert len(inbox.received) == count + 2, out
    assert "Nothing was sent: the record is unchanged." in out
    assert _git(remote, "log", "-1", "--format=%s", "main").strip() == "meanwhile run3"


def _gitlab_env(remote: Path) -> dict[str, str]:
    """A runner's variables, and git told that the project's address is the local remote."""
    tmp_path = remote.parent
    _git(tmp_path, "config", "--file", str(tmp_path / ".gitconfig"), f"url.{remote}.insteadOf", GITLAB_URL)
    write(tmp_path, "variables/subscribers", SUBSCRIBERS + "\n")  # a variable of type File
    return _environment(
        tmp_path,
        PLAINTRUST_PUSH_TOKEN=TOKEN,
        PLAINTRUST_SUBSCRIBERS=str(tmp_path / "variables/subscribers"),
        PLAINTRUST_UNSUBSCRIBE=UNSUBSCRIBE,
        CI_SERVER_HOST="gitlab.test",
        CI_PROJECT_PATH="acme/trust",
        CI_DEFAULT_BRANCH="main",
        PUSHES=str(tmp_path / "pushes"),
    )


def test_gitlab_a_job_for_an_older_commit_reads_the_default_branchs_record(remote: Path, inbox: Inbox) -> None:
    env, script = _gitlab_env(remote), "\n".join(_gitlab()["script"])
    first = _bash(script, _checkout(remote, "run1"), {**env, "PLAINTRUST_NOTIFY_SINCE": "2026-11-01"})
    assert first.returncode == 0, first.stdout + first.stderr
    published = _publish(remote, "publish")
    count = len(inbox.received)
    second = _bash(script, _checkout(remote, "run2"), env)
    assert second.returncode == 0 and len(inbox.received) == count + 2, second.stdout + second.stderr
    late = _bash(script, _checkout(remote, "run3", published), env)
    assert late.returncode == 0 and len(inbox.received) == count + 2, late.stdout + late.stderr
    assert "Nothing was sent: the record is unchanged." in late.stdout


def test_gitlab_sends_commits_the_record_without_a_pipeline_and_sends_nothing_twice(remote: Path, inbox: Inbox) -> None:
    hook = remote / "hooks/pre-receive"
    hook.write_text('#!/bin/sh\n[ -z "$PUSHES" ] || printf "%s\\n" "$GIT_PUSH_OPTION_0" >> "$PUSHES"\n')
    hook.chmod(0o755)
    tmp_path, env = remote.parent, _gitlab_env(remote)
    script = "\n".join(_gitlab()["script"])
    first = _bash(script, _checkout(remote, "run1"), {**env, "PLAINTRUST_NOTIFY_SINCE": "2026-11-01"})
    assert first.returncode == 0 and TOKEN not in first.stdout + first.stderr, first.stdout + first.stderr
    assert len(inbox.received) == 4 and (tmp_path / "pushes").read_text() == "ci.skip\n"
    assert _git(remote, "log", "-1", "--format=%s", "main~1").strip() == "meanwhile run1"
    second = _bash(script, _checkout(remote, "run2"), env)
    assert second.returncode == 0 and "Nothing was sent: the record is unchanged." in second.stdout
    assert len(inbox.received) == 4


# How each exit code of `plaintrust notify` is kept: a stand-in that records what it was given.

FAKE_PLAINTRUST = """#!/bin/sh
printf '%s\\n' "$@" > "$CALLS/args"
while [ $# -gt 0 ]; do [ "$1" = --to ] && cp "$2" "$CALLS/to"; shift; done
mkdir -p notifications && echo '{}' > notifications/sent.json
exit "$FAKE_STATUS"
"""


@pytest.mark.parametrize("status", [0, 1, 2])
def test_github_keeps_the_record_of_a_failed_run_and_turns_red(tmp_path: Path, status: int) -> None:
    for name in ("bin", "calls", "runner", "work"):
        (tmp_path / name).mkdir()
    write(tmp_path, "bin/plaintrust", FAKE_PLAINTRUST).chmod(0o755)
    outputs = tmp_path / "outputs"
    env = {
        "PATH": os.pathsep.join([str(tmp_path / "bin"), os.environ["PATH"]]),
        "CALLS": str(tmp_path / "calls"),
        "FAKE_STATUS": str(status),
        "RUNNER_TEMP": str(tmp_path / "runner"),
        "GITHUB_OUTPUT": str(outputs),
        "SUBSCRIBERS": SUBSCRIBERS,
        "UNSUBSCRIBE": "",
        "SINCE": "v1.0",
    }
    done = _bash(_step(NOTIFY_STEP)["run"], tmp_path / "work", env)
    assert done.returncode == (0 if status <= 1 else 1) and outputs.read_text() == f"status={status}\n"
    to = str(tmp_path / "runner/subscribers.txt")
    assert (tmp_path / "calls/args").read_text().split("\n")[:-1] == ["notify", "--send", "--to", to, "--since", "v1.0"]
    assert (tmp_path / "calls/to").read_text() == SUBSCRIBERS + "\n" and not Path(to).exists()
    red = _step("Fail when a message could not be sent")
    assert red["if"] == "steps.notify.outputs.status == '1'"


def test_the_guide_shows_both_examples_as_they_are() -> None:
    guide = (ROOT / "docs/content/guide/notify.md").read_text(encoding="utf-8")
    for path in (GITHUB, GITLAB):
        assert f"<!-- include: ../examples/ci/{path.name} -->" in guide
