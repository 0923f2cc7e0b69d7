"""`plaintrust evidence new FILE`: a record scaffolded from a file, pinned, entered in the ledger."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from evidence_repo import ledger_lines
from helpers import edit, write
from plaintrust import cli
from plaintrust.errors import ExitCode

EXPORT = "evidence/files/access/sso-apps-2026-11.csv"


def new(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["evidence", "new", "--root", str(repo), *args])


def test_a_record_is_scaffolded_and_pinned(runner, base_repo: Path) -> None:
    data = write(base_repo, EXPORT, "app,sso\nwiki,yes\n").read_bytes()
    edit(base_repo, "controls/access/ac-01.yaml", "frequency: continuous", "frequency: monthly")
    result = new(runner, base_repo, str(base_repo / EXPORT), "--control", "AC-01")
    assert result.exit_code == ExitCode.OK, result.output
    assert "wrote evidence/access/sso-apps-2026-11.yaml" in result.stderr
    assert "next: add sso-apps-2026-11 to the evidence of AC-01" in result.stderr
    digest = hashlib.sha256(data).hexdigest()
    assert (
        (base_repo / "evidence/access/sso-apps-2026-11.yaml").read_text()
        == f"""\
id: sso-apps-2026-11
title: Sso apps 2026 11
kind: report
collected: 2026-11-22
refresh: monthly
classification: confidential
files:
  - path: files/access/sso-apps-2026-11.csv
    sha256: {digest}
"""
    )
    [entry] = [json.loads(line) for line in ledger_lines(base_repo)]
    assert (entry["record"], entry["file"], entry["sha256"], entry["seq"]) == (
        "sso-apps-2026-11",
        "files/access/sso-apps-2026-11.csv",
        digest,
        1,
    )
    check = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert check.exit_code == ExitCode.OK
    assert "[evidence-unused]" in check.stdout  # until a control links it, as the command says


def test_every_guess_can_be_overridden(runner, base_repo: Path) -> None:
    write(base_repo, "evidence/screens/login.png", "PNG")
    result = new(
        runner,
        base_repo,
        str(base_repo / "evidence/screens/login.png"),
        "--id",
        "login-screen",
        "--title",
        "Login page: MFA prompt",
        "--collected",
        "2026-10-01",
        "--refresh",
        "1y",
        "--classification",
        "internal",
        "--covers",
        "2026-09-01..2026-09-30",
    )
    assert result.exit_code == ExitCode.OK, result.output
    record = (base_repo / "evidence/screens/login-screen.yaml").read_text()
    assert record.startswith(
        'id: login-screen\ntitle: "Login page: MFA prompt"\nkind: screenshot\ncollected: 2026-10-01\n'
        "covers: {from: 2026-09-01, to: 2026-09-30}\nrefresh: 1y\nclassification: internal\n"
    )


@pytest.mark.parametrize(
    "name, kind",
    [("policy.yaml", "configuration"), ("shot.JPG", "screenshot"), ("audit.log", "log"), ("report.pdf", "report")],
)
def test_the_kind_is_guessed_from_the_extension(runner, base_repo: Path, name: str, kind: str) -> None:
    write(base_repo, f"evidence/files/{name}", "x")
    assert new(runner, base_repo, str(base_repo / f"evidence/files/{name}"), "--id", "x-1").exit_code == ExitCode.OK
    assert f"kind: {kind}\n" in (base_repo / "evidence/x-1.yaml").read_text()


def test_the_shortest_cadence_of_the_controls_sets_refresh(runner, base_repo: Path) -> None:
    write(
        base_repo,
        "controls/access/ac-02.yaml",
        (base_repo / "controls/access/ac-01.yaml")
        .read_text()
        .replace("AC-01", "AC-02")
        .replace("frequency: continuous", "frequency: weekly"),
    )
    write(base_repo, "evidence/files/x.txt", "x")
    assert (
        new(
            runner, base_repo, str(base_repo / "evidence/files/x.txt"), "--control", "AC-01", "--control", "AC-02"
        ).exit_code
        == 0
    )
    assert "refresh: weekly\n" in (base_repo / "evidence/x.yaml").read_text()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--id", "mfa-policy"], "an evidence record with the id 'mfa-policy' exists already"),
        (["--control", "ZZ-99"], "no control has the id 'ZZ-99'"),
        (["--collected", "2027-01-01"], "--collected 2027-01-01 lies in the future"),
        (["--covers", "2026-09-30..2026-09-01"], "write FROM..TO, two dates in order"),
    ],
)
def test_values_that_cannot_work_are_usage_errors(runner, base_repo: Path, args: list[str], message: str) -> None:
    write(base_repo, "evidence/files/x.txt", "x")
    result = new(runner, base_repo, str(base_repo / "evidence/files/x.txt"), *args)
    assert result.exit_code == ExitCode.USAGE
    assert message in result.output
    assert not (base_repo / "evidence/x.yaml").exists() and not (base_repo / "evidence/ledger.jsonl").exists()


def test_a_file_outside_evidence_is_refused(runner, base_repo: Path) -> None:
    result = new(runner, base_repo, str(base_repo / "controls/program.yaml"))
    assert result.exit_code == ExitCode.USAGE
    assert "is not inside" in result.output


def test_a_file_a_record_already_names_is_refused(runner, base_repo: Path) -> None:
    result = new(runner, base_repo, str(base_repo / "evidence/files/mfa-policy.json"))
    assert result.exit_code == ExitCode.USAGE
    assert "the record 'mfa-policy' already names evidence/files/mfa-policy.json" in result.output


def test_an_invalid_id_is_a_diagnostic_and_nothing_is_written(runner, base_repo: Path) -> None:
    write(base_repo, "evidence/files/x.txt", "x")
    result = new(runner, base_repo, str(base_repo / "evidence/files/x.txt"), "--id", "Bad Id!")
    assert result.exit_code == ExitCode.FINDINGS
    assert "[schema]" in result.stdout
    assert not (base_repo / "evidence/ledger.jsonl").exists()
