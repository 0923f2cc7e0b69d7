"""The evidence-collection CI examples: nightly and by hand, least privilege, no secret in a log or
within a collector's reach, one rolling branch with one pull or merge request (opened only when
something was collected, added to night after night until it is merged), and red when a collector
failed. The shell steps run for real below, against a local remote with a stand-in for `gh`."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
import yaml

from helpers import EPOCH, workflow
from plaintrust import cli
from plaintrust.errors import ExitCode

ROOT = Path(__file__).parents[2]
GITHUB = ROOT / "examples/ci/github-collect-evidence.yml"
GITLAB = ROOT / "examples/ci/gitlab-collect-evidence.yml"
TEMPLATE = ROOT / "generator/plaintrust/templates/init/dot-github/workflows/collect-evidence.yml"
HOW_TO = ROOT / "docs/content/how-to/publish-from-ci.md"
TOKEN = "canary-token-5f0c2a9e"
SECRET_REF = "${{ secrets.IDP_API_TOKEN }}"
SECRET = "protected-secret-value-81d3"
PUSH_STEP = "Push the new records and open a pull request"
BRANCH_STEP = "Continue the open pull request's branch"


def _github() -> dict:
    return workflow(GITHUB)


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
    parts = [part for line in script.splitlines() for part in line.split(";")]
    lines = [re.sub(r"^env( -u \w+)+ ", "", part.strip().split("||")[0]) for part in parts]
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
    token = {"GH_TOKEN": "${{ github.token }}", "GH_REPO": "${{ github.repository }}"}
    assert [s["name"] for s in _steps() if "github.token" in str(s.get("env"))] == [BRANCH_STEP, PUSH_STEP]
    assert _step(BRANCH_STEP)["env"] == token and _step(PUSH_STEP)["env"] == token


def test_github_leaves_no_token_where_a_collector_could_read_it() -> None:
    """actions/checkout keeps its token in .git/config unless told not to; the fetch and the push
    take it for one command (`git -c`), never writing it to a git configuration."""
    (checkout,) = [s for s in _steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False
    scripts = "\n".join(s.get("run", "") for s in _steps())
    assert "gh auth setup-git" not in scripts and "credential" not in scripts and "remote set-url" not in scripts
    git_with_token = [line.strip() for line in scripts.splitlines() if "$auth" in line and "git " in line]
    assert len(git_with_token) == 3 and all(
        line.startswith(("git -c ", 'if [ -n "$(git -c ')) for line in git_with_token
    )


def test_github_counts_only_the_repositorys_own_pull_request() -> None:
    """A fork's pull request from a branch named collect-evidence neither holds the branch back nor
    stands in for the repository's own."""
    lines = [line.strip() for s in _steps() for line in s.get("run", "").splitlines() if "gh pr list" in line]
    assert len(lines) == 2
    for line in lines:
        assert "gh pr list --head collect-evidence --state open --json isCrossRepository" in line
        assert "--jq 'map(select(.isCrossRepository | not)) | length'" in line


def test_third_party_collectors_are_installed_beside_plaintrust() -> None:
    """One pip call installs Plaintrust and PLAINTRUST_COLLECTORS (one requirement a line), and the
    header says the same packages must be installed wherever check and build run."""
    install = _step("Install Plaintrust")["run"]
    assert _github()["env"]["PLAINTRUST_COLLECTORS"] == ""
    assert 'printf \'%s\\n\' "$PLAINTRUST_COLLECTORS" > "$collectors"' in install
    assert 'pip install "$PLAINTRUST" -r "$collectors"' in install
    gitlab = yaml.safe_load(GITLAB.read_text(encoding="utf-8"))
    assert gitlab["variables"]["PLAINTRUST_COLLECTORS"] == ""
    assert 'pip install --quiet "$PLAINTRUST" -r "$collectors"' in gitlab["collect-evidence"]["before_script"]
    for path in (GITHUB, GITLAB):
        header = " ".join(line.lstrip("# ") for line in path.read_text(encoding="utf-8").split("\n\n")[0].splitlines())
        assert "wherever `plaintrust check`, `build` or the pre-commit hooks run" in header, path


def test_every_plaintrust_command_in_the_collect_examples_is_real() -> None:
    lines = [words for step in _steps() for words in _plaintrust_lines(step.get("run", ""))]
    lines += [words for line in _gitlab_script() for words in _plaintrust_lines(line)]
    assert [w[:3] for w in lines].count(["plaintrust", "evidence", "collect"]) == 2
    assert [w[:3] for w in lines].count(["plaintrust", "evidence", "check-branch"]) == 2
    assert all(_is_command(words) for words in lines), lines


