"""`plaintrust evidence verify`: every kind of tampering is detected and named, with its place."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from evidence_repo import ledger_lines, set_ledger
from helpers import write
from plaintrust import cli
from plaintrust.errors import ExitCode


def verify(runner, repo: Path, *extra: str):
    return runner.invoke(cli.cli, ["evidence", "verify", "--root", str(repo), *extra])


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def lines_of(result) -> list[str]:
    return result.stdout.splitlines()


def test_an_untouched_repository_verifies(runner, pinned_repo: Path) -> None:
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == ""
    assert "verified 5 file(s) and 5 ledger line(s); no problems found" in result.stderr


def test_a_flipped_byte_is_named_with_both_hashes(runner, pinned_repo: Path) -> None:
    file = pinned_repo / "evidence/files/access-review.csv"
    before = file.read_bytes()
    after = before.replace(b"remove", b"rEmove")
    file.write_bytes(after)
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert lines_of(result)[0] == (
        f"evidence/access/access-review.yaml:9:13: error [evidence-tampered] evidence/files/access-review.csv "
        f"does not match its pinned sha256: expected {sha(before)}, actual {sha(after)}"
    )


def test_a_truncated_file_is_tampered(runner, pinned_repo: Path) -> None:
    file = pinned_repo / "evidence/files/backup-log.txt"
    before = file.read_bytes()
    with open(file, "r+b") as stream:
        stream.truncate(10)
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert f"expected {sha(before)}, actual {sha(before[:10])}" in result.stdout
    assert "evidence/files/backup-log.txt does not match its pinned sha256" in result.stdout


def test_two_swapped_files_are_both_named(runner, pinned_repo: Path) -> None:
    a, b = pinned_repo / "evidence/files/network/rules-a.txt", pinned_repo / "evidence/files/network/rules-b.txt"
    data_a, data_b = a.read_bytes(), b.read_bytes()
    a.write_bytes(data_b)
    b.write_bytes(data_a)
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    tampered = [line for line in lines_of(result) if "[evidence-tampered]" in line]
    assert len(tampered) == 2
    assert f"rules-a.txt does not match its pinned sha256: expected {sha(data_a)}, actual {sha(data_b)}" in tampered[0]
    assert f"rules-b.txt does not match its pinned sha256: expected {sha(data_b)}, actual {sha(data_a)}" in tampered[1]


def test_a_deleted_middle_ledger_line_is_named(runner, pinned_repo: Path) -> None:
    lines = ledger_lines(pinned_repo)
    set_ledger(pinned_repo, lines[:1] + lines[2:])
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        "evidence/ledger.jsonl:2:1: error [ledger-chain] entry 2 was removed before line 2: its prev matches no line"
        in result.stdout
    )
    assert (
        "error [ledger-mismatch] the ledger has no entry for evidence/files/backup-log.txt of record backup-log"
        in result.stdout
    )


def test_a_deleted_first_ledger_line_is_named(runner, pinned_repo: Path) -> None:
    set_ledger(pinned_repo, ledger_lines(pinned_repo)[1:])
    result = verify(runner, pinned_repo)
    assert "evidence/ledger.jsonl:1:1: error [ledger-chain] entry 1 was removed before line 1" in result.stdout


def test_a_deleted_last_ledger_line_is_caught_by_the_records(runner, pinned_repo: Path) -> None:
    set_ledger(pinned_repo, ledger_lines(pinned_repo)[:-1])
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    [problem] = lines_of(result)
    assert problem.startswith(
        "evidence/access/network-rules.yaml:11:13: error [ledger-mismatch] the ledger has no entry "
        "for evidence/files/network/rules-b.txt of record network-rules"
    )


def test_an_edited_ledger_line_is_named(runner, pinned_repo: Path) -> None:
    lines = ledger_lines(pinned_repo)
    entry = json.loads(lines[1])
    entry["time"] = "2026-01-01T00:00:00Z"  # backdated: the hash of the file is untouched
    lines[1] = json.dumps(entry, sort_keys=True).encode() + b"\n"
    set_ledger(pinned_repo, lines)
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert lines_of(result) == [
        "evidence/ledger.jsonl:2:1: error [ledger-chain] line 2 was changed after it was written: line 3 records a different hash for it"
    ]


def test_an_edited_hash_in_the_last_line_is_named(runner, pinned_repo: Path) -> None:
    lines = ledger_lines(pinned_repo)
    entry = json.loads(lines[-1])
    real, entry["sha256"] = entry["sha256"], "f" * 64
    lines[-1] = json.dumps(entry, sort_keys=True).encode() + b"\n"
    set_ledger(pinned_repo, lines)
    result = verify(runner, pinned_repo)
    assert (
        f"error [ledger-mismatch] the ledger's last entry for evidence/files/network/rules-b.txt (line 5) records "
        f"{'f' * 64}, the record pins {real}"
    ) in result.stdout


def test_a_line_that_is_not_an_entry_is_named(runner, pinned_repo: Path) -> None:
    lines = ledger_lines(pinned_repo)
    lines[2] = b'{"file": "files/mfa-policy.json", "oops": 1}\n'
    set_ledger(pinned_repo, lines)
    result = verify(runner, pinned_repo)
    assert (
        "evidence/ledger.jsonl:3:1: error [ledger-entry] line 3 is not a ledger entry: the fields must be exactly"
        in result.stdout
    )
    assert "[ledger-chain]" not in result.stdout  # the line after it is not blamed twice


def test_reordered_lines_are_named(runner, pinned_repo: Path) -> None:
    lines = ledger_lines(pinned_repo)
    lines[1], lines[2] = lines[2], lines[1]
    set_ledger(pinned_repo, lines)
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert lines_of(result) == [
        "evidence/ledger.jsonl:2:1: error [ledger-chain] line 2 follows line 3 in the chain, not line 1: lines were reordered",
        "evidence/ledger.jsonl:3:1: error [ledger-chain] line 3 follows line 1 in the chain, not line 2: lines were reordered",
        "evidence/ledger.jsonl:4:1: error [ledger-chain] line 4 follows line 2 in the chain, not line 3: lines were reordered",
    ]


def test_an_evidence_file_replaced_by_a_symlink_out_of_evidence(runner, pinned_repo: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.txt", "not evidence\n")
    file = pinned_repo / "evidence/files/backup-log.txt"
    file.unlink()
    file.symlink_to(outside)
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        "evidence/access/backup-log.yaml:8:11: error [evidence-path-outside] the path 'files/backup-log.txt' "
        "leads out of evidence/ through a symbolic link"
    ) in result.stdout


def test_an_unnamed_symlink_out_of_evidence_is_named(runner, pinned_repo: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "outside/secret.txt", "not evidence\n")
    (pinned_repo / "evidence/files/extra.txt").symlink_to(outside)
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert lines_of(result) == [
        "evidence/files/extra.txt:1:1: warning [evidence-orphan] evidence/files/extra.txt: a symbolic link that leads out of evidence/",
        "    hint: remove the link",
    ]


def test_a_ledger_that_is_a_symlink_out_of_evidence(runner, pinned_repo: Path, tmp_path: Path) -> None:
    ledger = pinned_repo / "evidence/ledger.jsonl"
    copy = tmp_path / "ledger-copy.jsonl"
    copy.write_bytes(ledger.read_bytes())
    ledger.unlink()
    ledger.symlink_to(copy)
    result = verify(runner, pinned_repo)
    assert (
        "evidence/ledger.jsonl:1:1: error [ledger-file] evidence/ledger.jsonl is a symbolic link that leads out of evidence/"
        in result.stdout
    )


def test_missing_unpinned_and_unnamed_files_are_named(runner, pinned_repo: Path) -> None:
    (pinned_repo / "evidence/files/backup-log.txt").unlink()
    write(pinned_repo, "evidence/files/stray.pdf", "%PDF-1.7 stray\n")
    record = pinned_repo / "evidence/access/access-review.yaml"
    record.write_text("".join(line for line in record.read_text().splitlines(keepends=True) if "sha256" not in line))
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert lines_of(result) == [
        "evidence/access/access-review.yaml:8:11: warning [evidence-unpinned] evidence/files/access-review.csv is not pinned: the record has no sha256 for it",
        "    hint: plaintrust evidence pin access-review",
        "evidence/access/backup-log.yaml:8:11: error [evidence-file-missing] evidence file evidence/files/backup-log.txt does not exist",
        "evidence/files/stray.pdf:1:1: warning [evidence-orphan] evidence/files/stray.pdf: no record names it, so nothing pins it",
        "    hint: name it in a record and pin it, or remove it",
    ]


def test_a_missing_ledger_is_named_once(runner, pinned_repo: Path) -> None:
    (pinned_repo / "evidence/ledger.jsonl").unlink()
    result = verify(runner, pinned_repo)
    assert lines_of(result)[0] == (
        "evidence/ledger.jsonl:1:1: error [ledger-file] evidence/ledger.jsonl does not exist, but records hold pinned hashes"
    )
    assert result.stdout.count("error") == 1


def test_verify_ignores_the_stat_cache(runner, pinned_repo: Path) -> None:
    """A cache that vouches for wrong bytes fools nobody: verify reads the files."""
    assert runner.invoke(cli.cli, ["check", "--root", str(pinned_repo)]).exit_code == ExitCode.OK
    file = pinned_repo / "evidence/files/access-review.csv"
    info = os.stat(file)
    file.write_bytes(file.read_bytes().replace(b"keep", b"kept"))  # same size
    os.utime(file, ns=(info.st_atime_ns, info.st_mtime_ns))  # and the old mtime
    result = verify(runner, pinned_repo)
    assert "evidence/files/access-review.csv does not match its pinned sha256" in result.stdout


def test_json_format(runner, pinned_repo: Path) -> None:
    set_ledger(pinned_repo, ledger_lines(pinned_repo)[1:])
    payload = json.loads(verify(runner, pinned_repo, "--format", "json").stdout)
    assert {"ledger-chain", "ledger-mismatch"} == {d["rule"] for d in payload["diagnostics"]}
    assert payload["summary"]["errors"] >= 1
