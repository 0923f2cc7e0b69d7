"""Which files of a trust-center repository are read, and as what.

Every entry is looked at before anything reads it, since a link or a special file under the
repository's folders could otherwise feed a host file into a message or the public site, or hang
a build:

- under `site/` and the theme's `custom_dir` (all of it is published) nothing may be a symbolic
  link, and only plain files and folders are allowed;
- under `controls/`, `evidence/`, `policies/`, `answers/` and `frameworks/` a link may point only
  inside the repository; a linked folder under the first four is reported and never followed, while
  each of those folders may itself be a link to a folder inside the repository (it is read through
  it: a link to nothing or to a file is reported);
- every name must be UTF-8 without control characters;
- `site/updates/` holds notices (`updates/*.md`) and nothing else, so a notice saved under another
  name can never skip the notice rules and be published as an ordinary page;
- `policies/` holds policies (`*.md`) and `answers/` holds answers (`*.yaml`, `*.yml`) and nothing
  else, so a policy saved as `x.markdown` or `X.MD`, or an answer saved as `mfa.json` or `mfa.YAML`,
  is never silently left out of the checks, the trust center, the gap report or an export.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from plaintrust.boundary.pagenames import MARKDOWN_SUFFIXES
from plaintrust.diagnostics import Diagnostic, Location, shown_path

YAML_SUFFIXES = (".yaml", ".yml")
PROGRAM = "controls/program.yaml"
CONFIG = "mkdocs.yml"
TRUST = "site/trust.yaml"
UPDATES = "updates/"
_BAD_NAME = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")  # control characters; bytes that were not UTF-8


@dataclass(frozen=True)
class Found:
    """Paths relative to the repository root, with forward slashes, sorted."""

    program: str | None
    controls: tuple[str, ...]
    evidence: tuple[str, ...]
    trust: str | None
    updates: tuple[str, ...]
    policies: tuple[str, ...] = ()  # policies/**/*.md
    answers: tuple[str, ...] = ()  # answers/**/*.yaml
    shadowed: tuple[str, ...] = ()  # a program.yml or trust.yml next to its .yaml twin
    site_pages: tuple[str, ...] = ()  # every Markdown page under site/, relative to site/
    # every file under site/, relative to it; hidden ones too (MkDocs leaves them out unless
    # exclude_docs or an include brings them in: they are screened all the same)
    site_files: tuple[str, ...] = ()
    problems: tuple[Diagnostic, ...] = field(default=(), compare=False)


def find(root: Path) -> Found:
    problems: list[Diagnostic] = []
    site = _site_files(root, problems)
    controls = [
        p for p in walk(root, "controls", YAML_SUFFIXES, problems) if p not in (PROGRAM, "controls/program.yml")
    ]
    return Found(
        program=_first_existing(root, problems, PROGRAM, "controls/program.yml"),
        controls=tuple(controls),
        evidence=tuple(walk(root, "evidence", YAML_SUFFIXES, problems)),
        trust=next((f"site/{p}" for p in ("trust.yaml", "trust.yml") if p in site), None),
        updates=tuple(f"site/{p}" for p in site if _is_notice(p) and not _hidden(p)),
        policies=tuple(_policies(root, problems)),
        answers=tuple(_answers(root, problems)),
        shadowed=tuple(
            p
            for p in ("controls/program.yml", "site/trust.yml")
            if (root / p).is_file() and (root / p).with_suffix(".yaml").is_file()
        ),
        site_pages=tuple(p for p in site if p.endswith(MARKDOWN_SUFFIXES) and not _hidden(p)),
        site_files=tuple(site),
        problems=tuple(problems),
    )


def walk(root: Path, folder: str, suffixes: tuple[str, ...], problems: list[Diagnostic] | None = None) -> list[str]:
    """Files under `folder` with one of `suffixes`; hidden entries skipped; linked folders reported
    and not followed (`folder` itself is, when it stays in the repository); a link out of the
    repository, a special file or an unreadable name reported and skipped."""
    found: list[str] = []
    problems = problems if problems is not None else []
    # a linked top folder leading out could read any folder of the machine
    if not _outside(root, folder, problems) and _top_folder(root, folder, problems):
        _walk(root, folder, suffixes, found, problems)
    return sorted(found)


def _top_folder(root: Path, folder: str, problems: list[Diagnostic]) -> bool:
    """Whether `folder` can be read; a link in its place to nothing or to a file is reported (absent
    otherwise, it would read as an empty folder)."""
    path = root / folder
    if not path.is_symlink() or path.is_dir():
        return True
    target = shown_path(os.readlink(path))
    what = "is not a folder" if path.exists() else "does not exist"
    problems.append(
        Location(folder).error(
            "symlink-folder",
            f"{folder} is a symbolic link to {target!r}, which {what}: nothing under {folder}/ is read",
            f"make {folder} a folder of the repository, or link it to one",
        )
    )
    return False


def _walk(root: Path, rel: str, suffixes: tuple[str, ...], found: list[str], problems: list[Diagnostic]) -> None:
    try:
        entries = list(os.scandir(root / rel))
    except OSError:
        return
    for entry in entries:  # a plain file or folder costs no system call beyond the listing
        path = f"{rel}/{entry.name}"
        if entry.name.startswith("."):
            continue
        if entry.is_symlink():  # a linked file is read when it stays in the repository; a linked folder never
            if entry.is_dir():
                _linked_folder(root, path, problems)
            elif entry.name.endswith(suffixes) and _readable(root, path, problems):
                found.append(path)
        elif entry.is_dir(follow_symlinks=False):
            _walk(root, path, suffixes, found, problems)
        elif entry.name.endswith(suffixes) and _readable(root, path, problems, entry):
            found.append(path)


def _linked_folder(root: Path, rel: str, problems: list[Diagnostic]) -> None:
    """A linked folder is never followed (a loop of links could never end): its files are not read."""
    if _outside(root, rel, problems) or not _good_name(rel, problems):
        return
    shown = shown_path(rel)
    problems.append(
        Location(shown).error(
            "symlink-folder",
            f"{shown} is a linked folder: it is not followed, so nothing in it is read",
            "make it a real folder (move the files in), or link each file instead",
        )
    )


def _readable(root: Path, rel: str, problems: list[Diagnostic], entry: os.DirEntry | None = None) -> bool:
    if not _good_name(rel, problems) or (entry is None and _outside(root, rel, problems)):
        return False
    if entry is not None and entry.is_file(follow_symlinks=False):
        return True
    try:
        mode = os.stat(root / rel).st_mode
    except OSError as exc:
        problems.append(Location(rel).error("io", f"cannot read the file: {exc.strerror}"))
        return False
    if not stat.S_ISREG(mode):
        problems.append(Location(rel).error("not-a-file", f"{rel} is {_kind(mode)}, not a file", "remove it"))
        return False
    return True


def _outside(root: Path, rel: str, problems: list[Diagnostic]) -> bool:
    """True (and reported) for a symbolic link that leads out of the repository."""
    path = root / rel
    if not path.is_symlink():
        return False
    if Path(os.path.realpath(path)).is_relative_to(root.resolve()):
        return False
    problems.append(
        Location(shown_path(rel)).error(
            "symlink-outside",
            f"{shown_path(rel)} is a symbolic link that leads out of the repository; it is not read",
            "copy the file into the repository instead",
        )
    )
    return True


def _good_name(rel: str, problems: list[Diagnostic]) -> bool:
    if _BAD_NAME.search(rel) is None:
        return True
    shown = shown_path(rel)
    problems.append(
        Location(shown).error(
            "file-name",
            f"{shown} has a name that is not UTF-8 or holds a control character; it is not read",
            "rename it with printable UTF-8 characters",
        )
    )
    return False


def _policies(root: Path, problems: list[Diagnostic]) -> list[str]:
    """policies/**/*.md; any other file there (hidden ones aside) is reported and skipped."""
    found = walk(root, "policies", ("",), problems)
    for rel in found:
        if not rel.endswith(".md"):
            problems.append(
                Location(rel).error(
                    "policy-stray",
                    f"{rel} is not a policy: policies/ holds only policies named *.md",
                    "rename it to <name>.md (lowercase .md), or move it out of policies/",
                )
            )
    return [rel for rel in found if rel.endswith(".md")]


def _answers(root: Path, problems: list[Diagnostic]) -> list[str]:
    """answers/**/*.yaml|yml; any other file there (hidden ones aside) is reported and skipped."""
    found = walk(root, "answers", ("",), problems)
    for rel in found:
        if not rel.endswith(YAML_SUFFIXES):
            problems.append(
                Location(rel).error(
                    "answer-stray",
                    f"{rel} is not an answer: answers/ holds only answers named *.yaml or *.yml",
                    "rename it to <name>.yaml (lowercase .yaml), or move it out of answers/",
                )
            )
    return [rel for rel in found if rel.endswith(YAML_SUFFIXES)]


def _first_existing(root: Path, problems: list[Diagnostic], *candidates: str) -> str | None:
    for rel in candidates:
        if (root / rel).exists() or (root / rel).is_symlink():
            return rel if _readable(root, rel, problems) else None
    return None


def _is_notice(rel: str) -> bool:
    return rel.startswith(UPDATES) and rel.count("/") == 1 and rel.endswith(".md")


def _site_files(root: Path, problems: list[Diagnostic]) -> list[str]:
    """Every published file under site/, relative to it; links and special files refused."""
    found = _published(root, "site", problems)
    for rel in found:
        if rel.startswith(UPDATES) and not _is_notice(rel) and not _hidden(rel):
            problems.append(
                Location(f"site/{rel}").error(
                    "update-stray",
                    f"site/{rel} is not a notice: site/updates/ holds only notices named *.md",
                    "rename it to site/updates/<name>.md, or move it out of site/updates/",
                )
            )
    return sorted(found)


def theme_files(root: Path, custom_dir: str) -> tuple[list[str], list[Diagnostic]]:
    """The files of the theme's custom_dir (copied into the site or rendered into its pages), relative
    to the repository; the same refusals as under site/."""
    problems: list[Diagnostic] = []
    found = _published(root, posixpath.normpath(custom_dir), problems)
    return [f"{posixpath.normpath(custom_dir)}/{rel}" for rel in found if not _hidden(rel)], problems


def _published(root: Path, folder: str, problems: list[Diagnostic]) -> list[str]:
    """Regular files under `folder` (relative to it, hidden ones included), which is published:
    a link (the folder itself included), a special file, a file with other names (a hard link: it
    may be a host file) or a mount point is refused and skipped."""
    if (root / folder).is_symlink():
        problems.append(_link_problem(root, folder))
        return []
    found: list[str] = []
    try:
        device = os.stat(root / folder).st_dev
    except OSError:
        return found
    _scan(root, folder, "", device, found, problems)
    return found


def _scan(root: Path, folder: str, prefix: str, device: int, found: list[str], problems: list[Diagnostic]) -> None:
    try:
        entries = sorted(os.scandir(root / folder / prefix), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = prefix + entry.name
        if not _good_name(f"{folder}/{rel}", problems):
            continue
        if entry.is_symlink():
            problems.append(_link_problem(root, f"{folder}/{rel}"))
            continue
        info = entry.stat(follow_symlinks=False)
        problem = _foreign(f"{folder}/{rel}", info, device)
        if problem:
            problems.append(problem)
        elif stat.S_ISDIR(info.st_mode):
            _scan(root, folder, rel + "/", device, found, problems)
        elif stat.S_ISREG(info.st_mode):
            found.append(rel)


def _foreign(rel: str, info: os.stat_result, device: int) -> Diagnostic | None:
    """Why an entry of a published folder is not simply one of its own files, if it is not."""
    where = Location(rel)
    if info.st_dev != device:
        return where.error(
            "mount-point",
            f"{rel} is another file system mounted here: nothing published may be",
            "copy the files in instead of mounting them",
        )
    if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
        return where.error(
            "hard-link",
            f"{rel} has {info.st_nlink} names (a hard link): it may be a file from elsewhere on this machine",
            "copy the file instead of linking it",
        )
    if not (stat.S_ISREG(info.st_mode) or stat.S_ISDIR(info.st_mode)):
        return where.error(
            "not-a-file", f"{rel} is {_kind(info.st_mode)}, not a file: nothing published may be", "remove it"
        )
    return None


def _link_problem(root: Path, rel: str) -> Diagnostic:
    target = os.readlink(root / rel)
    return Location(rel).error(
        "site-symlink",
        f"{rel} is a symbolic link (to {shown_path(target)!r}): nothing published may be a link, whatever it points to",
        "copy the file in instead of linking to it",
    )


def _hidden(rel: str) -> bool:
    """MkDocs leaves out every file or folder whose name starts with a dot."""
    return any(part.startswith(".") for part in rel.split("/"))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "a special file"
