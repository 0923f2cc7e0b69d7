"""An evidence file's path leads out of evidence/ (absolute, `..`, a symbolic link) or uses backslashes.

It fires at `files[].path` of an evidence record when the path starts with `/` or a drive letter
such as `C:`, goes above evidence/ through `..`, reaches a file outside evidence/ through a
symbolic link, or holds a backslash (paths use `/` on every system). Such a file is not read.

A file outside evidence/ is not under the repository's review and could be anything, including a
file that must never be published.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, give the path relative to evidence/, with `/`. For a symbolic link that leads out, copy
the file into evidence/ instead.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.core import FileStatus
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "evidence-path-outside"
READS_FILES = False

_WHY = {
    FileStatus.ABSOLUTE: "is absolute",
    FileStatus.ESCAPES: "leaves evidence/ through '..'",
    FileStatus.SYMLINK_ESCAPES: "leads out of evidence/ through a symbolic link",
    FileStatus.BACKSLASH: "uses backslashes",
}

_HINT = {
    False: "give a path relative to evidence/, with '/'",
    True: "copy the file into evidence/ instead of linking to it",
}


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        for index, item in enumerate(record.files):
            why = _WHY.get(item.fact.status)
            if why:
                where = record.source.at("files", index, "path")
                yield where.error(
                    ID, f"the path '{item.path}' {why}", _HINT[item.fact.status is FileStatus.SYMLINK_ESCAPES]
                )
