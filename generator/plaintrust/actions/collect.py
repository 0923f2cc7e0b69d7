"""`plaintrust evidence collect`: each series' collector gathers its next record, pinned and logged.

`plan` decides, without running anything, what each series would do today: run its collector, be
skipped (collected today already, or, with `--due`, not due yet), or be blocked (its declaring
record has errors, or the record it would write could never be valid). `collect` runs the planned
collectors one by one. A success writes the output as `evidence/files/<series>/<today>.<ext>`, then
the record, its pin and its ledger entry through `scaffold.create`, as `evidence new` does. A
failure writes nothing and is a `collect-failed` diagnostic at the declaring record's `collect`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shlex
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from plaintrust.actions import scaffold
from plaintrust.collect import registry, runner, schedule
from plaintrust.diagnostics import Diagnostic, Location, Severity, shown_path
from plaintrust.load.yamlfile import parse_bytes
from plaintrust.model import EvidenceRecord, Integrity, Model, Period

RULE = "collect-failed"
COLLECTED_TODAY = "already collected today"
RECORD_ERRORS = "its record has errors; run plaintrust check"
UNNAMED = "the record has errors and no series name can be read from it; run plaintrust check"
HIDES = ", so it may hide a collecting series; run plaintrust check"
# What check reports for a file it does not read (a link out of the repository, a special file, a
# name that is not UTF-8, a failed read) or a folder it does not enter (a link out of it).
NOT_READ = frozenset({"symlink-outside", "not-a-file", "file-name", "io"})
RECORD_LIMIT = 16 << 20  # bytes: a record holds a few hundred; a larger one is not read for its series
ID_LIMIT = 64  # characters in an id, as the schema's id pattern says (a test holds the two equal)
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Step:
    """What one series does today: `skip` says why nothing runs; else its collector runs."""

    series: str
    declaring: EvidenceRecord  # the record that carries `collect:`
    skip: str | None
    file: str  # the output, relative to evidence/ (files/<series>/<today>.<ext>)
    draft: scaffold.Draft  # the record it would write
    note: str | None = None  # what the user should know, such as a record dated after today

    @property
    def collector(self) -> str:
        return self.declaring.collect.use if self.declaring.collect else ""

    @property
    def covers(self) -> Period | None:
        return self.draft.covers


@dataclass(frozen=True)
class Blocked:
    """A chosen series that must not run, known before anything runs: a failure at `where`."""

    series: str
    where: Location  # the declaring record's `collect:`
    reason: str


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


def broken(root: Path, diagnostics: Iterable[Diagnostic]) -> dict[str, Blocked]:
    """The collections that must not run for an error under evidence/, by series, or by path when
    no series can be named. A declaring record that fails its schema is missing from the model, so
    its own text names its series (`series`, else `id`); one whose text names none is blocked under
    its path. So is a path check does not read (a link out of the repository, a special file) and
    a record that cannot be read here: either may hide a declaring record, which must never vanish
    from the run unreported."""
    erring: dict[str, set[str]] = {}
    for d in diagnostics:
        if d.severity is Severity.ERROR and d.path.startswith("evidence/"):
            erring.setdefault(d.path, set()).add(d.rule)
    found: dict[str, Blocked] = {}
    for path, rules in sorted(erring.items()):
        if rules & NOT_READ:  # never opened: it may be a pipe that blocks, a device with no end
            said = ", ".join(sorted(rules & NOT_READ))
            found.setdefault(path, Blocked(path, Location(path), f"it is not read ({said}){HIDES}"))
        elif path.endswith((".yaml", ".yml")) and (blocked := _declared(root, path)) is not None:
            found.setdefault(blocked.series, blocked)
    return found


def _declared(root: Path, path: str) -> Blocked | None:
    """The series of a record with a `collect:` key (its path when it names none it may have), and
    where the key is; None for any other file. A record that does not even parse is read line by
    line, as people write those keys."""
    raw = _record_bytes(root, path)
    if isinstance(raw, str):
        return Blocked(path, Location(path), f"the record has errors and cannot be read here ({raw}){HIDES}")
    document = parse_bytes(path, raw).document
    if document is None:
        return _salvaged(path, raw)
    data = document.data
    if not isinstance(data, dict) or "collect" not in data:
        return None
    series = data.get("series") if "series" in data else data.get("id")
    if isinstance(series, str) and _NAME.fullmatch(series.encode("utf-8", "replace")):
        return Blocked(series, document.key_at("collect"), RECORD_ERRORS)
    return Blocked(path, document.key_at("collect"), UNNAMED)


def _record_bytes(root: Path, path: str) -> bytes | str:
    """The bytes of a record check read, or why they are not read. As the loader, a link is followed
    only inside the repository; then nothing but a regular file is read (O_NONBLOCK: opening a pipe
    put there since must not wait for a writer), and no more than RECORD_LIMIT bytes of it."""
    target = Path(os.path.realpath(root / path))
    if not target.is_relative_to(root.resolve()):
        return "it leads out of the repository"
    try:
        handle = os.open(target, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(handle).st_mode):
                return "it is not a regular file"
            raw = stream.read(RECORD_LIMIT + 1)
    except OSError as exc:
        return exc.strerror or str(exc)
    return raw if len(raw) <= RECORD_LIMIT else f"it is larger than {RECORD_LIMIT >> 20} MiB"


_NAME = re.compile(rb"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# A top-level key's value: plain or quoted, then maybe a comment, a CR of a CRLF line ending.
_VALUE = rb"[ \t]*:[ \t]*(?P<q>[\"']?)(?P<name>" + _NAME.pattern + rb")(?P=q)(?:[ \t]+#.*)?[ \t]*\r?$"
_COLLECT_LINE = re.compile(rb"(?m)^collect[ \t]*:")
# A block quoted ("collect":) or in flow style ({..., collect: {...}}) is still one: a record that
# does not parse and holds the word anywhere is blocked rather than left out unreported.
_COLLECT_WORD = re.compile(rb"collect")
_SERIES_KEY = re.compile(rb"(?m)^series[ \t]*:")
_SERIES_LINE = re.compile(rb"(?m)^series" + _VALUE)
_ID_LINE = re.compile(rb"(?m)^id" + _VALUE)


def _salvaged(path: str, raw: bytes) -> Blocked | None:
    """A `series:` line names the series, else an `id:` line; a value that cannot be read (a series
    line with a value no series may have) leaves the record blocked under its path."""
    block = _COLLECT_LINE.search(raw) or _COLLECT_WORD.search(raw)
    if block is None:
        return None
    named = _SERIES_LINE.search(raw) if _SERIES_KEY.search(raw) else _ID_LINE.search(raw)
    where = Location(path, raw.count(b"\n", 0, block.start()) + 1, 1)
    if named is None:
        return Blocked(path, where, UNNAMED)
    return Blocked(named.group("name").decode("ascii"), where, RECORD_ERRORS)


def unusable(model: Model, names: Iterable[str], blocked: Iterable[str] = ()) -> list[str]:
    """Why each named series cannot be collected, one sentence each (empty: all can). A series in
    `blocked` (see `broken`) is no usage error: collecting it fails, saying why. A path there may
    hide the series a name means, so an unknown name names those paths."""
    problems = []
    skipped = set(blocked)
    paths = sorted(shown_path(key) for key in skipped if "/" in key)
    hidden = f" (errors at {', '.join(paths)} may hide it: run plaintrust check)" if paths else ""
    for name in dict.fromkeys(names):
        if name in skipped:
            continue
        if name not in model.series:
            problems.append(f"no evidence series is named {name!r}{hidden}")
        elif name not in model.collecting:
            problems.append(f"the series {name!r} has no `collect:` block: it is collected by a person")
    return problems


def plan(
    model: Model,
    series_names: Iterable[str] = (),
    due_only: bool = False,
    blocked: Mapping[str, Blocked] | None = None,
) -> list[Step | Blocked]:
    """A step per named series (every collecting series when none is named), in series order.
    `blocked`: what errors stop (see `broken`); it does not run, and fails saying why."""
    blocked = blocked or {}
    known = {*model.collecting, *blocked}
    chosen = sorted(set(series_names) or known)
    return [_planned(model, series, due_only, blocked) for series in chosen if series in known]


def _planned(model: Model, series: str, due_only: bool, blocked: Mapping[str, Blocked]) -> Step | Blocked:
    if series in blocked:
        return blocked[series]
    step = _step(model, series, due_only)
    reason = _unwritable(step)
    return Blocked(series, step.declaring.source.key_at("collect"), reason) if reason else step


def _step(model: Model, series: str, due_only: bool) -> Step:
    declaring = model.collecting[series]
    block = declaring.collect
    assert block is not None  # model.collecting holds only records with a collect block
    today = model.today
    skip = None
    if any(r.collected == today for r in model.series[series]):
        skip = COLLECTED_TODAY
    elif due_only and (due := next_collection(model, series)) > today:
        skip = f"not due until {due}"
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
    return Step(series, declaring, skip, file, draft, _ahead(model, series))


def next_collection(model: Model, series: str) -> dt.date:
    """The first day from today on when `series` is due: today when it is due now.

    A `previous-slot` series is due while no intact record of it proves a day of the slot before
    today's (a record made by hand this slot proves this slot, not the one before); any other while
    none of its records was collected in today's slot. Records dated after today (a typo `check`
    reports) are left out."""
    block = model.collecting[series].collect
    assert block is not None
    records = [r for r in model.series[series] if r.collected <= model.today]
    try:
        if block.covers == "previous-slot":
            return _uncovered(records, model.today, block.every)
        newest = max((r.collected for r in records), default=None)
        if newest is None or schedule.is_due(newest, model.today, block.every):
            return model.today
        return schedule.next_due(newest, block.every) or dt.date.max
    except (OverflowError, ValueError):  # slots beyond the year 9999
        return dt.date.max


def _uncovered(records: Iterable[EvidenceRecord], today: dt.date, every: str) -> dt.date:
    """The first day from `today` on whose previous slot no intact record proves a day of."""
    proofs = [r.proves for r in records if r.integrity is Integrity.OK]
    day = today
    while True:
        start, end = schedule.previous(day, every)
        reach = max((p.end for p in proofs if p.start <= end and start <= p.end), default=None)
        if reach is None:
            return day
        # That proof covers every slot up to reach's: the slot after is the first it may leave open.
        day = _after(_after(reach, every), every)


def _after(day: dt.date, every: str) -> dt.date:
    """The first day of the slot after `day`'s."""
    return schedule.slot(day, every)[1] + _DAY


