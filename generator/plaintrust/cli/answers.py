"""`plaintrust answers export` and `plaintrust answers fill`: thin commands over plaintrust.actions.answers."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import click

from plaintrust.answers import SHARED
from plaintrust.cli.options import HelpGroup, format_option, root_option
from plaintrust.cli.workflow import refuse_inputs, save
from plaintrust.errors import ExitCode, Refused
from plaintrust.questionnaires import NAMES as STANDARDS
from plaintrust.reporters import REPORTERS, summary, text


@click.group(cls=HelpGroup)
def answers() -> None:
    """Export answers or fill a questionnaire.

    The answer library (answers/*.yaml) in the shapes procurement sends: a CSV, XLSX or JSON export,
    or a customer's own questionnaire spreadsheet filled in. Internal answers leave only when an
    export names them.
    """


def _finite(ctx: click.Context, param: click.Parameter, value: float) -> float:
    """FloatRange lets "nan" through, which compares false with everything and is no JSON."""
    if not math.isfinite(value):
        raise click.BadParameter(f"{value} is not a number from 0 to 100")
    return value


def _shared_visibilities(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """--visibility of fill: public and nda only; internal answers never go into a customer's file."""
    chosen = _levels(values)
    if chosen is not None and "internal" in chosen:
        raise click.BadParameter("internal answers never go into a customer's questionnaire: use public or nda")
    return _known(chosen, SHARED)


def _levels(values: tuple[str, ...]) -> set[str] | None:
    """The levels named, None when the option is not given; given but empty ("" from an unset
    variable) is a mistake, not the default: a script meaning "public" would send the nda answers."""
    if not values:
        return None
    chosen = {v.strip() for value in values for v in value.split(",") if v.strip()}
    if not chosen:
        raise click.BadParameter("no visibility named: name one, or leave the option out for public,nda")
    return chosen


def _known(chosen: set[str] | None, allowed: tuple[str, ...]) -> tuple[str, ...]:
    if chosen is None:
        return SHARED
    unknown = sorted(chosen - set(allowed))
    if unknown:
        raise click.BadParameter(f"{', '.join(map(repr, unknown))}: choose from {', '.join(allowed)}")
    return tuple(v for v in allowed if v in chosen)


@answers.command(short_help="Fill in a customer's questionnaire from the answer library.")
@click.argument("questionnaire", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The filled copy to write (.xlsx); never QUESTIONNAIRE itself nor an input of the repository.",
)
@click.option("--sheet", metavar="NAME", help="The sheet holding the questions (default: the first).")
@click.option("--question-column", metavar="LETTERS", required=True, help="The column of the questions, such as C.")
@click.option("--answer-column", metavar="LETTERS", required=True, help="The column to write the answers into.")
@click.option("--explanation-column", metavar="LETTERS", help="A column to write each answer's explanation into.")
@click.option("--id-column", metavar="LETTERS", help="A column of the standard's question ids, such as IAM-14.1.")
@click.option(
    "--first-row",
    type=click.IntRange(min=1),
    metavar="ROW",
    default=2,
    show_default=True,
    help="The first row with a question (rows above it are titles and headers).",
)
@click.option(
    "--standard",
    type=click.Choice(STANDARDS),
    help="Write the answer words of this questionnaire (a partial answer becomes its No, explained "
    "'Partly: ...'); default: Yes, No, Partial, N/A.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 100),
    callback=_finite,
    metavar="SCORE",
    default=80,
    show_default=True,
    help="The lowest score (out of 100) for how close a question's wording is to ours that fills a row; "
    "below it the row is left blank.",
)
@click.option(
    "--visibility",
    multiple=True,
    callback=_shared_visibilities,
    metavar="LEVELS",
    help="The answers to use: public, nda or both, repeatable or comma-separated (default: public,nda). "
    "Use public alone before an NDA is signed. Internal answers are never used.",
)
@format_option(("text", "json"), "text", "The report's format (printed to standard output).")
@root_option
def fill(
    questionnaire: Path,
    output: Path,
    sheet: str | None,
    question_column: str,
    answer_column: str,
    explanation_column: str | None,
    id_column: str | None,
    first_row: int,
    standard: str | None,
    min_score: float,
    visibility: tuple[str, ...],
    fmt: str,
    root: Path,
) -> None:
    """Fill in a customer's questionnaire workbook from the answer library.

    QUESTIONNAIRE is the customer's .xlsx file; the filled copy goes to -o and the original is left
    as it is. Each row from --first-row down whose cell asks a question (a section heading does
    not; a formula is read as its saved value) gets the answer its question matches: by the
    question id of the standard given with --standard, CAIQ v4 without it (in --id-column, or
    opening the question, as in "IAM-14.1 Do you ..."; SIG Lite and VSA ids only from
    --id-column), else by its wording, when it is close to one of our questions (a score of at
    least --min-score) and both ask the same: our answer says every word theirs asks about, theirs
    asks every word of ours, and both open alike ("Do you ..." is not "Can we ..." nor "Did ..."). Only public and nda answers are used, never internal ones. A cell that already
    holds something is never overwritten, and an answer cell with a drop-down gets one of its
    choices or nothing. Other sheets, formatting, column widths and drop-down lists are kept; the
    report names what the copy could not keep.

    \b
      plaintrust answers fill caiq.xlsx -o caiq-filled.xlsx \\
        --question-column C --answer-column D --explanation-column E \\
        --id-column A --first-row 3 --standard caiq-v4

    The report counts the rows filled by id and by wording (high confidence from a score of 90,
    else medium), left blank and already answered. It lists each row filled by id with the id, each
    row filled by wording with its score and both questions, to read before sending, each blank
    row with the three answers that came closest and the words of the question they do not cover,
    the rows matched but not written for want of a fitting choice in the answer cell's drop-down,
    hidden rows marked so, and, under "Check these before sending", the answers used that the
    evidence does not back today or whose review is overdue. Exit status 0 when the copy is
    written, blanks or not; 1 when the repository has errors; 2 for a command-line mistake.
    """
    from plaintrust import pipeline
    from plaintrust.actions.answers import fill as filling
    from plaintrust.actions.answers.fillreport import RENDERERS, warning

    columns = filling.Columns(question_column, answer_column, explanation_column, id_column, first_row)
    filling.check_columns(columns)
    opened = filling.open_questionnaire(questionnaire, sheet)  # usage errors before the repository's run
    _refuse_output(questionnaire, output, root)
    result = pipeline.run(root)
    if result.failed():
        click.echo(REPORTERS[fmt](result.diagnostics), nl=False)
        click.echo(f"nothing was filled: fix the problems above first; {summary(result.diagnostics)}", err=True)
        sys.exit(ExitCode.FINDINGS)
    click.echo(text(result.diagnostics), err=True, nl=False)  # warnings: the copy is still written
    data, report = filling.fill(opened, columns, result.model, standard, min_score, str(output), visibility)
    save(output, data)
    said = warning(report, question_column, first_row)
    if said is not None:
        click.echo(f"warning: {said}", err=True)
    click.echo(RENDERERS[fmt](report), nl=False)


def _refuse_output(questionnaire: Path, output: Path, root: Path) -> None:
    """-o is a new file of the questionnaire's kind: never the questionnaire, never a repository input."""
    if output.resolve() == questionnaire.resolve() or (output.exists() and output.samefile(questionnaire)):
        raise Refused(f"{output} is the questionnaire itself: write the filled copy to another file", "--output")
    if output.suffix.lower() != questionnaire.suffix.lower():
        raise Refused(f"{output} must end in {questionnaire.suffix.lower()}, as the questionnaire does", "--output")
    refuse_inputs([output], root, "--output")


# `answers export`: its imports stay here, next to it, as fill's do.
from plaintrust.actions.answers import export as exporting  # noqa: E402
from plaintrust.cli.options import output_option  # noqa: E402


def _visibilities(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """--visibility repeated or comma-separated, in the order public, nda, internal; public and nda
    when not given, so internal answers go out only when someone names them."""
    return _known(_levels(values), exporting.VISIBILITIES)


@answers.command("export")
@format_option(exporting.FORMATS, "csv", "The file's format; xlsx is a workbook, written with -o FILE.")
@click.option(
    "--standard",
    type=click.Choice(STANDARDS),
    help="One row per question id of this questionnaire that an answer cites, in its order and answer words.",
)
@click.option(
    "--visibility",
    multiple=True,
    callback=_visibilities,
    metavar="LEVELS",
    help="The answers to export: public, nda or internal; repeatable or comma-separated "
    "(default: public,nda; internal ones only when named).",
)
@output_option("File to write, never among the inputs or in the public site; '-' for standard output.")
@root_option
def export_answers(fmt: str, standard: str | None, visibility: tuple[str, ...], output: Path, root: Path) -> None:
    """Write the answer library as a CSV, XLSX or JSON file.

    One row per answer: its question, answer, explanation (plain text), visibility, controls,
    policies, the question ids it cites per standard, reviewed_on and review_due. With --standard,
    one row per question id of that questionnaire that an answer cites, in the questionnaire's
    order and answer words (a partial answer goes out as its "No", explained "Partly: ..."), with
    the ids of the answers behind it.

    The holds column says yes when what the answer rests on backs it today and its review is not
    overdue; needs_attention says what to fix before sending. Each answer that does not hold is
    also named on standard error. Nothing is written while the repository has errors.

    Public and nda answers only, unless --visibility names internal: share the file under NDA.

    \b
      plaintrust answers export --standard caiq-v4 --format xlsx -o caiq.xlsx
    """
    from plaintrust import pipeline
    from plaintrust.cli.workflow import refuse_inputs, save
    from plaintrust.reporters import summary, text

    to_stdout = str(output) == "-"
    if to_stdout and fmt == "xlsx":
        raise click.UsageError("the xlsx format is a binary workbook: pass -o FILE.xlsx")
    if not to_stdout:
        refuse_inputs([output], root, "--output")
    result = pipeline.run(root)
    click.echo(text(result.diagnostics), err=True, nl=False)  # standard error: the export may be on standard output
    if result.failed():
        click.echo(f"nothing was exported: fix the problems above first; {summary(result.diagnostics)}", err=True)
        sys.exit(ExitCode.FINDINGS)
    exported = exporting.build(result.model, visibility, standard)
    data = exporting.WRITERS[fmt](exported)
    if to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        save(output, data)
    _say_exported(exported, "standard output" if to_stdout else str(output))


def _say_exported(exported: exporting.Export, where: str) -> None:
    for checked in exported.answers:
        if not checked.holds:
            click.echo(f"warning: answer {checked.answer.id} does not hold: {'; '.join(checked.attention)}", err=True)
    shown = ", ".join(exported.visibility)
    if exported.standard and not exported.rows:
        click.echo(
            f"warning: no exported answer ({shown}) cites {exported.standard}: {where} holds no rows; "
            f"add {exported.standard} ids to the answers' refs",
            err=True,
        )
        return
    rows = f" as {len(exported.rows)} {exported.standard} rows" if exported.standard else ""
    click.echo(f"exported {len(exported.answers)} answers ({shown}){rows} to {where}", err=True)
