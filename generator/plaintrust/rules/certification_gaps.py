"""A certification shows as current while requirements of its framework are not met in the gap report.

It fires at a certification's `framework` in site/trust.yaml when the trust center shows it as
Current or Valid, and the gap report shows requirements of that framework as not met: in scope,
applicable, and with no control (nor an approved policy), or only controls that are `planned`,
`not-implemented` or hold tampered evidence. Partly met requirements do not count. The message
names the first three. It is not checked while a control, evidence or program file fails to load.

The auditor's opinion stands and the trust center keeps showing it, but the team should know that
its own records no longer back the claim.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, run `plaintrust gaps --framework ID` to see each requirement and why, then map a working
control to it or repair its evidence.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import currency
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.status import not_met

ID = "certification-gaps"
READS_FILES = False
NAMED = 3  # requirement ids spelled out in the message; the rest are counted


def check(model: Model) -> Iterator[Diagnostic]:
    if model.trust is None or model.program is None or model.incomplete & {"control", "evidence", "program"}:
        return  # a file that failed to load would show up here as a gap it is not
    unmet: dict[str, list[str]] = {}  # per framework, however many certificates name it
    fails: dict[str, bool] = {}  # per control: most controls serve several frameworks
    for cert in model.trust.certifications:
        framework = model.program.framework(cert.framework)
        if framework is None or currency.standing(cert, model.today) not in currency.SHOWN_CURRENT:
            continue
        if framework.id not in unmet:
            unmet[framework.id] = not_met(model, framework, fails)
        ids = unmet[framework.id]
        if ids:
            where = model.trust.source.at("certifications", cert.index, "framework")
            hint = f"plaintrust gaps --framework {framework.id}"
            yield where.warning(ID, _message(cert.kind, framework.id, ids), hint)


def _message(kind: str, framework_id: str, ids: list[str]) -> str:
    named = ", ".join(ids[:NAMED]) + (", …" if len(ids) > NAMED else "")
    count, verb = (f"{len(ids)} requirements", "are") if len(ids) != 1 else ("1 requirement", "is")
    return (
        f"{kind} is shown as current, but {count} in {framework_id} {verb} not met ({named}): "
        "the auditor's opinion stands; the team should know"
    )