def _ahead(model: Model, series: str) -> str | None:
    """Names the records of `series` dated after today, which deciding what is due leaves out."""
    ahead = sorted((r for r in model.series[series] if r.collected > model.today), key=lambda r: (r.collected, r.id))
    if not ahead:
        return None
    named = ", ".join(f"{r.id} is dated {r.collected}" for r in ahead)
    if len(ahead) == 1:
        return f"the record {named}, after today: it is left out when deciding what is due (run plaintrust check)"
    return f"the records {named}, after today: they are left out when deciding what is due (run plaintrust check)"


def _unwritable(step: Step) -> str | None:
    """Why the record a step would write can never be valid, found before anything runs."""
    length = len(step.draft.id)
    if length > ID_LIMIT:
        most = ID_LIMIT - length + len(step.series)
        return (
            f"the series name has {len(step.series)} characters, so the ids of its records ({step.draft.id}) "
            f"would have {length}, more than the {ID_LIMIT} an id may have: shorten the series name to at most "
            f"{most} characters; nothing was run"
        )
    problems = scaffold.schema_problems(step.draft, scaffold.render(step.draft, "0" * 64))
    if problems:
        return f"the record it would write is not valid ({problems[0].message}); nothing was run"
    return None


def _suffix(declaring: EvidenceRecord) -> str:
    block = declaring.collect
    assert block is not None
    found = registry.find(block.use)
    if found is None:  # collect-unknown reports it; the run fails before anything is written
        return PurePosixPath(block.output or "x.txt").suffix or ".txt"
    return runner.suffix_for(found, block.options, block.output)


