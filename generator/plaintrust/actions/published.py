"""`plaintrust evidence verify --published`: does this ledger extend every head the trust center published?

A published head says the ledger had `entries` lines and the last of them hashed to `head`. This
ledger extends it when its first `entries` lines still link one to the next and line `entries`
hashes to `head`: since then, lines were only appended. trust.json carries the latest head,
evidence-log.json the head at the end of each day with pins. Whoever rewrites the ledger can make
its chain hold again, but not make it match a head that others already copied.
"""

from __future__ import annotations

import http.client
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from plaintrust.diagnostics import Diagnostic, Location, finalize, shown_path
from plaintrust.evidence import ledger
from plaintrust.public.trust_json import FORMAT, LOG_FORMAT

TIMEOUT = 10  # seconds to wait for a published file
LIMIT = 16 << 20  # bytes: a day's head is ~100 bytes, so this is decades of daily heads
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://")
_HEX = re.compile(r"[0-9a-f]{64}")
_DAY = re.compile(r"\d{4}-\d\d-\d\d")


@dataclass(frozen=True)
class Head:
    entries: int
    head: str
    as_of: str


@dataclass(frozen=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]
    heads: int  # published heads read
    entries: int  # ledger lines read


class _Unreadable(Exception):
    """Why the published file gives no heads; becomes a diagnostic in `check`."""


def check(root: Path, source: str) -> Report:
    """Every published head in `source` (a file path or an http(s) URL) against the ledger at `root`."""
    try:
        heads = _parse(_fetch(source))
    except _Unreadable as why:
        return Report((Location(shown_path(source)).error("published-file", str(why)),), 0, 0)
    book, problems = ledger.load(root)
    if book is None:
        return Report(tuple(problems), len(heads), 0)
    if not book.exists:
        missing = Location(ledger.PATH).error(
            ledger.FILE, f"{ledger.PATH} does not exist: there is nothing to check the published heads against"
        )
        return Report((missing,), len(heads), 0)
    broken = first_break(book)
    found = [d for h in heads if (d := mismatch(book, broken, h))]
    if broken is not None and broken > max(h.entries for h in heads):
        # the published history holds, but what was appended since does not: the ledger is no
        # longer one chain, so it does not extend the heads either
        found.append(
            Location(ledger.PATH, broken).error(
                "ledger-published",
                f"the chain breaks at line {broken}, after the published heads: the entries "
                "added since were changed or are not entries",
                "run `plaintrust evidence verify` for the details",
            )
        )
    return Report(tuple(finalize(found)), len(heads), len(book.lines))


def _fetch(source: str) -> bytes:
    """The bytes of a local file, or of an http(s) URL; raises _Unreadable."""
    scheme = _SCHEME.match(source)
    if scheme and scheme[1].lower() not in ("http", "https"):
        raise _Unreadable("only http and https addresses are fetched: download the published file and give its path")
    verb = "fetch" if scheme else "read"
    try:
        data = _download(source) if scheme else _read(Path(source))
    except urllib.error.HTTPError as exc:
        raise _Unreadable(f"cannot fetch the published file: the server answered {exc.code} {exc.reason}") from None
    except urllib.error.URLError as exc:
        raise _Unreadable(f"cannot fetch the published file: {_reason(exc.reason)}") from None
    except (http.client.HTTPException, ValueError, OSError) as exc:
        raise _Unreadable(f"cannot {verb} the published file: {_reason(exc)}") from None
    if len(data) > LIMIT:
        raise _Unreadable(f"the published file is larger than {LIMIT >> 20} MiB, far more than any evidence log")
    return data


def _read(path: Path) -> bytes:
    with open(path, "rb") as stream:
        return stream.read(LIMIT + 1)


def _download(url: str) -> bytes:
    """Only http and https, redirects included: a server cannot send us to a local file."""
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler(),
        urllib.request.UnknownHandler(),
        urllib.request.HTTPHandler(),
        urllib.request.HTTPSHandler(),
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPRedirectHandler(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    request = urllib.request.Request(url, headers={"User-Agent": "plaintrust", "Accept": "application/json"})
    with opener.open(request, timeout=TIMEOUT) as response:
        return response.read(LIMIT + 1)


def _reason(reason: object) -> str:
    if isinstance(reason, TimeoutError):
        return f"no answer within {TIMEOUT} seconds"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _parse(data: bytes) -> list[Head]:
    """The heads of a trust.json or an evidence-log.json; raises _Unreadable."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):  # ValueError: not UTF-8 or not JSON
        raise _Unreadable("the published file is not JSON") from None
    kind = document.get("format") if isinstance(document, dict) else None
    if kind == LOG_FORMAT:
        items = document.get("heads")
        if not isinstance(items, list):
            raise _Unreadable("the published file's `heads` is not a list")
    elif kind == FORMAT:
        items = [] if document.get("evidence_ledger") is None else [document["evidence_ledger"]]
    else:
        raise _Unreadable(
            f"the published file is neither a trust.json nor an evidence-log.json: its `format` is not "
            f"{FORMAT} or {LOG_FORMAT}"
        )
    heads = [_head(number, item) for number, item in enumerate(items, 1)]
    if not heads:
        raise _Unreadable("the published file holds no ledger head, so there is nothing to check")
    return heads


def _head(number: int, item: object) -> Head:
    entries = item.get("entries") if isinstance(item, dict) else None
    head = item.get("head") if isinstance(item, dict) else None
    as_of = item.get("as_of") if isinstance(item, dict) else None
    if (
        type(entries) is not int
        or entries < 1
        or not isinstance(head, str)
        or not _HEX.fullmatch(head)
        or not isinstance(as_of, str)
        or not _DAY.fullmatch(as_of)
    ):
        raise _Unreadable(
            f"head {number} of the published file is not entries (a whole number from 1), head "
            "(64 hex digits) and as_of (YYYY-MM-DD)"
        )
    return Head(entries, head, as_of)


def first_break(book: ledger.Ledger) -> int | None:
    """The first line that is not an entry or does not hold the hash of the line before; None: none."""
    prev = ledger.GENESIS
    for line in book.lines:
        if line.entry is None or line.entry.prev != prev:
            return line.number
        prev = line.digest
    return None


def mismatch(book: ledger.Ledger, broken: int | None, head: Head) -> Diagnostic | None:
    """Why the ledger does not extend `head`, or None when it does."""
    lines = book.lines
    what = (
        f"the published head after {head.entries} entr{'y' if head.entries == 1 else 'ies'} (as of {head.as_of}) "
        "is not in this ledger"
    )
    if len(lines) < head.entries:
        has = f"only {len(lines)} entr{'y' if len(lines) == 1 else 'ies'}" if lines else "no entries"
        return Location(ledger.PATH).error(
            "ledger-published", f"{what}: it has {has} (entries were removed, or this copy is out of date)"
        )
    if broken is not None and broken <= head.entries:
        return Location(ledger.PATH, broken).error(
            "ledger-published", f"{what}: its history was rewritten (the chain breaks at line {broken})"
        )
    if lines[head.entries - 1].digest != head.head:
        return Location(ledger.PATH, head.entries).error("ledger-published", f"{what}: its history was rewritten")
    return None
