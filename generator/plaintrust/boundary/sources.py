"""`check`'s half of the guard: every public input is read for internal values before anything is built.

Public inputs are every file MkDocs would publish from `site/` (pages, notices, `trust.yaml`,
downloads, images, archives: read as `extract` reads them), `mkdocs.yml` (its site name, copyright,
`extra` values and nav titles appear on every page), the theme's `custom_dir`, the `public:`
title and summary of every control, what the trust center shows of each published policy (its
title, summary, change line, and its text when shown in full), and what the FAQ shows of the
answer library (a public answer's question and explanation, an nda answer's question). An
internal value found there is an error at its line and column (`internal-value`),
a byte copy of an evidence file an error on the file (`evidence-copy`), a published HTML file or an
SVG image that carries script an error (`active-content`: nothing would clean it), an archive that cannot be
read whole an error too (`unreadable`), and a Markdown page that is not UTF-8 an error at its first
bad byte (`encoding`), since MkDocs would stop on it. The ordinary
phrases found (see `needles`) are handed to the output scan, which lets them pass.

The change lines of a policy's earlier versions come from git history, where no edit can reach
them: one that holds an internal value, or markup `policy-markup` would refuse, is not an error
but withheld (`Screened.withheld`): the site leaves it out and `policy-history` says so.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from plaintrust.boundary.evidence import Copies, line_values
from plaintrust.boundary.extract import Memo, Text, texts
from plaintrust.boundary.needles import SHOWN, Hit, Needles, Value, declared, heads, internal_values
from plaintrust.boundary.pagenames import MARKDOWN_SUFFIXES
from plaintrust.boundary.safe_text import INLINE, findings
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.load.yamlfile import decode
from plaintrust.model import Model, Policy
from plaintrust.policies import published

HINT = "internal values never go on the public site: say it in your own plain words, or leave it out"
UNREAD_HINT = "publish the files unpacked, or fewer and smaller ones"
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".xht")
_YAML_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what PyYAML counts as a line break
_SCRIPTED = re.compile(
    rb"<\s*script|<\s*foreignObject|\son[a-z]+\s*=|javascript\s*:|<\s*(?:iframe|embed|object)\b", re.I
)


@dataclass(frozen=True)
class Screened:
    problems: tuple[Diagnostic, ...]
    ordinary: frozenset[tuple[str, ...]]  # word sequences of ordinary phrases public inputs contain
    # (policy id, version) -> what the change line git holds for that version carries: never published
    withheld: Mapping[tuple[str, str], str]
    # For the output guard of the same model (see `guard.tree`): the internal values listed here and
    # the texts read (a PDF's among them), so that a build neither lists nor reads them again. Only
    # what this run derived itself: the output guard never trusts `.plaintrust-cache/`, so a damaged
    # cache cannot fool both guards at once (None: the guard lists the values itself).
    values: tuple[Value, ...] | None = None
    known: Mapping[str, object] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class _Input:
    """One text of a public input, with the way to place a finding in it."""

    subject: str  # how a message names it
    text: str
    locate: Callable[[int], Location]
    seen: set  # values reported already in this input (a file's texts share one)


def screen(root: Path, model: Model, inputs: Iterable[str], memo: Memo | None = None) -> Screened:
    """`inputs`: the public files, relative to `root`; `memo` keeps PDF text and evidence lines
    between runs (see `extract.Memo`)."""
    memo = memo or Memo()
    problems: list[Diagnostic] = []
    found = [
        *_file_inputs(root, inputs, Copies.of(model), memo, problems, _references(model)),
        *_control_inputs(model),
        *_policy_inputs(model),
        *_answer_inputs(model),
    ]
    earlier = _history_lines(model)
    values = (*internal_values(model, memo), *line_values(model, memo))
    hits = _verdicts(values, declared(model), [*(i.text for i in found), *earlier.values()], memo)
    ordinary: set[tuple[str, ...]] = set()
    for item in found:
        problems += _report(hits(item.text), item, ordinary)
    withheld = _withheld(hits, earlier, ordinary)
    memo.settle()
    handed = None if memo.kept else values  # values from kept readings are the cache's word, not this run's
    return Screened(tuple(problems), frozenset(ordinary), withheld, handed, memo.computed())


def _verdicts(
    values: tuple[Value, ...], exempt: set[tuple[str, ...]], texts: list[str], memo: Memo
) -> Callable[[str], list[Hit]]:
    """`Needles.hits` of each of `texts`, kept in `memo` by the digest of the needle set and the
    text: a run after one edit scans only the texts that changed, and a changed internal value
    changes every key. The needles are made only on a miss, of the values that can start in a
    text missed (a text's hits do not depend on which other texts are searched)."""
    needle_set = _digest(json.dumps([values, sorted(exempt)]))  # a value is a tuple: written as a list
    keys = {text: _digest(needle_set + text) for text in texts}
    missed = [text for text, key in keys.items() if not _are_hits(memo.known.get(Memo.key("screened", key)))]
    made: list[Needles] = []

    def scanned(text: str) -> list:
        if not made:
            made.append(Needles(values, exempt=exempt, heads=set().union(*map(heads, missed))))
        return [[list(h.value), list(h.words), h.offset] for h in made[0].hits(text)]

    def hits(text: str) -> list[Hit]:
        kept = memo.get("screened", keys[text], lambda: scanned(text), _are_hits)
        return [Hit(Value(*value), tuple(seq), offset) for value, seq, offset in kept]

    return hits


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _are_hits(kept: object) -> bool:
    """A text's hits as `_verdicts` keeps them: [[the value's fields], [its words], offset] each."""
    return isinstance(kept, list) and all(
        isinstance(h, list)
        and len(h) == 3
        and isinstance(h[0], list)
        and len(h[0]) == len(Value._fields)
        and all(isinstance(x, str) for x in h[0])
        and isinstance(h[1], list)
        and all(isinstance(w, str) for w in h[1])
        and isinstance(h[2], int)
        for h in kept
    )


def _control_inputs(model: Model) -> Iterator[_Input]:
    for control in model.controls:
        for field in ("title", "summary"):
            value = getattr(control.public, field, None) if control.public else None
            if value:  # the position is looked up only for a finding: it may mean reading the file again
                where = lambda _offset, c=control, f=field: c.source.at("public", f)  # noqa: E731
                yield _Input(f"the public {field} of {control.id}", value, where, set())


def _policy_inputs(model: Model) -> Iterator[_Input]:
    """What customers read of each published policy; the text itself only when shown in full."""
    for policy in filter(published, model.policies):
        seen: set = set()  # a value is reported once per policy
        for field in ("title", "summary", "change"):
            if value := getattr(policy, field):
                yield _Input(f"the {field} of the policy {policy.id}", value, _field_locator(policy, field), seen)
        if policy.public == "full":
            yield _Input(f"the text of the policy {policy.id}", policy.body, _body_locator(policy), seen)


def _answer_inputs(model: Model) -> Iterator[_Input]:
    """What customers read of the answer library: a public answer's question and explanation (the
    FAQ, trust.json), an nda answer's question (listed as answered on request)."""
    for answer in model.answers:
        seen: set = set()  # a value is reported once per answer
        for field in SHOWN.get(answer.visibility, ()):
            subject = f"the {field} of the {answer.visibility} answer {answer.id}"
            where = lambda _offset, a=answer, f=field: a.source.at(f)  # noqa: E731
            yield _Input(subject, getattr(answer, field), where, seen)


def _history_lines(model: Model) -> dict[tuple[str, str], str]:
    """(policy id, version) -> the change line git holds for each earlier version of a published policy."""
    return {
        (policy.id, earlier.version): earlier.change
        for policy in filter(published, model.policies)
        for earlier in policy.history
        if earlier.change.strip()
    }


def _withheld(
    scan: Callable[[str], list[Hit]], lines: Mapping[tuple[str, str], str], ordinary: set
) -> dict[tuple[str, str], str]:
    """The lines from git that hold an internal value or markup, with what they hold: no edit can
    fix them, so they are left out instead of failing the build. The ordinary phrases of the lines
    that are shown are noted as any public input's. `scan`: a text's hits."""
    found: dict[tuple[str, str], str] = {}
    for key, text in lines.items():
        hits = scan(text)
        leak = next((h for h in hits if not h.ordinary), None)
        what = f"{leak.value.what} ({_shown(leak.value.value)})" if leak else _markup(text)
        if what:
            found[key] = what
        else:
            ordinary.update(h.words for h in hits)
    return found


def _markup(line: str) -> str | None:
    """What in a change line `policy-markup` would refuse (as the page renders it: inline), in a few words."""
    found = findings(line, INLINE)
    if not found:
        return None
    finding = found[0]
    if finding.kind == "html":
        return f"HTML ({_shown(finding.written)})"
    return f"{'an image' if finding.kind == 'image' else 'a link'} to {_shown(finding.written)}"


def _field_locator(policy: Policy, field: str) -> Callable[[int], Location]:
    """Looked up only for a finding: the front matter's position of `field`."""
    return lambda _offset: policy.source.at(field)


def _body_locator(policy: Policy) -> Callable[[int], Location]:
    def locate(offset: int) -> Location:
        line_start = policy.body.rfind("\n", 0, offset) + 1
        return Location(
            policy.source.path, policy.body_line + policy.body.count("\n", 0, offset), offset - line_start + 1
        )

    return locate


def _references(model: Model) -> dict[str, list[tuple[Location, str]]]:
    """Values a public input names only to point at internal data, never to publish them (by file):
    trust.yaml's restore test names a control, and only dates from its evidence are shown."""
    trust = model.trust
    resilience = trust.resilience if trust else None
    if trust is None or resilience is None or resilience.restore_control is None:
        return {}
    where = trust.source.at("resilience", "restore_test", "control")
    return {where.path: [(where, resilience.restore_control)]}


def _masked(data: bytes, references: list[tuple[Location, str]]) -> bytes:
    """`data` with each reference blanked where the YAML parser placed it (plain or quoted): lines
    are counted as YAML counts them, so a file's odd line breaks cannot move the blank elsewhere."""
    text = data.decode("utf-8", "surrogateescape")
    starts = [0, *(m.end() for m in _YAML_BREAK.finditer(text))]
    for where, value in references:
        if where.line > len(starts):
            continue
        at = starts[where.line - 1] + where.col - 1
        at += text[at : at + 1] in ("'", '"')
        if text[at : at + len(value)] == value:
            text = text[:at] + " " * len(value) + text[at + len(value) :]
    return text.encode("utf-8", "surrogateescape")


def _file_inputs(
    root: Path,
    inputs: Iterable[str],
    copies: Copies,
    memo: Memo,
    problems: list[Diagnostic],
    references: dict[str, list[tuple[Location, str]]],
) -> Iterator[_Input]:
    for rel in inputs:
        try:
            data = (root / rel).read_bytes()
        except OSError as exc:
            problems.append(Location(rel).error("io", f"cannot read the file: {exc.strerror}"))
            continue
        if rel in references:
            data = _masked(data, references[rel])
        if rel.startswith("site/") and rel.endswith(MARKDOWN_SUFFIXES):
            problems += [p for p in decode(rel, data, rule="encoding")[1:] if p]
        problems += _active_content(rel, data)
        for where, label in copies.find(rel, data, memo):
            problems.append(
                Location(rel).error("evidence-copy", f"{where} is a copy of the evidence file {label}", HINT)
            )
        seen: set[tuple[str, ...]] = set()  # a value is reported once per file, where it is first found
        yield _Input(f"the name of {rel}", rel, _whole_file(rel), seen)  # URLs and sitemaps show it
        for text in texts(rel, data, memo):
            if text.unread:
                problems.append(
                    Location(rel).error(
                        "unreadable",
                        f"{text.where} could not be read whole ({text.unread}), so nothing vouches for it",
                        UNREAD_HINT,
                    )
                )
            yield _Input(text.where, text.value, _locator(rel, text), seen)


def _active_content(rel: str, data: bytes) -> list[Diagnostic]:
    """A page of HTML, or an image that carries script, would be published as it is: nothing cleans it."""
    if not rel.startswith("site/"):
        return []
    name = rel.lower()
    if name.endswith(HTML_SUFFIXES):
        return [
            Location(rel).error(
                "active-content",
                f"{rel} is HTML, which is published as it is, scripts and all",
                "write it as a Markdown page, which is cleaned",
            )
        ]
    if name.endswith(".svg") and _SCRIPTED.search(data):
        return [
            Location(rel).error(
                "active-content",
                f"{rel} is an image that carries script or an event handler",
                "export it again without scripts, or publish it as PNG",
            )
        ]
    return []


def _whole_file(rel: str) -> Callable[[int], Location]:
    """Every offset -> the file as a whole: a file's name has no line of its own."""
    return lambda _offset: Location(rel)


def _locator(rel: str, text: Text) -> Callable[[int], Location]:
    """Offset in `text` -> Location in the file (the whole file when the text is not its own characters)."""
    own = text.own

    def locate(offset: int) -> Location:
        at = text.offset(offset)
        if at is None:
            return Location(rel)
        line_start = own.rfind("\n", 0, at) + 1
        return Location(rel, own.count("\n", 0, at) + 1, at - line_start + 1)

    return locate


def _report(hits: Iterable[Hit], item: _Input, ordinary: set) -> Iterator[Diagnostic]:
    """One error per internal value (at its first place); ordinary phrases only noted."""
    for hit in hits:
        if hit.ordinary:
            ordinary.add(hit.words)
        elif hit.words not in item.seen:  # one owner of many controls: said once
            item.seen.add(hit.words)
            hint = f"{HINT}; {hit.value.hint}" if hit.value.hint else HINT
            yield item.locate(hit.offset).error(
                "internal-value", f"{item.subject} contains {hit.value.what}: {_shown(hit.value.value)}", hint
            )


def _shown(value: str) -> str:
    return repr(value if len(value) <= 60 else value[:57] + "...")
