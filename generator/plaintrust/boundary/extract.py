"""What text a file holds, as the leak guard reads it, whatever its name says.

- Archives are opened: zip (xlsx, docx, odt; also a zip behind other bytes), gzip, bzip2 and xz,
  three levels deep, 256 MiB unpacked per file at most. What cannot be read whole (deeper, larger)
  is a finding of its own: the guard never vouches for what it did not read. A damaged archive is
  read as its bytes.
- A PDF gives the text of its pages, its metadata, outline, annotations and XMP (where pypdf can
  read them), its attachments as files of their own, and the readable runs of its bytes.
- Text (UTF-8; UTF-16 with or without a byte-order mark) is read as written, so a comment or an
  unquoted attribute is seen; with its markup removed and entities decoded (twice, for HTML escaped
  inside XML feeds), so tags cannot split a phrase; with percent-escapes, `\\uXXXX` escapes and
  Unicode look-alikes (fullwidth letters, zero-width and soft-hyphen characters) undone; and, for
  Markdown, without emphasis markers and link targets.
- Anything else is binary: its runs of six or more printable ASCII characters are read, as
  `strings` would, so metadata written into an image is seen without random bytes making words.

Each text keeps the way back to the file's own characters, so a finding in a source file can be
reported at its line and column.
"""

from __future__ import annotations

import bisect
import bz2
import gzip
import hashlib
import html
import io
import lzma
import re
import sys
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import unquote

from plaintrust.boundary.pagenames import MARKDOWN_SUFFIXES

