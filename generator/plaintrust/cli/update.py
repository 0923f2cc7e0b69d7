"""`plaintrust update new | resolve`: start a security notice with every section and time filled in, and close it."""

from __future__ import annotations

import datetime as dt
import os
import posixpath
from pathlib import Path

import click

from plaintrust import clock, notices
from plaintrust.cli.options import HelpGroup, root_option
from plaintrust.cli.workflow import save
from plaintrust.errors import PlaintrustError
from plaintrust.load import discovery

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


@click.group(cls=HelpGroup)
def update() -> None:
    """Start and resolve security notices.

    A notice is a Markdown file under site/updates/, published as a security update.
    """


@update.command("new", short_help="Start a security notice.")
@click.argument("title")
@root_option
@click.option(
    "--severity",
    type=click.Choice(SEVERITIES),
    default="low",
    show_default=True,
    help="How serious it is for customers.",
)
@click.option(
    "--status",
    type=click.Choice(STATUSES[:-1]),
    default="investigating",
    show_default=True,
    help="Where the work stands now.",
)
@click.option(
    "--affected",
    default="We are still establishing who is affected.",
    show_default=True,
    help="Who is affected, and which data.",
)
def new(title: str, root: Path, severity: str, status: str, affected: str) -> None:
    """Start a security notice.

    Writes site/updates/<date>-<title>.md with its front matter filled in and every section a
    notice needs, each a TODO: prompt that `check` reports until you write it. Prints the file's
    path: its name is what `update resolve` takes.
    """
    name, text = notices.scaffold(title, severity, status, affected, clock.now())
    target = root / UPDATES / name
    if target.exists():
        raise PlaintrustError(f"{target} already exists; edit it, or choose another title")
    save(target, text.encode("utf-8"))
    click.echo(target)


@update.command("resolve", short_help="Mark a notice as resolved.")
@click.argument("slug")
@root_option
@click.option(
    "--at",
    "moment",
    type=Moment(),
    metavar="MOMENT",
    help="When it was resolved, such as 2026-11-22T14:30:00Z (default: now).",
)
@click.option(
    "--summary",
    metavar="TEXT",
    help="The text of its '## Resolution' section (default: a TODO prompt that `check` reports until you write it).",
)
def resolve(slug: str, root: Path, moment: dt.datetime | None, summary: str | None) -> None:
    """Mark a notice as resolved.

    SLUG is the notice's file name under site/updates/ (with or without .md), or the path of its
    file. Sets `status: resolved` and `updated`, removes `next_update_by`, adds a timeline entry
    and a `## Resolution` section. Every other line stays as it was.
    """
    from plaintrust.actions import noticeedit

    target = _notice(root, slug)
    shown = f"site/updates/{target.name}"
    when = moment or clock.now().replace(second=0, microsecond=0)
    try:
        data = noticeedit.resolve(shown, target.read_bytes(), when, summary)
    except noticeedit.CannotResolve as exc:
        raise click.BadParameter(f"{shown} cannot be resolved: {exc}", param_hint=exc.param) from None
    save(target, data)
    click.echo(target)
    left = noticeedit.unwritten_resolution(shown, data)
    if left:  # a Resolution that was there already, written, is not for us to call unfinished
        click.echo(f"next: write its '## Resolution' section ({left}, which `check` reports until you do)", err=True)


def _notice(root: Path, slug: str) -> Path:
    """The notice SLUG names, as `check` reads it; a usage error naming the notices when there is
    none. A notice `check` refuses to read (a link, or in a linked folder) is refused here too:
    writing through the link would change a file outside the repository."""
    name = _notice_name(root, slug)
    rel = f"{UPDATES.as_posix()}/{name}" if name else None
    found = discovery.find(root)
    refusals = [d for d in found.problems if rel and (d.path == rel or rel.startswith(f"{d.path}/"))]
    if refusals:
        said = refusals[0]
        raise click.BadParameter(f"{said.message}; {said.hint}" if said.hint else said.message, param_hint="SLUG")
    if rel in found.updates:
        return root / rel
    known = sorted(posixpath.basename(p).removesuffix(".md") for p in found.updates)
    listed = f"the notices are: {', '.join(known)}" if known else "there are no notices yet"
    missing = f"no notice {rel}" if rel else f"{slug} is not a file in {UPDATES.as_posix()}/"
    raise click.BadParameter(f"{missing}; {listed}", param_hint="SLUG")


def _notice_name(root: Path, slug: str) -> str | None:
    """The notice's file name: SLUG itself (.md added), or the name of the file a path leads to, from
    --root or the working directory, when it lies in site/updates/ (None when it does not)."""
    if "/" not in slug and os.sep not in slug:
        return f"{slug.removesuffix('.md')}.md"
    updates = (root / UPDATES).resolve()  # a linked folder matches here, and is refused as `check` refuses it
    for base in (root, Path.cwd()):
        path = base / slug
        if path.parent.resolve() == updates:
            return f"{path.name.removesuffix('.md')}.md"
    return None
