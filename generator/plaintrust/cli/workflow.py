"""`plaintrust init | import | export oscal`: thin commands that fit Plaintrust into a team's workflow."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plaintrust import clock, crosswalks
from plaintrust.cli.options import HelpGroup, diagnostics_format_option, framework_named, framework_option, root_option
from plaintrust.diagnostics import Diagnostic, has_findings
from plaintrust.errors import ExitCode
from plaintrust.output import protected_reason, write_file
from plaintrust.reporters import REPORTERS, summary

# The modules doing the work are imported by the command that needs them: `check` runs on every
# commit and should not pay for them.
if TYPE_CHECKING:
    from plaintrust import pipeline
    from plaintrust.actions import importplan, installsource, spreadsheet
    from plaintrust.crosswalks import Retired
    from plaintrust.model import Model

OSCAL_DIR = Path("build") / "oscal"
CONTROL_SCHEMA = Path("schemas") / "plaintrust-control.schema.json"  # where `init` and the README put it


def _print(diagnostics: tuple[Diagnostic, ...], fmt: str, done: str, *, clean: bool = True) -> None:
    """The diagnostics, then one line: `done` and the count of problems; `clean` False when `done`
    names a problem of its own, so the line never says "no problems found" beside it."""
    click.echo(REPORTERS[fmt](diagnostics), nl=False)
    if fmt == "text":
        tail = summary(diagnostics) if diagnostics else "no problems found" if clean else ""
        click.echo(f"{done}; {tail}" if tail else done, err=True)


def _posix_relative(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target.resolve(), start.resolve())).as_posix()


def refuse_inputs(targets: Iterable[Path], root: Path, param_hint: str) -> None:
    """A usage error when any of `targets` is, or lies in, an input of the repository at `root` or its
    published site. Every command that writes where the user says calls this before any work, so a
    refusal leaves nothing written."""
    from plaintrust.load.mkdocs_config import read_settings

    settings, _ = read_settings(root)  # a broken mkdocs.yml still leaves MkDocs' default site_dir protected
    catalogs = _catalog_names(root)
    for target in targets:
        reason = protected_reason(target, root, settings.site_dir, catalogs)
        if reason is not None:
            raise click.BadParameter(
                f"{target} {reason}; nothing was written (an output never replaces an input "
                "nor goes into the published site)",
                param_hint=param_hint,
            )


def _catalog_names(root: Path) -> list[str]:
    """The custom catalogs program.yaml names, read directly: they are inputs even when the program has errors."""
    from plaintrust.catalogs import SHIPPED

    names = [f.get("catalog") for f in _program_frameworks(root)]
    return [n for n in names if isinstance(n, str) and n and "\0" not in n and n not in SHIPPED]


def _declared_catalogs(root: Path) -> dict[str, str]:
    """Framework id -> its catalog as program.yaml names it, read directly, before any other work."""
    found = ((f.get("id"), f.get("catalog")) for f in _program_frameworks(root))
    return {i: c for i, c in found if isinstance(i, str) and isinstance(c, str)}


def _program_frameworks(root: Path) -> list[dict]:
    """program.yaml's `frameworks` entries as written; none when it cannot be read or parsed."""
    from plaintrust.load.discovery import PROGRAM
    from plaintrust.load.yamlfile import parse_bytes

    try:
        parsed = parse_bytes(PROGRAM, (root / PROGRAM).read_bytes())
    except OSError:
        return []
    data = parsed.document.data if parsed.document is not None else None
    frameworks = data.get("frameworks") if isinstance(data, dict) else None
    return [f for f in frameworks if isinstance(f, dict)] if isinstance(frameworks, list) else []


def save(path: Path, data: bytes) -> None:
    """Write one output file atomically. A place that cannot be written (permissions, a file in the
    way, a full disk) is the user's to fix: a clean error, not a traceback."""
    try:
        write_file(path, data)
    except OSError as exc:
        raise click.FileError(str(path), hint=exc.strerror or str(exc)) from None


