"""`plaintrust init DIR`: a new repository that passes `check` with no warning and builds as is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from plaintrust import cli, clock, pipeline, schemas
from plaintrust.errors import ExitCode

ROOT = Path(__file__).parents[2]
SCHEMA_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)\n")


@pytest.fixture
def fresh(runner, tmp_path: Path) -> Path:
    target = tmp_path / "trust"
    # An empty --source: the workflow as examples/ci/ ships it, whatever this test's Plaintrust came from.
    result = runner.invoke(cli.cli, ["init", str(target), "--source", ""])
    assert result.exit_code == ExitCode.OK, result.output
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_new_repository_passes_check_without_a_warning(runner, fresh: Path) -> None:
    result = runner.invoke(cli.cli, ["check", "--strict", "--root", str(fresh)])
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == ""
    assert "no problems found" in result.stderr


def test_the_new_repository_builds_the_site_and_the_gap_report(runner, fresh: Path) -> None:
    result = runner.invoke(cli.cli, ["build", "--strict", "--root", str(fresh)])
    assert result.exit_code == ExitCode.OK, result.output
    assert (fresh / "build/site/index.html").is_file()
    assert (fresh / "build/site/faq/index.html").is_file()
    assert (fresh / "build/gap-report/gap-report.json").is_file()
    assert not (fresh / "build/site/gap-report").exists()


def test_its_evidence_is_pinned_current_and_verified(runner, fresh: Path) -> None:
    result = runner.invoke(cli.cli, ["evidence", "verify", "--root", str(fresh)])
    assert result.exit_code == ExitCode.OK, result.output
    model = pipeline.run(fresh, cache=False).model
    assert len(model.evidence) >= 2 and 3 <= len(model.controls) <= 5
    for record in model.evidence:
        assert record.collected == clock.today() and record.state.value == "current"
        assert all(f.sha256 and f.sha256 == f.fact.sha256 for f in record.files)
    lines = (fresh / "evidence/ledger.jsonl").read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, len(lines) + 1))
    assert len(lines) == sum(len(r.files) for r in model.evidence)


def test_it_declares_the_three_frameworks(fresh: Path) -> None:
    program = yaml.safe_load((fresh / "controls/program.yaml").read_text())
    assert [f["catalog"] for f in program["frameworks"]] == ["soc2-2017", "iso27001-2022", "pci-dss-4.0.1"]


def test_init_is_deterministic(runner, tmp_path: Path) -> None:
    for name in ("one", "two"):
        assert runner.invoke(cli.cli, ["init", str(tmp_path / name)]).exit_code == ExitCode.OK
    assert _files(tmp_path / "one") == _files(tmp_path / "two")


def test_it_writes_gitignore_workflow_schemas_and_no_cache(fresh: Path) -> None:
    assert (fresh / ".gitignore").read_text().split("\n")[1:4] == ["build/", ".plaintrust-cache/", ".venv/"]
    workflow = (fresh / ".github/workflows/trust-center.yml").read_bytes()
    assert workflow == (ROOT / "examples/ci/github-actions.yml").read_bytes()
    names = {p.name for p in (fresh / "schemas").iterdir()}
    assert names == {f"plaintrust-{k}.schema.json" for k in (*schemas.KINDS, *schemas.OUTPUTS)}
    assert not (fresh / ".plaintrust-cache").exists()
    leftovers = [rel for rel, data in _files(fresh).items() if re.search(rb"\{\{[a-z_]+\}\}", data)]
    assert leftovers == []


def test_every_yaml_file_names_its_schema_in_its_first_line(fresh: Path) -> None:
    kinds = {"controls/program.yaml": "program", "site/trust.yaml": "trust"}
    records = [
        p for p in (fresh / "evidence").rglob("*.yaml") if "files" not in p.relative_to(fresh / "evidence").parts
    ]
    controls = [p for p in (fresh / "controls").rglob("*.yaml") if p.name != "program.yaml"]
    answers = list((fresh / "answers").rglob("*.yaml"))
    assert len(answers) == 3
    expected = {
        **{p.relative_to(fresh).as_posix(): "control" for p in controls},
        **{p.relative_to(fresh).as_posix(): "answer" for p in answers},
        **{p.relative_to(fresh).as_posix(): "evidence" for p in records},
        **kinds,
    }
    assert len(expected) >= 8
    for rel, kind in expected.items():
        match = SCHEMA_LINE.match((fresh / rel).read_text())
        assert match, rel
        target = (fresh / rel).parent / match.group(1)
        assert target.resolve() == (fresh / "schemas" / f"plaintrust-{kind}.schema.json").resolve(), rel
        assert target.is_file()


def test_a_folder_that_is_not_empty_is_refused_without_force(runner, tmp_path: Path) -> None:
    target = tmp_path / "busy"
    target.mkdir()
    (target / "notes.txt").write_text("mine\n")
    result = runner.invoke(cli.cli, ["init", str(target)])
    assert result.exit_code == ExitCode.USAGE
    assert "not empty" in result.stderr and "Traceback" not in result.output
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    forced = runner.invoke(cli.cli, ["init", str(target), "--force"])
    assert forced.exit_code == ExitCode.OK, forced.output
    assert (target / "notes.txt").read_text() == "mine\n" and (target / "mkdocs.yml").is_file()


def test_a_file_in_the_way_is_a_usage_error(runner, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    result = runner.invoke(cli.cli, ["init", str(tmp_path / "file")])
    assert result.exit_code == ExitCode.USAGE and "Traceback" not in result.output


def test_an_organization_name_with_yaml_syntax_stays_text(runner, tmp_path: Path) -> None:
    name = "Acme: Widgets # & Co, 'Ltd'"
    target = tmp_path / "acme"
    assert runner.invoke(cli.cli, ["init", str(target), "--organization", name]).exit_code == ExitCode.OK
    assert yaml.safe_load((target / "site/trust.yaml").read_text())["organization"] == name
    assert yaml.safe_load((target / "mkdocs.yml").read_text())["site_name"] == f"{name} Trust Center"
    assert runner.invoke(cli.cli, ["check", "--strict", "--root", str(target)]).exit_code == ExitCode.OK


def test_an_organization_name_over_two_lines_is_refused(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["init", str(tmp_path / "x"), "--organization", "Two\nlines"])
    assert result.exit_code == ExitCode.USAGE


def test_the_workflow_installs_the_source_it_is_given(runner, tmp_path: Path) -> None:
    requirement = "plaintrust @ git+https://github.com/acme/plaintrust@0123456789abcdef0123456789abcdef01234567"
    result = runner.invoke(cli.cli, ["init", str(tmp_path / "t"), "--source", requirement])
    assert result.exit_code == ExitCode.OK, result.output
    workflow = yaml.safe_load((tmp_path / "t/.github/workflows/trust-center.yml").read_text())
    assert workflow["env"]["PLAINTRUST"] == requirement
    assert f"CI installs: {requirement}" in result.stderr


def test_an_empty_source_is_said_and_the_workflow_stops_with_the_fix(runner, fresh: Path) -> None:
    workflow = yaml.safe_load((fresh / ".github/workflows/trust-center.yml").read_text())
    assert workflow["env"]["PLAINTRUST"] == ""
    for job in ("check", "build"):
        install = next(s["run"] for s in workflow["jobs"][job]["steps"] if s.get("name") == "Install Plaintrust")
        assert install.startswith('test -n "$PLAINTRUST" || { echo "::error::Set PLAINTRUST')


@pytest.mark.parametrize(
    "bad",
    [
        "plaintrust\nrm -rf /",
        'plaintrust" && curl x',
        "plaintrust $(id)",
        "-e .",
        "plaintrust @ git+https://user:token@github.com/acme/plaintrust",
    ],
)
def test_a_source_that_is_not_one_requirement_is_refused(runner, tmp_path: Path, bad: str) -> None:
    result = runner.invoke(cli.cli, ["init", str(tmp_path / "t"), "--source", bad])
    assert result.exit_code == ExitCode.USAGE and "--source" in result.output
    assert not (tmp_path / "t").exists()


def test_git_makes_it_a_repository(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["init", str(tmp_path / "t"), "--git", "--source", ""])
    assert result.exit_code == ExitCode.OK, result.output
    # On main, the branch the workflow publishes from, whatever git's own default is.
    assert (tmp_path / "t/.git/HEAD").read_text() == "ref: refs/heads/main\n"
    assert "git -C" in result.stderr and "commit" in result.stderr


def test_it_writes_pre_commit_hooks_that_run_the_installed_plaintrust(fresh: Path) -> None:
    config = yaml.safe_load((fresh / ".pre-commit-config.yaml").read_text())
    hooks = {h["id"]: h for h in config["repos"][0]["hooks"]}
    assert config["repos"][0]["repo"] == "local"
    assert {h["entry"] for h in hooks.values()} == {"plaintrust check", "plaintrust evidence verify"}
    assert all(h["language"] == "system" and h["pass_filenames"] is False for h in hooks.values())
