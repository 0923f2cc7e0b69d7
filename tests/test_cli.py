"""`plaintrust check` and `plaintrust schema` through click's runner: formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from helpers import write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode

BROKEN_CONTROL = """\
id: AC-02
title: Broken on purpose
status: done
owner: it@test.example
frequency: weekly
evidence: [no-such-record]
"""
WARNING_CONTROL = """\
id: AC-03
title: Implemented without proof
status: implemented
owner: it@test.example
frequency: weekly
"""


def test_clean_repository_exits_0(runner, base_repo: Path) -> None:
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK
    assert result.stdout == ""
    assert "no problems found" in result.stderr


def test_errors_exit_1_with_every_problem_in_text(runner, base_repo: Path) -> None:
    write(base_repo, "controls/access/ac-02.yaml", BROKEN_CONTROL)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.splitlines()[0] == (
        "controls/access/ac-02.yaml:3:9: error [schema] status: 'done' is not one of: "
        "implemented, partial, planned, not-implemented"
    )
    assert "1 error, 0 warnings" in result.stderr


def test_semantic_problems_are_reported_when_the_schema_passes(runner, base_repo: Path) -> None:
    write(base_repo, "controls/access/ac-02.yaml", BROKEN_CONTROL.replace("done", "planned"))
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        "controls/access/ac-02.yaml:6:12: error [unknown-evidence] no evidence record has the id 'no-such-record'"
        in result.stdout
    )


def test_json_format(runner, base_repo: Path) -> None:
    write(base_repo, "controls/access/ac-02.yaml", BROKEN_CONTROL)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo), "--format", "json"])
    payload = json.loads(result.stdout)
    assert payload["summary"] == {"errors": 1, "warnings": 0}
    first = payload["diagnostics"][0]
    assert (first["path"], first["line"], first["col"], first["rule"]) == ("controls/access/ac-02.yaml", 3, 9, "schema")


def test_github_format_escapes_and_annotates(runner, base_repo: Path) -> None:
    write(base_repo, "controls/access/ac-02.yaml", BROKEN_CONTROL)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo), "--format", "github"])
    assert result.stdout.startswith("::error file=controls/access/ac-02.yaml,line=3,col=9,title=schema::status: 'done'")


def test_sarif_format(runner, base_repo: Path) -> None:
    write(base_repo, "controls/access/ac-02.yaml", BROKEN_CONTROL)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo), "--format", "sarif"])
    log = json.loads(result.stdout)
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    [finding] = run["results"]
    assert run["tool"]["driver"]["rules"][finding["ruleIndex"]]["id"] == finding["ruleId"] == "schema"
    region = finding["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (3, 9)


def test_warnings_pass_unless_strict(runner, base_repo: Path) -> None:
    write(base_repo, "controls/access/ac-03.yaml", WARNING_CONTROL)
    relaxed = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    strict = runner.invoke(cli.cli, ["check", "--root", str(base_repo), "--strict"])
    assert relaxed.exit_code == ExitCode.OK
    assert "warning [control-without-evidence]" in relaxed.stdout
    assert strict.exit_code == ExitCode.FINDINGS


@pytest.mark.parametrize("args", [["check", "--format", "xml"], ["check", "--root", "/no/such/dir"], ["nope"]])
def test_usage_errors_exit_2(runner, args: list[str]) -> None:
    assert runner.invoke(cli.cli, args).exit_code == ExitCode.USAGE


def test_a_bug_exits_3_with_a_report_request(monkeypatch, capsys, base_repo: Path) -> None:
    def explode(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline, "run", explode)
    monkeypatch.setattr("sys.argv", ["plaintrust", "check", "--root", str(base_repo)])
    with pytest.raises(SystemExit) as stopped:
        cli.main()
    assert stopped.value.code == ExitCode.INTERNAL
    assert "internal error" in capsys.readouterr().err


def test_schema_writes_valid_self_contained_schemas(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli.cli, ["schema", str(tmp_path / "schemas")])
    assert result.exit_code == ExitCode.OK
    written = sorted(p.name for p in (tmp_path / "schemas").iterdir())
    assert written == sorted(
        f"plaintrust-{k}.schema.json"
        for k in (
            "control",
            "evidence",
            "program",
            "catalog",
            "trust",
            "update",
            "policy",
            "answer",
            "gap-report",
            "trust-center",
            "impact",
            "answers-export",
        )
    )
    for name in written:
        loaded = json.loads((tmp_path / "schemas" / name).read_text())
        Draft202012Validator.check_schema(loaded)
        refs = {v for v in _walk(loaded) if isinstance(v, str) and v.startswith("#/$defs/")}
        assert all(ref.removeprefix("#/$defs/") in loaded["$defs"] for ref in refs)


def _walk(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)
    else:
        yield node
