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
failed ones, and partially met otherwise. Policies count beside the controls (see policyproof): a
requirement that calls for a policy needs an approved one, and one no control addresses is met by
an approved, current policy.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from plaintrust import drift
from plaintrust.core import FileStatus
from plaintrust.evidence.states import is_tampered, newest_in_series
from plaintrust.internal import change_reasons, period_today, policyproof, slots, trace
from plaintrust.model import (
    Control,
    EvidenceFile,
    EvidenceRecord,
    Framework,
    Model,
    Period,
    Program,
    Requirement,
    SoaSignoff,
    Status,
)
from plaintrust.status import evidence_health, failed, mapped_controls, public_status


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
    controls: tuple[str, ...]  # ids of the controls that link it or another record of its series
    source: str = ""  # where it came from: system and query (the record's `source`)
    notes: str = ""


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
    description: str = ""  # technical detail for auditors
    records: tuple[trace.RecordRef, ...] = ()  # every record of every linked series
    slots: tuple[trace.SlotRun, ...] = ()  # audit-period slots and the records filling them, as runs
    remediation: trace.RemediationItem | None = None
    period_verdict: period_today.Verdict = period_today.NOT_JUDGED  # did it operate through the audit period?
    today_verdict: period_today.Verdict = period_today.NOT_JUDGED  # is its evidence current today?


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
    remediation: tuple[trace.RemediationItem, ...] = ()  # of its weak and failed controls, when not met
    # `status` mixes both; these keep the audit period (slots, control status) apart from today (evidence health).
    period_status: str = ""  # met | partially met | not met | no audit period (or not applicable, out of scope)
    period_reason: str = ""
    current_status: str = ""  # met | partially met | not met (or not applicable, out of scope)
    current_reason: str = ""
    policies: tuple[policyproof.PolicyFinding, ...] = ()  # mapped to it or an ancestor, drafts included


@dataclass(frozen=True)
class GroupScope:
    id: str
    title: str
    in_scope: bool
    requirements: int
    justification: str | None = None  # why an out-of-scope group is left out (scope_exclusions)


@dataclass(frozen=True)
class FrameworkReport:
    id: str
    name: str
    catalog: str
    audit_period: Period | None
    groups: tuple[GroupScope, ...]
    rows: tuple[RequirementRow, ...]
    controls: tuple[ControlFinding, ...] = ()  # each control mapped to the framework, once, by id
    sampling: str = "monthly"  # how continuous controls were sampled over the audit period (or "edges")

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
    reason: str | None = None  # why it is included, from program.yaml's soa_reasons


@dataclass(frozen=True)
class StatusChange:
    framework: str
    id: str
    title: str
    before: ReqStatus | None  # None: the requirement was not in the report then
    after: ReqStatus | None
    why: str = ""  # one line: what moved it (see change_reasons)


@dataclass(frozen=True)
class Changes:
    """What moved since an earlier state of the repository (`plaintrust gaps --since REF`)."""

    since: str
    since_date: dt.date | None  # None only when skipped
    requirements: tuple[StatusChange, ...]
    controls_added: tuple[str, ...]
    controls_removed: tuple[str, ...]
    evidence_renewed: tuple[tuple[str, str | None, str], ...]  # (series, newest then, newest now)
    evidence_gone_stale: tuple[str, ...]
    frameworks: tuple[str, ...] = ()  # the frameworks compared (a baseline's); empty: all of them
    skipped: str | None = None  # why nothing was compared (no git history); the rest is then empty


@dataclass(frozen=True)
class DriftRow:
    """A control whose watched file changed, by git history, after its newest evidence was collected."""

    control: str
    title: str
    watch: str  # as the control writes it: a path, a glob or a region (`path#L10-L40`, `path#NAME`)
    path: str  # the file whose change counts
    changed_on: dt.date  # the day the change was committed (UTC)
    commit: str  # short: 12 hex digits
    newest_evidence: dt.date  # when the control's newest evidence was collected
    confirmed_on: dt.date | None  # its drift_confirmed_on, older than the change


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
    soa_signoff: SoaSignoff | None = None  # the approval shown at the top of the SoA
    baselines: tuple[Changes, ...] = ()  # since each framework's own `baseline`, one per git ref
    policies: tuple[policyproof.PolicyFinding, ...] = ()  # every policy mapping a framework of the report, by id
    watched: bool = False  # some control has `watches`: only then is there a drifting-controls section
    drift: tuple[DriftRow, ...] = ()
    drift_unknown: str | None = None  # why drift was not judged (no git history), when watched

    @property
    def comparisons(self) -> tuple[Changes, ...]:
        """Every changes section: the one `--since` asked for, else one per baseline ref."""
        return (self.changes,) if self.changes is not None else self.baselines


