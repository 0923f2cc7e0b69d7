"""The typed model every rule and renderer reads: frozen, built once per run, no I/O.

Each object built from a file keeps `source`, the parsed Document, so rules can point at the exact
line and column of any of its fields.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from plaintrust import clock
from plaintrust.core import Document, FileFact, PageTitle, Section
from plaintrust.settings import Settings


class Status(str, enum.Enum):
    IMPLEMENTED = "implemented"
    PARTIAL = "partial"
    PLANNED = "planned"
    NOT_IMPLEMENTED = "not-implemented"


class Integrity(str, enum.Enum):
    """What the file system says about an evidence record's files, taken together."""

    OK = "ok"
    MISSING = "missing"  # a file is missing, not a regular file, or outside evidence/
    TAMPERED = "tampered"  # a file's bytes no longer match its pinned sha256


class EvidenceState(str, enum.Enum):
    CURRENT = "current"
    STALE = "stale"
    SUPERSEDED = "superseded"  # a newer record of the same series exists
    MISSING = "missing"
    TAMPERED = "tampered"


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Group:
    id: str
    title: str


@dataclass(frozen=True)
class Requirement:
    id: str
    group: str
    title: str
    parent: str | None = None
    policy: bool = False  # the requirement calls for a documented, approved policy


@dataclass(frozen=True)
class Catalog:
    id: str
    name: str
    groups: tuple[Group, ...]
    requirements: tuple[Requirement, ...]
    source: Document | None = field(default=None, repr=False, compare=False)  # None: shipped
    by_id: Mapping[str, Requirement] = field(init=False, repr=False, compare=False)
    children: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {r.id: r for r in self.requirements}
        kids: dict[str, list[str]] = {}
        for req in self.requirements:
            if req.parent:
                kids.setdefault(req.parent, []).append(req.id)
        object.__setattr__(self, "by_id", MappingProxyType(by_id))
        object.__setattr__(self, "children", MappingProxyType({k: tuple(v) for k, v in kids.items()}))

    def is_leaf(self, requirement_id: str) -> bool:
        return requirement_id not in self.children


@dataclass(frozen=True)
class SoaSignoff:
    """The approval of a Statement of Applicability: the version an auditor signs off."""

    version: str
    approved_by: str
    approved_on: dt.date


@dataclass(frozen=True)
class Framework:
    id: str
    catalog: Catalog
    scope: frozenset[str] | None  # requirement groups in scope; None: all of them
    audit_period: Period | None
    not_applicable: Mapping[str, str | None]
    source: Document = field(repr=False, compare=False)
    index: int = 0  # position in program.yaml's `frameworks` list
    scope_exclusions: Mapping[str, str | None] = field(default_factory=dict)  # group left out -> why
    soa: SoaSignoff | None = None  # who approved the Statement of Applicability (ISO/IEC 27001)
    soa_reasons: Mapping[str, str] = field(default_factory=dict)  # Annex A id -> why it is included
    baseline: str | None = None  # git ref of the last audited state
    sampling: str = "monthly"  # continuous controls: evidence every month ("monthly") or first and last ("edges")

    def in_scope(self, requirement: Requirement) -> bool:
        return self.scope is None or requirement.group in self.scope

    def declared_not_applicable(self, requirement_id: str) -> str | None:
        """The id under `not_applicable` that covers this requirement: itself or an ancestor
        (declaring PCI `8.4` not applicable covers 8.4.1, 8.4.2 and 8.4.3)."""
        current: str | None = requirement_id
        seen: set[str] = set()
        while current is not None and current not in seen:
            if current in self.not_applicable:
                return current
            seen.add(current)
            requirement = self.catalog.by_id.get(current)
            current = requirement.parent if requirement else None
        return None


@dataclass(frozen=True)
class Program:
    organization: str
    frameworks: tuple[Framework, ...]
    source: Document = field(repr=False, compare=False)

    def framework(self, framework_id: str) -> Framework | None:
        return next((f for f in self.frameworks if f.id == framework_id), None)


@dataclass(frozen=True)
class PublicInfo:
    category: str | None
    summary: str | None
    title: str | None = None


@dataclass(frozen=True)
class Remediation:
    """A control's `remediation`: the plan to close its gap, who carries it out, and by when."""

    plan: str
    owner: str
    due: dt.date


@dataclass(frozen=True)
class Watch:
    """One entry of a control's `watches`: the files it rests on (a path or a glob from the
    repository root), or one file's region (`path#L10-L40`, or `path#NAME` for the lines between a
    `plaintrust:start NAME` marker and the next `plaintrust:end`)."""

    spec: str  # as written
    pattern: str  # before `#`
    lines: tuple[int, int] | None = None  # first and last line, 1-based, both included
    marker: str | None = None
    index: int = 0  # position in `watches`, for diagnostics

    @property
    def region(self) -> bool:
        return self.lines is not None or self.marker is not None


