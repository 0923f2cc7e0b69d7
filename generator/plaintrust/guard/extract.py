"""What text a file holds, as the leak guard reads it, whatever its name says.

- Archives are opened: zip (xlsx, docx, odt), gzip, bzip2 and xz, three levels deep at most.
- A PDF gives the text of its pages (where pypdf can extract it) and the readable runs of its bytes.
- Text (UTF-8, or UTF-16 with a byte-order mark) is read twice: as written, so a comment or an
  unquoted attribute is seen, and with its markup removed and entities decoded (twice, for HTML
  escaped inside XML feeds), so tags cannot split a phrase.
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
import warnings
import zipfile
from dataclasses import dataclass
from typing import Callable, Iterator

UNPACK_LIMIT = 256 << 20  # bytes read out of one archive member or compressed stream
PDF_PAGES = 2000
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|cite|code|em|i|kbd|mark|q|s|small|span|strong|sub|sup|time|u|var)\b[^>]*>", re.I)
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);?")
_PRINTABLE_RUN = re.compile(rb"[\x20-\x7e\t]{6,}")


@dataclass(frozen=True)
class Text:
    """A text read out of a file; `offset(i)` is where its i-th character stands in the file's own text
    (None when the text did not come straight from the file's characters, e.g. from inside an archive)."""

    where: str  # the file, or `file!member` for a member of an archive
    value: str
    _starts: tuple[int, ...] = ()  # for each kept chunk, its start here ...
    _origins: tuple[int, ...] = ()  # ... and in the parent text
    _parent: "Text | None" = None
    direct: bool = True  # the file's own characters (not unpacked, not extracted)

    def offset(self, index: int) -> int | None:
        if not self.direct:
            return None
        if self._parent is None:
            return index
        chunk = max(bisect.bisect_right(self._starts, index) - 1, 0)
        return self._parent.offset(self._origins[chunk] + index - self._starts[chunk])

    def sub(self, pattern: re.Pattern, replace: Callable[[re.Match], str]) -> "Text":
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


def leaves(name: str, data: bytes, depth: int = 0) -> Iterator[tuple[str, bytes, bool]]:
    """(where, bytes, direct) for the file itself, or for each member once archives are opened."""
    opener = next((open_ for magic, open_ in _OPENERS if data.startswith(magic)), None)
    members = opener(data) if opener is not None and depth < 3 else None
    if members is None:  # not an archive, too deep, or damaged: read as it is
        yield name, data, depth == 0
        return
    for member, inner in members:
        yield from leaves(f"{name}!{member}" if member else name, inner, depth + 1)


class Memo:
    """Costly results by the SHA-256 of what they came from, kept between runs by the caller
    (`check` runs on every commit and should not import pypdf to read an unchanged PDF again)."""

    def __init__(self, known: dict | None = None) -> None:
        self.known = known or {}
        self.used: dict[str, object] = {}

    def get(self, kind: str, data_or_digest: bytes | str, compute: Callable[[], object], expected: type):
        digest = data_or_digest if isinstance(data_or_digest, str) else hashlib.sha256(data_or_digest).hexdigest()
        key = f"{kind}:{digest}"
        value = self.known.get(key)
        if not isinstance(value, expected):  # absent, or a damaged cache
            value = compute()
        self.used[key] = value
        return value


def texts(name: str, data: bytes, memo: Memo | None = None) -> Iterator[Text]:
    """Every text to scan in a file called `name` holding `data`."""
    for where, leaf, direct in leaves(name, data):
        yield from leaf_texts(where, leaf, direct, memo)


def leaf_texts(where: str, data: bytes, direct: bool = True, memo: Memo | None = None) -> Iterator[Text]:
    if data.startswith(b"%PDF-"):
        yield Text(where, (memo or Memo()).get("pdf", data, lambda: _pdf_text(data), str), direct=False)
    decoded = decode(data)
    if decoded is None:
        yield Text(where, "\n".join(run.decode("ascii") for run in _PRINTABLE_RUN.findall(data)), direct=False)
        return
    yield from variants(Text(where, decoded, direct=direct))


def variants(text: Text) -> Iterator[Text]:
    """The text as written, and (when it has markup or entities) as a reader sees it."""
    yield text
    if "<" in text.value or "&" in text.value:
        yield _without_markup(_without_markup(text).sub(_ENTITY, _entity)).sub(_ENTITY, _entity)


def _without_markup(text: Text) -> Text:
    """Inline tags vanish (so `se<b>cur</b>ity` reads as one word); other tags and comments end a phrase."""
    return text.sub(_TAG, lambda m: "" if _INLINE_TAG.fullmatch(m.group(0)) else " \n ")


def _entity(match: re.Match) -> str:
    return html.unescape(match.group(0))


def decode(data: bytes) -> str | None:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with one; None for anything else."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


Members = list[tuple[str, bytes]]


def _zip_members(data: bytes) -> Members | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(m.filename, archive.read(m)) for m in archive.infolist()
                    if m.file_size <= UNPACK_LIMIT and not m.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, NotImplementedError, EOFError, ValueError):
        return None


def _stream(module) -> Callable[[bytes], Members | None]:
    def members(data: bytes) -> Members | None:
        try:
            with module.open(io.BytesIO(data)) as stream:
                return [("", stream.read(UNPACK_LIMIT))]
        except (OSError, EOFError, ValueError, lzma.LZMAError):
            return None
    return members


_OPENERS: tuple[tuple[bytes, Callable[[bytes], Members | None]], ...] = (
    (b"PK\x03\x04", _zip_members),
    (b"PK\x05\x06", _zip_members),
    (b"\x1f\x8b", _stream(gzip)),
    (b"BZh", _stream(bz2)),
    (b"\xfd7zXZ\x00", _stream(lzma)),
)


def _pdf_text(data: bytes) -> str:
    """The text of a PDF's pages and its metadata; empty when pypdf cannot read it (the readable
    runs of its bytes are still scanned)."""
    import logging

    from pypdf import PdfReader  # a PDF is rare; `check` should not pay for the import otherwise

    logging.getLogger("pypdf").setLevel(logging.CRITICAL)  # a damaged PDF is reported by us, not by pypdf
    parts: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            parts += [str(v) for v in (reader.metadata or {}).values()]
            for number, page in enumerate(reader.pages):
                if number == PDF_PAGES:
                    break
                parts.append(page.extract_text() or "")
    except Exception:  # noqa: BLE001 - any damaged PDF: its byte runs are still read
        pass
    return "\n".join(parts)