ISO_CATALOG = "iso27001-2022"
ANNEX_A_THEMES = ("organizational", "people", "physical", "technological")


def build(model: Model, only: str | None = None) -> GapReport:
    """The report for every framework of the program (or just `only`)."""
    program = model.program
    assert program is not None, "the gap report needs a valid controls/program.yaml"
    # Each report beside the framework it came from: the SoA needs both.
    chosen = [f for f in program.frameworks if only in (None, f.id)]
    found = policyproof.findings(model, (f.id for f in chosen))
    pairs = [(f, framework_report(model, f, found)) for f in chosen]
    iso = next(((f, r) for f, r in pairs if r.catalog == ISO_CATALOG), None)
    watched = any(c.watches for c in model.controls)
    return GapReport(
        organization=program.organization,
        today=model.today,
        frameworks=tuple(r for _, r in pairs),
        matrix=matrix(program, model.controls),
        soa=statement_of_applicability(iso[1], iso[0].soa_reasons) if iso else (),
        soa_framework=iso[1].id if iso else None,
        evidence=evidence_rows(model),
        soa_signoff=iso[0].soa if iso else None,
        policies=tuple(found[i] for i in sorted(found)),
        # Only a repository whose controls watch files gets the section: the others' reports stay as they were.
        watched=watched,
        drift=drift_rows(model) if watched else (),
        drift_unknown=model.watch_unknown if watched else None,
    )


def drift_rows(model: Model) -> tuple[DriftRow, ...]:
    """Every drifting watch (see plaintrust.drift), in control order then watch order."""
    return tuple(
        DriftRow(
            d.control.id,
            d.control.title,
            d.watch.spec,
            d.change.path,
            d.change.day,
            d.change.commit[:12],
            d.evidence_day,
            d.confirmed,
        )
        for d in drift.drifting(model)
    )


def framework_report(
    model: Model, framework: Framework, policies: Mapping[str, policyproof.PolicyFinding] | None = None
) -> FrameworkReport:
    """`policies`: the report's policy findings by id (those of this framework when None)."""
    findings = _findings_by_control(model, framework)
    found = policyproof.findings(model, (framework.id,)) if policies is None else policies
    rows = tuple(
        requirement_row(model, framework, req, findings, found)
        for req in framework.catalog.requirements
        if framework.catalog.is_leaf(req.id)
    )
    groups = tuple(
        GroupScope(
            g.id,
            g.title,
            framework.scope is None or g.id in framework.scope,
            sum(1 for r in rows if r.group == g.id),
            _excluded_because(framework, g.id),
        )
        for g in framework.catalog.groups
    )
    return FrameworkReport(
        framework.id,
        framework.catalog.name,
        framework.catalog.id,
        framework.audit_period,
        groups,
        rows,
        tuple(findings[k] for k in sorted(findings)),
        sampling=framework.sampling,
    )


def _excluded_because(framework: Framework, group: str) -> str | None:
    if framework.scope is None or group in framework.scope:
        return None
    return (framework.scope_exclusions.get(group) or "").strip() or None


def _findings_by_control(model: Model, framework: Framework) -> dict[str, ControlFinding]:
    return {c.id: control_finding(model, c, framework) for c in model.controls if framework.id in c.satisfies}


