"""`plaintrust evidence pin | verify | new | due | collect | check-branch`: thin commands over plaintrust.actions."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from plaintrust import clock
from plaintrust.actions import scaffold
from plaintrust.cli.options import HelpGroup, date_option, diagnostics_format_option, format_option, root_option
from plaintrust.diagnostics import Diagnostic, has_findings
from plaintrust.errors import ExitCode
from plaintrust.reporters import REPORTERS, summary

# `evidence due` prints a list, not diagnostics: as a table or CSV, or in every format its siblings offer.
DUE_FORMATS = ("text", "csv", *(name for name in sorted(REPORTERS) if name != "text"))


@click.group(cls=HelpGroup)
def evidence() -> None:
    """Collect, pin and verify evidence; list what is due.

    Pin evidence files, verify them and the ledger, scaffold records for new files, run the
    collectors of series that collect themselves, check that a branch holds only what they
    collected, and list the evidence and audit-period slots that are due.
    """


def _print(diagnostics: tuple[Diagnostic, ...], fmt: str, done: str) -> None:
    click.echo(REPORTERS[fmt](diagnostics), nl=False)
    if fmt == "text":
        click.echo(f"{done}; {summary(diagnostics)}" if diagnostics else f"{done}; no problems found", err=True)


@evidence.command()
@root_option
@click.argument("records", nargs=-1, metavar="[RECORD]...")
@click.option(
    "--update", is_flag=True, help="Re-pin files whose bytes changed since they were pinned (a deliberate replacement)."
)
@diagnostics_format_option
def pin(root: Path, records: tuple[str, ...], update: bool, fmt: str) -> None:
    """Record each evidence file's sha256 in its record and ledger.

    Writes each file's sha256 into its record and appends it to evidence/ledger.jsonl. RECORD is a record id or a record file; without one, every record. Formatting and comments
    of the records are kept: only sha256 values change or are added.
    """
    from plaintrust import pipeline  # each command imports only what it runs: --help lists them all
    from plaintrust.actions import pin as pinning

    result = pipeline.run(root, rehash=True)
    chosen, unknown = pinning.select(root, result.model, records)
    if unknown:
        raise click.BadParameter(
            f"no evidence record has the id or path {', '.join(map(repr, unknown))}", param_hint="RECORD"
        )
    outcome = pinning.pin(root, result, chosen, update=update, moment=clock.now(), all_records=not records)
    for item in outcome.pinned:
        action = "pinned" if item.rewritten else "recorded in the ledger"
        click.echo(f"{item.source}: {action} {item.file} sha256 {item.sha256}", err=True)
    written = sum(1 for item in outcome.pinned if item.rewritten)
    done = (
        "nothing was written: the ledger must be intact first"
        if outcome.refused
        else f"{written} hash(es) written into records, {len(outcome.entries)} ledger entr{'y' if len(outcome.entries) == 1 else 'ies'} appended"
    )
    _print(outcome.diagnostics, fmt, done)
    sys.exit(ExitCode.FINDINGS if has_findings(outcome.diagnostics) else ExitCode.OK)


@evidence.command()
@root_option
@click.option(
    "--published",
    metavar="FILE_OR_URL",
    help="Instead, prove the ledger extends every head in a published trust.json or evidence-log.json.",
)
@diagnostics_format_option
def verify(root: Path, published: str | None, fmt: str) -> None:
    """Rehash every evidence file and check the ledger's chain.

    Exits 1 on any problem. Names each tampered file (expected and actual hash), missing, unpinned or unnamed file, and
    each break in the ledger. Never uses the stat cache; warnings count as problems. With
    --published (a file or an http(s) URL), checks instead that the ledger is still one chain that
    holds every head the trust center published: lines were appended since, never changed or
    removed (file hashes are not checked then).
    """
    if published is not None:
        return _verify_published(root, published, fmt)  # it exits
    from plaintrust import pipeline
    from plaintrust.actions import verify as verification

    report = verification.verify(root, pipeline.run(root, rehash=True))
    _print(report.diagnostics, fmt, f"verified {report.files} file(s) and {report.entries} ledger line(s)")
    sys.exit(ExitCode.FINDINGS if report.diagnostics else ExitCode.OK)


def _verify_published(root: Path, source: str, fmt: str) -> None:
    from plaintrust.actions import published

    report = published.check(root, source)
    _print(report.diagnostics, fmt, f"checked {report.heads} published head(s) against {report.entries} ledger line(s)")
    sys.exit(ExitCode.FINDINGS if report.diagnostics else ExitCode.OK)


@evidence.command()
@root_option
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--id", "record_id", help="The record id (default: from the file name).")
@click.option("--title", help="The record title (default: from the file name).")
@click.option(
    "--kind", type=click.Choice(scaffold.KINDS), help="What the file is (default: guessed from its extension)."
)
@date_option("--collected", help="The day the evidence was collected (default: today).")
@click.option("--refresh", help="A frequency word or 90d, 12w, 6m, 1y (default: from the controls).")
@click.option(
    "--control", "controls", multiple=True, metavar="ID", help="A control that will use the record; repeatable."
)
@click.option(
    "--classification",
    type=click.Choice(["internal", "confidential", "restricted"]),
    default="confidential",
    show_default=True,
    help="How sensitive the file is: an audit package leaves confidential and restricted files "
    "out unless --include-confidential.",
)
@click.option("--covers", metavar="FROM..TO", help="The period the evidence speaks for.")
@click.option(
    "--source", help="Where the evidence came from: the system and the query or filter used (asked for at a terminal)."
)
@click.option("--notes", help="Anything an auditor should know about the record (asked for at a terminal).")
@diagnostics_format_option
def new(
    root: Path,
    file: Path,
    record_id: str | None,
    title: str | None,
    kind: str | None,
    collected,
    refresh: str | None,
    controls: tuple[str, ...],
    classification: str,
    covers: str | None,
    source: str | None,
    notes: str | None,
    fmt: str,
) -> None:
    """Write and pin a record for an evidence file.

    FILE is a file under evidence/, given relative to --root (such as evidence/files/x.csv) or as
    an absolute path. A path from the current folder is taken too when nothing is at it under --root
    and it leads to a file in the repository's evidence/. At a terminal, --source and --notes are
    asked for when left out (Enter leaves them out).
    """
    from plaintrust import pipeline

    result = pipeline.run(root)
    source = _asked(source, "Source (system and query, e.g. 'service desk export, filter category = offboarding')")
    notes = _asked(notes, "Notes for auditors")
    choices = scaffold.Choices(
        record_id,
        title,
        kind,
        collected.date() if collected else None,
        refresh,
        classification,
        controls,
        covers,
        source,
        notes,
    )
    draft = scaffold.plan(root, result.model, file, choices)
    created = scaffold.create(root, draft, clock.now())
    done = f"wrote {created.record}" if created.record else "nothing was written"
    _print(created.diagnostics, fmt, done)
    if created.record and controls:
        click.echo(f"next: add {draft.id} to the evidence of {', '.join(controls)}", err=True)
    sys.exit(ExitCode.FINDINGS if created.diagnostics else ExitCode.OK)


def _asked(value: str | None, question: str) -> str | None:
    """An option left out is asked for at a terminal, never in a script or CI (nothing to answer)."""
    if value is not None or not _interactive():
        return value
    return click.prompt(question, default="", show_default=False, err=True)


def _interactive() -> bool:
    return sys.stdin.isatty()


@evidence.command()
@root_option
@click.option(
    "--within",
    default="30d",
    show_default=True,
    metavar="DURATION",
    help="The window: 0d (overdue only), 30d, 6w, 3m, 1y.",
)
@format_option(
    DUE_FORMATS,
    "text",
    "How to print the list: aligned text, CSV, or warnings at each record or control (json, github, sarif).",
)
def due(root: Path, within: str, fmt: str) -> None:
    """List the evidence and audit-period slots that are due.

    Stale evidence, evidence going stale within the window, and audit-period slots still without
    evidence, sorted by date, with the owners of the controls they prove. The `by` column says who
    gathers it: `collector NAME (EVERY)` for a series with a `collect:` block, which `plaintrust
    evidence collect` gathers by itself (for a slot: a series the control links), else `person`.
    In text, a last line names every series that collects itself.
    """
    from plaintrust import pipeline
    from plaintrust.actions import due as due_list

    until = due_list.horizon(clock.today(), within)
    if until is None:
        raise click.BadParameter("a whole number then d, w, m or y, such as 30d", param_hint="--within")
    result = pipeline.run(root)
    items = due_list.due(result.model, until)
    click.echo(due_list.shown(result.model, items, fmt), nl=False)
    if fmt == "text":
        click.echo(f"{len(items)} item(s) due by {until}" if items else f"nothing is due by {until}", err=True)
        collecting = due_list.self_collecting(result.model)
        if collecting:
            click.echo(
                f"{len(collecting)} series collect themselves (plaintrust evidence collect --due): "
                f"{', '.join(collecting)}; every other series needs a person",
                err=True,
            )
    if result.failed():
        click.echo(
            f"note: the repository has problems ({summary(result.diagnostics)}); files that do not load "
            "are not listed: run `plaintrust check`",
            err=True,
        )


@evidence.command()
@root_option
@click.argument("series_names", nargs=-1, metavar="[SERIES]...")
@click.option(
    "--due",
    "due_only",
    is_flag=True,
    help="Only the series that are due: none of their records was collected in the current slot of their "
    "`every:` (with `covers: previous-slot`: none proves a day of the slot before). Records dated after today "
    "are left out, and named.",
)
@click.option("--dry-run", is_flag=True, help="Print what would run and what it would write; run and write nothing.")
@diagnostics_format_option
def collect(root: Path, series_names: tuple[str, ...], due_only: bool, dry_run: bool, fmt: str) -> None:
    """Run the collectors of series and file what they return.

    For each series with a `collect:` block (or each SERIES named), runs its collector and writes
    the output as evidence/files/SERIES/DATE.EXT, then a new record of the series, pinned and
    appended to the ledger. The record's title is the `title:` of the `collect:` block, else the
    declaring record's (the record that carries the block), followed by the day; kind, refresh and
    classification come from the declaring record. A series with a record collected today is
    skipped, so a second run the same day collects nothing. A collector that fails, runs out of
    time, writes nothing or writes the value of an allowed variable leaves no file, no record and
    no ledger entry; it is reported with the last lines of its standard error (secrets replaced by
    their names), the others still run, and the command exits 1. A series whose declaring record
    has errors, or whose records could never be valid (a series name too long for their ids), is
    not run and fails the same way; so does a file or folder under evidence/ that check does not
    read (a link out of the repository, a named pipe), as it may hide a series. When the record or its ledger entry cannot be written (a full
    disk), the series fails too: what it wrote is removed, the ledger is left as it was, and the
    next series runs.
    """
    from plaintrust import pipeline
    from plaintrust.actions import collect as collecting

    result = pipeline.run(root)
    blocked = collecting.broken(root, result.diagnostics)
    unusable = collecting.unusable(result.model, series_names, blocked)
    if unusable:
        raise click.BadParameter("; ".join(unusable), param_hint="SERIES")
    steps = collecting.plan(result.model, series_names, due_only, blocked)
    if dry_run:
        for step in steps:
            click.echo(collecting.describe(step), err=fmt != "text")  # other formats keep standard output parseable
        if fmt != "text":
            refused = [collecting.refusal(s) for s in steps if isinstance(s, collecting.Blocked)]
            click.echo(REPORTERS[fmt](refused), nl=False)
        click.echo(f"dry run: {len(steps)} series planned, nothing was run or written", err=True)
        return
    outcome = collecting.collect(root, result.model, steps, clock.now())
    for line in collecting.reported(steps, outcome):
        click.echo(line, err=fmt != "text")
    failed = len(steps) - len(outcome.collected) - len(outcome.skipped)
    _print(
        outcome.diagnostics,
        fmt,
        f"{len(outcome.collected)} collected, {len(outcome.skipped)} skipped, {failed} failed",
    )
    sys.exit(ExitCode.FINDINGS if has_findings(outcome.diagnostics) else ExitCode.OK)


BRANCH_MERGED = 4  # `evidence check-branch`: the current commit already holds the branch


@evidence.command("check-branch")
@root_option
@click.argument("ref", metavar="REF")
def check_branch(root: Path, ref: str) -> None:
    """Check that a branch adds only evidence that collect wrote.

    Compares REF (a branch, tag or commit) with where it forked from the current commit (their
    merge base) and exits 0 when all it adds is what `plaintrust evidence collect` writes: new
    files named evidence/files/SERIES/DATE.EXT, new records named evidence/SERIES/SERIES-DATE.yaml
    without a `collect:` block, and lines added at the end of evidence/ledger.jsonl. Any other
    change exits 1, naming each path: a file changed, deleted or renamed, a new file of any other
    name (a hidden .gitattributes too), a record with `collect:` or one
    Plaintrust cannot read, a symbolic link, a submodule. Exits 4 when the current commit already
    holds every file REF adds: the branch was merged (squashed or not), so start a new one from
    the current commit. Exits 2 when REF is no commit or git cannot compare it. The nightly CI
    examples run it before they collect on top of the branch collect-evidence: code pushed to
    that branch never runs with the collectors' secrets.
    """
    from plaintrust.actions import collectbranch
    from plaintrust.errors import Refused

    try:
        verdict = collectbranch.check(root, ref)
    except collectbranch.Unusable as why:
        raise Refused(str(why), param_hint="REF") from None
    for line in verdict.foreign:
        click.echo(line)
    if verdict.foreign:
        click.echo(f"{ref} holds {len(verdict.foreign)} change(s) that `evidence collect` does not make", err=True)
        sys.exit(ExitCode.FINDINGS)
    if verdict.merged:
        click.echo(f"the current commit already holds every file {ref} adds: it was merged", err=True)
        sys.exit(BRANCH_MERGED)
    click.echo(f"{ref} adds only collected evidence ({len(verdict.added)} file(s))", err=True)