@dataclass(frozen=True)
class WatchChange:
    """The newest commit that changed what a watch names (a region: its lines, not the rest)."""

    path: str
    day: dt.date  # the commit's committer date, UTC
    commit: str  # full hash


@dataclass(frozen=True)
class WatchFact:
    """What git says of one watch at HEAD (see load.watch_history)."""

    files: tuple[str, ...]  # tracked files the pattern names at HEAD
    change: WatchChange | None  # None: nothing it watches changed in the history git holds
    problem: str | None = None  # why it cannot be judged: markers missing, lines past the end, ...


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    status: Status
    owner: str
    description: str
    frequency: str
    satisfies: Mapping[str, tuple[str, ...]]
    evidence: tuple[str, ...]
    public: PublicInfo | None
    source: Document = field(repr=False, compare=False)
    remediation: Remediation | None = None  # internal: how a partial or planned control gets done
    watches: tuple[Watch, ...] = ()  # internal: the files the control rests on (drift anchors)
    drift_confirmed_on: dt.date | None = None  # someone checked its evidence still holds after a change


@dataclass(frozen=True)
class EvidenceFile:
    path: str  # as written, relative to evidence/
    sha256: str | None
    fact: FileFact


@dataclass(frozen=True)
class Collect:
    """How a series collects its next record by itself (`collect:` on one record of the series)."""

    use: str  # the collector's name; "command" for the `run:` form
    options: Mapping[str, object]  # `with:`; for the `run:` form {"run": [argv...]}
    every: str  # a frequency word: daily | weekly | monthly | quarterly | semiannual | annual
    timeout: int  # seconds
    output: str | None  # `output: NAME.ext` as written; None: the collector's default suffix
    covers: str  # "previous-slot" | "collected-day"
    env: tuple[str, ...]  # names of environment variables the collector may read
    title: str | None = None  # the records' title before the collection day; None: the declaring record's


@dataclass(frozen=True)
class EvidenceRecord:
    id: str
    title: str
    series: str
    kind: str
    collected: dt.date
    covers: Period | None
    refresh: str
    stale_on: dt.date  # the first day the record is stale
    classification: str
    files: tuple[EvidenceFile, ...]
    integrity: Integrity
    state: EvidenceState
    superseded_by: str | None
    source: Document = field(repr=False, compare=False)
    origin: str = ""  # the record's `source` field (system and query); `source` is its Document
    notes: str = ""
    collect: Collect | None = None

    @property
    def proves(self) -> Period:
        """The days this record speaks for: `covers`, else the day it was collected."""
        return self.covers or Period(self.collected, self.collected)


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    description: str


@dataclass(frozen=True)
class BridgeLetter:
    """The auditor's letter that a SOC 2 report's controls still held after its period ended."""

    through: dt.date
    file: str | None
    request_url: str | None


@dataclass(frozen=True)
class Certification:
    framework: str
    kind: str
    auditor: str
    report: str | None  # public | on-request | nda; None only while the audit is in progress
    period: Period | None
    issued: dt.date | None
    expires: dt.date | None
    certificate_number: str | None
    request_url: str | None
    file: str | None
    index: int
    state: str = "issued"  # issued | in-progress
    expected: dt.date | None = None  # in progress: the month the report is expected (its first day)
    started: dt.date | None = None  # in progress: the day the audit began, when trust.yaml says
    report_date: dt.date | None = None  # when the auditor signed the report
    bridge_letter: BridgeLetter | None = None
    next_report_expected: dt.date | None = None  # a month (its first day)
    last_surveillance: dt.date | None = None  # a certificate's last surveillance audit


@dataclass(frozen=True)
class PublicDocument:
    title: str
    description: str
    access: str
    request_url: str | None
    file: str | None


@dataclass(frozen=True)
class Subprocessor:
    name: str
    purpose: str
    location: str
    data: str
    url: str | None
    added: dt.date  # the day the addition was announced
    removed: dt.date | None
    effective: dt.date | None = None  # as written: the day it starts processing; None: it starts on `added`

    @property
    def starts(self) -> dt.date:
        return self.effective or self.added


@dataclass(frozen=True)
class Resilience:
    """trust.yaml's `resilience`: recovery objectives as written (e.g. 4h), and the restore test's control."""

    rto: str | None
    rpo: str | None
    status_page: str | None
    restore_control: str | None


