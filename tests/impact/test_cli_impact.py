"""`plaintrust impact` end to end, on git repositories built here: the report for a range, --root a
sub-folder, -o, --fail-on and its exit codes, usage errors (exit 2) that say what to do, and a
shallow clone fetching its base with --fetch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import BASE, commit, copy_tree, edit, git, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.load import gitrun

AC01 = "controls/access/ac-01.yaml"


@pytest.fixture(scope="module")
def top(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | str]:
    """On the branch `trunk` (no default branch): empty (a README alone), the base repository,
    then AC-01 only partly in place, beside links leaving the repository (an extracted commit
    leaves them out, rather than failing)."""
    root = tmp_path_factory.mktemp("impact") / "top"
    write(root, "README.md", "Not a trust center yet.\n")
    git(root, "init", "-q", "-b", "trunk")
    empty = commit(root, "empty", "2026-10-01")
    copy_tree(BASE, root)
    base = commit(root, "base", "2026-11-01")
    edit(root, AC01, "status: implemented", "status: partial")
    (root / "notes").mkdir()
    (root / "notes/passwd").symlink_to("/etc/passwd")
    (root / "notes/up").symlink_to("../../elsewhere")
    drop = commit(root, "drop", "2026-11-10")
    return {"root": root, "empty": empty, "base": base, "drop": drop}


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The trust center in trust/ of a larger work tree, on main: a commit before trust/ existed,
    one adding it, one changing its summary (and a file outside it), then an uncommitted title in
    the working tree."""
    root = tmp_path_factory.mktemp("impact") / "nested"
    write(root, "app/main.py", "print('one')\n")
    git(root, "init", "-q", "-b", "main")
    commit(root, "app", "2026-10-01")
    copy_tree(BASE, root / "trust")
    commit(root, "base", "2026-11-01")
    edit(root, f"trust/{AC01}", "Every person on our team", "Each person on our team")
    write(root, "app/main.py", "print('two')\n")
    commit(root, "summary", "2026-11-05")
    edit(root, f"trust/{AC01}", "title: Multi-factor authentication", "title: Hardware keys")
    return root


def invoke(runner, *args: str):
    return runner.invoke(cli.cli, ["impact", *args], prog_name="plaintrust")


def report(result) -> dict:
    assert result.exit_code == ExitCode.OK, result.output
    return json.loads(result.stdout)


def keys(document: dict, section: str) -> list[str]:
    return [item["key"] for item in document["sections"][section]]


# -- the report -----------------------------------------------------------------------------------------


def test_a_range_of_two_commits(runner, top) -> None:
    document = report(invoke(runner, "--root", str(top["root"]), "HEAD~1..HEAD", "--format", "json"))
    assert document["base"] == {"label": "HEAD~1", "commit": top["base"], "day": "2026-11-01"}
    assert document["head"] == {"label": "HEAD", "commit": top["drop"], "day": "2026-11-10"}
    assert document["today"] == "2026-11-22"
    assert keys(document, "controls") == ["AC-01"]
    assert document["summary"]["meets"] == ["public-change", "status-drop"]


def test_text_by_default_and_exit_0_without_fail_on(runner, top) -> None:
    result = invoke(runner, "--root", str(top["root"]), f"{top['base']}..{top['drop']}")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.startswith(f"Compliance impact: {top['base'][:12]} (2026-11-01) → ")
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("choices", "met"),
    [
        (["--fail-on", "public-change"], "public-change (a public claim changes)"),
        (
            ["--fail-on", "leak,status-drop", "--fail-on", "public-change"],
            "public-change (a public claim changes); status-drop (a gap status or a public status gets worse)",
        ),
    ],
)
def test_fail_on_exits_1_when_met_and_says_which(runner, top, choices: list[str], met: str) -> None:
    result = invoke(runner, "--root", str(top["root"]), "HEAD~1..HEAD", *choices)
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.startswith("Compliance impact: ")
    assert result.stderr == f"--fail-on met: {met}\n"


def test_fail_on_what_the_change_does_not_meet_exits_0(runner, top) -> None:
    result = invoke(runner, "--root", str(top["root"]), "HEAD~1..HEAD", "--fail-on", "leak")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stderr == ""


def test_an_unknown_fail_on_choice_is_a_usage_error(runner, top) -> None:
    result = invoke(runner, "--root", str(top["root"]), "HEAD~1..HEAD", "--fail-on", "leak,public")
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--fail-on': 'public': choose among public-change, status-drop, leak" in result.stderr


