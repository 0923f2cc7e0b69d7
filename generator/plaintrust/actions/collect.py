"""`plaintrust evidence collect`: each series' collector gathers its next record, pinned and logged.

`plan` decides, without running anything, what each series would do today: run its collector, or be
skipped (collected today already, or, with `--due`, not due yet). `collect` runs the planned
collectors one by one. A success writes the output as `evidence/files/<series>/<today>.<ext>`, then
the record, its pin and its ledger entry through `scaffold.create`, as `evidence new` does. A
failure writes nothing and is a `collect-failed` diagnostic at the declaring record's `collect`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import json
import os
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from plaintrust.actions import scaffold
from plaintrust.collect import registry, runner, schedule
from plaintrust.diagnostics import Diagnostic, Severity, shown_path
from plaintrust.model import EvidenceRecord, Model, Period

RULE = "collect-failed"
COLLECTED_TODAY = "already collected today"
BROKEN_BLOCK = "its `collect:` block has errors (run `plaintrust check`): nothing was run"


@dataclass(frozen=True)
class Step:
    """What one series does today: `skip` says why nothing runs; else its collector runs."""

    series: str
    declaring: EvidenceRecord  # the record that carries `collect:`
    skip: str | None
    file: str  # the output, relative to evidence/ (files/<series>/<today>.<ext>)
    draft: scaffold.Draft  # the record it would write
    blocked: str | None = None  # why it must not run although it is chosen: a failure

    @property
    def collector(self) -> str:
        return self.declaring.collect.use if self.declaring.collect else ""

    @property
    def covers(self) -> Period | None:
        return self.draft.covers


@dataclass(frozen=True)
class Collected:
    series: str
    file: str  # relative to the repository root
    size: int
    record: str  # the record's path


@dataclass(frozen=True)
class Outcome:
    collected: tuple[Collected, ...]
    skipped: tuple[Step, ...]
    diagnostics: tuple[Diagnostic, ...]


def unusable(model: Model, names: Iterable[str]) -> list[str]:
    """Why each named series cannot be collected, one sentence each (empty: all can)."""
    problems = []
    for name in dict.fromkeys(names):
        if name not in model.series:
            problems.append(f"no evidence series is named {name!r}")
        elif name not in model.collecting:
            problems.append(f"the series {name!r} has no `collect:` block: it is collected by a person")
    return problems


def plan(
    model: Model, series_names: Iterable[str] = (), due_only: bool = False, problems: Iterable[Diagnostic] = ()
) -> list[Step]:
    """A step per named series (every collecting series when none is named), in series order.
    `problems` are the repository's diagnostics: a collect block with an error does not run."""
    chosen = sorted(set(series_names) or model.collecting)
    broken = {d.path for d in problems if d.severity is Severity.ERROR and d.rule.startswith("collect-")}
    steps = [_step(model, series, due_only) for series in chosen if series in model.collecting]
    return [
        replace(s, blocked=BROKEN_BLOCK) if s.skip is None and s.declaring.source.path in broken else s for s in steps
    ]


def _step(model: Model, series: str, due_only: bool) -> Step:
    declaring = model.collecting[series]
    block = declaring.collect
    assert block is not None  # model.collecting holds only records with a collect block
    today = model.today
    newest = max(r.collected for r in model.series[series])
    skip = None
    if any(r.collected == today for r in model.series[series]):
        skip = COLLECTED_TODAY
    elif due_only and not schedule.is_due(newest, today, block.every):
        skip = f"not due until {schedule.next_due(newest, block.every)}"
    file = f"files/{series}/{today}{_suffix(declaring)}"
    covers = Period(*schedule.previous(today, block.every)) if block.covers == "previous-slot" else None
    draft = scaffold.Draft(
        id=f"{series}-{today}",
        title=f"{block.title or declaring.title}, {today}",
        kind=declaring.kind,
        collected=today,
        refresh=declaring.refresh,
        classification=declaring.classification,
        file=file,
        covers=covers,
        source=f"plaintrust evidence collect ({block.use})",
        series=series,
    )
    return Step(series, declaring, skip, file, draft)


def _suffix(declaring: EvidenceRecord) -> str:
    block = declaring.collect
    assert block is not None
    found = registry.find(block.use)
    if found is None:  # collect-unknown reports it; the run fails before anything is written
        return PurePosixPath(block.output or "x.txt").suffix or ".txt"
    return runner.suffix_for(found, block.options, block.output)


def collect(root: Path, model: Model, steps: Iterable[Step], moment: dt.datetime) -> Outcome:
    """Run each step that is not skipped; a failure leaves nothing behind and the others still run."""
    collected: list[Collected] = []
    skipped: list[Step] = []
    problems: list[Diagnostic] = []
    for step in steps:
        if step.skip:
            skipped.append(step)
            continue
        if step.blocked:
            problems.append(_failed(step, step.blocked))
            continue
        done, found = _collect_one(root, model, step, moment)
        collected.extend(done)
        problems.extend(found)
    return Outcome(tuple(collected), tuple(skipped), tuple(problems))


