"""An append the disk refuses (full, or a file size limit) leaves the ledger exactly as it was: never
part of a line, which would break the chain for every command after it."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger

MOMENT = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
PINS = [(f"record-{n}", f"files/{n}.txt", f"{n:064x}", n) for n in range(1, 4)]


def full_disk_after(monkeypatch: pytest.MonkeyPatch, count: int = 1) -> list[int]:
    """The next `count` appends write half of their bytes, then the disk is full; the calls are counted."""
    real, calls = ledger._write_all, []

    def partial(stream, data: bytes) -> None:
        calls.append(len(data))
        if len(calls) > count:
            return real(stream, data)
        stream.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(ledger, "_write_all", partial)
    return calls


def started(root: Path, count: int) -> bytes:
    (root / "evidence").mkdir(exist_ok=True)
    ledger.append(root, ledger.next_entries(ledger.Ledger(), PINS[:count], MOMENT))
    return (root / ledger.PATH).read_bytes()


def test_a_failed_append_cuts_the_ledger_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = started(tmp_path, 2)
    full_disk_after(monkeypatch)
    entries = ledger.next_entries(ledger.read(tmp_path), PINS[2:], MOMENT)
    with pytest.raises(OSError, match="No space left on device"):
        ledger.append(tmp_path, entries)
    assert (tmp_path / ledger.PATH).read_bytes() == before
    assert list(ledger.chain_problems(ledger.read(tmp_path))) == []


def test_a_last_line_without_its_break_is_left_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = started(tmp_path, 1).rstrip(b"\n")
    (tmp_path / ledger.PATH).write_bytes(before)
    full_disk_after(monkeypatch)
    with pytest.raises(OSError):
        ledger.append(tmp_path, ledger.next_entries(ledger.read(tmp_path), PINS[1:2], MOMENT))
    assert (tmp_path / ledger.PATH).read_bytes() == before


def test_a_ledger_the_failed_append_made_is_removed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "evidence").mkdir()
    full_disk_after(monkeypatch)
    with pytest.raises(OSError):
        ledger.append(tmp_path, ledger.next_entries(ledger.Ledger(), PINS[:1], MOMENT))
    assert not (tmp_path / ledger.PATH).exists()


class Dribble:
    """A file that takes at most 7 bytes a write, as an unbuffered write may."""

    def __init__(self) -> None:
        self.data = b""

    def write(self, data: memoryview) -> int:
        self.data += bytes(data[:7])
        return min(7, len(data))


def test_a_short_write_is_followed_by_the_rest() -> None:
    stream = Dribble()
    ledger._write_all(stream, b"0123456789" * 5)  # type: ignore[arg-type]
    assert stream.data == b"0123456789" * 5


LIMITED = textwrap.dedent(
    """
    import datetime as dt, resource, sys
    from pathlib import Path
    from plaintrust.evidence import ledger
    root, limit = Path(sys.argv[1]), int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    pins = [("record-9", "files/9.txt", "9" * 64, 9)]
    moment = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
    try:
        ledger.append(root, ledger.next_entries(ledger.read(root), pins, moment))
    except OSError as exc:
        print(exc.errno)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="no file size limits")
def test_a_file_size_limit_leaves_no_partial_line(tmp_path: Path) -> None:
    """The limit falls inside the new line: the system writes part of it, then refuses the rest."""
    before = started(tmp_path, 2)
    limit = str(len(before) + 40)
    done = subprocess.run([sys.executable, "-c", LIMITED, str(tmp_path), limit], capture_output=True, check=True)
    assert done.stdout.strip() == str(errno.EFBIG).encode()
    assert (tmp_path / ledger.PATH).read_bytes() == before


def test_evidence_new_writes_no_record_the_ledger_does_not_hold(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(base_repo, "evidence/files/access/export.csv", "app,sso\n")
    assert not (base_repo / ledger.PATH).exists()  # the failed append makes none
    full_disk_after(monkeypatch)
    result = runner.invoke(cli.cli, ["evidence", "new", "--root", str(base_repo), "evidence/files/access/export.csv"])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        "evidence/ledger.jsonl:1:1: error [io] cannot append to evidence/ledger.jsonl: No space left on device"
        in result.stdout
    )
    assert "nothing was written" in result.stderr
    assert not (base_repo / "evidence/access/export.yaml").exists()
    assert not (base_repo / ledger.PATH).exists()
    assert (base_repo / "evidence/files/access/export.csv").read_text() == "app,sso\n"  # the user's file stays


def test_evidence_new_after_the_disk_has_room_again(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing of the failed attempt is in the way: the same command then works."""
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(base_repo)]).exit_code == ExitCode.OK
    write(base_repo, "evidence/files/access/export.csv", "app,sso\n")
    full_disk_after(monkeypatch)
    args = ["evidence", "new", "--root", str(base_repo), "evidence/files/access/export.csv"]
    assert runner.invoke(cli.cli, args).exit_code == ExitCode.FINDINGS
    result = runner.invoke(cli.cli, args)
    assert result.exit_code == ExitCode.OK, result.output
    assert [json.loads(line)["record"] for line in (base_repo / ledger.PATH).read_bytes().splitlines()] == [
        "mfa-policy",
        "export",
    ]
    verify = runner.invoke(cli.cli, ["evidence", "verify", "--root", str(base_repo)])
    assert verify.exit_code == ExitCode.OK, verify.output


def test_a_policy_approval_the_disk_refuses_leaves_policy_and_ledger(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(base_repo)]).exit_code == ExitCode.OK
    policy = base_repo / "policies/access-control.md"
    before = policy.read_bytes(), (base_repo / ledger.PATH).read_bytes()
    full_disk_after(monkeypatch)
    args = ["policy", "approve", "access-control", "--by", "Dana", "--root", str(base_repo)]
    result = runner.invoke(cli.cli, args)
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "cannot append to evidence/ledger.jsonl: No space left on device" in result.stdout
    assert (policy.read_bytes(), (base_repo / ledger.PATH).read_bytes()) == before


def test_a_pin_the_disk_refuses_leaves_no_part_of_a_line(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The record keeps the hash the ledger holds; the same pin, once the disk has room, does it all."""
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(base_repo)]).exit_code == ExitCode.OK
    write(base_repo, "evidence/files/access/export.csv", "app,sso\n")
    made = runner.invoke(cli.cli, ["evidence", "new", "--root", str(base_repo), "evidence/files/access/export.csv"])
    assert made.exit_code == ExitCode.OK, made.output
    write(base_repo, "evidence/files/access/export.csv", "app,sso\nwiki,yes\n")
    before = (base_repo / ledger.PATH).read_bytes(), (base_repo / "evidence/access/export.yaml").read_bytes()
    full_disk_after(monkeypatch)
    args = ["evidence", "pin", "--update", "--root", str(base_repo)]
    failed = runner.invoke(cli.cli, args)
    assert failed.exit_code == ExitCode.FINDINGS, failed.output
    assert "cannot append to evidence/ledger.jsonl: No space left on device; nothing was pinned" in failed.stdout
    assert ((base_repo / ledger.PATH).read_bytes(), (base_repo / "evidence/access/export.yaml").read_bytes()) == before
    assert runner.invoke(cli.cli, args).exit_code == ExitCode.OK
    verify = runner.invoke(cli.cli, ["evidence", "verify", "--root", str(base_repo)])
    assert verify.exit_code == ExitCode.OK, verify.output
