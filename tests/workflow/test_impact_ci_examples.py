"""The impact CI examples: on pull and merge requests only, least privilege, one comment kept up to
date (found by its marker, and only the job's own), posted even when impact fails, and the job as
red as impact says. The shell steps run for real with stand-ins for `plaintrust` and `curl`; the
GitHub script runs under node with a stand-in for the API; the `plaintrust impact` line runs through
the real command line on a small git repository."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from helpers import commit, edit, git, workflow
from plaintrust import cli
from plaintrust.errors import ExitCode

ROOT = Path(__file__).parents[2]
GITHUB = ROOT / "examples/ci/github-impact.yml"
GITLAB = ROOT / "examples/ci/gitlab-impact.yml"
TEMPLATE = ROOT / "generator/plaintrust/templates/init/dot-github/workflows/impact.yml"
MARKER = "<!-- plaintrust-impact -->"
TOKEN = "canary-token-9b1e44c0"
REPORT = f"{MARKER}\n### Compliance impact\n"


def _github() -> dict:
    return workflow(GITHUB)


def _steps() -> list[dict]:
    return _github()["jobs"]["impact"]["steps"]


def _step(name: str) -> dict:
    return next(s for s in _steps() if s.get("name") == name)


def _gitlab() -> dict:
    return yaml.safe_load(GITLAB.read_text(encoding="utf-8"))["impact"]


def _impact_words(script: str) -> list[str]:
    (line,) = [line.strip() for line in script.splitlines() if line.strip().startswith("plaintrust impact ")]
    return shlex.split(line.split(" || ")[0])


@pytest.mark.parametrize("path", [GITHUB, GITLAB, TEMPLATE])
def test_the_examples_parse_and_never_trace_or_take_untrusted_triggers(path: Path) -> None:
    text = path.read_text(encoding="utf-8").replace("{{plaintrust_requirement}}", '""')  # as `init` fills it
    assert isinstance(yaml.safe_load(text), dict)
    assert "pull_request_target" not in text.replace("Never switch this workflow to pull_request_target", "")
    assert "set -x" not in text.replace("Never add `set -x`", "")
    assert MARKER in text


def test_github_runs_on_pull_requests_with_the_least_permissions() -> None:
    workflow = _github()
    assert workflow["on"] == {"pull_request": None}
    assert workflow["permissions"] == {"contents": "read", "pull-requests": "write"}
    assert all("permissions" not in job for job in workflow["jobs"].values())
    assert workflow["concurrency"]["cancel-in-progress"] is True
    (checkout,) = [s for s in _steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert checkout["with"]["persist-credentials"] is False
    for step in _steps():
        if "uses" in step:
            assert step["uses"].split("@")[1].startswith("v"), step
        assert "${{" not in step.get("run", "")  # event values reach the shell as variables only


def test_github_compares_with_the_base_and_fails_as_impact_does() -> None:
    step = _step("Compare the pull request with its base")
    assert step["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}
    words = _impact_words(step["run"])
    assert words[:3] == ["plaintrust", "impact", "$BASE_SHA..HEAD"]
    assert {"--fetch", "--fail-on"} <= set(words) and words[words.index("--format") + 1] == "markdown"
    assert words[words.index("-o") + 1] == "impact.md"
    assert step["run"].rstrip().endswith('exit "$status"')


def test_github_comments_even_when_impact_fails_but_not_for_a_fork() -> None:
    names = [s.get("name") for s in _steps()]
    comment = _step("Post or update the comment")
    assert names.index("Compare the pull request with its base") < names.index("Post or update the comment")
    assert comment["if"].startswith("${{ !cancelled() && ")  # runs after a failed step, unlike the default
    assert "github.event.pull_request.head.repo.full_name == github.repository" in comment["if"]
    assert comment["uses"] == "actions/github-script@v7"
    assert MARKER in comment["with"]["script"] and '"impact.md"' in comment["with"]["script"]


def test_init_writes_the_impact_workflow_as_the_example_ships_it(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["init", str(tmp_path / "t"), "--source", ""])
    assert result.exit_code == ExitCode.OK, result.output
    assert (tmp_path / "t/.github/workflows/impact.yml").read_bytes() == GITHUB.read_bytes()


def test_gitlab_runs_on_merge_requests_and_fails_as_impact_does() -> None:
    job = _gitlab()
    assert job["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    script = "\n".join(job["script"])
    words = _impact_words(script)
    assert words[:3] == ["plaintrust", "impact", "$CI_MERGE_REQUEST_DIFF_BASE_SHA..HEAD"]
    assert {"--fetch", "--fail-on"} <= set(words) and words[words.index("-o") + 1] == "impact.md"
    assert job["script"][-1] == 'exit "$status"'
    # The token goes into one header, never echoed.
    assert [line.strip() for line in script.splitlines() if "PLAINTRUST_GITLAB_TOKEN}" in line] == [
        'auth="PRIVATE-TOKEN: ${PLAINTRUST_GITLAB_TOKEN}"'
    ]
    assert "echo" not in " ".join(line for line in script.splitlines() if "TOKEN" in line and "not set" not in line)
    assert job["artifacts"]["when"] == "always" and job["artifacts"]["access"] == "developer"


# The shell steps, run for real: `plaintrust` writes a report and exits with FAKE_STATUS.

FAKE_PLAINTRUST = """#!/bin/sh
printf '%s\\n' "$*" > "$CALLS/plaintrust"
[ "$FAKE_STATUS" = 2 ] || printf '%s' "$FAKE_REPORT" > impact.md
exit "$FAKE_STATUS"
"""

# `curl` as the notes API answers: GET /user, GET the notes page by page (NOTES/page-N.json, else
# an empty page), PUT or POST a note (its method, address and body are kept in CALLS/api).
FAKE_CURL = """#!/bin/bash
method=GET data="" url="" auth=""
while [ $# -gt 0 ]; do
  case "$1" in
    --request) method="$2"; shift ;;
    --data) data="${2#@}"; shift ;;
    --header) case "$2" in PRIVATE-TOKEN:*) auth="$2" ;; esac; shift ;;
    --output) shift ;;
    -*) ;;
    *) url="$1" ;;
  esac
  shift
