"""An evidence file's bytes no longer match the `sha256` pinned in its record.

It fires at `files[].sha256` when the file exists and its SHA-256 differs from the pinned one; the
message gives both hashes. `plaintrust check` reuses a cached hash while a file looks untouched
(same size, times and inode); `plaintrust evidence verify` rehashes every file.

The file an auditor reads must be the file that was collected. Until it is fixed, the gap report
counts the controls that link the record (or its series) for nothing.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, restore the collected file (from version control). If it was replaced on purpose (a
corrected export), re-pin it with `plaintrust evidence pin --update ID`; the ledger keeps both hashes.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.evidence.states import is_tampered
from plaintrust.model import Model

ID = "evidence-tampered"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        for index, item in enumerate(record.files):
            if is_tampered(item):
                where = record.source.at("files", index, "sha256")
                yield where.error(
                    ID,
                    f"evidence/{item.path} does not match its pinned sha256: expected {item.sha256}, actual {item.fact.sha256}",
                    f"restore the collected file, or re-pin it if it was replaced on purpose: plaintrust evidence pin --update {record.id}",
                )
