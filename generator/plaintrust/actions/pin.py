"""`plaintrust evidence pin`: write each file's sha256 into its record and append it to the ledger.

Pinning is idempotent: a file whose record already holds its hash, and whose last ledger entry says
the same, is left alone. A file whose bytes changed since it was pinned is refused (it may have been
tampered with) unless `update` says the change is deliberate; the ledger then keeps both hashes.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from plaintrust import rules
from plaintrust.core import FileStatus
from plaintrust.diagnostics import Diagnostic, Location, Severity
from plaintrust.evidence import ledger
from plaintrust.evidence.recordedit import CannotEdit, set_sha256
from plaintrust.evidence.states import is_tampered
from plaintrust.model import EvidenceRecord, Model
from plaintrust.output import write_file
from plaintrust.pipeline import Result
from plaintrust.rules import evidence_file_missing, evidence_path_outside, evidence_tampered

PIN = "evidence-pin"  # a record could not be rewritten with its hash
_BLOCKING = frozenset({evidence_file_missing.ID, evidence_path_outside.ID, evidence_tampered.ID})


@dataclass(frozen=True)
class Pinned:
    record: str
    source: str  # the record's path, relative to the repository root
    file: str  # relative to evidence/, normalised
    sha256: str
    size: int
    rewritten: bool  # False: the record already held the hash, only the ledger lacked it


@dataclass(frozen=True)
class Outcome:
    pinned: tuple[Pinned, ...] = ()
    entries: tuple[ledger.Entry, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    refused: bool = False  # the ledger is broken or unreadable: nothing was written


def select(root: Path, model: Model, names: Iterable[str]) -> tuple[list[EvidenceRecord], list[str]]:
    """Records named by id or by file path (all records when no name is given), and unknown names."""
    names = list(names)
    if not names:
        return sorted(model.evidence, key=lambda r: r.source.path), []
    by_path = {r.source.path: r for r in model.evidence}
    chosen: dict[str, EvidenceRecord] = {}
    unknown = []
    for name in names:
        record = model.evidence_by_id.get(name) or by_path.get(_relative(root, name))
        if record is None:
            unknown.append(name)
        else:
            chosen.setdefault(record.source.path, record)
    return list(chosen.values()), unknown


def _relative(root: Path, name: str) -> str:
    try:
        return Path(name).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return posixpath.normpath(name)


def pin(
    root: Path, result: Result, records: list[EvidenceRecord], *, update: bool, moment: dt.datetime, all_records: bool
) -> Outcome:
    """`all_records`: no record was named, so records that do not load are reported too."""
    with ledger.held(root) as (book, broken):  # another pin or approval waits: the chain stays one
        if book is None:
            return Outcome(diagnostics=tuple(broken), refused=True)
        latest = {key: line.entry.sha256 for key, line in book.latest().items() if line.entry}
        pinned, problems, rewritten = [], list(_reported(result, records, update, all_records)), []
        for record in records:
            done, problem, edit = _pin_record(root, record, latest, update)
            pinned.extend(done)
            problems.extend(problem)
            rewritten.extend(edit)
        entries = ledger.next_entries(book, [(p.record, p.file, p.sha256, p.size) for p in pinned], moment)
        try:
            ledger.append(root, entries)  # on a failure, it leaves the ledger as it was
        except BaseException as exc:  # an interrupt too: no record may hold a hash the ledger lacks
            problems.extend(_take_back(rewritten))
            if not isinstance(exc, OSError):
                raise
            said = f"cannot append to {ledger.PATH}: {exc.strerror or exc}; nothing was pinned"
            return Outcome(diagnostics=(*problems, Location(ledger.PATH).error("io", said)))
    return Outcome(tuple(pinned), tuple(entries), tuple(problems))


@dataclass(frozen=True)
class _Edit:
    """A record rewritten with its hashes: its bytes before and after, to take the edit back."""

    record: EvidenceRecord
    path: Path
    before: bytes
    after: bytes


def _pin_record(
    root: Path, record: EvidenceRecord, latest: dict, update: bool
) -> tuple[list[Pinned], list[Diagnostic], list[_Edit]]:
    """Pins for one record; its file is rewritten once, for all of its new hashes."""
    writes, pins = _plan(record, latest, update)
    if not writes:
        return pins, [], []
    where = record.source.at("files", min(writes))
    path = root / record.source.path
    try:
        before = path.read_bytes()
        after = set_sha256(before, record.source.path, writes)
        write_file(path, after)
    except CannotEdit as exc:
        return [], [where.error(PIN, f"cannot write the sha256 into this record: {exc}")], []
    except OSError as exc:
        return [], [where.error(PIN, f"cannot write the record: {exc.strerror}")], []
    return pins, [], [_Edit(record, path, before, after)]


def _take_back(edits: Iterable[_Edit]) -> list[Diagnostic]:
    """Each record as it was before its hashes were written, unless someone changed it since; a
    record that cannot be put back is named, as it now holds a hash the ledger lacks."""
    problems = []
    for edit in edits:
        try:
            if edit.path.read_bytes() == edit.after:
                write_file(edit.path, edit.before)
        except OSError as exc:
            problems.append(
                edit.record.source.at("files").error(
                    PIN,
                    f"the sha256 written into this record could not be taken back: {exc.strerror or exc}",
                    "run plaintrust evidence pin again once the ledger can be written",
                )
            )
    return problems


def _plan(record: EvidenceRecord, latest: dict, update: bool) -> tuple[dict[int, str], list[Pinned]]:
    """(files index -> hash to write into the record, pins for the ledger)."""
    writes: dict[int, str] = {}
    pins: list[Pinned] = []
    for index, item in enumerate(record.files):
        actual, file = item.fact.sha256, posixpath.normpath(item.path)
        if item.fact.status is not FileStatus.OK or actual is None or any(p.file == file for p in pins):
            continue
        if is_tampered(item) and not update:
            continue  # reported as tampered
        if item.sha256 != actual:
            writes[index] = actual
        if item.sha256 != actual or latest.get((record.id, file)) != actual:
            pins.append(Pinned(record.id, record.source.path, file, actual, item.fact.size, item.sha256 != actual))
    return writes, pins


def _reported(result: Result, records: list[EvidenceRecord], update: bool, all_records: bool) -> Iterable[Diagnostic]:
    """What stops a selected file from being pinned; with `all_records`, evidence records that do not load."""
    paths = {r.source.path for r in records}
    blocking = _BLOCKING - {evidence_tampered.ID} if update else _BLOCKING
    for d in result.diagnostics:
        if (d.path in paths and d.rule in blocking) or (
            all_records and d.path.startswith("evidence/") and d.rule in rules.READING and d.severity is Severity.ERROR
        ):
            yield d
