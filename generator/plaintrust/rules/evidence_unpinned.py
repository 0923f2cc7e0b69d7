"""An evidence file has no `sha256` in its record, so nothing shows it is the file that was collected.

It fires at `files[].path` for each file that exists but has no `sha256`. While the newest record
of a series has such a file, the controls that link it show as Under review on the trust center
("not yet confirmed") and count as only partly effective in the gap report.
`plaintrust evidence verify` counts an unpinned file as a problem.

A pinned hash, also kept in the ledger, is what lets an auditor trust the file was not changed after
it was collected.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, run `plaintrust evidence pin ID` (or `plaintrust evidence pin` for every record): it writes
the hash into the record and appends it to evidence/ledger.jsonl.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.core import FileStatus
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "evidence-unpinned"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        for index, item in enumerate(record.files):
            if item.sha256 is None and item.fact.status is FileStatus.OK:
                where = record.source.at("files", index, "path")
                yield where.warning(
                    ID,
                    f"evidence/{item.path} is not pinned: the record has no sha256 for it",
                    f"plaintrust evidence pin {record.id}",
                )
