"""`control-drift` and `watch-anchor` through the pipeline and `plaintrust check`, on the base
repository committed to git here: AC-02's newest evidence is from 3 November; infra/idp.tf changes
outside AC-02's region on 10 November and inside it on 30 November (after the pinned today)."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import BASE, copy_tree, edit, write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.load import gitrun
from plaintrust.public import trust_json, view

EXPORT = '{"authenticators": ["webauthn"]}\n'
CONTROL = """\
id: AC-02
title: Security keys for administrators
status: implemented
owner: it-security@test.example
frequency: continuous
satisfies:
  soc2: [CC6.1]
evidence: [idp-export]
watches: [infra/*.tf, "infra/idp.tf#AC-02", infra/nope.tf]
public:
  category: access-control
  summary: Every administrator signs in with a hardware key.
"""
RECORD = """\
id: idp-export
title: Identity provider sign-on policy export
kind: configuration
collected: 2026-11-03
refresh: quarterly
classification: confidential
files:
  - path: files/idp.json
    sha256: {sha}
"""
IDP = """\
resource "okta_policy" "admins" {
  name = "Administrators"
  # plaintrust:start AC-02
  factor = "webauthn"
  # plaintrust:end
}
"""
AC02 = "controls/access/ac-02.yaml"
LATER = dt.date(2026, 12, 1)  # after the edit inside the region
WHOLE = (
    "infra/idp.tf changed on {day}, after the newest evidence of AC-02 (2026-11-03): collect fresh evidence or confirm"
)
REGION = "infra/idp.tf (region AC-02) changed on 2026-11-30, after the newest evidence of AC-02 (2026-11-03): collect fresh evidence or confirm"
HINT = (
    "collect new evidence (plaintrust evidence new FILE --control AC-02), or once someone has checked it still "
    "holds, set drift_confirmed_on: {today}"
)


@pytest.fixture(scope="module")
def committed(tmp_path_factory: pytest.TempPathFactory, git, commit) -> Path:
    repo = tmp_path_factory.mktemp("drift") / "repo"
    copy_tree(BASE, repo)
    write(repo, AC02, CONTROL)
    write(repo, "evidence/files/idp.json", EXPORT)
    write(repo, "evidence/access/idp-export.yaml", RECORD.format(sha=hashlib.sha256(EXPORT.encode()).hexdigest()))
    git(repo, "init", "-q")
    commit(repo, "2026-11-02", {"infra/idp.tf": IDP})
    commit(repo, "2026-11-10", {"infra/idp.tf": IDP.replace('"Administrators"', '"Admins"')})
    commit(
        repo, "2026-11-30", {"infra/idp.tf": IDP.replace('"Administrators"', '"Admins"').replace("webauthn", "passkey")}
    )
    return repo


@pytest.fixture
def repo(committed: Path, tmp_path: Path) -> Path:
    """A copy of the committed repository a test may edit (its git history included)."""
    shutil.copytree(committed, tmp_path / "repo", symlinks=True)
    return tmp_path / "repo"


def found(repo: Path, rule: str, today: dt.date | None = None) -> list[tuple[int, int, str, str | None]]:
    result = pipeline.run(repo, today=today)
    return [(d.line, d.col, d.message, d.hint) for d in result.diagnostics if d.rule == rule]


def test_a_change_after_the_newest_evidence_is_drift_in_the_words_of_the_design(committed: Path) -> None:
    hint = HINT.format(today="2026-12-01")
    assert found(committed, "control-drift", LATER) == [
        (9, 11, WHOLE.format(day="2026-11-30"), hint),
        (9, 23, REGION, hint),
    ]


def test_an_edit_outside_the_region_does_not_raise_it(committed: Path) -> None:
    """On the pinned day (22 November) the region has not changed since it was committed on 2 November."""
    assert found(committed, "control-drift") == [
        (9, 11, WHOLE.format(day="2026-11-10"), HINT.format(today="2026-11-22"))
    ]


def test_a_confirmation_silences_changes_on_or_before_its_day(repo: Path) -> None:
    edit(repo, AC02, "frequency: continuous\n", "frequency: continuous\ndrift_confirmed_on: 2026-11-09\n")
    assert [m for _, _, m, _ in found(repo, "control-drift")] == [WHOLE.format(day="2026-11-10")]
    edit(repo, AC02, "drift_confirmed_on: 2026-11-09", "drift_confirmed_on: 2026-11-10")
    assert found(repo, "control-drift") == []
    assert [m for _, _, m, _ in found(repo, "control-drift", LATER)] == [WHOLE.format(day="2026-11-30"), REGION]


def test_a_watch_that_names_no_file_is_a_watch_anchor_warning(committed: Path) -> None:
    assert found(committed, "watch-anchor") == [
        (
            9,
            45,
            "infra/nope.tf is not a file in the last commit (HEAD)",
            "write the path from the repository root (globs in git's syntax: * stays inside a folder, **/ is any "
            "folders) and commit the file: drift is judged from git history",
        )
    ]


