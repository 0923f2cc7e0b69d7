"""`evidence/ledger.jsonl`: an append-only, hash-chained log of every pin.

One JSON object per line, keys sorted: `file` (relative to evidence/), `prev` (the sha256 of the
previous line's bytes, 64 zeros on the first line), `record`, `seq` (1, 2, ...), `sha256`, `size`
and `time` (UTC, RFC 3339). A line is hashed as stored, without its line break (a trailing CR is
ignored, so a checkout that converts line endings does not break the chain). Editing, removing,
inserting or reordering a line breaks the link of the line after it. What the chain alone cannot
show (a removed or edited last line, a chain rewritten from scratch) needs an anchor outside the
file: the records' pinned hashes catch the first, git history and the heads the trust center
publishes (`summary`, checked by `actions/published.py`) the rest.

An approval of a policy (`plaintrust policy approve`) is a line of the same chain: its `record` is
`policy:ID`, its `file` the policy's path from the repository root, and `sha256` and `size` are those
of the approved text (`plaintrust.policies.text_digest`), so the ledger's published head anchors
approvals as it anchors evidence.

Whatever appends holds the ledger's lock (`held`) from reading its last line to writing after it,
so two commands run at once cannot both chain onto the same line. The lock is a file of its own in
the cache folder (`LOCK`), never the ledger: opening the ledger to lock it would create a missing one.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import errno
import hashlib
import io
import json
import os
import re
from binascii import hexlify
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from plaintrust import clock, locks
from plaintrust.core import FileStatus
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.load.paths import CACHE_FOLDER, inspect
from plaintrust.model import Approval, LedgerHead

REL = "ledger.jsonl"  # relative to evidence/
PATH = f"evidence/{REL}"
LOCK = f"{CACHE_FOLDER}/ledger.lock"  # relative to the repository root; there only while held
GENESIS = "0" * 64
FILE = "ledger-file"  # the ledger cannot be read, or is missing where it must exist
ENTRY, CHAIN = "ledger-entry", "ledger-chain"  # what chain_problems reports (both verify commands)
UNUSABLE = frozenset({FILE, ENTRY, CHAIN})  # what load_intact reports: nothing may be appended
FIELDS = ("file", "prev", "record", "seq", "sha256", "size", "time")
_HEX = re.compile(r"[0-9a-f]{64}")
_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


@dataclass(frozen=True)
class Entry:
    file: str
    prev: str
    record: str
    seq: int
    sha256: str
    size: int
    time: str

    def line(self) -> bytes:
        return json.dumps(asdict(self), sort_keys=True, ensure_ascii=False).encode("utf-8")


@dataclass(frozen=True)
class Line:
    number: int  # 1-based
    digest: str  # sha256 of the line's bytes
    entry: Entry | None
    problem: str | None = None  # why the line is not an entry


@dataclass(frozen=True)
class Ledger:
    lines: tuple[Line, ...] = ()
    exists: bool = False

    def latest(self) -> dict[tuple[str, str], Line]:
        """(record, file) -> the last line that pinned it."""
        return {(line.entry.record, line.entry.file): line for line in self.lines if line.entry}

    def head(self) -> tuple[int, str]:
        """(seq, digest) of the last line, (0, GENESIS) when empty."""
        if not self.lines:
            return 0, GENESIS
        last = self.lines[-1]
        return (last.entry.seq if last.entry else last.number), last.digest


def timestamp(moment: dt.datetime) -> str:
    return clock.stamp(moment)


def digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def file_problem(root: Path) -> Diagnostic | None:
    """The ledger must be a regular file inside evidence/ (or not exist yet)."""
    fact = inspect(root / "evidence", REL)
    where = Location(PATH)
    if fact.status is FileStatus.SYMLINK_ESCAPES:
        return where.error(
            FILE, f"{PATH} is a symbolic link that leads out of evidence/", "replace the link with the ledger itself"
        )
    if fact.status is FileStatus.NOT_A_FILE:
        return where.error(FILE, f"{PATH} is not a regular file")
    return None


def load(root: Path) -> tuple[Ledger | None, list[Diagnostic]]:
    """The ledger, or None and why it cannot be used (an empty Ledger when it does not exist yet)."""
    unusable = file_problem(root)
    if unusable:
        return None, [unusable]
    try:
        return read(root), []
    except OSError as exc:
        return None, [Location(PATH).error(FILE, f"cannot read the ledger: {exc.strerror}")]


def load_intact(root: Path) -> tuple[Ledger | None, list[Diagnostic]]:
    """The ledger only when its chain holds: nothing may be appended to a broken one."""
    book, problems = load(root)
    if book is None:
        return None, problems
    problems = list(chain_problems(book))
    return (None, problems) if problems else (book, [])


def read(root: Path) -> Ledger:
    """Raises OSError when the ledger exists but cannot be read."""
    file = root / PATH
    if not file.exists() and not file.is_symlink():
        return Ledger()
    return parse(file.read_bytes())


def parse(raw: bytes) -> Ledger:
    """A ledger's bytes, wherever they come from (a repository, an auditor's package)."""
    return Ledger(tuple(_line(number, piece) for number, piece in enumerate(lines(raw), 1)), True)


def lines(raw: bytes) -> list[bytes]:
    """The lines as hashed: without their line breaks, nor a CR before one."""
    pieces = raw.split(b"\n")
    if pieces[-1] == b"":
        pieces.pop()
    return [piece.removesuffix(b"\r") for piece in pieces] if b"\r" in raw else pieces


def _line(number: int, raw: bytes) -> Line:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):  # RecursionError: absurdly nested JSON
        return Line(number, digest(raw), None, "not a JSON object" if raw.strip() else "an empty line")
    problem = _entry_problem(data)
    return Line(number, digest(raw), None if problem else Entry(**data), problem)


def _entry_problem(data: object) -> str | None:
    if not isinstance(data, dict):
        return "not a JSON object"
    if sorted(data) != list(FIELDS):
        return f"the fields must be exactly {', '.join(FIELDS)}"
    checks = {
        "seq": isinstance(data["seq"], int) and not isinstance(data["seq"], bool) and data["seq"] >= 1,
        "size": isinstance(data["size"], int) and not isinstance(data["size"], bool) and data["size"] >= 0,
        "sha256": isinstance(data["sha256"], str) and _HEX.fullmatch(data["sha256"]) is not None,
        "prev": isinstance(data["prev"], str) and _HEX.fullmatch(data["prev"]) is not None,
        "time": isinstance(data["time"], str) and _TIME.fullmatch(data["time"]) is not None,
        "record": isinstance(data["record"], str) and bool(data["record"]),
        "file": isinstance(data["file"], str) and bool(data["file"]),
    }
    bad = [name for name, ok in checks.items() if not ok]
    return f"invalid {', '.join(bad)}" if bad else None


def next_entries(ledger: Ledger, pins: list[tuple[str, str, str, int]], moment: dt.datetime) -> list[Entry]:
    """Chained entries for (record, file, sha256, size) pins, following the ledger's last line."""
    seq, prev = ledger.head()
    entries = []
    for record, file, sha256, size in pins:
        seq += 1
        entry = Entry(file=file, prev=prev, record=record, seq=seq, sha256=sha256, size=size, time=timestamp(moment))
        entries.append(entry)
        prev = digest(entry.line())
    return entries


