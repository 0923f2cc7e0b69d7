"""Every file an evidence record names must exist under evidence/ and be a regular, readable file."""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.load.paths import FileStatus
from plaintrust.model import Model

ID = "evidence-file-missing"


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        for index, item in enumerate(record.files):
            where = record.source.at("files", index, "path")
            if item.fact.status is FileStatus.MISSING:
                yield where.error(ID, f"evidence file evidence/{item.path} does not exist")
            elif item.fact.status is FileStatus.NOT_A_FILE:
                yield where.error(ID, f"evidence/{item.path} is not a regular file")
            elif item.fact.status is FileStatus.UNREADABLE:
                yield where.error(ID, f"evidence/{item.path} cannot be read", "check the file's permissions")
