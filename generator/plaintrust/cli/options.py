"""Options that several commands share, declared once here (as MkDocs shares `common_config_options`).

Every command module imports them from here, so `--root` or `--format` reads and behaves the same
in every command, and its help is written once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import click

from plaintrust.reporters import REPORTERS

if TYPE_CHECKING:
    from plaintrust.model import Framework, Program

F = TypeVar("F", bound=Callable)

DIAGNOSTIC_FORMATS = tuple(sorted(REPORTERS))

root_option = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The trust-center repository.",
)

framework_option = click.option(
    "--framework", "framework_id", metavar="ID", help="Only this framework of program.yaml."
)


def framework_named(program: Program, framework_id: str) -> Framework:
    """The framework --framework names; a usage error listing program.yaml's frameworks when there is none."""
    framework = program.framework(framework_id)
    if framework is None:
        declared = ", ".join(f.id for f in program.frameworks)
        raise click.BadParameter(f"{framework_id!r} is not one of {declared}", param_hint="--framework")
    return framework


def format_option(
    choices: Iterable[str] = DIAGNOSTIC_FORMATS, default: str = "text", help: str = "How to print diagnostics."
) -> Callable[[F], F]:
    """`--format`, stored as `fmt`: diagnostics by default; a command printing something else
    (a report, a list) passes its own choices and says what is printed."""
    return click.option(
        "--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True, help=help
    )


diagnostics_format_option = format_option()


def output_option(help: str) -> Callable[[F], F]:
    """`-o/--output`, a report's file, standard output by default; `help` says which files it may never be."""
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
        default=Path("-"),
        show_default=True,
        help=help,
    )


def date_option(*names: str, help: str) -> Callable[[F], F]:
    """A day on the command line, written and shown as YYYY-MM-DD (click would show `[%Y-%m-%d]`)."""
    return click.option(*names, type=click.DateTime(formats=["%Y-%m-%d"]), metavar="YYYY-MM-DD", help=help)


strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


class HelpGroup(click.Group):
    """A command group that, typed alone, prints its help and exits 0: someone asking what it can do
    made no mistake. (click's own `no_args_is_help` exits 2, as for a usage error.)"""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args and not ctx.resilient_parsing:
            click.echo(ctx.get_help(), color=ctx.color)
            ctx.exit()
        return super().parse_args(ctx, args)