def append(root: Path, entries: list[Entry]) -> None:
    """One write; a ledger whose last line lacks its line break gets one first. Raises OSError when
    the write fails (a full disk, a file size limit), after cutting the ledger back to the size it
    had, or removing it when this call made it: a failed append never leaves part of a line."""
    if not entries:
        return
    path = root / PATH
    existed = os.path.lexists(path)
    with open(path, "ab+", buffering=0) as stream:  # unbuffered: nothing is left to write on close
        size = stream.seek(0, 2)
        if size:
            stream.seek(size - 1)
            needs_break = stream.read(1) != b"\n"
        else:
            needs_break = False
        data = (b"\n" if needs_break else b"") + b"".join(e.line() + b"\n" for e in entries)
        try:
            _write_all(stream, data)
        except BaseException:  # an interrupt too: the lines written so far go
            _restore(stream, path, size, existed)
            raise


def _write_all(stream: io.RawIOBase, data: bytes) -> None:
    """An unbuffered write may take part of the bytes; the rest follows until all are written."""
    view = memoryview(data)
    while view:
        written = stream.write(view)
        if not written:  # a file that takes no bytes and says no error: never loop on it
            raise OSError(errno.EIO, "the ledger took none of the bytes written to it")
        view = view[written:]


def _restore(stream: io.RawIOBase, path: Path, size: int, existed: bool) -> None:
    """The ledger as it was before a failed append: the size it had, or none if it was made here.
    Shrinking a file needs no new space, so this works where the write ran out of it."""
    with contextlib.suppress(OSError):  # the write's own error is the one to report
        if existed:
            stream.truncate(size)
        else:
            path.unlink()


