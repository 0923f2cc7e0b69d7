"""The gap report for `plaintrust gaps` and `plaintrust build`: assemble it, write it atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import multiprocessing
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.process import BaseProcess
from pathlib import Path

from plaintrust import gcpause, output, pipeline
from plaintrust.errors import BuildFailed
from plaintrust.internal import baselines, gaps
from plaintrust.internal.render import RENDERERS, tables
from plaintrust.load.parallel import workers

REPORT_DIR = Path("build") / "gap-report"


def report(result: pipeline.Result, framework: str | None = None, since: str | None = None) -> gaps.GapReport:
    """The report on `result`, with the changes since the git ref `since` when given, else since
    each framework's `baseline` in program.yaml."""
    with gcpause.paused():
        current = gaps.build(result.model, framework)
    if since is not None:
        return dataclasses.replace(current, changes=baselines.since(result, current, since, framework))
    return dataclasses.replace(current, baselines=baselines.per_baseline(result, current))


def files(report: gaps.GapReport) -> dict[str, bytes]:
    """Every format, as `plaintrust build` lays them out in build/gap-report/."""
    return dict(rendered(report))


FILES = {"html": "index.html", "md": "gap-report.md", "json": "gap-report.json", "xlsx": "gap-report.xlsx"}
CSV = "csv"  # the CSV files, one per table (see tables.csv_files)
FORMATS = (*FILES, CSV)
# The slowest format by far (XlsxWriter's cells; as long as all the others together): a large
# build writes it in a process of its own. Measured on two cores: 4.6 s sooner at 10,000 controls;
# at 1,000 no sooner, for 0.7 s more CPU (three processes then share the two cores with the site).
ASIDE = ("xlsx",)
ASIDE_FROM = 2000  # controls


def rendered(report: gaps.GapReport, formats: tuple[str, ...] = FORMATS) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of each of `formats` in turn: a writer keeps one in memory at a time,
    which at 10,000 controls is the difference between ~400 and ~550 MB."""
    with gcpause.paused():
        for fmt in formats:
            if fmt == CSV:
                yield from tables.csv_files(report).items()
            else:
                yield FILES[fmt], RENDERERS[fmt](report)


# Controls: from this size on the report is written beside the site. Forking costs a few
# milliseconds; the report of the example repository (80 controls) takes a third of a second.
BACKGROUND_FROM = 0


@dataclasses.dataclass(frozen=True)
class _Background:
    """The forked process writing the report, the staging folder it writes into, and the folders
    made to hold it (build/), removed again, when empty, if the build fails."""

    process: BaseProcess
    staging: Path
    made: tuple[Path, ...]

    def discard(self) -> None:
        output.discard(self.staging)
        for folder in self.made:  # deepest first
            with contextlib.suppress(OSError):  # not empty: something else lives there now
                folder.rmdir()


class ReportWriter:
    """Writes build/gap-report/ while the site builds: in a forked process when forking is safe
    (the report costs as much as the site, at every size), else in this process once the site is
    done. Nothing is swapped in unless both succeed."""

    def __init__(self, root: Path, result: pipeline.Result) -> None:
        self.root, self.result = root, result
        self.background: _Background | None = None
        if len(result.model.controls) >= BACKGROUND_FROM and workers() > 1:
            target = (root / REPORT_DIR).resolve()
            made = tuple(itertools.takewhile(lambda folder: not folder.exists(), target.parents))
            staging = output.staging_for(target)
            context = multiprocessing.get_context("fork")
            process = context.Process(target=_write_staging, args=(staging, result), daemon=True)
            process.start()
            self.background = _Background(process, staging, made)

    def finish(self) -> output.Staged:
        """The report, staged; the caller commits it together with the site."""
        target = (self.root / REPORT_DIR).resolve()
        if self.background is None:
            return stage_folder(target, report(self.result))
        process, staging = self.background.process, self.background.staging
        process.join()
        if process.exitcode != 0:
            self.background.discard()
            raise BuildFailed("the gap report could not be written (see above); the previous one is untouched")
        return output.Staged(staging, target)

    def abandon(self) -> None:
        if self.background is not None:
            self.background.process.terminate()
            self.background.process.join()
            self.background.discard()


def _write_staging(staging: Path, result: pipeline.Result) -> None:
    """The forked writer: the report's model once, then, for a large report, the workbook in a
    process of its own beside the other formats. That process dies with this one: `abandon`
    terminates this one alone."""
    whole = report(result)
    apart = ASIDE if len(result.model.controls) >= ASIDE_FROM else ()
    aside: list[int] = []
    signal.signal(signal.SIGTERM, lambda signum, frame: _killed(aside, exit_code=128 + signum))
    if apart:
        _fork(lambda: _write_staging_files(staging, rendered(whole, apart)), aside)
    try:
        _write_staging_files(staging, rendered(whole, tuple(f for f in FORMATS if f not in apart)))
    except BaseException:
        _killed(aside)
        raise
    if any(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) != 0 for pid in aside):
        raise BuildFailed("the gap report's workbook could not be written (see above)")


def _fork(job: Callable[[], None], pids: list[int]) -> None:
    """Run `job` in a forked process whose pid joins `pids` before SIGTERM can be handled here.
    The process exits 0 when `job` returns, 1 with the traceback on stderr when it raises."""
    for stream in (sys.stdout, sys.stderr):  # else what they hold would be written twice
        stream.flush()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    pid = os.fork()
    if pid:
        pids.append(pid)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        return
    code = 1
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the parent's handler: this one just ends
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        job()
        code = 0
    except BaseException:  # noqa: BLE001 - whatever it is, said on stderr; the parent says it failed
        traceback.print_exc()
    finally:
        sys.stderr.flush()
        os._exit(code)  # never back into the caller's frames, nor its atexit handlers


def _killed(pids: list[int], exit_code: int | None = None) -> None:
    """Kill and reap the processes `pids`; then, given an `exit_code`, exit with it at once."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, ChildProcessError):
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if exit_code is not None:
        sys.stderr.flush()
        os._exit(exit_code)


def stage_folder(target: Path, report: gaps.GapReport) -> output.Staged:
    """Every format in a staging folder beside `target`; nothing is left behind on failure."""
    staging = output.staging_for(target)
    try:
        _write_staging_files(staging, rendered(report))
    except BaseException:
        output.discard(staging)
        raise
    return output.Staged(staging, target)


def _write_staging_files(staging: Path, files: Iterable[tuple[str, bytes]]) -> None:
    for name, data in files:
        (staging / name).write_bytes(data)