@dataclass(frozen=True)
class TrustProfile:
    """site/trust.yaml: public by definition."""

    organization: str
    tagline: str
    security_contact: str
    security_policy: str | None
    preferred_languages: tuple[str, ...]
    logo: str | None
    color: str | None
    categories: tuple[Category, ...]
    certifications: tuple[Certification, ...]
    documents: tuple[PublicDocument, ...]
    subprocessors: tuple[Subprocessor, ...]
    site_files: Mapping[str, FileFact]  # files under site/ that trust.yaml names
    source: Document = field(repr=False, compare=False)
    resilience: Resilience | None = None
    nda_request_url: str | None = None  # where customers ask for what is shared under NDA
    subprocessor_notice_days: int | None = None  # None: no notice promised (0 is a promise: never before announced)
    subprocessor_objections: str | None = None  # where customers object to a planned subprocessor, as written
    subscribe_url: str | None = None  # where customers sign up for news by email: https: or mailto:, as written

    def objections_until(self, sub: Subprocessor) -> dt.date | None:
        """The last day customers may object to an addition; None without a notice period. The
        notice runs the days after the announcement (its own day does not count, as contracts
        count periods): 30 days from 1 December end on 31 December."""
        if not self.subprocessor_notice_days:
            return None
        return _days_after(sub.added, self.subprocessor_notice_days)

    def earliest_start(self, sub: Subprocessor) -> dt.date:
        """The first day an addition may start under the promised notice: the day after objections
        close (a customer who objects on the last day is heard before any data flows), or the day
        it was announced when there is no notice period."""
        until = self.objections_until(sub)
        return _days_after(until, 1) if until else sub.added


@dataclass(frozen=True)
class Notice:
    """A security update or incident notice, site/updates/<slug>.md."""

    slug: str
    title: str
    status: str
    severity: str
    published: dt.datetime
    updated: dt.datetime
    next_update_by: dt.datetime | None
    affected: str
    body: str
    body_line: int
    sections: tuple[Section, ...]
    source: Document = field(repr=False, compare=False)

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"

    def overdue_since(self, now: dt.datetime) -> dt.datetime | None:
        """The promised update time of an open notice, once it has passed with no update since the
        promise (an update at or after it kept the promise, late or not)."""
        due = self.next_update_by
        return due if self.is_open and due is not None and self.updated < due < now else None


@dataclass(frozen=True)
class PolicyVersion:
    """One approved version of a policy, as git history holds it: its public change history."""

    version: str
    effective: dt.date
    change: str  # the one-line `change` written with that version ('' when none)


@dataclass(frozen=True)
class Approval:
    """The ledger's last approval of a policy: the hash of the text that was approved."""

    sha256: str
    time: str  # UTC, RFC 3339, as the ledger line holds it
    line: int  # 1-based line of evidence/ledger.jsonl


@dataclass(frozen=True)
class Policy:
    """A policy, policies/**/*.md: front matter plus its Markdown text."""

    id: str
    title: str
    version: str
    owner: str  # internal: never published
    approved_by: str | None  # internal; None with approved_on: a draft
    approved_on: dt.date | None
    review: str  # how often it is reviewed: a frequency word or a duration (as evidence's refresh)
    next_review: dt.date | None  # approved_on + review; None for a draft
    effective: dt.date
    satisfies: Mapping[str, tuple[str, ...]]
    public: str  # full | summary | none
    summary: str  # public when `public` is summary (or full: shown above the text)
    change: str  # one line: what this version changed (public, in the change history)
    body: str  # the Markdown after the front matter
    body_line: int  # 1-based line where the body starts
    sections: tuple[Section, ...]  # the body's `##` sections
    text_sha256: str  # sha256 of the text an approval pins (see plaintrust.policies.text_digest)
    source: Document = field(repr=False, compare=False)
    history: tuple[PolicyVersion, ...] = ()  # approved versions from git, newest first (this one excluded)

    @property
    def draft(self) -> bool:
        return self.approved_on is None


@dataclass(frozen=True)
class Answer:
    """One answer of the questionnaire library (answers/*.yaml): our own question, our answer, and
    what it rests on. `visibility` decides who may read it: public (the site's FAQ), nda (listed
    by its question on the site; its answer goes out in exports and filled questionnaires) or
    internal (never leaves the repository)."""

    id: str
    question: str
    answer: str  # yes | no | partial | n/a
    explanation: str
    visibility: str  # public | nda | internal
    controls: tuple[str, ...]
    policies: tuple[str, ...]
    refs: Mapping[str, tuple[str, ...]]  # standard (caiq-v4 | sig-lite | vsa) -> its question ids
    reviewed_on: dt.date
    source: Document = field(repr=False, compare=False)


@dataclass(frozen=True)
class LedgerHead:
    """How far evidence/ledger.jsonl reaches, and nothing of what it names: public by design."""

    entries: int  # lines in the chain
    head: str  # sha256 of the last line's bytes, the next entry's `prev` (64 zeros when empty)
    as_of: dt.date | None  # the UTC day of the last entry; None when empty
    days: tuple[LedgerHead, ...] = ()  # the head at the end of each UTC day with entries, oldest first


