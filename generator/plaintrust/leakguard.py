"""After every site build: prove no internal value reached the public output.

Internal values are every string the public view must never carry: control owners, titles and
descriptions, evidence ids, titles, sources, notes, file paths and hashes, not-applicable
justifications. The built files are scanned for each of them, and for byte-for-byte copies of
evidence files. Matching is on word sequences (case and punctuation ignored), so
`it-security@example.com` is found in `IT Security (example.com)` too; a value the public texts
themselves contain (a summary may well say "access review") is not a leak, and values shorter
than two words or eight characters are skipped as too common to mean anything.
"""

from __future__ import annotations

import gzip
import hashlib
import html
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from plaintrust.model import Model

_WORD = re.compile(r"[a-z0-9]+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")
_TEXT_SUFFIXES = frozenset({".html", ".htm", ".json", ".xml", ".txt", ".js", ".css", ".md", ".csv",
                            ".yaml", ".yml", ".svg", ".atom", ".rss", ".map", ".rels", ".tsv", ""})


@dataclass(frozen=True)
class Leak:
    file: str  # relative to the site folder
    what: str  # which internal field, and whose
    value: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{self.file}: contains {self.what}: {shown!r}"


def words(text: str) -> tuple[str, ...]:
    if "&" in text:
        text = html.unescape(text)
    return tuple(_WORD.findall(text.lower()))


def internal_values(model: Model) -> Iterator[tuple[str, str]]:
    """(what, value) for every internal string of the model."""
    for c in model.controls:
        where = f"control {c.id} ({c.source.path})"
        yield f"the id of {where}", c.id
        yield f"the owner of {where}", c.owner
        yield f"the internal title of {where}", c.title
        for line in _sentences(c.description):
            yield f"the description of {where}", line
    for e in model.evidence:
        where = f"evidence record {e.id} ({e.source.path})"
        yield f"the id of {where}", e.id
        yield f"the title of {where}", e.title
        for key in ("source", "notes"):
            for line in _sentences(e.source.data.get(key) or ""):
                yield f"the {key} of {where}", line
        for f in e.files:
            yield f"a file path of {where}", f"evidence/{f.path}"
            if f.sha256:
                yield f"a file hash of {where}", f.sha256
    if model.program:
        for framework in model.program.frameworks:
            for requirement_id, reason in framework.not_applicable.items():
                for line in _sentences(reason or ""):
                    yield f"the not-applicable justification of {framework.id} {requirement_id}", line


def _sentences(text: str) -> list[str]:
    """Lines and sentences of three words or more: shorter ones are too common to mean a leak."""
    return [p.strip() for p in _SENTENCE.split(text) if len(_WORD.findall(p.lower())) >= 3]


Needle = tuple[tuple[str, ...], str, str]  # (words, what, value)


class Needles:
    """Word sequences to look for, indexed by first and second word so that a scan does one dict
    lookup per word of output and touches only the needles that could start there."""

    def __init__(self, values: Iterable[tuple[str, str]], public_texts: Iterable[str]) -> None:
        self.index: dict[str, dict[str | None, list[Needle]]] = {}
        for what, value in values:
            seq = words(value)
            if len(seq) >= 2 or (seq and len(seq[0]) >= 8):
                second = seq[1] if len(seq) > 1 else None
                self.index.setdefault(seq[0], {}).setdefault(second, []).append((seq, what, value))
        exempt = {id(hit) for hit in self._hits(words(" \n ".join(public_texts)))}
        for by_second in self.index.values():
            for second, needles in by_second.items():
                by_second[second] = [n for n in needles if id(n) not in exempt]

    def _hits(self, seq: tuple[str, ...]) -> Iterator[Needle]:
        last = len(seq) - 1
        for i, word in enumerate(seq):
            by_second = self.index.get(word)
            if by_second is None:
                continue
            candidates = by_second.get(seq[i + 1] if i < last else None, []) + by_second.get(None, [])
            for needle in candidates:
                if seq[i : i + len(needle[0])] == needle[0]:
                    yield needle

    def find(self, text: str) -> list[tuple[str, str]]:
        seen, found = set(), []
        for _seq, what, value in self._hits(words(text)):
            if (what, value) not in seen:
                seen.add((what, value))
                found.append((what, value))
        return found


def scan(site: Path, model: Model, public_texts: Iterable[str]) -> list[Leak]:
    """Every leak in the built site at `site`, by file; empty when the site is clean."""
    needles = Needles(internal_values(model), public_texts)
    copies = _evidence_by_size(model)
    leaks = []
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if len(data) in copies:
            leaks.extend(Leak(rel, f"a copy of {label}", label) for label in _copies(data, copies[len(data)]))
        if not rel.startswith(_THEME_ASSETS):
            leaks.extend(Leak(rel, what, value) for text in _texts(rel, data, 0) for what, value in needles.find(text))
    return leaks


# The theme's own scripts and styles: minified code whose short tokens only make false alarms.
_THEME_ASSETS = ("assets/javascripts/", "assets/stylesheets/")
_INLINE_TAG = re.compile(r"</?(?:a|abbr|b|cite|code|em|i|kbd|mark|q|s|small|span|strong|sub|sup|time|u|var)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r"""=\s*(?:"([^"]*)"|'([^']*)')""")
_UNPACK_LIMIT = 256 << 20  # bytes read out of one archive member or gzip stream


def _texts(name: str, data: bytes, depth: int) -> Iterator[str]:
    """The readable text of a file: markup without its tags (so `**key**` cannot split a phrase)
    plus its attribute values, and the members of zip (xlsx, docx) and gzip files."""
    if depth < 3 and data[:4] == b"PK\x03\x04":
        yield from _zip_texts(data, depth)
    elif depth < 3 and data[:2] == b"\x1f\x8b":
        yield from _gzip_texts(name, data, depth)
    elif Path(name).suffix.lower() in _TEXT_SUFFIXES:
        text = data.decode("utf-8", errors="replace")
        if "<" in text:
            attributes = " \n ".join(a or b for a, b in _ATTRIBUTE.findall(text))
            text = _TAG.sub(" \n ", _INLINE_TAG.sub("", text)) + " \n " + attributes
        yield text


def _zip_texts(data: bytes, depth: int) -> Iterator[str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.infolist():
                if member.file_size <= _UNPACK_LIMIT and not member.is_dir():
                    yield from _texts(member.filename, archive.read(member), depth + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return


def _gzip_texts(name: str, data: bytes, depth: int) -> Iterator[str]:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            inner = stream.read(_UNPACK_LIMIT)
    except (OSError, EOFError):
        return
    yield from _texts(name[:-3] if name.endswith(".gz") else name, inner, depth + 1)


def _evidence_by_size(model: Model) -> dict[int, list[tuple[str, Path]]]:
    """Evidence files by size: only output files of the same size are worth hashing."""
    table: dict[int, list[tuple[str, Path]]] = {}
    for record in model.evidence:
        for f in record.files:
            if f.fact.size and f.fact.resolved:
                table.setdefault(f.fact.size, []).append((f"evidence/{f.path}", f.fact.resolved))
    return table


def _copies(data: bytes, candidates: list[tuple[str, Path]]) -> Iterator[str]:
    digest = hashlib.sha256(data).hexdigest()
    for label, path in candidates:
        if digest == _sha256(path):
            yield label


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None
