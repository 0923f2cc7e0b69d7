"""Every requirement group a framework's `scope` leaves out needs a written reason in `scope_exclusions`.

An auditor asks why a part of the standard is not covered, as for a not-applicable requirement: the
reason shows in the gap report's scope section and in the Statement of Applicability. An exclusion
must name a group of the catalog that `scope` really leaves out.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model
from plaintrust.rules._suggest import did_you_mean

ID = "scope-unjustified"


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
            yield where.error(ID, f"{framework.id} leaves out {group.id!r} ({group.title}) with an empty reason",
                              "write why it is out of scope after the colon")
        elif group.id not in framework.scope_exclusions:
            where = framework.source.at("frameworks", framework.index, "scope")
            yield where.error(ID, f"{framework.id} leaves {group.id!r} ({group.title}) out of scope without saying why",
                              f"add it to scope, or give the reason under scope_exclusions: {{{group.id}: ...}}")


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
            yield where().error(ID, f"{framework.id} excludes {group!r}, but it has no scope list, so every group is in scope",
                                "list the groups in scope under scope, or drop the exclusion")
        elif group in framework.scope:
            yield where().error(ID, f"{framework.id} excludes {group!r}, but it is in scope",
                                "remove it from scope, or drop the exclusion")
