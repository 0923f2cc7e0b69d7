"""The gap report as Markdown: a summary, what is not met, and the full tables."""

from __future__ import annotations

from plaintrust.internal.gaps import GapReport
from plaintrust.internal.render import driftcells, policycells, signoff, traced, verdicts
from plaintrust.internal.render.tables import Table, evidence_table, matrix_table, period_text, soa_table, summary_table


def _cell(value: str) -> str:
    return value.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def table(data: Table) -> str:
    headers, rows = data
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def render(report: GapReport) -> bytes:
    parts = [
        f"# Gap report: {report.organization}\n",
        f"As of {report.today.isoformat()}. INTERNAL: names owners, evidence files and hashes; never publish.\n",
        "## Summary\n",
        table(summary_table(report)),
    ]
    parts += [_changes(c) for c in report.comparisons]
    if report.watched:
        parts.append(driftcells.markdown(report))
    for f in report.frameworks:
        parts.append(f"## {f.name} ({f.id})\n")
        if f.audit_period:
            parts.append(f"Audit period: {period_text(f.audit_period)} ({verdicts.sampling_text(f)}).\n")
        if signoff.excluded_text(f):
            parts.append(signoff.excluded_text(f))
        parts += [table(_requirements(f, bool(report.policies))), f"### Controls of {f.id}\n", table(_controls(f))]
    if report.soa:
        parts += [
            f"## Statement of Applicability ({report.soa_framework})\n",
            signoff.approval_text(report),
            table(soa_table(report)),
        ]
    if report.policies:
        parts += ["## Policies\n", table(policycells.policies_table(report))]
    parts += [
        "## Cross-framework matrix\n",
        table(matrix_table(report)),
        "## Evidence\n",
        table(evidence_table(report)),
    ]
    return "\n".join(parts).encode("utf-8")


def _requirements(framework, with_policies: bool) -> Table:
    """The requirement table; its Policies column only in a report that has policies."""
    headers = ["Requirement", "Title", "Status", "Controls", "Why", "Remediation", "Audit period", "Today"]
    rows = [
        [
            r.id,
            r.title,
            r.status.value,
            ", ".join(f"{c.id} ({c.status}, {c.owner})" for c in r.controls),
            r.reason + (f": {r.justification}" if r.justification else ""),
            "; ".join(traced.remediation_text(item) for item in r.remediation),
            *verdicts.markdown_cells(r),
            *(policycells.requirement_cells(r) if with_policies else ()),
        ]
        for r in framework.rows
    ]
    return [*headers, *(policycells.REQUIREMENT_HEADERS if with_policies else ())], rows


def _controls(framework) -> Table:
    headers = [
        "Control",
        "Title",
        "Status",
        "Owner",
        "Effect",
        "Evidence",
        "Missing audit-period evidence",
        "Problems",
        "Description",
        "Evidence records (collected, state)",
        "Audit-period slots (records)",
        "Remediation",
        *verdicts.CONTROL_HEADERS,
    ]
    rows = [
        [
            c.id,
            c.title,
            f"{c.status} ({c.frequency})",
            c.owner,
            c.effect.value,
            ", ".join(c.evidence),
            ", ".join(period_text(p) for p in c.missing),
            "; ".join(c.problems),
            c.description,
            traced.records_text(c),
            traced.slots_text(c),
            traced.remediation_text(c.remediation) if c.remediation else "",
            *verdicts.control_cells(c),
        ]
        for c in framework.controls
    ]
    return headers, rows


def _changes(c) -> str:
    title = f"## Changes since {c.since}" + (f" ({c.since_date.isoformat()})" if c.since_date else "")
    title += f" for {', '.join(c.frameworks)}\n" if c.frameworks else "\n"
    if c.skipped:
        return "\n".join([title, f"Not compared: {c.skipped}.\n"])
    rows = [
        [
            r.framework,
            r.id,
            r.title,
            r.before.value if r.before else "absent",
            r.after.value if r.after else "absent",
            r.why,
        ]
        for r in c.requirements
    ]
    renewed = ", ".join(after + (f" (replaces {before})" if before else "") for _, before, after in c.evidence_renewed)
    return "\n".join(
        [
            title,
            table((["Framework", "Requirement", "Title", "Before", "Now", "Why"], rows))
            if rows
            else "No requirement changed status.\n",
            f"Controls added: {', '.join(c.controls_added) or 'none'}. Controls removed: {', '.join(c.controls_removed) or 'none'}.\n",
            f"Evidence renewed: {renewed or 'none'}.\n",
            f"Evidence gone stale: {', '.join(c.evidence_gone_stale) or 'none'}.\n",
        ]
    )
