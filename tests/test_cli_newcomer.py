"""The newcomer's path through the CLI: help that reads whole, paths read from --root, formats
that match, and errors that say what to do."""

from __future__ import annotations

import csv
import inspect
import json
import subprocess
from pathlib import Path

import click
import pytest

from helpers import edit, write
from plaintrust import cli
from plaintrust.cli import repository
from plaintrust.errors import ExitCode

# click formats help for a terminal of at most 80 columns, 2 of them margin (HelpFormatter).
HELP_WIDTH = 80 - 2


def _tree(group: click.Group, path: str) -> list[tuple[str, click.Command, int]]:
    """(command path, command, the width its parent's listing leaves for its short help)."""
    names = group.list_commands(click.Context(group))
    limit = HELP_WIDTH - 6 - max(len(name) for name in names)  # as click.Group.format_commands computes it
    found = []
    for name in names:
        command = group.get_command(click.Context(group), name)
        found.append((f"{path} {name}", command, limit))
        if isinstance(command, click.Group):
            found += _tree(command, f"{path} {name}")
    return found


COMMANDS = _tree(cli.cli, "plaintrust")
IDS = [path for path, _command, _limit in COMMANDS]


def invoke(runner, *args: str):
    return runner.invoke(cli.cli, list(args), prog_name="plaintrust")


def test_plaintrust_alone_prints_the_help_and_exits_0(runner) -> None:
    result = invoke(runner)
    assert result.exit_code == ExitCode.OK
    assert result.stdout.startswith("Usage: plaintrust")
    assert "Commands:" in result.stdout and "check " in result.stdout


@pytest.mark.parametrize(("path", "command", "limit"), COMMANDS, ids=IDS)
def test_each_listing_shows_a_whole_first_sentence(path: str, command: click.Command, limit: int) -> None:
    short = command.get_short_help_str(limit)
    assert not short.endswith("..."), f"{path}: {short!r} is cut"
    assert short.endswith("."), f"{path}: {short!r} is not a whole sentence"
    assert len(short) <= limit, f"{path}: {short!r} is longer than the {limit} columns its listing leaves"


ALL = [("plaintrust", cli.cli, HELP_WIDTH), *COMMANDS]


@pytest.mark.parametrize(("path", "command", "limit"), ALL, ids=[path for path, _, _ in ALL])
def test_each_description_opens_with_a_whole_sentence(path: str, command: click.Command, limit: int) -> None:
    first = " ".join(inspect.cleandoc(command.help or "").split("\n\n")[0].split())
    assert first.endswith("."), f"{path}: {first!r} is not a whole sentence"
    assert "->" not in first, f"{path}: {first!r} is a formula, not a sentence"


GROUPS = [path for path, command, _ in ALL if isinstance(command, click.Group)]


@pytest.mark.parametrize("path", GROUPS)
def test_each_group_alone_prints_its_help_and_exits_0(runner, path: str) -> None:
    result = invoke(runner, *path.split()[1:])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.startswith(f"Usage: {path} ") and "Commands:" in result.stdout


def test_audit_package_with_some_options_still_needs_the_others(runner, base_repo: Path) -> None:
    result = invoke(runner, "audit-package", "--root", str(base_repo))
    assert result.exit_code == ExitCode.USAGE
    assert "a package needs --framework ID and -o FILE.zip" in result.stderr


def test_serve_shows_where_its_address_comes_from(runner) -> None:
    shown = " ".join(invoke(runner, "serve", "--help").stdout.split())
    assert "[default: (mkdocs.yml's dev_addr, else 127.0.0.1:8000)]" in shown
    assert "frameworks/, site/ and mkdocs.yml" in shown


@pytest.mark.parametrize(("path", "command", "limit"), COMMANDS, ids=IDS)
def test_every_option_says_what_it_does(path: str, command: click.Command, limit: int) -> None:
    silent = [p.opts[-1] for p in command.params if isinstance(p, click.Option) and not (p.help or "").strip()]
    assert silent == [], f"{path}: options without help"


def _options(name: str) -> list[tuple[str, click.Option]]:
    return [
        (path, p)
        for path, command, _ in COMMANDS
        for p in command.params
        if isinstance(p, click.Option) and name in p.opts
    ]


def test_root_is_one_option_everywhere() -> None:
    found = {
        (p.help, p.default, p.show_default, type(p.type), p.type.exists, p.type.file_okay)
        for _, p in _options("--root")
    }
    assert len(found) == 1, found


