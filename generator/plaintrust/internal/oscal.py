"""The model and its gap report as OSCAL 1.1.3 JSON: a component definition and assessment results.

Pure functions from a GapReport (and the model, for control descriptions) to dicts; the CLI writes
them. Both documents are internal: they name controls, owners' work and evidence files.

- **Component definition**: one component, the organization's service, with one
  control-implementation per framework (`source`: the catalog id) and an implemented-requirement
  per requirement that a control addresses: the controls as props (`implemented-by`), their
  titles, statuses and descriptions in the description.
- **Assessment results**: one result per framework, from the gap report: a finding per applicable
  requirement (met -> objective status satisfied; partially met and not met -> not-satisfied), an
  observation per evidence record its controls link, and each evidence file as a back-matter
  resource with its pinned SHA-256. `import-ap` points at a back-matter resource for the gap report
  itself: the assessment follows no OSCAL assessment plan.

OSCAL control ids are tokens, which cannot start with a digit: `8.4.1` becomes `req-8.4.1` (and a
character a token cannot hold becomes `_`); the requirement id as written is kept in a
`requirement-id` prop. Our props carry the namespace NS, which names them and is never fetched.
UUIDs are version 5, from stable names (the organization, framework, requirement, evidence id),
so the same repository gives the same UUIDs; the documents' own UUIDs come from their content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from plaintrust import __version__, clock
from plaintrust.internal.gaps import (
    ControlFinding,
    EvidenceFileRow,
    EvidenceRow,
    FrameworkReport,
    GapReport,
    ReqStatus,
    RequirementRow,
)
from plaintrust.model import Model

OSCAL_VERSION = "1.1.3"
NS = "https://plaintrust.invalid/ns/oscal"  # .invalid (RFC 2606): a name, not an address
_UUIDS = uuid.uuid5(uuid.NAMESPACE_URL, NS)
_TOKEN_START = re.compile(r"^[A-Za-z_]")
_NOT_TOKEN = re.compile(r"[^A-Za-z0-9._-]")
APPLICABLE = (ReqStatus.MET, ReqStatus.PARTIAL, ReqStatus.NOT_MET)
COMPONENT_DEFINITION = "component-definition.json"
ASSESSMENT_RESULTS = "assessment-results.json"


@dataclass(frozen=True)
class Links:
    """Where the documents' links lead, relative to the folder they are written to."""

    evidence: str  # the evidence/ folder, ending in '/'
    gap_report: str  # gap-report.json


def uid(*names: str) -> str:
    return str(uuid.uuid5(_UUIDS, "\x1f".join(names)))


def token(requirement_id: str) -> str:
    cleaned = _NOT_TOKEN.sub("_", requirement_id)
    return cleaned if _TOKEN_START.match(cleaned) else f"req-{cleaned}"


def timestamp(moment: dt.datetime) -> str:
    return clock.stamp(moment)


