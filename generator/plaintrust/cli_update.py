"""`plaintrust update new`: start a security notice with every section and time filled in."""

from __future__ import annotations

from pathlib import Path

import click

from plaintrust import clock, notices
from plaintrust.errors import PlaintrustError

SEVERITIES = ("informational", "low", "medium", "high", "critical")
STATUSES = ("investigating", "identified", "monitoring", "resolved")


@click.group()
def update() -> None:
    """Security updates and incident notices (site/updates/*.md)."""


@update.command("new")
@click.argument("title")
@click.option("--root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=Path("."),
              show_default=True, help="The trust-center repository.")
@click.option("--severity", type=click.Choice(SEVERITIES), default="low", show_default=True)
@click.option("--status", type=click.Choice(STATUSES[:-1]), default="investigating", show_default=True)
@click.option("--affected", default="We are still establishing who is affected.", show_default=True,
              help="Who is affected, and which data.")
def new(title: str, root: Path, severity: str, status: str, affected: str) -> None:
    """Write site/updates/<date>-<title>.md; `check` fails until its TODO sections are written."""
    name, text = notices.scaffold(title, severity, status, affected, clock.now())
    target = root / "site" / "updates" / name
    if target.exists():
        raise PlaintrustError(f"{target} already exists; edit it, or choose another title")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(target)
