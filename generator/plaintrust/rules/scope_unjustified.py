"""A framework's `scope` leaves out a requirement group without a written reason in `scope_exclusions`.

In controls/program.yaml, when a framework lists `scope`, every group of its catalog that is not in
it needs a non-empty reason under `scope_exclusions`. It also fires when `scope_exclusions` names a
group that is in `scope`, a group the catalog does not have, or any group while the framework has
no `scope` list (then every group is in scope). While `scope` names an unknown group, missing
reasons are not reported: unknown-scope-group reports the misspelling first.

An auditor asks why part of a standard is not covered. The reason is shown in the gap report's
scope section and, for ISO/IEC 27001, in the Statement of Applicability.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, add the group to `scope`, or give the reason: `scope_exclusions: {privacy: "..."}`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model
from plaintrust.suggest import did_you_mean

ID = "scope-unjustified"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for framework in model.program.frameworks:
        yield from _unjustified(framework)
        yield from _misplaced(framework)


def _unjustified(framework: Framework) -> Iterator[Diagnostic]:
    """Groups left out of `scope` without a reason (absent, or an empty one)."""
    known = {g.id for g in framework.catalog.groups}
    if framework.scope is None or not framework.scope <= known:
        return  # a misspelt group is unknown-scope-group's to report; guessing here would add noise
    for group in framework.catalog.groups:
        if group.id in framework.scope:
            continue
        reason = framework.scope_exclusions.get(group.id)
        if group.id in framework.scope_exclusions and not (reason or "").strip():
            where = framework.source.key_at("frameworks", framework.index, "scope_exclusions", group.id)
            yield where.error(
                ID,
                f"{framework.id} leaves out {group.id!r} ({group.title}) with an empty reason",
                "write why it is out of scope after the colon",
            )
        elif group.id not in framework.scope_exclusions:
            where = framework.source.at("frameworks", framework.index, "scope")
            yield where.error(
                ID,
                f"{framework.id} leaves {group.id!r} ({group.title}) out of scope without saying why",
                f"add it to scope, or give the reason under scope_exclusions: {{{group.id}: ...}}",
            )


def _misplaced(framework: Framework) -> Iterator[Diagnostic]:
    """Exclusions naming a group that is in scope, or no group of the catalog at all."""
    groups = [g.id for g in framework.catalog.groups]
    for group in framework.scope_exclusions:
        # the position only for a finding: it may mean parsing program.yaml again
        where = lambda g=group: framework.source.key_at("frameworks", framework.index, "scope_exclusions", g)  # noqa: E731
        if group not in groups:
            hint = did_you_mean(group, groups) or f"groups: {', '.join(groups)}"
            yield where().error(ID, f"{framework.catalog.name} has no requirement group {group!r} to exclude", hint)
        elif framework.scope is None:
            yield where().error(
                ID,
                f"{framework.id} excludes {group!r}, but it has no scope list, so every group is in scope",
                "list the groups in scope under scope, or drop the exclusion",
            )
        elif group in framework.scope:
            yield where().error(
                ID,
                f"{framework.id} excludes {group!r}, but it is in scope",
                "remove it from scope, or drop the exclusion",
            )
