"""`plaintrust evidence new FILE`: scaffold an evidence record for a file under evidence/, pinned.

Guesses, each overridable: the kind from the file's extension, `collected` is today, `refresh` the
shortest cadence of the controls that will use the record (a continuous control's evidence is
refreshed quarterly), the id and title from the file name. The record goes beside the file's folder
without its leading `files/` (files/access/x.json -> evidence/access/<id>.yaml), as in the example.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from plaintrust.core import FileStatus
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.errors import Refused
from plaintrust.evidence import ledger
from plaintrust.evidence.hashing import sha256_file
from plaintrust.load.paths import inspect
from plaintrust.load.yamlfile import parse_bytes
from plaintrust.model import Control, Model, Period
from plaintrust.schemas import messages
from plaintrust.status import RUN_EVERY
from plaintrust.yamltext import scalar

KINDS = ("configuration", "screenshot", "report", "log", "policy", "ticket", "attestation")
_BY_SUFFIX = {
    **dict.fromkeys(
        (".json", ".yaml", ".yml", ".toml", ".xml", ".ini", ".conf", ".cfg", ".tf", ".hcl"), "configuration"
    ),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp", ".tif", ".tiff"), "screenshot"),
    **dict.fromkeys((".log", ".jsonl", ".ndjson"), "log"),
}
DEFAULT_REFRESH = "quarterly"


@dataclass(frozen=True)
class Choices:
    """What the user chose on the command line; None: guess."""

    id: str | None = None
    title: str | None = None
    kind: str | None = None
    collected: dt.date | None = None
    refresh: str | None = None
    classification: str = "confidential"
    controls: tuple[str, ...] = ()
    covers: str | None = None
    source: str | None = None  # where the evidence came from: system and query
    notes: str | None = None


@dataclass(frozen=True)
class Draft:
    id: str
    title: str
    kind: str
    collected: dt.date
    refresh: str
    classification: str
    file: str  # relative to evidence/
    covers: Period | None = None
    source: str | None = None
    notes: str | None = None
    series: str | None = None  # set when the record joins a series other than its own id

    @property
    def record_path(self) -> str:
        return _draft_path(self.file, self.id)


def _draft_path(file: str, record_id: str) -> str:
    folder = PurePosixPath(file).parent.parts
    if folder[:1] == ("files",):
        folder = folder[1:]
    return posixpath.join("evidence", *folder, f"{record_id}.yaml")


def guess_kind(file: str) -> str:
    return _BY_SUFFIX.get(PurePosixPath(file).suffix.lower(), "report")


def refresh_for(controls: list[Control]) -> str:
    """The shortest cadence among the controls' frequencies; `continuous` counts as quarterly."""
    cadences = [DEFAULT_REFRESH if c.frequency == "continuous" else c.frequency for c in controls]
    known = [c for c in cadences if c in RUN_EVERY]  # shortest first
    return min(known, key=RUN_EVERY.index) if known else DEFAULT_REFRESH


def default_id(file: str) -> str:
    stem = PurePosixPath(file).stem.lower()
    slug = re.sub(r"[^a-z0-9._-]+", "-", stem).strip("-._")
    return slug[:64] or "evidence"


def default_title(file: str) -> str:
    words = re.sub(r"[-_.]+", " ", PurePosixPath(file).stem).strip()
    return words[:1].upper() + words[1:] if words else "Evidence"


def render(draft: Draft, sha256: str) -> str:
    lines = [
        f"id: {scalar(draft.id)}",
        f"title: {scalar(draft.title)}",
        *([f"series: {scalar(draft.series)}"] if draft.series else []),
        f"kind: {draft.kind}",
        f"collected: {draft.collected}",
        *([f"covers: {{from: {draft.covers.start}, to: {draft.covers.end}}}"] if draft.covers else []),
        f"refresh: {draft.refresh}",
        f"classification: {draft.classification}",
        *([f"source: {scalar(draft.source)}"] if draft.source else []),
        *([f"notes: {scalar(draft.notes)}"] if draft.notes else []),
        "files:",
        f"  - path: {scalar(draft.file)}",
        f"    sha256: {sha256}",
    ]
    return "".join(line + "\n" for line in lines)