@dataclass(frozen=True)
class Model:
    """Everything that was valid enough to build, plus the requirement -> control -> evidence graph."""

    today: dt.date
    program: Program | None
    controls: tuple[Control, ...]
    evidence: tuple[EvidenceRecord, ...]
    trust: TrustProfile | None
    notices: tuple[Notice, ...]
    broken_ids: frozenset[str] = frozenset()  # ids of files that failed to load (answers aside): no cascades
    incomplete: frozenset[str] = frozenset()  # kinds ("control", ...) of which a file failed to load
    broken: frozenset[tuple[str, str]] = frozenset()  # (kind, id) of each file that failed to load, answers too
    settings: Settings = Settings()
    now: dt.datetime | None = None  # the moment of the run (UTC); None: midnight at the start of `today`
    site_pages: tuple[str, ...] = ()  # Markdown pages under site/, relative to it
    site_files: tuple[str, ...] = ()  # every file under site/ (hidden ones too), relative to it
    page_titles: tuple[PageTitle, ...] = ()  # of your pages under site/ (not notices) that set one
    ledger: LedgerHead | None = None  # None: no ledger, or its chain is broken
    policies: tuple[Policy, ...] = ()
    approvals: Mapping[str, Approval] = field(default_factory=dict)  # policy id -> its last approval in the ledger
    # (policy id, version) -> what the change line git holds for that earlier version carries (markup,
    # an internal value): `check`'s screen decides, the site leaves the line out (boundary.sources)
    withheld_changes: Mapping[tuple[str, str], str] = field(default_factory=dict)
    watch_facts: Mapping[str, WatchFact] = field(default_factory=dict)  # by Watch.spec
    watch_unknown: str | None = None  # why no watch could be judged (no git, no commits); None: judged or none
    answers: tuple[Answer, ...] = ()  # answers/**/*.yaml that loaded, in path order

    # Indexes are computed on first use (cached_property writes past the frozen __setattr__):
    # `check` never needs the requirement graph, which has one entry per mapping.
    @cached_property
    def controls_by_id(self) -> Mapping[str, Control]:
        return _first_by_id(self.controls)

    @cached_property
    def evidence_by_id(self) -> Mapping[str, EvidenceRecord]:
        return _first_by_id(self.evidence)

    @cached_property
    def policies_by_id(self) -> Mapping[str, Policy]:
        return _first_by_id(self.policies)

    @cached_property
    def answers_by_id(self) -> Mapping[str, Answer]:
        return _first_by_id(self.answers)

    @cached_property
    def requirement_policies(self) -> Mapping[tuple[str, str], tuple[str, ...]]:
        return _mapped(self.policies)

    @cached_property
    def series(self) -> Mapping[str, tuple[EvidenceRecord, ...]]:
        grouped: dict[str, list[EvidenceRecord]] = {}
        for record in self.evidence:
            grouped.setdefault(record.series, []).append(record)
        return MappingProxyType({k: tuple(v) for k, v in grouped.items()})

    @cached_property
    def collecting(self) -> Mapping[str, EvidenceRecord]:
        """Series -> the record that declares how it collects itself (the first, when several do)."""
        declared: dict[str, EvidenceRecord] = {}
        for record in self.evidence:
            if record.collect is not None:
                declared.setdefault(record.series, record)
        return MappingProxyType(declared)

    @cached_property
    def requirement_controls(self) -> Mapping[tuple[str, str], tuple[str, ...]]:
        return _mapped(self.controls)

    @property
    def moment(self) -> dt.datetime:
        return self.now or clock.midnight(self.today)

    def series_of(self, control: Control) -> tuple[EvidenceRecord, ...]:
        """Every record of every series the control links (linking one record links its series)."""
        names = dict.fromkeys(self.evidence_by_id[i].series for i in control.evidence if i in self.evidence_by_id)
        return tuple(record for name in names for record in self.series[name])


def _days_after(day: dt.date, days: int) -> dt.date:
    """`days` days after `day`, or the last day there is when that lies past year 9999."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def _mapped(items: tuple[Control, ...] | tuple[Policy, ...]) -> Mapping[tuple[str, str], tuple[str, ...]]:
    """(framework, requirement) -> ids of the controls (or policies) whose `satisfies` names it."""
    graph: dict[tuple[str, str], list[str]] = {}
    for item in items:
        for framework_id, requirement_ids in item.satisfies.items():
            for requirement_id in requirement_ids:
                graph.setdefault((framework_id, requirement_id), []).append(item.id)
    return MappingProxyType({key: tuple(ids) for key, ids in graph.items()})


def _first_by_id(items: tuple) -> Mapping:
    table: dict = {}
    for item in items:
        table.setdefault(item.id, item)
    return MappingProxyType(table)
