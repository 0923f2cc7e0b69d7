"""`plaintrust evidence new --source --notes`: where the evidence came from, written into the record,
and asked for at a terminal when left out."""

from __future__ import annotations

from pathlib import Path

from helpers import write
from plaintrust import cli, pipeline
from plaintrust.cli import evidence as cli_evidence
from plaintrust.errors import ExitCode

EXPORT = "evidence/files/access/offboarding-2026-11.csv"
RECORD = "evidence/access/offboarding-2026-11.yaml"


def new(runner, repo: Path, *args: str, **kwargs):
    write(repo, EXPORT, "ticket,closed\nHR-1,2026-11-03\n")
    return runner.invoke(cli.cli, ["evidence", "new", "--root", str(repo), str(repo / EXPORT), *args], **kwargs)


def test_source_and_notes_are_written_and_carried_by_the_model(runner, base_repo: Path) -> None:
    result = new(
        runner,
        base_repo,
        "--source",
        "service desk export, filter category = offboarding",
        "--notes",
        "Tickets: closed within  one day.",
    )
    assert result.exit_code == ExitCode.OK, result.output
    text = (base_repo / RECORD).read_text()
    assert (
        "classification: confidential\nsource: service desk export, filter category = offboarding\n"
        'notes: "Tickets: closed within one day."\nfiles:\n'
    ) in text  # quoted where YAML needs it
    record = pipeline.run(base_repo).model.evidence_by_id["offboarding-2026-11"]
    assert (record.origin, record.notes) == (
        "service desk export, filter category = offboarding",
        "Tickets: closed within one day.",
    )


def test_at_a_terminal_both_are_asked_for_and_enter_skips(runner, base_repo: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_evidence, "_interactive", lambda: True)
    result = new(runner, base_repo, input="HR system, report 'Leavers this month'\n\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Source (system and query" in result.stderr and "Notes for auditors" in result.stderr
    text = (base_repo / RECORD).read_text()
    assert "source: HR system, report 'Leavers this month'\n" in text and "notes:" not in text


def test_an_option_given_is_not_asked_for(runner, base_repo: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_evidence, "_interactive", lambda: True)
    result = new(runner, base_repo, "--source", "HR system", input="Checked by hand.\n")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Source (" not in result.stderr
    assert "source: HR system\nnotes: Checked by hand.\n" in (base_repo / RECORD).read_text()


def test_in_a_script_nothing_is_asked(runner, base_repo: Path) -> None:
    result = new(runner, base_repo)  # CliRunner's input is not a terminal
    assert result.exit_code == ExitCode.OK, result.output
    text = (base_repo / RECORD).read_text()
    assert "source:" not in text and "notes:" not in text
