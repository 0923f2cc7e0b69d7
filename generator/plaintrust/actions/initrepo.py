"""`plaintrust init DIR`: a new trust-center repository that passes `check` and builds as is.

The files are package data under templates/init/, copied with placeholders filled in:
`{{organization}}`, `{{site_name}}` and `{{plaintrust_requirement}}` (the pip requirement the
workflow installs, see installsource.py) as YAML scalars, and `{{today}}` / `{{year}}`, so the
example evidence is current on the day it is made. A template named `dot-x` becomes `.x`:
setuptools' package-data globs skip hidden files, so they cannot ship under their real names.

Then the JSON Schemas go into schemas/ (the YAML files name them in their first line) and the
evidence files are pinned, exactly as `plaintrust evidence pin` would, which starts the ledger.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from plaintrust import pipeline, schemas, yamltext
from plaintrust.actions import installsource
from plaintrust.actions import pin as pinning
from plaintrust.diagnostics import Diagnostic
from plaintrust.errors import Refused
from plaintrust.evidence import ledger

TEMPLATES = ("templates", "init")
DOT = "dot-"
_PLACEHOLDER = re.compile(r"\{\{([a-z_]+)\}\}")
SCHEMA_DIR = "schemas"


@dataclass(frozen=True)
class Created:
    files: tuple[str, ...]  # written, relative to the new repository, '/'-separated
    pinned: tuple[pinning.Pinned, ...]
    diagnostics: tuple[Diagnostic, ...]  # what `plaintrust check` says about the new repository
    source: installsource.Source  # what the generated workflow installs
    git: bool = False  # a git repository was initialised


def check_organization(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or any(ord(c) < 32 or c == "\x7f" for c in cleaned):
        raise Refused("--organization must be a name on one line")
    return cleaned


def values(organization: str, today: dt.date, requirement: str = "") -> dict[str, str]:
    return {
        "organization": yamltext.scalar(organization),
        "site_name": yamltext.scalar(f"{organization} Trust Center"),
        "plaintrust_requirement": yamltext.scalar(requirement),
        "today": today.isoformat(),
        "year": str(today.year),
    }


def _walk(folder: Traversable, prefix: str = "") -> list[tuple[str, Traversable]]:
    found = []
    for item in sorted(folder.iterdir(), key=lambda i: i.name):
        if item.name == "__pycache__":
            continue
        name = "." + item.name[len(DOT) :] if item.name.startswith(DOT) else item.name
        rel = f"{prefix}{name}"
        found.extend(_walk(item, rel + "/") if item.is_dir() else [(rel, item)])
    return found


def render(text: str, filled: dict[str, str]) -> str:
    return _PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group(0)), text)


def plan(organization: str, today: dt.date, requirement: str = "") -> dict[str, bytes]:
    """Relative path -> content of every template file, placeholders filled in (sorted by path)."""
    filled = values(organization, today, requirement)
    root = resources.files("plaintrust").joinpath(*TEMPLATES)
    return {rel: render(item.read_text("utf-8"), filled).encode("utf-8") for rel, item in _walk(root)}


def ensure_usable(directory: Path, force: bool) -> None:
    if directory.exists() and not directory.is_dir():
        raise Refused(f"{directory} exists and is not a folder")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise Refused(
            f"{directory} is not empty; choose a new folder, or add --force to write the example files into it"
        )


def check_requirement(requirement: str) -> str:
    cleaned = requirement.strip()
    if cleaned and not installsource.REQUIREMENT.match(cleaned):
        raise Refused(
            "--source must name plaintrust, pinned by version ('plaintrust==0.1.0') or by URL "
            "('plaintrust @ git+https://HOST/ORG/plaintrust@COMMIT'), without credentials, "
            "markers or pip options"
        )
    return cleaned


def create(
    directory: Path,
    organization: str,
    moment: dt.datetime,
    *,
    force: bool = False,
    source: installsource.Source | None = None,
    git: bool = False,
) -> Created:
    """Write the repository, its schemas and pins; then check it as `plaintrust check` would."""
    ensure_usable(directory, force)
    source = source or installsource.detect()
    if git and shutil.which("git") is None:
        raise Refused("--git needs git, which is not installed here (or leave --git out)")
    files = plan(check_organization(organization), moment.date(), check_requirement(source.requirement or ""))
    for rel, data in files.items():
        target = directory / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    written = [*files, *(f"{SCHEMA_DIR}/{n}" for n in schemas.write_all(directory / SCHEMA_DIR))]
    outcome = _pin(directory, moment)
    if outcome.entries:
        written.append("evidence/ledger.jsonl")
    # Neither cache (documents, or the hashes that `rehash` skips): a fresh repository should not
    # start with a .plaintrust-cache/ folder.
    checked = pipeline.run(directory, rehash=True, cache=False)
    if git:
        _git_init(directory)
    return Created(
        tuple(sorted(written)), outcome.pinned, tuple(outcome.diagnostics) + checked.diagnostics, source, git
    )


def _git_init(directory: Path) -> None:
    """`git init` on branch `main`, the branch the generated workflow publishes from (git's own default
    may be `master`). A folder that is a repository already keeps its history and its branch."""
    existed = (directory / ".git").exists()
    commands = [["git", "init", "--quiet", str(directory)]]
    if not existed:
        commands.append(["git", "-C", str(directory), "symbolic-ref", "HEAD", "refs/heads/main"])
    for command in commands:
        done = subprocess.run(command, capture_output=True, text=True)
        if done.returncode != 0:
            raise Refused(f"{' '.join(command[:2])} failed: {done.stderr.strip() or done.returncode}")


def _pin(directory: Path, moment: dt.datetime) -> pinning.Outcome:
    result = pipeline.run(directory, rehash=True, cache=False)
    records, _ = pinning.select(directory, result.model, ())
    outcome = pinning.pin(directory, result, records, update=False, moment=moment, all_records=True)
    # `check` below reports whatever stopped a pin again; keep only what it cannot see (the ledger).
    ledger_problems = tuple(d for d in outcome.diagnostics if d.rule in ledger.UNUSABLE or d.rule == pinning.PIN)
    return pinning.Outcome(outcome.pinned, outcome.entries, ledger_problems, outcome.refused)
