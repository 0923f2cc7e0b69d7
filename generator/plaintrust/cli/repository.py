"""The commands over the whole repository: `check`, `build`, `gaps`, `serve` and `schema`."""

from __future__ import annotations

import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from plaintrust.cli.options import (
    diagnostics_format_option,
    format_option,
    framework_named,
    framework_option,
    output_option,
    root_option,
    strict_option,
)
from plaintrust.cli.workflow import refuse_inputs, save
from plaintrust.errors import ExitCode
from plaintrust.reporters import REPORTERS, summary, text
from plaintrust.settings import ENGINES

# The pipeline, MkDocs, Jinja, openpyxl and XlsxWriter are imported by the commands that use them:
# `plaintrust --help` lists these commands without reading a repository, and `check` runs on every
# commit without building anything.
if TYPE_CHECKING:
    from plaintrust import pipeline
    from plaintrust.internal.gaps import GapReport

GAP_FORMATS = ("md", "html", "csv", "xlsx", "json")
BINARY_FORMATS = ("xlsx",)


class Percent(click.FloatRange):
    """A percentage from 0 to 100. FloatRange alone lets NaN through (every comparison with NaN is
    false), and `--fail-under nan` would silently turn the gate off."""

    name = "percent"

    def __init__(self) -> None:
        super().__init__(0, 100)

    # `value` is whatever the command line or a default gives (click's ParamType takes Any; FloatRange
    # narrows it to float, the type it converts to).
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{value!r} is not a number from 0 to 100.", param, ctx)
        return number


fail_under_option = click.option(
    "--fail-under",
    type=Percent(),
    metavar="PCT",
    help="Exit 1 when a framework has less than PCT percent (0 to 100) of its requirements met.",
)


def _report(result: pipeline.Result, fmt: str, strict: bool) -> int:
    click.echo(REPORTERS[fmt](result.diagnostics), nl=False)
    if fmt == "text":
        click.echo(summary(result.diagnostics), err=True)
    return ExitCode.FINDINGS if result.failed(strict) else ExitCode.OK


@click.command()
@root_option
@diagnostics_format_option
@strict_option
def check(root: Path, fmt: str, strict: bool) -> None:
    """Check every file and report every problem.

    Validates the controls, the evidence, the program, the public profile and mkdocs.yml. Exits 1
    on an error (with --strict, on a warning too).
    """
    from plaintrust import pipeline

    result = pipeline.run(root)
    sys.exit(_report(result, fmt, strict))


@click.command()
@root_option
@diagnostics_format_option
@strict_option
@click.option("--force", is_flag=True, help="Rebuild even when no input changed since the last build.")
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    help="The site generator to render the trust center with; default: the plugin's `engine` option in "
    "mkdocs.yml, else plaintrust.toml's or pyproject.toml's, else mkdocs.",
)
def build(root: Path, fmt: str, strict: bool, force: bool, engine: str | None) -> None:
    """Check, then build the trust center and the gap report.

    The public site goes into build/site/ (the site_dir of mkdocs.yml), the internal gap report into
    build/gap-report/. Nothing is built while `check` finds errors.
    """
    from plaintrust import pipeline
    from plaintrust.build import build_outputs
    from plaintrust.public import engines

    result = pipeline.run(root)
    code = _report(result, fmt, strict)
    if code != ExitCode.OK:
        click.echo("nothing was built: fix the problems above first", err=True)
        sys.exit(code)
    chosen = engines.choose(result.model.settings, engine)
    engines.require(chosen)
    if said := engines.left_out(chosen, result.model.settings):
        click.echo(said, err=True)
    built = build_outputs(root, result, force=force, note=lambda note: click.echo(note, err=True), engine=chosen.engine)
    if built.site is None or built.report is None:
        click.echo("nothing changed since the last build (use --force to rebuild)", err=True)
        return
    click.echo(f"built the trust center into {_shown(built.site, root)}", err=True)
    click.echo(f"wrote the gap report into {_shown(built.report, root)} (internal: never publish it)", err=True)


