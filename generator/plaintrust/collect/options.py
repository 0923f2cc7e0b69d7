"""A collect block's options, converted to the types its collector's schema asks for.

The YAML loader reads every value as text: `port: 443` and `port: "443"` both arrive as "443". A
collector whose schema asks for a whole number, a number or true/false would never get one, so
`coerce` converts the text where the schema asks for one of those and the text reads as one
(`true` and `false` for true/false, as YAML 1.2 writes them). Anything else stays as written, so
validation reports it against the schema.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from contextlib import suppress
from typing import Any

_INTEGER = re.compile(r"[-+]?[0-9]+")
_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def coerce(value: object, schema: object) -> Any:
    """`value` with its text converted where `schema` asks for integer, number or boolean."""
    if not isinstance(schema, Mapping):
        return value
    if isinstance(value, str):
        return _scalar(value, _types(schema))
    if isinstance(value, Mapping):
        return {key: coerce(item, _member(schema, str(key))) for key, item in value.items()}
    if isinstance(value, list):
        return [coerce(item, _item(schema, index)) for index, item in enumerate(value)]
    return value


def _scalar(text: str, types: set[str]) -> object:
    if "string" in types:
        return text  # text is what is asked for: "443" stays "443"
    if "boolean" in types and text in _BOOLEANS:
        return _BOOLEANS[text]
    if types & {"integer", "number"} and _INTEGER.fullmatch(text):
        with suppress(ValueError):  # more digits than Python converts: left as text
            return int(text)
    if "number" in types and _NUMBER.fullmatch(text) and math.isfinite(float(text)):
        return float(text)
    return text


def _types(schema: Mapping[str, Any]) -> set[str]:
    """The types a value may have: `type`, and those of a simple anyOf/oneOf."""
    found = _named(schema.get("type"))
    for keyword in ("anyOf", "oneOf"):
        branches = schema.get(keyword)
        for branch in branches if isinstance(branches, list) else []:
            if isinstance(branch, Mapping):
                found |= _named(branch.get("type"))
    return found


def _named(given: object) -> set[str]:
    if isinstance(given, str):
        return {given}
    return {t for t in given if isinstance(t, str)} if isinstance(given, list) else set()


def _member(schema: Mapping[str, Any], key: str) -> object:
    """The schema of one value of a mapping: its property's, else `additionalProperties`."""
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and key in properties:
        return properties[key]
    return schema.get("additionalProperties")


def _item(schema: Mapping[str, Any], index: int) -> object:
    """The schema of one item of a list: its `prefixItems` entry, else `items`."""
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list) and index < len(prefix):
        return prefix[index]
    return schema.get("items")
