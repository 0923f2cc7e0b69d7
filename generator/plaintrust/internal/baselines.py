"""What changed since a git ref: `plaintrust gaps --since REF` for every framework, else each
framework's own `baseline` from program.yaml (the last audited state).

Frameworks sharing a baseline are compared together, so each distinct ref is checked out and
checked once. Without git history there is nothing to compare with: the comparison is skipped and
says why; a baseline that names no commit is an error pointing at program.yaml.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from plaintrust import pipeline, terminate
from plaintrust.errors import ExitCode
from plaintrust.internal import gaps, history
from plaintrust.model import Framework


class BaselineError(history.HistoryError):
    """A framework's baseline names no commit of the repository."""

    exit_code = ExitCode.FINDINGS


def since(result: pipeline.Result, current: gaps.GapReport, ref: str, only: str | None = None) -> gaps.Changes:
    """Every framework (or just `only`) against the repository at `ref`; one gone since is listed too."""
    return _against(result, current, ref, None if only is None else (only,))


def per_baseline(result: pipeline.Result, current: gaps.GapReport) -> tuple[gaps.Changes, ...]:
    """One comparison per distinct baseline of the frameworks in `current`, in program order."""
    program = result.model.program
    assert program is not None, "`current` is a gap report, which is built from the program"
    refs = plan(program.frameworks, {f.id for f in current.frameworks})
    if not refs:
        return ()
    absent = history.missing_history(result.root)
    if absent is not None:
        return tuple(_skipped(ref, _ids(frameworks), absent) for ref, frameworks in refs.items())
    found = []
    for ref, frameworks in refs.items():
        if not history.has_ref(result.root, ref) and history.is_shallow(result.root):
            found.append(_skipped(ref, _ids(frameworks), SHALLOW))
            continue
        _require(result.root, ref, frameworks[0])
        found.append(_against(result, current, ref, _ids(frameworks)))
    return tuple(found)


def plan(frameworks: tuple[Framework, ...], shown: set[str]) -> dict[str, tuple[Framework, ...]]:
    """Baseline ref -> the frameworks compared with it."""
    refs: dict[str, tuple[Framework, ...]] = {}
    for framework in frameworks:
        if framework.baseline and framework.id in shown:
            refs[framework.baseline] = (*refs.get(framework.baseline, ()), framework)
    return refs


def _ids(frameworks: tuple[Framework, ...]) -> tuple[str, ...]:
    return tuple(f.id for f in frameworks)


def preflight(result: pipeline.Result, only: str | None = None) -> str | None:
    """Before anything is built: a warning when the baselines (of `only`, else of every framework)
    cannot be compared (no git history), BaselineError when one names no commit, else None."""
    program = result.model.program
    shown = {f.id for f in program.frameworks if only in (None, f.id)} if program else set()
    if program is None or not plan(program.frameworks, shown):
        return None
    absent = history.missing_history(result.root)
    if absent is not None:
        return f"warning: the changes since each framework's baseline are left out: {absent}"
    for ref, frameworks in plan(program.frameworks, shown).items():
        if not history.has_ref(result.root, ref) and history.is_shallow(result.root):
            return f"warning: the changes since {ref} are left out: {SHALLOW}"
        _require(result.root, ref, frameworks[0])
    return None


def _require(root: Path, ref: str, framework: Framework) -> None:
    """`ref`: the baseline of `framework`, which names it."""
    if history.has_ref(root, ref):
        return
    where = framework.source.at("frameworks", framework.index, "baseline")
    raise BaselineError(
        f"{where.path}:{where.line}:{where.col}: the baseline {ref!r} of {framework.id} is no "
        "commit, tag or branch of this repository (a shallow clone may lack it: fetch the tags and history)"
    )


SHALLOW = "this clone is shallow and lacks it (fetch the tags and history, e.g. fetch-depth: 0)"


def _skipped(ref: str, ids: tuple[str, ...], why: str) -> gaps.Changes:
    return gaps.Changes(ref, None, (), (), (), (), (), frameworks=ids, skipped=why)


def _against(result: pipeline.Result, current: gaps.GapReport, ref: str, ids: tuple[str, ...] | None) -> gaps.Changes:
    """The frameworks `ids` (None: all) of `current` against the repository as it was at `ref`."""
    # SIGTERM unwinds as Ctrl+C does, so the copy is removed (see `terminate`).
    with terminate.as_interrupt(), tempfile.TemporaryDirectory(prefix="plaintrust-since-") as folder:
        day = history.checkout(result.root, ref, Path(folder))
        then = pipeline.run(Path(folder), today=day, cache=False)
        if then.model.program is None and ids is not None:  # a baseline from before the program: noted
            return _skipped(ref, ids, f"the repository at {ref} has no usable controls/program.yaml")
        if then.model.program is None:
            raise history.HistoryError(f"the repository at {ref} has no usable controls/program.yaml")
        before = tuple(
            gaps.framework_report(then.model, f) for f in then.model.program.frameworks if ids is None or f.id in ids
        )
    after = dataclasses.replace(current, frameworks=tuple(f for f in current.frameworks if ids is None or f.id in ids))
    changes = gaps.compare(ref, then.model, dataclasses.replace(current, frameworks=before), result.model, after)
    return dataclasses.replace(changes, frameworks=ids or ())
