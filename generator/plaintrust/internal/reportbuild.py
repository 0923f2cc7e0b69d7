"""The gap report for `plaintrust gaps` and `plaintrust build`: assemble it, write it atomically."""

from __future__ import annotations

import dataclasses
import multiprocessing
from collections.abc import Iterator
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


def rendered(report: gaps.GapReport) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of each format in turn: a writer keeps one in memory at a time, which
    at 10,000 controls is the difference between ~400 and ~550 MB."""
    with gcpause.paused():
        for name, fmt in (
            ("index.html", "html"),
            ("gap-report.md", "md"),
            ("gap-report.json", "json"),
            ("gap-report.xlsx", "xlsx"),
        ):
            yield name, RENDERERS[fmt](report)
        yield from tables.csv_files(report).items()


BACKGROUND_FROM = 1000  # controls: below this the report takes well under a second


@dataclasses.dataclass(frozen=True)
class _Background:
    """The forked process writing the report, and the staging folder it writes into."""

    process: BaseProcess
    staging: Path


class ReportWriter:
    """Writes build/gap-report/ while the site builds: in a forked process when the repository is
    large and forking is safe (the report costs as much as the site at 10,000 controls), else
    in this process once the site is done. Nothing is swapped in unless both succeed."""

    def __init__(self, root: Path, result: pipeline.Result) -> None:
        self.root, self.result = root, result
        self.background: _Background | None = None
        if len(result.model.controls) >= BACKGROUND_FROM and workers() > 1:
            staging = output.staging_for((root / REPORT_DIR).resolve())
            context = multiprocessing.get_context("fork")
            process = context.Process(target=_write_staging, args=(staging, result), daemon=True)
            process.start()
            self.background = _Background(process, staging)

    def finish(self) -> output.Staged:
        """The report, staged; the caller commits it together with the site."""
        target = (self.root / REPORT_DIR).resolve()
        if self.background is None:
            return stage_folder(target, report(self.result))
        process, staging = self.background.process, self.background.staging
        process.join()
        if process.exitcode != 0:
            output.discard(staging)
            raise BuildFailed("the gap report could not be written (see above); the previous one is untouched")
        return output.Staged(staging, target)

    def abandon(self) -> None:
        if self.background is not None:
            self.background.process.terminate()
            self.background.process.join()
            output.discard(self.background.staging)


def _write_staging(staging: Path, result: pipeline.Result) -> None:
    _write_staging_files(staging, report(result))


def stage_folder(target: Path, report: gaps.GapReport) -> output.Staged:
    """Every format in a staging folder beside `target`; nothing is left behind on failure."""
    staging = output.staging_for(target)
    try:
        _write_staging_files(staging, report)
    except BaseException:
        output.discard(staging)
        raise
    return output.Staged(staging, target)


def _write_staging_files(staging: Path, report: gaps.GapReport) -> None:
    for name, data in rendered(report):
        (staging / name).write_bytes(data)