def test_diagnostics_formats_are_one_option_and_evidence_due_offers_them_too() -> None:
    formats = {path: tuple(p.type.choices) for path, p in _options("--format")}
    diagnostics = {
        choices
        for path, choices in formats.items()
        if "text" in choices
        and path not in ("plaintrust gaps", "plaintrust evidence due", "plaintrust impact", "plaintrust answers fill")
    }
    assert diagnostics == {("github", "json", "sarif", "text")}
    assert set(formats["plaintrust evidence due"]) == {"github", "json", "sarif", "text", "csv"}


def test_dates_are_shown_as_yyyy_mm_dd(runner) -> None:
    dated = [(path, p) for path, command, _ in COMMANDS for p in command.params if isinstance(p.type, click.DateTime)]
    assert dated and all(p.metavar == "YYYY-MM-DD" for _, p in dated)
    shown = invoke(runner, "evidence", "new", "--help").stdout
    assert "--collected YYYY-MM-DD" in shown and "%Y" not in shown


# Paths on the command line are read from --root, wherever the command runs.
@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_schema_writes_into_a_directory_of_root(runner, base_repo: Path, elsewhere: Path) -> None:
    result = invoke(runner, "schema", "schemas", "--root", str(base_repo))
    assert result.exit_code == ExitCode.OK, result.output
    assert (base_repo / "schemas/plaintrust-control.schema.json").is_file()
    assert list(elsewhere.iterdir()) == []


def test_schema_refuses_an_input_folder_of_root(runner, base_repo: Path, elsewhere: Path) -> None:
    result = invoke(runner, "schema", "controls", "--root", str(base_repo))
    assert result.exit_code == ExitCode.USAGE
    assert "is in controls/" in result.stderr


def test_evidence_new_reads_a_relative_file_from_root(runner, base_repo: Path, elsewhere: Path) -> None:
    write(base_repo, "evidence/files/sso-apps.csv", "app,sso\nwiki,yes\n")
    result = invoke(runner, "evidence", "new", "--root", str(base_repo), "evidence/files/sso-apps.csv")
    assert result.exit_code == ExitCode.OK, result.output
    assert "path: files/sso-apps.csv" in (base_repo / "evidence/sso-apps.yaml").read_text()


def test_evidence_new_names_a_missing_file_and_where_it_looked(runner, base_repo: Path, elsewhere: Path) -> None:
    result = invoke(runner, "evidence", "new", "--root", str(base_repo), "evidence/files/nope.csv")
    assert result.exit_code == ExitCode.USAGE
    assert f"evidence/files/nope.csv does not exist in the repository at {base_repo}" in result.stderr


def test_evidence_new_takes_a_path_from_the_current_folder_into_the_repository(
    runner, base_repo: Path, elsewhere: Path
) -> None:
    repo = elsewhere / "r1"
    base_repo.rename(repo)
    write(repo, "evidence/files/x.json", "{}")
    result = invoke(runner, "evidence", "new", "--root", "r1", "r1/evidence/files/x.json")
    assert result.exit_code == ExitCode.OK, result.output
    assert "path: files/x.json" in (repo / "evidence/x.yaml").read_text()


def test_evidence_new_says_a_relative_file_is_read_from_root(runner, base_repo: Path, elsewhere: Path) -> None:
    repo = elsewhere / "r1"
    base_repo.rename(repo)
    write(repo, "r1/evidence/files/x.json", "{}")  # r1/FILE exists, outside r1/evidence: it is the one read
    write(repo, "evidence/files/x.json", "{}")
    result = invoke(runner, "evidence", "new", "--root", "r1", "r1/evidence/files/x.json")
    assert result.exit_code == ExitCode.USAGE
    assert (
        "a relative FILE is read from --root: r1/r1/evidence/files/x.json is not inside r1/evidence; "
        "did you mean evidence/files/x.json?"
    ) in result.stderr
    missing = invoke(runner, "evidence", "new", "--root", "r1", "r1/evidence/files/nope.json")
    assert missing.exit_code == ExitCode.USAGE
    assert "r1/evidence/files/nope.json does not exist from here either" in missing.stderr
    outside = invoke(runner, "evidence", "new", "--root", "r1", "notes.txt")
    assert "copy the file into r1/evidence first, and give its path from --root" in outside.stderr


