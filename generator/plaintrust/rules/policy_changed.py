"""An approved policy's text is not the text recorded as approved in the evidence ledger.

`plaintrust policy approve` records the sha256 of everything customers read of the version (its
`title`, `version`, `effective` date, `change` line, `summary` and body) as a line of
evidence/ledger.jsonl. It fires at `approved_on` when the ledger holds no approval of the policy, or
when the text differs from the one its last approval recorded: it was edited after it was approved.
Line endings and trailing blank lines do not count as edits. Drafts are not checked, nor a policy
whose `approved_on` is after today: date-future reports that as an error first.

Nothing then shows that the text customers read is the one that was approved: the trust center
shows the policy as being revised ("Approval not on record" when the ledger holds no approval of
it), and the gap report counts it only in part.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, have the new text approved with `plaintrust policy approve ID --by NAME`; add
`--version V` when its meaning changed. To keep the approved text instead, restore it from git.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import policies
from plaintrust.diagnostics import Diagnostic
from plaintrust.evidence import ledger
from plaintrust.model import Model, Policy
from plaintrust.policies import PolicyState

ID = "policy-changed"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for policy in model.policies:
        if policy.approved_on is not None and policy.approved_on > model.today:
            continue  # date-future's error: an approval not yet given cannot be compared
        if policies.state(policy, model) is PolicyState.CHANGED:
            hint = f"run `plaintrust policy approve {policy.id} --by NAME` (with `--version` when its meaning changed)"
            yield policy.source.at("approved_on").warning(ID, _message(policy, model), hint)


def _message(policy: Policy, model: Model) -> str:
    approval = model.approvals.get(policy.id)
    if approval is None:
        return (
            f"policy {policy.id}: its approval on {policy.approved_on} is not recorded in {ledger.PATH}, "
            'so nothing shows the text is the one approved; the trust center shows "Approval not on record"'
        )
    return (
        f"the text of policy {policy.id} (title, version, effective, change, summary or body) changed after "
        f"its approval on {policy.approved_on}: it is not the text recorded at {ledger.PATH} line {approval.line}; "
        "the trust center shows it as being revised"
    )
