"""The gap report as one standalone HTML file: inline styles and script, no network requests."""

from __future__ import annotations

from plaintrust.gaps import Effect, GapReport, ReqStatus
from plaintrust.render.pages import environment

SHOWN = (ReqStatus.MET, ReqStatus.PARTIAL, ReqStatus.NOT_MET, ReqStatus.NOT_APPLICABLE)


def render(report: GapReport) -> bytes:
    template = environment().get_template("gap_report.html")
    html = template.render(report=report, statuses=ReqStatus, effects=Effect, shown=SHOWN,
                           evidence={e.id: e for e in report.evidence})
    return html.encode("utf-8")
