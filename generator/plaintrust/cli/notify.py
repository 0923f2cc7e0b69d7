"""`plaintrust notify`: a thin command over plaintrust.actions.notify."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from plaintrust import clock
from plaintrust.actions.notify import FROM_ENV, PLACEHOLDER, state
from plaintrust.boundary.pagenames import TOPICS
from plaintrust.cli.options import root_option
from plaintrust.cli.workflow import refuse_inputs, save
from plaintrust.diagnostics import Severity
from plaintrust.errors import ExitCode
from plaintrust.reporters import text

# The work (the pipeline, the site's entries, email and SMTP) is imported when the command runs:
# `plaintrust --help` lists this command without paying for them.
if TYPE_CHECKING:
    from plaintrust import pipeline
    from plaintrust.actions.notify import deliver, recipients, smtp
    from plaintrust.actions.notify.digest import Digest
    from plaintrust.actions.notify.messages import Letterhead
    from plaintrust.actions.notify.news import News


def _topics(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> tuple[str, ...]:
    """Every --topic, each possibly a comma-separated list, once each."""
    return tuple(dict.fromkeys(word.strip() for value in values for word in value.split(",") if word.strip()))


def _unsubscribe_link(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """--unsubscribe as a header carries it; a usage error when it is no https: or mailto: address."""
    from plaintrust.actions.notify.messages import unsubscribe_link

    link = unsubscribe_link(value) if value is not None else None
    if value is not None and link is None:
        raise click.BadParameter(f"{value!r}: give an https: or a mailto: address", ctx=ctx, param=param)
    return link


@click.command("notify", short_help="Email what changed on the trust center, by topic.")
@root_option
@click.option(
    "--since",
    "since_given",
    metavar="REF|DATE",
    help="Only news updated since this day (YYYY-MM-DD) or the day of this git commit, branch or tag; "
    f"required while the record ({state.PATH}) is empty. Default: every entry the record lacks as it is now.",
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    metavar="TOPIC",
    callback=_topics,
    help=f"Only this topic: {', '.join(TOPICS)} (policies when the site publishes some). "
    "Repeatable, or comma-separated; default: every topic the site has.",
)
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write each digest as DIR/<topic>.eml, never among the inputs or in the public site.",
)
@click.option("--send", is_flag=True, help="Send each digest over SMTP to every address of --to FILE.")
@click.option(
    "--to",
    "to",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    metavar="FILE",
    help="With --send: the recipients, one address a line (# starts a comment); never a file the site publishes.",
)
@click.option(
    "--from",
    "sender",
    envvar=FROM_ENV,
    metavar="ADDRESS",
    help=f"The sender's address (or {FROM_ENV}); required with --send. "
    "Without it, -o uses a mailto: security_contact of site/trust.yaml.",
)
@click.option(
    "--unsubscribe",
    metavar="URL",
    callback=_unsubscribe_link,
    help=f"Where a recipient unsubscribes: an https: or mailto: address; {PLACEHOLDER} in it becomes each "
    "recipient's address (URL-encoded), and only an https: address with it takes one-click unsubscribe "
    "(RFC 8058). Required with --send; without it -o writes no List-Unsubscribe.",
)
def notify(
    root: Path,
    since_given: str | None,
    topics: tuple[str, ...],
    folder: Path | None,
    send: bool,
    to: Path | None,
    sender: str | None,
    unsubscribe: str | None,
) -> None:
    """Write or send email digests of what changed on the trust center.

    One message per topic with news (security updates, subprocessor changes, certifications,
    policies), in plain text and HTML, from the entries the site's feeds carry: every entry the
    record notifications/sent.json lacks at its current `updated`, whatever its date (an entry
    updated since it was sent comes again, as an update); with --since, only those updated since
    that day. The first --send needs --since: it records every entry updated before that day as
    seen, never sent.

    -o DIR writes each message as DIR/<topic>.eml (the same bytes on every run of the same
    repository), for a mailing-list tool to send; it records nothing. --send --to FILE sends each
    message to each address of FILE, one message per recipient, over the SMTP server named by
    PLAINTRUST_SMTP_HOST, PLAINTRUST_SMTP_PORT (587; 465 for TLS from the start), and
    PLAINTRUST_SMTP_USER and PLAINTRUST_SMTP_PASSWORD to log in. It switches to TLS whenever the
    server offers STARTTLS, and never sends a password unencrypted but to localhost. It records
    each message as the server accepts it, so a second run never sends the same news twice, even
    after a failure halfway; two runs at once take turns. Commit the folder notifications/.

    Exits 0 when everything was written or sent, 1 when `check` finds errors, an address of FILE is
    not one, a digest would carry an internal value, or a message could not be sent (the record
    keeps what was), 2 on a usage error.
    """
    from plaintrust.actions.notify import deliver, plan, since, smtp, store

    _refuse_combinations(folder, send, to, sender)
    if folder is not None:
        refuse_inputs([folder, *(folder / f"{t}{deliver.SUFFIX}" for t in TOPICS)], root, "--output")
    server = smtp.server(os.environ) if send else None
    listed = _recipients(to, root) if to is not None else None
    cutoff = since.resolve(root, since_given, clock.today()) if since_given is not None else None
    result, news = _news(root)
    head = plan.letterhead(news, sender, unsubscribe, send)
    # A second --send waits here, then reads what this one sent.
    with store.locked(root) if send else contextlib.nullcontext():
        record = store.load(root)
        if send:
            plan.start(root, record, news, cutoff)
        found = plan.found(news, topics, cutoff, record, result, head)
        if not found:
            click.echo(plan.nothing_new(cutoff), err=True)
        if folder is not None:
            _write(folder, found, head)
        if server is not None and listed is not None and found:
            _send(root, server, found, listed, record, head)


def _refuse_combinations(folder: Path | None, send: bool, to: Path | None, sender: str | None) -> None:
    from plaintrust.actions.notify import recipients

    if folder is None and not send:
        raise click.UsageError("nothing to do: -o DIR writes the messages, --send --to FILE sends them")
    if send and to is None:
        raise click.UsageError("--send needs --to FILE, the recipients' addresses")
    if to is not None and not send:
        raise click.UsageError("--to names recipients for --send: add --send, or leave --to out")
    if send and not sender:
        raise click.UsageError(f"--send needs the sender's address: --from ADDRESS (or {FROM_ENV})")
    if sender and not recipients.is_address(sender):
        raise click.BadParameter(f"{sender!r} is not a plain email address (name@example.com)", param_hint="--from")


def _recipients(to: Path, root: Path) -> recipients.Recipients:
    """The addresses of --to; every bad line reported, and nothing sent, when there is one."""
    from plaintrust.actions.notify import recipients
    from plaintrust.load.mkdocs_config import read_settings

    settings, _ = read_settings(root)
    recipients.refuse_shared(to, root, (settings.docs_dir, settings.site_dir))
    if recipients.tracked(to, root):
        click.echo(f"warning: git tracks {to}: every clone of the repository holds these addresses", err=True)
    found = recipients.read(to, _shown(to, root))
    if found.diagnostics:
        click.echo(text(found.diagnostics), err=True, nl=False)
    if any(d.severity == Severity.ERROR for d in found.diagnostics):
        click.echo("nothing was sent: fix the lines above", err=True)
        sys.exit(ExitCode.FINDINGS)
    return found


def _shown(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def _news(root: Path) -> tuple[pipeline.Result, News]:
    from plaintrust import pipeline
    from plaintrust.actions.notify.news import gather

    result = pipeline.run(root)
    if result.failed():
        click.echo(text(result.diagnostics), err=True, nl=False)
        click.echo("nothing was written or sent: fix the problems above first", err=True)
        sys.exit(ExitCode.FINDINGS)
    return result, gather(result)


def _write(folder: Path, found: tuple[Digest, ...], head: Letterhead) -> None:
    from plaintrust.actions.notify import deliver
    from plaintrust.actions.notify.messages import subject

    written = deliver.files(found, head)
    for name, data in written.items():
        save(folder / name, data)
    for old in deliver.stale(folder, written):
        try:
            old.unlink()
        except OSError as exc:
            raise click.FileError(str(old), hint=exc.strerror or str(exc)) from None
        click.echo(f"removed {old}: no news of its topic now", err=True)
    for digest in found:
        click.echo(f"wrote {folder / (digest.topic + deliver.SUFFIX)}: {subject(head.organization, digest)}", err=True)
    if found and head.to(None).unsubscribe is None:
        click.echo(
            "the messages carry no List-Unsubscribe (pass --unsubscribe URL without "
            f"{PLACEHOLDER}, or let the mailing-list tool add its own)",
            err=True,
        )


def _send(
    root: Path,
    server: smtp.Server,
    found: tuple[Digest, ...],
    listed: recipients.Recipients,
    record: state.Record,
    head: Letterhead,
) -> None:
    from plaintrust.actions.notify import deliver, smtp

    refused: list[str] = []
    with smtp.connected(server) as connection:
        if not connection.encrypted:
            click.echo(f"{server.host} offers no STARTTLS: the messages go unencrypted", err=True)
        done = lambda outcome: _said(outcome, listed, refused)  # noqa: E731 - a local shorthand
        deliver.send(root, found, listed.addresses, record, head, connection, done)
    if refused:
        click.echo(f"{len(refused)} recipients refused (above): they get it on the next run", err=True)
        sys.exit(ExitCode.FINDINGS)


def _said(outcome: deliver.Outcome, listed: recipients.Recipients, refused: list[str]) -> None:
    click.echo(outcome.say(lambda address: f"the address on line {listed.line_of(address)} of --to"), err=True)
    refused += [who for who, _ in outcome.refused]
