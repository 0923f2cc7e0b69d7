"""A collect block's options, converted to the types its collector's schema asks for.

The YAML loader reads every value as text: `port: 443` and `port: "443"` both arrive as "443". A
collector whose schema asks for a whole number, a number or true/false would never get one, so
`coerce` converts the text where the schema asks for one of those and the text reads as one
(`true` and `false` for true/false, as YAML 1.2 writes them). Anything else stays as written, so
validation reports it against the schema.

What a value is asked to be is read from `type`; from the values an `enum` or `const` lists (text
that is not one of them is converted when it reads as one that is not text: `1` for `enum: [1, 2]`);
from the branches of `anyOf` and `oneOf` (what any one of them allows); and from the branches of
`allOf` and what a local `$ref` (`#/$defs/...`) points to in the whole schema, which all apply, so
only what they all allow counts.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Mapping
from contextlib import suppress
from typing import Any

_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_KINDS = ((bool, "boolean"), (int, "integer"), (float, "number"), (str, "string"), (type(None), "null"))


def coerce(value: object, schema: object, root: object = None) -> Any:
    """`value` with its text converted where `schema` asks for integer, number or boolean. `root` is
    the whole schema `$ref`s point into: `schema` itself unless `schema` is a part of it."""
    root = schema if root is None else root
    parts = _parts(schema, root)
    if not parts:
        return value
    if isinstance(value, str):
        return _scalar(value, _kinds(parts, value, root))
    if isinstance(value, Mapping):
        return {key: coerce(item, _member(parts, str(key)), root) for key, item in value.items()}
    if isinstance(value, list):
        return [coerce(item, _item(parts, index), root) for index, item in enumerate(value)]
    return value


def _scalar(text: str, kinds: set[str] | None) -> object:
    if kinds is None or "string" in kinds:
        return text  # text is what is asked for (or anything is): "443" stays "443"
    if "boolean" in kinds and text in _BOOLEANS:
        return _BOOLEANS[text]
    if "integer" in kinds and _INTEGER.fullmatch(text):
        with suppress(ValueError):  # more digits than Python converts: left as text
            return int(text)
    if "number" in kinds and _NUMBER.fullmatch(text) and math.isfinite(float(text)):
        return float(text)
    return text


def _parts(schema: object, root: object, seen: frozenset[int] = frozenset()) -> list[Mapping[str, Any]]:
    """The schemas a value must match at once: this one, what its local `$ref` points to, and each
    `allOf` branch, with theirs in turn (a schema that refers back to itself counts once)."""
    if not isinstance(schema, Mapping) or id(schema) in seen:
        return []
    seen |= {id(schema)}
    found: list[Mapping[str, Any]] = [schema]
    found += _parts(_target(schema.get("$ref"), root), root, seen)
    branches = schema.get("allOf")
    for branch in branches if isinstance(branches, list) else []:
        found += _parts(branch, root, seen)
    return found


def _target(ref: object, root: object) -> object:
    """What a local `$ref` (`#`, `#/$defs/port`) points to in `root`; None for any other or a broken one."""
    if not isinstance(ref, str) or not ref.startswith("#") or (ref != "#" and not ref.startswith("#/")):
        return None
    here = root
    for token in ref[2:].split("/") if ref != "#" else []:
        key = urllib.parse.unquote(token).replace("~1", "/").replace("~0", "~")
        if isinstance(here, Mapping) and key in here:
            here = here[key]
        elif isinstance(here, list) and key.isdigit() and int(key) < len(here):
            here = here[int(key)]
        else:
            return None
    return here


def _kinds(parts: list[Mapping[str, Any]], text: str, root: object) -> set[str] | None:
    """What the text may be read as (string, boolean, integer, number) that every part allows;
    None when no part says what a value may be."""
    found: set[str] | None = None
    for part in parts:
        found = _both(found, _part_kinds(part, text, root))
    return found


def _part_kinds(part: Mapping[str, Any], text: str, root: object) -> set[str] | None:
    """One part's: its `type`; the kinds of what its `enum` or `const` lists (text only when the
    text is listed); and those of any one branch of its anyOf or oneOf."""
    found = _widened(_named(part["type"])) if "type" in part else None
    for values in _listed(part):
        found = _both(found, {_kind(value) for value in values if value == text or not isinstance(value, str)})
    for keyword in ("anyOf", "oneOf"):
        branches = part.get(keyword)
        if isinstance(branches, list):
            either = [_kinds(_parts(branch, root), text, root) for branch in branches]
            known = [kinds for kinds in either if kinds is not None]  # a branch that says nothing allows anything
            found = _both(found, set().union(*known) if len(known) == len(either) else None)
    return found


def _both(first: set[str] | None, second: set[str] | None) -> set[str] | None:
    """What two constraints both allow; None is no constraint."""
    if first is None or second is None:
        return second if first is None else first
    return first & second


def _widened(types: set[str]) -> set[str]:
    return types | {"integer"} if "number" in types else types  # a whole number is a number


def _kind(value: object) -> str:
    return next((name for kind, name in _KINDS if isinstance(value, kind)), "other")


def _listed(schema: Mapping[str, Any]) -> list[list[object]]:
    """The values an `enum` and a `const` allow, a list for each of them the schema has."""
    given = [schema["enum"]] if isinstance(schema.get("enum"), list) else []
    return given + ([[schema["const"]]] if "const" in schema else [])


def _named(given: object) -> set[str]:
    if isinstance(given, str):
        return {given}
    return {t for t in given if isinstance(t, str)} if isinstance(given, list) else set()


def _member(parts: list[Mapping[str, Any]], key: str) -> object:
    """The schema of one value of a mapping: each part's property of that name, else its
    `additionalProperties`; all of them apply."""
    found: list[object] = []
    for part in parts:
        properties = part.get("properties")
        if isinstance(properties, Mapping) and key in properties:
            found.append(properties[key])
        elif isinstance(part.get("additionalProperties"), Mapping):
            found.append(part["additionalProperties"])
    return {"allOf": found} if found else None


def _item(parts: list[Mapping[str, Any]], index: int) -> object:
    """The schema of one item of a list: each part's `prefixItems` entry, else its `items`; all apply."""
    found: list[object] = []
    for part in parts:
        prefix = part.get("prefixItems")
        if isinstance(prefix, list) and index < len(prefix):
            found.append(prefix[index])
        elif isinstance(part.get("items"), Mapping):
            found.append(part["items"])
    return {"allOf": found} if found else None
