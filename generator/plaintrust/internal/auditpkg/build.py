"""`plaintrust audit-package`: the package's members, its MANIFEST.json and the zip's bytes.

Same input, same bytes: members in path order, every timestamp midnight of the as-of day, one file
mode, deflate at a fixed level, no extra fields. A package must pass its own verification, so it is
refused (diagnostics, no bytes) when an evidence file it should hold is missing, unpinned, changed
since it was pinned, or pinned with a hash that is not the ledger's last word, or when the ledger's
chain is broken. The approved policies behind its requirements go in as written (role `policy`):
the manifest gives each one's version, approval and the ledger line that records it. The caller
writes the bytes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import posixpath
import stat
import zipfile
from dataclasses import dataclass
from importlib.resources import files as package_files
from pathlib import Path

from plaintrust import __version__, pipeline
from plaintrust.core import FileStatus
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.evidence import ledger
from plaintrust.internal import gaps, reportbuild
from plaintrust.internal.auditpkg import contents
from plaintrust.internal.policyproof import PolicyFinding
from plaintrust.model import EvidenceFile, EvidenceRecord, Framework, Period

ID = "audit-package"
FORMAT = "plaintrust-audit-package/1"
MANIFEST = "MANIFEST.json"
VERIFIER = "verify.py"
REPORT_FOLDER = "gap-report"
WITHHELD = frozenset({"confidential", "restricted"})  # left out unless --include-confidential
_MODE = (stat.S_IFREG | 0o644) << 16
_UNIX = 3  # the zip "made by" system: the same bytes whichever system builds the package


@dataclass(frozen=True)
class Member:
    """One file the manifest lists; `data` None when it is left out of the zip (confidential)."""

    path: str  # in the package, '/'-separated
    role: str  # evidence | evidence record | policy | ledger | gap report | verifier
    sha256: str
    size: int
    data: bytes | None
    records: tuple[str, ...] = ()  # evidence: the ids of the records that name it
    classification: str | None = None
    policy: PolicyFinding | None = None  # a policy file: the policy as the gap report judged it


@dataclass(frozen=True)
class Package:
    data: bytes | None  # None: refused, the diagnostics say why
    diagnostics: tuple[Diagnostic, ...]
    members: tuple[Member, ...] = ()

    def count(self, role: str, included: bool = True) -> int:
        return sum(1 for m in self.members if m.role == role and (m.data is not None) is included)


def build(result: pipeline.Result, framework: Framework, include_confidential: bool = False) -> Package:
    """The package for `framework`, which must have an audit period."""
    assert framework.audit_period is not None, "a Type II package proves an audit period"
    report = reportbuild.report(result, framework.id)
    chosen = contents.records(result.model, report.frameworks[0], framework.audit_period)
    raw, book, problems = _ledger(result.root)
    if book is None:
        return Package(None, tuple(problems))
    evidence, problems = _evidence(chosen, book, include_confidential)
    records, unreadable = _records(result.root, chosen)
    policies, unread = _policies(result.root, contents.audited_policies(report.frameworks[0]))
    if problems or unreadable or unread:
        return Package(None, tuple(problems + unreadable + unread))
    members = sorted(
        [
            *evidence,
            *records,
            *policies,
            _member(ledger.PATH, "ledger", raw),
            _verifier(),
            *(
                _member(f"{REPORT_FOLDER}/{name}", "gap report", data)
                for name, data in reportbuild.files(report).items()
            ),
        ],
        key=lambda m: m.path,
    )
    head = manifest(report, framework.audit_period, members, book, include_confidential)
    return Package(
        zip_bytes({MANIFEST: head, **{m.path: m.data for m in members if m.data is not None}}, result.model.today),
        (),
        tuple(members),
    )


def _member(path: str, role: str, data: bytes) -> Member:
    return Member(path, role, ledger.digest(data), len(data), data)


def _verifier() -> Member:
    return _member(
        VERIFIER, "verifier", package_files("plaintrust").joinpath("templates", "audit", VERIFIER).read_bytes()
    )


def _ledger(root: Path) -> tuple[bytes, ledger.Ledger | None, list[Diagnostic]]:
    """The ledger's bytes and parsed chain; None and why when it cannot anchor the package."""
    unusable = ledger.file_problem(root)
    if unusable is not None:
        return b"", None, [unusable]
    where = Location(ledger.PATH)
    try:
        raw = (root / ledger.PATH).read_bytes()
    except FileNotFoundError:
        return (
            b"",
            None,
            [
                where.error(
                    ID,
                    f"{ledger.PATH} does not exist: the package's hashes are checked against it",
                    "pin the evidence with `plaintrust evidence pin`",
                )
            ],
        )
    except OSError as exc:
        return b"", None, [where.error(ID, f"cannot read the ledger: {exc.strerror}")]
    book = ledger.parse(raw)
    problems = list(ledger.chain_problems(book))
    return raw, None if problems else book, problems


def _evidence(
    chosen: list[EvidenceRecord], book: ledger.Ledger, include: bool
) -> tuple[list[Member], list[Diagnostic]]:
    latest = book.latest()
    found: dict[str, Member] = {}
    problems: list[Diagnostic] = []
    for record in chosen:
        for index, item in enumerate(record.files):
            member = _evidence_file(record, index, item, latest, include)
            if isinstance(member, Diagnostic):
                problems.append(member)
            else:
                found[member.path] = _merged(found.get(member.path), member)
    return list(found.values()), problems