@click.command()
@root_option
@framework_option
@format_option(GAP_FORMATS, "md", "The report's format; xlsx is a binary workbook, written with -o FILE.")
@output_option("File to write, never among the inputs or in the public site; '-' for standard output.")
@fail_under_option
@click.option(
    "--since",
    metavar="GIT_REF",
    help="Also list what changed since GIT_REF, a commit, branch or tag of the repository's git history.",
)
def gaps(
    root: Path, framework_id: str | None, fmt: str, output: Path, fail_under: float | None, since: str | None
) -> None:
    """Write the internal gap report alone.

    Coverage, evidence and audit-period proof per requirement, to standard output or to -o FILE.
    Internal: never publish it.
    """
    from plaintrust import pipeline

    to_stdout = str(output) == "-"
    if not to_stdout:
        refuse_inputs([output], root, "--output")
    elif fmt in BINARY_FORMATS and _stdout_is_terminal():
        raise click.UsageError(
            f"the {fmt} format is binary and would garble the terminal: pass -o FILE.{fmt} "
            "(or redirect the output to a file)"
        )
    if since is not None:
        from plaintrust.internal import history

        history.require_ref(root, since)  # before the work: a mistyped ref should not cost a whole run
    result = pipeline.run(root)
    if result.failed():
        click.echo(text(result.diagnostics), err=True, nl=False)
    if result.model.program is None:
        click.echo("no gap report: controls/program.yaml must load first", err=True)
        sys.exit(ExitCode.FINDINGS)
    if framework_id is not None:
        framework_named(result.model.program, framework_id)
    from plaintrust.internal import reportbuild
    from plaintrust.internal.render import RENDERERS

    _baselines_preflight(result, since, framework_id)
    report = reportbuild.report(result, framework_id, since)
    data = RENDERERS[fmt](report)
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)  # bytes: the xlsx format is binary
        sys.stdout.buffer.flush()
    else:
        save(output, data)
    sys.exit(_gap_summary(report, fail_under, result.failed()))


def _stdout_is_terminal() -> bool:
    """Whether standard output is a terminal: binary output there would garble it (a pipe or a file is fine)."""
    return sys.stdout.isatty()


def _baselines_preflight(result: pipeline.Result, since: str | None, only: str | None = None) -> None:
    """Baselines need git history; without it the report still comes, without its changes. A
    baseline naming no commit stops here, before anything is built."""
    from plaintrust.internal import baselines

    note = baselines.preflight(result, only) if since is None else None
    if note:
        click.echo(note, err=True)


def _gap_summary(report: GapReport, fail_under: float | None, had_errors: bool) -> int:
    from plaintrust.internal import gaps

    code = ExitCode.FINDINGS if had_errors else ExitCode.OK
    for f in report.frameworks:
        below = fail_under is not None and f.percent_met < fail_under
        note = f" (below --fail-under {fail_under:g})" if below else ""
        click.echo(
            f"{f.id}: {f.percent_met:.1f}% met ({f.count(gaps.ReqStatus.MET)} of {f.applicable} applicable){note}",
            err=True,
        )
        code = ExitCode.FINDINGS if below else code
    if had_errors:
        click.echo("the files have errors (listed above): the report may be incomplete", err=True)
    return code


@click.command()
@root_option
@click.option(
    "-a",
    "--dev-addr",
    metavar="IP:PORT",
    show_default="mkdocs.yml's dev_addr, else 127.0.0.1:8000",
    help="The address to serve the preview on.",
)
def serve(root: Path, dev_addr: str | None) -> None:
    """Preview the trust center, rebuilt on every edit.

    Watches controls/, evidence/, policies/, answers/, frameworks/, site/ and mkdocs.yml (and
    whatever its `watch:` lists), even a folder first made while it runs, and reloads the page in
    the browser.
    """
    from plaintrust.public import sitebuild

    sitebuild.serve(root, dev_addr)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"))
@root_option
def schema(directory: Path, root: Path) -> None:
    """Write the JSON Schemas for editors into DIRECTORY.

    Editors such as VS Code (with yaml-language-server) use them to check and complete the YAML
    files as you type. A relative DIRECTORY is read from --root. It may not lie among the inputs of
    the repository (controls/, evidence/, site/, ...) nor in its built site: the schemas would
    replace an input or be published.
    """
    from plaintrust import schemas

    directory = root / directory  # an absolute DIRECTORY stays as it is
    documents = schemas.files()
    refuse_inputs([directory, *(directory / name for name in documents)], root, "DIRECTORY")
    for name, data in documents.items():
        save(directory / name, data)
        click.echo(directory / name)
