"""The internal values the public site must never carry, and a fast way to find them in text.

Internal values: control ids, owners, internal titles, description sentences, remediation plans
and owners, and the paths a control watches (`watches`, when they look like a path: a `/` or a
`.`, such as `infra/identity/okta.tf`; of a glob, its folders before the first wildcard, such as
`infra/identity` of `infra/identity/*.tf`, and its file name when written out whole in three words
or more, such as `branch-protection.json` of `infra/**/branch-protection.json`; not a file that
trust.yaml links as its security policy, such as `SECURITY.md`); evidence ids, titles, sources, notes, file
paths (as `evidence/x` and as the record writes them, `x`) and hashes, and what its `collect`
block names (each word of the command, each text under `with`, such as a URL, a host, a path or a
header's value, the output name and the records' title; not the `every` or `covers` words, nor the field names of `select`, nor the `host`
and `server_name` of `tls-certificate`: public endpoints customers connect to, which a trust center
may well name); not-applicable justifications, scope
exclusions, SoA reasons and the SoA's approver; every policy's owner and approver, the title, summary, change line and text
of a policy that is not published (a draft, or `public: none`) and the text of one published as a
summary only; the question and explanation of an `internal` answer (answers/) and the explanation
of an `nda` one, each sentence of four words or more, read as written and as a page would show it
(a quote's lines joined; a heading of four words or more too, being the answer's own words; the
site lists an nda answer by its question only; an answer's id is a slug such as `mfa`, too common
to look for); and, for the output scan and `check`, every long line of a text evidence file.
Matching is on word sequences, case and punctuation ignored, so `it-security@example.com` is found
in `IT Security (example.com)` too. A word is a run of letters and digits of any script, composed
(NFC) and case-folded, so "Schlüssel" is one word however its accent was typed; a script written
without spaces (Chinese, Japanese) gives one word per run, which a value must then match whole.
Values shorter than two words or eight characters are skipped as too common to mean anything.

These values are not looked for:

- a value that `trust.yaml` publishes (`declared`) as the organization's name or security contact (an owner
  may well be `security@`, the address customers write to);
- a control's internal title that its own public title or summary repeats: published by choice;
- a header's value in a `collect` block (`with: headers:`) that is a media type of a registered
  top-level type (`application`, `text`, `image` ...), or a list of them: `Accept:
  application/json`, `application/vnd.api+json; charset=utf-8`. These are words of
  the web that any page may use ("downloads in application/json"), and they name nothing of the
  organization's. A header's value only: elsewhere in the block, `scripts/export.sh` reads as a
  media type too;
- a line of a policy's unpublished text that is, word for word, a line of a published policy text
  (its own summary, or a policy shown in full): published by choice too;
- a sentence of an nda answer's explanation that customers can already read word for word in a
  public input: a public answer's question or explanation, an nda answer's question, a control's
  public title or summary, or what the trust center shows of a published policy (its title,
  summary, change line, and its text when shown in full), each as its page shows it: never
  Markdown a page does not show (a link's address or title, a link definition, a code fence's
  info string), or a sentence hidden there would free every page to publish it. Published by
  choice too: an nda answer naturally restates the public claim before it adds the details. Not
  a site page's text: a page that copies the sentence would excuse itself; `check`'s hint then names
  the answer to reword. Never a sentence of an internal answer: found in a public text, it is an
  `internal-value` error there, whatever says it;
- an *ordinary phrase* (three plain words at most, not an owner, such as the evidence id
  `mfa-policy`) that a public input itself contains: "our MFA policy" in a summary is plain
  language, not a leak. Anything more distinctive in a public input is a `check` error instead.
  A text of a `collect` block's `with` (or a word of its command) that holds a `.` or a `/` is
  an address (a URL, a host, a path) and never ordinary, however short: `config/sshd_config` and
  `https://vault.internal/` read as three plain words. So is a watched path inside a folder
  (`infra/idp.tf`), a watched glob's folders when two or more (`infra/identity` of
  `infra/identity/*.tf`) and its file name written out whole (`branch-protection.json`); not a
  glob's single folder (`terraform/**` names Terraform, a word anyone may use) nor a watched file
  at the top of the repository (`SECURITY.md`).
"""

