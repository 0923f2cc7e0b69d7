"""An evidence file whose bytes no longer match the sha256 pinned in its record: tampered.

The file an auditor reads must be the file that was collected. Until the record is fixed, its
controls show as Under review on the site and as not met in the gap report. When the file was
replaced on purpose (a corrected export), re-pin it with `plaintrust evidence pin --update ID`,
which records the change in the ledger.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.evidence.states import is_tampered
from plaintrust.model import Model

ID = "evidence-tampered"


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        for index, item in enumerate(record.files):
            if is_tampered(item):
                where = record.source.at("files", index, "sha256")
                yield where.error(
                    ID, f"evidence/{item.path} does not match its pinned sha256: expected {item.sha256}, actual {item.fact.sha256}",
                    f"restore the collected file, or re-pin it if it was replaced on purpose: plaintrust evidence pin --update {record.id}")