def test_output_writes_the_report_to_a_file(runner, top, tmp_path: Path) -> None:
    target = tmp_path / "impact.md"
    result = invoke(runner, "--root", str(top["root"]), "HEAD~1..HEAD", "--format", "markdown", "-o", str(target))
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == ""
    written = target.read_text(encoding="utf-8")
    assert written.startswith("<!-- plaintrust-impact -->\n### Compliance impact\n")
    said = result.stderr.removeprefix(f"wrote {target}: ")
    assert said.startswith("1 control changed · ") and said.endswith("\n")
    assert said.strip() in written.splitlines()  # the report's own summary line


def test_output_never_replaces_an_input(runner, top) -> None:
    target = top["root"] / AC01
    before = target.read_bytes()
    result = invoke(runner, "--root", str(top["root"]), "HEAD~1..HEAD", "-o", str(target))
    assert result.exit_code == ExitCode.USAGE
    assert target.read_bytes() == before


def test_output_never_replaces_a_watched_file(runner, base_repo: Path) -> None:
    edit(base_repo, AC01, "evidence: [mfa-policy]", 'evidence: [mfa-policy]\nwatches: [infra/*.tf, "idp.tf#AC-01"]')
    write(base_repo, "infra/idp.tf", "mfa = true\n")
    git(base_repo, "init", "-q", "-b", "main")
    commit(base_repo, "base", "2026-11-01")
    for target, spec in (("infra/idp.tf", "infra/*.tf"), ("infra/new.tf", "infra/*.tf"), ("idp.tf", "idp.tf#AC-01")):
        result = invoke(runner, "--root", str(base_repo), "main", "-o", str(base_repo / target))
        assert result.exit_code == ExitCode.USAGE, result.output
        assert f"is watched by a control ({spec}); nothing was written" in result.stderr
    assert (base_repo / "infra/idp.tf").read_text() == "mfa = true\n"
    assert not (base_repo / "infra/new.tf").exists() and not (base_repo / "idp.tf").exists()
    result = invoke(runner, "--root", str(base_repo), "main", "-o", str(base_repo / "infra/impact.md"))
    assert result.exit_code == ExitCode.OK, result.output
    assert (base_repo / "infra/impact.md").read_text().startswith("Compliance impact: ")


def test_output_never_replaces_a_watched_link_leading_outside(runner, base_repo: Path, tmp_path: Path) -> None:
    """The path as written is matched, not just where it leads: a watched link is what the controls rest on."""
    edit(base_repo, AC01, "evidence: [mfa-policy]", "evidence: [mfa-policy]\nwatches: [infra/*.tf]")
    outside = tmp_path / "outside.txt"
    outside.write_text("elsewhere\n")
    write(base_repo, "infra/main.tf", "mfa = true\n")
    (base_repo / "infra/idp.tf").symlink_to(outside)
    git(base_repo, "init", "-q", "-b", "main")
    commit(base_repo, "base", "2026-11-01")
    result = invoke(runner, "--root", str(base_repo), "main", "-o", str(base_repo / "infra/idp.tf"))
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "is watched by a control (infra/*.tf); nothing was written" in result.stderr
    assert (base_repo / "infra/idp.tf").is_symlink() and outside.read_text() == "elsewhere\n"


def test_the_fetch_help_names_the_programs_a_clones_settings_run(runner) -> None:
    said = " ".join(invoke(runner, "--help").stdout.split())
    for setting in ("remote.<name>.uploadpack", "core.gitProxy", "credential.helper", "core.sshCommand"):
        assert setting in said.split("--remote NAME")[0]  # in --fetch's own help line
        assert said.count(setting) == 2  # and in the command's text


def test_a_side_without_a_program_still_gives_a_report_with_a_note(runner, top) -> None:
    document = report(invoke(runner, "--root", str(top["root"]), f"{top['empty']}..{top['base']}", "--format", "json"))
    assert "Requirements were not compared: the base has no usable controls/program.yaml." in document["notes"]
    assert keys(document, "controls") == ["AC-01"]
    assert [item["change"] for item in document["sections"]["controls"]] == ["added"]