done
[ "$auth" = "PRIVATE-TOKEN: $EXPECTED_TOKEN" ] || { echo "bad token" >&2; exit 22; }
echo "$method $url" >> "$CALLS/api"
if [ -n "$data" ]; then jq -j .body "$data" >> "$CALLS/api"; exit 0; fi
case "$url" in
  */user) echo '{"id": 42}' ;;
  *page=*) page="${url##*page=}"; cat "$NOTES/page-$page.json" 2>/dev/null || echo '[]' ;;
esac
"""


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    for name in ("bin", "calls", "notes", "work"):
        (tmp_path / name).mkdir()
    for name, text in (("plaintrust", FAKE_PLAINTRUST), ("curl", FAKE_CURL)):
        (tmp_path / "bin" / name).write_text(text)
        (tmp_path / "bin" / name).chmod(0o755)
    return tmp_path


def _run(bench: Path, script: str, status: int, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        "PATH": os.pathsep.join([str(bench / "bin"), os.environ["PATH"]]),
        "HOME": str(bench),
        "CALLS": str(bench / "calls"),
        "NOTES": str(bench / "notes"),
        "FAKE_STATUS": str(status),
        "FAKE_REPORT": REPORT,
        "EXPECTED_TOKEN": TOKEN,
        **extra,
    }
    command = ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script]
    return subprocess.run(command, cwd=bench / "work", env=env, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("status", [0, 1, 2])
def test_the_github_step_keeps_impacts_exit_code_and_fills_the_summary(bench: Path, status: int) -> None:
    summary = bench / "summary.md"
    step = _step("Compare the pull request with its base")
    done = _run(bench, step["run"], status, BASE_SHA="0" * 40, GITHUB_STEP_SUMMARY=str(summary))
    assert done.returncode == status, done.stderr
    assert (bench / "calls/plaintrust").read_text().startswith(f"impact {'0' * 40}..HEAD --fetch ")
    assert (summary.read_text() if summary.exists() else "") == ("" if status == 2 else REPORT)


def _gitlab_run(bench: Path, status: int, token: str = TOKEN) -> subprocess.CompletedProcess[str]:
    if shutil.which("jq") is None:
        pytest.skip("jq is not installed (the GitLab job installs it)")
    ci = {
        "CI_API_V4_URL": "https://gitlab.test/api/v4",
        "CI_MERGE_REQUEST_PROJECT_ID": "7",
        "CI_MERGE_REQUEST_IID": "3",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": "1" * 40,
    }
    env = {**ci, **({"PLAINTRUST_GITLAB_TOKEN": token} if token else {})}
    return _run(bench, "\n".join(_gitlab()["script"]), status, **env)


NOTES = "https://gitlab.test/api/v4/projects/7/merge_requests/3/notes"


@pytest.mark.parametrize("status", [0, 1])
def test_gitlab_posts_a_note_when_it_has_none_and_fails_as_impact_does(bench: Path, status: int) -> None:
    done = _gitlab_run(bench, status)
    assert done.returncode == status, done.stdout + done.stderr
    calls = (bench / "calls/api").read_text()
    assert calls.endswith(f"POST {NOTES}\n{REPORT}")
    assert TOKEN not in done.stdout + done.stderr


def test_gitlab_updates_its_own_note_and_never_a_persons(bench: Path) -> None:
    theirs = {"id": 5, "author": {"id": 9}, "body": f"{MARKER} quoted by a person"}
    (bench / "notes/page-1.json").write_text(
        json.dumps([theirs] + [{"id": 10 + i, "author": {"id": 9}, "body": "hi"} for i in range(99)])
    )
    ours = {"id": 501, "author": {"id": 42}, "body": f"{MARKER}\nan older report"}
    (bench / "notes/page-2.json").write_text(json.dumps([{"id": 500, "author": {"id": 42}, "body": "other"}, ours]))
    done = _gitlab_run(bench, 0)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (bench / "calls/api").read_text().endswith(f"PUT {NOTES}/501\n{REPORT}")
    assert "Updated note 501" in done.stdout


def test_gitlab_without_a_token_or_a_report_posts_nothing(bench: Path) -> None:
    done = _gitlab_run(bench, 1, token="")
    assert done.returncode == 1 and "PLAINTRUST_GITLAB_TOKEN is not set" in done.stdout
    assert REPORT in done.stdout and not (bench / "calls/api").exists()
    (bench / "work/impact.md").unlink()  # each job starts from a fresh clone
    done = _gitlab_run(bench, 2)
    assert done.returncode == 2 and "did not write one" in done.stdout
    assert not (bench / "calls/api").exists()


# The GitHub script under node, as actions/github-script runs it (an async function of `require`,
# `github`, `context` and `core`), with a stand-in for the API that keeps the calls it gets.

NODE_HARNESS = """
const fs = require("fs");
const calls = [];
const comments = JSON.parse(process.env.COMMENTS);
const github = {
  paginate: async (list, params) => { calls.push(["list", params]); return comments; },
  rest: { issues: {
    listComments: "listComments",
    updateComment: async (p) => { calls.push(["update", p]); },
    createComment: async (p) => { calls.push(["create", p]); return { data: { html_url: "u" } }; },
  } },
};
const context = { repo: { owner: "acme", repo: "trust" }, issue: { number: 7 } };
const core = { info: (m) => calls.push(["info", m]) };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const script = fs.readFileSync(process.argv[2], "utf8");
new AsyncFunction("require", "github", "context", "core", script)(require, github, context, core)
  .then(() => console.log(JSON.stringify(calls)));