@contextmanager
def held(root: Path) -> Iterator[tuple[Ledger | None, list[Diagnostic]]]:
    """The ledger read afresh under an exclusive lock held for the block, as `load_intact` gives it.

    Entries computed from it (`next_entries`) and appended (`append`) inside the block follow its
    true last line, whatever other processes do: two `pin`s or `policy approve`s at once would
    otherwise both chain onto the same line and break the chain. The lock is `LOCK`, never the
    ledger itself, so taking it neither creates nor removes a ledger (nor the target of a link to
    one). Where it cannot be taken (see `plaintrust.locks`) the block runs unlocked and any
    problem with the ledger is reported where it always was.
    """
    with locks.exclusive(root / LOCK):
        yield load_intact(root)


def chain_problems(ledger: Ledger) -> Iterator[Diagnostic]:
    """Every malformed line and every broken link, at the line where it shows."""
    by_digest = {line.digest: line.number for line in ledger.lines}
    seqs = sorted({line.entry.seq for line in ledger.lines if line.entry})
    for index, line in enumerate(ledger.lines):
        where = Location(PATH, line.number, 1)
        if line.entry is None:
            yield where.error(ENTRY, f"line {line.number} is not a ledger entry: {line.problem}")
            continue
        before = ledger.lines[index - 1] if index else None
        problem = _link_problem(line, before, by_digest, seqs)
        if problem:
            yield Location(PATH, problem[0], 1).error(CHAIN, problem[1])


def _link_problem(
    line: Line, before: Line | None, by_digest: dict[str, int], seqs: list[int]
) -> tuple[int, str] | None:
    entry, number = line.entry, line.number
    assert entry is not None
    expected_prev = before.digest if before else GENESIS
    expected_seq = before.entry.seq + 1 if before and before.entry else number
    if entry.prev == expected_prev:
        if entry.seq == expected_seq:
            return None
        return number, f"line {number} is entry {entry.seq} where entry {expected_seq} belongs: its seq was changed"
    if before is not None and before.entry is None:
        return None  # the malformed line before it is already named
    if entry.prev == GENESIS:
        return number, f"line {number} claims to be the first entry: entries were inserted, or two ledgers joined"
    if entry.prev in by_digest:
        return (
            number,
            f"line {number} follows line {by_digest[entry.prev]} in the chain, not line {number - 1}: lines were reordered",
        )
    return _unknown_prev(line, before, seqs)


def _unknown_prev(line: Line, before: Line | None, seqs: list[int]) -> tuple[int, str]:
    """`seqs`: the sorted seq numbers present; the gap below this entry's seq was removed."""
    entry, number = line.entry, line.number
    assert entry is not None
    if before is not None and before.entry is not None and before.entry.seq == entry.seq - 1:
        return (
            before.number,
            f"line {before.number} was changed after it was written: line {number} records a different hash for it",
        )
    below = seqs[bisect.bisect_left(seqs, entry.seq) - 1] if seqs[0] < entry.seq else 0
    if below < entry.seq - 1:
        first, last = below + 1, entry.seq - 1
        gone = f"entry {last} was" if first == last else f"entries {first} to {last} were"
        return number, f"{gone} removed before line {number}: its prev matches no line"
    if before is None:
        return (
            number,
            f"line {number} is the first line but its prev is not {GENESIS[:8]}...: the first entry was changed or removed",
        )
    return (
        number,
        f"line {number} does not follow line {before.number} in the chain: line {before.number} was changed, or lines were removed",
    )


_PREV_KEY = b'"prev": "'
_TIME_KEY = re.compile(rb'"time": "\d{4}-\d\d-\d\d')  # 19 bytes, then the time of day: T12:00:00Z"}


POLICY_PREFIX = "policy:"  # `record` of an approval of a policy; `file` is then its path from the repository root
_POLICY_KEY = b'"record": "policy:'


