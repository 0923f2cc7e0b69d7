"""Evidence file paths must stay inside evidence/: no absolute paths, no `..` out, no symlinks out.

Anything outside evidence/ is not under the repository's review and could be anything, including a
file that must never be published; paths use forward slashes on every system.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.load.paths import FileStatus
from plaintrust.model import Model

ID = "evidence-path-outside"

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
                yield where.error(ID, f"the path '{item.path}' {why}", _HINT[item.fact.status is FileStatus.SYMLINK_ESCAPES])
