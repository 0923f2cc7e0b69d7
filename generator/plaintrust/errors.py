"""Exit codes and the small exception tree the CLI maps onto them."""

from __future__ import annotations

import enum

import click


class ExitCode(enum.IntEnum):
    OK = 0
    FINDINGS = 1  # errors, or warnings under --strict
    USAGE = 2
    INTERNAL = 3


class PlaintrustError(click.ClickException):
    """A problem the user can act on that is not a finding in their files (e.g. a build that cannot be written)."""

    exit_code = ExitCode.FINDINGS


class BuildFailed(PlaintrustError):
    """The build stopped; the previous output was left untouched."""


class Refused(click.BadParameter):
    """The command line asks for something that cannot work: a usage error (exit 2), whichever
    module finds it. Shown, as click shows its own, under the usage line of the running command,
    with `param_hint` (the option or argument at fault) when one alone is."""

    exit_code = ExitCode.USAGE

    def __init__(self, message: str, param_hint: str | None = None) -> None:
        # Raised inside a command, so the current context is that command's: its usage line.
        super().__init__(message, click.get_current_context(silent=True), param_hint=param_hint)

    def format_message(self) -> str:
        return super().format_message() if self.param_hint else self.message