def schema_problems(draft: Draft, text: str) -> list[Diagnostic]:
    parsed = parse_bytes(draft.record_path, text.encode("utf-8"))
    if parsed.document is None:
        return list(parsed.diagnostics)
    return [*parsed.diagnostics, *messages.check(parsed.document, "evidence")]


_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def write_new(root: Path, file: str, data: bytes) -> tuple[list[Path], str | None]:
    """Write evidence/`file` as a new file, creating its folders, never through a symbolic link: each
    folder is opened relative to the one before without following links, so nothing lands outside
    evidence/ (in site/, or out of the repository). Returns what was created, for `undo`, and a
    problem (then nothing was written)."""
    *folders, name = PurePosixPath(file).parts
    if ".." in (*folders, name) or PurePosixPath(file).is_absolute():
        return [], f"cannot write evidence/{file}: the path leads out of evidence/"
    made: list[Path] = []
    opened: list[int] = []
    here = root / "evidence"
    try:
        opened.append(os.open(here, _FOLDER))
        for folder in folders:
            here = here / folder
            if _made(folder, opened[-1]):
                made.append(here)
            opened.append(os.open(folder, _FOLDER, dir_fd=opened[-1]))
        with os.fdopen(os.open(name, _NEW_FILE, 0o644, dir_fd=opened[-1]), "wb") as stream:
            made.append(here / name)
            stream.write(data)
    except OSError as exc:
        undo(made)
        return [], f"cannot write evidence/{file}: {_why(exc)}"
    finally:
        for fd in opened:
            os.close(fd)
    return made, None


def _made(folder: str, parent: int) -> bool:
    try:
        os.mkdir(folder, 0o755, dir_fd=parent)
    except FileExistsError:
        return False
    return True


def _why(exc: OSError) -> str:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return "a folder on the way is a symbolic link or not a folder (files are written only into real folders inside evidence/)"
    if exc.errno == errno.EEXIST:
        return "the file exists already"
    return exc.strerror or str(exc)


def undo(made: list[Path]) -> None:
    """Undo `write_new`: the file, then the folders it created, innermost first."""
    for path in reversed(made):
        with contextlib.suppress(OSError):  # a folder someone else filled meanwhile stays
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()


@dataclass(frozen=True)
class Created:
    record: str | None  # the record's path, None when nothing was written
    entry: ledger.Entry | None
    diagnostics: tuple[Diagnostic, ...] = ()


def create(root: Path, draft: Draft, moment: dt.datetime) -> Created:
    """Hash the file, write the record and its ledger entry; nothing is written on any problem (a
    ledger that cannot take the entry, such as on a full disk, takes the record away again)."""
    with ledger.held(root) as (book, problems):  # another pin or approval waits: the chain stays one
        if book is None:
            return Created(None, None, tuple(problems))
        return _create(root, draft, moment, book)


def _create(root: Path, draft: Draft, moment: dt.datetime, book: ledger.Ledger) -> Created:
    target = root / "evidence" / draft.file
    try:
        sha256, size = sha256_file(target), target.stat().st_size
    except OSError as exc:
        return Created(
            None, None, (Location(f"evidence/{draft.file}").error("io", f"cannot read the file: {exc.strerror}"),)
        )
    text = render(draft, sha256)
    problems = schema_problems(draft, text)
    if problems:
        return Created(None, None, tuple(problems))
    made, problem = write_new(root, posixpath.relpath(draft.record_path, "evidence"), text.encode("utf-8"))
    if problem:
        return Created(None, None, (Location(draft.record_path).error("io", problem),))
    [entry] = ledger.next_entries(book, [(draft.id, posixpath.normpath(draft.file), sha256, size)], moment)
    try:
        ledger.append(root, [entry])
    except BaseException as exc:
        undo(made)  # no record the ledger does not hold (`append` left the ledger as it was)
        if not isinstance(exc, OSError):
            raise
        said = f"cannot append to {ledger.PATH}: {exc.strerror or exc}"
        return Created(None, None, (Location(ledger.PATH).error("io", said),))
    return Created(draft.record_path, entry)