from __future__ import annotations

import html
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from plaintrust.boundary.extract import Memo
from plaintrust.boundary.safe_text import BLOCK, DOCUMENT, INLINE, PLAIN, block_lines, shown_words
from plaintrust.load.watchglob import is_glob
from plaintrust.model import Collect, Model, Policy
from plaintrust.policies import published

_ASCII_WORD = re.compile(r"[a-z0-9]+")  # the words of a lower-cased ASCII text: most texts, read fast
# Letters and digits of any script ("Schlüssel", "ключи"). A script written without spaces (Chinese,
# Japanese, Thai) gives one long word per run: a needle must then match that run whole. Such a run
# ends where another script starts, so `AC-01` inside a Chinese sentence is still found.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
    "\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9d"  # Japanese kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"  # Chinese characters (kanji, hanzi)
)
_WORD = re.compile(r"[^\W_]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_BREAK = re.compile(r"[.!?;:]\s")  # where _SENTENCE could split a line
_HEAD = re.compile(r"([A-Za-z0-9]+)(?:[^A-Za-z0-9]+([A-Za-z0-9]+))?")  # of an ASCII text
# A line break inside a Markdown paragraph or list item: the next line starts no block of its own.
_SOFT_BREAK = re.compile(r"[ \t]*\n(?![ \t]*(?:[-*+][ \t]|\d{1,9}[.)][ \t]|#|>|`{3}|~{3}|\||\n|$))[ \t]*")
# A line that ends its block whatever follows: a heading (`## Scope`), or the underline of one
# (`===`, `---`, which is also a thematic break). CommonMark lets a paragraph start on the next line.
_BLOCK_END = re.compile(r"^([ \t]{0,3}(?:#{1,6}(?:[ \t][^\n]*)?|=+[ \t]*|-+[ \t]*))\n", re.MULTILINE)


class Value(NamedTuple):  # a tuple, not a dataclass: a large repository has 100,000 of them
    value: str
    # owner | id | title | description | remediation | path | hash | justification | source | notes | text | line
    # | collect (what a record's `collect` block names) | answer (of an nda or internal answer)
    # | address (a URL, host or path a `collect` block names, or a path inside a folder a control watches:
    # never ordinary)
    kind: str
    field: str  # how a message names it: "the owner", "a file path" ...
    subject: str  # whose: "control AC-01 (controls/ac-01.yaml)" (one string shared by its values)
    # What else the author may do, for `check`'s hint: an nda answer's sentence may restate a page
    # that was public first, and then it is the answer to reword.
    hint: str = ""

    @property
    def what(self) -> str:
        return f"{self.field} of {self.subject}"


@dataclass(frozen=True)
class Hit:
    value: Value
    words: tuple[str, ...]  # the value's words, as matched
    offset: int  # where its first word starts in the text searched

    @property
    def ordinary(self) -> bool:
        """Plain language that a public text may well contain on its own."""
        if self.value.kind in ("owner", "address"):
            return False
        return len(self.words) <= 3 and all(w.isalpha() for w in self.words)


def words(text: str) -> tuple[str, ...]:
    """The words of a value or of a text searched, read alike: see `_scanned`."""
    if "&" in text:
        text = html.unescape(text)
    if text.isascii():  # `_scanned`'s words alone: a large repository's needles are 100,000 such texts
        return tuple(_ASCII_WORD.findall(text.lower()))
    return _scanned(text).words


class _Scan(NamedTuple):
    words: tuple[str, ...]
    pattern: re.Pattern[str]  # what found them in `folded`
    folded: str
    composed: str  # `text` composed (NFC): where offsets point (`text` itself, unless written decomposed)


def _scanned(text: str) -> _Scan:
    """The words of `text`: letters and digits of any script, in the composed (NFC), case-folded
    text, so that "Schlüssel" is one word however its accent was typed, and "STRASSE" is "straße"."""
    if text.isascii():
        lowered = text.lower()  # the same length as `text`, so offsets hold
        return _Scan(tuple(_ASCII_WORD.findall(lowered)), _ASCII_WORD, lowered, text)
    composed = unicodedata.normalize("NFC", text)
    folded = composed.casefold()
    has_unspaced, word_by_script = _unspaced_patterns()
    pattern = word_by_script if has_unspaced.search(folded) else _WORD
    return _Scan(tuple(pattern.findall(folded)), pattern, folded, composed)


@cache
def _unspaced_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a letter of a script written without spaces, the words of a text that has one): compiled at
    the first non-ASCII text, as their character ranges take 5 ms to compile at every start."""
    return re.compile(f"[{_UNSPACED}]"), re.compile(rf"[^\W_{_UNSPACED}]+|(?:(?=[^\W_])[{_UNSPACED}])+")


def _starts(scan: _Scan) -> list[int]:
    """Where each word of `scan` starts in its composed text: only asked once a value is found."""
    starts = [m.start() for m in scan.pattern.finditer(scan.folded)]
    if len(scan.folded) == len(scan.composed):
        return starts
    # A character folded into several ("ß" into "ss"): each offset of the folded text back to its
    # character (case folding maps one character at a time, whatever its neighbours).
    back = [i for i, c in enumerate(scan.composed) for _ in c.casefold()]
    return [back[s] for s in starts]


def _head(text: str) -> Head:
    if "&" in text or not text.isascii():
        seq = words(text)
        return (seq[0], seq[1] if len(seq) > 1 else None) if seq else ("", None)
    first = _HEAD.search(text)  # an ASCII value's first two words without reading all of it
    if first is None:
        return ("", None)
    one, two = first.groups()
    return one.lower(), two.lower() if two else None


def sentences(text: str) -> list[str]:
    """Lines and sentences of three words (or so) or more: shorter ones are too common to mean a leak."""
    parts: list[str] = []
    for line in text.splitlines():  # the sentence pattern only where a line may hold two (it is slow)
        parts += _SENTENCE.split(line) if _BREAK.search(line) else [line]
    return [p.strip() for p in parts if len(p.split(None, 2)) == 3]


def internal_values(model: Model, memo: Memo | None = None) -> Iterator[Value]:
    """Every internal string of the model (see `declared` for those published by choice). `memo`
    keeps what parsing an answer's Markdown gives between runs (see `extract.Memo`)."""
    for c in model.controls:
        subject = f"control {c.id} ({c.source.path})"
        yield Value(c.id, "id", "the id", subject)
        yield Value(c.owner, "owner", "the owner", subject)
        if not _published_by_choice(c.title, c.public):
            yield Value(c.title, "title", "the internal title", subject)
        for line in sentences(c.description):
            yield Value(line, "description", "the description", subject)
        if c.remediation:
            yield Value(c.remediation.owner, "owner", "the remediation owner", subject)
            for line in sentences(c.remediation.plan):
                yield Value(line, "remediation", "the remediation plan", subject)
        for watch in c.watches:
            for text, kind, field in _watched(watch.pattern, model):
                yield Value(text, kind, field, subject)
    for e in model.evidence:
        yield from _record_values(e)
    if model.program:
        for framework in model.program.frameworks:
            yield from _framework_values(framework)
    shown = _published_lines(model.policies)
    for policy in model.policies:
        yield from _policy_values(policy, shown)
    yield from _answer_values(model, memo or Memo())


