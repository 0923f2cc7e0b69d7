"""`plaintrust impact [RANGE]`: a thin command over plaintrust.impact.run."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plaintrust import clock
from plaintrust.cli.options import format_option, root_option
from plaintrust.cli.workflow import refuse_inputs, save
from plaintrust.errors import ExitCode
from plaintrust.impact.report import FAIL_ON

FORMATS = ("text", "markdown", "json", "github")
# What each --fail-on choice means, for the line on standard error naming those met.
_MET = {
    "public-change": "a public claim changes",
    "status-drop": "a gap status or a public status gets worse",
    "leak": "an internal value or raw markup would reach public output",
}


def _fail_on(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Every --fail-on, each possibly a comma-separated list, as one tuple of known choices."""
    chosen = [word.strip() for value in values for word in value.split(",") if word.strip()]
    unknown = [word for word in chosen if word not in FAIL_ON]
    if unknown:
        raise click.BadParameter(
            f"{', '.join(map(repr, unknown))}: choose among {', '.join(FAIL_ON)}", ctx=ctx, param=param
        )
    return tuple(dict.fromkeys(chosen))


@click.command("impact")
@click.argument("range_spec", metavar="[RANGE]", required=False)
@root_option
@format_option(FORMATS, "text", "The report's format: text, markdown (a pull-request comment), json or github.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    default=Path("-"),
    show_default=True,
    help="File to write, never among the inputs or in the public site; '-' for standard output.",
)
@click.option(
    "--fail-on",
    multiple=True,
    metavar="CHOICE",
    callback=_fail_on,
    help="Exit 1 when the change meets CHOICE: public-change (a public claim changes), status-drop (a "
    "requirement's gap status, a practice's or a certification's status gets worse) or leak (an internal value, "
    "a copy of evidence or raw markup would reach public output). Repeatable, or comma-separated.",
)
@click.option(
    "--fetch",
    is_flag=True,
    help="Fetch what the clone lacks of the range from --remote, and deepen a shallow clone until the merge "
    "base is found. Uses the clone's own remote settings: only in a clone you made (CI).",
)
@click.option(
    "--remote",
    default="origin",
    show_default=True,
    metavar="NAME",
    help="The remote whose HEAD names the default branch, and that --fetch fetches from.",
)
def impact(
    range_spec: str | None,
    root: Path,
    fmt: str,
    output: Path,
    fail_on: tuple[str, ...],
    fetch: bool,
    remote: str,
) -> None:
    """Show what a change does to controls, claims and evidence.

    Compares two states of the repository's git history, both read as `check` reads them and judged
    on the same day (today, or the day SOURCE_DATE_EPOCH names), so a status moves only because a
    file did. It reports the controls
    changed, the requirements whose gap status changes, the public claims customers will see
    differently, evidence added, re-pinned or removed, ledger entries added, policies changed and
    the files controls watch that were touched; first, what `check` newly finds at the head:
    internal values, evidence copies or raw markup bound for public output, and errors.

    RANGE, as git spells it:

    \b
      (none)        the merge base of the default branch and HEAD,
                    against the working tree
      BASE          BASE against the working tree (uncommitted and
                    untracked files count; ignored ones do not)
      BASE..HEAD    two commits; BASE.. means BASE..HEAD, ..X HEAD..X
      BASE...HEAD   the merge base of BASE and HEAD, against HEAD

    BASE and HEAD are branches, tags or commits. The default branch is the one --remote's HEAD
    points to, else the first of <remote>/main, <remote>/master, main and master that exists. --root
    may be a sub-folder of the git work tree.

    A shallow clone (CI checkouts often are) may lack the base: the command then stops and says what
    to fetch. With --fetch it fetches the missing commit itself (one commit deep in a shallow clone)
    and deepens the history until git finds the merge base; the report notes each fetch. Fetching uses the clone's
    own remote settings (its URL, credentials, SSH command): pass --fetch in a clone you made, as a
    CI job does, never in a repository someone handed you.

    The markdown format is a pull-request comment: its first line is the hidden marker
    `<!-- plaintrust-impact -->` a CI job finds its own comment by. json follows
    plaintrust-impact.schema.json (`plaintrust schema`); github prints workflow annotations.
    Internal: the report names controls, gaps and evidence.

    Exits 0 when the report is written and no --fail-on condition is met, 1 when one is (a line on
    standard error names which), 2 on a usage error: a range naming no commit, a base missing from a
    shallow clone, no git or no git repository.
    """
    to_stdout = str(output) == "-"
    if not to_stdout:
        refuse_inputs([output], root, "--output")  # before the work: a refusal leaves nothing done
    from plaintrust.impact import run
    from plaintrust.impact.render import REPORTERS, summary

    found = run.impact(root, range_spec, fetch=fetch, remote=remote, today=clock.today())
    report = REPORTERS[fmt](found)
    if to_stdout:
        click.echo(report, nl=False)
    else:
        save(output, report.encode("utf-8"))
        click.echo(f"wrote {output}: {summary(found)}", err=True)
    met = found.failing(fail_on)
    if met:
        click.echo(f"--fail-on met: {'; '.join(f'{name} ({_MET[name]})' for name in met)}", err=True)
    sys.exit(ExitCode.FINDINGS if met else ExitCode.OK)
