"""`plaintrust evidence pin` with a ledger that cannot take the entries (a full disk): the records
get back the bytes they had, so no record holds a hash the ledger lacks, and no traceback."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from evidence_repo import add_records, ledger_lines
from plaintrust import cli
from plaintrust.actions import pin as pinning
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger

FULL = "evidence/ledger.jsonl:1:1: error [io] cannot append to evidence/ledger.jsonl: No space left on device; "
FULL += "nothing was pinned"


def pin(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["evidence", "pin", "--root", str(repo), *args])


def evidence_tree(repo: Path) -> dict[str, bytes]:
    return {
        p.relative_to(repo).as_posix(): p.read_bytes() for p in sorted((repo / "evidence").rglob("*")) if p.is_file()
    }


def failing_append(monkeypatch: pytest.MonkeyPatch, error: BaseException) -> list[int]:
    """The next append fails as `ledger.append` does: having left the ledger as it was."""
    calls: list[int] = []

    def append(root: Path, entries: list) -> None:
        calls.append(len(entries))
        raise error

    monkeypatch.setattr(ledger, "append", append)
    return calls


def test_a_full_disk_leaves_records_and_ledger_as_they_were(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_records(base_repo)
    before = evidence_tree(base_repo)
    calls = failing_append(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = pin(runner, base_repo)
    assert calls == [5]  # the hashes were written into the records before the append was tried
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout.splitlines() == [FULL]
    assert "pinned" not in result.stderr.replace("nothing was pinned", "")  # no record is said to be pinned
    assert "0 hash(es) written into records, 0 ledger entries appended" in result.stderr
    assert evidence_tree(base_repo) == before
    monkeypatch.undo()
    assert pin(runner, base_repo).exit_code == ExitCode.OK  # once the disk has room, all of it is pinned
    assert len(ledger_lines(base_repo)) == 5
    assert runner.invoke(cli.cli, ["evidence", "verify", "--root", str(base_repo)]).exit_code == ExitCode.OK


def test_an_update_the_disk_refuses_keeps_the_old_pins(
    runner, pinned_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record keeps the hash the ledger holds, so verify still passes."""
    (pinned_repo / "evidence/files/backup-log.txt").write_text("2026-11-03 backup ok\n")
    record = (pinned_repo / "evidence/access/backup-log.yaml").read_bytes()
    failing_append(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    result = pin(runner, pinned_repo, "--update", "backup-log")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert FULL in result.stdout
    assert (pinned_repo / "evidence/access/backup-log.yaml").read_bytes() == record
    verify = runner.invoke(cli.cli, ["evidence", "verify", "--root", str(pinned_repo)])
    assert "ledger-mismatch" not in verify.output


def test_a_record_changed_meanwhile_is_left_as_it_is_now(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Taking the edit back must not undo someone else's: only a record still as pin wrote it goes back."""
    add_records(base_repo)
    edited = base_repo / "evidence/access/backup-log.yaml"

    def append(root: Path, entries: list) -> None:
        edited.write_text(edited.read_text() + "# edited meanwhile\n")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ledger, "append", append)
    before = evidence_tree(base_repo)
    assert pin(runner, base_repo).exit_code == ExitCode.FINDINGS
    after = evidence_tree(base_repo)
    assert after.pop("evidence/access/backup-log.yaml").endswith(b"# edited meanwhile\n")
    before.pop("evidence/access/backup-log.yaml")
    assert after == before


def test_a_record_that_cannot_be_put_back_is_named(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_records(base_repo)
    failing_append(monkeypatch, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))
    real, writes = pinning.write_file, []

    def write_file(path: Path, data: bytes, **options: bool) -> None:
        writes.append(path)
        if len(writes) > 1:  # the record takes its hashes; putting it back finds the disk full
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(path, data, **options)

    monkeypatch.setattr(pinning, "write_file", write_file)
    result = pin(runner, base_repo, "backup-log")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.stdout.splitlines() == [
        "evidence/access/backup-log.yaml:8:3: error [evidence-pin] the sha256 written into this record could not "
        "be taken back: No space left on device",
        "    hint: run plaintrust evidence pin again once the ledger can be written",
        FULL,
    ]


def test_an_interrupt_takes_the_hashes_back_too(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_records(base_repo)
    before = evidence_tree(base_repo)
    failing_append(monkeypatch, KeyboardInterrupt())
    result = pin(runner, base_repo)
    assert result.exit_code != ExitCode.OK
    assert evidence_tree(base_repo) == before
