"""A file that an evidence record lists under `files` does not exist, is not a regular file, or cannot be read.

It fires at `files[].path` (a path relative to evidence/) when nothing is there, when it names a
folder or anything else that is not a regular file, or when the file's bytes cannot be read (check
its permissions). A path that leaves evidence/ is evidence-path-outside's to report instead.

The record claims proof that is not there: the gap report counts the controls that link it (or
its series) as only partly effective, and `plaintrust evidence pin` will not pin the record.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, restore the file, or correct `path`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.core import FileStatus
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "evidence-file-missing"
READS_FILES = False

_PROBLEMS = {
    FileStatus.MISSING: ("evidence file evidence/{path} does not exist", None),
    FileStatus.NOT_A_FILE: ("evidence/{path} is not a regular file", None),
    FileStatus.UNREADABLE: ("evidence/{path} cannot be read", "check the file's permissions"),
}


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        for index, item in enumerate(record.files):
            problem = _PROBLEMS.get(item.fact.status)
            if problem:
                message, hint = problem
                yield record.source.at("files", index, "path").error(ID, message.format(path=item.path), hint)
