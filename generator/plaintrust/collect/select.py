"""Picking fields out of a JSON or YAML document, and writing the result the same way every time.

A field is a dotted path of keys, each optionally followed by list positions: `settings.mfa.required`,
`policies[0].name`, `policies[*].name` (`[*]`: every item of the list, giving a list), `[-1]` (the
last item). The result maps each field, as written, to its value, so the evidence file says which
setting each value is. A key is matched as JSON spells it, as the evidence file shows it: YAML's
`null:`, `yes:` and `2026:` keys are `null`, `true` and `2026`. A key holding `.`, `[` or `]`, and
a key that is only `*` (which means every item, as `[*]` does), cannot be named in a path.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping, Sequence

from plaintrust.collect.api import CollectorFailed

_KEY = r"[^.\[\]]+"
_INDEX = r"\[(?:\*|-?[0-9]+)\]"
_PATH = rf"(?:{_KEY}|{_INDEX})(?:\.{_KEY}|{_INDEX})*"
_FIELD = re.compile(_PATH)
_STEP = re.compile(r"\[(\*|-?[0-9]+)\]|([^.\[\]]+)")
_EACH = "*"

# The JSON Schema of one field, for the `select` of the collectors that take one: `plaintrust check`
# refuses a malformed path (`mfa..required`) before anything runs. `(?!\n)$`: the end of the text,
# in Python's regular expressions as in an editor's.
FIELD: Mapping[str, object] = {
    "type": "string",
    "pattern": f"^{_PATH}(?!\\n)$",
    "description": (
        "A dotted path of keys, each key optionally followed by [N] for one item of a list "
        "([-1] is the last) or [*] for every item: settings.mfa.required, policies[*].name."
    ),
}


def select(data: object, fields: Iterable[str]) -> dict[str, object]:
    """Each field path -> its value in `data`; a path that is not there fails, naming it."""
    return {field: _follow(data, field, steps(field), 0) for field in fields}


def steps(field: str) -> tuple[str | int, ...]:
    """`a.b[0][*]` -> ("a", "b", 0, "*"); a malformed path fails, naming it."""
    if not _FIELD.fullmatch(field):
        raise CollectorFailed(f"the field {field!r} is not a path such as settings.mfa or policies[*].name")
    return tuple(key if key else (_EACH if index == _EACH else int(index)) for index, key in _STEP.findall(field))


def _follow(value: object, field: str, path: tuple[str | int, ...], at: int) -> object:
    if at == len(path):
        return value
    step = path[at]
    if step == _EACH:
        items = _items(value, field, path, at)
        return [_follow(item, field, path, at + 1) for item in items]
    if isinstance(step, int):
        return _follow(_item(value, field, path, at), field, path, at + 1)
    return _follow(_key(value, field, path, at), field, path, at + 1)


def _items(value: object, field: str, path: tuple[str | int, ...], at: int) -> Sequence[object]:
    if isinstance(value, list):
        return value
    raise _missing(field, path, at, "is not a list")


def _item(value: object, field: str, path: tuple[str | int, ...], at: int) -> object:
    index = path[at]
    assert isinstance(index, int)
    if not isinstance(value, list):
        raise _missing(field, path, at, "is not a list")
    if not -len(value) <= index < len(value):
        raise _missing(field, path, at, f"has {len(value)} items, so no item {index}")
    return value[index]


def _key(value: object, field: str, path: tuple[str | int, ...], at: int) -> object:
    key = path[at]
    if not isinstance(value, Mapping):
        raise _missing(field, path, at, "is not a mapping")
    if key in value:
        return value[key]
    # YAML keys may be numbers, dates, null or booleans (`2026:`, `yes:`); a path spells them as
    # the evidence file does, as JSON does.
    for name, found in value.items():
        if _text_key(name) == key:
            return found
    raise _missing(field, path, at, f"has no key {key!r}")


def _missing(field: str, path: tuple[str | int, ...], at: int, why: str) -> CollectorFailed:
    where = _spell(path[:at]) or "the document"
    return CollectorFailed(f"the field {field!r} is not in the document: {where} {why}")


def _spell(path: Sequence[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) or step == _EACH else ("." if text else "") + step
    return text


def dump(obj: object) -> bytes:
    """JSON with sorted keys, two-space indents, UTF-8 text and a final newline: the same bytes each time.
    What JSON cannot hold fails the collection: NaN and infinities, and nesting too deep to write."""
    try:
        text = json.dumps(plain(obj), sort_keys=True, indent=2, ensure_ascii=False, allow_nan=False)
    except ValueError:  # allow_nan=False: `NaN` would make the file JSON readers refuse
        raise CollectorFailed("the values to keep include NaN or Infinity, which JSON cannot hold") from None
    except RecursionError:
        raise CollectorFailed("the values to keep are nested too deeply to write as JSON") from None
    return (text + "\n").encode("utf-8")


def plain(obj: object) -> object:
    """What JSON can hold: mapping keys as text, dates in ISO form, tuples and sets as lists."""
    if isinstance(obj, Mapping):
        return {_text_key(key): plain(value) for key, value in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(item) for item in obj]
    if isinstance(obj, set | frozenset):
        return sorted((plain(item) for item in obj), key=repr)
    if isinstance(obj, dt.date | dt.datetime | dt.time):
        return obj.isoformat()
    if isinstance(obj, bytes):
        return obj.decode("utf-8", errors="replace")
    return obj


def _text_key(key: object) -> str:
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | float):
        return json.dumps(key)  # YAML's `null:` / `true:` / `.inf:` keys, spelled as JSON would
    return str(plain(key))
