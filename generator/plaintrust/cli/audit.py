"""`plaintrust audit-package` and `plaintrust audit-package verify`: thin commands over plaintrust.internal.auditpkg."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plaintrust.cli.options import HelpGroup, diagnostics_format_option, framework_named, root_option
from plaintrust.cli.workflow import refuse_inputs, save
from plaintrust.errors import ExitCode
from plaintrust.reporters import REPORTERS, summary, text

if TYPE_CHECKING:
    from plaintrust.model import Framework
    from plaintrust.pipeline import Result


@click.group("audit-package", cls=HelpGroup, invoke_without_command=True)
@root_option
@click.option(
    "--framework", "framework_id", metavar="ID", help="The framework of program.yaml whose audit period it proves."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The zip to write, never among the inputs or in the public site.",
)
@click.option(
    "--include-confidential",
    is_flag=True,
    help="Also put in the files of confidential and restricted records (else only listed, with their hashes).",
)
@click.pass_context
def audit_package(
    ctx: click.Context, root: Path, framework_id: str | None, output: Path | None, include_confidential: bool
) -> None:
    """Build the Type II package for an auditor, or verify one.

    One zip with the gap report, the evidence of the audit period, its records, the approved policies
    behind the framework's requirements (their files as written; the manifest gives each one's version
    and approval), the ledger, MANIFEST.json (sizes and SHA-256) and a standalone verify.py. Same
    input, same bytes. Internal: hand it to the auditor, never publish it.
    """
    if ctx.invoked_subcommand is not None:
        if framework_id or output or include_confidential:
            raise click.UsageError(
                "--framework, -o and --include-confidential build a package; "
                f"they do not go with `{ctx.invoked_subcommand}`"
            )
        return
    if framework_id is None or output is None:
        raise click.UsageError(
            "a package needs --framework ID and -o FILE.zip (or: plaintrust audit-package verify FILE.zip)"
        )
    refuse_inputs([output], root, "--output")
    _build(root, framework_id, output, include_confidential)


def _build(root: Path, framework_id: str, output: Path, include_confidential: bool) -> None:
    from plaintrust import pipeline
    from plaintrust.internal.auditpkg import build

    result = pipeline.run(root)
    if result.failed():
        click.echo(text(result.diagnostics), err=True, nl=False)
    framework = _framework(result, framework_id)
    package = build.build(result, framework, include_confidential)
    if package.data is None:
        click.echo(text(package.diagnostics), err=True, nl=False)
        click.echo("nothing was written: the package would not pass its own verification", err=True)
        sys.exit(ExitCode.FINDINGS)
    save(output, package.data)
    withheld = package.count("evidence", included=False)
    note = (
        f"; {withheld} more evidence file(s) listed but left out as confidential (--include-confidential adds them)"
        if withheld
        else ""
    )
    held = package.count("policy")
    click.echo(
        f"wrote {output}: {package.count('evidence record')} evidence record(s), {package.count('evidence')} "
        f"of their files and {held} {'policy' if held == 1 else 'policies'}{note} (internal: never publish it)",
        err=True,
    )
    if result.failed():
        click.echo("the files have errors (listed above): the gap report in the package may be incomplete", err=True)
    sys.exit(ExitCode.FINDINGS if result.failed() else ExitCode.OK)


def _framework(result: Result, framework_id: str) -> Framework:
    program = result.model.program
    if program is None:
        click.echo("no package: controls/program.yaml must load first", err=True)
        sys.exit(ExitCode.FINDINGS)
    framework = framework_named(program, framework_id)
    if framework.audit_period is None:
        raise click.BadParameter(
            f"{framework_id} has no audit_period in controls/program.yaml: a Type II package proves one",
            param_hint="--framework",
        )
    return framework


@audit_package.command("verify")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@diagnostics_format_option
def verify_package(package: Path, fmt: str) -> None:
    """Check that an audit package is whole and unchanged.

    Re-hashes every file of PACKAGE against its MANIFEST.json and checks the ledger inside it;
    exits 1 on any tampered, missing or extra file, or a broken chain.
    """
    from plaintrust.internal.auditpkg import verify

    report = verify.verify(package)
    click.echo(REPORTERS[fmt](report.diagnostics), nl=False)
    if fmt == "text":
        done = f"verified {report.files} file(s) of {package} and {report.entries} ledger line(s)"
        click.echo(
            f"{done}; {summary(report.diagnostics)}" if report.diagnostics else f"{done}; no problems found", err=True
        )
        if report.manifest_sha256:  # to compare with what came by another channel: see the README
            click.echo(f"MANIFEST.json sha256 {report.manifest_sha256}; ledger head {report.ledger_head}", err=True)
    sys.exit(ExitCode.FINDINGS if report.diagnostics else ExitCode.OK)
