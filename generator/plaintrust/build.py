"""`plaintrust build`'s transaction: the public site and the internal gap report, both or neither.

This module owns what happens once `check` has passed: the no-op test (nothing changed since the
last build, see buildstamp), the baselines' preflight (a baseline naming no commit stops here,
before anything is written), and the two outputs. Each is written into a staging folder beside
its final place (the report in a forked process while MkDocs builds the site, wherever forking
is safe); only when both are complete is either swapped in, and the fingerprint of
the build remembered. Should either fail, both stagings are dropped and both previous outputs
stay as they were.

It prints nothing and never exits: the CLI says what it returns, and maps a failure (BuildFailed,
BaselineError) to an exit code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from plaintrust import buildstamp, output, pipeline
from plaintrust.internal import baselines, reportbuild
from plaintrust.public import sitebuild


@dataclass(frozen=True)
class Built:
    """Where the two outputs went; both None when nothing changed since the last build."""

    site: Path | None = None
    report: Path | None = None


def _silent(note: str) -> None:
    pass


def build_outputs(
    root: Path,
    result: pipeline.Result,
    *,
    force: bool = False,
    note: Callable[[str], None] = _silent,
    engine: str = "mkdocs",
) -> Built:
    """Build the site (with `engine`, see public/engines.py) and the gap report of `result` (a
    repository `check` passed), unless nothing changed since the last build and not `force`. `note`
    receives, before the work starts, what the report will leave out (the changes since a baseline,
    without git history)."""
    outputs = [root / result.model.settings.site_dir, root / reportbuild.REPORT_DIR]
    catalogs = _catalogs(result)
    if not force and buildstamp.unchanged(root, result.model.today, outputs, catalogs, engine):
        return Built()
    if said := baselines.preflight(result):
        note(said)
    site, report = _staged(root, result, engine)
    # Both outputs are complete: only now does either replace the previous build.
    built = Built(site.commit(), report.commit())
    buildstamp.remember(root, result.model.today, outputs, catalogs, engine)
    return built


def _catalogs(result: pipeline.Result) -> tuple[str, ...]:
    """Custom catalog files, wherever program.yaml keeps them: inputs of the no-op test."""
    program = result.model.program
    return tuple(f.catalog.source.path for f in program.frameworks if f.catalog.source) if program else ()


def _staged(root: Path, result: pipeline.Result, engine: str) -> tuple[output.Staged, output.Staged]:
    """The site and the report, each complete in its staging folder; on any failure neither is left."""
    writer = reportbuild.ReportWriter(root, result)  # may start writing the report in the background
    try:
        site = sitebuild.build_site(root, result, keep_out=root / reportbuild.REPORT_DIR, engine=engine)
    except BaseException:
        writer.abandon()
        raise
    try:
        report = writer.finish()
    except BaseException:
        site.drop()
        raise
    return site, report
