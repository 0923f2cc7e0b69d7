"""YAML bytes -> plain values that remember where each one was written.

Every scalar is kept as the text the user wrote (a plain `~`, `null` or empty value is None):
no field of ours is numeric or boolean, and reading `10.2` as a float would turn the PCI DSS
requirement `12.10` into `12.1`, `NO` (Norway) into False and dates into `datetime.date`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from plaintrust.core import Document, Key
from plaintrust.diagnostics import Diagnostic, Location

try:  # libyaml's parser is ~7x faster; the pure-Python one gives the same nodes.
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_DEPTH = 64
MAX_ALIAS_EXPANSION = 10_000
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
# Raw control characters are refused by the parser; these arrive through escapes ("\x01").
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CORE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp")
)


@dataclass(frozen=True)
class Parsed:
    """The outcome of parsing one file: a document (None when unusable) and its diagnostics."""

    document: Document | None
    diagnostics: tuple[Diagnostic, ...] = ()


def decode(path: str, raw: bytes, rule: str = "yaml-encoding") -> tuple[str | None, Diagnostic | None]:
    """UTF-8 text (a BOM is dropped), or a diagnostic at the first byte that is not UTF-8."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        byte = raw[exc.start : exc.start + 1].hex()
        where = Location(path, line, col)
        return None, where.error(rule, f"byte 0x{byte} is not valid UTF-8", "save the file as UTF-8")


def parse_bytes(path: str, raw: bytes) -> Parsed:
    text, problem = decode(path, raw)
    if problem:
        return Parsed(None, (problem,))
    assert text is not None  # decode returns the text whenever it finds no problem
    return parse_text(path, text)


def parse_text(path: str, text: str, line_offset: int = 0) -> Parsed:
    """Build plain values straight from the parser's events.

    Streaming events (rather than composing a node tree) keeps memory and time linear, lets an
    over-deep document stop at its first excess level (libyaml's own composer recurses and can
    crash on deep nesting), and lets aliases be sized instead of expanded.
    """
    if _only_comments(text):
        where = Location(path, 1 + line_offset, 1)
        message = "the file holds only comments" if text.strip() else "the file is empty"
        return Parsed(None, (where.error("yaml-empty", message),))
    builder = _Builder(path, line_offset)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            # A dispatch table, not an isinstance chain: this runs for every event of every file.
            handler = _HANDLERS.get(type(event))
            if handler is not None:
                handler(builder, event)
    except yaml.MarkedYAMLError as exc:
        return Parsed(None, (*builder.problems, _syntax_error(path, text, exc, line_offset)))
    except yaml.reader.ReaderError as exc:
        where = _offset_location(path, text, exc.position, line_offset)
        return Parsed(
            None,
            (
                *builder.problems,
                where.error("yaml-syntax", f"character U+{exc.character:04X} is not allowed in YAML ({exc.reason})"),
            ),
        )
    except yaml.YAMLError as exc:
        where = Location(path, 1 + line_offset, 1)
        return Parsed(None, (*builder.problems, where.error("yaml-syntax", _first_line(str(exc)))))
    except _Abort as stop:
        return Parsed(None, (*builder.problems, stop.diagnostic))
    return builder.result()


def _offset_location(path: str, text: str, position: int, line_offset: int) -> Location:
    line = text.count("\n", 0, position) + 1
    col = position - (text.rfind("\n", 0, position) + 1) + 1
    return Location(path, line + line_offset, col)


def _only_comments(text: str) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines())


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "invalid YAML"


def _syntax_error(path: str, text: str, exc: yaml.MarkedYAMLError, line_offset: int) -> Diagnostic:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    where = Location(path, line + line_offset, col)
    if mark and _is_tab_indent(text, mark.line, mark.column):
        return where.error("yaml-tab", "a tab character where YAML expects spaces", "indent with spaces")
    message = exc.problem or exc.context or "invalid YAML"
    if exc.problem and exc.context:
        opened = exc.context_mark
        started = ""
        if opened and mark and (opened.line, opened.column) != (mark.line, mark.column):
            started = f" started at line {opened.line + 1 + line_offset}, column {opened.column + 1}"
        message = f"{exc.problem} ({exc.context}{started})"
    return where.error("yaml-syntax", message)