def collect(root: Path, model: Model, steps: Iterable[Step | Blocked], moment: dt.datetime) -> Outcome:
    """Run each step that is not skipped; a failure leaves nothing behind and the others still run."""
    collected: list[Collected] = []
    skipped: list[Step] = []
    problems: list[Diagnostic] = []
    for step in steps:
        if isinstance(step, Blocked):
            problems.append(refusal(step))
        elif step.skip:
            skipped.append(step)
        else:
            done, found = _collect_one(root, model, step, moment)
            collected.extend(done)
            problems.extend(found)
    return Outcome(tuple(collected), tuple(skipped), tuple(problems))


def refusal(blocked: Blocked) -> Diagnostic:
    """The failure a blocked series is reported as (a dry run reports it too)."""
    return blocked.where.error(RULE, shown_path(f"cannot collect {blocked.series}: {blocked.reason}"))


def reported(steps: Iterable[Step | Blocked], outcome: Outcome) -> list[str]:
    """A line for each series collected or skipped, in series order; failures are diagnostics."""
    done = {c.series: f"collected {c.series}: {c.file} ({c.size} bytes), record {c.record}" for c in outcome.collected}
    lines = []
    for step in steps:
        if isinstance(step, Blocked) or not (step.series in done or step.skip):
            continue
        line = done.get(step.series) or f"skipped {step.series}: {step.skip}"
        lines.append(shown_path(line + (f"; note: {step.note}" if step.note else "")))
    return lines


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
    """Write the output, then the record, pin and ledger entry; undo the output if the record fails
    (a ledger that cannot take the entry too: the next series still runs).
    Both go through `scaffold.write_new`: never through a symbolic link, never outside evidence/."""
    made, problem = scaffold.write_new(root, step.file, data)
    if problem:
        return [], [_failed(step, f"{problem}: nothing was written", tail)]
    try:
        created = scaffold.create(root, step.draft, moment)
    except BaseException:  # an interrupt, or a bug: no output file without its record
        scaffold.undo(made)
        raise
    if created.record is None:
        scaffold.undo(made)
        reasons = "; ".join(d.message for d in created.diagnostics) or "the record could not be written"
        return [], [_failed(step, f"{reasons}: nothing was written", tail)]
    return [Collected(step.series, f"evidence/{step.file}", len(data), created.record)], []


