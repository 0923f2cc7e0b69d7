"""The `plaintrust` command: thin click commands over the pipeline; each maps its result to an exit code.

Each command's module is imported when that command runs (or when `--help` lists them all): `check`
runs on every commit and should not pay for `notify`'s email or `build`'s templates.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator, Mapping, MutableMapping

import click

from plaintrust import __version__
from plaintrust.cli.options import HelpGroup
from plaintrust.errors import ExitCode

# Every command by its name -> "module:attribute" of its click command. The modules keep their own
# names (plaintrust.cli.evidence is the module, its group plaintrust.cli.evidence.evidence), so tests
# and tools can reach into each.
COMMANDS = {
    "answers": "plaintrust.cli.answers:answers",
    "audit-package": "plaintrust.cli.audit:audit_package",
    "build": "plaintrust.cli.repository:build",
    "check": "plaintrust.cli.repository:check",
    "evidence": "plaintrust.cli.evidence:evidence",
    "export": "plaintrust.cli.workflow:export",
    "gaps": "plaintrust.cli.repository:gaps",
    "impact": "plaintrust.cli.impact:impact",
    "import": "plaintrust.cli.workflow:import_controls",
    "init": "plaintrust.cli.workflow:init",
    "notify": "plaintrust.cli.notify:notify",
    "policies": "plaintrust.cli.policies:policies",
    "policy": "plaintrust.cli.policies:policy",
    "schema": "plaintrust.cli.repository:schema",
    "serve": "plaintrust.cli.repository:serve",
    "update": "plaintrust.cli.update:update",
}


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands, each imported from its "module:attribute" when first looked up. Names
    alone (listing them, suggesting one for a typo) import nothing."""

    def __init__(self, places: Mapping[str, str]) -> None:
        self.places = dict(places)
        self.loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self.loaded:
            module, attribute = self.places[name].split(":")  # a KeyError for an unknown name, as a dict
            self.loaded[name] = getattr(importlib.import_module(module), attribute)
        return self.loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if name not in self:
            raise KeyError(name)
        self.places.pop(name, None)
        self.loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self.places or name in self.loaded  # by name: Mapping's own would import

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self.places, *self.loaded]))

    def __len__(self) -> int:
        return len(self.places.keys() | self.loaded.keys())


@click.group(cls=HelpGroup, commands=LazyCommands(COMMANDS), context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="plaintrust")
def cli() -> None:
    """Turn compliance controls and evidence kept in YAML into a public trust center and an auditor's gap report."""


def main() -> None:
    """Entry point: click handles usage errors (exit 2); anything unexpected is a bug (exit 3)."""
    try:
        cli.main(prog_name="plaintrust")
    except Exception:  # noqa: BLE001 - the last line of defence
        click.echo(
            "plaintrust: internal error (a bug, not a problem in your files); please report it with this trace:",
            err=True,
        )
        import traceback  # only for a bug: not worth importing on every run

        click.echo(traceback.format_exc(), err=True)
        sys.exit(ExitCode.INTERNAL)
