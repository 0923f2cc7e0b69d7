"""The ledger's chain, line by line: every way of breaking it is named at the line where it shows."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from plaintrust.evidence import ledger

MOMENT = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)


def chain(count: int) -> list[bytes]:
    pins = [(f"record-{n}", f"files/{n}.txt", f"{n:064x}", n) for n in range(1, count + 1)]
    return [e.line() for e in ledger.next_entries(ledger.Ledger(), pins, MOMENT)]


def problems(tmp_path: Path, lines: list[bytes]) -> list[str]:
    (tmp_path / "evidence").mkdir(exist_ok=True)
    (tmp_path / ledger.PATH).write_bytes(b"".join(line + b"\n" for line in lines))
    return [f"{d.line}: {d.message}" for d in ledger.chain_problems(ledger.read(tmp_path))]


def edited(line: bytes, **changes) -> bytes:
    return json.dumps({**json.loads(line), **changes}, sort_keys=True).encode()


def test_an_intact_chain_has_no_problems(tmp_path: Path) -> None:
    assert problems(tmp_path, chain(6)) == []


def test_several_removed_lines_are_one_finding(tmp_path: Path) -> None:
    lines = chain(6)
    assert problems(tmp_path, lines[:1] + lines[3:]) == [
        "2: entries 2 to 3 were removed before line 2: its prev matches no line"
    ]


def test_a_changed_seq_is_named(tmp_path: Path) -> None:
    lines = chain(3)
    lines[2] = edited(lines[2], seq=9)
    assert problems(tmp_path, lines) == ["3: line 3 is entry 9 where entry 3 belongs: its seq was changed"]


def test_a_huge_seq_is_handled_quickly(tmp_path: Path) -> None:
    lines = chain(3)
    lines[2] = edited(lines[2], seq=10**15, prev="f" * 64)
    assert problems(tmp_path, lines) == [
        f"3: entries 3 to {10**15 - 1} were removed before line 3: its prev matches no line"
    ]


def test_a_second_genesis_is_named(tmp_path: Path) -> None:
    lines = chain(2) + chain(1)
    assert problems(tmp_path, lines) == [
        "3: line 3 claims to be the first entry: entries were inserted, or two ledgers joined"
    ]


def test_crlf_line_endings_do_not_break_the_chain(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    (tmp_path / ledger.PATH).write_bytes(b"".join(line + b"\r\n" for line in chain(3)))
    assert list(ledger.chain_problems(ledger.read(tmp_path))) == []


def test_bad_values_are_named(tmp_path: Path) -> None:
    lines = chain(2)
    lines[1] = edited(lines[1], size=-1, sha256="XYZ")
    assert problems(tmp_path, lines) == ["2: line 2 is not a ledger entry: invalid size, sha256"]


def test_appending_after_a_line_without_its_break(tmp_path: Path) -> None:
    (tmp_path / "evidence").mkdir()
    first = chain(1)[0]
    (tmp_path / ledger.PATH).write_bytes(first)
    book = ledger.read(tmp_path)
    ledger.append(tmp_path, ledger.next_entries(book, [("r", "files/x", "a" * 64, 1)], MOMENT))
    assert (tmp_path / ledger.PATH).read_bytes().count(b"\n") == 2
    assert list(ledger.chain_problems(ledger.read(tmp_path))) == []
