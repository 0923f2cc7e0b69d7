"""A report, bridge letter or document on the trust center gives customers no way to get it.

Checked in site/trust.yaml: a certification's `report`, or a document's `access`, that is `public`
needs a `file` (under site/); one that is `on-request` or `nda` needs a `request_url` (a mailto: or
https: address) to ask at. A `bridge_letter` needs a `file` or a `request_url`. A certification
without `report`, such as an audit still in progress, needs neither.

Without them the page would offer a document and no way to reach it.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, add the `file` or `request_url` the message names, or change the access level.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "access-unreachable"
READS_FILES = False
_HOW = {"on-request": "on request", "nda": "under NDA"}


def check(model: Model) -> Iterator[Diagnostic]:
    if model.trust is None:
        return
    doc = model.trust.source
    for cert in model.trust.certifications:
        if cert.report is not None:
            yield from _reachable(
                doc,
                ("certifications", cert.index),
                "report",
                cert.report,
                cert.file,
                cert.request_url,
                f"the {cert.kind} report",
            )
        letter = cert.bridge_letter
        if letter and not (letter.file or letter.request_url):
            yield doc.at("certifications", cert.index, "bridge_letter").error(
                ID,
                f"the bridge letter of {cert.kind} has neither a file nor a request_url: customers cannot get it",
                "add `file` (a path under site/) or `request_url` under bridge_letter",
            )
    for index, document in enumerate(model.trust.documents):
        yield from _reachable(
            doc,
            ("documents", index),
            "access",
            document.access,
            document.file,
            document.request_url,
            repr(document.title),
        )


def _reachable(
    doc: Document, keys: tuple, field: str, access: str, file: str | None, request_url: str | None, what: str
) -> Iterator[Diagnostic]:
    if access == "public" and not file:
        yield doc.at(*keys, field).error(
            ID,
            f"{what} is public but has no file: customers cannot download it",
            "add `file` (a path under site/), or make it on-request with a request_url",
        )
    elif access != "public" and not request_url:
        yield doc.at(*keys, field).error(
            ID,
            f"{what} is available {_HOW[access]} but has no request_url: customers have no way to ask for it",
            "add `request_url` (a mailto: or https: address)",
        )