def _watched(pattern: str, model: Model) -> Iterator[tuple[str, str, str]]:
    """What a watched path names of the organization's systems: (the text, its kind, how a message
    names it). A path inside a folder is an address, never ordinary (`infra/idp.tf` reads as three
    plain words). A glob names files by what they share: its folders before the first wildcard,
    an address when two or more (`infra/identity`), plain words when one (`terraform/**` is
    Terraform); and its file name when written out whole and distinctive, three words or more
    (`branch-protection.json` of `infra/**/branch-protection.json`; not `okta.tf` nor `main.tf`).
    A file name at the top may be plain words (`SECURITY.md`, a standard name). A file trust.yaml
    links as the security policy is published by choice."""
    policy = words(model.trust.security_policy or "") if model.trust is not None else ()
    if not is_glob(pattern):
        if not _contains(policy, words(pattern)) and ("/" in pattern or "." in pattern):
            yield pattern, "address" if "/" in pattern else "path", "the watched path"
        return
    *parents, name = pattern.split("/")
    folders = "/".join(itertools.takewhile(lambda part: not is_glob(part), parents))  # before the first wildcard
    if folders:
        yield folders, "address" if "/" in folders else "path", "the watched folder"
    if not is_glob(name) and "." in name and len(words(name)) >= 3 and not _contains(policy, words(name)):
        yield name, "address", "the watched file name"


def _policy_values(policy: Policy, shown: set[tuple[str, ...]]) -> Iterator[Value]:
    """Who owns and approved it, always; the text customers are not shown, line by line."""
    subject = f"policy {policy.id} ({policy.source.path})"
    yield Value(policy.owner, "owner", "the owner", subject)
    if policy.approved_by:
        yield Value(policy.approved_by, "owner", "the approver", subject)
    if not published(policy):
        if words(policy.title) not in shown:
            yield Value(policy.title, "title", "the title", subject)
        hidden = [("the summary", policy.summary), ("the change line", policy.change), ("the text", policy.body)]
    else:
        hidden = [] if policy.public == "full" else [("the text", policy.body)]
    for field, text in hidden:
        for line in _policy_lines(text):
            if words(line) not in shown:
                yield Value(line, "text", field, subject)


def _published_lines(policies: Iterable[Policy]) -> set[tuple[str, ...]]:
    """The words of every title and line of policy text customers are shown. Not the change lines of
    earlier versions: one of them may be withheld for what it holds (see `sources`), and a line that
    repeats hidden text is withheld rather than let it pass."""
    shown = [p for p in policies if published(p)]
    texts = [text for p in shown for text in (p.summary, p.change, p.body if p.public == "full" else "")]
    return {words(p.title) for p in shown} | {words(line) for text in texts for line in _policy_lines(text)}


def _policy_lines(markdown: str) -> list[str]:
    """The sentences of a policy text worth looking for: each paragraph on one line first, so that a
    sentence wrapped over two lines is one value, not fragments as common as "in by hand"; headings
    ("Roles and responsibilities") and sentences of three words or fewer are too common to mean a leak.
    A heading ends its block: the paragraph right under it is never joined to it."""
    unwrapped = _SOFT_BREAK.sub(" ", _BLOCK_END.sub("\\1\n\n", markdown.replace("\r\n", "\n")))
    return [s for s in sentences(unwrapped) if not s.startswith("#") and len(words(s)) > 3]


# What of an answer customers read, and never read, by its visibility: the FAQ shows a public answer
# whole and lists an nda one by its question.
SHOWN = {"public": ("question", "explanation"), "nda": ("question",)}
SHOWN_AS = {"question": PLAIN, "explanation": BLOCK}  # how the FAQ renders each field
_HIDDEN = {"internal": ("question", "explanation"), "nda": ("explanation",)}


def _answer_values(model: Model, memo: Memo) -> Iterator[Value]:
    """An internal answer's question and explanation, and an nda answer's explanation, sentence by
    sentence; not a sentence of an nda explanation that customers can already read word for word
    (see `_public_texts`). An answer's id is a slug such as `mfa`, too common to look for."""
    hidden = [
        (answer, field, line)
        for answer in model.answers
        for field in _HIDDEN.get(answer.visibility, ())
        for line in _lines_of(memo, getattr(answer, field))
    ]
    public = _said_publicly([line for answer, _, line in hidden if answer.visibility == "nda"], model, memo)
    for answer, field, line in hidden:
        subject = f"the {answer.visibility} answer {answer.id} ({answer.source.path})"
        hint = f"if it is public anyway, reword or drop that sentence in {answer.source.path}"
        if answer.visibility == "internal" or words(line) not in public:
            yield Value(line, "answer", f"the {field}", subject, hint if answer.visibility == "nda" else "")


def _answer_lines(markdown: str) -> list[str]:
    """The sentences of a hidden answer's text, as written (a link's address too) and as a page would
    show them: one line per block, so a quote's lines are one sentence and a heading never runs into
    the next. A heading of four words or more is looked for too: unlike a policy's ("Roles and
    responsibilities"), it is the answer's own words."""
    lines = _policy_lines(markdown) + [s for s in sentences(block_lines(markdown)) if len(words(s)) > 3]
    return list(dict.fromkeys(lines))


