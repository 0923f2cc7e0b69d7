"""`plaintrust impact [RANGE]`: a thin command over plaintrust.impact.run."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from plaintrust import clock
from plaintrust.cli.options import format_option, output_option, root_option
from plaintrust.cli.workflow import refuse_inputs, save
from plaintrust.errors import ExitCode
from plaintrust.impact.report import FAIL_ON, Impact

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


def _refuse_watched(output: Path, root: Path) -> None:
    """A usage error when `output` is a file a control of the working tree watches: the report would
    replace what the controls rest on. Read straight from controls/, like the inputs: a control with
    errors still watches its files. Both the path as written (a watched link is replaced by the
    report) and where it leads are matched."""
    from plaintrust.load import watchglob, watchregion

    top, written = root.resolve(), Path(os.path.abspath(output))
    places = {output.resolve(), written.parent.resolve() / written.name}
    wheres = [p.relative_to(top).as_posix() for p in places if p.is_relative_to(top)]  # watches stay inside
    if not wheres:
        return
    matches = (s for s in _watches(root) if any(watchglob.matches(watchregion.watch(s).pattern, w) for w in wheres))
    spec = next(matches, None)
    if spec is not None:
        raise click.BadParameter(
            f"{output} is watched by a control ({spec}); nothing was written (an output never replaces "
            "a file the controls rest on)",
            param_hint="--output",
        )


def _watches(root: Path) -> Iterator[str]:
    """Every `watches` entry of the control files under `root`, as written."""
    from plaintrust.load import discovery, yamlfile

    for path in discovery.walk(root, "controls", discovery.YAML_SUFFIXES):
        try:
            parsed = yamlfile.parse_bytes(path, (root / path).read_bytes())
        except OSError:
            continue
        data = parsed.document.data if parsed.document is not None else None
        specs = data.get("watches") if isinstance(data, dict) else None
        yield from (s for s in specs if isinstance(s, str)) if isinstance(specs, list) else ()


@click.command("impact")
@click.argument("range_spec", metavar="[RANGE]", required=False)
@root_option
@format_option(FORMATS, "text", "The report's format: text, markdown (a pull-request comment), json or github.")
@output_option(
    "File to write, never among the inputs, the files controls watch or the public site; '-' for standard output."
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
    help="Fetch what the clone lacks of the range from --remote, deepening a shallow clone until the merge "
    "base (or BASE~N) is found. Runs what the clone's own settings name (remote.<name>.uploadpack, "
    "core.gitProxy, credential.helper, core.sshCommand): only in a clone you made (CI).",
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
    and deepens the history until git finds the merge base, or an ancestor such as HEAD~1; the
    report notes each fetch. It fetches over https, http, ssh, git or a local path. Fetching uses
    the clone's own settings: its remote's URL, and it runs the programs that
    remote.<name>.uploadpack, core.gitProxy, credential.helper and core.sshCommand name. Pass
    --fetch in a clone you made, as a CI job does, never in a repository someone handed you.

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
        _refuse_watched(output, root)
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
        click.echo(f"--fail-on met: {'; '.join(_why(found, name) for name in met)}", err=True)
    sys.exit(ExitCode.FINDINGS if met else ExitCode.OK)


def _why(found: Impact, name: str) -> str:
    """A choice met, and why: what it means, or that the head could not be judged whole (it fails closed)."""
    if name != "leak" and found.unjudged and not found.shows(name):
        return f"{name} (the head could not be judged whole: {found.unjudged[0]})"
    return f"{name} ({_MET[name]})"
