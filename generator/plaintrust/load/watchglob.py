"""Git's `:(glob)` pathspecs, as a watch's pattern is matched against a repository's files.

`matches` names a file as git's `:(glob)` pathspec does (`*` within a folder, `**` across folders,
`[...]` classes), so that Plaintrust and `git log` agree on which files a watch names; `is_glob`
tells a pattern from a plain path. `check` (through `watch_history`) and `plaintrust impact` share
them.
"""

from __future__ import annotations

import re
import string
from functools import lru_cache

_GLOB_CHARS = re.compile(r"[*?\[]")
_WILDCARD = re.compile(rb"[*?\[\\]")  # where git's pathspecs stop comparing a pattern as written
# The character classes git's globs know (`[[:alpha:]]`), in ASCII as git has them.
_CLASSES = {
    b"alnum": b"a-zA-Z0-9",
    b"alpha": b"a-zA-Z",
    b"blank": b" \\t",
    b"cntrl": b"\\x00-\\x1f\\x7f",
    b"digit": b"0-9",
    b"graph": b"!-~",
    b"lower": b"a-z",
    b"print": b" -~",
    b"punct": re.escape(string.punctuation.encode()),
    b"space": b" \\t\\n\\r",
    b"upper": b"A-Z",
    b"xdigit": b"0-9A-Fa-f",
}


def is_glob(pattern: str) -> bool:
    return _GLOB_CHARS.search(pattern) is not None


def matches(pattern: str, path: str) -> bool:
    """Whether `path` (from the repository root) is named by `pattern`, as git's `:(glob)` pathspec
    names it: the pattern as written first (a file may be called `[x].tf`), then as a glob, where
    `*` and `?` never cross a `/`, a run of `*` standing between slashes (or the ends) stands for
    any folders (`**/` none included; `**` alone for every file), and `[...]` for one character of
    a class (`[a-z]`, `[!a]`, `[[:alpha:]]`). A malformed class (`[a` unclosed) names nothing."""
    if pattern == path:
        return True
    compiled = _compiled(pattern)
    return compiled is not None and compiled.fullmatch(path.encode("utf-8", "surrogateescape")) is not None


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[bytes] | None:
    """The pattern as a regular expression over the path's bytes (git matches bytes: `?` is one
    byte), or None when git would match nothing with it."""
    text, out, at = pattern.encode("utf-8", "surrogateescape"), [], 0
    literal = _WILDCARD.search(text)
    while at < len(text):
        piece, at = _piece(text, at, literal.start() if literal else -1)
        if piece is None:
            return None
        out.append(piece)
    return re.compile(b"".join(out), re.DOTALL)


def _piece(pattern: bytes, at: int, first: int) -> tuple[bytes | None, int]:
    """The expression for the glob element at `at`, and where the next one starts. `first` is where
    the first wildcard is: git compares what comes before it as it is, then the rest as a glob of
    its own, so a `**` there stands at the glob's start (`infra**` names `infra/a/b.tf`)."""
    char = pattern[at : at + 1]
    if char == b"*":
        end = at
        while pattern[end : end + 1] == b"*":
            end += 1
        before, after = pattern[at - 1 : at] if at != first else b"/", pattern[end : end + 1] or b"/"
        if end - at == 1 or before != b"/" or after != b"/":
            return b"[^/]*", end  # `a**b` is `a*b`
        return (b".*", end) if end == len(pattern) else (b"(?:.*/)?", end + 1)
    if char == b"?":
        return b"[^/]", at + 1
    if char == b"[":
        return _class(pattern, at)
    if char == b"\\":  # git's escape: the next character as itself
        escaped = pattern[at + 1 : at + 2]
        return (re.escape(escaped), at + 2) if escaped else (None, at + 1)
    return re.escape(char), at + 1


def _class(pattern: bytes, start: int) -> tuple[bytes | None, int]:
    """`[...]` as git reads it: `!` or `^` first negates, a `]` first is itself, `a-z` a range,
    `[:name:]` a named class, `\\` an escape; never a `/`. None when it is not closed."""
    at = start + 1
    negated = pattern[at : at + 1] in (b"!", b"^")
    at += negated
    items: list[bytes] = []
    previous: bytes | None = None
    while at == start + 1 + negated or pattern[at : at + 1] != b"]":
        item, previous, at = _class_item(pattern, at, previous)
        if item is None:
            return None, at
        items.append(item)
    body = b"".join(items)  # empty: every member was a range written backwards, which holds nothing
    if not body:
        return (b"[^/]" if negated else b"(?!)"), at + 1
    return b"(?!/)[" + (b"^" if negated else b"") + body + b"]", at + 1


def _class_item(pattern: bytes, at: int, previous: bytes | None) -> tuple[bytes | None, bytes | None, int]:
    """One member of a class at `at`: (its expression, the character a `-` after it starts a range
    from, where the next starts). None for the expression: the class is malformed."""
    char = pattern[at : at + 1]
    if not char:
        return None, None, at
    if char == b"\\":
        char, at = pattern[at + 1 : at + 2], at + 1
        return (re.escape(char) if char else None), char, at + 1
    following = pattern[at + 1 : at + 2]
    if char == b"-" and previous and following and following != b"]":
        last, at = (pattern[at + 2 : at + 3], at + 2) if following == b"\\" else (following, at + 1)
        fits = last and previous <= last
        return (re.escape(previous) + b"-" + re.escape(last) if fits else b"") if last else None, None, at + 1
    if char == b"[" and following == b":":
        close = pattern.find(b"]", at + 2)
        name = pattern[at + 2 : close] if close > 0 else b""
        if close < 0:
            return None, None, at
        if name.endswith(b":") and len(name) > 1:
            known = _CLASSES.get(name[:-1])
            return known, None, close + 1
        if name.endswith(b":"):
            return None, None, at
    return re.escape(char), char, at + 1
