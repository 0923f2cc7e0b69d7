"""`plaintrust evidence pin`: hashes into records without reshaping them, and into the ledger."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from evidence_repo import add_records, ledger_lines, set_ledger
from helpers import write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.evidence.ledger import GENESIS, digest
from plaintrust.evidence.recordedit import CannotEdit, set_sha256

RECORD = "evidence/access/mfa-policy.yaml"
POLICY = b'{"policy": "mfa-required", "factors": ["webauthn"]}\n'
POLICY_SHA = hashlib.sha256(POLICY).hexdigest()
SECOND, THIRD = b"second export\n", b"third export\n"

HAND_WRITTEN = """\
# Exported by hand from the identity provider's admin console.
id: mfa-policy            # keep in sync with AC-01
title: "Identity provider MFA policy export"
kind: configuration
collected: 2026-11-01
refresh: quarterly
classification: confidential

files:
    # the JSON export, unedited
    -   path: 'files/mfa-policy.json'   # as downloaded
    -   {path: files/second.json}
    -   path: files/third.json
        sha256: "0000000000000000000000000000000000000000000000000000000000000000"   # stale
"""


def pin(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["evidence", "pin", "--root", str(repo), *args])


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_a_hand_formatted_record_changes_only_in_its_sha256_values(runner, base_repo: Path) -> None:
    write(base_repo, "evidence/files/second.json", SECOND.decode())
    write(base_repo, "evidence/files/third.json", THIRD.decode())
    write(base_repo, RECORD, HAND_WRITTEN)
    result = pin(runner, base_repo, "--update", "mfa-policy")
    assert result.exit_code == ExitCode.OK, result.output
    expected = (
        HAND_WRITTEN.replace(
            "    -   path: 'files/mfa-policy.json'   # as downloaded\n",
            f"    -   path: 'files/mfa-policy.json'   # as downloaded\n        sha256: {POLICY_SHA}\n",
        )
        .replace(
            "{path: files/second.json}",
            f"{{path: files/second.json, sha256: {sha(SECOND)}}}",
        )
        .replace('"' + "0" * 64 + '"', f'"{sha(THIRD)}"')
    )
    assert (base_repo / RECORD).read_text() == expected
    assert runner.invoke(cli.cli, ["evidence", "verify", "--root", str(base_repo)]).exit_code == ExitCode.OK


def test_the_ledger_gets_one_chained_entry_per_file(runner, base_repo: Path) -> None:
    add_records(base_repo)
    assert pin(runner, base_repo).exit_code == ExitCode.OK
    lines = ledger_lines(base_repo)
    entries = [json.loads(line) for line in lines]
    assert [(e["seq"], e["record"], e["file"]) for e in entries] == [
        (1, "access-review", "files/access-review.csv"),
        (2, "backup-log", "files/backup-log.txt"),
        (3, "mfa-policy", "files/mfa-policy.json"),
        (4, "network-rules", "files/network/rules-a.txt"),
        (5, "network-rules", "files/network/rules-b.txt"),
    ]
    assert entries[2] == {
        "file": "files/mfa-policy.json",
        "prev": digest(lines[1].rstrip(b"\n")),
        "record": "mfa-policy",
        "seq": 3,
        "sha256": POLICY_SHA,
        "size": len(POLICY),
        "time": "2026-11-22T12:00:00Z",
    }
    assert entries[0]["prev"] == GENESIS
    assert all(line == json.dumps(json.loads(line), sort_keys=True).encode() + b"\n" for line in lines)


def test_pinning_twice_changes_nothing(runner, pinned_repo: Path) -> None:
    before = {p: p.read_bytes() for p in (pinned_repo / "evidence").rglob("*") if p.is_file()}
    result = pin(runner, pinned_repo)
    assert result.exit_code == ExitCode.OK
    assert "0 hash(es) written into records, 0 ledger entries appended; no problems found" in result.stderr
    assert before == {p: p.read_bytes() for p in (pinned_repo / "evidence").rglob("*") if p.is_file()}


def test_records_are_chosen_by_id_or_by_path(runner, base_repo: Path) -> None:
    add_records(base_repo)
    result = pin(runner, base_repo, "backup-log", str(base_repo / "evidence/access/access-review.yaml"))
    assert result.exit_code == ExitCode.OK, result.output
    assert [json.loads(line)["record"] for line in ledger_lines(base_repo)] == ["backup-log", "access-review"]
    assert "sha256" not in (base_repo / "evidence/access/network-rules.yaml").read_text()


def test_an_unknown_record_is_a_usage_error(runner, base_repo: Path) -> None:
    result = pin(runner, base_repo, "no-such-record")
    assert result.exit_code == ExitCode.USAGE
    assert "no evidence record has the id or path 'no-such-record'" in result.output
    assert not (base_repo / "evidence/ledger.jsonl").exists()


def test_a_changed_file_is_refused_without_update(runner, pinned_repo: Path) -> None:
    file = pinned_repo / "evidence/files/backup-log.txt"
    file.write_text("2026-11-01 backup FAILED\n")
    before = (pinned_repo / "evidence/access/backup-log.yaml").read_bytes()
    result = pin(runner, pinned_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [evidence-tampered] evidence/files/backup-log.txt does not match its pinned sha256" in result.stdout
    assert (pinned_repo / "evidence/access/backup-log.yaml").read_bytes() == before


def test_update_repins_and_the_ledger_keeps_both_hashes(runner, pinned_repo: Path) -> None:
    old = sha((pinned_repo / "evidence/files/backup-log.txt").read_bytes())
    (pinned_repo / "evidence/files/backup-log.txt").write_text("2026-11-03 backup ok\n")
    new = sha(b"2026-11-03 backup ok\n")
    result = pin(runner, pinned_repo, "--update", "backup-log")
    assert result.exit_code == ExitCode.OK, result.output
    assert f"sha256: {new}" in (pinned_repo / "evidence/access/backup-log.yaml").read_text()
    hashes = [json.loads(line)["sha256"] for line in ledger_lines(pinned_repo) if b'"backup-log"' in line]
    assert hashes == [old, new]
    assert runner.invoke(cli.cli, ["evidence", "verify", "--root", str(pinned_repo)]).exit_code == ExitCode.OK


def test_nothing_is_written_while_the_ledger_is_broken(runner, pinned_repo: Path) -> None:
    lines = ledger_lines(pinned_repo)
    set_ledger(pinned_repo, lines[1:])
    write(pinned_repo, "evidence/files/mfa-policy.json", '{"policy": "changed"}\n')
    record = (pinned_repo / RECORD).read_bytes()
    result = pin(runner, pinned_repo, "--update")
    assert result.exit_code == ExitCode.FINDINGS
    assert "[ledger-chain] entry 1 was removed before line 1" in result.stdout
    assert "nothing was written: the ledger must be intact first" in result.stderr
    assert (pinned_repo / RECORD).read_bytes() == record
    assert ledger_lines(pinned_repo) == lines[1:]


def test_a_missing_file_is_reported_and_the_others_are_pinned(runner, base_repo: Path) -> None:
    add_records(base_repo)
    (base_repo / "evidence/files/backup-log.txt").unlink()
    result = pin(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert "[evidence-file-missing] evidence file evidence/files/backup-log.txt does not exist" in result.stdout
    assert "sha256" in (base_repo / "evidence/access/access-review.yaml").read_text()
    assert len(ledger_lines(base_repo)) == 4


def test_a_record_that_does_not_load_is_reported(runner, base_repo: Path) -> None:
    write(base_repo, "evidence/access/broken.yaml", "id: broken\ntitle: [unclosed\n")
    result = pin(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert "evidence/access/broken.yaml:" in result.stdout and "[yaml-syntax]" in result.stdout


def test_a_shape_without_a_safe_place_is_refused(runner, base_repo: Path) -> None:
    text = (
        "id: mfa-policy\ntitle: T\nkind: configuration\ncollected: 2026-11-01\nrefresh: quarterly\n"
        "classification: confidential\nfiles: [path: files/mfa-policy.json]\n"
    )
    write(base_repo, RECORD, text)
    result = pin(runner, base_repo)
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [evidence-pin] cannot write the sha256 into this record" in result.stdout
    assert (base_repo / RECORD).read_text() == text
    assert not (base_repo / "evidence/ledger.jsonl").exists()


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"files:\r\n  - path: a\r\nid: x\r\n", b"files:\r\n  - path: a\r\n    sha256: H\r\nid: x\r\n"),
        (b"\xef\xbb\xbffiles:\n- path: a  # note\n", b"\xef\xbb\xbffiles:\n- path: a  # note\n  sha256: H\n"),
        (b"files:\n  - path: a", b"files:\n  - path: a\n    sha256: H"),
        (b"files:\n  - path: \"a\"\n    sha256: 'OLD'\n", b"files:\n  - path: \"a\"\n    sha256: 'H'\n"),
        (b"files: [{path: a}, {path: b}]\n", b"files: [{path: a, sha256: H}, {path: b, sha256: H}]\n"),
        (
            b"files:\n  -\n    path: a\n    # a comment stays\n",
            b"files:\n  -\n    path: a\n    sha256: H\n    # a comment stays\n",
        ),
    ],
)
def test_edits_keep_line_endings_bom_quotes_and_flow_style(raw: bytes, expected: bytes) -> None:
    h = "a" * 64
    count = expected.count(b"sha256")
    result = set_sha256(raw, "r.yaml", {i: h for i in range(count)})
    assert result == expected.replace(b"H", h.encode())


def test_an_edit_that_would_change_other_values_is_refused() -> None:
    with pytest.raises(CannotEdit):
        set_sha256(b"files: [path: a]\n", "r.yaml", {0: "a" * 64})