def control_finding(model: Model, control: Control, framework: Framework) -> ControlFinding:
    health = evidence_health(model, control)
    period = _due_part(framework.audit_period, model.today)
    # Slots are counted, not kept: a daily control has 365 of them per framework.
    summary = slots.summarize(model, control, period, framework.sampling) if period else slots.Summary(0, 0, ())
    problems = list(_status_problems(control)) + _evidence_problems(health)
    today = period_today.control_today(control, health, problems)  # before the lapses: they are the period's
    missing = summary.missing
    if missing:
        spans = ", ".join(_span(p) for p in missing[:4]) + (" ..." if len(missing) > 4 else "")
        problems.append(f"{control.id} ({control.frequency}) lacks evidence for {spans}")
    in_period = period_today.control_period(
        control,
        framework.audit_period,
        summary.filled,
        missing,
        _status_problems(control) + problems[len(today.problems) :],
    )
    remedy = trace.remediation(control, model.today)
    if remedy and remedy.overdue:
        problems.append(f"{control.id} remediation overdue since {remedy.due.isoformat()}")
    return ControlFinding(
        id=control.id,
        title=control.title,
        owner=control.owner,
        status=control.status.value,
        frequency=control.frequency,
        public_status=public_status(control, health).value,
        effect=_effect(control, health, bool(missing)),
        problems=tuple(problems),
        evidence=control.evidence,
        missing=missing,
        open_slots=summary.open,
        filled_slots=summary.filled,
        description=control.description,
        records=trace.series_records(model, control),
        remediation=remedy,
        slots=trace.slot_runs(model, control, period, framework.sampling) if period else (),
        period_verdict=in_period,
        today_verdict=today,
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
        problems.append(
            f"no evidence newer than its {health.frequency} schedule allows (overdue since {due.isoformat()})"
        )
    if not health.linked and not health.unknown_ids:
        problems.append("no evidence linked")
    return problems


def _effect(control: Control, health, slots_missing: bool) -> Effect:
    if failed(control, health):
        return Effect.FAILED
    if control.status is Status.IMPLEMENTED and health.proven and not slots_missing:
        return Effect.EFFECTIVE
    return Effect.WEAK


def requirement_row(
    model: Model,
    framework: Framework,
    req: Requirement,
    findings: dict[str, ControlFinding],
    policies: Mapping[str, policyproof.PolicyFinding] | None = None,
) -> RequirementRow:
    row = partial(RequirementRow, framework=framework.id, id=req.id, title=req.title, group=req.group)
    mapped_policies = policyproof.mapped(model, framework, req, policies or {})
    if not framework.in_scope(req):
        ids, _ = mapped_controls(model, framework, req)  # still listed: the SoA names them
        return row(
            status=ReqStatus.OUT_OF_SCOPE,
            reason=f"group '{req.group}' is out of scope",
            controls=tuple(findings[i] for i in ids),
            policies=mapped_policies,
            **period_today.not_judged(ReqStatus.OUT_OF_SCOPE.value, f"group '{req.group}' is out of scope"),
        )
    declared = framework.declared_not_applicable(req.id)
    if declared is not None:
        why = (framework.not_applicable[declared] or "").strip()
        reason = "declared not applicable" if why else "declared not applicable WITHOUT a justification"
        via: tuple[str, ...] = (declared,) if declared != req.id else ()
        return row(
            status=ReqStatus.NOT_APPLICABLE,
            reason=reason,
            controls=(),
            via=via,
            justification=why or None,
            **period_today.not_judged(ReqStatus.NOT_APPLICABLE.value, reason),
        )
    ids, via = mapped_controls(model, framework, req)
    controls = tuple(findings[i] for i in ids)
    judge = partial(policyproof.judge, has_controls=bool(controls), found=mapped_policies, needs_policy=req.policy)
    by_controls, reason = _judge(controls)
    verdict, reason = judge(by_controls.value, reason)
    status = ReqStatus(verdict)
    return row(
        status=status,
        reason=reason,
        controls=controls,
        via=via,
        remediation=_remediation(status, controls),
        policies=mapped_policies,
        **_with_policies(period_today.requirement_split(controls, framework.audit_period), judge),
    )


def _with_policies(split: period_today.Split, judge) -> period_today.Split:
    """Both questions weigh the policies as the overall status does: a policy has no audit-period
    slots, so its state today speaks for the period too (a framework without one keeps saying so)."""
    if split["period_status"] != period_today.NO_AUDIT_PERIOD:
        split["period_status"], split["period_reason"] = judge(split["period_status"], split["period_reason"])
    split["current_status"], split["current_reason"] = judge(split["current_status"], split["current_reason"])
    return split


def _remediation(status: ReqStatus, controls: tuple[ControlFinding, ...]) -> tuple[trace.RemediationItem, ...]:
    """The plans of the controls that keep a requirement from being met."""
    if status not in (ReqStatus.PARTIAL, ReqStatus.NOT_MET):
        return ()
    return tuple(c.remediation for c in controls if c.effect is not Effect.EFFECTIVE and c.remediation)


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


def matrix(program: Program, controls: tuple[Control, ...]) -> tuple[MatrixRow, ...]:
    frameworks = [f.id for f in program.frameworks]
    return tuple(
        MatrixRow(c.id, c.title, c.status.value, c.owner, tuple((f, tuple(c.satisfies.get(f, ()))) for f in frameworks))
        for c in sorted(controls, key=lambda c: c.id)
    )


def statement_of_applicability(iso: FrameworkReport, reasons: Mapping[str, str]) -> tuple[SoaRow, ...]:
    """All 93 Annex A controls: applicable or not, why (`reasons`: the framework's `soa_reasons`),
    and which of our controls implement them."""
    excluded = {g.id: g.justification for g in iso.groups}
    rows = []
    for row in iso.rows:
        if row.group not in ANNEX_A_THEMES:
            continue
        applicable = row.status not in (ReqStatus.NOT_APPLICABLE, ReqStatus.OUT_OF_SCOPE)
        reason = (reasons.get(row.id) or "").strip() or None if applicable else None
        rows.append(
            SoaRow(
                row.id,
                row.title,
                row.group,
                applicable,
                _soa_justification(row, reason, excluded),
                tuple((c.id, c.status) for c in row.controls),
                row.status,
                reason=reason,
            )
        )
    return tuple(rows)


def _soa_justification(row: RequirementRow, reason: str | None, excluded: dict[str, str | None]) -> str:
    """Why an Annex A control is in or out: an included one by its stated reason and its controls."""
    if row.status is ReqStatus.OUT_OF_SCOPE:
        why = excluded.get(row.group)
        return f"Outside the scope declared in program.yaml (group '{row.group}')" + (f": {why}" if why else "")
    if row.status is ReqStatus.NOT_APPLICABLE:
        return row.justification or "no justification given"
    implemented = f"Implemented through {', '.join(c.id for c in row.controls)}" if row.controls else ""
    if reason and implemented:
        return f"{reason.rstrip('.')}. {implemented}"
    if reason:
        return f"{reason.rstrip('.')}. No control implements it yet"
    return implemented or "Applicable, but no reason given and no control implements it yet"


def evidence_rows(model: Model) -> tuple[EvidenceRow, ...]:
    linked = trace.controls_by_series(model)  # a record serves every control that links its series
    return tuple(_evidence_row(r, linked.get(r.series, ())) for r in sorted(model.evidence, key=lambda r: r.id))


def _evidence_row(record: EvidenceRecord, controls: tuple[str, ...]) -> EvidenceRow:
    files = tuple(EvidenceFileRow(f.path, f.sha256, _file_integrity(f)) for f in record.files)
    return EvidenceRow(
        record.id,
        record.title,
        record.kind,
        record.series,
        record.collected,
        record.covers,
        record.refresh,
        record.stale_on,
        record.state.value,
        record.classification,
        files,
        controls,
        source=record.origin,
        notes=record.notes,
    )


def _file_integrity(item: EvidenceFile) -> str:
    if item.fact.status is not FileStatus.OK:
        return "missing"
    return "tampered" if is_tampered(item) else "ok"


def compare(since: str, before_model: Model, before: GapReport, after_model: Model, after: GapReport) -> Changes:
    """Status changes per requirement, controls added or removed, evidence renewed or gone stale."""
    old = {(f.id, r.id): r for f in before.frameworks for r in f.rows}
    new = {(f.id, r.id): r for f in after.frameworks for r in f.rows}
    moved = tuple(
        StatusChange(
            key[0],
            key[1],
            (new.get(key) or old[key]).title,
            old[key].status if key in old else None,
            new[key].status if key in new else None,
            change_reasons.why(old.get(key), new.get(key)),
        )
        for key in [*new, *[k for k in old if k not in new]]
        if (old[key].status if key in old else None) != (new[key].status if key in new else None)
    )
    was, now = set(before_model.controls_by_id), set(after_model.controls_by_id)
    return Changes(
        since,
        before_model.today,
        moved,
        tuple(sorted(now - was)),
        tuple(sorted(was - now)),
        _renewed(before_model, after_model),
        _gone_stale(before_model, after_model),
    )


def _renewed(before: Model, after: Model) -> tuple[tuple[str, str | None, str], ...]:
    old, new = newest_in_series(before.evidence), newest_in_series(after.evidence)
    return tuple(
        (series, old[series].id if series in old else None, record.id)
        for series, record in sorted(new.items())
        if series not in old or record.collected > old[series].collected
    )


def _gone_stale(before: Model, after: Model) -> tuple[str, ...]:
    """Newest records of a series that were current then and are stale now."""
    old = newest_in_series(before.evidence)
    return tuple(
        sorted(
            record.id
            for series, record in newest_in_series(after.evidence).items()
            if record.stale_on <= after.today and series in old and old[series].stale_on > before.today
        )
    )