def test_github_opens_the_pull_request_before_it_fails_for_a_collector() -> None:
    names = [s.get("name") for s in _steps()]
    branch, opened, failed = (
        names.index(BRANCH_STEP),
        names.index(PUSH_STEP),
        names.index("Fail when a collector failed"),
    )
    assert branch < names.index("Collect the evidence that is due") < opened < failed
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
    # The collectors run without the push token in their parent's environment.
    assert "env -u PLAINTRUST_PUSH_TOKEN plaintrust evidence collect --due" in script
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


# The shell steps, run for real: a repository whose series collects itself every day into a `.log`
# file (a suffix its .gitignore matches), a bare remote, and a stand-in for `gh` that keeps one pull
# request, open while GH_STATE/open exists.

DAY = 86400
PLAINTRUST_BIN = shutil.which("plaintrust", path=str(Path(sys.executable).parent))
RECORD = "evidence/access/mfa-policy.yaml"
FAKE_GH = """#!/bin/sh
printf '%s\\n' "$*" >> "$GH_STATE/calls"
case "$1 $2" in
  "pr list") if [ -e "$GH_STATE/open" ]; then echo 1; else echo 0; fi ;;
  "pr create") touch "$GH_STATE/open" ;;
  *) exit 1 ;;
esac
"""
# The collector looks for the canary token (as itself, or as the header git sends) in its parent's
# environment and in the checkout's git configuration, where a collector could read it, and says
# in the file it collects whether it saw it.
COLLECTOR = f"""
import base64, os
seen = open(f"/proc/{{os.getppid()}}/environ", "rb").read() + open(".git/config", "rb").read()
header = base64.b64encode(b"x-access-token:{TOKEN}")
print("state ok", os.environ["PLAINTRUST_TODAY"], "TOKEN SEEN" if b"{TOKEN}" in seen or header in seen else "no token")
"""


def _git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


@pytest.fixture
def remote(base_repo: Path, tmp_path: Path) -> Path:
    """The trust-center repository, pushed to a bare remote as main."""
    if shutil.which("bash") is None or PLAINTRUST_BIN is None or not Path("/proc/self/environ").exists():
        pytest.skip("needs bash, the plaintrust script and /proc")
    argv = json.dumps([sys.executable, "-c", COLLECTOR])
    record = base_repo / RECORD
    record.write_text(
        record.read_text(encoding="utf-8") + f"collect:\n  run: {argv}\n  every: daily\n  output: export.log\n",
        encoding="utf-8",
    )
    (base_repo / ".gitignore").write_text("*.log\n.plaintrust-cache/\n", encoding="utf-8")
    subprocess.run([PLAINTRUST_BIN, "evidence", "pin", "--root", str(base_repo)], check=True, capture_output=True)
    bare = tmp_path / "remote.git"
    _git(tmp_path, "init", "--quiet", "--bare", str(bare))
    _git(bare, "config", "receive.advertisePushOptions", "true")
    _git(base_repo, "init", "--quiet", "-b", "main")
    _git(base_repo, "add", "-A")
    _git(base_repo, "commit", "--quiet", "-m", "start")
    _git(base_repo, "push", "--quiet", str(bare), "main")
    (tmp_path / "gh").mkdir()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    return bare


def _environment(tmp_path: Path, day: int, **extra: str) -> dict[str, str]:
    path = os.pathsep.join([str(tmp_path / "bin"), str(Path(PLAINTRUST_BIN).parent), os.environ["PATH"]])
    return {
        "PATH": path,
        "HOME": str(tmp_path),
        "GIT_CONFIG_NOSYSTEM": "1",
        "SOURCE_DATE_EPOCH": str(int(EPOCH) + day * DAY),
        "GH_STATE": str(tmp_path / "gh"),
        **extra,
    }


def _collected(remote: Path, day: str) -> str:
    """The file the collector wrote on that day, as the branch holds it."""
    text = _git(remote, "show", f"collect-evidence:evidence/files/mfa-policy/{day}.log")
    assert text == f"state ok {day} no token\n"
    return text


def _checkout(remote: Path, name: str) -> Path:
    """A fresh clone of main, as each CI run starts from (no token in it)."""
    work = remote.parent / name
    _git(remote.parent, "clone", "--quiet", "--branch", "main", str(remote), str(work))
    return work


