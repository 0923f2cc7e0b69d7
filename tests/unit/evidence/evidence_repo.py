"""Helpers for the evidence tests: three more records for the base repository, ledger lines."""

from __future__ import annotations

from pathlib import Path

from helpers import edit, write

RECORD = """\
id: {id}
title: {title}
kind: {kind}
collected: 2026-11-01
refresh: quarterly
classification: confidential
files:
{files}"""

FILES = {
    "files/access-review.csv": "user,decision\nana,keep\nbo,remove\n",
    "files/backup-log.txt": "2026-11-01 backup ok\n2026-11-02 backup ok\n",
    "files/network/rules-a.txt": "deny all inbound\n",
    "files/network/rules-b.txt": "allow 443 from lb\n",
}


def add_records(repo: Path) -> None:
    for rel, text in FILES.items():
        write(repo, f"evidence/{rel}", text)
    records = {
        "access-review": ("Quarterly access review", "report", ["files/access-review.csv"]),
        "backup-log": ("Backup job log", "log", ["files/backup-log.txt"]),
        "network-rules": (
            "Firewall rule export",
            "configuration",
            ["files/network/rules-a.txt", "files/network/rules-b.txt"],
        ),
    }
    for record_id, (title, kind, paths) in records.items():
        files = "".join(f"  - path: {p}\n" for p in paths)
        write(
            repo, f"evidence/access/{record_id}.yaml", RECORD.format(id=record_id, title=title, kind=kind, files=files)
        )
    edit(
        repo,
        "controls/access/ac-01.yaml",
        "evidence: [mfa-policy]",
        "evidence: [access-review, backup-log, mfa-policy, network-rules]",
    )


def ledger_lines(repo: Path) -> list[bytes]:
    return (repo / "evidence/ledger.jsonl").read_bytes().splitlines(keepends=True)


def set_ledger(repo: Path, lines: list[bytes]) -> None:
    (repo / "evidence/ledger.jsonl").write_bytes(b"".join(lines))
