"""Every report, bridge letter and document the trust center lists must be something customers can get.

A public one needs its `file` (under site/); one available on request or under NDA needs a
`request_url` to ask at; a bridge letter needs one of the two. Without them the page offers a
document and no way to reach it. An audit still in progress has no report yet, so nothing is needed.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.load.yamlfile import Document
from plaintrust.model import Model

ID = "access-unreachable"
_HOW = {"on-request": "on request", "nda": "under NDA"}


def check(model: Model) -> Iterator[Diagnostic]:
    if model.trust is None:
        return
    doc = model.trust.source
    for cert in model.trust.certifications:
        if cert.report is not None:
            yield from _reachable(doc, ("certifications", cert.index), "report", cert.report, cert.file,
                                  cert.request_url, f"the {cert.kind} report")
        letter = cert.bridge_letter
        if letter and not (letter.file or letter.request_url):
            yield doc.at("certifications", cert.index, "bridge_letter").error(
                ID, f"the bridge letter of {cert.kind} has neither a file nor a request_url: customers cannot get it",
                "add `file` (a path under site/) or `request_url` under bridge_letter")
    for index, document in enumerate(model.trust.documents):
        yield from _reachable(doc, ("documents", index), "access", document.access, document.file,
                              document.request_url, repr(document.title))


def _reachable(doc: Document, keys: tuple, field: str, access: str, file: str | None, request_url: str | None,
               what: str) -> Iterator[Diagnostic]:
    if access == "public" and not file:
        yield doc.at(*keys, field).error(ID, f"{what} is public but has no file: customers cannot download it",
                                         "add `file` (a path under site/), or make it on-request with a request_url")
    elif access != "public" and not request_url:
        yield doc.at(*keys, field).error(
            ID, f"{what} is available {_HOW[access]} but has no request_url: customers have no way to ask for it",
            "add `request_url` (a mailto: or https: address)")