def _github_run(remote: Path, name: str, day: int = 0, fails: bool = False) -> str:
    """The workflow's shell steps in order, as the runner runs them, up to the first that fails (it
    must be the last when `fails`, and there must be none otherwise); returns their output."""
    work, tmp_path = _checkout(remote, name), remote.parent
    outputs, log = tmp_path / f"{name}.outputs", []
    base = _environment(
        tmp_path, day, GITHUB_OUTPUT=str(outputs), GITHUB_SERVER_URL="https://github.com", **_github()["env"]
    )
    secrets = {"${{ github.token }}": TOKEN, "${{ github.repository }}": "acme/trust", SECRET_REF: SECRET}
    for step in _steps():
        if "run" not in step or step["name"] == "Install Plaintrust":
            continue
        if "if" in step:
            assert step["if"] == "steps.collect.outputs.status != '0'"
            if "status=0\n" in outputs.read_text():
                continue
        env = {**base, **{k: secrets.get(v, "") for k, v in step.get("env", {}).items()}}
        script = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]]
        done = subprocess.run(script, cwd=work, env=env, capture_output=True, text=True)
        log.append(f"--- {step['name']}\n{done.stdout}{done.stderr}")
        if fails and done.returncode != 0:
            return "\n".join(log)
        assert done.returncode == 0, "\n".join(log)
    assert not fails, "\n".join(log)
    return "\n".join(log)


def _branch(remote: Path, ref: str = "collect-evidence") -> list[str]:
    """The files the branch adds to main."""
    return _git(remote, "diff", "--name-only", f"main...{ref}").split()


def _calls(remote: Path) -> list[str]:
    calls = remote.parent / "gh/calls"
    return [c for c in calls.read_text().splitlines() if c.startswith("pr create")] if calls.exists() else []


def _verify_branch(remote: Path, name: str) -> str:
    """`evidence verify` on a fresh clone of the branch: its files, pins and ledger chain hold."""
    work = remote.parent / name
    _git(remote.parent, "clone", "--quiet", "--branch", "collect-evidence", str(remote), str(work))
    done = subprocess.run([PLAINTRUST_BIN, "evidence", "verify"], cwd=work, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return (work / "evidence/ledger.jsonl").read_text(encoding="utf-8")


def test_nothing_collected_opens_no_pull_request(remote: Path) -> None:
    work = _checkout(remote, "editor")  # a record collected today by hand: the series is not due
    record = work / RECORD
    record.write_text(record.read_text(encoding="utf-8").replace("2026-11-01", "2026-11-22"), encoding="utf-8")
    _git(work, "commit", "--quiet", "-am", "collected by hand")
    _git(work, "push", "--quiet", "origin", "main")
    out = _github_run(remote, "run1")
    assert "Nothing new was collected." in out
    assert _calls(remote) == []
    assert _git(remote, "branch", "--list", "--format=%(refname:short)").split() == ["main"]


def test_the_same_day_twice_pushes_once_and_opens_one_pull_request(remote: Path) -> None:
    out = _github_run(remote, "run1")
    assert "No pull request is open" in out
    _collected(remote, "2026-11-22")
    first = _git(remote, "rev-parse", "collect-evidence").strip()
    # The ignored .log file is committed with its record and the ledger.
    assert _branch(remote) == [
        "evidence/files/mfa-policy/2026-11-22.log",
        "evidence/ledger.jsonl",
        "evidence/mfa-policy/mfa-policy-2026-11-22.yaml",
    ]
    assert len(_calls(remote)) == 1 and _calls(remote)[0].startswith("pr create --head collect-evidence ")
    out = _github_run(remote, "run2")
    assert "already collected today" in out and "Nothing new was collected." in out
    assert _git(remote, "rev-parse", "collect-evidence").strip() == first
    assert len(_calls(remote)) == 1
    assert TOKEN not in out


def test_the_next_night_adds_to_the_open_pull_request_in_one_chain(remote: Path) -> None:
    _github_run(remote, "run1", day=0)
    first = _git(remote, "rev-parse", "collect-evidence").strip()
    out = _github_run(remote, "run2", day=1)
    assert "Collecting on top of the open pull request's branch." in out
    assert "now holds the new records too" in out and len(_calls(remote)) == 1
    _git(remote, "merge-base", "--is-ancestor", first, "collect-evidence")  # a fast-forward
    assert "evidence/mfa-policy/mfa-policy-2026-11-23.yaml" in _branch(remote)
    assert _collected(remote, "2026-11-22") and _collected(remote, "2026-11-23")
    ledger = _verify_branch(remote, "check")
    assert ledger.count("mfa-policy-2026-11-22") and ledger.count("mfa-policy-2026-11-23")


def _merge_by_squash(remote: Path) -> None:
    """What the merge button does with "squash and merge": main gains the branch's changes in a
    commit of its own; the branch stays (no automatic deletion)."""
    work = _checkout(remote, "merger")
    _git(work, "merge", "--quiet", "--squash", "origin/collect-evidence")
    _git(work, "commit", "--quiet", "-m", "Collected evidence (#1)")
    _git(work, "push", "--quiet", "origin", "main")


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "closed"])
def test_a_merged_or_closed_pull_request_starts_the_branch_again(remote: Path, merged: bool) -> None:
    _github_run(remote, "run1", day=0)
    if merged:
        _merge_by_squash(remote)
    (remote.parent / "gh/open").unlink()
    out = _github_run(remote, "run2", day=1)
    assert "No pull request is open" in out
    assert _branch(remote) == [
        "evidence/files/mfa-policy/2026-11-23.log",
        "evidence/ledger.jsonl",
        "evidence/mfa-policy/mfa-policy-2026-11-23.yaml",
    ]
    _git(remote, "merge-base", "--is-ancestor", "main", "collect-evidence")  # based on today's main
    assert len(_calls(remote)) == 2
    _verify_branch(remote, "check")


