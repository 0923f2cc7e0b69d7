"""`plaintrust audit-package verify`: prove a Type II package is what was built.

Every member is hashed against MANIFEST.json; a file the manifest lists is missing, one it does not
list is extra, one it says was left out (confidential) must be absent. The manifest holds no hash
of itself, so it is checked against something it cannot change alone: the ledger inside the package
must be one unbroken chain ending at the head the manifest gives, and each evidence file's sha256
must be the ledger's last entry for it. A manifest edited to match a changed file then disagrees
with the ledger; a ledger rewritten to match has a head that differs from the one the trust center
published. The zip is only read, never unpacked: unsafe member names and sizes past the caps are
errors, not files.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from plaintrust.diagnostics import Diagnostic, Location, finalize, shown_path
from plaintrust.evidence import ledger
from plaintrust.internal.auditpkg.build import MANIFEST

MAX_MEMBERS = 100_000
MAX_MEMBER_BYTES = 8 << 30  # one file, unpacked: evidence may be a long screen recording
MAX_TOTAL_BYTES = 32 << 30  # every file, unpacked
MAX_READ_BYTES = 256 << 20  # MANIFEST.json and the ledger are read whole
_HEX = re.compile(r"[0-9a-f]{64}")
_DRIVE = re.compile(r"[A-Za-z]:")
_CHUNK = 1 << 20

# Every finding `plaintrust audit-package verify` reports, and what it means: the docs site's rules
# reference lists them ("Audit package verification"). Each diagnostic below names its id through
# these constants, so a new finding cannot go undocumented.
UNREADABLE, NO_MANIFEST, MISSING = "package-file", "package-manifest", "package-missing"
EXTRA, TAMPERED, DISAGREES = "package-extra", "package-tampered", "package-ledger"
FINDINGS: dict[str, str] = {
    UNREADABLE: "The package or one of its files cannot be read: it is not a zip, it is damaged or larger than the "
    "caps, or a member has an unsafe name or is a symbolic link (such a member is never read).",
    NO_MANIFEST: "MANIFEST.json is missing, is not JSON, or does not list the package's files and its ledger's head.",
    MISSING: "A file the manifest lists as included is not in the package.",
    EXTRA: "A file is in the package but not in the manifest, is in it twice, or was left out according to the manifest.",
    TAMPERED: "A file's sha256 or size differs from what the manifest gives: it changed after the package was built.",
    DISAGREES: "The manifest disagrees with the ledger inside the package: another head, or an evidence file whose "
    "sha256 is not the ledger's last entry for it.",
    ledger.ENTRY: "A line of the ledger inside the package is not a ledger entry.",
    ledger.CHAIN: "The ledger inside the package is not one unbroken chain: a line was changed, removed or moved.",
}


@dataclass(frozen=True)
class Listed:
    """One file of the manifest."""

    path: str
    size: int
    sha256: str
    included: bool
    role: str
    records: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]
    files: int  # members hashed
    entries: int  # ledger lines read
    # What only a second channel can vouch for: the manifest cannot hash itself, and a ledger
    # rewritten whole is one unbroken chain. The auditor compares these with the fingerprint the
    # team sent apart from the package and the head the trust center published.
    manifest_sha256: str | None = None
    ledger_head: str | None = None


def verify(package: Path) -> Report:
    name = shown_path(package.name)
    try:
        archive = zipfile.ZipFile(package)
    except (zipfile.BadZipFile, NotImplementedError, UnicodeDecodeError, ValueError):  # a damaged or hostile directory
        return Report((Location(name).error(UNREADABLE, f"{name} is not a zip file"),), 0, 0)
    except OSError as exc:
        return Report((Location(name).error(UNREADABLE, f"cannot read {name}: {exc.strerror or exc}"),), 0, 0)
    with archive:
        return _verify(archive, name)


def _verify(archive: zipfile.ZipFile, name: str) -> Report:
    members, problems = _members(archive, name)
    if members is None:
        return Report(tuple(problems), 0, 0)
    listed, trouble = _manifest(archive, members)
    if listed is None:
        return Report(tuple(finalize(problems + trouble)), 0, 0)
    files, head = listed
    problems += _files(archive, members, files)
    book, trouble = _ledger(archive, members, head)
    problems += trouble
    if book is not None:
        problems += _against_ledger(files, book)
    hashed = sum(1 for f in files if f.included and f.path in members)
    fingerprint = hashlib.sha256(_whole(archive, members[MANIFEST])).hexdigest()
    claimed = head.get("head")
    return Report(
        tuple(finalize(problems)),
        hashed,
        len(book.lines) if book else 0,
        fingerprint,
        claimed if isinstance(claimed, str) else None,
    )


def is_link(info: zipfile.ZipInfo) -> bool:
    """A member stored as a symbolic link (Unix mode in the high bits): unpacked, it points anywhere."""
    return stat.S_ISLNK(info.external_attr >> 16)


def unsafe(name: str) -> str | None:
    """Why a member name could write outside the folder it is unpacked into, or hide as another."""
    if name.startswith("/") or _DRIVE.match(name):
        return "an absolute path"
    if "\\" in name:
        return "a backslash"
    if ".." in name.split("/"):
        return "'..'"
    return "not a plain relative path" if name != posixpath.normpath(name) or not name else None


def _members(archive: zipfile.ZipFile, name: str) -> tuple[dict[str, zipfile.ZipInfo] | None, list[Diagnostic]]:
    """The members by name; None when the zip is past a cap (nothing is read then)."""
    infos = archive.infolist()
    whole = Location(name)
    if len(infos) > MAX_MEMBERS:
        return None, [
            whole.error(UNREADABLE, f"{name} holds {len(infos)} files, more than {MAX_MEMBERS}: not verified")
        ]
    largest = max((i.file_size for i in infos), default=0)
    total = sum(i.file_size for i in infos)
    if largest > MAX_MEMBER_BYTES or total > MAX_TOTAL_BYTES:
        return None, [
            whole.error(
                UNREADABLE,
                f"{name} unpacks to {total} bytes (largest file {largest}), more than "
                f"the {MAX_TOTAL_BYTES} (one file: {MAX_MEMBER_BYTES}) a package may hold: not verified",
            )
        ]
    members: dict[str, zipfile.ZipInfo] = {}
    problems = []
    for info in infos:
        shown, why = (
            shown_path(info.filename),
            unsafe(info.filename.removesuffix("/") if info.is_dir() else info.filename),
        )
        why = why or ("a symbolic link" if is_link(info) else None)
        if why:
            problems.append(Location(name).error(UNREADABLE, f"the member {shown!r} is {why}: it was not read"))
        elif info.filename in members:
            problems.append(Location(shown).error(EXTRA, f"{shown} is in the package twice"))
        elif not info.is_dir():
            members[info.filename] = info
    return members, problems


class _Unreadable(Exception):
    """A member the zip cannot give back whole (corrupt, encrypted, past the caps); caught here."""


def _chunks(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> Iterator[bytes]:
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(_CHUNK):
                size += len(chunk)
                if size > limit:  # a header that understates the size must not get past the caps
                    raise _Unreadable(f"it unpacks to more than {limit} bytes")
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
        raise _Unreadable(str(exc) or type(exc).__name__) from None


def _whole(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    return b"".join(_chunks(archive, info, MAX_READ_BYTES))


def _hash(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    for chunk in _chunks(archive, info, MAX_MEMBER_BYTES):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _manifest(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]
) -> tuple[tuple[list[Listed], dict] | None, list[Diagnostic]]:
    where = Location(MANIFEST)
    if MANIFEST not in members:
        return None, [where.error(NO_MANIFEST, f"the package has no {MANIFEST}: nothing says what it should hold")]
    try:
        raw = _whole(archive, members[MANIFEST])
    except _Unreadable as exc:
        return None, [where.error(UNREADABLE, f"{MANIFEST} cannot be read: {exc}")]
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None, [where.error(NO_MANIFEST, f"{MANIFEST} is not JSON")]
    files, problem = _listed(data)
    if problem:
        return None, [where.error(NO_MANIFEST, f"{MANIFEST} is not a package manifest: {problem}")]
    return (files, data["ledger"]), []


def _listed(data: object) -> tuple[list[Listed], str | None]:
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("files"), list)
        or not isinstance(data.get("ledger"), dict)
    ):
        return [], "it needs `files` (a list) and `ledger` (an object)"
    head = data["ledger"]
    if head.get("path") != ledger.PATH or not _count(head.get("entries")) or not _digest(head.get("head")):
        return [], f"`ledger` needs path {ledger.PATH}, its entries and its head (a sha256)"
    files = []
    for index, entry in enumerate(data["files"]):
        problem = _entry_problem(entry)
        if problem:
            return [], f"files[{index}] {problem}"
        files.append(
            Listed(
                entry["path"],
                entry["size"],
                entry["sha256"],
                entry["included"],
                entry["role"],
                tuple(entry.get("records") or ()),
            )
        )
    paths = [f.path for f in files]
    if (
        len(set(paths)) != len(paths)
        or MANIFEST in paths
        or not any(f.path == ledger.PATH and f.included for f in files)
    ):
        return [], f"its files must be listed once each, without {MANIFEST}, the ledger among them (included)"
    return files, None


def _entry_problem(entry: object) -> str | None:
    if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) or unsafe(entry["path"]):
        return "needs a safe relative `path`"
    if not _count(entry.get("size")) or not _digest(entry.get("sha256")) or not isinstance(entry.get("included"), bool):
        return "needs `size` (a whole number), `sha256` (64 hex digits) and `included` (true or false)"
    records = entry.get("records", [])
    if (
        not isinstance(entry.get("role"), str)
        or not isinstance(records, list)
        or not all(isinstance(r, str) for r in records)
    ):
        return "needs a `role`, and `records` as a list of record ids"
    if entry["role"] == "evidence" and not records:
        return "is evidence of no record"
    return None


def _count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _digest(value: object) -> bool:
    return isinstance(value, str) and _HEX.fullmatch(value) is not None


def _files(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], files: list[Listed]) -> Iterator[Diagnostic]:
    """One diagnostic per tampered, missing or extra file."""
    for entry in files:
        info, where = members.get(entry.path), Location(shown_path(entry.path))
        if not entry.included:
            if info is not None:
                yield where.error(EXTRA, f"{where.path} is in the package, but the manifest says it was left out")
        elif info is None:
            yield where.error(MISSING, f"{where.path} is listed in the manifest but not in the package")
        else:
            yield from _compare(archive, info, entry, where)
    listed = {f.path for f in files} | {MANIFEST}
    for name in sorted(set(members) - listed):
        yield Location(shown_path(name)).error(EXTRA, f"{shown_path(name)} is in the package but not in the manifest")


def _compare(archive: zipfile.ZipFile, info: zipfile.ZipInfo, entry: Listed, where: Location) -> Iterator[Diagnostic]:
    try:
        sha256, size = _hash(archive, info)
    except _Unreadable as exc:
        yield where.error(UNREADABLE, f"{where.path} cannot be read from the package: {exc}")
        return
    if (sha256, size) != (entry.sha256, entry.size):
        yield where.error(
            TAMPERED,
            f"{where.path} does not match the manifest: sha256 {sha256} ({size} bytes), "
            f"the manifest says {entry.sha256} ({entry.size} bytes)",
        )


def _ledger(
    archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo], head: dict
) -> tuple[ledger.Ledger | None, list[Diagnostic]]:
    """The ledger's chain, and its head against the manifest's (a missing ledger is already named)."""
    if ledger.PATH not in members:
        return None, []
    try:
        raw = _whole(archive, members[ledger.PATH])
    except _Unreadable as exc:
        return None, [Location(ledger.PATH).error(UNREADABLE, f"{ledger.PATH} cannot be read: {exc}")]
    book = ledger.parse(raw)
    problems = list(ledger.chain_problems(book))
    entries, last = book.head()
    if (entries, last) != (head["entries"], head["head"]):
        problems.append(
            Location(MANIFEST).error(
                DISAGREES,
                f"the manifest says the ledger ends at entry {head['entries']} with head {head['head']}; "
                f"the ledger in the package ends at entry {entries} with head {last}",
            )
        )
    return book, problems


def _against_ledger(files: list[Listed], book: ledger.Ledger) -> Iterator[Diagnostic]:
    """Each evidence file's sha256 in the manifest must be the ledger's last entry for it. A file the
    ledger pins is evidence whatever role the manifest gives it: a role cannot exempt it."""
    latest = book.latest()
    pinned = {file for _, file in latest}
    for entry in files:
        where, rel = Location(shown_path(entry.path)), entry.path.removeprefix("evidence/")
        if entry.role != "evidence":
            if entry.path != ledger.PATH and entry.path.startswith("evidence/") and rel in pinned:
                yield where.error(
                    DISAGREES,
                    f"the ledger pins {where.path}, but the manifest lists it as "
                    f"{shown_path(entry.role)}, not as evidence",
                )
            continue
        for record in entry.records:
            line = latest.get((record, rel))
            if line is None or line.entry is None:
                yield where.error(DISAGREES, f"the ledger has no entry for {where.path} of record {shown_path(record)}")
            elif line.entry.sha256 != entry.sha256:
                yield where.error(
                    DISAGREES,
                    f"the manifest gives {where.path} sha256 {entry.sha256}; the ledger's last "
                    f"entry for it ({ledger.PATH} line {line.number}) records {line.entry.sha256}",
                )