def _failed(step: Step, reason: str, tail: str = "") -> Diagnostic:
    where = step.declaring.source.key_at("collect")
    # Escaped: what a program wrote, its reason as much as its stderr, must not drive the terminal.
    lines = "".join(f"\n      {shown_path(line)}" for line in tail.splitlines())
    hint = f"the last lines it wrote to standard error:{lines}" if tail.strip() else None
    return where.error(RULE, f"collecting {step.series} failed: {shown_path(reason)}", hint)


def describe(step: Step | Blocked) -> str:
    """What a dry run says a step would do, on one line that cannot drive a terminal."""
    if isinstance(step, Blocked):
        return shown_path(f"cannot collect {step.series}: {step.reason}")
    block = step.declaring.collect
    assert block is not None
    note = f"; note: {step.note}" if step.note else ""
    if step.skip:
        return shown_path(f"skipped {step.series}: {step.skip}{note}")
    what = _shown_options(block.use, block.options)
    covers = f", covering {step.covers.start} to {step.covers.end}" if step.covers else ""
    return shown_path(
        f"would collect {step.series} with {block.use} ({what}): evidence/{step.file}, "
        f"record {step.draft.record_path}{covers}{note}"
    )


def _shown_options(use: str, options: Mapping[str, object]) -> str:
    run = options.get("run")
    if use == "command" and isinstance(run, list):
        return " ".join(shlex.quote(str(word)) for word in run)
    return json.dumps(dict(options), sort_keys=True, ensure_ascii=False, default=str)