def _lines_of(memo: Memo, markdown: str) -> list[str]:
    """`_answer_lines`, kept by the text's digest between runs: parsing the Markdown is the cost."""
    data = markdown.encode("utf-8", "surrogatepass")
    return memo.get("answer-lines", data, lambda: _answer_lines(markdown), _is_lines)


def _shown_words(memo: Memo, text: str, kind: str) -> str:
    """`shown_words`, kept by the text's digest between runs (plain text shows as written)."""
    if kind == PLAIN:
        return shown_words(text, kind)
    data = text.encode("utf-8", "surrogatepass")
    return memo.get(f"shown-{kind}", data, lambda: shown_words(text, kind), lambda v: isinstance(v, str))


def _is_lines(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(line, str) for line in value)


def _said_publicly(lines: list[str], model: Model, memo: Memo) -> set[tuple[str, ...]]:
    """The words of each of `lines` that a public input says word for word."""
    if not lines:
        return set()
    needles = Needles(Value(line, "answer", "", "") for line in lines)
    return {hit.words for text in _public_texts(model, memo) for hit in needles.hits(text)}


def _public_texts(model: Model, memo: Memo) -> Iterator[str]:
    """What customers read anyway, as the pages show it: of the answer library what the FAQ shows,
    of a control its public title and summary, of a published policy its title, summary and change
    line, and its text when shown in full. Never Markdown a page does not show (a link's address, a
    link definition, a code fence's info string): a text there is not what customers can read."""
    shown = [(getattr(a, field), SHOWN_AS[field]) for a in model.answers for field in SHOWN.get(a.visibility, ())]
    for c in model.controls:
        shown += [(getattr(c.public, "title", None), PLAIN), (getattr(c.public, "summary", None), INLINE)]
    for p in filter(published, model.policies):
        shown += [(p.title, PLAIN), (p.summary, BLOCK), (p.change, INLINE)]
        shown += [(p.body, DOCUMENT)] if p.public == "full" else []
    for text, kind in shown:
        if isinstance(text, str):
            yield _shown_words(memo, text, kind)


def _framework_values(framework) -> Iterator[Value]:
    """Why requirements and groups are left out or kept in, and who signed the SoA: the auditor's."""
    reasons = [
        ("the not-applicable justification", framework.not_applicable),
        ("the scope exclusion", framework.scope_exclusions),
        ("the SoA reason", framework.soa_reasons),
    ]
    for field, table in reasons:
        for key, reason in table.items():
            for line in sentences(reason or ""):
                yield Value(line, "justification", field, f"{framework.id} {key}")
    if framework.soa is not None:
        yield Value(framework.soa.approved_by, "owner", "the SoA's approver", f"{framework.id} soa")


def declared(model: Model) -> set[tuple[str, ...]]:
    """What trust.yaml publishes as who we are and where to write: never a leak."""
    trust = model.trust
    if trust is None:
        return set()
    contact = (
        trust.security_contact.split(":", 1)[-1]
        if trust.security_contact.startswith("mailto:")
        else trust.security_contact
    )
    return {words(trust.organization), words(contact)}


def _record_values(e) -> Iterator[Value]:
    subject = f"evidence record {e.id} ({e.source.path})"
    yield Value(e.id, "id", "the id", subject)
    yield Value(e.title, "title", "the title", subject)
    for key in ("source", "notes"):
        for line in sentences(e.source.data.get(key) or ""):
            yield Value(line, key, f"the {key}", subject)
    for f in e.files:
        yield Value(f"evidence/{f.path}", "path", "a file path", subject)
        yield Value(f.path, "path", "a file path", subject)
        if f.sha256:
            yield Value(f.sha256, "hash", "a file hash", subject)
    if e.collect is not None:
        yield from _collect_values(e.collect, subject)


