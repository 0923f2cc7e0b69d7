"""Write sha256 values into an evidence record by editing its text, never by re-serialising it.

A record is written by hand: its comments, quoting, key order, flow or block style, line endings and
byte-order mark are the author's. Only the characters of a sha256 value change, or one
`sha256: ...` line (or `, sha256: ...` inside `{...}`) is inserted after the file's `path`. The
result is parsed again and must equal the old data plus the new hashes, or nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import yaml

from plaintrust.load.yamlfile import parse_bytes

BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class Edit:
    start: int  # character offsets into the text
    end: int
    text: str


class CannotEdit(ValueError):
    """The record's shape leaves no safe place for the hash; the message says what to change."""


def set_sha256(raw: bytes, path: str, hashes: Mapping[int, str]) -> bytes:
    """`raw` with `files[i].sha256 = hashes[i]`; raises CannotEdit when that cannot be done in place."""
    bom = BOM if raw.startswith(BOM) else b""
    text = raw[len(bom) :].decode("utf-8")
    files = _files_node(text)
    edits = [_edit(text, files.value[index], sha) for index, sha in hashes.items()]
    for edit in sorted(edits, key=lambda e: e.start, reverse=True):
        text = text[: edit.start] + edit.text + text[edit.end :]
    result = bom + text.encode("utf-8")
    _confirm(raw, result, path, hashes)
    return result


def _files_node(text: str) -> yaml.SequenceNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise CannotEdit(f"the record does not parse: {exc}") from None
    files = _value(root, "files") if isinstance(root, yaml.MappingNode) else None
    if not isinstance(files, yaml.SequenceNode):
        raise CannotEdit("the record has no `files` list")
    return files


def _value(mapping: yaml.MappingNode, key: str) -> yaml.Node | None:
    return next((v for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key), None)


def _edit(text: str, item: yaml.Node, sha: str) -> Edit:
    if not isinstance(item, yaml.MappingNode):
        raise CannotEdit("a `files` entry is not a mapping")
    current = _value(item, "sha256")
    if current is not None:
        return _replace(current, sha)
    path = _value(item, "path")
    if path is None:
        raise CannotEdit("a `files` entry has no `path`")
    if item.flow_style:
        return Edit(path.end_mark.index, path.end_mark.index, f", sha256: {sha}")
    return _insert_line(text, item, path, sha)


def _replace(node: yaml.Node, sha: str) -> Edit:
    if not isinstance(node, yaml.ScalarNode) or node.style not in (None, "", '"', "'") or not node.value:
        raise CannotEdit("write the existing sha256 as a one-line value")
    quote = node.style or ""
    return Edit(node.start_mark.index, node.end_mark.index, f"{quote}{sha}{quote}")


def _insert_line(text: str, item: yaml.MappingNode, path: yaml.Node, sha: str) -> Edit:
    """A new line after the one where `path`'s value ends, indented like the entry's keys."""
    indent = " " * item.value[0][0].start_mark.column
    newline = "\r\n" if "\r\n" in text else "\n"
    end = path.end_mark.index
    line_end = end - 1 if end and text[end - 1] == "\n" else text.find("\n", end)  # a block scalar ends past its line
    if line_end == -1:
        return Edit(len(text), len(text), f"{newline}{indent}sha256: {sha}")
    return Edit(line_end + 1, line_end + 1, f"{indent}sha256: {sha}{newline}")


def _confirm(before: bytes, after: bytes, path: str, hashes: Mapping[int, str]) -> None:
    old, new = parse_bytes(path, before).document, parse_bytes(path, after).document
    if old is None or new is None:
        raise CannotEdit("the record does not parse")
    expected = old.data
    try:
        for index, sha in hashes.items():
            expected["files"][index]["sha256"] = sha
    except (KeyError, IndexError, TypeError):
        raise CannotEdit("the record's `files` list is not what it seemed") from None
    if new.data != expected:
        raise CannotEdit(
            "the hash cannot be written without changing other values; write the `files` entries out in block style"
        )