def approvals(root: Path) -> dict[str, Approval]:
    """Policy id -> the ledger's last approval of it."""
    return {e.record.removeprefix(POLICY_PREFIX): Approval(e.sha256, e.time, n) for n, e in _policy_entries(root)}


def approved_digests(root: Path) -> dict[str, frozenset[str]]:
    """Policy id -> the sha256 of every text the ledger records an approval of (the change history
    lists only versions approved as they were committed)."""
    found: dict[str, set[str]] = {}
    for _, entry in _policy_entries(root):
        found.setdefault(entry.record.removeprefix(POLICY_PREFIX), set()).add(entry.sha256)
    return {policy: frozenset(digests) for policy, digests in found.items()}


def _policy_entries(root: Path) -> list[tuple[int, Entry]]:
    """(line number, entry) of every approval of a policy, in order. Only lines that name a policy
    are parsed; the chain itself is `evidence verify`'s to judge."""
    file = root / PATH
    if file_problem(root) is not None or not file.is_file():
        return []
    try:
        pieces = lines(file.read_bytes())
    except OSError:
        return []
    found = []
    for number, piece in enumerate(pieces, 1):
        entry = _line(number, piece).entry if _POLICY_KEY in piece else None
        if entry is not None and entry.record.startswith(POLICY_PREFIX):
            found.append((number, entry))
    return found


def summary(root: Path) -> LedgerHead | None:
    """How far the ledger reaches, for the public side; None when there is none or its chain is broken.

    `check` runs this on every commit: a ledger as `pin` writes it costs one hash and two byte
    slices per line, no JSON. Anything unusual takes the exact (slower) way of `verify`.
    """
    file = root / PATH
    if file_problem(root) is not None or not file.is_file():
        return None
    try:
        pieces = lines(file.read_bytes())
    except OSError:
        return None
    if not pieces:
        return LedgerHead(0, GENESIS, None)
    hexes = [hexlify(hashlib.sha256(piece).digest()) for piece in pieces]
    days = _linked_days(pieces, hexes) or _exact_days(pieces)
    try:
        heads = _daily(hexes, days) if days else ()
    except ValueError:  # a `time` whose day is not in the calendar (2026-02-30)
        return None
    return LedgerHead(len(pieces), heads[-1].head, heads[-1].as_of, heads) if heads else None


def _linked_days(pieces: list[bytes], hexes: list[bytes]) -> list[bytes] | None:
    """Each line's `time` up to its day, when every line holds the hash of the one before, the last
    is a whole entry and each ends in its `time`; else None. Only the last line is read in full: a
    middle line that changed breaks the link after it (one written malformed is `verify`'s to name)."""
    prevs = [piece[(at := piece.find(_PREV_KEY) + len(_PREV_KEY)) : at + 64] for piece in pieces]
    if prevs != [GENESIS.encode(), *hexes[:-1]]:
        return None
    last = _line(len(pieces), pieces[-1]).entry
    if last is None or last.seq != len(pieces):
        return None
    tails = [piece[-31:-12] for piece in pieces]
    if not all(_TIME_KEY.fullmatch(tail) for tail in set(tails)):
        return None
    return tails


def _exact_days(pieces: list[bytes]) -> list[bytes] | None:
    """Each line's day, read as `verify` reads the ledger; None when its chain has any problem."""
    book = Ledger(tuple(_line(number, piece) for number, piece in enumerate(pieces, 1)), True)
    if next(chain_problems(book), None) is not None:
        return None
    return [line.entry.time[:10].encode() for line in book.lines if line.entry]


def _daily(hexes: list[bytes], days: list[bytes]) -> tuple[LedgerHead, ...]:
    """The head at the end of each day (`days`: per line, bytes ending in its YYYY-MM-DD). A line dated
    before the one above it (a clock set back) counts as written on the later day: the published
    days only move forward."""
    ends = [n for n in range(1, len(days)) if days[n] != days[n - 1]] + [len(days)]
    marks: list[tuple[int, dt.date]] = []  # (lines up to the end of the day, the day)
    for end in ends:
        day = dt.date.fromisoformat(days[end - 1][-10:].decode("ascii"))
        if marks and day <= marks[-1][1]:
            day = marks.pop()[1]
        marks.append((end, day))
    return tuple(LedgerHead(end, hexes[end - 1].decode("ascii"), day) for end, day in marks)