def _collect_one(root: Path, model: Model, step: Step, moment: dt.datetime) -> tuple[list[Collected], list[Diagnostic]]:
    block = step.declaring.collect
    assert block is not None
    taken = _taken(root, model, step)
    if taken:
        return [], [_failed(step, taken)]
    secrets = allowed_env(block.env)
    covers = (step.covers.start, step.covers.end) if step.covers else None
    ran = runner.collect(
        block.use, block.options, root=root, today=step.draft.collected, covers=covers,
        allowed_env=secrets, timeout=float(block.timeout), series=step.series, output=block.output,
    )  # fmt: skip
    if not ran.ok:
        return [], [_failed(step, ran.problem or "the collector failed", ran.stderr_tail)]
    leak = runner.leaked(ran.output, secrets)
    if leak:
        return [], [_failed(step, f"the output contains the value of {leak}: nothing was written", ran.stderr_tail)]
    return _file(root, step, ran.output, moment, ran.stderr_tail)


def allowed_env(names: Iterable[str]) -> dict[str, str]:
    """The values of the variables `env:` allows, as this process has them; unset ones are left out."""
    return {name: os.environ[name] for name in names if name in os.environ}


def _taken(root: Path, model: Model, step: Step) -> str | None:
    """Why the record cannot be written under its id, before anything runs."""
    if step.draft.id in model.evidence_by_id or step.draft.id in model.broken_ids:
        return f"an evidence record with the id {step.draft.id!r} exists already: nothing was run"
    if os.path.lexists(root / step.draft.record_path) or os.path.lexists(root / "evidence" / step.file):
        return f"{step.draft.record_path} or evidence/{step.file} exists already: nothing was run"
    return None


def _file(
    root: Path, step: Step, data: bytes, moment: dt.datetime, tail: str
) -> tuple[list[Collected], list[Diagnostic]]:
    """Write the output, then the record, pin and ledger entry; undo the output if the record fails."""
    made, problem = write_output(root, step.file, data)
    if problem:
        return [], [_failed(step, problem, tail)]
    created = scaffold.create(root, step.draft, moment)
    if created.record is None:
        _remove(made)
        reasons = "; ".join(d.message for d in created.diagnostics) or "the record could not be written"
        return [], [_failed(step, f"{reasons}: nothing was written", tail)]
    return [Collected(step.series, f"evidence/{step.file}", len(data), created.record)], []


def _failed(step: Step, reason: str, tail: str = "") -> Diagnostic:
    where = step.declaring.source.key_at("collect")
    # Escaped: a program's stderr must not drive the terminal it is shown on.
    lines = "".join(f"\n      {shown_path(line)}" for line in tail.splitlines())
    hint = f"the last lines it wrote to standard error:{lines}" if tail.strip() else None
    return where.error(RULE, f"collecting {step.series} failed: {reason}", hint)


_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC


def write_output(root: Path, file: str, data: bytes) -> tuple[list[Path], str | None]:
    """Write evidence/`file` as a new file, creating its folders, never through a symbolic link: each
    folder is opened relative to the one before without following links, so nothing lands outside
    evidence/. Returns what was created (to undo) and a problem (then nothing was written)."""
    *folders, name = PurePosixPath(file).parts
    made: list[Path] = []
    opened: list[int] = []
    here = root / "evidence"
    try:
        opened.append(os.open(here, _FOLDER))
        for folder in folders:
            here = here / folder
            if _made(folder, opened[-1]):
                made.append(here)
            opened.append(os.open(folder, _FOLDER, dir_fd=opened[-1]))
        with os.fdopen(os.open(name, _NEW_FILE, 0o644, dir_fd=opened[-1]), "wb") as stream:
            made.append(here / name)
            stream.write(data)
    except OSError as exc:
        _remove(made)
        return [], f"cannot write evidence/{file}: {_why(exc)}: nothing was written"
    finally:
        for fd in opened:
            os.close(fd)
    return made, None


def _made(folder: str, parent: int) -> bool:
    try:
        os.mkdir(folder, 0o755, dir_fd=parent)
    except FileExistsError:
        return False
    return True


def _why(exc: OSError) -> str:
    if exc.errno in (errno.ELOOP, errno.ENOTDIR):
        return "a folder on the way is a symbolic link or not a folder (the output goes only into real folders inside evidence/)"
    if exc.errno == errno.EEXIST:
        return "the file exists already"
    return exc.strerror or str(exc)


def _remove(made: list[Path]) -> None:
    """Undo `write_output`: the file, then the folders it created, innermost first."""
    for path in reversed(made):
        with contextlib.suppress(OSError):  # a folder someone else filled meanwhile stays
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()


def describe(step: Step) -> str:
    """What a dry run says a step would do."""
    block = step.declaring.collect
    assert block is not None
    if step.skip:
        return f"skipped {step.series}: {step.skip}"
    if step.blocked:
        return f"cannot collect {step.series}: {step.blocked}"
    what = _shown_options(block.use, block.options)
    covers = f", covering {step.covers.start} to {step.covers.end}" if step.covers else ""
    return (
        f"would collect {step.series} with {block.use} ({what}): evidence/{step.file}, "
        f"record {step.draft.record_path}{covers}"
    )


def _shown_options(use: str, options: Mapping[str, object]) -> str:
    run = options.get("run")
    if use == "command" and isinstance(run, list):
        return " ".join(shlex.quote(str(word)) for word in run)
    return json.dumps(dict(options), sort_keys=True, ensure_ascii=False, default=str)
