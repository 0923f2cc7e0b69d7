"""Small pieces of YAML text written by hand, for files people will read and edit afterwards.

PyYAML's emitter quotes, wraps and orders as it likes; these keep a value plain whenever YAML reads
it back unchanged, and quote it (JSON's double quotes are valid YAML) only when it would not.
"""

from __future__ import annotations

import json

import yaml


def _reads_back(text: str, expected: object) -> bool:
    try:
        return yaml.safe_load(text) == expected
    except yaml.YAMLError:
        return False


def scalar(text: str) -> str:
    """`text` as a block value (after `key: `)."""
    plain = "\n" not in text and text == text.strip() and _reads_back(f"k: {text}", {"k": text})
    return text if plain else json.dumps(text, ensure_ascii=False)


def key(text: str) -> str:
    plain = "\n" not in text and text == text.strip() and _reads_back(f"{text}: x", {text: "x"})
    return text if plain else json.dumps(text, ensure_ascii=False)


def flow_list(items: list[str]) -> str:
    """`[a, b]`, each item quoted only when a flow context would misread it."""
    shown = [i if "\n" not in i and _reads_back(f"[{i}]", [i]) else json.dumps(i, ensure_ascii=False) for i in items]
    return f"[{', '.join(shown)}]"


def text_value(text: str, indent: int) -> str:
    """A value that may run over several lines: a literal block (`|-`) when that keeps it exact."""
    lines = text.split("\n")
    literal = len(lines) > 1 and not text[:1].isspace() and text == text.rstrip() and "\t" not in text
    if not literal:
        return scalar(text)
    pad = " " * indent
    return "|-\n" + "\n".join(pad + line if line else "" for line in lines)
