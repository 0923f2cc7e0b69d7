"""The gap report as JSON, following the published schema `gap-report.schema.json`."""

from __future__ import annotations

import json
from typing import Any

from plaintrust import jsontext
from plaintrust.internal.gaps import Changes, ControlFinding, FrameworkReport, GapReport, ReqStatus
from plaintrust.internal.render import driftcells, policycells, signoff, traced, verdicts

FORMAT = "plaintrust-gap-report/1"


def _period(period) -> dict | None:
    return None if period is None else {"from": period.start.isoformat(), "to": period.end.isoformat()}


def _control(c: ControlFinding) -> dict[str, Any]:
    return {
        "id": c.id,
        "title": c.title,
        "owner": c.owner,
        "status": c.status,
        "frequency": c.frequency,
        "public_status": c.public_status,
        "effect": c.effect.value,
        "problems": list(c.problems),
        "evidence": list(c.evidence),
        "missing_slots": [_period(p) for p in c.missing],
        "open_slots": c.open_slots,
        "filled_slots": c.filled_slots,
        **traced.control_json(c),
        **verdicts.control_json(c),
    }


def _summary(f: FrameworkReport) -> dict[str, Any]:
    counts = {s.name.lower(): f.count(s) for s in ReqStatus}
    return {**counts, "applicable": f.applicable, "percent_met": f.percent_met}


def _framework(f: FrameworkReport) -> dict[str, Any]:
    return {
        "id": f.id,
        "name": f.name,
        "catalog": f.catalog,
        "audit_period": _period(f.audit_period),
        "summary": _summary(f),
        "groups": [
            {
                "id": g.id,
                "title": g.title,
                "in_scope": g.in_scope,
                "requirements": g.requirements,
                "justification": g.justification,
            }
            for g in f.groups
        ],
        "requirements": [
            {
                "id": r.id,
                "title": r.title,
                "group": r.group,
                "status": r.status.value,
                "reason": r.reason,
                "via": list(r.via),
                "justification": r.justification,
                "controls": [c.id for c in r.controls],
                **traced.requirement_json(r),
                **verdicts.requirement_json(r),
                **policycells.requirement_json(r),
            }
            for r in f.rows
        ],
        "controls": [_control(c) for c in f.controls],
        "sampling": f.sampling,
    }


def to_dict(report: GapReport, frameworks: list[Any] | None = None) -> dict[str, Any]:
    """The whole report as JSON values; `frameworks` stands in for the per-framework part when given."""
    return {
        "format": FORMAT,
        "organization": report.organization,
        "generated": report.today.isoformat(),
        "frameworks": [_framework(f) for f in report.frameworks] if frameworks is None else frameworks,
        "matrix": [
            {
                "control": m.control,
                "title": m.title,
                "status": m.status,
                "owner": m.owner,
                "requirements": {fid: list(ids) for fid, ids in m.requirements},
                "satisfies_nothing": m.satisfies_nothing,
            }
            for m in report.matrix
        ],
        "statement_of_applicability": None
        if not report.soa
        else {
            "framework": report.soa_framework,
            "controls": [
                {
                    "id": s.id,
                    "title": s.title,
                    "theme": s.theme,
                    "applicable": s.applicable,
                    "justification": s.justification,
                    "status": s.status.value,
                    "implemented_by": [{"id": c, "status": st} for c, st in s.controls],
                    "reason": s.reason,
                }
                for s in report.soa
            ],
            "approval": signoff.approval_json(report),
        },
        "evidence": [
            {
                "id": e.id,
                "title": e.title,
                "kind": e.kind,
                "series": e.series,
                "collected": e.collected.isoformat(),
                "covers": _period(e.covers),
                "refresh": e.refresh,
                "stale_on": e.stale_on.isoformat(),
                "state": e.state,
                "classification": e.classification,
                "controls": list(e.controls),
                "files": [{"path": f.path, "sha256": f.sha256, "integrity": f.integrity} for f in e.files],
                **traced.evidence_json(e),
            }
            for e in report.evidence
        ],
        "policies": [policycells.policy_json(p) for p in report.policies],
    }


def _changes(c: Changes) -> dict[str, Any]:
    return {
        "since": c.since,
        "since_date": c.since_date.isoformat() if c.since_date else None,
        "requirements": [
            {
                "framework": r.framework,
                "id": r.id,
                "title": r.title,
                "before": r.before.value if r.before else None,
                "after": r.after.value if r.after else None,
                "why": r.why,
            }
            for r in c.requirements
        ],
        "controls_added": list(c.controls_added),
        "controls_removed": list(c.controls_removed),
        "evidence_renewed": [{"series": s, "before": b, "after": a} for s, b, a in c.evidence_renewed],
        "evidence_gone_stale": list(c.evidence_gone_stale),
        "frameworks": list(c.frameworks),
        "skipped": c.skipped,
    }


def render(report: GapReport) -> bytes:
    """The same bytes as dumping `to_dict` whole, but each framework's values are built, dumped and
    dropped in turn: at 10,000 controls the values of all frameworks at once cost ~200 MB more."""
    marks = [f"\x00framework {index}\x00" for index in range(len(report.frameworks))]
    payload = to_dict(report, frameworks=list(marks))
    if report.changes is not None:
        payload["changes"] = _changes(report.changes)
    if report.baselines:
        payload["baselines"] = [_changes(c) for c in report.baselines]
    payload.update(driftcells.report_json(report))
    text = jsontext.dumps(payload) + "\n"
    parts = []
    for mark, framework in zip(marks, report.frameworks, strict=True):
        before, text = text.split(json.dumps(mark), 1)
        parts += [before, jsontext.dumps(_framework(framework)).replace("\n", "\n    ")]
    return "".join([*parts, text]).encode("utf-8")