# GitLab: the script in one shell, as the runner runs it; the push address is the local remote (by
# git's url.insteadOf, in the runner's global configuration), which records the push options a
# merge request is opened with.

GITLAB_URL = f"https://collect-evidence:{TOKEN}@gitlab.test/acme/trust.git"
PUSH_HOOK = """#!/bin/sh
[ -n "$PUSHES" ] || exit 0
i=0
while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do
  eval "printf '%s\\n' \\"\\$GIT_PUSH_OPTION_$i\\"" >> "$PUSHES"
  i=$((i + 1))
done
echo --- >> "$PUSHES"
"""


def _gitlab_run(remote: Path, name: str, day: int = 0, fails: bool = False) -> str:
    work, tmp_path = _checkout(remote, name), remote.parent
    _git(work, "switch", "--quiet", "--detach")  # the runner checks out the pipeline's commit
    hook = remote / "hooks/pre-receive"
    hook.write_text(PUSH_HOOK)
    hook.chmod(0o755)
    env = _environment(
        tmp_path,
        day,
        PLAINTRUST_PUSH_TOKEN=TOKEN,
        CI_SERVER_HOST="gitlab.test",
        CI_PROJECT_PATH="acme/trust",
        CI_DEFAULT_BRANCH="main",
        PUSHES=str(tmp_path / "pushes"),
        IDP_API_TOKEN=SECRET,
    )
    _git(tmp_path, "config", "--file", str(tmp_path / ".gitconfig"), f"url.{remote}.insteadOf", GITLAB_URL)
    script = "\n".join(_gitlab_script())
    done = subprocess.run(["bash", "-eo", "pipefail", "-c", script], cwd=work, env=env, capture_output=True, text=True)
    assert (done.returncode != 0) == fails, done.stdout + done.stderr
    return done.stdout + done.stderr


def test_gitlab_pushes_one_rolling_branch_with_merge_request_options(remote: Path) -> None:
    out = _gitlab_run(remote, "run1", day=0)
    assert TOKEN not in out
    _collected(remote, "2026-11-22")
    first = _git(remote, "rev-parse", "collect-evidence").strip()
    assert "evidence/files/mfa-policy/2026-11-22.log" in _branch(remote)
    pushes = (remote.parent / "pushes").read_text().split("---\n")[:-1]
    assert pushes[0].splitlines() == [
        "merge_request.create",
        "merge_request.target=main",
        "merge_request.title=Collected evidence",
        "merge_request.remove_source_branch",
    ]
    out = _gitlab_run(remote, "run2", day=0)
    assert "Nothing new was collected." in out and _git(remote, "rev-parse", "collect-evidence").strip() == first
    out = _gitlab_run(remote, "run3", day=1)  # the merge request is still open: the branch grows
    assert "Collecting on top of the branch collect-evidence." in out
    _git(remote, "merge-base", "--is-ancestor", first, "collect-evidence")
    assert len((remote.parent / "pushes").read_text().split("---\n")) - 1 == 2
    ledger = _verify_branch(remote, "check")
    assert ledger.count("mfa-policy-2026-11-22") and ledger.count("mfa-policy-2026-11-23")


def test_gitlab_starts_again_once_the_branch_is_merged(remote: Path) -> None:
    _gitlab_run(remote, "run1", day=0)
    work = _checkout(remote, "merger")  # a merge commit; the branch is left (remove_source_branch off)
    _git(work, "merge", "--quiet", "--no-ff", "-m", "Merge collect-evidence", "origin/collect-evidence")
    _git(work, "push", "--quiet", "origin", "main")
    out = _gitlab_run(remote, "run2", day=1)
    assert "Collecting from the default branch." in out
    assert _branch(remote) == [
        "evidence/files/mfa-policy/2026-11-23.log",
        "evidence/ledger.jsonl",
        "evidence/mfa-policy/mfa-policy-2026-11-23.yaml",
    ]
    _verify_branch(remote, "check")


