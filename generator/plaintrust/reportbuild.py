"""The gap report for `plaintrust gaps` and `plaintrust build`: assemble it, write it atomically."""

from __future__ import annotations

import multiprocessing
import tempfile
from pathlib import Path

from plaintrust import gaps, gcpause, history, output, pipeline
from plaintrust.errors import BuildFailed
from plaintrust.load.parallel import workers
from plaintrust.render.gap import RENDERERS, tables

REPORT_DIR = Path("build") / "gap-report"


def report(result: pipeline.Result, framework: str | None = None, since: str | None = None) -> gaps.GapReport:
    """The report on `result`, with the changes since the git ref `since` when given."""
    with gcpause.paused():
        current = gaps.build(result.model, framework)
    if since is None:
        return current
    with tempfile.TemporaryDirectory(prefix="plaintrust-since-") as folder:
        day = history.checkout(result.root, since, Path(folder))
        then = pipeline.run(history.tree_at(Path(folder), result.root), today=day, cache=False)
        if then.model.program is None:
            raise history.HistoryError(f"the repository at {since} has no usable controls/program.yaml")
        before = gaps.build(then.model, framework)
    changes = gaps.compare(since, then.model, before, result.model, current)
    return gaps.GapReport(**{**current.__dict__, "changes": changes})


def files(report: gaps.GapReport) -> dict[str, bytes]:
    """Every format, as `plaintrust build` lays them out in build/gap-report/."""
    with gcpause.paused():
        return _render_all(report)


def _render_all(report: gaps.GapReport) -> dict[str, bytes]:
    return {
        "index.html": RENDERERS["html"](report),
        "gap-report.md": RENDERERS["md"](report),
        "gap-report.json": RENDERERS["json"](report),
        "gap-report.xlsx": RENDERERS["xlsx"](report),
        **tables.csv_files(report),
    }


BACKGROUND_FROM = 1000  # controls: below this the report takes well under a second


class ReportWriter:
    """Writes build/gap-report/ while the site builds: in a forked process when the repository is
    large and forking is safe (the report costs as much as the site at 10,000 controls), else
    in this process once the site is done. Nothing is swapped in unless both succeed."""

    def __init__(self, root: Path, result: pipeline.Result) -> None:
        self.root, self.result = root, result
        self.process = None
        self.staging: Path | None = None
        if len(result.model.controls) >= BACKGROUND_FROM and workers() > 1:
            self.staging = output.staging_for((root / REPORT_DIR).resolve())
            context = multiprocessing.get_context("fork")
            self.process = context.Process(target=_write_staging, args=(self.staging, result), daemon=True)
            self.process.start()

    def finish(self) -> output.Staged:
        """The report, staged; the caller commits it together with the site."""
        target = (self.root / REPORT_DIR).resolve()
        if self.process is None:
            return stage_folder(target, report(self.result))
        self.process.join()
        if self.process.exitcode != 0:
            output.discard(self.staging)
            raise BuildFailed("the gap report could not be written (see above); the previous one is untouched")
        return output.Staged(self.staging, target)

    def abandon(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.join()
            output.discard(self.staging)


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
    for name, data in files(report).items():
        (staging / name).write_bytes(data)