def test_check_warns_and_passes_and_strict_fails(runner, committed: Path) -> None:
    result = runner.invoke(cli.cli, ["check", "--root", str(committed)])
    assert result.exit_code == ExitCode.OK, result.output
    assert f"controls/access/ac-02.yaml:9:11: warning [control-drift] {WHOLE.format(day='2026-11-10')}" in result.stdout
    strict = runner.invoke(cli.cli, ["check", "--strict", "--root", str(committed)])
    assert strict.exit_code == ExitCode.FINDINGS


def test_the_hint_names_the_series_that_collects_itself(repo: Path) -> None:
    collect = "collect:\n  run: [python, scripts/export_idp.py, --out, '{output}']\n  every: monthly\n"
    write(repo, "evidence/access/idp-export.yaml", (repo / "evidence/access/idp-export.yaml").read_text() + collect)
    hints = {h for _, _, _, h in found(repo, "control-drift")}
    assert hints == {
        "collect new evidence (plaintrust evidence collect idp-export, or evidence new), or once someone has "
        "checked it still holds, set drift_confirmed_on: 2026-11-22"
    }


def test_outside_git_nothing_is_judged_and_nothing_reported(repo: Path) -> None:
    shutil.rmtree(repo / ".git")
    result = pipeline.run(repo, today=LATER)
    assert result.model.watch_unknown == "the repository is not a git repository"
    assert [d for d in result.diagnostics if d.rule in ("control-drift", "watch-anchor")] == []


def test_the_public_trust_json_is_the_same_with_drift_or_without(committed: Path, tmp_path: Path) -> None:
    """Drift is internal: the practice stays Implemented; nothing of the watch reaches trust.json."""
    plain = tmp_path / "plain"
    shutil.copytree(committed, plain, symlinks=True, ignore=shutil.ignore_patterns(".git"))
    drifting = pipeline.run(committed, today=LATER)
    assert any(d.rule == "control-drift" for d in drifting.diagnostics)
    documents = [trust_json.render(view.build(r.model), "", True) for r in (drifting, pipeline.run(plain, today=LATER))]
    assert documents[0] == documents[1]
    assert b'"status": "Implemented"' in documents[0] and b"idp.tf" not in documents[0]


