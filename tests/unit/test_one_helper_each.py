"""Helpers that exist once: the file stamp of every cache, YAML scalars as people write them, the
usage error of every command (`errors.Refused`) and the --framework check."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from plaintrust import cli
from plaintrust.actions import scaffold
from plaintrust.errors import ExitCode, Refused
from plaintrust.load.paths import CACHE_FOLDER, FolderIndex, stamp, stamp_of
from plaintrust.yamltext import scalar


def test_a_stamp_sees_an_edit_that_restores_size_and_mtime(tmp_path: Path) -> None:
    file = tmp_path / "evidence.txt"
    file.write_bytes(b"required")
    before = stamp(file)
    assert before == stamp_of(os.stat(file))
    info = os.stat(file)
    file.write_bytes(b"optional")
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns))
    after = stamp(file)
    assert after is not None and after[:2] == before[:2] and after != before  # ctime moved


def test_a_stamp_of_nothing_is_none(tmp_path: Path) -> None:
    assert stamp(tmp_path / "absent") is None


def test_the_folder_index_stamps_as_the_caches_do(tmp_path: Path) -> None:
    (tmp_path / "files").mkdir()
    (tmp_path / "files" / "a.csv").write_text("x\n")
    assert FolderIndex(tmp_path).fact("files/a.csv").stamp == stamp(tmp_path / "files" / "a.csv")


def test_every_cache_lives_in_the_one_cache_folder(base_repo: Path, runner: CliRunner) -> None:
    old = 1_700_000_000
    for path in (base_repo / "evidence").rglob("*"):
        os.utime(path, (old, old))  # old enough to be cached
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    written = sorted(p.relative_to(base_repo / CACHE_FOLDER).parts[0] for p in (base_repo / CACHE_FOLDER).iterdir())
    assert written == ["build.fingerprint", "documents", "sha256.json"]


@pytest.mark.parametrize("text", ["Quarterly access review", "MFA policy (2026)", "Résumé", "x.csv", "a-b_c"])
def test_plain_text_stays_plain(text: str) -> None:
    assert scalar(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "null",
        "2026-11-22",
        "12",
        "a: b",
        "# not a comment",
        "- item",
        "",
        " leading",
        "trailing ",
        "two\nlines",
        "\u00a0no-break space",
        "[x]",
        "*alias",
        "'q'",
    ],
)
def test_text_yaml_would_misread_is_quoted_and_reads_back(text: str) -> None:
    assert scalar(text).startswith('"')
    assert yaml.safe_load(f"k: {scalar(text)}") == {"k": text}


def test_a_new_evidence_record_writes_its_texts_through_the_same_quoting() -> None:
    draft = scaffold.Draft(
        "r-1",
        "yes",
        "report",
        dt.date(2026, 11, 1),
        "quarterly",
        "confidential",
        "files/a: b.csv",
        notes="Exported: all users",
    )
    data = yaml.safe_load(scaffold.render(draft, "a" * 64))
    assert (data["title"], data["notes"], data["files"][0]["path"]) == ("yes", "Exported: all users", "files/a: b.csv")
    assert 'title: "yes"' in scaffold.render(draft, "a" * 64)


@click.command()
@click.option("--into")
def refusing(into: str | None) -> None:
    raise Refused("that cannot work", "--into" if into else None)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "Error: that cannot work\n"),
        (["--into", "x"], "Error: Invalid value for --into: that cannot work\n"),
    ],
)
def test_refused_is_a_usage_error_under_the_commands_usage_line(arguments: list[str], message: str) -> None:
    result = CliRunner().invoke(refusing, arguments)
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr.startswith("Usage: refusing [OPTIONS]\nTry 'refusing --help' for help.\n\nError: ")
    assert result.stderr.endswith(message)


def test_refused_outside_a_command_still_reads_as_its_message() -> None:
    assert Refused("no").format_message() == "no" and Refused("no").exit_code == ExitCode.USAGE


@pytest.mark.parametrize("command", [["gaps"], ["export", "oscal"], ["audit-package", "-o", "p.zip"]])
def test_an_unknown_framework_is_the_same_usage_error_in_every_command(
    base_repo: Path, runner: CliRunner, command: list[str]
) -> None:
    arguments = [a if a != "p.zip" else str(base_repo.parent / a) for a in command]
    result = runner.invoke(cli.cli, [*arguments, "--root", str(base_repo), "--framework", "nope"])
    assert result.exit_code == ExitCode.USAGE
    assert "Error: Invalid value for --framework: 'nope' is not one of " in result.stderr
    assert not (base_repo / "build" / "oscal").exists() and not (base_repo.parent / "p.zip").exists()
