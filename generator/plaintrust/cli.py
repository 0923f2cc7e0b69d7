"""The `plaintrust` command: thin click commands over the pipeline; each maps its result to an exit code."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from plaintrust import __version__, pipeline, schemas, sitebuild
from plaintrust.errors import ExitCode
from plaintrust.reporters import REPORTERS, summary

root_option = click.option(
    "--root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The trust-center repository.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plaintrust")
def cli() -> None:
    """Compliance controls and evidence in YAML -> a public trust center and an auditor's gap report."""


def _report(result: pipeline.Result, fmt: str, strict: bool) -> int:
    click.echo(REPORTERS[fmt](result.diagnostics), nl=False)
    if fmt == "text":
        click.echo(summary(result.diagnostics), err=True)
    return ExitCode.FINDINGS if result.failed(strict) else ExitCode.OK


@cli.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="How to print diagnostics.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(root: Path, fmt: str, strict: bool) -> None:
    """Validate controls, evidence, the program and the public profile; report every problem."""
    result = pipeline.run(root)
    sys.exit(_report(result, fmt, strict))


@cli.command()
@root_option
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="How to print diagnostics.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def build(root: Path, fmt: str, strict: bool) -> None:
    """Check, then build the public site into build/site/ (nothing is written when a check fails)."""
    result = pipeline.run(root)
    code = _report(result, fmt, strict)
    if code != ExitCode.OK:
        click.echo("nothing was built: fix the problems above first", err=True)
        sys.exit(code)
    site = sitebuild.build_site(root, result)
    click.echo(f"built the trust center into {_shown(site, root)}", err=True)


@cli.command()
@root_option
@click.option("-a", "--dev-addr", metavar="IP:PORT", help="Address to serve on (default 127.0.0.1:8000).")
def serve(root: Path, dev_addr: str | None) -> None:
    """Live preview that reloads on edits to controls/, evidence/ and site/."""
    sitebuild.serve(root, dev_addr)


def _shown(path: Path, root: Path) -> str:
    try:
        return str(path.resolve().relative_to(root.resolve()))
    except ValueError:
        return str(path)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=Path("schemas"))
def schema(directory: Path) -> None:
    """Write the JSON Schemas (for editors such as VS Code with yaml-language-server) into DIRECTORY."""
    for name in schemas.write_all(directory):
        click.echo(directory / name)


def main() -> None:
    """Entry point: click handles usage errors (exit 2); anything unexpected is a bug (exit 3)."""
    try:
        cli.main(prog_name="plaintrust")
    except Exception:  # noqa: BLE001 - the last line of defence
        click.echo("plaintrust: internal error (a bug, not a problem in your files); please report it with this trace:", err=True)
        click.echo(traceback.format_exc(), err=True)
        sys.exit(ExitCode.INTERNAL)
