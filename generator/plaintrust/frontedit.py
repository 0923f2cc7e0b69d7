"""Edit values in the YAML front matter of a Markdown file in place, never writing the file out again.

What it guarantees: every character outside the edits (a value replaced, a field's lines dropped,
lines added) stays as it was (comments, key order, quoting, indentation, blank lines, the body), a
byte-order mark stays, and a line added takes the file's own line break (CRLF or LF). The front matter is composed by the YAML loader only to
learn where each value starts and ends; the edits are then made in the text, from its end
backwards, so that each one's offsets still hold. A front matter whose shape leaves no safe place
for an edit (flow style, a value that is not plain or quoted text, no closing `---`) raises
CannotEdit, whose message says what to change in the file. The caller reads the result again and
compares its values: this module finds places, it does not judge what the values mean.
"""

from __future__ import annotations

import bisect
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeGuard

import yaml

BOM = "\ufeff"


class CannotEdit(ValueError):
    """The front matter's shape leaves no safe place for the edit; the message says what to change."""


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets into the text
    end: int
    text: str


@dataclass(frozen=True)
class Field:
    """One `key: value` of the front matter; the nodes' marks count from `offset` in the text."""

    key: yaml.ScalarNode
    value: yaml.Node
    offset: int

    @property
    def start(self) -> int:
        return self.value.start_mark.index + self.offset

    @property
    def end(self) -> int:
        return self.value.end_mark.index + self.offset


def rewrite(raw: bytes, change: Callable[[str], str]) -> bytes:
    """`raw`, UTF-8 with or without a byte-order mark, with its text changed by `change` (which
    never sees the mark) and the mark kept."""
    bom = BOM if raw.startswith(BOM.encode()) else ""
    return (bom + change(raw.decode("utf-8")[len(bom) :])).encode("utf-8")


def fields(text: str) -> dict[str, Field]:
    """The front matter's fields by key; `text` starts with the opening `---` line. Raises CannotEdit."""
    start = len(text.splitlines(keepends=True)[0])  # after the opening '---'
    mapping = _mapping(text[start : _closing(text, start)])
    return {k.value: Field(k, v, start) for k, v in mapping.value if isinstance(k, yaml.ScalarNode)}


def _mapping(matter: str) -> yaml.MappingNode:
    try:
        mapping = yaml.compose(matter, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise CannotEdit(f"its front matter does not parse: {exc}") from None
    if not isinstance(mapping, yaml.MappingNode) or mapping.flow_style:
        raise CannotEdit("write its front matter as one `key: value` per line")
    return mapping


def _closing(text: str, start: int) -> int:
    """Where the front matter's closing `---` line starts."""
    offset = start
    for line in text[start:].splitlines(keepends=True):
        if line.rstrip() in ("---", "..."):
            return offset
        offset += len(line)
    raise CannotEdit("its front matter is never closed with '---'")


def replaceable(node: yaml.Node) -> TypeGuard[yaml.ScalarNode]:
    """Whether a value is plain or quoted text, whose characters an edit can replace whole (a block
    scalar, a list or a mapping has no such span)."""
    return isinstance(node, yaml.ScalarNode) and node.style in (None, "", '"', "'")


def replace(field: Field, value: str, plain: str | None = None) -> Edit:
    """The value's characters replaced by `value` in the quotes it had; `plain` is how it is written
    without quotes (default: as it is). Raises CannotEdit when the value is not replaceable."""
    node = field.value
    if not replaceable(node):
        raise CannotEdit(f"write its `{field.key.value}` as a one-line value")
    if node.style == '"':
        shown = json.dumps(value, ensure_ascii=False)
    elif node.style == "'":
        shown = "'" + value.replace("'", "''") + "'"
    else:
        shown = value if plain is None else plain
    return Edit(field.start, field.end, shown)


def drop(text: str, field: Field) -> Edit:
    """The lines from the field's key to the one holding the last character of its value, comment
    and line break included; lines split wherever the loader splits them."""
    start, end = field.key.start_mark.index + field.offset, field.end
    ends = list(itertools.accumulate(len(line) for line in text.splitlines(keepends=True)))
    first, last = bisect.bisect_right(ends, start), bisect.bisect_right(ends, max(end - 1, start))
    return Edit(ends[first - 1] if first else 0, ends[last] if last < len(ends) else len(text), "")


def insert_after(text: str, field: Field, lines: list[str]) -> Edit:
    """`lines` after the line where the field's value ends, indented like its key, each ended with
    the text's line break (CRLF when it has one, else LF)."""
    indent = " " * field.key.start_mark.column
    newline = "\r\n" if "\r\n" in text else "\n"
    at = text.find("\n", field.end) + 1  # the front matter's closing line follows
    return Edit(at, at, "".join(f"{indent}{line}{newline}" for line in lines))


def apply(text: str, edits: list[Edit]) -> str:
    """`text` with every edit made; the edits must not overlap."""
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    return text