def test_evidence_verify_in_an_empty_folder_says_it_is_no_repository(runner, elsewhere: Path) -> None:
    result = invoke(runner, "evidence", "verify")
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [site-plugin] mkdocs.yml is missing" in result.stdout
    assert "create one with `plaintrust init DIRECTORY`, or point --root at yours" in result.stdout


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_evidence_due_prints_the_formats_of_its_siblings(runner, base_repo: Path, fmt: str) -> None:
    result = invoke(runner, "evidence", "due", "--root", str(base_repo), "--format", fmt)
    assert result.exit_code == ExitCode.OK, result.output
    if fmt == "github":
        first = result.stdout.splitlines()[0]
        assert first.startswith("::warning file=controls/access/ac-01.yaml,line=") and "title=due-slot::" in first
        assert "evidence for control AC-01 missing since 2026-01-31: " in first
        return
    payload = json.loads(result.stdout)
    if fmt == "json":
        [first, second] = payload["diagnostics"]
        assert (first["rule"], first["severity"], first["hint"]) == (
            "due-slot",
            "warning",
            "owners: it-security@test.example; by: person",
        )
        assert second["message"].startswith("evidence for control AC-01 due by 2026-11-30: ")
    else:
        assert payload["version"] == "2.1.0" and len(payload["runs"][0]["results"]) == 2


def test_evidence_due_points_at_the_record_to_renew(runner, base_repo: Path) -> None:
    result = invoke(runner, "evidence", "due", "--root", str(base_repo), "--format", "json", "--within", "1y")
    last = json.loads(result.stdout)["diagnostics"][-1]
    assert (last["path"], last["line"], last["rule"]) == ("evidence/access/mfa-policy.yaml", 4, "due-evidence")
    assert last["message"].startswith("evidence record mfa-policy due by 2027-02-01: ")


CONTROLS_CSV = [
    ["id", "title", "status", "owner", "frequency"],
    ["HR-01", "Security training", "planned", "people@test.example", "annual"],
]


@pytest.mark.parametrize("into", ["controls/people", "people", "ABSOLUTE"])
def test_import_into_a_folder_under_controls_with_or_without_the_prefix(
    runner, base_repo: Path, elsewhere: Path, into: str
) -> None:
    sheet = elsewhere / "controls.csv"
    with sheet.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(CONTROLS_CSV)
    into = str(base_repo / "controls/people") if into == "ABSOLUTE" else into
    result = invoke(runner, "import", str(sheet), "--root", str(base_repo), "--into", into)
    assert result.exit_code == ExitCode.OK, result.output
    assert (base_repo / "controls/people/hr-01.yaml").is_file()
    assert not (elsewhere / "controls").exists() and not (base_repo / "controls/controls").exists()


@pytest.mark.parametrize("into", ["../site", "controls/../evidence"])
def test_import_refuses_a_folder_outside_controls(runner, base_repo: Path, elsewhere: Path, into: str) -> None:
    sheet = elsewhere / "controls.csv"
    with sheet.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(CONTROLS_CSV)
    result = invoke(runner, "import", str(sheet), "--root", str(base_repo), "--into", into)
    assert result.exit_code == ExitCode.USAGE
    assert f"{into} is not under controls/ of the repository at {base_repo}" in result.stderr


@pytest.mark.parametrize("into", ["program.yaml", "access/ac-01.yaml", "controls/access/ac-01.yaml/more"])
def test_import_into_a_file_is_a_usage_error(runner, base_repo: Path, elsewhere: Path, into: str) -> None:
    sheet = elsewhere / "controls.csv"
    with sheet.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream).writerows(CONTROLS_CSV)
    result = invoke(runner, "import", str(sheet), "--root", str(base_repo), "--into", into)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert f"Invalid value for --into: {into} must be a folder: " in result.stderr
    assert "is a file" in result.stderr


# mkdocs.yml must list the plugin: `check` says so, and `build` refuses for the same reason.
@pytest.mark.parametrize("strict", [[], ["--strict"]])
def test_check_fails_when_mkdocs_yml_lacks_the_plugin(runner, base_repo: Path, strict: list[str]) -> None:
    edit(base_repo, "mkdocs.yml", "  - plaintrust\n", "")
    result = invoke(runner, "check", "--root", str(base_repo), *strict)
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == (
        "mkdocs.yml:7:1: error [site-plugin] mkdocs.yml does not list the plaintrust plugin under `plugins:`, "
        "so no trust center would be built\n"
        "    hint: add the line `  - plaintrust` under `plugins:`\n"
    )