@click.command(short_help="Create a new trust-center repository.")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--organization",
    default="Example Company",
    show_default=True,
    help="Your organization's name, as the trust center shows it.",
)
@click.option("--git", "git", is_flag=True, help="Also make the folder a git repository (git init).")
@click.option(
    "--source",
    metavar="REQUIREMENT",
    help="What the generated CI workflows install with pip, e.g. 'plaintrust @ git+https://HOST/ORG/"
    "plaintrust@COMMIT' (default: where this Plaintrust was installed from, pinned to its commit).",
)
@click.option(
    "--force", is_flag=True, help="Write into a folder that is not empty (files of the same names are replaced)."
)
def init(directory: Path, organization: str, git: bool, source: str | None, force: bool) -> None:
    """Create a trust-center repository in DIRECTORY that passes `check --strict` and builds as is.

    Example controls and evidence (pinned, collected today), the three frameworks, the public
    profile and a first page, the JSON Schemas for editors, a .gitignore, pre-commit hooks and three
    GitHub Actions workflows: one publishes the trust center, one collects evidence nightly
    (`plaintrust evidence collect --due`) and one comments each pull request's compliance impact
    (`plaintrust impact`), all installing this very Plaintrust, pinned to its commit. Refuses a
    folder that is not empty unless --force.
    """
    from plaintrust.actions import initrepo, installsource

    given = None if source is None else installsource.Source(source, "--source")
    created = initrepo.create(directory, organization, clock.now(), force=force, source=given, git=git)
    done = f"wrote {len(created.files)} files into {directory}, {len(created.pinned)} evidence files pinned"
    _print(created.diagnostics, "text", done)
    _say_source(created.source)
    if has_findings(created.diagnostics):
        sys.exit(ExitCode.FINDINGS)
    if created.git:
        click.echo(
            f"git: initialised; commit the files with: git -C {directory} add -A && "
            f"git -C {directory} commit -m 'A trust center'",
            err=True,
        )
    click.echo(f"next: cd {directory} && plaintrust serve   (then edit controls/, evidence/ and site/)", err=True)
    click.echo(
        "before you publish: the example controls, evidence and site/trust.yaml are placeholders; replace "
        "them with yours and set site_url in mkdocs.yml; the policies in policies/ are drafts: make them yours, "
        "then approve each with plaintrust policy approve ID --by NAME",
        err=True,
    )


def _say_source(source: installsource.Source) -> None:
    if source.requirement:
        click.echo(f"CI installs: {source.requirement} (from {source.origin})", err=True)
        if source.unpushed:
            click.echo(
                "warning: that commit, or changes made since, may not be on the remote yet: push them, "
                "or CI cannot install this version",
                err=True,
            )
        return
    click.echo(
        f"warning: CI cannot install this Plaintrust: it came from {source.origin}. Set PLAINTRUST in "
        ".github/workflows/trust-center.yml, collect-evidence.yml and impact.yml, or run init again with "
        "--source REQUIREMENT",
        err=True,
    )


