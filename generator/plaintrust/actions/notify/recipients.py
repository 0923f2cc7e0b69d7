"""--to FILE: who gets the digests, one address a line; never a file the site publishes, nor one in
notifications/ (the CI jobs commit that folder), and a warning when git tracks it.

Blank lines and lines starting with `#` are skipped. Every line that is not a plain address
(`name@example.com`, ASCII, no display name) is reported with its line number, all of them at once,
and then nothing is sent: a typo must not send to some and not to others.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from plaintrust.actions.notify.state import FOLDER
from plaintrust.diagnostics import Diagnostic, Location, shown_path
from plaintrust.errors import Refused
from plaintrust.load import gitrun

RULE = "notify-recipient"
HINT = "--to"
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})+")
_LONGEST = 254  # characters: what SMTP carries in a path (RFC 5321)
_LARGEST = 16 * 2**20  # bytes: a list of addresses is far smaller; a device or a mistake is not read whole


@dataclass(frozen=True)
class Recipients:
    addresses: tuple[str, ...]  # in file order, each once
    diagnostics: tuple[Diagnostic, ...]  # errors: nothing may be sent; warnings: lines skipped
    lines: tuple[int, ...] = ()  # the line of each address: how a log names one, never by the address

    def line_of(self, address: str) -> int:
        return self.lines[self.addresses.index(address)]


def is_address(text: str) -> bool:
    """Whether `text` is one plain address an SMTP server takes as it is."""
    return len(text) <= _LONGEST and ADDRESS.fullmatch(text) is not None


def refuse_shared(path: Path, root: Path, published: tuple[str, ...]) -> None:
    """A usage error when `path` lies in one of `published` (folders of `root`: the site's sources
    and the built site) or in notifications/, as written or where a link leads: the addresses
    would be published, or committed with the record."""
    places = {Path(os.path.abspath(path)), path.resolve()}
    why = {folder: "which is published" for folder in published} | {FOLDER: "which the notify CI jobs commit"}
    for folder, said in why.items():
        top = (root / folder).resolve()
        if any(place == top or top in place.parents for place in places):
            raise Refused(f"{path} is in {folder}/, {said}: keep the addresses outside it", HINT)


def tracked(path: Path, root: Path) -> bool:
    """Whether git tracks the file at `path` in the repository at `root`: then every clone holds
    the addresses. False when it cannot tell (no git, not a repository, a file outside it)."""
    try:
        inside = path.resolve().relative_to(root.resolve())
        done = gitrun.run(root, ("ls-files", "--error-unmatch", "--", f":(literal){inside.as_posix()}"))
    except (ValueError, gitrun.GitError):
        return False
    return done.returncode == 0


def read(path: Path, shown: str) -> Recipients:
    """The addresses of the file at `path` (`shown`: its name in diagnostics)."""
    where = Location(shown_path(shown))
    try:
        with path.open("rb") as stream:
            data = stream.read(_LARGEST + 1)
    except OSError as exc:
        return Recipients((), (where.error(RULE, f"cannot read it: {exc.strerror or exc}"),))
    if len(data) > _LARGEST:
        return Recipients((), (where.error(RULE, f"it is larger than {_LARGEST // 2**20} MB: no list of addresses"),))
    try:
        return _parsed(data.decode("utf-8-sig").splitlines(), where.path)
    except UnicodeDecodeError:
        return Recipients((), (where.error(RULE, "it is not UTF-8 text"),))


def _parsed(lines: list[str], where: str) -> Recipients:
    found: dict[str, int] = {}  # the address, lower-cased -> its first line
    addresses: list[tuple[str, int]] = []
    problems: list[Diagnostic] = []
    for number, line in enumerate(lines, start=1):
        address = line.strip()
        if not address or address.startswith("#"):
            continue
        problem = _problem(address, found, Location(where, number))
        if problem is not None:
            problems.append(problem)
            continue
        found[address.lower()] = number
        addresses.append((address, number))
    if not addresses and not problems:
        problems.append(Location(where).error(RULE, "it lists no address", "one address a line"))
    return Recipients(tuple(a for a, _ in addresses), tuple(problems), tuple(n for _, n in addresses))


def _problem(address: str, found: dict[str, int], where: Location) -> Diagnostic | None:
    if address.lower() in found:
        return where.warning(RULE, f"listed again (first on line {found[address.lower()]}): it gets one message")
    if not is_address(address):
        shown = address if address.isprintable() and len(address) <= 80 else "this line"
        return where.error(RULE, f"{shown!r} is not a plain email address", "one address a line, as name@example.com")
    return None
