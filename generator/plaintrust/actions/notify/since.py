"""--since: a day (YYYY-MM-DD) or a git ref, as the moment news counts from.

The entries carry days more often than times (a subprocessor is added on a day, at midnight UTC),
so both forms stand for the start of a day, UTC: a ref for the day of its commit. An entry dated
that day counts, even when the commit came later that day; the record of what was sent keeps that
from sending anything twice. A day after the build's is refused: a typo such as 2027 for 2026 would
silence every digest until then.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

from plaintrust.clock import midnight
from plaintrust.errors import Refused
from plaintrust.load import gitrun
from plaintrust.words import day_words

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
HINT = "--since"


@dataclass(frozen=True)
class Since:
    moment: dt.datetime  # midnight UTC of the day news counts from
    said: str  # how the user gave it, for messages: "1 November 2026" or "v1.0 (1 November 2026)"


def resolve(root: Path, given: str, today: dt.date) -> Since:
    """The start of the day `given` names: a date, else the commit date of a git ref of `root`; a
    usage error when that day comes after `today`."""
    if _DAY.fullmatch(given):
        try:
            day = dt.date.fromisoformat(given)
        except ValueError:
            raise Refused(f"{given!r} is no day of the calendar (write YYYY-MM-DD)", HINT) from None
        said = day_words(day)
    else:
        day = commit_day(root, checked_ref(given))
        said = f"{given} ({day_words(day)})"
    if day > today:
        raise Refused(
            f"{said} is after today ({day_words(today)}): nothing would count as news until then; "
            "give the day news counts from",
            HINT,
        )
    return Since(midnight(day), said)


def checked_ref(name: str) -> str:
    """`name` when git can only read it as a revision, never as an option."""
    if not name.strip():
        raise Refused("empty: give a day (YYYY-MM-DD) or a git branch, tag or commit", HINT)
    if name.startswith("-"):
        raise Refused(f"{name!r} starts with '-', so it cannot be a git name (git would read an option)", HINT)
    if any(c in name for c in "\0\n\r"):
        raise Refused("it holds a line break or NUL, which no git name has", HINT)
    return name


def commit_day(root: Path, ref: str) -> dt.date:
    """The committer's day (UTC) of the commit `ref` names in the repository at `root`."""
    found = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
    if found.returncode != 0:
        raise Refused(
            f"no commit, branch or tag named {ref!r} here (a shallow clone may lack it): "
            "give a day (YYYY-MM-DD) or a ref of this repository",
            HINT,
        )
    commit = found.stdout.decode("ascii", "replace").strip()
    stamp = _git(root, "show", "-s", "--format=%ct", commit).stdout.decode("ascii", "replace").strip()
    if not stamp.isdigit():
        raise Refused(f"git could not tell when {ref!r} was committed", HINT)
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date()


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return gitrun.run(root, args)
    except gitrun.GitMissing:
        raise Refused("a git ref needs git, which is not installed: give a day (YYYY-MM-DD)", HINT) from None
    except gitrun.GitError as exc:
        raise Refused(f"git {args[0]}: {exc}", HINT) from None
