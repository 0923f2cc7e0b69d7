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