@click.command("import")
@click.argument("spreadsheet_file", metavar="SPREADSHEET", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@root_option
@click.option(
    "--map",
    "mapping",
    multiple=True,
    metavar="COLUMN=FIELD",
    help="Read FIELD from COLUMN; repeatable. Fields: id, title, status, owner, frequency, description, "
    "evidence, satisfies.<framework>, public.category, public.title, public.summary. "
    f"satisfies.<framework>@<version> reads ids of an earlier version ({', '.join(crosswalks.NAMES)}): "
    "translated where a correspondence ships, else left to a person, e.g. 'ISO=satisfies.iso27001@iso27001-2013'.",
)
@click.option(
    "--default",
    "defaults",
    multiple=True,
    metavar="FIELD=VALUE",
    help="FIELD's value for rows whose cell is empty or that have no such column; repeatable.",
)
@click.option("--sheet", metavar="NAME", help="The workbook's sheet to read (default: the first).")
@click.option(
    "--into",
    type=click.Path(path_type=Path),
    metavar="FOLDER",
    help="Folder under controls/ for the control files, with or without the controls/ prefix: "
    "controls/access and access are the same (default: controls/).",
)
@click.option("--force", is_flag=True, help="Replace control files that already exist.")
@click.option(
    "--add-categories",
    is_flag=True,
    help="Append the categories site/trust.yaml lacks to it. Without it, they are listed as the YAML to add.",
)
@click.option(
    "--dry-run", is_flag=True, help="Write nothing; print the report of what would be written, translated and refused."
)
@diagnostics_format_option
def import_controls(
    spreadsheet_file: Path,
    root: Path,
    mapping: tuple[str, ...],
    defaults: tuple[str, ...],
    sheet: str | None,
    into: Path | None,
    force: bool,
    add_categories: bool,
    dry_run: bool,
    fmt: str,
) -> None:
    """Write a control file for each row of a spreadsheet.

    SPREADSHEET is a .csv or .xlsx file. The first non-empty row holds the column headers; headers
    that name a field map to it. Rows that would not make a valid control, or that map to a
    requirement the program's catalog lacks, are reported with their row number and not written.
    A column of an earlier framework version's ids is refused, and then nothing is written, unless
    --map reads it as that version. A report of what was written, translated and left to a person
    follows. Exit 1 when a row or a column is refused, or categories are missing from site/trust.yaml.
    """
    from plaintrust import pipeline
    from plaintrust.actions import importmap, importplan, importreport, spreadsheet

    into = spreadsheet.target_folder(root, into)
    chosen = spreadsheet.parse_defaults(defaults)
    pairs, asked = importmap.split_versions(mapping)
    read_as = importmap.versions(asked, _declared_catalogs(root))  # usage mistakes first: nothing runs before
    table, problems = spreadsheet.read(spreadsheet_file, str(spreadsheet_file), sheet)
    columns = spreadsheet.column_map(table.headers, spreadsheet.parse_map(pairs), chosen) if table else {}
    if table is None:
        _print(tuple(problems), fmt, "nothing was imported")
        sys.exit(ExitCode.FINDINGS)
    # A dry run writes nothing, not even the cache: no cache, and the evidence hashed afresh.
    model = pipeline.run(root, rehash=dry_run, cache=not dry_run).model
    context = _import_context(root, model, read_as)
    existing = {c.id: root / c.source.path for c in model.controls}
    schema = root / CONTROL_SCHEMA
    ref = _posix_relative(schema, into) if schema.exists() else None
    planned = importplan.plan(table, columns, chosen, into, existing, context, force=force, schema_ref=ref)
    outcome = importplan.apply(planned, context.site, dry_run=dry_run, add_categories=add_categories)
    _note_ignored(table, columns)
    done, clean = _import_done(planned, outcome, into, dry_run)
    _print((*planned.columns, *planned.doubts, *planned.problems), fmt, done, clean=clean)
    report = importreport.text(planned, outcome, importreport.Options(into, dry_run, add_categories))
    click.echo(report, nl=False, err=fmt != "text")  # other formats keep standard output for the machine
    sys.exit(ExitCode.FINDINGS if importplan.failed(planned, outcome) else ExitCode.OK)


def _import_context(root: Path, model: Model, read_as: dict[str, Retired]) -> importplan.Context:
    """What the rows are judged against, as plain data: the program's catalogs, the versions `--map`
    reads columns as, site/trust.yaml's categories."""
    from plaintrust.actions import importcategories, importmap, importplan

    return importplan.Context(importmap.targets(model.program), read_as, importcategories.site(root, model.trust))


def _import_done(planned: importplan.Plan, outcome: importplan.Outcome, into: Path, dry_run: bool) -> tuple[str, bool]:
    """The summary line's words, and whether they name no problem (see `_print`)."""
    from plaintrust.load.discovery import TRUST

    rejected, missing = len(planned.rows_refused), 0 if outcome.added else len(planned.categories)
    if planned.columns:
        done = "nothing was written: a column is refused"
    elif dry_run:
        done = f"dry run: {len(planned.controls)} control(s) would be written into {into}"
    else:
        done = f"wrote {len(outcome.written)} control(s) into {into}"
    done += f"; {rejected} row(s) not written (listed above)" if rejected else ""
    done += (
        f"; {missing} categor{'y' if missing == 1 else 'ies'} missing from {TRUST} (listed below)" if missing else ""
    )
    return done, not missing


def _note_ignored(table: spreadsheet.Sheet, columns: dict[str, int]) -> None:
    used = set(columns.values())
    ignored = [h for n, h in enumerate(table.headers, 1) if h and n not in used]
    if ignored:
        click.echo(
            f"columns not imported: {', '.join(map(repr, ignored))} (map them with --map COLUMN=FIELD)", err=True
        )


@click.group(cls=HelpGroup)
def export() -> None:
    """Export the controls and the gap report for other tools.

    Internal: never publish what it writes.
    """


@export.command("oscal")
@root_option
@framework_option
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write into (default: build/oscal/ of --root; never among the inputs or in the public site).",
)
def export_oscal(root: Path, framework_id: str | None, output: Path | None) -> None:
    """Write the controls and the gap report as OSCAL 1.1 (JSON).

    An OSCAL component definition (the controls) and assessment results (the gap report).
    """
    from plaintrust import pipeline
    from plaintrust.internal import oscal

    output = output if output is not None else root / OSCAL_DIR
    refuse_inputs([output, output / oscal.COMPONENT_DEFINITION, output / oscal.ASSESSMENT_RESULTS], root, "--output")
    result = pipeline.run(root)
    if result.failed() or result.model.program is None:
        _print(result.diagnostics, "text", "nothing was exported: fix the problems above first")
        sys.exit(ExitCode.FINDINGS)
    if framework_id is not None:
        framework_named(result.model.program, framework_id)
    for name, data in _oscal_files(root, result, framework_id, output).items():
        save(output / name, data)
        click.echo(output / name)


def _oscal_files(root: Path, result: pipeline.Result, framework_id: str | None, output: Path) -> dict[str, bytes]:
    from plaintrust.internal import gaps, oscal, reportbuild

    report = gaps.build(result.model, framework_id)
    links = oscal.Links(
        evidence=_posix_relative(root / "evidence", output) + "/",
        gap_report=_posix_relative(root / reportbuild.REPORT_DIR / "gap-report.json", output),
    )
    moment = clock.now()
    return {
        oscal.COMPONENT_DEFINITION: oscal.as_json(oscal.component_definition(result.model, report, moment)),
        oscal.ASSESSMENT_RESULTS: oscal.as_json(oscal.assessment_results(report, moment, links)),
    }
