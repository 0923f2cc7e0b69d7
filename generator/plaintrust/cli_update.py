"""`plaintrust update new | resolve`: start a security notice with every section and time filled in, and close it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from plaintrust import clock, notices
from plaintrust.cli_options import root_option
from plaintrust.cli_workflow import save
from plaintrust.errors import PlaintrustError

SEVERITIES = ("informational", "low", "medium", "high", "critical")
STATUSES = ("investigating", "identified", "monitoring", "resolved")
UPDATES = Path("site") / "updates"


class Moment(click.ParamType):
    """A moment with its time zone, as notices write them: 2026-11-22T14:30:00Z or ...+01:00."""

    name = "moment"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> dt.datetime:
        from plaintrust.schemas.formats import is_datetime, parse_datetime

        if isinstance(value, dt.datetime):
            return value
        if not isinstance(value, str) or not is_datetime(value):
            self.fail(f"{value!r} is not a moment with its time zone, such as 2026-11-22T14:30:00Z", param, ctx)
        return parse_datetime(value)


@click.group()
def update() -> None:
    """Security updates and incident notices (site/updates/*.md)."""


@update.command("new", short_help="Start a security notice.")
@click.argument("title")
@root_option
@click.option("--severity", type=click.Choice(SEVERITIES), default="low", show_default=True,
              help="How serious it is for customers.")
@click.option("--status", type=click.Choice(STATUSES[:-1]), default="investigating", show_default=True,
              help="Where the work stands now.")
@click.option("--affected", default="We are still establishing who is affected.", show_default=True,
              help="Who is affected, and which data.")
def new(title: str, root: Path, severity: str, status: str, affected: str) -> None:
    """Write site/updates/<date>-<title>.md; `check` fails until its TODO sections are written."""
    name, text = notices.scaffold(title, severity, status, affected, clock.now())
    target = root / UPDATES / name
    if target.exists():
        raise PlaintrustError(f"{target} already exists; edit it, or choose another title")
    save(target, text.encode("utf-8"))
    click.echo(target)


@update.command("resolve", short_help="Mark a notice as resolved.")
@click.argument("slug")
@root_option
@click.option("--at", "moment", type=Moment(), metavar="MOMENT",
              help="When it was resolved, such as 2026-11-22T14:30:00Z (default: now).")
@click.option("--summary", metavar="TEXT",
              help="The text of its '## Resolution' section (default: a TODO prompt that `check` reports "
                   "until you write it).")
def resolve(slug: str, root: Path, moment: dt.datetime | None, summary: str | None) -> None:
    """Mark site/updates/SLUG.md as resolved.

    Sets `status: resolved` and `updated`, removes `next_update_by`, adds a timeline entry and a
    `## Resolution` section. Every other line stays as it was.
    """
    from plaintrust import noticeedit

    target = _notice(root, slug)
    shown = f"site/updates/{target.name}"
    when = moment or clock.now().replace(second=0, microsecond=0)
    try:
        data = noticeedit.resolve(shown, target.read_bytes(), when, summary)
    except noticeedit.CannotResolve as exc:
        raise click.BadParameter(f"{shown} cannot be resolved: {exc}", param_hint=exc.param) from None
    save(target, data)
    click.echo(target)
    if summary is None:
        click.echo(f"next: write its '## Resolution' section (it holds a {notices.PLACEHOLDER} prompt, "
                   "which `check` reports until you do)", err=True)


def _notice(root: Path, slug: str) -> Path:
    """site/updates/SLUG.md (SLUG may end in .md); a usage error naming the notices when there is none."""
    name = slug.removesuffix(".md")
    target = root / UPDATES / f"{name}.md"
    if name and "/" not in name and "\\" not in name and not name.startswith(".") and target.is_file():
        return target
    known = sorted(p.stem for p in (root / UPDATES).glob("*.md")) if (root / UPDATES).is_dir() else []
    listed = f"the notices are: {', '.join(known)}" if known else "there are no notices yet"
    raise click.BadParameter(f"no notice site/updates/{name}.md; {listed}", param_hint="SLUG")
