"""The ledger's published part (its head, and its head at the end of each day) and the proof that a
ledger still holds every head that was published."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from plaintrust.actions import published
from plaintrust.evidence import ledger
from plaintrust.model import LedgerHead

DAYS = [dt.date(2026, 11, 20), dt.date(2026, 11, 21), dt.date(2026, 11, 22)]


def pins(first: int, count: int) -> list[tuple[str, str, str, int]]:
    return [(f"record-{n}", f"files/{n}.txt", f"{n:064x}", n) for n in range(first, first + count)]


def append(root: Path, day: dt.date, count: int) -> None:
    (root / "evidence").mkdir(exist_ok=True)
    book = ledger.read(root)
    moment = dt.datetime.combine(day, dt.time(12), dt.UTC)
    ledger.append(root, ledger.next_entries(book, pins(len(book.lines) + 1, count), moment))


@pytest.fixture
def three_days(tmp_path: Path) -> Path:
    """Two entries on 20 November, one on the 21st, three on the 22nd."""
    for day, count in zip(DAYS, (2, 1, 3), strict=True):
        append(tmp_path, day, count)
    return tmp_path


def lines(root: Path) -> list[bytes]:
    return (root / ledger.PATH).read_bytes().splitlines()


def set_lines(root: Path, new: list[bytes], end: bytes = b"\n") -> None:
    (root / ledger.PATH).write_bytes(b"".join(line + end for line in new))


def rechained(old: list[bytes], **changes) -> list[bytes]:
    """The lines with `changes` made to every entry, the chain computed again from the start:
    what whoever rewrites a ledger from scratch would write."""
    entries, prev = [], ledger.GENESIS
    for raw in old:
        entry = ledger.Entry(**{**json.loads(raw), **changes, "prev": prev})
        entries.append(entry.line())
        prev = ledger.digest(entry.line())
    return entries


def digests(root: Path) -> list[str]:
    return [line.digest for line in ledger.read(root).lines]


# The summary


def test_an_intact_ledger_gives_its_head_and_one_head_per_day(three_days: Path) -> None:
    hashes = digests(three_days)
    days = (LedgerHead(2, hashes[1], DAYS[0]), LedgerHead(3, hashes[2], DAYS[1]), LedgerHead(6, hashes[5], DAYS[2]))
    assert ledger.summary(three_days) == LedgerHead(6, hashes[5], DAYS[2], days)
    assert hashes[5] == ledger.read(three_days).head()[1]  # what the next entry's `prev` will hold


def test_no_ledger_gives_nothing_and_an_empty_one_gives_the_genesis(tmp_path: Path) -> None:
    assert ledger.summary(tmp_path) is None
    (tmp_path / "evidence").mkdir()
    (tmp_path / ledger.PATH).write_bytes(b"")
    assert ledger.summary(tmp_path) == LedgerHead(0, ledger.GENESIS, None)


@pytest.mark.parametrize("damage", ["edited", "removed", "swapped", "malformed last", "garbage last", "seq of last"])
def test_a_broken_chain_publishes_nothing(three_days: Path, damage: str) -> None:
    old = lines(three_days)
    last = json.loads(old[-1])
    new = {
        "edited": [*old[:1], old[1].replace(b'"size": 2', b'"size": 3'), *old[2:]],
        "removed": [*old[:2], *old[3:]],
        "swapped": [old[1], old[0], *old[2:]],
        "malformed last": [*old[:-1], json.dumps({**last, "size": -1}, sort_keys=True).encode()],
        "garbage last": [*old, b"not a ledger entry"],
        "seq of last": [*old[:-1], json.dumps({**last, "seq": 9}, sort_keys=True).encode()],
    }[damage]
    set_lines(three_days, new)
    assert ledger.summary(three_days) is None


def test_crlf_line_endings_give_the_same_summary(three_days: Path) -> None:
    before = ledger.summary(three_days)
    set_lines(three_days, lines(three_days), b"\r\n")
    assert ledger.summary(three_days) == before


def test_a_ledger_in_another_json_layout_is_read_exactly(three_days: Path) -> None:
    # Written by some other tool: no spaces after the separators. Its chain holds on its own bytes.
    entries, prev = [], ledger.GENESIS
    for raw in lines(three_days):
        data = {**json.loads(raw), "prev": prev}
        entries.append(json.dumps(data, sort_keys=True, separators=(",", ":")).encode())
        prev = ledger.digest(entries[-1])
    set_lines(three_days, entries)
    summary = ledger.summary(three_days)
    assert summary is not None and summary.head == prev
    assert [(d.entries, d.as_of) for d in summary.days] == [(2, DAYS[0]), (3, DAYS[1]), (6, DAYS[2])]


def test_a_clock_set_back_never_moves_a_day_backwards(tmp_path: Path) -> None:
    append(tmp_path, DAYS[1], 2)
    append(tmp_path, DAYS[0], 1)  # written after the line above, dated the day before it
    append(tmp_path, DAYS[2], 1)
    hashes = digests(tmp_path)
    assert ledger.summary(tmp_path).days == (LedgerHead(3, hashes[2], DAYS[1]), LedgerHead(4, hashes[3], DAYS[2]))


def test_a_day_not_in_the_calendar_publishes_nothing(three_days: Path) -> None:
    set_lines(three_days, rechained(lines(three_days), time="2026-02-30T12:00:00Z"))
    assert ledger.summary(three_days) is None


def test_only_the_last_line_is_parsed(three_days: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    parsed = []
    real = ledger._line
    monkeypatch.setattr(ledger, "_line", lambda number, raw: parsed.append(number) or real(number, raw))
    assert ledger.summary(three_days).entries == 6
    assert parsed == [6]


# The published check


def log_of(root: Path) -> bytes:
    heads = [{"entries": d.entries, "head": d.head, "as_of": d.as_of.isoformat()} for d in ledger.summary(root).days]
    return json.dumps({"format": "plaintrust-evidence-log/1", "heads": heads}).encode()


def messages(root: Path, log: bytes) -> list[str]:
    (root / "evidence-log.json").write_bytes(log)
    report = published.check(root, str(root / "evidence-log.json"))
    return [f"{d.line}: {d.message}" for d in report.diagnostics]


def test_appending_after_publishing_passes(three_days: Path) -> None:
    log = log_of(three_days)
    append(three_days, dt.date(2026, 11, 23), 2)
    assert messages(three_days, log) == []


def test_an_edited_old_line_is_named(three_days: Path) -> None:
    log = log_of(three_days)
    old = lines(three_days)
    set_lines(three_days, [*old[:1], old[1].replace(b'"size": 2', b'"size": 3'), *old[2:]])
    assert messages(three_days, log) == [
        "2: the published head after 2 entries (as of 2026-11-20) is not in this ledger: its history was rewritten",
        "3: the published head after 3 entries (as of 2026-11-21) is not in this ledger: its history was rewritten "
        "(the chain breaks at line 3)",
        "3: the published head after 6 entries (as of 2026-11-22) is not in this ledger: its history was rewritten "
        "(the chain breaks at line 3)",
    ]


def test_an_old_line_edited_and_the_chain_made_whole_again_is_named(three_days: Path) -> None:
    log = log_of(three_days)
    old = lines(three_days)
    edited = json.dumps({**json.loads(old[2]), "size": 99}).encode()
    set_lines(three_days, old[:2] + rechained_from(old[:2], [edited, *old[3:]]))
    assert ledger.summary(three_days) is not None  # its chain holds: only the published heads show it
    assert messages(three_days, log) == [
        "3: the published head after 3 entries (as of 2026-11-21) is not in this ledger: its history was rewritten",
        "6: the published head after 6 entries (as of 2026-11-22) is not in this ledger: its history was rewritten",
    ]


def rechained_from(kept: list[bytes], rest: list[bytes]) -> list[bytes]:
    """`rest` chained on after the `kept` lines."""
    prev, out = ledger.digest(kept[-1]), []
    for raw in rest:
        entry = ledger.Entry(**{**json.loads(raw), "prev": prev})
        out.append(entry.line())
        prev = ledger.digest(out[-1])
    return out


def test_a_chain_rewritten_from_scratch_is_named(three_days: Path) -> None:
    log = log_of(three_days)
    set_lines(three_days, rechained(lines(three_days), time="2026-11-22T13:00:00Z"))
    assert ledger.summary(three_days) is not None  # its chain holds: only the published heads show it
    assert messages(three_days, log) == [
        f"{n}: the published head after {n} entries (as of {day}) is not in this ledger: its history was rewritten"
        for n, day in ((2, "2026-11-20"), (3, "2026-11-21"), (6, "2026-11-22"))
    ]


def test_a_truncated_ledger_is_named(three_days: Path) -> None:
    log = log_of(three_days)
    set_lines(three_days, lines(three_days)[:4])
    assert messages(three_days, log) == [
        "1: the published head after 6 entries (as of 2026-11-22) is not in this ledger: it has only 4 entries "
        "(entries were removed, or this copy is out of date)",
    ]


def test_trust_json_gives_its_one_head(three_days: Path) -> None:
    summary = ledger.summary(three_days)
    trust = {
        "format": "plaintrust-trust-center/1",
        "evidence_ledger": {"entries": 6, "head": summary.head, "as_of": "2026-11-22"},
    }
    assert messages(three_days, json.dumps(trust).encode()) == []
    wrong = {**trust, "evidence_ledger": {**trust["evidence_ledger"], "head": "f" * 64}}
    assert messages(three_days, json.dumps(wrong).encode()) == [
        "6: the published head after 6 entries (as of 2026-11-22) is not in this ledger: its history was rewritten"
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"<html>", "the published file is not JSON"),
        (b"\xff\xfe", "the published file is not JSON"),
        (b"[" * 100_000, "the published file is not JSON"),
        (
            b"[]",
            "the published file is neither a trust.json nor an evidence-log.json: its `format` is not "
            "plaintrust-trust-center/1 or plaintrust-evidence-log/1",
        ),
        (b'{"format": "plaintrust-evidence-log/1", "heads": {}}', "the published file's `heads` is not a list"),
        (
            b'{"format": "plaintrust-evidence-log/1", "heads": []}',
            "the published file holds no ledger head, so there is nothing to check",
        ),
        (
            b'{"format": "plaintrust-trust-center/1", "evidence_ledger": null}',
            "the published file holds no ledger head, so there is nothing to check",
        ),
        (
            b'{"format": "plaintrust-evidence-log/1", "heads": [{"entries": true, "head": "", "as_of": "x"}]}',
            "head 1 of the published file is not entries (a whole number from 1), head (64 hex digits) and as_of (YYYY-MM-DD)",
        ),
    ],
)
def test_a_garbled_published_file_is_a_diagnostic(three_days: Path, content: bytes, message: str) -> None:
    assert messages(three_days, content) == [f"1: {message}"]


def test_a_missing_ledger_is_named_once(tmp_path: Path) -> None:
    head = {"entries": 1, "head": "a" * 64, "as_of": "2026-11-22"}
    log = json.dumps({"format": "plaintrust-evidence-log/1", "heads": [head]}).encode()
    assert messages(tmp_path, log) == [
        "1: evidence/ledger.jsonl does not exist: there is nothing to check the published heads against"
    ]


def test_the_report_counts_heads_and_lines(three_days: Path) -> None:
    (three_days / "log.json").write_bytes(log_of(three_days))
    report = published.check(three_days, str(three_days / "log.json"))
    assert dataclasses.astuple(report) == ((), 3, 6)