UNPACK_BUDGET = 256 << 20  # bytes unpacked out of one file's archives, all members together
DEPTH = 3  # archives inside archives
PDF_PAGES = 2000
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    RuntimeError,
    NotImplementedError,
    EOFError,
    ValueError,
    zlib.error,
    lzma.LZMAError,
)
_INLINE_TAG = re.compile(
    r"</?(?:a|abbr|b|cite|code|em|i|kbd|mark|q|s|small|span|strong|sub|sup|time|u|var)\b[^>]*>", re.I
)
# An unclosed comment runs to the end, and `<` never starts inside a tag: linear on any input.
_TAG = re.compile(r"<!--.*?(?:-->|\Z)|<[^<>]*>", re.S)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_PERCENT = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
# \n, \t ... too: JSON writes a line break in a value so, and `n` would join the next word
_ESCAPE = re.compile(r"\\U([0-9A-Fa-f]{8})|\\u([0-9A-Fa-f]{4})|\\x([0-9A-Fa-f]{2})|\\[nrtfb]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_MARKDOWN_INLINE = re.compile(r"\]\([^)\s]*\)|[*_`~\[\]]")
_PRINTABLE_RUN = re.compile(rb"[\x20-\x7e\t]{6,}")


@dataclass(frozen=True)
class Text:
    """A text read out of a file; `offset(i)` is where its i-th character stands in the file's own text
    (None when the text did not come straight from the file's characters, e.g. from inside an archive)."""

    where: str  # the file, or `file!member` for a member of an archive
    value: str
    _starts: tuple[int, ...] = ()  # for each kept chunk, its start here ...
    _origins: tuple[int, ...] = ()  # ... and in the parent text
    _parent: Text | None = None
    direct: bool = True  # the file's own characters (not unpacked, not extracted)
    binary: bool = False  # the printable runs of a binary file
    unread: str | None = None  # why part of the file could not be read (then the text is empty)

    @property
    def own(self) -> str:
        """The file's own text, as decoded, that `offset` points into."""
        return self._parent.own if self._parent is not None else self.value

    def offset(self, index: int) -> int | None:
        if not self.direct:
            return None
        if self._parent is None:
            return index
        chunk = max(bisect.bisect_right(self._starts, index) - 1, 0)
        return self._parent.offset(self._origins[chunk] + index - self._starts[chunk])

    def sub(self, pattern: re.Pattern, replace: Callable[[re.Match], str]) -> Text:
        """This text with every match replaced, keeping the way back to this one."""
        parts, starts, origins, at, written = [], [0], [0], 0, 0
        for match in pattern.finditer(self.value):
            parts.append(self.value[at : match.start()])
            new = replace(match)
            parts.append(new)
            written += match.start() - at + len(new)
            at = match.end()
            starts.append(written)
            origins.append(at)
        parts.append(self.value[at:])
        return Text(self.where, "".join(parts), tuple(starts), tuple(origins), self, self.direct)


class Memo:
    """Costly results by the SHA-256 of what they came from, kept between runs by the caller
    (`check` runs on every commit and should not import pypdf to read an unchanged PDF again)."""

    def __init__(self, known: dict | None = None) -> None:
        self.known = known or {}
        self.used: dict[str, object] = {}
        # Results another process is computing (see `pdfworker`): waited for at the first miss.
        self.pending: Callable[[], dict] | None = None
        self.fresh: set[str] = set()  # keys this run computed (or its worker did), not read from `known`
        self.kept = bool(self.known)  # whether it started from results kept by an earlier run

    def settle(self) -> None:
        """Take what another process was computing, waiting for it (a worker never outlives a screen)."""
        if self.pending is not None:
            pending, self.pending = self.pending, None
            computed = pending()
            self.known.update(computed)
            self.fresh.update(computed)

    def computed(self) -> dict[str, object]:
        """The results this run computed itself: what another guard may take without trusting a cache."""
        return {key: value for key, value in self.used.items() if key in self.fresh}

    @staticmethod
    def key(kind: str, data_or_digest: bytes | str) -> str:
        digest = data_or_digest if isinstance(data_or_digest, str) else hashlib.sha256(data_or_digest).hexdigest()
        return f"{kind}:{digest}"

    def get(
        self, kind: str, data_or_digest: bytes | str, compute: Callable[[], object], valid: Callable[[object], bool]
    ):
        key = self.key(kind, data_or_digest)
        value = self.known.get(key)
        if not valid(value) and self.pending is not None:
            self.settle()
            value = self.known.get(key)
        if not valid(value):  # absent, or a damaged cache
            value = compute()
            self.fresh.add(key)
        self.used[key] = value
        return value


@dataclass(frozen=True)
class Leaf:
    where: str
    data: bytes
    direct: bool  # the file itself, not a member
    unread: str | None = None  # set when this part could not be read whole


def leaves(name: str, data: bytes, memo: Memo | None = None) -> Iterator[Leaf]:
    """The file itself, or each member once archives (and PDF attachments) are opened."""
    yield from _leaves(name, data, 0, [UNPACK_BUDGET], memo or Memo())


def _leaves(name: str, data: bytes, depth: int, budget: list[int], memo: Memo) -> Iterator[Leaf]:
    if data.startswith(b"%PDF-"):
        yield Leaf(name, data, depth == 0)
        for attachment, inner in _pdf(data, memo)["files"]:
            yield from _leaves(f"{name}!{attachment}", bytes.fromhex(inner), depth + 1, budget, memo)
        return
    opener = _opener(data)
    if opener is None:
        yield Leaf(name, data, depth == 0)
    elif depth == DEPTH:
        yield Leaf(name, b"", False, f"archives nested more than {DEPTH} deep")
    else:
        yield from _members(name, data, opener, depth, budget, memo)


def _members(name: str, data: bytes, opener, depth: int, budget: list[int], memo: Memo) -> Iterator[Leaf]:
    try:
        for member, inner in opener(data, budget):
            if inner is None:
                yield Leaf(f"{name}!{member}" if member else name, b"", False, "more than 256 MiB once unpacked")
                return
            yield from _leaves(f"{name}!{member}" if member else name, inner, depth + 1, budget, memo)
    except ARCHIVE_ERRORS:  # damaged: what it holds as bytes is still read
        yield Leaf(name, data, depth == 0)


def _opener(data: bytes):
    found = next((open_ for magic, open_ in _OPENERS if data.startswith(magic)), None)
    if found is None and b"PK\x05\x06" in data[-(1 << 16) - 22 :] and zipfile.is_zipfile(io.BytesIO(data)):
        return _zip_members  # a zip after other bytes (a self-extracting archive, a polyglot)
    return found


def _zip_members(data: bytes, budget: list[int]) -> Iterator[tuple[str, bytes | None]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            if not member.is_dir():
                yield member.filename, _read(archive.open(member), budget)


def _stream(module) -> Callable[[bytes, list[int]], Iterator[tuple[str, bytes | None]]]:
    def members(data: bytes, budget: list[int]) -> Iterator[tuple[str, bytes | None]]:
        yield "", _read(module.open(io.BytesIO(data)), budget)

    return members


def _read(stream, budget: list[int]) -> bytes | None:
    """The whole stream within what is left of the budget; None when it holds more."""
    with stream:
        data = stream.read(budget[0] + 1)
    if len(data) > budget[0]:
        return None
    budget[0] -= len(data)
    return data


_OPENERS = (
    (b"PK\x03\x04", _zip_members),
    (b"PK\x05\x06", _zip_members),
    (b"\x1f\x8b", _stream(gzip)),
    (b"BZh", _stream(bz2)),
    (b"\xfd7zXZ\x00", _stream(lzma)),
)


def texts(name: str, data: bytes, memo: Memo | None = None) -> Iterator[Text]:
    """Every text to scan in a file called `name` holding `data`."""
    memo = memo or Memo()
    for leaf in leaves(name, data, memo):
        if leaf.unread:
            yield Text(leaf.where, "", direct=False, unread=leaf.unread)
        else:
            yield from leaf_texts(leaf.where, leaf.data, leaf.direct, memo)


def leaf_texts(where: str, data: bytes, direct: bool = True, memo: Memo | None = None) -> Iterator[Text]:
    if data.startswith(b"%PDF-"):
        yield Text(where, _pdf(data, memo or Memo())["text"], direct=False)
    decoded = decode(data)
    if decoded is None:
        runs = "\n".join(run.decode("ascii") for run in _PRINTABLE_RUN.findall(data))
        yield Text(where, runs, direct=False, binary=True)
        return
    yield from variants(Text(where, decoded, direct=direct), markdown=where.endswith(MARKDOWN_SUFFIXES))


def variants(text: Text, markdown: bool = False) -> Iterator[Text]:
    """The text as written, and each way a reader could see more in it."""
    yield text
    value = text.value
    if "<" in value or "&" in value:
        yield _without_markup(_without_markup(text).sub(_ENTITY, _entity)).sub(_ENTITY, _entity)
    if "%" in value or "\\" in value or not value.isascii():
        yield text.sub(_PERCENT, lambda m: unquote(m.group(0))).sub(_ESCAPE, _escaped).sub(_NON_ASCII, _plain)
    if markdown and _MARKDOWN_INLINE.search(value):
        yield text.sub(_MARKDOWN_INLINE, lambda m: "")


def _without_markup(text: Text) -> Text:
    """Inline tags vanish (so `se<b>cur</b>ity` reads as one word); other tags and comments end a phrase."""
    return text.sub(_TAG, lambda m: "" if _INLINE_TAG.fullmatch(m.group(0)) else " \n ")


def _entity(match: re.Match) -> str:
    return html.unescape(match.group(0))


def _escaped(match: re.Match) -> str:
    digits = next((group for group in match.groups() if group), None)
    if digits is None:  # white space written as an escape
        return " "
    code = int(digits, 16)
    return chr(code) if code <= sys.maxunicode else match.group(0)


def _plain(match: re.Match) -> str:
    """Look-alikes as the letters they stand for; invisible format characters (zero-width space,
    soft hyphen) gone."""
    folded = unicodedata.normalize("NFKC", match.group(0))
    return "".join(c for c in folded if unicodedata.category(c) != "Cf")


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without a byte-order mark) or UTF-16 (with one, or mostly ASCII without);
    None for anything else."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16", errors="replace")
    if data.count(0) < len(data) // 4:  # text has no NUL bytes; UTF-16 of ASCII is half NULs
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    for order, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if len(data) >= 4 and zeros.count(0) >= 0.9 * len(zeros):
            text = data.decode(order, errors="replace")
            if sum(c.isprintable() or c.isspace() for c in text) >= 0.9 * len(text):
                return text
    return None


def _pdf(data: bytes, memo: Memo) -> dict:
    """{"text": ..., "files": [[name, hex bytes]...]} of a PDF (remembered by its SHA-256)."""
    return memo.get("pdf", data, lambda: read_pdf(data), is_pdf_reading)


def is_pdf_reading(value: object) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("text"), str)
        and isinstance(value.get("files"), list)
        and all(isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f) for f in value["files"])
    )


def read_pdf(data: bytes) -> dict:
    """Empty when pypdf cannot read the PDF (the readable runs of its bytes are still scanned)."""
    import logging

    from pypdf import PdfReader  # a PDF is rare; `check` should not pay for the import otherwise

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a damaged PDF is reported by us, not by pypdf
    parts: list[str] = []
    files: list[list[str]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            parts += _pdf_texts(reader)
            files += [[name, blob.hex()] for name, blobs in reader.attachments.items() for blob in blobs]
    except Exception:  # noqa: BLE001 - any damaged PDF: its byte runs are still read
        pass
    return {"text": "\n".join(parts), "files": files}


def _pdf_texts(reader) -> Iterator[str]:
    yield from (str(v) for v in (reader.metadata or {}).values())
    if reader.xmp_metadata is not None:
        yield reader.xmp_metadata.stream.get_data().decode("utf-8", errors="replace")
    yield from _outline_titles(reader.outline)
    for number, page in enumerate(reader.pages):
        if number == PDF_PAGES:
            break
        yield page.extract_text() or ""
        for annotation in page.get("/Annots") or ():
            fields = annotation.get_object()
            yield " ".join(str(fields.get(key, "")) for key in ("/Contents", "/T"))
            action = fields.get("/A")
            yield str(action.get_object().get("/URI", "")) if action is not None else ""


def _outline_titles(outline) -> Iterator[str]:
    for item in outline:
        if isinstance(item, list):
            yield from _outline_titles(item)
        else:
            yield str(getattr(item, "title", "") or "")