def _midnight(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def prop(name: str, value: str, remarks: str | None = None) -> dict[str, str]:
    """A Plaintrust prop; a value is one line without outer spaces, as OSCAL requires."""
    item = {"name": name, "ns": NS, "value": " ".join(str(value).split()) or "-"}
    return {**item, "remarks": remarks} if remarks else item


def _line(text: str) -> str:
    return " ".join(text.split())


def metadata(report: GapReport, title: str, moment: dt.datetime) -> dict[str, Any]:
    org = report.organization
    return {
        "title": title,
        "last-modified": timestamp(moment),
        "version": report.today.isoformat(),
        "oscal-version": OSCAL_VERSION,
        "parties": [{"uuid": uid(org, "party"), "type": "organization", "name": _line(org)}],
        "remarks": f"Written by Plaintrust {__version__} from the controls and evidence records of {org}.",
    }


def _document(kind: str, body: dict[str, Any]) -> dict[str, Any]:
    """The document with a UUID of its content: the same content keeps it, a revision changes it."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()
    return {kind: {"uuid": uid(kind, digest), **body}}


def component_definition(model: Model, report: GapReport, moment: dt.datetime) -> dict[str, Any]:
    org = report.organization
    implementations = [_implementation(model, report, f) for f in report.frameworks if _addressed(f)]
    component = {
        "uuid": uid(org, "component"),
        "type": "service",
        "title": _line(org),
        "description": f"The service {org} runs, with the security controls that protect it.",
        **({"control-implementations": implementations} if implementations else {}),
    }
    body = {
        "metadata": metadata(report, f"{org}: security controls and the requirements they implement", moment),
        "components": [component],
    }
    return _document("component-definition", body)


def _addressed(framework: FrameworkReport) -> list[RequirementRow]:
    return [row for row in framework.rows if row.controls]


def _implementation(model: Model, report: GapReport, framework: FrameworkReport) -> dict[str, Any]:
    rows = _addressed(framework)
    return {
        "uuid": uid(report.organization, framework.id, "control-implementation"),
        "source": framework.catalog,
        "description": f"How {report.organization} addresses {framework.name}: {len(rows)} requirements "
        f"have at least one control.",
        "props": [prop("framework", framework.id)],
        "implemented-requirements": [_implemented(model, report.organization, framework, row) for row in rows],
    }


def _implemented(model: Model, org: str, framework: FrameworkReport, row: RequirementRow) -> dict[str, Any]:
    props = [prop("requirement-id", row.id, row.title)]
    props += [prop("implemented-by", c.id, f"{_line(c.title)} ({c.status})") for c in row.controls]
    props += [prop("mapped-via", parent) for parent in row.via]
    return {
        "uuid": uid(org, framework.id, row.id, "implemented-requirement"),
        "control-id": token(row.id),
        "description": "\n\n".join(_control_text(model, c) for c in row.controls),
        "props": props,
    }


def _control_text(model: Model, finding: ControlFinding) -> str:
    control = model.controls_by_id.get(finding.id)
    detail = (control.description or "").strip() if control else ""
    head = f"{finding.id}: {_line(finding.title)} ({finding.status}, {finding.frequency})."
    return f"{head} {detail}" if detail else head


def assessment_results(report: GapReport, moment: dt.datetime, links: Links) -> dict[str, Any]:
    org = report.organization
    evidence = {row.id: row for row in report.evidence}
    gap_report = {
        "uuid": uid(org, "gap-report"),
        "title": "Plaintrust gap report",
        "description": f"The gap report of {report.today.isoformat()}: every requirement in scope, the controls "
        "that meet it and the evidence that proves it. These results were judged from it.",
        "rlinks": [{"href": links.gap_report, "media-type": "application/json"}],
    }
    body = {
        "metadata": metadata(report, f"{org}: assessment results from the gap report", moment),
        "import-ap": {
            "href": f"#{gap_report['uuid']}",
            "remarks": "No OSCAL assessment plan: the results come from Plaintrust's gap report.",
        },
        "results": [_result(report, f, evidence, moment) for f in report.frameworks],
        "back-matter": {"resources": [gap_report, *_file_resources(org, report.evidence, links)]},
    }
    return _document("assessment-results", body)


def _result(
    report: GapReport, framework: FrameworkReport, evidence: dict[str, EvidenceRow], moment: dt.datetime
) -> dict[str, Any]:
    org, applicable = report.organization, [r for r in framework.rows if r.status in APPLICABLE]
    linked = sorted({i for c in framework.controls for i in c.evidence if i in evidence})
    observations = {i: _observation(org, framework.id, evidence[i]) for i in linked}
    result = {
        "uuid": uid(org, framework.id, "result", report.today.isoformat()),
        "title": f"{framework.name}: gap report of {report.today.isoformat()}",
        "description": f"{framework.count(ReqStatus.MET)} of {framework.applicable} applicable requirements of "
        f"{framework.name} are met ({framework.percent_met:.1f}%).",
        "start": timestamp(moment),
        "end": timestamp(moment),
        "props": _result_props(framework),
        "reviewed-controls": {"control-selections": [_selection(framework)]},
        "observations": list(observations.values()),
        "findings": [_finding(org, framework, row, observations) for row in applicable],
    }
    return {k: v for k, v in result.items() if v != []}


def _result_props(framework: FrameworkReport) -> list[dict[str, str]]:
    props = [prop("framework", framework.id), prop("percent-met", f"{framework.percent_met:.1f}")]
    if framework.audit_period:
        props += [
            prop("audit-period-start", framework.audit_period.start.isoformat()),
            prop("audit-period-end", framework.audit_period.end.isoformat()),
        ]
    return props


def _selection(framework: FrameworkReport) -> dict[str, Any]:
    """The applicable requirements are reviewed; not applicable and out-of-scope ones are excluded."""
    included = [{"control-id": token(r.id)} for r in framework.rows if r.status in APPLICABLE]
    excluded = [{"control-id": token(r.id)} for r in framework.rows if r.status not in APPLICABLE]
    selection: dict[str, Any] = {"include-controls": included} if included else {"include-all": {}}
    return {**selection, **({"exclude-controls": excluded} if excluded else {})}


def _finding(
    org: str, framework: FrameworkReport, row: RequirementRow, observations: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    met = row.status is ReqStatus.MET
    status = {
        "state": "satisfied" if met else "not-satisfied",
        "reason": "pass" if met else "fail" if row.status is ReqStatus.NOT_MET else "other",
        "remarks": f"{row.status.value}: {row.reason}",
    }
    related = sorted({i for c in row.controls for i in c.evidence if i in observations})
    props = [prop("requirement-id", row.id), prop("gap-status", row.status.value)]
    props += [
        prop("implemented-by", c.id, f"{c.effect.value}: {'; '.join(c.problems) or 'no problem'}") for c in row.controls
    ]
    finding = {
        "uuid": uid(org, framework.id, row.id, "finding"),
        "title": f"{framework.id} {row.id}: {_line(row.title)}",
        "description": row.reason,
        "props": props,
        "target": {"type": "objective-id", "target-id": token(row.id), "title": _line(row.title), "status": status},
        "related-observations": [{"observation-uuid": observations[i]["uuid"]} for i in related],
    }
    return {k: v for k, v in finding.items() if v != []}


def _observation(org: str, framework_id: str, record: EvidenceRow) -> dict[str, Any]:
    observation = {
        "uuid": uid(org, framework_id, "observation", record.id),
        "title": _line(record.title),
        "description": f"Evidence record {record.id} ({record.kind}), collected {record.collected.isoformat()}, "
        f"{record.state}; stale from {record.stale_on.isoformat()}.",
        "props": [
            prop("evidence-id", record.id),
            prop("evidence-state", record.state),
            prop("classification", record.classification),
        ],
        "methods": ["EXAMINE"],
        "types": ["control-objective"],
        "relevant-evidence": [_relevant(org, record, f) for f in record.files],
        "collected": _midnight(record.collected),
        "expires": _midnight(record.stale_on),
    }
    return {k: v for k, v in observation.items() if v != []}


def _relevant(org: str, record: EvidenceRow, file: EvidenceFileRow) -> dict[str, Any]:
    props = [prop("integrity", file.integrity)] + ([prop("sha256", file.sha256)] if file.sha256 else [])
    return {
        "href": f"#{uid(org, 'evidence-file', record.id, file.path)}",
        "description": f"evidence/{file.path}",
        "props": props,
    }


def _file_resources(org: str, records: tuple[EvidenceRow, ...], links: Links) -> list[dict[str, Any]]:
    """Each evidence file, linked from where the document is written, with its pinned SHA-256."""
    resources = []
    for record in records:
        for file in record.files:
            rlink: dict[str, Any] = {"href": links.evidence + quote(file.path)}
            if file.sha256:
                rlink["hashes"] = [{"algorithm": "SHA-256", "value": file.sha256}]
            resources.append(
                {
                    "uuid": uid(org, "evidence-file", record.id, file.path),
                    "title": f"evidence/{file.path}",
                    "props": [prop("evidence-id", record.id)],
                    "rlinks": [rlink],
                }
            )
    return resources


def as_json(document: dict[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
