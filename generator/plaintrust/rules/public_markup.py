"""Public text holds HTML, a link that cannot work, or an image the trust center does not show.

A control's `public.summary`, a security notice's body and the `explanation` of a public answer
(answers/, shown on the security FAQ) are Markdown (CommonMark): `**strong**`, `*emphasis*`, code and
`[links](https://...)`, plus paragraphs, lists and quotes in a notice or an explanation. It fires
on HTML (any tag, `<script>` included, or a tag typed so it shows as text, such as `&lt;b&gt;`), on
a link to anything but an http, https or mailto address (`javascript:` or `data:`, however spelled;
a notice may also link to a relative address, but not an explanation: exports and filled
questionnaires carry it too, where a relative address leads nowhere), and on an image. A control's
`public.title`, a notice's `title` and `affected`, and the `question` of a public or nda answer are
plain text: HTML, a Markdown link or an image there fires too. In a notice, the finding's line and
column are given. An internal answer is never shown, and neither is an nda answer's explanation:
they are not read.

HTML is left out of the page and of trust.json, a bad link keeps only its label and an image is not
shown, so customers would read something other than what was written.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write plain Markdown, such as `[label](https://...)`; to show a tag, write it as `code`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import notices
from plaintrust.boundary.needles import SHOWN
from plaintrust.boundary.safe_text import BLOCK, DOCUMENT, INLINE, PLAIN, Finding, findings
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Answer, Model, Notice

ID = "public-markup"
READS_FILES = False
MARKDOWN_HINT = "remove the HTML: public text is Markdown only (**bold**, *emphasis*, [label](https://…))"


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        public = control.public
        if public is None:
            continue
        for field, kind in (("title", PLAIN), ("summary", INLINE)):
            text = getattr(public, field)
            for finding in first_of_each_kind(findings(text, kind) if isinstance(text, str) else []):
                # the position only for a finding: it may mean parsing the file again
                yield _diagnostic(
                    control.source.at("public", field), f"the public {field} of {control.id}", finding, kind
                )
    for notice in model.notices:
        for field in ("title", "affected"):
            for finding in first_of_each_kind(findings(getattr(notice, field), PLAIN)):
                yield _diagnostic(notice.source.at(field), f"the notice's `{field}`", finding, PLAIN)
        yield from _notice_body(notice)
    for answer in model.answers:
        yield from _answer(answer)


def _answer(answer: Answer) -> Iterator[Diagnostic]:
    """What the FAQ shows of an answer: a public one's question (plain text) and explanation
    (Markdown, as the page renders it, with no relative link), an nda one's question."""
    for field in SHOWN.get(answer.visibility, ()):
        kind = BLOCK if field == "explanation" else PLAIN
        for finding in first_of_each_kind(findings(getattr(answer, field), kind, relative=False)):
            what = f"the {field} of the {answer.visibility} answer {answer.id}"
            yield _diagnostic(answer.source.at(field), what, finding, kind, relative=False)


def _notice_body(notice: Notice) -> Iterator[Diagnostic]:
    """The body as Markdown blocks; then each timeline entry as the page renders it (its
    continuation lines joined into one line of inline Markdown), for what only shows that way."""
    seen = set()
    for finding in findings(notice.body, BLOCK):
        seen.add((finding.kind, finding.written))
        where = Location(notice.source.path, notice.body_line + finding.line, finding.col + 1)
        yield _diagnostic(where, "the notice", finding, BLOCK)
    timeline = notices.find(notice.sections, "Timeline")
    for entry in notices.timeline(timeline) if timeline else ():
        for finding in first_of_each_kind(findings(entry.text, BLOCK)):  # BLOCK: relative links are fine
            if (finding.kind, finding.written) not in seen:
                yield _diagnostic(Location(notice.source.path, entry.line), "the notice's timeline", finding, BLOCK)


def first_of_each_kind(found: list[Finding]) -> list[Finding]:
    """A value of a YAML file has one position: one report of each kind of problem there is enough."""
    first: dict[str, Finding] = {}
    for finding in found:
        first.setdefault(finding.kind, finding)
    return list(first.values())


def _diagnostic(where: Location, what: str, finding: Finding, kind: str, relative: bool = True) -> Diagnostic:
    message, hint = described(finding, kind, relative)
    return where.error(ID, f"{what} {message}", hint)


def described(finding: Finding, kind: str, relative: bool = True) -> tuple[str, str]:
    """(what is wrong, to follow "<the text> ", and the hint) for a finding in a text of `kind`
    (`relative`: whether a BLOCK or DOCUMENT text of its kind may link to a relative address)."""
    return _in_plain_text(finding) if kind == PLAIN else _in_markdown(finding, kind, relative)


def _in_plain_text(finding: Finding) -> tuple[str, str]:
    shown = {"html": "HTML", "link": "a Markdown link", "image": "a Markdown image"}[finding.kind]
    return (
        f"holds {shown} ({_short(finding.written)}), which customers would see as typed: it is plain text",
        "write plain words, without HTML or links",
    )


def _in_markdown(finding: Finding, kind: str, relative: bool) -> tuple[str, str]:
    written, shown = _short(finding.written), _short(finding.shown)
    if finding.kind == "html" and finding.shown:
        return (
            f"holds HTML written as text ({written}); customers would read the tag itself",
            f"{MARKDOWN_HINT}, or write the tag as `code`",
        )
    if finding.kind == "html":
        return f"holds HTML ({written}), which the trust center leaves out: customers would not see it", MARKDOWN_HINT
    if finding.kind == "image":
        return (
            f"holds an image ({written}), which the trust center does not show: customers would see only its "
            f"description {shown}",
            "remove the image, or link to it as [label](https://…)",
        )
    also = " (or a relative one)" if relative and kind in (BLOCK, DOCUMENT) else ""
    return (
        f"links to {written}, which cannot be a link there: customers would see only the words {shown}",
        f"write the link as [label](https://…): only https, http and mailto addresses{also} work",
    )


def _short(text: str) -> str:
    return repr(text if len(text) <= 60 else text[:59] + "…")
