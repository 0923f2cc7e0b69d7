"""Every file an evidence record names must exist under evidence/ and be a regular, readable file."""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.load.paths import FileStatus
from plaintrust.model import Model

ID = "evidence-file-missing"

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