def test_build_refuses_for_the_same_reason_and_builds_nothing(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "  - plaintrust\n", "")
    result = invoke(runner, "build", "--root", str(base_repo))
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [site-plugin]" in result.stdout and "nothing was built" in result.stderr
    assert not (base_repo / "build").exists()


def test_mkdocs_yml_without_plugins_is_shown_the_lines_to_add(runner, base_repo: Path) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n  - search\n  - plaintrust\n", "")
    result = invoke(runner, "check", "--root", str(base_repo))
    assert result.exit_code == ExitCode.FINDINGS
    assert "mkdocs.yml:1:1: error [site-plugin]" in result.stdout
    assert "hint: add the line `plugins:` with `  - search` and `  - plaintrust` under it" in result.stdout


@pytest.mark.parametrize(
    "plugins",
    [
        "plugins:\n  search: {}\n  plaintrust: {max_grade: 12}\n",
        "INHERIT: base.yml\n",
        "plugins:\n  - search\n  - /plaintrust\n",
        "plugins:\n  - search\n  - /plaintrust: {enabled: true}\n",
    ],
)
def test_the_plugin_listed_as_mkdocs_reads_it_passes(runner, base_repo: Path, plugins: str) -> None:
    write(base_repo, "base.yml", "plugins:\n  - search\n  - plaintrust\n")
    edit(base_repo, "mkdocs.yml", "plugins:\n  - search\n  - plaintrust\n", plugins)
    result = invoke(runner, "check", "--root", str(base_repo))
    assert result.exit_code == ExitCode.OK, result.output


DISABLED = (
    "mkdocs.yml:7:1: error [site-plugin] mkdocs.yml lists the plaintrust plugin but turns it off "
    "(`enabled: false`), so `mkdocs build` would publish site/ as it is: no trust center, and no leak guard\n"
)


@pytest.mark.parametrize(
    "entry",
    [
        "  - plaintrust: {enabled: false}\n",
        "  - plaintrust:\n      enabled: no\n",
        "  - plaintrust: {enabled: !ENV [PLAINTRUST_TEST_ON, false]}\n",
    ],
)
def test_check_and_build_refuse_the_plugin_turned_off(
    runner, base_repo: Path, entry: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLAINTRUST_TEST_ON", raising=False)
    edit(base_repo, "mkdocs.yml", "  - plaintrust\n", entry)
    result = invoke(runner, "check", "--root", str(base_repo))
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.startswith(DISABLED) and "hint: remove `enabled: false`" in result.stdout
    built = invoke(runner, "build", "--root", str(base_repo))
    assert built.exit_code == ExitCode.FINDINGS and built.stdout.startswith(DISABLED)
    assert "nothing was built" in built.stderr and not (base_repo / "build").exists()


def test_an_env_enabled_counts_as_its_variable_says(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(base_repo, "mkdocs.yml", "  - plaintrust\n", "  - plaintrust: {enabled: !ENV [PLAINTRUST_TEST_ON, false]}\n")
    monkeypatch.setenv("PLAINTRUST_TEST_ON", "true")
    assert invoke(runner, "check", "--root", str(base_repo)).exit_code == ExitCode.OK
    monkeypatch.setenv("PLAINTRUST_TEST_ON", "false")
    assert invoke(runner, "check", "--root", str(base_repo)).stdout.startswith(DISABLED)


@pytest.mark.parametrize("enabled", ["!ENV PLAINTRUST_TEST_ON", "'off'"])
def test_an_enabled_that_is_not_true_or_false_is_refused(
    runner, base_repo: Path, enabled: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PLAINTRUST_TEST_ON", raising=False)
    edit(base_repo, "mkdocs.yml", "  - plaintrust\n", f"  - plaintrust: {{enabled: {enabled}}}\n")
    result = invoke(runner, "check", "--root", str(base_repo))
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [settings] invalid plaintrust plugin options: `enabled`" in result.stdout
    assert "site-plugin" not in result.stdout


def test_the_build_refuses_with_the_words_of_check(base_repo: Path) -> None:
    """Should MkDocs ever skip the plugin where `check` did not see it, the build says why in the same words."""
    from plaintrust import pipeline
    from plaintrust.errors import BuildFailed
    from plaintrust.public import sitebuild

    edit(base_repo, "mkdocs.yml", "  - plaintrust\n", "  - plaintrust: {enabled: false}\n")
    with pytest.raises(BuildFailed) as refused:
        sitebuild.build_site(base_repo, pipeline.run(base_repo))
    assert str(refused.value) == DISABLED.split("[site-plugin] ")[1].strip()


@pytest.mark.parametrize(
    ("broken", "rule"), [("plugins: [", "yaml-syntax"), ("  - plaintrust:\n      max_grade: high\n", "settings")]
)
def test_an_unreadable_mkdocs_yml_gets_one_error_not_two(runner, base_repo: Path, broken: str, rule: str) -> None:
    edit(base_repo, "mkdocs.yml", "plugins:\n  - search\n  - plaintrust\n", "plugins:\n  - search\n" + broken)
    result = invoke(runner, "check", "--root", str(base_repo))
    assert result.exit_code == ExitCode.FINDINGS
    assert f"error [{rule}]" in result.stdout and "site-plugin" not in result.stdout


def test_check_without_mkdocs_yml_says_what_it_needs(runner, base_repo: Path) -> None:
    (base_repo / "mkdocs.yml").unlink()
    result = invoke(runner, "check", "--root", str(base_repo))
    assert result.exit_code == ExitCode.FINDINGS
    assert "mkdocs.yml:1:1: error [site-plugin] mkdocs.yml is missing" in result.stdout
    assert "`plugins:` listing `search` and `plaintrust`" in result.stdout


def test_check_in_an_empty_folder_suggests_init(runner, elsewhere: Path) -> None:
    result = invoke(runner, "check")
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        "hint: there is no trust-center repository here (no controls/, evidence/ or site/): create one with "
        "`plaintrust init DIRECTORY`, or point --root at yours"
    ) in result.stdout


# gaps --since: the exact reason, before any work.
def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@test.example", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def no_outer_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A temporary folder inside someone's git checkout must still count as outside git."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))