def test_gitlab_starts_again_after_a_squash_merge_that_kept_the_branch(remote: Path) -> None:
    """A squash merge leaves the branch with commits the default branch never gets: continuing it
    would conflict in the ledger, so the next night sees its records on main and starts again."""
    _gitlab_run(remote, "run1", day=0)
    _merge_by_squash(remote)
    out = _gitlab_run(remote, "run2", day=1)
    assert "the current commit already holds every file" in out and "Collecting from the default branch." in out
    assert _branch(remote) == [
        "evidence/files/mfa-policy/2026-11-23.log",
        "evidence/ledger.jsonl",
        "evidence/mfa-policy/mfa-policy-2026-11-23.yaml",
    ]
    _git(remote, "merge-base", "--is-ancestor", "main", "collect-evidence")
    work = _checkout(remote, "merger2")  # the new request merges cleanly
    _git(work, "merge", "--quiet", "--no-edit", "origin/collect-evidence")
    _verify_branch(remote, "check")


# Someone who may push to collect-evidence but may not read the job's secrets changes the `run:`
# of the series there, to write the secret to a file: the next night must never run it.


def _push_attack(remote: Path) -> tuple[Path, str]:
    """The push; returns the file the attack would write and the branch's commit after it."""
    marker = remote.parent / "exfiltrated.txt"
    code = f"import os; open({str(marker)!r}, 'w').write(os.environ.get('IDP_API_TOKEN', 'none')); print('ok')"
    dev = remote.parent / "dev"
    _git(remote.parent, "clone", "--quiet", "--branch", "collect-evidence", str(remote), str(dev))
    record = dev / RECORD
    text = record.read_text(encoding="utf-8")
    block = f"collect:\n  run: {json.dumps([sys.executable, '-c', code])}\n  every: daily\n  env: [IDP_API_TOKEN]\n"
    record.write_text(text[: text.index("collect:")] + block, encoding="utf-8")
    _git(dev, "commit", "--quiet", "-am", "tweak")
    _git(dev, "push", "--quiet", "origin", "collect-evidence")
    return marker, _git(dev, "rev-parse", "HEAD").strip()


def test_github_never_runs_what_someone_else_pushed_to_the_branch(remote: Path) -> None:
    _github_run(remote, "run1", day=0)
    marker, pushed = _push_attack(remote)
    out = _github_run(remote, "run2", day=1, fails=True)
    assert not marker.exists()
    assert f"{RECORD}: changed" in out.splitlines()
    assert "::error::The branch collect-evidence holds changes that plaintrust evidence collect does not make" in out
    assert out.split("--- ")[-1].startswith(BRANCH_STEP)  # the branch step failed: nothing ran after it
    assert _git(remote, "rev-parse", "collect-evidence").strip() == pushed  # left for a person
    assert SECRET not in out and TOKEN not in out


def test_gitlab_never_runs_what_someone_else_pushed_to_the_branch(remote: Path) -> None:
    _gitlab_run(remote, "run1", day=0)
    marker, pushed = _push_attack(remote)
    out = _gitlab_run(remote, "run2", day=1, fails=True)
    assert not marker.exists()
    assert f"{RECORD}: changed" in out.splitlines()
    assert "holds changes that plaintrust evidence collect does not make (listed above): nothing was collected" in out
    assert "Collecting" not in out
    assert _git(remote, "rev-parse", "collect-evidence").strip() == pushed
    assert SECRET not in out and TOKEN not in out


def test_both_examples_check_the_branch_before_they_continue_it() -> None:
    """Only a verdict of 0 switches to the fetched commit, the one checked; the check runs without
    the push token in its environment."""
    github = _step(BRANCH_STEP)["run"]
    gitlab = _gitlab_script()[0]
    for script, token in ((github, "GH_TOKEN"), (gitlab, "PLAINTRUST_PUSH_TOKEN")):
        assert f'env -u {token} plaintrust evidence check-branch "$tip" || verdict=$?' in script
        switches = [line.strip() for line in script.splitlines() if "git switch" in line]
        assert [s for s in switches if "$tip" in s] == ['git switch --quiet --force-create collect-evidence "$tip"']
        assert script.index("check-branch") < script.index('collect-evidence "$tip"')
