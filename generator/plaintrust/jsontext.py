"""JSON indented by two spaces, the same text as `json.dumps(value, indent=2, ensure_ascii=False)`.

The standard library encodes indented JSON in pure Python, a generator per nesting level: about
twice as slow as this on the gap report's JSON (8 MB at 1,000 controls). Strings go through the
same (C) escaping function; what is not a str, int, bool, None, dict with str keys, list or tuple
(floats, subclasses) is left to `json.dumps` itself, so the text is the same byte for byte.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring as _text  # the C function the encoder itself uses

_CONSTANTS = {None: "null", True: "true", False: "false"}


def dumps(value: object) -> str:
    """`value` as `json.dumps(value, indent=2, ensure_ascii=False)` writes it."""
    out: list[str] = []
    _value(value, "\n", out)
    return "".join(out)


def _scalar(value: object) -> str | None:
    """The JSON of a str, None, bool or int (exactly those types); None for anything else."""
    if type(value) is str:
        return _text(value)
    if value is None or value is True or value is False:
        return _CONSTANTS[value]
    if type(value) is int:
        return repr(value)
    return None


def _value(value: object, newline: str, out: list[str]) -> None:
    """Append the JSON of `value`, whose own lines start with `newline` (a newline and its indent)."""
    if type(value) is dict and all(type(key) is str for key in value):
        _object(value, newline, out)
    elif type(value) is list or type(value) is tuple:
        _array(value, newline, out)
    else:
        said = _scalar(value)
        out.append(said if said is not None else json.dumps(value, indent=2, ensure_ascii=False).replace("\n", newline))


def _object(value: dict[str, object], newline: str, out: list[str]) -> None:
    if not value:
        out.append("{}")
        return
    inner = newline + "  "
    head = "{" + inner
    for key, item in value.items():
        said = _scalar(item)
        if said is None:
            out.append(head + _text(key) + ": ")
            _value(item, inner, out)
        else:
            out.append(head + _text(key) + ": " + said)
        head = "," + inner
    out.append(newline + "}")


def _array(value: list[object] | tuple[object, ...], newline: str, out: list[str]) -> None:
    if not value:
        out.append("[]")
        return
    inner = newline + "  "
    head = "[" + inner
    for item in value:
        said = _scalar(item)
        if said is None:
            out.append(head)
            _value(item, inner, out)
        else:
            out.append(head + said)
        head = "," + inner
    out.append(newline + "]")
