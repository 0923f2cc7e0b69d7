"""Warning: an evidence file without a `sha256`: nothing shows it is the file that was collected.

`plaintrust evidence pin ID` writes the hash into the record and the ledger. `plaintrust evidence
verify` counts an unpinned file as a problem.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.load.paths import FileStatus
from plaintrust.model import Model

ID = "evidence-unpinned"


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        for index, item in enumerate(record.files):
            if item.sha256 is None and item.fact.status is FileStatus.OK:
                where = record.source.at("files", index, "path")
                yield where.warning(ID, f"evidence/{item.path} is not pinned: the record has no sha256 for it",
                                    f"plaintrust evidence pin {record.id}")