def test_the_facts_are_kept_in_the_cache_and_used_again(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = pipeline.run(repo)
    calls: list[str] = []
    real = gitrun.run
    monkeypatch.setattr(gitrun, "run", lambda *a, **k: calls.append(a[1][0]) or real(*a, **k))
    second = pipeline.run(repo)
    assert second.model.watch_facts == first.model.watch_facts
    assert "log" not in calls and "ls-tree" not in calls


def test_a_shallow_clone_says_its_history_is_cut_short_rather_than_report_drift(
    committed: Path, tmp_path: Path, git
) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth=1", f"file://{committed}", str(clone))
    assert found(clone, "control-drift", LATER) == []
    cut = (
        "the history of infra/idp.tf is cut short by a shallow clone: fetch the full history (fetch-depth: 0) to "
        "judge drift"
    )
    hint = "fetch the full history: fetch-depth: 0 with actions/checkout, GIT_DEPTH: 0 in GitLab CI, or git fetch --unshallow"
    assert [(m, h) for _, _, m, h in found(clone, "watch-anchor", LATER)][:2] == [(cut, hint), (cut, hint)]


UNJUDGED = "see what git says in the repository (git log), then run check again: drift is judged from git history"


def test_when_git_fails_one_warning_says_drift_was_not_checked(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = gitrun.run

    def slow_log(root, args, *rest, **kwargs):
        if args[0] == "log":
            raise gitrun.GitError("timed out after 30 seconds")
        return real(root, args, *rest, **kwargs)

    monkeypatch.setattr(gitrun, "run", slow_log)
    result = pipeline.run(repo, today=LATER, cache=False)  # the copied cache holds the facts: read git
    assert [d for d in result.diagnostics if d.rule == "control-drift"] == []
    assert [(d.line, d.col, d.message, d.hint) for d in result.diagnostics if d.rule == "watch-anchor"] == [
        (
            9,
            1,
            "drift was not checked: git could not read the repository's history: timed out after 30 seconds",
            UNJUDGED,
        )
    ]


def test_a_repository_git_refuses_gets_one_warning_saying_how_to_trust_it(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = gitrun.run
    said = b"fatal: detected dubious ownership in repository at '/x'\n\tgit config --global --add safe.directory /x\n"

    def refused(root, args, *rest, **kwargs):
        if args[0] == "rev-parse":
            return subprocess.CompletedProcess(args, 128, b"", said)
        return real(root, args, *rest, **kwargs)

    monkeypatch.setattr(gitrun, "run", refused)
    assert found(repo, "watch-anchor", LATER) == [
        (
            9,
            1,
            "drift was not checked: git refuses to read the repository: it belongs to another user than the one "
            "running Plaintrust",
            "run Plaintrust as the user who owns the repository, or tell git to trust it (git config --global --add "
            "safe.directory FOLDER): a CI container often checks out as another user",
        )
    ]


def test_a_partial_clone_still_reports_whole_file_drift_and_says_why_a_region_is_not_judged(
    repo: Path, tmp_path: Path, git
) -> None:
    git(repo, "config", "uploadpack.allowFilter", "true")
    clone = tmp_path / "blobless"
    git(tmp_path, "clone", "-q", "--filter=blob:none", f"file://{repo}", str(clone))
    assert [m for _, _, m, _ in found(clone, "control-drift", LATER)] == [WHOLE.format(day="2026-11-30")]
    assert found(clone, "watch-anchor", LATER)[0] == (
        9,
        23,
        "the history of infra/idp.tf is incomplete in this partial clone: clone the repository without --filter "
        "to judge drift",
        "clone without --filter (actions/checkout does unless told otherwise): Plaintrust reads a region's past "
        "revisions from the clone and never fetches them",
    )


def test_a_root_below_the_git_top_cannot_watch_a_file_above_it(tmp_path: Path, git, commit) -> None:
    top = tmp_path / "top"
    copy_tree(BASE, top / "trust")
    edit(
        top / "trust",
        "controls/access/ac-01.yaml",
        "evidence: [mfa-policy]\n",
        "evidence: [mfa-policy]\nwatches: [.github/workflows/ci.yml]\n",
    )
    git(top, "init", "-q")
    commit(top, "2026-11-02", {".github/workflows/ci.yml": "on: push\n"})
    assert [(m, h) for _, _, m, h in found(top / "trust", "watch-anchor")] == [
        (
            ".github/workflows/ci.yml is outside the folder Plaintrust reads (trust/ in the git repository): a watch "
            "names a file inside it",
            "write the path from the folder Plaintrust reads (--root): files elsewhere in the git repository cannot "
            "be watched",
        )
    ]