def test_root_a_sub_folder_of_the_work_tree(runner, nested: Path) -> None:
    trust = str(nested / "trust")
    committed = report(invoke(runner, "--root", trust, "HEAD~1..HEAD", "--format", "json"))
    [control] = committed["sections"]["controls"]
    assert (control["path"], [d["field"] for d in control["details"]]) == (AC01, ["public.summary"])
    # No range: the merge base with main (HEAD itself, on main) against the working tree.
    working = report(invoke(runner, "--root", trust, "--format", "json"))
    assert working["base"]["label"] == "merge base of main and HEAD"
    assert working["head"] == {"label": "working tree", "commit": None, "day": None}
    [control] = working["sections"]["controls"]
    assert [(d["field"], d["after"]) for d in control["details"]] == [("title", "Hardware keys for workforce access")]


def test_a_commit_before_the_sub_folder_existed_is_an_empty_side(runner, nested: Path) -> None:
    document = report(invoke(runner, "--root", str(nested / "trust"), "HEAD~2..HEAD~1", "--format", "json"))
    assert "Requirements were not compared: the base has no usable controls/program.yaml." in document["notes"]
    assert [(item["key"], item["change"]) for item in document["sections"]["controls"]] == [("AC-01", "added")]


# -- usage errors ----------------------------------------------------------------------------------------


def test_no_default_branch_is_a_usage_error_naming_what_to_pass(runner, top) -> None:
    result = invoke(runner, "--root", str(top["root"]))
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "Error: found no default branch to compare with (neither origin/HEAD, origin/main, origin/master, main "
        "nor master): name the base, as in `plaintrust impact BASE` or `plaintrust impact BASE..HEAD` "
        "(a branch, tag or commit)\n"
    )


def test_a_range_starting_with_a_dash_never_reaches_git(runner, top, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []
    monkeypatch.setattr(gitrun, "run", lambda *a, **k: calls.append(a))
    result = invoke(runner, "--root", str(top["root"]), "--", "--upload-pack=touch pwned")
    assert result.exit_code == ExitCode.USAGE
    assert "starts with '-', so it cannot be a git name" in result.stderr
    assert calls == []


def test_an_unknown_ref_is_a_usage_error(runner, top) -> None:
    result = invoke(runner, "--root", str(top["root"]), "v9..HEAD")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "Error: no commit, branch or tag named 'v9' (the base) in this repository: "
        "check the name, or pass --fetch to fetch it from origin\n"
    )


def test_a_folder_outside_git_is_a_usage_error_saying_so(runner, base_repo: Path) -> None:
    result = invoke(runner, "--root", str(base_repo), "HEAD")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        "Error: plaintrust impact compares states of the git history, "
        f"but the repository is not a git repository ({base_repo})\n"
    )


# -- shallow clones -------------------------------------------------------------------------------------


@pytest.fixture
def shallow(top, tmp_path: Path) -> Path:
    """A CI checkout: the head alone, one commit deep."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--branch", "trunk", f"file://{top['root']}", str(clone))
    return clone


def test_a_shallow_clone_lacking_the_base_says_how_to_get_it(runner, top, shallow: Path) -> None:
    result = invoke(runner, "--root", str(shallow), f"{top['base']}..HEAD")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        f"Error: the base '{top['base']}' is not in this clone, which is shallow (it holds only part of the "
        f"history): pass --fetch, or run: git fetch --depth=1 origin {top['base']}\n"
    )


def test_fetch_gets_the_base_from_the_clones_remote(runner, top, shallow: Path) -> None:
    document = report(invoke(runner, "--root", str(shallow), f"{top['base']}..HEAD", "--fetch", "--format", "json"))
    assert document["base"]["commit"] == top["base"]
    assert document["notes"][0] == f"fetched {top['base']} from origin (depth 1) for the base"
    assert keys(document, "controls") == ["AC-01"]


def test_fetch_finds_a_merge_base_beyond_the_shallow_history(runner, top, shallow: Path) -> None:
    spec = f"{top['base']}...HEAD"
    document = report(invoke(runner, "--root", str(shallow), spec, "--fetch", "--format", "json"))
    assert document["base"] == {
        "label": f"merge base of {top['base']} and HEAD",
        "commit": top["base"],
        "day": "2026-11-01",
    }
    assert document["notes"][:2] == [
        f"fetched {top['base']} from origin (depth 1) for the base",
        "fetched 50 more commits of history from origin to find the merge base",
    ]
    assert keys(document, "controls") == ["AC-01"]


def test_a_head_that_cannot_be_judged_fails_closed_and_says_why(runner, top) -> None:
    result = invoke(runner, "--root", str(top["root"]), f"{top['base']}..{top['empty']}", "--fail-on", "status-drop")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.stderr.startswith("--fail-on met: status-drop (the head could not be judged whole: ")
