"""Categories from a spreadsheet column for `plaintrust import`: each value becomes a category id, and
the categories site/trust.yaml lacks are listed as the YAML to add, or appended to it in place.

A column such as "Vulnerability Management" cannot be a public category as written: ids are letters,
digits, '.', '_' and '-'. A value that is already a category's id stays; any other becomes its slug
(`vulnerability-management`); two cells that differ in more than case, accents and the spaces,
'-' and '_' between words ("C++" and "C#") are two categories, which one id cannot hold (see
`same_name`). Ids and titles are written as YAML strings, whatever they look like (`null`, `2024`).
site/trust.yaml is edited as text, never written out again: its
comments, order and quoting stay, the new categories go after the last one in the file's own style,
and the file is read again afterwards and must hold exactly the old values plus the new categories.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from plaintrust import frontedit, yamltext
from plaintrust.boundary.pagenames import slug as page_slug
from plaintrust.load.discovery import TRUST
from plaintrust.load.yamlfile import parse_bytes
from plaintrust.model import TrustProfile

_BETWEEN_WORDS = re.compile(r"[\s_-]+")
_ID_LENGTH = 64  # the longest id the schemas accept


@dataclass(frozen=True)
class Site:
    """site/trust.yaml as import needs it: where it is, and its category ids (None: it does not load)."""

    path: Path
    known: frozenset[str] | None
    exists: bool


def site(root: Path, trust: TrustProfile | None) -> Site:
    """The profile the pipeline read, or where it should be when it did not load."""
    if trust is not None:
        return Site(root / trust.source.path, frozenset(c.id for c in trust.categories), True)
    found = next((p for p in (root / TRUST, root / "site/trust.yml") if p.is_file()), None)
    return Site(found or root / TRUST, None, found is not None)


def slug(value: str, known: Collection[str]) -> str:
    """The category id a cell names: itself when it is one already, else its letters and digits in
    lower case (accents dropped) joined by '-'; the value itself when it has none of those."""
    if value in known:
        return value
    made = page_slug(_ascii(value))[:_ID_LENGTH].rstrip("-")
    return made or value


def same_name(first: str, second: str) -> bool:
    """Whether two cells name one category: alike but for case, accents, and the spaces, '-' and '_'
    between words ("Access control" and "access-control"; not "C++" and "C#")."""
    return _spelling(first) == _spelling(second)


def _spelling(value: str) -> str:
    return _BETWEEN_WORDS.sub("-", _ascii(value).lower()).strip("-")


def _ascii(value: str) -> str:
    """`value` with accents dropped ("Sécurité" -> "Securite"), and any other letter outside ASCII."""
    return unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")


def missing(categories: Iterable[tuple[str, str]], known: Collection[str]) -> tuple[tuple[str, str], ...]:
    """The (id, title) pairs site/trust.yaml lacks, in the order first met, each id once; the title
    is the first cell that named it, as written."""
    titles: dict[str, str] = {}
    for category_id, title in categories:
        if category_id not in known:
            titles.setdefault(category_id, title)
    return tuple(titles.items())


def as_yaml(categories: Iterable[tuple[str, str]]) -> str:
    """The `categories` entries to paste into site/trust.yaml."""
    lines = ["categories:"]
    for category_id, title in categories:
        lines += [f"  - id: {yamltext.scalar(category_id)}", f"    title: {yamltext.scalar(title)}"]
    return "\n".join(lines) + "\n"


class CannotAdd(ValueError):
    """site/trust.yaml's shape leaves no safe place for the new categories; the message says why."""


def added(raw: bytes, categories: tuple[tuple[str, str], ...]) -> bytes:
    """site/trust.yaml's bytes with `categories` appended to its list. Raises CannotAdd."""
    result = frontedit.rewrite(raw, lambda text: _appended(text, categories))
    before, after = _data(raw), _data(result)
    wanted = [{"id": i, "title": t} for i, t in categories]
    if before is None or after != {**before, "categories": [*before["categories"], *wanted]}:
        raise CannotAdd("the file would not read back with only the new categories added")
    return result


def _appended(text: str, categories: tuple[tuple[str, str], ...]) -> str:
    sequence = _categories_node(text)
    items = sequence.value
    dash, key = sequence.start_mark.column, items[0].start_mark.column
    flow = isinstance(items[0], yaml.MappingNode) and items[0].flow_style
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = [_item(category_id, title, dash, key, flow) for category_id, title in categories]
    at = text.find("\n", _end(items[-1]) - 1) + 1 or len(text)
    before = "" if text[:at].endswith("\n") else newline  # a file without a final line break
    return text[:at] + before + "".join(line.replace("\n", newline) + newline for line in lines) + text[at:]


def _categories_node(text: str) -> yaml.SequenceNode:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise CannotAdd(f"it does not parse: {exc}") from None
    pairs = root.value if isinstance(root, yaml.MappingNode) else []
    node = next((v for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value == "categories"), None)
    if not isinstance(node, yaml.SequenceNode) or node.flow_style or not node.value:
        raise CannotAdd("write its `categories` as a list with one `- id: ...` entry per category")
    return node


def _end(node: yaml.Node) -> int:
    """Where the node's last value ends: a block mapping's or list's own end lies past the blank
    lines and comments that follow it."""
    block = isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and not node.flow_style and node.value
    if isinstance(node, yaml.MappingNode) and block:
        return _end(node.value[-1][1])
    if isinstance(node, yaml.SequenceNode) and block:
        return _end(node.value[-1])
    return node.end_mark.index


def _item(category_id: str, title: str, dash: int, key: int, flow: bool) -> str:
    """One list entry, in the style of the file's first category."""
    lead = " " * dash + "-" + " " * max(key - dash - 1, 1)
    if flow:
        return f"{lead}{{id: {_flow(category_id)}, title: {_flow(title)}}}"
    return f"{lead}id: {yamltext.scalar(category_id)}\n{' ' * key}title: {yamltext.scalar(title)}"


def _flow(text: str) -> str:
    """`text` as a flow mapping's value, which needs the quotes a flow list's item needs."""
    return yamltext.flow_list([text])[1:-1]


def _data(raw: bytes) -> dict | None:
    parsed = parse_bytes(TRUST, raw)
    data = parsed.document.data if parsed.document is not None and not parsed.diagnostics else None
    return data if isinstance(data, dict) and isinstance(data.get("categories"), list) else None
