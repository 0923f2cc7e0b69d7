"""A policy's public text holds HTML, a link that cannot work, or an image the trust center does not show.

A policy's `summary`, its `change` line and (with `public: full`) its body are Markdown, checked as
a control's public summary and a notice's body are (see public-markup). It fires on HTML (any tag,
or a tag typed so it shows as text, such as `&lt;b&gt;`), on a link to anything but an http, https
or mailto address (`javascript:` or `data:`, however spelled), and on an image. The summary and the
body may also link to a relative address, such as another page of the trust center; the body's
tables are checked cell by cell. The `title` is plain text: HTML, a Markdown link or an image there
fires too. In the body, the finding's line and column are given. Policies with `public: none` are
not checked; drafts are, so the text is right before it is approved.

HTML is left out of the page, a bad link keeps only its label and an image is not shown, so
customers would read something other than what was approved.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write plain Markdown, such as `[label](https://...)`; to show a tag, write it as `code`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.boundary.safe_text import BLOCK, DOCUMENT, INLINE, PLAIN, Finding, findings
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model, Policy
from plaintrust.rules.public_markup import described, first_of_each_kind

ID = "policy-markup"
READS_FILES = False
# As the policy pages render them: the summary as blocks, the change line inline, the text with tables.
FIELDS = (("title", PLAIN), ("summary", BLOCK), ("change", INLINE))


def check(model: Model) -> Iterator[Diagnostic]:
    for policy in model.policies:
        if policy.public != "none":
            yield from _fields(policy)
        if policy.public == "full":
            yield from _body(policy)


def _fields(policy: Policy) -> Iterator[Diagnostic]:
    for field, kind in FIELDS:
        for finding in first_of_each_kind(findings(getattr(policy, field), kind)):
            # the position only for a finding: it may mean parsing the file again
            yield _diagnostic(policy.source.at(field), f"the `{field}` of policy {policy.id}", finding, kind)


def _body(policy: Policy) -> Iterator[Diagnostic]:
    for finding in findings(policy.body, DOCUMENT):
        where = Location(policy.source.path, policy.body_line + finding.line, finding.col + 1)
        yield _diagnostic(where, f"the text of policy {policy.id}", finding, DOCUMENT)


def _diagnostic(where: Location, what: str, finding: Finding, kind: str) -> Diagnostic:
    message, hint = described(finding, kind)
    return where.error(ID, f"{what} {message}", hint)