def test_since_outside_git_says_so_and_suggests_git_init(runner, base_repo: Path, no_outer_git: None) -> None:
    result = invoke(runner, "gaps", "--root", str(base_repo), "--since", "v9")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == (
        f"Error: {base_repo} is not in a git repository, so --since has nothing to compare with (it lists what "
        "changed since an earlier commit, branch or tag): run `git init` there and commit your files, then tag "
        "each audited state\n"
    )


def test_since_names_an_unknown_ref(runner, base_repo: Path, no_outer_git: None) -> None:
    _git(base_repo, "init", "-q")
    _git(base_repo, "add", "-A")
    _git(base_repo, "commit", "-qm", "first")
    result = invoke(runner, "gaps", "--root", str(base_repo), "--since", "v9")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "Error: no commit, branch or tag named 'v9' in this repository\n"
    _git(base_repo, "tag", "v9")
    assert invoke(runner, "gaps", "--root", str(base_repo), "--since", "v9").exit_code == ExitCode.OK


def test_since_in_a_repository_without_commits(runner, base_repo: Path, no_outer_git: None) -> None:
    _git(base_repo, "init", "-q")
    result = invoke(runner, "gaps", "--root", str(base_repo), "--since", "v9")
    assert result.exit_code == ExitCode.USAGE
    assert "has no commits yet, so --since has nothing to compare with: commit your files first" in result.stderr


# Binary output never goes to a terminal; a pipe or a redirect takes it.
def test_xlsx_to_a_terminal_is_refused(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(repository, "_stdout_is_terminal", lambda: True)
    result = invoke(runner, "gaps", "--root", str(base_repo), "--format", "xlsx")
    assert result.exit_code == ExitCode.USAGE
    assert "the xlsx format is binary and would garble the terminal: pass -o FILE.xlsx" in result.stderr
    assert result.stdout_bytes == b""
    assert invoke(runner, "gaps", "--root", str(base_repo), "--format", "md").exit_code == ExitCode.OK


def test_xlsx_to_a_pipe_or_a_file_is_written(
    runner, base_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    piped = invoke(runner, "gaps", "--root", str(base_repo), "--format", "xlsx")  # CliRunner's stdout is no terminal
    assert piped.exit_code == ExitCode.OK and piped.stdout_bytes.startswith(b"PK")
    monkeypatch.setattr(repository, "_stdout_is_terminal", lambda: True)
    target = tmp_path / "gaps.xlsx"
    written = invoke(runner, "gaps", "--root", str(base_repo), "--format", "xlsx", "-o", str(target))
    assert written.exit_code == ExitCode.OK and target.read_bytes() == piped.stdout_bytes
