"""Model -> GapReport: every requirement in scope, the controls that meet it, the evidence that
proves it, and what is missing, stale or unjustified. Pure: no I/O.

A requirement row is a leaf of its catalog (PCI DSS defined requirements, ISO sub-clauses and
Annex A controls, SOC 2 criteria). A control mapped to a parent requirement (e.g. PCI `8.4`) counts
for every leaf beneath it; the row says "via 8.4".

How a control counts for a requirement:
- effective: implemented, its evidence current and intact, and no audit-period slot missing;
- failed: planned or not implemented, or any of its evidence tampered;
- weak: anything in between (partial, stale or missing evidence, missing slots, no evidence).

A requirement is met when every control is effective, not met when it has no control or only
failed ones, and partially met otherwise.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from plaintrust import coverage
from plaintrust.load.paths import FileStatus
from plaintrust.model import (
    Control, EvidenceFile, EvidenceRecord, Framework, Integrity, Model, Period, Requirement, Status,
)
from plaintrust.status import evidence_health, public_status


class ReqStatus(str, enum.Enum):
    MET = "met"
    PARTIAL = "partially met"
    NOT_MET = "not met"
    NOT_APPLICABLE = "not applicable"
    OUT_OF_SCOPE = "out of scope"


class Effect(str, enum.Enum):
    EFFECTIVE = "effective"
    WEAK = "weak"
    FAILED = "failed"


@dataclass(frozen=True)
class EvidenceFileRow:
    path: str
    sha256: str | None
    integrity: str  # ok | missing | tampered


@dataclass(frozen=True)
class EvidenceRow:
    id: str
    title: str
    kind: str
    series: str
    collected: dt.date
    covers: Period | None
    refresh: str
    stale_on: dt.date
    state: str
    classification: str
    files: tuple[EvidenceFileRow, ...]
    controls: tuple[str, ...]  # ids of the controls that link it


@dataclass(frozen=True)
class ControlFinding:
    """One control as it bears on one framework: its effect, and why."""

    id: str
    title: str
    owner: str
    status: str
    frequency: str
    public_status: str
    effect: Effect
    problems: tuple[str, ...]
    evidence: tuple[str, ...]  # ids of linked records
    missing: tuple[Period, ...] = ()  # audit-period slots without evidence, merged into ranges
    open_slots: int = 0  # slots still in their grace period
    filled_slots: int = 0


@dataclass(frozen=True)
class RequirementRow:
    framework: str
    id: str
    title: str
    group: str
    status: ReqStatus
    reason: str
    controls: tuple[ControlFinding, ...]
    via: tuple[str, ...] = ()  # parent requirement ids that carried a mapping
    justification: str | None = None


@dataclass(frozen=True)
class GroupScope:
    id: str
    title: str
    in_scope: bool
    requirements: int


@dataclass(frozen=True)
class FrameworkReport:
    id: str
    name: str
    catalog: str
    audit_period: Period | None
    groups: tuple[GroupScope, ...]
    rows: tuple[RequirementRow, ...]
    controls: tuple[ControlFinding, ...] = ()  # each control mapped to the framework, once, by id

    def count(self, status: ReqStatus) -> int:
        return sum(1 for r in self.rows if r.status is status)

    @property
    def applicable(self) -> int:
        return sum(1 for r in self.rows if r.status not in (ReqStatus.NOT_APPLICABLE, ReqStatus.OUT_OF_SCOPE))

    @property
    def percent_met(self) -> float:
        return round(100.0 * self.count(ReqStatus.MET) / self.applicable, 1) if self.applicable else 100.0


@dataclass(frozen=True)
class MatrixRow:
    control: str
    title: str
    status: str
    owner: str
    requirements: tuple[tuple[str, tuple[str, ...]], ...]  # (framework id, requirement ids)

    @property
    def satisfies_nothing(self) -> bool:
        return not any(ids for _, ids in self.requirements)


@dataclass(frozen=True)
class SoaRow:
    id: str
    title: str
    theme: str
    applicable: bool
    justification: str
    controls: tuple[tuple[str, str], ...]  # (control id, status)
    status: ReqStatus


@dataclass(frozen=True)
class StatusChange:
    framework: str
    id: str
    title: str
    before: ReqStatus | None  # None: the requirement was not in the report then
    after: ReqStatus | None


@dataclass(frozen=True)
class Changes:
    """What moved since an earlier state of the repository (`plaintrust gaps --since REF`)."""

    since: str
    since_date: dt.date
    requirements: tuple[StatusChange, ...]
    controls_added: tuple[str, ...]
    controls_removed: tuple[str, ...]
    evidence_renewed: tuple[tuple[str, str | None, str], ...]  # (series, newest then, newest now)
    evidence_gone_stale: tuple[str, ...]


@dataclass(frozen=True)
class GapReport:
    organization: str
    today: dt.date
    frameworks: tuple[FrameworkReport, ...]
    matrix: tuple[MatrixRow, ...]
    soa: tuple[SoaRow, ...]  # empty when no framework uses the ISO/IEC 27001:2022 catalog
    soa_framework: str | None
    evidence: tuple[EvidenceRow, ...]
    changes: Changes | None = None


ISO_CATALOG = "iso27001-2022"
ANNEX_A_THEMES = ("organizational", "people", "physical", "technological")


def build(model: Model, only: str | None = None) -> GapReport:
    """The report for every framework of the program (or just `only`)."""
    program = model.program
    assert program is not None, "the gap report needs a valid controls/program.yaml"
    frameworks = tuple(framework_report(model, f) for f in program.frameworks if only in (None, f.id))
    iso = next((f for f in frameworks if f.catalog == ISO_CATALOG), None)
    return GapReport(
        organization=program.organization, today=model.today, frameworks=frameworks,
        matrix=matrix(model), soa=statement_of_applicability(model, iso) if iso else (),
        soa_framework=iso.id if iso else None, evidence=evidence_rows(model),
    )


def framework_report(model: Model, framework: Framework) -> FrameworkReport:
    findings = _findings_by_control(model, framework)
    rows = tuple(
        requirement_row(model, framework, req, findings)
        for req in framework.catalog.requirements if framework.catalog.is_leaf(req.id)
    )
    groups = tuple(
        GroupScope(g.id, g.title, framework.scope is None or g.id in framework.scope,
                   sum(1 for r in rows if r.group == g.id))
        for g in framework.catalog.groups
    )
    return FrameworkReport(framework.id, framework.catalog.name, framework.catalog.id,
                           framework.audit_period, groups, rows, tuple(findings[k] for k in sorted(findings)))


def _findings_by_control(model: Model, framework: Framework) -> dict[str, ControlFinding]:
    return {c.id: control_finding(model, c, framework) for c in model.controls if framework.id in c.satisfies}


def control_finding(model: Model, control: Control, framework: Framework) -> ControlFinding:
    health = evidence_health(model, control)
    period = _due_part(framework.audit_period, model.today)
    # Slots are counted, not kept: a daily control has 365 of them per framework.
    summary = coverage.summarize(model, control, framework.audit_period) if period else coverage.Summary(0, 0, ())
    problems = list(_status_problems(control)) + _evidence_problems(health)
    missing = summary.missing
    if missing:
        spans = ", ".join(_span(p) for p in missing[:4]) + (" ..." if len(missing) > 4 else "")
        problems.append(f"{control.id} ({control.frequency}) lacks evidence for {spans}")
    return ControlFinding(
        id=control.id, title=control.title, owner=control.owner, status=control.status.value,
        frequency=control.frequency, public_status=public_status(control, health).value,
        effect=_effect(control, health, bool(missing)), problems=tuple(problems),
        evidence=control.evidence, missing=missing, open_slots=summary.open, filled_slots=summary.filled,
    )


def _span(period: Period) -> str:
    if period.start == period.end:
        return period.start.isoformat()
    return f"{period.start.isoformat()} to {period.end.isoformat()}"


def _due_part(period: Period | None, today: dt.date) -> Period | None:
    """The audit period, if any of it has begun (slots of a future period are not due)."""
    return period if period and period.start <= today else None


def _status_problems(control: Control) -> list[str]:
    if control.status is Status.IMPLEMENTED:
        return []
    return [f"{control.id} is {control.status.value}"]


def _evidence_problems(health) -> list[str]:
    problems = [f"evidence '{i}' does not exist" for i in health.unknown_ids]
    problems += [f"evidence '{r.id}' has {r.integrity.value} files" for r in health.broken]
    problems += [f"evidence '{r.id}' is stale since {r.stale_on.isoformat()}" for r in health.stale]
    problems += [f"evidence '{r.id}' is not pinned (no sha256)" for r in health.unpinned]
    due = health.next_run_due
    if due is not None and due <= health.today and not health.stale:  # a stale record already says it
        problems.append(f"no evidence newer than its {health.frequency} schedule allows (overdue since {due.isoformat()})")
    if not health.linked and not health.unknown_ids:
        problems.append("no evidence linked")
    return problems


def failed(control: Control, health) -> bool:
    """Planned or not implemented, or any of its evidence tampered: the control counts for nothing."""
    tampered = any(r.integrity is Integrity.TAMPERED for r in health.linked)
    return tampered or control.status in (Status.PLANNED, Status.NOT_IMPLEMENTED)


def _effect(control: Control, health, slots_missing: bool) -> Effect:
    if failed(control, health):
        return Effect.FAILED
    if control.status is Status.IMPLEMENTED and health.proven and not slots_missing:
        return Effect.EFFECTIVE
    return Effect.WEAK


def requirement_row(model: Model, framework: Framework, req: Requirement,
                    findings: dict[str, ControlFinding]) -> RequirementRow:
    base = dict(framework=framework.id, id=req.id, title=req.title, group=req.group)
    if not framework.in_scope(req):
        ids, _ = _mapped_controls(model, framework, req)  # still listed: the SoA names them
        return RequirementRow(**base, status=ReqStatus.OUT_OF_SCOPE, reason=f"group '{req.group}' is out of scope",
                              controls=tuple(findings[i] for i in ids))
    declared = framework.declared_not_applicable(req.id)
    if declared is not None:
        why = (framework.not_applicable[declared] or "").strip()
        reason = "declared not applicable" if why else "declared not applicable WITHOUT a justification"
        via = (declared,) if declared != req.id else ()
        return RequirementRow(**base, status=ReqStatus.NOT_APPLICABLE, reason=reason, controls=(),
                              via=via, justification=why or None)
    ids, via = _mapped_controls(model, framework, req)
    controls = tuple(findings[i] for i in ids)
    status, reason = _judge(controls)
    return RequirementRow(**base, status=status, reason=reason, controls=controls, via=via)


def not_met(model: Model, framework: Framework, fails: dict[str, bool] | None = None) -> list[str]:
    """Ids of the rows `framework_report` shows as not met, at a fraction of its cost (for `check`).

    Not met means no control addresses the requirement or every one that does has failed, and
    whether a control has failed never depends on its audit-period slots or on fresh evidence.
    `fails` (control id -> failed) may be shared between calls for several frameworks.
    """
    fails = {} if fails is None else fails
    found = []
    for req in framework.catalog.requirements:
        if not (framework.catalog.is_leaf(req.id) and framework.in_scope(req)) or framework.declared_not_applicable(req.id):
            continue
        ids, _ = _mapped_controls(model, framework, req)
        for control_id in ids:
            if control_id not in fails:
                control = model.controls_by_id[control_id]
                fails[control_id] = failed(control, evidence_health(model, control))
        if all(fails[i] for i in ids):
            found.append(req.id)
    return found


def _mapped_controls(model: Model, framework: Framework, req: Requirement) -> tuple[list[str], tuple[str, ...]]:
    """Controls mapped to the requirement or to one of its ancestors (in catalog order)."""
    ids: list[str] = list(model.requirement_controls.get((framework.id, req.id), ()))
    via: list[str] = []
    seen = {req.id}  # a cyclic custom catalog (check reports it) must not hang the report
    parent = req.parent
    while parent and parent not in seen:
        seen.add(parent)
        inherited = model.requirement_controls.get((framework.id, parent), ())
        if inherited:
            via.append(parent)
            ids += [i for i in inherited if i not in ids]
        parent = framework.catalog.by_id[parent].parent if parent in framework.catalog.by_id else None
    return sorted(set(ids), key=ids.index), tuple(via)


REASON_CONTROLS = 3  # a row spells out the problems of this many controls; the rest are counted


def _judge(controls: tuple[ControlFinding, ...]) -> tuple[ReqStatus, str]:
    if not controls:
        return ReqStatus.NOT_MET, "no control addresses it"
    effects = {c.effect for c in controls}
    if effects == {Effect.EFFECTIVE}:
        return ReqStatus.MET, "every control is implemented with current evidence"
    status = ReqStatus.NOT_MET if effects == {Effect.FAILED} else ReqStatus.PARTIAL
    return status, _reason(controls)


def _reason(controls: tuple[ControlFinding, ...]) -> str:
    troubled = [c for c in controls if c.problems]
    spelled = "; ".join(p for c in troubled[:REASON_CONTROLS] for p in c.problems)
    rest = len(troubled) - REASON_CONTROLS
    return spelled + (f"; and {rest} more control{'s' * (rest != 1)} with problems" if rest > 0 else "")


def matrix(model: Model) -> tuple[MatrixRow, ...]:
    frameworks = [f.id for f in model.program.frameworks]
    return tuple(
        MatrixRow(c.id, c.title, c.status.value, c.owner,
                  tuple((f, tuple(c.satisfies.get(f, ()))) for f in frameworks))
        for c in sorted(model.controls, key=lambda c: c.id)
    )


def statement_of_applicability(model: Model, iso: FrameworkReport) -> tuple[SoaRow, ...]:
    """All 93 Annex A controls: applicable or not, why, and which of our controls implement them."""
    rows = []
    for row in iso.rows:
        if row.group not in ANNEX_A_THEMES:
            continue
        applicable = row.status not in (ReqStatus.NOT_APPLICABLE, ReqStatus.OUT_OF_SCOPE)
        justification = row.justification or ("" if applicable else "no justification given")
        if row.status is ReqStatus.OUT_OF_SCOPE:
            justification = f"Outside the scope declared in program.yaml (group '{row.group}')"
        elif applicable:
            justification = (f"Implemented through {', '.join(c.id for c in row.controls)}"
                             if row.controls else "Applicable; no control implements it yet")
        rows.append(SoaRow(row.id, row.title, row.group, applicable, justification,
                           tuple((c.id, c.status) for c in row.controls), row.status))
    return tuple(rows)


def evidence_rows(model: Model) -> tuple[EvidenceRow, ...]:
    linked: dict[str, list[str]] = {}
    for control in model.controls:
        for evidence_id in control.evidence:
            linked.setdefault(evidence_id, []).append(control.id)
    return tuple(_evidence_row(r, tuple(linked.get(r.id, ()))) for r in sorted(model.evidence, key=lambda r: r.id))


def _evidence_row(record: EvidenceRecord, controls: tuple[str, ...]) -> EvidenceRow:
    files = tuple(EvidenceFileRow(f.path, f.sha256, _file_integrity(f)) for f in record.files)
    return EvidenceRow(record.id, record.title, record.kind, record.series, record.collected, record.covers,
                       record.refresh, record.stale_on, record.state.value, record.classification, files, controls)


def _file_integrity(item: EvidenceFile) -> str:
    if item.fact.status is not FileStatus.OK:
        return "missing"
    return "tampered" if item.sha256 and item.fact.sha256 and item.sha256 != item.fact.sha256 else "ok"


def compare(since: str, before_model: Model, before: GapReport, after_model: Model, after: GapReport) -> Changes:
    """Status changes per requirement, controls added or removed, evidence renewed or gone stale."""
    old = {(f.id, r.id): r for f in before.frameworks for r in f.rows}
    new = {(f.id, r.id): r for f in after.frameworks for r in f.rows}
    moved = tuple(
        StatusChange(key[0], key[1], (new.get(key) or old[key]).title,
                     old[key].status if key in old else None, new[key].status if key in new else None)
        for key in [*new, *[k for k in old if k not in new]]
        if (old[key].status if key in old else None) != (new[key].status if key in new else None)
    )
    was, now = set(before_model.controls_by_id), set(after_model.controls_by_id)
    return Changes(since, before_model.today, moved, tuple(sorted(now - was)), tuple(sorted(was - now)),
                   _renewed(before_model, after_model), _gone_stale(before_model, after_model))


def _heads(model: Model) -> dict[str, EvidenceRecord]:
    heads: dict[str, EvidenceRecord] = {}
    for record in model.evidence:
        current = heads.get(record.series)
        if current is None or (record.collected, record.id) > (current.collected, current.id):
            heads[record.series] = record
    return heads


def _renewed(before: Model, after: Model) -> tuple[tuple[str, str | None, str], ...]:
    old, new = _heads(before), _heads(after)
    return tuple(
        (series, old[series].id if series in old else None, record.id)
        for series, record in sorted(new.items())
        if series not in old or record.collected > old[series].collected
    )


def _gone_stale(before: Model, after: Model) -> tuple[str, ...]:
    """Newest records of a series that were current then and are stale now."""
    old = _heads(before)
    return tuple(sorted(
        record.id for series, record in _heads(after).items()
        if record.stale_on <= after.today and series in old and old[series].stale_on > before.today
    ))
