"""A change line from a policy's git history holds HTML, a link that cannot work, or an internal value.

The change history on a policy's page lists each earlier approved version with the `change` line it
had, read from git. Each such line is checked as the current one is: for HTML, a link to anything
but an http, https or mailto address, or an image (see policy-markup), and for an internal value
such as an owner's name or a line of a policy that is not published. It fires at the first line of
the policy file, naming the version, when one is found.

Git history cannot be edited without rewriting it, so the line is not an error: the trust center
leaves it out and shows a dash in its place. The rest of the version's row is still shown.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, nothing is needed: the line is simply not shown. The current version's `change` line
is checked as an error instead, so what reaches git from now on can be fixed before it is approved.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "policy-history"
READS_FILES = False
HINT = "it cannot be edited without rewriting git history, so the trust center simply does not show it"


def check(model: Model) -> Iterator[Diagnostic]:
    for policy in model.policies:
        for earlier in policy.history:
            what = model.withheld_changes.get((policy.id, earlier.version))
            if what is not None:
                message = (
                    f"the change line of version {earlier.version} (from git history) holds {what}: "
                    "it is left out of the change history"
                )
                yield Location(policy.source.path, 1).warning(ID, message, HINT)