"""


def _comment(bench: Path, comments: list[dict], report: bool = True) -> list[list]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (actions/github-script runs the script with it)")
    (bench / "harness.js").write_text(NODE_HARNESS)
    (bench / "script.js").write_text(_step("Post or update the comment")["with"]["script"])
    if report:
        (bench / "work/impact.md").write_text(REPORT)
    env = {"PATH": os.environ["PATH"], "COMMENTS": json.dumps(comments)}
    done = subprocess.run(
        [node, str(bench / "harness.js"), str(bench / "script.js")],
        cwd=bench / "work",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [call for call in json.loads(done.stdout) if call[0] != "info"]


BOT = {"login": "github-actions[bot]", "type": "Bot"}


def test_github_script_creates_the_comment_when_there_is_none_of_its_own(bench: Path) -> None:
    person = {"id": 1, "user": {"login": "mallory", "type": "User"}, "body": f"{MARKER} mine"}
    other = {"id": 2, "user": BOT, "body": "another workflow's comment"}
    calls = _comment(bench, [person, other])
    assert calls == [
        ["list", {"owner": "acme", "repo": "trust", "issue_number": 7, "per_page": 100}],
        ["create", {"owner": "acme", "repo": "trust", "issue_number": 7, "body": REPORT}],
    ]


def test_github_script_updates_its_own_comment(bench: Path) -> None:
    ours = {"id": 3, "user": BOT, "body": f"{MARKER}\nan older report", "html_url": "u"}
    calls = _comment(bench, [{"id": 1, "user": {"login": "ann"}, "body": None}, ours])
    assert calls[1:] == [["update", {"owner": "acme", "repo": "trust", "comment_id": 3, "body": REPORT}]]


def test_github_script_without_a_report_posts_nothing(bench: Path) -> None:
    assert _comment(bench, [], report=False) == []


# The `plaintrust impact` line of each example, with the real command line on a small repository.


@pytest.mark.parametrize("path", [GITHUB, GITLAB])
def test_the_impact_line_runs_with_the_real_command(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    git(base_repo, "init", "--quiet", "-b", "main")
    base = commit(base_repo, "start")
    edit(base_repo, "controls/access/ac-01.yaml", "owner: it-security@", "owner: security@")
    commit(base_repo, "change")
    script = (
        _step("Compare the pull request with its base")["run"] if path == GITHUB else "\n".join(_gitlab()["script"])
    )
    words = [
        w.replace("$BASE_SHA", base).replace("$CI_MERGE_REQUEST_DIFF_BASE_SHA", base) for w in _impact_words(script)
    ]
    monkeypatch.chdir(base_repo)
    result = runner.invoke(cli.cli, words[1:])
    assert result.exit_code == ExitCode.OK, result.output
    assert (base_repo / "impact.md").read_text(encoding="utf-8").startswith(MARKER + "\n")