def _is_tab_indent(text: str, line: int, column: int) -> bool:
    """The error is a tab: the character at fault, or a tab in the line's indentation."""
    lines = text.splitlines()
    if line >= len(lines):
        return False
    current = lines[line]
    indent = current[: len(current) - len(current.lstrip(" \t"))]
    return current[column : column + 1] == "\t" or "\t" in indent[: column + 1]


_DISCARD = object()  # the key was refused: its value is dropped
_BAD_KEY = object()  # a collection or alias used as a key is arriving


@dataclass
class _Frame:
    """An open sequence or mapping while its events arrive."""

    container: Any
    keys: Key | None  # None: the whole collection is being dropped
    anchor: str | None
    size: int = 1
    key: Any = None  # mappings: the key awaiting its value (None: expecting a key)
    first_line: dict[str, int] = field(default_factory=dict)


class _Builder:
    """Turns parser events into plain values and positions; refuses what is unsafe."""

    def __init__(self, path: str, line_offset: int) -> None:
        self.path = path
        self.offset = line_offset
        self.positions: dict[Key, tuple[int, int]] = {}
        self.key_positions: dict[Key, tuple[int, int]] = {}
        self.problems: list[Diagnostic] = []
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.root: Any = _DISCARD
        self.documents = 0
        self.expanded = 0

    def result(self) -> Parsed:
        if self.root is _DISCARD:
            where = Location(self.path, 1 + self.offset, 1)
            return Parsed(None, (*self.problems, where.error("yaml-empty", "the file holds no YAML value")))
        document = Document(self.path, self.root, self.positions, self.key_positions)
        return Parsed(document, tuple(self.problems))

    def where(self, event: yaml.Event) -> Location:
        return Location(self.path, *self._pos(event))

    def document_start(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _Abort(
                self.where(event).error(
                    "yaml-syntax", "a second YAML document ('---') in one file", "keep one document per file"
                )
            )

    def scalar(self, event: yaml.ScalarEvent) -> None:
        """Most scalars are a key, or a plain value of a kept key or list item: placed here in one
        call (this runs for nearly every event); anything else takes `any_scalar`."""
        frame = self.stack[-1] if self.stack and not event.tag and not event.anchor else None
        if frame is None or frame.keys is None:
            return self.any_scalar(event)
        container, key = frame.container, frame.key
        value: str | None = event.value
        if type(container) is dict and key is None:
            return self.accept_key(event, event.value)
        if type(container) is dict and type(key) is not str:
            return self.any_scalar(event)  # the value of a refused key
        if not event.style and value in _NULLS:
            value = None
        elif value and _CONTROL.search(value):
            return self.any_scalar(event)
        mark = event.start_mark
        assert mark is not None  # the parser marks every event it emits
        keys = (*frame.keys, key) if type(container) is dict else (*frame.keys, len(container))
        self.positions.setdefault(keys, (mark.line + 1 + self.offset, mark.column + 1))
        frame.size += 1
        if type(container) is dict:
            container[key] = value
            frame.key = None
        else:
            container.append(value)
        return None

    def any_scalar(self, event: yaml.ScalarEvent) -> None:
        if event.tag:
            self.check_tag(event)
        if self.expecting_key():
            if event.anchor:
                self.anchors[event.anchor] = (event.value, 1)
            self.accept_key(event, event.value)
            return
        plain = not event.style
        value = None if plain and event.value in _NULLS else event.value
        if value and _CONTROL.search(value):
            self.problems.append(
                self.where(event).error(
                    "control-character",
                    "the text holds an invisible control character (an escape such as \\x01)",
                    "remove it: reports and spreadsheets cannot show it",
                )
            )
        self.place(event, value, 1)

    def start(self, event: yaml.CollectionStartEvent) -> None:
        if event.tag:
            self.check_tag(event)
        if len(self.stack) >= MAX_DEPTH:
            raise _Abort(self.where(event).error("yaml-depth", f"values nest deeper than {MAX_DEPTH} levels"))
        if self.expecting_key():
            self.refuse_key(event)
        keys = self.child_keys()
        if keys is not None:
            self.positions.setdefault(keys, self._pos(event))
        container: Any = [] if isinstance(event, yaml.SequenceStartEvent) else {}
        if event.anchor:
            self.open_anchors.add(event.anchor)
        self.stack.append(_Frame(container, keys, event.anchor))

    def end(self, event: yaml.CollectionEndEvent | None = None) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, frame.size)
        self.attach(frame.container, frame.size)

    def alias(self, event: yaml.AliasEvent) -> None:
        where = self.where(event)
        if event.anchor in self.open_anchors:
            raise _Abort(where.error("yaml-alias", f"the alias *{event.anchor} refers to a value that contains it"))
        if event.anchor not in self.anchors:
            raise _Abort(
                where.error("yaml-alias", f"the alias *{event.anchor} has no anchor &{event.anchor} before it")
            )
        value, size = self.anchors[event.anchor]
        if self.expecting_key():
            if isinstance(value, str):
                self.accept_key(event, value)
                return
            self.refuse_key(event)
        self.expanded += size
        if self.expanded > MAX_ALIAS_EXPANSION:
            raise _Abort(
                where.error(
                    "yaml-alias",
                    f"aliases expand to more than {MAX_ALIAS_EXPANSION} values (an alias bomb)",
                    "write the values out instead of nesting aliases",
                )
            )
        self.place(event, value, size)

    def place(self, event: yaml.Event, value: Any, size: int) -> None:
        keys = self.child_keys()
        if keys is not None:
            self.positions.setdefault(keys, self._pos(event))
        if isinstance(event, yaml.ScalarEvent) and event.anchor:
            self.anchors[event.anchor] = (value, size)
        self.attach(value, size)

    def attach(self, value: Any, size: int) -> None:
        if not self.stack:
            self.root = value
            return
        frame = self.stack[-1]
        frame.size += size
        if isinstance(frame.container, list):
            frame.container.append(value)
        else:
            if frame.key is _BAD_KEY:
                frame.key = _DISCARD
                return
            if frame.key is not _DISCARD:
                frame.container[frame.key] = value
            frame.key = None

    def child_keys(self) -> Key | None:
        """The path of the value about to arrive; None when it will be discarded."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if frame.keys is None:
            return None
        if isinstance(frame.container, list):
            return (*frame.keys, len(frame.container))
        return (*frame.keys, frame.key) if isinstance(frame.key, str) else None

    def expecting_key(self) -> bool:
        return bool(self.stack) and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None

    def accept_key(self, event: yaml.ScalarEvent | yaml.AliasEvent, name: str) -> None:
        frame = self.stack[-1]
        line, col = self._pos(event)
        # An alias of "<<" is refused too: it may stand for a plain <<, which YAML reads as a merge key.
        if name == "<<" and (isinstance(event, yaml.AliasEvent) or not event.style):
            where = self.where(event)
            self.problems.append(
                where.error("yaml-merge-key", "merge keys (<<) are not supported", "write the fields out")
            )
            frame.key = _DISCARD
        elif frame.keys is None:
            frame.key = _DISCARD
        elif name in frame.first_line:
            self.problems.append(
                self.where(event).error(
                    "yaml-duplicate-key",
                    f"duplicate key {name!r} (first on line {frame.first_line[name]})",
                    "remove one of them; YAML would silently keep only the last",
                )
            )
            frame.key = _DISCARD
        else:
            frame.first_line[name] = line
            frame.key = name
            self.key_positions[(*frame.keys, name)] = (line, col)

    def refuse_key(self, event: yaml.Event) -> None:
        self.problems.append(self.where(event).error("yaml-key", "a mapping key must be plain text"))
        self.stack[-1].key = _BAD_KEY

    def check_tag(self, event: yaml.NodeEvent) -> None:
        tag = getattr(event, "tag", None)
        if tag and tag not in _CORE_TAGS and tag != "!":
            self.problems.append(
                self.where(event).error("yaml-tag", f"the tag {tag!r} is not supported", "remove the tag")
            )

    def _pos(self, event: yaml.Event) -> tuple[int, int]:
        mark = event.start_mark
        assert mark is not None  # the parser marks every event it emits; only hand-made events lack one
        return mark.line + 1 + self.offset, mark.column + 1


_HANDLERS: dict[type[yaml.Event], Callable[[_Builder, Any], None]] = {
    yaml.ScalarEvent: _Builder.scalar,
    yaml.MappingStartEvent: _Builder.start,
    yaml.SequenceStartEvent: _Builder.start,
    yaml.MappingEndEvent: _Builder.end,
    yaml.SequenceEndEvent: _Builder.end,
    yaml.AliasEvent: _Builder.alias,
    yaml.DocumentStartEvent: _Builder.document_start,
}


class _Abort(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic
