"""`plaintrust policy approve` and `plaintrust policies pdf`: thin commands over plaintrust.actions."""

from __future__ import annotations

import datetime as dt
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from plaintrust import clock
from plaintrust.cli.options import HelpGroup, date_option, root_option
from plaintrust.cli.workflow import refuse_inputs
from plaintrust.diagnostics import Diagnostic, Severity
from plaintrust.errors import ExitCode, Refused
from plaintrust.reporters import summary, text

if TYPE_CHECKING:
    from plaintrust import pipeline

VERSION_PATTERN = "letters, digits, '.', '_' and '-', starting with a letter or digit, at most 32 characters"


@click.group(cls=HelpGroup)
def policy() -> None:
    """Approve policies.

    Records who approved a policy and when, in the policy's file and in the evidence ledger.
    """


@click.group(cls=HelpGroup)
def policies() -> None:
    """Write the policies as PDF files.

    One PDF file per policy, and one bundle of them all, for auditors, customers and staff.
    """


def _name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    name = value.strip()
    if not name or not name.isprintable():
        raise click.BadParameter("give a name on one line, such as 'Dana Smith, CTO'")
    return name


def _version(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    ok = 0 < len(value) <= 32 and value[0].isascii() and value[0].isalnum()
    if not ok or any(not (c.isascii() and (c.isalnum() or c in "._-")) for c in value):
        raise click.BadParameter(f"a version is {VERSION_PATTERN}, such as 1.2")
    return value


def _regular_file(ctx: click.Context, param: click.Parameter, value: Path | None) -> Path | None:
    """A font is read whole: a FIFO or a device would block the run or never end, so only a file will do."""
    if value is None:
        return None
    try:
        regular = stat.S_ISREG(value.stat().st_mode)
    except OSError as exc:
        raise click.BadParameter(f"{value} cannot be read ({exc.strerror or exc})") from None
    if not regular:
        raise click.BadParameter(f"{value} is not a regular file: give a TrueType font file (.ttf)")
    return value


@policy.command()
@root_option
@click.argument("policy_id", metavar="ID")
@click.option(
    "--by",
    "by",
    required=True,
    callback=_name,
    metavar="NAME",
    help="Who approves it: a name on one line, such as 'Dana Smith, CTO'.",
)
@click.option(
    "--version",
    "version",
    callback=_version,
    metavar="VERSION",
    help="The new version customers see, such as 1.3 (default: the version the file holds).",
)
@date_option(
    "--on",
    help="The day the approval was given, when it was before today (a board meeting's date); never a later day.",
)
@date_option(
    "--effective",
    help="The day this version takes effect, today, earlier or later (until a later day the policy counts only "
    "in part). Default: the day the file holds; with a new --version, the approval day if the file's is earlier.",
)
def approve(
    root: Path, policy_id: str, by: str, version: str | None, on: dt.datetime | None, effective: dt.datetime | None
) -> None:
    """Approve a policy as written now, in its file and in the ledger.

    ID is the id in the policy's front matter. Writes approved_by (--by) and approved_on (today, or
    the --on day) into that front matter. --version writes version. --effective writes effective;
    without it, a new version (one other than the file's) takes effect on the approval day, unless
    the file's effective day is later: a day prepared for the new version stays. Approving the same
    version again keeps its effective day. --effective alone keeps the version. Each line is replaced, or added after the version line; every other byte of the file
    stays as it was. Then appends one entry to evidence/ledger.jsonl: its record is policy:ID, its
    file the policy's path, and its sha256 the hash of what customers read of this version (title,
    version, effective day, change line, summary and text), so the approval joins the ledger's hash
    chain. With --on, approved_on is that earlier day (the ledger entry's time stays the moment it
    was recorded). Nothing is written while the policy's file has errors or the ledger's chain is
    broken. Approving again with neither --version nor --effective, after the text changed since the
    last approval, gives a warning: pass --version so that customers see a new version.
    """
    from plaintrust import pipeline  # each command imports only what it runs: --help lists them all
    from plaintrust.actions import policyapprove

    if on is not None and on.date() > clock.today():
        raise Refused(f"--on {on.date()} is after today: an approval cannot be recorded ahead of time")
    result = pipeline.run(root)
    day = on.date() if on else None
    done = policyapprove.approve(
        root, result, policy_id, by, version, clock.now(), day, effective.date() if effective else None
    )
    if done.entry is None:
        _refused(done.diagnostics, "nothing was approved: fix the problems above first")
    moved = f", effective {done.effective.isoformat()}" if done.effective else ""
    click.echo(f"approved {done.policy} version {done.version}{moved} (ledger entry {done.entry.seq})")
    if done.same_version_new_text:
        click.echo(
            f"warning: the text changed since the last approval but the version is still {done.version}: "
            "pass --version to give customers a new version",
            err=True,
        )


@policies.command()
@root_option
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    default=Path("build/policies"),
    show_default=True,
    help="The folder to write, read from --root when relative. It is replaced as a whole, so it may hold only PDF files.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Only the approved policies the trust center publishes, without owners or approvers, checked by the leak guard.",
)
@click.option(
    "--font",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    callback=_regular_file,
    metavar="FILE.ttf",
    help="A TrueType font for text that the built-in font cannot show (it shows only Western European letters).",
)
def pdf(root: Path, folder: Path, public: bool, font: Path | None) -> None:
    """Write each policy as a PDF file, and all of them in one bundle.

    Writes ID.pdf for each policy, and policies.pdf: a cover page with every policy's version,
    effective date, approval and next review, then each policy. They go into build/policies/, or
    the folder -o names. Without --public, every policy is included, drafts too, with its owner
    and approver: internal, never publish it. With --public, only the approved policies whose
    public field is full or summary are included (the summary alone for summary), without owners
    or approvers, and the build's leak guard checks the files before they are kept. Nothing is
    written while a policy file has errors (with --public, while any file has errors), nor while
    the built-in font cannot show a character: pass --font then.
    """
    from plaintrust import pipeline
    from plaintrust.actions import policiespdf

    folder = root / folder  # an absolute DIR stays as it is
    refuse_inputs([folder], root, "--output")
    if said := policiespdf.foreign(folder):
        raise Refused(
            f"{said}: the folder is replaced as a whole, so name a new or empty one; nothing was written", "--output"
        )
    result = pipeline.run(root)
    _stop_on_errors(result, public)
    try:
        written = policiespdf.write(result, folder, public=public, font=font, moment=clock.now())
    except OSError as exc:  # a file in the way, no permission, a full disk: the previous folder is kept
        raise click.FileError(str(folder), hint=exc.strerror or str(exc)) from None
    if written.diagnostics:
        _refused(written.diagnostics, "no PDF was written: fix the problems above first")
    if written.leaks:
        leaks = "\n".join(f"  {leak}" for leak in written.leaks)
        click.echo(f"internal data reached the public PDFs; nothing was written:\n{leaks}", err=True)
        sys.exit(ExitCode.FINDINGS)
    _written(written.files, _shown(folder, root), public)


def _stop_on_errors(result: pipeline.Result, public: bool) -> None:
    """Errors in a policy file stop every run; with --public any error does, since the leak guard needs
    every internal value of the repository to know what to look for."""
    errors = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    relevant = errors if public else [d for d in errors if d.path.startswith("policies/")]
    if relevant:
        _refused(tuple(relevant), "no PDF was written: fix the problems above first")


def _refused(diagnostics: tuple[Diagnostic, ...], why: str) -> NoReturn:
    click.echo(text(diagnostics), nl=False)
    click.echo(f"{why}; {summary(diagnostics)}", err=True)
    sys.exit(ExitCode.FINDINGS)


def _shown(folder: Path, root: Path) -> str:
    try:
        return folder.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(folder)


def _written(files: tuple[str, ...], folder: str, public: bool) -> None:
    if not files:
        kind = "approved policy that the trust center publishes" if public else "policy"
        click.echo(f"no {kind} to write: {folder} is now empty", err=True)
        return
    count = len(files) - 1  # the bundle is not a policy
    note = "public: checked by the leak guard" if public else "internal: names owners and approvers, never publish it"
    click.echo(f"wrote {count} policy PDF(s) and the bundle into {folder} ({note})", err=True)