# `with:` keys whose values are the collector's own vocabulary (a field name of the document, a format,
# a kind of check, a variable's name), not what it reads: words a public page may well use.
_VOCABULARY = frozenset({"select", "format", "check", "token_env"})
# The endpoint a `tls-certificate` block checks is public by nature: customers connect to it, and a
# trust center may well say "our site, app.example.com, accepts TLS 1.2 and later".
_PUBLIC = {"tls-certificate": frozenset({"host", "server_name"})}
# A media type of a registered top-level type (so that `X-Tenant: acme/workforce` stays internal),
# with parameters (`text/csv; charset=utf-8`), or a list of them (an `Accept` value).
_TYPES = "application|audio|font|image|message|model|multipart|text|video|\\*"
_MEDIA = rf"(?:{_TYPES})/[a-z0-9.+*-]+(?:\s*;\s*[a-z0-9_-]+=[a-z0-9._-]+)*"
_MEDIA_TYPES = re.compile(rf"{_MEDIA}(?:\s*,\s*{_MEDIA})*", re.IGNORECASE)


def _collect_values(collect: Collect, subject: str) -> Iterator[Value]:
    """What a collector is told to run or read: its argv words, the texts under `with` (a URL, a host,
    a path, a header's value), the output name and the records' title."""
    public = _PUBLIC.get(collect.use, frozenset())
    for key, option in collect.options.items():
        if key in _VOCABULARY or key in public:
            continue
        field = "the collect command" if collect.use == "command" and key == "run" else "a collect setting"
        for text in _texts(option):
            if key == "headers" and _MEDIA_TYPES.fullmatch(text):
                continue
            yield Value(text, "address" if "." in text or "/" in text else "collect", field, subject)
    if collect.output:
        yield Value(collect.output, "collect", "the collect output name", subject)
    if collect.title:
        yield Value(collect.title, "title", "the collect title", subject)


def _texts(value: object) -> Iterator[str]:
    """Every string inside a `with` value, however deep: a header's value as much as a URL."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


def _published_by_choice(title: str, public) -> bool:
    if public is None:
        return False
    seq = words(title)
    return any(_contains(words(text or ""), seq) for text in (public.title, public.summary))


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return n > 0 and any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


Head = tuple[str, str | None]  # a value's first two words (the second None for a one-word value)


def heads(text: str) -> set[Head]:
    """Every pair of neighbouring words of `text`, and every word alone: the only places a value can start."""
    seq = words(text)
    return {*itertools.pairwise(seq), *((w, None) for w in seq)}


class Needles:
    """Word sequences to look for, indexed by first and second word so that a scan does one dict
    lookup per word of text and touches only the values that could start there.

    With `heads` (of every text that will be searched, when they are known in advance, as in
    `check`), a value whose first two words appear nowhere is dropped after reading just those
    two: a large repository has a hundred thousand values and few public texts.
    """

    def __init__(
        self, values: Iterable[Value], exempt: Iterable[tuple[str, ...]] = (), heads: set[Head] | None = None
    ) -> None:
        skipped = set(exempt)
        self.index: dict[str, dict[str | None, list[tuple[tuple[str, ...], Value]]]] = {}
        seen: set[str] = set()  # one owner of a thousand controls is one needle (and one message)
        for value in values:
            if value.value in seen and value.kind != "owner":
                continue
            seen.add(value.value)
            if heads is not None and _head(value.value) not in heads:
                continue
            seq = words(value.value)
            if (len(seq) >= 2 or (seq and len(seq[0]) >= 8)) and seq not in skipped:
                second = seq[1] if len(seq) > 1 else None
                self.index.setdefault(seq[0], {}).setdefault(second, []).append((seq, value))

    def hits(self, text: str) -> Iterator[Hit]:
        """Every value in `text`, with where its first word starts."""
        scan = _scanned(text)
        seq = scan.words
        starts: list[int] | None = None  # found only once there is a hit to place
        last = len(seq) - 1
        for i, word in enumerate(seq):
            by_second = self.index.get(word)
            if by_second is None:
                continue
            candidates = by_second.get(seq[i + 1] if i < last else None, []) + by_second.get(None, [])
            for needle, value in candidates:
                if seq[i : i + len(needle)] == needle:
                    starts = starts or _starts(scan)
                    yield Hit(value, needle, starts[i])

    def __bool__(self) -> bool:
        return bool(self.index)