def relative_to_evidence(root: Path, file: Path) -> str:
    """`file` (as given on the command line: relative to `root`, or absolute) relative to evidence/,
    without following links. When `root`/`file` does not exist but `file` from the current folder is
    a file inside the repository's evidence/, that one is meant: no other reading is possible."""
    folder = Path(os.path.abspath(root / "evidence"))
    tried, here = Path(os.path.abspath(root / file)), Path(os.path.abspath(file))
    if not os.path.lexists(tried) and os.path.lexists(here) and here.is_relative_to(folder):
        tried = here
    if tried.is_relative_to(folder):
        return tried.relative_to(folder).as_posix()
    if file.is_absolute():
        raise Refused(f"{file} is not inside {root / 'evidence'}: copy it there first")
    raise Refused(
        f"a relative FILE is read from --root: {root / file} is not inside {root / 'evidence'}; "
        + _outside_hint(root, file, here, folder)
    )


def _outside_hint(root: Path, file: Path, here: Path, folder: Path) -> str:
    if not here.is_relative_to(folder):
        return (
            f"copy the file into {root / 'evidence'} first, and give its path from --root (such as "
            f"evidence/files/{file.name})"
        )
    meant = here.relative_to(folder.parent).as_posix()
    return f"did you mean {meant}?" if os.path.lexists(here) else f"{file} does not exist from here either"


def plan(root: Path, model: Model, file: Path, choices: Choices) -> Draft:
    """The draft for `file` with the user's choices; raises Refused on a value that cannot work."""
    written = _evidence_file(root, model, file)
    controls = _controls(model, choices.controls)
    record_id = _free_id(root, model, choices.id or default_id(written), written)
    collected = choices.collected or model.today
    if collected > model.today:
        raise Refused(f"--collected {collected} lies in the future (today is {model.today})")
    return Draft(
        record_id,
        choices.title or default_title(written),
        choices.kind or guess_kind(written),
        collected,
        choices.refresh or refresh_for(controls),
        choices.classification,
        written,
        _covers(choices.covers),
        _one_line(choices.source),
        _one_line(choices.notes),
    )


def _one_line(value: str | None) -> str | None:
    """A typed answer as one line (the record writes it as one YAML scalar); blank means none."""
    text = " ".join((value or "").split())
    return text or None


def _evidence_file(root: Path, model: Model, file: Path) -> str:
    written = relative_to_evidence(root, file)
    fact = inspect(root / "evidence", written)
    if fact.status is FileStatus.MISSING:
        raise Refused(
            f"evidence/{written} does not exist in the repository at {root} (a relative FILE is read from there)"
        )
    if fact.status is not FileStatus.OK:
        raise Refused(f"evidence/{written} is not a regular file inside evidence/ ({fact.status.value})")
    named = next((r.id for r in model.evidence for f in r.files if posixpath.normpath(f.path) == written), None)
    if named:
        raise Refused(f"the record {named!r} already names evidence/{written}")
    return written


def _free_id(root: Path, model: Model, record_id: str, written: str) -> str:
    if record_id in model.evidence_by_id or record_id in model.broken_ids:
        raise Refused(f"an evidence record with the id {record_id!r} exists already: choose another with --id")
    if (root / _draft_path(written, record_id)).exists():
        raise Refused(f"{_draft_path(written, record_id)} exists already: choose another id with --id")
    return record_id


def _controls(model: Model, ids: tuple[str, ...]) -> list[Control]:
    unknown = [i for i in ids if i not in model.controls_by_id]
    if unknown:
        raise Refused(f"no control has the id {', '.join(map(repr, unknown))}")
    return [model.controls_by_id[i] for i in ids]


def _covers(value: str | None) -> Period | None:
    if not value:
        return None
    start, sep, end = value.partition("..")
    try:
        period = Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end)) if sep else None
    except ValueError:
        period = None
    if period is None or period.start > period.end:
        raise Refused(f"--covers {value!r}: write FROM..TO, two dates in order, such as 2026-07-01..2026-09-30")
    return period