def _merged(before: Member | None, member: Member) -> Member:
    """One file named by two records: listed once, left out if either record keeps it out."""
    if before is None:
        return member
    kept = member if member.data is None else before
    return dataclasses.replace(kept, records=before.records + member.records)


def _evidence_file(
    record: EvidenceRecord, index: int, item: EvidenceFile, latest: dict[tuple[str, str], ledger.Line], include: bool
) -> Member | Diagnostic:
    rel = posixpath.normpath(item.path)
    path, where = f"evidence/{rel}", record.source.at("files", index)
    if item.fact.status is not FileStatus.OK or item.fact.resolved is None:
        return where.error(
            ID,
            f"{path} of record {record.id} is {item.fact.status.value.replace('-', ' ')}: the package cannot hold it",
            "restore the file, or correct the record",
        )
    if not item.sha256:
        return where.error(
            ID, f"{path} of record {record.id} is not pinned: nothing proves its bytes", "run `plaintrust evidence pin`"
        )
    line = latest.get((record.id, rel))
    if line is None or line.entry is None or line.entry.sha256 != item.sha256:
        return where.error(
            ID,
            f"{path} of record {record.id}: its pinned hash is not the ledger's last entry for it",
            "run `plaintrust evidence verify`",
        )
    if record.classification in WITHHELD and not include:
        return Member(path, "evidence", item.sha256, line.entry.size, None, (record.id,), record.classification)
    return _read_evidence(record, where, path, item.fact.resolved, item.sha256)


def _read_evidence(record: EvidenceRecord, where: Location, path: str, file: Path, pinned: str) -> Member | Diagnostic:
    try:
        data = file.read_bytes()
    except OSError as exc:
        return where.error(ID, f"cannot read {path} of record {record.id}: {exc.strerror}")
    digest = ledger.digest(data)
    if digest != pinned:
        return where.error(
            ID,
            f"{path} of record {record.id} changed since it was pinned: sha256 {digest}, pinned {pinned}",
            "run `plaintrust evidence verify`",
        )
    return Member(path, "evidence", digest, len(data), data, (record.id,), record.classification)


def _records(root: Path, chosen: list[EvidenceRecord]) -> tuple[list[Member], list[Diagnostic]]:
    """The records' own YAML, as written: what each file was pinned as, and why it is evidence."""
    members, problems = [], []
    for record in chosen:
        try:
            members.append(_member(record.source.path, "evidence record", (root / record.source.path).read_bytes()))
        except OSError as exc:
            problems.append(Location(record.source.path).error(ID, f"cannot read the record: {exc.strerror}"))
    return members, problems


def _policies(root: Path, chosen: list[PolicyFinding]) -> tuple[list[Member], list[Diagnostic]]:
    """Each approved policy's file as written: the text its approval (in the ledger) speaks for."""
    members, problems = [], []
    for policy in chosen:
        try:
            data = (root / policy.path).read_bytes()
        except OSError as exc:
            problems.append(Location(policy.path).error(ID, f"cannot read the policy: {exc.strerror}"))
            continue
        members.append(dataclasses.replace(_member(policy.path, "policy", data), policy=policy))
    return members, problems


def manifest(
    report: gaps.GapReport,
    period: Period,
    members: list[Member],
    book: ledger.Ledger,
    include_confidential: bool,
) -> bytes:
    """MANIFEST.json: every file of the package (and each one left out) with its size and sha256.
    `report`: the package's gap report, on its one framework; `period`: that framework's audit period."""
    entries, head = book.head()
    last = book.lines[-1].entry if book.lines else None
    framework = report.frameworks[0]
    document = {
        "format": FORMAT,
        "tool": {"name": "plaintrust", "version": __version__},
        "organization": report.organization,
        "as_of": report.today.isoformat(),
        "framework": {
            "id": framework.id,
            "name": framework.name,
            "audit_period": {"from": period.start.isoformat(), "to": period.end.isoformat()},
        },
        "confidential_included": include_confidential,
        "ledger": {"path": ledger.PATH, "entries": entries, "head": head, "as_of": last.time[:10] if last else None},
        "files": [_entry(m) for m in members],
    }
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _entry(member: Member) -> dict[str, object]:
    entry: dict[str, object] = {
        "path": member.path,
        "size": member.size,
        "sha256": member.sha256,
        "included": member.data is not None,
        "role": member.role,
    }
    if member.role == "evidence":
        entry.update(records=list(member.records), classification=member.classification)
    if member.policy is not None:
        entry.update(records=[], policy=_policy_entry(member.policy))
    return entry


def _policy_entry(policy: PolicyFinding) -> dict[str, object]:
    """Which version was approved, by whom and when, and the ledger line that records it (None
    when the ledger has none: the gap report then counts the policy only in part)."""
    approval = policy.approval
    return {
        "id": policy.id,
        "title": policy.title,
        "version": policy.version,
        "approved_on": policy.approved_on.isoformat() if policy.approved_on else None,
        "approved_by": policy.approved_by,
        "state": policy.state,
        "approval": None
        if approval is None
        else {"ledger_line": approval.line, "time": approval.time, "sha256": approval.sha256},
    }


def zip_bytes(members: dict[str, bytes], day: dt.date) -> bytes:
    """The zip of `members`, byte for byte the same for the same members and day."""
    stamp = (day.year, day.month, day.day, 0, 0, 0) if day.year >= 1980 else (1980, 1, 1, 0, 0, 0)  # zip's epoch
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(members):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, _UNIX, _MODE
            archive.writestr(info, members[name], compresslevel=6)
    return buffer.getvalue()
